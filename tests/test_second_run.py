"""The second run of every chapter, under other conditions than the refresh and nbval.

Strict nbval (the first run) compares a fresh run of each chapter with its stored outputs.
This second run executes the chapter once more, with

- other conditions: one intra-op thread more than the machine has cores, another hash
  seed, a fresh cache folder (tools/settings.py), and a time limit per cell;
- the parameters example of its parameters cell (``-p NAME VALUE``) injected by papermill;
- the code of its exercise solutions appended, one cell each, as a student would paste it.

and checks, each in its own test: the parameters took effect and the chapter ran to the end;
the run reproduces the row of the chapter's sweep record for those parameters exactly (every
glued value and every compared output: this is also the drift check, since the record was
made earlier, by other runs); every solution ran; nothing was written to stderr. The
executed notebook is kept in ``test-artifacts/second-run/``.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass

import nbformat
import papermill
import pytest

from tools import nbtools, records, settings
from tools.execute import execute

ARTIFACTS = nbtools.ROOT / "test-artifacts" / "second-run"


@dataclass
class Run:
    notebook: object
    parameters: dict
    executed: object          # the executed notebook (as far as it ran)
    error: str | None         # "<where>: <exception>" when a cell failed
    failed_cell: object       # that cell, or None


def _staged(notebook):
    nb = nbformat.read(notebook, as_version=4)
    for label, code in nbtools.solution_code(nb):
        cell = nbformat.v4.new_code_cell(f"# solution {label}\n{code}")
        cell.metadata["tags"] = [nbtools.SOLUTION_TAG]
        nb.cells.append(cell)
    return nb


@pytest.fixture(scope="module", params=[
    # conftest.py puts each chapter's tests in one xdist group, so the run happens once
    pytest.param(p, id=p.stem, marks=[pytest.mark.chapter(p.stem), pytest.mark.slow])
    for p in nbtools.notebooks()])
def run(request, tmp_path_factory):
    notebook = request.param
    parameters = nbtools.parameters_example(nbformat.read(notebook, as_version=4))
    tmp = tmp_path_factory.mktemp(notebook.stem)
    staged, out = tmp / notebook.name, tmp / "run.ipynb"
    nbformat.write(_staged(notebook), staged)
    env = {**settings.SECOND_RUN_CONDITIONS, "MLUTILS_CACHE_DIR": str(tmp / "cache")}
    error = None
    try:
        execute(staged, output=out, parameters=parameters, cwd=notebook.parent, env=env,
                timeout=settings.CELL_TIMEOUT)
    except papermill.PapermillExecutionError as exc:
        error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # a cell timeout, a dead kernel: no error cell is written
        error = f"{type(exc).__name__}: {exc}"
    executed = nbformat.read(out if out.exists() else staged, as_version=4)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(out, ARTIFACTS / notebook.name)
    failed = next((c for c in executed.cells if c.cell_type == "code"
                   and any(o.output_type == "error" for o in c.outputs)), None)
    if error and failed is not None:
        error = f"{(failed.source.splitlines() or ['?'])[0]!r}: {error}"
    elif error:  # the run stopped without an error cell: say so for every test
        failed = nbformat.v4.new_code_cell("(the run stopped)")
    return Run(notebook, parameters, executed, error, failed)


def _is_solution(cell) -> bool:
    return nbtools.SOLUTION_TAG in cell.metadata.get("tags", [])


def test_parameters_example_takes_effect_and_the_chapter_runs_to_the_end(run):
    injected = [c.source for c in run.executed.cells
                if nbtools.INJECTED_TAG in c.metadata.get("tags", [])]
    scope: dict = {}
    if len(injected) == 1:
        exec(injected[0], {}, scope)  # papermill's cell only assigns the parameters
    assert len(injected) == 1 and all(scope.get(k) == v for k, v in run.parameters.items()), \
        f"papermill did not inject the parameters example {run.parameters}"
    assert run.failed_cell is None or _is_solution(run.failed_cell), \
        f"the chapter failed with {run.parameters}: {run.error}"
    stored = nbformat.read(run.notebook, as_version=4)
    assert nbtools.output_digests(run.executed) != nbtools.output_digests(stored), \
        f"{run.parameters} changed no output: the parameters example has no effect"


def test_reproduces_its_row_of_the_sweep_record(run):
    if run.failed_cell is not None and not _is_solution(run.failed_cell):
        pytest.fail(f"the chapter did not run to the end: {run.error}")
    stored = nbformat.read(run.notebook, as_version=4)
    defaults = nbtools.parameter_defaults(stored)
    key = records.differences(run.parameters, defaults)
    record = records.read_record(run.notebook)
    row = records.row_of(record, key)
    assert row is not None, (f"{records.record_path(run.notebook).name} has no row for {key}: "
                             f"run {record['command']}")
    got = records.row_from(run.executed, key)
    wrong = {k: (row["values"].get(k), v) for k, v in got["values"].items()
             if row["values"].get(k) != v}
    missing = sorted(set(row["values"]) - set(got["values"]))
    assert not wrong and not missing, (
        f"glued values differ from the record (record, this run): {wrong}; missing: {missing}")
    cells = dict(nbtools.chapter_cells(run.executed))
    differ = [f"{cid} ({(cells[cid].source.splitlines() or [''])[0][:60]!r})" if cid in cells
              else f"{cid} (not in this run)"
              for cid in sorted(set(row["outputs"]) | set(got["outputs"]))
              if row["outputs"].get(cid) != got["outputs"].get(cid)]
    assert not differ, ("these cells printed other text than the record's run with the same "
                        f"parameters (drift, or a stale record): {', '.join(differ)}")


def test_every_solution_runs_after_the_chapter(run):
    labels = [label for label, _ in nbtools.solution_code(nbformat.read(run.notebook, as_version=4))]
    assert labels, "the chapter's solutions have no code"
    if run.failed_cell is not None and not _is_solution(run.failed_cell):
        pytest.fail(f"the chapter stopped before its solutions: {run.error}")
    assert run.error is None, f"solution {run.error}"
    ran = [c for c in run.executed.cells if _is_solution(c)]
    assert len(ran) == len(labels) and all(c.execution_count for c in ran)


def test_writes_nothing_to_stderr(run):
    for cell in run.executed.cells:
        for out in cell.get("outputs", []):
            assert not (out.output_type == "stream" and out.name == "stderr"), \
                f"stderr in {(cell.source.splitlines() or [''])[0]!r}: {out.text[:300]}"
