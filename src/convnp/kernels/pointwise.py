"""1x1 convolutions without padding: one matrix product per image, straight on NCHW.

Reference: ``convnp.layers.conv.conv_forward_naive`` and ``conv_backward_naive``; the tests hold
these kernels equal to them to 1e-10 in float64 (forward, dx, dw and db).

A 1x1 filter reads one pixel of every channel, so with no padding the receptive fields ARE the
input: x[n] seen as a (C, H * W) matrix is image n's im2col matrix already, and

    forward:   out[n] = w_mat @ x[n]                (F, C) @ (C, P)     P = H_out * W_out
    dx:        dx[n] = w_mat^T @ dout[n]            (C, F) @ (F, P)
    dw:        dw = sum over n of dout[n] @ x[n]^T  (F, P) @ (P, C)

each one batched np.matmul over the images that reads and writes NCHW as it is: no im2col copy,
no col2im, no layout change, and the cache is x itself (im2col keeps a copy of x, 'nhwc' a
channels-last one). A stride s keeps every s-th row and column: x[:, :, ::s, ::s] is copied
once (a quarter of x at stride 2; resnet's projection shortcuts) and dx is zero elsewhere.

Measured (float32, forward + backward, 2-core AMD EPYC with NumPy's OpenBLAS, one thread,
minimum of 7, against the im2col layout ``im2col.pick_layout`` picks): x (128, 64, 16, 16),
w (128, 64, 1, 1) 17.8 ms against 33.8 ('nhwc'; 'nchw' 21.4); resnet's projections at stride
2, x (128, 16, 32, 32), w (32, 16, 1, 1) 2.0 ms against 3.1 ('nchw') and x (128, 32, 16, 16),
w (64, 32, 1, 1) 1.5 ms against 2.1 ('cnhw'). The first is at the speed of its three products.

With the compiled kernels on (``convnp.kernels.jit``) and float32 throughout, the forward
product (bias included) and dx are computed by ``_numba_direct.pointwise`` instead of BLAS: a
block of 6 filters x 64 positions is summed in AVX-512 registers, each product a weight,
broadcast, times 16 consecutive positions of one channel of x[n] (NCHW as it is), and the
bias is the blocks' starting value, not another pass. NumPy's OpenBLAS runs these products
at some 190 GFLOP/s (it takes its AVX2 kernels on this machine), the block at 370 (x (128,
64, 16, 16), w (128, 64, 1, 1), 2 cores: 1.45 ms against 2.7 for the product alone and 3.6
with the bias pass). dw and db (``_numba_direct.pointwise_grad``): the same block on a
channels-last copy of each image, and 16-lane row sums of dout, per group of GROUP images
added in a fixed order (1.9 ms against 3.2 + 0.8 for the batched BLAS product and the sum).
On CPUs without AVX-512 (``jit.avx512``) the block does not fit AVX2's 16 registers, and the
products stay BLAS's: on a 2-core AMD EPYC zen3 the compiled forward + backward of that layer
took 49 ms against BLAS's 35.

These functions trust their callers (``convnp.layers.conv`` validates): x is (N, C, H, W), w is
(F, C, 1, 1), b is (F,), all floating, stride >= 1 and the padding is 0. x, w and b are only
read. Dtype: everything is computed in np.result_type(x, w, b).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import jit, threads
from ._direct_codegen import PW_BIG, PW_TAIL
from .direct import _round_up

GROUP = 8                 # images per partial sum of dw and db (compiled kernel)


class PointwiseCache(NamedTuple):
    """What ``conv_backward`` needs: the (strided) input as (N, C, P), the filters, the sizes."""

    x3: np.ndarray          # (N, C, H_out * W_out): a view of x at stride 1, else a copy
    w_mat: np.ndarray       # (F, C), in the compute dtype
    x_shape: tuple[int, int, int, int]
    stride: int


def applies(w_shape: tuple[int, ...], pad: int) -> bool:
    """True for the layers this kernel computes: 1x1 filters and no padding (any stride)."""
    return tuple(w_shape[2:]) == (1, 1) and pad == 0


def conv_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray,
                 stride: int) -> tuple[np.ndarray, PointwiseCache]:
    """1x1 convolution forward, one product per image (matches ``conv_forward_naive``, pad 0).

    - x: (N, C, H, W); w: (F, C, 1, 1); b: (F,); stride >= 1 (validated by caller)

    Returns out, of shape (N, F, H_out, W_out) with H_out = 1 + (H - 1) // stride, in
    np.result_type(x, w, b), and a PointwiseCache.
    """
    dtype = np.result_type(x, w, b)
    N, C, H, W = x.shape
    F = w.shape[0]
    xs = x[:, :, ::stride, ::stride] if stride > 1 else x
    H_out, W_out = xs.shape[2:]
    x3 = np.ascontiguousarray(xs, dtype=dtype).reshape(N, C, H_out * W_out)
    w_mat = w.reshape(F, C).astype(dtype, copy=False)
    if _compiled(dtype):
        out = _product(w_mat, x3, bias=b)
    else:
        out = np.matmul(w_mat, x3)                                  # (N, F, P)
        if b.any():  # the zoo's convs before a batch norm have no bias: skip a pass of zeros
            out += b.astype(dtype, copy=False)[:, None]
    return out.reshape(N, F, H_out, W_out), PointwiseCache(x3, w_mat, (N, C, H, W), stride)


def conv_backward(dout: np.ndarray, cache: PointwiseCache, need_dx: bool = True,
                  need_dw: bool = True) -> tuple[np.ndarray | None, np.ndarray | None,
                                                 np.ndarray]:
    """1x1 convolution backward (matches ``conv_backward_naive``, pad 0).

    - dout: (N, F, H_out, W_out), the forward output's shape (validated by caller)
    - cache: the PointwiseCache from ``conv_forward``
    - need_dx: False skips dx and returns None in its place
    - need_dw: False skips dw (a frozen layer's) and returns None in its place

    Returns (dx, dw, db) of the shapes of x, w and b, in the forward's compute dtype.
    """
    x3, w_mat, x_shape, stride = cache
    N, C, H, W = x_shape
    F = w_mat.shape[0]
    H_out, W_out = dout.shape[2:]
    dout3 = dout.astype(w_mat.dtype, copy=False).reshape(N, F, H_out * W_out)
    compiled = _compiled(w_mat.dtype)
    dw = None
    if need_dw and compiled:
        dw, db = _gradients(dout3, x3.reshape(N, C, H_out, W_out))
        dw = dw.reshape(F, C, 1, 1)
    else:
        db = dout3.sum(axis=2).sum(axis=0)
        if need_dw:
            dw = np.matmul(dout3, x3.transpose(0, 2, 1)).sum(axis=0).reshape(F, C, 1, 1)
    if not need_dx:
        return None, dw, db
    if compiled:
        dx3 = _product(w_mat, dout3, transpose=True)
    else:
        dx3 = np.matmul(w_mat.T, dout3)                             # (N, C, P)
    if stride == 1:
        dx = dx3.reshape(N, C, H, W)
    else:
        dx = np.zeros(x_shape, dtype=dx3.dtype)
        dx[:, :, ::stride, ::stride] = dx3.reshape(N, C, H_out, W_out)
    return dx, dw, db


def _compiled(dtype) -> bool:
    # Not without AVX-512: the block spills from AVX2's registers (jit.avx512).
    return np.dtype(dtype) == np.float32 and jit.avx512()


def _product(w_mat: np.ndarray, x3: np.ndarray, transpose: bool = False,
             bias: np.ndarray | None = None) -> np.ndarray:
    """A @ x3[n] (+ bias) for every image n, A = w_mat (F, C), or its transpose: float32, by
    the compiled kernel over chunks of images; a new (N, M, P) array."""
    N, K, P = x3.shape
    F, C = w_mat.shape
    M, am, ak = (C, 1, C) if transpose else (F, C, 1)
    a = np.ascontiguousarray(w_mat, dtype=np.float32).reshape(-1)
    b = np.zeros(M, dtype=np.float32) if bias is None else bias.astype(np.float32)
    x3 = np.ascontiguousarray(x3, dtype=np.float32)
    out = np.empty((N, M, P), dtype=np.float32)
    kernel = jit.direct_kernels().pointwise
    rest = _round_up(P % PW_BIG, PW_TAIL)          # the columns after the last full block

    def part(n0: int, n1: int) -> None:
        xt = np.empty((K, rest), dtype=np.float32)
        ot = np.empty((M, rest), dtype=np.float32)
        kernel(a, am, ak, x3, b, out, xt, ot, n0, n1)

    threads.parallel_chunks(N, part, row_bytes=max(x3[0].nbytes, out[0].nbytes))
    return out


def _gradients(dout3: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(dw (F, C), db (F,)) = sums over the images of dout3[n] (F, P) @ x[n].T and of dout3,
    x (N, C, H_out, W_out) with H_out * W_out = P, by the compiled kernel: per group of GROUP
    images, the groups added in a fixed order (the same result for every thread count)."""
    N, C, H_out, W_out = x.shape
    F = dout3.shape[1]
    groups = -(-N // GROUP)
    part = np.empty((groups, F, C), dtype=np.float32)
    dbpart = np.empty((groups, F), dtype=np.float32)
    zeros = np.zeros(F, dtype=np.float32)
    kernel = jit.direct_kernels().pointwise_grad
    x = np.ascontiguousarray(x, dtype=np.float32)
    dout3 = np.ascontiguousarray(dout3, dtype=np.float32)

    def run(g0: int, g1: int) -> None:
        sums = np.empty((F, _round_up(C, PW_TAIL)), dtype=np.float32)
        xs = np.empty((H_out, W_out, sums.shape[1]), dtype=np.float32)
        kernel(x, dout3, part, dbpart, sums, xs, zeros, GROUP, g0, g1)

    threads.parallel_chunks(groups, run, row_bytes=GROUP * max(x[0].nbytes, dout3[0].nbytes))
    return part.sum(axis=0), dbpart.sum(axis=0)
