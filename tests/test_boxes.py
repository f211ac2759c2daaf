"""Box helpers: conversions, IoU, anchors, NMS, and the errors they give on bad input."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from local.lib import boxes

# ---------------------------------------------------------------- conversions and area


def test_corners_to_centers_by_hand():
    assert boxes.corners_to_centers([2, 4, 6, 10]).tolist() == [4, 7, 4, 6]
    got = boxes.corners_to_centers([[0, 0, 32, 32], [3, 5, 4, 5]])
    assert got.tolist() == [[16, 16, 32, 32], [3.5, 5, 1, 0]]


def test_centers_to_corners_by_hand():
    assert boxes.centers_to_corners([4, 7, 4, 6]).tolist() == [2, 4, 6, 10]
    assert boxes.centers_to_corners([0.5, 0.5, 1, 1]).tolist() == [0, 0, 1, 1]


def test_conversions_keep_leading_axes_and_return_floats():
    b = np.arange(2 * 3 * 4).reshape(2, 3, 4)  # x_max > x_min, y_max > y_min everywhere
    out = boxes.corners_to_centers(b)
    assert out.shape == (2, 3, 4) and out.dtype == np.float64


def test_conversions_round_trip_on_the_course_images():
    from local.lib import mlutils

    b = mlutils.make_shapes(50, seed=1)["boxes"]
    assert np.array_equal(boxes.centers_to_corners(boxes.corners_to_centers(b)), b)


corner_boxes = st.tuples(
    st.floats(-100, 100), st.floats(-100, 100), st.floats(0, 100), st.floats(0, 100)
).map(lambda t: [t[0], t[1], t[0] + t[2], t[1] + t[3]])


@settings(max_examples=200, deadline=None)
@given(corner_boxes)
def test_round_trip_property(box):
    back = boxes.centers_to_corners(boxes.corners_to_centers(box))
    np.testing.assert_allclose(back, box, atol=1e-9)
    centers = boxes.corners_to_centers(box)
    np.testing.assert_allclose(boxes.corners_to_centers(boxes.centers_to_corners(centers)),
                               centers, atol=1e-9)


def test_area():
    assert boxes.area([1, 2, 4, 6]) == 12
    assert boxes.area([[0, 0, 0, 5], [0, 0, 2, 2]]).tolist() == [0, 4]


# ------------------------------------------------------------------------------ IoU

@pytest.mark.parametrize("a, b, expected", [
    ([0, 0, 2, 2], [0, 0, 2, 2], 1.0),              # identical
    ([0, 0, 2, 2], [1, 1, 3, 3], 1 / 7),            # overlap 1, union 4 + 4 - 1
    ([0, 0, 2, 2], [1, 0, 3, 2], 1 / 3),            # half shifted: 2 / (4 + 4 - 2)
    ([0, 0, 4, 4], [1, 1, 3, 3], 4 / 16),           # one inside the other
    ([0, 0, 2, 2], [2, 0, 4, 2], 0.0),              # touching edges: no area in common
    ([0, 0, 2, 2], [5, 5, 6, 6], 0.0),              # far apart
    ([0, 0, 10, 10], [5, 0, 15, 10], 50 / 150),
    ([0, 0, 3, 1], [1, -1, 2, 3], 1 / 6),           # a cross: 1 / (3 + 4 - 1)
    ([1, 1, 1, 1], [1, 1, 1, 1], 0.0),              # no area: IoU 0, not NaN
])
def test_iou_hand_computed(a, b, expected):
    assert boxes.iou(a, b) == pytest.approx(expected)
    assert boxes.iou(b, a) == pytest.approx(expected)
    assert isinstance(boxes.iou(a, b), float)


def test_iou_is_elementwise_and_broadcasts():
    a = np.array([[0, 0, 2, 2], [0, 0, 2, 2], [0, 0, 4, 4]])
    b = np.array([[0, 0, 2, 2], [1, 1, 3, 3], [1, 1, 3, 3]])
    np.testing.assert_allclose(boxes.iou(a, b), [1, 1 / 7, 1 / 4])
    np.testing.assert_allclose(boxes.iou(a, [0, 0, 2, 2]), [1, 1, 1 / 4])


def test_pairwise_iou_matches_iou():
    a = np.array([[0, 0, 2, 2], [1, 1, 3, 3]])
    b = np.array([[0, 0, 2, 2], [1, 0, 3, 2], [5, 5, 6, 6]])
    m = boxes.pairwise_iou(a, b)
    assert m.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert m[i, j] == pytest.approx(boxes.iou(a[i], b[j]))
    np.testing.assert_allclose(m[0], [1, 1 / 3, 0])
    assert boxes.pairwise_iou([0, 0, 1, 1], b).shape == (1, 3)


def test_iou_is_invariant_to_shifting_and_scaling_both_boxes():
    a, b = np.array([0.0, 0, 2, 2]), np.array([1.0, 1, 3, 3])
    moved = boxes.iou(a * 3 + 7, b * 3 + 7)
    assert moved == pytest.approx(boxes.iou(a, b))


@settings(max_examples=300, deadline=None)
@given(corner_boxes, corner_boxes)
def test_iou_is_symmetric_and_in_unit_interval(a, b):
    ab, ba = boxes.iou(a, b), boxes.iou(b, a)
    assert ab == pytest.approx(ba, abs=1e-12)
    assert 0.0 <= ab <= 1.0
    if boxes.area(a) > 0:
        assert boxes.iou(a, a) == pytest.approx(1.0)


# -------------------------------------------------------------------------- anchors

def test_anchor_grid_by_hand():
    a = boxes.anchor_grid(16, 8, sizes=[4])
    # 2 x 2 cells with centres at 4 and 12; one 4 x 4 anchor per cell, row by row
    assert a.tolist() == [[2, 2, 6, 6], [10, 2, 14, 6], [2, 10, 6, 14], [10, 10, 14, 14]]


def test_anchor_grid_sizes_and_ratios():
    a = boxes.anchor_grid(32, 8, sizes=[8, 16], aspect_ratios=[1.0, 4.0])
    assert a.shape == (4 * 4 * 2 * 2, 4)
    c = boxes.corners_to_centers(a)
    # the first cell's anchors: size 8 (ratio 1, 4), then size 16 (ratio 1, 4)
    np.testing.assert_allclose(c[:4, :2], 4.0)
    np.testing.assert_allclose(c[:4, 2:], [[8, 8], [16, 4], [16, 16], [32, 8]])
    np.testing.assert_allclose(boxes.area(a).reshape(16, 4), [[64, 64, 256, 256]] * 16)
    # every anchor of size 8 lies inside the image
    assert (a[c[:, 2] == 8] >= 0).all() and (a[c[:, 2] == 8] <= 32).all()


def test_anchor_grid_rectangular_image():
    a = boxes.anchor_grid((16, 32), 8, sizes=[8])
    assert a.shape == (2 * 4, 4)
    assert a[:, 2].max() == 32 and a[:, 3].max() == 16


# ------------------------------------------------------------------------------ NMS

def test_nms_keeps_the_best_of_a_cluster_and_separate_boxes():
    b = np.array([[0, 0, 10, 10],     # 0: cluster A, score 0.8
                  [1, 1, 11, 11],     # 1: cluster A, best (IoU with 0 is 81 / 119)
                  [0, 1, 10, 11],     # 2: cluster A
                  [20, 20, 30, 30],   # 3: alone
                  [21, 20, 31, 30]])  # 4: overlaps 3 (IoU 90 / 110), higher score
    s = np.array([0.8, 0.9, 0.7, 0.5, 0.6])
    assert boxes.nms(b, s, 0.5).tolist() == [1, 4]
    # with a threshold above every overlap, nothing is suppressed: all, best first
    assert boxes.nms(b, s, 0.95).tolist() == [1, 0, 2, 4, 3]


def test_nms_suppression_is_greedy_not_transitive():
    # 0 suppresses 1, but 1 would have suppressed 2: 2 survives because 1 is gone
    b = np.array([[0, 0, 10, 10], [5, 0, 15, 10], [10, 0, 20, 10]])
    assert boxes.iou(b[0], b[1]) == pytest.approx(1 / 3)
    assert boxes.iou(b[0], b[2]) == 0
    assert boxes.nms(b, [0.9, 0.8, 0.7], iou_threshold=0.3).tolist() == [0, 2]


def test_nms_threshold_is_strict_and_ties_keep_the_lower_index():
    b = np.array([[0, 0, 2, 2], [1, 0, 3, 2]])  # IoU exactly 1/3
    assert boxes.nms(b, [1.0, 1.0], iou_threshold=1 / 3).tolist() == [0, 1]
    assert boxes.nms(b, [1.0, 1.0], iou_threshold=0.3).tolist() == [0]
    assert boxes.nms(b, [0.5, 1.0], iou_threshold=0.3).tolist() == [1]


def test_nms_max_outputs_and_empty_input():
    b = np.array([[0, 0, 1, 1], [5, 5, 6, 6], [9, 9, 10, 10]])
    assert boxes.nms(b, [0.1, 0.3, 0.2], max_outputs=2).tolist() == [1, 2]
    empty = boxes.nms(np.zeros((0, 4)), np.zeros(0))
    assert empty.shape == (0,) and empty.dtype.kind == "i"


@settings(max_examples=100, deadline=None)
@given(st.lists(corner_boxes, min_size=1, max_size=12), st.floats(0, 1), st.randoms())
def test_nms_kept_boxes_never_overlap_more_than_the_threshold(bs, threshold, rnd):
    scores = [rnd.random() for _ in bs]
    keep = boxes.nms(bs, scores, threshold)
    assert len(set(keep.tolist())) == len(keep) >= 1
    assert keep[0] == int(np.argmax(scores))
    kept = np.asarray(bs)[keep]
    m = boxes.pairwise_iou(kept, kept)
    assert (m[~np.eye(len(keep), dtype=bool)] <= threshold + 1e-12).all()
    assert np.all(np.diff(np.asarray(scores)[keep]) <= 0)  # best first


# --------------------------------------------------------------------- bad arguments

@pytest.mark.parametrize("bad, error, message", [
    ([0, 0, 1], ValueError, r"boxes_a must have shape \(4,\) or \(\.\.\., 4\)"),
    ([[0, 0, 1, 1, 1]], ValueError, "boxes_a must have shape"),
    (3.0, ValueError, "boxes_a must have shape"),
    ([2, 0, 1, 1], ValueError, "boxes_a holds an inverted box"),
    ([[0, 0, 1, 1], [0, 3, 1, 1]], ValueError, "inverted box at index 1"),
    ([0, np.nan, 1, 1], ValueError, "boxes_a contains NaN"),
    ("box", TypeError, "boxes_a must be an array of numbers"),
    (None, TypeError, "boxes_a must be an array of numbers"),
    ([["a", "b", "c", "d"]], TypeError, "boxes_a must hold real numbers"),
    ([[0, 0, 1, 1], [0, 0, 1]], ValueError, "boxes_a must be a rectangular array"),
])
def test_bad_boxes_are_named(bad, error, message):
    with pytest.raises(error, match=message):
        boxes.iou(bad, [0, 0, 1, 1])


def test_the_second_argument_is_named_too():
    with pytest.raises(ValueError, match="boxes_b holds an inverted box"):
        boxes.pairwise_iou([0, 0, 1, 1], [1, 1, 0, 0])
    with pytest.raises(ValueError, match="boxes_a and boxes_b must hold matching numbers"):
        boxes.iou(np.zeros((3, 4)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"boxes_b must have shape \(4,\) or \(n, 4\)"):
        boxes.pairwise_iou(np.zeros((3, 4)), np.zeros((2, 2, 4)))


def test_centre_form_rejects_negative_sizes():
    with pytest.raises(ValueError, match="negative width or height"):
        boxes.centers_to_corners([5, 5, -1, 2])
    with pytest.raises(ValueError, match="inverted box"):
        boxes.corners_to_centers([5, 5, 4, 6])
    with pytest.raises(ValueError, match="form must be"):
        boxes.as_boxes([0, 0, 1, 1], form="xywh")


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(image_size=0, stride=8, sizes=[8]), ValueError, "image_size must be a positive int"),
    (dict(image_size=32.0, stride=8, sizes=[8]), TypeError, "image_size must be a positive int"),
    (dict(image_size=(32,), stride=8, sizes=[8]), ValueError, "image_size must be an int or"),
    (dict(image_size=32, stride=64, sizes=[8]), ValueError, "stride .* must not exceed"),
    (dict(image_size=32, stride=True, sizes=[8]), TypeError, "stride must be a positive int"),
    (dict(image_size=32, stride=8, sizes=[]), ValueError, "sizes must be a non-empty"),
    (dict(image_size=32, stride=8, sizes=[8, -1]), ValueError, "sizes must hold positive"),
    (dict(image_size=32, stride=8, sizes="8"), TypeError, "sizes must be an array of numbers"),
    (dict(image_size=1, stride=1, sizes=[[], [0.0]]), ValueError,  # found by a property test
     "sizes must be a rectangular array"),
    (dict(image_size=32, stride=8, sizes=[8], aspect_ratios=[0]), ValueError,
     "aspect_ratios must hold positive"),
])
def test_bad_anchor_arguments_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        boxes.anchor_grid(**kwargs)


@pytest.mark.parametrize("args, kwargs, error, message", [
    (([[0, 0, 1, 1]], [0.5, 0.4]), {}, ValueError, r"scores must hold one score per box, shape \(1,\)"),
    (([[0, 0, 1, 1]], [np.nan]), {}, ValueError, "scores contains NaN"),
    (([[0, 0, 1, 1]], "high"), {}, TypeError, "scores must be an array of numbers"),
    (([0, 0, 1, 1], [0.5]), {}, ValueError, r"boxes must have shape \(n, 4\)"),
    (([[1, 0, 0, 1]], [0.5]), {}, ValueError, "boxes holds an inverted box"),
    (([[0, 0, 1, 1]], [0.5]), dict(iou_threshold=1.5), ValueError, r"iou_threshold must be in \[0, 1\]"),
    (([[0, 0, 1, 1]], [0.5]), dict(iou_threshold="0.5"), TypeError, "iou_threshold must be a number"),
    (([[0, 0, 1, 1]], [0.5]), dict(max_outputs=0), ValueError, "max_outputs must be a positive int"),
])
def test_bad_nms_arguments_are_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        boxes.nms(*args, **kwargs)
