"""PyTorch parity (float64) for batch, spatial batch, layer and group normalization."""

import pytest

from convnp.layers import (
    batchnorm_backward,
    batchnorm_backward_alt,
    batchnorm_forward,
    layernorm_backward,
    layernorm_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
    spatial_groupnorm_backward,
    spatial_groupnorm_forward,
)
from tests.helpers import assert_close
from tests.parity.torch_helpers import backward, np_, t, torch

F = torch.nn.functional
TOL = 1e-9
BACKWARDS = {"graph": batchnorm_backward, "alt": batchnorm_backward_alt}


def _compare(ours, theirs):
    for name, a, b in zip(("out", "dx", "dgamma", "dbeta"), ours, theirs):
        assert_close(a, b, TOL, name)


@pytest.mark.parametrize("backward_fn", BACKWARDS.values(), ids=BACKWARDS.keys())
@pytest.mark.parametrize("shape, eps, momentum", [((16, 5), 1e-5, 0.9), ((3, 1), 1e-3, 0.7),
                                                  ((2, 4), 1e-5, 0.0)])
def test_batchnorm_train(rng, backward_fn, shape, eps, momentum):
    N, D = shape
    x = 3 * rng.standard_normal(shape) + 1
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    mean0, var0 = rng.standard_normal(D), rng.uniform(0.5, 2, D)
    bn_param = {"mode": "train", "eps": eps, "momentum": momentum,
                "running_mean": mean0.copy(), "running_var": var0.copy()}
    out, cache = batchnorm_forward(x, gamma, beta, bn_param)
    dout = rng.standard_normal(shape)
    dx, dgamma, dbeta = backward_fn(dout, cache)

    # PyTorch's momentum is the weight of the new batch: 1 - the course's.
    t_mean, t_var = torch.tensor(mean0), torch.tensor(var0)
    tx, tg, tb = t(x), t(gamma), t(beta)
    tout = F.batch_norm(tx, t_mean, t_var, tg, tb, training=True, momentum=1 - momentum,
                        eps=eps)
    backward(tout, dout)
    _compare((out, dx, dgamma, dbeta), (np_(tout), np_(tx.grad), np_(tg.grad), np_(tb.grad)))

    # The running mean follows the same rule. PyTorch's running variance adds the UNBIASED
    # batch variance, var * N / (N - 1); scaling its batch term by (N - 1) / N gives the course's.
    assert_close(bn_param["running_mean"], t_mean.numpy(), TOL, "running_mean")
    torch_batch_term = t_var.numpy() - momentum * var0
    assert_close(bn_param["running_var"], momentum * var0 + torch_batch_term * (N - 1) / N, TOL,
                 "running_var")


@pytest.mark.parametrize("backward_fn", BACKWARDS.values(), ids=BACKWARDS.keys())
@pytest.mark.parametrize("shape", [(6, 4), (1, 3)])
def test_batchnorm_eval(rng, backward_fn, shape):
    N, D = shape
    x = 3 * rng.standard_normal(shape) + 1
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    mean, var = rng.standard_normal(D), rng.uniform(0.5, 2, D)
    bn_param = {"mode": "test", "running_mean": mean, "running_var": var}
    out, cache = batchnorm_forward(x, gamma, beta, bn_param)
    dout = rng.standard_normal(shape)
    dx, dgamma, dbeta = backward_fn(dout, cache)

    tx, tg, tb = t(x), t(gamma), t(beta)
    tout = F.batch_norm(tx, torch.tensor(mean), torch.tensor(var), tg, tb, training=False,
                        eps=1e-5)
    backward(tout, dout)
    _compare((out, dx, dgamma, dbeta), (np_(tout), np_(tx.grad), np_(tg.grad), np_(tb.grad)))


@pytest.mark.parametrize("mode", ["train", "test"])
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (1, 2, 3, 5), (3, 1, 5, 3)])
def test_spatial_batchnorm(rng, mode, shape):
    C = shape[1]
    x = 2 * rng.standard_normal(shape) + 3
    gamma, beta = rng.standard_normal(C), rng.standard_normal(C)
    mean, var = rng.standard_normal(C), rng.uniform(0.5, 2, C)
    bn_param = {"mode": mode, "running_mean": mean.copy(), "running_var": var.copy()}
    out, cache = spatial_batchnorm_forward(x, gamma, beta, bn_param)
    dout = rng.standard_normal(shape)
    dx, dgamma, dbeta = spatial_batchnorm_backward(dout, cache)

    tx, tg, tb = t(x), t(gamma), t(beta)
    t_mean = torch.tensor(mean)
    tout = F.batch_norm(tx, t_mean, torch.tensor(var), tg, tb, training=mode == "train",
                        momentum=0.1, eps=1e-5)
    backward(tout, dout)
    _compare((out, dx, dgamma, dbeta), (np_(tout), np_(tx.grad), np_(tg.grad), np_(tb.grad)))
    assert_close(bn_param["running_mean"], t_mean.numpy(), TOL, "running_mean")


@pytest.mark.parametrize("shape", [(4, 5), (1, 7), (3, 2), (8, 33)])
def test_layernorm(rng, shape):
    N, D = shape
    x = 3 * rng.standard_normal(shape) + 1
    gamma, beta = rng.standard_normal(D), rng.standard_normal(D)
    out, cache = layernorm_forward(x, gamma, beta, {"eps": 1e-5})
    dout = rng.standard_normal(shape)
    dx, dgamma, dbeta = layernorm_backward(dout, cache)

    tx, tg, tb = t(x), t(gamma), t(beta)
    tout = F.layer_norm(tx, (D,), tg, tb, eps=1e-5)
    backward(tout, dout)
    _compare((out, dx, dgamma, dbeta), (np_(tout), np_(tx.grad), np_(tg.grad), np_(tb.grad)))


@pytest.mark.parametrize("shape, G", [((2, 6, 4, 5), 1), ((2, 6, 4, 5), 2), ((2, 6, 4, 5), 6),
                                      ((1, 4, 3, 5), 2), ((3, 1, 5, 3), 1), ((2, 6, 1, 1), 3)])
def test_groupnorm(rng, shape, G):
    C = shape[1]
    x = 3 * rng.standard_normal(shape) + 1
    gamma, beta = rng.standard_normal((1, C, 1, 1)), rng.standard_normal((1, C, 1, 1))
    out, cache = spatial_groupnorm_forward(x, gamma, beta, G, {"eps": 1e-5})
    dout = rng.standard_normal(shape)
    dx, dgamma, dbeta = spatial_groupnorm_backward(dout, cache)

    # PyTorch keeps the affine weights as (C,); the course as (1, C, 1, 1).
    tx, tg, tb = t(x), t(gamma.reshape(C)), t(beta.reshape(C))
    tout = F.group_norm(tx, G, tg, tb, eps=1e-5)
    backward(tout, dout)
    _compare((out, dx, dgamma, dbeta),
             (np_(tout), np_(tx.grad), np_(tg.grad).reshape(1, C, 1, 1),
              np_(tb.grad).reshape(1, C, 1, 1)))
