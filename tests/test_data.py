"""The shapes generator and its HDF5 cache file."""
import functools
import hashlib
import time
import warnings

import h5py
import numpy as np
import pytest

from local.lib import data, mlutils


@functools.lru_cache(maxsize=None)
def shapes(n, size, seed):
    """make_shapes, once per parameter set in this module (the 3,004-image sets take ~1 s)."""
    arrays = mlutils.make_shapes(n, size, seed)
    for a in arrays.values():
        a.setflags(write=False)
    return arrays


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
    with pytest.raises(TypeError, match="seed must be a non-negative int"):
        mlutils.make_shapes(10, seed="0")
    with pytest.raises(ValueError, match="seed must be a non-negative int, got -1"):
        mlutils.make_shapes(10, seed=-1)
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        mlutils.shapes_h5(10, seed=-1)


def test_shapes_h5_writes_once_with_the_seed_keys(cache):
    path = mlutils.shapes_h5(n=30, seed=2)
    assert path.parent == cache
    with h5py.File(path, "r") as f:
        assert set(f) == {"x", "y", "masks", "boxes"}
        stored = {k: f[k][:] for k in f}
        attrs = dict(f.attrs)
    assert digest(stored) == digest(mlutils.make_shapes(30, seed=2))
    assert attrs["sha256"] == data.content_sha256(stored)
    assert (attrs["n"], attrs["size"], attrs["seed"]) == (30, 32, 2)
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
    assert digest(shapes(3004, 32, 0)) == EXPECTED_3004


EXPECTED_3004 = "c34eec279c8bd877373dc3123e806c5f8092c692430d2342f6984138b922fa6d"



# A cached file is verified on every call, not trusted by its name.

def flip_a_byte_in(path, key="x"):
    """Change one byte inside the stored (compressed) data of dataset ``key``."""
    with h5py.File(path, "r") as f:
        chunk = f[key].id.get_chunk_info(0)
    where = chunk.byte_offset + chunk.size // 2
    with open(path, "r+b") as out:
        out.seek(where)
        byte = out.read(1)
        out.seek(where)
        out.write(bytes([byte[0] ^ 0xFF]))


def call_expecting_one_warning(match, **kwargs):
    with pytest.warns(UserWarning, match=match) as record:
        path = mlutils.shapes_h5(**kwargs)
    assert len(record) == 1, [str(w.message) for w in record]
    return path, str(record[0].message)


def test_a_corrupted_byte_is_caught_moved_aside_and_the_file_made_again(cache):
    path = mlutils.shapes_h5(n=30, seed=2)
    good = path.read_bytes()
    flip_a_byte_in(path)
    path2, message = call_expecting_one_warning("failed verification", n=30, seed=2)
    aside = cache / f"{path.name}.corrupt-1"
    assert path2 == path and path.read_bytes() == good
    assert aside.exists() and aside.read_bytes() != good
    assert str(path) in message and str(aside) in message
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mlutils.shapes_h5(n=30, seed=2) == path  # now verified: no warning
    # a second bad copy is moved beside the first, not over it
    flip_a_byte_in(path, "masks")
    call_expecting_one_warning("corrupt-2", n=30, seed=2)
    assert aside.exists() and (cache / f"{path.name}.corrupt-2").exists()


def test_a_file_that_is_not_hdf5_is_moved_aside(cache):
    cache.mkdir()
    path = cache / f"shapes-v{data.GENERATOR_VERSION}-n30-s32-seed2.h5"
    path.write_bytes(b"not an HDF5 file")
    _, message = call_expecting_one_warning("cannot be read", n=30, seed=2)
    assert (cache / f"{path.name}.corrupt-1").read_bytes() == b"not an HDF5 file"
    with h5py.File(path, "r") as f:
        assert data.content_sha256(f) == data.content_sha256(shapes(30, 32, 2))


def write_file(path, arrays, n, size, seed, digest_of=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(path, "w") as f:
        for key, value in arrays.items():
            f.create_dataset(key, data=value)
        f.attrs.update({"n": n, "size": size, "seed": seed,
                        "generator_version": data.GENERATOR_VERSION})
        if digest_of is not None:
            f.attrs["sha256"] = data.content_sha256(digest_of)


def test_a_self_consistent_file_with_other_images_is_caught_by_the_table(cache, monkeypatch):
    monkeypatch.setitem(data.EXPECTED_SHA256, (30, 32, 2),
                        data.content_sha256(shapes(30, 32, 2)))
    path = cache / f"shapes-v{data.GENERATOR_VERSION}-n30-s32-seed2.h5"
    other = shapes(30, 32, 3)  # right shapes and dtypes, wrong images; checksum matches them
    write_file(path, other, 30, 32, 2, digest_of=other)
    _, message = call_expecting_one_warning("the data set the chapters use", n=30, seed=2)
    assert (cache / f"{path.name}.corrupt-1").exists()
    with h5py.File(path, "r") as f:
        assert data.content_sha256(f) == data.EXPECTED_SHA256[(30, 32, 2)]


def test_a_file_for_other_parameters_is_caught_by_its_attributes(cache):
    path = cache / f"shapes-v{data.GENERATOR_VERSION}-n30-s32-seed2.h5"
    other = shapes(30, 32, 3)
    write_file(path, other, 30, 32, 3, digest_of=other)  # a seed-3 file under seed 2's name
    call_expecting_one_warning("seed attribute is 3, expected 2", n=30, seed=2)


def test_a_file_without_checksum_is_accepted_only_when_the_table_vouches_for_it(cache, monkeypatch):
    monkeypatch.setitem(data.EXPECTED_SHA256, (30, 32, 2),
                        data.content_sha256(shapes(30, 32, 2)))
    path = cache / f"shapes-v{data.GENERATOR_VERSION}-n30-s32-seed2.h5"
    write_file(path, shapes(30, 32, 2), 30, 32, 2)  # as written before files had a checksum
    mtime = path.stat().st_mtime_ns
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mlutils.shapes_h5(n=30, seed=2) == path and path.stat().st_mtime_ns == mtime
    path4 = cache / f"shapes-v{data.GENERATOR_VERSION}-n30-s32-seed4.h5"
    write_file(path4, shapes(30, 32, 2), 30, 32, 4)  # not in the table: nothing vouches
    call_expecting_one_warning("file records None", n=30, seed=4)


def test_a_generator_that_cannot_reproduce_the_table_warns_once(cache, monkeypatch):
    monkeypatch.setitem(data.EXPECTED_SHA256, (30, 32, 2), "f" * 64)  # as with another NumPy
    path, message = call_expecting_one_warning("printed results may differ", n=30, seed=2)
    assert "f" * 64 in message
    mtime = path.stat().st_mtime_ns
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the file is marked: not rejected on every call
        assert mlutils.shapes_h5(n=30, seed=2) == path and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in cache.iterdir()) == [path.name]


@pytest.mark.parametrize("params", sorted(data.EXPECTED_SHA256),
                         ids=lambda p: "n{}-s{}-seed{}".format(*p))
def test_the_table_of_expected_digests_is_current(params):
    """Regenerates every tabled data set (about 1 s each), so the table cannot go stale."""
    assert data.content_sha256(shapes(*params)) == data.EXPECTED_SHA256[params]


def test_verifying_the_chapters_file_takes_well_under_a_second(cache, record_property):
    path = cache / f"shapes-v{data.GENERATOR_VERSION}-n3004-s32-seed0.h5"
    data._write(path, shapes(3004, 32, 0), 3004, 32, 0)  # what shapes_h5() writes
    mtime = path.stat().st_mtime_ns
    times = []  # CPU seconds of this process: not inflated when others load the machine
    for _ in range(3):
        start = time.process_time()
        assert mlutils.shapes_h5() == path
        times.append(time.process_time() - start)
    assert path.stat().st_mtime_ns == mtime  # verified, not made again
    record_property("shapes_h5-verify-seconds", round(min(times), 3))
    assert min(times) < 1.0, times  # measured: about 0.17 s on an idle machine
