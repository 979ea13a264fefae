"""Elementwise activation modules: ReLU, LeakyReLU, Sigmoid, Tanh (the course's layers) and GELU.

GELU has no course layer, so its forward and backward are written here, with the standard
normal CDF Phi computed from W. J. Cody's rational approximations of erf and erfc ("Rational
Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631-638; the
coefficients of Netlib's specfun/calerf), good to about 1e-16 in float64. NumPy has no erf, and
calling math.erf per element is two orders of magnitude slower.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _validate
from ..kernels import gelu, relu
from ..layers import (
    leaky_relu_backward,
    leaky_relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)
from .module import Module

__all__ = ["GELU", "LeakyReLU", "ReLU", "Sigmoid", "Tanh", "normal_cdf"]


class _Elementwise(Module):
    """A module around one of the course's elementwise layer pairs (no parameters)."""

    def _forward_layer(self, x: np.ndarray):
        raise NotImplementedError

    def _backward_layer(self, dout: np.ndarray, cache):
        raise NotImplementedError

    def forward(self, x: np.ndarray) -> np.ndarray:
        _validate.array(x, "x", f"{type(self).__name__}.forward")
        out, cache = self._forward_layer(x)
        self._cache = (out.shape, cache)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return self._backward_layer(dout, self._cached(dout))


class ReLU(_Elementwise):
    """Applies the rectified linear unit elementwise: ReLU(x) = max(0, x).

    The numbers of ``convnp.layers.relu_forward`` / ``relu_backward`` (gradient 0 at x == 0, as
    PyTorch), bit for bit, computed by ``convnp.kernels.relu`` on every core.

    Shape:
        - Input: (*), any shape
        - Output: (*), the shape of the input

    Example:
        >>> ReLU()(np.zeros((2, 3), dtype=np.float32)).shape
        (2, 3)
    """

    def _forward_layer(self, x):
        out = relu.relu_forward(x)
        return out, out  # the course layer's cache: the output

    def _backward_layer(self, dout, cache):
        return relu.relu_backward(dout, cache)


class LeakyReLU(_Elementwise):
    """Applies LeakyReLU(x) = x if x > 0 else negative_slope * x, elementwise.

    Wraps ``convnp.layers.leaky_relu_forward`` / ``leaky_relu_backward``.

    Args:
        negative_slope (float, optional): the slope for x <= 0. Default: 0.01

    Shape:
        - Input: (*), any shape
        - Output: (*), the shape of the input

    Example:
        >>> LeakyReLU(0.2)(np.zeros((2, 3), dtype=np.float32)).shape
        (2, 3)
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = _validate.real(negative_slope, "negative_slope", "LeakyReLU")

    def _forward_layer(self, x):
        return leaky_relu_forward(x, self.negative_slope)

    def _backward_layer(self, dout, cache):
        return leaky_relu_backward(dout, cache)

    def extra_repr(self) -> str:
        return "" if self.negative_slope == 0.01 else f"negative_slope={self.negative_slope}"


class Sigmoid(_Elementwise):
    """Applies the logistic sigmoid elementwise: Sigmoid(x) = 1 / (1 + exp(-x)).

    Wraps ``convnp.layers.sigmoid_forward`` / ``sigmoid_backward`` (no overflow for large |x|).

    Shape:
        - Input: (*), any shape
        - Output: (*), the shape of the input

    Example:
        >>> Sigmoid()(np.zeros((2, 3), dtype=np.float32)).shape
        (2, 3)
    """

    def _forward_layer(self, x):
        return sigmoid_forward(x)

    def _backward_layer(self, dout, cache):
        return sigmoid_backward(dout, cache)


class Tanh(_Elementwise):
    """Applies the hyperbolic tangent elementwise.

    Wraps ``convnp.layers.tanh_forward`` / ``tanh_backward``.

    Shape:
        - Input: (*), any shape
        - Output: (*), the shape of the input

    Example:
        >>> Tanh()(np.zeros((2, 3), dtype=np.float32)).shape
        (2, 3)
    """

    def _forward_layer(self, x):
        return tanh_forward(x)

    def _backward_layer(self, dout, cache):
        return tanh_backward(dout, cache)


# Cody's coefficients, as published (more digits than a float64 holds).
# erf(x) = x * A(x^2) / B(x^2) for |x| <= 0.46875.
_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
      3.20937758913846947e03, 1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
      2.84423683343917062e03)
# erfc(x) = exp(-x^2) * C(x) / D(x) for 0.46875 < x <= 4.
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
      2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
      2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
      1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
      3.43936767414372164e03, 1.23033935480374942e03)
# erfc(x) = exp(-x^2) / x * (1/sqrt(pi) + P(1/x^2) / (x^2 Q(1/x^2))) for x > 4.
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
      1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
      6.05183413124413191e-2, 2.33520497626869185e-3)
_SQRPI = 5.6418958354775628695e-1  # 1 / sqrt(pi)
_XBIG = 26.543  # erfc(x) underflows to 0 in float64 beyond this


def _erf_small(z: np.ndarray) -> np.ndarray:
    """erf(z) for |z| <= 0.46875."""
    t = z * z
    num, den = _A[4] * t, t
    for i in range(3):
        num = (num + _A[i]) * t
        den = (den + _B[i]) * t
    return z * (num + _A[3]) / (den + _B[3])


def _erfc_large(a: np.ndarray) -> np.ndarray:
    """erfc(a) for a > 0.46875, accurate relative to its (possibly tiny) value."""
    result = np.zeros_like(a)
    mid = a <= 4.0
    y = a[mid]
    num, den = _C[8] * y, y
    for i in range(7):
        num = (num + _C[i]) * y
        den = (den + _D[i]) * y
    result[mid] = (num + _C[7]) / (den + _D[7])
    big = ~mid & (a < _XBIG)
    y = a[big]
    t = 1.0 / (y * y)
    num, den = _P[5] * t, t
    for i in range(4):
        num = (num + _P[i]) * t
        den = (den + _Q[i]) * t
    result[big] = (_SQRPI - t * (num + _P[4]) / (den + _Q[4])) / y
    # exp(-a^2) as exp(-s^2) * exp(-(a - s)(a + s)), s = a rounded down to 1/16: a^2 itself
    # would lose the low bits of a (Cody's trick). Beyond _XBIG erfc stays 0 (and a^2 could
    # overflow).
    finite = mid | big
    y = a[finite]
    s = np.floor(16.0 * y) / 16.0
    result[finite] *= np.exp(-s * s) * np.exp(-(y - s) * (y + s))
    return result


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """Phi(x) = 0.5 * (1 + erf(x / sqrt(2))), the standard normal CDF, elementwise, in float64.

    Accurate to about 1e-16 relative, also far in the lower tail (Phi(-30) ~ 5e-198), since it
    uses erfc there instead of 1 + erf. Returns a new float64 array of x's shape.
    """
    z = np.asarray(x, dtype=np.float64) * math.sqrt(0.5)
    a = np.abs(z)
    out = np.empty_like(z)
    small = a <= 0.46875
    out[small] = 0.5 + 0.5 * _erf_small(z[small])
    large = ~small
    half_erfc = 0.5 * _erfc_large(a[large])
    out[large] = np.where(z[large] < 0, half_erfc, 1.0 - half_erfc)
    return out


class GELU(Module):
    """Applies the Gaussian Error Linear Unit elementwise: GELU(x) = x * Phi(x).

    Phi is the standard normal CDF, computed exactly (to float64 rounding) by ``normal_cdf``, as
    torch.nn.GELU() does by default. With approximate='tanh' it is PyTorch's tanh form,
    0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3))). No course layer exists; the
    backward is dx = dout * (Phi(x) + x * phi(x)), phi the normal density, or the derivative of
    the tanh form. Computed in float64 and returned in x's dtype, except the exact form on
    float32 inputs, which ``convnp.kernels.gelu`` computes in float32 (within
    1e-6 * max(1, |x|) of the float64 value).

    Args:
        approximate (str, optional): 'none' (exact) or 'tanh'. Default: 'none'

    Shape:
        - Input: (*), any shape
        - Output: (*), the shape of the input

    Example:
        >>> GELU()(np.zeros((2, 3), dtype=np.float32)).shape
        (2, 3)
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = _validate.mode(approximate, "approximate", "GELU",
                                          choices=("none", "tanh"))

    def forward(self, x: np.ndarray) -> np.ndarray:
        _validate.array(x, "x", "GELU.forward")
        if self.approximate == "none" and x.dtype == np.float32:
            # float32: one branch-free erfc formula in float32 (convnp.kernels.gelu), within
            # 1e-6 * max(1, |x|) of the float64 reference and about 5x faster.
            out, cdf = gelu.gelu_forward(x)
            self._cache = (out.shape, ("f32", x, cdf))
            return out
        x64 = x.astype(np.float64, copy=False)
        if self.approximate == "none":
            cdf = normal_cdf(x64)
            out = x64 * cdf
            cache = (x64, cdf)
        else:
            k = math.sqrt(2 / math.pi)
            tanh_inner = np.tanh(k * (x64 + 0.044715 * x64 ** 3))
            out = 0.5 * x64 * (1 + tanh_inner)
            cache = (x64, tanh_inner)
        out = out.astype(x.dtype, copy=False)
        self._cache = (out.shape, cache)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        cache = self._cached(dout)
        if isinstance(cache[0], str):  # the float32 kernel's
            _, x, cdf = cache
            return gelu.gelu_backward(dout, x, cdf).astype(dout.dtype, copy=False)
        x64, c = cache
        if self.approximate == "none":
            pdf = np.exp(-0.5 * x64 * x64) / math.sqrt(2 * math.pi)
            local = c + x64 * pdf
        else:
            k = math.sqrt(2 / math.pi)
            local = 0.5 * (1 + c) + 0.5 * x64 * (1 - c * c) * k * (1 + 3 * 0.044715 * x64 * x64)
        return (dout * local).astype(dout.dtype, copy=False)

    def extra_repr(self) -> str:
        return "" if self.approximate == "none" else f"approximate={self.approximate!r}"
