"""CIFAR-10 in its official forms: the python batches or the binary records, archived or not.

The dataset page (https://www.cs.toronto.edu/~kriz/cifar.html) publishes two archives, and
``load_cifar10`` reads either, as downloaded or extracted:

- ``cifar-10-python.tar.gz`` -> ``cifar-10-batches-py/``: ``data_batch_1`` .. ``data_batch_5``
  and ``test_batch``, each a Python 2 cPickle (protocol 2) dict with ``b'data'`` (a uint8 array
  (n, 3072): 1024 red, 1024 green, 1024 blue values, each a 32x32 image row by row),
  ``b'labels'`` (n ints in 0..9), ``b'filenames'`` and ``b'batch_label'``; plus
  ``batches.meta`` (``b'label_names'``). They are read through a restricted unpickler
  (``convnp.data._unpickle``): a batch that names anything but NumPy's array builders is refused,
  never run.
- ``cifar-10-binary.tar.gz`` -> ``cifar-10-batches-bin/``: ``data_batch_1.bin`` ..
  ``data_batch_5.bin`` and ``test_batch.bin``, records of 3073 bytes (one label byte, then the
  3072 pixel bytes in the same order); plus ``batches.meta.txt`` (a class name per line).

An archive is read in memory, member by member (never extracted to disk), and its gzip CRC is
checked to the end. The metadata files are optional; when present their class names must be
CIFAR-10's. Each official batch holds 10,000 images, but any count is accepted, so small files in
the same layout (the tests') load the same way.

    >>> from convnp.data.cifar10 import cifar10_classes
    >>> cifar10_classes()[:3]
    ('airplane', 'automobile', 'bird')
"""

from __future__ import annotations

import gzip
import os
import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from . import _unpickle

__all__ = ["cifar10_classes", "load_cifar10"]

_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
            "truck")
IMAGE_BYTES = 3 * 32 * 32
RECORD_BYTES = 1 + IMAGE_BYTES
TRAIN_BATCHES = 5

# (form, name under root), in the order load_cifar10 prefers them: python before binary
# because the course (and most copies of the data) use it; an extracted folder before its
# archive because it needs no decompression.
_PLACES = (("python", "cifar-10-batches-py"), ("python", "cifar-10-python.tar.gz"),
           ("binary", "cifar-10-batches-bin"), ("binary", "cifar-10-binary.tar.gz"))
_FOLDERS = {"python": "cifar-10-batches-py", "binary": "cifar-10-batches-bin"}


def cifar10_classes() -> tuple[str, ...]:
    """The ten CIFAR-10 class names; label i is ``cifar10_classes()[i]``."""
    return _CLASSES


def _member_names(form: str) -> tuple[list[str], str]:
    """(batch file names, train batches first then test; meta file name) of a form."""
    suffix = "" if form == "python" else ".bin"
    names = [f"data_batch_{i}{suffix}" for i in range(1, TRAIN_BATCHES + 1)]
    names.append(f"test_batch{suffix}")
    return names, ("batches.meta" if form == "python" else "batches.meta.txt")


def _locate(root: Path) -> tuple[str, Path]:
    """(form, path): which of the four accepted places ``root`` is, or holds."""
    fn = "load_cifar10"
    if not root.exists():
        raise FileNotFoundError(f"{fn}: {root} does not exist; download CIFAR-10 there with "
                                f"convnp.data.download_cifar10({str(root)!r})")
    if root.is_file():
        return "archive", root
    if (root / "data_batch_1").is_file() or (root / "test_batch").is_file():
        return "python", root
    if (root / "data_batch_1.bin").is_file() or (root / "test_batch.bin").is_file():
        return "binary", root
    for form, name in _PLACES:
        path = root / name
        if path.exists():
            return (form if path.is_dir() else "archive"), path
    looked = ", ".join(name for _, name in _PLACES)
    raise FileNotFoundError(f"{fn}: no CIFAR-10 data in {root}: looked for {looked} there (or "
                            f"data_batch_1 / data_batch_1.bin in it); download it with "
                            f"convnp.data.download_cifar10({str(root)!r})")


def _read_folder(folder: Path, form: str) -> tuple[dict[str, bytes], Callable[[str], str]]:
    """The batch files (and meta, if present) of an extracted folder, by file name."""
    names, meta = _member_names(form)
    blobs = {}
    for name in names:
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(f"load_cifar10: {path} is missing; a {_FOLDERS[form]} "
                                    f"folder holds {', '.join(names)} and {meta}")
        blobs[name] = path.read_bytes()
    if (folder / meta).is_file():
        blobs[meta] = (folder / meta).read_bytes()
    return blobs, lambda name: str(folder / name)


def _read_archive(archive: Path) -> tuple[str, dict[str, bytes], Callable[[str], str]]:
    """(form, member bytes by file name, namer) of a cifar-10-*.tar.gz, read in one pass."""
    fn = "load_cifar10"
    wanted = {}
    for form, folder in _FOLDERS.items():
        names, meta = _member_names(form)
        wanted.update({f"{folder}/{name}": (form, name) for name in names + [meta]})
    found: dict[str, dict[str, bytes]] = {"python": {}, "binary": {}}
    with open(archive, "rb") as f:
        try:
            # Gzip under tarfile (not mode 'r:gz') so the stream can be drained to its end below:
            # the gzip CRC and length are checked only there.
            with gzip.GzipFile(fileobj=f, mode="rb") as gz:
                with tarfile.open(fileobj=gz, mode="r:") as tar:
                    for member in tar:
                        key = wanted.get(member.name.removeprefix("./"))
                        if key is None or not member.isfile():
                            continue
                        form, name = key
                        found[form][name] = tar.extractfile(member).read()
                while gz.read(1 << 20):
                    pass
        except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
            raise ValueError(f"{fn}: {archive} is not a readable .tar.gz archive (truncated or "
                             f"corrupted?): {type(exc).__name__}: {exc}") from exc
    forms = [form for form in ("python", "binary") if found[form]]
    if not forms:
        raise ValueError(f"{fn}: {archive} holds neither cifar-10-batches-py/ nor "
                         f"cifar-10-batches-bin/ files; expected the official "
                         f"cifar-10-python.tar.gz or cifar-10-binary.tar.gz")
    form = forms[0]
    folder = _FOLDERS[form]
    names, meta = _member_names(form)
    for name in names:
        if name not in found[form]:
            raise ValueError(f"{fn}: {archive} has no member '{folder}/{name}' (truncated "
                             f"archive?); it needs {', '.join(names)} under {folder}/")
    return form, found[form], lambda name: f"{archive}:{folder}/{name}"


def _labels(values, n: int, where: str) -> np.ndarray:
    """Labels as int64, checked: a list of n ints (or a 1-D integer array), each in 0..9."""
    fn = "load_cifar10"
    if isinstance(values, list) and all(isinstance(v, int) and not isinstance(v, bool)
                                        for v in values):
        try:
            y = np.array(values, dtype=np.int64)
        except OverflowError:
            raise ValueError(f"{fn}: {where}: a label is outside 0..{len(_CLASSES) - 1} (too "
                             f"large for int64)") from None
    elif isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "iu":
        y = values.astype(np.int64)
    else:
        got = (f"{values.dtype} array of shape {values.shape}" if isinstance(values, np.ndarray)
               else type(values).__name__)
        raise ValueError(f"{fn}: {where}: b'labels' must be a list of ints; got {got}")
    if y.shape[0] != n:
        raise ValueError(f"{fn}: {where}: {y.shape[0]} labels for {n} images")
    _check_label_range(y, where)
    return y


def _check_label_range(y: np.ndarray, where: str) -> None:
    bad = np.flatnonzero((y < 0) | (y >= len(_CLASSES)))
    if bad.size:
        raise ValueError(f"load_cifar10: {where}: label {int(y[bad[0]])} at index {int(bad[0])} "
                         f"is outside 0..{len(_CLASSES) - 1}")


def _parse_python_batch(blob: bytes, where: str) -> tuple[np.ndarray, np.ndarray]:
    fn = "load_cifar10"
    batch = _unpickle.load(blob, where)
    if not isinstance(batch, dict):
        raise ValueError(f"{fn}: {where}: expected a dict with b'data' and b'labels'; got "
                         f"{type(batch).__name__}")
    missing = [repr(k) for k in (b"data", b"labels") if k not in batch]
    if missing:
        raise ValueError(f"{fn}: {where}: the batch dict has no key {', '.join(missing)}; its "
                         f"keys are {sorted(batch, key=repr)}")
    data = batch[b"data"]
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 \
            or data.shape[1] != IMAGE_BYTES or data.shape[0] == 0:
        got = (f"{data.dtype} {data.shape}" if isinstance(data, np.ndarray)
               else type(data).__name__)
        raise ValueError(f"{fn}: {where}: b'data' must be a uint8 array of shape (n, "
                         f"{IMAGE_BYTES}) with n >= 1; got {got}")
    y = _labels(batch[b"labels"], data.shape[0], where)
    return data, y


def _parse_binary_batch(blob: bytes, where: str) -> tuple[np.ndarray, np.ndarray]:
    if len(blob) == 0 or len(blob) % RECORD_BYTES:
        raise ValueError(f"load_cifar10: {where}: {len(blob)} bytes is not a whole number of "
                         f"{RECORD_BYTES}-byte records (1 label + {IMAGE_BYTES} pixels): "
                         f"{len(blob) // RECORD_BYTES} records and {len(blob) % RECORD_BYTES} "
                         f"bytes over")
    records = np.frombuffer(blob, dtype=np.uint8).reshape(-1, RECORD_BYTES)
    y = records[:, 0].astype(np.int64)
    _check_label_range(y, where)
    return records[:, 1:], y


def _check_meta(blob: bytes, form: str, where: str) -> None:
    """The class names in batches.meta(.txt), if given, must be CIFAR-10's."""
    if form == "python":
        meta = _unpickle.load(blob, where)
        names = meta.get(b"label_names") if isinstance(meta, dict) else None
        if not isinstance(names, list) or not all(isinstance(n, bytes) for n in names):
            raise ValueError(f"load_cifar10: {where}: expected a dict whose b'label_names' is "
                             f"a list of bytes")
        names = [n.decode("latin-1") for n in names]
    else:
        names = [line.strip() for line in blob.decode("latin-1").splitlines() if line.strip()]
    if tuple(names) != _CLASSES:
        raise ValueError(f"load_cifar10: {where}: class names {names} are not CIFAR-10's "
                         f"{list(_CLASSES)} (another dataset?)")


def load_cifar10(root: str | os.PathLike) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                     np.ndarray]:
    """Load CIFAR-10 from its official files.

    Inputs:
    - root: a directory holding ``cifar-10-batches-py/``, ``cifar-10-python.tar.gz``,
      ``cifar-10-batches-bin/`` or ``cifar-10-binary.tar.gz`` (where
      ``convnp.data.download_cifar10(root)`` puts them), or the path of one of those four
      itself. When a directory holds several, the first in that order is read: the python
      form before the binary one, an extracted folder before its archive.

    Returns a tuple of:
    - X_train: uint8, of shape (N_train, 32, 32, 3) (NHWC, RGB): data_batch_1..5 in order
    - y_train: int64, of shape (N_train,), labels in 0..9 (``cifar10_classes()`` names them)
    - X_test: uint8, of shape (N_test, 32, 32, 3): test_batch
    - y_test: int64, of shape (N_test,)

    Raises FileNotFoundError naming the path when root does not exist, holds none of the four,
    or an extracted folder misses a batch file; UnsafePickleError (a ValueError) when a python
    batch names anything but NumPy's array builders (it is refused, not run); ValueError
    naming the file (and member) for a truncated or corrupted archive, a missing member, a
    binary batch whose size is not a multiple of 3073 bytes, a batch whose data is not uint8
    (n, 3072), a label count that differs from the image count, a label outside 0..9, or
    metadata naming other classes.
    """
    root = Path(os.fspath(root)).expanduser()
    kind, path = _locate(root)
    if kind == "archive":
        form, blobs, where = _read_archive(path)
    else:
        form = kind
        blobs, where = _read_folder(path, form)
    names, meta = _member_names(form)
    if meta in blobs:
        _check_meta(blobs[meta], form, where(meta))
    parse = _parse_python_batch if form == "python" else _parse_binary_batch
    Xs, ys = [], []
    for name in names:
        data, y = parse(blobs.pop(name), where(name))
        # Each row is a channel-major 3x32x32 image; NHWC is what convnp.data stores.
        Xs.append(data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        ys.append(y)
    X_train = np.ascontiguousarray(np.concatenate(Xs[:TRAIN_BATCHES]))
    y_train = np.concatenate(ys[:TRAIN_BATCHES])
    X_test = np.ascontiguousarray(Xs[TRAIN_BATCHES])
    return X_train, y_train, X_test, ys[TRAIN_BATCHES]
