"""Property tests: every public helper either works or raises ValueError/TypeError that
names the offending argument, whatever array it is given (wrong dimensions, NaNs, empty
arrays, labels that don't match X, wrong dtypes): never a deep NumPy/Matplotlib error."""
import numpy as np
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


def works_or_names(call, *names):
    try:
        call()
    except (ValueError, TypeError) as exc:
        assert any(n in str(exc) for n in names), f"{type(exc).__name__}: {exc}"


@SETTINGS
@given(X=anything, y=anything)
def test_plot_2Ddata(X, y):
    works_or_names(lambda: mlutils.plot_2Ddata(X, y), "X", "y")


@SETTINGS
@given(X=anything, y=anything, resolution=st.integers(-2, 5), margin=st.floats())
def test_plot_2Ddata_with_boundary(X, y, resolution, margin):
    works_or_names(lambda: mlutils.plot_2Ddata_with_boundary(
        lambda p: np.zeros(len(p), int), X, y, resolution=resolution, margin=margin),
        "X", "y", "resolution", "margin")


@SETTINGS
@given(out=anything)
def test_boundary_with_any_predict_output(out):
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    works_or_names(lambda: mlutils.plot_2Ddata_with_boundary(lambda p: out, X, [0, 1],
                                                             resolution=3), "predict")


@SETTINGS
@given(images=anything, ncols=st.integers(-1, 4))
def test_show_images(images, ncols):
    works_or_names(lambda: mlutils.show_images(images, ncols=ncols), "images", "ncols", "RGB")


@SETTINGS
@given(history=st.one_of(anything, st.dictionaries(st.sampled_from(["loss", "accuracy", "x"]),
                                                   st.lists(st.floats(), max_size=3))))
def test_plot_history(history):
    works_or_names(lambda: mlutils.plot_history(history), "history")


@SETTINGS
@given(n=st.one_of(st.integers(-3, 4), st.floats(), st.none()),
       size=st.one_of(st.integers(-3, 40), st.floats()), seed=st.one_of(st.integers(0, 9), st.text(max_size=2)))
def test_make_shapes(n, size, seed):
    works_or_names(lambda: mlutils.make_shapes(n, size, seed), "n", "size", "seed")


@SETTINGS
@given(url=st.one_of(st.text(max_size=20), st.none(), st.integers()),
       sha=st.one_of(st.text(max_size=70), st.none()))
def test_download_arguments(url, sha, tmp_path_factory):
    # every call fails before any network access: no URL here is both valid and reachable
    folder = tmp_path_factory.mktemp("c")
    try:
        mlutils.download(url, sha, cache_dir=folder, timeout=0.01, retries=0)
    except (ValueError, TypeError) as exc:
        assert any(n in str(exc) for n in ("url", "sha256", "file name")), str(exc)
    except mlutils.DownloadError:
        pass  # a syntactically valid URL: refused with a clear download error


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
