"""Shared notebook tooling: the repository setting, the Colab setup cell, normalization.

The repository URL and branch are read from ``_config.yml`` (``repository:``), the one
place they live. Everything else that needs them derives them here:

- :func:`setup_cell_source` is the hidden first cell of every chapter;
- :func:`colab_url` is the link Jupyter Book's Colab button builds for a notebook.

``python -m tools normalize`` rewrites every notebook's setup cell and normalizes its
metadata without executing anything (``python -m tools refresh`` executes, then calls this).

It also defines what the tests compare: :func:`compared_texts` (the text nbval compares in
a cell), :func:`glued_values` and :func:`output_digests` (what a sweep record holds).
"""
from __future__ import annotations

import configparser
import copy
import functools
import hashlib
import re
import sys
from pathlib import Path

import nbformat
import yaml

from local.lib.glue import GLUE_PREFIX  # where MyST-NB stores glued values

ROOT = Path(__file__).resolve().parent.parent
SETUP_TAG = "colab-setup"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
#: Folder Colab clones the course into.
COLAB_CLONE = "/content/dl-course"
#: Tags: outputs nbval does not compare; papermill's injected cell; cells that show a sweep
#: record (left out of the record's own digests: they show the record, not the run);
#: solution cells appended by the tests.
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip"}
IGNORE_COMMENTS = ("# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP")
INJECTED_TAG = "injected-parameters"
SWEEP_TAG = "sweep-summary"
SOLUTION_TAG = "solution"
#: Markdown cells papermill inserts when a cell fails.
ERROR_TAG = "papermill-error-cell-tag"


def config() -> dict:
    """The book's ``_config.yml`` as a dict."""
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def repository() -> tuple[str, str]:
    """``(url, branch)`` of the course repository, from ``_config.yml``."""
    repo = config()["repository"]
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def notebooks() -> list[Path]:
    """Every chapter notebook under ``content/``, sorted."""
    return sorted(p for p in (ROOT / "content").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


#: How a chapter states its running time (in its introduction) and the landing page's table
#: cell for it; ``tools/benchmark.py --write`` fills both from one measurement.
RUNTIME_CLAIM = re.compile(r"Runs in about (\d+) seconds on a 2-core CPU")
INTRO_ROW = re.compile(r"^(?P<head>\| \[[^]]+\]\((?P<page>content/[^)]+)\) \|.*\| about )"
                       r"(?P<s>\d+)(?P<tail> s \|)$", re.M)
INTRO_TOTAL = re.compile(r"\(all (\d+) chapters: about ([\d.]+) minutes\)")


def total_minutes(seconds: list[int]) -> float:
    """The landing page's total: the chapters' stated seconds, in minutes, to the half minute."""
    return round(sum(seconds) / 30) / 2


def page(path: Path) -> str:
    """A notebook's page name as links and ``_toc.yml`` write it (no suffix)."""
    return path.resolve().relative_to(ROOT).with_suffix("").as_posix()


def runtime_claims(nb) -> list[int]:
    """The seconds a notebook's markdown says it runs in (one claim expected)."""
    return [int(m.group(1)) for c in nb.cells if c.cell_type == "markdown"
            for m in RUNTIME_CLAIM.finditer(c.source)]


def intro_runtimes() -> dict[str, int]:
    """``{page: seconds}`` from the chapter table of ``intro.md``."""
    text = (ROOT / "intro.md").read_text()
    return {m["page"]: int(m["s"]) for m in INTRO_ROW.finditer(text)}


SOLUTION = re.compile(r"```\{solution\} (\S+)\n(.*?)```", re.S)
INDENTED_BLOCK = re.compile(r"(?:^|\n\n)((?:    .*(?:\n|$)|\n)+)")


def solution_code(nb) -> list[tuple[str, str]]:
    """``(label, code)`` for every code block in the notebook's exercise solutions.

    Solutions are ``{solution}`` blocks in markdown cells; their code is written as indented
    (4-space) blocks, which is what this returns, dedented, in the order of the chapter.
    """
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for match in SOLUTION.finditer(cell.source):
            for block in INDENTED_BLOCK.findall(match.group(2)):
                if block.strip():
                    code = "\n".join(line[4:] for line in block.strip("\n").splitlines())
                    found.append((match.group(1), code))
    return found


def toc_files() -> set[str]:
    """The files named in ``_toc.yml``, as repository-relative paths without suffix."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    found.add(str(node[key]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    return found


def colab_url(notebook: Path) -> str:
    """The "open in Colab" address of a notebook, as the book's launch button builds it."""
    url, branch = repository()
    org_repo = url.split("github.com/", 1)[1]
    colab = config()["launch_buttons"]["colab_url"].rstrip("/")
    rel = notebook.resolve().relative_to(ROOT).as_posix()
    return f"{colab}/github/{org_repo}/blob/{branch}/{rel}"


def setup_cell_source() -> str:
    """Source of the hidden setup cell that starts every chapter."""
    url, branch = repository()
    return f'''\
# Setup (hidden on the web page; generated by python -m tools normalize from _config.yml).
# On Google Colab: fetch the course helpers, `local`, from the branch this page comes from.
# Anywhere else `local` is installed already (pip install -e .) and this cell only sets
# the environment variables below, which must be set before TensorFlow is imported.
import os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")   # no C++ log lines among the outputs
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # the same float results on every CPU
os.environ.setdefault("COLUMNS", "100")              # fixed width for model.summary()
if "google.colab" in sys.modules:
    COURSE_DIR = os.environ.get("COURSE_DIR", "{COLAB_CLONE}")
    if not os.path.isdir(COURSE_DIR):
        import subprocess
        subprocess.run(["git", "clone", "--quiet", "--depth=1", "--branch={branch}",
                        os.environ.get("COURSE_REPO", "{url}"), COURSE_DIR], check=True)
    sys.path.insert(0, COURSE_DIR)'''


def is_setup_cell(cell) -> bool:
    return cell.cell_type == "code" and SETUP_TAG in cell.metadata.get("tags", [])


def normalize(nb) -> None:
    """Put the current setup cell first and strip run-specific metadata, in place."""
    setup = nbformat.v4.new_code_cell(setup_cell_source())
    setup.metadata["tags"] = [SETUP_TAG, "remove-cell"]
    cells = [c for c in nb.cells if not is_setup_cell(c)]
    old = next((c for c in nb.cells if is_setup_cell(c)), None)
    if old is not None:
        setup.outputs, setup.execution_count = old.outputs, old.execution_count
    nb.cells = [setup] + cells
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    # Stable cell ids: position-based, so re-running never churns them.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:03d}"


def coalesce_streams(outputs: list) -> list:
    """Merge consecutive outputs of the same stream: how printed text arrives in chunks
    depends on timing, what it says does not."""
    merged: list = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged
                and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(copy.deepcopy(out))  # never change the cell's own outputs
    return merged


def is_ignored(cell) -> bool:
    """True when nbval does not compare this cell's outputs."""
    tags = set(cell.metadata.get("tags", []))
    return bool(tags & IGNORE_TAGS) or cell.source.lstrip().startswith(IGNORE_COMMENTS)


@functools.lru_cache(maxsize=1)
def _sanitizers() -> list[tuple[re.Pattern, str]]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "tests" / "nbval-sanitize.cfg")
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def compared_texts(cell) -> list[str]:
    """The texts strict nbval compares for a code cell (after the sanitizer rules): streams,
    ``text/plain``, ``text/html`` and glued values (the chapters' only text outputs; nbval
    also compares other non-image types, which a chapter would have to add here). Empty for
    ignored cells."""
    if cell.cell_type != "code" or is_ignored(cell):
        return []
    rules = _sanitizers()
    texts = []
    for out in coalesce_streams(cell.outputs):
        if out.get("output_type") == "stream":
            texts.append(f"{out['name']}:{out['text']}")
        for key, value in out.get("data", {}).items():
            if key in ("text/plain", "text/html") or key.startswith(GLUE_PREFIX):
                texts.append(f"{key}:{value}")
        if out.get("output_type") == "error":
            texts.append(f"error:{out.get('ename')}: {out.get('evalue')}")
    for pattern, replace in rules:
        texts = [pattern.sub(replace, t) for t in texts]
    return texts


def chapter_cells(nb) -> list:
    """The cells of the chapter itself as stored: without papermill's injected parameters
    cell and without solution cells appended by the tests; ids as :func:`normalize` gives."""
    cells = [c for c in nb.cells
             if not set(c.metadata.get("tags", [])) & {INJECTED_TAG, SOLUTION_TAG, ERROR_TAG}]
    return [(f"c{i:03d}", c) for i, c in enumerate(cells)]


def glued_values(nb, include_sweep_summary: bool = False) -> dict[str, str]:
    """``{name: stored text}`` of every value the chapter glued (``mlutils.glue``), in order.

    Values glued by cells tagged ``sweep-summary`` (which show a sweep record) are left out
    unless asked for."""
    found: dict[str, str] = {}
    for _, cell in chapter_cells(nb):
        if cell.cell_type != "code" or (SWEEP_TAG in cell.metadata.get("tags", [])
                                        and not include_sweep_summary):
            continue
        for out in cell.outputs:
            meta = out.get("metadata", {}).get("scrapbook")
            if meta:
                data = out.get("data", {})
                text = data.get(meta.get("mime_prefix", "") + "text/plain")
                if text is not None:
                    found[meta["name"]] = text
    return found


def output_digests(nb) -> dict[str, str]:
    """``{cell id: digest}`` of the compared text of every code cell of the chapter that
    prints something nbval compares (cells tagged ``sweep-summary`` left out)."""
    digests = {}
    for cid, cell in chapter_cells(nb):
        if cell.cell_type != "code" or SWEEP_TAG in cell.metadata.get("tags", []):
            continue
        texts = compared_texts(cell)
        if texts:
            digests[cid] = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    return digests


def parameters_cell(nb):
    """The chapter's cell tagged ``parameters`` (exactly one is expected)."""
    found = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if len(found) != 1:
        raise ValueError(f"expected one cell tagged 'parameters', found {len(found)}")
    return found[0]


def parameter_defaults(nb) -> dict:
    """The names and default values the parameters cell assigns (it is run on its own)."""
    scope: dict = {}
    exec(parameters_cell(nb).source, {}, scope)  # the cell only assigns constants
    return {k: v for k, v in scope.items() if k.isupper()}


EXAMPLE = re.compile(r"`papermill [^`]*`")
OPTION = re.compile(r"-p (\w+) (\S+)")


def parameters_example(nb) -> dict:
    """The ``-p NAME VALUE`` example(s) in the first line of the parameters cell, with values
    read as papermill's command line reads them."""
    from papermill.cli import _resolve_type

    first = parameters_cell(nb).source.splitlines()[0]
    example = EXAMPLE.search(first)
    found = OPTION.findall(example.group(0).strip("`")) if example else []
    if not found:
        raise ValueError("the parameters cell's first line should show a papermill example "
                         "in backticks, e.g. `papermill ... -p SEED 1`")
    rest = OPTION.sub("", example.group(0).strip("`")).split()[1:]
    if any(word.startswith("-") for word in rest):
        raise ValueError(f"the example may only pass parameters (-p NAME VALUE): {example.group(0)}")
    return {name: _resolve_type(value) for name, value in found}


def main(paths: list[str]) -> None:
    targets = [Path(p) for p in paths] or notebooks()
    for path in targets:
        nb = nbformat.read(path, as_version=4)
        normalize(nb)
        nbformat.write(nb, path)
        print(f"normalized {path.relative_to(ROOT) if path.is_absolute() else path}")


if __name__ == "__main__":
    main(sys.argv[1:])
