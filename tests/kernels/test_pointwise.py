"""convnp.kernels.pointwise (1x1 convolutions, no padding) against the naive convolution."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnp.kernels import pointwise
from convnp.layers import (
    conv_backward_fast,
    conv_backward_naive,
    conv_forward_fast,
    conv_forward_naive,
)
from tests.helpers import assert_close, check_grads

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
