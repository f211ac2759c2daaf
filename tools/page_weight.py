"""Report the bytes each page of the built book transfers when loaded in a browser.

    jupyter-book build .                 # first, build the book into _build/html
    python -m tools page-weight          # then: bytes per page, fresh browser cache each

Loads every page of _build/html in headless Chromium (tools/settings.py: CHROMIUM, driven by
Playwright) from a server on 127.0.0.1 that, like any static web host, gzips text files, and
adds up what was transferred: HTML, CSS, JavaScript, fonts, images (headers included).
The test suite keeps each chapter page under the limit printed.
"""
from __future__ import annotations

import sys

from tools import browser, nbtools


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    if argv:
        print(__doc__)
        sys.exit(0 if set(argv) & {"-h", "--help"} else 2)
    html = nbtools.ROOT / "_build" / "html"
    if not (html / "intro.html").exists():
        sys.exit("build the book first: jupyter-book build .")
    with browser.serve(html) as site, sync_playwright() as p:
        chromium = browser.launch(p)
        print(f"{'bytes':>10}  page (limit for chapter pages: {browser.LIMIT:,})")
        for path in browser.pages():
            print(f"{browser.page_bytes(chromium, f'{site}/{path}.html'):>10,}  {path}")
        chromium.close()


if __name__ == "__main__":
    main(sys.argv[1:])
