"""PyTorch parity (float64) for the convolution layer, naive and fast paths, each fast kernel."""

import pytest

from convnp.kernels import winograd
from convnp.layers import (
    conv_backward_fast,
    conv_backward_naive,
    conv_forward_fast,
    conv_forward_naive,
)
from tests.helpers import assert_close
from tests.parity.torch_helpers import backward, np_, t, torch

F = torch.nn.functional
TOL = 1e-9
PATHS = {"naive": (conv_forward_naive, conv_backward_naive),
         "fast": (conv_forward_fast, conv_backward_fast)}

# (x_shape, w_shape, stride, pad): strides 1 to 3, pads 0 to 3, rectangular inputs and kernels,
# N = C = F = 1, a few channels-heavy shapes that the fast path runs channels-last, and 3x3
# stride-1 layers with enough channels that it runs Winograd (test_cases_reach_winograd).
CASES = [
    ((2, 3, 8, 8), (4, 3, 3, 3), 1, 1),
    ((2, 3, 7, 9), (2, 3, 3, 5), 2, 0),
    ((1, 1, 5, 4), (1, 1, 2, 3), 1, 2),
    ((3, 2, 9, 7), (3, 2, 3, 1), 3, 3),
    ((2, 16, 5, 6), (8, 16, 3, 3), 1, 1),
    ((2, 12, 4, 4), (5, 12, 1, 1), 1, 0),
    ((2, 6, 6, 6), (4, 6, 4, 2), 2, 1),
    ((1, 8, 3, 5), (2, 8, 2, 2), 1, 3),
    ((16, 8, 4, 13), (8, 8, 3, 3), 1, 1),
    ((16, 12, 7, 16), (10, 12, 3, 3), 1, 0),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("x_shape, w_shape, stride, pad", CASES,
                         ids=[f"x{x}-w{w}-s{s}-p{p}" for x, w, s, p in CASES])
def test_conv2d(rng, path, x_shape, w_shape, stride, pad):
    forward, back = PATHS[path]
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    out, cache = forward(x, w, b, {"stride": stride, "pad": pad})
    dout = rng.standard_normal(out.shape)
    dx, dw, db = back(dout, cache)

    # The course's (F, C, HH, WW) weight layout is PyTorch's: no conversion needed.
    tx, tw, tb = t(x), t(w), t(b)
    tout = F.conv2d(tx, tw, tb, stride=stride, padding=pad)
    backward(tout, dout)
    assert_close(out, np_(tout), TOL, "out")
    assert_close(dx, np_(tx.grad), TOL, "dx")
    assert_close(dw, np_(tw.grad), TOL, "dw")
    assert_close(db, np_(tb.grad), TOL, "db")


def test_cases_reach_winograd():
    picked = {winograd.pick_algorithm(x, w, s, p) for x, w, s, p in CASES}
    assert picked == {"winograd", "im2col"}


# The Winograd kernel forced, on shapes too small for the fast path to pick it: (x_shape,
# filters, pad) with partial tiles, a rectangular image, N = C = F = 1 and pad 0 to 2.
WINOGRAD_CASES = [
    ((2, 3, 7, 9), 4, 1),
    ((1, 1, 5, 5), 1, 0),
    ((2, 2, 4, 11), 3, 2),
]


@pytest.mark.parametrize("x_shape, filters, pad", WINOGRAD_CASES,
                         ids=[f"x{x}-F{f}-p{p}" for x, f, p in WINOGRAD_CASES])
def test_conv2d_winograd_kernel(rng, x_shape, filters, pad):
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal((filters, x_shape[1], 3, 3))
    b = rng.standard_normal(filters)
    out, cache = winograd.conv_forward(x, w, b, pad)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = winograd.conv_backward(dout, cache)

    tx, tw, tb = t(x), t(w), t(b)
    tout = F.conv2d(tx, tw, tb, padding=pad)
    backward(tout, dout)
    assert_close(out, np_(tout), TOL, "out")
    assert_close(dx, np_(tx.grad), TOL, "dx")
    assert_close(dw, np_(tw.grad), TOL, "dw")
    assert_close(db, np_(tb.grad), TOL, "db")
