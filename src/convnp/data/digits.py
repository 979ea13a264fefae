"""The embedded default dataset: scikit-learn's 1,797 real 8x8 handwritten digits.

The images are the UCI "Optical Recognition of Handwritten Digits" test set as scikit-learn
ships it (``sklearn.datasets.load_digits``): 32x32 bitmaps of digits written by 43 people,
reduced to 8x8 by counting the set pixels in each 4x4 block, so each value is 0..16. They are
stored inside the package (``digits.npz``, 46 kB, written once by ``tools/make_digits.py``
without pickles), so convnp trains on real data offline on a fresh machine; scikit-learn is not
a dependency.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

__all__ = ["DIGITS_MAX", "digits_classes", "load_digits"]

# The largest pixel value: each pixel counts the set pixels of a 4x4 block.
DIGITS_MAX = 16
_NUM = 1797


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 digits, in scikit-learn's order.

    Returns a tuple of:
    - X: of shape (1797, 8, 8), uint8, values 0..16
    - y: of shape (1797,), int64, values 0..9

    Raises ValueError if the packaged file is damaged (a broken installation).
    """
    path = resources.files("convnp.data") / "digits.npz"
    with resources.as_file(path) as p, np.load(p, allow_pickle=False) as f:
        X, y = f["images"], f["target"]
    if (X.shape != (_NUM, 8, 8) or X.dtype != np.uint8 or y.shape != (_NUM,)
            or y.dtype != np.int64 or X.max() > DIGITS_MAX or y.min() < 0 or y.max() > 9):
        raise ValueError(f"load_digits: {path} is damaged: expected images (1797, 8, 8) uint8 "
                         f"<= 16 and target (1797,) int64 in 0..9; got images {X.shape} "
                         f"{X.dtype}, target {y.shape} {y.dtype}; reinstall convnp")
    return X, y


def digits_classes() -> list[str]:
    """The class names, '0' to '9'."""
    return [str(i) for i in range(10)]
