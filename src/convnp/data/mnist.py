"""MNIST and Fashion-MNIST in their official IDX files, gzipped or not.

Both datasets ship as four IDX files (http://yann.lecun.com/exdb/mnist/ describes the format;
Fashion-MNIST reuses it and the file names): ``train-images-idx3-ubyte``,
``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, each
usually gzipped (``.gz``). An IDX file is a big-endian header, then the values row-major:

- magic number: two zero bytes, a type byte (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
  0x0D float32, 0x0E float64), a byte giving the number of dimensions; so 2051 (0x00000803) for
  uint8 images (N, rows, cols) and 2049 (0x00000801) for uint8 labels (N,)
- one uint32 per dimension, then the data

``read_idx`` reads any IDX file and checks its length against its header; ``load_mnist`` reads
the four files and checks what MNIST needs on top (magic numbers, 28x28 images, as many labels as
images, labels in 0..9).

    >>> from convnp.data.mnist import mnist_classes
    >>> mnist_classes("fashion-mnist")[:3]
    ('T-shirt/top', 'Trouser', 'Pullover')
"""

from __future__ import annotations

import gzip
import math
import os
import zlib
from pathlib import Path

import numpy as np

__all__ = ["load_mnist", "mnist_classes", "read_idx"]

KINDS = ("mnist", "fashion-mnist")
_CLASSES = {
    "mnist": tuple("0123456789"),
    "fashion-mnist": ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                      "Sneaker", "Bag", "Ankle boot"),
}
# IDX type byte -> element dtype (big-endian, as the files store it).
_IDX_TYPES = {0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"),
              0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
IMAGES_MAGIC = 2051  # 0x00000803: uint8, 3 dimensions
LABELS_MAGIC = 2049  # 0x00000801: uint8, 1 dimension
IMAGE_SIZE = (28, 28)
# (images file, labels file) of the training and the test split.
_FILES = (("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
          ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"))


def mnist_classes(kind: str = "mnist") -> tuple[str, ...]:
    """The ten class names of ``kind`` ('mnist': '0'..'9'; 'fashion-mnist': 'T-shirt/top', ...)."""
    _check_kind(kind, "mnist_classes")
    return _CLASSES[kind]


def _check_kind(kind, fn: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"{fn}: kind must be one of {list(KINDS)}; got {kind!r}")


def _read_idx(path: Path, fn: str, magic: int | None = None) -> np.ndarray:
    """The array in IDX file ``path`` (gzipped or raw); ``magic``, if given, must match."""
    blob = path.read_bytes()
    gz = blob[:2] == b"\x1f\x8b"
    if gz:
        try:
            blob = gzip.decompress(blob)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{fn}: {path} is not a readable gzip file (truncated or "
                             f"corrupted?): {type(exc).__name__}: {exc}") from None
    what = "decompressed bytes" if gz else "bytes"
    if len(blob) < 4:
        raise ValueError(f"{fn}: {path}: an IDX file starts with a 4-byte magic number; the "
                         f"file has {len(blob)} {what}")
    found = int.from_bytes(blob[:4], "big")
    zero, type_code, ndim = found >> 16, blob[2], blob[3]
    if magic is not None and found != magic:
        raise ValueError(f"{fn}: {path}: magic number {found} (0x{found:08X}); expected {magic} "
                         f"(0x{magic:08X}: {_IDX_TYPES[magic >> 8 & 0xFF]}, {magic & 0xFF} "
                         f"dimensions)")
    if zero != 0 or type_code not in _IDX_TYPES or ndim == 0:
        raise ValueError(f"{fn}: {path}: magic number 0x{found:08X} is not an IDX header "
                         f"(0x0000, then a type byte in "
                         f"{[f'0x{t:02X}' for t in _IDX_TYPES]}, then a dimension count >= 1)")
    header = 4 + 4 * ndim
    if len(blob) < header:
        raise ValueError(f"{fn}: {path}: the header of {ndim} dimensions needs {header} bytes; "
                         f"the file has {len(blob)} {what}")
    dims = tuple(int.from_bytes(blob[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    dtype = _IDX_TYPES[type_code]
    expected = header + math.prod(dims) * dtype.itemsize
    if len(blob) != expected:
        shape = "*".join(map(str, dims))
        size = f" * {dtype.itemsize}" if dtype.itemsize > 1 else ""
        raise ValueError(f"{fn}: {path}: expected {expected} {what} ({header} of header + "
                         f"{shape}{size} of data, dimensions {dims}), got {len(blob)}"
                         f"{' (truncated)' if len(blob) < expected else ''}")
    # A copy in native byte order: writable, and free of the file's bytes.
    return np.frombuffer(blob, dtype=dtype, offset=header).reshape(dims).astype(
        dtype.newbyteorder("="))


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read one IDX file (gzipped or raw, told apart by content) into an array.

    Inputs:
    - path: the file

    Returns an array of the file's dimensions and element type (uint8, int8, int16, int32,
    float32 or float64; native byte order, writable).

    Raises FileNotFoundError if path does not exist, and ValueError naming the path for a
    corrupted gzip stream, a header that is not IDX, or a length that disagrees with the
    header (with the expected and actual byte counts).
    """
    return _read_idx(Path(os.fspath(path)).expanduser(), "read_idx")


def _find(folder: Path, name: str) -> Path | None:
    """``folder/name`` or else ``folder/name.gz``, whichever exists (raw first: no gunzip)."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def load_mnist(root: str | os.PathLike, kind: str = "mnist"
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Load MNIST or Fashion-MNIST from the four official IDX files.

    Inputs:
    - root: a directory; the files are looked for in ``root/<kind>/`` (where
      ``convnp.data.download_mnist(root, kind)`` puts them), then in ``root`` itself when
      root is named after kind, or for kind 'mnist' when root is not named 'fashion-mnist'
      (the two sets share their file names, so loose files are taken for MNIST, never
      silently for Fashion-MNIST). The first place holding any of the four files is used.
      Each file may be raw or ``.gz`` (raw is read when both are there).
    - kind: 'mnist' or 'fashion-mnist' (the files have the same names; kind picks the folder
      and is what ``mnist_classes(kind)`` names)

    Returns a tuple of:
    - X_train: uint8, of shape (N_train, 28, 28): train-images-idx3-ubyte
    - y_train: int64, of shape (N_train,), labels in 0..9: train-labels-idx1-ubyte
    - X_test: uint8, of shape (N_test, 28, 28): t10k-images-idx3-ubyte
    - y_test: int64, of shape (N_test,): t10k-labels-idx1-ubyte

    Raises ValueError for an unknown kind; FileNotFoundError saying where it looked when the
    files are missing; ValueError naming the file for a corrupted gzip stream, a wrong magic
    number (2051 for images, 2049 for labels), a length that disagrees with the header
    (expected and actual byte counts), images that are not 28x28, image and label counts that
    differ, or a label outside 0..9.
    """
    fn = "load_mnist"
    _check_kind(kind, fn)
    root = Path(os.fspath(root)).expanduser()
    names = [name for pair in _FILES for name in pair]
    places = [root / kind]
    if root.name == kind or (kind == "mnist" and root.name != "fashion-mnist"):
        places.append(root)
    folder = next((p for p in places if any(_find(p, n) for n in names)), None)
    if folder is None:
        raise FileNotFoundError(f"{fn}: no {kind} files in {' or '.join(map(str, places))}: "
                                f"looked "
                                f"for {', '.join(n + '[.gz]' for n in names)}; download them "
                                f"with convnp.data.download_mnist({str(root)!r}, kind={kind!r})")
    out = []
    for images_name, labels_name in _FILES:
        paths = []
        for name in (images_name, labels_name):
            path = _find(folder, name)
            if path is None:
                raise FileNotFoundError(f"{fn}: {folder / name} (or {name}.gz) is missing; "
                                        f"{folder} holds only some of the four {kind} files")
            paths.append(path)
        X = _read_idx(paths[0], fn, IMAGES_MAGIC)
        y = _read_idx(paths[1], fn, LABELS_MAGIC)
        if X.shape[1:] != IMAGE_SIZE:
            raise ValueError(f"{fn}: {paths[0]}: images are {X.shape[1]}x{X.shape[2]}; "
                             f"{kind} images are {IMAGE_SIZE[0]}x{IMAGE_SIZE[1]}")
        if X.shape[0] != y.shape[0]:
            raise ValueError(f"{fn}: {paths[0]} has {X.shape[0]} images but {paths[1]} has "
                             f"{y.shape[0]} labels")
        bad = np.flatnonzero(y > 9)
        if bad.size:
            raise ValueError(f"{fn}: {paths[1]}: label {int(y[bad[0]])} at index "
                             f"{int(bad[0])} is outside 0..9")
        out += [X, y.astype(np.int64)]
    return tuple(out)
