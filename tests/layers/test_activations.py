import numpy as np
import pytest

from convnp.layers import (
    leaky_relu_backward,
    leaky_relu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)
from tests.helpers import assert_close, check_grads

PAIRS = {
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
    "leaky_relu_0.2": (lambda x: leaky_relu_forward(x, 0.2), leaky_relu_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
}


def test_course_relu_forward_check():
    x = np.linspace(-0.5, 0.5, num=12).reshape(3, 4)
    out, _ = relu_forward(x)
    correct_out = np.array([[0., 0., 0., 0.],
                            [0., 0., 0.04545455, 0.13636364],
                            [0.22727273, 0.31818182, 0.40909091, 0.5]])
    assert_close(out, correct_out, 5e-8, "out")


@pytest.mark.parametrize("name", PAIRS)
@pytest.mark.parametrize("shape", [(10, 10), (1, 3, 5, 2)])
def test_activation_gradients(rng, name, shape):
    forward, backward = PAIRS[name]
    x = rng.standard_normal(shape)
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink of relu / leaky relu
    check_grads(forward, backward, [x], ["x"], rng)


@pytest.mark.parametrize("name", PAIRS)
def test_activation_dtype_and_no_mutation(rng, name):
    forward, backward = PAIRS[name]
    x = rng.standard_normal((3, 4)).astype(np.float32)
    x_before = x.copy()
    out, cache = forward(x)
    dx = backward(np.ones_like(out), cache)
    assert out.dtype == dx.dtype == np.float32
    np.testing.assert_array_equal(x, x_before)
    assert not np.shares_memory(out, x)


def test_reference_values():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_allclose(leaky_relu_forward(x, 0.1)[0], [-0.2, -0.05, 0.0, 0.5, 2.0])
    np.testing.assert_allclose(sigmoid_forward(x)[0], 1 / (1 + np.exp(-x)), rtol=1e-15)
    np.testing.assert_allclose(tanh_forward(x)[0], np.tanh(x), rtol=1e-15)
    # relu's and leaky relu's derivative at exactly 0 is 0 (the negative side), as PyTorch.
    assert relu_backward(np.ones(5), relu_forward(x)[1])[2] == 0
    assert leaky_relu_backward(np.ones(5), leaky_relu_forward(x, 0.1)[1])[2] == 0.1


def test_sigmoid_is_stable_for_large_inputs():
    x = np.array([-1e4, -800.0, 800.0, 1e4])
    out, cache = sigmoid_forward(x)  # RuntimeWarnings are errors in this suite
    np.testing.assert_array_equal(out, [0.0, 0.0, 1.0, 1.0])
    assert np.all(np.isfinite(sigmoid_backward(np.ones(4), cache)))


def test_activation_errors():
    with pytest.raises(TypeError, match=r"relu_forward: x must be a numpy.ndarray; got list"):
        relu_forward([1.0, 2.0])
    with pytest.raises(TypeError, match=r"leaky_relu_forward: negative_slope must be a number"):
        leaky_relu_forward(np.ones(3), "0.1")
    _, cache = tanh_forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"tanh_backward: dout must have .*\(2, 3\); got \(3, 2\)"):
        tanh_backward(np.ones((3, 2)), cache)
