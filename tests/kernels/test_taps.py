"""The channels-last direct convolutions (convnp.kernels.taps, convnp.kernels._numba_direct)
against the naive layers in float64, and where the layers and nn.Conv2d take them."""

import numpy as np
import pytest

from convnp import nn
from convnp.kernels import jit, taps
from convnp.layers import conv as conv_layers

from ..helpers import assert_same_for_every_thread_count
from .test_direct import check_backward, close, compiled, needs_numba  # noqa: F401 (a fixture)

uses_the_kernels = pytest.mark.usefixtures("compiled")


# (N, C, F, H, W, K, stride, pad): stride 1, 2 and 3; 1x1, 2x2, 3x3 and 5x5 filters; pad 0
# to 2; 16-filter blocks (F <= 16) and 32-filter blocks (F > 16), filters and channels that
# fill no block (7, 33, 20, 5, 3); a dx phase with no taps (1x1 and 2x2 at stride 2 and 3);
# batches that fill no group of GROUP images; non-square images; positions that fill no
# block of 8 or 16; a single output position.
SHAPES = [(2, 16, 16, 8, 8, 3, 1, 1), (3, 5, 7, 9, 7, 3, 2, 1), (2, 16, 40, 17, 17, 3, 2, 1),
          (2, 8, 33, 7, 7, 3, 1, 0), (2, 4, 20, 9, 11, 1, 1, 0), (2, 4, 20, 9, 11, 1, 2, 0),
          (2, 6, 10, 4, 4, 2, 2, 0), (3, 3, 17, 11, 11, 5, 2, 2), (2, 7, 9, 7, 10, 3, 3, 1),
          (2, 8, 8, 6, 7, 3, 1, 2), (11, 20, 36, 5, 5, 3, 2, 1), (9, 32, 64, 4, 4, 3, 1, 1),
          (2, 17, 3, 3, 3, 3, 1, 0)]


def _layer(rng, N, C, F, H, W, K):
    x = rng.standard_normal((N, C, H, W))
    w = rng.standard_normal((F, C, K, K)) / K
    b = rng.standard_normal(F)
    return x, w, b


@needs_numba
@uses_the_kernels
@pytest.mark.parametrize("N, C, F, H, W, K, stride, pad", SHAPES)
def test_forward_and_backward_match_the_naive_layers(rng, blocks, N, C, F, H, W, K, stride,
                                                     pad):
    x, w, b = _layer(rng, N, C, F, H, W, K)
    param = {"stride": stride, "pad": pad}
    want, cache64 = conv_layers.conv_forward_naive(x, w, b, param)
    dout = rng.standard_normal(want.shape)
    dx64, dw64, db64 = conv_layers.conv_backward_naive(dout, cache64)
    f32 = np.float32
    out, cache = taps.conv_forward(x.astype(f32), w.astype(f32), b.astype(f32), stride, pad)
    close(out, want)
    check_backward(taps.conv_backward, dout.astype(f32), cache, (dx64, dw64, db64))


@needs_numba
@uses_the_kernels
def test_results_do_not_depend_on_the_thread_count(rng, blocks):
    x, w, b = (a.astype(np.float32) for a in _layer(rng, 33, 32, 48, 9, 9, 3))
    dout = rng.standard_normal((33, 48, 5, 5)).astype(np.float32)

    def compute():
        out, cache = taps.conv_forward(x, w, b, 2, 1)
        return (out, *taps.conv_backward(dout, cache))

    assert_same_for_every_thread_count(compute)


@needs_numba
@uses_the_kernels
def test_conv_forward_fast_takes_them_where_picked(rng):
    x, w, b = (a.astype(np.float32) for a in _layer(rng, 4, 16, 32, 17, 17, 3))
    out, cache = conv_layers.conv_forward_fast(x, w, b, {"stride": 2, "pad": 1})
    assert isinstance(cache[-1], taps.TapsCache)
    want, cache64 = conv_layers.conv_forward_naive(x.astype(np.float64), w.astype(np.float64),
                                                   b.astype(np.float64), {"stride": 2, "pad": 1})
    close(out, want)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv_layers.conv_backward_fast(dout.astype(np.float32), cache)
    for got, expected in zip((dx, dw, db), conv_layers.conv_backward_naive(dout, cache64)):
        close(got, expected)
    # float64 never takes them: the tests' gradient checks stay on the NumPy kernels.
    _, cache64 = conv_layers.conv_forward_fast(x.astype(np.float64), w, b,
                                               {"stride": 2, "pad": 1})
    assert not isinstance(cache64[-1], taps.TapsCache)


@needs_numba
@uses_the_kernels
@pytest.mark.parametrize("K, stride, pad", [(3, 2, 1), (1, 2, 0), (3, 3, 1)])
def test_conv2d_rounds_down_as_pytorch_without_a_cropped_copy(rng, blocks, K, stride, pad):
    # 16x16 at stride 2 with pad 1: the padded input's last row and column are read by no
    # window. The kernels skip them; the layer's result is that of the cropped input.
    layer = nn.Conv2d(16, 24, K, stride=stride, padding=pad, rng=rng)
    x = rng.standard_normal((3, 16, 16, 15)).astype(np.float32)
    out = layer.forward(x)
    cache = layer._cache[1]
    assert cache[2] is None                    # no crop, and the kernel's own cache
    H_out = (16 + 2 * pad - K) // stride + 1
    W_out = (15 + 2 * pad - K) // stride + 1
    assert out.shape == (3, 24, H_out, W_out)
    # The naive layer on the padded input cut to what the windows cover.
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    xp = xp[:, :, :(H_out - 1) * stride + K, :(W_out - 1) * stride + K]
    w64, b64 = layer.weight.astype(np.float64), layer.bias.astype(np.float64)
    want, cache64 = conv_layers.conv_forward_naive(xp, w64, b64, {"stride": stride, "pad": 0})
    close(out, want)
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout.astype(np.float32))
    dxp, dw64, db64 = conv_layers.conv_backward_naive(dout, cache64)
    dx64 = np.zeros(xp.shape[:2] + (16 + 2 * pad, 15 + 2 * pad))
    dx64[:, :, :xp.shape[2], :xp.shape[3]] = dxp
    close(dx, dx64[:, :, pad:pad + 16, pad:pad + 15])
    close(layer.grads["weight"], dw64)
    close(layer.grads["bias"], db64)


@needs_numba
@uses_the_kernels
def test_pick_follows_the_measurements(monkeypatch):
    monkeypatch.setattr(jit, "_cpu_has_avx512", lambda: True)      # the AVX-512 rule, on any CPU
    f32 = np.float32
    assert taps.pick((128, 64, 16, 16), (128, 64, 3, 3), 2, 1, f32)      # stride 2
    assert taps.pick((128, 3, 33, 33), (16, 3, 3, 3), 2, 1, f32)         # any channels
    assert taps.pick((128, 64, 16, 16), (64, 64, 3, 3), 1, 1, f32)
    assert taps.pick((128, 32, 16, 16), (32, 32, 3, 3), 1, 1, f32)
    assert taps.pick((128, 256, 7, 7), (256, 256, 3, 3), 1, 1, f32)      # tiles don't fit
    assert taps.pick((128, 64, 8, 8), (128, 64, 3, 3), 1, 1, f32)        # 64 x 128
    assert not taps.pick((128, 128, 8, 8), (128, 128, 3, 3), 1, 1, f32)  # Winograd's
    assert not taps.pick((128, 256, 16, 16), (256, 256, 3, 3), 1, 1, f32)
    assert not taps.pick((128, 3, 32, 32), (32, 3, 3, 3), 1, 1, f32)     # 3 channels
    assert taps.pick((128, 3, 32, 32), (32, 3, 7, 7), 1, 3, f32)         # 3 x 49 taps
    assert not taps.pick((128, 1, 28, 28), (32, 1, 5, 5), 1, 2, f32)     # 1 x 25
    assert not taps.pick((128, 64, 16, 16), (64, 64, 3, 3), 1, 3, f32)   # pad >= kernel
    assert not taps.pick((128, 64, 16, 16), (64, 64, 3, 3), 1, 1, np.float64)


@needs_numba
@uses_the_kernels
def test_pick_without_avx512_follows_its_measurements(monkeypatch):
    # With the 16 x 4 blocks: strided layers, layers from 8 channels (or 64 (tap, channel)
    # pairs), but not 3x3 layers of 64 x 64 channels or more that Winograd takes.
    monkeypatch.setattr(jit, "_cpu_has_avx512", lambda: False)
    f32 = np.float32
    assert taps.pick((128, 64, 16, 16), (128, 64, 3, 3), 2, 1, f32)      # stride 2
    assert taps.pick((128, 3, 33, 33), (16, 3, 3, 3), 2, 1, f32)         # any channels
    assert taps.pick((128, 3, 32, 32), (32, 3, 7, 7), 1, 3, f32)         # 3 x 49 taps
    assert taps.pick((128, 32, 16, 16), (32, 32, 5, 5), 1, 2, f32)       # 5x5
    assert taps.pick((128, 8, 32, 32), (32, 8, 3, 3), 1, 1, f32)
    assert taps.pick((128, 32, 32, 32), (32, 32, 3, 3), 1, 1, f32)
    assert taps.pick((256, 24, 31, 31), (64, 24, 3, 3), 1, 1, f32)      # airbench's conv 2
    assert taps.pick((4, 128, 8, 8), (128, 128, 3, 3), 1, 1, f32)        # Winograd's 8 rows
    assert not taps.pick((128, 64, 16, 16), (64, 64, 3, 3), 1, 1, f32)   # Winograd's
    assert not taps.pick((128, 128, 8, 8), (128, 128, 3, 3), 1, 1, f32)
    assert not taps.pick((128, 3, 32, 32), (32, 3, 3, 3), 1, 1, f32)     # 3 x 9 taps
    assert not taps.pick((128, 64, 16, 16), (64, 64, 3, 3), 1, 1, np.float64)


def test_pick_is_off_without_the_compiled_kernels(monkeypatch):
    monkeypatch.setenv("CONVNP_JIT", "0")
    assert not taps.pick((128, 64, 16, 16), (128, 64, 3, 3), 2, 1, np.float32)
