"""Sweep records (``<chapter>.sweep.json``) agree with the stored chapters (no execution).

The second run of each chapter (tests/test_second_run.py) proves the parameters example's
row by reproducing it; here the defaults row is proven by the stored notebook itself, and
the record's shape is checked.
"""
import nbformat
import pytest

from tools import nbtools, records

CHAPTERS = nbtools.notebooks()


@pytest.fixture(params=[pytest.param(p, id=p.stem, marks=pytest.mark.chapter(p.stem))
                        for p in CHAPTERS])
def chapter(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_every_chapter_has_a_record_with_its_defaults_and_example(chapter):
    path, nb = chapter
    record = records.read_record(path)
    defaults = nbtools.parameter_defaults(nb)
    assert record["notebook"] == path.name
    assert record["defaults"] == defaults, "the chapter's defaults changed: re-run the sweep"
    assert records.row_of(record, {}) is not None, "no row for the defaults"
    example = records.differences(nbtools.parameters_example(nb), defaults)
    assert records.row_of(record, example) is not None, \
        f"no row for the parameters example {example}: re-run {record['command']}"
    keys = [tuple(sorted(r["parameters"].items())) for r in record["rows"]]
    assert len(keys) == len(set(keys)), "two rows for the same parameters"


def test_the_defaults_row_is_the_stored_notebook(chapter):
    path, nb = chapter
    row = records.row_of(records.read_record(path), {})
    assert row["values"] == nbtools.glued_values(nb), \
        "glued values of the stored notebook differ from the record: sweep, then refresh"
    assert row["outputs"] == nbtools.output_digests(nb), \
        "outputs of the stored notebook differ from the record's run: sweep, then refresh"


def test_every_glue_reference_has_a_glued_value(chapter):
    import re

    _, nb = chapter
    glued = nbtools.glued_values(nb, include_sweep_summary=True)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for name in re.findall(r"\{glue(?::\w+)?\}`([\w-]+)", cell.source):
                assert name in glued, f"{{glue}}`{name}` is not glued by any code cell"
