"""Read a chapter's sweep record: its glued values over several runs (e.g. seeds 0-7).

``python -m tools sweep NOTEBOOK -p SEED 0 1 2 ...`` runs a chapter once per value and
writes ``<chapter>.sweep.json`` beside it: for each run its parameters, every value the
chapter glued, and a digest of every compared output. Chapters read it with
:func:`load_sweep` to show claims that hold over several runs; the test suite checks that
a fresh run reproduces its row of the record exactly.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

#: The course's root folder (``local/`` lives in it), found from this file so that it
#: works from any working folder, on Colab too.
ROOT = Path(__file__).resolve().parents[2]
SUFFIX = ".sweep.json"


def record_path(chapter: str) -> Path:
    """The sweep record of ``chapter`` (its file name, with or without ``.ipynb``)."""
    if not isinstance(chapter, str) or not chapter:
        raise TypeError(f"chapter must be a chapter's file name, got {chapter!r}")
    stem = Path(chapter).name.removesuffix(".ipynb")
    found = sorted((ROOT / "content").rglob(stem + SUFFIX))
    if not found:
        raise FileNotFoundError(f"no sweep record for chapter {chapter!r} ({stem}{SUFFIX} under "
                                f"{ROOT / 'content'}); make it with python -m tools sweep")
    return found[0]


def parse_value(text: str) -> Any:
    """A glued value back as a Python value (the stored text is its ``repr``)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def load_sweep(chapter: str):
    """The record of ``chapter`` as a pandas DataFrame: one row per run, a column per
    parameter (defaults filled in) and per glued value, sorted by the parameters."""
    import pandas as pd

    record = json.loads(record_path(chapter).read_text())
    rows = []
    for row in record["rows"]:
        params = {**record["defaults"], **row["parameters"]}
        rows.append({**params, **{k: parse_value(v) for k, v in row["values"].items()}})
    names = list(record["defaults"])
    return pd.DataFrame(rows).sort_values(names).reset_index(drop=True)
