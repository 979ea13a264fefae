"""A small thread pool for the elementwise passes of the kernels.

NumPy runs each ufunc on one core, while PyTorch spreads its elementwise ops over all of them.
NumPy releases the GIL inside a ufunc's loop, so two Python threads that each take part of an
array run at the same time. ``parallel_chunks(n, fn, ...)`` splits range(n) (rows of a leading
axis, or the elements of a flattened array) into contiguous chunks and calls fn(start, stop)
on each, in the calling thread and in the pool's workers; fn writes its own slice of arrays
allocated beforehand (``np.multiply(a[s:e], b[s:e], out=out[s:e])``), so no two threads write
the same element. The chunks are small (up to CHUNK_BYTES of each array) and each thread takes
the next one when it is done with its last: a chunk's several passes run in the core's cache
rather than through memory, and a core slowed by another process does fewer chunks instead of
holding up the rest.

Results do not depend on the number of threads: an elementwise pass computes each element
alike whichever thread does it, and the kernels reduce within a chunk only along whole rows
(per image and channel, say), then add the rows up in the calling thread in a fixed order.

The thread count is the process's, as BLAS's is: by default one thread per core this process
may run on (``os.sched_getaffinity``, read again on each large call, so pinning the process
later is followed); ``set_num_threads(n)`` fixes it, and 1 runs everything inline in the
calling thread. Calls from several threads at once are safe (each caller works through its own
chunks and waits only for workers that took one of them); a forked child starts a new pool.
Workers run in a copy of the caller's context, so the caller's np.errstate holds in them too
(NumPy >= 2, where errstate is a context variable; under NumPy 1.x it is per thread, and the
workers keep NumPy's default: warn).
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

# Below this many bytes (of the largest array) a call runs inline: waking a worker and
# handing it chunks costs some 10-50 us on a quiet machine, about what one core needs for a
# pass over 1 MiB.
MIN_PARALLEL_BYTES = 1 << 20
# The most a chunk takes of the largest array it touches. Each chunk costs some microseconds
# of Python (a lock, slicing, a call per pass) and a GIL hand-over per pass; smaller chunks
# stay in L2 between a kernel's passes, larger ones pay that cost less often. On one thread
# (time.thread_time, 2-core AMD EPYC) batch norm, the pools, ReLU and GELU are fastest at
# 512 KiB to 1 MiB, and 10-40% slower at 64 KiB.
CHUNK_BYTES = 1 << 20


class _Pool:
    """The process's worker threads: count - 1 of them, the calling thread being the other."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.executor = (ThreadPoolExecutor(count - 1, thread_name_prefix="convnp-kernels")
                         if count > 1 else None)


_lock = threading.Lock()
_requested: int | None = None        # set_num_threads's count; None follows the affinity mask
_pool: _Pool | None = None
_inside = threading.local()          # calls made from inside a chunk run inline


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no sched_getaffinity (macOS, Windows)
        return os.cpu_count() or 1


def get_num_threads() -> int:
    """The number of threads the kernels use: set_num_threads's, else the cores available."""
    return _requested if _requested is not None else _available_cores()


def set_num_threads(n: int | None) -> None:
    """Use n threads (an int >= 1) for the kernels' elementwise passes; 1 runs them inline.

    None goes back to the default, one thread per core the process may run on. The results
    do not depend on the count (see the module docstring). Like the BLAS's thread count, the
    setting is the whole process's.
    """
    global _requested
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"set_num_threads: n must be an int >= 1 or None; got "
                            f"{type(n).__name__} {n!r}")
        if n < 1:
            raise ValueError(f"set_num_threads: n must be an int >= 1 or None; got {n}")
    with _lock:
        _requested = n


def _get_pool(count: int) -> _Pool:
    """The pool for count threads, made on first use and again when the count changes."""
    global _pool
    with _lock:
        if _pool is None or _pool.count != count:
            old, _pool = _pool, _Pool(count)
            if old is not None and old.executor is not None:
                old.executor.shutdown(wait=False)  # its running chunks finish on their own
        return _pool


def _forget_pool_in_child() -> None:
    """After fork the child has none of the parent's threads: drop the pool, make a new lock."""
    global _pool, _lock
    _pool = None
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool_in_child)


class _Job:
    """One parallel_chunks call: the chunks still to take, the helpers at work, the error."""

    def __init__(self, n: int, chunk: int, fn: Callable[[int, int], object]) -> None:
        self.n, self.chunk, self.fn = n, chunk, fn
        self.next = 0
        self.helpers = 0
        self.error: BaseException | None = None
        self.cond = threading.Condition(threading.Lock())

    def _take(self) -> int | None:
        """The start of the next chunk, or None when none is left (call with cond held)."""
        if self.next >= self.n or self.error is not None:
            return None
        start = self.next
        self.next = min(self.n, start + self.chunk)
        return start

    def work(self) -> None:
        """Do chunks until none is left; the first error stops every thread's next take."""
        while True:
            with self.cond:
                start = self._take()
            if start is None:
                return
            try:
                self.fn(start, min(self.n, start + self.chunk))
            except BaseException as e:
                with self.cond:
                    if self.error is None:
                        self.error = e
                return

    def help(self) -> None:
        """A worker's part: join only if chunks are left, so a late worker touches nothing."""
        with self.cond:
            if self.next >= self.n or self.error is not None:
                return
            self.helpers += 1
        _inside.chunk = True
        try:
            self.work()
        finally:
            _inside.chunk = False
            with self.cond:
                self.helpers -= 1
                self.cond.notify_all()

    def wait_for_helpers(self) -> None:
        with self.cond:
            while self.helpers:
                self.cond.wait()


def parallel_chunks(n: int, fn: Callable[[int, int], object], *, row_bytes: int) -> None:
    """Call fn(start, stop) on contiguous chunks [start, stop) that cover range(n) once.

    range(n) indexes rows (of a leading axis, or single elements of a flattened array) of
    row_bytes bytes each, in the largest array fn touches. A chunk is CHUNK_BYTES of rows, or
    fewer so that each thread gets at least two chunks. The calling thread and the pool's
    workers take the chunks in turn, each the next one left, until none is; this returns when
    every chunk is done. The chunks run inline, in order, in the calling thread when the whole
    range is under MIN_PARALLEL_BYTES or one row, when the thread count is 1, or when called
    from inside a chunk. fn's return value is ignored: it writes into disjoint slices of
    arrays allocated before the call. An exception raised by fn in any thread is raised here,
    once every thread has stopped (no chunk starts after the first error).
    """
    chunk = max(1, CHUNK_BYTES // max(1, row_bytes))
    if (n < 2 or n * row_bytes < MIN_PARALLEL_BYTES or getattr(_inside, "chunk", False)
            or (count := get_num_threads()) == 1):
        for start in range(0, n, chunk):
            fn(start, min(n, start + chunk))
        return
    chunk = min(chunk, -(-n // (2 * count)))
    pool = _get_pool(count)
    job = _Job(n, chunk, fn)
    for _ in range(min(count, -(-n // chunk)) - 1):
        try:
            # In the caller's context: np.errstate lives in a context variable, and a worker
            # must ignore, warn or raise on overflow as the calling thread would.
            pool.executor.submit(contextvars.copy_context().run, job.help)
        except RuntimeError:  # set_num_threads replaced the pool meanwhile: fewer helpers
            break
    _inside.chunk = True
    try:
        job.work()
    finally:
        _inside.chunk = False
    job.wait_for_helpers()
    if job.error is not None:
        raise job.error
