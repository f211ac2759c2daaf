"""Training utilities (local/lib/training.py), reached through mlutils."""
import numpy as np
import pytest

from local.lib import mlutils


def test_epoch_timer_records_one_time_per_epoch():
    import keras

    mlutils.set_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    timer = mlutils.EpochTimer()
    model.fit(np.zeros((8, 2)), np.zeros(8), epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.seconds) == 3 and all(s > 0 for s in timer.seconds)


def _mlp(seed=0):
    import keras

    mlutils.set_seed(seed)
    inputs = keras.Input((2,))
    h = keras.layers.Dropout(0.3)(keras.layers.Dense(16, activation="relu")(inputs))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(h))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _count_traces(model):
    """Wrap train_step to count how often TensorFlow traces it (Python runs it only then)."""
    calls = []
    step = model.train_step
    model.train_step = lambda data: (calls.append(1), step(data))[1]
    return calls


def test_build_training_state_makes_fit_trace_once_with_the_same_results():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 2)), (rng.random(64) > 0.5).astype(int)
    results, traces = [], []
    for prebuild in (False, True):
        model = _mlp()
        calls = _count_traces(model)
        if prebuild:
            mlutils.build_training_state(model, x[:1], y[:1])
            assert model.optimizer.built
        history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
        results.append(history.history)
        traces.append(len(calls))
    # Without the helper TensorFlow traces the step twice (variables are created during
    # the first trace); with it, once. The training itself is identical.
    assert traces == [2, 1]
    assert results[0] == results[1]


def test_build_training_state_rejects_bad_models():
    import keras

    with pytest.raises(TypeError, match="keras.Model"):
        mlutils.build_training_state("model", np.zeros((1, 2)), np.zeros(1))
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="compile the model first"):
        mlutils.build_training_state(model, np.zeros((1, 2)), np.zeros(1))
