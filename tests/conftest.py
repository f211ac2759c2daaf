"""Fixtures for the unit tests. Plots are drawn off-screen."""
import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder, set as MLUTILS_CACHE_DIR for the test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MLUTILS_CACHE_DIR", str(folder))
    return folder


def pytest_terminal_summary(terminalreporter):
    """Print the download fault cases and their outcomes (recorded by test_download.py)."""
    rows = []
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for key, value in getattr(report, "user_properties", []):
                if key == "download-case" and report.when == "call":
                    rows.append((value[0], value[1], outcome.upper()))
    if rows:
        terminalreporter.section("download() under network faults")
        width = max(len(r[0]) for r in rows)
        for name, what, outcome in sorted(rows):
            terminalreporter.write_line(f"{name:<{width}}  {outcome:<6}  {what}")


@pytest.fixture(scope="session")
def html(tmp_path_factory):
    """The book, built strictly (any warning fails) into a temporary folder."""
    import re
    import subprocess

    from tools import build

    out = tmp_path_factory.mktemp("book")
    result = subprocess.run(
        build.command(["--path-output", str(out)]),
        capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert not re.search(r"WARNING|ERROR", log), log[-3000:]
    return out / "_build" / "html"
