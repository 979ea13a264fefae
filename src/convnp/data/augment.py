"""Data augmentation on stored image batches: random crops, flips and cutout, vectorised.

Every transform works on a batch as it is stored, (N, H, W, C) of any dtype (uint8 usually:
moving bytes is cheaper than moving floats), keeps the dtype, and returns a new array; the input
is never modified. A preprocessor (``convnp.data.preprocess``) then turns the batch into model
input. Each transform is a callable

    t(X, rng, *, epoch=0, indices=None) -> X_aug

- X: the batch, (N, H, W, C)
- rng: a ``numpy.random.Generator``, the only source of randomness (draws documented per class,
  so a seeded run repeats exactly)
- epoch: the 0-based epoch; indices: the rows of the training array in the batch, (N,) ints.
  Only ``AlternatingFlip`` uses them; the others accept and ignore them, so ``Compose`` passes
  them to every step.

``convnp.solver.Solver`` and ``convnp.data.batches.BatchIterator`` call transforms this way.

    >>> import numpy as np
    >>> t = Compose([RandomCrop(4, padding=1), RandomFlip()])
    >>> X = np.zeros((2, 4, 4, 3), dtype=np.uint8)
    >>> t(X, np.random.default_rng(0)).shape
    (2, 4, 4, 3)
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from .. import _validate

__all__ = ["AlternatingFlip", "Compose", "Cutout", "RandomCrop", "RandomFlip"]


def _batch(X, fn: str) -> np.ndarray:
    """Check X is a 4-D (N, H, W, C) ndarray of numbers or bools."""
    if not isinstance(X, np.ndarray):
        raise TypeError(f"{fn}: X must be a numpy.ndarray; got {type(X).__name__}")
    if X.dtype.kind not in "buif":
        raise TypeError(f"{fn}: X must hold numbers; got dtype {X.dtype}")
    if X.ndim != 4:
        raise ValueError(f"{fn}: X must be a 4-D batch of images (N, H, W, C); got shape "
                         f"{X.shape}")
    return X


def _pair(value, name: str, fn: str) -> tuple[int, int]:
    """An int or a pair of ints, each >= 1, as (height, width)."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{fn}: {name} must be an int or a pair (height, width); got "
                             f"{value!r}")
        h, w = value
        return (_validate.integer(h, f"{name}[0]", fn, minimum=1),
                _validate.integer(w, f"{name}[1]", fn, minimum=1))
    size = _validate.integer(value, name, fn, minimum=1)
    return size, size


def _flip_rows(X: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """A copy of X with the images where mask is True mirrored left-right."""
    out = X.copy()
    out[mask] = X[mask, :, ::-1]
    return out


class RandomCrop:
    """Pad every image, then cut a window of the given size at a random place in each.

    The window's top-left corner (dy, dx) in the padded image is uniform over every position
    where it fits, independently per image: dy ~ U{0, ..., H + 2*padding - h}, then
    dx ~ U{0, ..., W + 2*padding - w}, drawn as ``rng.integers(0, H + 2*padding - h + 1, N)``
    and then the same for dx. With ``size = (H, W)`` and padding p this is the usual random
    translation by up to p pixels.

    Args:
    - size: int or (h, w), the output's height and width (>= 1)
    - padding: int >= 0, pixels added on each of the four sides. Default 0
    - padding_mode: 'zero' (pad with 0) or 'reflect' (mirror without repeating the edge pixel,
      as numpy's and PyTorch's 'reflect'; needs padding < H and < W). Default 'zero'

    Shape: X (N, H, W, C) -> (N, h, w, C), dtype of X.

    Raises ValueError if the window is larger than the padded image.
    """

    def __init__(self, size, padding: int = 0, padding_mode: str = "zero") -> None:
        fn = "RandomCrop"
        self.size = _pair(size, "size", fn)
        self.padding = _validate.integer(padding, "padding", fn, minimum=0)
        self.padding_mode = _validate.mode(padding_mode, "padding_mode", fn,
                                           ("zero", "reflect"))

    def __call__(self, X: np.ndarray, rng: np.random.Generator, *, epoch: int = 0,
                 indices=None) -> np.ndarray:
        fn = "RandomCrop"
        X = _batch(X, fn)
        rng = _validate.generator(rng, fn, required=True)
        N, H, W, C = X.shape
        p, (h, w) = self.padding, self.size
        Hp, Wp = H + 2 * p, W + 2 * p
        if h > Hp or w > Wp:
            raise ValueError(f"{fn}: the crop size (h, w) = ({h}, {w}) is larger than the "
                             f"padded image (H + 2*padding, W + 2*padding) = ({Hp}, {Wp}) "
                             f"(H={H}, W={W}, padding={p})")
        if self.padding_mode == "reflect" and p > 0 and (p >= H or p >= W):
            raise ValueError(f"{fn}: padding_mode='reflect' needs padding < H and padding < W; "
                             f"got padding={p} for H={H}, W={W}")
        dy = rng.integers(0, Hp - h + 1, size=N)
        dx = rng.integers(0, Wp - w + 1, size=N)
        if p > 0:
            mode = "constant" if self.padding_mode == "zero" else "reflect"
            X = np.pad(X, ((0, 0), (p, p), (p, p), (0, 0)), mode=mode)
        # One gather for the whole batch: image n takes rows dy[n] + (0..h-1), cols dx[n] + ...
        rows = dy[:, None] + np.arange(h)
        cols = dx[:, None] + np.arange(w)
        return X[np.arange(N)[:, None, None], rows[:, :, None], cols[:, None, :]]

    def __repr__(self) -> str:
        return (f"RandomCrop(size={self.size}, padding={self.padding}, "
                f"padding_mode={self.padding_mode!r})")


class RandomFlip:
    """Mirror each image left-right with probability p, independently.

    Draws ``rng.random(N)`` (always, even for p = 0 or 1) and flips image n iff it is < p.

    Args:
    - p: float in [0, 1], the probability of flipping an image. Default 0.5

    Shape: X (N, H, W, C) -> (N, H, W, C), dtype of X.
    """

    def __init__(self, p: float = 0.5) -> None:
        self.p = _validate.real(p, "p", "RandomFlip", low=0.0, high=1.0)

    def __call__(self, X: np.ndarray, rng: np.random.Generator, *, epoch: int = 0,
                 indices=None) -> np.ndarray:
        fn = "RandomFlip"
        X = _batch(X, fn)
        rng = _validate.generator(rng, fn, required=True)
        return _flip_rows(X, rng.random(X.shape[0]) < self.p)

    def __repr__(self) -> str:
        return f"RandomFlip(p={self.p:g})"


# splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014):
# a cheap, well-mixed 64-bit hash, so an example's flip bit is a pure function of (seed, index).
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _splitmix64(z: np.ndarray) -> np.ndarray:
    """splitmix64's output function on a uint64 array (arithmetic mod 2**64, as in C)."""
    z = z + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


class AlternatingFlip:
    """Derandomised flipping (airbench): each image is mirrored in every other epoch.

    Example i has a fixed random bit b_i; in epoch e it is flipped iff b_i XOR (e % 2). So
    every image is seen flipped in one epoch and unflipped in the next, half of the images are
    flipped in each epoch, and which half changes from image to image. Compared with
    ``RandomFlip``, no image goes several epochs in a row with one orientation only (Keller
    Jordan, "94% on CIFAR-10 in 3.29 seconds on a single GPU", 2024, reports it trains
    faster).

    airbench (KellerJordan/cifar10-airbench, airbench94.py, ``CifarLoader``) does it so: in
    epoch 0 it flips the whole training set with ``batch_flip_lr`` (a random half, drawn from
    torch's global RNG and kept for the run), and in every odd epoch it flips that whole
    pre-flipped set again. Differences here:

    - b_i is not a stored table of N draws but a hash (splitmix64) of (seed, i): no state, no
      size to know, the same bits whatever the batch order, batch size or number of epochs,
      and a run repeats exactly from ``seed`` alone.
    - It flips the batch given to it, so it composes with other transforms in any order;
      airbench crops the pre-flipped images and then flips the crop (a flip and a random crop
      commute in distribution, so the difference is only in which crop is drawn).

    ``rng`` is not used (it may be None); ``indices`` is required.

    Args:
    - seed: int in [0, 2**64), selects the bits b_i. Default 0

    Shape: X (N, H, W, C), indices (N,) ints >= 0 -> (N, H, W, C), dtype of X.
    """

    def __init__(self, seed: int = 0) -> None:
        seed = _validate.integer(seed, "seed", "AlternatingFlip", minimum=0)
        if seed >= 2 ** 64:
            raise ValueError(f"AlternatingFlip: seed must be < 2**64; got {seed}")
        self.seed = seed
        self._key = _splitmix64(np.array([seed], dtype=np.uint64))

    def bits(self, indices) -> np.ndarray:
        """The fixed bits b_i (bool, shape of indices) of the examples with these indices."""
        idx = self._indices(indices, "AlternatingFlip.bits")
        return (_splitmix64(_splitmix64(idx.astype(np.uint64)) ^ self._key)
                >> np.uint64(63)).astype(bool)

    def flipped(self, indices, epoch: int) -> np.ndarray:
        """Whether each example of ``indices`` is flipped in ``epoch``: b_i XOR (epoch % 2)."""
        epoch = _validate.integer(epoch, "epoch", "AlternatingFlip.flipped", minimum=0)
        return self.bits(indices) ^ bool(epoch % 2)

    @staticmethod
    def _indices(indices, fn: str) -> np.ndarray:
        idx = np.asarray(indices)
        if idx.dtype.kind not in "iu" or idx.ndim != 1:
            raise ValueError(f"{fn}: indices must be a 1-D array of ints (the dataset rows of "
                             f"the batch); got {idx.dtype} of shape {idx.shape}")
        if idx.size and idx.min() < 0:
            raise ValueError(f"{fn}: indices must be >= 0; got {int(idx.min())}")
        return idx

    def __call__(self, X: np.ndarray, rng: np.random.Generator | None = None, *,
                 epoch: int = 0, indices=None) -> np.ndarray:
        fn = "AlternatingFlip"
        X = _batch(X, fn)
        if indices is None:
            raise ValueError(f"{fn}: indices (the dataset rows of the batch, shape (N,)) are "
                             f"required: each image's flip is fixed by its index in the "
                             f"training set; got None")
        idx = self._indices(indices, fn)
        if idx.shape != (X.shape[0],):
            raise ValueError(f"{fn}: indices must have shape ({X.shape[0]},), one per image of "
                             f"X {X.shape}; got {idx.shape}")
        epoch = _validate.integer(epoch, "epoch", fn, minimum=0)
        return _flip_rows(X, self.flipped(idx, epoch))

    def __repr__(self) -> str:
        return f"AlternatingFlip(seed={self.seed})"


class Cutout:
    """Set a size x size square of each image to ``fill`` (DeVries & Taylor 2017).

    The square's centre (cy, cx) is uniform over the image's pixels, drawn as
    ``rng.integers(0, H, N)`` then ``rng.integers(0, W, N)``; it covers rows
    cy - size//2 ... cy - size//2 + size - 1 (and the same for columns), clipped at the
    borders, so near an edge less than size x size pixels are cut. All channels are cut.

    The paper's code covers rows cy - size//2 ... cy + size//2 - 1, which for an odd size is
    one row and one column fewer than ``size``; here the square is always size wide.

    Args:
    - size: int >= 1, the side of the square in pixels
    - fill: the value written (a number representable in X's dtype). Default 0. On stored
      uint8 images 0 is black; a preprocessor then maps it to -mean/std, not to 0.

    Shape: X (N, H, W, C) -> (N, H, W, C), dtype of X.
    """

    def __init__(self, size: int, fill: float = 0) -> None:
        fn = "Cutout"
        self.size = _validate.integer(size, "size", fn, minimum=1)
        self.fill = _validate.real(fill, "fill", fn)
        if isinstance(fill, numbers.Integral):
            self.fill = int(fill)

    def _fill_value(self, dtype: np.dtype, fn: str):
        if dtype.kind in "iu":
            info = np.iinfo(dtype)
            if (not np.isfinite(self.fill) or float(self.fill) != int(self.fill)
                    or not info.min <= self.fill <= info.max):
                raise ValueError(f"{fn}: fill={self.fill!r} cannot be stored in X's dtype "
                                 f"{dtype} (integers in [{info.min}, {info.max}])")
        elif dtype.kind == "b" and self.fill not in (0, 1):
            raise ValueError(f"{fn}: fill={self.fill!r} cannot be stored in a bool X; use 0 or 1")
        return np.asarray(self.fill).astype(dtype)

    def __call__(self, X: np.ndarray, rng: np.random.Generator, *, epoch: int = 0,
                 indices=None) -> np.ndarray:
        fn = "Cutout"
        X = _batch(X, fn)
        rng = _validate.generator(rng, fn, required=True)
        fill = self._fill_value(X.dtype, fn)
        N, H, W, _ = X.shape
        cy = rng.integers(0, H, size=N)
        cx = rng.integers(0, W, size=N)
        top, left = cy - self.size // 2, cx - self.size // 2
        r, c = np.arange(H), np.arange(W)
        in_rows = (r >= top[:, None]) & (r < top[:, None] + self.size)      # (N, H)
        in_cols = (c >= left[:, None]) & (c < left[:, None] + self.size)    # (N, W)
        out = X.copy()
        out[in_rows[:, :, None] & in_cols[:, None, :]] = fill
        return out

    def __repr__(self) -> str:
        return f"Cutout(size={self.size}, fill={self.fill!r})"


class Compose:
    """Apply transforms in order, passing rng, epoch and indices to each.

    Args:
    - transforms: a list (or tuple) of callables ``t(X, rng, *, epoch, indices) -> X``. An
      empty list gives a copy of X.

    Shape: X (N, H, W, C) -> whatever the last transform returns.
    """

    def __init__(self, transforms: Sequence) -> None:
        fn = "Compose"
        if not isinstance(transforms, (list, tuple)):
            raise TypeError(f"{fn}: transforms must be a list of callables; got "
                            f"{type(transforms).__name__}")
        for i, t in enumerate(transforms):
            if not callable(t):
                raise TypeError(f"{fn}: transforms[{i}] must be a callable t(X, rng, *, epoch, "
                                f"indices); got {type(t).__name__}")
        self.transforms = list(transforms)

    def __call__(self, X: np.ndarray, rng: np.random.Generator | None = None, *,
                 epoch: int = 0, indices=None) -> np.ndarray:
        X = _batch(X, "Compose")
        if not self.transforms:
            return X.copy()
        for t in self.transforms:
            X = t(X, rng, epoch=epoch, indices=indices)
        return X

    def __repr__(self) -> str:
        return f"Compose([{', '.join(repr(t) for t in self.transforms)}])"
