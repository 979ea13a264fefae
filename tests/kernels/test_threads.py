"""convnp.kernels.threads and the kernels it runs: threaded == one thread == the naive layers.

The threaded kernels must give the numbers of one thread bit for bit (the elementwise passes
and the per-row reductions do not depend on the chunks), and the naive references to rounding.
The ``chunked`` fixture makes every array "large" and every chunk tiny, so that small odd
shapes go through the pool with many chunks per call.
"""

import math
import os
import sys
import threading
import time

import numpy as np
import pytest

from convnp import nn
from convnp.kernels import gelu, jit, norm, pool, relu, threads
from convnp.layers import (
    avg_pool_backward_naive,
    avg_pool_forward_naive,
    batchnorm_backward_alt,
    batchnorm_forward,
    max_pool_backward_naive,
    max_pool_forward_naive,
    relu_backward,
    relu_forward,
)
from tests.helpers import assert_close

BATCHES = [1, 3, 7, 129]
DTYPES = [np.float32, np.float64]


@pytest.fixture(autouse=True)
def default_threads():
    """Every test starts and ends with the default thread count."""
    threads.set_num_threads(None)
    yield
    threads.set_num_threads(None)


@pytest.fixture
def chunked(monkeypatch):
    """Run with `count` threads, every call parallel, chunks of a few dozen bytes."""
    monkeypatch.setattr(threads, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(threads, "CHUNK_BYTES", 48)

    def run(count, fn, *args):
        threads.set_num_threads(count)
        try:
            return fn(*args)
        finally:
            threads.set_num_threads(None)
    return run


def assert_same_bits(actual, expected, what=""):
    """Equal dtype, shape and bytes: signed zeros and NaN payloads included."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != {expected.dtype}"
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    a, e = np.ascontiguousarray(actual), np.ascontiguousarray(expected)
    assert np.array_equal(a.view(np.uint8), e.view(np.uint8)), (
        f"{what}: {np.count_nonzero(a != e)} of {a.size} elements differ")


def assert_near_reference(got, want, what, tol64=1e-12):
    """float64: relative error below tol64; float32: within 1e-5 of the largest |value| (sums
    of float32 terms in another order than the float64 reference differ near zero)."""
    assert got.dtype in (np.float32, np.float64)
    if got.dtype == np.float64:
        assert_close(got, want, tol64, what)
    else:
        scale = max(1.0, np.abs(want).max())
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-5 * scale, err_msg=what)


def threaded_and_single(chunked, fn, *args):
    """fn(*args) with 2 threads (and with 3: an odd count) and with 1; asserts equal bits."""
    single = chunked(1, fn, *args)
    for count in (2, 3):
        results = chunked(count, fn, *args)
        for i, (got, want) in enumerate(zip(results, single)):
            assert_same_bits(got, want, f"result {i} with {count} threads")
    return single


# parallel_chunks itself.

@pytest.mark.parametrize("count", [1, 2, 4])
@pytest.mark.parametrize("n, row_bytes", [(0, 8), (1, 8), (10, 24), (10, 80), (129, 56),
                                          (6, 8), (1000, 1)])
def test_chunks_cover_the_range_once(monkeypatch, count, n, row_bytes):
    monkeypatch.setattr(threads, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setattr(threads, "CHUNK_BYTES", 64)
    threads.set_num_threads(count)
    seen, lock = [], threading.Lock()

    def fn(start, stop):
        with lock:
            seen.append((start, stop))

    threads.parallel_chunks(n, fn, row_bytes=row_bytes)
    if n == 0:
        assert seen == []
        return
    seen.sort()
    assert [start for start, _ in seen] == [0] + [stop for _, stop in seen[:-1]]
    assert all(start < stop for start, stop in seen) and seen[-1][1] == n
    # A chunk holds at most CHUNK_BYTES (at least one row), and a 2 * count-th of the range.
    largest = max(stop - start for start, stop in seen)
    assert largest <= max(1, 64 // row_bytes)
    if count > 1:
        assert largest <= -(-n // (2 * count))


def test_small_calls_and_one_thread_run_inline():
    caller = threading.get_ident()
    ran = []
    fn = lambda start, stop: ran.append(threading.get_ident())  # noqa: E731
    threads.set_num_threads(4)
    threads.parallel_chunks(8, fn, row_bytes=threads.MIN_PARALLEL_BYTES // 8 - 1)
    threads.set_num_threads(1)
    threads.parallel_chunks(8, fn, row_bytes=threads.CHUNK_BYTES)
    assert len(ran) > 2 and set(ran) == {caller}


def test_chunks_run_at_the_same_time():
    # Two chunks that each wait for the other: they finish only if two threads run them.
    threads.set_num_threads(2)
    barrier = threading.Barrier(2, timeout=30)
    ran = []
    threads.parallel_chunks(2, lambda start, stop: ran.append(barrier.wait()),
                            row_bytes=threads.CHUNK_BYTES)
    assert sorted(ran) == [0, 1]


def test_a_workers_exception_is_raised_in_the_caller():
    threads.set_num_threads(2)
    caller = threading.get_ident()
    barrier = threading.Barrier(2, timeout=30)
    started = []

    def fn(start, stop):
        started.append(start)
        if start < 2:
            barrier.wait()  # chunks 0 and 1 run in two threads
            if threading.get_ident() != caller:
                raise KeyError(f"chunk {start}")

    with pytest.raises(KeyError, match="chunk [01]"):
        threads.parallel_chunks(1000, fn, row_bytes=threads.CHUNK_BYTES)
    assert len(started) < 1000  # no chunk started after the error was seen
    # The pool still works afterwards.
    out = []
    threads.parallel_chunks(4, lambda s, e: out.append(s), row_bytes=threads.CHUNK_BYTES)
    assert sorted(out) == [0, 1, 2, 3]


def test_the_callers_exception_waits_for_the_workers():
    threads.set_num_threads(2)
    caller = threading.get_ident()
    barrier = threading.Barrier(2, timeout=30)
    never = threading.Event()
    finished = []

    def fn(start, stop):
        barrier.wait()  # chunks 0 and 1 run in two threads
        if threading.get_ident() == caller:
            raise ValueError("in the caller")
        # The worker is still busy when the caller raises: a parallel_chunks that did not
        # wait for it would return within this bounded wait.
        never.wait(0.2)
        finished.append(start)

    with pytest.raises(ValueError, match="in the caller"):
        threads.parallel_chunks(2, fn, row_bytes=threads.CHUNK_BYTES)
    assert len(finished) == 1


def test_nested_and_concurrent_calls(rng):
    # A chunk that calls parallel_chunks runs it inline; several threads may call at once.
    threads.set_num_threads(2)
    x = rng.standard_normal((64, 100))
    out = np.zeros_like(x)

    def row(start, stop):
        def col(s, e):
            out[start:stop, s:e] = 2 * x[start:stop, s:e]
        threads.parallel_chunks(100, col, row_bytes=threads.CHUNK_BYTES)

    callers = [threading.Thread(target=threads.parallel_chunks, args=(64, row),
                                kwargs={"row_bytes": threads.CHUNK_BYTES}) for _ in range(3)]
    for t in callers:
        t.start()
    for t in callers:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in callers)
    assert_same_bits(out, 2 * x)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")
def test_a_forked_child_makes_its_own_pool(chunked):
    x = np.linspace(-3, 3, 1000).reshape(10, 100)
    expected = chunked(2, relu.relu_forward, x)  # the parent's pool exists now
    pid = os.fork()
    if pid == 0:  # the child: the parent's worker threads are gone
        try:
            ok = np.array_equal(chunked(2, relu.relu_forward, x), expected)
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def test_set_num_threads_checks_its_argument():
    with pytest.raises(ValueError, match=r"set_num_threads: n must be an int >= 1 or None; "
                                         r"got 0"):
        threads.set_num_threads(0)
    with pytest.raises(TypeError, match="got float 2.0"):
        threads.set_num_threads(2.0)
    with pytest.raises(TypeError, match="got bool True"):
        threads.set_num_threads(True)
    threads.set_num_threads(3)
    assert threads.get_num_threads() == 3
    threads.set_num_threads(None)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert threads.get_num_threads() == cores



def _fresh_pool(count):
    """A new pool of count threads (the current one closed), made by a parallel call."""
    if threads._pool is not None:
        threads._pool.close()
    threads._pool = None
    threads.set_num_threads(count)
    threads.parallel_chunks(4, lambda s, e: None, row_bytes=threads.CHUNK_BYTES)
    return threads._pool


def _wait_until(condition, timeout=30.0):
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.005)


@pytest.mark.parametrize("spin", [0.0, 0.1])
def test_workers_spin_then_sleep_and_take_work_either_way(monkeypatch, spin):
    monkeypatch.setattr(threads, "SPIN", spin)
    pool = _fresh_pool(3)
    spins = spin > 0 and sys.platform.startswith("linux") and jit.enabled()
    assert (pool.wait is not None) == spins
    start = time.monotonic()
    if spins:
        # Right after a call both workers spin (awake, not waiting on the condition).
        assert pool.sleeping == 0
    _wait_until(lambda: pool.sleeping == 2)
    if spins:
        assert time.monotonic() - start >= 0.5 * spin
    # Asleep, the workers are woken by a post: three chunks that wait for each other.
    barrier = threading.Barrier(3, timeout=30)
    ran = []
    threads.parallel_chunks(3, lambda s, e: ran.append(barrier.wait()),
                            row_bytes=threads.CHUNK_BYTES)
    assert sorted(ran) == [0, 1, 2]
    # Spinning (just after that call), they take the next post without a wake-up.
    threads.parallel_chunks(3, lambda s, e: ran.append(barrier.wait()),
                            row_bytes=threads.CHUNK_BYTES)
    assert sorted(ran) == [0, 0, 1, 1, 2, 2]


def test_a_replaced_pool_lets_its_workers_end():
    def workers():
        return [t for t in threading.enumerate() if t.name.startswith("convnp-kernels")]

    _fresh_pool(4)
    _wait_until(lambda: len(workers()) == 3)
    threads.set_num_threads(2)
    threads.parallel_chunks(4, lambda s, e: None, row_bytes=threads.CHUNK_BYTES)
    _wait_until(lambda: len(workers()) == 1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the compiled wait is Linux's")
def test_the_compiled_wait_returns_on_a_post_or_after_its_time():
    if not jit.enabled():
        pytest.skip("the compiled kernels are off (no numba, or CONVNP_JIT=0)")
    from convnp.kernels._numba_wait import wait_for_post
    posted = np.zeros(1, dtype=np.int64)
    start = time.monotonic()
    assert wait_for_post(posted, 0, 20_000_000) is False       # 20 ms, no post
    assert time.monotonic() - start >= 0.019
    assert wait_for_post(posted, 1, 10 ** 10) is True           # already past `seen`
    timer = threading.Timer(0.02, lambda: posted.__setitem__(0, 5))
    start = time.monotonic()
    timer.start()
    assert wait_for_post(posted, 0, 30 * 10 ** 9) is True       # the post ends the wait
    assert time.monotonic() - start < 20
    timer.join()


# The kernels: threaded == one thread (bit for bit) == the naive layers (to rounding).

def _course_spatial_bn(x, gamma, beta):
    """The course's form: channels last, flattened, vanilla batch norm (train mode)."""
    N, C, H, W = x.shape
    flat = x.transpose(0, 2, 3, 1).reshape(-1, C)
    out, cache = batchnorm_forward(flat, gamma, beta, {"mode": "train"})
    return out.reshape(N, H, W, C).transpose(0, 3, 1, 2), cache


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("N", BATCHES)
def test_batchnorm_kernels(chunked, rng, dtype, N):
    shape = (N, 3, 5, 7)
    x = (4 * rng.standard_normal(shape) + 3).astype(dtype)
    gamma, beta = rng.standard_normal(3).astype(dtype), rng.standard_normal(3).astype(dtype)
    dout = rng.standard_normal(shape).astype(dtype)

    def train():
        out, xhat, inv_std, mean, var = norm.spatial_batchnorm_forward(x, gamma, beta, 1e-5)
        return (out, xhat, inv_std, mean, var,
                *norm.spatial_batchnorm_backward(dout, xhat, gamma, inv_std, True))

    def test_mode():
        out, xhat, inv_std, _, _ = norm.spatial_batchnorm_forward(
            x, gamma, beta, 1e-5, np.full(3, 0.5), np.full(3, 2.0))
        return (out, xhat, *norm.spatial_batchnorm_backward(dout, xhat, gamma, inv_std, False))

    out, xhat, inv_std, mean, var, dx, dgamma, dbeta = threaded_and_single(chunked, train)
    threaded_and_single(chunked, test_mode)
    ref_out, cache = _course_spatial_bn(x.astype(np.float64), gamma.astype(np.float64),
                                        beta.astype(np.float64))
    d_flat = dout.astype(np.float64).transpose(0, 2, 3, 1).reshape(-1, 3)
    ref_dx, ref_dgamma, ref_dbeta = batchnorm_backward_alt(d_flat, cache)
    ref_dx = ref_dx.reshape(N, 5, 7, 3).transpose(0, 3, 1, 2)
    assert out.dtype == dx.dtype == dtype
    for what, got, want in [("out", out, ref_out), ("dx", dx, ref_dx),
                            ("dgamma", dgamma, ref_dgamma), ("dbeta", dbeta, ref_dbeta)]:
        assert_near_reference(got, want, what, tol64=1e-10)


# (x_shape, pool_height, pool_width, stride): tiling windows (reshape path), overlapping ones,
# gaps between windows.
POOLS = [((6, 8), 2, 2, 2), ((5, 7), 3, 3, 2), ((5, 7), 2, 3, 1), ((8, 8), 2, 2, 3)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("N", BATCHES)
@pytest.mark.parametrize("hw, pool_height, pool_width, stride", POOLS)
def test_pool_kernels(chunked, rng, dtype, N, hw, pool_height, pool_width, stride):
    x = rng.integers(0, 3, size=(N, 2) + hw).astype(dtype)  # many tied maxima
    sizes = (pool_height, pool_width, stride)
    p = {"pool_height": pool_height, "pool_width": pool_width, "stride": stride}
    H_out, W_out = pool.output_size(x.shape, *sizes)
    dout = rng.standard_normal((N, 2, H_out, W_out)).astype(dtype)

    def run():
        out, argmax = pool.max_pool_forward(x, *sizes)
        avg = pool.avg_pool_forward(x, *sizes)
        return (out, argmax, pool.max_pool_backward(dout, argmax, x.shape, x.dtype, *sizes),
                avg, pool.avg_pool_backward(dout, x.shape, x.dtype, *sizes))

    out, _, dx, avg, avg_dx = threaded_and_single(chunked, run)
    ref_out, cache = max_pool_forward_naive(x, p)
    assert_same_bits(out, ref_out, "max pool out")
    assert_near_reference(dx, max_pool_backward_naive(dout, cache), "max pool dx")
    ref_avg, avg_cache = avg_pool_forward_naive(x, p)
    assert_near_reference(avg, ref_avg, "avg pool out")
    assert_near_reference(avg_dx, avg_pool_backward_naive(dout, avg_cache), "avg pool dx")


def test_max_pool_of_a_cropped_view(chunked, rng):
    # nn.MaxPool2d passes a crop of x, not contiguous (its planes are still a view).
    crop = rng.integers(0, 3, size=(3, 4, 9, 9)).astype(np.float32)[:, :, :8, :8]
    dout = rng.standard_normal((3, 4, 4, 4)).astype(np.float32)

    def run():
        out, argmax = pool.max_pool_forward(crop, 2, 2, 2)
        return out, argmax, pool.max_pool_backward(dout, argmax, crop.shape, crop.dtype, 2, 2, 2)

    out, _, dx = threaded_and_single(chunked, run)
    ref_out, cache = max_pool_forward_naive(np.ascontiguousarray(crop),
                                            {"pool_height": 2, "pool_width": 2, "stride": 2})
    assert_same_bits(out, ref_out, "out")
    # The kernel's other elements get dout * 0, the naive loop's stay +0.0: equal, not same bits.
    np.testing.assert_array_equal(dx, max_pool_backward_naive(dout, cache))


@pytest.mark.parametrize("N", BATCHES)
def test_max_pool_module_with_a_crop(chunked, rng, N):
    # 7 x 9 under a 2x2 window: the last row and column are read by no window, so their
    # gradient is zero, filled in by max_pool_backward's full_shape (in the compiled pass, or
    # by pool.uncrop on the NumPy path).
    x = rng.standard_normal((N, 2, 7, 9)).astype(np.float32)
    dout = rng.standard_normal((N, 2, 3, 4)).astype(np.float32)
    m = nn.MaxPool2d(2)
    out, dx = threaded_and_single(chunked, lambda: (m(x), m.backward(dout)))
    ref_out, cache = max_pool_forward_naive(np.ascontiguousarray(x[:, :, :6, :8]),
                                            {"pool_height": 2, "pool_width": 2, "stride": 2})
    expected = np.zeros_like(x)
    expected[:, :, :6, :8] = max_pool_backward_naive(dout, cache)
    assert_same_bits(out, ref_out, "out")
    np.testing.assert_array_equal(dx, expected)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("N", BATCHES)
def test_relu_kernels(chunked, rng, dtype, N, kernel_backend):
    x = rng.standard_normal((N, 3, 5, 7)).astype(dtype)
    x.reshape(-1)[:7] = [0.0, -0.0, np.nan, -np.inf, np.inf, -1.0, -np.nan]
    dout = rng.standard_normal(x.shape).astype(dtype)  # negative dout * 0 is -0.0
    # Where out <= 0 dout * 0 (a NaN stays NaN, its sign kept), where out > 0 dout's own bits.
    dout.reshape(-1)[[0, 3, 4, 5]] = [-np.nan, np.nan, np.inf, -0.0]
    out, dx = threaded_and_single(chunked, lambda: (relu.relu_forward(x),
                                                    relu.relu_backward(dout, np.maximum(x, 0))))
    ref_out, cache = relu_forward(x)
    assert_same_bits(out, ref_out, "out")
    assert_same_bits(dx, relu_backward(dout, cache), "dx")
    # And the module, which calls the kernels; a strided view takes the plain path.
    m = nn.ReLU()
    assert_same_bits(chunked(2, m, x), ref_out, "ReLU()(x)")
    assert_same_bits(chunked(2, m.backward, dout), relu_backward(dout, cache), "backward")
    view = x[:, :, ::2]
    assert_same_bits(chunked(2, relu.relu_forward, view), relu_forward(view)[0], "view")


@pytest.mark.parametrize("N", BATCHES)
def test_gelu_kernels(chunked, rng, N, kernel_backend):
    x = (3 * rng.standard_normal((N, 3, 5, 7))).astype(np.float32)
    x.reshape(-1)[:4] = [0.0, -0.0, np.nan, -40.0]
    dout = rng.standard_normal(x.shape).astype(np.float32)

    def run():
        out, cdf = gelu.gelu_forward(x)
        return out, cdf, gelu.gelu_backward(dout, x, cdf)

    out, cdf, dx = threaded_and_single(chunked, run)
    if kernel_backend == "numpy":
        # The whole array in one call of the unchunked formula, as the kernel computed it
        # before.
        assert_same_bits(cdf, gelu.normal_cdf_f32(x), "cdf")
        assert_same_bits(out, x * gelu.normal_cdf_f32(x), "out")
    else:
        # The compiled formula in one call on the whole array (no threads, no chunks).
        whole_out, whole_cdf = np.empty_like(x), np.empty_like(x)
        jit.kernels().gelu_forward(x.reshape(-1), whole_out.reshape(-1), whole_cdf.reshape(-1))
        assert_same_bits(cdf, whole_cdf, "cdf")
        assert_same_bits(out, whole_out, "out")
    # dx against GELU's derivative in float64 (math.erf), where x is finite.
    x64, finite = x.astype(np.float64), np.isfinite(x)
    phi = np.exp(-x64 * x64 / 2) / np.sqrt(2 * np.pi)
    Phi = 0.5 * (1 + np.vectorize(math.erf)(x64 / np.sqrt(2)))
    want = dout * (Phi + x64 * phi)
    np.testing.assert_allclose(dx[finite], want[finite], rtol=0,
                               atol=2e-6 * np.abs(want[finite]).max())


def test_gelu_keeps_a_0d_shape(kernel_backend):
    m = nn.GELU()
    out = m(np.array(0.5, dtype=np.float32))
    assert out.shape == () and m.backward(np.array(1.0, dtype=np.float32)).shape == ()


def test_workers_follow_the_callers_errstate(chunked, numpy_kernels):
    # (The compiled kernels raise no floating-point errors: NumPy's errstate is NumPy's.)
    # x * x overflows for |x| > 1.8e19: the caller's np.errstate decides, in every thread.
    x = np.full((64, 50), 1e20, dtype=np.float32)
    dout, cdf = np.ones_like(x), np.ones_like(x)
    with np.errstate(over="ignore"):
        dx = chunked(2, gelu.gelu_backward, dout, x, cdf)  # a warning would raise in pytest
    np.testing.assert_array_equal(dx, np.ones_like(x))
    with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow"):
        chunked(2, gelu.gelu_backward, dout, x, cdf)


def test_kernels_raise_from_a_chunk(chunked, monkeypatch, numpy_kernels):
    # An error inside a kernel's chunk (here a bad dtype deep in a worker) reaches the caller.
    def broken(x):
        raise FloatingPointError("from the chunk")
    monkeypatch.setattr(gelu, "normal_cdf_f32", broken)
    with pytest.raises(FloatingPointError, match="from the chunk"):
        chunked(2, gelu.gelu_forward, np.ones((4, 50), np.float32))
