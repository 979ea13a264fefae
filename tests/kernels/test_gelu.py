"""convnp.kernels.gelu: the float32 GELU against the float64 reference (Cody's erf)."""

import math

import numpy as np
import pytest

from convnp import nn
from convnp.kernels import gelu
from convnp.nn.activation import normal_cdf


def test_normal_cdf_f32_absolute_and_tail_accuracy():
    x = np.concatenate([np.linspace(-13, 13, 400_001), [0.0, -0.0, 1e-30, -1e-30]])
    x32 = x.astype(np.float32)
    got = gelu.normal_cdf_f32(x32)
    assert got.dtype == np.float32
    ref = normal_cdf(x32.astype(np.float64))
    assert np.max(np.abs(got - ref)) < 3e-7
    # The lower tail keeps its relative accuracy (erfc, not 1 + erf): Phi(-13) ~ 6e-39.
    tail = (x32 < -1) & (ref > 1e-37)
    assert np.max(np.abs(got[tail] / ref[tail] - 1)) < 2e-5
    assert got[np.argmin(np.abs(x))] == np.float32(0.5)


def test_normal_cdf_f32_picks_its_branch_bit_for_bit(rng):
    # The bitwise select is np.where(x < 0, Phi(-|x|), 1 - Phi(-|x|)), the same bits, at
    # random signs, signed zeros, infinities and NaN of either sign.
    with np.errstate(invalid="ignore"):
        negative_nan = np.float32(np.inf) - np.float32(np.inf)
    x = np.concatenate([rng.standard_normal(10_000) * 6,
                        [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45]]).astype(np.float32)
    x = np.append(x, negative_nan)
    lower = gelu.normal_cdf_f32(-np.abs(x))          # x <= 0 takes the first branch
    expected = np.where(x < 0, lower, np.float32(1.0) - lower)
    got = gelu.normal_cdf_f32(x)
    np.testing.assert_array_equal(got.view(np.int32), expected.view(np.int32))


def test_the_erfc_fit_itself():
    """The Chebyshev fit's published bound, 1.2e-7 relative, checked in float64 against
    math.erfc over the whole range where erfc is a normal float64."""
    a = np.linspace(0, 26, 100_001)
    t = 1 / (1 + 0.5 * a)
    p = np.full_like(a, gelu._P[-1])
    for c in reversed(gelu._P[:-1]):
        p = p * t + c
    fit = t * np.exp(-a * a + p)
    ref = np.array([math.erfc(v) for v in a])
    assert np.max(np.abs(fit / ref - 1)) < 1.2e-7


@pytest.mark.parametrize("scale", [1.0, 4.0])
def test_gelu_module_float32_matches_float64(rng, scale, kernel_backend):
    x = (rng.standard_normal((3, 4, 17, 19)) * scale).astype(np.float32)
    dout = rng.standard_normal(x.shape).astype(np.float32)
    m = nn.GELU()
    out32 = m(x)
    dx32 = m.backward(dout)
    out64 = m(x.astype(np.float64))
    dx64 = m.backward(dout.astype(np.float64))
    assert out32.dtype == dx32.dtype == np.float32
    bound = 1e-6 * np.maximum(1.0, np.abs(x))
    assert np.all(np.abs(out32 - out64) <= bound)
    assert np.all(np.abs(dx32 - dx64) <= 1e-6 * np.maximum(1.0, np.abs(dout)))


def test_gelu_float32_edges(kernel_backend):
    m = nn.GELU()
    x = np.array([0.0, 20.0, -20.0, 1e-20, np.nan], dtype=np.float32)
    out = m(x)
    np.testing.assert_array_equal(out[:4], np.array([0.0, 20.0, 0.0, 5e-21], np.float32))
    assert np.isnan(out[4])
    dx = m.backward(np.ones_like(x))
    np.testing.assert_allclose(dx[:4], [0.5, 1.0, 0.0, 0.5], atol=1e-7)
    assert np.isnan(dx[4])
    # The input is not modified, and the tanh form still takes the float64 path's numbers.
    y = np.linspace(-3, 3, 7).astype(np.float32)
    before = y.copy()
    tanh = nn.GELU("tanh")(y)
    np.testing.assert_array_equal(y, before)
    np.testing.assert_allclose(tanh, nn.GELU("tanh")(y.astype(np.float64)), rtol=1e-6,
                               atol=1e-7)
