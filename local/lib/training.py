"""Training utilities that need Keras (imported only when used: see mlutils)."""
from __future__ import annotations

import time
from typing import Any

import keras


class EpochTimer(keras.callbacks.Callback):
    """Keras callback: wall-clock seconds of each training epoch, in ``self.seconds``.

    Pass it to ``model.fit(..., callbacks=[timer])``; after training, ``timer.seconds[-1]``
    is the last epoch's time (the first epoch also includes building the graph).
    """

    def on_train_begin(self, logs=None):
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def build_training_state(model: keras.Model, x: Any, y: Any) -> None:
    """Create a compiled model's training variables now, from one example batch.

    ``fit`` needs, besides the weights, the optimizer's slots (Adam keeps two per weight)
    and the variables of the compiled loss and metrics. On the TensorFlow backend Keras
    creates them while it traces the training step into a graph, and TensorFlow then
    traces that step a second time (about 0.4 s for a small model). Creating them here
    first makes ``fit`` trace once. Training results are unchanged: nothing random is
    drawn and the metrics are reset afterwards.

    Args:
        model: a built, compiled Keras model.
        x: a batch of inputs (one example is enough), e.g. ``X[:1]``.
        y: the matching targets, e.g. ``y[:1]``.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not model.compiled:
        raise ValueError("compile the model first: build_training_state builds the state of "
                         "its optimizer, loss and metrics")
    y_pred = model(x, training=False)
    model.compute_loss(x, y, y_pred, training=False)
    model.compute_metrics(x, y, y_pred, sample_weight=None)
    model.reset_metrics()
    model.optimizer.build(model.trainable_variables)
