"""Training utilities that need Keras (imported only when used: see mlutils)."""
from __future__ import annotations

import time

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
