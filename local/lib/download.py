"""Download a file once into the cache folder, verified by its SHA-256.

The course itself never downloads at build or test time; this helper is for readers who
fetch extra data. It is careful because readers' networks are not:

- the body is streamed to a temporary file beside the target and renamed into place only
  after its length and checksum are right, so no partial or wrong file is ever left behind
  (and two processes fetching the same file at once each end with a correct file);
- a file already in the cache is re-hashed; when its hash is not the expected one it is
  renamed to ``<name>.mismatch-<k>`` (kept, never deleted unseen), a warning names both
  paths, and the file is fetched again;
- **retried**, up to ``retries`` more times (``retries + 1`` attempts in all):

  - a connection reset or dropped, before or during the body: a ``ConnectionError``
    other than ``ConnectionRefusedError`` (this includes ``http.client.RemoteDisconnected``,
    a server that closes the connection without answering);
  - a body shorter than its ``Content-Length`` (``http.client.IncompleteRead``);
  - a timeout: no answer within ``timeout`` seconds, at connection or during a read;
  - the HTTP statuses 429 (Too Many Requests) and 503 (Service Unavailable). Before the
    next attempt it waits the server's ``Retry-After`` (seconds, or an HTTP date) when
    that is at most :data:`MAX_RETRY_AFTER` seconds, and gives up at once, with a
    :class:`DownloadError`, when it is longer; without a readable ``Retry-After`` it waits
    :data:`BACKOFF` seconds, then twice that, and so on, each wait at most
    :data:`MAX_RETRY_AFTER`. The other retried failures are retried without waiting.

  When the attempts run out, the :class:`DownloadError` names the URL, the last failure
  and the number of attempts ("tried 3 times").
- **not retried**, raising :class:`DownloadError` naming the URL at once: any other HTTP
  status (404, 500, ...) and redirect loops; an answer that is not valid HTTP (any other
  ``http.client.HTTPException``, e.g. ``BadStatusLine`` for a garbled status line, or
  ``LineTooLong``); a URL that ``http.client`` refuses (``http.client.InvalidURL``, e.g.
  control characters) or a host name that cannot be encoded; a TLS failure
  (``ssl.SSLError``, e.g. an untrusted certificate); a host that cannot be reached (DNS
  failure, connection refused: "are you offline?"); and a file whose checksum is wrong.
- bad arguments (including a URL without a host or with a non-numeric port) raise
  ``ValueError``/``TypeError`` naming the argument, before any network access.
"""
from __future__ import annotations

import email.utils
import hashlib
import http.client
import os
import re
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

from . import settings

#: Longest ``Retry-After`` (seconds) that is waited for; also the cap of the backoff.
MAX_RETRY_AFTER = 10.0

#: First wait before retrying a 429 or 503 without ``Retry-After``; doubled each time.
BACKOFF = 1.0

#: The HTTP statuses that mean "try again later" and are retried.
RETRY_STATUSES = (429, 503)

_sleep = time.sleep  # tests replace it to keep waits short

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 16


class DownloadError(RuntimeError):
    """A download failed; the message names the URL and the reason."""


def sha256sum(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes, as 64 lower-case hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download(
    url: str,
    sha256: str,
    filename: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = 30.0,
    retries: int = 2,
) -> Path:
    """Return the path of ``url``'s file in the cache, downloading it if needed.

    Args:
        url: an ``http://`` or ``https://`` address.
        sha256: the expected SHA-256 of the file (64 hex digits).
        filename: name in the cache; defaults to the last part of the URL's path.
        cache_dir: folder to keep files in; defaults to
            :func:`local.lib.settings.cache_dir` (``$MLUTILS_CACHE_DIR`` or
            ``~/.cache/dl-course``). Created when missing.
        timeout: seconds to wait for the server at connection and for each read.
        retries: extra attempts after a dropped connection, a short body, a timeout, or
            an HTTP 429 or 503 answer (nothing else is retried; see the module docstring).

    Returns:
        The path of the verified file.

    Raises:
        ValueError, TypeError: bad arguments (the message names the argument).
        DownloadError: the server could not be reached, answered with an HTTP error or a
            garbled response, failed TLS, stalled, stayed busy (429/503) through the
            retries, or sent a file whose checksum is not ``sha256``. The message names
            the URL.
        OSError: the cache folder cannot be created or written.

    Warns:
        UserWarning: a file already in the cache did not match ``sha256``; the warning
            names it and the ``<name>.mismatch-<k>`` it was renamed to.
    """
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValueError(f"url must be an http:// or https:// address, got {url!r}")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ValueError(f"url is not a valid address ({exc}): {url!r}") from None
    if not parts.hostname:
        raise ValueError(f"url has no host name: {url!r}")
    if not isinstance(sha256, str) or not _SHA256.match(sha256.lower()):
        raise ValueError(f"sha256 must be 64 hexadecimal digits, got {sha256!r}")
    sha256 = sha256.lower()
    if filename is not None and not isinstance(filename, str):
        raise TypeError(f"filename must be a str or None, got {type(filename).__name__}")
    if cache_dir is not None and not isinstance(cache_dir, (str, os.PathLike)):
        raise TypeError(f"cache_dir must be a path or None, got {type(cache_dir).__name__}")
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be a non-negative int, got {retries!r}")
    if (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
            or not 0 < timeout < _MAX_TIMEOUT):
        raise ValueError(f"timeout must be a positive number of seconds (below "
                         f"{_MAX_TIMEOUT:g}), got {timeout!r}")
    name = filename if filename is not None else parts.path.rsplit("/", 1)[-1]
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        what = f"filename {filename!r} is not a file name" if filename is not None else (
            f"cannot make a file name from {url!r}")
        raise ValueError(f"{what}; pass filename= a plain name such as 'data.bin'")

    folder = Path(cache_dir) if cache_dir is not None else settings.cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(f"cannot create the cache folder {folder}: {exc.strerror}; "
                      "pass cache_dir= or set MLUTILS_CACHE_DIR") from None
    if not os.access(folder, os.W_OK):
        raise OSError(f"the cache folder {folder} is not writable; "
                      "pass cache_dir= or set MLUTILS_CACHE_DIR")
    target = folder / name
    if target.exists():
        actual = sha256sum(target)
        if actual == sha256:
            return target
        aside = settings.move_aside(target, "mismatch")  # corrupt or stale: keep it, fetch again
        if aside is not None:
            warnings.warn(f"the cached file {target} has sha256 {actual}, not the expected "
                          f"{sha256}; moved it to {aside} and downloading {url} again",
                          stacklevel=2)

    attempts = retries + 1
    for attempt in range(1, attempts + 1):
        try:
            _fetch(url, sha256, target, timeout)
            return target
        except _Retryable as exc:
            if attempt == attempts:
                raise DownloadError(f"could not download {url}: {exc} "
                                    f"(tried {attempts} times)") from None
            if exc.wait is not None:
                _sleep(exc.wait if exc.wait >= 0 else
                       min(BACKOFF * 2 ** (attempt - 1), MAX_RETRY_AFTER))
    raise AssertionError("unreachable")  # pragma: no cover


_MAX_TIMEOUT = 1e6  # seconds; much larger values overflow the socket layer


class _Retryable(Exception):
    """A failure worth another attempt. ``wait``: None (retry at once), a number of
    seconds, or -1 (the backoff)."""

    def __init__(self, message: str, wait: float | None = None):
        super().__init__(message)
        self.wait = wait


def _retry_after(value: str | None) -> float | None:
    """Seconds asked for by a ``Retry-After`` header, or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _http_error(url: str, exc: urllib.error.HTTPError) -> Exception:
    """The exception an HTTP error status becomes: _Retryable for 429/503, else final."""
    try:
        status = f"HTTP {exc.code} {exc.reason}"
        if exc.code not in RETRY_STATUSES:
            return DownloadError(f"could not download {url}: {status}")
        wait = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
        if wait is None:
            return _Retryable(status, wait=-1)
        if wait > MAX_RETRY_AFTER:
            return DownloadError(f"could not download {url}: {status}; the server asks to "
                                 f"retry after {wait:.0f} s (more than {MAX_RETRY_AFTER:.0f} s "
                                 "is not waited for), try again later")
        return _Retryable(f"{status} (Retry-After {wait:g} s)", wait=wait)
    finally:
        exc.close()


def _fetch(url: str, sha256: str, target: Path, timeout: float) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise OSError(f"cannot write to the cache folder {target.parent}: {exc.strerror}; "
                      "pass cache_dir= or set MLUTILS_CACHE_DIR") from None
    try:
        digest = hashlib.sha256()
        received = 0
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    expected = response.headers.get("Content-Length")
                    while chunk := response.read(_CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        received += len(chunk)
            except urllib.error.HTTPError as exc:
                raise _http_error(url, exc) from None
            except (http.client.IncompleteRead, ConnectionError) as exc:
                raise _Retryable(f"connection lost after {received} bytes ({exc!r})") from None
            except (socket.timeout, TimeoutError) as exc:
                raise _Retryable(f"no answer within {timeout} s ({exc})") from None
            except ssl.SSLError as exc:
                raise DownloadError(f"could not download {url}: TLS error ({exc})") from None
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                    raise _Retryable(f"no answer within {timeout} s") from None
                if isinstance(exc.reason, ssl.SSLError):
                    raise DownloadError(f"could not download {url}: TLS error "
                                        f"({exc.reason})") from None
                if isinstance(exc.reason, ConnectionError) and not isinstance(
                        exc.reason, ConnectionRefusedError):
                    raise _Retryable(f"connection lost ({exc.reason!r})") from None
                raise DownloadError(f"could not download {url}: {exc.reason} "
                                    "(are you offline?)") from None
            except (http.client.InvalidURL, UnicodeError) as exc:
                raise DownloadError(f"could not download {url}: invalid URL ({exc})") from None
            except http.client.HTTPException as exc:
                raise DownloadError(f"could not download {url}: the server's answer is not "
                                    f"valid HTTP ({type(exc).__name__}: {exc})") from None
        if expected is not None and expected.isdigit() and received != int(expected):
            raise _Retryable(f"got {received} of {expected} bytes")
        actual = digest.hexdigest()
        if actual != sha256:
            raise DownloadError(f"checksum mismatch for {url}: expected sha256 {sha256}, "
                                f"got {actual}; the file was not kept")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
