"""Test-session set-up shared by tests/ and the nbval runs of content/.

The notebook kernels that nbval starts inherit this process's environment, so the
variables that make notebook outputs identical everywhere are set here, before any kernel
starts (the notebooks' setup cells set the same defaults for other runners).
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tools"))

from refresh import NOTEBOOK_ENV  # noqa: E402

os.environ.update(NOTEBOOK_ENV)
