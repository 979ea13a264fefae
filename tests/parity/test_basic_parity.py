"""PyTorch parity (float64) for linear, the activations and the losses."""

import numpy as np
import pytest

from convnp.layers import (
    affine_backward,
    affine_forward,
    leaky_relu_backward,
    leaky_relu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    softmax_loss,
    svm_loss,
    tanh_backward,
    tanh_forward,
)
from tests.helpers import assert_close
from tests.parity.torch_helpers import backward, np_, t, torch

F = torch.nn.functional
TOL = 1e-9


@pytest.mark.parametrize("x_shape, M", [((8, 12), 5), ((3, 2, 3, 2), 4), ((1, 1), 1)])
def test_linear(rng, x_shape, M):
    x = rng.standard_normal(x_shape)
    D = int(np.prod(x_shape[1:]))
    w = rng.standard_normal((D, M))
    b = rng.standard_normal(M)
    out, cache = affine_forward(x, w, b)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = affine_backward(dout, cache)

    # torch.nn.functional.linear takes the weight as (M, D): the transpose of the course's.
    tx, tw, tb = t(x), t(w.T), t(b)
    tout = F.linear(tx.reshape(x_shape[0], D), tw, tb)
    backward(tout, dout)
    assert_close(out, np_(tout), TOL, "out")
    assert_close(dx, np_(tx.grad), TOL, "dx")
    assert_close(dw, np_(tw.grad).T, TOL, "dw")
    assert_close(db, np_(tb.grad), TOL, "db")


ACTIVATIONS = {
    "relu": (relu_forward, relu_backward, F.relu),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward, F.leaky_relu),
    "leaky_relu_0.3": (lambda x: leaky_relu_forward(x, 0.3), leaky_relu_backward,
                       lambda x: F.leaky_relu(x, 0.3)),
    "sigmoid": (sigmoid_forward, sigmoid_backward, torch.sigmoid),
    "tanh": (tanh_forward, tanh_backward, torch.tanh),
}


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation(rng, name):
    forward, back, torch_fn = ACTIVATIONS[name]
    x = 3 * rng.standard_normal((4, 3, 5, 2))
    x[0, 0, 0, :] = 0.0  # the derivative at exactly 0 must agree too
    x[1, 0, 0, 0] = 50.0  # saturated sigmoid / tanh
    out, cache = forward(x)
    dout = rng.standard_normal(out.shape)
    dx = back(dout, cache)
    tx = t(x)
    tout = torch_fn(tx)
    backward(tout, dout)
    assert_close(out, np_(tout), TOL, "out")
    assert_close(dx, np_(tx.grad), TOL, "dx")


@pytest.mark.parametrize("N, C", [(16, 10), (1, 4), (5, 1)])
@pytest.mark.parametrize("scale", [1.0, 1e4])
def test_cross_entropy(rng, N, C, scale):
    x = scale * rng.standard_normal((N, C))
    y = rng.integers(0, C, N)
    loss, dx = softmax_loss(x, y)
    tx = t(x)
    tloss = F.cross_entropy(tx, torch.from_numpy(y))
    tloss.backward()
    assert_close(loss, tloss.item(), TOL, "loss")
    assert_close(dx, np_(tx.grad), TOL, "dx")


@pytest.mark.parametrize("N, C", [(16, 10), (1, 4), (5, 2)])
def test_multi_margin(rng, N, C):
    x = rng.standard_normal((N, C))
    y = rng.integers(0, C, N)
    loss, dx = svm_loss(x, y)
    tx = t(x)
    # PyTorch divides each example's hinge sum by C; the course's SVM loss does not.
    tloss = F.multi_margin_loss(tx, torch.from_numpy(y), margin=1.0) * C
    tloss.backward()
    assert_close(loss, tloss.item(), TOL, "loss")
    assert_close(dx, np_(tx.grad), TOL, "dx")
