import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnp.layers import (
    batchnorm_backward,
    batchnorm_backward_alt,
    batchnorm_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
)
from tests.helpers import assert_close, check_grads, numeric_grad

BACKWARDS = {"graph": batchnorm_backward, "alt": batchnorm_backward_alt}


def _course_activations(N, D1=50, D2=60, D3=3):
    """The course notebook's data: a = relu(X W1) W2 from np.random.seed(231)."""
    legacy = np.random.RandomState(231)
    X = legacy.randn(N, D1)
    W1 = legacy.randn(D1, D2)
    W2 = legacy.randn(D2, D3)
    return np.maximum(0, X.dot(W1)).dot(W2)


def _running_stats(D, rng):
    return {"running_mean": rng.standard_normal(D), "running_var": rng.uniform(0.5, 2.0, D)}


# Gradients against centred differences, float64.

@pytest.mark.parametrize("backward", BACKWARDS.values(), ids=BACKWARDS.keys())
@pytest.mark.parametrize("shape, eps", [((4, 5), 1e-5), ((3, 1), 1e-5), ((7, 3), 1e-5),
                                        ((2, 6), 0.5), ((2, 1), 0.5)])
def test_batchnorm_train_gradients(rng, backward, shape, eps):
    # With N = 2 each xhat is +-sqrt(var / (var + eps)), nearly independent of x: dx is of the
    # order of eps and a relative check with eps = 1e-5 would measure rounding noise. A large
    # eps makes that path carry a real gradient.
    N, D = shape
    x = 3 * rng.standard_normal(shape) + 2
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    check_grads(lambda x, g, b: batchnorm_forward(x, g, b, {"mode": "train", "eps": eps}),
                backward, [x, gamma, beta], ["x", "gamma", "beta"], rng)


@pytest.mark.parametrize("backward", BACKWARDS.values(), ids=BACKWARDS.keys())
def test_course_batchnorm_gradient_check(backward):
    # The course notebook's case and dout (it prints a dx error of about 1.7e-09).
    legacy = np.random.RandomState(231)
    N, D = 4, 5
    x = 5 * legacy.randn(N, D) + 12
    gamma = legacy.randn(D)
    beta = legacy.randn(D)
    dout = legacy.randn(N, D)
    bn_param = {"mode": "train"}
    _, cache = batchnorm_forward(x, gamma, beta, bn_param)
    dx, dgamma, dbeta = backward(dout, cache)
    for name, arg, grad in (("x", x, dx), ("gamma", gamma, dgamma), ("beta", beta, dbeta)):
        num = numeric_grad(lambda: batchnorm_forward(x, gamma, beta, bn_param)[0], arg, dout)
        assert_close(grad, num, 1e-8, f"d{name}")


@pytest.mark.parametrize("backward", BACKWARDS.values(), ids=BACKWARDS.keys())
@pytest.mark.parametrize("shape", [(4, 5), (1, 3), (3, 1)])
def test_batchnorm_test_mode_gradients(rng, backward, shape):
    # Test mode normalizes with the fixed running statistics: the gradient does not flow
    # through them, so N = 1 is a proper case here.
    N, D = shape
    x = 5 * rng.standard_normal(shape) + 1
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    stats = _running_stats(D, rng)
    check_grads(lambda x, g, b: batchnorm_forward(x, g, b, {"mode": "test", **stats}), backward,
                [x, gamma, beta], ["x", "gamma", "beta"], rng)


@pytest.mark.parametrize("mode", ["train", "test"])
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (1, 2, 3, 5), (3, 1, 5, 3), (3, 4, 1, 1)])
def test_spatial_batchnorm_gradients(rng, mode, shape):
    C = shape[1]
    x = 2 * rng.standard_normal(shape) + 3
    gamma, beta = rng.standard_normal(C), rng.standard_normal(C)
    stats = _running_stats(C, rng) if mode == "test" else {}
    check_grads(lambda x, g, b: spatial_batchnorm_forward(x, g, b, {"mode": mode, **stats}),
                spatial_batchnorm_backward, [x, gamma, beta], ["x", "gamma", "beta"], rng)


# Train mode with N = 1 is test_batchnorm_train_single_example.
@pytest.mark.parametrize("mode, shape", [("train", (100, 500)), ("train", (4, 5)),
                                         ("train", (3, 1)), ("test", (100, 500)),
                                         ("test", (3, 1)), ("test", (1, 7))])
def test_batchnorm_backward_graph_equals_alt(rng, mode, shape):
    N, D = shape
    x = 3 * rng.standard_normal(shape) - 2
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    param = {"mode": mode, **_running_stats(D, rng)}
    _, cache = batchnorm_forward(x, gamma, beta, param)
    dout = rng.standard_normal(shape)
    for a, b, name in zip(batchnorm_backward(dout, cache), batchnorm_backward_alt(dout, cache),
                          ("dx", "dgamma", "dbeta")):
        assert_close(a, b, 1e-10, name)


@settings(deadline=None, max_examples=25)
@given(N=st.integers(2, 6), D=st.integers(1, 5), seed=st.integers(0, 2 ** 32 - 1))
def test_batchnorm_backward_graph_equals_alt_property(N, D, seed):
    g = np.random.default_rng(seed)
    x = g.standard_normal((N, D)) * g.uniform(0.1, 10)
    gamma, beta = g.standard_normal(D), g.standard_normal(D)
    _, cache = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    dout = g.standard_normal((N, D))
    # Measured against each gradient's natural size: an entry that cancels to nearly zero
    # (every entry of dx when N = 2) has no meaningful elementwise relative error.
    xhat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5)
    dx_size = np.abs(gamma / np.sqrt(x.var(axis=0) + 1e-5) * dout).max()
    sizes = (dx_size, N * np.abs(dout * xhat).max(), N * np.abs(dout).max())
    for a, b, size in zip(batchnorm_backward(dout, cache), batchnorm_backward_alt(dout, cache),
                          sizes):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10 * size)


# What the forward pass computes.

def test_course_batchnorm_train_check():
    # The course's BatchNormalization notebook: the activations before, then after with
    # gamma = 1, beta = 0, then with gamma = [1, 2, 3], beta = [11, 12, 13] (printed digits).
    a = _course_activations(200)
    np.testing.assert_allclose(a.mean(axis=0), [-2.3814598, -13.18038246, 1.91780462],
                               rtol=1e-8)
    np.testing.assert_allclose(a.std(axis=0), [27.18502186, 34.21455511, 37.68611762],
                               rtol=1e-8)
    out, _ = batchnorm_forward(a, np.ones(3), np.zeros(3), {"mode": "train"})
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=1e-8)
    out, _ = batchnorm_forward(a, np.array([1.0, 2.0, 3.0]), np.array([11.0, 12.0, 13.0]),
                               {"mode": "train"})
    np.testing.assert_allclose(out.mean(axis=0), [11.0, 12.0, 13.0], rtol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), [0.99999999, 1.99999999, 2.99999999], atol=1e-8)


def test_course_batchnorm_test_time_check():
    # The course's test-time check: 50 train-mode calls, then one test-mode call. Its printed
    # numbers depend on running_var starting at zeros, as the course's skeleton (and convnp)
    # starts it.
    legacy = np.random.RandomState(231)
    N, D1, D2, D3 = 200, 50, 60, 3
    W1 = legacy.randn(D1, D2)
    W2 = legacy.randn(D2, D3)
    bn_param = {"mode": "train"}
    gamma, beta = np.ones(D3), np.zeros(D3)
    for _ in range(50):
        X = legacy.randn(N, D1)
        batchnorm_forward(np.maximum(0, X.dot(W1)).dot(W2), gamma, beta, bn_param)
    bn_param["mode"] = "test"
    X = legacy.randn(N, D1)
    a_norm, _ = batchnorm_forward(np.maximum(0, X.dot(W1)).dot(W2), gamma, beta, bn_param)
    np.testing.assert_allclose(a_norm.mean(axis=0), [-0.03927354, -0.04349152, -0.10452688],
                               atol=1e-8)
    np.testing.assert_allclose(a_norm.std(axis=0), [1.01531428, 1.01238373, 0.97819988],
                               atol=1e-8)


def test_batchnorm_train_output_is_normalized(rng):
    N, D, eps = 50, 4, 1e-5
    x = rng.uniform(0.5, 20, D) * rng.standard_normal((N, D)) + rng.uniform(-50, 50, D)
    gamma, beta = rng.uniform(0.5, 3, D), rng.standard_normal(D)
    out, _ = batchnorm_forward(x, np.ones(D), np.zeros(D), {"mode": "train", "eps": eps})
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    # The biased variance of the output is var / (var + eps), a hair under 1.
    np.testing.assert_allclose(out.var(axis=0), x.var(axis=0) / (x.var(axis=0) + eps),
                               rtol=1e-12)
    scaled, _ = batchnorm_forward(x, gamma, beta, {"mode": "train", "eps": eps})
    np.testing.assert_allclose(scaled, gamma * out + beta, rtol=1e-12, atol=1e-12)
    # Hand computation with the textbook formula.
    expected = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("momentum", [0.9, 0.5, 0.0, 1.0])
def test_batchnorm_running_statistics_follow_course_rule(rng, momentum):
    N, D = 8, 3
    bn_param = {"mode": "train"}
    if momentum != 0.9:
        bn_param["momentum"] = momentum
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    mean, var = np.zeros(D), np.zeros(D)  # the course starts both at zeros
    for _ in range(5):
        x = 3 * rng.standard_normal((N, D)) + rng.standard_normal(D)
        batchnorm_forward(x, gamma, beta, bn_param)
        mean = momentum * mean + (1 - momentum) * x.mean(axis=0)
        var = momentum * var + (1 - momentum) * x.var(axis=0)  # biased: divided by N
    np.testing.assert_allclose(bn_param["running_mean"], mean, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(bn_param["running_var"], var, rtol=1e-13)

    # Test mode normalizes with exactly those statistics and leaves them alone.
    bn_param["mode"] = "test"
    x = rng.standard_normal((N, D))
    out, _ = batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_allclose(out, gamma * (x - mean) / np.sqrt(var + 1e-5) + beta,
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bn_param["running_mean"], mean, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(bn_param["running_var"], var, rtol=1e-13)


def test_batchnorm_creates_and_updates_bn_param_in_place(rng):
    x = rng.standard_normal((6, 4))
    gamma, beta = rng.standard_normal(4), rng.standard_normal(4)
    x0, gamma0, beta0 = x.copy(), gamma.copy(), beta.copy()
    bn_param = {"mode": "test"}
    out, _ = batchnorm_forward(x, gamma, beta, bn_param)
    # Created on first use as zeros, the course's start (PyTorch starts running_var at ones).
    np.testing.assert_array_equal(bn_param["running_mean"], np.zeros(4))
    np.testing.assert_array_equal(bn_param["running_var"], np.zeros(4))
    np.testing.assert_allclose(out, gamma * x / np.sqrt(1e-5) + beta, rtol=1e-13)

    old_mean, old_var = bn_param["running_mean"], bn_param["running_var"]
    bn_param["mode"] = "train"
    batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_allclose(bn_param["running_mean"], 0.1 * x.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(bn_param["running_var"], 0.1 * x.var(axis=0), rtol=1e-13)
    # The dict is updated; the arrays previously stored in it, and the inputs, are not touched.
    np.testing.assert_array_equal(old_mean, np.zeros(4))
    np.testing.assert_array_equal(old_var, np.zeros(4))
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(gamma, gamma0)
    np.testing.assert_array_equal(beta, beta0)
    assert sorted(bn_param) == ["mode", "running_mean", "running_var"]


def test_batchnorm_train_single_example(rng):
    # N = 1: every feature equals its batch mean, so the output is beta and dx is zero.
    x, gamma, beta = rng.standard_normal((1, 5)), rng.standard_normal(5), rng.standard_normal(5)
    out, cache = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    np.testing.assert_array_equal(out, beta[None, :])
    for backward in BACKWARDS.values():
        dx, dgamma, dbeta = backward(np.ones((1, 5)), cache)
        np.testing.assert_allclose(dx, 0, atol=1e-15)
        np.testing.assert_array_equal(dgamma, 0)
        np.testing.assert_array_equal(dbeta, 1)


@pytest.mark.parametrize("mode", ["train", "test"])
def test_spatial_batchnorm_equals_batchnorm_per_channel(rng, mode):
    N, C, H, W = 3, 4, 5, 2
    x = 2 * rng.standard_normal((N, C, H, W)) + 7
    gamma, beta = rng.standard_normal(C), rng.standard_normal(C)
    stats = _running_stats(C, rng)
    p_spatial, p_flat = {"mode": mode, **stats}, {"mode": mode, **stats}
    out, cache = spatial_batchnorm_forward(x, gamma, beta, p_spatial)
    x_flat = np.moveaxis(x, 1, -1).reshape(-1, C)
    out_flat, flat_cache = batchnorm_forward(x_flat, gamma, beta, p_flat)
    np.testing.assert_allclose(np.moveaxis(out, 1, -1).reshape(-1, C), out_flat, rtol=1e-14)
    np.testing.assert_allclose(p_spatial["running_mean"], p_flat["running_mean"], rtol=1e-14)
    np.testing.assert_allclose(p_spatial["running_var"], p_flat["running_var"], rtol=1e-14)
    if mode == "train":
        np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), beta, atol=1e-12)
        np.testing.assert_allclose(out.std(axis=(0, 2, 3)), np.abs(gamma), rtol=1e-5)
    assert out.flags.c_contiguous
    dout = rng.standard_normal(x.shape)
    dx, dgamma, dbeta = spatial_batchnorm_backward(dout, cache)
    dx_flat, dgamma_flat, dbeta_flat = batchnorm_backward(
        np.moveaxis(dout, 1, -1).reshape(-1, C), flat_cache)
    assert_close(np.moveaxis(dx, 1, -1).reshape(-1, C), dx_flat, 1e-10, "dx")
    assert_close(dgamma, dgamma_flat, 1e-10, "dgamma")
    assert_close(dbeta, dbeta_flat, 1e-10, "dbeta")


def test_course_spatial_batchnorm_checks():
    # The course's ConvolutionalNetworks notebook, train mode and then test time.
    legacy = np.random.RandomState(231)
    x = 4 * legacy.randn(2, 3, 4, 5) + 10
    np.testing.assert_allclose(x.mean(axis=(0, 2, 3)), [9.33463814, 8.90909116, 9.11056338],
                               rtol=1e-8)
    out, _ = spatial_batchnorm_forward(x, np.array([3.0, 4.0, 5.0]), np.array([6.0, 7.0, 8.0]),
                                       {"mode": "train"})
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), [6.0, 7.0, 8.0], rtol=1e-12)
    np.testing.assert_allclose(out.std(axis=(0, 2, 3)), [2.99999885, 3.99999804, 4.99999798],
                               atol=1e-8)

    legacy = np.random.RandomState(231)
    N, C, H, W = 10, 4, 11, 12
    bn_param = {"mode": "train"}
    gamma, beta = np.ones(C), np.zeros(C)
    for _ in range(50):
        spatial_batchnorm_forward(2.3 * legacy.randn(N, C, H, W) + 13, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    a_norm, _ = spatial_batchnorm_forward(2.3 * legacy.randn(N, C, H, W) + 13, gamma, beta,
                                          bn_param)
    np.testing.assert_allclose(a_norm.mean(axis=(0, 2, 3)),
                               [-0.08034406, 0.07562881, 0.05716371, 0.04378383], atol=1e-8)
    np.testing.assert_allclose(a_norm.std(axis=(0, 2, 3)),
                               [0.96718744, 1.0299714, 1.02887624, 1.00585577], atol=1e-8)


# dtypes.

@pytest.mark.parametrize("mode", ["train", "test"])
@pytest.mark.parametrize("backward", BACKWARDS.values(), ids=BACKWARDS.keys())
def test_batchnorm_float32(rng, mode, backward):
    x = rng.standard_normal((8, 3)).astype(np.float32)
    gamma, beta = np.ones(3, np.float32), np.zeros(3, np.float32)
    bn_param = {"mode": mode}
    out, cache = batchnorm_forward(x, gamma, beta, bn_param)
    assert out.dtype == np.float32
    assert bn_param["running_mean"].dtype == bn_param["running_var"].dtype == np.float32
    grads = backward(np.ones_like(out), cache)
    assert [g.dtype for g in grads] == [np.float32] * 3
    # float64 parameters do not promote the output: it keeps x's dtype.
    out64, cache = batchnorm_forward(x, gamma.astype(np.float64), beta.astype(np.float64),
                                     bn_param)
    assert out64.dtype == np.float32
    assert backward(np.ones_like(out), cache)[0].dtype == np.float32
    np.testing.assert_allclose(out64, out, rtol=1e-6, atol=1e-6)


def test_spatial_batchnorm_float32(rng):
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    bn_param = {"mode": "train"}
    out, cache = spatial_batchnorm_forward(x, np.ones(3, np.float32), np.zeros(3, np.float32),
                                           bn_param)
    assert out.dtype == bn_param["running_mean"].dtype == np.float32
    dx, dgamma, dbeta = spatial_batchnorm_backward(np.ones_like(out), cache)
    assert dx.dtype == dgamma.dtype == dbeta.dtype == np.float32
    assert dx.shape == x.shape and dgamma.shape == dbeta.shape == (3,)


# Errors.

def test_batchnorm_errors(rng):
    x, g, b = rng.standard_normal((4, 3)), np.ones(3), np.zeros(3)
    fn = r"batchnorm_forward: "
    with pytest.raises(ValueError, match=fn + r"bn_param\['mode'\] must be one of "
                                              r"\['train', 'test'\]; got 'eval'"):
        batchnorm_forward(x, g, b, {"mode": "eval"})
    with pytest.raises(ValueError, match=fn + r"bn_param is missing key\(s\) \['mode'\]"):
        batchnorm_forward(x, g, b, {})
    with pytest.raises(ValueError, match=fn + r"bn_param has unknown key\(s\) \['moment'\]; "
                                              r"valid keys are \['eps', 'mode', 'momentum', "
                                              r"'running_mean', 'running_var'\]"):
        batchnorm_forward(x, g, b, {"mode": "train", "moment": 0.9})
    with pytest.raises(ValueError, match=fn + r"x must be 2-D; got shape \(4, 3, 1\)"):
        batchnorm_forward(x[..., None], g, b, {"mode": "train"})
    with pytest.raises(ValueError, match=fn + r"gamma must have shape \(3,\) \(one per feature "
                                              r"of x \(N, D\) = \(4, 3\)\); got \(4,\)"):
        batchnorm_forward(x, np.ones(4), b, {"mode": "train"})
    with pytest.raises(ValueError, match=fn + r"beta must have shape \(3,\).*got \(1, 3\)"):
        batchnorm_forward(x, g, np.zeros((1, 3)), {"mode": "train"})
    with pytest.raises(ValueError, match=fn + r"bn_param\['running_var'\] must have shape "
                                              r"\(3,\) \(one per feature .*\); got \(4,\)"):
        batchnorm_forward(x, g, b, {"mode": "train", "running_var": np.ones(4)})
    with pytest.raises(TypeError, match=fn + r"bn_param\['running_mean'\] must be a "
                                             r"numpy.ndarray; got list"):
        batchnorm_forward(x, g, b, {"mode": "test", "running_mean": [0.0, 0.0, 0.0]})
    with pytest.raises(ValueError, match=fn + r"bn_param\['eps'\] must be in \(0, inf\); got 0"):
        batchnorm_forward(x, g, b, {"mode": "train", "eps": 0})
    with pytest.raises(ValueError, match=fn + r"bn_param\['momentum'\] must be in \[0, 1\]; "
                                              r"got 1.5"):
        batchnorm_forward(x, g, b, {"mode": "train", "momentum": 1.5})
    with pytest.raises(TypeError, match=fn + r"x must be a floating-point array"):
        batchnorm_forward(np.ones((4, 3), dtype=np.int64), g, b, {"mode": "train"})

    _, cache = batchnorm_forward(x, g, b, {"mode": "train"})
    for backward in BACKWARDS.values():
        with pytest.raises(ValueError, match=backward.__name__ + r": dout must have the forward "
                                             r"output's shape \(4, 3\); got \(3, 4\)"):
            backward(np.ones((3, 4)), cache)


def test_batchnorm_rejected_input_leaves_bn_param_alone():
    bn_param = {"mode": "train", "running_mean": np.zeros(2)}
    with pytest.raises(ValueError, match=r"running_mean'\] must have shape \(3,\)"):
        batchnorm_forward(np.ones((4, 3)), np.ones(3), np.zeros(3), bn_param)
    assert sorted(bn_param) == ["mode", "running_mean"]


def test_spatial_batchnorm_errors(rng):
    x, g, b = rng.standard_normal((2, 3, 4, 5)), np.ones(3), np.zeros(3)
    fn = r"spatial_batchnorm_forward: "
    with pytest.raises(ValueError, match=fn + r"x must be 4-D; got shape \(2, 3, 4\)"):
        spatial_batchnorm_forward(x[..., 0], g, b, {"mode": "train"})
    with pytest.raises(ValueError, match=fn + r"gamma must have shape \(3,\) \(one per channel "
                                              r"of x \(N, C, H, W\) = \(2, 3, 4, 5\)\); "
                                              r"got \(1, 3, 1, 1\)"):
        spatial_batchnorm_forward(x, np.ones((1, 3, 1, 1)), b, {"mode": "train"})
    with pytest.raises(ValueError, match=fn + r"bn_param\['mode'\] must be one of .*got 'Train'"):
        spatial_batchnorm_forward(x, g, b, {"mode": "Train"})
    with pytest.raises(ValueError, match=fn + r"bn_param is missing key\(s\) \['mode'\]"):
        spatial_batchnorm_forward(x, g, b, {"eps": 1e-5})
    with pytest.raises(ValueError, match=fn + r"bn_param has unknown key\(s\) \['p'\]"):
        spatial_batchnorm_forward(x, g, b, {"mode": "train", "p": 0.5})
    with pytest.raises(ValueError, match=fn + r"bn_param\['running_mean'\] must have shape "
                                              r"\(3,\) \(one per channel"):
        spatial_batchnorm_forward(x, g, b, {"mode": "test", "running_mean": np.zeros((1, 3))})
    _, cache = spatial_batchnorm_forward(x, g, b, {"mode": "train"})
    with pytest.raises(ValueError, match=r"spatial_batchnorm_backward: dout must have the "
                                         r"forward output's shape \(2, 3, 4, 5\); got"):
        spatial_batchnorm_backward(np.ones((2, 3, 5, 4)), cache)


def test_empty_batch_in_train_mode_is_refused_and_leaves_bn_param_alone(rng):
    g, b = np.ones(4), np.zeros(4)
    p = {"mode": "train"}
    batchnorm_forward(rng.standard_normal((5, 4)), g, b, p)
    before = {k: v.copy() for k, v in p.items() if k != "mode"}
    with pytest.raises(ValueError, match=r"batchnorm_forward: train mode needs at least one value "
                                         r"per feature.*got x of shape \(0, 4\)"):
        batchnorm_forward(np.zeros((0, 4)), g, b, p)
    with pytest.raises(ValueError, match=r"spatial_batchnorm_forward: train mode needs .*"
                                         r"\(0, 4, 3, 3\)"):
        spatial_batchnorm_forward(np.zeros((0, 4, 3, 3)), g, b, p)
    for k, v in before.items():
        np.testing.assert_array_equal(p[k], v)


def test_float16_is_refused():
    with pytest.raises(TypeError, match=r"batchnorm_forward: x must be a floating-point array "
                                        r"\(float32 or float64\); got dtype float16"):
        batchnorm_forward(np.ones((3, 2), np.float16), np.ones(2), np.zeros(2), {"mode": "train"})
