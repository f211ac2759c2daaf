"""download() against a real HTTP server on 127.0.0.1, one test per fault.

Each test records its case and outcome; tests/conftest.py prints them as a table at the
end of the run.
"""
import multiprocessing
import os
import socket
import time

import pytest

from local.lib import mlutils
from local.lib.download import DownloadError

from httpserver import BODY, SHA256, FaultServer

WRONG = "0" * 64


@pytest.fixture
def server():
    with FaultServer(stall_seconds=3.0) as srv:
        yield srv


@pytest.fixture
def case(record_property):
    def record(name, outcome):
        record_property("download-case", (name, outcome))
    return record


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != "data.bin")


def test_success_is_cached_and_not_fetched_again(server, cache, case):
    path = mlutils.download(f"{server.base}/ok/data.bin", SHA256)
    assert path == cache / "data.bin" and path.read_bytes() == BODY
    mlutils.download(f"{server.base}/ok/data.bin", SHA256)
    assert server.hits["/ok/data.bin"] == 1
    case("200, then again", "downloaded once, second call served from the cache")


@pytest.mark.parametrize("code", [404, 500])
def test_http_errors_name_the_url_and_cache_nothing(server, cache, case, code):
    url = f"{server.base}/{code}/data.bin"
    with pytest.raises(DownloadError, match=f"{url}: HTTP {code}"):
        mlutils.download(url, SHA256)
    assert list(cache.iterdir()) == []
    assert server.hits[f"/{code}/data.bin"] == 1  # an HTTP error is not retried
    case(f"HTTP {code}", "DownloadError naming URL and status; cache empty")


@pytest.mark.parametrize("route", ["drop-once", "short-once"])
def test_a_broken_body_leaves_no_partial_file_and_a_retry_succeeds(server, cache, case, route):
    path = mlutils.download(f"{server.base}/{route}/data.bin", SHA256, retries=1)
    assert path.read_bytes() == BODY and leftovers(cache) == []
    assert server.hits[f"/{route}/data.bin"] == 2
    what = "dropped mid-body" if route == "drop-once" else "body shorter than Content-Length"
    case(f"{what}, once", "retried; correct file; no partial file")


def test_a_body_that_always_breaks_fails_after_the_retries(server, cache, case):
    url = f"{server.base}/drop-always/data.bin"
    with pytest.raises(DownloadError, match="tried 3 times"):
        mlutils.download(url, SHA256, retries=2)
    assert list(cache.iterdir()) == [] and server.hits["/drop-always/data.bin"] == 3
    case("dropped mid-body, always", "DownloadError after 3 tries; cache empty")


def test_wrong_checksum_rejects_the_file_and_shows_both_hashes(server, cache, case):
    with pytest.raises(DownloadError, match=f"expected sha256 {WRONG}, got {SHA256}"):
        mlutils.download(f"{server.base}/ok/data.bin", WRONG)
    assert list(cache.iterdir()) == []
    case("wrong checksum", "DownloadError with expected and actual hash; nothing kept")


def test_a_stalled_server_times_out_within_the_limit(server, cache, case):
    start = time.monotonic()
    with pytest.raises(DownloadError, match="no answer within 0.5 s"):
        mlutils.download(f"{server.base}/stall/data.bin", SHA256, timeout=0.5, retries=1)
    elapsed = time.monotonic() - start
    assert elapsed < 2.5  # two attempts of 0.5 s each, plus slack; the server stalls 3 s each
    assert list(cache.iterdir()) == []
    case("server stalls after headers", f"DownloadError after 2 x 0.5 s timeouts ({elapsed:.1f} s)")


def test_redirects_are_followed(server, cache, case):
    path = mlutils.download(f"{server.base}/redirect/data.bin", SHA256)
    assert path.read_bytes() == BODY
    path.unlink()
    path = mlutils.download(f"{server.base}/hop/5/data.bin", SHA256)
    assert path.read_bytes() == BODY
    case("302 redirect, and a chain of 5", "followed; correct file")


def test_a_redirect_loop_is_bounded(server, cache, case):
    with pytest.raises(DownloadError, match="/loop/data.bin"):
        mlutils.download(f"{server.base}/loop/data.bin", SHA256)
    assert server.hits["/loop/data.bin"] <= 11
    case("redirect loop", f"DownloadError after {server.hits['/loop/data.bin']} requests")


def test_a_corrupt_cached_file_is_detected_and_fetched_again(server, cache, case):
    cache.mkdir()
    (cache / "data.bin").write_bytes(BODY[:-1] + b"X")
    path = mlutils.download(f"{server.base}/ok/data.bin", SHA256)
    assert path.read_bytes() == BODY and server.hits["/ok/data.bin"] == 1
    case("corrupt file in the cache", "checksum mismatch detected; fetched again")


def _download_in_child(url, folder, queue):
    os.environ["MLUTILS_CACHE_DIR"] = folder
    try:
        queue.put(str(mlutils.download(url, SHA256, timeout=10)))
    except Exception as exc:  # pragma: no cover - reported to the parent
        queue.put(repr(exc))


def test_two_processes_downloading_the_same_file(server, cache, case):
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    url = f"{server.base}/slow/data.bin"  # slow, so that the two downloads overlap
    procs = [ctx.Process(target=_download_in_child, args=(url, str(cache), queue))
             for _ in range(2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert results == [str(cache / "data.bin")] * 2
    assert (cache / "data.bin").read_bytes() == BODY and leftovers(cache) == []
    case("two processes at once", f"both got the correct file ({server.hits[url[len(server.base):]]} requests)")


def test_offline_error_names_the_url(cache, case):
    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/data.bin"
    with pytest.raises(DownloadError, match=f"could not download {url}.*offline"):
        mlutils.download(url, SHA256)
    case("no server (offline)", "DownloadError naming the URL")


def test_an_uncreatable_cache_folder_is_explained(server, tmp_path, case):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(OSError, match="cannot create the cache folder"):
        mlutils.download(f"{server.base}/ok/data.bin", SHA256, cache_dir=blocker / "cache")
    case("cache folder cannot be created", "OSError naming the folder")


def test_a_read_only_cache_folder_is_explained(server, cache, case, monkeypatch):
    cache.mkdir()
    if os.geteuid() != 0:
        cache.chmod(0o555)
    else:  # root writes anywhere: make the folder refuse new files instead
        import tempfile

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        with pytest.raises(OSError, match="not writable|cannot write to the cache folder"):
            mlutils.download(f"{server.base}/ok/data.bin", SHA256)
    finally:
        cache.chmod(0o755)
    case("read-only cache folder", "OSError naming the folder")


@pytest.mark.parametrize("kwargs, message", [
    ({"url": "ftp://x/y", "sha256": SHA256}, "url must be an http"),
    ({"url": "http://x/y", "sha256": "abc"}, "sha256 must be 64"),
    ({"url": "http://x/", "sha256": SHA256}, "cannot make a file name"),
    ({"url": "http://x/y", "sha256": SHA256, "timeout": 0}, "timeout must be"),
    ({"url": "http://x/y", "sha256": SHA256, "retries": -1}, "retries must be"),
])
def test_bad_arguments_are_named(kwargs, message, cache):
    with pytest.raises(ValueError, match=message):
        mlutils.download(**kwargs)
