"""The strict book build and what the built HTML must contain."""
import re

import pytest

from tools import nbtools

pytestmark = pytest.mark.xdist_group("book", weight=60)  # with test_browser.py: one build
CHAPTERS = [pytest.param(p, id=p.stem, marks=pytest.mark.chapter(p.stem)) for p in nbtools.notebooks()]


def page(html, notebook):
    return (html / notebook.relative_to(nbtools.ROOT).with_suffix(".html")).read_text()


@pytest.mark.slow
def test_only_toc_files_are_pages(html):
    pages = {p.relative_to(html).with_suffix("").as_posix() for p in html.rglob("*.html")
             if not p.relative_to(html).parts[0].startswith("_")}
    assert pages - {"index", "genindex", "search"} == nbtools.toc_files()


@pytest.mark.slow
@pytest.mark.parametrize("notebook", CHAPTERS)
def test_notebook_pages_have_colab_and_download_buttons(html, notebook):
    text = page(html, notebook)
    colab = re.findall(r'href="(https://colab\.research\.google\.com/[^"]+)"', text)
    assert colab == [nbtools.colab_url(notebook)]
    assert notebook.name in text and "btn-download-source-button" in text


@pytest.mark.slow
@pytest.mark.parametrize("notebook", CHAPTERS)
def test_notebook_pages_show_no_stderr_progress_or_setup(html, notebook):
    text = page(html, notebook)
    assert "output stderr" not in text and "stderr" not in re.sub(r"<script.*?</script>", "", text, flags=re.S)
    assert not re.search(r"\d+/\d+ \[=+|ms/step|\d+%\|", text)
    assert "COURSE_DIR" not in text  # the setup cell is removed from the page
