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

A worker out of work spins for SPIN seconds (5 ms) before it sleeps, as OpenMP's and
OpenBLAS's threads do: a training step calls the pool dozens of times with some microseconds
of Python in between, and a spinning worker takes the next call's chunks at once, where a
sleeping one must be woken by the kernel. The spin runs in compiled code without the GIL
(``_numba_wait``: Linux, with the compiled kernels on; elsewhere the workers sleep at once)
and yields the core at each turn to any thread that is ready to run on it. Measured on the
2-core AMD EPYC of benchmarks/RESULTS.md, a ``notes_cnn`` training step (37 calls) took 6.0 ms
against 6.4 back to back, and 8.4 against 9.2 ms after 20 ms idle (NumPy's BLAS on one
thread); it costs one core for 5 ms after the last call. On that machine (a virtual machine
whose kernel packs threads onto few cores when the load is low: ``sched_vcpu_pack`` on its
command line) the worker and the calling thread share one core for tens of milliseconds after
some idle time; the calling thread then does most chunks itself.
"""

from __future__ import annotations

import collections
import contextvars
import functools
import os
import sys
import threading
from collections.abc import Callable

import numpy as np

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
# Seconds a worker out of work spins before it sleeps (see the module docstring).
SPIN = 0.005


class _Pool:
    """The process's worker threads: count - 1 of them, the calling thread being the other.

    ``post(runs)`` offers each run to one worker. A worker out of work first spins for SPIN
    seconds without the GIL, watching ``posted`` (bumped by every post), then sleeps on
    ``cond`` until a post wakes it.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self.cond = threading.Condition(threading.Lock())
        self.runs: collections.deque[Callable[[], object]] = collections.deque()
        self.posted = np.zeros(1, dtype=np.int64)
        self.sleeping = 0
        self.closed = False
        self.wait = _spin_function()
        for i in range(count - 1):
            threading.Thread(target=self._work, name=f"convnp-kernels_{i}", daemon=True).start()

    def post(self, runs: list[Callable[[], object]]) -> None:
        """Offer each of runs to one worker."""
        with self.cond:
            self.runs.extend(runs)
            self.posted[0] += 1
            if self.sleeping:
                self.cond.notify(len(runs))

    def close(self) -> None:
        """Let the workers end once their current run is done (a replaced pool)."""
        with self.cond:
            self.closed = True
            self.posted[0] += 1
            self.cond.notify_all()

    def _next(self) -> Callable[[], object] | None:
        """The next run offered to this worker; None once the pool is closed."""
        spun = False
        with self.cond:
            while True:
                if self.closed:
                    return None
                if self.runs:
                    return self.runs.popleft()
                if self.wait is not None and not spun:
                    # Spin outside the lock and without the GIL; a post meanwhile bumps
                    # posted, and the loop looks again under the lock.
                    seen = int(self.posted[0])
                    self.cond.release()
                    try:
                        posted = self.wait(self.posted, seen, int(SPIN * 1e9))
                    finally:
                        self.cond.acquire()
                    spun = not posted     # after a post (taken by another worker?) spin on
                    continue
                self.sleeping += 1
                try:
                    self.cond.wait()
                finally:
                    self.sleeping -= 1
                spun = False

    def _work(self) -> None:
        while (run := self._next()) is not None:
            run()


def _spin_function():
    """The compiled wait of ``_numba_wait`` (Linux, compiled kernels on), else None."""
    if SPIN <= 0 or not sys.platform.startswith("linux"):
        return None
    from . import jit
    if not jit.enabled():
        return None
    try:
        from ._numba_wait import wait_for_post
    except Exception:  # noqa: BLE001  (no spin: the workers sleep when out of work)
        return None
    return wait_for_post


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
            if old is not None:
                old.close()  # its workers finish their running chunks, then end
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
    # In the caller's context: np.errstate lives in a context variable, and a worker must
    # ignore, warn or raise on overflow as the calling thread would.
    # (A context is entered by one thread at a time: one copy per helper.)
    pool.post([functools.partial(contextvars.copy_context().run, job.help)
               for _ in range(min(count, -(-n // chunk)) - 1)])
    _inside.chunk = True
    try:
        job.work()
    finally:
        _inside.chunk = False
    job.wait_for_helpers()
    if job.error is not None:
        raise job.error
