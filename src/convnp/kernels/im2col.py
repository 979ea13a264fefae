"""Convolution as one matrix product per pass: im2col, col2im and their three memory layouts.

Reference: ``convnp.layers.conv.conv_forward_naive`` and ``conv_backward_naive``; the tests hold
these kernels equal to them to 1e-10 in float64, for every layout. (3x3 stride-1 layers with
enough channels go to ``convnp.kernels.winograd`` instead; this kernel takes everything else.)

im2col copies every receptive field of the padded input into one row (or column) of a matrix
``cols`` with K = C * HH * WW entries per field and M = N * H_out * W_out fields. Then

    forward:   out = w_mat @ cols                 (F, K) @ (K, M)   one GEMM
    dw:        dw^T = cols @ dout_mat^T           (K, M) @ (M, F)   one GEMM, reusing cols
    dx:        one GEMM, with col2im after it ('cnhw', 'nchw') or an im2col of dout before it
               ('nhwc')

In 'cnhw' and 'nhwc' each product is written in the orientation that gives an (F, M) or (C, M)
result, with M ordered (N, H_out, W_out): turning that into NCHW moves whole (H_out * W_out)
planes, a cheap copy, where a (M, F) result would need an element-by-element transpose (about
1 ns an element in NumPy: 4 to 9 ms for a (128, 32, 32, 32) output). 'nchw' runs one product
per image instead and needs no copy at all.

The speed of the copies that build ``cols`` and add ``dcols`` back depends on how long their
contiguous runs are, and the speed of the products on their sizes, so there are three layouts,
picked by ``pick_layout``:

- 'cnhw' (any stride): the padded input is kept as (C, N, Hp, Wp), a cheap transpose of NCHW
  that moves whole planes. ``cols`` is (K, M) with K ordered (C, HH, WW), so ``w.reshape(F, K)``
  is already w_mat. The runs are W_out long. dx: dcols = w_mat^T @ dout_mat, then col2im adds
  each kernel offset's slab of dcols into a zero (C, N, Hp, Wp) buffer, HH * WW strided adds.
- 'nchw' (any stride): the padded input stays NCHW and ``cols`` is (N, K + 1, H_out * W_out),
  one (K, H_out * W_out) matrix per image plus a row of ones. The products are batched over
  the images: out[n] = [w_mat | b] @ cols[n] is written straight into the NCHW output with the
  bias added (the ones row), and [dw_mat | db] = sum over n of dout[n] @ cols[n]^T reads dout
  as it comes. This saves the two whole-output copies of 'cnhw' (the output's and dout's,
  plus db's separate pass over dout), which dominate when the output is much larger than the
  input: the first layers of a network (few channels, wide images). Each image's product
  needs H_out * W_out columns to run well, hence the size limit in ``pick_layout``. dx: col2im
  per image as in 'cnhw', adding only the part of each slab that lands inside x (no padded
  buffer).
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

LAYOUTS = ("cnhw", "nhwc", "nchw")


class ConvCache(NamedTuple):
    """What ``conv_backward`` needs: the cols of the forward pass and the conv's geometry."""

    layout: str
    cols: np.ndarray        # 'cnhw': (K, M); 'nhwc': (M, K); 'nchw': (N, K + 1, H_out * W_out)
    w: np.ndarray           # (F, C, HH, WW), in the compute dtype
    x_shape: tuple[int, int, int, int]
    stride: int
    pad: int


def pick_layout(C: int, WW: int, H_out: int, W_out: int, stride: int) -> str:
    """'nhwc' for stride-1 layers with narrow outputs and runs of WW * C >= W_out; otherwise
    'nchw' for outputs of at least 256 positions per image, else 'cnhw'.

    Measured (float32, forward + backward, 2-core AMD EPYC with NumPy's OpenBLAS, median of 9):
    'nhwc' is 15-25% faster than 'cnhw' at W_out = 16 and 8 with C >= 16 (N = 128, 3x3, pad 1),
    and 'cnhw' 2.5x faster than 'nhwc' for C = 3, where the channels-last runs would be 9
    elements long. 'nchw' against 'cnhw': 9.1 ms against 11.2 ms for x (128, 3, 32, 32),
    w (32, 3, 3, 3); 30.5 against 37.9 for w (64, 3, 5, 5); 20.7 against 23.3 for C = 8;
    even for 7x7 filters at stride 2 (32x32 outputs) and for 16 channels at stride 2 (16x16
    outputs); but 2% to 20% slower for 8x8 and 4x4 outputs (stride 2, C = 32 and 64), where
    each image's product is small.
    """
    if stride == 1 and W_out < 32 and C * WW >= W_out:
        return "nhwc"
    return "nchw" if H_out * W_out >= 256 else "cnhw"


def conv_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int, pad: int,
                 layout: str | None = None) -> tuple[np.ndarray, ConvCache]:
    """Convolution forward by im2col and one GEMM (matches ``conv_forward_naive``).

    - x: (N, C, H, W); w: (F, C, HH, WW); b: (F,); stride >= 1, pad >= 0 (validated by caller)
    - layout: 'cnhw', 'nchw' or 'nhwc' ('nhwc' needs stride 1); None picks with ``pick_layout``

    Returns out, of shape (N, F, H_out, W_out) in np.result_type(x, w, b), and a ConvCache.
    """
    dtype = np.result_type(x, w, b)
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    if layout is None:
        layout = pick_layout(C, WW, H_out, W_out, stride)
    # The 'nhwc' dx is a stride-1 convolution of dout; at stride > 1 it would be silently wrong.
    if layout == "nhwc" and stride != 1:
        raise ValueError(f"im2col.conv_forward: layout 'nhwc' needs stride 1; got stride {stride}")
    w = w.astype(dtype, copy=False)
    if layout == "nchw":
        cols = _im2col_nchw(_pad_nchw(x, pad, dtype), HH, WW, H_out, W_out, stride)
        # b is the weight of the ones row: out = [w_mat | b] @ cols, already in NCHW.
        w_ext = np.concatenate([w.reshape(F, -1), b.astype(dtype, copy=False)[:, None]], axis=1)
        out = np.matmul(w_ext, cols).reshape(N, F, H_out, W_out)
        return out, ConvCache(layout, cols, w, (N, C, H, W), stride, pad)
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


def conv_backward(dout: np.ndarray, cache: ConvCache, need_dx: bool = True,
                  need_dw: bool = True) -> tuple[np.ndarray | None, np.ndarray | None,
                                                 np.ndarray]:
    """Convolution backward by GEMMs on the cached cols (matches ``conv_backward_naive``).

    - dout: (N, F, H_out, W_out), the forward output's shape (validated by caller)
    - cache: the ConvCache from ``conv_forward``
    - need_dx: False skips dx (its product and col2im) and returns None in its place
    - need_dw: False skips dw (its product; a frozen layer's) and returns None in its place

    Returns (dx, dw, db) of the shapes of x, w and b, in the forward's compute dtype.
    """
    layout, cols, w, x_shape, stride, pad = cache
    N, C, H, W = x_shape
    F, _, HH, WW = w.shape
    dtype = w.dtype
    dout = dout.astype(dtype, copy=False)
    if layout == "nchw":
        H_out, W_out = dout.shape[2:]
        K = C * HH * WW
        dout_n = dout.reshape(N, F, H_out * W_out)
        dx = None
        if need_dx:
            dcols = np.matmul(w.reshape(F, K).T, dout_n)             # (N, K, H_out * W_out)
            dx = _col2im_nchw(dcols, x_shape, HH, WW, H_out, W_out, stride, pad)
        if not need_dw:
            return dx, None, dout_n.sum(axis=(0, 2))
        # [dw_mat | db] = sum over images of dout[n] @ cols[n]^T (the ones row gives db).
        dw_ext = np.matmul(dout_n, cols.transpose(0, 2, 1)).sum(axis=0)
        dw = np.ascontiguousarray(dw_ext[:, :K]).reshape(F, C, HH, WW)
        return dx, dw, np.ascontiguousarray(dw_ext[:, K])
    # (N, F, H_out, W_out) -> (F, M): moves whole planes, like the forward's output copy.
    dout_mat = _swap_outer_axes(dout).reshape(F, N * dout.shape[2] * dout.shape[3])
    db = dout_mat.sum(axis=1)
    # dw is computed transposed, (K, F): OpenBLAS runs this orientation 5-10% faster here.
    dx = dw = None
    if layout == "nhwc":
        if need_dw:
            dw = (cols.T @ dout_mat.T).reshape(HH, WW, C, F).transpose(3, 2, 0, 1)
        if need_dx:
            dx = _dx_as_convolution(dout, w, x_shape, pad, dtype)
    else:
        if need_dw:
            dw = (cols @ dout_mat.T).T.reshape(F, C, HH, WW)
        if need_dx:
            dcols = w.reshape(F, C * HH * WW).T @ dout_mat
            dx = _col2im_cnhw(dcols, x_shape, HH, WW, dout.shape[2], dout.shape[3], stride,
                              pad)
    return dx, None if dw is None else np.ascontiguousarray(dw), db


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


def _pad_nchw(x: np.ndarray, pad: int, dtype) -> np.ndarray:
    """x (N, C, H, W) -> zero-padded (N, C, H + 2 pad, W + 2 pad) in ``dtype``."""
    N, C, H, W = x.shape
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=dtype)
    xp[:, :, pad:pad + H, pad:pad + W] = x
    return xp


def _im2col_nchw(xp: np.ndarray, HH: int, WW: int, H_out: int, W_out: int,
                 stride: int) -> np.ndarray:
    """Padded (N, C, Hp, Wp) -> cols (N, C * HH * WW + 1, H_out * W_out), the last row ones.

    cols[n] is image n's im2col matrix (K ordered (C, HH, WW)), so one batched product with it
    writes the output in NCHW; the row of ones carries the bias forward and gives db backward.
    """
    N, C = xp.shape[:2]
    K, P = C * HH * WW, H_out * W_out
    cols = np.empty((N, K + 1, P), dtype=xp.dtype)
    cols[:, K] = 1
    sN, sC, sH, sW = xp.strides
    fields = as_strided(xp, (N, C, HH, WW, H_out, W_out),
                        (sN, sC, sH, sW, sH * stride, sW * stride), writeable=False)
    # cols[:, :K] seen as (N, C, HH, WW, H_out, W_out), built by hand so it is surely a view.
    cN, cK, cP = cols.strides
    target = as_strided(cols, fields.shape, (cN, HH * WW * cK, WW * cK, cK, W_out * cP, cP))
    np.copyto(target, fields)
    return cols


def _col2im_nchw(dcols: np.ndarray, x_shape: tuple, HH: int, WW: int, H_out: int, W_out: int,
                 stride: int, pad: int) -> np.ndarray:
    """Sum dcols (N, C * HH * WW, H_out * W_out) back onto dx (N, C, H, W), skipping the padding.

    Kernel offset i of output row h reads input row i + stride * h - pad; only the output rows
    (and columns) for which that lands inside x are added, so no padded buffer is needed.
    """
    N, C, H, W = x_shape
    dcols = dcols.reshape(N, C, HH, WW, H_out, W_out)
    dx = np.zeros((N, C, H, W), dtype=dcols.dtype)
    for i in range(HH):
        h0, h1 = _inside(i, stride, pad, H, H_out)
        for j in range(WW):
            w0, w1 = _inside(j, stride, pad, W, W_out)
            if h0 < h1 and w0 < w1:
                dx[:, :, i + stride * h0 - pad:i + stride * (h1 - 1) - pad + 1:stride,
                   j + stride * w0 - pad:j + stride * (w1 - 1) - pad + 1:stride] += \
                    dcols[:, :, i, j, h0:h1, w0:w1]
    return dx


def _inside(offset: int, stride: int, pad: int, size: int, size_out: int) -> tuple[int, int]:
    """The output range [lo, hi) whose input position offset + stride * h - pad is in x."""
    lo = max(0, -((offset - pad) // stride))
    hi = min(size_out, (size - 1 + pad - offset) // stride + 1)
    return lo, hi


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
