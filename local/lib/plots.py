"""Plots the chapters share: 2-D data, decision boundaries, training curves, image grids."""
from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from . import checks

#: One color per class, in label order (color-blind friendly).
CLASS_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")


def plot_2Ddata(X: Any, y: Any, ax: Axes | None = None, alpha: float = 0.8) -> Axes:
    """Scatter 2-D points coloured by class.

    Args:
        X: points, shape ``(n, 2)``.
        y: integer class labels, shape ``(n,)``.
        ax: axes to draw on; a new figure is made when omitted.
        alpha: point opacity.

    Returns:
        The axes drawn on.
    """
    X = checks.as_points(X)
    y = checks.as_labels(y, len(X))
    ax = ax if ax is not None else plt.figure(figsize=(5, 4)).gca()
    for i, label in enumerate(np.unique(y)):
        sel = y == label
        ax.scatter(X[sel, 0], X[sel, 1], s=14, alpha=alpha, label=f"class {label}",
                   color=CLASS_COLORS[i % len(CLASS_COLORS)], edgecolors="white", linewidths=0.3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="best", fontsize=8)
    return ax


def plot_2Ddata_with_boundary(
    predict: Callable[[np.ndarray], Any],
    X: Any,
    y: Any,
    ax: Axes | None = None,
    resolution: int = 200,
    margin: float = 0.5,
) -> tuple[float, ...]:
    """Draw the regions a classifier gives to each class, with the data on top.

    ``predict`` is called once, on a ``resolution x resolution`` grid covering the data
    (plus ``margin``). It may return labels, shape ``(m,)``, or class scores, shape
    ``(m, k)``, whose argmax is taken.

    Args:
        predict: function from an ``(m, 2)`` array of points to labels or scores.
        X: points, shape ``(n, 2)``.
        y: integer class labels, shape ``(n,)``.
        ax: axes to draw on; a new figure is made when omitted.
        resolution: grid points per axis.
        margin: how far the grid extends beyond the data, in data units.

    Returns:
        The fraction of the grid given to each class in ``np.unique(y)``, in that order.
    """
    if not callable(predict):
        raise TypeError(
            f"predict must be callable (a function from points to labels), "
            f"got {type(predict).__name__}"
        )
    X = checks.as_points(X)
    y = checks.as_labels(y, len(X))
    resolution = checks.positive_int(resolution, "resolution")
    if not np.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be a non-negative number, got {margin}")

    x0 = np.linspace(X[:, 0].min() - margin, X[:, 0].max() + margin, resolution)
    x1 = np.linspace(X[:, 1].min() - margin, X[:, 1].max() + margin, resolution)
    g0, g1 = np.meshgrid(x0, x1)
    grid = np.column_stack([g0.ravel(), g1.ravel()]).astype("float32")
    pred = _labels_from(predict(grid), len(grid))

    classes = np.unique(y)
    fractions = tuple(float(np.mean(pred == c)) for c in classes)
    ax = ax if ax is not None else plt.figure(figsize=(5, 4)).gca()
    # Map each label to its position in `classes` so colors match plot_2Ddata.
    index = np.searchsorted(classes, pred.clip(classes.min(), classes.max()))
    cmap = ListedColormap([CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(len(classes))])
    ax.contourf(g0, g1, index.reshape(g0.shape), levels=np.arange(len(classes) + 1) - 0.5,
                cmap=cmap, alpha=0.25)
    plot_2Ddata(X, y, ax=ax)
    return fractions


def _labels_from(output: Any, n: int) -> np.ndarray:
    try:
        out = np.asarray(output)
    except (ValueError, TypeError):
        raise ValueError("predict must return an array of labels or scores, "
                         f"got a ragged {type(output).__name__}") from None
    if out.dtype.kind == "f" and not np.all(np.isfinite(out)):
        raise ValueError("predict returned NaN or infinite values")
    if out.ndim == 2 and out.shape[0] == n and out.shape[1] > 0:
        out = out.argmax(axis=1)
    if out.shape != (n,):
        raise ValueError(
            f"predict must return {n} labels (shape ({n},)) or scores (shape ({n}, k)) "
            f"for the {n} grid points, got shape {out.shape}"
        )
    if out.dtype.kind not in "biuf":
        raise TypeError(f"predict must return numbers, got dtype {out.dtype}")
    return out.astype(int)


def plot_history(
    history: Any,
    metrics: Sequence[str] = ("loss", "accuracy"),
    axes: Sequence[Axes] | None = None,
    label: str | None = None,
) -> list[Axes]:
    """Plot training curves, one panel per metric, with validation curves when present.

    Args:
        history: a Keras ``History`` (``model.fit``'s return value) or its ``.history`` dict.
        metrics: metric names to plot, e.g. ``("loss", "accuracy")``.
        axes: one axes per metric, to overlay several runs; new ones are made when omitted.
        label: name of this run in the legend.

    Returns:
        The axes, one per metric.
    """
    hist: Mapping[str, Sequence[float]] = getattr(history, "history", history)
    if not isinstance(hist, Mapping):
        raise TypeError(f"history must be a Keras History or a dict, got {type(history).__name__}")
    if isinstance(metrics, str):
        metrics = (metrics,)
    missing = [m for m in metrics if m not in hist]
    if missing:
        raise ValueError(f"history has no {missing}; it has {sorted(hist)}")
    if axes is None:
        _, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.2), squeeze=False)
        axes = list(axes[0])
    elif len(axes) != len(metrics):
        raise ValueError(f"axes must hold one axes per metric ({len(metrics)}), got {len(axes)}")
    prefix = f"{label}: " if label else ""
    for ax, m in zip(axes, metrics):
        values = np.asarray(hist[m], dtype=float)
        epochs = np.arange(1, len(values) + 1)
        (line,) = ax.plot(epochs, values, marker="o", ms=3, label=f"{prefix}train")
        if f"val_{m}" in hist:
            ax.plot(epochs, np.asarray(hist[f"val_{m}"], dtype=float), ls="--",
                    color=line.get_color(), label=f"{prefix}validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(m)
        ax.legend(fontsize=8)
    return list(axes)


def show_images(
    images: Any,
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    size: float = 1.4,
) -> np.ndarray:
    """Show a grid of images (values in [0, 1], or any range for single-channel images).

    Args:
        images: shape ``(n, h, w)`` or ``(n, h, w, 1|3)``.
        titles: one title per image.
        ncols: images per row.
        size: width of one image, in inches.

    Returns:
        The array of axes.
    """
    imgs = checks.as_images(images)
    ncols = checks.positive_int(ncols, "ncols")
    n = len(imgs)
    if titles is not None and len(titles) != n:
        raise ValueError(f"titles must hold one title per image ({n}), got {len(titles)}")
    if imgs.ndim == 4 and imgs.shape[-1] == 3 and (imgs.min() < 0 or imgs.max() > 1):
        raise ValueError("RGB images must have values in [0, 1]; divide uint8 images by 255")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.2 * nrows),
                             squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k < n:
            img = imgs[k][..., 0] if imgs.ndim == 4 and imgs.shape[-1] == 1 else imgs[k]
            ax.imshow(img, cmap="gray" if img.ndim == 2 else None, interpolation="nearest")
            if titles is not None:
                ax.set_title(titles[k], fontsize=8)
    fig.tight_layout()
    return axes
