"""Run a chapter once per parameter value and write its sweep record beside it.

    python -m tools sweep content/04-convolutional-networks/03-dropout-and-pooling.ipynb -p SEED 0 1 2 3 4 5 6 7
    python -m tools sweep content/04-convolutional-networks/05-transfer-learning.ipynb      # example row only

The record, ``<chapter>.sweep.json``, has one row per run: the parameters that differ from
the chapter's defaults, every value the chapter glued (``mlutils.glue``) and a digest of
every output nbval compares. The parameters example of the chapter (the ``-p NAME VALUE``
in its parameters cell) always gets a row, and so do the defaults (the stored notebook).
Chapters show claims over several runs from it (``mlutils.load_sweep``); the tests check
that the stored notebook matches the defaults row and that a fresh run with the parameters
example reproduces its row exactly.

Runs happen one after another in fresh kernels with the refresh's environment. Re-run
the sweep whenever the chapter's code changes. The run with the defaults is a refresh: it
is stored as the chapter's outputs, unless the chapter has summary cells (tagged
``sweep-summary``, they show the record) and the record changed; then the command says to
refresh the chapter, so that those cells show the new record.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

from tools import nbtools
from tools.execute import execute
from tools.records import differences, record_path, row_from

def sweep(notebook: Path, name: str | None, values: list, keep: Path | None = None) -> dict:
    stored = nbformat.read(notebook, as_version=4)
    defaults = nbtools.parameter_defaults(stored)
    runs = [{}, differences(nbtools.parameters_example(stored), defaults)]
    runs += [differences({name: v}, defaults) for v in values] if name else []
    unique = []
    for run in runs:
        if run not in unique:
            unique.append(run)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, parameters in enumerate(unique):
            out = Path(tmp) / f"run{i}.ipynb"
            start = time.perf_counter()
            execute(notebook, output=out, parameters=parameters)
            rows.append(row_from(nbformat.read(out, as_version=4), parameters))
            if not parameters and keep is not None:
                shutil.copy(out, keep)
            print(f"{time.perf_counter() - start:6.1f} s  {parameters or 'defaults'}", flush=True)
    command = f"python -m tools sweep {nbtools.page(notebook)}.ipynb"
    if name:
        command += f" -p {name} " + " ".join(json.dumps(v) for v in values)
    return {"notebook": notebook.name, "command": command, "defaults": defaults, "rows": rows}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools sweep",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("-p", nargs="+", metavar=("NAME", "VALUE"), default=None,
                        help="a parameter and the values to run it with")
    args = parser.parse_args(argv)
    notebook = args.notebook.resolve()
    if not notebook.is_file() or notebook.suffix != ".ipynb":
        parser.error(f"not a notebook: {args.notebook}")
    name, values = None, []
    if args.p:
        if len(args.p) < 2:
            parser.error("-p needs a NAME and at least one VALUE")
        name, values = args.p[0], [yaml.safe_load(v) for v in args.p[1:]]
    path = record_path(notebook)
    old = json.loads(path.read_text()) if path.exists() else None
    with tempfile.TemporaryDirectory() as tmp:
        default_run = Path(tmp) / notebook.name
        record = sweep(notebook, name, values, keep=default_run)
        path.write_text(json.dumps(record, indent=1) + "\n")
        print(f"wrote {path.relative_to(nbtools.ROOT)} ({len(record['rows'])} rows)")
        stored = nbformat.read(notebook, as_version=4)
        has_summary = any(nbtools.SWEEP_TAG in c.metadata.get("tags", []) for c in stored.cells)
        if has_summary and (old is None or old["rows"] != record["rows"]):
            print(f"the record changed and the chapter shows it: now run python -m tools refresh "
                  f"{nbtools.page(notebook)}.ipynb")
        else:
            shutil.copy(default_run, notebook)
            print(f"stored the defaults run as {notebook.name}'s outputs (a refresh)")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
