import math

import numpy as np
import pytest

from convnp.nn import init


@pytest.mark.parametrize("shape, layout, expected", [
    ((10, 7), "torch", (7, 10)),                 # Linear weight (out, in)
    ((5, 3, 2, 4), "torch", (24, 40)),           # conv weight (F, C, kh, kw)
    ((6, 1, 3, 3), "torch", (9, 54)),
    ((2, 3, 4), "torch", (12, 8)),               # conv1d
    ((7, 10), "course_affine", (7, 10)),         # the course's affine weight (D, M) = (in, out)
    ((3 * 32 * 32, 100), "course_affine", (3072, 100)),
])
def test_fan_in_and_fan_out(shape, layout, expected):
    assert init.fan_in_and_fan_out(shape, layout) == expected


def test_the_two_layouts_are_transposes():
    assert init.fan_in_and_fan_out((7, 10), "course_affine") == \
        init.fan_in_and_fan_out((10, 7), "torch")


@pytest.mark.parametrize("shape, layout, match", [
    ((5,), "torch", r"fans need a weight with at least 2 dimensions; got shape \(5,\)"),
    ((4, 3, 3, 3), "course_affine",
     r"layout 'course_affine' is the affine weight \(D, M\), 2-D; got shape \(4, 3, 3, 3\)"),
    ((4, 3), "keras", r"layout must be one of \['torch', 'course_affine'\]; got 'keras'"),
    ((4, -3), "torch", r"shape must hold ints >= 0; got \(4, -3\)"),
])
def test_fan_errors(shape, layout, match):
    with pytest.raises(ValueError, match=f"fan_in_and_fan_out: {match}"):
        init.fan_in_and_fan_out(shape, layout)


@pytest.mark.parametrize("nonlinearity, param, expected", [
    ("linear", None, 1.0),
    ("conv2d", None, 1.0),
    ("sigmoid", None, 1.0),
    ("tanh", None, 5 / 3),
    ("relu", None, math.sqrt(2)),
    ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
    ("leaky_relu", 0.2, math.sqrt(2 / 1.04)),
    ("leaky_relu", 0, math.sqrt(2)),
    ("leaky_relu", math.sqrt(5), math.sqrt(1 / 3)),   # torch's Linear/Conv2d default init
    ("selu", None, 0.75),
])
def test_calculate_gain(nonlinearity, param, expected):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(expected, rel=1e-15)


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match=r"calculate_gain: unsupported nonlinearity 'gelu'; "
                                         r"valid ones are \['linear', "):
        init.calculate_gain("gelu")
    with pytest.raises(ValueError, match="negative_slope\\) must be a number; got True"):
        init.calculate_gain("leaky_relu", True)


SHAPE = (128, 64, 3, 3)     # fan_in 576, fan_out 1152; 73728 draws: std known to ~0.3%
AFFINE = (3072, 100)        # the course's first affine weight: fan_in 3072, fan_out 100


def normal_cases():
    fan_in, fan_out = 64 * 9, 128 * 9
    return [
        ("xavier_normal", SHAPE, {}, math.sqrt(2 / (fan_in + fan_out))),
        ("xavier_normal", SHAPE, {"gain": 5 / 3}, 5 / 3 * math.sqrt(2 / (fan_in + fan_out))),
        ("kaiming_normal", SHAPE, {}, math.sqrt(2 / fan_in)),
        ("kaiming_normal", SHAPE, {"mode": "fan_out", "nonlinearity": "relu"},
         math.sqrt(2 / fan_out)),
        ("kaiming_normal", SHAPE, {"a": 0.2}, math.sqrt(2 / 1.04 / fan_in)),
        ("kaiming_normal", SHAPE, {"nonlinearity": "tanh"}, 5 / 3 / math.sqrt(fan_in)),
        ("kaiming_normal", AFFINE, {"layout": "course_affine"}, math.sqrt(2 / 3072)),
        ("kaiming_normal", AFFINE, {"layout": "torch"}, math.sqrt(2 / 100)),
        ("kaiming_normal", AFFINE, {"layout": "course_affine", "mode": "fan_out"},
         math.sqrt(2 / 100)),
    ]


@pytest.mark.parametrize("name, shape, kwargs, std", normal_cases())
def test_normal_statistics(rng, name, shape, kwargs, std):
    w = getattr(init, name)(shape, rng, dtype=np.float64, **kwargs)
    assert w.shape == shape
    assert abs(w.std() / std - 1) < 0.02, f"std {w.std():.5g}, formula {std:.5g}"
    assert abs(w.mean()) < 0.02 * std


def uniform_cases():
    fan_in, fan_out = 64 * 9, 128 * 9
    return [
        ("xavier_uniform", SHAPE, {}, math.sqrt(6 / (fan_in + fan_out))),
        ("xavier_uniform", SHAPE, {"gain": 2.0}, 2 * math.sqrt(6 / (fan_in + fan_out))),
        ("kaiming_uniform", SHAPE, {}, math.sqrt(6 / fan_in)),
        ("kaiming_uniform", SHAPE, {"a": math.sqrt(5)}, 1 / math.sqrt(fan_in)),
        ("kaiming_uniform", SHAPE, {"mode": "fan_out", "nonlinearity": "linear"},
         math.sqrt(3 / fan_out)),
        ("kaiming_uniform", AFFINE, {"layout": "course_affine"}, math.sqrt(6 / 3072)),
        ("xavier_uniform", AFFINE, {"layout": "course_affine"}, math.sqrt(6 / 3172)),
    ]


@pytest.mark.parametrize("name, shape, kwargs, bound", uniform_cases())
def test_uniform_bounds_and_statistics(rng, name, shape, kwargs, bound):
    w = getattr(init, name)(shape, rng, dtype=np.float64, **kwargs)
    assert np.abs(w).max() <= bound
    assert np.abs(w).max() > 0.999 * bound      # 73728 or 307200 draws reach the edges
    assert abs(w.std() / (bound / math.sqrt(3)) - 1) < 0.02


def test_gaussian_is_the_courses_weight_scale_times_randn(rng):
    w = init.gaussian((200, 300), 1e-3, rng, dtype=np.float64)
    assert abs(w.std() / 1e-3 - 1) < 0.02
    seeded = init.gaussian((4, 5), 0.5, np.random.default_rng(3), dtype=np.float64)
    np.testing.assert_array_equal(seeded, 0.5 * np.random.default_rng(3).standard_normal((4, 5)))


ALL = [
    lambda shape, rng, **kw: init.gaussian(shape, 0.1, rng, **kw),
    init.xavier_normal, init.xavier_uniform, init.kaiming_normal, init.kaiming_uniform,
]


@pytest.mark.parametrize("fn", ALL)
def test_rng_determinism_and_dtype(fn):
    a = fn((6, 4, 3, 3), np.random.default_rng(7))
    b = fn((6, 4, 3, 3), np.random.default_rng(7))
    c = fn((6, 4, 3, 3), np.random.default_rng(8))
    d = fn((6, 4, 3, 3), np.random.default_rng(7), dtype=np.float64)
    assert a.dtype == np.float32 and d.dtype == np.float64
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # Drawn in float64 and cast: the float32 weights are the float64 ones rounded.
    np.testing.assert_array_equal(a, d.astype(np.float32))
    # Successive draws from one generator differ.
    g = np.random.default_rng(7)
    assert not np.array_equal(fn((6, 4), g), fn((6, 4), g))


@pytest.mark.parametrize("fn", ALL)
def test_zero_size_shapes_give_empty_arrays(fn):
    w = fn((0, 5), np.random.default_rng(0))
    assert w.shape == (0, 5) and w.dtype == np.float32


def test_zeros():
    b = init.zeros(5)
    assert b.shape == (5,) and b.dtype == np.float32 and not b.any()
    assert init.zeros((2, 3), dtype=np.float64).dtype == np.float64


@pytest.mark.parametrize("call, error, match", [
    (lambda: init.kaiming_normal((3, 4), 0), TypeError,
     "kaiming_normal: rng must be a numpy.random.Generator"),
    (lambda: init.xavier_uniform((3, 4), np.random.RandomState(0)), TypeError,
     "xavier_uniform: rng must be a numpy.random.Generator .* got RandomState"),
    (lambda: init.gaussian((3, 4), 0.1, np.random.default_rng(), dtype=np.int32), TypeError,
     "gaussian: dtype must be a floating-point type .* got int32"),
    (lambda: init.gaussian((3, 4), -0.1, np.random.default_rng()), ValueError,
     r"gaussian: weight_scale must be in \[0, inf\); got -0.1"),
    (lambda: init.kaiming_uniform((3, 4), np.random.default_rng(), mode="fan_avg"), ValueError,
     r"kaiming_uniform: mode must be one of \['fan_in', 'fan_out'\]; got 'fan_avg'"),
    (lambda: init.kaiming_uniform((3, 4), np.random.default_rng(), nonlinearity="swish"),
     ValueError, "unsupported nonlinearity 'swish'"),
    (lambda: init.xavier_normal((3,), np.random.default_rng()), ValueError,
     r"at least 2 dimensions; got shape \(3,\)"),
    (lambda: init.zeros("3"), TypeError, "zeros: shape must be an int or a tuple of ints"),
    (lambda: init.zeros((2.0, 3)), TypeError, r"zeros: shape must be an int or a tuple of ints; "
                                              r"got \(2.0, 3\)"),
    (lambda: init.zeros(True), TypeError, "zeros: shape must be an int or a tuple of ints"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_float16_is_refused_like_the_layers_refuse_it():
    from convnp import nn
    from convnp.nn import init

    with pytest.raises(TypeError, match=r"gaussian: dtype must be a floating-point type .* "
                                        r"got float16"):
        init.gaussian((2, 2), 0.1, np.random.default_rng(0), dtype=np.float16)
    with pytest.raises(TypeError, match=r"Linear: dtype must be .* got float16"):
        nn.Linear(2, 2, dtype=np.float16)


# -- patch_whitening --------------------------------------------------------------------------


def _correlated_images(rng, n=64, C=3, S=10):
    """Images with strongly correlated neighbouring pixels and channels (as photos have)."""
    base = rng.standard_normal((n, 1, S + 1, S + 1))
    smooth = base[:, :, 1:, 1:] + base[:, :, :-1, 1:] + base[:, :, 1:, :-1]
    return smooth + 0.3 * rng.standard_normal((n, C, S, S))


def test_patch_whitening_decorrelates_the_patches(rng):
    from convnp.layers import conv_forward_naive

    X = _correlated_images(rng)
    C, k = 3, 2
    d = C * k * k
    w = np.zeros((2 * d, C, k, k))
    eps = 1e-3
    assert init.patch_whitening(w, X, eps=eps) is w
    out, _ = conv_forward_naive(X, w, np.zeros(2 * d), {"stride": 1, "pad": 0})
    np.testing.assert_array_equal(out[:, d:], -out[:, :d])  # the negated copies
    Z = out[:, :d].transpose(0, 2, 3, 1).reshape(-1, d)
    cov = np.cov(Z, rowvar=False, bias=True)
    # Decorrelated; variance l / (l + eps) in each direction (l: the eigenvalue), largest first.
    patches = np.lib.stride_tricks.sliding_window_view(X, (k, k), axis=(2, 3))
    P = patches.transpose(0, 2, 3, 1, 4, 5).reshape(-1, d)
    values = np.sort(np.linalg.eigvalsh(np.cov(P, rowvar=False, bias=True)))[::-1]
    np.testing.assert_allclose(cov, np.diag(values / (values + eps)), atol=1e-10)
    assert values[0] > 10 * values[-1]  # the test images really were correlated


def test_patch_whitening_float32_and_errors(rng):
    X = _correlated_images(rng, n=8, C=1).astype(np.float32)
    w = np.zeros((8, 1, 2, 2), dtype=np.float32)
    init.patch_whitening(w, X)
    assert w.dtype == np.float32 and np.all(np.isfinite(w)) and np.any(w != 0)
    with pytest.raises(ValueError, match=r"2 \* C \* k \* k = 8 filters"):
        init.patch_whitening(np.zeros((6, 1, 2, 2)), X)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 1, H, W\)"):
        init.patch_whitening(w, X[:, :, :1, :])
    with pytest.raises(ValueError, match="eps"):
        init.patch_whitening(w, X, eps=0)


def test_dirac_copies_channels_through_a_same_padded_conv(rng):
    from convnp import nn
    conv = nn.Conv2d(3, 5, 3, padding=1, rng=rng, dtype=np.float64)
    kept = conv.weight[3:].copy()
    init.dirac(conv.weight[:3])  # a view: the first C filters become identities
    np.testing.assert_array_equal(conv.weight[3:], kept)
    x = rng.standard_normal((2, 3, 6, 6))
    np.testing.assert_allclose(conv(x)[:, :3], x + conv.bias[:3, None, None], atol=1e-12)
    with pytest.raises(ValueError, match=r"dirac: weight must have shape \(F, C, kh, kw\)"):
        init.dirac(np.zeros((3, 3)))
