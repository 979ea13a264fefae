"""Datasets by name: ``get_dataset('digits' | 'cifar10' | 'mnist' | 'folder:PATH' | ...)``.

``get_dataset`` loads a source, splits off validation (and test, where the source has no
official test set), and describes the result with a ``Dataset``: the image shape, the class
names and the per-channel mean and standard deviation of the *training split only*. Models and
the CLI read that description, so they need no code per dataset. The arrays stay as stored:
uint8 images (N, H, W, C) and int64 labels; ``Splits.standardize()`` gives the preprocessor that
turns a batch into the models' float32 (N, C, H, W) input.

    >>> from convnp.data import get_dataset
    >>> ds = get_dataset("digits")
    >>> ds.info.image_shape, ds.info.num_classes, ds.X_train.dtype
    ((8, 8, 1), 10, dtype('uint8'))
"""

from __future__ import annotations

import math
import numbers
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import _validate

__all__ = ["SPECS", "Dataset", "Splits", "default_data_dir", "get_dataset"]

SPECS = ("digits", "cifar10", "mnist", "fashion-mnist", "folder:PATH")
# Sources without an official test set hold out this fraction as test, with a fixed seed, so
# every run (whatever its own seed) is scored on the same images.
TEST_FRACTION = 0.2
_TEST_SEED = 20261124


def default_data_dir() -> Path:
    """Where the downloadable datasets live: ``$CONVNP_DATA``, else ``~/.convnp/data``."""
    env = os.environ.get("CONVNP_DATA")
    return Path(env).expanduser() if env else Path.home() / ".convnp" / "data"


@dataclass(frozen=True)
class Dataset:
    """What a model and the CLI need to know about a dataset.

    Attributes:
    - name: the spec it came from ('digits', 'cifar10', 'folder:/path', ...)
    - image_shape: (H, W, C) of the stored images
    - classes: the class names, index = label
    - mean, std: per-channel statistics of the training split, in pixel units (length C)
    - max_value: the largest pixel value of the format (255; 16 for the digits)
    """

    name: str
    image_shape: tuple[int, int, int]
    classes: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    max_value: int = 255

    def __post_init__(self) -> None:
        fn = "Dataset"
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"{fn}: name must be a non-empty str; got {self.name!r}")
        shape = tuple(self.image_shape)
        if len(shape) != 3 or not all(isinstance(s, numbers.Integral) and s >= 1 for s in shape):
            raise ValueError(f"{fn}: image_shape must be (H, W, C) of ints >= 1; "
                             f"got {self.image_shape!r}")
        C = shape[2]
        classes = tuple(self.classes)
        if not classes or not all(isinstance(c, str) for c in classes):
            raise ValueError(f"{fn}: classes must be a non-empty sequence of str; "
                             f"got {self.classes!r}")
        mean = tuple(float(m) for m in self.mean)
        std = tuple(float(s) for s in self.std)
        if len(mean) != C or len(std) != C:
            raise ValueError(f"{fn}: mean and std need one value per channel ({C}); got "
                             f"{len(mean)} and {len(std)}")
        if not all(math.isfinite(s) and s > 0 for s in std):
            raise ValueError(f"{fn}: std must be finite and > 0; got {std}")
        _validate.integer(self.max_value, "max_value", fn, minimum=1)
        object.__setattr__(self, "image_shape", tuple(int(s) for s in shape))
        object.__setattr__(self, "classes", classes)
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "std", std)

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """(C, H, W): the shape of one model input."""
        H, W, C = self.image_shape
        return (C, H, W)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict; ``Dataset.from_dict`` reads it back."""
        return {"name": self.name, "image_shape": list(self.image_shape),
                "classes": list(self.classes), "mean": list(self.mean), "std": list(self.std),
                "max_value": self.max_value}

    @classmethod
    def from_dict(cls, d) -> Dataset:
        """The inverse of to_dict; ValueError naming a missing or unknown key."""
        if not isinstance(d, dict):
            raise TypeError(f"Dataset.from_dict: expected a dict; got {type(d).__name__}")
        keys = {"name", "image_shape", "classes", "mean", "std", "max_value"}
        missing, unknown = sorted(keys - set(d) - {"max_value"}), sorted(set(d) - keys)
        if missing or unknown:
            raise ValueError(f"Dataset.from_dict: missing key(s) {missing}, unknown key(s) "
                             f"{unknown}; expected {sorted(keys)}")
        return cls(**d)


@dataclass
class Splits:
    """A dataset split into train / val / test: uint8 (N, H, W, C) images, int64 labels."""

    info: Dataset
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def solver_data(self) -> dict[str, np.ndarray]:
        """The dict the Solver takes (X_train, y_train, X_val, y_val; images as stored)."""
        return {"X_train": self.X_train, "y_train": self.y_train,
                "X_val": self.X_val, "y_val": self.y_val}

    def standardize(self):
        """A ``preprocess.Standardize`` with this dataset's training mean and std."""
        from .preprocess import Standardize
        return Standardize(mean=self.info.mean, std=self.info.std)

    def __repr__(self) -> str:
        return (f"Splits({self.info.name!r}, train {self.X_train.shape}, val {self.X_val.shape}, "
                f"test {self.X_test.shape}, {self.info.num_classes} classes)")


def _split(y: np.ndarray, part, rng: np.random.Generator, fn: str, name: str
           ) -> tuple[np.ndarray, np.ndarray]:
    """Indices (rest, held_out): a stratified split holding out ``part`` of the examples.

    part is a fraction in (0, 1) or a count >= 1. Each class gives its share (rounded), so the
    held-out set has the classes in the same proportions; both index arrays are sorted.
    """
    N = y.shape[0]
    if isinstance(part, numbers.Integral) and not isinstance(part, bool):
        count = _validate.integer(part, name, fn, minimum=1)
        if count >= N:
            raise ValueError(f"{fn}: {name}={count} leaves no training examples (N={N})")
        fraction = count / N
    else:
        fraction = _validate.real(part, name, fn, low=0.0, high=1.0, low_open=True,
                                  high_open=True)
        count = int(round(fraction * N))
        if count < 1 or count >= N:
            raise ValueError(f"{fn}: {name}={fraction:g} of {N} examples holds out {count}; "
                             f"give a fraction that holds out between 1 and {N - 1}")
    held: list[np.ndarray] = []
    classes = np.unique(y)
    # Largest remainders get the leftover examples, so the total is exactly count.
    shares = np.array([np.count_nonzero(y == c) for c in classes]) * fraction
    take = np.floor(shares).astype(np.int64)
    order = np.argsort(-(shares - take), kind="stable")
    take[order[:count - int(take.sum())]] += 1
    for c, k in zip(classes, take):
        idx = np.flatnonzero(y == c)
        held.append(rng.permutation(idx)[:k])
    held_idx = np.sort(np.concatenate(held))
    mask = np.ones(N, dtype=bool)
    mask[held_idx] = False
    return np.flatnonzero(mask), held_idx


def _as_nhwc(X: np.ndarray) -> np.ndarray:
    return X[..., None] if X.ndim == 3 else X


def _load(spec: str, data_dir: Path, size, fn: str):
    """(X_train, y_train, X_test or None, y_test or None, classes, max_value)."""
    if spec == "digits":
        from .digits import DIGITS_MAX, digits_classes, load_digits
        X, y = load_digits()
        return X, y, None, None, digits_classes(), DIGITS_MAX
    if spec == "cifar10":
        from .cifar10 import cifar10_classes, load_cifar10
        X_train, y_train, X_test, y_test = load_cifar10(data_dir)
        return X_train, y_train, X_test, y_test, cifar10_classes(), 255
    if spec in ("mnist", "fashion-mnist"):
        from .mnist import load_mnist, mnist_classes
        X_train, y_train, X_test, y_test = load_mnist(data_dir, kind=spec)
        return X_train, y_train, X_test, y_test, mnist_classes(spec), 255
    from .folder import load_image_folder
    root = Path(spec[len("folder:"):]).expanduser()
    if not root.is_dir():
        raise ValueError(f"{fn}: spec {spec!r}: {root} is not a directory")
    train, test = root / "train", root / "test"
    if train.is_dir() and test.is_dir():
        X_train, y_train, classes = load_image_folder(train, size=size)
        X_test, y_test, test_classes = load_image_folder(test, size=size)
        if list(test_classes) != list(classes):
            raise ValueError(f"{fn}: {test} has classes {list(test_classes)} but {train} has "
                             f"{list(classes)}; they must be the same")
        return X_train, y_train, X_test, y_test, list(classes), 255
    X, y, classes = load_image_folder(root, size=size)
    return X, y, None, None, list(classes), 255


def get_dataset(spec: str, data_dir=None, val_split=0.1, seed: int = 0, size=None,
                test_split=None) -> Splits:
    """Load a dataset by name and split it into train / val / test.

    Inputs:
    - spec: 'digits' (embedded, offline), 'cifar10', 'mnist', 'fashion-mnist', or
      'folder:PATH' (PATH/<class>/<image>; or PATH/train and PATH/test, each laid out so)
    - data_dir: where cifar10 / mnist / fashion-mnist are (see ``load_cifar10`` and
      ``load_mnist``); default ``default_data_dir()``
    - val_split: the part of the training data held out for validation, a fraction in (0, 1)
      (a float) or a count (an int >= 1); stratified by class and drawn with ``seed``
    - seed: int >= 0, the validation draw
    - size: only for folders: resize every image to size (int or (height, width))
    - test_split: only for sources without an official test set (digits, a single folder):
      the part held out as test, a fraction in (0, 1) (a float), a count (an int >= 1), or 0
      for none (the test split is then empty and the validation split is the only held-out
      measure, e.g. the CIFAR-10 speed runs' 45,000 / 5,000 on the 50,000 training images).
      None (default): TEST_FRACTION. Sources with a test set take only None or 0 (their test
      set is kept).

    Sources without an official test set hold out their test split first, stratified, with a
    fixed seed: the same test images in every run. The Dataset's mean and std come from the
    training split only (not val or test).

    Returns a Splits with uint8 (N, H, W, C) images and int64 labels.

    Raises ValueError for an unknown spec (listing the valid ones), a val_split that leaves no
    training data, or a source's own error (missing files, bad format) naming the path.
    """
    fn = "get_dataset"
    if not isinstance(spec, str) or not (spec in SPECS[:-1] or spec.startswith("folder:")):
        raise ValueError(f"{fn}: unknown dataset {spec!r}; choose one of {', '.join(SPECS)}")
    if spec.startswith("folder:") and not spec[len("folder:"):]:
        raise ValueError(f"{fn}: 'folder:' needs a path, e.g. 'folder:~/images'")
    if size is not None and not spec.startswith("folder:"):
        raise ValueError(f"{fn}: size applies to 'folder:PATH' datasets only; got size={size!r} "
                         f"for {spec!r}")
    seed = _validate.integer(seed, "seed", fn, minimum=0)
    if isinstance(test_split, bool) or not (test_split is None or test_split == 0
                                            or isinstance(test_split, numbers.Real)):
        raise TypeError(f"{fn}: test_split must be None, 0, a fraction or a count; got "
                        f"{test_split!r}")
    data_dir = default_data_dir() if data_dir is None else Path(data_dir).expanduser()

    X, y, X_test, y_test, classes, max_value = _load(spec, data_dir, size, fn)
    X = _as_nhwc(X)
    if X_test is not None and test_split not in (None, 0):
        raise ValueError(f"{fn}: {spec!r} has its own test set; test_split applies only to "
                         f"sources without one (got test_split={test_split!r})")
    if X_test is None and test_split == 0:
        X_test, y_test = X[:0], y[:0]
    elif X_test is None:
        part = TEST_FRACTION if test_split is None else test_split
        rest, held = _split(y, part, np.random.default_rng(_TEST_SEED), fn,
                            "TEST_FRACTION" if test_split is None else "test_split")
        X, y, X_test, y_test = X[rest], y[rest], X[held], y[held]
    X_test = _as_nhwc(X_test)
    train, val = _split(y, val_split, np.random.default_rng(seed), fn, "val_split")
    X_train, y_train, X_val, y_val = X[train], y[train], X[val], y[val]

    # Per-channel statistics over the training split only.
    mean, var = _channel_stats(X_train)
    std = np.sqrt(var)
    std[std == 0] = 1.0  # a constant channel: leave it unscaled rather than divide by zero
    info = Dataset(name=spec, image_shape=X_train.shape[1:], classes=tuple(classes),
                   mean=tuple(mean), std=tuple(std), max_value=max_value)
    return Splits(info, X_train, y_train.astype(np.int64), X_val, y_val.astype(np.int64),
                  X_test, y_test.astype(np.int64))


def _channel_stats(X: np.ndarray, chunk: int = 1 << 20) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel (mean, variance) of an NHWC array, float64.

    uint8 images (every folder and CIFAR-10) are counted: a histogram of the 256 values per
    channel gives both exactly, 0.4 s for 45,000 CIFAR images against 4 s for float64 sums.
    bincount takes chunk pixels at a time (its input becomes 8-byte integers: 8 MiB).
    Other dtypes take float64 sums, a chunk at a time.
    """
    if X.dtype == np.uint8 and X.size:
        flat = X.reshape(-1, X.shape[-1])
        counts = np.zeros((flat.shape[1], 256), dtype=np.int64)
        for start in range(0, flat.shape[0], chunk):
            part = flat[start:start + chunk]
            for c in range(flat.shape[1]):
                counts[c] += np.bincount(part[:, c], minlength=256)
        values = np.arange(256, dtype=np.float64)
        mean = counts @ values / flat.shape[0]
        var = (counts * np.square(values - mean[:, None])).sum(axis=1) / flat.shape[0]
        return mean, var
    mean = X.mean(axis=(0, 1, 2), dtype=np.float64)
    return mean, _chunked_var(X, mean)


def _chunked_var(X: np.ndarray, mean: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Per-channel variance of an NHWC array, a chunk at a time (no float64 copy of all of it)."""
    total = np.zeros(X.shape[-1], dtype=np.float64)
    for start in range(0, X.shape[0], chunk):
        d = X[start:start + chunk].astype(np.float64) - mean
        total += np.square(d).sum(axis=(0, 1, 2))
    return total / (X.shape[0] * X.shape[1] * X.shape[2])
