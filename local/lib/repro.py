"""Reproducible runs: the same printed numbers on every machine.

Every chapter calls :func:`set_seed` before it builds a model. Besides seeding Python,
NumPy and Keras, it makes Keras compute in float64 (``keras.config.set_floatx``).

Why float64: a float32 sum depends on the order in which it is added up, and that order
depends on how many threads share the work and how the CPU's caches split it. Training
amplifies those last-bit differences into different accuracies, so a float32 chapter
prints other numbers on another machine (measured: test accuracy 0.764 with one thread,
0.734 with two, same code and seed). In float64 the differences stay around 1e-15 and no
printed digit moves. It costs time (up to about 1.5x on convolution-heavy code), which
the chapters keep small.
"""
from __future__ import annotations

import random

import numpy as np

#: The precision every chapter computes in (see the module docstring).
PRECISION = "float64"
_PRECISIONS = ("float64", "float32")


def set_seed(seed: int = 0, deterministic_ops: bool = True, precision: str = PRECISION) -> None:
    """Seed Python, NumPy and Keras/TensorFlow and set Keras's float precision, so that a
    re-run prints the same numbers, on this machine and on others.

    Call it before building each model whose results you print: it resets the random
    state, so a cell gives the same weights whatever ran before it. Layers created after
    the call compute in ``precision``; inputs of another float type are cast by Keras.

    Args:
        seed: the seed, a non-negative int.
        deterministic_ops: also ask TensorFlow for deterministic kernels (slightly slower).
        precision: ``"float64"`` (the course's choice: results independent of thread
            count and CPU) or ``"float32"`` (faster; results can differ between machines).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    if not isinstance(deterministic_ops, bool):
        raise TypeError(f"deterministic_ops must be True or False, got {deterministic_ops!r}")
    if precision not in _PRECISIONS:
        raise ValueError(f"precision must be one of {_PRECISIONS}, got {precision!r}")
    random.seed(int(seed))
    np.random.seed(int(seed))
    import keras

    keras.config.set_floatx(precision)
    keras.utils.set_random_seed(int(seed))
    if deterministic_ops and keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
