"""The compiled direct 3x3 convolutions (convnp.kernels.direct, convnp.kernels._numba_direct)
against the naive layers in float64, and the generated module against its generator."""

import numpy as np
import pytest

from convnp.kernels import _direct_codegen, direct, jit, winograd
from convnp.layers import conv as conv_layers

from ..conftest import REQUIRE_JIT, _numba_installed
from ..helpers import assert_same_for_every_thread_count


def test_the_generated_module_is_the_generators_output():
    # An edit to the generator (or to its output) without running it fails here:
    # python -m convnp.kernels._direct_codegen writes the module again.
    assert _direct_codegen.TARGET.read_text() == _direct_codegen.module_source()


needs_numba = pytest.mark.skipif(not _numba_installed() and not REQUIRE_JIT,
                                 reason="numba is not installed (pip install 'convnp[jit]')")

# (N, C, F, H, W, pad): each block width of the forward kernel (outputs over 16, 9-16 and up
# to 8 columns wide) and of the dw kernel (16, 8), widths that fill no block (31, 20, 5),
# filters that fill no block (5, 10, 7, 1; 3 and 2 for the 3-filter block), pad 0, 1 and 2,
# batches that fill no group of GROUP images, 3 input channels, non-square images; without
# AVX-512 each forward block (C < 8 and F <= 3 with rows over 16).
SHAPES = [(3, 16, 10, 31, 31, 1), (2, 3, 5, 7, 9, 1), (9, 8, 16, 12, 20, 0),
          (2, 6, 7, 5, 6, 2), (17, 4, 8, 16, 16, 1), (1, 2, 1, 3, 3, 0), (2, 5, 9, 8, 34, 2),
          (10, 16, 16, 32, 32, 1), (3, 8, 3, 9, 18, 1), (2, 3, 2, 6, 19, 0)]


@pytest.fixture
def compiled(monkeypatch):
    if not _numba_installed() and REQUIRE_JIT:
        pytest.fail("numba is not installed while CONVNP_REQUIRE_JIT is set")
    monkeypatch.setenv("CONVNP_JIT", "1")
    assert jit.enabled()


def _layer(rng, N, C, F, H, W):
    x = rng.standard_normal((N, C, H, W))
    w = rng.standard_normal((F, C, 3, 3)) / 3
    b = rng.standard_normal(F)
    return x, w, b


def close(got, want, tol=2e-6):
    assert got.dtype == np.float32 and got.shape == want.shape
    err = np.abs(got - want).max() / max(np.abs(want).max(), 1e-30)
    assert err < tol, f"error {err:.2e} of the largest entry"


@needs_numba
@pytest.mark.parametrize("N, C, F, H, W, pad", SHAPES)
def test_forward_and_backward_match_the_naive_layers(compiled, blocks, rng, N, C, F, H, W,
                                                     pad):
    x, w, b = _layer(rng, N, C, F, H, W)
    want, cache64 = conv_layers.conv_forward_naive(x, w, b, {"stride": 1, "pad": pad})
    dout = rng.standard_normal(want.shape)
    dx64, dw64, db64 = conv_layers.conv_backward_naive(dout, cache64)
    f32 = np.float32
    out, cache = direct.conv_forward(x.astype(f32), w.astype(f32), b.astype(f32), pad)
    close(out, want)
    check_backward(direct.conv_backward, dout.astype(f32), cache, (dx64, dw64, db64))


def check_backward(backward, dout, cache, want):
    """backward(dout, cache) against the float64 (dx, dw, db) in want, and with either
    gradient skipped: the other stays as it was."""
    dx, dw, db = backward(dout, cache)
    for got, expected in zip((dx, dw, db), want):
        close(got, expected)
    dx_only, none, db_only = backward(dout, cache, need_dw=False)
    assert none is None
    np.testing.assert_array_equal(dx_only, dx)
    close(db_only, want[2])
    none, dw_only, db_too = backward(dout, cache, need_dx=False)
    assert none is None
    np.testing.assert_array_equal(dw_only, dw)
    np.testing.assert_array_equal(db_too, db)


@needs_numba
def test_results_do_not_depend_on_the_thread_count(compiled, blocks, rng):
    x, w, b = (a.astype(np.float32) for a in _layer(rng, 33, 16, 16, 32, 32))
    dout = rng.standard_normal((33, 16, 32, 32)).astype(np.float32)

    def compute():
        out, cache = direct.conv_forward(x, w, b, 1)
        return (out, *direct.conv_backward(dout, cache))

    assert_same_for_every_thread_count(compute)


@needs_numba
def test_conv_forward_fast_takes_the_direct_kernels_where_picked(compiled, rng):
    x, w, b = (a.astype(np.float32) for a in _layer(rng, 4, 3, 16, 32, 32))
    out, cache = conv_layers.conv_forward_fast(x, w, b, {"stride": 1, "pad": 1})
    assert isinstance(cache[-1], direct.DirectCache)
    want, _ = conv_layers.conv_forward_naive(x.astype(np.float64), w.astype(np.float64),
                                             b.astype(np.float64), {"stride": 1, "pad": 1})
    close(out, want)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    dx, dw, db = conv_layers.conv_backward_fast(dout, cache)
    assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape
    # float64 never takes them: the tests' gradient checks stay on the NumPy kernels.
    _, cache64 = conv_layers.conv_forward_fast(x.astype(np.float64), w, b,
                                               {"stride": 1, "pad": 1})
    assert not isinstance(cache64[-1], direct.DirectCache)


@needs_numba
def test_pick_follows_the_measurements(compiled, blocks):
    # The same rule on either CPU (measured on a zen5 with AVX-512 and a zen3 without).
    f32 = np.float32
    assert direct.pick((128, 16, 32, 32), (16, 16, 3, 3), 1, 1, f32)
    assert direct.pick((128, 3, 32, 32), (32, 3, 3, 3), 1, 1, f32)       # a first layer
    assert direct.pick((256, 24, 31, 31), (64, 24, 3, 3), 1, 1, f32)     # airbench's conv 2
    assert direct.pick((128, 16, 16, 16), (16, 16, 3, 3), 1, 1, f32)
    assert direct.pick((128, 7, 16, 16), (16, 7, 3, 3), 1, 1, f32)
    assert not direct.pick((128, 128, 32, 32), (128, 128, 3, 3), 1, 1, f32)
    assert not direct.pick((128, 32, 16, 16), (32, 32, 3, 3), 1, 1, f32)
    assert not direct.pick((128, 16, 8, 8), (16, 16, 3, 3), 1, 1, f32)
    assert not direct.pick((128, 3, 8, 8), (16, 3, 3, 3), 1, 1, f32)
    assert not direct.pick((128, 16, 32, 32), (16, 16, 3, 3), 2, 1, f32)  # stride 2
    assert not direct.pick((128, 16, 32, 32), (16, 16, 5, 5), 1, 2, f32)  # 5x5
    assert not direct.pick((128, 16, 32, 32), (16, 16, 3, 3), 1, 3, f32)  # pad 3
    assert not direct.pick((128, 16, 32, 32), (16, 16, 3, 3), 1, 1, np.float64)


@needs_numba
def test_forward_blocks_follow_the_measurements(compiled, monkeypatch):
    # Without AVX-512: 2 x 32 for few channels, 3 x 32 for up to 3 filters (a first layer's
    # dx), 4 x 16 otherwise and for rows of up to 16 columns.
    monkeypatch.setattr(jit, "_cpu_has_avx512", lambda: False)
    assert direct.forward_block(3, 32, 32) == (2, 32)
    assert direct.forward_block(32, 3, 32) == (3, 32)
    assert direct.forward_block(16, 16, 32) == (4, 16)
    assert direct.forward_block(3, 32, 16) == (4, 16)
    # With it: 8 filters x the narrowest block that covers the row.
    monkeypatch.setattr(jit, "_cpu_has_avx512", lambda: True)
    assert direct.forward_block(3, 32, 32) == (8, 32)
    assert direct.forward_block(32, 3, 12) == (8, 16)
    assert direct.forward_block(16, 16, 8) == (8, 8)
    # Every block named exists in the generated module.
    kernels = jit.direct_kernels()
    for Q, B, _ in (b for blocks in _direct_codegen.FORWARD_BLOCKS.values()
                    for b in blocks.values()):
        assert callable(getattr(kernels, f"forward_{Q}x{B}"))


def test_pick_is_off_without_the_compiled_kernels(monkeypatch):
    monkeypatch.setenv("CONVNP_JIT", "0")
    assert not direct.pick((128, 16, 32, 32), (16, 16, 3, 3), 1, 1, np.float32)
    # and conv_forward_fast goes back to Winograd there
    assert winograd.pick_algorithm((128, 16, 32, 32), (16, 16, 3, 3), 1, 1) == "winograd"
