import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnp.kernels import im2col, winograd
from convnp.layers import (
    conv_backward_fast,
    conv_backward_naive,
    conv_forward_fast,
    conv_forward_naive,
)
from tests.helpers import assert_close, check_grads

NAIVE = (conv_forward_naive, conv_backward_naive)
FAST = (conv_forward_fast, conv_backward_fast)
PATHS = {"naive": NAIVE, "fast": FAST}

# (x_shape, w_shape, stride, pad): odd and rectangular inputs and kernels, N = C = F = 1, pad 0
# (a pad:-pad slice would be empty), pad larger than the kernel, a kernel smaller than the
# stride (pixels no window reads), one output position, and 16x16 outputs (the last case, so
# that the fast path picks its per-image 'nchw' layout; with pad 3, 156 of them see only
# padding).
CASES = [
    ((2, 3, 5, 5), (2, 3, 3, 3), 1, 1),
    ((2, 2, 7, 6), (3, 2, 3, 2), 2, 0),
    ((1, 1, 4, 6), (1, 1, 2, 3), 1, 2),
    ((3, 2, 5, 5), (2, 2, 1, 3), 2, 2),
    ((2, 4, 3, 4), (2, 4, 3, 3), 1, 0),
    ((1, 3, 6, 6), (4, 3, 4, 4), 2, 1),
    ((2, 5, 3, 4), (3, 5, 2, 1), 1, 2),
    ((2, 3, 4, 4), (1, 3, 4, 4), 1, 0),
    ((1, 1, 10, 10), (2, 1, 1, 1), 1, 3),
]
CASE_IDS = [f"x{x}-w{w}-s{s}-p{p}" for x, w, s, p in CASES]


def make(rng, x_shape, w_shape, dtype=np.float64):
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    return x, w, b


def test_course_conv_forward_naive_check():
    # The course's ConvolutionalNetworks notebook check, with its published correct_out
    # (torch.nn.functional.conv2d gives the same numbers).
    x_shape, w_shape = (2, 3, 4, 4), (3, 3, 4, 4)
    x = np.linspace(-0.1, 0.5, num=np.prod(x_shape)).reshape(x_shape)
    w = np.linspace(-0.2, 0.3, num=np.prod(w_shape)).reshape(w_shape)
    b = np.linspace(-0.1, 0.2, num=3)
    conv_param = {"stride": 2, "pad": 1}
    correct_out = np.array([[[[-0.08759809, -0.10987781],
                              [-0.18387192, -0.2109216]],
                             [[0.21027089, 0.21661097],
                              [0.22847626, 0.23004637]],
                             [[0.50813986, 0.54309974],
                              [0.64082444, 0.67101435]]],
                            [[[-0.98053589, -1.03143541],
                              [-1.19128892, -1.24695841]],
                             [[0.69108355, 0.66880383],
                              [0.59480972, 0.56776003]],
                             [[2.36270298, 2.36904306],
                              [2.38090835, 2.38247847]]]])
    for forward in (conv_forward_naive, conv_forward_fast):
        out, _ = forward(x, w, b, conv_param)
        assert_close(out, correct_out, 1e-7, forward.__name__)


def test_hand_worked_case():
    # One channel, a 2x2 filter of ones over a 3x3 ramp, pad 0, stride 1: each output is the
    # sum of a 2x2 block, plus the bias.
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.ones((1, 1, 2, 2))
    b = np.array([0.5])
    expected = np.array([[[[0 + 1 + 3 + 4, 1 + 2 + 4 + 5], [3 + 4 + 6 + 7, 4 + 5 + 7 + 8]]]]) + 0.5
    for forward, _ in PATHS.values():
        out, _ = forward(x, w, b, {"stride": 1, "pad": 0})
        np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("x_shape, w_shape, stride, pad", CASES, ids=CASE_IDS)
def test_conv_gradients(rng, path, x_shape, w_shape, stride, pad):
    forward, backward = PATHS[path]
    x, w, b = make(rng, x_shape, w_shape)
    conv_param = {"stride": stride, "pad": pad}
    # out is linear in each of x, w and b, so centred differences have no truncation error at
    # any step: h = 1e-3 only cuts the rounding error of h = 1e-5 (1e-8 relative, near the
    # 1e-7 tolerance for entries close to zero) by a hundred, and a wrong gradient still fails.
    check_grads(lambda x, w, b: forward(x, w, b, conv_param), backward, [x, w, b],
                ["x", "w", "b"], rng, tol=1e-7, h=1e-3)


def test_cases_cover_every_kernel_layout():
    # The fast path picks its im2col layout by shape; the cases above must exercise each.
    picked = set()
    for x_shape, w_shape, stride, pad in CASES:
        H_out = 1 + (x_shape[2] + 2 * pad - w_shape[2]) // stride
        W_out = 1 + (x_shape[3] + 2 * pad - w_shape[3]) // stride
        picked.add(im2col.pick_layout(x_shape[1], w_shape[3], H_out, W_out, stride))
    assert picked == set(im2col.LAYOUTS)


@pytest.mark.parametrize("x_shape, w_shape, stride, pad", CASES, ids=CASE_IDS)
def test_fast_equals_naive(rng, x_shape, w_shape, stride, pad):
    x, w, b = make(rng, x_shape, w_shape)
    conv_param = {"stride": stride, "pad": pad}
    out, cache = conv_forward_naive(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape)
    grads = conv_backward_naive(dout, cache)
    out_fast, cache_fast = conv_forward_fast(x, w, b, conv_param)
    assert_close(out_fast, out, 1e-10, "out")
    for name, g_fast, g in zip(("dx", "dw", "db"), conv_backward_fast(dout, cache_fast), grads):
        assert_close(g_fast, g, 1e-10, name)


# Every case in each kernel layout, forced: the channels-last one is for stride 1 only.
LAYOUT_CASES = [(layout, *case) for layout in im2col.LAYOUTS for case in CASES
                if layout != "nhwc" or case[2] == 1]


@pytest.mark.parametrize("layout, x_shape, w_shape, stride, pad", LAYOUT_CASES)
def test_each_kernel_layout_equals_naive(rng, layout, x_shape, w_shape, stride, pad):
    x, w, b = make(rng, x_shape, w_shape)
    out, cache = conv_forward_naive(x, w, b, {"stride": stride, "pad": pad})
    dout = rng.standard_normal(out.shape)
    grads = conv_backward_naive(dout, cache)
    out_k, cache_k = im2col.conv_forward(x, w, b, stride, pad, layout=layout)
    assert cache_k.layout == layout
    assert_close(out_k, out, 1e-10, "out")
    for name, g_k, g in zip(("dx", "dw", "db"), im2col.conv_backward(dout, cache_k), grads):
        assert_close(g_k, g, 1e-10, name)


def test_fast_takes_non_contiguous_inputs(rng):
    x, w, b = make(rng, (3, 4, 6, 5), (2, 4, 3, 3))
    x_view = np.ascontiguousarray(x.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)[:, ::-1]
    w_view = w[:, ::-1]
    conv_param = {"stride": 1, "pad": 1}
    out, cache = conv_forward_naive(x_view, w_view, b, conv_param)
    out_fast, cache_fast = conv_forward_fast(x_view, w_view, b, conv_param)
    assert_close(out_fast, out, 1e-10, "out")
    dout = rng.standard_normal(out.shape)
    for g_fast, g in zip(conv_backward_fast(dout, cache_fast), conv_backward_naive(dout, cache)):
        assert_close(g_fast, g, 1e-10, "grad")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("C", [1, 8])  # the fast path runs C = 8 channels-last
def test_empty_batch(rng, path, C):
    forward, backward = PATHS[path]
    x, w, b = make(rng, (0, C, 5, 5), (2, C, 3, 3))
    out, cache = forward(x, w, b, {"stride": 1, "pad": 1})
    dx, dw, db = backward(np.zeros_like(out), cache)
    assert out.shape == (0, 2, 5, 5) and dx.shape == x.shape
    np.testing.assert_array_equal(dw, np.zeros_like(w))
    np.testing.assert_array_equal(db, np.zeros_like(b))


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("stride, pad", [(1, 1), (2, 1)])
def test_float32_stays_float32(rng, path, stride, pad):
    forward, backward = PATHS[path]
    x, w, b = make(rng, (2, 3, 7, 7), (4, 3, 3, 3), np.float32)
    out, cache = forward(x, w, b, {"stride": stride, "pad": pad})
    grads = backward(np.ones_like(out), cache)
    assert out.dtype == np.float32
    assert [g.dtype for g in grads] == [np.float32] * 3
    assert [g.shape for g in grads] == [x.shape, w.shape, b.shape]
    # Same numbers as float64, to float32 precision.
    out64, cache64 = forward(x.astype(np.float64), w.astype(np.float64), b.astype(np.float64),
                             {"stride": stride, "pad": pad})
    assert_close(out, out64, 1e-4, "out")
    for g, g64 in zip(grads, backward(np.ones_like(out64), cache64)):
        assert_close(g, g64, 1e-4, "grad")


@pytest.mark.parametrize("path", PATHS)
def test_mixed_dtypes_promote(rng, path):
    forward, backward = PATHS[path]
    x, w, b = make(rng, (2, 3, 5, 5), (2, 3, 3, 3), np.float32)
    out, cache = forward(x, w.astype(np.float64), b, {"stride": 1, "pad": 1})
    assert out.dtype == np.float64
    assert [g.dtype for g in backward(np.ones_like(out), cache)] == [np.float64] * 3


@pytest.mark.parametrize("path", PATHS)
def test_inputs_not_modified(rng, path):
    forward, backward = PATHS[path]
    x, w, b = make(rng, (2, 3, 5, 5), (2, 3, 3, 3), np.float32)
    conv_param = {"stride": 2, "pad": 2}
    saved = [a.copy() for a in (x, w, b)]
    out, cache = forward(x, w, b, conv_param)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    dout_saved = dout.copy()
    backward(dout, cache)
    backward(dout, cache)  # the cache survives a backward pass: a second one is allowed
    for a, a_saved in zip((x, w, b, dout), (*saved, dout_saved)):
        np.testing.assert_array_equal(a, a_saved)
    assert conv_param == {"stride": 2, "pad": 2}


# Hypothesis: shapes are drawn from the output size back, so every draw is valid.
@st.composite
def conv_shapes(draw):
    N, C, F = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    HH, WW = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride, pad = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    H_out, W_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    H = max((H_out - 1) * stride + HH - 2 * pad, 1)
    W = max((W_out - 1) * stride + WW - 2 * pad, 1)
    # When a large pad forced H (W) up to 1, round the span up to a multiple of the stride.
    H += (-(H + 2 * pad - HH)) % stride
    W += (-(W + 2 * pad - WW)) % stride
    return (N, C, H, W), (F, C, HH, WW), stride, pad


@settings(max_examples=40, deadline=None)
@given(shapes=conv_shapes(), seed=st.integers(0, 2**32 - 1))
def test_property_output_size_and_fast_equals_naive(shapes, seed):
    x_shape, w_shape, stride, pad = shapes
    rng = np.random.default_rng(seed)
    x, w, b = make(rng, x_shape, w_shape)
    conv_param = {"stride": stride, "pad": pad}
    N, _, H, W = x_shape
    F, _, HH, WW = w_shape
    out, cache = conv_forward_naive(x, w, b, conv_param)
    assert out.shape == (N, F, 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride)
    out_fast, cache_fast = conv_forward_fast(x, w, b, conv_param)
    assert_close(out_fast, out, 1e-10, "out")
    dout = rng.standard_normal(out.shape)
    for g_fast, g in zip(conv_backward_fast(dout, cache_fast), conv_backward_naive(dout, cache)):
        assert_close(g_fast, g, 1e-10, "grad")


@settings(max_examples=40, deadline=None)
@given(shapes=conv_shapes(), seed=st.integers(0, 2**32 - 1), a=st.floats(-3, 3))
def test_property_linear_in_x_and_in_w(shapes, seed, a):
    x_shape, w_shape, stride, pad = shapes
    rng = np.random.default_rng(seed)
    x1, w1, _ = make(rng, x_shape, w_shape)
    x2, w2, _ = make(rng, x_shape, w_shape)
    zero_b = np.zeros(w_shape[0])
    conv_param = {"stride": stride, "pad": pad}
    for forward in (conv_forward_naive, conv_forward_fast):
        def conv(x, w):
            return forward(x, w, zero_b, conv_param)[0]
        np.testing.assert_allclose(conv(a * x1 + x2, w1), a * conv(x1, w1) + conv(x2, w1),
                                   rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(conv(x1, a * w1 + w2), a * conv(x1, w1) + conv(x1, w2),
                                   rtol=1e-10, atol=1e-10)


# Winograd F(4x4, 3x3), for 3x3 filters at stride 1: (x_shape, F, pad). Outputs of 1 to 13
# rows and columns (less than one 4x4 tile, exact tiles, a partial last tile), rectangular
# images, N = 1, C = 1, F = 1, pad 0 to 2, one pad larger than the image needs.
WINOGRAD_CASES = [
    ((2, 3, 5, 5), 2, 1),
    ((1, 1, 6, 6), 1, 0),
    ((2, 4, 7, 10), 3, 1),
    ((1, 2, 9, 5), 2, 2),
    ((3, 1, 3, 4), 2, 0),
    ((1, 5, 2, 13), 4, 1),
    ((2, 2, 8, 8), 3, 1),
    ((1, 3, 1, 4), 2, 2),
    ((2, 16, 11, 6), 8, 1),
]
WINOGRAD_IDS = [f"x{x}-F{F}-p{p}" for x, F, p in WINOGRAD_CASES]


@pytest.mark.parametrize("x_shape, F, pad", WINOGRAD_CASES, ids=WINOGRAD_IDS)
def test_winograd_equals_naive(rng, x_shape, F, pad):
    x, w, b = make(rng, x_shape, (F, x_shape[1], 3, 3))
    assert winograd.applies(x.shape, w.shape, 1, pad)
    out, cache = conv_forward_naive(x, w, b, {"stride": 1, "pad": pad})
    dout = rng.standard_normal(out.shape)
    grads = conv_backward_naive(dout, cache)
    out_k, cache_k = winograd.conv_forward(x, w, b, pad)
    assert_close(out_k, out, 1e-10, "out")
    for name, g_k, g in zip(("dx", "dw", "db"), winograd.conv_backward(dout, cache_k), grads):
        assert_close(g_k, g, 1e-10, name)


@pytest.mark.parametrize("x_shape, F, pad", WINOGRAD_CASES[:4], ids=WINOGRAD_IDS[:4])
def test_winograd_gradients(rng, x_shape, F, pad):
    x, w, b = make(rng, x_shape, (F, x_shape[1], 3, 3))
    check_grads(lambda x, w, b: winograd.conv_forward(x, w, b, pad), winograd.conv_backward,
                [x, w, b], ["x", "w", "b"], rng, tol=1e-7, h=1e-3)


def test_winograd_matrices():
    # In one dimension, AT ((G g) * (BT d)) is the correlation of 6 inputs d with 3 taps g,
    # giving 4 outputs; the 2-D algorithm is this along each axis.
    rng = np.random.default_rng(0)
    for _ in range(10):
        d, g = rng.standard_normal(6), rng.standard_normal(3)
        expected = [d[k:k + 3] @ g for k in range(4)]
        actual = winograd.AT @ ((winograd.G @ g) * (winograd.BT @ d))
        np.testing.assert_allclose(actual, expected, rtol=1e-13, atol=1e-13)
    # The data-side transforms hold dyadic fractions: exact in float32, no rounding added.
    for m in (winograd.BT, winograd.AT):
        np.testing.assert_array_equal(m.astype(np.float32).astype(np.float64), m)
    assert (winograd.AT[:, winograd.POINT_ONE] == 1).all()  # where the bias enters


def test_winograd_float32_accuracy(rng, kernel_backend):
    # Against the same inputs in float64: Winograd's float32 error, measured relative to the
    # largest entry (entries near zero have no meaningful relative error), is about 2e-6.
    x, w, b = make(rng, (4, 32, 12, 12), (32, 32, 3, 3), np.float32)
    w /= np.sqrt(32 * 9)
    out, cache = winograd.conv_forward(x, w, b, 1)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    grads = winograd.conv_backward(dout, cache)
    assert out.dtype == np.float32 and [g.dtype for g in grads] == [np.float32] * 3
    out64, cache64 = winograd.conv_forward(*(a.astype(np.float64) for a in (x, w, b)), 1)
    grads64 = winograd.conv_backward(dout.astype(np.float64), cache64)
    for name, a, a64 in zip(("out", "dx", "dw", "db"), (out, *grads), (out64, *grads64)):
        err = np.abs(a - a64).max() / np.abs(a64).max()
        assert err < 1e-5, f"{name}: error {err:.2e} of the largest entry"


def test_winograd_empty_batch_and_mixed_dtypes(rng):
    x, w, b = make(rng, (0, 4, 6, 6), (2, 4, 3, 3))
    out, cache = winograd.conv_forward(x, w, b, 1)
    dx, dw, db = winograd.conv_backward(np.zeros_like(out), cache)
    assert out.shape == (0, 2, 6, 6) and dx.shape == x.shape
    np.testing.assert_array_equal(dw, np.zeros_like(w))
    np.testing.assert_array_equal(db, np.zeros_like(b))
    x, w, b = make(rng, (1, 2, 5, 5), (2, 2, 3, 3), np.float32)
    out, cache = winograd.conv_forward(x, w.astype(np.float64), b, 1)
    assert out.dtype == np.float64
    assert [g.dtype for g in winograd.conv_backward(np.ones_like(out), cache)] == [np.float64] * 3


@pytest.mark.parametrize("kernel", ["winograd", "im2col-nchw"])
def test_new_kernels_take_views_and_leave_inputs_alone(rng, kernel):
    # Non-contiguous x and w (a transposed copy, reversed channels), a second backward pass
    # from the same cache, and x, w, b, dout unchanged afterwards.
    x, w, b = make(rng, (3, 4, 6, 5), (2, 4, 3, 3))
    x = np.ascontiguousarray(x.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)[:, ::-1]
    w = w[:, ::-1]
    saved = [a.copy() for a in (x, w, b)]
    if kernel == "winograd":
        forward, backward = (lambda x, w, b: winograd.conv_forward(x, w, b, 1),
                             winograd.conv_backward)
    else:
        forward, backward = (lambda x, w, b: im2col.conv_forward(x, w, b, 1, 1, layout="nchw"),
                             im2col.conv_backward)
    out, cache = conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    dout = rng.standard_normal(out.shape)[..., ::-1]
    dout_saved = dout.copy()
    grads = conv_backward_naive(dout, cache)
    out_k, cache_k = forward(x, w, b)
    assert_close(out_k, out, 1e-10, "out")
    for _ in range(2):
        for name, g_k, g in zip(("dx", "dw", "db"), backward(dout, cache_k), grads):
            assert_close(g_k, g, 1e-10, name)
            assert g_k.flags.c_contiguous, name
    for a, a_saved in zip((x, w, b, dout), (*saved, dout_saved)):
        np.testing.assert_array_equal(a, a_saved)


def test_winograd_applies_and_pick():
    assert winograd.applies((2, 3, 8, 8), (4, 3, 3, 3), 1, 0)
    assert not winograd.applies((2, 3, 8, 8), (4, 3, 3, 3), 2, 1)   # stride 2
    assert not winograd.applies((2, 3, 8, 8), (4, 3, 5, 5), 1, 2)   # 5x5
    assert not winograd.applies((2, 3, 8, 8), (4, 3, 3, 1), 1, 1)   # rectangular kernel
    assert not winograd.applies((2, 3, 1, 8), (4, 3, 3, 3), 1, 1)   # a filter row sees only padding
    # The benchmark's layers (benchmarks/layers.py): the first layer (3 channels) stays im2col.
    assert winograd.pick_algorithm((128, 3, 32, 32), (32, 3, 3, 3), 1, 1) == "im2col"
    assert winograd.pick_algorithm((128, 64, 16, 16), (64, 64, 3, 3), 1, 1) == "winograd"
    assert winograd.pick_algorithm((128, 128, 8, 8), (128, 128, 3, 3), 1, 1) == "winograd"
    assert winograd.pick_algorithm((128, 64, 16, 16), (64, 64, 3, 3), 2, 1) == "im2col"
    # Its three measured limits: channels, image width against channels, rows per product.
    assert winograd.pick_algorithm((128, 8, 16, 16), (8, 8, 3, 3), 1, 1) == "winograd"
    assert winograd.pick_algorithm((128, 8, 16, 16), (4, 8, 3, 3), 1, 1) == "im2col"
    assert winograd.pick_algorithm((128, 8, 17, 17), (8, 8, 3, 3), 1, 1) == "im2col"
    assert winograd.pick_algorithm((16, 8, 16, 16), (8, 8, 3, 3), 1, 1) == "winograd"
    assert winograd.pick_algorithm((15, 8, 16, 16), (8, 8, 3, 3), 1, 1) == "im2col"


def test_fast_path_runs_winograd_where_picked(rng):
    # conv_forward_fast dispatches on pick_algorithm, and its backward follows the cache.
    x, w, b = make(rng, (16, 8, 5, 13), (8, 8, 3, 3))
    assert winograd.pick_algorithm(x.shape, w.shape, 1, 1) == "winograd"
    out, cache = conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})
    dout = rng.standard_normal(out.shape)
    out_fast, cache_fast = conv_forward_fast(x, w, b, {"stride": 1, "pad": 1})
    assert isinstance(cache_fast[-1], winograd.WinogradCache)
    assert_close(out_fast, out, 1e-10, "out")
    for name, g_fast, g in zip(("dx", "dw", "db"), conv_backward_fast(dout, cache_fast),
                               conv_backward_naive(dout, cache)):
        assert_close(g_fast, g, 1e-10, name)


@st.composite
def winograd_shapes(draw):
    # Drawn from the output size back, H = H_out + 2 - 2 pad: outputs of up to 10 rows and
    # columns (whole and partial tiles), at least 1 + pad so that Winograd applies (H >= 1 and
    # H + pad >= 3).
    N, C, F = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    pad = draw(st.integers(0, 2))
    H_out, W_out = draw(st.integers(1 + pad, 10)), draw(st.integers(1 + pad, 10))
    return (N, C, H_out + 2 - 2 * pad, W_out + 2 - 2 * pad), (F, C, 3, 3), pad


def assert_close_to_scale(actual, expected, tol, what):
    """|actual - expected| <= tol * |expected| + 1e-3 * tol * max |expected|, entry by entry.

    assert_close's relative error, except for entries below 1e-3 of the array's largest, which
    must match to 1e-3 * tol of that largest. Random data makes such entries by cancellation:
    out of 3000 random shapes drawn as below, two had a dw entry of 3e-6 or 1e-5 (the largest
    15), whose rounding error of 2e-15 to 4e-15 is 3e-10 of itself. Winograd's float64 error
    is about 1e-15 of the largest entry everywhere (im2col's a few times less); the worst of
    5000 further shapes used 2% of this bound.
    """
    scale = np.abs(expected).max(initial=0.0)
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=1e-3 * tol * scale,
                               err_msg=what)


@settings(max_examples=40, deadline=None)
@given(shapes=winograd_shapes(), seed=st.integers(0, 2**32 - 1))
def test_property_winograd_equals_naive(shapes, seed):
    x_shape, w_shape, pad = shapes
    assert winograd.applies(x_shape, w_shape, 1, pad)
    rng = np.random.default_rng(seed)
    x, w, b = make(rng, x_shape, w_shape)
    out, cache = conv_forward_naive(x, w, b, {"stride": 1, "pad": pad})
    out_k, cache_k = winograd.conv_forward(x, w, b, pad)
    assert_close_to_scale(out_k, out, 1e-10, "out")
    dout = rng.standard_normal(out.shape)
    for name, g_k, g in zip(("dx", "dw", "db"), winograd.conv_backward(dout, cache_k),
                            conv_backward_naive(dout, cache)):
        assert_close_to_scale(g_k, g, 1e-10, name)


# Error messages: both forwards validate alike, naming themselves.
@pytest.fixture(params=["conv_forward_naive", "conv_forward_fast"])
def forward(request):
    return {"conv_forward_naive": conv_forward_naive,
            "conv_forward_fast": conv_forward_fast}[request.param]


def test_error_wrong_rank(rng, forward):
    x, w, b = make(rng, (2, 3, 8, 8), (5, 3, 3, 3))
    fn = forward.__name__
    with pytest.raises(ValueError, match=rf"{fn}: x must be 4-D; got shape \(3, 8, 8\)"):
        forward(x[0], w, b, {"stride": 1, "pad": 1})
    with pytest.raises(ValueError, match=rf"{fn}: w must be 4-D; got shape \(5, 3, 3\)"):
        forward(x, w[:, :, 0], b, {"stride": 1, "pad": 1})
    with pytest.raises(ValueError, match=rf"{fn}: b must be 1-D; got shape \(5, 1\)"):
        forward(x, w, b[:, None], {"stride": 1, "pad": 1})


def test_error_channels(rng, forward):
    x, w, b = make(rng, (2, 3, 8, 8), (5, 4, 3, 3))
    msg = (rf"{forward.__name__}: w has 4 input channels but x has 3 "
           r"\(x \(2, 3, 8, 8\), w \(5, 4, 3, 3\)\)")
    with pytest.raises(ValueError, match=msg):
        forward(x, w, b, {"stride": 1, "pad": 1})


def test_error_output_size_not_whole(rng, forward):
    x, w, b = make(rng, (2, 3, 8, 9), (5, 3, 3, 3))
    msg = (rf"{forward.__name__}: H \+ 2\*pad - HH = 7 is not divisible by stride 2 "
           r"\(H=8, pad=1, HH=3\)")
    with pytest.raises(ValueError, match=msg):
        forward(x, w, b, {"stride": 2, "pad": 1})
    msg = r"W \+ 2\*pad - WW = 8 is not divisible by stride 3 \(W=9, pad=1, WW=3\)"
    with pytest.raises(ValueError, match=msg):
        forward(x[:, :, :7], w, b, {"stride": 3, "pad": 1})


def test_error_window_larger_than_padded_input(rng, forward):
    x, w, b = make(rng, (2, 3, 2, 6), (1, 3, 5, 3))
    msg = (rf"{forward.__name__}: the window does not fit: H \+ 2\*pad - HH = -1 is negative "
           r"\(H=2, pad=1, HH=5\)")
    with pytest.raises(ValueError, match=msg):
        forward(x, w, b, {"stride": 1, "pad": 1})


def test_error_conv_param_values(rng, forward):
    x, w, b = make(rng, (2, 3, 8, 8), (5, 3, 3, 3))
    fn = forward.__name__
    with pytest.raises(ValueError, match=rf"{fn}: conv_param\['pad'\] must be >= 0; got -1"):
        forward(x, w, b, {"stride": 1, "pad": -1})
    with pytest.raises(ValueError, match=rf"{fn}: conv_param\['stride'\] must be >= 1; got 0"):
        forward(x, w, b, {"stride": 0, "pad": 1})
    with pytest.raises(TypeError, match=r"conv_param\['stride'\] must be an int; got 1.5"):
        forward(x, w, b, {"stride": 1.5, "pad": 1})


def test_error_conv_param_keys(rng, forward):
    x, w, b = make(rng, (2, 3, 8, 8), (5, 3, 3, 3))
    fn = forward.__name__
    msg = rf"{fn}: conv_param is missing key\(s\) \['pad'\]; it needs \['stride', 'pad'\]"
    with pytest.raises(ValueError, match=msg):
        forward(x, w, b, {"stride": 1})
    msg = (rf"{fn}: conv_param has unknown key\(s\) \['padding'\]; "
           r"valid keys are \['pad', 'stride'\]")
    with pytest.raises(ValueError, match=msg):
        forward(x, w, b, {"stride": 1, "pad": 1, "padding": 1})
    with pytest.raises(TypeError, match=rf"{fn}: conv_param must be a dict; got tuple"):
        forward(x, w, b, (1, 1))


def test_error_bias_shape(rng, forward):
    x, w, b = make(rng, (2, 3, 8, 8), (5, 3, 3, 3))
    msg = (rf"{forward.__name__}: b must have shape \(5,\), one bias per filter of w; "
           r"got \(4,\) \(w \(5, 3, 3, 3\)\)")
    with pytest.raises(ValueError, match=msg):
        forward(x, w, b[:4], {"stride": 1, "pad": 1})


def test_error_input_types(rng, forward):
    x, w, b = make(rng, (2, 3, 8, 8), (5, 3, 3, 3))
    fn = forward.__name__
    with pytest.raises(TypeError, match=rf"{fn}: x must be a numpy.ndarray; got list"):
        forward(x.tolist(), w, b, {"stride": 1, "pad": 1})
    with pytest.raises(TypeError, match=rf"{fn}: w must be a floating-point array.*int64"):
        forward(x, w.astype(np.int64), b, {"stride": 1, "pad": 1})


@pytest.mark.parametrize("path", PATHS)
def test_error_dout_shape(rng, path):
    forward, backward = PATHS[path]
    x, w, b = make(rng, (2, 3, 8, 8), (5, 3, 3, 3))
    out, cache = forward(x, w, b, {"stride": 1, "pad": 1})
    msg = (rf"{backward.__name__}: dout must have the forward output's shape "
           r"\(2, 5, 8, 8\); got \(2, 5, 8, 7\)")
    with pytest.raises(ValueError, match=msg):
        backward(out[..., :7], cache)
    with pytest.raises(TypeError, match=rf"{backward.__name__}: dout must be a numpy.ndarray"):
        backward(out.tolist(), cache)


def test_nhwc_layout_refuses_stride_above_one(rng):
    from convnp.kernels import im2col

    x, w, b = rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((2, 2, 3, 3)), np.zeros(2)
    with pytest.raises(ValueError, match=r"layout 'nhwc' needs stride 1; got stride 2"):
        im2col.conv_forward(x, w, b, 2, 0, layout="nhwc")
