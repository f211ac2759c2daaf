"""Measure how long each chapter takes to execute and how long the book takes to build.

    python tools/benchmark.py            # every notebook, then the book build
    python tools/benchmark.py --runs 3   # median of 3 runs each
    python tools/benchmark.py content/04-convolutional-networks/03-dropout-and-pooling.ipynb

A chapter's time is the wall-clock time of a fresh papermill run, kernel start included,
writing to a temporary file (the stored notebook is not touched). The book's time is a
strict `jupyter-book build` into a temporary folder. Targets: a chapter in well under a
minute on a 2-core CPU; the book in under 30 s. Run it on an otherwise idle machine.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbtools  # noqa: E402
import refresh  # noqa: E402


def time_notebook(path: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        refresh.execute(path, output=Path(tmp) / path.name)
        return time.perf_counter() - start


def time_book() -> float:
    jb = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([str(jb), "build", "--warningiserror", "--nitpick", "--keep-going",
                        "--path-output", tmp, str(nbtools.ROOT)],
                       check=True, capture_output=True)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", help="default: every notebook under content/")
    parser.add_argument("--runs", type=int, default=1, help="runs per item; the median is shown")
    parser.add_argument("--no-book", action="store_true", help="skip the book build")
    args = parser.parse_args()
    targets = [Path(p).resolve() for p in args.notebooks] or nbtools.notebooks()
    total = 0.0
    print(f"{'seconds':>8}  item (median of {args.runs} run(s))")
    for path in targets:
        seconds = statistics.median(time_notebook(path) for _ in range(args.runs))
        total += seconds
        print(f"{seconds:8.1f}  {path.relative_to(nbtools.ROOT)}", flush=True)
    print(f"{total:8.1f}  all {len(targets)} notebook(s)")
    if not args.no_book:
        seconds = statistics.median(time_book() for _ in range(args.runs))
        print(f"{seconds:8.1f}  jupyter-book build (strict)")


if __name__ == "__main__":
    main()
