"""The compiled kernels (Numba): imported only through ``convnp.kernels.jit`` when numba is there.

Each function is compiled at import for its one signature (C-contiguous float32 arrays, 1-d,
or 2-d rows for batch norm; uint8 for max pooling's argmax), whose sizes the callers check,
since the loops do not. Each releases the GIL (``nogil``) so that ``convnp.kernels.threads``
runs chunks of one array on every core, and is written so that LLVM vectorizes its loop:

- ``error_model="numpy"``: a division does not check for zero (Python's model would branch to
  raise ZeroDivisionError, which stops vectorization);
- fastmath only ``contract`` (fused multiply-adds): no ``nnan``/``ninf``, so NaN and infinities
  go through as in NumPy; the row reductions of batch norm add ``reassoc`` as well, so that a
  row's sum runs in several partial sums (one per vector lane); a row is never split between
  chunks, so the sums do not depend on the thread count;
- no branches in the loops: comparisons feed selects (``a if c else b``), which compile to
  vector blends; and no calls into libm: ``exp`` is computed here (``_exp_nonpositive``),
  since the compiler cannot vectorize a call to ``expf``;
- indices that the compiler can see are never negative (unsigned, or a ``range`` counter):
  Numba wraps a negative signed index around, a branch per access otherwise.

The NumPy code in ``convnp.kernels.gelu``, ``relu``, ``pool`` and ``norm`` is the reference
these are tested against (tests/kernels/test_jit.py, test_threads.py).
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

from .gelu import _P

_F32 = np.float32
_U64 = np.uint64
_OPTIONS = dict(nogil=True, cache=True, error_model="numpy", fastmath={"contract"})
# Only for the sums of batch norm's rows: reassociation lets LLVM keep a partial sum per lane.
_REDUCE = dict(nogil=True, cache=True, error_model="numpy", fastmath={"contract", "reassoc"})
_VEC = types.float32[::1]                                   # written
_IN = types.Array(types.float32, 1, "C", readonly=True)     # read (writable arrays convert)
_ROWS = types.float32[:, ::1]                               # written, (rows, length)
_ROWS_IN = types.Array(types.float32, 2, "C", readonly=True)
_U8 = types.uint8[::1]
_U8_IN = types.Array(types.uint8, 1, "C", readonly=True)
_I = types.intp


@intrinsic
def _bits_to_float32(typingctx, bits):
    """The float32 whose bit pattern is the int32 ``bits`` (a bitcast: no conversion)."""
    if bits != types.int32:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.float32))

    return types.float32(types.int32), codegen


@njit(inline="always", **_OPTIONS)
def _exp_nonpositive(y):
    """exp(y) in float32 for y <= 0; 0 below -104 (where float32's exp underflows), NaN for NaN.

    Cephes' expf (S. L. Moshier): y = k ln 2 + r with |r| <= ln(2) / 2, ln 2 split in two
    parts so that k ln 2 is exact, a degree-7 polynomial for exp(r), then the scale by 2^k
    built from its bits, in two halves so that 2^k below 2^-126 (subnormal results) works.
    Within 2 ulp of exp over the normal range (tests/kernels/test_jit.py).
    """
    yc = y if y > _F32(-104.0) else _F32(-104.0)
    k = np.floor(yc * _F32(1.44269504088896341) + _F32(0.5))
    r = yc - k * _F32(0.693359375)
    r = r + k * _F32(2.12194440e-4)
    q = _F32(1.9875691500e-4)
    q = q * r + _F32(1.3981999507e-3)
    q = q * r + _F32(8.3334519073e-3)
    q = q * r + _F32(4.1665795894e-2)
    q = q * r + _F32(1.6666665459e-1)
    q = q * r + _F32(5.0000001201e-1)
    q = q * r * r + r + _F32(1.0)
    ki = np.int32(k)                                      # -150 <= k
    ki = ki if ki < np.int32(0) else np.int32(0)          # (and y <= 0: k <= 0)
    half = ki >> np.int32(1)
    scale_a = _bits_to_float32(np.int32((half + 127) << 23))
    scale_b = _bits_to_float32(np.int32((ki - half + 127) << 23))
    e = (q * scale_a) * scale_b
    e = e if y >= _F32(-104.0) else _F32(0.0)
    return e if y == y else y


@njit(inline="always", **_OPTIONS)
def _normal_cdf(x):
    """Phi(x) for one float32, the formula of ``gelu.normal_cdf_f32`` (its erfc fit)."""
    a = abs(x) * _F32(0.7071067811865476)                 # |x| / sqrt(2)
    t = _F32(1.0) / (_F32(1.0) + _F32(0.5) * a)
    # Horner on gelu._P, the NumPy code's coefficients (a global tuple: constants here).
    p = _F32(_P[9])
    p = p * t + _F32(_P[8])
    p = p * t + _F32(_P[7])
    p = p * t + _F32(_P[6])
    p = p * t + _F32(_P[5])
    p = p * t + _F32(_P[4])
    p = p * t + _F32(_P[3])
    p = p * t + _F32(_P[2])
    p = p * t + _F32(_P[1])
    p = p * t + _F32(_P[0])
    lower = _F32(0.5) * t * _exp_nonpositive(p - a * a)  # erfc(|x| / sqrt(2)) / 2 = Phi(-|x|)
    c = lower if x < _F32(0.0) else _F32(1.0) - lower
    return c if x == x else x                             # NaN stays NaN


@njit(types.void(_IN, _VEC, _VEC), **_OPTIONS)
def gelu_forward(x, out, cdf):
    """cdf = Phi(x), out = x * Phi(x), elementwise."""
    for i in range(x.shape[0]):
        c = _normal_cdf(x[i])
        cdf[i] = c
        out[i] = x[i] * c


@njit(types.void(_IN, _IN, _IN, _VEC), **_OPTIONS)
def gelu_backward(dout, x, cdf, dx):
    """dx = dout * (Phi(x) + x * phi(x)), phi(x) = exp(-x^2 / 2) / sqrt(2 pi), elementwise."""
    for i in range(x.shape[0]):
        v = x[i]
        pdf = _exp_nonpositive(_F32(-0.5) * v * v) * _F32(0.3989422804014327)
        dx[i] = dout[i] * (cdf[i] + v * pdf)


# -- ReLU ---------------------------------------------------------------------------------

@njit(types.void(_IN, _VEC), **_OPTIONS)
def relu_forward(x, out):
    """out = np.maximum(x, 0) elementwise, bit for bit: -0.0 gives +0.0, NaN stays x's NaN."""
    zero = _F32(0.0)
    for i in range(x.shape[0]):
        v = x[i]
        out[i] = zero if v <= zero else v


@njit(types.void(_IN, _IN, _VEC), **_OPTIONS)
def relu_backward(dout, out, dx):
    """dx = dout * (out > 0) elementwise, bit for bit.

    Where out > 0 the product is dout itself; elsewhere it is dout * 0, which keeps dout's
    sign on a zero and makes NaN of an infinite or NaN dout, as the NumPy product does.
    """
    zero = _F32(0.0)
    for i in range(dout.shape[0]):
        d = dout[i]
        dx[i] = d if out[i] > zero else d * zero


# -- max pooling, windows that tile the plane (stride == pool_height == pool_width) ----------

@njit(inline="always", **_OPTIONS)
def _max_pool_tiles_forward(x, plane_stride, row_stride, p, out, argmax, H_out, W_out):
    """The max and argmax of each p x p window, the planes' windows in turn (p a constant).

    Plane q's element (h, w) is x[q * plane_stride + h * row_stride + w]: x is the flat span
    of a C-contiguous array or of a crop of one (rows of row_stride, planes of plane_stride
    elements, of which the windows read the first p * H_out rows and p * W_out columns). out
    and argmax are the (planes, H_out, W_out) results, flat.

    The window's offsets k = a * p + b are visited in row-major order, as the NumPy kernel's
    np.maximum does: with m the running maximum and e the next element,
    m <- m if (m > e or m is NaN) else e, and the offset moves to k where not (e <= m), that
    is e > m or either is NaN. So a tie keeps the earlier offset (and takes e's bits: -0.0
    after +0.0 gives -0.0), and a window holding NaN gets its first NaN, argmax the last
    offset. Both are selects: the loop over a row's windows vectorizes (p a constant, the
    loads are interleaved groups of p). Indices are unsigned: no wraparound check.
    """
    p = _U64(p)
    Ho, Wo = _U64(H_out), _U64(W_out)
    rs, ps = _U64(row_stride), _U64(plane_stride)
    planes = _U64(out.shape[0]) // (Ho * Wo)
    for q in range(planes):
        for i in range(Ho):
            r = q * ps + i * p * rs
            o = (q * Ho + i) * Wo
            for j in range(Wo):
                c = r + p * j
                m = x[c]
                best = np.uint8(0)
                for a in range(p):
                    for b in range(p):
                        e = x[c + a * rs + b]        # (a, b) = (0, 0) is m itself: no move
                        moved = not (e <= m)
                        m = m if (m > e or m != m) else e
                        best = np.uint8(a * p + b) if moved else best
                out[o + j] = m
                argmax[o + j] = best


@njit(inline="always", **_OPTIONS)
def _max_pool_tiles_backward(dout, argmax, p, H, W, H_out, W_out, dx):
    """dx of whole (H, W) planes from dout and argmax ((planes, H_out, W_out), flat).

    The element at offset k of a window gets dout * (argmax == k), a float multiply as in the
    NumPy kernel (so an infinite or NaN dout leaves NaN at the window's other elements). The
    windows cover the first p * H_out rows and p * W_out columns; the rest of each plane (the
    rows and columns a crop dropped) is written 0, in the same pass. Each output row of dx is
    one loop storing interleaved groups of p, which LLVM vectorizes 32 windows at a time: rows
    of fewer windows (a CIFAR network's 15, 7 or 16) run scalar. So the 2x2 gradient is
    ``_numba_pool``'s, written for the SLP vectorizer; this serves the 3x3 one.
    """
    p = _U64(p)
    H, W = _U64(H), _U64(W)
    Ho, Wo = _U64(H_out), _U64(W_out)
    planes = _U64(dout.shape[0]) // (Ho * Wo)
    zero = _F32(0.0)
    for q in range(planes):
        for i in range(Ho):
            o = (q * Ho + i) * Wo
            for a in range(p):
                r = (q * H + i * p + a) * W
                for j in range(Wo):
                    d = dout[o + j]
                    k = argmax[o + j]
                    for b in range(p):
                        dx[r + p * j + b] = d * _F32(k == a * p + b)
                for c in range(p * Wo, W):
                    dx[r + c] = zero
        for c in range((q * H + p * Ho) * W, (q + _U64(1)) * H * W):
            dx[c] = zero


@njit(types.void(_IN, _I, _I, _VEC, _U8, _I, _I), **_OPTIONS)
def max_pool_2x2_forward(x, plane_stride, row_stride, out, argmax, H_out, W_out):
    """Max pooling, 2x2 windows with stride 2: ``_max_pool_tiles_forward`` with p = 2."""
    _max_pool_tiles_forward(x, plane_stride, row_stride, 2, out, argmax, H_out, W_out)


@njit(types.void(_IN, _I, _I, _VEC, _U8, _I, _I), **_OPTIONS)
def max_pool_3x3_forward(x, plane_stride, row_stride, out, argmax, H_out, W_out):
    """Max pooling, 3x3 windows with stride 3: ``_max_pool_tiles_forward`` with p = 3."""
    _max_pool_tiles_forward(x, plane_stride, row_stride, 3, out, argmax, H_out, W_out)


@njit(types.void(_IN, _U8_IN, _I, _I, _I, _I, _VEC), **_OPTIONS)
def max_pool_3x3_backward(dout, argmax, H, W, H_out, W_out, dx):
    """Max pooling's gradient, 3x3 windows with stride 3: ``_max_pool_tiles_backward``."""
    _max_pool_tiles_backward(dout, argmax, 3, H, W, H_out, W_out, dx)


# -- spatial batch norm: rows of H * W values, one per image and channel ---------------------

@njit(types.void(_ROWS_IN, _VEC, _VEC), **_REDUCE)
def batchnorm_row_statistics(x, sums, squares):
    """Per row r of x: sums[r] = its sum, squares[r] = the sum of squares about its own mean.

    Two loops over the row (the second reads it from cache): the sum, then with
    mean = sum / length the centred sum of (x - mean)^2, never sum(x^2) - length * mean^2,
    which loses the digits of a large mean. Both accumulate in float64, rounded to float32 at
    the row's end, and ``reassoc`` lets LLVM split each into several partial sums (one per
    vector lane, added up at the row's end). The loops are bound by memory, not by the float64
    adds, and the sums are then exact to float32 rounding: with a large mean (x = 1000 + noise)
    a float32 row sum would carry an error of some ulps of the sum into the mean.
    """
    L = x.shape[1]
    for r in range(x.shape[0]):
        s = 0.0
        for i in range(L):
            s += np.float64(x[r, i])
        mean = s / L
        q = 0.0
        for i in range(L):
            d = np.float64(x[r, i]) - mean
            q += d * d
        sums[r] = _F32(s)
        squares[r] = _F32(q)


@njit(types.void(_ROWS_IN, _IN, _IN, _IN, _IN, _ROWS, _ROWS), **_OPTIONS)
def batchnorm_normalize(x, mean, inv_std, gamma, beta, xhat, out):
    """Per row r: xhat = (x - mean[r]) * inv_std[r], out = xhat * gamma[r] + beta[r] (one fma)."""
    L = x.shape[1]
    for r in range(x.shape[0]):
        m, s, g, b = mean[r], inv_std[r], gamma[r], beta[r]
        for i in range(L):
            h = (x[r, i] - m) * s
            xhat[r, i] = h
            out[r, i] = h * g + b


@njit(types.void(_ROWS_IN, _ROWS_IN, _VEC, _VEC), **_REDUCE)
def batchnorm_row_sums(dout, xhat, dbeta, dgamma):
    """Per row r: dbeta[r] = sum(dout[r]), dgamma[r] = sum(dout[r] * xhat[r]), in one loop.

    Two reductions accumulated in float64 in several partial sums (``reassoc``), rounded to
    float32 at the row's end, as in ``batchnorm_row_statistics``.
    """
    L = dout.shape[1]
    for r in range(dout.shape[0]):
        sd = 0.0
        sdx = 0.0
        for i in range(L):
            d = np.float64(dout[r, i])
            sd += d
            sdx += d * np.float64(xhat[r, i])
        dbeta[r] = _F32(sd)
        dgamma[r] = _F32(sdx)


@njit(types.void(_ROWS_IN, _ROWS_IN, _IN, _IN, _IN, _ROWS), **_OPTIONS)
def batchnorm_train_input_grad(dout, xhat, a, b, c, dx):
    """Per row r: dx = a[r] * dout - b[r] * xhat - c[r] (train mode's closed form)."""
    L = dout.shape[1]
    for r in range(dout.shape[0]):
        ar, br, cr = a[r], b[r], c[r]
        for i in range(L):
            dx[r, i] = ar * dout[r, i] - br * xhat[r, i] - cr
