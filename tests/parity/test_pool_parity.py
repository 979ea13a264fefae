"""PyTorch parity (float64) for max and average pooling: forward and dx, naive and fast."""

import numpy as np
import pytest

from convnp.layers import (
    avg_pool_backward_fast,
    avg_pool_backward_naive,
    avg_pool_forward_fast,
    avg_pool_forward_naive,
    max_pool_backward_fast,
    max_pool_backward_naive,
    max_pool_forward_fast,
    max_pool_forward_naive,
)
from tests.helpers import assert_close
from tests.parity.torch_helpers import backward, np_, t, torch

F = torch.nn.functional
TOL = 1e-9

LAYERS = {
    ("max", "naive"): (max_pool_forward_naive, max_pool_backward_naive, F.max_pool2d),
    ("max", "fast"): (max_pool_forward_fast, max_pool_backward_fast, F.max_pool2d),
    ("avg", "naive"): (avg_pool_forward_naive, avg_pool_backward_naive, F.avg_pool2d),
    ("avg", "fast"): (avg_pool_forward_fast, avg_pool_backward_fast, F.avg_pool2d),
}
OP_PATHS = [pytest.param(op, path, id=f"{op}-{path}") for op, path in LAYERS]

# (x_shape, pool_height, pool_width, stride)
SHAPES = [
    pytest.param((2, 3, 8, 8), 2, 2, 2, id="2x2s2"),
    pytest.param((2, 3, 9, 7), 3, 3, 2, id="3x3s2-overlap"),
    pytest.param((2, 2, 6, 5), 3, 3, 1, id="3x3s1"),
    pytest.param((2, 2, 5, 6), 2, 3, 1, id="2x3s1-rect"),
    pytest.param((1, 2, 9, 9), 3, 3, 3, id="3x3s3"),
    pytest.param((2, 1, 7, 7), 1, 1, 3, id="1x1s3-gaps"),
    pytest.param((3, 2, 4, 6), 4, 6, 1, id="window-whole-input"),
]


def run_both(op, path, x, pool_height, pool_width, stride, dout_rng):
    """Forward and backward through convnp and through torch; return the four arrays."""
    forward, back, torch_fn = LAYERS[op, path]
    param = {"pool_height": pool_height, "pool_width": pool_width, "stride": stride}
    out, cache = forward(x, param)
    dout = dout_rng.standard_normal(out.shape)
    dx = back(dout, cache)
    tx = t(x)
    tout = torch_fn(tx, kernel_size=(pool_height, pool_width), stride=stride)
    backward(tout, dout)
    return out, dx, np_(tout), np_(tx.grad)


@pytest.mark.parametrize("op, path", OP_PATHS)
@pytest.mark.parametrize("x_shape, pool_height, pool_width, stride", SHAPES)
def test_pool_matches_torch(rng, op, path, x_shape, pool_height, pool_width, stride):
    x = rng.standard_normal(x_shape)
    out, dx, tout, tdx = run_both(op, path, x, pool_height, pool_width, stride, rng)
    assert_close(out, tout, TOL, "out")
    assert_close(dx, tdx, TOL, "dx")


@pytest.mark.parametrize("path", ["naive", "fast"])
@pytest.mark.parametrize("x_shape, pool_height, pool_width, stride", SHAPES)
def test_max_pool_ties_match_torch(rng, path, x_shape, pool_height, pool_width, stride):
    # Three distinct values: nearly every window holds its maximum more than once, and PyTorch
    # sends its gradient to the first in row-major order, as convnp does.
    x = rng.integers(0, 3, size=x_shape).astype(np.float64)
    out, dx, tout, tdx = run_both("max", path, x, pool_height, pool_width, stride, rng)
    assert_close(out, tout, TOL, "out")
    assert_close(dx, tdx, TOL, "dx")


@pytest.mark.parametrize("path", ["naive", "fast"])
@pytest.mark.parametrize("pool_height, pool_width, stride", [(2, 2, 2), (3, 3, 1), (2, 3, 2)])
def test_max_pool_constant_input_matches_torch(rng, path, pool_height, pool_width, stride):
    x = np.full((2, 2, pool_height + 2 * stride, pool_width + 2 * stride), -1.5)
    out, dx, tout, tdx = run_both("max", path, x, pool_height, pool_width, stride, rng)
    assert_close(out, tout, TOL, "out")
    assert_close(dx, tdx, TOL, "dx")
