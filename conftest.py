"""Test-session set-up shared by tests/ and the strict nbval runs of content/.

- Environment: the notebook kernels that nbval starts inherit this process's environment.
  They get the refresh's variables (tools/settings.py) and, on top, other run conditions
  (one intra-op thread, another hash seed) and a fresh, empty cache folder: the stored
  outputs must come out the same under them.
- Marks: every nbval cell is marked ``slow`` (``pytest -m "not slow"`` then executes no
  notebook), and every test that concerns one chapter carries ``chapter(STEM)``;
  ``--chapter STEM`` keeps only those (plus nothing else).
- Scheduling under ``pytest -n 2 --dist loadgroup``: each chapter's nbval cells form one
  group, its second run another, every other test file one more; the groups are queued
  longest first (by the chapters' measured running times), so that the two workers finish
  together.
"""
from __future__ import annotations

import os
import re
import tempfile

import pytest

from tools import nbtools, settings

os.environ.update(settings.NOTEBOOK_ENV)
os.environ.update(settings.NBVAL_CONDITIONS)
# hermetic runs: nothing left in a user's cache can make a test pass or fail (each notebook
# that nbval runs gets a folder of its own below this one: pytest_runtest_setup)
_CACHE_ROOT = tempfile.mkdtemp(prefix="dl-course-test-cache-")
os.environ["MLUTILS_CACHE_DIR"] = _CACHE_ROOT


def pytest_addoption(parser):
    parser.addoption("--chapter", action="append", default=[], metavar="STEM",
                     help="run only the tests of this chapter (e.g. 03-dropout-and-pooling): "
                          "its strict nbval, its second run (parameters example, sweep "
                          "record, solutions) and its page in the browser; repeatable")


def pytest_configure(config):
    config.addinivalue_line("markers", "chapter(stem): the test concerns this chapter only")
    known = {p.stem for p in nbtools.notebooks()}
    for stem in config.getoption("chapter"):
        if stem not in known:
            raise pytest.UsageError(f"--chapter {stem}: no such chapter (one of: "
                                    f"{', '.join(sorted(known))})")
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False  # we order the groups ourselves (below)


def _stated_seconds() -> dict[str, int]:
    seconds = {}
    for path in nbtools.notebooks():
        text = path.read_text()
        found = nbtools.RUNTIME_CLAIM.search(text)
        seconds[path.stem] = int(found.group(1)) if found else 30
    return seconds


def _chapter_of(item) -> str | None:
    mark = item.get_closest_marker("chapter")
    if mark:
        return mark.args[0]
    if item.__class__.__name__ == "IPyNbCell":
        return item.path.stem
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    wanted = config.getoption("chapter")
    seconds = _stated_seconds()
    weight = {}
    for item in items:
        chapter = _chapter_of(item)
        if item.__class__.__name__ == "IPyNbCell":
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.chapter(chapter))
            group = f"nbval-{chapter}"
            weight[group] = seconds.get(chapter, 30)
        elif chapter and item.get_closest_marker("xdist_group") is None:
            group = f"{item.path.stem}-{chapter}"
            # the second run executes the chapter (and its solutions); the rest is quick
            weight[group] = seconds.get(chapter, 30) * 1.2 if "second_run" in group else 1
        elif item.get_closest_marker("xdist_group") is not None:
            mark = item.get_closest_marker("xdist_group")
            group = mark.args[0]
            weight.setdefault(group, mark.kwargs.get("weight", 20))
        else:
            group = re.sub(r"\W", "_", item.path.name)
            weight.setdefault(group, 1)
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(group))
        item.stash[_GROUP] = group
        item.stash[_WEIGHT] = weight[group]
    if wanted:
        keep = [i for i in items if _chapter_of(i) in wanted]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


def _sort_longest_first(items):
    """Longest groups first; the order of items within a group is kept."""
    order = {g: n for n, g in enumerate(dict.fromkeys(i.stash[_GROUP] for i in items))}
    items.sort(key=lambda i: (-i.stash[_WEIGHT], order[i.stash[_GROUP]]))


class _LastSort:
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        _sort_longest_first(items)


def pytest_sessionstart(session):
    session.config.pluginmanager.register(_LastSort(), "longest-groups-first")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A fresh, empty cache folder for each notebook that nbval runs (set before its kernel
    starts, which happens when the notebook's first cell is set up)."""
    if item.__class__.__name__ == "IPyNbCell" and item.parent is not _CURRENT.get("notebook"):
        _CURRENT["notebook"] = item.parent
        os.environ["MLUTILS_CACHE_DIR"] = tempfile.mkdtemp(
            prefix=f"nbval-{item.path.stem}-", dir=_CACHE_ROOT)


_GROUP = pytest.StashKey[str]()
_WEIGHT = pytest.StashKey[float]()
_CURRENT: dict = {}
