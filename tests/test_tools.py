"""The tools package (no notebook is executed): entry point, record and digest functions,
and the commands the README and .ci/run give."""
import re
import subprocess
import sys

import nbformat
import pytest

from tools import nbtools, records, settings


def test_one_entry_point_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "tools"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    for command in ("refresh", "sweep", "benchmark", "page-weight", "normalize", "build"):
        assert f"python -m tools {command}" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "tools", "refesh"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode != 0 and "unknown command 'refesh'" in bad.stderr


def _cell(source, outputs=(), tags=()):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    cell.metadata["tags"] = list(tags)
    return cell


def _stream(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def _glued(name, text):
    return {"output_type": "display_data", "metadata": {"scrapbook": {
        "name": name, "mime_prefix": nbtools.GLUE_PREFIX}},
        "data": {nbtools.GLUE_PREFIX + "text/plain": text}}


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T")] + list(cells)
    return nb


def test_digests_follow_what_nbval_compares():
    base = _notebook(_cell("print(1)", [_stream("1\n")]),
                     _cell("t", [_stream("0.31 s\n")], ["nbval-ignore-output"]),
                     _cell("summary", [_stream("seeds 0-7\n")], [nbtools.SWEEP_TAG]),
                     _cell("glue", [_glued("acc", "0.75")]))
    digests = nbtools.output_digests(base)
    assert set(digests) == {"c001", "c004"}  # ignored and summary cells left out
    changed = _notebook(_cell("print(1)", [_stream("2\n")]), *base.cells[2:])
    assert nbtools.output_digests(changed)["c001"] != digests["c001"]
    assert nbtools.output_digests(changed)["c004"] == digests["c004"]
    split = _notebook(_cell("print(1)", [_stream("1"), _stream("\n")]), *base.cells[2:])
    assert nbtools.output_digests(split) == digests  # chunking of a stream does not matter
    assert nbtools.glued_values(base) == {"acc": "0.75"}


def test_injected_and_solution_cells_do_not_shift_the_cell_ids():
    base = _notebook(_cell("SEED = 0", tags=["parameters"]), _cell("print(1)", [_stream("1\n")]))
    run = _notebook(base.cells[1], _cell("SEED = 1", tags=[nbtools.INJECTED_TAG]), base.cells[2],
                    _cell("x", [_stream("sol\n")], [nbtools.SOLUTION_TAG]))
    assert nbtools.output_digests(run) == nbtools.output_digests(base)


def test_parameters_example_and_defaults():
    nb = _notebook(_cell("# Parameters, e.g. `papermill ... -p LEARNING_RATE 0.001 -p SEED 1`.\n"
                         "SEED = 0  # seed\nLEARNING_RATE = 0.01\n", tags=["parameters"]))
    assert nbtools.parameters_example(nb) == {"LEARNING_RATE": 0.001, "SEED": 1}
    assert nbtools.parameter_defaults(nb) == {"SEED": 0, "LEARNING_RATE": 0.01}
    nb.cells[1].source = "# Parameters\nSEED = 0\n"
    with pytest.raises(ValueError, match="papermill example"):
        nbtools.parameters_example(nb)


def test_record_rows_are_keyed_by_what_differs_from_the_defaults():
    defaults = {"SEED": 0, "EPOCHS": 2}
    assert records.differences({"SEED": 0}, defaults) == {}
    assert records.differences({"SEED": 1, "EPOCHS": 2}, defaults) == {"SEED": 1}
    with pytest.raises(ValueError, match="SEEDS"):
        records.differences({"SEEDS": 1}, defaults)
    record = {"rows": [{"parameters": {}}, {"parameters": {"SEED": 1}}]}
    assert records.row_of(record, {"SEED": 1}) is record["rows"][1]
    assert records.row_of(record, {"SEED": 2}) is None


def test_readme_and_ci_give_the_commands_the_tools_use():
    readme = (nbtools.ROOT / "README.md").read_text()
    ci = (nbtools.ROOT / ".ci" / "run").read_text()
    suite = " ".join(settings.SUITE)
    assert f"\n{suite}\n" in readme, "the README's test command"
    assert re.search(rf"^{re.escape(suite)}\s*$", ci, re.M), ".ci/run runs the README's test command"
    assert "python -m tools build" in readme and re.search(r"^python -m tools build\b", ci, re.M)
    for doc in ("INSTRUCTORS.md", "PERFORMANCE.md"):
        assert (nbtools.ROOT / doc).exists() and doc in readme


def test_nbval_has_the_same_cell_time_limit_as_the_other_runs():
    from tools import settings

    ini = (nbtools.ROOT / "pytest.ini").read_text()
    assert re.search(rf"--nbval-cell-timeout {settings.CELL_TIMEOUT}\b", ini)
