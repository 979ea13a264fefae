"""Max and average pooling: naive loop references and the fast entry points.

Pooling slides a pool_height x pool_width window over each channel of each example with step
``stride`` (no padding) and keeps one number per window: its maximum or its mean. The naive
functions are plain loops, to be read; the ``*_fast`` functions validate the same way and call
``convnp.kernels.pool``, and the tests hold the two equal.

Ties in max pooling: when a window holds its maximum more than once, the gradient goes to ONE of
them, the first in row-major order within the window (as PyTorch does), in the naive and the fast
paths alike.
"""

from __future__ import annotations

import operator

import numpy as np

from .. import _validate
from .._types import PoolParam
from ..kernels import pool as _kernels


def _pool_sizes(pool_param: PoolParam) -> tuple[int, int, int]:
    return pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]


def max_pool_forward_naive(x: np.ndarray, pool_param: PoolParam) -> tuple[np.ndarray, tuple]:
    """A naive implementation of the forward pass for a max-pooling layer.

    Each output value is the maximum of one pool_height x pool_width window of one channel:
    out[n, c, i, j] = max of x[n, c, i*stride : i*stride + pool_height,
                                j*stride : j*stride + pool_width]
    with H_out = 1 + (H - pool_height) / stride and W_out = 1 + (W - pool_width) / stride.
    No padding is necessary here.

    Inputs:
    - x: Input data, of shape (N, C, H, W), float32 or float64
    - pool_param: dictionary with the following keys:
      - 'pool_height': The height of each pooling region (int >= 1)
      - 'pool_width': The width of each pooling region (int >= 1)
      - 'stride': The distance between adjacent pooling regions (int >= 1)

    Returns a tuple of:
    - out: Output data, of shape (N, C, H_out, W_out), dtype of x
    - cache: (x, pool_param), for max_pool_backward_naive

    Raises ValueError if x is not 4-D, a key of pool_param is missing, unknown or below 1, or a
    window does not fit: H - pool_height must be >= 0 and divisible by stride (same for W).
    """
    pool_height, pool_width, stride, H_out, W_out = _validate.pool_inputs(
        x, pool_param, fn="max_pool_forward_naive")
    N, C = x.shape[:2]

    out = np.empty((N, C, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    h0, w0 = i * stride, j * stride
                    window = x[n, c, h0:h0 + pool_height, w0:w0 + pool_width]
                    out[n, c, i, j] = np.max(window)
    cache = (x, pool_param)
    return out, cache


def max_pool_backward_naive(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """A naive implementation of the backward pass for a max-pooling layer.

    The maximum of a window is locally the identity of one of its elements, so that element
    receives the window's upstream gradient and the others receive nothing. When the maximum
    appears more than once in a window, only the FIRST occurrence in row-major order receives
    it (what np.argmax returns, and what PyTorch does). Overlapping windows (stride smaller than
    the window) add their contributions.

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H_out, W_out)
    - cache: A tuple of (x, pool_param) as in the forward pass.

    Returns:
    - dx: Gradient with respect to x, of shape (N, C, H, W), dtype of x

    Raises ValueError if dout does not have the forward output's shape.
    """
    x, pool_param = cache
    pool_height, pool_width, stride = _pool_sizes(pool_param)
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    _validate.same_shape(dout, (N, C, H_out, W_out), "max_pool_backward_naive")

    dx = np.zeros(x.shape, dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    h0, w0 = i * stride, j * stride
                    window = x[n, c, h0:h0 + pool_height, w0:w0 + pool_width]
                    # np.argmax of the flattened window: the first maximum in row-major order.
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, h0 + a, w0 + b] += dout[n, c, i, j]
    return dx


def max_pool_forward_fast(x: np.ndarray, pool_param: PoolParam) -> tuple[np.ndarray, tuple]:
    """A fast implementation of the forward pass for a max-pooling layer.

    Same inputs, output and errors as max_pool_forward_naive (whose docstring has the formula).
    Windows that tile the input exactly (stride == pool_height == pool_width, dividing H and W)
    take a reshape path; other strides, overlapping windows included, a general path.

    Inputs:
    - x: Input data, of shape (N, C, H, W), float32 or float64
    - pool_param: dict with 'pool_height', 'pool_width', 'stride' (ints >= 1)

    Returns a tuple of:
    - out: Output data, of shape (N, C, H_out, W_out), dtype of x;
      H_out = 1 + (H - pool_height) // stride, W_out = 1 + (W - pool_width) // stride
    - cache: (x.shape, x.dtype, argmax, pool_param), for max_pool_backward_fast; argmax, of
      out's shape, holds the row-major offset within each window of its first maximum (uint8
      for windows up to 16x16). The cache holds neither x nor out: the backward pass needs
      only where each maximum was, so x can be freed (or changed) after the forward pass.
    """
    pool_height, pool_width, stride, _, _ = _validate.pool_inputs(
        x, pool_param, fn="max_pool_forward_fast")
    out, argmax = _kernels.max_pool_forward(x, pool_height, pool_width, stride)
    cache = (x.shape, x.dtype, argmax, pool_param)
    return out, cache


def max_pool_backward_fast(dout: np.ndarray, cache: tuple, *,
                           full_shape: tuple[int, ...] | None = None) -> np.ndarray:
    """A fast implementation of the backward pass for a max-pooling layer.

    Same result as max_pool_backward_naive: each window's gradient goes to the first maximum
    in row-major order within the window (as PyTorch), and overlapping windows add up.

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H_out, W_out)
    - cache: A tuple of (x.shape, x.dtype, argmax, pool_param) from max_pool_forward_fast
    - full_shape: optional, keyword only: (N, C, H', W') with H' >= H and W' >= W, when x was
      the top-left crop x_full[:, :, :H, :W] of an array of that shape (``convnp.nn.MaxPool2d``
      drops the rows and columns no window reads): dx is then the gradient with respect to
      x_full, zero in the dropped rows and columns, written in the same pass. Default: x's
      shape

    Returns:
    - dx: Gradient with respect to x (or x_full), of shape (N, C, H, W) (or full_shape), dtype
      of x

    Raises ValueError if dout does not have the forward output's shape, or full_shape is not
    such a shape.
    """
    fn = "max_pool_backward_fast"
    x_shape, dtype, argmax, pool_param = cache
    _validate.same_shape(dout, argmax.shape, fn)
    if full_shape is not None:
        given = full_shape
        try:
            full_shape = tuple(operator.index(d) for d in full_shape)
        except TypeError:
            raise ValueError(f"{fn}: full_shape must be a tuple of 4 ints; got {given!r}") from None
        if not _kernels.holds(full_shape, x_shape):
            raise ValueError(f"{fn}: full_shape must be (N, C, H', W') with H' >= H and W' >= W "
                             f"for x of shape {tuple(x_shape)}; got {full_shape}")
    return _kernels.max_pool_backward(dout, argmax, x_shape, dtype, *_pool_sizes(pool_param),
                                      full_shape=full_shape)


def avg_pool_forward_naive(x: np.ndarray, pool_param: PoolParam) -> tuple[np.ndarray, tuple]:
    """A naive implementation of the forward pass for an average-pooling layer.

    Each output value is the mean of one pool_height x pool_width window of one channel:
    out[n, c, i, j] = mean of x[n, c, i*stride : i*stride + pool_height,
                                 j*stride : j*stride + pool_width]
    with H_out = 1 + (H - pool_height) / stride and W_out = 1 + (W - pool_width) / stride.
    (Reference for avg_pool_forward_fast.)

    Inputs:
    - x: Input data, of shape (N, C, H, W), float32 or float64
    - pool_param: dictionary with the following keys:
      - 'pool_height': The height of each pooling region (int >= 1)
      - 'pool_width': The width of each pooling region (int >= 1)
      - 'stride': The distance between adjacent pooling regions (int >= 1)

    Returns a tuple of:
    - out: Output data, of shape (N, C, H_out, W_out), dtype of x
    - cache: (x, pool_param), for avg_pool_backward_naive

    Raises ValueError if x is not 4-D, a key of pool_param is missing, unknown or below 1, or a
    window does not fit: H - pool_height must be >= 0 and divisible by stride (same for W).
    """
    pool_height, pool_width, stride, H_out, W_out = _validate.pool_inputs(
        x, pool_param, fn="avg_pool_forward_naive")
    N, C = x.shape[:2]

    out = np.empty((N, C, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    h0, w0 = i * stride, j * stride
                    window = x[n, c, h0:h0 + pool_height, w0:w0 + pool_width]
                    out[n, c, i, j] = np.mean(window)
    cache = (x, pool_param)
    return out, cache


def avg_pool_backward_naive(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """A naive implementation of the backward pass for an average-pooling layer.

    out[n, c, i, j] is the sum of its window divided by the window's size
    pool_height * pool_width, so every element of the window receives
    dout[n, c, i, j] / (pool_height * pool_width). Overlapping windows add their contributions.

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H_out, W_out)
    - cache: A tuple of (x, pool_param) as in the forward pass.

    Returns:
    - dx: Gradient with respect to x, of shape (N, C, H, W), dtype of x

    Raises ValueError if dout does not have the forward output's shape.
    """
    x, pool_param = cache
    pool_height, pool_width, stride = _pool_sizes(pool_param)
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    _validate.same_shape(dout, (N, C, H_out, W_out), "avg_pool_backward_naive")

    dx = np.zeros(x.shape, dtype=x.dtype)
    window_size = pool_height * pool_width
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    h0, w0 = i * stride, j * stride
                    dx[n, c, h0:h0 + pool_height, w0:w0 + pool_width] += (
                        dout[n, c, i, j] / window_size)
    return dx


def avg_pool_forward_fast(x: np.ndarray, pool_param: PoolParam) -> tuple[np.ndarray, tuple]:
    """A fast implementation of the forward pass for an average-pooling layer.

    Same inputs, output and errors as avg_pool_forward_naive (whose docstring has the formula);
    a reshape path for windows that tile the input, a general path otherwise.

    Inputs:
    - x: Input data, of shape (N, C, H, W), float32 or float64
    - pool_param: dict with 'pool_height', 'pool_width', 'stride' (ints >= 1)

    Returns a tuple of:
    - out: Output data, of shape (N, C, H_out, W_out), dtype of x;
      H_out = 1 + (H - pool_height) // stride, W_out = 1 + (W - pool_width) // stride
    - cache: (x, pool_param), for avg_pool_backward_fast (or avg_pool_backward_naive)
    """
    pool_height, pool_width, stride, _, _ = _validate.pool_inputs(
        x, pool_param, fn="avg_pool_forward_fast")
    out = _kernels.avg_pool_forward(x, pool_height, pool_width, stride)
    cache = (x, pool_param)
    return out, cache


def avg_pool_backward_fast(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """A fast implementation of the backward pass for an average-pooling layer.

    Same result as avg_pool_backward_naive: every element of a window receives the window's
    dout / (pool_height * pool_width), and overlapping windows add up.

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H_out, W_out)
    - cache: A tuple of (x, pool_param) from avg_pool_forward_fast

    Returns:
    - dx: Gradient with respect to x, of shape (N, C, H, W), dtype of x

    Raises ValueError if dout does not have the forward output's shape.
    """
    x, pool_param = cache
    pool_height, pool_width, stride = _pool_sizes(pool_param)
    H_out, W_out = _kernels.output_size(x.shape, pool_height, pool_width, stride)
    _validate.same_shape(dout, x.shape[:2] + (H_out, W_out), "avg_pool_backward_fast")
    return _kernels.avg_pool_backward(dout, x.shape, x.dtype, pool_height, pool_width, stride)
