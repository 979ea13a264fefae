"""Writers of tiny datasets in the exact official file layouts, for tests.

- CIFAR-10 python: ``cifar-10-batches-py/`` with ``data_batch_1`` .. ``data_batch_5``,
  ``test_batch`` and ``batches.meta``, each pickled as the original Python 2 cPickle files are:
  protocol 2, every string a Python 2 ``str`` (SHORT_BINSTRING / BINSTRING opcodes, read back as
  ``bytes``), the array rebuilt through ``numpy.core.multiarray._reconstruct``. Optionally in
  ``cifar-10-python.tar.gz``.
- CIFAR-10 binary: ``cifar-10-batches-bin/`` with ``data_batch_1.bin`` .. ``data_batch_5.bin``,
  ``test_batch.bin`` (3073-byte records: label, 1024 R, 1024 G, 1024 B) and
  ``batches.meta.txt``. Optionally in ``cifar-10-binary.tar.gz``.
- MNIST: the four IDX files (big-endian header, magic 2051 / 2049), gzipped or raw.

Images are given as the loaders return them: uint8 (N, 32, 32, 3) NHWC or (N, 28, 28).
"""

from __future__ import annotations

import gzip
import io
import pickle
import struct
import tarfile
from pathlib import Path

import numpy as np

CIFAR_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                 "ship", "truck")
MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
               "t10k-labels-idx1-ubyte")


class _Py2Pickler(pickle._Pickler):
    """Pickles str and bytes as Python 2 ``str`` (what cPickle wrote for the CIFAR-10 files)."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_py2_str(self, obj):
        data = obj.encode("latin-1") if isinstance(obj, str) else bytes(obj)
        if len(data) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(data)]) + data)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(data)) + data)
        self.memoize(obj)

    dispatch[str] = save_py2_str
    dispatch[bytes] = save_py2_str


def py2_pickle(obj) -> bytes:
    """``obj`` pickled as Python 2's cPickle.dump(obj, f, 2) with NumPy 1 would write it."""
    f = io.BytesIO()
    _Py2Pickler(f, protocol=2).dump(obj)
    # NumPy 2 names its array builder numpy._core.multiarray; the 2009 files name numpy.core.
    return f.getvalue().replace(b"cnumpy._core.multiarray\n_reconstruct\n",
                                b"cnumpy.core.multiarray\n_reconstruct\n")


def _rows(X: np.ndarray) -> np.ndarray:
    """uint8 NHWC images -> (N, 3072) rows: 1024 R, 1024 G, 1024 B, each row-major."""
    X = np.asarray(X)
    assert X.dtype == np.uint8 and X.ndim == 4 and X.shape[1:] == (32, 32, 3), X.shape
    return np.ascontiguousarray(X.transpose(0, 3, 1, 2)).reshape(len(X), -1)


def _train_slices(N: int) -> list[slice]:
    """Split N training rows over the five data batches (as evenly as np.array_split)."""
    bounds = np.linspace(0, N, 6).astype(int)
    return [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]


def cifar_python_members(X_train, y_train, X_test, y_test) -> dict[str, bytes]:
    """File name -> bytes of every file of cifar-10-batches-py/."""
    members = {}
    batches = [(f"data_batch_{i + 1}", f"training batch {i + 1} of 5", sl)
               for i, sl in enumerate(_train_slices(len(X_train)))]
    for name, label, sl in batches + [("test_batch", "testing batch 1 of 1", None)]:
        X, y = (X_train[sl], y_train[sl]) if sl is not None else (X_test, y_test)
        members[name] = py2_pickle({
            "batch_label": label,
            "labels": [int(v) for v in y],
            "data": _rows(X),
            "filenames": [f"image_{name}_{i:05d}.png" for i in range(len(y))],
        })
    members["batches.meta"] = py2_pickle({"num_cases_per_batch": 10000,
                                          "label_names": list(CIFAR_CLASSES), "num_vis": 3072})
    return members


def cifar_binary_members(X_train, y_train, X_test, y_test) -> dict[str, bytes]:
    """File name -> bytes of every file of cifar-10-batches-bin/."""
    def records(X, y):
        y = np.asarray(y, dtype=np.uint8).reshape(-1, 1)
        return np.concatenate([y, _rows(X)], axis=1).tobytes()

    members = {f"data_batch_{i + 1}.bin": records(X_train[sl], y_train[sl])
               for i, sl in enumerate(_train_slices(len(X_train)))}
    members["test_batch.bin"] = records(X_test, y_test)
    members["batches.meta.txt"] = ("\n".join(CIFAR_CLASSES) + "\n\n").encode()
    return members


def targz_bytes(members: dict[str, bytes], folder: str) -> bytes:
    """A .tar.gz holding ``folder/`` and ``folder/<name>`` for each member, as bytes."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        info = tarfile.TarInfo(folder)
        info.type, info.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(info)
        for name, blob in members.items():
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size, info.mode = len(blob), 0o644
            tar.addfile(info, io.BytesIO(blob))
    return gzip.compress(raw.getvalue(), mtime=0)


def _write(root, members: dict[str, bytes], folder: str, archive_name: str,
           archive: bool) -> Path:
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    if archive:
        path = root / archive_name
        path.write_bytes(targz_bytes(members, folder))
        return path
    path = root / folder
    path.mkdir()
    for name, blob in members.items():
        (path / name).write_bytes(blob)
    return path


def write_cifar_python(root, X_train, y_train, X_test, y_test, archive: bool = True) -> Path:
    """Write root/cifar-10-python.tar.gz (archive) or root/cifar-10-batches-py/; return it."""
    members = cifar_python_members(X_train, y_train, X_test, y_test)
    return _write(root, members, "cifar-10-batches-py", "cifar-10-python.tar.gz", archive)


def write_cifar_binary(root, X_train, y_train, X_test, y_test, archive: bool = True) -> Path:
    """Write root/cifar-10-binary.tar.gz (archive) or root/cifar-10-batches-bin/; return it."""
    members = cifar_binary_members(X_train, y_train, X_test, y_test)
    return _write(root, members, "cifar-10-batches-bin", "cifar-10-binary.tar.gz", archive)


def idx_bytes(array: np.ndarray) -> bytes:
    """An uint8 array as an IDX file: magic 0x0000 0x08 ndim, big-endian uint32 dims, data."""
    array = np.asarray(array)
    assert array.dtype == np.uint8, array.dtype
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array).tobytes()


def write_mnist_idx(root, X_train, y_train, X_test, y_test, gz: bool = True,
                    subdir: str | None = None) -> Path:
    """Write the four MNIST IDX files (``.gz`` if gz) into root/subdir (or root); return it."""
    folder = Path(root) / subdir if subdir else Path(root)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = (X_train, y_train, X_test, y_test)
    for name, array in zip(MNIST_FILES, arrays):
        blob = idx_bytes(np.asarray(array, dtype=np.uint8))
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(blob, mtime=0))
        else:
            (folder / name).write_bytes(blob)
    return folder
