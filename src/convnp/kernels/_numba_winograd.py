"""Compiled Winograd output transforms (Numba): imported only through ``convnp.kernels.jit``.

``convnp.kernels.winograd`` computes its transforms as band-matrix GEMMs. On the output side
(the forward's M -> out, and its adjoint dout -> dM in the backward pass) those GEMMs have
K = 6 * tiles and H_out or W_out columns, shapes BLAS runs at a fraction of its speed, over
arrays of F channels: for a layer 24 -> 64 at 31x31, batch 256, each took some 35-40 ms
against 12 ms for the 36 products themselves. Here each is one pass over a range of images:
the 4 output rows of a tile row are kept in a small buffer with the filters last, each tile
is transformed with AT written out as sums (its entries are 0, +-1 and powers of 2: exact),
and the loops over filters are contiguous, so LLVM vectorizes them; the buffer is then copied
to (or from) the NCHW rows. Within a tile the images of the range come one after the other, so
M's (dM's) 36 rows advance contiguously (with the images in the outer loop instead, that
layer's backward pass took 100 ms rather than 75). The input side, where the patches overlap
and x has few channels, stays on the band GEMMs: compiled the same way, it measured slower
(x (256, 64, 15, 15): V 4.0 ms as GEMMs, 9.2 compiled; dx 6.6 against 10.8).

Layouts are ``winograd``'s: M and dM are (6, th, 6, tw * N, F) with the rows of a Winograd
position ordered (tile column j, image n), so a tile's values for all filters are
contiguous. The functions take a range of images [n0, n1), so ``convnp.kernels.threads``
runs them on chunks of images: an image is always done by one thread, in the same order,
and the results do not depend on the thread count. They match the band-matrix GEMMs to
float32 rounding (tests/kernels/test_winograd_jit.py holds them together).

Conventions as ``convnp.kernels._numba``: explicit signatures, float32, nogil, cache,
``error_model="numpy"``, fastmath only ``contract``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types

_F32 = np.float32
_OPTIONS = dict(nogil=True, cache=True, error_model="numpy", fastmath={"contract"})
_IN4 = types.Array(types.float32, 4, "C", readonly=True)   # read
_IN5 = types.Array(types.float32, 5, "C", readonly=True)
_OUT4 = types.float32[:, :, :, ::1]                         # written
_OUT5 = types.float32[:, :, :, :, ::1]


# The 1-d transform of winograd.AT (4x6) and its transpose (the adjoint), written out from the
# matrix (tests/kernels/test_winograd_jit.py checks them against it).

@njit(inline="always", **_OPTIONS)
def _at(m0, m1, m2, m3, m4, m5):
    """AT @ (m0..m5)."""
    return (m0 + m1 + m2 + m3 + m4,
            m1 - m2 + _F32(0.5) * m3 - _F32(2.0) * m4,
            m1 + m2 + _F32(0.25) * m3 + _F32(4.0) * m4,
            m1 - m2 + _F32(0.125) * m3 - _F32(8.0) * m4 + m5)


@njit(inline="always", **_OPTIONS)
def _at_t(y0, y1, y2, y3):
    """AT^T @ (y0..y3): the adjoint of _at."""
    return (y0,
            y0 + y1 + y2 + y3,
            y0 - y1 + y2 - y3,
            y0 + _F32(0.5) * y1 + _F32(0.25) * y2 + _F32(0.125) * y3,
            y0 - _F32(2.0) * y1 + _F32(4.0) * y2 - _F32(8.0) * y3,
            y3)


@njit(types.void(_IN5, types.intp, types.intp, _OUT4), **_OPTIONS)
def output_transform(M, n0, n1, out):
    """out[n, f, 4i + a, 4j + b] = (AT m AT^T)[a, b], m the tile's 6x6 values M[:, i, :, j * N
    + n, f], cropped to out's size, for the images n0 <= n < n1. out (N, F, H_out, W_out).

    Tile row by tile row: for each tile column, the images of the range one after the other,
    so that the 36 rows M[r, i, s, j * N + n] read advance contiguously; the 4 output rows of
    every image go to a buffer (filters last), copied into out's NCHW rows at the tile row's
    end.
    """
    N, F, H_out, W_out = out.shape
    th, tw = M.shape[1], M.shape[3] // N
    rows = np.empty((n1 - n0, 4, 4 * tw, F), dtype=np.float32)
    t = np.empty((4, 6, F), dtype=np.float32)
    for i in range(th):
        for j in range(tw):
            for n in range(n0, n1):
                row = j * N + n
                buf = rows[n - n0]
                for s in range(6):                      # along the rows: t = AT m
                    for f in range(F):
                        a0, a1, a2, a3 = _at(M[0, i, s, row, f], M[1, i, s, row, f],
                                             M[2, i, s, row, f], M[3, i, s, row, f],
                                             M[4, i, s, row, f], M[5, i, s, row, f])
                        t[0, s, f] = a0
                        t[1, s, f] = a1
                        t[2, s, f] = a2
                        t[3, s, f] = a3
                for a in range(4):                      # along the columns: t AT^T
                    for f in range(F):
                        b0, b1, b2, b3 = _at(t[a, 0, f], t[a, 1, f], t[a, 2, f], t[a, 3, f],
                                             t[a, 4, f], t[a, 5, f])
                        buf[a, 4 * j, f] = b0
                        buf[a, 4 * j + 1, f] = b1
                        buf[a, 4 * j + 2, f] = b2
                        buf[a, 4 * j + 3, f] = b3
        for n in range(n0, n1):
            for f in range(F):
                for a in range(min(4, H_out - 4 * i)):
                    for w in range(W_out):
                        out[n, f, 4 * i + a, w] = rows[n - n0, a, w, f]


@njit(types.void(_IN4, types.intp, types.intp, _OUT5), **_OPTIONS)
def output_adjoint(dout, n0, n1, dM):
    """dM[:, i, :, j * N + n, f] = AT^T y AT, y dout[n, f]'s 4x4 tile (i, j), zero beyond
    dout's edge: the adjoint of output_transform, for the images n0 <= n < n1.

    Tile row by tile row: the 4 dout rows of every image of the range to a buffer (filters
    last, zeros past the edge), then for each tile column the images one after the other, so
    that the 36 rows of dM written advance contiguously.
    """
    N, F, H_out, W_out = dout.shape
    th, tw = dM.shape[1], dM.shape[3] // N
    rows = np.empty((n1 - n0, 4, 4 * tw, F), dtype=np.float32)
    t = np.empty((4, 6, F), dtype=np.float32)
    for i in range(th):
        valid = min(4, H_out - 4 * i)
        for n in range(n0, n1):
            buf = rows[n - n0]
            buf[:] = 0
            for a in range(valid):
                for w in range(W_out):
                    for f in range(F):
                        buf[a, w, f] = dout[n, f, 4 * i + a, w]
        for j in range(tw):
            for n in range(n0, n1):
                row = j * N + n
                buf = rows[n - n0]
                for a in range(4):                      # along the columns: t = y AT
                    for f in range(F):
                        b0, b1, b2, b3, b4, b5 = _at_t(buf[a, 4 * j, f], buf[a, 4 * j + 1, f],
                                                       buf[a, 4 * j + 2, f], buf[a, 4 * j + 3, f])
                        t[a, 0, f] = b0
                        t[a, 1, f] = b1
                        t[a, 2, f] = b2
                        t[a, 3, f] = b3
                        t[a, 4, f] = b4
                        t[a, 5, f] = b5
                for s in range(6):                      # along the rows: AT^T t
                    for f in range(F):
                        c0, c1, c2, c3, c4, c5 = _at_t(t[0, s, f], t[1, s, f], t[2, s, f],
                                                       t[3, s, f])
                        dM[0, i, s, row, f] = c0
                        dM[1, i, s, row, f] = c1
                        dM[2, i, s, row, f] = c2
                        dM[3, i, s, row, f] = c3
                        dM[4, i, s, row, f] = c4
                        dM[5, i, s, row, f] = c5
