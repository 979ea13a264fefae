"""convnp.kernels.jit and its compiled (Numba) kernels, against the NumPy code they replace."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnp import nn
from convnp.kernels import gelu, jit, pool, relu, threads
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


def _cpuinfo_flags() -> set[str] | None:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return None


def test_avx512_is_what_the_cpu_reports(monkeypatch):
    # The kernel picks read it (direct, taps, pointwise): checked against the kernel's own
    # list of CPU flags, where there is one (Linux).
    flags = _cpuinfo_flags()
    if flags is None:
        pytest.skip("no /proc/cpuinfo flags line to compare with")
    monkeypatch.setenv("CONVNP_JIT", "1")
    assert jit.avx512() is ("avx512f" in flags)
    assert jit.describe().endswith("(no AVX-512)") is ("avx512f" not in flags)
    monkeypatch.setenv("CONVNP_JIT", "0")
    assert jit.avx512() is False


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


# -- max pooling: the compiled kernels give the NumPy kernel's bits --------------------------

_SPECIALS = np.concatenate([
    np.array([0.0, -0.0, 1.0, -1.0, 2.0, np.inf, -np.inf, 3e38, -1e-45], np.float32),
    np.array([0x7FC00000, 0xFFC00001, 0x7FC12345], np.uint32).view(np.float32),  # NaNs
])


def _same_bits(a, b, what):
    a, b = np.asarray(a), np.asarray(b)
    assert (a.dtype, a.shape) == (b.dtype, b.shape), f"{what}: {a.dtype, a.shape, b.dtype, b.shape}"
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    diff = a.view(np.uint8).reshape(a.shape + (-1,)) != b.view(np.uint8).reshape(b.shape + (-1,))
    assert not diff.any(), f"{what}: {np.count_nonzero(diff.any(axis=-1))} of {a.size} differ"


def _pool_values(rng, shape, kind):
    if kind == "normal":
        return rng.standard_normal(shape).astype(np.float32)
    if kind == "ties":                  # nearly every window holds its maximum twice
        return rng.integers(-1, 2, size=shape).astype(np.float32)
    return rng.choice(_SPECIALS, size=shape)  # signed zeros, infinities, NaN payloads


def _max_pool_both(monkeypatch, x, size, dout, full_shape):
    """(out, argmax, dx of x, dx of full_shape) on the NumPy code, then on the compiled code."""
    results = []
    for flag in ("0", "1"):
        monkeypatch.setenv("CONVNP_JIT", flag)
        with np.errstate(invalid="ignore"):  # dout * 0 with dout infinite, in NumPy
            out, argmax = pool.max_pool_forward(x, size, size, size)
            dx = pool.max_pool_backward(dout, argmax, x.shape, x.dtype, size, size, size)
            full = pool.max_pool_backward(dout, argmax, x.shape, x.dtype, size, size, size,
                                          full_shape=full_shape)
        results.append((out, argmax, dx, full))
    return results


# (full shape, window): the crops nn.MaxPool2d makes (31 -> 30, 15 -> 14, 31 -> 30 for 3x3),
# exact tilings, rows long enough for the vectorized loop (W_out >= 16) and one window.
POOL_CASES = [((3, 4, 31, 31), 2), ((3, 4, 15, 15), 2), ((2, 3, 31, 31), 3),
              ((2, 3, 15, 15), 3), ((2, 2, 6, 70), 2), ((2, 2, 7, 100), 3), ((2, 3, 32, 32), 2),
              ((1, 1, 2, 2), 2), ((5, 1, 3, 4), 3)]


@pytest.mark.parametrize("kind", ["normal", "ties", "specials"])
@pytest.mark.parametrize("full, size", POOL_CASES)
def test_compiled_max_pool_matches_numpy_bit_for_bit(monkeypatch, rng, full, size, kind):
    x_full = _pool_values(rng, full, kind)
    Hc, Wc = full[2] - full[2] % size, full[3] - full[3] % size
    x = x_full[:, :, :Hc, :Wc]                           # a crop: read in place
    dout = _pool_values(rng, (full[0], full[1], Hc // size, Wc // size), kind)
    numpy_run, compiled_run = _max_pool_both(monkeypatch, x, size, dout, full)
    for what, got, want in zip(("out", "argmax", "dx", "full dx"), compiled_run, numpy_run):
        _same_bits(got, want, what)
    assert compiled_run[3][:, :, Hc:].size == 0 or not compiled_run[3][:, :, Hc:].any()


@pytest.mark.parametrize("W_out", range(1, 27))
def test_compiled_2x2_gradient_for_every_row_length(monkeypatch, rng, W_out):
    # _numba_pool runs a row in blocks of 8 and 4 windows, the last block overlapping the one
    # before when W_out is not a multiple of 4, and below 4 windows a scalar loop: every
    # branch, with a dropped column (odd W) and row (odd H) written as zeros.
    full = (2, 3, 7, 2 * W_out + 1)
    x = _pool_values(rng, full, "ties")[:, :, :6, :2 * W_out]
    dout = _pool_values(rng, (2, 3, 3, W_out), "specials")
    numpy_run, compiled_run = _max_pool_both(monkeypatch, x, 2, dout, full)
    for what, got, want in zip(("out", "argmax", "dx", "full dx"), compiled_run, numpy_run):
        _same_bits(got, want, what)
    dx = compiled_run[3]
    assert not dx[:, :, 6].any() and not dx[:, :, :, -1].any()


@pytest.mark.parametrize("layout", ["transposed", "reversed", "every_other_image",
                                    "channel_slice", "read_only", "crop_of_one_plane"])
def test_compiled_max_pool_of_other_layouts(monkeypatch, rng, layout):
    # Views that are not crops of a contiguous array are copied first; all give NumPy's bits.
    base = _pool_values(rng, (4, 5, 12, 14), "ties")
    x = {"transposed": base.transpose(0, 1, 3, 2),
         "reversed": base[:, :, ::-1],
         "every_other_image": base[::2],
         "channel_slice": base[:, 1:4],
         "read_only": base,
         "crop_of_one_plane": base[1:2, 2:3, :10, 1:13]}[layout]
    if layout == "read_only":
        x = x.copy()
        x.flags.writeable = False
    dout = rng.standard_normal(x.shape[:2] + (x.shape[2] // 2, x.shape[3] // 2))
    dout = dout.astype(np.float32)
    numpy_run, compiled_run = _max_pool_both(monkeypatch, x, 2, dout, x.shape)
    for what, got, want in zip(("out", "argmax", "dx", "full dx"), compiled_run, numpy_run):
        _same_bits(got, want, what)


@settings(deadline=None, max_examples=60)
@given(st.sampled_from([2, 3]), st.integers(1, 3), st.integers(1, 3), st.integers(1, 7),
       st.integers(1, 20), st.integers(0, 2), st.integers(0, 2),
       st.sampled_from(["normal", "ties", "specials"]), st.integers(0, 2**32 - 1))
def test_property_compiled_max_pool(size, N, C, H_out, W_out, extra_h, extra_w, kind, seed):
    rng = np.random.default_rng(seed)
    full = (N, C, size * H_out + extra_h, size * W_out + extra_w)
    x = _pool_values(rng, full, kind)[:, :, :size * H_out, :size * W_out]
    dout = _pool_values(rng, (N, C, H_out, W_out), kind)
    with pytest.MonkeyPatch.context() as mp:
        numpy_run, compiled_run = _max_pool_both(mp, x, size, dout, full)
    for what, got, want in zip(("out", "argmax", "dx", "full dx"), compiled_run, numpy_run):
        _same_bits(got, want, what)


@pytest.fixture
def counted(monkeypatch):
    """Count the calls of compiled kernels: counted('name') wraps jit.kernels().name (or
    jit.pool_kernels().name, where the 2x2 max pooling gradient lives)."""
    monkeypatch.setenv("CONVNP_JIT", "1")
    calls = {}

    def wrap(name):
        module = jit.kernels()
        if not hasattr(module, name):
            module = jit.pool_kernels()
        assert hasattr(module, name), f"no compiled kernel named {name!r}"
        compiled = getattr(module, name)

        def counting(*args):
            calls[name] = calls.get(name, 0) + 1
            return compiled(*args)
        monkeypatch.setattr(module, name, counting)
    return wrap, calls


def test_max_pool_dispatch(counted, monkeypatch, rng):
    # Compiled: float32 with 2x2 or 3x3 tiles; NumPy: float64, other windows, CONVNP_JIT=0.
    wrap, calls = counted
    for name in ("max_pool_2x2_forward", "max_pool_2x2_backward", "max_pool_3x3_forward",
                 "max_pool_3x3_backward"):
        wrap(name)
    x = rng.standard_normal((2, 3, 12, 12)).astype(np.float32)

    def run(x, size, stride=None):
        stride = stride or size
        out, argmax = pool.max_pool_forward(x, size, size, stride)
        pool.max_pool_backward(np.ones_like(out), argmax, x.shape, x.dtype, size, size, stride)

    run(x, 2)
    run(x, 3)
    assert calls == {"max_pool_2x2_forward": 1, "max_pool_2x2_backward": 1,
                     "max_pool_3x3_forward": 1, "max_pool_3x3_backward": 1}
    run(x.astype(np.float64), 2)
    run(x, 4)
    run(x, 2, stride=1)
    monkeypatch.setenv("CONVNP_JIT", "0")
    run(x, 2)
    assert sum(calls.values()) == 4
    monkeypatch.setenv("CONVNP_JIT", "1")
    out, argmax = pool.max_pool_forward(x, 2, 2, 2)   # a float64 dout: the NumPy code
    pool.max_pool_backward(np.ones(out.shape), argmax, x.shape, x.dtype, 2, 2, 2)
    assert calls["max_pool_2x2_forward"] == 2 and calls["max_pool_2x2_backward"] == 1


def test_relu_dispatch(counted, monkeypatch, rng):
    # Compiled: float32 contiguous (forward), float32 dout and out (backward); NumPy otherwise.
    # The numbers are the same bits either way (tests/kernels/test_threads.py).
    wrap, calls = counted
    wrap("relu_forward")
    wrap("relu_backward")
    x = rng.standard_normal((2, 3, 8, 8)).astype(np.float32)
    out = relu.relu_forward(x)
    relu.relu_backward(np.ones_like(out), out)
    assert calls == {"relu_forward": 1, "relu_backward": 1}
    relu.relu_forward(x.astype(np.float64))
    relu.relu_forward(x[:, :, ::2])
    relu.relu_backward(np.ones(out.shape), out)
    relu.relu_backward(np.ones_like(out), out.astype(np.float64))
    monkeypatch.setenv("CONVNP_JIT", "0")
    relu.relu_backward(np.ones_like(out), relu.relu_forward(x))
    assert calls == {"relu_forward": 1, "relu_backward": 1}


def test_max_pool_module_uses_one_compiled_pass(counted, rng):
    # nn.MaxPool2d on 31 x 31: the crop is read in place and the gradient written in full by
    # the compiled backward (pool.uncrop is not called).
    wrap, calls = counted
    wrap("max_pool_2x2_backward")
    uncropped = []
    m = nn.MaxPool2d(2)
    x = rng.standard_normal((4, 3, 31, 31)).astype(np.float32)
    out = m(x)
    original = pool.uncrop
    try:
        pool.uncrop = lambda *a: uncropped.append(1) or original(*a)
        dx = m.backward(np.ones_like(out))
    finally:
        pool.uncrop = original
    assert calls == {"max_pool_2x2_backward": 1} and not uncropped
    assert dx.shape == x.shape and dx[:, :, 30].sum() == 0 and dx[:, :, :, 30].sum() == 0
    assert dx.sum() == out.size


def test_max_pool_gradient_falls_back_to_numpy_when_its_module_fails(monkeypatch, rng):
    # _numba_pool is compiled apart from the other kernels (SLP vectorizer on): if that fails,
    # one warning, and the 2x2 gradient runs the NumPy code from then on.
    monkeypatch.setenv("CONVNP_JIT", "1")
    jit.kernels()
    calls = []

    def failing(name):
        calls.append(name)
        raise RuntimeError("LLVM says no")
    monkeypatch.setattr(jit, "_import_with_slp", failing)
    monkeypatch.setattr(jit, "_pool", None)
    monkeypatch.setattr(jit, "_pool_failure", None)
    x = _pool_values(rng, (2, 3, 9, 9), "ties")[:, :, :8, :8]
    dout = rng.standard_normal((2, 3, 4, 4)).astype(np.float32)
    out, argmax = pool.max_pool_forward(x, 2, 2, 2)
    with pytest.warns(RuntimeWarning, match="LLVM says no"):
        dx = pool.max_pool_backward(dout, argmax, x.shape, x.dtype, 2, 2, 2,
                                    full_shape=(2, 3, 9, 9))
    again = pool.max_pool_backward(dout, argmax, x.shape, x.dtype, 2, 2, 2,
                                   full_shape=(2, 3, 9, 9))
    assert calls == ["_numba_pool"] and jit.pool_kernels() is None
    monkeypatch.setenv("CONVNP_JIT", "0")
    want = pool.max_pool_backward(dout, argmax, x.shape, x.dtype, 2, 2, 2,
                                  full_shape=(2, 3, 9, 9))
    _same_bits(dx, want, "dx")
    _same_bits(again, want, "dx again")


def test_compiled_max_pool_is_thread_count_invariant(monkeypatch, rng):
    monkeypatch.setenv("CONVNP_JIT", "1")
    monkeypatch.setattr(threads, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(threads, "CHUNK_BYTES", 3 * 31 * 31 * 4)   # 3 planes a chunk
    x = _pool_values(rng, (5, 7, 31, 31), "ties")[:, :, :30, :30]
    dout = rng.standard_normal((5, 7, 15, 15)).astype(np.float32)
    runs = []
    try:
        for count in (1, 2):
            threads.set_num_threads(count)
            out, argmax = pool.max_pool_forward(x, 2, 2, 2)
            dx = pool.max_pool_backward(dout, argmax, x.shape, x.dtype, 2, 2, 2,
                                        full_shape=(5, 7, 31, 31))
            runs.append((out, argmax, dx))
    finally:
        threads.set_num_threads(None)
    for what, got, want in zip(("out", "argmax", "dx"), runs[1], runs[0]):
        _same_bits(got, want, what)
