"""The benchmark command's per-cell report (`--cells N`) on a real (tiny) notebook run."""
import subprocess
import sys

import nbformat
import pytest


@pytest.mark.slow  # executes a (tiny) notebook
def test_cells_report_ranks_a_real_run(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A"),
                nbformat.v4.new_code_cell("import time"),
                nbformat.v4.new_code_cell("time.sleep(1.0)")]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    result = subprocess.run([sys.executable, "-m", "tools", "benchmark", "--no-book", "--cells", "1",
                             str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    # the slowest cell is the sleep: cell 3 (cells count from 0: setup, title, import, sleep)
    slowest = next(l for l in lines if " cell " in l)
    assert slowest.split()[1:3] == ["cell", "3:"] and float(slowest.split()[0]) >= 1.0
    rest = next(l for l in lines if "the other" in l)
    assert rest.split()[1:] == ["the", "other", "2", "code", "cells"]
    assert nbformat.read(path, as_version=4) == nb  # the notebook itself is not touched


def test_bad_arguments_are_refused_before_anything_runs():
    for args in (["--cells", "-1"], ["--runs", "0"], ["no-such.ipynb"]):
        result = subprocess.run([sys.executable, "-m", "tools", "benchmark", "--no-book", *args],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and "error" in result.stderr, args
