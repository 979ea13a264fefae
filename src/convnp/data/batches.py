"""Minibatches for an epoch: shuffle, augment, preprocess, optionally prepared ahead in a thread.

    >>> import numpy as np
    >>> X = np.zeros((10, 4, 4, 3), dtype=np.uint8); y = np.arange(10)
    >>> batches = BatchIterator(X, y, 4, rng=np.random.default_rng(0))
    >>> len(batches), [yb.shape for _, yb in batches]
    (3, [(4,), (4,), (2,)])
"""

from __future__ import annotations

import queue
import threading
import weakref
from collections.abc import Iterator

import numpy as np

from .. import _validate

__all__ = ["BatchIterator"]

# How often a blocked worker looks whether it has been told to stop (seconds). The consumer
# also empties the queue when it stops the worker, so a stop normally takes effect at once.
_POLL_S = 0.05


class BatchIterator:
    """Iterate over (X_batch, y_batch) minibatches, one epoch per ``for`` loop.

    Each ``iter()`` starts an epoch (closing an unfinished previous one): with shuffle, a new
    permutation ``rng.permutation(N)``, else the rows in order; then, per batch of indices idx:

        X_batch = X[idx]                                     stored rows, a new array
        X_batch = transform(X_batch, rng, epoch=e, indices=idx)     if transform
        X_batch = preprocess(X_batch)                               if preprocess
        y_batch = y[idx]

    with e the 0-based number of the epoch. ``rng`` is drawn from in exactly this order
    (permutation, then each batch's transform), so a seeded iterator repeats exactly.

    With ``prefetch = k > 0`` one background thread does all of the above for up to k batches
    ahead of the consumer (numpy releases the GIL in the copies and arithmetic that dominate).
    The batches are exactly those of prefetch=0 with the same rng: the thread makes the same
    draws in the same order, and when an epoch is left early (``break``, ``close()``, the loop's
    iterator garbage-collected) the thread is stopped and joined and ``rng`` is put back in the
    state it would have without prefetching (after the draws of the batches actually handed
    out), so later epochs match too. An exception raised in the thread (by transform, say) is
    raised in the consumer, with its traceback. While an epoch runs the iterator owns ``rng``:
    do not draw from it elsewhere.

    Args:
    - X: ndarray (N, ...), the stored examples (uint8 (N, H, W, C) images, usually), N >= 1
    - y: ndarray (N, ...), the labels
    - batch_size: int >= 1
    - shuffle: a new random order every epoch (True, default) or the stored order
    - drop_last: leave out the last batch when it is smaller than batch_size. Default False
    - rng: numpy.random.Generator for the order and the transform; None: a fresh unseeded one
    - transform: callable ``t(X_batch, rng, *, epoch, indices) -> X_batch`` (the transforms of
      ``convnp.data.augment``), or None
    - preprocess: callable ``X_batch -> model input`` (``convnp.data.preprocess.Standardize``,
      say), or None
    - prefetch: int >= 0, the number of batches prepared ahead in a background thread; 0
      (default) prepares each batch when it is asked for

    Attributes:
    - epoch: the number of epochs started (0 before the first ``for`` loop)

    ``len(it)`` is the number of batches per epoch: ceil(N / batch_size), or
    N // batch_size with drop_last (0 when N < batch_size).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, batch_size: int, *, shuffle: bool = True,
                 drop_last: bool = False, rng: np.random.Generator | None = None,
                 transform=None, preprocess=None, prefetch: int = 0) -> None:
        fn = "BatchIterator"
        for name, arr in (("X", X), ("y", y)):
            if not isinstance(arr, np.ndarray):
                raise TypeError(f"{fn}: {name} must be a numpy.ndarray; got {type(arr).__name__}")
            if arr.ndim < 1:
                raise ValueError(f"{fn}: {name} must have a first axis of examples; got a 0-d "
                                 f"array")
        if X.shape[0] != y.shape[0]:
            raise ValueError(f"{fn}: X and y must hold the same number of examples; got X "
                             f"{X.shape}, y {y.shape}")
        if X.shape[0] == 0:
            raise ValueError(f"{fn}: X must hold at least one example; got shape {X.shape}")
        self.X, self.y = X, y
        self.batch_size = _validate.integer(batch_size, "batch_size", fn, minimum=1)
        for name, flag in (("shuffle", shuffle), ("drop_last", drop_last)):
            if not isinstance(flag, (bool, np.bool_)):
                raise TypeError(f"{fn}: {name} must be True or False; got {flag!r}")
        self.shuffle, self.drop_last = bool(shuffle), bool(drop_last)
        self.rng = _validate.generator(rng, fn)
        for name, f in (("transform", transform), ("preprocess", preprocess)):
            if f is not None and not callable(f):
                raise TypeError(f"{fn}: {name} must be a callable or None; got "
                                f"{type(f).__name__}")
        self.transform, self.preprocess = transform, preprocess
        self.prefetch = _validate.integer(prefetch, "prefetch", fn, minimum=0)
        self.epoch = 0
        self._live: weakref.WeakSet = weakref.WeakSet()  # iterators of unfinished epochs

    def __len__(self) -> int:
        N, B = self.X.shape[0], self.batch_size
        return N // B if self.drop_last else -(-N // B)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        self.close()
        epoch, self.epoch = self.epoch, self.epoch + 1
        it = self._batches(epoch) if self.prefetch == 0 else self._prefetched(epoch)
        self._live.add(it)
        return it

    def _batches(self, epoch: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """One epoch's batches, computed when asked for (every rng draw happens here)."""
        N, B = self.X.shape[0], self.batch_size
        order = self.rng.permutation(N) if self.shuffle else np.arange(N)
        for b in range(len(self)):
            idx = order[b * B:(b + 1) * B]
            X_batch, y_batch = self.X[idx], self.y[idx]
            if self.transform is not None:
                X_batch = self.transform(X_batch, self.rng, epoch=epoch, indices=idx)
            if self.preprocess is not None:
                X_batch = self.preprocess(X_batch)
            yield X_batch, y_batch

    def _prefetched(self, epoch: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``_batches(epoch)`` run in a background thread, up to ``prefetch`` batches ahead."""
        worker = _Worker(self._batches(epoch), self.prefetch, self.rng, f"epoch {epoch}")
        try:
            while True:
                kind, value = worker.get()
                if kind == "done":
                    return
                if kind == "error":
                    raise value
                yield value
        finally:
            worker.stop()

    def close(self) -> None:
        """Stop the epoch in progress, if any (its background thread too); idempotent."""
        for it in list(self._live):
            it.close()

    def __enter__(self) -> BatchIterator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"BatchIterator(N={self.X.shape[0]}, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last}, "
                f"prefetch={self.prefetch}, epoch={self.epoch})")


class _Worker:
    """A daemon thread that runs a batch generator ahead into a bounded queue.

    The queue carries ('batch', (X_batch, y_batch), rng state after it), then ('done', ...) or
    ('error', exception). ``stop`` tells the thread to stop, empties the queue so a blocked put
    returns, joins it, and, if the epoch was left early, restores the rng to its state after
    the last batch handed out.
    """

    def __init__(self, batches: Iterator, depth: int, rng: np.random.Generator,
                 what: str) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._rng = rng
        self._handed_state = rng.bit_generator.state  # nothing handed out yet
        self._finished = False  # 'done' or 'error' received
        self.thread = threading.Thread(target=_run, args=(batches, self._queue, self._stop, rng),
                                       name=f"convnp-BatchIterator-prefetch ({what})",
                                       daemon=True)
        self.thread.start()

    def get(self) -> tuple[str, object]:
        kind, value, state = self._queue.get()
        if kind == "batch":
            self._handed_state = state
        else:
            self._finished = True
        return kind, value

    def stop(self) -> None:
        self._stop.set()
        if threading.current_thread() is self.thread:
            return  # finalised by a garbage collection in the thread itself: it exits next
        while self.thread.is_alive():
            try:
                while True:
                    self._queue.get_nowait()
            except queue.Empty:
                pass
            self.thread.join(timeout=_POLL_S)
        if not self._finished:
            self._rng.bit_generator.state = self._handed_state


def _run(batches: Iterator, q: queue.Queue, stop: threading.Event,
         rng: np.random.Generator) -> None:
    """The worker thread's body (a function, not a method: it must not keep the consumer's
    iterator alive, so that dropping that iterator stops the thread)."""
    try:
        for item in batches:
            if not _put(q, ("batch", item, rng.bit_generator.state), stop):
                return
        _put(q, ("done", None, None), stop)
    except BaseException as exc:  # handed to the consumer, which raises it
        _put(q, ("error", exc, None), stop)
    finally:
        batches.close()


def _put(q: queue.Queue, item, stop: threading.Event) -> bool:
    """Put item, waiting for room until told to stop; return whether it was put."""
    while not stop.is_set():
        try:
            q.put(item, timeout=_POLL_S)
            return True
        except queue.Full:
            continue
    return False
