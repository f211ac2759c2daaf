"""The built book in a browser: a local static server and Debian's headless Chromium.

Used by ``python -m tools page-weight`` and by the browser tests. Chromium's path is
:data:`tools.settings.CHROMIUM` (``$CHROMIUM``, default ``/usr/bin/chromium``).
"""
from __future__ import annotations

import gzip
import io
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tools import nbtools, settings

#: Chromium flags for a machine with no network: no background connections anywhere.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
LIMIT = 1_500_000


class _GzipHandler(SimpleHTTPRequestHandler):
    """Serves files as a static web host does: text compressed with gzip when asked."""

    COMPRESS = (".html", ".css", ".js", ".json", ".svg", ".txt", ".map", ".inv")

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (path.suffix not in self.COMPRESS or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(folder: Path):
    """Serve a folder on 127.0.0.1; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_GzipHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_bytes(browser, url: str) -> int:
    """Bytes transferred (headers and encoded bodies) while loading ``url`` with an empty cache."""
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda r: requests.append(r))
    page.goto(url, wait_until="networkidle")
    total = 0
    for r in requests:
        sizes = r.sizes()
        total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
    context.close()
    return total


def pages() -> list[str]:
    """The book's pages, as paths without suffix: the landing page first."""
    return ["intro"] + sorted(nbtools.toc_files() - {"intro"})



def launch(playwright):
    """Start headless Chromium (Debian's, at :data:`tools.settings.CHROMIUM`)."""
    if not Path(settings.CHROMIUM).exists():
        raise FileNotFoundError(f"no Chromium at {settings.CHROMIUM}: apt-get install chromium, "
                                "or set $CHROMIUM to its path")
    return playwright.chromium.launch(executable_path=settings.CHROMIUM, args=FLAGS)
