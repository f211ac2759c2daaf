"""Run one notebook with papermill, under a given environment, and normalize it."""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import papermill

from tools import nbtools, settings


@contextmanager
def environment(env: dict[str, str]):
    """Set ``env`` in ``os.environ`` (the kernel inherits it) and restore it afterwards."""
    saved = {k: os.environ.get(k) for k in env}
    try:
        os.environ.update(env)
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute(path: Path, output: Path | None = None, parameters: dict | None = None,
            cwd: Path | None = None, cell_seconds: list | None = None,
            env: dict[str, str] | None = None, timeout: int | None = None) -> float:
    """Run one notebook with papermill and normalize it; return the seconds it took.

    The notebook is written to ``output`` (default: in place). The working folder is
    ``cwd``, by default the notebook's own folder. The kernel gets
    :data:`settings.NOTEBOOK_ENV` plus ``env``. ``timeout`` limits each cell (seconds;
    ``None``: no limit). If ``cell_seconds`` is a list, it receives ``(cell index, seconds,
    first source line)`` for every code cell (papermill's measurement, which normalizing
    removes). Raises ``papermill.PapermillExecutionError`` when a cell fails; ``output``
    then holds the notebook as far as it ran.
    """
    output = Path(output or path)
    nb = nbformat.read(path, as_version=4)
    nbtools.normalize(nb)  # run the current setup cell, not a stale one
    nbformat.write(nb, output)
    start = time.perf_counter()
    with environment({**settings.NOTEBOOK_ENV, **(env or {})}):
        papermill.execute_notebook(
            str(output), str(output), parameters=parameters or {},
            cwd=str(cwd or Path(path).resolve().parent), kernel_name="python3",
            progress_bar=False, log_output=False, execution_timeout=timeout,
            start_timeout=settings.KERNEL_START_TIMEOUT,
            request_save_on_cell_execute=False)  # write once at the end, not after every cell
    seconds = time.perf_counter() - start
    nb = nbformat.read(output, as_version=4)
    if cell_seconds is not None:
        cell_seconds.extend(
            (i, cell.metadata.get("papermill", {}).get("duration") or 0.0,
             (cell.source.splitlines() or [""])[0])
            for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    nbtools.normalize(nb)
    nbformat.write(nb, output)
    return seconds
