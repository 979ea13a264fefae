"""convnp.kernels.blas: the products are a @ b's, and a small one runs on one BLAS thread."""

import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from convnp.kernels import blas
from convnp.layers import affine_backward, affine_forward


class FakeLibrary:
    """A BLAS controller that records the thread counts set on it."""

    def __init__(self, count):
        self.count, self.history = count, []

    def get_num_threads(self):
        return self.count

    def set_num_threads(self, count):
        self.count = count
        self.history.append(count)


@pytest.fixture
def fake(monkeypatch):
    library = FakeLibrary(4)
    monkeypatch.setattr(blas, "_libraries", [library])
    return library


def blas_threads():
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@pytest.mark.parametrize("shape", [(3, 4, 5), (128, 256, 100), (300, 300, 300)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matmul_is_the_product(rng, shape, dtype):
    m, k, n = shape
    a = rng.standard_normal((m, k)).astype(dtype)
    b = rng.standard_normal((k, n)).astype(dtype)
    before = blas_threads()
    out = blas.matmul(a, b)
    assert out.dtype == dtype and out.shape == (m, n)
    # One thread may sum in another order than several (OpenBLAS's small-matrix kernels).
    tol = 1e-5 if dtype == np.float32 else 1e-12
    expected = a.astype(np.float64) @ b.astype(np.float64)
    np.testing.assert_allclose(out, expected, rtol=tol, atol=tol * np.abs(expected).max())
    flipped = blas.matmul(a, b[:, ::-1])
    np.testing.assert_allclose(flipped, expected[:, ::-1], rtol=tol,
                               atol=tol * np.abs(expected).max())
    assert blas_threads() == before              # the count is restored


def test_a_small_product_runs_on_one_thread(fake, monkeypatch, rng):
    seen = []

    class Spy(np.ndarray):
        def __matmul__(self, other):
            seen.append(fake.count)
            return np.asarray(self) @ other

    a = rng.standard_normal((8, 8)).view(Spy)
    b = rng.standard_normal((8, 8))
    blas.matmul(a, b)
    assert seen == [1] and fake.count == 4 and fake.history == [1, 4]
    monkeypatch.setattr(blas, "SMALL_PRODUCT", 8 * 8 * 8)   # now it is not small
    blas.matmul(a, b)
    assert seen == [1, 4] and fake.history == [1, 4]


def test_the_count_is_restored_after_an_error(fake):
    with pytest.raises(ValueError, match="matmul"):
        blas.matmul(np.ones((2, 3)), np.ones((2, 3)))
    assert fake.count == 4 and fake.history == [1, 4]


def test_overlapping_small_products_restore_the_count_once(fake):
    # Two threads' products overlap: the first in sets 1, the last out sets 4 back.
    inside = threading.Barrier(2, timeout=30)

    class Waits(np.ndarray):
        def __matmul__(self, other):
            inside.wait()
            assert fake.count == 1
            inside.wait()
            return np.asarray(self) @ other

    a = np.ones((4, 4)).view(Waits)
    workers = [threading.Thread(target=blas.matmul, args=(a, np.ones((4, 4))))
               for _ in range(2)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in workers)
    assert fake.count == 4 and fake.history == [1, 4]


def test_without_a_blas_controller_products_run_as_numpys(monkeypatch, rng):
    monkeypatch.setattr(blas, "_libraries", [])
    a, b = rng.standard_normal((5, 6)), rng.standard_normal((6, 7))
    np.testing.assert_array_equal(blas.matmul(a, b), a @ b)


def test_the_affine_layer_uses_it(fake, rng):
    x, w, b = rng.standard_normal((4, 2, 3)), rng.standard_normal((6, 5)), np.zeros(5)
    out, cache = affine_forward(x, w, b)
    np.testing.assert_array_equal(out, x.reshape(4, 6) @ w)
    dx, dw, _ = affine_backward(np.ones((4, 5)), cache)
    np.testing.assert_array_equal(dw, x.reshape(4, 6).T @ np.ones((4, 5)))
    assert fake.history == [1, 4] * 3          # the forward's product and the backward's two
