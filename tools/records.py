"""Sweep records (``<chapter>.sweep.json``): where they are, their rows, a row from a run.

Written by ``python -m tools sweep`` (tools/sweep.py, the command); checked by tests/test_records.py and
tests/test_second_run.py; read by chapters through ``mlutils.load_sweep``.
"""
from __future__ import annotations

import json
from pathlib import Path

from local.lib.sweeps import SUFFIX
from tools import nbtools


def record_path(notebook: Path) -> Path:
    return notebook.with_name(notebook.stem + SUFFIX)


def read_record(notebook: Path) -> dict:
    path = record_path(notebook)
    if not path.exists():
        raise FileNotFoundError(f"{path.name} is missing: run python -m tools sweep "
                                f"{nbtools.page(notebook)}.ipynb")
    return json.loads(path.read_text())


def row_of(record: dict, parameters: dict) -> dict | None:
    """The record's row for ``parameters`` (given as differences from the defaults)."""
    return next((r for r in record["rows"] if r["parameters"] == parameters), None)


def differences(parameters: dict, defaults: dict) -> dict:
    """``parameters`` without those equal to the chapter's defaults (JSON-ready)."""
    unknown = set(parameters) - set(defaults)
    if unknown:
        raise ValueError(f"not parameters of the chapter: {', '.join(sorted(unknown))} "
                         f"(it has {', '.join(defaults)})")
    return {k: v for k, v in parameters.items() if defaults[k] != v}


def row_from(nb, parameters: dict) -> dict:
    """A record row from an executed notebook."""
    return {"parameters": parameters, "values": nbtools.glued_values(nb),
            "outputs": nbtools.output_digests(nb)}
