"""download() against a real HTTP server on 127.0.0.1, one test per fault.

Each test records its case and outcome; tests/conftest.py prints them as a table at the
end of the run.
"""
import http.client
import multiprocessing
import os
import socket
import ssl
import time

import pytest

from local.lib import download as download_module
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


@pytest.fixture
def waits(monkeypatch):
    """The waits download() asks for before retrying, recorded instead of slept."""
    recorded = []
    monkeypatch.setattr(download_module, "_sleep", recorded.append)
    return recorded


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


def test_a_corrupt_cached_file_is_moved_aside_and_fetched_again(server, cache, case):
    cache.mkdir()
    bad = BODY[:-1] + b"X"
    (cache / "data.bin").write_bytes(bad)
    with pytest.warns(UserWarning, match="moved it to") as record:
        path = mlutils.download(f"{server.base}/ok/data.bin", SHA256)
    assert path.read_bytes() == BODY and server.hits["/ok/data.bin"] == 1
    aside = cache / "data.bin.mismatch-1"
    assert aside.read_bytes() == bad  # kept for inspection, not deleted
    message = str(record[0].message)
    assert str(cache / "data.bin") in message and str(aside) in message
    case("corrupt file in the cache", "checksum mismatch; moved aside (named in a warning); "
                                      "fetched again")


def test_429_waits_for_retry_after_then_succeeds(server, cache, case, waits):
    path = mlutils.download(f"{server.base}/429-once/data.bin", SHA256)
    assert path.read_bytes() == BODY and server.hits["/429-once/data.bin"] == 2
    assert waits == [2.0]  # the server's Retry-After: 2
    path.unlink()
    mlutils.download(f"{server.base}/429-date-once/data.bin", SHA256)
    assert waits == [2.0, 0.0]  # an HTTP date already past: retry at once
    case("HTTP 429 with Retry-After, once", "waited as asked (2 s; a past date: 0 s); "
                                            "retried; correct file")


def test_429_with_a_long_retry_after_gives_up_at_once(server, cache, case, waits):
    url = f"{server.base}/429-long/data.bin"
    with pytest.raises(DownloadError, match=f"{url}: HTTP 429.*retry after 3600 s"):
        mlutils.download(url, SHA256)
    assert waits == [] and server.hits["/429-long/data.bin"] == 1 and leftovers(cache) == []
    case("HTTP 429, Retry-After 3600 s", "DownloadError at once naming URL and the wait")


def test_503_once_is_retried_after_a_backoff(server, cache, case, waits):
    path = mlutils.download(f"{server.base}/503-once/data.bin", SHA256)
    assert path.read_bytes() == BODY and server.hits["/503-once/data.bin"] == 2
    assert waits == [download_module.BACKOFF]
    case("HTTP 503 (no Retry-After), once", "retried after a 1 s backoff; correct file")


def test_503_forever_gives_up_naming_the_url_and_the_attempts(server, cache, case, waits):
    url = f"{server.base}/503-always/data.bin"
    with pytest.raises(DownloadError, match=f"could not download {url}: HTTP 503 .*"
                                            "tried 3 times"):
        mlutils.download(url, SHA256, retries=2)
    assert server.hits["/503-always/data.bin"] == 3 and list(cache.iterdir()) == []
    b = download_module.BACKOFF
    assert waits == [b, 2 * b]  # no wait after the last attempt
    case("HTTP 503, always", "DownloadError after 3 tries (backoff 1 s, 2 s); cache empty")


def test_a_real_backoff_is_short_and_bounded(server, cache, monkeypatch):
    monkeypatch.setattr(download_module, "BACKOFF", 0.05)
    start = time.monotonic()
    with pytest.raises(DownloadError, match="tried 3 times"):
        mlutils.download(f"{server.base}/503-always/data.bin", SHA256, retries=2)
    assert 0.15 <= time.monotonic() - start < 2.0  # slept 0.05 s + 0.1 s


def test_a_connection_closed_before_the_answer_is_retried(server, cache, case):
    path = mlutils.download(f"{server.base}/close-once/data.bin", SHA256)
    assert path.read_bytes() == BODY and server.hits["/close-once/data.bin"] == 2
    case("closed before answering, once", "retried (RemoteDisconnected); correct file")


def test_a_garbled_status_line_names_the_url_and_is_not_retried(server, cache, case):
    url = f"{server.base}/garbled/data.bin"
    with pytest.raises(DownloadError, match=f"could not download {url}: .*not valid HTTP "
                                            r"\(BadStatusLine"):
        mlutils.download(url, SHA256)
    assert server.hits["/garbled/data.bin"] == 1 and list(cache.iterdir()) == []
    case("garbled status line", "DownloadError naming URL (BadStatusLine); not retried")


@pytest.mark.parametrize("error", [
    http.client.LineTooLong("header line"),
    ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"),
    http.client.InvalidURL("URL can't contain control characters"),
], ids=["LineTooLong", "SSLError", "InvalidURL"])
def test_other_http_client_and_ssl_errors_name_the_url(cache, monkeypatch, case, error):
    calls = []

    def urlopen(url, timeout):
        calls.append(url)
        raise error
    monkeypatch.setattr(download_module.urllib.request, "urlopen", urlopen)
    url = "https://127.0.0.1:9/data.bin"  # never contacted: urlopen is replaced
    with pytest.raises(DownloadError, match=f"could not download {url}"):
        mlutils.download(url, SHA256)
    assert calls == [url] and list(cache.iterdir()) == []
    case(f"{type(error).__name__} from urlopen", "DownloadError naming URL; not retried")


def test_tls_to_a_plain_http_server_names_the_url(server, cache, case):
    url = f"https://{server.base[len('http://'):]}/ok/data.bin"
    with pytest.raises(DownloadError, match=f"could not download {url}: TLS error"):
        mlutils.download(url, SHA256)
    assert list(cache.iterdir()) == []
    case("https:// to a plain HTTP server", "DownloadError naming URL (ssl.SSLError)")


def test_control_characters_in_the_url_name_the_url(server, cache):
    url = f"{server.base}/ok/da ta.bin"
    with pytest.raises(DownloadError, match="invalid URL"):
        mlutils.download(url, SHA256, filename="data.bin")
    assert server.hits == {}


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
    ({"url": "http://x/y", "sha256": SHA256, "timeout": True}, "timeout must be"),
    ({"url": "http://x/y", "sha256": SHA256, "timeout": float("inf")}, "timeout must be"),
    ({"url": "http://x:port/y", "sha256": SHA256}, "url is not a valid address"),
    ({"url": "http:///y", "sha256": SHA256}, "url has no host name"),
    ({"url": "http://x/y", "sha256": SHA256, "filename": 5}, "filename must be a str"),
    ({"url": "http://x/y", "sha256": SHA256, "filename": "a/b"}, "filename 'a/b' is not"),
    ({"url": "http://x/y", "sha256": SHA256, "cache_dir": 5}, "cache_dir must be a path"),
])
def test_bad_arguments_are_named(kwargs, message, cache):
    with pytest.raises((ValueError, TypeError), match=message):
        mlutils.download(**kwargs)
    assert not cache.exists()  # refused before touching the cache or the network


def test_the_default_cache_folder_comes_from_settings(server, cache, monkeypatch, tmp_path):
    from local.lib import settings

    elsewhere = tmp_path / "from-settings"
    monkeypatch.setattr(settings, "cache_dir", lambda: elsewhere)
    assert mlutils.download(f"{server.base}/ok/data.bin", SHA256) == elsewhere / "data.bin"
