"""Model pieces that several chapters use (need Keras: imported on first use, see mlutils)."""
from __future__ import annotations

from typing import Any

import keras


def compile_classifier(model: keras.Model, learning_rate: float = 1e-3) -> keras.Model:
    """Compile ``model`` for classification with integer labels and return it.

    Adam at ``learning_rate``, sparse categorical cross-entropy on the model's (softmax)
    outputs, and accuracy as the metric.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float)) \
            or not learning_rate > 0:
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def conv_bn_relu(h: Any, filters: int, name: str, kernel_size: int = 3,
                 dilation_rate: int = 1) -> Any:
    """A ``Conv2D`` ("same" padding, no bias) -> ``BatchNormalization`` -> ReLU block.

    The convolution has no bias because batch normalization's shift replaces it. Layers
    are named ``{name}_conv``, ``{name}_bn`` and ``{name}_relu``.

    Args:
        h: the input tensor (functional API).
        filters: output channels.
        name: prefix of the three layers' names.
        kernel_size: side of the square kernel.
        dilation_rate: spacing between kernel taps (1: an ordinary convolution).
    """
    for arg, value in (("filters", filters), ("kernel_size", kernel_size),
                       ("dilation_rate", dilation_rate)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{arg} must be a positive int, got {value!r}")
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    h = keras.layers.Conv2D(filters, kernel_size, padding="same", dilation_rate=dilation_rate,
                            use_bias=False, name=f"{name}_conv")(h)
    h = keras.layers.BatchNormalization(momentum=0.9, name=f"{name}_bn")(h)
    return keras.layers.Activation("relu", name=f"{name}_relu")(h)


def multiply_adds(model: keras.Model) -> int:
    """Multiply-adds of one forward pass of one example through ``model``'s ``Conv2D``,
    ``Conv2DTranspose`` and ``Dense`` layers (the arithmetic that dominates; additions of
    biases, normalization and activations are left out).

    A ``Conv2D`` does ``k_h * k_w * c_in`` multiply-adds for each of its ``h * w * c_out``
    outputs (``c_in`` per group); a ``Conv2DTranspose`` does ``k_h * k_w * c_out`` for each
    of its ``h_in * w_in * c_in`` inputs; a ``Dense`` layer ``n_in * n_out``.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not model.built:
        raise ValueError("model must be built (give it an Input) before counting its arithmetic")
    total = 0
    for layer in _layers(model):
        if isinstance(layer, keras.layers.Conv2DTranspose):
            k_h, k_w, _, _ = layer.kernel.shape
            _, h_in, w_in, c_in = layer.input.shape
            total += h_in * w_in * c_in * k_h * k_w * layer.filters
        elif isinstance(layer, keras.layers.Conv2D):
            k_h, k_w, c_in_per_group, c_out = layer.kernel.shape
            _, h, w, _ = layer.output.shape
            total += h * w * c_out * k_h * k_w * c_in_per_group
        elif isinstance(layer, keras.layers.Dense):
            n_in, n_out = layer.kernel.shape
            positions = 1
            for d in layer.input.shape[1:-1]:
                positions *= d
            total += positions * n_in * n_out
    return int(total)


def _layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
        else:
            yield layer
