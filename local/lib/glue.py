"""Numbers in prose come from code: glue a value in a code cell, cite it in markdown.

In a code cell::

    mlutils.glue("test_acc", accuracy, digits=3)

In markdown, ``{glue:text}`test_acc``` renders the value (MyST-NB's glue role). The value
is stored as a notebook output, so strict nbval compares it like any print, and
``python -m tools sweep`` collects glued values into a chapter's sweep record.

Round what you glue (``digits``) to what you would print: the stored text is compared
exactly, and float64 results agree across machines to about 15 digits, not 17.
"""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

#: MIME prefix under which MyST-NB stores a glued value that is not displayed.
GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, value: Any, digits: int | None = None) -> Any:
    """Store ``value`` under ``name`` for ``{glue:text}`name``` in markdown; return it.

    Args:
        name: a key, unique in the notebook (letters, digits, ``_`` and ``-``).
        value: a number, string or other displayable object. NumPy scalars are stored as
            the Python number they hold (``0.5``, not ``np.float64(0.5)``).
        digits: round floats to this many decimals first (recommended for measured
            values: see the module docstring). ``None`` keeps the value as it is.
    """
    if not isinstance(name, str) or not name or not all(c.isalnum() or c in "_-" for c in name):
        raise ValueError(f"name must be a non-empty string of letters, digits, _ and -, got {name!r}")
    if digits is not None and (isinstance(digits, bool) or not isinstance(digits, int) or digits < 0):
        raise ValueError(f"digits must be a non-negative int or None, got {digits!r}")
    if isinstance(value, np.generic):
        value = value.item()
    if digits is not None:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"digits applies to numbers; value is {type(value).__name__}")
        if isinstance(value, float):
            value = round(value, digits)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # e.g. on Colab: store the same output MyST-NB would
        _glue_without_myst(name, value)
    else:
        myst_glue(name, value, display=False)
    return value


def _glue_without_myst(name: str, value: Any) -> None:
    """What ``myst_nb.glue(name, value, display=False)`` displays, without MyST-NB."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
