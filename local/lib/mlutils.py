"""What the course notebooks import: ``from local.lib import mlutils``.

One namespace over small modules split by concern:

- plots (:mod:`local.lib.plots`): ``plot_2Ddata``, ``plot_2Ddata_with_boundary``,
  ``plot_history``, ``show_images``;
- data made here (:mod:`local.lib.data`): ``make_shapes``, ``shapes_h5``, ``SHAPE_CLASSES``;
- downloads (:mod:`local.lib.download`): ``download``, ``sha256sum``, ``DownloadError``;
- reproducibility (:mod:`local.lib.repro`): ``set_seed``, which also makes Keras compute in
  float64 so that every machine prints the same numbers;
- numbers in prose (:mod:`local.lib.glue`): ``glue``; multi-run records
  (:mod:`local.lib.sweeps`): ``load_sweep``;
- mask scores (:mod:`local.lib.metrics`): ``mask_iou``, ``iou_per_class``;
- training (:mod:`local.lib.training`): ``EpochTimer``, a callback timing each epoch;
  ``build_training_state``, which creates a compiled model's optimizer and metric
  variables up front so that ``fit`` builds its TensorFlow graph once, not twice;
- model pieces (:mod:`local.lib.models`): ``compile_classifier``, ``conv_bn_relu``,
  ``multiply_adds``.

Nothing heavy is imported here: Keras is imported only by ``set_seed`` and on first use
of the training and model helpers.
"""
from __future__ import annotations

from .data import SHAPE_CLASSES, make_shapes, shapes_h5
from .download import DownloadError, download, sha256sum
from .glue import glue
from .metrics import iou_per_class, mask_iou
from .plots import plot_2Ddata, plot_2Ddata_with_boundary, plot_history, show_images
from .repro import PRECISION, set_seed
from .settings import cache_dir
from .sweeps import load_sweep

__all__ = [
    "SHAPE_CLASSES", "cache_dir", "make_shapes", "shapes_h5",
    "DownloadError", "download", "sha256sum",
    "plot_2Ddata", "plot_2Ddata_with_boundary", "plot_history", "show_images",
    "PRECISION", "set_seed", "glue", "load_sweep", "mask_iou", "iou_per_class",
    "EpochTimer", "build_training_state", "compile_classifier", "conv_bn_relu", "multiply_adds",
]

_LAZY = {"EpochTimer": "training", "build_training_state": "training",
         "compile_classifier": "models", "conv_bn_relu": "models", "multiply_adds": "models"}


def __getattr__(name: str):
    if name in _LAZY:  # these need Keras: imported when first asked for
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
