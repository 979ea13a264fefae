"""The compiled Winograd output transforms (convnp.kernels._numba_winograd) against the band-matrix
GEMMs of convnp.kernels.winograd, which stay their reference."""

import numpy as np
import pytest

from convnp.kernels import jit, winograd

from ..conftest import REQUIRE_JIT, _numba_installed
from ..helpers import assert_same_for_every_thread_count

if not _numba_installed() and not REQUIRE_JIT:
    pytest.skip("numba is not installed (pip install 'convnp[jit]')", allow_module_level=True)

# (N, F, H_out, W_out): whole and partial tiles (H_out % 4 != 0), one tile, non-square.
SHAPES = [(3, 5, 8, 8), (2, 7, 31, 31), (4, 16, 7, 5), (1, 3, 1, 2), (5, 64, 15, 15),
          (2, 9, 4, 13)]


def _tiles(H_out, W_out):
    return -(-H_out // 4), -(-W_out // 4)


@pytest.fixture
def compiled(monkeypatch):
    """The compiled path, checked to be on (a load failure would silently run the GEMMs)."""
    monkeypatch.setenv("CONVNP_JIT", "1")
    assert jit.enabled()


def both(monkeypatch, fn, *args):
    """fn(*args) on the band GEMMs (CONVNP_JIT=0), then compiled."""
    monkeypatch.setenv("CONVNP_JIT", "0")
    reference = fn(*args)
    monkeypatch.setenv("CONVNP_JIT", "1")
    assert jit.enabled()
    return reference, fn(*args)


def close(a, b, tol=1e-6):
    assert a.dtype == b.dtype == np.float32 and a.shape == b.shape
    err = np.abs(a.astype(np.float64) - b).max() / max(np.abs(b).max(), 1e-30)
    assert err < tol, f"error {err:.2e} of the largest entry"


@pytest.mark.parametrize("N, F, H_out, W_out", SHAPES)
def test_output_transform_matches_the_band_gemms(monkeypatch, rng, N, F, H_out, W_out):
    th, tw = _tiles(H_out, W_out)
    M = rng.standard_normal((6, th, 6, tw * N, F)).astype(np.float32)
    reference, compiled = both(monkeypatch, winograd.output_transform, M, N, H_out, W_out)
    close(compiled, reference)


@pytest.mark.parametrize("N, F, H_out, W_out", SHAPES)
def test_output_adjoint_matches_the_band_gemms(monkeypatch, rng, N, F, H_out, W_out):
    th, tw = _tiles(H_out, W_out)
    dout = rng.standard_normal((N, F, H_out, W_out)).astype(np.float32)
    reference, compiled = both(monkeypatch, winograd.output_adjoint, dout, th, tw)
    close(compiled, reference)


def test_the_two_are_adjoint(compiled, monkeypatch, rng):
    """<T(M), Y> = <M, T*(Y)>: the compiled adjoint is the transpose of the compiled forward."""
    monkeypatch.setenv("CONVNP_JIT", "1")
    N, F, H_out, W_out = 3, 6, 11, 9
    th, tw = _tiles(H_out, W_out)
    M = rng.standard_normal((6, th, 6, tw * N, F)).astype(np.float32)
    Y = rng.standard_normal((N, F, H_out, W_out)).astype(np.float32)
    lhs = np.vdot(winograd.output_transform(M, N, H_out, W_out).astype(np.float64), Y)
    rhs = np.vdot(M.astype(np.float64), winograd.output_adjoint(Y, th, tw))
    assert abs(lhs - rhs) < 1e-5 * np.sqrt(M.size)


def test_at_formulas_are_the_matrix(compiled, monkeypatch):
    """Unit vectors through the compiled transforms give AT's columns (exact: dyadic)."""
    monkeypatch.setenv("CONVNP_JIT", "1")
    for r in range(6):
        for s in range(6):
            M = np.zeros((6, 1, 6, 1, 1), dtype=np.float32)
            M[r, 0, s, 0, 0] = 1
            out = winograd.output_transform(M, 1, 4, 4)[0, 0]
            np.testing.assert_array_equal(out, np.outer(winograd.AT[:, r], winograd.AT[:, s]))
            dM = winograd.output_adjoint(np.outer(winograd.AT[:, r], winograd.AT[:, s])
                                         .astype(np.float32)[None, None], 1, 1)
            expected = np.einsum("ar,ab,bs->rs", winograd.AT,
                                 np.outer(winograd.AT[:, r], winograd.AT[:, s]), winograd.AT)
            np.testing.assert_allclose(dM[:, 0, :, 0, 0], expected, rtol=1e-6, atol=1e-6)


def test_results_do_not_depend_on_the_thread_count(compiled, monkeypatch, rng):
    monkeypatch.setenv("CONVNP_JIT", "1")
    N, F, H_out, W_out = 64, 32, 15, 15       # large enough to be split over threads
    th, tw = _tiles(H_out, W_out)
    M = rng.standard_normal((6, th, 6, tw * N, F)).astype(np.float32)
    dout = rng.standard_normal((N, F, H_out, W_out)).astype(np.float32)
    assert_same_for_every_thread_count(lambda: (winograd.output_transform(M, N, H_out, W_out),
                                                winograd.output_adjoint(dout, th, tw)))


def test_float64_and_non_contiguous_inputs(monkeypatch, rng):
    """float64 stays on the band GEMMs (the compiled kernels are never asked); a
    non-contiguous float32 dout is copied for the compiled pass and gives the same."""
    monkeypatch.setenv("CONVNP_JIT", "1")
    N, F, H_out, W_out = 2, 4, 6, 7
    th, tw = _tiles(H_out, W_out)
    M = rng.standard_normal((6, th, 6, tw * N, F))

    def refuse():
        raise AssertionError("the compiled kernels were asked for float64")

    monkeypatch.setattr(jit, "winograd_kernels", refuse)
    out = winograd.output_transform(M, N, H_out, W_out)
    assert out.dtype == np.float64 and out.shape == (N, F, H_out, W_out)
    monkeypatch.undo()
    monkeypatch.setenv("CONVNP_JIT", "1")
    wide = rng.standard_normal((N, 2 * F, H_out, W_out)).astype(np.float32)
    np.testing.assert_array_equal(winograd.output_adjoint(wide[:, ::2], th, tw),
                                  winograd.output_adjoint(np.ascontiguousarray(wide[:, ::2]),
                                                          th, tw))


def test_conv_forward_and_backward_on_both_paths(monkeypatch, rng):
    """A whole float32 Winograd layer: compiled and band paths agree to float32 rounding."""
    x = rng.standard_normal((6, 8, 13, 13)).astype(np.float32)
    w = (rng.standard_normal((12, 8, 3, 3)) / np.sqrt(72)).astype(np.float32)
    b = rng.standard_normal(12).astype(np.float32)
    dout = rng.standard_normal((6, 12, 13, 13)).astype(np.float32)

    def layer():
        out, cache = winograd.conv_forward(x, w, b, 1)
        return (out, *winograd.conv_backward(dout, cache))

    reference, compiled = both(monkeypatch, layer)
    for a, r in zip(compiled, reference):
        close(a, r, tol=2e-6)


def test_output_adjoint_refuses_tiles_that_do_not_cover_dout(rng):
    dout = rng.standard_normal((2, 3, 9, 8)).astype(np.float32)
    with pytest.raises(ValueError, match=r"2 x 2 tiles of 4 do not cover dout's 9 x 8"):
        winograd.output_adjoint(dout, 2, 2)
