"""The shapes generator and its HDF5 cache file."""
import hashlib

import h5py
import numpy as np
import pytest

from local.lib import mlutils


def digest(arrays):
    h = hashlib.sha256()
    for key in sorted(arrays):
        h.update(key.encode() + arrays[key].tobytes())
    return h.hexdigest()


def test_same_seed_gives_byte_identical_arrays():
    assert digest(mlutils.make_shapes(50, seed=3)) == digest(mlutils.make_shapes(50, seed=3))
    assert digest(mlutils.make_shapes(50, seed=3)) != digest(mlutils.make_shapes(50, seed=4))


def test_shapes_dtypes_and_balance():
    d = mlutils.make_shapes(300, seed=0)
    assert d["x"].shape == (300, 32, 32, 3) and d["x"].dtype == np.uint8
    assert d["y"].shape == (300,) and set(np.unique(d["y"])) == {0, 1, 2}
    assert np.bincount(d["y"]).tolist() == [100, 100, 100]
    assert d["masks"].shape == (300, 32, 32) and d["boxes"].shape == (300, 4)


def test_masks_and_boxes_describe_the_drawn_shape():
    d = mlutils.make_shapes(60, seed=1)
    for x, label, mask, box in zip(d["x"], d["y"], d["masks"], d["boxes"]):
        assert set(np.unique(mask)) == {0, label + 1}
        rows, cols = np.nonzero(mask)
        assert tuple(box) == (cols.min(), rows.min(), cols.max() + 1, rows.max() + 1)
        # the shape is lighter than the background on average
        assert x[mask > 0].mean() > x[mask == 0].mean() + 40
        # fully inside the image, 38% to 62% of it wide
        assert 0 < box[0] and box[2] < 32 and 10 <= box[2] - box[0] <= 21


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="n must be a positive int"):
        mlutils.make_shapes(0)
    with pytest.raises(TypeError, match="size must be a positive int"):
        mlutils.make_shapes(10, size=32.0)
    with pytest.raises(ValueError, match="size must be at least 16"):
        mlutils.make_shapes(10, size=8)
    with pytest.raises(TypeError, match="seed must be an int"):
        mlutils.make_shapes(10, seed="0")


def test_shapes_h5_writes_once_with_the_seed_keys(cache):
    path = mlutils.shapes_h5(n=30, seed=2)
    assert path.parent == cache
    with h5py.File(path, "r") as f:
        assert set(f) == {"x", "y", "masks", "boxes"}
        stored = {k: f[k][:] for k in f}
    assert digest(stored) == digest(mlutils.make_shapes(30, seed=2))
    mtime = path.stat().st_mtime_ns
    assert mlutils.shapes_h5(n=30, seed=2) == path and path.stat().st_mtime_ns == mtime
    assert [p.name for p in cache.iterdir()] == [path.name]  # no temporary files left


def test_shapes_h5_unwritable_cache_is_explained(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MLUTILS_CACHE_DIR", str(blocker / "cache"))
    with pytest.raises(OSError, match="MLUTILS_CACHE_DIR"):
        mlutils.shapes_h5(n=3)


def test_chapter_data_set_is_pinned():
    """The 3,004 images the chapters use: a change to the generator must be deliberate
    (bump GENERATOR_VERSION, refresh the notebooks, update this hash)."""
    assert digest(mlutils.make_shapes(3004, seed=0)) == EXPECTED_3004


EXPECTED_3004 = "c34eec279c8bd877373dc3123e806c5f8092c692430d2342f6984138b922fa6d"

