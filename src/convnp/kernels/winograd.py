"""Winograd F(4x4, 3x3) convolution for 3x3, stride-1 layers: every step a matrix product.

Reference: ``convnp.layers.conv.conv_forward_naive`` and ``conv_backward_naive``; the tests hold
these kernels equal to them to 1e-10 in float64 (forward, dx, dw and db).

The algorithm (Lavin & Gray 2015, "Fast Algorithms for Convolutional Neural Networks",
arXiv:1509.09308). The output is cut into 4x4 tiles; tile (i, j) reads the 6x6 patch of the
padded input at rows 4i..4i+5, columns 4j..4j+5 (patches overlap by 2). With the constant
matrices BT (6, 6), G (6, 3) and AT (4, 6) below, one output tile of filter f is

    Y = AT [ sum over c of (G w[f, c] G^T) * (BT d[c] BT^T) ] AT^T        (* elementwise)

so for each of the 36 positions xi = (r, s) of the 6x6 "Winograd domain" the sum over c is a
matrix product: M_xi (tiles, F) = V_xi (tiles, C) @ U_xi (C, F). That is 36 small GEMMs of
T * C * F multiply-adds for T = N * ceil(H_out / 4) * ceil(W_out / 4) tiles, where im2col needs
one GEMM of 9 * N * H_out * W_out * C * F: 2.25 times fewer multiplications per pass. The
backward pass is the adjoint of the same chain: dM from dout by the transposed output
transform, then dU_xi = V_xi^T @ dM_xi (so dw = G^T dU G) and dV_xi = dM_xi @ U_xi^T (so dx is
the transposed input transform of dV, the overlapping patches adding up). db is the sum of
dM at the point 1 (below): three passes, each 36 GEMMs, no col2im.

Interpolation points. BT, G and AT come from the Toom-Cook construction at the points
(0, 1, -1, 1/2, -2, infinity), not Lavin's (0, 1, -1, 2, -2, infinity): in float32 the
forward, dx and dw then err by 1.5e-6 to 2e-6 of their largest entry against float64, half
as much as with Lavin's points (measured on x (32, 64, 16, 16), w (64, 64, 3, 3); Barabasz et
al. 2018, "Error analysis and improving the accuracy of Winograd convolution",
arXiv:1803.10986). im2col errs by 2e-7 to 6e-7 there: 3 to 10 times less, the price of the
fewer multiplications. BT and AT hold only dyadic fractions (exact in float32); U = G w G^T
and dw = G^T dU G are computed in float64.
At the point 1, AT's column is all ones, so adding b to M at xi = (1, 1) adds b to every
output, and db is the sum of dM over that slice (a 1/36 of M, not the whole output).

Each transform is one GEMM per image axis, with the padding and the tile overlap folded into a
band matrix: ``Bh`` (6, th, H) maps the H input rows, padding included, to the 6 rows of each
of the th tile rows, ``Ah`` (H_out, 6, th) maps them back and crops the last tile. Each GEMM
reads its input transposed and writes its axis first, so the chain goes from NCHW to the
tile-major layout and back with no element-by-element transpose (about 1 ns an element in
NumPy: 2.4 ms for x (128, 64, 16, 16), the forward's four transform products together take
3.6 ms). The band matrices are mostly zeros, and their share grows with the image: a product
has K = H or W, so the transforms cost in proportion to the width (``pick_algorithm`` keeps
wide images with few channels on im2col).

    x (N*C*H, W)        -- Bw -->  (6*tw, N*C*H)          axes (s, j, n, c, h)
                        -- Bh -->  V (6*th, 6*tw*N*C)     axes (r, i, s, j, n, c)
    V[r, i, s] @ U[r, s]       ->  M                      axes (r, i, s, j, n, f)
                        -- Ah -->  (6*tw*N*F, H_out)      axes (s, j, n, f, h_out)
                        -- Aw -->  out (N*F*H_out, W_out) = NCHW

In V the rows of one Winograd position are (i, (j, n)): the 36 GEMMs run as 36 * th products
of (tw * N, C) @ (C, F), one np.matmul call over a broadcast stack.

With the compiled kernels on (``convnp.kernels.jit``: numba installed), float32's output side
(M -> out here, dout -> dM in the backward pass) runs one compiled pass over each chunk of
images instead of the Ah and Aw GEMMs (``_numba_winograd``): for x (256, 24, 31, 31),
w (64, 24, 3, 3) each took some 35-40 ms as GEMMs and 11-13 ms compiled (the layer's forward
and backward 152 -> 118 ms). The band GEMMs stay the reference, and float64's path.

These functions trust their callers (``convnp.layers.conv`` validates): x is (N, C, H, W), w is
(F, C, 3, 3), b is (F,), all floating; the stride is 1, pad >= 0 and H + 2 * pad >= 3,
W + 2 * pad >= 3. x, w and b are only read. Dtype: everything is computed in
np.result_type(x, w, b), except U and dw (float64, then cast).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import jit, threads

M_TILE, A_TILE = 4, 6  # output tile 4x4, input patch 6x6 (= 4 + 3 - 1)


def _constant(rows) -> np.ndarray:
    a = np.array(rows, dtype=np.float64)
    a.flags.writeable = False
    return a


# Toom-Cook at (0, 1, -1, 1/2, -2, infinity): AT[k, p] = point_p ** k (and AT[3, 5] = 1 for
# infinity), G[p, l] = point_p ** l / prod over q != p of (point_p - point_q), and BT is then
# the only matrix with AT ((G g) * (BT d)) = the correlation of d with g (test_winograd_matrices).
BT = _constant([[1, -3 / 2, -2, 3 / 2, 1, 0],
                [0, -1, 1 / 2, 5 / 2, 1, 0],
                [0, 1, -5 / 2, 1 / 2, 1, 0],
                [0, -2, -1, 2, 1, 0],
                [0, 1 / 2, -1, -1 / 2, 1, 0],
                [0, 1, -3 / 2, -2, 3 / 2, 1]])
G = _constant([[1, 0, 0],
               [1 / 3, 1 / 3, 1 / 3],
               [-1 / 3, 1 / 3, -1 / 3],
               [-16 / 15, -8 / 15, -4 / 15],
               [1 / 15, -2 / 15, 4 / 15],
               [0, 0, 1]])
AT = _constant([[1, 1, 1, 1, 1, 0],
                [0, 1, -1, 1 / 2, -2, 0],
                [0, 1, 1, 1 / 4, 4, 0],
                [0, 1, -1, 1 / 8, -8, 1]])
POINT_ONE = 1  # the column of AT that is all ones: where the bias goes in


class WinogradCache(NamedTuple):
    """What ``conv_backward`` needs: the input, the transformed filters and the padding.

    The input, not its Winograd-domain patches V (2.25 times as many values, more with
    partial tiles): dw transforms x again, one pass of two band products, so that a network
    holds no V of its layers between the forward and the backward pass (a full-width airbench
    step added 493 MiB over the idle process with V cached, against PyTorch's 304).
    """

    x: np.ndarray           # (N, C, H, W), in the compute dtype
    U: np.ndarray           # (6, 6, C, F), the filters in the Winograd domain
    pad: int


def applies(x_shape: tuple[int, ...], w_shape: tuple[int, ...], stride: int, pad: int) -> bool:
    """True for the layers this kernel computes: 3x3 filters at stride 1, each tap seeing x.

    The last condition, H + pad >= 3 and W + pad >= 3, leaves out inputs so thin that an outer
    row (column) of the filter only ever meets padding (H = 1 with pad = 1): its dw is exactly 0
    in the naive loops and in im2col, but here a rounding residue of about 1e-16.
    """
    H, W = x_shape[2:]
    return (stride == 1 and tuple(w_shape[2:]) == (3, 3)
            and H + pad >= 3 and W + pad >= 3)


def pick_algorithm(x_shape: tuple[int, ...], w_shape: tuple[int, ...], stride: int,
                   pad: int) -> str:
    """'winograd' where this kernel applies and was measured faster than im2col, else 'im2col'.

    Winograd saves multiplications in proportion to C * F, but its transforms cost in
    proportion to (C + F) times the image width (the band matrices are dense GEMMs with K = H
    or W), and its products have only tw * N rows each. Measured forward + backward, float32,
    2-core AMD EPYC with NumPy's OpenBLAS, median of 7, against im2col's best layout (pad 1):

    - few channels: C = 3 -> F = 32 at 32x32 is 2.9x slower (the first layer of a network),
      C = 8 -> F = 32 1.4x slower, C = 4 -> 32 at 16x16 even; F = 1 1.2x slower. Hence
      min(C, F) >= 8.
    - wide images: C = F = 16 at 64x64 1.2x slower and C = F = 32 at 128x128 1.3x, but
      C = F = 32 at 64x64 0.94x, C = F = 64 at 64x64 0.75x, C = F = 16 at 32x32 0.8-1.1x.
      Hence 2 * C >= max(H_out, W_out).
    - small batches: rows tw * N = 16 (N = 8, 8x8, C = F = 128) 1.5x slower, 32 rows even,
      64 rows 0.67x (N = 32). Hence tw * N >= 64.
    - otherwise 0.45x to 0.85x: x (128, 64, 16, 16), w (64, 64, 3, 3) 0.5x (24 ms against
      48), x (128, 128, 8, 8), w (128, 128, 3, 3) 0.4x, 4x4 to 14x14 images with 64 to 256
      channels 0.45x to 0.85x, odd sizes (partial tiles) included.
    """
    N, C, H, W = x_shape
    F = w_shape[0]
    if not applies(x_shape, w_shape, stride, pad):
        return "im2col"
    H_out, W_out = H + 2 * pad - 2, W + 2 * pad - 2
    tw = -(-W_out // M_TILE)
    if min(C, F) >= 8 and 2 * C >= max(H_out, W_out) and tw * N >= 64:
        return "winograd"
    return "im2col"


def input_matrix(size: int, pad: int, tiles: int, dtype) -> np.ndarray:
    """(6, tiles, size): row (r, i) is row r of BT d for the patch of tile i along one axis.

    Patch i covers padded positions 4i .. 4i + 5, unpadded ones 4i - pad .. 4i + 5 - pad; the
    entries for positions outside 0 .. size - 1 (the zero padding) are simply left out.
    """
    m = np.zeros((A_TILE, tiles, size), dtype=np.float64)
    i, k = np.divmod(np.arange(tiles * A_TILE), A_TILE)
    pos = M_TILE * i + k - pad
    inside = (pos >= 0) & (pos < size)
    m[:, i[inside], pos[inside]] = BT[:, k[inside]]
    return m.astype(dtype)


def output_matrix(size_out: int, tiles: int, dtype) -> np.ndarray:
    """(size_out, 6, tiles): output position 4i + o is row o of AT applied to tile i's values.

    The last tile's rows beyond size_out are not computed: that crops a partial tile.
    """
    m = np.zeros((size_out, A_TILE, tiles), dtype=np.float64)
    pos = np.arange(size_out)
    m[pos, :, pos // M_TILE] = AT[pos % M_TILE]
    return m.astype(dtype)


def conv_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray,
                 pad: int) -> tuple[np.ndarray, WinogradCache]:
    """Convolution forward by F(4x4, 3x3) Winograd (matches ``conv_forward_naive``, stride 1).

    - x: (N, C, H, W); w: (F, C, 3, 3); b: (F,); pad >= 0 (validated by caller)

    Returns out, of shape (N, F, H + 2 pad - 2, W + 2 pad - 2) in np.result_type(x, w, b), and
    a WinogradCache (x itself, in that dtype; the backward pass transforms it again).
    """
    dtype = np.result_type(x, w, b)
    N, C, H, W = x.shape
    H_out, W_out = H + 2 * pad - 2, W + 2 * pad - 2
    th, tw = -(-H_out // M_TILE), -(-W_out // M_TILE)
    U = filter_transform(w).astype(dtype)
    x = x.astype(dtype, copy=False)
    M = input_transform(x, pad, th, tw) @ U[:, None]             # (r, i, s, (j, n), f)
    M[POINT_ONE, :, POINT_ONE] += b.astype(dtype, copy=False)
    return output_transform(M, N, H_out, W_out), WinogradCache(x, U, pad)


def input_transform(x: np.ndarray, pad: int, th: int, tw: int) -> np.ndarray:
    """V (6, th, 6, tw * N, C): each tile's patch of the padded x, BT d BT^T, in x's dtype
    (two band GEMMs, ``input_matrix``)."""
    N, C, H, W = x.shape
    A = A_TILE
    Bh = input_matrix(H, pad, th, x.dtype).reshape(A * th, H)
    Bw = input_matrix(W, pad, tw, x.dtype).reshape(A * tw, W)
    z = Bw @ x.reshape(N * C * H, W).T                           # (s, j, n, c, h)
    return (Bh @ z.reshape(A * tw * N * C, H).T).reshape(A, th, A, tw * N, C)


def _compiled(dtype) -> bool:
    """True when the compiled transforms (``jit``) take float32 arrays of this dtype."""
    return dtype == np.float32 and jit.enabled()


def _per_images(kernel, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """kernel(src, n0, n1, dst) over chunks of images in the kernels' threads; returns dst.

    One of src and dst is the NCHW side (N, F, H_out, W_out); a chunk is CHUNK_BYTES of it,
    a few images, which the kernel takes one after the other within each tile.
    """
    nchw = src if src.ndim == 4 else dst
    src = np.ascontiguousarray(src)
    N = nchw.shape[0]
    threads.parallel_chunks(N, lambda n0, n1: kernel(src, n0, n1, dst),
                            row_bytes=nchw[:1].nbytes)
    return dst


def output_transform(M: np.ndarray, N: int, H_out: int, W_out: int) -> np.ndarray:
    """out (N, F, H_out, W_out) from M (6, th, 6, tw * N, F): each tile's AT m AT^T, cropped.

    Two band GEMMs (``output_matrix``); with the compiled kernels on, float32 runs one pass
    per image instead (``_numba_winograd.output_transform``, in the kernels' threads).
    """
    A, th, _, _, F = M.shape
    tw = -(-W_out // M_TILE)
    if _compiled(M.dtype):
        return _per_images(jit.winograd_kernels().output_transform, M,
                           np.empty((N, F, H_out, W_out), dtype=np.float32))
    Ah = output_matrix(H_out, th, M.dtype).reshape(H_out, A * th)
    Aw = output_matrix(W_out, tw, M.dtype).reshape(W_out, A * tw)
    z = M.reshape(A * th, A * tw * N * F).T @ Ah.T             # (s, j, n, f, h_out)
    return (z.reshape(A * tw, N * F * H_out).T @ Aw.T).reshape(N, F, H_out, W_out)


def output_adjoint(dout: np.ndarray, th: int, tw: int) -> np.ndarray:
    """dM (6, th, 6, tw * N, F) from dout (N, F, H_out, W_out): the adjoint of
    ``output_transform`` (AT^T y AT per tile, y zero beyond dout's edge), in dout's dtype.

    Two band GEMMs; compiled for float32 as ``output_transform``.
    """
    N, F, H_out, W_out = dout.shape
    A = A_TILE
    if M_TILE * th < H_out or M_TILE * tw < W_out:  # (the compiled pass relies on it)
        raise ValueError(f"output_adjoint: {th} x {tw} tiles of {M_TILE} do not cover dout's "
                         f"{H_out} x {W_out}")
    if _compiled(dout.dtype):
        return _per_images(jit.winograd_kernels().output_adjoint, dout,
                           np.empty((A, th, A, tw * N, F), dtype=np.float32))
    Ah = output_matrix(H_out, th, dout.dtype).reshape(H_out, A * th)
    Aw = output_matrix(W_out, tw, dout.dtype).reshape(W_out, A * tw)
    z = Aw.T @ dout.reshape(N * F * H_out, W_out).T             # (s, j, n, f, h_out)
    return (Ah.T @ z.reshape(A * tw * N * F, H_out).T).reshape(A, th, A, tw * N, F)


def conv_backward(dout: np.ndarray, cache: WinogradCache, need_dx: bool = True,
                  need_dw: bool = True) -> tuple[np.ndarray | None, np.ndarray | None,
                                                 np.ndarray]:
    """Convolution backward, the adjoint of ``conv_forward`` (matches ``conv_backward_naive``).

    - dout: (N, F, H_out, W_out), the forward output's shape (validated by caller)
    - cache: the WinogradCache from ``conv_forward``
    - need_dx: False skips dx (its products and transforms) and returns None in its place
    - need_dw: False skips dw (a frozen layer's) and returns None in its place

    Returns (dx, dw, db) of the shapes of x, w and b, in the forward's compute dtype.
    """
    x, U, pad = cache
    N, C, H, W = x.shape
    dtype = x.dtype
    A = A_TILE
    H_out, W_out = dout.shape[2:]
    th, tw = -(-H_out // M_TILE), -(-W_out // M_TILE)
    dout = dout.astype(dtype, copy=False)
    dM = output_adjoint(dout, th, tw)                            # (r, i, s, (j, n), f)
    db = dM[POINT_ONE, :, POINT_ONE].sum(axis=(0, 1))
    dw = None
    if need_dw:
        V = input_transform(x, pad, th, tw)
        dU = (V.transpose(0, 1, 2, 4, 3) @ dM).sum(axis=1)       # (6, 6, C, F)
        del V
        dw = filter_gradient(dU).astype(dtype)
    if not need_dx:
        return None, dw, db
    dV = dM @ U.transpose(0, 1, 3, 2)[:, None]                   # (r, i, s, (j, n), c)
    z = dV.reshape(A * th, A * tw * N * C).T @ input_matrix(H, pad, th, dtype).reshape(A * th, H)
    dx = z.reshape(A * tw, N * C * H).T @ input_matrix(W, pad, tw, dtype).reshape(A * tw, W)
    return dx.reshape(N, C, H, W), dw, db


# GG[(r, s), (k, l)] = G[r, k] G[s, l]: G w G^T for every (c, f) at once is one product.
GG = _constant(np.kron(G, G))


def filter_transform(w: np.ndarray) -> np.ndarray:
    """U[r, s, c, f] = (G w[f, c] G^T)[r, s], in float64: (F, C, 3, 3) -> (6, 6, C, F).

    One product, GG (36, 9) @ w as (9, C * F), written in U's layout: 11 ms for 256 x 256
    channels on the zen3, where an einsum took 17-21 (the same numbers to 3e-15). In
    float64: the same product in float32 took 2.8 ms but raised the float32 forward's error
    from 2.0e-6 to 2.4e-6 of its largest entry (x (32, 64, 16, 16), median of 5 seeds).
    """
    F, C = w.shape[:2]
    taps = w.astype(np.float64, copy=False).transpose(2, 3, 1, 0).reshape(9, C * F)
    return (GG @ taps).reshape(A_TILE, A_TILE, C, F)


def filter_gradient(dU: np.ndarray) -> np.ndarray:
    """dw[f, c] = G^T dU[:, :, c, f] G, in float64: (6, 6, C, F) -> (F, C, 3, 3), the adjoint
    of ``filter_transform`` (GG^T @ dU as (36, C * F))."""
    C, F = dU.shape[2:]
    dw = GG.T @ dU.astype(np.float64, copy=False).reshape(A_TILE * A_TILE, C * F)
    return np.ascontiguousarray(dw.reshape(3, 3, C, F).transpose(3, 2, 0, 1))
