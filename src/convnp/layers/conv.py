"""The convolutional layer: a naive loop reference and the fast path, with course names.

``conv_forward_naive`` / ``conv_backward_naive`` are plain loops over every output position,
written to be read next to the course's notebook. ``conv_forward_fast`` /
``conv_backward_fast`` validate the same way and then call a kernel: ``convnp.kernels.pointwise``
for 1x1 filters without padding, ``convnp.kernels.winograd`` for the 3x3, stride-1 layers where
it was measured faster (``winograd.pick_algorithm``), else ``convnp.kernels.im2col``; the tests
hold every kernel equal to the naive path to 1e-10 in float64.

Like the course (and like PyTorch's conv2d), "convolution" here is cross-correlation: the
filter is not flipped.
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from .._types import ConvParam
from ..kernels import direct, im2col, pointwise, taps, winograd


def conv_forward_naive(x: np.ndarray, w: np.ndarray, b: np.ndarray,
                       conv_param: ConvParam) -> tuple[np.ndarray, tuple]:
    """A naive implementation of the forward pass for a convolutional layer.

    The input consists of N data points, each with C channels, height H and width W. We
    convolve each input with F different filters, where each filter spans all C channels and
    has height HH and width WW. The input is first zero-padded with 'pad' pixels on all four
    sides; the filter then slides over it in steps of 'stride' pixels, and each output value is
    the sum over one window of (window * filter), plus the filter's bias:

    out[n, f, i, j] = sum(x_pad[n, :, i*stride : i*stride+HH, j*stride : j*stride+WW] * w[f])
                      + b[f]

    Inputs:
    - x: Input data of shape (N, C, H, W), float32 or float64
    - w: Filter weights of shape (F, C, HH, WW)
    - b: Biases, of shape (F,)
    - conv_param: A dictionary with the following keys:
      - 'stride': The number of pixels between adjacent receptive fields in the horizontal and
        vertical directions, an int >= 1.
      - 'pad': The number of pixels that will be used to zero-pad the input, an int >= 0,
        placed symmetrically on both sides of the height and width axes.

    Returns a tuple of:
    - out: Output data, of shape (N, F, H_out, W_out), dtype np.result_type(x, w, b), where
      H_out = 1 + (H + 2 * pad - HH) // stride
      W_out = 1 + (W + 2 * pad - WW) // stride
    - cache: (x, w, b, conv_param), for conv_backward_naive

    Raises ValueError if x or w is not 4-D, their channels differ, b is not of shape (F,),
    conv_param's keys or values are wrong, or a window does not fit a whole number of times
    (H + 2 * pad - HH must be a non-negative multiple of stride, and likewise for W); TypeError
    if an input is not a floating-point ndarray. x is not modified.
    """
    stride, pad, H_out, W_out = _validate.conv_inputs(x, w, b, conv_param,
                                                      fn="conv_forward_naive")
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    dtype = np.result_type(x, w, b)

    # Pad a copy of x, never x itself: the caller's array must stay as it was.
    x_pad = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=dtype)
    x_pad[:, :, pad:pad + H, pad:pad + W] = x

    out = np.zeros((N, F, H_out, W_out), dtype=dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    top, left = i * stride, j * stride
                    window = x_pad[n, :, top:top + HH, left:left + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]

    cache = (x, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout: np.ndarray,
                        cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A naive implementation of the backward pass for a convolutional layer.

    Each output value out[n, f, i, j] = sum(window * w[f]) + b[f] reads one window of the padded
    input. So its upstream gradient dout[n, f, i, j] flows to b[f] as is, to w[f] times the
    window, and to the window times w[f]. Windows overlap when stride < HH (or WW), so the
    gradients of x_pad and w accumulate; the padding's gradient is then dropped.

    Inputs:
    - dout: Upstream derivatives, of shape (N, F, H_out, W_out)
    - cache: A tuple of (x, w, b, conv_param) as in conv_forward_naive

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, C, H, W)
    - dw: Gradient with respect to w, of shape (F, C, HH, WW)
    - db: Gradient with respect to b, of shape (F,)
    All in the forward's dtype, np.result_type(x, w, b).

    Raises ValueError if dout does not have the forward output's shape.
    """
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    _validate.same_shape(dout, (N, F, H_out, W_out), "conv_backward_naive")
    dtype = np.result_type(x, w, b)

    # The forward step's input, rebuilt: the padded copy of x.
    x_pad = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=dtype)
    x_pad[:, :, pad:pad + H, pad:pad + W] = x

    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros(w.shape, dtype=dtype)
    db = np.zeros(b.shape, dtype=dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    top, left = i * stride, j * stride
                    window = x_pad[n, :, top:top + HH, left:left + WW]
                    # out[n, f, i, j] = sum(window * w[f]) + b[f]
                    db[f] += dout[n, f, i, j]
                    dw[f] += dout[n, f, i, j] * window
                    dx_pad[n, :, top:top + HH, left:left + WW] += dout[n, f, i, j] * w[f]

    # x_pad[:, :, pad:pad+H, pad:pad+W] = x: keep the interior (not pad:-pad, empty for pad 0).
    dx = dx_pad[:, :, pad:pad + H, pad:pad + W].copy()
    return dx, dw, db


def conv_forward_fast(x: np.ndarray, w: np.ndarray, b: np.ndarray,
                      conv_param: ConvParam) -> tuple[np.ndarray, tuple]:
    """A fast implementation of the forward pass for a convolutional layer (GEMM-based).

    Same inputs, output, dtype and errors as conv_forward_naive. The work is matrix products:
    for the 3x3, stride-1 layers that ``convnp.kernels.winograd.pick_algorithm`` picks, Winograd
    F(4x4, 3x3) (2.25 times fewer multiplications; in float32 it errs by about 2e-6 of the
    largest output against float64, im2col by 2e-7 to 6e-7); for the float32 3x3 stride-1
    layers that ``convnp.kernels.direct.pick`` picks (few channels, wide images; with the
    compiled kernels of the jit extra), a direct convolution in vector registers; for the
    float32 layers that ``convnp.kernels.taps.pick`` picks (strided layers, and 3x3 layers
    from 16 channels that are not direct's or Winograd's; jit extra), a direct convolution
    channels last; for 1x1 filters without padding, one product per image straight on x
    (``convnp.kernels.pointwise``); else one product of the filters with every receptive
    field, laid out by ``convnp.kernels.im2col``.

    Inputs:
    - x: Input data of shape (N, C, H, W), float32 or float64
    - w: Filter weights of shape (F, C, HH, WW)
    - b: Biases, of shape (F,)
    - conv_param: A dictionary with the keys 'stride' (int >= 1) and 'pad' (int >= 0)

    Returns a tuple of:
    - out: Output data, of shape (N, F, H_out, W_out), dtype np.result_type(x, w, b), where
      H_out = 1 + (H + 2 * pad - HH) // stride and W_out = 1 + (W + 2 * pad - WW) // stride
    - cache: (x, w, b, conv_param, kernel_cache), for conv_backward_fast; kernel_cache holds
      what the backward pass reuses: the receptive fields (N * H_out * W_out * C * HH * WW
      values) for im2col; x itself for Winograd (whose backward transforms it again), the
      direct kernels and 1x1 filters (or its every stride-th pixel)

    Raises ValueError or TypeError as conv_forward_naive does.
    """
    stride, pad, _, _ = _validate.conv_inputs(x, w, b, conv_param, fn="conv_forward_fast")
    out, kernel_cache = forward_kernel(x, w, b, stride, pad)
    cache = (x, w, b, conv_param, kernel_cache)
    return out, cache


def forward_kernel(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int,
                   pad: int) -> tuple[np.ndarray, object]:
    """(out, kernel_cache) of the kernel picked for this layer (see conv_forward_fast), on
    arguments validated by the caller."""
    dtype = np.result_type(x, w, b)
    if pointwise.applies(w.shape, pad):
        return pointwise.conv_forward(x, w, b, stride)
    if direct.pick(x.shape, w.shape, stride, pad, dtype):
        return direct.conv_forward(x, w, b, pad)
    if taps.pick(x.shape, w.shape, stride, pad, dtype):
        return taps.conv_forward(x, w, b, stride, pad)
    if winograd.pick_algorithm(x.shape, w.shape, stride, pad) == "winograd":
        return winograd.conv_forward(x, w, b, pad)
    return im2col.conv_forward(x, w, b, stride, pad)


def kernel_rounds_down(x_shape: tuple[int, ...], w_shape: tuple[int, ...], stride: int,
                       pad: int, dtype) -> bool:
    """True where the kernel forward_kernel picks reads only the rows and columns of the
    padded input that the windows cover, so that it takes sizes the windows do not tile
    (rounding the output size down, as PyTorch) without a cropped copy of x: the 1x1 kernel
    and the channels-last direct kernels. (``direct`` and Winograd take stride 1 only, where
    the windows always tile; im2col needs the crop.)"""
    return pointwise.applies(w_shape, pad) or taps.pick(x_shape, w_shape, stride, pad, dtype)


def conv_backward_fast(dout: np.ndarray, cache: tuple, *, need_dx: bool = True,
                       need_dw: bool = True) -> tuple[np.ndarray | None, np.ndarray | None,
                                                      np.ndarray]:
    """A fast implementation of the backward pass for a convolutional layer.

    Inputs:
    - dout: Upstream derivatives, of shape (N, F, H_out, W_out)
    - cache: A tuple of (x, w, b, conv_param, kernel_cache) as in conv_forward_fast
    - need_dx: keyword-only, default True. False skips the gradient with respect to x and
      returns None in its place: the first layer of a network, whose input is the data, needs
      only dw and db (PyTorch skips it there too), and dx is a third of the work or more.
    - need_dw: keyword-only, default True. False skips the gradient with respect to w (a
      frozen layer's, as in transfer learning) and returns None in its place.

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, C, H, W); None if need_dx is False
    - dw: Gradient with respect to w, of shape (F, C, HH, WW); None if need_dw is False
    - db: Gradient with respect to b, of shape (F,)
    All in the forward's dtype, np.result_type(x, w, b).

    Raises ValueError if dout does not have the forward output's shape.
    """
    x, w, b, conv_param, kernel_cache = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, _, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    _validate.same_shape(dout, (N, F, H_out, W_out), "conv_backward_fast")
    for name, flag in (("need_dx", need_dx), ("need_dw", need_dw)):
        if not isinstance(flag, bool):
            raise TypeError(f"conv_backward_fast: {name} must be True or False; got {flag!r}")
    if isinstance(kernel_cache, pointwise.PointwiseCache):
        return pointwise.conv_backward(dout, kernel_cache, need_dx, need_dw)
    if isinstance(kernel_cache, direct.DirectCache):
        return direct.conv_backward(dout, kernel_cache, need_dx, need_dw)
    if isinstance(kernel_cache, taps.TapsCache):
        return taps.conv_backward(dout, kernel_cache, need_dx, need_dw)
    if isinstance(kernel_cache, winograd.WinogradCache):
        return winograd.conv_backward(dout, kernel_cache, need_dx, need_dw)
    return im2col.conv_backward(dout, kernel_cache, need_dx, need_dw)
