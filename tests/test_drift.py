"""No drift: each notebook, executed twice in fresh kernels, prints identical text.

Strict nbval already compares one fresh run with the stored outputs; this runs two more
and compares them with each other, so a value that only sometimes changes (an unseeded
draw, a race between threads) is caught even when one run happens to match. Cells tagged
nbval-ignore-output are left out, as nbval leaves them out.
"""
import configparser
import re

import nbformat
import pytest

import nbtools
import refresh

SANITIZE = configparser.ConfigParser()
SANITIZE.read(nbtools.ROOT / "tests" / "nbval-sanitize.cfg")
RULES = [(re.compile(SANITIZE[s]["regex"]), SANITIZE[s]["replace"]) for s in SANITIZE.sections()]


def text_outputs(path):
    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "nbval-ignore-output" in cell.metadata.get("tags", []):
            continue
        for out in nbtools.coalesce_streams(cell.outputs):
            texts = [out.get("text", "")] + [out.get("data", {}).get(k, "")
                                            for k in ("text/plain", "text/html")]
            for text in texts:
                for pattern, replace in RULES:
                    text = pattern.sub(replace, text)
                found.append((i, out.output_type, text))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("notebook", nbtools.notebooks(), ids=lambda p: p.stem)
def test_two_fresh_runs_print_the_same(tmp_path, notebook):
    first, second = tmp_path / "first.ipynb", tmp_path / "second.ipynb"
    refresh.execute(notebook, output=first)
    refresh.execute(notebook, output=second)
    a, b = text_outputs(first), text_outputs(second)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert x == y, f"cell {x[0]} printed different text in two runs"
