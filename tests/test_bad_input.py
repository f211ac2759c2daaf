"""Property tests: every public helper either works or raises ValueError/TypeError that
names the offending argument, whatever array it is given (wrong dimensions, NaNs, empty
arrays, labels that don't match X, wrong dtypes): never a deep NumPy/Matplotlib error.

"Names" means the argument's name appears as a whole word in the message (``\bname\b``):
"y" inside "array" or "n" inside "int" does not count."""
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from local.lib import mlutils

# derandomize: the same examples on every run, so CI cannot turn red by chance. To hunt for
# new failures, run e.g. `pytest tests/test_bad_input.py --hypothesis-seed=1` with a larger
# max_examples, and turn what it finds into fixed tests (test_boxes.py, test_plots.py).
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

dtypes = st.sampled_from([np.float64, np.float32, np.int64, np.uint8, np.bool_, np.complex128,
                          np.str_, np.object_])


@st.composite
def arrays(draw, min_dims=0, max_dims=4):
    dtype = draw(dtypes)
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=0, max_side=6))
    if dtype is np.object_:
        return np.full(shape, None, dtype=object)
    return draw(hnp.arrays(dtype=dtype, shape=shape))


anything = st.one_of(arrays(), st.none(), st.text(max_size=3), st.integers(), st.floats(),
                     st.lists(st.lists(st.floats(), max_size=3), max_size=3))


def names_one_of(message, names):
    """Whether ``message`` holds one of ``names`` as a whole word."""
    return any(re.search(rf"\b{re.escape(n)}\b", message) for n in names)


def works_or_names(call, *names):
    try:
        call()
    except (ValueError, TypeError) as exc:
        assert names_one_of(str(exc), names), f"{type(exc).__name__}: {exc}"
    finally:
        plt.close("all")  # one figure per example would pile up otherwise


def test_names_are_matched_as_whole_words():
    assert names_one_of("n must be a positive int, got 0", ["n"])
    assert names_one_of("boxes_a must have shape (4,)", ["boxes_a"])
    assert not names_one_of("only integer scalar arrays can be converted", ["n", "y"])
    assert not names_one_of("boxes_a must have shape (4,)", ["boxes"])
    with pytest.raises(AssertionError):
        works_or_names(lambda: int("x"), "n")  # ValueError: invalid literal for int()


# Escapes found before, as fixed cases: each must raise and name its argument.
def _boundary(**kwargs):
    return lambda: mlutils.plot_2Ddata_with_boundary(lambda p: np.zeros(len(p), int),
                                                     [[0.0, 0.0], [1.0, 1.0]], [0, 1], **kwargs)


KNOWN_ESCAPES = {
    'boundary margin="1"': (_boundary(margin="1"), "margin"),
    "boundary margin=None": (_boundary(margin=None), "margin"),
    "boundary margin=-1": (_boundary(margin=-1), "margin"),
    "boundary margin=nan": (_boundary(margin=float("nan")), "margin"),
    "boundary margin=[1, 2]": (_boundary(margin=np.array([1.0, 2.0])), "margin"),
    "boundary margin=1e308": (_boundary(margin=1e308), "margin"),
    'boundary resolution="9"': (_boundary(resolution="9"), "resolution"),
    "boundary resolution=1": (_boundary(resolution=1), "resolution"),
    "boundary resolution=2.5": (_boundary(resolution=2.5), "resolution"),
    "boundary resolution=10**6": (_boundary(resolution=10**6), "resolution"),
    "download filename=5": (lambda: mlutils.download("http://x/y", "a" * 64, filename=5),
                            "filename"),
    "download filename=b'x'": (lambda: mlutils.download("http://x/y", "a" * 64,
                                                        filename=b"x"), "filename"),
    "download timeout=True": (lambda: mlutils.download("http://x/y", "a" * 64, timeout=True),
                              "timeout"),
    "download url with a bad port": (lambda: mlutils.download("http://x:y/z", "a" * 64), "url"),
    "make_shapes seed=-1": (lambda: mlutils.make_shapes(3, seed=-1), "seed"),
    "make_shapes seed=np.int64(-1)": (lambda: mlutils.make_shapes(3, seed=np.int64(-1)),
                                      "seed"),
    "shapes_h5 seed=-1": (lambda: mlutils.shapes_h5(3, seed=-1), "seed"),
    'shapes_h5 n="3"': (lambda: mlutils.shapes_h5("3"), "n"),
    "show_images size=None": (lambda: mlutils.show_images(np.zeros((1, 2, 2)), size=None),
                              "size"),
    "show_images size=0": (lambda: mlutils.show_images(np.zeros((1, 2, 2)), size=0), "size"),
    "show_images titles=0": (lambda: mlutils.show_images(np.zeros((1, 2, 2)), titles=0),
                             "titles"),
    "show_images titles=np.array(0)": (lambda: mlutils.show_images(np.zeros((1, 2, 2)),
                                                                  titles=np.array(0)), "titles"),
    "plot_history metrics=None": (lambda: mlutils.plot_history({"loss": [1]}, metrics=None),
                                  "metrics"),
    "plot_history metrics=[]": (lambda: mlutils.plot_history({"loss": [1]}, metrics=[]),
                                "metrics"),
    'plot_history loss="a"': (lambda: mlutils.plot_history({"loss": "ab"}, metrics="loss"),
                              "history"),
    "plot_history loss=[[1]]": (lambda: mlutils.plot_history({"loss": [[1.0]]},
                                                             metrics="loss"), "history"),
    "plot_2Ddata alpha=2": (lambda: mlutils.plot_2Ddata([[0, 0]], [0], alpha=2), "alpha"),
    'plot_2Ddata alpha="x"': (lambda: mlutils.plot_2Ddata([[0, 0]], [0], alpha="x"), "alpha"),
}


@pytest.mark.parametrize("case", KNOWN_ESCAPES)
def test_known_escapes_now_name_their_argument(case, cache):
    call, name = KNOWN_ESCAPES[case]
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    plt.close("all")
    assert names_one_of(str(info.value), [name]), str(info.value)


# Values that are not numbers, or are numbers out of range, for scalar arguments.
scalars = st.one_of(st.integers(-3, 5), st.floats(), st.text(max_size=2), st.none(),
                    st.booleans(), st.just(np.float64("nan")), st.just(np.int64(-1)),
                    st.just([1]), st.just(np.array([1.0, 2.0])))


@SETTINGS
@given(X=anything, y=anything)
def test_plot_2Ddata(X, y):
    works_or_names(lambda: mlutils.plot_2Ddata(X, y), "X", "y")


GOOD_X = np.array([[0.0, 0.0], [1.0, 1.0]])


@SETTINGS
@given(alpha=scalars)
def test_plot_2Ddata_alpha(alpha):
    works_or_names(lambda: mlutils.plot_2Ddata(GOOD_X, [0, 1], alpha=alpha), "alpha")


@SETTINGS
@given(X=anything, y=anything, resolution=st.integers(-2, 5), margin=st.floats())
def test_plot_2Ddata_with_boundary(X, y, resolution, margin):
    works_or_names(lambda: mlutils.plot_2Ddata_with_boundary(
        lambda p: np.zeros(len(p), int), X, y, resolution=resolution, margin=margin),
        "X", "y", "resolution", "margin")


@SETTINGS
@given(resolution=scalars, margin=st.one_of(scalars, st.floats(min_value=1e300)))
def test_boundary_resolution_and_margin(resolution, margin):
    works_or_names(lambda: mlutils.plot_2Ddata_with_boundary(
        lambda p: np.zeros(len(p), int), GOOD_X, [0, 1], resolution=resolution,
        margin=margin), "resolution", "margin")


@SETTINGS
@given(out=anything)
def test_boundary_with_any_predict_output(out):
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    works_or_names(lambda: mlutils.plot_2Ddata_with_boundary(lambda p: out, X, [0, 1],
                                                             resolution=3), "predict")


@SETTINGS
@given(images=anything, ncols=st.integers(-1, 4))
def test_show_images(images, ncols):
    works_or_names(lambda: mlutils.show_images(images, ncols=ncols), "images", "ncols")


@SETTINGS
@given(ncols=scalars, size=scalars,
       titles=st.one_of(st.none(), st.integers(), st.text(max_size=3), arrays(max_dims=2),
                        st.lists(st.one_of(st.text(max_size=2), st.integers()), max_size=3)))
def test_show_images_options(ncols, size, titles):
    works_or_names(lambda: mlutils.show_images(np.zeros((2, 3, 3)), titles=titles,
                                               ncols=ncols, size=size),
                   "ncols", "size", "titles")


histories = st.dictionaries(st.sampled_from(["loss", "accuracy", "val_loss", "x"]),
                            st.one_of(st.lists(st.floats(), max_size=3), anything))


@SETTINGS
@given(history=st.one_of(anything, histories))
def test_plot_history(history):
    works_or_names(lambda: mlutils.plot_history(history), "history")


@SETTINGS
@given(metrics=st.one_of(anything, st.lists(st.one_of(st.text(max_size=2), st.integers()),
                                            max_size=3)),
       label=st.one_of(st.none(), st.text(max_size=2), st.integers(), st.floats()))
def test_plot_history_options(metrics, label):
    works_or_names(lambda: mlutils.plot_history({"loss": [1.0, 0.5]}, metrics=metrics,
                                                label=label), "metrics", "label", "history")


@SETTINGS
@given(n=st.one_of(st.integers(-3, 4), st.floats(), st.none(), st.booleans()),
       size=st.one_of(st.integers(-3, 40), st.floats()),
       seed=st.one_of(st.integers(-3, 9), st.text(max_size=2), st.floats(), st.booleans()))
def test_make_shapes(n, size, seed):
    works_or_names(lambda: mlutils.make_shapes(n, size, seed), "n", "size", "seed")


@SETTINGS
@given(n=st.one_of(st.integers(-3, 4), st.floats(), st.none(), st.text(max_size=2)),
       size=st.one_of(st.integers(-3, 20), st.floats()),
       seed=st.one_of(st.integers(-3, 3), st.text(max_size=2), st.floats()))
def test_shapes_h5(n, size, seed, cache):
    works_or_names(lambda: mlutils.shapes_h5(n, size, seed), "n", "size", "seed")


@pytest.fixture
def loopback_only(monkeypatch):
    """Fail the test if download() looks up any host but 127.0.0.1 (no DNS, no network)."""
    import socket

    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        assert host in ("127.0.0.1", b"127.0.0.1"), f"network access to {host!r}"
        return real(host, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


# URLs that reach no one: a non-numeric port, port 1 on loopback (where nobody listens), odd
# characters in the path, or a host that is missing or cannot be encoded; never a host name
# that would need a DNS lookup, nor an empty port (which would mean port 80).
urls = st.one_of(
    st.text(max_size=20), st.none(), st.integers(),
    st.builds("http://127.0.0.1:{}/{}".format, st.text("abc:-", min_size=1, max_size=3),
              st.text(max_size=5)),
    st.builds("http://127.0.0.1:1/{}".format, st.text(max_size=6)),
    st.builds("http://{}/data.bin".format, st.sampled_from(["", ":1", "[::1", "a..b"])),
)


@SETTINGS
@given(url=urls, sha=st.one_of(st.text(max_size=70), st.none(), st.just("a" * 64)),
       filename=st.one_of(st.none(), st.integers(), st.text(max_size=4), st.just(b"x.bin"),
                          st.sampled_from([".", "..", "a/b", "a\\b", "x\0"])),
       timeout=st.one_of(st.just(0.01), scalars), retries=st.one_of(st.just(0), scalars))
def test_download_arguments(url, sha, filename, timeout, retries, tmp_path_factory,
                            loopback_only):
    # every call fails: no URL here is both valid and reachable
    folder = tmp_path_factory.mktemp("c")
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0.01:
        timeout = 0.01  # keep any connection attempt short
    try:
        mlutils.download(url, sha, filename=filename, cache_dir=folder, timeout=timeout,
                         retries=retries)
    except (ValueError, TypeError) as exc:
        assert names_one_of(str(exc), ("url", "sha256", "filename", "timeout", "retries")), \
            f"{type(exc).__name__}: {exc}"
    except mlutils.DownloadError as exc:
        assert url in str(exc), str(exc)  # a syntactically valid URL: refused, naming it


@SETTINGS
@given(seed=st.one_of(st.integers(-3, 3), st.floats(), st.text(max_size=2), st.booleans()))
def test_set_seed(seed):
    works_or_names(lambda: mlutils.set_seed(seed), "seed")


# local/lib/boxes.py: the detection chapter's helpers.
from local.lib import boxes  # noqa: E402


@SETTINGS
@given(a=anything, b=anything)
def test_box_functions(a, b):
    works_or_names(lambda: boxes.area(a), "boxes")
    works_or_names(lambda: boxes.corners_to_centers(a), "boxes")
    works_or_names(lambda: boxes.centers_to_corners(a), "boxes")
    works_or_names(lambda: boxes.iou(a, b), "boxes_a", "boxes_b")
    works_or_names(lambda: boxes.pairwise_iou(a, b), "boxes_a", "boxes_b")


@SETTINGS
@given(b=anything, scores=anything, threshold=st.one_of(st.floats(), st.integers(-1, 2)),
       max_outputs=st.one_of(st.none(), st.integers(-1, 3)))
def test_nms(b, scores, threshold, max_outputs):
    works_or_names(lambda: boxes.nms(b, scores, threshold, max_outputs),
                   "boxes", "scores", "iou_threshold", "max_outputs")


@SETTINGS
@given(size=st.one_of(st.integers(-2, 40), st.tuples(st.integers(-2, 20), st.integers(-2, 20)),
                      st.floats(), st.none()),
       stride=st.one_of(st.integers(-2, 9), st.floats()), sizes=anything, ratios=anything)
def test_anchor_grid(size, stride, sizes, ratios):
    works_or_names(lambda: boxes.anchor_grid(size, stride, sizes, ratios),
                   "image_size", "stride", "sizes", "aspect_ratios")
