"""Measure how long chapters take to execute, the book to build and the test suite to run.

    python -m tools benchmark                  # every chapter (one run each), then the book build
    python -m tools benchmark --runs 3         # median of 3 runs each
    python -m tools benchmark content/04-convolutional-networks/03-dropout-and-pooling.ipynb
    python -m tools benchmark --cells 5 content/04-*/03-*.ipynb   # and its 5 slowest cells
    python -m tools benchmark --write          # also write the times into the chapters and intro.md
    python -m tools benchmark --baseline REF   # also time the chapters of git revision REF
    python -m tools benchmark --suite          # also the full test suite, and its ratio to one pass
    python -m tools benchmark --baseline REF --suite --notes   # ... and write PERFORMANCE.md

A chapter's time is the wall-clock time of a fresh papermill run, kernel start included,
writing to a temporary file (the stored notebook is not touched). With ``--baseline``, each
chapter of REF (checked out in a temporary git worktree, its own ``local`` helpers first on
the path) runs right before the current one, so both columns come from the same session.
The book's time is the strict build (``python -m tools build``) into a temporary folder; the suite's is
``pytest -n 2 --dist loadgroup`` (the README's test command). Run it on an idle machine.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from tools import build, nbtools
from tools.settings import SUITE
from tools.execute import execute

NOTES = nbtools.ROOT / "PERFORMANCE.md"
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def time_notebook(path: Path, cell_seconds: list | None = None, env: dict | None = None) -> float:
    """Seconds for one fresh run of the notebook (kernel start included); if ``cell_seconds``
    is a list, it also receives each code cell's (index, seconds, first line)."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        execute(path, output=Path(tmp) / path.name, cell_seconds=cell_seconds, env=env)
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
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(build.command(["--path-output", tmp]), check=True, capture_output=True)
        return time.perf_counter() - start


def time_suite() -> tuple[float, str]:
    """Wall-clock seconds of the full test suite, and its closing line."""
    start = time.perf_counter()
    result = subprocess.run([str(Path(sys.executable).with_name(SUITE[0])), *SUITE[1:], "-q"],
                            cwd=nbtools.ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = [l for l in result.stdout.splitlines() if l.strip()]
    return seconds, (lines[-1] if lines else f"exit code {result.returncode}")


def shown(path: Path) -> str:
    """A notebook's path as printed: relative to the repository when it is inside it."""
    try:
        return str(path.relative_to(nbtools.ROOT))
    except ValueError:
        return str(path)


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


def baseline_tree(ref: str, folder: Path) -> Path:
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(folder), ref],
                   cwd=nbtools.ROOT, check=True)
    return folder


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_notes(rows: list[tuple[str, float | None, float]], ref: str | None,
                book: float | None, suite: tuple[float, str] | None, runs: int) -> None:
    one_pass = sum(r[2] for r in rows)
    lines = [START, "",
             f"Measured by `python -m tools benchmark` on {time.strftime('%Y-%m-%d')} ({machine()}),"
             f" median of {runs} run(s) per chapter, kernel start included.", ""]
    if ref:
        lines += [f"| chapter | before (`{ref}`) | now | ratio |", "|---|---|---|---|"]
        for name, before, now in rows:
            lines.append(f"| {name} | {before:.1f} s | {now:.1f} s | {now / before:.2f} |")
        total_before = sum(r[1] for r in rows)
        lines.append(f"| **one pass, all {len(rows)}** | {total_before:.1f} s | {one_pass:.1f} s "
                     f"| {one_pass / total_before:.2f} |")
    else:
        lines += ["| chapter | seconds |", "|---|---|"]
        lines += [f"| {name} | {now:.1f} |" for name, _, now in rows]
        lines.append(f"| **one pass, all {len(rows)}** | {one_pass:.1f} |")
    lines.append("")
    if book is not None:
        lines.append(f"Strict book build: {book:.1f} s.")
    if suite is not None:
        lines.append(f"Full suite (`{' '.join(SUITE)}`): {suite[0]:.0f} s, "
                     f"{suite[0] / one_pass:.2f} x one pass ({suite[1].strip('= ')}).")
    lines += ["", END]
    block = "\n".join(lines)
    text = NOTES.read_text() if NOTES.exists() else f"# Performance notes\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    NOTES.write_text(head + block + rest.split(END, 1)[1])
    print(f"wrote {NOTES.name}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools benchmark",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", help="default: every notebook under content/")
    parser.add_argument("--runs", type=int, default=1, help="runs per item; the median is shown")
    parser.add_argument("--no-book", action="store_true", help="skip the book build")
    parser.add_argument("--write", action="store_true",
                        help="write the times (rounded to 5 s) into the chapters and intro.md")
    parser.add_argument("--cells", type=int, default=0, metavar="N",
                        help="also show each notebook's N slowest cells (from its last run)")
    parser.add_argument("--baseline", metavar="REF", help="also time the chapters of git REF")
    parser.add_argument("--suite", action="store_true",
                        help="also run the full test suite and print its ratio to one pass")
    parser.add_argument("--notes", action="store_true", help="write the results to PERFORMANCE.md")
    args = parser.parse_args(argv)
    if args.cells < 0:
        parser.error("--cells must be 0 or more")
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    targets = [Path(p).resolve() for p in args.notebooks] or nbtools.notebooks()
    for path in targets:
        if not path.is_file() or path.suffix != ".ipynb":
            parser.error(f"not a notebook: {path}")
    with tempfile.TemporaryDirectory() as tmp:
        old_root = baseline_tree(args.baseline, Path(tmp) / "baseline") if args.baseline else None
        try:
            rows, times = measure(targets, args, old_root)
        finally:
            if old_root:
                subprocess.run(["git", "worktree", "remove", "--force", str(old_root)],
                               cwd=nbtools.ROOT, check=False)
    if args.write:
        write_times(times)
    book = None
    if not args.no_book:
        book = statistics.median(time_book() for _ in range(args.runs))
        print(f"{book:8.1f}  jupyter-book build (strict)", flush=True)
    suite = None
    if args.suite:
        suite = time_suite()
        one_pass = sum(times.values())
        print(f"{suite[0]:8.1f}  full suite: {suite[1].strip('= ')}")
        print(f"{suite[0] / one_pass:8.2f}  ratio of the full suite to one pass ({one_pass:.1f} s)")
    if args.notes:
        write_notes(rows, args.baseline, book, suite, args.runs)


def measure(targets, args, old_root):
    rows, times = [], {}
    head = f"{'before':>8}  " if old_root else ""
    print(f"{head}{'seconds':>8}  item (median of {args.runs} run(s))", flush=True)
    for path in targets:
        before = None
        if old_root:
            old = old_root / path.relative_to(nbtools.ROOT)
            env = {"PYTHONPATH": str(old_root)}
            before = statistics.median(time_notebook(old, env=env) for _ in range(args.runs))
        runs = []
        for _ in range(args.runs):
            cells: list = []  # the report shows the last run's cells
            runs.append(time_notebook(path, cells))
        times[path] = statistics.median(runs)
        rows.append((path.stem, before, times[path]))
        prefix = f"{before:8.1f}  " if old_root else ""
        print(f"{prefix}{times[path]:8.1f}  {shown(path)}", flush=True)
        if args.cells:
            print("\n".join(slowest_cells(cells, args.cells)), flush=True)
    total = sum(times.values())
    prefix = f"{sum(r[1] for r in rows):8.1f}  " if old_root else ""
    print(f"{prefix}{total:8.1f}  all {len(targets)} notebook(s): one pass", flush=True)
    return rows, times


if __name__ == "__main__":
    main(sys.argv[1:])
