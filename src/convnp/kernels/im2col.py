"""Convolution as one matrix product per pass: im2col, col2im and their two memory layouts.

Reference: ``convnp.layers.conv.conv_forward_naive`` and ``conv_backward_naive``; the tests hold
these kernels equal to them to 1e-10 in float64, for every layout.

im2col copies every receptive field of the padded input into one row (or column) of a matrix
``cols`` with K = C * HH * WW entries per field and M = N * H_out * W_out fields. Then

    forward:   out = w_mat @ cols                 (F, K) @ (K, M)   one GEMM
    dw:        dw^T = cols @ dout_mat^T           (K, M) @ (M, F)   one GEMM, reusing cols
    dx:        one GEMM, with col2im after it ('cnhw') or an im2col of dout before it ('nhwc')

Each product is written in the orientation that gives an (F, M) or (C, M) result, with M
ordered (N, H_out, W_out): turning that into NCHW moves whole (H_out * W_out) planes, a cheap
copy, where a (M, F) result would need an element-by-element transpose (about 1 ns an element in
NumPy: 4 to 9 ms for a (128, 32, 32, 32) output).

The speed of the copies that build ``cols`` and add ``dcols`` back depends on how long their
contiguous runs are, so there are two layouts, picked by ``pick_layout``:

- 'cnhw' (any stride): the padded input is kept as (C, N, Hp, Wp), a cheap transpose of NCHW
  that moves whole planes. ``cols`` is (K, M) with K ordered (C, HH, WW), so ``w.reshape(F, K)``
  is already w_mat. The runs are W_out long: good for the first layers of a network (few
  channels, wide images). dx: dcols = w_mat^T @ dout_mat, then col2im adds each kernel
  offset's slab of dcols into a zero (C, N, Hp, Wp) buffer, HH * WW strided adds in all.
- 'nhwc' (stride 1 only): the padded input is kept channels-last, (N, Hp, Wp, C), and ``cols``
  is (M, K) with K ordered (HH, WW, C); one row's WW * C entries for a kernel row are contiguous
  in the input, so the runs are WW * C long: good for deep layers (many channels, small
  images). dx: with stride 1, dx is itself a convolution, of dout zero-padded by HH - 1 - pad
  (WW - 1 - pad) with w flipped in space and its F and C axes swapped, so it reuses the same
  im2col and GEMM and never adds overlapping windows (a negative padding crops dout: those
  rows of dout only ever saw padding).

Dtype: everything is computed in np.result_type(x, w, b) (float32 stays float32: no float64
temporaries), and the gradients come back in that dtype.

These functions trust their callers (``convnp.layers.conv`` validates): x is (N, C, H, W), w is
(F, C, HH, WW), b is (F,), all floating; stride >= 1 and pad >= 0 are ints and
H + 2 * pad - HH, W + 2 * pad - WW are non-negative multiples of stride. x, w and b are only read.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

LAYOUTS = ("cnhw", "nhwc")


class ConvCache(NamedTuple):
    """What ``conv_backward`` needs: the cols of the forward pass and the conv's geometry."""

    layout: str
    cols: np.ndarray        # 'cnhw': (K, M); 'nhwc': (M, K)
    w: np.ndarray           # (F, C, HH, WW), in the compute dtype
    x_shape: tuple[int, int, int, int]
    stride: int
    pad: int


def pick_layout(C: int, WW: int, W_out: int, stride: int) -> str:
    """'nhwc' for stride-1 layers with narrow outputs and runs of WW * C >= W_out, else 'cnhw'.

    Measured (float32, N = 128, 3x3 kernels, pad 1, forward + backward, 2-core AMD EPYC with
    NumPy's OpenBLAS): 'nhwc' is 15-25% faster at W_out = 16 and 8 with C >= 16; at W_out = 32
    the two are within 12% of each other for C = 16 to 64, and 'cnhw' is 2.5x faster for C = 3,
    where the channels-last runs would be 9 elements long.
    """
    return "nhwc" if stride == 1 and W_out < 32 and C * WW >= W_out else "cnhw"


def conv_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int, pad: int,
                 layout: str | None = None) -> tuple[np.ndarray, ConvCache]:
    """Convolution forward by im2col and one GEMM (matches ``conv_forward_naive``).

    - x: (N, C, H, W); w: (F, C, HH, WW); b: (F,); stride >= 1, pad >= 0 (validated by caller)
    - layout: 'cnhw' or 'nhwc' ('nhwc' needs stride 1); None picks with ``pick_layout``

    Returns out, of shape (N, F, H_out, W_out) in np.result_type(x, w, b), and a ConvCache.
    """
    dtype = np.result_type(x, w, b)
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    if layout is None:
        layout = pick_layout(C, WW, W_out, stride)
    w = w.astype(dtype, copy=False)
    if layout == "nhwc":
        cols = _im2col_nhwc(_pad_nhwc(x, pad, pad, dtype), HH, WW, H_out, W_out)
        w_mat = w.transpose(0, 2, 3, 1).reshape(F, HH * WW * C)
        out_mat = w_mat @ cols.T
    else:
        cols = _im2col_cnhw(_pad_cnhw(x, pad, dtype), HH, WW, H_out, W_out, stride)
        out_mat = w.reshape(F, C * HH * WW) @ cols
    out = np.empty((N, F, H_out, W_out), dtype=dtype)
    # (F, N, H_out*W_out) -> (N, F, H_out*W_out), with the bias added in the same copy. Writing
    # through a transposed view of out makes NumPy walk out_mat in its memory order: twice as
    # fast as reading a transposed view of out_mat.
    np.add(out_mat.reshape(F, N, H_out * W_out), b.astype(dtype, copy=False)[:, None, None],
           out=out.reshape(N, F, H_out * W_out).transpose(1, 0, 2))
    return out, ConvCache(layout, cols, w, (N, C, H, W), stride, pad)


def conv_backward(dout: np.ndarray, cache: ConvCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Convolution backward by GEMMs on the cached cols (matches ``conv_backward_naive``).

    - dout: (N, F, H_out, W_out), the forward output's shape (validated by caller)
    - cache: the ConvCache from ``conv_forward``

    Returns (dx, dw, db) of the shapes of x, w and b, in the forward's compute dtype.
    """
    layout, cols, w, x_shape, stride, pad = cache
    N, C, H, W = x_shape
    F, _, HH, WW = w.shape
    dtype = w.dtype
    dout = dout.astype(dtype, copy=False)
    # (N, F, H_out, W_out) -> (F, M): moves whole planes, like the forward's output copy.
    dout_mat = _swap_outer_axes(dout).reshape(F, N * dout.shape[2] * dout.shape[3])
    db = dout_mat.sum(axis=1)
    # dw is computed transposed, (K, F): OpenBLAS runs this orientation 5-10% faster here.
    if layout == "nhwc":
        dw = (cols.T @ dout_mat.T).reshape(HH, WW, C, F).transpose(3, 2, 0, 1)
        dx = _dx_as_convolution(dout, w, x_shape, pad, dtype)
    else:
        dw = (cols @ dout_mat.T).T.reshape(F, C, HH, WW)
        dcols = w.reshape(F, C * HH * WW).T @ dout_mat
        dx = _col2im_cnhw(dcols, x_shape, HH, WW, dout.shape[2], dout.shape[3], stride, pad)
    return dx, np.ascontiguousarray(dw), db


def _pad_cnhw(x: np.ndarray, pad: int, dtype) -> np.ndarray:
    """x (N, C, H, W) -> zero-padded (C, N, H + 2 pad, W + 2 pad) in ``dtype``."""
    N, C, H, W = x.shape
    xp = np.zeros((C, N, H + 2 * pad, W + 2 * pad), dtype=dtype)
    xp[:, :, pad:pad + H, pad:pad + W] = x.transpose(1, 0, 2, 3)
    return xp


def _im2col_cnhw(xp: np.ndarray, HH: int, WW: int, H_out: int, W_out: int,
                 stride: int) -> np.ndarray:
    """Padded (C, N, Hp, Wp) -> cols (C * HH * WW, N * H_out * W_out), one field per column."""
    C, N = xp.shape[:2]
    sC, sN, sH, sW = xp.strides
    fields = as_strided(xp, (C, HH, WW, N, H_out, W_out),
                        (sC, sH, sW, sN, sH * stride, sW * stride), writeable=False)
    # The reshape copies (the fields overlap in memory) into a contiguous matrix.
    return fields.reshape(C * HH * WW, N * H_out * W_out)


def _col2im_cnhw(dcols: np.ndarray, x_shape: tuple, HH: int, WW: int, H_out: int, W_out: int,
                 stride: int, pad: int) -> np.ndarray:
    """Sum dcols (C * HH * WW, M) back onto the input: dx (N, C, H, W), the adjoint of im2col."""
    N, C, H, W = x_shape
    dcols = dcols.reshape(C, HH, WW, N, H_out, W_out)
    dxp = np.zeros((C, N, H + 2 * pad, W + 2 * pad), dtype=dcols.dtype)
    # One strided add per kernel offset: overlapping windows accumulate, skipped pixels stay 0.
    for i in range(HH):
        for j in range(WW):
            dxp[:, :, i:i + stride * H_out:stride, j:j + stride * W_out:stride] += dcols[:, i, j]
    return _swap_outer_axes(dxp[:, :, pad:pad + H, pad:pad + W])


def _pad_nhwc(x: np.ndarray, pad_h: int, pad_w: int, dtype) -> np.ndarray:
    """x (N, C, H, W) -> channels-last (N, H + 2 pad_h, W + 2 pad_w, C) in ``dtype``.

    A negative pad crops that many rows (columns) from each side instead.
    """
    crop_h, crop_w = max(-pad_h, 0), max(-pad_w, 0)
    x = x[:, :, crop_h:x.shape[2] - crop_h, crop_w:x.shape[3] - crop_w]
    pad_h, pad_w = max(pad_h, 0), max(pad_w, 0)
    N, C, H, W = x.shape
    xp = np.zeros((N, H + 2 * pad_h, W + 2 * pad_w, C), dtype=dtype)
    xp[:, pad_h:pad_h + H, pad_w:pad_w + W, :] = x.transpose(0, 2, 3, 1)
    return xp


def _im2col_nhwc(xp: np.ndarray, HH: int, WW: int, H_out: int, W_out: int) -> np.ndarray:
    """Padded (N, Hp, Wp, C) -> cols (N * H_out * W_out, HH * WW * C), stride 1, one field a row."""
    N, C = xp.shape[0], xp.shape[3]
    sN, sH, sW, sC = xp.strides
    fields = as_strided(xp, (N, H_out, W_out, HH, WW, C), (sN, sH, sW, sH, sW, sC),
                        writeable=False)
    return fields.reshape(N * H_out * W_out, HH * WW * C)


def _dx_as_convolution(dout: np.ndarray, w: np.ndarray, x_shape: tuple, pad: int,
                       dtype) -> np.ndarray:
    """dx for stride 1: dout, padded by (HH - 1 - pad, WW - 1 - pad), convolved with w flipped.

    dx[n, c, h, w] = sum over f, i, j of dout_p[n, f, h + i, w + j] * w[f, c, HH-1-i, WW-1-j].
    """
    N, C, H, W = x_shape
    F, _, HH, WW = w.shape
    cols = _im2col_nhwc(_pad_nhwc(dout, HH - 1 - pad, WW - 1 - pad, dtype), HH, WW, H, W)
    # w_flip[c, i, j, f] = w[f, c, HH-1-i, WW-1-j], the (HH, WW, F) order of the cols' rows.
    w_flip = w[:, :, ::-1, ::-1].transpose(1, 2, 3, 0).reshape(C, HH * WW * F)
    dx_mat = w_flip @ cols.T                                       # (C, N * H * W)
    return _swap_outer_axes(dx_mat.reshape(C, N, H, W))



def _swap_outer_axes(a: np.ndarray) -> np.ndarray:
    """(A, B, H, W) -> contiguous (B, A, H, W): moves whole (H, W) planes.

    Writing through a transposed view of the result makes NumPy walk ``a`` in its memory order,
    20% faster than np.ascontiguousarray(a.transpose(1, 0, 2, 3)) for a 16 MB array.
    """
    out = np.empty((a.shape[1], a.shape[0]) + a.shape[2:], dtype=a.dtype)
    np.copyto(out.transpose(1, 0, 2, 3), a)
    return out
