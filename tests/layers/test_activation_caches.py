"""relu_forward caches its output, not its input: same gradients, one activation less held."""

import numpy as np

from convnp.layers import relu_backward, relu_forward


def test_relu_cache_is_the_output_and_the_input_works_too(rng):
    # Zeros, signed zeros, tiny and large values: out > 0 exactly where x > 0.
    x = np.concatenate([rng.standard_normal(50), [0.0, -0.0, 1e-300, -1e-300, 5e-324, 1e300]])
    out, cache = relu_forward(x)
    assert cache is out
    dout = rng.standard_normal(x.shape)
    dx = relu_backward(dout, cache)
    np.testing.assert_array_equal(dx, dout * (x > 0))
    np.testing.assert_array_equal(relu_backward(dout, x), dx)  # the course's cache, x


def test_relu_forward_keeps_no_reference_to_x(rng):
    x = rng.standard_normal((3, 4)).astype(np.float32)
    out, cache = relu_forward(x)
    assert not np.shares_memory(cache, x)
    dx = relu_backward(np.ones_like(x), cache)
    x[...] = -1  # the caller reuses its buffer: the backward pass is unaffected
    np.testing.assert_array_equal(relu_backward(np.ones_like(x), cache), dx)
    assert dx.dtype == np.float32
