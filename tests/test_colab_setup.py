"""The hidden setup cell: on a simulated Colab it clones the course from the configured
branch (here a local git repository stands in for GitHub) and makes `local` importable;
elsewhere it does nothing but set environment variables."""
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from tools import nbtools

RUN = textwrap.dedent("""
    import sys, json
    if {fake_colab}:
        import types
        google = types.ModuleType("google"); google.colab = types.ModuleType("google.colab")
        sys.modules["google"] = google; sys.modules["google.colab"] = google.colab
    path_before = list(sys.path)
    exec(open({cell!r}).read())
    from local.lib import mlutils
    print(json.dumps({{"mlutils": mlutils.__file__, "path_changed": sys.path != path_before}}))
""")


def run_cell(tmp_path, fake_colab, env):
    cell = tmp_path / "setup_cell.py"
    cell.write_text(nbtools.setup_cell_source())
    code = RUN.format(fake_colab=fake_colab, cell=str(cell))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    import json
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def course_repo(tmp_path):
    """A git repository holding the course's `local` package on the configured branch."""
    _, branch = nbtools.repository()
    repo = tmp_path / "origin"
    shutil.copytree(nbtools.ROOT / "local", repo / "local",
                    ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=x"]
    subprocess.run(git + ["init", "-q", str(repo)], check=True)
    subprocess.run(git + ["-C", str(repo), "checkout", "-q", "-b", branch], check=True)
    subprocess.run(git + ["-C", str(repo), "add", "."], check=True)
    subprocess.run(git + ["-C", str(repo), "commit", "-q", "-m", "course"], check=True)
    # a decoy commit on another branch: the cell must not take it
    subprocess.run(git + ["-C", str(repo), "checkout", "-q", "-b", "other"], check=True)
    (repo / "local" / "lib" / "mlutils.py").write_text("raise ImportError('wrong branch')\n")
    subprocess.run(git + ["-C", str(repo), "commit", "-q", "-am", "decoy"], check=True)
    return repo


def test_on_colab_the_cell_clones_the_configured_branch(tmp_path, course_repo):
    clone = tmp_path / "content" / "dl-course"
    env = {**os.environ, "COURSE_REPO": f"file://{course_repo}", "COURSE_DIR": str(clone)}
    result = run_cell(tmp_path, True, env)
    assert result["mlutils"] == str(clone / "local" / "lib" / "mlutils.py")
    assert result["path_changed"]
    # a second run (the cell re-executed) reuses the clone
    result = run_cell(tmp_path, True, env)
    assert result["mlutils"] == str(clone / "local" / "lib" / "mlutils.py")


def test_elsewhere_the_cell_fetches_nothing(tmp_path):
    env = {**os.environ, "COURSE_REPO": "file:///nonexistent", "COURSE_DIR": str(tmp_path / "c")}
    result = run_cell(tmp_path, False, env)
    assert not result["path_changed"] and not (tmp_path / "c").exists()
    assert result["mlutils"].startswith(str(nbtools.ROOT))


def test_the_cell_names_the_configured_repository_and_branch():
    url, branch = nbtools.repository()
    source = nbtools.setup_cell_source()
    assert f'"{url}"' in source and f"--branch={branch}" in source
