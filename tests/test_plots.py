"""Plot helpers: what they return, and the errors they give on bad input."""
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from local.lib import mlutils

X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
y = np.array([0, 0, 1, 1])


def test_plot_2Ddata_draws_one_collection_per_class():
    ax = mlutils.plot_2Ddata(X, y)
    assert len(ax.collections) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]


def test_boundary_fractions_follow_the_predictor():
    # class 1 wherever x2 > 0.5: the grid spans -0.5..1.5, so exactly half goes to each class
    shares = mlutils.plot_2Ddata_with_boundary(lambda p: (p[:, 1] > 0.5).astype(int), X, y,
                                               resolution=100)
    assert shares == pytest.approx((0.5, 0.5))
    shares = mlutils.plot_2Ddata_with_boundary(lambda p: np.zeros(len(p), int), X, y)
    assert shares == (1.0, 0.0)


def test_boundary_accepts_class_scores_and_takes_their_argmax():
    scores = lambda p: np.column_stack([p[:, 0], 1 - p[:, 0]])  # noqa: E731
    shares = mlutils.plot_2Ddata_with_boundary(scores, X, y, resolution=100)
    assert shares == pytest.approx((0.5, 0.5))


def test_boundary_calls_predict_once_on_the_whole_grid():
    calls = []

    def predict(points):
        calls.append(points.shape)
        return np.zeros(len(points), int)

    mlutils.plot_2Ddata_with_boundary(predict, X, y, resolution=50)
    assert calls == [(2500, 2)]


@pytest.mark.parametrize("bad_X, message", [
    (np.zeros((4, 3)), "X must have shape"),
    (np.zeros(4), "X must have shape"),
    (np.zeros((0, 2)), "X is empty"),
    (np.array([[0, np.nan]] * 4), "NaN"),
    ("points", "X must be an array"),
    (np.array([["a", "b"]] * 4), "X must hold real numbers"),
])
def test_bad_points_are_named(bad_X, message):
    with pytest.raises((ValueError, TypeError), match=message):
        mlutils.plot_2Ddata(bad_X, y)


@pytest.mark.parametrize("bad_y, message", [
    (np.array([0, 1]), "y has 2 labels but X has 4 points"),
    (np.zeros((4, 1)), "y must be 1-D"),
    (np.array([0.5, 0, 1, 1]), "whole-number"),
])
def test_bad_labels_are_named(bad_y, message):
    with pytest.raises(ValueError, match=message):
        mlutils.plot_2Ddata(X, bad_y)


def test_non_callable_predict_is_refused():
    with pytest.raises(TypeError, match="predict must be callable"):
        mlutils.plot_2Ddata_with_boundary(np.zeros(4), X, y)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"margin": "1"}, TypeError, "margin must be a number, got str"),
    ({"margin": -0.5}, ValueError, "margin must be a non-negative number, got -0.5"),
    ({"margin": float("nan")}, ValueError, "margin must be a non-negative number, got nan"),
    ({"margin": 1e300}, ValueError, "margin=1e.300 on each side.*float32"),
    ({"resolution": 1}, ValueError, "resolution must be from 2 to 2000"),
    ({"resolution": 2001}, ValueError, "resolution must be from 2 to 2000"),
    ({"resolution": 10.0}, TypeError, "resolution must be a positive int"),
    ({"ax": "left"}, TypeError, "ax must be a Matplotlib Axes"),
])
def test_boundary_options_are_checked(kwargs, error, message):
    with pytest.raises(error, match=message):
        mlutils.plot_2Ddata_with_boundary(lambda p: np.zeros(len(p), int), X, y, **kwargs)


def test_boundary_grid_near_float32_limits_is_refused_not_overflowed():
    huge = np.array([[0.0, 0.0], [3.4e38, 1.0]])  # float32's largest is 3.40282e38
    with pytest.raises(ValueError, match="float32's range"):
        mlutils.plot_2Ddata_with_boundary(lambda p: np.zeros(len(p), int), huge, [0, 1],
                                          margin=1e37)


def test_predict_returning_the_wrong_shape_is_explained():
    with pytest.raises(ValueError, match=r"predict must return 40000 labels"):
        mlutils.plot_2Ddata_with_boundary(lambda p: np.zeros(3), X, y)


def test_plot_history_draws_train_and_validation_curves():
    hist = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8]}
    axes = mlutils.plot_history(hist)
    assert len(axes) == 2
    assert len(axes[0].lines) == 2 and len(axes[1].lines) == 1


def test_plot_history_checks_metrics_label_and_values():
    with pytest.raises(TypeError, match="metrics must be a metric name or a sequence"):
        mlutils.plot_history({"loss": [1.0]}, metrics=None)
    with pytest.raises(ValueError, match="metrics must name at least one metric"):
        mlutils.plot_history({"loss": [1.0]}, metrics=())
    with pytest.raises(TypeError, match="label must be a str or None, got int"):
        mlutils.plot_history({"loss": [1.0]}, metrics="loss", label=3)
    with pytest.raises(TypeError, match=r"history\['loss'\] must hold real numbers"):
        mlutils.plot_history({"loss": ["a", "b"]}, metrics="loss")
    with pytest.raises(ValueError, match=r"history\['val_loss'\] has 1 values but "
                                         r"history\['loss'\] has 2"):
        mlutils.plot_history({"loss": [1.0, 0.5], "val_loss": [1.0]}, metrics="loss")
    # a 2-D array of axes (as plt.subplots(2, 1) gives) is accepted
    import matplotlib.pyplot as plt
    _, axes = plt.subplots(2, 1, squeeze=False)
    assert len(mlutils.plot_history({"loss": [1.0], "accuracy": [0.5]}, axes=axes)) == 2


def test_plot_2Ddata_checks_alpha():
    with pytest.raises(ValueError, match=r"alpha must be a number in \[0, 1\], got 1.5"):
        mlutils.plot_2Ddata(X, y, alpha=1.5)


def test_plot_history_names_missing_metrics():
    with pytest.raises(ValueError, match="history has no"):
        mlutils.plot_history({"loss": [1.0]}, metrics=("accuracy",))
    with pytest.raises(TypeError, match="history must be"):
        mlutils.plot_history([1, 2, 3])


def test_show_images_grid_and_errors():
    axes = mlutils.show_images(np.zeros((5, 8, 8, 3)), titles=list("abcde"), ncols=3)
    assert axes.shape == (2, 3)
    with pytest.raises(ValueError, match="titles must hold one title per image"):
        mlutils.show_images(np.zeros((2, 8, 8)), titles=["a"])
    with pytest.raises(ValueError, match="images in RGB must have values in .0, 1.; "
                                         "divide uint8 images by 255"):
        mlutils.show_images(np.full((1, 8, 8, 3), 255))
    with pytest.raises(ValueError, match="images must have shape"):
        mlutils.show_images(np.zeros((8, 8)))
    with pytest.raises(TypeError, match="titles must be a list of titles"):
        mlutils.show_images(np.zeros((2, 8, 8)), titles="ab")
    with pytest.raises(ValueError, match=r"size must be a number in \(0, 20\], got 0"):
        mlutils.show_images(np.zeros((2, 8, 8)), size=0)
    with pytest.raises(TypeError, match="size must be a number, got NoneType"):
        mlutils.show_images(np.zeros((2, 8, 8)), size=None)
    with pytest.raises(ValueError, match="images must be at least 1 x 1 pixels"):
        mlutils.show_images(np.zeros((1, 0, 0, 3)))  # found by the property test below


# Property: any array either works or raises ValueError/TypeError naming the argument.
arrays = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.int64, np.float32, np.bool_]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
)  # elements: anything of the dtype, NaN and infinities included


@settings(max_examples=60, deadline=None, derandomize=True)  # the same examples every run
@given(Xa=arrays, ya=arrays)
def test_any_input_works_or_fails_clearly(Xa, ya):
    try:
        mlutils.plot_2Ddata_with_boundary(lambda p: np.zeros(len(p), int), Xa, ya, resolution=10)
    except (ValueError, TypeError) as exc:
        assert any(re.search(rf"\b{name}\b", str(exc)) for name in ("X", "y", "predict")), \
            str(exc)
