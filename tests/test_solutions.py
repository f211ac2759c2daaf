"""Exercise solutions run: each chapter is executed with the code of its solutions appended.

The code of a solution is the indented (4-space) blocks inside its ``{solution}`` block
(see ``nbtools.solution_code``). The chapter runs first, unchanged, then every solution's
code as one more cell, in the order of the chapter, in the same kernel: that is what a
student does who opens a solution and pastes its code below the chapter. Any exception fails
the test and names the solution. The executed notebook is kept in
``test-artifacts/solutions/``, where the outputs of the solutions can be read.
"""
import shutil

import nbformat
import papermill
import pytest

import nbtools
import refresh

WITH_CODE = [p for p in nbtools.notebooks() if nbtools.solution_code(nbformat.read(p, as_version=4))]


def test_solution_code_is_found():
    # the extractor must see the chapters' solutions, or the test below checks nothing
    assert len(WITH_CODE) == len(nbtools.notebooks())
    nb = nbformat.read(WITH_CODE[0], as_version=4)
    label, code = nbtools.solution_code(nb)[0]
    assert label and code and not code.startswith(" ")


@pytest.mark.slow
@pytest.mark.parametrize("notebook", WITH_CODE, ids=lambda p: p.stem)
def test_solutions_run_after_the_chapter(tmp_path, notebook):
    nb = nbformat.read(notebook, as_version=4)
    for label, code in nbtools.solution_code(nb):
        nb.cells.append(nbformat.v4.new_code_cell(f"# solution {label}\n{code}"))
    staged = tmp_path / notebook.name
    nbformat.write(nb, staged)
    artifacts = nbtools.ROOT / "test-artifacts" / "solutions"
    artifacts.mkdir(parents=True, exist_ok=True)
    run = tmp_path / "run.ipynb"
    try:
        refresh.execute(staged, output=run, cwd=notebook.parent)
    except papermill.PapermillExecutionError as error:
        failed = next((c.source.splitlines()[0] for c in nbformat.read(run, as_version=4).cells
                       if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)),
                      "?")
        pytest.fail(f"{failed}: {error.ename}: {error.evalue}")
    finally:
        if run.exists():
            shutil.copy(run, artifacts / notebook.name)
