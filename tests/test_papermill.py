"""Chapters run with parameters under papermill (the same engine tools/refresh.py uses)."""
import re

import nbformat
import pytest
import yaml

import nbtools
import refresh

CHAPTER = nbtools.ROOT / "content/04-convolutional-networks/03-dropout-and-pooling.ipynb"


def run_with(notebook, parameters, tmp_path):
    """Execute `notebook` with injected `parameters` (raises if a cell fails); check that
    papermill injected them, and return the executed notebook."""
    out = tmp_path / notebook.name
    refresh.execute(notebook, output=out, parameters=parameters)
    nb = nbformat.read(out, as_version=4)
    injected = [c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and all(f"{k} = {v!r}" in injected[0] for k, v in parameters.items())
    return nb


@pytest.mark.slow
def test_chapter_runs_with_injected_parameters(tmp_path):
    nb = run_with(CHAPTER, {"MLP_EPOCHS": 2}, tmp_path)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                if o.output_type == "error" or getattr(o, "name", "") == "stderr"]

    def first_accuracy(book):
        return next(o.text for c in book.cells if c.cell_type == "code" for o in c.outputs
                    if o.output_type == "stream" and "accuracy on the training data" in o.text)

    stored = nbformat.read(CHAPTER, as_version=4)
    assert first_accuracy(nb) != first_accuracy(stored)  # the parameter took effect


# Exercises that ask students to re-run a chapter with other parameters: the chapter must
# run to the end with them (its checks of the default run's outcome are skipped then).
# (Transfer learning's exercise, N_LABELS = 300, is also its parameters example, run below.)
EXERCISE_RUNS = [
    # (notebook, parameters, text printed by the chapter's last checking cell)
    ("04-cnn-architectures.ipynb", {"LEARNING_RATE": 1e-3, "SEED": 1}, "training loss per epoch"),
]


@pytest.mark.slow
@pytest.mark.parametrize("name, parameters, marker", EXERCISE_RUNS,
                         ids=[name.split("-")[0] for name, _, _ in EXERCISE_RUNS])
def test_chapter_runs_with_exercise_parameters(tmp_path, name, parameters, marker):
    nb = run_with(nbtools.ROOT / "content/04-convolutional-networks" / name, parameters, tmp_path)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream")
    assert marker in text


def parameters_example(path):
    """The `-p NAME VALUE` example in the comment of a chapter's parameters cell."""
    nb = nbformat.read(path, as_version=4)
    source = next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    found = re.findall(r"-p (\w+) (\S+?)`", source.splitlines()[0])
    assert found, f"{path.name}: the parameters cell's first line should show a `-p NAME VALUE` example"
    return {name: yaml.safe_load(value) for name, value in found}


@pytest.mark.slow
@pytest.mark.parametrize("notebook", nbtools.notebooks(), ids=lambda p: p.stem.split("-")[0])
def test_the_parameters_example_runs(tmp_path, notebook):
    # Every chapter's parameters cell shows a papermill example; it must run to the end.
    run_with(notebook, parameters_example(notebook), tmp_path)
