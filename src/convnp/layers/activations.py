"""Elementwise activations: ReLU, leaky ReLU, sigmoid and tanh, each a forward/backward pair.

None of them modifies the caller's array: each forward returns a new array of x's dtype. ReLU,
sigmoid and tanh cache their output, not their input: the backward pass needs only the output,
and the output is what the next layer keeps anyway, so the input can be freed once the forward
pass has moved on (one activation less per layer held through a training step).
"""

from __future__ import annotations

import numpy as np

from .. import _validate


def relu_forward(x: np.ndarray):
    """Compute the forward pass for a layer of rectified linear units (ReLUs).

    out = max(0, x), elementwise.

    Input:
    - x: Inputs, of any shape

    Returns a tuple of:
    - out: Output, of the same shape and dtype as x
    - cache: out, the output itself: out > 0 exactly where x > 0, which is all the backward
      pass needs (x, as the course caches it, works as this cache too)
    """
    _validate.array(x, "x", "relu_forward")
    out = np.maximum(x, 0)
    cache = out
    return out, cache


def relu_backward(dout: np.ndarray, cache):
    """Compute the backward pass for a layer of rectified linear units (ReLUs).

    The gradient passes where x > 0 and is zero elsewhere (0 at x == 0, as PyTorch). The
    output max(0, x) is positive exactly where x is, so either one tells where it passes.

    Input:
    - dout: Upstream derivatives, of any shape
    - cache: the output of relu_forward (or its input x), of same shape as dout

    Returns:
    - dx: Gradient with respect to x
    """
    out = cache
    _validate.same_shape(dout, out.shape, "relu_backward")
    dx = dout * (out > 0)
    return dx


def leaky_relu_forward(x: np.ndarray, negative_slope: float = 0.01):
    """Compute the forward pass for a leaky ReLU: x where x > 0, negative_slope * x elsewhere.

    Inputs:
    - x: Inputs, of any shape
    - negative_slope: slope for x <= 0, a number (default 0.01, as torch.nn.LeakyReLU)

    Returns a tuple of:
    - out: Output, of the same shape and dtype as x
    - cache: (x, negative_slope)
    """
    fn = "leaky_relu_forward"
    _validate.array(x, "x", fn)
    negative_slope = _validate.real(negative_slope, "negative_slope", fn)
    out = np.where(x > 0, x, x * x.dtype.type(negative_slope))
    cache = (x, negative_slope)
    return out, cache


def leaky_relu_backward(dout: np.ndarray, cache):
    """Compute the backward pass for a leaky ReLU: dout where x > 0, else negative_slope * dout.

    Inputs:
    - dout: Upstream derivatives, of any shape
    - cache: (x, negative_slope) from leaky_relu_forward

    Returns:
    - dx: Gradient with respect to x, of the shape of dout
    """
    x, negative_slope = cache
    _validate.same_shape(dout, x.shape, "leaky_relu_backward")
    dx = np.where(x > 0, dout, dout * dout.dtype.type(negative_slope))
    return dx


def sigmoid_forward(x: np.ndarray):
    """Compute the forward pass for the logistic sigmoid, out = 1 / (1 + exp(-x)).

    Computed without overflow for large |x|: exp is only taken of -|x|.

    Input:
    - x: Inputs, of any shape

    Returns a tuple of:
    - out: Output in (0, 1), of the same shape and dtype as x
    - cache: out (the derivative is out * (1 - out))
    """
    _validate.array(x, "x", "sigmoid_forward")
    z = np.exp(-np.abs(x))
    # For x >= 0: 1 / (1 + e^-x); for x < 0: e^x / (1 + e^x). Both use z = e^-|x| <= 1.
    out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    cache = out
    return out, cache


def sigmoid_backward(dout: np.ndarray, cache):
    """Compute the backward pass for the sigmoid: dx = dout * out * (1 - out).

    Inputs:
    - dout: Upstream derivatives, of any shape
    - cache: out, from sigmoid_forward

    Returns:
    - dx: Gradient with respect to x
    """
    out = cache
    _validate.same_shape(dout, out.shape, "sigmoid_backward")
    dx = dout * out * (1 - out)
    return dx


def tanh_forward(x: np.ndarray):
    """Compute the forward pass for the hyperbolic tangent, out = tanh(x).

    Input:
    - x: Inputs, of any shape

    Returns a tuple of:
    - out: Output in (-1, 1), of the same shape and dtype as x
    - cache: out (the derivative is 1 - out**2)
    """
    _validate.array(x, "x", "tanh_forward")
    out = np.tanh(x)
    cache = out
    return out, cache


def tanh_backward(dout: np.ndarray, cache):
    """Compute the backward pass for tanh: dx = dout * (1 - out**2).

    Inputs:
    - dout: Upstream derivatives, of any shape
    - cache: out, from tanh_forward

    Returns:
    - dx: Gradient with respect to x
    """
    out = cache
    _validate.same_shape(dout, out.shape, "tanh_backward")
    dx = dout * (1 - out * out)
    return dx
