"""Download a file once into the cache folder, verified by its SHA-256.

The course itself never downloads at build or test time; this helper is for readers who
fetch extra data. It is careful because readers' networks are not:

- the body is streamed to a temporary file beside the target and renamed into place only
  after its length and checksum are right, so no partial or wrong file is ever left behind
  (and two processes fetching the same file at once each end with a correct file);
- a file already in the cache is re-hashed and fetched again when it is corrupt;
- connection drops and short bodies are retried; HTTP errors and timeouts are not retried
  after ``retries`` attempts and raise :class:`DownloadError` naming the URL.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import re
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .data import cache_dir as default_cache_dir

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
        cache_dir: folder to keep files in; defaults to ``$MLUTILS_CACHE_DIR`` or
            ``~/.cache/dl-course``. Created when missing.
        timeout: seconds to wait for the server at connection and for each read.
        retries: extra attempts after a dropped connection, short body or timeout.

    Returns:
        The path of the verified file.

    Raises:
        ValueError, TypeError: bad arguments.
        DownloadError: the server could not be reached, answered with an HTTP error,
            stalled, or sent a file whose checksum is not ``sha256``.
        OSError: the cache folder cannot be created or written.
    """
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValueError(f"url must be an http:// or https:// address, got {url!r}")
    if not isinstance(sha256, str) or not _SHA256.match(sha256.lower()):
        raise ValueError(f"sha256 must be 64 hexadecimal digits, got {sha256!r}")
    sha256 = sha256.lower()
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be a non-negative int, got {retries!r}")
    if not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    name = filename or urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1]
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        raise ValueError(f"cannot make a file name from {url!r}; pass filename=")

    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
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
        if sha256sum(target) == sha256:
            return target
        target.unlink(missing_ok=True)  # corrupt or stale: fetch it again

    last_error: Exception | None = None
    for _ in range(retries + 1):
        try:
            _fetch(url, sha256, target, timeout)
            return target
        except _Retryable as exc:
            last_error = exc
    raise DownloadError(f"could not download {url}: {last_error} "
                        f"(tried {retries + 1} times)") from None


class _Retryable(Exception):
    """A failure worth another attempt: dropped connection, short body, timeout."""


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
                raise DownloadError(f"could not download {url}: HTTP {exc.code} {exc.reason}") from None
            except (http.client.IncompleteRead, ConnectionError) as exc:
                raise _Retryable(f"connection lost after {received} bytes ({exc!r})") from None
            except (socket.timeout, TimeoutError) as exc:
                raise _Retryable(f"no answer within {timeout} s ({exc})") from None
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                    raise _Retryable(f"no answer within {timeout} s") from None
                raise DownloadError(f"could not download {url}: {exc.reason} "
                                    "(are you offline?)") from None
        if expected is not None and received != int(expected):
            raise _Retryable(f"got {received} of {expected} bytes")
        actual = digest.hexdigest()
        if actual != sha256:
            raise DownloadError(f"checksum mismatch for {url}: expected sha256 {sha256}, "
                                f"got {actual}; the file was not kept")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
