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
