"""The course's CIFAR-10 loaders (``cs231n/data_utils.py``), reading through convnp.data.

Notebooks written for the assignment run unchanged:

    from convnp.data_utils import get_CIFAR10_data
    data = get_CIFAR10_data()          # X_train (49000, 3, 32, 32), X_val, X_test, y_...

Differences from the course's code, each on purpose:

- The files are read by ``convnp.data.load_cifar10``: any of the four official forms (the python
  or binary archive, or its extracted folder), never ``pickle.load``. A batch that names
  anything but NumPy's array builders is refused instead of run; every size and label is checked.
- ``get_CIFAR10_data`` takes ``root`` (default ``$CONVNP_DATA``, else ``~/.convnp/data``)
  instead of a path fixed in the code, returns float32 images (the course's are float64) and
  checks its counts against the data.
"""

from __future__ import annotations

import os

import numpy as np

from . import _validate
from .data.cifar10 import load_cifar10
from .data.datasets import default_data_dir

__all__ = ["get_CIFAR10_data", "load_CIFAR10"]


def load_CIFAR10(ROOT: str | os.PathLike) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                    np.ndarray]:
    """Load all of CIFAR-10, as the course's ``load_CIFAR10`` returns it.

    Inputs:
    - ROOT: where the data is: ``cifar-10-batches-py`` as in the course, or any place
      ``convnp.data.load_cifar10`` accepts (a directory holding an official archive or folder,
      or that archive or folder itself)

    Returns a tuple of:
    - Xtr: float64, of shape (50000, 32, 32, 3) for the official data (NHWC, values 0..255)
    - Ytr: int64, of shape (50000,)
    - Xte: float64, of shape (10000, 32, 32, 3)
    - Yte: int64, of shape (10000,)

    Raises what ``load_cifar10`` raises: FileNotFoundError naming the path when the data is not
    there, ValueError (UnsafePickleError for a refused pickle) naming the file when it is bad.
    """
    Xtr, Ytr, Xte, Yte = load_cifar10(ROOT)
    return Xtr.astype(np.float64), Ytr, Xte.astype(np.float64), Yte


def _centered_nchw(X: np.ndarray, mean_image: np.ndarray | None, chunk: int = 4096
                   ) -> np.ndarray:
    """float32 (N, 3, 32, 32) of uint8 NHWC ``X`` minus ``mean_image``, computed in float64.

    A chunk at a time, so 49,000 images never exist as one float64 array.
    """
    N, H, W, C = X.shape
    out = np.empty((N, C, H, W), dtype=np.float32)
    for start in range(0, N, chunk):
        block = X[start:start + chunk].astype(np.float64)
        if mean_image is not None:
            block -= mean_image
        out[start:start + chunk] = block.transpose(0, 3, 1, 2)
    return out


def get_CIFAR10_data(num_training: int = 49000, num_validation: int = 1000,
                     num_test: int = 1000, subtract_mean: bool = True, root=None
                     ) -> dict[str, np.ndarray]:
    """Load CIFAR-10 and prepare it for the classifiers, as the course's function does.

    Validation is taken from the official training set, right after the training rows:
    training rows 0..num_training-1 train, rows num_training..num_training+num_validation-1
    validate, and the first num_test test images test. With subtract_mean, the mean image of
    the training rows only (computed in float64) is subtracted from all three splits.

    Inputs:
    - num_training: int >= 1, training images kept (default 49000)
    - num_validation: int >= 0, validation images (default 1000)
    - num_test: int >= 0, test images (default 1000)
    - subtract_mean: bool, subtract the training mean image (default True)
    - root: where the data is (see ``convnp.data.load_cifar10``); default ``$CONVNP_DATA``,
      else ``~/.convnp/data``

    Returns a dict with keys:
    - 'X_train', 'X_val', 'X_test': float32, of shape (num_*, 3, 32, 32) (NCHW); mean-centred
      pixel values if subtract_mean, else 0..255
    - 'y_train', 'y_val', 'y_test': int64, of shape (num_*,), labels in 0..9

    Raises TypeError for a count that is not an int (or a subtract_mean that is not a bool),
    ValueError for a count below its minimum or beyond the data (num_training +
    num_validation must fit in the training set, num_test in the test set), and
    FileNotFoundError saying where it looked (and how to download the data) when it is missing.
    """
    fn = "get_CIFAR10_data"
    num_training = _validate.integer(num_training, "num_training", fn, minimum=1)
    num_validation = _validate.integer(num_validation, "num_validation", fn, minimum=0)
    num_test = _validate.integer(num_test, "num_test", fn, minimum=0)
    if not isinstance(subtract_mean, (bool, np.bool_)):
        raise TypeError(f"{fn}: subtract_mean must be a bool; got {subtract_mean!r} "
                        f"({type(subtract_mean).__name__})")
    root = default_data_dir() if root is None else root
    X_train, y_train, X_test, y_test = load_cifar10(root)
    if num_training + num_validation > X_train.shape[0]:
        raise ValueError(f"{fn}: num_training + num_validation = {num_training} + "
                         f"{num_validation} = {num_training + num_validation} is more than the "
                         f"{X_train.shape[0]} training images in {root}")
    if num_test > X_test.shape[0]:
        raise ValueError(f"{fn}: num_test = {num_test} is more than the {X_test.shape[0]} test "
                         f"images in {root}")

    X_val = X_train[num_training:num_training + num_validation]
    y_val = y_train[num_training:num_training + num_validation]
    X_train, y_train = X_train[:num_training], y_train[:num_training]
    X_test, y_test = X_test[:num_test], y_test[:num_test]

    mean_image = X_train.mean(axis=0, dtype=np.float64) if subtract_mean else None
    return {
        "X_train": _centered_nchw(X_train, mean_image), "y_train": y_train.copy(),
        "X_val": _centered_nchw(X_val, mean_image), "y_val": y_val.copy(),
        "X_test": _centered_nchw(X_test, mean_image), "y_test": y_test.copy(),
    }
