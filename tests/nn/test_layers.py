"""convnp.nn leaf modules: numeric gradient checks (float64), shapes, init, repr and errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnp import nn
from convnp.gradient_check import rel_error

F64 = np.float64
TOL = 1e-7


def numeric_grad(f, x, dout, h=1e-4):
    """Numeric gradient of sum(f() * dout) w.r.t. x by the fourth-order centred difference
    (8 (f(x+h) - f(x-h)) - (f(x+2h) - f(x-2h))) / 12h; x is perturbed in place and restored.

    rel_error is elementwise, so a small gradient component must be computed to a small
    absolute error. The two-point difference at h=1e-5 leaves a rounding error of about
    eps * |sum(f * dout)| / h, 1e-10 here, which fails 1e-7 on components near 1e-3; this
    stencil's truncation error is O(h**4), so h=1e-4 cuts the rounding error tenfold.
    """
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        vals = []
        for k in (2, 1, -1, -2):
            x[ix] = old + k * h
            vals.append(np.array(f(), copy=True))
        x[ix] = old
        diff = (8 * (vals[1] - vals[2]) - (vals[0] - vals[3])) / (12 * h)
        grad[ix] = np.sum(diff * dout)
        it.iternext()
    return grad


def grad_errors(module, x, rng, before=None, h=1e-4):
    """rel_error of dx and of every trainable parameter's gradient against numeric gradients.

    ``before`` (optional) runs before every forward pass, e.g. to reseed a dropout generator.
    """
    def run():
        if before is not None:
            before()
        return module(x)

    out = run()
    dout = rng.standard_normal(out.shape)
    dx = module.backward(dout)
    grads = {k: g.copy() for k, g in module.grads.items()}
    errors = {"x": rel_error(dx, numeric_grad(run, x, dout, h))}
    for name, p in module.named_parameters(trainable_only=True):
        errors[name] = rel_error(grads[name], numeric_grad(run, p, dout, h))
    return errors


def assert_grads(module, x, rng, tol=TOL, before=None, h=1e-4):
    errors = grad_errors(module, x, rng, before, h)
    expected = {"x"} | {k for k, _ in module.named_parameters(trainable_only=True)}
    assert set(errors) == expected
    for name, err in errors.items():
        assert err < tol, f"{type(module).__name__} d{name}: relative error {err:.3e} >= {tol:g}"


def seeded(seed=0):
    return np.random.default_rng(seed)


# module factory, input shape, expected output shape
CASES = {
    "linear": (lambda: nn.Linear(5, 4, rng=seeded(), dtype=F64), (3, 5), (3, 4)),
    "linear_leading_dims": (lambda: nn.Linear(5, 4, rng=seeded(), dtype=F64), (2, 3, 5),
                            (2, 3, 4)),
    "linear_n1_no_bias": (lambda: nn.Linear(3, 2, bias=False, rng=seeded(), dtype=F64), (1, 3),
                          (1, 2)),
    "conv_3x3_pad1": (lambda: nn.Conv2d(3, 4, 3, padding=1, rng=seeded(), dtype=F64),
                      (2, 3, 5, 5), (2, 4, 5, 5)),
    "conv_n1_c1_pad0": (lambda: nn.Conv2d(1, 2, 3, rng=seeded(), dtype=F64), (1, 1, 5, 4),
                        (1, 2, 3, 2)),
    # 8 + 2 - 3 = 7 is not divisible by 2: PyTorch's rounded-down size, through the crop path
    "conv_stride2_rounds_down": (lambda: nn.Conv2d(2, 3, 3, stride=2, padding=1, rng=seeded(),
                                                   dtype=F64), (2, 2, 8, 8), (2, 3, 4, 4)),
    "conv_rect_kernel_stride2": (lambda: nn.Conv2d(2, 3, (3, 2), stride=2, rng=seeded(),
                                                   dtype=F64), (2, 2, 7, 6), (2, 3, 3, 3)),
    "conv_1x1_stride2_no_bias": (lambda: nn.Conv2d(3, 2, 1, stride=2, bias=False, rng=seeded(),
                                                   dtype=F64), (2, 3, 5, 5), (2, 2, 3, 3)),
    "maxpool_2": (lambda: nn.MaxPool2d(2), (2, 3, 4, 6), (2, 3, 2, 3)),
    "maxpool_2_odd_rounds_down": (lambda: nn.MaxPool2d(2), (2, 2, 5, 5), (2, 2, 2, 2)),
    "maxpool_3_stride2_overlap": (lambda: nn.MaxPool2d(3, stride=2), (1, 2, 7, 8),
                                  (1, 2, 3, 3)),
    "maxpool_rect": (lambda: nn.MaxPool2d((2, 3), stride=1), (2, 1, 4, 5), (2, 1, 3, 3)),
    "avgpool_2": (lambda: nn.AvgPool2d(2), (2, 3, 4, 6), (2, 3, 2, 3)),
    "avgpool_odd_rounds_down": (lambda: nn.AvgPool2d(2), (1, 2, 5, 7), (1, 2, 2, 3)),
    "avgpool_rect_stride1": (lambda: nn.AvgPool2d((2, 3), stride=1), (2, 1, 4, 5),
                             (2, 1, 3, 3)),
    "global_avg_pool": (lambda: nn.GlobalAvgPool2d(), (2, 3, 4, 5), (2, 3)),
    "batchnorm1d": (lambda: nn.BatchNorm1d(4, dtype=F64), (6, 4), (6, 4)),
    "batchnorm1d_ncl": (lambda: nn.BatchNorm1d(3, dtype=F64), (2, 3, 4), (2, 3, 4)),
    "batchnorm2d": (lambda: nn.BatchNorm2d(3, dtype=F64), (2, 3, 4, 5), (2, 3, 4, 5)),
    "batchnorm2d_n1": (lambda: nn.BatchNorm2d(2, dtype=F64), (1, 2, 3, 3), (1, 2, 3, 3)),
    "layernorm": (lambda: nn.LayerNorm(5, dtype=F64), (3, 5), (3, 5)),
    "layernorm_2d_shape": (lambda: nn.LayerNorm((3, 4), dtype=F64), (2, 2, 3, 4), (2, 2, 3, 4)),
    "groupnorm": (lambda: nn.GroupNorm(2, 6, dtype=F64), (2, 6, 3, 3), (2, 6, 3, 3)),
    "groupnorm_2d_input": (lambda: nn.GroupNorm(2, 6, dtype=F64), (4, 6), (4, 6)),
    "groupnorm_3d_input": (lambda: nn.GroupNorm(1, 4, dtype=F64), (2, 4, 5), (2, 4, 5)),
    "relu": (lambda: nn.ReLU(), (3, 4, 2), (3, 4, 2)),
    "leaky_relu": (lambda: nn.LeakyReLU(0.2), (3, 5), (3, 5)),
    "sigmoid": (lambda: nn.Sigmoid(), (3, 5), (3, 5)),
    "tanh": (lambda: nn.Tanh(), (3, 5), (3, 5)),
    "gelu": (lambda: nn.GELU(), (4, 6), (4, 6)),
    "gelu_tanh": (lambda: nn.GELU(approximate="tanh"), (4, 6), (4, 6)),
    "flatten": (lambda: nn.Flatten(), (2, 3, 4, 5), (2, 60)),
    "flatten_2_to_3": (lambda: nn.Flatten(2, 3), (2, 3, 4, 5), (2, 3, 20)),
}


def _with_random_state(module, rng):
    """Random affine parameters and running statistics, so no gradient is trivially exact."""
    for name, p in module.named_parameters():
        p[...] = rng.standard_normal(p.shape)
    for name, b in module.named_buffers():
        if name.endswith("running_var"):
            b[...] = rng.uniform(0.5, 2, b.shape)
        elif name.endswith("running_mean"):
            b[...] = rng.standard_normal(b.shape)
    return module


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_backward_matches_numeric_gradients(rng, case, training):
    factory, x_shape, out_shape = case
    module = _with_random_state(factory(), rng).train(training)
    x = 2 * rng.standard_normal(x_shape) + 0.5
    assert module(x).shape == out_shape
    assert_grads(module, x, rng)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_float32_in_float32_out(rng, case):
    factory, x_shape, out_shape = case
    module = factory().astype(np.float32)
    x = rng.standard_normal(x_shape).astype(np.float32)
    out = module(x)
    assert out.dtype == np.float32 and out.shape == out_shape
    dx = module.backward(np.ones(out.shape, np.float32))
    assert dx.dtype == np.float32 and dx.shape == x_shape
    assert all(g.dtype == np.float32 for g in module.grads.values())


@settings(max_examples=40, deadline=None)
@given(H=st.integers(1, 9), W=st.integers(1, 9), kh=st.integers(1, 4), kw=st.integers(1, 4),
       stride=st.integers(1, 3), padding=st.integers(0, 2))
def test_conv_output_size_is_pytorchs_floor_formula(H, W, kh, kw, stride, padding):
    H_out = (H + 2 * padding - kh) // stride + 1
    W_out = (W + 2 * padding - kw) // stride + 1
    conv = nn.Conv2d(1, 2, (kh, kw), stride=stride, padding=padding, rng=seeded())
    x = np.ones((1, 1, H, W), np.float32)
    if H_out < 1 or W_out < 1:
        with pytest.raises(ValueError, match="the kernel does not fit"):
            conv(x)
        return
    out = conv(x)
    assert out.shape == (1, 2, H_out, W_out)
    # Linear in x: the gradient is the same whatever x is, and it has x's shape.
    dx = conv.backward(np.ones(out.shape, np.float32))
    assert dx.shape == x.shape
    conv(2 * x)
    np.testing.assert_allclose(conv.backward(np.ones(out.shape, np.float32)), dx, rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(H=st.integers(1, 9), W=st.integers(1, 9), kh=st.integers(1, 4), kw=st.integers(1, 4),
       stride=st.integers(1, 3), kind=st.sampled_from(["max", "avg"]))
def test_pool_output_size_is_pytorchs_floor_formula(H, W, kh, kw, stride, kind):
    pool = (nn.MaxPool2d if kind == "max" else nn.AvgPool2d)((kh, kw), stride=stride)
    x = np.arange(H * W, dtype=np.float64).reshape(1, 1, H, W)
    if H < kh or W < kw:
        with pytest.raises(ValueError, match="the window does not fit"):
            pool(x)
        return
    out = pool(x)
    assert out.shape == (1, 1, (H - kh) // stride + 1, (W - kw) // stride + 1)
    # Each window's gradient (1 per output) reaches the input: max routes it to one element,
    # average spreads it; either way the total is the number of outputs.
    dx = pool.backward(np.ones(out.shape))
    assert dx.shape == x.shape and dx.sum() == pytest.approx(out.size)


def test_dropout_gradients_with_a_fixed_mask(rng):
    drop = nn.Dropout(p=0.7, rng=seeded(3))
    x = rng.standard_normal((5, 6))
    assert_grads(drop, x, rng, before=lambda: setattr(drop, "rng", seeded(3)))


def test_dropout_keeps_units_with_probability_p(rng):
    x = np.ones((200, 500))
    out = nn.Dropout(p=0.8, rng=rng)(x)
    kept = out != 0
    assert abs(kept.mean() - 0.8) < 0.01
    np.testing.assert_array_equal(out[kept], 1 / 0.8)
    # Eval mode is the identity, p=1 keeps everything.
    assert np.array_equal(nn.Dropout(0.3).eval()(x), x)
    assert np.array_equal(nn.Dropout(1.0)(x), x)


def test_dropout_repeats_with_a_seeded_generator():
    x = np.ones((4, 50))
    a = nn.Dropout(0.5, rng=seeded(7))
    b = nn.Dropout(0.5, rng=seeded(7))
    assert np.array_equal(a(x), b(x)) and np.array_equal(a(x), b(x))
    assert not np.array_equal(a(x), a(x))


@pytest.mark.parametrize("factory, fan_in", [
    (lambda rng: nn.Linear(300, 200, rng=rng), 300),
    (lambda rng: nn.Conv2d(8, 64, (3, 5), rng=rng), 8 * 15),
])
def test_pytorch_init_bounds(factory, fan_in):
    module = factory(seeded(1))
    bound = 1 / math.sqrt(fan_in)
    w, b = module.weight, module.bias
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.99 * bound
    assert w.std() == pytest.approx(bound / math.sqrt(3), rel=0.03)
    assert w.dtype == np.float32 and b.dtype == np.float32
    again = factory(seeded(1))
    assert np.array_equal(again.weight, w) and np.array_equal(again.bias, b)
    module.reset_parameters(seeded(1))
    assert np.array_equal(module.weight, again.weight)


def test_norm_init_and_buffers():
    bn = nn.BatchNorm2d(3)
    sd = bn.state_dict()
    assert list(sd) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    np.testing.assert_array_equal(sd["weight"], 1)
    np.testing.assert_array_equal(sd["bias"], 0)
    np.testing.assert_array_equal(sd["running_mean"], 0)
    np.testing.assert_array_equal(sd["running_var"], 1)
    assert sd["num_batches_tracked"].shape == () and sd["num_batches_tracked"].dtype == np.int64
    assert nn.GroupNorm(2, 4).weight.shape == (4,)
    assert nn.LayerNorm((2, 3)).bias.shape == (2, 3)


def test_batchnorm_running_statistics_pytorch_rule(rng):
    x = 3 * rng.standard_normal((4, 2, 3, 3)) + 1
    bn = nn.BatchNorm2d(2, momentum=0.25, dtype=F64)
    bn(x)
    M = 4 * 3 * 3
    mean = x.mean(axis=(0, 2, 3))
    var = x.var(axis=(0, 2, 3)) * M / (M - 1)
    np.testing.assert_allclose(bn.running_mean, 0.75 * 0 + 0.25 * mean, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, 0.75 * 1 + 0.25 * var, rtol=1e-12)
    assert int(bn.num_batches_tracked) == 1
    # Eval mode normalizes with the running statistics and leaves them alone.
    before = bn.state_dict()
    out = bn.eval()(x)
    expected = (x - bn.running_mean[:, None, None]) / np.sqrt(bn.running_var[:, None, None]
                                                              + 1e-5)
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    for k, v in bn.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_batchnorm_momentum_none_is_the_cumulative_average(rng):
    bn = nn.BatchNorm1d(3, momentum=None, dtype=F64)
    batches = [rng.standard_normal((5, 3)) + i for i in range(4)]
    for xb in batches:
        bn(xb)
    np.testing.assert_allclose(bn.running_mean, np.mean([b.mean(0) for b in batches], axis=0),
                               rtol=1e-12)
    np.testing.assert_allclose(bn.running_var,
                               np.mean([b.var(0, ddof=1) for b in batches], axis=0), rtol=1e-12)


def test_gelu_normal_cdf_is_accurate():
    x = np.concatenate([np.linspace(-38, 38, 3041), [0.0, 1e-300, -1e-8, 0.6, -0.7, 5.9, -6.1]])
    ours = nn.normal_cdf(x)
    ref = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x])
    assert rel_error(ours, ref) < 1e-14
    # Relative to the value itself, deep in the lower tail too (Phi(-38) ~ 3e-316 is subnormal;
    # there the rounding of x / sqrt(2) alone moves Phi by ~x**2 * 1e-16).
    normal = ref > 1e-300
    bound = 1e-15 * (4 + x[normal] ** 2) * ref[normal]
    assert np.all(np.abs(ours[normal] - ref[normal]) <= bound)
    assert nn.normal_cdf(np.array([np.inf, -np.inf])).tolist() == [1.0, 0.0]


def test_gelu_values():
    x = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    expected = [v * 0.5 * math.erfc(-v / math.sqrt(2)) for v in x]
    np.testing.assert_allclose(nn.GELU()(x), expected, rtol=1e-14, atol=0)


@pytest.mark.parametrize("module, expected", [
    (nn.Linear(3, 4), "Linear(3, 4)"),
    (nn.Linear(3, 4, bias=False), "Linear(3, 4, bias=False)"),
    (nn.Conv2d(3, 8, 3), "Conv2d(3, 8, kernel_size=(3, 3))"),
    (nn.Conv2d(3, 8, (3, 1), stride=2, padding=(1, 1), bias=False),
     "Conv2d(3, 8, kernel_size=(3, 1), stride=(2, 2), padding=(1, 1), bias=False)"),
    (nn.MaxPool2d(2), "MaxPool2d(kernel_size=2)"),
    (nn.MaxPool2d(3, stride=1), "MaxPool2d(kernel_size=3, stride=1)"),
    (nn.AvgPool2d((2, 3), 1), "AvgPool2d(kernel_size=(2, 3), stride=1)"),
    (nn.GlobalAvgPool2d(), "GlobalAvgPool2d()"),
    (nn.BatchNorm2d(16), "BatchNorm2d(16)"),
    (nn.BatchNorm1d(4, eps=1e-3, momentum=None), "BatchNorm1d(4, eps=0.001, momentum=None)"),
    (nn.LayerNorm(8), "LayerNorm((8,))"),
    (nn.GroupNorm(2, 8, eps=1e-6), "GroupNorm(2, 8, eps=1e-06)"),
    (nn.Dropout(), "Dropout(p=0.5)"),
    (nn.ReLU(), "ReLU()"),
    (nn.LeakyReLU(), "LeakyReLU()"),
    (nn.LeakyReLU(0.2), "LeakyReLU(negative_slope=0.2)"),
    (nn.GELU("tanh"), "GELU(approximate='tanh')"),
    (nn.Flatten(), "Flatten()"),
    (nn.Flatten(0, 2), "Flatten(start_dim=0, end_dim=2)"),
])
def test_repr_shows_non_defaults(module, expected):
    assert repr(module) == expected


@pytest.mark.parametrize("factory, exc, match", [
    (lambda: nn.Linear(0, 3), ValueError, r"Linear: in_features must be >= 1; got 0"),
    (lambda: nn.Linear(3, 2.5), TypeError, r"Linear: out_features must be an int; got 2.5"),
    (lambda: nn.Linear(3, 2, bias=1), TypeError, r"Linear: bias must be a bool; got 1"),
    (lambda: nn.Linear(3, 2, dtype=np.int32), TypeError,
     r"Linear: dtype must be a floating-point type .*; got int32"),
    (lambda: nn.Linear(3, 2, rng=0), TypeError,
     r"Linear: rng must be a numpy.random.Generator .*; got int"),
    (lambda: nn.Conv2d(3, 8, (3, 3, 3)), ValueError,
     r"Conv2d: kernel_size must be an int or a tuple of 2 ints; got \(3, 3, 3\)"),
    (lambda: nn.Conv2d(3, 8, 0), ValueError, r"Conv2d: kernel_size must be >= 1; got 0"),
    (lambda: nn.Conv2d(3, 8, 3, stride=(1, 2)), ValueError,
     r"Conv2d: stride must be one int or a tuple of two equal ints \(the course's conv layer "
     r"has one stride\); got \(1, 2\)"),
    (lambda: nn.Conv2d(3, 8, 3, padding=-1), ValueError, r"Conv2d: padding must be >= 0; got -1"),
    (lambda: nn.MaxPool2d((2, 3)), ValueError,
     r"MaxPool2d: stride defaults to kernel_size, but .* kernel_size is \(2, 3\): pass stride="),
    (lambda: nn.AvgPool2d(2, stride=0), ValueError, r"AvgPool2d: stride must be >= 1; got 0"),
    (lambda: nn.BatchNorm2d(0), ValueError, r"BatchNorm2d: num_features must be >= 1; got 0"),
    (lambda: nn.BatchNorm1d(3, momentum=1.5), ValueError,
     r"BatchNorm1d: momentum must be in \[0, 1\]; got 1.5"),
    (lambda: nn.BatchNorm1d(3, eps=0), ValueError, r"BatchNorm1d: eps must be in \(0, inf\)"),
    (lambda: nn.GroupNorm(3, 8), ValueError,
     r"GroupNorm: num_groups must divide num_channels; got num_groups=3, num_channels=8 "
     r"\(remainder 2\)"),
    (lambda: nn.LayerNorm((4, 0)), ValueError, r"LayerNorm: normalized_shape must be >= 1"),
    (lambda: nn.LayerNorm("4"), TypeError, r"LayerNorm: normalized_shape must be an int or"),
    (lambda: nn.Dropout(0.0), ValueError,
     r"Dropout: p \(the probability of KEEPING a unit\) must be in \(0, 1\]; got 0"),
    (lambda: nn.Dropout(1.2), ValueError, r"must be in \(0, 1\]; got 1.2"),
    (lambda: nn.GELU("erf"), ValueError,
     r"GELU: approximate must be one of \['none', 'tanh'\]; got 'erf'"),
    (lambda: nn.LeakyReLU("0.1"), TypeError, r"LeakyReLU: negative_slope must be a number"),
])
def test_constructor_errors(factory, exc, match):
    with pytest.raises(exc, match=match):
        factory()


@pytest.mark.parametrize("module, x_shape, exc, match", [
    (nn.Linear(5, 3), (4, 6), ValueError,
     r"Linear.forward: x must have shape \(\*, 5\) for in_features=5; got \(4, 6\)"),
    (nn.Conv2d(3, 8, 3), (2, 4, 8, 8), ValueError,
     r"Conv2d.forward: x must have shape \(N, 3, H, W\) for in_channels=3; got \(2, 4, 8, 8\)"),
    (nn.Conv2d(3, 8, 3), (3, 8, 8), ValueError, r"Conv2d.forward: x must be 4-D; got shape"),
    (nn.Conv2d(3, 8, 5, padding=1), (1, 3, 2, 8), ValueError,
     r"Conv2d.forward: the kernel does not fit: H \+ 2\*padding - kernel = -1 is negative "
     r"\(H=2, padding=1, kernel=5; x \(1, 3, 2, 8\)\)"),
    (nn.MaxPool2d(3), (1, 2, 2, 5), ValueError,
     r"MaxPool2d.forward: the window does not fit: H=2 is smaller than the kernel's 3"),
    (nn.GlobalAvgPool2d(), (2, 3), ValueError, r"GlobalAvgPool2d.forward: x must be 4-D"),
    (nn.BatchNorm2d(4), (2, 3, 5, 5), ValueError,
     r"BatchNorm2d.forward: x must have shape \(N, 4, H, W\) for num_features=4; "
     r"got \(2, 3, 5, 5\)"),
    (nn.BatchNorm1d(4), (2, 3), ValueError,
     r"BatchNorm1d.forward: x must have shape \(N, 4\) for num_features=4; got \(2, 3\)"),
    (nn.BatchNorm1d(4), (2, 4, 2, 2), ValueError, r"BatchNorm1d.forward: x must be 2-D or 3-D"),
    (nn.BatchNorm1d(4), (1, 4), ValueError,
     r"BatchNorm1d.forward: train mode needs more than one value per channel .*"
     r"got x \(1, 4\)"),
    (nn.LayerNorm((3, 4)), (2, 4, 3), ValueError,
     r"LayerNorm.forward: x must end in normalized_shape \(3, 4\), shape \(\*, 3, 4\); "
     r"got \(2, 4, 3\)"),
    (nn.GroupNorm(2, 4), (2, 6, 3), ValueError,
     r"GroupNorm.forward: x must have shape \(N, 4, \*\) for num_channels=4; got \(2, 6, 3\)"),
    (nn.Flatten(2), (3, 4), ValueError,
     r"Flatten.forward: start_dim=2 and end_dim=-1 must name dimensions of x"),
])
def test_forward_errors_name_module_and_shapes(module, x_shape, exc, match):
    with pytest.raises(exc, match=match):
        module(np.zeros(x_shape, np.float32))


def test_forward_refuses_non_float_input():
    with pytest.raises(TypeError, match=r"ReLU.forward: x must be a floating-point array"):
        nn.ReLU()(np.zeros(3, dtype=np.int64))
    with pytest.raises(TypeError, match=r"Linear.forward: x must be a numpy.ndarray; got list"):
        nn.Linear(2, 2)([[1.0, 2.0]])


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_backward_before_forward_is_a_clear_error(case):
    module = case[0]()
    with pytest.raises(RuntimeError, match=rf"{type(module).__name__}.backward: no forward pass "
                                           r"to differentiate: call forward\(x\)"):
        module.backward(np.zeros(case[2]))


def test_backward_checks_dout_shape():
    lin = nn.Linear(3, 2)
    lin(np.zeros((4, 3), np.float32))
    with pytest.raises(ValueError, match=r"Linear.backward: dout must have the forward output's "
                                         r"shape \(4, 2\); got \(4, 3\)"):
        lin.backward(np.zeros((4, 3), np.float32))
