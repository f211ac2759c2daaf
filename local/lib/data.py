"""Data sets made here, offline and deterministically.

``make_shapes`` draws small RGB images, each holding one circle, square or triangle on a
noisy coloured background, together with the shape's pixel mask and bounding box.
``shapes_h5`` writes such a set once to an HDF5 file in the cache folder (keys ``x``,
``y``, ``masks``, ``boxes``) and returns its path, so chapters read it with h5py.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from . import checks

#: Class names, indexed by label.
SHAPE_CLASSES = ("circle", "square", "triangle")

#: Bump when the drawing code changes: cached files carry it in their name.
GENERATOR_VERSION = 1

#: Squares and triangles are tilted by at most this angle (radians) from upright.
MAX_TILT = 0.25


def cache_dir() -> Path:
    """The folder for downloaded and generated files.

    ``$MLUTILS_CACHE_DIR`` when set, else ``~/.cache/dl-course``. It is not created here.
    """
    env = os.environ.get("MLUTILS_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "dl-course"


def make_shapes(n: int = 3004, size: int = 32, seed: int = 0) -> dict[str, np.ndarray]:
    """Draw ``n`` images of one shape each; the same arguments give byte-identical arrays.

    Each image has a dark background that blends two random colours, plus pixel noise, and one
    shape (circle, square or triangle; squares and triangles tilted up to 0.25 rad) of a
    light colour, 38% to 62% of the image across, fully inside the image.
    Classes are balanced: label ``i % 3`` appears ``n // 3`` or ``n // 3 + 1`` times.

    Args:
        n: number of images.
        size: image height and width in pixels (at least 16).
        seed: seed of the random generator.

    Returns:
        ``x``: uint8 ``(n, size, size, 3)``; ``y``: uint8 ``(n,)`` labels into
        ``SHAPE_CLASSES``; ``masks``: uint8 ``(n, size, size)``, 0 for background and
        ``label + 1`` on the shape; ``boxes``: int16 ``(n, 4)``, the mask's
        ``(x_min, y_min, x_max, y_max)`` in pixels, max exclusive (x is the column).
    """
    n = checks.positive_int(n, "n")
    size = checks.positive_int(size, "size")
    if size < 16:
        raise ValueError(f"size must be at least 16 pixels, got {size}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % len(SHAPE_CLASSES)).astype(np.uint8)
    x = np.empty((n, size, size, 3), np.uint8)
    masks = np.zeros((n, size, size), np.uint8)
    boxes = np.empty((n, 4), np.int16)
    rows, cols = np.mgrid[0:size, 0:size] + 0.5  # pixel centres
    for i in range(n):
        inside = _draw_shape(int(y[i]), rows, cols, size, rng)
        img, colour = _background(rows, cols, size, rng)
        img[inside] = colour
        img += rng.normal(0.0, 0.05, img.shape)
        x[i] = np.round(np.clip(img, 0, 1) * 255).astype(np.uint8)
        masks[i][inside] = y[i] + 1
        r, c = np.nonzero(inside)
        boxes[i] = (c.min(), r.min(), c.max() + 1, r.max() + 1)
    return {"x": x, "y": y, "masks": masks, "boxes": boxes}


def _background(rows, cols, size, rng) -> tuple[np.ndarray, np.ndarray]:
    """A dark two-colour gradient at a random angle, and a light colour for the shape."""
    c0, c1 = rng.uniform(0.0, 0.45, (2, 3))
    angle = rng.uniform(0, 2 * np.pi)
    t = ((np.cos(angle) * cols + np.sin(angle) * rows) / size + 1) / 2  # in [0, 1]
    return c0 + (c1 - c0) * t[..., None], rng.uniform(0.55, 1.0, 3)


def _draw_shape(label, rows, cols, size, rng) -> np.ndarray:
    radius = rng.uniform(0.19 * size, 0.31 * size)  # centre to corner: 12-20 px wide at 32
    cy, cx = rng.uniform(radius + 1, size - radius - 1, 2)
    dy, dx = rows - cy, cols - cx
    if label == 0:  # circle
        return dy**2 + dx**2 <= radius**2
    angle = rng.uniform(-MAX_TILT, MAX_TILT) + (np.pi / 2 if label == 2 else np.pi / 4)
    corners = 4 if label == 1 else 3
    # A regular polygon: inside when on the inner side of every edge.
    inner = radius * np.cos(np.pi / corners)  # distance from centre to each edge
    inside = np.ones(rows.shape, bool)
    for k in range(corners):
        a = angle + 2 * np.pi * (k + 0.5) / corners
        inside &= dx * np.cos(a) + dy * np.sin(a) <= inner
    return inside


def shapes_h5(n: int = 3004, size: int = 32, seed: int = 0) -> Path:
    """Path of an HDF5 file holding ``make_shapes(n, size, seed)``, made on first use.

    The file lives in :func:`cache_dir` and has datasets ``x``, ``y``, ``masks`` and
    ``boxes``. It is written to a temporary name and renamed, so an interrupted run
    never leaves a partial file behind.
    """
    import h5py

    folder = cache_dir()
    path = folder / f"shapes-v{GENERATOR_VERSION}-n{n}-s{size}-seed{seed}.h5"
    if path.exists():
        return path
    arrays = make_shapes(n, size, seed)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
    except OSError as exc:
        raise OSError(f"cannot write to the cache folder {folder} ({exc}); "
                      "set MLUTILS_CACHE_DIR to a writable folder") from None
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            for key, value in arrays.items():
                f.create_dataset(key, data=value, compression="gzip", track_times=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
