"""What the course notebooks import: ``from local.lib import mlutils``.

One namespace over small modules split by concern:

- plots (:mod:`local.lib.plots`): ``plot_2Ddata``, ``plot_2Ddata_with_boundary``,
  ``plot_history``, ``show_images``;
- data made here (:mod:`local.lib.data`): ``make_shapes``, ``shapes_h5``, ``SHAPE_CLASSES``;
- downloads (:mod:`local.lib.download`): ``download``, ``sha256sum``, ``DownloadError``;
- reproducibility: ``set_seed`` (below);
- training (:mod:`local.lib.training`): ``EpochTimer``, a callback timing each epoch;
  ``build_training_state``, which creates a compiled model's optimizer and metric
  variables up front so that ``fit`` builds its TensorFlow graph once, not twice.

Nothing heavy is imported here: Keras is imported only by ``set_seed`` and on first use
of the training helpers.
"""
from __future__ import annotations

import random

import numpy as np

from .data import SHAPE_CLASSES, cache_dir, make_shapes, shapes_h5
from .download import DownloadError, download, sha256sum
from .plots import plot_2Ddata, plot_2Ddata_with_boundary, plot_history, show_images

__all__ = [
    "SHAPE_CLASSES", "cache_dir", "make_shapes", "shapes_h5",
    "DownloadError", "download", "sha256sum",
    "plot_2Ddata", "plot_2Ddata_with_boundary", "plot_history", "show_images",
    "set_seed", "EpochTimer", "build_training_state",
]


def __getattr__(name: str):
    if name in ("EpochTimer", "build_training_state"):  # need Keras: imported when asked for
        from . import training

        return getattr(training, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def set_seed(seed: int = 0, deterministic_ops: bool = True) -> None:
    """Seed Python, NumPy and Keras/TensorFlow so that a re-run prints the same numbers.

    Call it before building each model whose results you print: it resets the random
    state, so a cell gives the same weights whatever ran before it.

    Args:
        seed: the seed.
        deterministic_ops: also ask TensorFlow for deterministic kernels (slightly slower).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    import keras

    keras.utils.set_random_seed(int(seed))
    if deterministic_ops and keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
