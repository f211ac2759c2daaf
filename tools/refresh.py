"""Re-execute chapter notebooks in place, so that every stored output comes from a real run.

    python -m tools refresh                      # every notebook under content/
    python -m tools refresh content/04-*/03-*.ipynb

Each notebook runs top to bottom in a fresh kernel (papermill, working folder = the
notebook's folder), then it is normalized (tools/nbtools.py): the setup cell is rewritten
from _config.yml, run-specific metadata is removed and cell ids are made stable. Commit the
result; the test suite re-runs every notebook with strict nbval, under other conditions
(one thread, another hash seed), and compares.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from tools import nbtools
from tools.execute import execute


def main(args: list[str]) -> None:
    if any(a.startswith("-") for a in args):
        print(__doc__)
        sys.exit(0 if set(args) & {"-h", "--help"} else 2)
    targets = [Path(a).resolve() for a in args] or nbtools.notebooks()
    for path in targets:
        if not path.is_file() or path.suffix != ".ipynb":
            sys.exit(f"not a notebook: {path}")
    load = os.getloadavg()[0]
    if load > 1.0:
        # Some chapters show wall-clock timings (in cells tagged nbval-ignore-output); measured
        # on a busy machine they mislead readers.
        print(f"warning: the machine is busy (load average {load:.1f}); timings stored in the "
              "notebooks will be noisy. Refresh on an idle machine.", file=sys.stderr)
    for path in targets:
        seconds = execute(path)
        print(f"{seconds:6.1f} s  {path.relative_to(nbtools.ROOT)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
