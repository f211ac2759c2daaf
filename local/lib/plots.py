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

#: Most grid points per axis :func:`plot_2Ddata_with_boundary` accepts (4 million in all).
MAX_RESOLUTION = 2000

_FLOAT32_MAX = float(np.finfo(np.float32).max)


def _check_axes(ax: Any, name: str) -> None:
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a Matplotlib Axes or None, got {type(ax).__name__}")


def plot_2Ddata(X: Any, y: Any, ax: Axes | None = None, alpha: float = 0.8) -> Axes:
    """Scatter 2-D points coloured by class.

    Args:
        X: points, shape ``(n, 2)``.
        y: integer class labels, shape ``(n,)``.
        ax: axes to draw on; a new figure is made when omitted.
        alpha: point opacity, in [0, 1].

    Returns:
        The axes drawn on.
    """
    X = checks.as_points(X)
    y = checks.as_labels(y, len(X))
    alpha = checks.real_number(alpha, "alpha", 0, 1)
    _check_axes(ax, "ax")
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
        resolution: grid points per axis, an int from 2 to :data:`MAX_RESOLUTION`.
        margin: how far the grid extends beyond the data, in data units (a finite number,
            at least 0). The grid is passed to ``predict`` as float32, so it must stay
            within float32's range.

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
    if not 2 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be from 2 to {MAX_RESOLUTION} grid points per "
                         f"axis, got {resolution}")
    margin = checks.real_number(margin, "margin", low=0)
    _check_axes(ax, "ax")
    with np.errstate(over="ignore"):
        lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    if not (np.all(np.abs(lo) <= _FLOAT32_MAX) and np.all(np.abs(hi) <= _FLOAT32_MAX)):
        raise ValueError(f"the grid (the range of X plus margin={margin:g} on each side) "
                         f"must lie within +-{_FLOAT32_MAX:.3g}, float32's range: "
                         "make margin smaller or rescale X")

    x0 = np.linspace(lo[0], hi[0], resolution)
    x1 = np.linspace(lo[1], hi[1], resolution)
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
    if not isinstance(metrics, Sequence) or not all(isinstance(m, str) for m in metrics):
        raise TypeError(f"metrics must be a metric name or a sequence of names (str), "
                        f"got {metrics!r}")
    if len(metrics) == 0:
        raise ValueError("metrics must name at least one metric")
    if label is not None and not isinstance(label, str):
        raise TypeError(f"label must be a str or None, got {type(label).__name__}")
    missing = [m for m in metrics if m not in hist]
    if missing:
        raise ValueError(f"history has no {missing}; it has {sorted(map(str, hist))}")
    curves = {}
    for m in metrics:
        curves[m] = _curve(hist[m], f"history[{m!r}]")
        if f"val_{m}" in hist:
            curves[f"val_{m}"] = _curve(hist[f"val_{m}"], f"history['val_{m}']")
            if len(curves[f"val_{m}"]) != len(curves[m]):
                raise ValueError(f"history['val_{m}'] has {len(curves[f'val_{m}'])} values "
                                 f"but history[{m!r}] has {len(curves[m])}")
    if axes is None:
        _, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.2), squeeze=False)
        axes = list(axes[0])
    else:
        axes = list(np.ravel(np.asarray(axes, dtype=object)))
        if len(axes) != len(metrics):
            raise ValueError(f"axes must hold one axes per metric ({len(metrics)}), "
                             f"got {len(axes)}")
        for ax in axes:
            _check_axes(ax, "axes")
    prefix = f"{label}: " if label else ""
    for ax, m in zip(axes, metrics):
        values = curves[m]
        epochs = np.arange(1, len(values) + 1)
        (line,) = ax.plot(epochs, values, marker="o", ms=3, label=f"{prefix}train")
        if f"val_{m}" in curves:
            ax.plot(epochs, curves[f"val_{m}"], ls="--",
                    color=line.get_color(), label=f"{prefix}validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(m)
        ax.legend(fontsize=8)
    return list(axes)


def _curve(values: Any, name: str) -> np.ndarray:
    """One metric's values, one per epoch, as a 1-D float array (NaN allowed: a diverged run)."""
    arr = checks.as_numeric(values, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must hold one number per epoch (1-D), got shape {arr.shape}")
    return arr.astype(float)


def show_images(
    images: Any,
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    size: float = 1.4,
) -> np.ndarray:
    """Show a grid of images (values in [0, 1], or any range for single-channel images).

    Args:
        images: shape ``(n, h, w)`` or ``(n, h, w, 1|3)``.
        titles: one title per image (a list; each is shown with ``str``).
        ncols: images per row (a positive int).
        size: width of one image, in inches (a positive number, at most 20).

    Returns:
        The array of axes.
    """
    imgs = checks.as_images(images)
    ncols = checks.positive_int(ncols, "ncols")
    size = checks.real_number(size, "size", low=0, high=20, low_inclusive=False)
    n = len(imgs)
    if titles is not None:
        if (isinstance(titles, (str, bytes)) or not isinstance(titles, (Sequence, np.ndarray))
                or np.ndim(titles) == 0):
            raise TypeError(f"titles must be a list of titles, one per image, "
                            f"got {type(titles).__name__}")
        if len(titles) != n:
            raise ValueError(f"titles must hold one title per image ({n}), got {len(titles)}")
    if imgs.ndim == 4 and imgs.shape[-1] == 3 and (imgs.min() < 0 or imgs.max() > 1):
        raise ValueError("images in RGB must have values in [0, 1]; "
                         "divide uint8 images by 255")
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
                ax.set_title(str(titles[k]), fontsize=8)
    fig.tight_layout()
    return axes
