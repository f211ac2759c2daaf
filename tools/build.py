"""Build the book strictly: any warning (a broken reference, a missing glue value, a
notebook error) fails the build. The one place the build command is written.

    python -m tools build                       # into _build/html
    python -m tools build --path-output DIR     # into DIR/_build/html

It runs ``jupyter-book build --warningiserror --nitpick --keep-going`` on the repository.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tools import nbtools

FLAGS = ["--warningiserror", "--nitpick", "--keep-going"]


def command(extra: list[str] | None = None) -> list[str]:
    """The strict build as an argument list (``extra`` before the book's folder)."""
    jb = Path(sys.executable).with_name("jupyter-book")
    return [str(jb) if jb.exists() else "jupyter-book", "build", *FLAGS, *(extra or []),
            str(nbtools.ROOT)]


def main(argv: list[str] | None = None) -> None:
    argv = list(argv or [])
    if set(argv) & {"-h", "--help"}:
        print(__doc__)
        return
    sys.exit(subprocess.run(command(argv)).returncode)


if __name__ == "__main__":
    main(sys.argv[1:])
