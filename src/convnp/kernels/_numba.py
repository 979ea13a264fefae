"""The compiled kernels (Numba): imported only through ``convnp.kernels.jit`` when numba is there.

Each function is compiled at import for its one signature (contiguous 1-d float32 arrays, all
of one length: the callers check, since the loops do not),
releases the GIL (``nogil``) so that ``convnp.kernels.threads`` runs chunks of one array on
every core, and is written so that LLVM vectorizes its loop:

- ``error_model="numpy"``: a division does not check for zero (Python's model would branch to
  raise ZeroDivisionError, which stops vectorization);
- fastmath only ``contract`` (fused multiply-adds): no ``nnan``/``ninf``, so NaN and infinities
  go through as in NumPy;
- no calls into libm: ``exp`` is computed here (``_exp_nonpositive``), since the compiler
  cannot vectorize a call to ``expf``.

The NumPy code in ``convnp.kernels.gelu`` is the reference these are tested against.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

from .gelu import _P

_F32 = np.float32
_OPTIONS = dict(nogil=True, cache=True, error_model="numpy", fastmath={"contract"})
_VEC = types.float32[::1]                                   # written
_IN = types.Array(types.float32, 1, "C", readonly=True)     # read (writable arrays convert)


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
