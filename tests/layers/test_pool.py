import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from convnp.kernels import pool as pool_kernels
from convnp.layers import (
    avg_pool_backward_fast,
    avg_pool_backward_naive,
    avg_pool_forward_fast,
    avg_pool_forward_naive,
    max_pool_backward_fast,
    max_pool_backward_naive,
    max_pool_forward_fast,
    max_pool_forward_naive,
)
from tests.helpers import assert_close, check_grads

# (op, path) -> (forward, backward)
LAYERS = {
    ("max", "naive"): (max_pool_forward_naive, max_pool_backward_naive),
    ("max", "fast"): (max_pool_forward_fast, max_pool_backward_fast),
    ("avg", "naive"): (avg_pool_forward_naive, avg_pool_backward_naive),
    ("avg", "fast"): (avg_pool_forward_fast, avg_pool_backward_fast),
}
OP_PATHS = [pytest.param(op, path, id=f"{op}-{path}") for op, path in LAYERS]

# (x_shape, pool_height, pool_width, stride): every size works out, with H_out, W_out >= 1.
SHAPES = [
    pytest.param((2, 3, 4, 4), 2, 2, 2, id="2x2s2"),
    pytest.param((2, 2, 5, 7), 3, 3, 2, id="3x3s2-overlap"),
    pytest.param((2, 2, 5, 4), 3, 3, 1, id="3x3s1"),
    pytest.param((2, 2, 3, 5), 2, 3, 1, id="2x3s1-rect"),
    pytest.param((2, 2, 7, 5), 3, 1, 2, id="odd-3x1s2"),
    pytest.param((2, 2, 9, 9), 3, 3, 3, id="3x3s3-tiles-odd"),
    pytest.param((2, 2, 7, 7), 2, 2, 5, id="2x2s5-gaps"),
    pytest.param((1, 3, 6, 4), 2, 2, 2, id="N1"),
    pytest.param((3, 1, 5, 5), 3, 3, 1, id="C1"),
    pytest.param((2, 3, 3, 5), 3, 5, 1, id="window-whole-input"),
    pytest.param((1, 1, 1, 1), 1, 1, 1, id="1x1"),
]


def pool_param(pool_height, pool_width, stride):
    return {"pool_height": pool_height, "pool_width": pool_width, "stride": stride}


def distinct_values(rng, shape):
    """Distinct values 1/size apart in random order: no window has a near-tie that a numeric
    step of 1e-5 could flip."""
    size = int(np.prod(shape))
    return (rng.permutation(size) - size / 2).reshape(shape) / size


def out_shape(x_shape, pool_height, pool_width, stride):
    N, C, H, W = x_shape
    return (N, C, 1 + (H - pool_height) // stride, 1 + (W - pool_width) // stride)


@pytest.mark.parametrize("op, path", OP_PATHS)
@pytest.mark.parametrize("x_shape, pool_height, pool_width, stride", SHAPES)
def test_gradients(rng, op, path, x_shape, pool_height, pool_width, stride):
    forward, backward = LAYERS[op, path]
    param = pool_param(pool_height, pool_width, stride)
    x = distinct_values(rng, x_shape)
    check_grads(lambda x: forward(x, param), backward, [x], ["x"], rng, tol=1e-7)


@pytest.mark.parametrize("op", ["max", "avg"])
@pytest.mark.parametrize("x_shape, pool_height, pool_width, stride", SHAPES)
def test_fast_matches_naive(rng, op, x_shape, pool_height, pool_width, stride):
    param = pool_param(pool_height, pool_width, stride)
    x = rng.standard_normal(x_shape)
    out_naive, cache_naive = LAYERS[op, "naive"][0](x, param)
    out_fast, cache_fast = LAYERS[op, "fast"][0](x, param)
    assert out_fast.shape == out_naive.shape == out_shape(x_shape, pool_height, pool_width, stride)
    assert_close(out_fast, out_naive, 1e-10, "out")
    dout = rng.standard_normal(out_naive.shape)
    dx_naive = LAYERS[op, "naive"][1](dout, cache_naive)
    dx_fast = LAYERS[op, "fast"][1](dout, cache_fast)
    assert_close(dx_fast, dx_naive, 1e-10, "dx")


def test_both_fast_paths_are_exercised():
    # SHAPES holds windows that tile the input (reshape path) and ones that do not.
    tiling = [pool_kernels.tiles(p.values[0], *p.values[1:]) for p in SHAPES]
    assert any(tiling) and not all(tiling)


@pytest.mark.parametrize("x_shape, pool_size", [((2, 3, 4, 6), 2), ((1, 2, 9, 6), 3),
                                                 ((2, 1, 5, 5), 5), ((1, 1, 3, 3), 1)])
def test_reshape_windows_are_the_sliding_windows(rng, x_shape, pool_size):
    # The reshape path's windows must be exactly the general path's, in the same order.
    x = rng.standard_normal(x_shape)
    assert pool_kernels.tiles(x.shape, pool_size, pool_size, pool_size)
    sliding = sliding_window_view(x, (pool_size, pool_size), axis=(2, 3))
    sliding = sliding[:, :, ::pool_size, ::pool_size]
    np.testing.assert_array_equal(pool_kernels.windows(x, pool_size, pool_size, pool_size),
                                  sliding)


@pytest.mark.parametrize("op", ["max", "avg"])
@pytest.mark.parametrize("x_shape, pool_height, pool_width, stride", [((2, 3, 6, 8), 2, 2, 2),
                                                                      ((2, 3, 7, 9), 3, 3, 2)])
def test_fast_on_non_contiguous_input(rng, op, x_shape, pool_height, pool_width, stride):
    # A transposed view: the reshape path (2x2/2) reads a copy of it, the general path (3x3/2)
    # strides over it; either way dx must come back right, in x's shape.
    x = rng.standard_normal(x_shape).transpose(0, 1, 3, 2)
    assert not x.flags.c_contiguous
    param = pool_param(pool_height, pool_width, stride)
    out_naive, cache_naive = LAYERS[op, "naive"][0](x, param)
    out_fast, cache_fast = LAYERS[op, "fast"][0](x, param)
    dout = rng.standard_normal(out_naive.shape)
    assert_close(out_fast, out_naive, 1e-10, "out")
    assert_close(LAYERS[op, "fast"][1](dout, cache_fast),
                 LAYERS[op, "naive"][1](dout, cache_naive), 1e-10, "dx")


def test_course_max_pool_forward_check():
    # The course's ConvolutionalNetworks notebook check.
    x_shape = (2, 3, 4, 4)
    x = np.linspace(-0.3, 0.4, num=np.prod(x_shape)).reshape(x_shape)
    param = {"pool_width": 2, "pool_height": 2, "stride": 2}
    correct_out = np.array([[[[-0.26315789, -0.24842105],
                              [-0.20421053, -0.18947368]],
                             [[-0.14526316, -0.13052632],
                              [-0.08631579, -0.07157895]],
                             [[-0.02736842, -0.01263158],
                              [0.03157895, 0.04631579]]],
                            [[[0.09052632, 0.10526316],
                              [0.14947368, 0.16421053]],
                             [[0.20842105, 0.22315789],
                              [0.26736842, 0.28210526]],
                             [[0.32631579, 0.34105263],
                              [0.38526316, 0.4]]]])
    for forward in (max_pool_forward_naive, max_pool_forward_fast):
        out, _ = forward(x, param)
        assert_close(out, correct_out, 1e-7, forward.__name__)


# Tied maxima: the gradient goes to the first maximum of each window in row-major order.

@pytest.mark.parametrize("path", ["naive", "fast"])
def test_max_pool_ties_hand_worked(path):
    forward, backward = LAYERS["max", path]
    x = np.array([[1., 3., 3., 0.],
                  [3., 2., 1., 1.],
                  [0., 0., 5., 5.],
                  [0., 0., 5., 5.]])[None, None]
    dout = np.array([[1., 2.],
                     [3., 4.]])[None, None]
    out, cache = forward(x, pool_param(2, 2, 2))
    np.testing.assert_array_equal(out[0, 0], [[3., 3.], [0., 5.]])
    # [[1, 3], [3, 2]]: first 3 at (0, 1); [[0, 0], [0, 0]] and [[5, 5], [5, 5]]: at (0, 0).
    expected = np.array([[0., 1., 2., 0.],
                         [0., 0., 0., 0.],
                         [3., 0., 4., 0.],
                         [0., 0., 0., 0.]])
    np.testing.assert_array_equal(backward(dout, cache)[0, 0], expected)


@pytest.mark.parametrize("path", ["naive", "fast"])
def test_max_pool_tie_is_row_major_not_column_major(path):
    # [[0, 5], [5, 0]]: row-major order reaches (0, 1) before (1, 0).
    forward, backward = LAYERS["max", path]
    x = np.array([[0., 5.], [5., 0.]])[None, None]
    out, cache = forward(x, pool_param(2, 2, 2))
    np.testing.assert_array_equal(backward(np.full((1, 1, 1, 1), 7.), cache)[0, 0],
                                  [[0., 7.], [0., 0.]])


@pytest.mark.parametrize("path", ["naive", "fast"])
def test_max_pool_ties_in_overlapping_windows(path):
    # 2x2 windows, stride 1, over one 2x4 plane; each window's first maximum:
    # [[1, 4], [0, 4]] -> x[0, 1]; [[4, 4], [4, 0]] -> x[0, 1]; [[4, 1], [0, 0]] -> x[0, 2].
    forward, backward = LAYERS["max", path]
    x = np.array([[1., 4., 4., 1.],
                  [0., 4., 0., 0.]])[None, None]
    out, cache = forward(x, pool_param(2, 2, 1))
    np.testing.assert_array_equal(out[0, 0], [[4., 4., 4.]])
    dx = backward(np.array([[1., 10., 100.]])[None, None], cache)
    np.testing.assert_array_equal(dx[0, 0], [[0., 11., 100., 0.],
                                             [0., 0., 0., 0.]])


@pytest.mark.parametrize("pool_height, pool_width, stride", [(2, 2, 2), (3, 3, 1), (3, 2, 2),
                                                              (2, 2, 3)])
def test_max_pool_constant_input_feeds_first_element(rng, pool_height, pool_width, stride):
    # Three windows along each axis; each passes its dout to its top-left element only.
    x = np.full((2, 3, pool_height + 2 * stride, pool_width + 2 * stride), 0.5)
    param = pool_param(pool_height, pool_width, stride)
    _, cache = max_pool_forward_naive(x, param)
    out, cache_fast = max_pool_forward_fast(x, param)
    dout = rng.standard_normal(out.shape)
    expected = np.zeros_like(x)
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            expected[:, :, i * stride, j * stride] += dout[:, :, i, j]
    np.testing.assert_array_equal(max_pool_backward_naive(dout, cache), expected)
    np.testing.assert_array_equal(max_pool_backward_fast(dout, cache_fast), expected)


@pytest.mark.parametrize("pool_height, pool_width, stride", [(2, 2, 2), (3, 3, 2), (2, 3, 1)])
def test_max_pool_ties_fast_equals_naive(rng, pool_height, pool_width, stride):
    # Few distinct values: most windows hold their maximum more than once.
    x_shape = (3, 4, pool_height + 3 * stride, pool_width + 3 * stride)
    x = rng.integers(0, 3, size=x_shape).astype(np.float64)
    param = pool_param(pool_height, pool_width, stride)
    out, cache = max_pool_forward_naive(x, param)
    out_fast, cache_fast = max_pool_forward_fast(x, param)
    dout = rng.standard_normal(out.shape)
    np.testing.assert_array_equal(out_fast, out)
    # Not bit-equal: overlapping windows add their shares in a different order.
    assert_close(max_pool_backward_fast(dout, cache_fast), max_pool_backward_naive(dout, cache),
                 1e-12, "dx")


@pytest.mark.parametrize("op, path", OP_PATHS)
@pytest.mark.parametrize("x_shape, pool_height, pool_width, stride", [((2, 3, 6, 6), 2, 2, 2),
                                                                      ((2, 3, 7, 7), 3, 3, 2)])
def test_float32_in_float32_out(rng, op, path, x_shape, pool_height, pool_width, stride):
    forward, backward = LAYERS[op, path]
    param = pool_param(pool_height, pool_width, stride)
    x = rng.standard_normal(x_shape).astype(np.float32)
    out, cache = forward(x, param)
    assert out.dtype == np.float32
    dout = rng.standard_normal(out.shape).astype(np.float32)
    dx = backward(dout, cache)
    assert dx.dtype == np.float32 and dx.shape == x.shape
    # A float64 upstream gradient does not promote dx either.
    assert backward(dout.astype(np.float64), cache).dtype == np.float32
    # The same numbers as float64 up to float32 rounding (an absolute bound: the outputs of
    # average pooling can be near zero, where a relative error says little).
    out64, cache64 = forward(x.astype(np.float64), param)
    np.testing.assert_allclose(out, out64, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(dx, backward(dout.astype(np.float64), cache64), rtol=1e-6,
                               atol=1e-6)


# Properties over random valid shapes.

@st.composite
def pool_cases(draw):
    pool_height = draw(st.integers(1, 4))
    pool_width = draw(st.integers(1, 4))
    stride = draw(st.integers(1, 4))
    H_out, W_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    N, C = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    x_shape = (N, C, (H_out - 1) * stride + pool_height, (W_out - 1) * stride + pool_width)
    seed = draw(st.integers(0, 2**32 - 1))
    return x_shape, pool_param(pool_height, pool_width, stride), np.random.default_rng(seed)


@settings(deadline=None, max_examples=40)
@given(pool_cases(), st.booleans())
def test_property_fast_equals_naive(case, few_values):
    x_shape, param, rng = case
    # few_values: small integers, so ties are everywhere.
    x = (rng.integers(-2, 3, size=x_shape).astype(np.float64) if few_values
         else rng.standard_normal(x_shape))
    for op in ("max", "avg"):
        out, cache = LAYERS[op, "naive"][0](x, param)
        out_fast, cache_fast = LAYERS[op, "fast"][0](x, param)
        assert out.shape == out_fast.shape == out_shape(x_shape, param["pool_height"],
                                                        param["pool_width"], param["stride"])
        assert_close(out_fast, out, 1e-10, f"{op} out")
        dout = rng.standard_normal(out.shape)
        assert_close(LAYERS[op, "fast"][1](dout, cache_fast), LAYERS[op, "naive"][1](dout, cache),
                     1e-10, f"{op} dx")


@settings(deadline=None, max_examples=30)
@given(pool_cases(), st.floats(-100, 100))
def test_property_avg_of_constant_is_constant(case, value):
    x_shape, param, _ = case
    x = np.full(x_shape, value)
    for path in ("naive", "fast"):
        out, _ = LAYERS["avg", path][0](x, param)
        np.testing.assert_allclose(out, value, rtol=1e-12, atol=1e-12)


@settings(deadline=None, max_examples=30)
@given(pool_cases())
def test_property_max_at_least_avg(case):
    x_shape, param, rng = case
    x = rng.standard_normal(x_shape)
    for path in ("naive", "fast"):
        max_out, _ = LAYERS["max", path][0](x, param)
        avg_out, _ = LAYERS["avg", path][0](x, param)
        assert np.all(max_out >= avg_out - 1e-12)


# Errors.

FORWARDS = [max_pool_forward_naive, max_pool_forward_fast, avg_pool_forward_naive,
            avg_pool_forward_fast]
BACKWARDS = [(max_pool_forward_naive, max_pool_backward_naive),
             (max_pool_forward_fast, max_pool_backward_fast),
             (avg_pool_forward_naive, avg_pool_backward_naive),
             (avg_pool_forward_fast, avg_pool_backward_fast)]


@pytest.mark.parametrize("forward", FORWARDS, ids=lambda f: f.__name__)
def test_forward_errors(forward):
    name = forward.__name__
    x = np.zeros((2, 3, 5, 5))
    good = pool_param(3, 3, 2)
    with pytest.raises(ValueError, match=rf"^{name}: x must be 4-D; got shape \(3, 5, 5\)$"):
        forward(np.zeros((3, 5, 5)), good)
    with pytest.raises(ValueError, match=rf"^{name}: H - pool_height = 3 is not divisible by "
                                         rf"stride 2 \(H=5, pool_height=2\)$"):
        forward(x, pool_param(2, 3, 2))
    with pytest.raises(ValueError, match=rf"^{name}: W - pool_width = 3 is not divisible by "
                                         rf"stride 2 \(W=5, pool_width=2\)$"):
        forward(x, pool_param(3, 2, 2))
    with pytest.raises(ValueError, match=rf"^{name}: the window does not fit: W - pool_width = -1 "
                                         rf"is negative \(W=5, pool_width=6\)$"):
        forward(x, pool_param(3, 6, 1))
    with pytest.raises(ValueError, match=rf"^{name}: the window does not fit: H - pool_height = "
                                         rf"-2 is negative \(H=5, pool_height=7\)$"):
        forward(x, pool_param(7, 3, 1))
    with pytest.raises(ValueError, match=rf"^{name}: pool_param\['stride'\] must be >= 1; got 0$"):
        forward(x, pool_param(3, 3, 0))
    with pytest.raises(ValueError, match=rf"^{name}: pool_param\['pool_width'\] must be >= 1; "
                                         rf"got -1$"):
        forward(x, pool_param(3, -1, 1))
    with pytest.raises(TypeError, match=rf"^{name}: pool_param\['stride'\] must be an int; "
                                        rf"got 2.0 \(float\)$"):
        forward(x, pool_param(3, 3, 2.0))
    with pytest.raises(ValueError, match=rf"^{name}: pool_param is missing key\(s\) \['stride'\]"):
        forward(x, {"pool_height": 3, "pool_width": 3})
    with pytest.raises(ValueError, match=rf"^{name}: pool_param has unknown key\(s\) \['pad'\]; "
                                         r"valid keys are \['pool_height', 'pool_width', "
                                         r"'stride'\]$"):
        forward(x, {**good, "pad": 0})
    with pytest.raises(TypeError, match=rf"^{name}: x must be a floating-point array"):
        forward(np.zeros((2, 3, 5, 5), dtype=np.int64), good)
    with pytest.raises(TypeError, match=rf"^{name}: x must be a numpy.ndarray; got list$"):
        forward(x.tolist(), good)


@pytest.mark.parametrize("forward, backward", BACKWARDS, ids=lambda f: f.__name__)
def test_backward_dout_shape_error(forward, backward):
    x = np.zeros((2, 3, 4, 4))
    out, cache = forward(x, pool_param(2, 2, 2))
    with pytest.raises(ValueError, match=rf"^{backward.__name__}: dout must have the forward "
                                         r"output's shape \(2, 3, 2, 2\); got \(2, 3, 3, 3\)$"):
        backward(np.zeros((2, 3, 3, 3)), cache)
    with pytest.raises(TypeError, match=rf"^{backward.__name__}: dout must be a numpy.ndarray"):
        backward(out.tolist(), cache)


@pytest.mark.parametrize("op, path", OP_PATHS)
@pytest.mark.parametrize("pool_height, pool_width, stride", [(2, 2, 2), (3, 3, 1)])
def test_inputs_are_not_modified(rng, op, path, pool_height, pool_width, stride):
    forward, backward = LAYERS[op, path]
    x = rng.integers(0, 3, size=(2, 2, 6, 6)).astype(np.float64)  # ties too
    param = pool_param(pool_height, pool_width, stride)
    x_before, param_before = x.copy(), dict(param)
    out, cache = forward(x, param)
    out_before = out.copy()
    dout = rng.standard_normal(out.shape)
    dout_before = dout.copy()
    backward(dout, cache)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(out, out_before)
    np.testing.assert_array_equal(dout, dout_before)
    assert param == param_before


def test_zero_size_batch():
    for op, path in LAYERS:
        forward, backward = LAYERS[op, path]
        out, cache = forward(np.zeros((0, 3, 4, 4)), pool_param(2, 2, 2))
        assert out.shape == (0, 3, 2, 2)
        assert backward(out, cache).shape == (0, 3, 4, 4)
