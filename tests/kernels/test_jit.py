"""convnp.kernels.jit and its compiled (Numba) kernels, against the NumPy code they replace."""

import math

import numpy as np
import pytest

from convnp.kernels import gelu, jit
from convnp.nn.activation import normal_cdf

from ..conftest import REQUIRE_JIT, _numba_installed

if not _numba_installed() and not REQUIRE_JIT:
    pytest.skip("numba is not installed (pip install 'convnp[jit]')", allow_module_level=True)


@pytest.fixture
def compiled(monkeypatch):
    monkeypatch.setenv("CONVNP_JIT", "1")
    return jit.kernels()


def test_enabled_follows_the_environment(monkeypatch):
    monkeypatch.setenv("CONVNP_JIT", "0")
    assert not jit.enabled() and jit.describe() == "off (CONVNP_JIT=0)"
    monkeypatch.setenv("CONVNP_JIT", "1")
    assert jit.enabled() and jit.describe().startswith("numba ")
    monkeypatch.delenv("CONVNP_JIT")
    assert jit.enabled()


def test_gelu_dispatches_on_the_environment(monkeypatch, rng):
    # The two paths give different roundings of the same formula: which one ran shows.
    x = rng.standard_normal(10_000).astype(np.float32)
    monkeypatch.setenv("CONVNP_JIT", "0")
    _, cdf_numpy = gelu.gelu_forward(x)
    np.testing.assert_array_equal(cdf_numpy, gelu.normal_cdf_f32(x))
    monkeypatch.setenv("CONVNP_JIT", "1")
    _, cdf_jit = gelu.gelu_forward(x)
    assert not np.array_equal(cdf_jit, cdf_numpy)
    assert np.max(np.abs(cdf_jit - cdf_numpy)) < 3e-7


def test_exp_within_2_ulp_over_the_normal_range(compiled):
    y = np.concatenate([np.linspace(-87.3, 0, 20_001), [-1e-30, -0.0, 0.0]]).astype(np.float32)
    got = np.array([compiled._exp_nonpositive(v) for v in y], dtype=np.float32)
    want = np.exp(y.astype(np.float64))
    ulp = np.spacing(want.astype(np.float32)).astype(np.float64)
    assert np.max(np.abs(got - want) / ulp) <= 2


def test_exp_underflow_subnormals_and_nan(compiled):
    # Subnormal results (below 2^-126 ~ e^-87.3) are within 2 of their spacing (2^-149);
    # below -104 the result is 0, as float32's exp gives; NaN stays NaN.
    y = np.linspace(-103.9, -87.4, 2_001).astype(np.float32)
    got = np.array([compiled._exp_nonpositive(v) for v in y], dtype=np.float64)
    want = np.exp(y.astype(np.float64))
    assert np.max(np.abs(got - want)) <= 2 * 2.0 ** -149
    for v in (-104.5, -200.0, -np.inf):
        assert compiled._exp_nonpositive(np.float32(v)) == 0.0
    assert math.isnan(compiled._exp_nonpositive(np.float32(np.nan)))


def test_compiled_normal_cdf_keeps_the_accuracy_contract(compiled):
    # The contract of convnp.kernels.gelu: within 3e-7 of Phi, and 2e-5 relative in the lower
    # tail down to Phi(-13) ~ 6e-39.
    x = np.concatenate([np.linspace(-13, 13, 400_001), [0.0, -0.0, 1e-30, -1e-30]])
    x32 = x.astype(np.float32)
    out, cdf = np.empty_like(x32), np.empty_like(x32)
    compiled.gelu_forward(x32, out, cdf)
    ref = normal_cdf(x32.astype(np.float64))
    assert np.max(np.abs(cdf - ref)) < 3e-7
    tail = (x32 < -1) & (ref > 1e-37)
    assert np.max(np.abs(cdf[tail] / ref[tail] - 1)) < 2e-5
    assert cdf[np.argmin(np.abs(x))] == np.float32(0.5)
    np.testing.assert_array_equal(out, x32 * cdf)


def test_compiled_gelu_edges(compiled, monkeypatch):
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 40.0, -40.0, 1e-45, -3e38],
                 dtype=np.float32)
    out, cdf = np.empty_like(x), np.empty_like(x)
    compiled.gelu_forward(x, out, cdf)
    np.testing.assert_array_equal(cdf[[0, 1, 2, 3, 5, 6]], [0.5, 0.5, 1.0, 0.0, 1.0, 0.0])
    assert np.isnan(cdf[4]) and np.isnan(out[4])
    assert out[5] == 40.0 and out[6] == 0.0 and cdf[8] == 0.0
    dout = np.ones_like(x)
    dx = np.empty_like(x)
    compiled.gelu_backward(dout, x, cdf, dx)
    np.testing.assert_array_equal(dx[[0, 1, 5, 6]], [0.5, 0.5, 1.0, 0.0])
    # NaN and the infinities (inf * 0 somewhere in the formula) come out as the NumPy code's.
    monkeypatch.setenv("CONVNP_JIT", "0")
    with np.errstate(invalid="ignore", over="ignore"):
        out_np, cdf_np = gelu.gelu_forward(x)
        dx_np = gelu.gelu_backward(dout, x, cdf_np)
    for got, want in ((out, out_np), (cdf, cdf_np), (dx, dx_np)):
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
        np.testing.assert_array_equal(got[2:4][~np.isnan(got[2:4])],
                                      want[2:4][~np.isnan(want[2:4])])


def test_compiled_gelu_backward_in_the_far_tails(compiled):
    # The vectorized loop itself (not the scalar exp) where phi(x) becomes subnormal (|x| >
    # 13.2) and then 0: x * phi(x) against float64, relatively while phi(x) is normal, then
    # to a few of phi's subnormal spacings (times |x|).
    x = np.concatenate([np.linspace(13, 14.5, 1_001), -np.linspace(13, 14.5, 1_001)])
    x = x.astype(np.float32)
    cdf = np.zeros_like(x)
    dx = np.empty_like(x)
    compiled.gelu_backward(np.ones_like(x), x, cdf, dx)
    x64 = x.astype(np.float64)
    want = x64 * np.exp(-x64 * x64 / 2) / math.sqrt(2 * math.pi)
    bound = np.maximum(1e-5 * np.abs(want), 4 * np.abs(x64) * 2.0 ** -149)
    assert np.all(np.abs(dx - want) <= bound)


def test_read_only_inputs_and_mismatched_shapes(rng):
    # Read-only arrays (np.load(mmap_mode='r'), np.frombuffer) take the compiled path too, and
    # mismatched shapes go to the NumPy code, which raises (the compiled loop would not check).
    x = (3 * rng.standard_normal((4, 50))).astype(np.float32)
    x.flags.writeable = False
    out, cdf = gelu.gelu_forward(x)
    cdf.flags.writeable = False
    dout = np.ones_like(x)
    dout.flags.writeable = False
    dx = gelu.gelu_backward(dout, x, cdf)
    assert dx.dtype == np.float32 and dx.shape == x.shape
    with pytest.raises(ValueError):
        gelu.gelu_backward(dout[:2], x, cdf)


def test_a_numba_that_fails_to_load_falls_back_with_a_warning(monkeypatch, rng):
    import sys
    monkeypatch.setenv("CONVNP_JIT", "1")
    monkeypatch.setattr(jit, "_loaded", None)
    monkeypatch.setattr(jit, "_failure", None)
    # A module that raises on import, as numba does with a NumPy newer than it supports.
    import convnp.kernels
    monkeypatch.setitem(sys.modules, "convnp.kernels._numba", None)
    monkeypatch.delattr(convnp.kernels, "_numba", raising=False)
    x = rng.standard_normal(1000).astype(np.float32)
    with pytest.warns(RuntimeWarning, match="could not be loaded"):
        assert not jit.enabled()
    assert jit.describe().startswith("off (numba failed: ModuleNotFoundError")
    _, cdf = gelu.gelu_forward(x)                  # the NumPy code, no second warning
    np.testing.assert_array_equal(cdf, gelu.normal_cdf_f32(x))
    with pytest.raises(RuntimeError, match="compiled kernels are off"):
        jit.kernels()


def test_compiled_gelu_backward_matches_numpy(monkeypatch, rng):
    x = (4 * rng.standard_normal(50_000)).astype(np.float32)
    dout = rng.standard_normal(x.shape).astype(np.float32)
    monkeypatch.setenv("CONVNP_JIT", "0")
    out, cdf = gelu.gelu_forward(x)
    dx_numpy = gelu.gelu_backward(dout, x, cdf)
    monkeypatch.setenv("CONVNP_JIT", "1")
    dx_jit = gelu.gelu_backward(dout, x, cdf)
    assert dx_jit.dtype == np.float32
    np.testing.assert_allclose(dx_jit, dx_numpy, rtol=0, atol=1e-6 * np.abs(dout).max())
    # A float64 dout is rounded to float32 first, then multiplied.
    dx64 = gelu.gelu_backward(dout.astype(np.float64), x, cdf)
    np.testing.assert_array_equal(dx64, dx_jit)
