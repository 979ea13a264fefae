import gc
import threading
import traceback

import numpy as np
import pytest

from convnp.data.augment import Compose, RandomCrop, RandomFlip
from convnp.data.batches import BatchIterator
from convnp.data.preprocess import Standardize

THREAD_PREFIX = "convnp-BatchIterator-prefetch"


def _prefetch_threads():
    return [t for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX) and t.is_alive()]


def _data(N=10):
    """Image n is filled with the value n, so a batch's rows can be checked against its labels."""
    X = np.broadcast_to(np.arange(N, dtype=np.uint8)[:, None, None, None], (N, 4, 4, 3)).copy()
    return X, np.arange(N, dtype=np.int64)


def _epoch(it):
    return [(xb.copy(), yb.copy()) for xb, yb in it]


@pytest.mark.parametrize("prefetch", [0, 2])
def test_every_index_once_per_epoch(prefetch):
    X, y = _data(10)
    it = BatchIterator(X, y, 3, rng=np.random.default_rng(0), prefetch=prefetch)
    assert len(it) == 4
    orders = []
    for _ in range(3):
        batches = _epoch(it)
        assert [b[1].shape[0] for b in batches] == [3, 3, 3, 1]
        for xb, yb in batches:
            np.testing.assert_array_equal(xb[:, 0, 0, 0], yb)  # rows stay with their labels
        order = np.concatenate([yb for _, yb in batches])
        np.testing.assert_array_equal(np.sort(order), np.arange(10))
        orders.append(order)
    assert it.epoch == 3
    assert not np.array_equal(orders[0], orders[1])  # a new permutation each epoch


def test_order_is_the_rngs_permutation_and_unshuffled_is_in_order():
    X, y = _data(10)
    it = BatchIterator(X, y, 4, rng=np.random.default_rng(8))
    ref = np.random.default_rng(8)
    for _ in range(2):
        np.testing.assert_array_equal(np.concatenate([yb for _, yb in it]), ref.permutation(10))
    ordered = BatchIterator(X, y, 4, shuffle=False)
    assert [yb.tolist() for _, yb in ordered] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_drop_last():
    X, y = _data(10)
    it = BatchIterator(X, y, 3, drop_last=True, rng=np.random.default_rng(1))
    assert len(it) == 3
    batches = _epoch(it)
    assert [yb.shape[0] for _, yb in batches] == [3, 3, 3]
    seen = np.concatenate([yb for _, yb in batches])
    assert len(set(seen.tolist())) == 9
    assert len(BatchIterator(X, y, 11, drop_last=True)) == 0
    assert len(BatchIterator(X, y, 11)) == 1


def test_batches_are_new_arrays():
    X, y = _data(4)
    xb, yb = next(iter(BatchIterator(X, y, 4, shuffle=False)))
    xb[...] = 99
    yb[...] = 99
    assert X.max() == 3 and y.max() == 3


def test_transform_gets_the_epoch_and_the_indices_then_preprocess_runs():
    X, y = _data(6)
    calls = []

    def transform(X_batch, rng, *, epoch, indices):
        calls.append((epoch, indices.tolist()))
        return X_batch + 1

    pre = Standardize(mean=[1.0, 1.0, 1.0], std=[2.0, 2.0, 2.0])
    it = BatchIterator(X, y, 4, shuffle=False, transform=transform, preprocess=pre)
    for epoch in range(2):
        for xb, yb in it:
            assert xb.dtype == np.float32 and xb.shape == (yb.shape[0], 3, 4, 4)
            # (X + 1 - mean) / std, computed by hand from the labels (image n holds n)
            np.testing.assert_array_equal(xb[:, 0, 0, 0], yb / 2.0)
        assert it.epoch == epoch + 1
    assert calls == [(0, [0, 1, 2, 3]), (0, [4, 5]), (1, [0, 1, 2, 3]), (1, [4, 5])]


def test_same_seed_same_batches_and_a_reference_of_the_draws(rng):
    X = rng.integers(0, 256, size=(9, 6, 6, 3), dtype=np.uint8)
    y = np.arange(9)
    t = Compose([RandomCrop(6, padding=2), RandomFlip()])
    it = BatchIterator(X, y, 4, rng=np.random.default_rng(3), transform=t)
    got = _epoch(it) + _epoch(it)
    # the documented order of draws: permutation, then each batch's transform, per epoch
    ref_rng = np.random.default_rng(3)
    for epoch in range(2):
        order = ref_rng.permutation(9)
        for b in range(3):
            idx = order[b * 4:(b + 1) * 4]
            xb, yb = got[epoch * 3 + b]
            np.testing.assert_array_equal(yb, idx)
            np.testing.assert_array_equal(xb, t(X[idx], ref_rng, epoch=epoch, indices=idx))


def _augmented(prefetch, seed=5):
    X = np.random.default_rng(0).integers(0, 256, size=(23, 6, 6, 3), dtype=np.uint8)
    y = np.arange(23)
    return BatchIterator(X, y, 4, rng=np.random.default_rng(seed), prefetch=prefetch,
                         transform=Compose([RandomCrop(6, padding=2, padding_mode="reflect"),
                                            RandomFlip()]),
                         preprocess=Standardize().fit(X))


def _assert_same(a, b):
    assert len(a) == len(b)
    for (xa, ya), (xb, yb) in zip(a, b):
        np.testing.assert_array_equal(ya, yb)
        np.testing.assert_array_equal(xa, xb)


@pytest.mark.parametrize("prefetch", [1, 3, 10])
def test_prefetch_gives_exactly_the_batches_without_prefetch(prefetch):
    plain, ahead = _augmented(0), _augmented(prefetch)
    for _ in range(3):
        _assert_same(_epoch(ahead), _epoch(plain))
    assert _prefetch_threads() == []


@pytest.mark.parametrize("prefetch", [1, 4])
@pytest.mark.parametrize("stop_after", [0, 1, 3])
def test_prefetch_matches_after_an_epoch_left_early(prefetch, stop_after):
    results = []
    for it in (_augmented(0), _augmented(prefetch)):
        got = []
        for i, batch in enumerate(it):
            if i == stop_after:
                break
            got.append(batch)
        got += _epoch(it)  # the next epoch starts from the rng state the first one left
        results.append((got, it.rng.bit_generator.state))
    _assert_same(results[1][0], results[0][0])
    assert results[1][1] == results[0][1]


def test_thread_is_gone_after_break():
    it = _augmented(2)
    for _ in it:
        assert len(_prefetch_threads()) == 1
        break
    assert _prefetch_threads() == []


def test_thread_is_gone_after_close_and_after_garbage_collection():
    it = _augmented(2)
    epoch_iter = iter(it)
    next(epoch_iter)
    assert len(_prefetch_threads()) == 1
    it.close()
    assert _prefetch_threads() == []
    with pytest.raises(StopIteration):
        next(epoch_iter)

    epoch_iter = iter(it)
    next(epoch_iter)
    assert len(_prefetch_threads()) == 1
    del epoch_iter
    gc.collect()
    assert _prefetch_threads() == []

    with _augmented(3) as it2:
        epoch_iter = iter(it2)
        next(epoch_iter)
        assert len(_prefetch_threads()) == 1
    assert _prefetch_threads() == []


def test_starting_an_epoch_closes_the_unfinished_one():
    it = _augmented(2)
    first = iter(it)
    next(first)
    second = iter(it)
    with pytest.raises(StopIteration):
        next(first)
    assert len(list(second)) == len(it)
    assert _prefetch_threads() == []


def _broken_transform(X_batch, rng, *, epoch, indices):
    if 7 in indices:
        raise KeyError("image 7 is broken")
    return X_batch


@pytest.mark.parametrize("prefetch", [0, 2])
def test_transform_exception_reaches_the_consumer_with_its_traceback(prefetch):
    X, y = _data(10)
    it = BatchIterator(X, y, 3, shuffle=False, transform=_broken_transform, prefetch=prefetch)
    got = []
    with pytest.raises(KeyError, match="image 7 is broken") as info:
        for _, yb in it:
            got.append(yb.tolist())
    assert got == [[0, 1, 2], [3, 4, 5]]  # the batch holding 7 is never handed out
    frames = [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    assert "_broken_transform" in frames
    assert _prefetch_threads() == []


def test_errors():
    X, y = _data(5)
    with pytest.raises(ValueError, match=r"BatchIterator: X and y must hold the same number of "
                                         r"examples; got X \(5, 4, 4, 3\), y \(4,\)"):
        BatchIterator(X, y[:4], 2)
    with pytest.raises(ValueError, match="BatchIterator: batch_size must be >= 1; got 0"):
        BatchIterator(X, y, 0)
    with pytest.raises(TypeError, match="BatchIterator: batch_size must be an int; got 2.0"):
        BatchIterator(X, y, 2.0)
    with pytest.raises(ValueError, match="BatchIterator: prefetch must be >= 0; got -1"):
        BatchIterator(X, y, 2, prefetch=-1)
    with pytest.raises(TypeError, match="BatchIterator: transform must be a callable or None; "
                                        "got int"):
        BatchIterator(X, y, 2, transform=3)
    with pytest.raises(TypeError, match="BatchIterator: X must be a numpy.ndarray; got list"):
        BatchIterator([1, 2], y, 2)
    with pytest.raises(TypeError, match="BatchIterator: rng must be a numpy.random.Generator or "
                                        "None; got int"):
        BatchIterator(X, y, 2, rng=0)
    with pytest.raises(ValueError, match=r"BatchIterator: X must hold at least one example; "
                                         r"got shape \(0, 4, 4, 3\)"):
        BatchIterator(X[:0], y[:0], 2)
    with pytest.raises(TypeError, match="BatchIterator: shuffle must be True or False; got 1"):
        BatchIterator(X, y, 2, shuffle=1)
