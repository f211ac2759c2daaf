"""Helpers added for reproducibility and shared chapter code: set_seed's precision, glue,
sweep records, mask scores and model pieces (local/lib/repro, glue, sweeps, metrics, models)."""
import json

import nbformat
import numpy as np
import pytest

from local.lib import mlutils, sweeps


# --- set_seed: one place decides the precision ------------------------------------------

def test_set_seed_makes_keras_compute_in_float64_and_can_be_told_otherwise():
    import keras

    mlutils.set_seed(0)
    assert keras.config.floatx() == "float64" == mlutils.PRECISION
    layer = keras.layers.Dense(2)
    assert layer(np.ones((1, 3), "float32")).dtype == "float64"  # inputs are cast
    mlutils.set_seed(0, precision="float32")
    assert keras.config.floatx() == "float32"
    mlutils.set_seed(0)
    assert keras.config.floatx() == "float64"


@pytest.mark.parametrize("kwargs, error", [({"precision": "float16"}, ValueError),
                                           ({"precision": 64}, ValueError),
                                           ({"deterministic_ops": "yes"}, TypeError)])
def test_set_seed_refuses_bad_arguments_naming_them(kwargs, error):
    with pytest.raises(error, match=rf"\b{next(iter(kwargs))}\b"):
        mlutils.set_seed(0, **kwargs)


def test_same_seed_same_weights():
    import keras

    mlutils.set_seed(3)
    a = keras.layers.Dense(4)
    a.build((None, 5))
    mlutils.set_seed(3)
    b = keras.layers.Dense(4)
    b.build((None, 5))
    assert np.array_equal(a.kernel.numpy(), b.kernel.numpy())


# --- glue ---------------------------------------------------------------------------------

def _displayed(monkeypatch, call):
    """The (data, metadata) that a glue call displays."""
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, raw=False, metadata=None, **kw: shown.append((obj, metadata)))
    import myst_nb.ext.glue as ext

    monkeypatch.setattr(ext, "ipy_display",
                        lambda obj, raw=False, metadata=None, **kw: shown.append((obj, metadata)))
    call()
    return shown


def test_glue_rounds_and_stores_python_numbers(monkeypatch):
    shown = _displayed(monkeypatch, lambda: mlutils.glue("acc", np.float64(0.734567), digits=3))
    data, meta = shown[0]
    assert data == {"application/papermill.record/text/plain": "0.735"}
    assert meta["scrapbook"] == {"name": "acc", "mime_prefix": "application/papermill.record/"}
    assert mlutils.glue("n", np.int64(7)) == 7 and type(mlutils.glue("n", np.int64(7))) is int


def test_glue_without_myst_nb_displays_the_same(monkeypatch):
    from local.lib import glue as glue_module

    with_myst = _displayed(monkeypatch, lambda: mlutils.glue("x", 0.25))
    without = _displayed(monkeypatch, lambda: glue_module._glue_without_myst("x", 0.25))
    assert with_myst and with_myst == without


@pytest.mark.parametrize("args, error, name", [(("", 1), ValueError, "name"),
                                               (("a b", 1), ValueError, "name"),
                                               (("a", 1, -1), ValueError, "digits"),
                                               (("a", "text", 2), TypeError, "digits")])
def test_glue_refuses_bad_arguments(args, error, name):
    with pytest.raises(error, match=rf"\b{name}\b"):
        mlutils.glue(*args)


# --- sweep records --------------------------------------------------------------------------

def test_load_sweep_fills_in_defaults_and_parses_values(tmp_path, monkeypatch):
    folder = tmp_path / "content" / "unit"
    folder.mkdir(parents=True)
    record = {"notebook": "ch.ipynb", "command": "...", "defaults": {"SEED": 0, "EPOCHS": 2},
              "rows": [{"parameters": {"SEED": 2}, "values": {"acc": "0.5", "name": "'a'"}, "outputs": {}},
                       {"parameters": {}, "values": {"acc": "0.75", "name": "'b'"}, "outputs": {}}]}
    (folder / "ch.sweep.json").write_text(json.dumps(record))
    monkeypatch.setattr(sweeps, "ROOT", tmp_path)
    table = mlutils.load_sweep("ch")
    assert table.to_dict("list") == {"SEED": [0, 2], "EPOCHS": [2, 2], "acc": [0.75, 0.5],
                                     "name": ["b", "a"]}
    with pytest.raises(FileNotFoundError, match="python -m tools sweep"):
        mlutils.load_sweep("other")
    with pytest.raises(TypeError, match="chapter"):
        mlutils.load_sweep(3)


# --- mask scores ----------------------------------------------------------------------------

def test_mask_iou_by_hand_and_empty_union():
    true = np.array([[1, 1, 0], [0, 0, 0]], bool)
    pred = np.array([[0, 1, 1], [0, 0, 0]], bool)
    assert mlutils.mask_iou(true, pred) == 1 / 3
    assert np.isnan(mlutils.mask_iou(np.zeros(3, bool), np.zeros(3, bool)))
    with pytest.raises(ValueError, match=r"\btrue\b.*\bpred\b"):
        mlutils.mask_iou(true, pred[:, :2])
    with pytest.raises(TypeError, match="boolean"):
        mlutils.mask_iou(true.astype(int), pred)


def test_iou_per_class_by_hand():
    true = np.array([[0, 1], [1, 2]])
    pred = np.array([[0, 1], [2, 2]])
    got = mlutils.iou_per_class(true, pred, num_classes=4)
    assert got[:3].tolist() == [1.0, 0.5, 0.5] and np.isnan(got[3])
    with pytest.raises(ValueError, match=r"\bnum_classes\b"):
        mlutils.iou_per_class(true, pred, num_classes=0)
    with pytest.raises(TypeError, match=r"\btrue_masks\b"):
        mlutils.iou_per_class(true.astype(float), pred, num_classes=3)


# --- model pieces ---------------------------------------------------------------------------

def test_conv_bn_relu_layers_and_parameters():
    import keras

    mlutils.set_seed(0)
    inputs = keras.Input((8, 8, 3))
    model = keras.Model(inputs, mlutils.conv_bn_relu(inputs, 5, "b1", dilation_rate=2))
    names = [l.name for l in model.layers[1:]]
    assert names == ["b1_conv", "b1_bn", "b1_relu"]
    assert model.get_layer("b1_conv").dilation_rate == (2, 2)
    assert model.count_params() == 3 * 3 * 3 * 5 + 4 * 5  # no conv bias; BN: 4 per channel
    out = model(np.random.default_rng(0).normal(size=(2, 8, 8, 3))).numpy()
    assert out.shape == (2, 8, 8, 5) and out.min() >= 0
    with pytest.raises(ValueError, match=r"\bfilters\b"):
        mlutils.conv_bn_relu(inputs, 0, "x")


def test_multiply_adds_against_a_count_by_hand():
    import keras

    mlutils.set_seed(0)
    inputs = keras.Input((10, 10, 3))
    h = keras.layers.Conv2D(4, 3)(inputs)                         # 8x8x4 outputs, 3*3*3 each
    h = keras.layers.Conv2DTranspose(2, 2, strides=2)(h)          # 8*8*4 inputs, 2*2*2 each
    h = keras.layers.Flatten()(h)
    out = keras.layers.Dense(5)(h)                                # 16*16*2 inputs, 5 outputs
    model = keras.Model(inputs, out)
    expected = 8 * 8 * 4 * (3 * 3 * 3) + 8 * 8 * 4 * (2 * 2 * 2) + 16 * 16 * 2 * 5
    assert mlutils.multiply_adds(model) == expected
    # a Dense layer's multiply-adds are its weights without the biases
    dense_only = keras.Sequential([keras.Input((7,)), keras.layers.Dense(3)])
    assert mlutils.multiply_adds(dense_only) == dense_only.count_params() - 3
    with pytest.raises(TypeError, match=r"\bmodel\b"):
        mlutils.multiply_adds("model")


def test_compile_classifier_trains_with_integer_labels():
    import keras

    mlutils.set_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])
    assert mlutils.compile_classifier(model, 0.05) is model
    x = np.random.default_rng(0).normal(size=(60, 2))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 1)
    history = model.fit(x, y, epochs=30, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.optimizer.learning_rate.numpy() == pytest.approx(0.05)
    for bad in (0, -1, "0.1", True):
        with pytest.raises(ValueError, match=r"\blearning_rate\b"):
            mlutils.compile_classifier(model, bad)
