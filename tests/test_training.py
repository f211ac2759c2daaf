"""Training utilities (local/lib/training.py), reached through mlutils."""
import numpy as np

from local.lib import mlutils


def test_epoch_timer_records_one_time_per_epoch():
    import keras

    mlutils.set_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    timer = mlutils.EpochTimer()
    model.fit(np.zeros((8, 2)), np.zeros(8), epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.seconds) == 3 and all(s > 0 for s in timer.seconds)
