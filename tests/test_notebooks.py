"""Notebook hygiene: the rules every chapter follows, checked on the stored notebooks."""
import json
import re

import nbformat
import pytest

import nbtools

NOTEBOOKS = nbtools.notebooks()
IDS = [p.relative_to(nbtools.ROOT).as_posix() for p in NOTEBOOKS]
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip"}
IGNORE_COMMENTS = ("# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP")
MACHINE_PATH = re.compile(r"(/root/|/home/|/tmp/|/work/|/Users/|[A-Z]:\\\\Users|site-packages)")
VOLATILE = [
    (re.compile(r"\d+(\.\d+)?\s*[mµu]?s/step"), "a per-step timing"),
    (re.compile(r"\d+/\d+ \[=+"), "a Keras progress bar"),
    (re.compile(r"\d+%\|"), "a tqdm progress bar"),
    (re.compile(r"\b0x[0-9a-fA-F]{6,}\b"), "a memory address"),
    (re.compile(r"\b(Wall|CPU) times?:"), "a %time measurement"),
    (re.compile(r"\bT_[0-9a-f]{5}\b"), "a random pandas Styler id"),
]


def test_there_is_at_least_one_notebook():
    assert NOTEBOOKS


def test_every_notebook_is_in_the_toc_and_every_toc_entry_exists():
    toc = nbtools.toc_files()
    for path in NOTEBOOKS:
        assert nbtools.page(path) in toc, path
    for entry in toc:
        assert any((nbtools.ROOT / f"{entry}{ext}").exists() for ext in (".md", ".ipynb")), entry


def test_file_names_are_url_safe():
    for path in NOTEBOOKS:
        rel = path.relative_to(nbtools.ROOT).as_posix()
        assert re.fullmatch(r"[a-z0-9/_.-]+", rel), f"{rel}: use lower-case-with-dashes"


@pytest.fixture(params=NOTEBOOKS, ids=IDS)
def nb(request):
    return request.param, nbformat.read(request.param, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def is_ignored(cell):
    tags = set(cell.metadata.get("tags", []))
    return bool(tags & IGNORE_TAGS) or cell.source.lstrip().startswith(IGNORE_COMMENTS)


def compared_text(cell):
    """The text outputs nbval compares for this cell."""
    if is_ignored(cell):
        return []
    texts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            texts.append(out.text)
        elif "data" in out:
            texts += [out.data[k] for k in ("text/plain", "text/html") if k in out.data]
    return texts


def test_size_under_1_mb(nb):
    path, _ = nb
    assert path.stat().st_size < 1_000_000


def test_kernelspec_is_python3(nb):
    _, book = nb
    assert book.metadata["kernelspec"]["name"] == "python3"


def test_executed_in_order_without_errors_or_stderr(nb):
    _, book = nb
    cells = code_cells(book)
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), \
        "run tools/refresh.py: execution counts must be 1..n in order"
    for c in cells:
        for out in c.outputs:
            assert out.output_type != "error", f"error output in cell:\n{c.source[:200]}"
            assert not (out.output_type == "stream" and out.name == "stderr"), \
                f"stderr in cell:\n{c.source[:200]}\n{out.text[:300]}"


def test_no_machine_paths_timings_or_progress_bars_in_outputs(nb):
    _, book = nb
    for c in code_cells(book):
        for out in c.outputs:
            text = json.dumps({k: v for k, v in out.items() if k != "data"}) + json.dumps(
                {k: v for k, v in out.get("data", {}).items() if not k.startswith("image/")})
            assert not MACHINE_PATH.search(text), f"machine path in the output of:\n{c.source[:200]}"
        for text in compared_text(c):
            for pattern, what in VOLATILE:
                assert not pattern.search(text), f"{what} in the output of:\n{c.source[:200]}"


def test_ignored_outputs_are_rare_and_explained(nb):
    _, book = nb
    cells = code_cells(book)
    ignored = [c for c in cells if is_ignored(c)]
    assert len(ignored) * 5 <= len(cells), "at most 1 in 5 code cells may ignore their output"
    for c in ignored:
        assert re.search(r"#.*\b(differ|volatile|wall-clock|random)", c.source), \
            f"an ignored cell must say why in a comment:\n{c.source[:200]}"


def test_setup_cell_is_first_hidden_and_derived_from_the_config(nb):
    _, book = nb
    first = book.cells[0]
    assert nbtools.is_setup_cell(first) and "remove-cell" in first.metadata["tags"]
    assert first.source == nbtools.setup_cell_source(), \
        "stale setup cell: run python tools/nbtools.py"
    assert sum(nbtools.is_setup_cell(c) for c in book.cells) == 1


def test_chapter_anatomy(nb):
    """Title and learning goals first, a parameters cell, checks, exercises with solutions."""
    _, book = nb
    intro = book.cells[1]
    assert intro.cell_type == "markdown" and intro.source.startswith("# ")
    assert "You will learn" in intro.source
    sources = "\n".join(c.source for c in book.cells)
    assert sum("parameters" in c.metadata.get("tags", []) for c in code_cells(book)) == 1
    assert re.search(r"^\s*assert ", sources, re.M), "a chapter checks its claims with assert"
    assert "## Exercises" in sources and "## Summary" in sources
    exercises = re.findall(r"```\{exercise\}[^\n]*\n:label: ([\w-]+)", sources)
    solutions = re.findall(r"```\{solution\} ([\w-]+)\n:class: dropdown", sources)
    assert exercises and exercises == solutions, "each exercise has a folded solution"
    for c in code_cells(book):
        assert "!wget" not in c.source and "!pip" not in c.source, "no downloads in notebooks"
        assert "sys.path" not in c.source or nbtools.is_setup_cell(c)


def test_fits_and_predictions_are_silent(nb):
    _, book = nb
    for c in code_cells(book):
        for call in re.findall(r"\.(?:fit|predict|evaluate)\((.*?)\)\s*(?:\n|$|\[|\.)", c.source, re.S):
            assert "verbose=0" in call, f"pass verbose=0 to fit/predict/evaluate:\n{c.source[:300]}"


def test_every_figure_has_alt_text(nb):
    """Pages must describe their images: cell metadata mystnb.image.alt, one per figure cell."""
    _, book = nb
    for c in code_cells(book):
        if any("image/png" in o.get("data", {}) for o in c.outputs):
            alt = c.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 15, f"add metadata mystnb.image.alt to the figure cell:\n{c.source[:200]}"


def test_running_time_is_stated_once_and_matches_the_landing_page(nb):
    # Both figures are written by `python tools/benchmark.py --write` from one measurement.
    path, nb = nb
    page = nbtools.page(path)
    claims = nbtools.runtime_claims(nb)
    assert len(claims) == 1, f"expected one 'Runs in about N seconds on a 2-core CPU', got {claims}"
    table = nbtools.intro_runtimes()
    assert page in table, f"intro.md's chapter table has no row for {page}"
    assert claims[0] == table[page], (
        f"the chapter says about {claims[0]} s, intro.md says about {table[page]} s: "
        "run python tools/benchmark.py --write")


def test_landing_page_total_time_adds_up():
    stated = nbtools.intro_runtimes()
    assert set(stated) == {nbtools.page(p) for p in NOTEBOOKS}, \
        "intro.md's table must list every chapter"
    match = nbtools.INTRO_TOTAL.search((nbtools.ROOT / "intro.md").read_text())
    assert match, "intro.md must state '(all N chapters: about M minutes)'"
    assert int(match[1]) == len(stated)
    assert float(match[2]) == nbtools.total_minutes(list(stated.values())), \
        "run python tools/benchmark.py --write"
