"""Measure how long each chapter takes to execute and how long the book takes to build.

    python tools/benchmark.py            # every notebook, then the book build
    python tools/benchmark.py --runs 3   # median of 3 runs each
    python tools/benchmark.py content/04-convolutional-networks/03-dropout-and-pooling.ipynb
    python tools/benchmark.py --write    # also write the times into the chapters and intro.md
    python tools/benchmark.py --cells 5 content/04-*/03-*.ipynb   # and its 5 slowest cells

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

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbtools  # noqa: E402
import refresh  # noqa: E402


def time_notebook(path: Path, cell_seconds: list | None = None) -> float:
    """Seconds for one fresh run of the notebook (kernel start included); if ``cell_seconds``
    is a list, it also receives each code cell's (index, seconds, first line)."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        refresh.execute(path, output=Path(tmp) / path.name, cell_seconds=cell_seconds)
        return time.perf_counter() - start


def slowest_cells(cell_seconds: list, n: int) -> list[str]:
    """Report lines for the ``n`` slowest cells, slowest first, and the rest in one line."""
    ranked = sorted(cell_seconds, key=lambda c: c[1], reverse=True)
    lines = [f"{s:14.2f}  cell {i}: {first[:60]}" for i, s, first in ranked[:n]]
    rest = ranked[n:]
    if rest:
        lines.append(f"{sum(s for _, s, _ in rest):14.2f}  the other {len(rest)} code cells")
    return lines


def time_book() -> float:
    jb = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([str(jb), "build", "--warningiserror", "--nitpick", "--keep-going",
                        "--path-output", tmp, str(nbtools.ROOT)],
                       check=True, capture_output=True)
        return time.perf_counter() - start


def rounded(seconds: float) -> int:
    """Seconds as a reader-facing figure: the nearest multiple of 5, at least 5."""
    return max(5, 5 * round(seconds / 5))


def write_times(times: dict[Path, float]) -> None:
    """Write measured times into each chapter's "Runs in about N seconds" line and into the
    chapter table of intro.md, with the total, so that the figures readers see come from a
    measurement."""
    stated = {nbtools.page(path): rounded(seconds) for path, seconds in times.items()}
    for path, n in zip(times, stated.values()):
        nb = nbformat.read(path, as_version=4)
        claims = nbtools.runtime_claims(nb)
        if len(claims) != 1:
            raise SystemExit(f"{path.name}: expected one 'Runs in about N seconds' line, "
                             f"found {len(claims)}")
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = nbtools.RUNTIME_CLAIM.sub(
                    f"Runs in about {n} seconds on a 2-core CPU", cell.source)
        nbformat.write(nb, path)
        print(f"wrote about {n} s for {nbtools.page(path)}")
    missing = set(stated) - set(nbtools.intro_runtimes())
    if missing:
        raise SystemExit(f"intro.md: no chapter table row for {', '.join(sorted(missing))}")
    intro = nbtools.ROOT / "intro.md"
    text = nbtools.INTRO_ROW.sub(
        lambda m: f"{m['head']}{stated.get(m['page'], m['s'])}{m['tail']}", intro.read_text())
    all_stated = {m["page"]: int(m["s"]) for m in nbtools.INTRO_ROW.finditer(text)}
    total = (f"(all {len(all_stated)} chapters: "
             f"about {nbtools.total_minutes(list(all_stated.values())):g} minutes)")
    text, found = nbtools.INTRO_TOTAL.subn(total, text)
    if found != 1:
        raise SystemExit("intro.md: no '(all N chapters: about M minutes)' to update")
    intro.write_text(text)
    print("wrote", total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", help="default: every notebook under content/")
    parser.add_argument("--runs", type=int, default=1, help="runs per item; the median is shown")
    parser.add_argument("--no-book", action="store_true", help="skip the book build")
    parser.add_argument("--write", action="store_true",
                        help="write the times (rounded to 5 s) into the chapters and intro.md")
    parser.add_argument("--cells", type=int, default=0, metavar="N",
                        help="also show each notebook's N slowest cells (from its last run)")
    args = parser.parse_args()
    if args.cells < 0:
        parser.error("--cells must be 0 or more")
    targets = [Path(p).resolve() for p in args.notebooks] or nbtools.notebooks()
    times = {}
    print(f"{'seconds':>8}  item (median of {args.runs} run(s))")
    for path in targets:
        runs = []
        for _ in range(args.runs):
            cells: list = []  # the report shows the last run's cells
            runs.append(time_notebook(path, cells))
        times[path] = statistics.median(runs)
        print(f"{times[path]:8.1f}  {path.relative_to(nbtools.ROOT)}", flush=True)
        if args.cells:
            print("\n".join(slowest_cells(cells, args.cells)), flush=True)
    print(f"{sum(times.values()):8.1f}  all {len(targets)} notebook(s)")
    if args.write:
        write_times(times)
    if not args.no_book:
        seconds = statistics.median(time_book() for _ in range(args.runs))
        print(f"{seconds:8.1f}  jupyter-book build (strict)")


if __name__ == "__main__":
    main()
