"""Argument checks shared by the helpers.

Every public helper validates its inputs with these functions, so that a wrong shape,
a NaN or a mismatched length gives a ``ValueError``/``TypeError`` that names the
argument and says what was expected, instead of a traceback from deep inside NumPy or
Matplotlib.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def as_points(X: Any, name: str = "X") -> np.ndarray:
    """Return ``X`` as a finite float array of shape ``(n, 2)`` with ``n >= 1``."""
    arr = as_numeric(X, name)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must have shape (n_points, 2), got shape {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: it must hold at least one point")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr.astype(float)


def as_labels(y: Any, n: int, name: str = "y") -> np.ndarray:
    """Return ``y`` as a 1-D integer array of length ``n`` (whole-valued floats are accepted)."""
    arr = as_numeric(y, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per point), got shape {arr.shape}")
    if arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} labels but X has {n} points")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must hold whole-number class labels")
    return arr.astype(int)


def as_images(images: Any, name: str = "images") -> np.ndarray:
    """Return a batch of images, shape ``(n, h, w)`` or ``(n, h, w, 1|3)``, as floats."""
    arr = as_numeric(images, name)
    if arr.ndim not in (3, 4) or (arr.ndim == 4 and arr.shape[-1] not in (1, 3)):
        raise ValueError(
            f"{name} must have shape (n, height, width) or (n, height, width, 1 or 3), "
            f"got shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: it must hold at least one image")
    if arr.shape[1] == 0 or arr.shape[2] == 0:
        raise ValueError(f"{name} must be at least 1 x 1 pixels, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr.astype(float)


def positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an ``int`` after checking that it is a positive whole number."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return int(value)


def real_number(value: Any, name: str, low: float | None = None, high: float | None = None,
                low_inclusive: bool = True) -> float:
    """Return ``value`` as a ``float`` after checking that it is one finite real number
    (an int or float, not a bool, a string or an array) within ``low``..``high``.

    ``low`` is excluded when ``low_inclusive`` is false; ``high`` is always included.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                    np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        number = float("inf") if value > 0 else float("-inf")
    if low is not None and high is not None:
        wanted = f"a number in {'[' if low_inclusive else '('}{low:g}, {high:g}]"
    elif low is not None:
        wanted = ("a non-negative number" if low == 0 and low_inclusive else
                  "a positive number" if low == 0 else
                  f"a number {'>=' if low_inclusive else '>'} {low:g}")
    elif high is not None:
        wanted = f"a number <= {high:g}"
    else:
        wanted = "a finite number"
    if (not np.isfinite(number)
            or (low is not None and (number < low or (number == low and not low_inclusive)))
            or (high is not None and number > high)):
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return number


def as_numeric(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as a NumPy array of real numbers (any shape), naming ``name`` if not."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers ({exc})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    return arr
