"""Regenerate src/convnp/data/digits.npz from scikit-learn's copy of the UCI optdigits test set.

Run once by a maintainer (``pip install scikit-learn && python tools/make_digits.py``);
scikit-learn is not a dependency of convnp. The file holds ``images`` (1797, 8, 8) uint8 with
values 0..16 (the count of set pixels in each 4x4 block of the original 32x32 bitmaps) and
``target`` (1797,) int64, in scikit-learn's order, written without pickles.
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parents[1] / "src" / "convnp" / "data" / "digits.npz"


def main() -> None:
    digits = load_digits()
    images = digits.images
    assert images.shape == (1797, 8, 8) and images.min() == 0 and images.max() == 16
    assert np.array_equal(images, np.round(images))
    np.savez_compressed(OUT, images=images.astype(np.uint8),
                        target=digits.target.astype(np.int64))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
