import numpy as np
import pytest

from convnp.layers import layernorm_forward, spatial_groupnorm_backward, spatial_groupnorm_forward
from tests.helpers import assert_close, check_grads, numeric_grad


def _gn_forward(G, eps=1e-5):
    return lambda x, g, b: spatial_groupnorm_forward(x, g, b, G, {"eps": eps})


@pytest.mark.parametrize("shape, G, eps", [
    ((2, 6, 4, 5), 1, 1e-5), ((2, 6, 4, 5), 2, 1e-5), ((2, 6, 4, 5), 3, 1e-5),
    ((2, 6, 4, 5), 6, 1e-5), ((1, 4, 3, 5), 2, 1e-5), ((3, 1, 5, 3), 1, 1e-5),
    # Two values per group: xhat is +-sqrt(var / (var + eps)) and dx is of the order of eps,
    # so a large eps makes the relative check measure a real gradient.
    ((2, 6, 1, 1), 3, 0.5),
])
def test_groupnorm_gradients(rng, shape, G, eps):
    C = shape[1]
    x = 3 * rng.standard_normal(shape) + 2
    gamma, beta = rng.standard_normal((1, C, 1, 1)), rng.standard_normal((1, C, 1, 1))
    # A group of up to 120 values has entries of dx near zero, where the centred differences'
    # rounding error (about 1e-10 absolute with h = 1e-5) is a large relative error; h = 1e-4
    # cuts the rounding tenfold and its truncation error (h**2) stays far below 1e-7.
    check_grads(_gn_forward(G, eps), spatial_groupnorm_backward, [x, gamma, beta],
                ["x", "gamma", "beta"], rng, h=1e-4)


def test_course_groupnorm_gradient_check():
    # The course notebook's case, from np.random.seed(231), with its dout and its step
    # h = 1e-5. The notebook's dx error is itself near 1e-7 (it prints about 7e-08): the
    # elementwise relative error of a near-zero entry, not a wrong gradient.
    legacy = np.random.RandomState(231)
    N, C, H, W, G = 2, 6, 4, 5, 2
    x = 5 * legacy.randn(N, C, H, W) + 12
    gamma = legacy.randn(1, C, 1, 1)
    beta = legacy.randn(1, C, 1, 1)
    dout = legacy.randn(N, C, H, W)
    gn_param = {}
    _, cache = spatial_groupnorm_forward(x, gamma, beta, G, gn_param)
    grads = spatial_groupnorm_backward(dout, cache)
    for name, arg, grad in zip(("x", "gamma", "beta"), (x, gamma, beta), grads):
        num = numeric_grad(lambda: spatial_groupnorm_forward(x, gamma, beta, G, gn_param)[0],
                           arg, dout)
        assert_close(grad, num, 1e-7, f"d{name}")


def test_course_groupnorm_forward_check():
    # The course's check: per (example, group) mean 0 and std 1 after normalization. It passes
    # {'mode': 'train'} as gn_param, which must be accepted.
    legacy = np.random.RandomState(231)
    N, C, H, W, G = 2, 6, 4, 5, 2
    x = 4 * legacy.randn(N, C, H, W) + 10
    out, _ = spatial_groupnorm_forward(x, np.ones((1, C, 1, 1)), np.zeros((1, C, 1, 1)), G,
                                       {"mode": "train"})
    out_g = out.reshape(N * G, -1)
    np.testing.assert_allclose(out_g.mean(axis=1), 0, atol=1e-12)
    x_var = x.reshape(N * G, -1).var(axis=1)
    np.testing.assert_allclose(out_g.var(axis=1), x_var / (x_var + 1e-5), rtol=1e-12)


@pytest.mark.parametrize("G", [1, 2, 3, 6])
def test_groupnorm_matches_hand_computation(rng, G):
    N, C, H, W, eps = 3, 6, 3, 4, 1e-4
    x = rng.uniform(0.5, 4, (N, C, 1, 1)) * rng.standard_normal((N, C, H, W)) + 5
    gamma, beta = rng.standard_normal((1, C, 1, 1)), rng.standard_normal((1, C, 1, 1))
    out, _ = spatial_groupnorm_forward(x, gamma, beta, G, {"eps": eps})
    expected = np.empty_like(x)
    size = C // G
    for n in range(N):
        for g in range(G):
            block = x[n, g * size:(g + 1) * size]
            expected[n, g * size:(g + 1) * size] = ((block - block.mean())
                                                    / np.sqrt(block.var() + eps))
    np.testing.assert_allclose(out, gamma * expected + beta, rtol=1e-12, atol=1e-12)


def test_groupnorm_one_group_is_layernorm(rng):
    N, C, H, W = 2, 4, 3, 5
    x = rng.standard_normal((N, C, H, W))
    gamma, beta = rng.standard_normal((1, C, 1, 1)), rng.standard_normal((1, C, 1, 1))
    out, _ = spatial_groupnorm_forward(x, gamma, beta, 1, {})
    ln_gamma = np.broadcast_to(gamma, (1, C, H, W)).reshape(-1)
    ln_beta = np.broadcast_to(beta, (1, C, H, W)).reshape(-1)
    ln_out, _ = layernorm_forward(x.reshape(N, -1), ln_gamma, ln_beta, {})
    np.testing.assert_allclose(out, ln_out.reshape(x.shape), rtol=1e-12, atol=1e-12)


def test_groupnorm_leaves_inputs_alone(rng):
    x = rng.standard_normal((2, 4, 3, 3))
    gamma, beta = rng.standard_normal((1, 4, 1, 1)), rng.standard_normal((1, 4, 1, 1))
    copies = [a.copy() for a in (x, gamma, beta)]
    gn_param = {"mode": "test", "eps": 1e-5}
    out, cache = spatial_groupnorm_forward(x, gamma, beta, 2, gn_param)
    spatial_groupnorm_backward(np.ones_like(out), cache)
    for a, a0 in zip((x, gamma, beta), copies):
        np.testing.assert_array_equal(a, a0)
    assert gn_param == {"mode": "test", "eps": 1e-5}


def test_groupnorm_float32(rng):
    x = rng.standard_normal((2, 4, 3, 3)).astype(np.float32)
    gamma, beta = np.ones((1, 4, 1, 1), np.float32), np.zeros((1, 4, 1, 1), np.float32)
    out, cache = spatial_groupnorm_forward(x, gamma, beta, 2, {})
    assert out.dtype == np.float32
    dx, dgamma, dbeta = spatial_groupnorm_backward(np.ones_like(out), cache)
    assert dx.dtype == dgamma.dtype == dbeta.dtype == np.float32
    assert dx.shape == x.shape and dgamma.shape == dbeta.shape == (1, 4, 1, 1)
    out64, _ = spatial_groupnorm_forward(x, gamma.astype(np.float64), beta.astype(np.float64),
                                         2, {})
    assert out64.dtype == np.float32


def test_groupnorm_errors(rng):
    x = rng.standard_normal((2, 6, 4, 5))
    g, b = np.ones((1, 6, 1, 1)), np.zeros((1, 6, 1, 1))
    fn = r"spatial_groupnorm_forward: "
    with pytest.raises(ValueError, match=fn + r"G must divide the number of channels C; "
                                              r"got C=6, G=4 \(C % G = 2; x \(2, 6, 4, 5\)\)"):
        spatial_groupnorm_forward(x, g, b, 4, {})
    with pytest.raises(ValueError, match=fn + r"G must divide .* got C=6, G=12"):
        spatial_groupnorm_forward(x, g, b, 12, {})
    with pytest.raises(ValueError, match=fn + r"G must be >= 1; got 0"):
        spatial_groupnorm_forward(x, g, b, 0, {})
    with pytest.raises(TypeError, match=fn + r"G must be an int; got 2.0"):
        spatial_groupnorm_forward(x, g, b, 2.0, {})
    with pytest.raises(ValueError, match=fn + r"x must be 4-D; got shape \(2, 6\)"):
        spatial_groupnorm_forward(x[:, :, 0, 0], g, b, 2, {})
    with pytest.raises(ValueError, match=fn + r"gamma must have shape \(1, 6, 1, 1\) \(one per "
                                              r"channel of x \(N, C, H, W\) = \(2, 6, 4, 5\)\); "
                                              r"got \(6,\)"):
        spatial_groupnorm_forward(x, np.ones(6), b, 2, {})
    with pytest.raises(ValueError, match=fn + r"beta must have shape \(1, 6, 1, 1\).*"
                                              r"got \(1, 3, 1, 1\)"):
        spatial_groupnorm_forward(x, g, np.zeros((1, 3, 1, 1)), 2, {})
    with pytest.raises(ValueError, match=fn + r"gn_param has unknown key\(s\) \['G'\]; "
                                              r"valid keys are \['eps', 'mode'\]"):
        spatial_groupnorm_forward(x, g, b, 2, {"G": 2})
    _, cache = spatial_groupnorm_forward(x, g, b, 2, {})
    with pytest.raises(ValueError, match=r"spatial_groupnorm_backward: dout must have the "
                                         r"forward output's shape \(2, 6, 4, 5\); got"):
        spatial_groupnorm_backward(np.ones((2, 6, 5, 4)), cache)
