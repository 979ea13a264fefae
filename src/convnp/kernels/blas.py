"""Matrix products, the small ones on one BLAS thread: ``matmul(a, b)``.

OpenBLAS splits a product over its threads from some 262,144 multiply-adds (m n k) on, and
after each product its threads spin (2**22 cycles with convnp's OPENBLAS_THREAD_TIMEOUT, see
``convnp.BLAS_SPIN_ENV``) on the cores that convnp's compiled kernels and thread pool run on
next. For the products of small layers the split saves less than the spin costs: on the 2-core
AMD EPYC of benchmarks/RESULTS.md a training step of ``notes_cnn`` (Linear(256, 100) on batch
128, 3.3M multiply-adds) took 6.3 ms with every product on one thread against 6.6 ms
(``benchmarks/train_step.py --pause 0.02``), while ``three_layer`` (Linear(8192, 100), 105M)
took 23.3 ms against 20.4: its products are worth the threads. So a product of fewer than
SMALL_PRODUCT multiply-adds runs with the BLAS limited to one thread (threadpoolctl, a call
into the library each way, about 1 us), larger ones as NumPy runs them.

The limit is the process's (BLAS has one thread count): while a small product runs, a product
in another Python thread runs on one thread too. threadpoolctl lets one Python thread control
OpenBLAS's count; in the others the products run as NumPy runs them. On one thread OpenBLAS
may sum a product in another order than on several (float32 results differ in their last
bits), so a product's rounding depends on its size and the BLAS thread count, as it did
before; the same call on the same machine gives the same numbers.
"""

from __future__ import annotations

import threading

import numpy as np

# Multiply-adds (m n k) below which a product runs on one BLAS thread (see the docstring).
SMALL_PRODUCT = 25_000_000

_lock = threading.Lock()
_libraries = None         # threadpoolctl's controllers of the loaded BLAS, found on first use
_depth = 0                # small products running now (in any thread)
_saved: list = []         # the thread counts to restore when the last one ends


def _blas_libraries() -> list:
    global _libraries
    if _libraries is None:
        try:
            from threadpoolctl import ThreadpoolController
            _libraries = ThreadpoolController().select(user_api="blas").lib_controllers
        except Exception:  # noqa: BLE001  (no threadpoolctl, or it fails: products as NumPy's)
            _libraries = []
    return _libraries


def _limit() -> None:
    global _depth, _saved
    with _lock:
        if _depth == 0:
            libraries = _blas_libraries()
            _saved = [lib.get_num_threads() for lib in libraries]
            for lib in libraries:
                lib.set_num_threads(1)
        _depth += 1


def _restore() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0:
            for lib, count in zip(_blas_libraries(), _saved):
                if count is not None:
                    lib.set_num_threads(count)


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b for 2-d a (m, k) and b (k, n); on one BLAS thread when m n k < SMALL_PRODUCT."""
    if a.shape[0] * a.shape[1] * b.shape[1] >= SMALL_PRODUCT:
        return a @ b
    _limit()
    try:
        return a @ b
    finally:
        _restore()
