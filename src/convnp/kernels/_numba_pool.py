"""Max pooling's 2x2 gradient, compiled (Numba) with LLVM's SLP vectorizer on.

Imported only through ``convnp.kernels.jit.pool_kernels``, which switches the SLP vectorizer
on while it compiles this module (as for ``_numba_direct``); ``convnp.kernels.pool`` calls
``max_pool_2x2_backward`` over chunks of planes.

Why a module of its own: each window of 2 x 2 passes its gradient to the offset argmax holds
and zeros to the other three, so a row of W_out windows writes two rows of dx, each an
interleave of two values per window. LLVM's loop vectorizer handles such interleaved stores,
but it runs 4 vectors of 8 windows per iteration: on the rows of a CIFAR network (W_out of 15,
7 or 16) it never enters its vector loop, and the scalar loop ran at some 1.3 GB/s (the generic
``_numba._max_pool_tiles_backward``: 26 ms for (128, 64, 32, 32) on one core of the zen3, 3.5
ms for the same bytes in rows of 256 windows). Here four windows are spelled out as straight
code (``_four_windows``), which the SLP vectorizer packs into vector loads, compares,
multiplies and shuffles: on one core 3.3 ms for (128, 64, 32, 32), 3.4 for (256, 128, 15, 15),
against 26.5 and 22.5 (benchmarks/RESULTS.md, session 13). A row of W_out >= 4 windows runs in
blocks of 8 and 4; the last block of a row whose W_out is not a multiple of 4 overlaps the one
before, writing a few elements twice with the same values. Fewer than 4 windows take the scalar
loop.

The results are the NumPy kernel's bits: the element at offset k of a window gets
dout * (argmax == k), a float multiply (so an infinite or NaN dout leaves NaN at the window's
other elements); tests/kernels/test_jit.py holds it to ``pool._max_pool_backward_numpy``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types

_U = np.uint64
_U8 = np.uint8
_F32 = np.float32
_OPTIONS = dict(nogil=True, cache=True, error_model="numpy", fastmath={"contract"})
_I = types.intp
_VEC = types.float32[::1]
_IN = types.Array(types.float32, 1, "C", readonly=True)
_U8_IN = types.Array(types.uint8, 1, "C", readonly=True)


@njit(inline="always", **_OPTIONS)
def _four_windows(dout, argmax, dx, o, r, W, j):
    """Windows j .. j + 3 of the row whose dout starts at o and whose dx rows start at r and
    r + W: 4 loads of dout and argmax, 16 stores, straight code for the SLP vectorizer."""
    s = o + j
    t0 = r + _U(2) * j
    t1 = t0 + W
    d0 = dout[s]; d1 = dout[s + _U(1)]; d2 = dout[s + _U(2)]; d3 = dout[s + _U(3)]  # noqa: E702
    k0 = argmax[s]; k1 = argmax[s + _U(1)]; k2 = argmax[s + _U(2)]; k3 = argmax[s + _U(3)]  # noqa: E702
    # the top row of each window: offsets 0 and 1
    dx[t0] = d0 * _F32(k0 == _U8(0)); dx[t0 + _U(1)] = d0 * _F32(k0 == _U8(1))  # noqa: E702
    dx[t0 + _U(2)] = d1 * _F32(k1 == _U8(0)); dx[t0 + _U(3)] = d1 * _F32(k1 == _U8(1))  # noqa: E702
    dx[t0 + _U(4)] = d2 * _F32(k2 == _U8(0)); dx[t0 + _U(5)] = d2 * _F32(k2 == _U8(1))  # noqa: E702
    dx[t0 + _U(6)] = d3 * _F32(k3 == _U8(0)); dx[t0 + _U(7)] = d3 * _F32(k3 == _U8(1))  # noqa: E702
    # the bottom row: offsets 2 and 3
    dx[t1] = d0 * _F32(k0 == _U8(2)); dx[t1 + _U(1)] = d0 * _F32(k0 == _U8(3))  # noqa: E702
    dx[t1 + _U(2)] = d1 * _F32(k1 == _U8(2)); dx[t1 + _U(3)] = d1 * _F32(k1 == _U8(3))  # noqa: E702
    dx[t1 + _U(4)] = d2 * _F32(k2 == _U8(2)); dx[t1 + _U(5)] = d2 * _F32(k2 == _U8(3))  # noqa: E702
    dx[t1 + _U(6)] = d3 * _F32(k3 == _U8(2)); dx[t1 + _U(7)] = d3 * _F32(k3 == _U8(3))  # noqa: E702


@njit(types.void(_IN, _U8_IN, _I, _I, _I, _I, _VEC), **_OPTIONS)
def max_pool_2x2_backward(dout, argmax, H, W, H_out, W_out, dx):
    """dx of whole (H, W) planes from dout and argmax ((planes, H_out, W_out), flat), 2x2
    windows with stride 2: the same as ``_numba.max_pool_3x3_backward`` does for 3x3.

    The windows cover the first 2 * H_out rows and 2 * W_out columns; the rest of each plane
    (the rows and columns a crop dropped) is written 0, in the same pass. Indices are
    unsigned: no wraparound check between the loads.
    """
    H, W, Ho, Wo = _U(H), _U(W), _U(H_out), _U(W_out)
    two, zero = _U(2), _F32(0.0)
    planes = _U(dout.shape[0]) // (Ho * Wo)
    for q in range(planes):
        for i in range(Ho):
            o = (q * Ho + i) * Wo
            r = (q * H + i * two) * W
            if Wo >= _U(8):
                for j in range(_U(0), Wo - _U(7), _U(8)):
                    _four_windows(dout, argmax, dx, o, r, W, j)
                    _four_windows(dout, argmax, dx, o, r, W, j + _U(4))
                if Wo % _U(8) > _U(4):              # 5 to 7 left: the last 8, overlapping
                    _four_windows(dout, argmax, dx, o, r, W, Wo - _U(8))
                    _four_windows(dout, argmax, dx, o, r, W, Wo - _U(4))
                elif Wo % _U(8):                      # 1 to 4 left: the last 4
                    _four_windows(dout, argmax, dx, o, r, W, Wo - _U(4))
            elif Wo >= _U(4):
                _four_windows(dout, argmax, dx, o, r, W, _U(0))
                if Wo > _U(4):
                    _four_windows(dout, argmax, dx, o, r, W, Wo - _U(4))
            else:
                for j in range(Wo):
                    d = dout[o + j]
                    k = argmax[o + j]
                    t = r + two * j
                    dx[t] = d * _F32(k == _U8(0))
                    dx[t + _U(1)] = d * _F32(k == _U8(1))
                    dx[t + W] = d * _F32(k == _U8(2))
                    dx[t + W + _U(1)] = d * _F32(k == _U8(3))
            for c in range(two * Wo, W):
                dx[r + c] = zero
                dx[r + W + c] = zero
        for c in range((q * H + two * Ho) * W, (q + _U(1)) * H * W):
            dx[c] = zero
