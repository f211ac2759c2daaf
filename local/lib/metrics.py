"""Scores of segmentation masks (the box IoU of detection is in :mod:`local.lib.boxes`)."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import checks


def mask_iou(true: Any, pred: Any) -> float:
    """Intersection over union of two boolean masks of the same shape.

    Returns ``nan`` when both masks are empty (no pixel in either: IoU is undefined).
    """
    true, pred = _same_shape(true, pred, "true", "pred")
    if true.dtype != bool or pred.dtype != bool:
        raise TypeError(f"true and pred must be boolean masks, got {true.dtype} and {pred.dtype}")
    union = np.sum(true | pred)
    return float(np.sum(true & pred) / union) if union else float("nan")


def iou_per_class(true_masks: Any, pred_masks: Any, num_classes: int) -> np.ndarray:
    """IoU of each class label ``0 .. num_classes - 1`` over all pixels of two label maps.

    ``nan`` for a class that appears in neither.
    """
    num_classes = checks.positive_int(num_classes, "num_classes")
    true_masks, pred_masks = _same_shape(true_masks, pred_masks, "true_masks", "pred_masks")
    for name, arr in (("true_masks", true_masks), ("pred_masks", pred_masks)):
        if arr.dtype.kind not in "iub":
            raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    return np.array([mask_iou(true_masks == c, pred_masks == c) for c in range(num_classes)])


def _same_shape(a: Any, b: Any, name_a: str, name_b: str) -> tuple[np.ndarray, np.ndarray]:
    a, b = checks.as_numeric(a, name_a), checks.as_numeric(b, name_b)
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError(f"{name_a} is empty")
    return a, b
