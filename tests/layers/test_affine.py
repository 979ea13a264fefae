import numpy as np
import pytest

from convnp.layers import affine_backward, affine_forward
from tests.helpers import assert_close, check_grads


def test_course_affine_forward_check():
    # The course's FullyConnectedNets notebook check.
    num_inputs, input_shape, output_dim = 2, (4, 5, 6), 3
    input_size = num_inputs * np.prod(input_shape)
    weight_size = output_dim * np.prod(input_shape)
    x = np.linspace(-0.1, 0.5, num=input_size).reshape(num_inputs, *input_shape)
    w = np.linspace(-0.2, 0.3, num=weight_size).reshape(np.prod(input_shape), output_dim)
    b = np.linspace(-0.3, 0.1, num=output_dim)
    out, _ = affine_forward(x, w, b)
    correct_out = np.array([[1.49834967, 1.70660132, 1.91485297],
                            [3.25553199, 3.5141327, 3.77273342]])
    assert_close(out, correct_out, 1e-7, "out")


@pytest.mark.parametrize("x_shape, M", [((10, 2, 3), 5), ((1, 6), 1), ((3, 1, 1, 4), 2)])
def test_affine_gradients(rng, x_shape, M):
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal((int(np.prod(x_shape[1:])), M))
    b = rng.standard_normal(M)
    check_grads(affine_forward, affine_backward, [x, w, b], ["x", "w", "b"], rng)


def test_affine_shapes_and_dtype(rng):
    x = rng.standard_normal((4, 2, 3)).astype(np.float32)
    w = rng.standard_normal((6, 5)).astype(np.float32)
    b = np.zeros(5, np.float32)
    out, cache = affine_forward(x, w, b)
    assert out.shape == (4, 5) and out.dtype == np.float32
    dx, dw, db = affine_backward(np.ones_like(out), cache)
    assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape
    assert dx.dtype == dw.dtype == db.dtype == np.float32


def test_affine_errors(rng):
    x, w, b = rng.standard_normal((4, 6)), rng.standard_normal((6, 5)), rng.standard_normal(5)
    with pytest.raises(ValueError, match=r"affine_forward: w must have 6 rows.*got w \(7, 5\)"):
        affine_forward(x, rng.standard_normal((7, 5)), b)
    with pytest.raises(ValueError, match=r"affine_forward: b must have shape \(5,\).*got \(4,\)"):
        affine_forward(x, w, rng.standard_normal(4))
    with pytest.raises(ValueError, match=r"x must have at least 2 dimensions; got shape \(6,\)"):
        affine_forward(rng.standard_normal(6), w, b)
    with pytest.raises(TypeError, match=r"affine_forward: x must be a numpy.ndarray; got list"):
        affine_forward([[1.0] * 6], w, b)
    with pytest.raises(TypeError, match=r"x must be a floating-point array.*int64"):
        affine_forward(np.ones((4, 6), dtype=np.int64), w, b)
    _, cache = affine_forward(x, w, b)
    with pytest.raises(ValueError,
                       match=r"affine_backward: dout must have .*\(4, 5\); got \(4, 4\)"):
        affine_backward(np.ones((4, 4)), cache)
