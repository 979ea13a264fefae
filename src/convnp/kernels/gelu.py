"""GELU in float32: one erfc formula for the whole line, no branches, no float64 round trip.

The reference is ``convnp.nn.activation.normal_cdf`` (W. J. Cody's rational approximations,
float64, three branches picked by boolean masks): exact to float64 rounding, and about 40 ns an
element, which made GELU the largest cost of the CIFAR speed-run network's training step. For
float32 activations a float32 answer is enough, so this kernel evaluates the Chebyshev fit of
erfc from Press et al., Numerical Recipes (2nd ed.) section 6.2,

    erfc(a) ~ t * exp(-a^2 + P(t)),  t = 1 / (1 + a / 2),  a >= 0,

whose relative error is below 1.2e-7 for every a >= 0 (tests/kernels/test_gelu.py checks it
against math.erfc), so Phi(x) = erfc(-x / sqrt(2)) / 2 keeps its relative accuracy in the lower
tail, where 1 + erf would cancel. In float32 arithmetic Phi is within 3e-7 of the float64
reference, and within 2e-5 relative in the lower tail down to Phi(-13) ~ 6e-39; GELU's output
within 1e-6 * max(1, |x|), its gradient within 1e-6 * max(1, |dout|)
(tests/kernels/test_gelu.py).

With numba installed (``convnp.kernels.jit``) the same formula runs compiled, one vectorized
pass for the forward and one for the backward instead of some 35 and 7 NumPy passes (4.8x and
2.9x faster on 4M floats, 2 threads), with its own float32 exp; the NumPy code below is its
reference, and both keep the accuracy above (tests/kernels/test_jit.py).
"""

from __future__ import annotations

import math

import numpy as np

from . import jit, threads

# P(t) of the fit, constant term first.
_P = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398,
      1.48851587, -0.82215223, 0.17087277)
_F32 = np.float32


def normal_cdf_f32(x: np.ndarray) -> np.ndarray:
    """Phi(x) elementwise for a float32 array x, as a new float32 array."""
    a = np.abs(x) * _F32(math.sqrt(0.5))            # |x| / sqrt(2)
    t = a * _F32(0.5)
    t += _F32(1.0)
    np.reciprocal(t, out=t)
    p = np.full_like(t, _F32(_P[-1]))
    for c in reversed(_P[:-1]):
        p *= t
        p += _F32(c)
    a *= a
    p -= a                                           # -a^2 + P(t)
    np.exp(p, out=p)
    p *= t
    p *= _F32(0.5)                                   # erfc(|x| / sqrt(2)) / 2 = Phi(-|x|)
    # np.where(x < 0, p, 1 - p) as a bitwise select, q ^ ((p ^ q) & mask): np.where branches
    # on every element, and at random signs mispredicts (3.6 ns an element, more than all the
    # arithmetic above); the select takes 0.4 ns and picks the same bits.
    q = _F32(1.0) - p
    mask = np.less(x, 0).astype(np.int32)
    np.negative(mask, out=mask)                      # all ones where x < 0
    pi, qi = p.view(np.int32), q.view(np.int32)
    pi ^= qi
    pi &= mask
    qi ^= pi
    return q


def gelu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x * Phi(x), Phi(x)) for float32 x; the second is the backward's cache.

    Computed chunk by chunk in the kernels' threads (``threads.parallel_chunks``): each chunk's
    two dozen passes run in cache, and the numbers are those of ``normal_cdf_f32`` on the whole
    array, bit for bit; or, with the compiled kernels on (``jit.enabled()``), those of their
    one pass, which differ from these in the last bits.
    """
    x = np.asarray(x, order="C")  # (np.ascontiguousarray would make a 0-d x 1-d)
    out, cdf = np.empty_like(x), np.empty_like(x)
    xf, of, cf = x.reshape(-1), out.reshape(-1), cdf.reshape(-1)
    if x.dtype == _F32 and jit.enabled():
        compiled = jit.kernels().gelu_forward

        def part(start: int, stop: int) -> None:
            compiled(xf[start:stop], of[start:stop], cf[start:stop])
    else:
        def part(start: int, stop: int) -> None:
            cf[start:stop] = normal_cdf_f32(xf[start:stop])
            np.multiply(xf[start:stop], cf[start:stop], out=of[start:stop])

    threads.parallel_chunks(x.size, part, row_bytes=x.itemsize)
    return out, cdf


def gelu_backward(dout: np.ndarray, x: np.ndarray, cdf: np.ndarray) -> np.ndarray:
    """dout * (Phi(x) + x * phi(x)), phi the standard normal density, in float32.

    Chunk by chunk in the kernels' threads, as ``gelu_forward``. dout, x and cdf have one
    shape; x and cdf are float32 (the forward's), dout any float dtype (the product is rounded
    to float32 in place; the compiled kernel rounds dout to float32 first). Returns a new
    float32 array of x's shape.
    """
    dout, x, cdf = (np.asarray(a, order="C") for a in (dout, x, cdf))
    dx = np.empty(x.shape, dtype=_F32)
    df, xf, cf, dxf = dout.reshape(-1), x.reshape(-1), cdf.reshape(-1), dx.reshape(-1)
    if (x.dtype == cdf.dtype == _F32 and dout.shape == x.shape == cdf.shape
            and jit.enabled()):
        compiled = jit.kernels().gelu_backward
        df = df.astype(_F32, copy=False)  # (the NumPy path rounds the product instead)

        def part(start: int, stop: int) -> None:
            compiled(df[start:stop], xf[start:stop], cf[start:stop], dxf[start:stop])
    else:
        def part(start: int, stop: int) -> None:
            xs, pdf = xf[start:stop], dxf[start:stop]
            np.multiply(xs, xs, out=pdf)
            pdf *= _F32(-0.5)
            np.exp(pdf, out=pdf)
            pdf *= _F32(1.0 / math.sqrt(2.0 * math.pi))
            pdf *= xs
            pdf += cf[start:stop]
            pdf *= df[start:stop]

    threads.parallel_chunks(x.size, part, row_bytes=x.itemsize)
    return dx
