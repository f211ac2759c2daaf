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
    assert all(not c.startswith(" ") for _, c in code)  # dedented, so it runs as a cell
    example = nbtools.parameters_example(book)
    defaults = nbtools.parameter_defaults(book)
    assert set(example) <= set(defaults), f"{set(example) - set(defaults)} are not parameters"
    assert any(defaults[k] != v for k, v in example.items()), \
        "the parameters example must change a parameter"


def _calls(tree):
    """Top-level statements' calls, in order; calls inside def/class bodies are left out."""
    import ast

    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield from (n for n in ast.walk(stmt) if isinstance(n, ast.Call))


def _name(func) -> str:
    import ast

    return ast.unparse(func) if isinstance(func, (ast.Name, ast.Attribute)) else ""


BUILDS = re.compile(r"^(keras|tf\.keras|layers)\.(layers\.|applications\.)?[A-Z]\w*$|"
                    r"^tf\.(Variable|constant)$|^keras\.(Input|Model|Sequential)$")
FLOAT32 = re.compile(r"""set_floatx|mixed_precision|set_global_policy|["']float(32|16)["']""")


def test_set_seed_comes_before_any_model_and_precision_is_not_overridden(nb):
    """One place decides how chapters compute (mlutils.set_seed: float64, every machine the
    same numbers); a chapter calls it before it builds anything with Keras, and nothing in
    the chapter asks Keras for another precision."""
    import ast

    _, book = nb
    seen_seed = False
    for c in code_cells(book):
        if nbtools.is_setup_cell(c):
            continue
        code = "\n".join(l for l in c.source.splitlines() if not l.lstrip().startswith(("%", "!")))
        tree = ast.parse(code)
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and _name(call.func).endswith("set_seed"):
                args = call.args[2:] + [k.value for k in call.keywords if k.arg == "precision"]
                assert not args, f"the precision is set by mlutils.set_seed's default only:\n{c.source[:200]}"
            if isinstance(call, ast.Call) and any(
                    k.arg == "dtype" and isinstance(k.value, ast.Constant) and k.value.value in
                    ("float32", "float16") for k in call.keywords):
                pytest.fail(f"a layer or tensor asks Keras for float32:\n{c.source[:200]}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and FLOAT32.search(_name(node.func)):
                pytest.fail(f"the precision is set by mlutils.set_seed only:\n{c.source[:200]}")
        for call in _calls(tree):
            name = _name(call.func)
            if name.endswith("set_seed"):
                seen_seed = True
            elif BUILDS.search(name) and not seen_seed:
                pytest.fail(f"call mlutils.set_seed(SEED) before building with Keras "
                            f"({name}):\n{c.source[:200]}")


def test_set_seed_order_check_can_fail():
    import nbformat as nbf

    def verdict(*sources):
        book = nbf.v4.new_notebook()
        book.cells = [nbf.v4.new_code_cell(s) for s in sources]
        try:
            test_set_seed_comes_before_any_model_and_precision_is_not_overridden((None, book))
            return "ok"
        except (AssertionError, pytest.fail.Exception):
            return "fails"

    assert verdict("mlutils.set_seed(0)", "keras.layers.Dense(2)") == "ok"
    assert verdict("def f():\n    return keras.layers.Dense(2)", "mlutils.set_seed(0)", "f()") == "ok"
    assert verdict("keras.layers.Dense(2)\nmlutils.set_seed(0)") == "fails"
    assert verdict("# mlutils.set_seed(0)\nx = keras.Input((2,))") == "fails"
    assert verdict("mlutils.set_seed(0, precision='float32')") == "fails"
    assert verdict("mlutils.set_seed(0)", "keras.layers.Dense(2, dtype='float32')") == "fails"
    assert verdict("keras.config.set_floatx('float32')") == "fails"


# Measured-looking numbers: decimals with two or more places, percentages, "N times", "3x".
NUMBER = r"[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?"
MEASURED = re.compile(
    rf"(?<![\w.,])((?:{NUMBER})(?:\s?(?:%|percent\b|per cent\b|times\b)|[x×](?!\w)|\s×)"
    rf"|[-−]?\d+\.\d{{2,}}|[-−]?\d{{1,3}}(?:,\d{{3}})+\.\d+)(?![\w.])")
# Stripped before looking: code fences and math blocks whole; the marker lines of other
# directives (their bodies are prose); inline code; inline math; link targets.
FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\{(code-cell|code|math)\}|python|bash|text)?.*?^\1\s*$",
                   re.S | re.M)
CODE_OR_MATH = re.compile(r"\$\$.*?\$\$|`[^`\n]*`|\$[^$\n]+\$|\]\([^)\s]*\)|^:\w[\w-]*:[^\n]*$", re.S | re.M)


def prose_numbers(text: str) -> list[str]:
    """Measured-looking numbers in markdown text, outside code, math, links and glue roles."""
    def strip_fences(t):
        return FENCE.sub(lambda m: " " if (m.group(3) or m.group(2)) else m.group(0), t)

    text = strip_fences(text)
    text = re.sub(r"^(`{3,}|~{3,}).*$", " ", text, flags=re.M)  # remaining directive markers
    return [m.group(1) for m in MEASURED.finditer(CODE_OR_MATH.sub(" ", text))]


def test_prose_numbers_detector():
    assert prose_numbers("accuracy 0.734, 12% of pixels, 4.5 times faster, 3x, 10.5x, 50 %") == \
        ["0.734", "12%", "4.5 times", "3x", "10.5x", "50 %"]
    assert prose_numbers("a {glue:text}`acc:.3f` score, `Dropout(0.25)`, $0.125$, 3 x 3, "
                         "[paper](https://arxiv.org/abs/1506.01497)") == []
    assert prose_numbers("```{note}\nAccuracy 0.91 and 1,234.56 and -0.25\n```") == \
        ["0.91", "1,234.56", "-0.25"]
    assert prose_numbers("```{exercise}\n:label: ex1\nprecision at IoU 0.5 and 0.75\n```") == ["0.75"]
    assert prose_numbers("```python\nx = 0.123\n```\nthen 97 per cent and 3× faster") == \
        ["97 per cent", "3×"]
    assert prose_numbers("$$a = 0.333$$ and then 0.44") == ["0.44"]


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
                digits = re.search(r"\d[\d,]*(?:\.\d+)?", number).group(0).replace(",", "")
                value = float(digits)
                asserted = [l for l in solutions.get(label, "").splitlines() if "assert" in l]
                shown = {value, value / 100} if "%" in number or "cent" in number else {value}
                found = any(float(n) in shown for l in asserted
                            for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])",
                                                l.replace("_", "")))
                assert number in allowed or found, (
                    f"solution {label} states {number!r} but no assert in its code checks it")
        for number in prose_numbers(nbtools.SOLUTION.sub(" ", text)):
            seen.add(number)
            assert number in allowed, (f"typed measured number {number!r} in:\n{text[:300]}\n"
                                       "glue it (mlutils.glue) or allow it in the notebook "
                                       "metadata prose_numbers with a reason")
    stale = set(allowed) - seen
    assert not stale, f"prose_numbers lists numbers the text no longer has: {stale}"
