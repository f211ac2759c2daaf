"""The strict nbval run catches outputs that depend on the machine.

The suite's nbval run uses one intra-op thread and another hash seed (tools/settings.py),
unlike the refresh. Here a small float32 notebook, "refreshed" with two threads as on a
2-core machine, is checked that way: nbval must report a mismatch. (In float64, which
mlutils.set_seed sets for every chapter, the chapters pass the same check: that is the
strict nbval run of the suite itself.)
"""
import re
import subprocess
import sys

import nbformat
import pytest

from tools import settings
from tools.execute import execute

TRAINING = '''\
import numpy as np
import keras
from local.lib import mlutils

mlutils.set_seed(0, precision=PRECISION)
data = mlutils.make_shapes(512, size=32, seed=0)
x, y = data["x"] / 255, data["y"]
inputs = keras.Input((32, 32, 3))
h = keras.layers.Conv2D(16, 5, activation="relu")(inputs)
h = keras.layers.Conv2D(32, 5, activation="relu")(h)
h = keras.layers.Flatten()(h)
model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(h))
mlutils.compile_classifier(model, 1e-3)
history = model.fit(x, y, epochs=2, batch_size=32, verbose=0)
print(f"final training loss {history.history['loss'][-1]:.12f}")
'''


@pytest.mark.slow
def test_nbval_under_another_thread_count_fails_a_float32_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('PRECISION = "float32"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Thread-sensitive"), params,
                nbformat.v4.new_code_cell(TRAINING)]
    path = tmp_path / "float32.ipynb"
    nbformat.write(nb, path)
    # the "refresh": two intra-op threads, as TensorFlow uses on a 2-core machine
    execute(path, env={"TF_NUM_INTRAOP_THREADS": "2", "MLUTILS_CACHE_DIR": str(tmp_path / "c")},
            timeout=settings.CELL_TIMEOUT)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not the repository's configuration
    env = {**settings.NOTEBOOK_ENV, **settings.NBVAL_CONDITIONS,
           "MLUTILS_CACHE_DIR": str(tmp_path / "c")}
    import os

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
         "-p", "no:xdist", "--nbval-cell-timeout", str(settings.CELL_TIMEOUT), path.name],
        cwd=tmp_path, env={**os.environ, **env}, capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 1, f"strict nbval did not fail a float32 notebook:\n{log[-3000:]}"
    losses = set(re.findall(r"final training loss (\d\.\d{12})", log))
    assert "mismatch" in log.lower() and len(losses) == 2, \
        f"expected the stored and the fresh loss to differ:\n{log[-3000:]}"
