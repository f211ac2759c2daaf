"""Notebook hygiene: the rules every chapter follows, checked on the stored notebooks."""
import json
import re

import nbformat
import pytest

from tools import nbtools

NOTEBOOKS = nbtools.notebooks()
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


@pytest.fixture(params=[pytest.param(p, id=p.stem, marks=pytest.mark.chapter(p.stem))
                        for p in NOTEBOOKS])
def nb(request):
    return request.param, nbformat.read(request.param, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


is_ignored = nbtools.is_ignored


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
        "run python -m tools refresh: execution counts must be 1..n in order"
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
        "stale setup cell: run python -m tools normalize"
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
        "run python -m tools benchmark --write")


def test_landing_page_total_time_adds_up():
    stated = nbtools.intro_runtimes()
    assert set(stated) == {nbtools.page(p) for p in NOTEBOOKS}, \
        "intro.md's table must list every chapter"
    match = nbtools.INTRO_TOTAL.search((nbtools.ROOT / "intro.md").read_text())
    assert match, "intro.md must state '(all N chapters: about M minutes)'"
    assert int(match[1]) == len(stated)
    assert float(match[2]) == nbtools.total_minutes(list(stated.values())), \
        "run python -m tools benchmark --write"


def test_every_chapter_has_solution_code_and_a_parameters_example(nb):
    # the second run executes both: if they cannot be found, it checks nothing
    path, book = nb
    code = nbtools.solution_code(book)
    assert code, "no solution has code (indented blocks inside {solution})"
    assert all(label and c and not c.startswith(" ") for label, c in code)
    example = nbtools.parameters_example(book)
    defaults = nbtools.parameter_defaults(book)
    assert set(example) <= set(defaults), f"{set(example) - set(defaults)} are not parameters"
    assert any(defaults[k] != v for k, v in example.items()), \
        "the parameters example must change a parameter"


KERAS_BUILD = re.compile(r"\bkeras\.(layers|Model|Sequential|Input)\b|\b(tf|keras)\.(Variable|constant)\(")


def test_set_seed_comes_before_any_model_and_precision_is_not_overridden(nb):
    """One place decides how chapters compute (mlutils.set_seed: float64, every machine the
    same numbers); a chapter must call it before it builds anything with Keras."""
    _, book = nb
    seen_seed = False
    for c in code_cells(book):
        if nbtools.is_setup_cell(c):
            continue
        assert "set_floatx" not in c.source and 'precision="float32"' not in c.source, \
            f"the precision is set by mlutils.set_seed only:\n{c.source[:200]}"
        seen_seed = seen_seed or "mlutils.set_seed(" in c.source.split("def ")[0]
        if KERAS_BUILD.search(c.source) and not seen_seed:
            pytest.fail(f"call mlutils.set_seed(SEED) before building with Keras:\n{c.source[:200]}")


# Measured-looking numbers: decimals with two or more places, percentages, "N times".
MEASURED = re.compile(r"(?<![\w.])(\d+\.\d{2,}|\d+(?:\.\d+)?\s?(?:%|percent\b|times\b)|\d+x\b)")
CODE_OR_MATH = re.compile(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|```.*?```", re.S)


def prose_numbers(text: str) -> list[str]:
    """Measured-looking numbers in markdown text, outside code, math and glue roles."""
    return [m.group(1) for m in MEASURED.finditer(CODE_OR_MATH.sub(" ", text))]


def test_prose_numbers_detector():
    assert prose_numbers("accuracy 0.734, 12% of pixels, 4.5 times faster, 3x") == \
        ["0.734", "12%", "4.5 times", "3x"]
    assert prose_numbers("a {glue:text}`acc:.3f` score, `Dropout(0.25)`, $0.125$, 3 x 3") == []


def test_numbers_in_prose_come_from_code(nb):
    """A measured number in the text is glued (mlutils.glue + {glue:text}), not typed.

    Outside solutions, any measured-looking number must be glued or listed, with its
    reason, in the notebook's metadata ``prose_numbers`` (e.g. a rate the text chooses).
    Inside a solution (whose code runs only in the tests), each such number must appear in
    the solution's own code, which asserts it."""
    _, book = nb
    allowed = book.metadata.get("prose_numbers", {})
    for number, reason in allowed.items():
        assert isinstance(reason, str) and len(reason) >= 10, f"say why {number!r} is allowed"
    seen = set()
    solutions = dict()
    for label, code in nbtools.solution_code(book):
        solutions[label] = solutions.get(label, "") + code
    for cell in book.cells:
        if cell.cell_type != "markdown":
            continue
        text = cell.source
        for match in nbtools.SOLUTION.finditer(text):
            label, body = match.group(1), match.group(2)
            prose = "\n".join(l for l in body.splitlines() if not l.startswith("    "))
            for number in prose_numbers(prose):
                seen.add(number)
                digits = re.match(r"\d+(?:\.\d+)?", number).group(0)
                assert number in allowed or digits in solutions.get(label, ""), (
                    f"solution {label} states {number!r} but its code does not check it")
        for number in prose_numbers(nbtools.SOLUTION.sub(" ", text)):
            seen.add(number)
            assert number in allowed, (f"typed measured number {number!r} in:\n{text[:300]}\n"
                                       "glue it (mlutils.glue) or allow it in the notebook "
                                       "metadata prose_numbers with a reason")
    stale = set(allowed) - seen
    assert not stale, f"prose_numbers lists numbers the text no longer has: {stale}"
