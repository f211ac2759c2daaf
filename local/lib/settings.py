"""Course-wide settings: where downloaded and generated files are kept.

One setting, read from the environment at each call (so a notebook or a test can change it
at any time):

``MLUTILS_CACHE_DIR``
    The cache folder used by :func:`local.lib.download.download` and
    :func:`local.lib.data.shapes_h5`. When unset or empty it is ``~/.cache/dl-course``.
    ``~`` in the value is expanded. The folder is created by the helpers that write to it,
    not here.

Files in the cache that fail verification are never deleted unseen: the helpers move them
aside with :func:`move_aside` and say so in a warning.
"""
from __future__ import annotations

import os
from pathlib import Path

#: The environment variable that overrides the cache folder.
CACHE_DIR_ENV = "MLUTILS_CACHE_DIR"

#: The cache folder when ``$MLUTILS_CACHE_DIR`` is unset.
DEFAULT_CACHE_DIR = Path("~") / ".cache" / "dl-course"


def cache_dir() -> Path:
    """The folder for downloaded and generated files.

    ``$MLUTILS_CACHE_DIR`` when set (``~`` expanded), else ``~/.cache/dl-course``. It is
    not created here.
    """
    env = os.environ.get(CACHE_DIR_ENV)
    return Path(env).expanduser() if env else DEFAULT_CACHE_DIR.expanduser()


def move_aside(path: str | os.PathLike, tag: str = "corrupt") -> Path | None:
    """Rename ``path`` to ``<path>.<tag>-<k>``, with ``k`` the smallest unused number from 1.

    Used for a cached file that failed verification, so that it is kept for inspection
    instead of being deleted. Returns the new path, or ``None`` when ``path`` no longer
    exists (another process moved or replaced it first).
    """
    path = Path(path)
    k = 1
    while True:
        aside = path.with_name(f"{path.name}.{tag}-{k}")
        if not aside.exists():
            try:
                os.replace(path, aside)
            except FileNotFoundError:
                return None
            return aside
        k += 1
