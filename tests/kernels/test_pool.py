"""convnp.kernels.pool's max pooling with recorded argmax, against np.argmax and the naive path."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnp.kernels import pool as pool_kernels
from convnp.layers import (
    max_pool_backward_fast,
    max_pool_backward_naive,
    max_pool_forward_fast,
    max_pool_forward_naive,
)
from tests.helpers import assert_close

# (x_shape, pool_height, pool_width, stride): tiling windows (the reshape path), overlapping
# ones, gaps, rectangular windows, odd sizes, one window over the whole input.
SHAPES = [
    ((2, 3, 4, 4), 2, 2, 2),
    ((2, 2, 9, 9), 3, 3, 3),
    ((2, 2, 5, 7), 3, 3, 2),
    ((2, 2, 3, 5), 2, 3, 1),
    ((2, 2, 7, 7), 2, 2, 5),
    ((1, 1, 3, 5), 3, 5, 1),
    ((2, 2, 1, 1), 1, 1, 1),
]


def param(pool_height, pool_width, stride):
    return {"pool_height": pool_height, "pool_width": pool_width, "stride": stride}


def argmax_by_window(x, pool_height, pool_width, stride):
    """np.argmax of every flattened window: the first maximum in row-major order."""
    win = pool_kernels.windows(x, pool_height, pool_width, stride)
    return win.reshape(win.shape[:4] + (-1,)).argmax(axis=-1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("x_shape, pool_height, pool_width, stride", SHAPES)
def test_argmax_is_first_maximum(rng, dtype, x_shape, pool_height, pool_width, stride,
                                 kernel_backend):
    # Three distinct values: nearly every window holds its maximum more than once.
    x = rng.integers(0, 3, size=x_shape).astype(dtype)
    out, argmax = pool_kernels.max_pool_forward(x, pool_height, pool_width, stride)
    assert argmax.dtype == np.uint8 and out.dtype == dtype
    np.testing.assert_array_equal(argmax, argmax_by_window(x, pool_height, pool_width, stride))
    np.testing.assert_array_equal(out, max_pool_forward_naive(x, param(pool_height, pool_width,
                                                                         stride))[0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_signed_zeros_tie(dtype, kernel_backend):
    # -0.0 == +0.0: a tie, so the first of them keeps the gradient, as np.argmax says; the
    # value is the last of the tied ones (np.maximum returns its second argument on a tie).
    x = np.array([[-0.0, 0.0], [0.0, -0.0]], dtype=dtype)[None, None]
    out, argmax = pool_kernels.max_pool_forward(x, 2, 2, 2)
    assert argmax[0, 0, 0, 0] == 0 and out[0, 0, 0, 0] == 0 and np.signbit(out[0, 0, 0, 0])
    dout = np.ones((1, 1, 1, 1), dtype=dtype)
    dx = pool_kernels.max_pool_backward(dout, argmax, x.shape, x.dtype, 2, 2, 2)
    np.testing.assert_array_equal(dx[0, 0], [[1., 0.], [0., 0.]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("size", [2, 3])
def test_nan_windows(dtype, size, kernel_backend):
    # The module docstring's NaN rule: a window holding NaN gives its first NaN (bits kept),
    # and its gradient goes to the window's last element; the other windows are unaffected.
    nan_a = np.array([0x7FC00001], np.uint32).view(np.float32)[0]
    nan_b = np.array([0xFFC00002], np.uint32).view(np.float32)[0]
    x = np.arange(4 * size * size, dtype=dtype).reshape(1, 1, 2 * size, 2 * size)
    x[0, 0, 0, 1] = nan_a                          # window (0, 0): NaN at offset 1, then another
    x[0, 0, size - 1, 0] = nan_b
    x[0, 0, 2 * size - 1, 2 * size - 1] = np.nan  # window (1, 1): NaN at its last offset
    x[0, 0, size, 0] = np.inf                     # window (1, 0): inf, no NaN
    out, argmax = pool_kernels.max_pool_forward(x, size, size, size)
    last = size * size - 1
    np.testing.assert_array_equal(argmax[0, 0], [[last, last], [0, last]])
    assert np.isnan(out[0, 0, 0, 0]) and np.isnan(out[0, 0, 1, 1])
    assert out[0, 0, 1, 0] == np.inf and out[0, 0, 0, 1] == x[0, 0, :size, size:].max()
    if dtype == np.float32:
        assert out.view(np.uint32)[0, 0, 0, 0] == 0x7FC00001
    dout = np.arange(1, 5, dtype=dtype).reshape(1, 1, 2, 2)
    dx = pool_kernels.max_pool_backward(dout, argmax, x.shape, x.dtype, size, size, size)
    assert dx[0, 0, size - 1, size - 1] == 1 and dx[0, 0, size, 0] == 3
    assert dx.sum() == dout.sum()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("full, size", [((3, 2, 31, 31), 2), ((2, 3, 15, 15), 2),
                                        ((2, 2, 7, 9), 2), ((2, 2, 11, 10), 3),
                                        ((2, 2, 8, 8), 2)])
def test_backward_into_the_full_shape(rng, dtype, full, size, kernel_backend):
    # full_shape: the gradient of the crop (what nn.MaxPool2d pools) in the top-left of zeros,
    # equal to uncrop of the crop's gradient; the crop is read in place, not copied.
    x_full = rng.integers(0, 3, size=full).astype(dtype)
    Hc, Wc = full[2] - full[2] % size, full[3] - full[3] % size
    x = x_full[:, :, :Hc, :Wc]
    out, argmax = pool_kernels.max_pool_forward(x, size, size, size)
    ref_out, cache = max_pool_forward_naive(np.ascontiguousarray(x), param(size, size, size))
    np.testing.assert_array_equal(out, ref_out)
    dout = rng.standard_normal(out.shape).astype(dtype)
    dx = pool_kernels.max_pool_backward(dout, argmax, x.shape, dtype, size, size, size,
                                        full_shape=full)
    assert dx.shape == full and dx.dtype == dtype
    expected = np.zeros(full, dtype=dtype)
    expected[:, :, :Hc, :Wc] = max_pool_backward_naive(dout, cache)
    np.testing.assert_array_equal(dx, expected)
    crop_dx = pool_kernels.max_pool_backward(dout, argmax, x.shape, dtype, size, size, size)
    np.testing.assert_array_equal(pool_kernels.uncrop(crop_dx, full), dx)
    layer_dx = max_pool_backward_fast(dout, (x.shape, x.dtype, argmax, param(size, size, size)),
                                      full_shape=full)
    np.testing.assert_array_equal(layer_dx, dx)


def test_backward_fast_checks_full_shape():
    x = np.zeros((2, 3, 4, 4))
    out, cache = max_pool_forward_fast(x, param(2, 2, 2))
    for bad in [(2, 3, 3, 4), (2, 3, 4), (1, 3, 5, 5), (2, 3, 4, 3), (2, 3, 4.5, 4), 5,
                (2, 3, "a", 4)]:
        with pytest.raises(ValueError, match="full_shape must be"):
            max_pool_backward_fast(np.ones(out.shape), cache, full_shape=bad)


def test_large_window_uses_wider_argmax(rng):
    # 17 x 17 = 289 offsets do not fit a uint8.
    assert pool_kernels.argmax_dtype(16, 16) == np.uint8
    assert pool_kernels.argmax_dtype(17, 17) == np.uint16
    x = rng.standard_normal((2, 2, 18, 17))
    x[0, 0, 17, 16] = x[0, 0, 1:, 1:].max() + 1  # the last offset of window (1, 0)
    p = param(17, 17, 1)
    out, cache = max_pool_forward_fast(x, p)
    assert cache[2].dtype == np.uint16 and cache[2][0, 0, 1, 0] == 288
    dout = rng.standard_normal(out.shape)
    assert_close(max_pool_backward_fast(dout, cache),
                 max_pool_backward_naive(dout, max_pool_forward_naive(x, p)[1]), 1e-12, "dx")


def test_cache_holds_no_input():
    # The backward pass reads only argmax: x may be freed or changed after the forward pass.
    x = np.arange(32.).reshape(1, 2, 4, 4)
    out, cache = max_pool_forward_fast(x, param(2, 2, 2))
    assert not any(isinstance(c, np.ndarray) and np.shares_memory(c, x) for c in cache)
    dout = np.arange(1., 9.).reshape(out.shape)
    dx = max_pool_backward_fast(dout, cache)
    x[...] = -x
    np.testing.assert_array_equal(max_pool_backward_fast(dout, cache), dx)


@pytest.mark.parametrize("x_shape, pool_height, pool_width, stride", SHAPES)
def test_backward_routes_to_argmax(rng, x_shape, pool_height, pool_width, stride,
                                   kernel_backend):
    # dx from the kernel equals the naive loop on the same ties, in float64 and float32.
    for dtype in (np.float64, np.float32):
        x = rng.integers(0, 3, size=x_shape).astype(dtype)
        p = param(pool_height, pool_width, stride)
        out, cache = max_pool_forward_fast(x, p)
        dout = rng.standard_normal(out.shape).astype(dtype)
        dx = max_pool_backward_fast(dout, cache)
        assert dx.dtype == dtype and dx.shape == x.shape
        expected = max_pool_backward_naive(dout, max_pool_forward_naive(x, p)[1])
        assert_close(dx, expected, 1e-12 if dtype == np.float64 else 1e-6, "dx")


@settings(deadline=None, max_examples=40)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),
       st.integers(0, 3), st.integers(0, 3), st.booleans(), st.integers(0, 2**32 - 1))
def test_property_argmax_and_gradient(pool_height, pool_width, stride, rows, extra_h, extra_w,
                                      few_values, seed):
    rng = np.random.default_rng(seed)
    H = pool_height + stride * extra_h
    W = pool_width + stride * extra_w
    shape = (2, rows, H, W)
    x = rng.integers(0, 2, size=shape).astype(float) if few_values else rng.standard_normal(shape)
    out, argmax = pool_kernels.max_pool_forward(x, pool_height, pool_width, stride)
    np.testing.assert_array_equal(argmax, argmax_by_window(x, pool_height, pool_width, stride))
    p = param(pool_height, pool_width, stride)
    dout = rng.standard_normal(out.shape)
    assert_close(max_pool_backward_fast(dout, max_pool_forward_fast(x, p)[1]),
                 max_pool_backward_naive(dout, max_pool_forward_naive(x, p)[1]), 1e-12, "dx")


def test_max_pool_backward_refuses_a_full_shape_smaller_than_x(rng):
    """full_shape must hold x (the compiled pass writes its planes: smaller would overflow)."""
    kernels = pool_kernels
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    out, argmax = kernels.max_pool_forward(x, 2, 2, 2)
    dout = np.ones_like(out)
    for bad in ((2, 3, 4, 6), (2, 2, 6, 6), (1, 3, 6, 6), (2, 3, 6)):
        with pytest.raises(ValueError, match="full_shape .* must be"):
            kernels.max_pool_backward(dout, argmax, x.shape, np.float32, 2, 2, 2, full_shape=bad)
    dx = kernels.max_pool_backward(dout, argmax, x.shape, np.float32, 2, 2, 2,
                                   full_shape=(2, 3, 7, 8))
    assert dx.shape == (2, 3, 7, 8) and not dx[:, :, 6:].any() and not dx[:, :, :, 6:].any()
