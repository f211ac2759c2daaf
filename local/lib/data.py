"""Data sets made here, offline and deterministically.

``make_shapes`` draws small RGB images, each holding one circle, square or triangle on a
noisy coloured background, together with the shape's pixel mask and bounding box.
``shapes_h5`` writes such a set once to an HDF5 file in the cache folder (keys ``x``,
``y``, ``masks``, ``boxes``) and returns its path, so chapters read it with h5py. The
file is verified by a content checksum each time it is asked for (see :func:`shapes_h5`).
The cache folder is :func:`local.lib.settings.cache_dir` (``cache_dir`` is re-exported
here).
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

from . import checks
from .settings import cache_dir, move_aside

#: Class names, indexed by label.
SHAPE_CLASSES = ("circle", "square", "triangle")

#: Bump when the drawing code changes: cached files carry it in their name.
GENERATOR_VERSION = 1

#: Squares and triangles are tilted by at most this angle (radians) from upright.
MAX_TILT = 0.25


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
    seed = _check_seed(seed)
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


#: The arrays of a shapes file, in the order their bytes enter :func:`content_sha256`.
SHAPE_KEYS = ("x", "y", "masks", "boxes")

#: :func:`content_sha256` of ``make_shapes(n, size, seed)`` for the parameter sets the
#: chapters use, keyed by ``(n, size, seed)``: a cached file for these parameters must hold
#: exactly these arrays. Seed 0 is every chapter's default; seed 1 is the parameters example
#: (``-p SEED 1``) of unit 4's chapters 3, 4 and 8, run by tests/test_second_run.py. Other
#: seeds (e.g. sweeps over SEED 0-7) are verified by the file's own checksum only.
#: tests/test_data.py regenerates
#: every entry, so the table cannot go stale: when the generator changes on purpose, bump
#: GENERATOR_VERSION and update the digests here.
EXPECTED_SHA256 = {
    (3004, 32, 0): "70495a4b38fd3f32328b9e34cc5c5603968f148563584f612f1be08572c24541",
    (3004, 32, 1): "253ebe3bbcc91d6815f7bf3caee55f72a1497be647c5d82d3b9a11ffc9d4e38e",
}


def content_sha256(arrays) -> str:
    """SHA-256 of a shapes data set's content, independent of how the file stores it.

    Hashes, for each key of :data:`SHAPE_KEYS` in that order, the key, the array's dtype
    and shape, and its bytes in C order. ``arrays`` maps keys to arrays (a dict from
    :func:`make_shapes`, or an open ``h5py.File``); other keys are ignored.
    """
    digest = hashlib.sha256()
    for key in SHAPE_KEYS:
        arr = np.ascontiguousarray(arrays[key][()])
        digest.update(f"{key}:{arr.dtype.str}:{arr.shape}\n".encode())
        digest.update(arr.data)
    return digest.hexdigest()


def shapes_h5(n: int = 3004, size: int = 32, seed: int = 0) -> Path:
    """Path of an HDF5 file holding ``make_shapes(n, size, seed)``, made on first use.

    The file lives in :func:`local.lib.settings.cache_dir` and has datasets ``x``, ``y``,
    ``masks`` and ``boxes``. It is written to a temporary name and renamed, so an
    interrupted run never leaves a partial file behind.

    A cached file is verified on every call, not trusted by its name: its arrays are read
    and hashed (:func:`content_sha256`, about 0.1 s for the default 3,004 images) and the
    hash must equal the one stored in the file's ``sha256`` attribute when it was written,
    and, for the parameter sets in :data:`EXPECTED_SHA256`, the one in that table (so a file
    that is consistent with itself but holds other images is caught too). The file's
    ``n``, ``size``, ``seed`` and ``generator_version`` attributes must match the call.
    (A file written before files carried these attributes is accepted when its parameters
    are in the table and its arrays match it.)
    A file that fails, or cannot be opened, is renamed to ``<name>.corrupt-<k>`` (kept for
    inspection, never deleted), a warning names both paths, and the file is made again.

    Raises:
        ValueError, TypeError: bad arguments, as :func:`make_shapes`.
        OSError: the cache folder cannot be created or written.
    """
    n = checks.positive_int(n, "n")
    size = checks.positive_int(size, "size")
    seed = _check_seed(seed)
    folder = cache_dir()
    path = folder / f"shapes-v{GENERATOR_VERSION}-n{n}-s{size}-seed{seed}.h5"
    if path.exists():
        problem = _verify(path, n, size, seed)
        if problem is None:
            return path
        aside = move_aside(path)
        if aside is not None:
            warnings.warn(f"the cached data set {path} failed verification ({problem}); "
                          f"moved it to {aside} and made it again", stacklevel=2)
    _write(path, make_shapes(n, size, seed), n, size, seed)
    return path


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be a non-negative int, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed}")
    return int(seed)


def _verify(path: Path, n: int, size: int, seed: int) -> str | None:
    """Why the cached file at ``path`` cannot be trusted, or ``None`` when it can."""
    import h5py

    try:
        with h5py.File(path, "r") as f:
            attrs = {k: v.item() if isinstance(v, np.generic) else v for k, v in f.attrs.items()}
            if sorted(f) != sorted(SHAPE_KEYS):
                return f"it holds datasets {sorted(f)}, expected {sorted(SHAPE_KEYS)}"
            expected = EXPECTED_SHA256.get((n, size, seed))
            legacy = "sha256" not in attrs and expected is not None
            for key, want in (("generator_version", GENERATOR_VERSION), ("n", n),
                              ("size", size), ("seed", seed)):
                if not legacy and attrs.get(key) != want:
                    return f"its {key} attribute is {attrs.get(key)!r}, expected {want!r}"
            actual = content_sha256(f)
    except Exception as exc:  # noqa: BLE001 - any failure to read means "not verified"
        return f"it cannot be read: {type(exc).__name__}: {exc}"
    if legacy:  # written before files carried a checksum: the table alone decides
        if actual == expected:
            return None
        return (f"it has no checksum attribute and its arrays hash to sha256 {actual}, "
                f"but the data set the chapters use hashes to {expected}")
    stored = attrs.get("sha256")
    if isinstance(stored, bytes):
        stored = stored.decode("ascii", "replace")
    if actual != stored:
        return f"its arrays hash to sha256 {actual}, but the file records {stored}"
    if expected is not None and actual != expected:
        if attrs.get("untabled") == _untabled_note(actual, expected):
            return None  # made here, by this NumPy, which cannot reproduce the table (warned)
        return (f"its arrays hash to sha256 {actual}, but the data set the chapters use "
                f"hashes to {expected}")
    return None


def _untabled_note(actual: str, expected: str) -> str:
    return f"numpy {np.__version__} gives {actual}, the table {expected}"


def _write(path: Path, arrays: dict[str, np.ndarray], n: int, size: int, seed: int) -> None:
    import h5py

    digest = content_sha256(arrays)
    attrs = {"sha256": digest, "generator_version": GENERATOR_VERSION,
             "n": n, "size": size, "seed": seed}
    expected = EXPECTED_SHA256.get((n, size, seed))
    if expected is not None and digest != expected:
        # This machine's generator does not reproduce the chapters' data set (another
        # NumPy?). Say so once, and mark the file so that it is not rejected on every call.
        attrs["untabled"] = _untabled_note(digest, expected)
        warnings.warn(f"make_shapes(n={n}, size={size}, seed={seed}) gave data with sha256 "
                      f"{digest}, not the {expected} the chapters were run with (NumPy "
                      f"{np.__version__}); printed results may differ from the book's",
                      stacklevel=3)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise OSError(f"cannot write to the cache folder {folder} ({exc}); "
                      "set MLUTILS_CACHE_DIR to a writable folder") from None
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            for key in SHAPE_KEYS:
                f.create_dataset(key, data=arrays[key], compression="gzip", track_times=False)
            f.attrs.update(attrs)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
