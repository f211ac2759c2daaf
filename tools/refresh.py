"""Re-execute chapter notebooks in place, so that every stored output comes from a real run.

    python tools/refresh.py                      # every notebook under content/
    python tools/refresh.py content/04-*/03-*.ipynb

Each notebook runs top to bottom in a fresh kernel (papermill, working folder = the
notebook's folder), then tools/nbtools.py normalizes it: the setup cell is rewritten from
_config.yml, run-specific metadata is removed and cell ids are made stable. Commit the
result; the test suite re-runs every notebook with strict nbval and compares.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
import papermill

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbtools  # noqa: E402

#: Environment every notebook runs with (the setup cell sets the same defaults).
NOTEBOOK_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "COLUMNS": "100",
                "PYTHONHASHSEED": "0"}


def execute(path: Path, output: Path | None = None, parameters: dict | None = None,
            cwd: Path | None = None, cell_seconds: list | None = None) -> float:
    """Run one notebook with papermill and normalize it; return the seconds it took.

    The working folder is ``cwd``, by default the notebook's own folder. If ``cell_seconds``
    is a list, it receives ``(cell index, seconds, first source line)`` for every code cell
    (papermill's measurement, which normalizing removes from the notebook)."""
    os.environ.update(NOTEBOOK_ENV)
    output = output or path
    nb = nbformat.read(path, as_version=4)
    nbtools.normalize(nb)  # run the current setup cell, not a stale one
    nbformat.write(nb, output)
    start = time.perf_counter()
    papermill.execute_notebook(str(output), str(output), parameters=parameters or {},
                               cwd=str(cwd or path.resolve().parent), kernel_name="python3",
                               progress_bar=False, log_output=False,
                               # write the notebook once at the end, not after every cell
                               request_save_on_cell_execute=False)
    seconds = time.perf_counter() - start
    nb = nbformat.read(output, as_version=4)
    if cell_seconds is not None:
        cell_seconds.extend(
            (i, cell.metadata.get("papermill", {}).get("duration") or 0.0,
             (cell.source.splitlines() or [""])[0])
            for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    nbtools.normalize(nb)
    nbformat.write(nb, output)
    return seconds


def main(args: list[str]) -> None:
    targets = [Path(a).resolve() for a in args] or nbtools.notebooks()
    load = os.getloadavg()[0]
    if load > 1.0:
        # Some chapters show wall-clock timings (in cells tagged nbval-ignore-output); measured
        # on a busy machine they mislead readers, and the text around them may not fit.
        print(f"warning: the machine is busy (load average {load:.1f}); timings stored in the "
              "notebooks will be noisy. Refresh on an idle machine.", file=sys.stderr)
    for path in targets:
        seconds = execute(path)
        print(f"{seconds:6.1f} s  {path.relative_to(nbtools.ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
