"""Spatial batch norm's compiled (Numba) passes against the NumPy code of convnp.kernels.norm."""

import numpy as np
import pytest

from convnp.kernels import jit, norm, threads

from ..conftest import REQUIRE_JIT, _numba_installed

if not _numba_installed() and not REQUIRE_JIT:
    pytest.skip("numba is not installed (pip install 'convnp[jit]')", allow_module_level=True)

NAMES = ("out", "xhat", "inv_std", "mean", "var", "dx", "dgamma", "dbeta")


def _run(x, gamma, beta, dout, train=True, running=None):
    """Forward and backward; the forward's five results and the backward's three, by name."""
    if train:
        out, xhat, inv_std, mean, var = norm.spatial_batchnorm_forward(x, gamma, beta, 1e-5)
    else:
        out, xhat, inv_std, mean, var = norm.spatial_batchnorm_forward(x, gamma, beta, 1e-5,
                                                                      *running)
    grads = norm.spatial_batchnorm_backward(dout, xhat, gamma, inv_std, train)
    return dict(zip(NAMES, (out, xhat, inv_std, mean, var, *grads)))


def _both(monkeypatch, *args, **kwargs):
    monkeypatch.setenv("CONVNP_JIT", "0")
    numpy_run = _run(*args, **kwargs)
    monkeypatch.setenv("CONVNP_JIT", "1")
    return numpy_run, _run(*args, **kwargs)


def _inputs(rng, shape, loc=0.0, scale=1.0, dtype=np.float32):
    C = shape[1]
    x = (loc + scale * rng.standard_normal(shape)).astype(dtype)
    gamma = (1 + 0.5 * rng.standard_normal(C)).astype(dtype)
    beta = rng.standard_normal(C).astype(dtype)
    dout = rng.standard_normal(shape).astype(dtype)
    return x, gamma, beta, dout


def _assert_near(got, want, tol, what):
    """|got - want| <= tol * max|want| (the scale of the values), elementwise."""
    assert got.dtype == want.dtype and got.shape == want.shape, what
    scale = float(np.max(np.abs(want.astype(np.float64))))
    err = float(np.max(np.abs(got.astype(np.float64) - want)))
    assert err <= tol * scale, f"{what}: error {err:.3g} > {tol:g} * {scale:.3g}"


# Rows of many lengths: long (32 x 32), odd (15 x 15: the vectorized loops' remainders), short.
SHAPES = [(4, 8, 32, 32), (6, 16, 15, 15), (3, 5, 7, 7), (5, 3, 1, 3), (2, 4, 9, 1)]


@pytest.mark.parametrize("loc, scale", [(0.0, 1.0), (3.0, 4.0), (-2.0, 0.5), (0.0, 1e-3)])
@pytest.mark.parametrize("shape", SHAPES)
def test_compiled_train_mode_matches_numpy(monkeypatch, rng, shape, loc, scale):
    x, gamma, beta, dout = _inputs(rng, shape, loc, scale)
    numpy_run, compiled_run = _both(monkeypatch, x, gamma, beta, dout)
    for name in NAMES:
        _assert_near(compiled_run[name], numpy_run[name], 1e-6, name)
    # The paths differ (sums in another order, fused multiply-adds): the compiled one ran.
    if shape[2] * shape[3] >= 49:
        assert not np.array_equal(compiled_run["out"], numpy_run["out"])


@pytest.mark.parametrize("shape", SHAPES)
def test_compiled_test_mode_matches_numpy(monkeypatch, rng, shape):
    x, gamma, beta, dout = _inputs(rng, shape, 2.0, 3.0)
    C = shape[1]
    running = (rng.standard_normal(C).astype(np.float32),
               (0.5 + rng.random(C)).astype(np.float32))
    numpy_run, compiled_run = _both(monkeypatch, x, gamma, beta, dout, train=False,
                                    running=running)
    for name in NAMES:
        _assert_near(compiled_run[name], numpy_run[name], 1e-6, name)
    # Test mode's dx is one multiply, NumPy's in both paths.
    np.testing.assert_array_equal(compiled_run["dx"], numpy_run["dx"])


@pytest.mark.parametrize("shape", [(8, 16, 32, 32), (16, 8, 15, 15), (4, 4, 64, 64)])
def test_compiled_large_mean(monkeypatch, rng, shape):
    # x = 1000 + randn, where the statistics must be the centred ones: sum(x^2) / M - mean^2
    # would lose all digits of the variance in float32. 1e-6 of the NumPy code's xhat is out of
    # reach here for any float32 code: the mean is a float32 near 1000, spaced 6.1e-5, and the
    # NumPy code's own mean (its sum over the rows in float32) is a few spacings off; the
    # paths' means differ by a few spacings, and so their xhat by that times inv_std (some
    # 1e-5 of max|xhat|). So: the variance to 2e-5 of float64's, the mean, xhat, out and dx to
    # 8 spacings of the mean (times inv_std) of the NumPy code's and of float64's.
    x, gamma, beta, dout = _inputs(rng, shape, 1000.0, 1.0)
    numpy_run, compiled_run = _both(monkeypatch, x, gamma, beta, dout)
    reference = _run(*(a.astype(np.float64) for a in (x, gamma, beta, dout)))
    spacing = float(np.spacing(np.float32(1000.0)))
    for run in (compiled_run, numpy_run):
        np.testing.assert_allclose(run["var"], reference["var"], rtol=2e-5)
    np.testing.assert_allclose(compiled_run["var"], numpy_run["var"], rtol=2e-5)
    np.testing.assert_allclose(compiled_run["inv_std"], numpy_run["inv_std"], rtol=2e-5)
    for want in (numpy_run, reference):
        np.testing.assert_allclose(compiled_run["mean"], want["mean"], rtol=0,
                                   atol=8 * spacing)
        bound = 8 * spacing * float(np.max(reference["inv_std"]))
        for name in ("xhat", "out", "dx"):
            scale = np.max(np.abs(reference[name])) / np.max(np.abs(reference["xhat"]))
            np.testing.assert_allclose(compiled_run[name], want[name], rtol=0,
                                       atol=bound * max(1.0, scale), err_msg=name)
        # dgamma = sum(dout * xhat): xhat's error times sum|dout| per channel, at most.
        dgamma_bound = bound * np.abs(dout.astype(np.float64)).sum(axis=(0, 2, 3))
        np.testing.assert_array_less(np.abs(compiled_run["dgamma"] - want["dgamma"]),
                                     dgamma_bound + 1e-6 * np.max(np.abs(want["dgamma"])))
    # dbeta does not depend on x.
    _assert_near(compiled_run["dbeta"], numpy_run["dbeta"], 1e-6, "dbeta")


def test_float64_stays_on_numpy(monkeypatch, rng):
    x, gamma, beta, dout = _inputs(rng, (4, 3, 8, 8), 1.0, 2.0, dtype=np.float64)
    numpy_run, other_run = _both(monkeypatch, x, gamma, beta, dout)
    for name in NAMES:
        np.testing.assert_array_equal(other_run[name], numpy_run[name])
    # A float32 dout with float64 xhat, or the reverse: the NumPy code.
    monkeypatch.setenv("CONVNP_JIT", "1")
    out, xhat, inv_std, _, _ = norm.spatial_batchnorm_forward(x, gamma, beta, 1e-5)
    mixed = norm.spatial_batchnorm_backward(dout.astype(np.float32), xhat, gamma, inv_std, True)
    monkeypatch.setenv("CONVNP_JIT", "0")
    expected = norm.spatial_batchnorm_backward(dout.astype(np.float32), xhat, gamma, inv_std,
                                               True)
    for got, want in zip(mixed, expected):
        np.testing.assert_array_equal(got, want)


def test_dispatch(monkeypatch, rng):
    monkeypatch.setenv("CONVNP_JIT", "1")
    module, calls = jit.kernels(), []
    for name in ("batchnorm_row_statistics", "batchnorm_normalize", "batchnorm_row_sums",
                 "batchnorm_train_input_grad"):
        def counting(*args, _name=name, _fn=getattr(module, name)):
            calls.append(_name)
            return _fn(*args)
        monkeypatch.setattr(module, name, counting)
    x, gamma, beta, dout = _inputs(rng, (2, 3, 4, 5))
    _run(x, gamma, beta, dout)
    assert calls == ["batchnorm_row_statistics", "batchnorm_normalize", "batchnorm_row_sums",
                     "batchnorm_train_input_grad"]
    calls.clear()
    _run(x, gamma, beta, dout, train=False, running=(np.zeros(3), np.ones(3)))
    assert calls == ["batchnorm_normalize", "batchnorm_row_sums"]
    calls.clear()
    _run(*(a.astype(np.float64) for a in (x, gamma, beta, dout)))
    monkeypatch.setenv("CONVNP_JIT", "0")
    _run(x, gamma, beta, dout)
    assert calls == []


def test_non_contiguous_and_read_only_inputs(monkeypatch, rng):
    # A transposed x (copied into rows first) and read-only arrays give the contiguous
    # arrays' compiled results, bit for bit.
    monkeypatch.setenv("CONVNP_JIT", "1")
    x, gamma, beta, dout = _inputs(rng, (3, 4, 6, 5))
    want = _run(x, gamma, beta, dout)
    xt = np.ascontiguousarray(x.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)
    dt = np.ascontiguousarray(dout.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)
    assert not xt.flags.c_contiguous
    for a in (x, dout, gamma, beta):
        a.flags.writeable = False
    for got in (_run(xt, gamma, beta, dt), _run(x, gamma, beta, dout)):
        for name in NAMES:
            np.testing.assert_array_equal(got[name], want[name])


def test_compiled_results_do_not_depend_on_the_thread_count(monkeypatch, rng):
    monkeypatch.setenv("CONVNP_JIT", "1")
    monkeypatch.setattr(threads, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(threads, "CHUNK_BYTES", 5 * 15 * 15 * 4)   # 5 rows a chunk
    x, gamma, beta, dout = _inputs(rng, (7, 9, 15, 15), 3.0, 2.0)
    runs = []
    try:
        for count in (1, 2):
            threads.set_num_threads(count)
            runs.append(_run(x, gamma, beta, dout))
            runs.append(_run(x, gamma, beta, dout, train=False,
                             running=(np.ones(9, np.float32), np.full(9, 2.0, np.float32))))
    finally:
        threads.set_num_threads(None)
    for one, two in ((runs[0], runs[2]), (runs[1], runs[3])):
        for name in NAMES:
            np.testing.assert_array_equal(two[name], one[name])
