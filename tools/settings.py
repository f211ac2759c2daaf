"""Settings of the tools and tests: environments of notebook runs, Chromium, time limits.

Where notebooks run:

- ``python -m tools refresh`` (the stored outputs): :data:`NOTEBOOK_ENV`, TensorFlow's
  default thread count (the machine's cores).
- the strict nbval run in the tests: :data:`NBVAL_CONDITIONS` on top, i.e. one intra-op
  thread and another hash seed. The outputs must still match: that is the proof that they
  do not depend on the machine.
- the second run in the tests (parameters example + solutions): :data:`SECOND_RUN_CONDITIONS`,
  one thread more than the machine has cores, a third hash seed.

Every run in the tests gets a fresh cache folder (``MLUTILS_CACHE_DIR``).
"""
from __future__ import annotations

import os

#: Environment every notebook runs with (the notebooks' setup cell sets the same defaults).
NOTEBOOK_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "COLUMNS": "100",
                "PYTHONHASHSEED": "0"}

#: Conditions of the strict nbval run, unlike the refresh's.
NBVAL_CONDITIONS = {"TF_NUM_INTRAOP_THREADS": "1", "PYTHONHASHSEED": "1"}

#: Conditions of the second run of each chapter, unlike both others.
SECOND_RUN_CONDITIONS = {"TF_NUM_INTRAOP_THREADS": str((os.cpu_count() or 1) + 1),
                         "PYTHONHASHSEED": "2"}

#: Seconds one cell may run in the tests before the run is stopped (papermill and nbval).
CELL_TIMEOUT = 300
#: Seconds a kernel may take to start.
KERNEL_START_TIMEOUT = 120

#: Debian's Chromium, for the browser tests and the page weights; override with $CHROMIUM.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

#: The README's test command, which CI runs (tests check that both show this one).
SUITE = ["pytest", "-n", "2", "--dist", "loadgroup"]
