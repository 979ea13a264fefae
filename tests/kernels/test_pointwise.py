"""convnp.kernels.pointwise (1x1 convolutions, no padding) against the naive convolution."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnp.kernels import jit, pointwise
from convnp.layers import (
    conv_backward_fast,
    conv_backward_naive,
    conv_forward_fast,
    conv_forward_naive,
)
from tests.helpers import assert_close, assert_same_for_every_thread_count, check_grads

from .test_direct import check_backward, close, compiled, needs_numba  # noqa: F401 (a fixture)

# (x_shape, F, stride): N = C = F = 1, odd and rectangular sizes, strides that skip rows and
# columns (7x4 at stride 3 keeps rows 0, 3, 6 and columns 0, 3), one output pixel. (The course's
# layer wants H - 1 and W - 1 divisible by the stride.)
CASES = [
    ((2, 3, 5, 5), 4, 1),
    ((1, 1, 4, 6), 1, 1),
    ((3, 2, 7, 4), 3, 3),
    ((2, 4, 7, 7), 5, 2),
    ((2, 3, 5, 3), 2, 2),
    ((1, 2, 4, 4), 2, 3),
    ((2, 5, 1, 1), 3, 1),
]
IDS = [f"x{x}-F{f}-s{s}" for x, f, s in CASES]


def make(rng, x_shape, F, dtype=np.float64):
    C = x_shape[1]
    return (rng.standard_normal(x_shape).astype(dtype),
            rng.standard_normal((F, C, 1, 1)).astype(dtype),
            rng.standard_normal(F).astype(dtype))


@pytest.mark.parametrize("x_shape, F, stride", CASES, ids=IDS)
def test_kernel_equals_naive(rng, x_shape, F, stride):
    x, w, b = make(rng, x_shape, F)
    out, cache = conv_forward_naive(x, w, b, {"stride": stride, "pad": 0})
    dout = rng.standard_normal(out.shape)
    grads = conv_backward_naive(dout, cache)
    out_k, cache_k = pointwise.conv_forward(x, w, b, stride)
    assert_close(out_k, out, 1e-10, "out")
    for name, g_k, g in zip(("dx", "dw", "db"), pointwise.conv_backward(dout, cache_k), grads):
        assert g_k.shape == g.shape, name
        assert_close(g_k, g, 1e-10, name)


@pytest.mark.parametrize("x_shape, F, stride", CASES[:4], ids=IDS[:4])
def test_fast_path_takes_1x1_without_padding(rng, x_shape, F, stride):
    x, w, b = make(rng, x_shape, F)
    _, cache = conv_forward_fast(x, w, b, {"stride": stride, "pad": 0})
    assert isinstance(cache[-1], pointwise.PointwiseCache)
    check_grads(lambda x, w, b: conv_forward_fast(x, w, b, {"stride": stride, "pad": 0}),
                conv_backward_fast, [x, w, b], ["x", "w", "b"], rng)


def test_applies_only_without_padding():
    assert pointwise.applies((4, 3, 1, 1), 0)
    assert not pointwise.applies((4, 3, 1, 1), 1)    # the padded border: im2col
    assert not pointwise.applies((4, 3, 1, 3), 0)
    assert not pointwise.applies((4, 3, 3, 3), 0)


def test_padded_1x1_stays_on_im2col(rng):
    x, w, b = make(rng, (2, 3, 4, 4), 2)
    _, cache = conv_forward_fast(x, w, b, {"stride": 1, "pad": 1})
    assert not isinstance(cache[-1], pointwise.PointwiseCache)


def test_stride_one_caches_x_itself(rng):
    # No copy of the input is kept: the cache's x3 is a view of x.
    x, w, b = make(rng, (2, 3, 4, 5), 2)
    _, cache = pointwise.conv_forward(x, w, b, 1)
    assert np.shares_memory(cache.x3, x)


def test_float32_stays_float32_and_mixed_dtypes_promote(rng):
    x, w, b = make(rng, (2, 3, 4, 4), 5, np.float32)
    out, cache = pointwise.conv_forward(x, w, b, 2)
    assert out.dtype == np.float32
    grads = pointwise.conv_backward(np.ones(out.shape, np.float32), cache)
    assert [g.dtype for g in grads] == [np.float32] * 3
    out64, cache64 = pointwise.conv_forward(x, w.astype(np.float64), b, 1)
    assert out64.dtype == np.float64
    assert [g.dtype for g in pointwise.conv_backward(np.ones(out64.shape), cache64)] == \
        [np.float64] * 3


def test_zero_bias_and_empty_batch(rng):
    # A zero bias skips the addition: the result must still equal the naive one.
    x, w, _ = make(rng, (2, 3, 4, 4), 2)
    b = np.zeros(2)
    out, _ = pointwise.conv_forward(x, w, b, 1)
    assert_close(out, conv_forward_naive(x, w, b, {"stride": 1, "pad": 0})[0], 1e-10, "out")
    out, cache = pointwise.conv_forward(np.zeros((0, 3, 4, 4)), w, b, 2)
    assert out.shape == (0, 2, 2, 2)
    dx, dw, db = pointwise.conv_backward(out, cache)
    assert dx.shape == (0, 3, 4, 4) and not dw.any() and not db.any()


def test_inputs_not_modified(rng):
    x, w, b = make(rng, (2, 3, 5, 5), 4)
    before = [a.copy() for a in (x, w, b)]
    out, cache = pointwise.conv_forward(x, w, b, 2)
    dout = rng.standard_normal(out.shape)
    dout_before = dout.copy()
    pointwise.conv_backward(dout, cache)
    for a, a0 in zip((x, w, b, dout), (*before, dout_before)):
        np.testing.assert_array_equal(a, a0)


@settings(deadline=None, max_examples=25)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 7), st.integers(1, 7),
       st.integers(1, 4), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_property_equals_naive(N, C, H, W, F, stride, seed):
    rng = np.random.default_rng(seed)
    x, w, b = make(rng, (N, C, H, W), F)
    # The course's layer needs (H - 1) divisible by the stride: crop to that.
    x = x[:, :, :H - (H - 1) % stride, :W - (W - 1) % stride]
    out, cache = conv_forward_naive(x, w, b, {"stride": stride, "pad": 0})
    out_k, cache_k = pointwise.conv_forward(x, w, b, stride)
    assert_close(out_k, out, 1e-10, "out")
    dout = rng.standard_normal(out.shape)
    for g_k, g in zip(pointwise.conv_backward(dout, cache_k), conv_backward_naive(dout, cache)):
        assert_close(g_k, g, 1e-10, "grad")


@pytest.fixture
def blocks(compiled, monkeypatch):  # noqa: F811  (compiled is test_direct's fixture)
    """The compiled kernel on any CPU: pointwise takes it only with AVX-512 (jit.avx512)."""
    monkeypatch.setattr(jit, "_cpu_has_avx512", lambda: True)


# The compiled kernel (float32, the jit extra): blocks of 64 positions in place and the rest
# in blocks of 16 through a buffer. (N, C, F, H, W, stride): positions that are a multiple of
# 64 (16x16), fewer than 16 (3x3, 1x1), 16-63 (7x7), 64 + a rest (9x9, 15x15: 225 = 3 * 64
# + 33); filters and channels that fill no block of 6 or 12 rows (5, 13, 1, 130); stride 2;
# batches that split unevenly over the threads.
F32_SHAPES = [(3, 64, 128, 16, 16, 1), (2, 5, 13, 3, 3, 1), (3, 1, 1, 1, 1, 1),
              (2, 17, 130, 7, 7, 1), (5, 32, 12, 9, 9, 1), (2, 24, 7, 15, 15, 1),
              (3, 16, 32, 17, 17, 2), (1, 130, 6, 8, 8, 1)]


@needs_numba
@pytest.mark.usefixtures("blocks")
@pytest.mark.parametrize("N, C, F, H, W, stride", F32_SHAPES)
def test_compiled_float32_matches_the_naive_layer(rng, N, C, F, H, W, stride):
    x, w, b = make(rng, (N, C, H, W), F)
    param = {"stride": stride, "pad": 0}
    want, cache64 = conv_forward_naive(x, w, b, param)
    dout = rng.standard_normal(want.shape)
    f32 = np.float32
    out, cache = pointwise.conv_forward(x.astype(f32), w.astype(f32), b.astype(f32), stride)
    close(out, want)
    check_backward(pointwise.conv_backward, dout.astype(f32), cache,
                   conv_backward_naive(dout, cache64))


@needs_numba
@pytest.mark.usefixtures("blocks")
def test_compiled_results_do_not_depend_on_the_thread_count(rng):
    x, w, b = (a.astype(np.float32) for a in make(rng, (9, 40, 15, 15), 20))
    dout = rng.standard_normal((9, 20, 15, 15)).astype(np.float32)

    def compute():
        out, cache = pointwise.conv_forward(x, w, b, 1)
        return (out, *pointwise.conv_backward(dout, cache))

    assert_same_for_every_thread_count(compute)


@needs_numba
def test_compiled_kernel_dispatch(monkeypatch, rng):
    # float32 with the compiled kernels on: they compute the forward, dx, dw and db (their
    # sums run in another order than BLAS's: the results differ in the last bits); with them
    # off, on a CPU without AVX-512, or in float64, np.matmul does.
    calls = []
    monkeypatch.setenv("CONVNP_JIT", "1")
    monkeypatch.setattr(jit, "_cpu_has_avx512", lambda: True)
    module = jit.direct_kernels()
    for name, shape_of in (("pointwise", lambda args: args[5].shape),   # out
                           ("pointwise_grad", lambda args: args[2].shape[1:])):  # dw
        def counting(*args, kernel=getattr(module, name), name=name, shape_of=shape_of):
            calls.append((name, shape_of(args)))
            return kernel(*args)
        monkeypatch.setattr(module, name, counting)
    x, w, b = (a.astype(np.float32) for a in make(rng, (4, 64, 8, 8), 32))
    out, cache = pointwise.conv_forward(x, w, b, 1)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    grads = pointwise.conv_backward(dout, cache)
    assert sorted(set(calls)) == [("pointwise", (4, 32, 64)), ("pointwise", (4, 64, 64)),
                                  ("pointwise_grad", (32, 64))]
    calls.clear()
    monkeypatch.setenv("CONVNP_JIT", "0")
    out_blas, cache = pointwise.conv_forward(x, w, b, 1)
    grads_blas = pointwise.conv_backward(dout, cache)
    pointwise.conv_forward(x.astype(np.float64), w, b, 1)
    monkeypatch.setenv("CONVNP_JIT", "1")
    monkeypatch.setattr(jit, "_cpu_has_avx512", lambda: False)
    pointwise.conv_backward(dout, pointwise.conv_forward(x, w, b, 1)[1])
    assert calls == []
    for got, want in zip((out, *grads), (out_blas, *grads_blas)):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
