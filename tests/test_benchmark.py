"""tools/benchmark.py: the per-cell report (`--cells N`) that guides speed work."""
import nbformat

import benchmark


def test_slowest_cells_ranks_and_sums_the_rest():
    cells = [(0, 0.5, "setup"), (1, 3.0, "fit"), (2, 0.2, "plot"), (3, 1.0, "load")]
    lines = benchmark.slowest_cells(cells, 2)
    assert [line.split()[:3] for line in lines[:2]] == [["3.00", "cell", "1:"],
                                                        ["1.00", "cell", "3:"]]
    assert lines[2].split() == ["0.70", "the", "other", "2", "code", "cells"]
    assert len(benchmark.slowest_cells(cells, 10)) == 4  # nothing left over: no summary line


def test_time_notebook_reports_each_code_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A"),
                nbformat.v4.new_code_cell("import time"),
                nbformat.v4.new_code_cell("time.sleep(0.5)")]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    cells = []
    total = benchmark.time_notebook(path, cells)
    # refresh.execute adds the hidden setup cell in front of the notebook's own cells
    assert len(cells) == 3
    by_source = {first: seconds for _, seconds, first in cells}
    assert by_source["time.sleep(0.5)"] >= 0.5 and by_source["import time"] < 0.5
    assert total >= sum(seconds for _, seconds, _ in cells)
    assert nbformat.read(path, as_version=4) == nb  # the notebook itself is not touched
