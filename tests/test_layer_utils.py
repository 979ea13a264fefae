import numpy as np
import pytest

from convnp import layer_utils as U
from convnp.layers import (
    affine_forward,
    conv_forward_naive,
    layernorm_forward,
    max_pool_forward_naive,
    spatial_batchnorm_forward,
)
from tests.helpers import assert_close, check_grads

CONV = {"stride": 1, "pad": 1}
POOL = {"pool_height": 2, "pool_width": 2, "stride": 2}


def test_affine_relu(rng):
    x, w, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((12, 10)), rng.standard_normal(10)
    out, _ = U.affine_relu_forward(x, w, b)
    assert_close(out, np.maximum(0, affine_forward(x, w, b)[0]), 1e-15, "out")
    check_grads(U.affine_relu_forward, U.affine_relu_backward, [x, w, b], ["x", "w", "b"], rng)


@pytest.mark.parametrize("kind", ["bn", "ln"])
def test_affine_norm_relu(rng, kind):
    x, w, b = rng.standard_normal((5, 4)), rng.standard_normal((4, 6)), rng.standard_normal(6)
    gamma, beta = rng.standard_normal(6), rng.standard_normal(6)
    if kind == "bn":
        fwd = lambda *a: U.affine_bn_relu_forward(*a, {"mode": "train"})  # noqa: E731
        bwd = U.affine_bn_relu_backward
    else:
        fwd = lambda *a: U.affine_ln_relu_forward(*a, {})  # noqa: E731
        bwd = U.affine_ln_relu_backward
        out, _ = fwd(x, w, b, gamma, beta)
        a = layernorm_forward(affine_forward(x, w, b)[0], gamma, beta, {})[0]
        assert_close(out, np.maximum(0, a), 1e-15, "out")
    # Batch norm subtracts the batch mean, so b cancels: db is 0 and a relative check of it
    # would compare rounding noise; it is checked to be (absolutely) zero instead.
    names = ["x", "w", None if kind == "bn" else "b", "gamma", "beta"]
    check_grads(fwd, bwd, [x, w, b, gamma, beta], names, rng)
    if kind == "bn":
        out, cache = fwd(x, w, b, gamma, beta)
        assert np.abs(bwd(rng.standard_normal(out.shape), cache)[2]).max() < 1e-12


def test_conv_relu(rng):
    x = rng.standard_normal((2, 3, 5, 5))
    w, b = rng.standard_normal((3, 3, 3, 3)), rng.standard_normal(3)
    out, _ = U.conv_relu_forward(x, w, b, CONV)
    assert_close(out, np.maximum(0, conv_forward_naive(x, w, b, CONV)[0]), 1e-12, "out")
    check_grads(lambda x, w, b: U.conv_relu_forward(x, w, b, CONV), U.conv_relu_backward,
                [x, w, b], ["x", "w", "b"], rng)


def test_conv_relu_pool(rng):
    x = rng.standard_normal((2, 3, 8, 8))
    w, b = rng.standard_normal((3, 3, 3, 3)), rng.standard_normal(3)
    out, _ = U.conv_relu_pool_forward(x, w, b, CONV, POOL)
    ref = max_pool_forward_naive(np.maximum(0, conv_forward_naive(x, w, b, CONV)[0]), POOL)[0]
    assert_close(out, ref, 1e-12, "out")
    check_grads(lambda x, w, b: U.conv_relu_pool_forward(x, w, b, CONV, POOL),
                U.conv_relu_pool_backward, [x, w, b], ["x", "w", "b"], rng)


def test_conv_bn_relu(rng):
    x = rng.standard_normal((2, 3, 5, 5))
    w, b = rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    gamma, beta = rng.standard_normal(4), rng.standard_normal(4)
    out, _ = U.conv_bn_relu_forward(x, w, b, gamma, beta, CONV, {"mode": "train"})
    a = conv_forward_naive(x, w, b, CONV)[0]
    ref = np.maximum(0, spatial_batchnorm_forward(a, gamma, beta, {"mode": "train"})[0])
    assert_close(out, ref, 1e-10, "out")
    fwd = lambda *a: U.conv_bn_relu_forward(*a, CONV, {"mode": "train"})  # noqa: E731
    # b cancels in batch norm (db == 0): checked absolutely, not relatively.
    check_grads(fwd, U.conv_bn_relu_backward, [x, w, b, gamma, beta],
                ["x", "w", None, "gamma", "beta"], rng)
    out, cache = fwd(x, w, b, gamma, beta)
    assert np.abs(U.conv_bn_relu_backward(rng.standard_normal(out.shape), cache)[2]).max() < 1e-12


def test_fast_layers_names():
    from convnp import fast_layers, layers
    assert fast_layers.conv_forward_fast is layers.conv_forward_fast
    assert fast_layers.conv_backward_fast is layers.conv_backward_fast
    assert fast_layers.max_pool_forward_fast is layers.max_pool_forward_fast
    assert fast_layers.max_pool_backward_fast is layers.max_pool_backward_fast
    assert fast_layers.conv_forward_strides is layers.conv_forward_fast
    for name in fast_layers.__all__:
        assert callable(getattr(fast_layers, name))
