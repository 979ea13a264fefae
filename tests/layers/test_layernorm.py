import numpy as np
import pytest

from convnp.layers import batchnorm_forward, layernorm_backward, layernorm_forward
from tests.helpers import check_grads


@pytest.mark.parametrize("shape, eps", [((4, 5), 1e-5), ((1, 7), 1e-5), ((3, 2), 0.5),
                                        ((6, 1), 1e-5), ((2, 33), 1e-5)])
def test_layernorm_gradients(rng, shape, eps):
    # D = 1 is degenerate (each row equals its mean: out = beta, dx = 0) but still defined.
    # With D = 2 each xhat is +-sqrt(var / (var + eps)): dx is of the order of eps, so a
    # large eps makes the check measure a real gradient rather than rounding noise.
    N, D = shape
    x = 3 * rng.standard_normal(shape) + 2
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    check_grads(lambda x, g, b: layernorm_forward(x, g, b, {"eps": eps}), layernorm_backward,
                [x, gamma, beta], ["x", "gamma", "beta"], rng)


def test_course_layernorm_gradient_check(rng):
    # The course notebook's case: N, D = 4, 5, x = 5 * randn + 12, from np.random.seed(231).
    legacy = np.random.RandomState(231)
    N, D = 4, 5
    x = 5 * legacy.randn(N, D) + 12
    gamma = legacy.randn(D)
    beta = legacy.randn(D)
    check_grads(lambda x, g, b: layernorm_forward(x, g, b, {}), layernorm_backward,
                [x, gamma, beta], ["x", "gamma", "beta"], rng)


def test_course_layernorm_forward_check():
    # The course's LayerNormalization notebook (printed digits): rows of a = relu(X W1) W2.
    legacy = np.random.RandomState(231)
    N, D1, D2, D3 = 4, 50, 60, 3
    X = legacy.randn(N, D1)
    W1 = legacy.randn(D1, D2)
    W2 = legacy.randn(D2, D3)
    a = np.maximum(0, X.dot(W1)).dot(W2)
    np.testing.assert_allclose(a.mean(axis=1),
                               [-59.06673243, -47.60782686, -43.31137368, -26.40991744],
                               rtol=1e-8)
    out, _ = layernorm_forward(a, np.ones(D3), np.zeros(D3), {})
    np.testing.assert_allclose(out.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=1), [0.99999995, 0.99999999, 1.0, 0.99999969],
                               atol=1e-8)
    out, _ = layernorm_forward(a, 3 * np.ones(D3), 5 * np.ones(D3), {})
    np.testing.assert_allclose(out.mean(axis=1), 5, rtol=1e-12)
    np.testing.assert_allclose(out.std(axis=1), [2.99999985, 2.99999998, 2.99999999, 2.99999907],
                               atol=1e-8)


def test_layernorm_is_batchnorm_of_the_transpose(rng):
    # Normalizing rows is normalizing the columns of x.T; gamma, beta then act per column of x.
    N, D, eps = 5, 8, 1e-3
    x = rng.uniform(0.5, 5, (N, 1)) * rng.standard_normal((N, D)) + rng.standard_normal((N, 1))
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    out, _ = layernorm_forward(x, gamma, beta, {"eps": eps})
    bn_out, _ = batchnorm_forward(x.T, np.ones(N), np.zeros(N), {"mode": "train", "eps": eps})
    np.testing.assert_allclose(out, gamma * bn_out.T + beta, rtol=1e-12, atol=1e-12)
    expected = (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + eps)
    np.testing.assert_allclose(out, gamma * expected + beta, rtol=1e-12, atol=1e-12)


def test_layernorm_ignores_mode_and_leaves_inputs_alone(rng):
    x, gamma, beta = rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal(4)
    x0, gamma0, beta0 = x.copy(), gamma.copy(), beta.copy()
    ln_param = {"mode": "train"}
    train, _ = layernorm_forward(x, gamma, beta, ln_param)
    test, _ = layernorm_forward(x, gamma, beta, {"mode": "test"})
    plain, _ = layernorm_forward(x, gamma, beta, {})
    np.testing.assert_array_equal(train, test)
    np.testing.assert_array_equal(train, plain)
    assert ln_param == {"mode": "train"}
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(gamma, gamma0)
    np.testing.assert_array_equal(beta, beta0)


def test_layernorm_float32(rng):
    x = rng.standard_normal((4, 6)).astype(np.float32)
    gamma, beta = np.ones(6, np.float32), np.zeros(6, np.float32)
    out, cache = layernorm_forward(x, gamma, beta, {})
    assert out.dtype == np.float32
    dx, dgamma, dbeta = layernorm_backward(np.ones_like(out), cache)
    assert dx.dtype == dgamma.dtype == dbeta.dtype == np.float32
    out64, _ = layernorm_forward(x, gamma.astype(np.float64), beta.astype(np.float64), {})
    assert out64.dtype == np.float32


def test_layernorm_errors(rng):
    x, g, b = rng.standard_normal((4, 3)), np.ones(3), np.zeros(3)
    fn = r"layernorm_forward: "
    with pytest.raises(ValueError, match=fn + r"x must be 2-D; got shape \(4, 3, 2\)"):
        layernorm_forward(rng.standard_normal((4, 3, 2)), g, b, {})
    with pytest.raises(ValueError, match=fn + r"gamma must have shape \(3,\) \(one per feature "
                                              r"of x \(N, D\) = \(4, 3\)\); got \(4,\)"):
        layernorm_forward(x, np.ones(4), b, {})
    with pytest.raises(ValueError, match=fn + r"beta must have shape \(3,\).*got \(3, 1\)"):
        layernorm_forward(x, g, np.zeros((3, 1)), {})
    with pytest.raises(ValueError, match=fn + r"ln_param has unknown key\(s\) \['momentum'\]; "
                                              r"valid keys are \['eps', 'mode'\]"):
        layernorm_forward(x, g, b, {"momentum": 0.9})
    with pytest.raises(ValueError, match=fn + r"ln_param\['eps'\] must be in \(0, inf\); "
                                              r"got -1"):
        layernorm_forward(x, g, b, {"eps": -1.0})
    with pytest.raises(TypeError, match=fn + r"ln_param must be a dict; got NoneType"):
        layernorm_forward(x, g, b, None)
    _, cache = layernorm_forward(x, g, b, {})
    with pytest.raises(ValueError, match=r"layernorm_backward: dout must have the forward "
                                         r"output's shape \(4, 3\); got \(4,\)"):
        layernorm_backward(np.ones(4), cache)
