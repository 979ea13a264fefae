"""Writes ``convnp/kernels/_numba_direct.py``: the compiled direct convolutions (3x3 ``direct``,
channels-last ``taps``, 1x1 ``pointwise``).

Run ``python -m convnp.kernels._direct_codegen`` after changing this file; a test
(tests/kernels/test_direct.py) fails when the committed module differs from what this writes.

Why generated: the kernels keep a block of outputs in registers while they run over the
input channels and taps, one float32 variable per output (8 filters x 32 columns = 256 of
them in the forward pass). LLVM's SLP vectorizer packs each run of 8 or 16 such variables
(consecutive columns of one row) into one AVX-512 or AVX2 register, the loads of 16 adjacent
input columns into one vector load, and the products into fused multiply-adds: the forward
pass of a 16 -> 16 layer at 32x32 runs at some 400 GFLOP/s on the 2-core AMD EPYC (the
BLAS behind NumPy reaches 205 on a GEMM; im2col with it, 60 on this layer, whose GEMMs have
16 columns). Written as loops over small arrays instead, LLVM keeps the block in memory
(measured 20-35 GFLOP/s), so the block is spelled out as scalar code, which is what this
generator does; the statements of one row of the block share a line. Numba turns the SLP
vectorizer off by default (numba#8852, miscompilations in some LLVM versions); ``jit``
switches it on only while it compiles this module, and the tests hold every kernel to the
naive layers (tests/kernels/test_direct.py).

Layouts (all C-contiguous float32; indices computed as unsigned, so that Numba adds no
negative-index wrap-around that would hide the adjacent loads from the vectorizer):

- ``xs``: one image's input, zero-padded: (C, H + 2 pad, Wr + 2), where Wr is the output
  width rounded up to the block's columns; the extra columns are zeros and their outputs are
  dropped.
- forward: ``o`` receives (Fr, H_out, Wr) per image (Fr: the filters rounded up to the
  block's, with zero weights); the driver writes straight into ``out`` when Fr = F and
  Wr = W_out, and otherwise through a per-image buffer.
- filter gradient: ``lanes`` (Fr, C, 9, L) keeps each tap's sum split over the L columns of
  a vector until a group of images is done; then the lanes are added up into ``part``.
"""

from __future__ import annotations

import sys
from pathlib import Path

TARGET = Path(__file__).with_name("_numba_direct.py")
U = "_U"                      # the unsigned index cast in the generated code
# 3x3 forward blocks, (filters, columns, floats per vector), by CPU and then by use
# (``direct.forward_block`` picks). "avx512", by the columns: 8 filters x 32, 16 or 8 columns
# (the narrowest that covers the row), 16 or 8 of AVX-512's 32 registers of 16 floats. "avx2":
# 4 x 16, 2 x 32 for few channels and 3 x 32 for up to 3 filters (8, 8 and 12 of AVX2's 16
# registers of 8 floats, with room for the loaded columns); the 8 x 32 block spills there.
FORWARD_BLOCKS = {"avx512": {32: (8, 32, 16), 16: (8, 16, 16), 8: (8, 8, 8)},
                  "avx2": {"other": (4, 16, 8), "few_channels": (2, 32, 8),
                           "few_filters": (3, 32, 8)}}
GRAD_FILTERS = 2              # filters per filter-gradient block
GRAD_WIDTHS = (16, 8)         # columns per filter-gradient vector
TAPS = [(i, j) for i in range(3) for j in range(3)]
VECTOR = 16                   # float32 lanes of an AVX-512 register
# Channels-last kernels: (filters, positions) per forward block and (filters, channels of a
# tap) per filter-gradient block, by use. "avx512" and "avx512_few" (for F <= 16) hold 256 or
# 128 sums, for AVX-512's 32 registers of 16 floats; "avx2" holds 64 (8 AVX2 registers of 8
# floats, with room for the weights and the broadcast value in AVX2's 16).
TAP_BLOCKS = {"avx512": (32, 8), "avx512_few": (16, 16), "avx2": (16, 4)}
TAP_GRAD_BLOCKS = {"avx512": (32, 8), "avx512_few": (16, 8), "avx2": (16, 4)}
PW_BLOCKS = {64: 6, 16: 12}   # 1x1 kernels: columns per block: rows per block
PW_BIG, PW_TAIL = max(PW_BLOCKS), min(PW_BLOCKS)

HEADER = '''"""Compiled direct convolutions (Numba, float32): GENERATED, do not edit.

Written by ``python -m convnp.kernels._direct_codegen`` (see that module for how and why);
imported only through ``convnp.kernels.jit.direct_kernels``, which compiles it with LLVM's SLP
vectorizer on. ``convnp.kernels.direct``, ``taps`` and ``pointwise`` call the drivers over
chunks of images.
"""

# ruff: noqa: E501, E702

import numpy as np
from numba import njit, types

_U = np.uint64
_F32 = np.float32
_OPTIONS = dict(nogil=True, cache=True, error_model="numpy", fastmath={"contract"})
_IN1 = types.Array(types.float32, 1, "C", readonly=True)
_IN2 = types.Array(types.float32, 2, "C", readonly=True)
_IN3 = types.Array(types.float32, 3, "C", readonly=True)
_IN4 = types.Array(types.float32, 4, "C", readonly=True)
_W2 = types.float32[:, ::1]
_W3 = types.float32[:, :, ::1]
_W4 = types.float32[:, :, :, ::1]
_I = types.int64
_W1 = types.float32[::1]
_IDX = types.Array(types.int64, 1, "C", readonly=True)
'''


def _join(indent: int, statements) -> str:
    return " " * indent + "; ".join(statements)


def forward_block(Q: int, B: int, L: int) -> str:
    """The per-image forward kernel for blocks of Q filters x B output columns, in vectors of
    L columns."""
    NV = B // L
    acc = [[[f"a{q}_{v}_{lane}" for lane in range(L)] for v in range(NV)] for q in range(Q)]
    s = ["@njit(**_OPTIONS)",
         f"def _forward_image_{Q}x{B}(xs, w, b, o, o0, C, Fr, H_out, Wr, Hp, Wsp):",
         f'    """o[o0:] (Fr, H_out, Wr) = the 3x3 correlation of xs (C, Hp, Wsp) with w '
         f'(Fr, C, 3, 3), plus b; blocks of {Q} filters x {B} columns."""',
         f"    for f0 in range(0, Fr, {Q}):",
         "        for h in range(H_out):",
         f"            for w0 in range(0, Wr, {B}):"]
    for q in range(Q):
        s.append(f"                bq = b[f0 + {q}]")
        s += [_join(16, [f"{a} = bq" for a in acc[q][v]]) for v in range(NV)]
    s += ["                for c in range(C):",
          "                    for i in range(3):",
          "                        for j in range(3):",
          f"                            xb = {U}((c * Hp + h + i) * Wsp + w0 + j)",
          f"                            wb = {U}(((f0 * C + c) * 3 + i) * 3 + j)",
          f"                            cs = {U}(C * 9)"]
    s.append(_join(28, [f"k{q} = w[wb + {U}({q}) * cs]" for q in range(Q)]))
    for v in range(NV):
        s.append(_join(28, [f"x{v}_{lane} = xs[xb + {U}({v * L + lane})]" for lane in range(L)]))
        s += [_join(28, [f"{acc[q][v][lane]} += k{q} * x{v}_{lane}" for lane in range(L)])
              for q in range(Q)]
    for q in range(Q):
        s.append(f"                ob = {U}(o0 + ((f0 + {q}) * H_out + h) * Wr + w0)")
        s += [_join(16, [f"o[ob + {U}({v * L + lane})] = {acc[q][v][lane]}"
                         for lane in range(L)]) for v in range(NV)]
    return "\n".join(s) + "\n"


def forward_driver(Q: int, B: int) -> str:
    return f'''
@njit(types.void(_IN4, _IN4, _IN1, _W4, _W3, _W3, _I, _I, _I), **_OPTIONS)
def forward_{Q}x{B}(x, w, b, out, xs, ob, pad, n0, n1):
    """out[n0:n1] = conv(x, w[:F]) + b[:F] for images n0..n1-1 (3x3, stride 1, pad).

    w (Fr, C, 3, 3) and b (Fr,) hold Fr >= F filters (a multiple of {Q}, zeros
    beyond F); xs (C, H + 2 pad, Wr + 2) and ob (Fr, H_out, Wr) are this call's own buffers,
    Wr the output width rounded up to {B}.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    F, H_out, W_out = out.shape[1], out.shape[2], out.shape[3]
    Fr = w.shape[0]
    Hp, Wsp, Wr = xs.shape[1], xs.shape[2], ob.shape[2]
    straight = Fr == F and Wr == W_out
    wf, of, bf = w.ravel(), out.ravel(), ob.ravel()
    xs[:] = 0
    xf = xs.ravel()
    dst = of if straight else bf
    for n in range(n0, n1):
        xs[:, pad:pad + H, pad:pad + W] = x[n]
        _forward_image_{Q}x{B}(xf, wf, b, dst, n * F * H_out * W_out if straight else 0,
                           C, Fr, H_out, Wr, Hp, Wsp)
        if not straight:
            out[n] = ob[:F, :, :W_out]
'''


def grad_block(L: int) -> str:
    """The per-image filter-gradient kernel for blocks of 2 filters x 9 taps x L columns."""
    Q = GRAD_FILTERS
    s = ["@njit(**_OPTIONS)",
         f"def _grad_image_{L}(xs, g, g0, lanes, C, Fr, H_out, Wr, Hp, Wsp):",
         f'    """lanes (Fr, C, 9, {L}) += the products of g[g0:] (Fr, H_out, Wr) with xs '
         f'(C, Hp, Wsp) for each tap, by column lane."""',
         f"    for f0 in range(0, Fr, {Q}):",
         "        for c in range(C):"]
    for q in range(Q):
        s += [_join(12, [f"d{q}_{t}_{lane} = _F32(0)" for lane in range(L)])
              for t in range(len(TAPS))]
    s += ["            for h in range(H_out):",
          f"                for w0 in range(0, Wr, {L}):"]
    for q in range(Q):
        s.append(f"                    gb = {U}(g0 + ((f0 + {q}) * H_out + h) * Wr + w0)")
        s.append(_join(20, [f"g{q}_{lane} = g[gb + {U}({lane})]" for lane in range(L)]))
    for t, (i, j) in enumerate(TAPS):
        s.append(f"                    xb = {U}((c * Hp + h + {i}) * Wsp + w0 + {j})")
        s.append(_join(20, [f"x{lane} = xs[xb + {U}({lane})]" for lane in range(L)]))
        s += [_join(20, [f"d{q}_{t}_{lane} += g{q}_{lane} * x{lane}" for lane in range(L)])
              for q in range(Q)]
    for q in range(Q):
        for t in range(len(TAPS)):
            s.append(f"            lb = {U}((((f0 + {q}) * C + c) * 9 + {t}) * {L})")
            s.append(_join(12, [f"lanes[lb + {U}({lane})] += d{q}_{t}_{lane}"
                                for lane in range(L)]))
    return "\n".join(s) + "\n"


def grad_driver(L: int) -> str:
    return f'''
@njit(types.void(_IN4, _IN4, _W4, _W2, _W4, _W3, _W3, _I, _I, _I, _I), **_OPTIONS)
def grad_{L}(x, dout, part, dbpart, lanes, xs, gs, pad, group, g0, g1):
    """part[k] (Fr, C, 9) and dbpart[k] (Fr,) = the filter and bias gradients of images
    k * group .. k * group + group - 1, for the groups k = g0..g1-1 (3x3, stride 1, pad).

    lanes (Fr, C, 9, {L}), xs (C, H + 2 pad, Wr + 2) and gs (Fr, H_out, Wr) are this call's
    own buffers, Wr the output width rounded up to {L}, Fr >= F a multiple of {GRAD_FILTERS}.
    """
    N, C, H, W = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
    F, H_out, W_out = dout.shape[1], dout.shape[2], dout.shape[3]
    Fr = lanes.shape[0]
    Hp, Wsp, Wr = xs.shape[1], xs.shape[2], gs.shape[2]
    straight = Fr == F and Wr == W_out
    gf, lf = dout.ravel(), lanes.ravel()
    xs[:] = 0
    gs[:] = 0
    xf = xs.ravel()
    src = gf if straight else gs.ravel()
    for k in range(g0, g1):
        lanes[:] = 0
        for f in range(F):
            dbpart[k, f] = 0
        for n in range(k * group, min(N, k * group + group)):
            xs[:, pad:pad + H, pad:pad + W] = x[n]
            if not straight:
                gs[:F, :, :W_out] = dout[n]
            _grad_image_{L}(xf, src, n * F * H_out * W_out if straight else 0, lf,
                            C, Fr, H_out, Wr, Hp, Wsp)
            for f in range(F):
                s = _F32(0)
                for h in range(H_out):
                    for v in range(W_out):
                        s += dout[n, f, h, v]
                dbpart[k, f] += s
        for f in range(F):
            for c in range(C):
                for t in range(9):
                    s = _F32(0)
                    for lane in range({L}):
                        s += lanes[f, c, t, lane]
                    part[k, f, c, t] = s
'''


TAPS_HELPERS = '''
@njit(**_OPTIONS)
def _channels_last(x, n, xs, top, left):
    """xs[top:top + H, left:left + W, :C] = image n of x (N, C, H, W), channels last."""
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    for h in range(H):
        for w in range(W):
            for c in range(C):
                xs[top + h, left + w, c] = x[n, c, h, w]
'''


def taps_block(FB: int, P: int) -> str:
    """The channels-last kernel: blocks of P positions x FB filters (FB / 16 vectors each),
    one input value broadcast against a vector of filters per product."""
    NV = FB // VECTOR
    acc = [[[f"a{p}_{v}_{lane}" for lane in range(VECTOR)] for v in range(NV)]
           for p in range(P)]
    s = ["@njit(**_OPTIONS)",
         f"def _taps_block_{FB}x{P}(xs, pa, oa, wk, toff, T, C, Fr, o, npos, bias):",
         '    """o[oa[p] + f] = bias[f] + the sum over taps t < T and channels c < C of',
         "    xs[pa[p] + toff[t] + c] * wk[(t * C + c) * Fr + f], for positions p < npos (a",
         f'    multiple of {P}) and filters f < Fr (a multiple of {FB})."""',
         f"    for f0 in range(0, Fr, {FB}):",
         f"        for p0 in range(0, npos, {P}):"]
    s.append(_join(12, [f"q{p} = {U}(pa[p0 + {p}])" for p in range(P)]))
    for v in range(NV):
        s.append(_join(12, [f"b{v}_{lane} = bias[f0 + {v * VECTOR + lane}]"
                            for lane in range(VECTOR)]))
    for p in range(P):
        s += [_join(12, [f"{acc[p][v][lane]} = b{v}_{lane}" for lane in range(VECTOR)])
              for v in range(NV)]
    s += ["            for t in range(T):",
          f"                tb = {U}(toff[t])",
          "                for c in range(C):",
          f"                    wb = {U}((t * C + c) * Fr + f0)",
          f"                    xo = tb + {U}(c)"]
    s += [_join(20, [f"k{v}_{lane} = wk[wb + {U}({v * VECTOR + lane})]"
                     for lane in range(VECTOR)]) for v in range(NV)]
    for p in range(P):
        s.append(f"                    x{p} = xs[q{p} + xo]")
        s += [_join(20, [f"{acc[p][v][lane]} += x{p} * k{v}_{lane}" for lane in range(VECTOR)])
              for v in range(NV)]
    for p in range(P):
        s.append(f"            ob = {U}(oa[p0 + {p}] + f0)")
        s += [_join(12, [f"o[ob + {U}({v * VECTOR + lane})] = {acc[p][v][lane]}"
                         for lane in range(VECTOR)]) for v in range(NV)]
    return "\n".join(s) + "\n"


def taps_driver(FB: int, P: int) -> str:
    return f'''
@njit(types.void(_IN4, _IN1, _IN1, _W4, _W3, _W2, _IDX, _IDX, _IDX, _IDX, _IDX, _I, _I, _I,
                 _I), **_OPTIONS)
def taps_{FB}x{P}(x, wk, bias, out, xs, ob, pa, oa, toff, pofs, tofs, top, left, n0, n1):
    """out[n0:n1] (N, F, Ho, Wo) from x[n0:n1] (N, C, H, W), channels last inside.

    Each image goes into xs (Hs, Ws, C), zero-padded, at row top and column left; then for
    each phase g the block kernel runs on positions pa/oa[pofs[g]:pofs[g + 1]] with taps
    toff[tofs[g]:tofs[g + 1]] and their weights wk (taps, C, Fr), writing ob (Ho * Wo, Fr);
    ob[:, :F] is the image's output. Fr (bias's length) is a multiple of {FB}, the positions
    of each phase a multiple of {P}.
    """
    C = x.shape[1]
    F, Ho, Wo = out.shape[1], out.shape[2], out.shape[3]
    Fr = bias.shape[0]
    xs[:] = 0
    xf, of = xs.ravel(), ob.ravel()
    for n in range(n0, n1):
        _channels_last(x, n, xs, top, left)
        for g in range(pofs.shape[0] - 1):
            p0, p1, t0, t1 = pofs[g], pofs[g + 1], tofs[g], tofs[g + 1]
            if p1 > p0:
                _taps_block_{FB}x{P}(xf, pa[p0:p1], oa[p0:p1], wk[t0 * C * Fr:t1 * C * Fr],
                                 toff[t0:t1], t1 - t0, C, Fr, of, p1 - p0, bias)
        for f in range(F):
            for h in range(Ho):
                for w in range(Wo):
                    out[n, f, h, w] = ob[h * Wo + w, f]
'''


def taps_grad_block(FB: int, K: int) -> str:
    """The channels-last filter gradient: blocks of K consecutive channels of one tap x FB
    filters, summed over an image's positions."""
    NV = FB // VECTOR
    acc = [[[f"d{k}_{v}_{lane}" for lane in range(VECTOR)] for v in range(NV)]
           for k in range(K)]
    s = ["@njit(**_OPTIONS)",
         f"def _taps_grad_{FB}x{K}(xs, pa, npos, g, tco, M, Fr, lanes):",
         '    """lanes[(m0 + k) * Fr + f] += the sum over positions p < npos of',
         f"    xs[pa[p] + tco[m0 // {K}] + k] * g[p * Fr + f], for k < {K}, rows m0 < M",
         f'    (a multiple of {K}) and filters f < Fr (a multiple of {FB})."""',
         f"    for f0 in range(0, Fr, {FB}):",
         f"        for m0 in range(0, M, {K}):",
         f"            o = {U}(tco[m0 // {K}])"]
    for k in range(K):
        s += [_join(12, [f"{acc[k][v][lane]} = _F32(0)" for lane in range(VECTOR)])
              for v in range(NV)]
    s += ["            for p in range(npos):",
          f"                q = {U}(pa[p]) + o",
          f"                gb = {U}(p * Fr + f0)"]
    s += [_join(16, [f"g{v}_{lane} = g[gb + {U}({v * VECTOR + lane})]"
                     for lane in range(VECTOR)]) for v in range(NV)]
    for k in range(K):
        s.append(f"                x{k} = xs[q + {U}({k})]")
        s += [_join(16, [f"{acc[k][v][lane]} += x{k} * g{v}_{lane}" for lane in range(VECTOR)])
              for v in range(NV)]
    for k in range(K):
        s.append(f"            lb = {U}((m0 + {k}) * Fr + f0)")
        s += [_join(12, [f"lanes[lb + {U}({v * VECTOR + lane})] += {acc[k][v][lane]}"
                         for lane in range(VECTOR)]) for v in range(NV)]
    return "\n".join(s) + "\n"


def taps_grad_driver(FB: int, K: int) -> str:
    return f'''
@njit(types.void(_IN4, _IN4, _W3, _W2, _W2, _W3, _W2, _IDX, _IDX, _I, _I, _I, _I, _I),
      **_OPTIONS)
def taps_grad_{FB}x{K}(x, dout, part, dbpart, lanes, xs, gs, pa, tco, top, left, group, g0,
                   g1):
    """part[k] (M, Fr) and dbpart[k] (F,) = the filter gradient, rows m = t * Cp + c for
    tap t and channel c, and the bias gradient of images k * group .. k * group + group - 1,
    for the groups k = g0..g1-1; channels last inside.

    Each image goes into xs (Hs, Ws, Cp) at row top and column left, its channels padded
    with zeros to Cp (a multiple of {K}), its dout into gs (Ho * Wo, Fr); pa holds the forward
    positions, tco[m // {K}] the offset of channel m % Cp of tap m // Cp. lanes (M, Fr) is
    this call's own buffer; Fr is a multiple of {FB}.
    """
    N = x.shape[0]
    F, Ho, Wo = dout.shape[1], dout.shape[2], dout.shape[3]
    M, Fr = lanes.shape[0], lanes.shape[1]
    xs[:] = 0
    gs[:] = 0
    xf, gf, lf = xs.ravel(), gs.ravel(), lanes.ravel()
    for k in range(g0, g1):
        lanes[:] = 0
        for f in range(F):
            dbpart[k, f] = 0
        for n in range(k * group, min(N, k * group + group)):
            _channels_last(x, n, xs, top, left)
            for f in range(F):
                s = _F32(0)
                for h in range(Ho):
                    for w in range(Wo):
                        v = dout[n, f, h, w]
                        gs[h * Wo + w, f] = v
                        s += v
                dbpart[k, f] += s
            _taps_grad_{FB}x{K}(xf, pa, Ho * Wo, gf, tco, M, Fr, lf)
        part[k] = lanes
'''


def pointwise_block(B: int) -> str:
    """The 1x1 kernel: blocks of Q rows of A x B columns of X (B / 16 vectors), each product an
    entry of A, broadcast, times a vector of 16 consecutive columns of one row of X."""
    Q, NV = PW_BLOCKS[B], B // VECTOR
    acc = [[[f"a{q}_{v}_{lane}" for lane in range(VECTOR)] for v in range(NV)] for q in range(Q)]
    s = ["@njit(**_OPTIONS)",
         f"def _pointwise_block_{B}(a, a0, am, ak, x, x0, bias, o, o0, K, M, P, p0, p1, add):",
         '    """o[o0 + m * P + p] = (o[...] + if add) bias[m] + the sum over k < K of',
         "    a[a0 + m * am + k * ak] * x[x0 + k * P + p], for the rows m < M and the columns",
         f'    p0 <= p < p1 (p1 - p0 a multiple of {B}); rows past M in a block read row M - 1."""',
         f"    for p in range(p0, p1, {B}):",
         f"        for m0 in range(0, M, {Q}):"]
    s.append(_join(12, [f"r{q} = min(m0 + {q}, M - 1)" for q in range(Q)]))
    s.append(_join(12, [f"w{q} = {U}(a0 + r{q} * am)" for q in range(Q)]))
    for q in range(Q):
        s.append(f"            bq = bias[r{q}]")
        s += [_join(12, [f"{a} = bq" for a in acc[q][v]]) for v in range(NV)]
    s += ["            for k in range(K):",
          f"                xb = {U}(x0 + k * P + p)",
          f"                kk = {U}(k * ak)"]
    s.append(_join(16, [f"k{q} = a[w{q} + kk]" for q in range(Q)]))
    for v in range(NV):
        s.append(_join(16, [f"x{v}_{lane} = x[xb + {U}({v * VECTOR + lane})]"
                            for lane in range(VECTOR)]))
        s += [_join(16, [f"{acc[q][v][lane]} += k{q} * x{v}_{lane}" for lane in range(VECTOR)])
              for q in range(Q)]
    for q in range(Q):
        s += [f"            if m0 + {q} < M:",
              f"                ob = {U}(o0 + (m0 + {q}) * P + p)",
              "                if add:"]
        s += [_join(20, [f"o[ob + {U}({v * VECTOR + lane})] += {acc[q][v][lane]}"
                         for lane in range(VECTOR)]) for v in range(NV)]
        s.append("                else:")
        s += [_join(20, [f"o[ob + {U}({v * VECTOR + lane})] = {acc[q][v][lane]}"
                         for lane in range(VECTOR)]) for v in range(NV)]
    return "\n".join(s) + "\n"


def row_sums() -> str:
    """Each row's sum in VECTOR partial sums (one per lane), added in a fixed order."""
    lanes = [f"s{lane}" for lane in range(VECTOR)]
    pairs = lanes
    while len(pairs) > 1:
        pairs = [f"({pairs[i]} + {pairs[i + 1]})" for i in range(0, len(pairs), 2)]
    return "\n".join([
        "@njit(**_OPTIONS)",
        "def _row_sums(a, a0, M, P, out):",
        '    """out[m] += the sum of a[a0 + m * P + p] over p < P, for m < M."""',
        f"    full = P - P % {VECTOR}",
        "    for m in range(M):",
        f"        rb = {U}(a0 + m * P)",
        _join(8, [f"{v} = _F32(0)" for v in lanes]),
        f"        for p in range(0, full, {VECTOR}):",
        f"            pb = rb + {U}(p)",
        _join(12, [f"{v} += a[pb + {U}({lane})]" for lane, v in enumerate(lanes)]),
        "        t = _F32(0)",
        "        for p in range(full, P):",
        f"            t += a[rb + {U}(p)]",
        f"        out[m] += {pairs[0]} + t",
    ]) + "\n"


POINTWISE_DRIVERS = f'''
@njit(types.void(_IN1, _I, _I, _IN3, _IN1, _W3, _W2, _W2, _I, _I), **_OPTIONS)
def pointwise(a, am, ak, x, bias, out, xt, ot, n0, n1):
    """out[n] (M, P) = A @ x[n] (K, P) + bias (M,), for the images n0..n1-1 of x and out.

    A[m, k] is a[m * am + k * ak]: the filters (F, C) as they are for the forward pass
    (am = C, ak = 1), their transpose for dx (am = 1, ak = C). The columns run in blocks of
    {PW_BIG} in place; the last P % {PW_BIG} through xt (K, T) and ot (M, T), this call's own
    buffers, T that rest rounded up to {PW_TAIL} (zeros beyond it), in blocks of {PW_TAIL}.
    """
    K, P, M, T = x.shape[1], x.shape[2], out.shape[1], xt.shape[1]
    full = P - P % {PW_BIG}
    rest = P - full
    xf, of, xtf, otf = x.ravel(), out.ravel(), xt.ravel(), ot.ravel()
    xt[:] = 0
    for n in range(n0, n1):
        _pointwise_block_{PW_BIG}(a, 0, am, ak, xf, n * K * P, bias, of, n * M * P, K, M, P, 0,
                                  full, False)
        if rest:
            for k in range(K):
                for p in range(rest):
                    xt[k, p] = x[n, k, full + p]
            _pointwise_block_{PW_TAIL}(a, 0, am, ak, xtf, 0, bias, otf, 0, K, M, T, 0, T, False)
            for m in range(M):
                for p in range(rest):
                    out[n, m, full + p] = ot[m, p]


@njit(types.void(_IN4, _IN3, _W3, _W2, _W2, _W3, _IN1, _I, _I, _I), **_OPTIONS)
def pointwise_grad(x, dout, part, dbpart, sums, xs, zeros, group, g0, g1):
    """part[k] (F, C) = the sum over the images n of group k of dout[n] (F, P) @ x[n].T, and
    dbpart[k] (F,) the sum of dout[n] over its positions, for the groups k = g0..g1-1 of
    group images; x is (N, C, H, W), P = H * W.

    Each image goes into xs (H, W, Cr) channels last (Cr: C rounded up to {PW_TAIL}, zeros
    beyond C); sums (F, Cr) is this call's own buffer, zeros (F,) a row of zeros.
    """
    N, C = x.shape[0], x.shape[1]
    F, P, Cr = dout.shape[1], dout.shape[2], xs.shape[2]
    full = Cr - Cr % {PW_BIG}
    gf, xsf, sf = dout.ravel(), xs.ravel(), sums.ravel()
    xs[:] = 0
    for k in range(g0, g1):
        sums[:] = 0
        dbpart[k] = 0
        for n in range(k * group, min(N, k * group + group)):
            _channels_last(x, n, xs, 0, 0)
            g0n = n * F * P
            _pointwise_block_{PW_BIG}(gf, g0n, P, 1, xsf, 0, zeros, sf, 0, P, F, Cr, 0, full,
                                      True)
            _pointwise_block_{PW_TAIL}(gf, g0n, P, 1, xsf, 0, zeros, sf, 0, P, F, Cr, full, Cr,
                                       True)
            _row_sums(gf, g0n, F, P, dbpart[k])
        part[k] = sums[:, :C]
'''


def module_source() -> str:
    parts = [HEADER]
    for Q, B, L in (block for blocks in FORWARD_BLOCKS.values() for block in blocks.values()):
        parts += ["\n", forward_block(Q, B, L), forward_driver(Q, B)]
    for L in GRAD_WIDTHS:
        parts += ["\n", grad_block(L), grad_driver(L)]
    parts.append(TAPS_HELPERS)
    for FB, P in TAP_BLOCKS.values():
        parts += ["\n", taps_block(FB, P), taps_driver(FB, P)]
    for FB, K in TAP_GRAD_BLOCKS.values():
        parts += ["\n", taps_grad_block(FB, K), taps_grad_driver(FB, K)]
    for B in sorted(PW_BLOCKS):
        parts += ["\n", pointwise_block(B)]
    parts += ["\n", row_sums(), POINTWISE_DRIVERS]
    return "".join(parts)


def main() -> int:
    TARGET.write_text(module_source())
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
