"""Chapters run with parameters under papermill (the same engine tools/refresh.py uses)."""
import nbformat
import pytest

import nbtools
import refresh

CHAPTER = nbtools.ROOT / "content/04-convolutional-networks/03-dropout-and-pooling.ipynb"


@pytest.mark.slow
def test_chapter_runs_with_injected_parameters(tmp_path):
    out = tmp_path / "run.ipynb"
    refresh.execute(CHAPTER, output=out, parameters={"MLP_EPOCHS": 2})
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "MLP_EPOCHS = 2" in injected[0].source
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                if o.output_type == "error" or getattr(o, "name", "") == "stderr"]

    def first_accuracy(book):
        return next(o.text for c in book.cells if c.cell_type == "code" for o in c.outputs
                    if o.output_type == "stream" and "accuracy on the training data" in o.text)

    stored = nbformat.read(CHAPTER, as_version=4)
    assert first_accuracy(nb) != first_accuracy(stored)  # the parameter took effect


# Exercises that ask students to re-run a chapter with other parameters: the chapter must
# run to the end with them (its checks of the default run's outcome are skipped then).
EXERCISE_RUNS = [
    # (notebook, parameters, text printed by the chapter's last checking cell)
    ("04-cnn-architectures.ipynb", {"LEARNING_RATE": 1e-3, "SEED": 1}, "training loss per epoch"),
    ("05-transfer-learning.ipynb", {"N_LABELS": 300}, "test accuracy: from scratch"),
]


@pytest.mark.slow
@pytest.mark.parametrize("name, parameters, marker", EXERCISE_RUNS,
                         ids=[name.split("-")[0] for name, _, _ in EXERCISE_RUNS])
def test_chapter_runs_with_exercise_parameters(tmp_path, name, parameters, marker):
    chapter = nbtools.ROOT / "content/04-convolutional-networks" / name
    out = tmp_path / name
    refresh.execute(chapter, output=out, parameters=parameters)  # raises if a cell fails
    nb = nbformat.read(out, as_version=4)
    injected = [c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and all(f"{k} = {v!r}" in injected[0] for k, v in parameters.items())
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream")
    assert marker in text
