"""Bounding boxes for object detection: conversions, IoU, anchor grids and non-maximum suppression.

Import it as ``from local.lib import boxes``. Everything is plain NumPy.

Conventions
-----------
A box in **corner form** is ``(x_min, y_min, x_max, y_max)``; x is the column, y the row,
and the maximum is exclusive, as in :func:`local.lib.data.make_shapes`. Read as a rectangle
of the continuous image plane, a box covers ``[x_min, x_max] x [y_min, y_max]``, so its
width is ``x_max - x_min`` (a box from pixel 3 to pixel 5 inclusive is ``(3, ., 6, .)``, 3
pixels wide). A box in **centre form** is ``(cx, cy, w, h)``: its centre, width and height.

Every function takes one box, shape ``(4,)``, or a stack of them, shape ``(..., 4)``, and
checks its input: a wrong shape, a non-number, NaN, a negative width or an inverted box
(``x_max < x_min``) raises a ``ValueError`` or ``TypeError`` that names the argument.
Boxes of zero width or height are allowed; they have zero area and an IoU of 0 with
everything.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .checks import as_numeric
from .checks import positive_int as _positive_int

__all__ = [
    "as_boxes", "area", "corners_to_centers", "centers_to_corners",
    "iou", "pairwise_iou", "anchor_grid", "nms",
]


def as_boxes(boxes: Any, name: str = "boxes", form: str = "corners") -> np.ndarray:
    """Check ``boxes`` and return them as a float array of shape ``(..., 4)``.

    Args:
        boxes: one box, shape ``(4,)``, or boxes, shape ``(..., 4)``.
        name: the argument's name, used in error messages.
        form: ``"corners"`` (``x_min, y_min, x_max, y_max``: the maxima must not be below
            the minima) or ``"centers"`` (``cx, cy, w, h``: widths and heights must not be
            negative).

    Returns:
        A new float64 array of the same shape.

    Raises:
        TypeError: ``boxes`` is not an array of real numbers.
        ValueError: the last axis does not have length 4, a value is NaN or infinite, or a
            box is inverted (corner form) or has a negative size (centre form).
    """
    if form not in ("corners", "centers"):
        raise ValueError(f'form must be "corners" or "centers", got {form!r}')
    arr = as_numeric(boxes, name)
    if arr.ndim == 0 or arr.shape[-1] != 4:
        layout = "x_min, y_min, x_max, y_max" if form == "corners" else "cx, cy, w, h"
        raise ValueError(f"{name} must have shape (4,) or (..., 4) holding ({layout}), "
                         f"got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if form == "corners":
        bad = (arr[..., 2] < arr[..., 0]) | (arr[..., 3] < arr[..., 1])
        if np.any(bad):
            flat = int(np.flatnonzero(bad.ravel())[0])
            index = tuple(int(i) for i in np.unravel_index(flat, bad.shape))
            where = f" at index {index[0] if len(index) == 1 else index}" if index else ""
            box = arr.reshape(-1, 4)[flat]
            raise ValueError(f"{name} holds an inverted box{where}: {box.tolist()}; "
                             "corner form needs x_max >= x_min and y_max >= y_min")
    else:
        bad = (arr[..., 2] < 0) | (arr[..., 3] < 0)
        if np.any(bad):
            box = arr.reshape(-1, 4)[np.flatnonzero(bad.ravel())[0]]
            raise ValueError(f"{name} holds a box with a negative width or height: "
                             f"{box.tolist()} (centre form is cx, cy, w, h)")
    return arr


def area(boxes: Any) -> np.ndarray:
    """Areas of boxes in corner form: ``(x_max - x_min) * (y_max - y_min)``, shape ``(...)``."""
    b = as_boxes(boxes, "boxes")
    return (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])


def corners_to_centers(boxes: Any) -> np.ndarray:
    """Convert ``(x_min, y_min, x_max, y_max)`` to ``(cx, cy, w, h)``; same shape.

    Example: ``corners_to_centers([2, 4, 6, 10])`` is ``[4, 7, 4, 6]``.
    """
    b = as_boxes(boxes, "boxes", form="corners")
    wh = b[..., 2:] - b[..., :2]
    return np.concatenate([b[..., :2] + wh / 2, wh], axis=-1)


def centers_to_corners(boxes: Any) -> np.ndarray:
    """Convert ``(cx, cy, w, h)`` to ``(x_min, y_min, x_max, y_max)``; same shape.

    The inverse of :func:`corners_to_centers` (up to floating-point rounding).
    """
    b = as_boxes(boxes, "boxes", form="centers")
    half = b[..., 2:] / 2
    return np.concatenate([b[..., :2] - half, b[..., :2] + half], axis=-1)


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of already-checked corner boxes that broadcast against each other."""
    w = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]), 0, None)
    h = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]), 0, None)
    inter = w * h
    union = ((a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
             + (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1]) - inter)
    out = np.zeros(np.broadcast(inter, union).shape)
    np.divide(inter, union, out=out, where=union > 0)
    return np.clip(out, 0.0, 1.0)


def iou(boxes_a: Any, boxes_b: Any) -> np.ndarray | float:
    """Intersection over union of matched boxes in corner form, element by element.

    ``IoU = area(a & b) / area(a | b)``: 1 for identical boxes, 0 for boxes that do not
    overlap (or that have no area). The two arguments broadcast like NumPy arrays over
    their leading axes: ``(n, 4)`` with ``(n, 4)`` gives ``n`` values, ``(n, 4)`` with
    ``(4,)`` compares every box with one box. For all pairs use :func:`pairwise_iou`.

    Args:
        boxes_a: boxes, shape ``(4,)`` or ``(..., 4)``.
        boxes_b: boxes, shape ``(4,)`` or ``(..., 4)``, broadcastable against ``boxes_a``.

    Returns:
        The IoUs, shape ``broadcast(a.shape[:-1], b.shape[:-1])``; a Python float when both
        arguments are single boxes.
    """
    a = as_boxes(boxes_a, "boxes_a")
    b = as_boxes(boxes_b, "boxes_b")
    try:
        np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ValueError(f"boxes_a and boxes_b must hold matching numbers of boxes, got shapes "
                         f"{a.shape} and {b.shape}; use pairwise_iou for all pairs") from None
    out = _iou(a, b)
    return float(out) if out.ndim == 0 else out


def pairwise_iou(boxes_a: Any, boxes_b: Any) -> np.ndarray:
    """IoU of every box in ``boxes_a`` with every box in ``boxes_b``.

    Args:
        boxes_a: ``n`` boxes in corner form, shape ``(n, 4)`` (or one box, shape ``(4,)``).
        boxes_b: ``m`` boxes in corner form, shape ``(m, 4)`` (or one box, shape ``(4,)``).

    Returns:
        Shape ``(n, m)``: entry ``[i, j]`` is ``iou(boxes_a[i], boxes_b[j])``.
    """
    a = as_boxes(boxes_a, "boxes_a")
    b = as_boxes(boxes_b, "boxes_b")
    for arr, name in ((a, "boxes_a"), (b, "boxes_b")):
        if arr.ndim > 2:
            raise ValueError(f"{name} must have shape (4,) or (n, 4), got shape {arr.shape}")
    a, b = a.reshape(-1, 4), b.reshape(-1, 4)
    return _iou(a[:, None, :], b[None, :, :])


def anchor_grid(
    image_size: int | tuple[int, int],
    stride: int,
    sizes: Sequence[float],
    aspect_ratios: Sequence[float] = (1.0,),
) -> np.ndarray:
    """Anchor boxes, in corner form, centred on a regular grid over an image.

    The image is cut into cells of ``stride x stride`` pixels; at the centre of each cell
    sits one anchor per (size, aspect ratio) pair. An anchor of size ``s`` and aspect ratio
    ``r`` (width / height) has width ``s * sqrt(r)`` and height ``s / sqrt(r)``, so its area
    is ``s**2`` whatever ``r``. Anchors near the border may stick out of the image.

    Args:
        image_size: ``size`` for a square image, or ``(height, width)``, in pixels.
        stride: cell size in pixels. The grid has ``height // stride`` rows and
            ``width // stride`` columns (a remainder at the bottom or right gets no cells).
        sizes: anchor sizes in pixels (positive).
        aspect_ratios: width / height ratios (positive).

    Returns:
        Shape ``(rows * cols * len(sizes) * len(aspect_ratios), 4)``, ordered by grid row,
        then column, then size, then aspect ratio.
    """
    if isinstance(image_size, (tuple, list)):
        if len(image_size) != 2:
            raise ValueError(f"image_size must be an int or (height, width), got {image_size!r}")
        height, width = (_positive_int(v, "image_size") for v in image_size)
    else:
        height = width = _positive_int(image_size, "image_size")
    stride = _positive_int(stride, "stride")
    if stride > min(height, width):
        raise ValueError(f"stride ({stride}) must not exceed the image size ({height} x {width})")
    sizes_arr = _positive_values(sizes, "sizes")
    ratios_arr = _positive_values(aspect_ratios, "aspect_ratios")

    rows, cols = height // stride, width // stride
    cy, cx = np.meshgrid((np.arange(rows) + 0.5) * stride, (np.arange(cols) + 0.5) * stride,
                         indexing="ij")
    w = (sizes_arr[:, None] * np.sqrt(ratios_arr)[None, :]).ravel()  # size-major, ratio-minor
    h = (sizes_arr[:, None] / np.sqrt(ratios_arr)[None, :]).ravel()
    centers = np.stack([
        np.repeat(cx.ravel(), len(w)), np.repeat(cy.ravel(), len(w)),
        np.tile(w, rows * cols), np.tile(h, rows * cols),
    ], axis=1)
    return centers_to_corners(centers)


def nms(
    boxes: Any,
    scores: Any,
    iou_threshold: float = 0.5,
    max_outputs: int | None = None,
) -> np.ndarray:
    """Greedy non-maximum suppression: keep the best box, drop its near-duplicates, repeat.

    Boxes are visited from the highest score down (ties: lower index first). A box is kept
    unless its IoU with a box kept before it is strictly greater than ``iou_threshold``.

    Args:
        boxes: candidate boxes in corner form, shape ``(n, 4)``; ``n`` may be 0.
        scores: one score per box, shape ``(n,)``.
        iou_threshold: overlap above which a lower-scoring box is suppressed, in ``[0, 1]``.
        max_outputs: stop after keeping this many boxes (all that survive when ``None``).

    Returns:
        Indices of the kept boxes into ``boxes``, as an int array, highest score first.
    """
    b = as_boxes(boxes, "boxes")
    if b.ndim != 2:
        raise ValueError(f"boxes must have shape (n, 4), got shape {b.shape}")
    if isinstance(scores, (str, bytes)) or scores is None:
        raise TypeError(f"scores must be an array of numbers, got {type(scores).__name__}")
    s = np.asarray(scores)
    if s.dtype.kind not in "biuf":
        raise TypeError(f"scores must hold real numbers, got dtype {s.dtype}")
    if s.shape != (len(b),):
        raise ValueError(f"scores must hold one score per box, shape ({len(b)},), "
                         f"got shape {s.shape}")
    if not np.all(np.isfinite(s)):
        raise ValueError("scores contains NaN or infinite values")
    if isinstance(iou_threshold, bool) or not isinstance(iou_threshold, (int, float, np.number)):
        raise TypeError(f"iou_threshold must be a number, got {type(iou_threshold).__name__}")
    if not 0 <= iou_threshold <= 1:
        raise ValueError(f"iou_threshold must be in [0, 1], got {iou_threshold}")
    if max_outputs is not None:
        max_outputs = _positive_int(max_outputs, "max_outputs")

    order = np.argsort(-s.astype(np.float64), kind="stable")
    overlaps = _iou(b[:, None, :], b[None, :, :])
    keep: list[int] = []
    suppressed = np.zeros(len(b), bool)
    for i in order:
        if suppressed[i]:
            continue
        keep.append(int(i))
        if max_outputs is not None and len(keep) == max_outputs:
            break
        suppressed |= overlaps[i] > iou_threshold
    return np.asarray(keep, dtype=int)


def _positive_values(values: Any, name: str) -> np.ndarray:
    arr = np.atleast_1d(as_numeric(values, name))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must hold positive numbers, got {arr.tolist()}")
    return arr.astype(np.float64)
