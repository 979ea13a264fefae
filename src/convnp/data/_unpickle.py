"""A restricted unpickler for the CIFAR-10 python batches: dicts, lists, bytes, numbers, arrays.

``pickle.load`` runs whatever a file names: a pickle is a small program, and its GLOBAL opcode
may name ``os.system`` as easily as ``numpy.ndarray``. The CIFAR-10 batches (Python 2 cPickle
files, protocol 2) need only the opcodes for dicts, lists, bytes and numbers plus three NumPy
globals to rebuild one uint8 array per batch, so ``load`` resolves those and refuses every other
name before anything is called:

- ``numpy.core.multiarray._reconstruct`` (as Python 2 and NumPy 1 wrote it) and
  ``numpy._core.multiarray._reconstruct`` (NumPy 2): the empty array that ``__setstate__`` fills
- ``numpy.ndarray``: only as ``_reconstruct``'s first argument; calling it is refused
- ``numpy.dtype``: numeric and bool dtypes only; an object dtype (whose array items would be
  arbitrary objects) or a structured one is refused
- ``_codecs.encode``: how Python 3 writes bytes at protocol 2 (``encode('\\xff...',
  'latin1')``); with any encoding but latin-1 it is refused
- ``builtins.bytes`` (``__builtin__.bytes`` as protocol 2 writes it): with no argument only,
  how Python 3 writes an empty bytes object at protocol 2 (an empty array's data)

Every array in the result is checked once more (numeric or bool, not structured). A refusal is
an ``UnsafePickleError`` naming the file and the global; nothing the file names has run by then.
"""

from __future__ import annotations

import io
import os
import pickle
from typing import IO

import numpy as np

__all__ = ["UnsafePickleError", "load"]

# ndarray.__reduce__ hands back NumPy's own _reconstruct: reaching it so avoids importing
# numpy.core (deprecated in NumPy 2) or numpy._core (absent before NumPy 1.26).
_RECONSTRUCT = np.empty(0, dtype=np.uint8).__reduce__()[0]
_RECONSTRUCT_NAMES = {("numpy.core.multiarray", "_reconstruct"),
                      ("numpy._core.multiarray", "_reconstruct")}
_LATIN1 = {"latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1"}
_WHY = ("the CIFAR-10 batches hold only dicts, lists, bytes, numbers and numpy arrays")


class UnsafePickleError(ValueError, pickle.UnpicklingError):
    """A pickle that names a global (or builds an array) outside what the CIFAR-10 batches use.

    A ``ValueError``, and also a ``pickle.UnpicklingError`` for code that catches that.
    """


def _numeric_dtype(dt: np.dtype, path: str) -> np.dtype:
    if dt.hasobject or dt.names is not None or dt.kind not in "biuf":
        raise UnsafePickleError(f"{path}: refusing to build an array of dtype {dt}: {_WHY} "
                                f"(numeric dtypes only)")
    return dt


class _NdarrayMarker:
    """Stands for ``numpy.ndarray`` inside the pickle: fine as _reconstruct's argument, and
    refused when called (``ndarray(shape, dtype, buffer)`` would take any dtype and buffer)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __call__(self, *args, **kwargs):
        raise UnsafePickleError(f"{self.path}: refusing to call 'numpy.ndarray' directly: "
                                f"{_WHY}, rebuilt through _reconstruct")


class _Unpickler(pickle.Unpickler):
    def __init__(self, fileobj: IO[bytes], path: str) -> None:
        super().__init__(fileobj, encoding="bytes")
        self.path = path
        self.ndarray = _NdarrayMarker(path)

    def find_class(self, module: str, name: str):
        # The names arrive as written: Python 2 names ('__builtin__') are not mapped first, and
        # nothing is imported here, so a refused module is never even loaded.
        if (module, name) in _RECONSTRUCT_NAMES:
            return self._reconstruct
        if (module, name) == ("numpy", "ndarray"):
            return self.ndarray
        if (module, name) == ("numpy", "dtype"):
            return self._dtype
        if (module, name) == ("_codecs", "encode"):
            return self._latin1_encode
        if (module, name) in (("__builtin__", "bytes"), ("builtins", "bytes")):
            return self._empty_bytes
        raise UnsafePickleError(f"{self.path}: refusing to load {module + '.' + name!r}: {_WHY}")

    def _reconstruct(self, subtype, shape, dtype):
        if subtype is not self.ndarray:
            raise UnsafePickleError(f"{self.path}: refusing to reconstruct an array of type "
                                    f"{subtype!r}: {_WHY} (plain numpy.ndarray only)")
        _numeric_dtype(np.dtype(dtype), self.path)
        return _RECONSTRUCT(np.ndarray, shape, dtype)

    def _dtype(self, obj, align=False, copy=True):
        # Always a fresh descriptor: BUILD then calls its __setstate__, which must never touch
        # NumPy's shared built-in dtypes.
        dt = np.dtype(obj, align=bool(align), copy=True)
        return _numeric_dtype(dt, self.path)

    def _latin1_encode(self, text, encoding="utf-8", errors="strict"):
        if isinstance(encoding, bytes):
            encoding = encoding.decode("ascii", "replace")
        if not isinstance(text, str) or str(encoding).lower() not in _LATIN1 \
                or errors != "strict":
            raise UnsafePickleError(f"{self.path}: refusing '_codecs.encode' with encoding "
                                    f"{encoding!r}: {_WHY} (a protocol-2 pickle encodes its "
                                    f"bytes as latin-1, nothing else)")
        return text.encode("latin-1")

    def _empty_bytes(self, *args):
        if args:
            raise UnsafePickleError(f"{self.path}: refusing to call 'bytes' with arguments: "
                                    f"{_WHY} (a protocol-2 pickle calls bytes() only for b'')")
        return b""


def _check_arrays(obj, path: str) -> None:
    """Walk dicts, lists, tuples and sets (without recursion) and check every array's dtype."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, np.ndarray):
            _numeric_dtype(item.dtype, path)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)


def load(fileobj: IO[bytes] | bytes, path: str | os.PathLike) -> object:
    """Unpickle one CIFAR-10-style object, resolving only the globals listed in the module doc.

    Inputs:
    - fileobj: a binary file object positioned at the pickle, or the pickle's bytes
    - path: names the file in messages (e.g. 'cifar-10-python.tar.gz:cifar-10-batches-py/
      data_batch_1'); nothing is opened by name

    Returns the unpickled object. Python 2 ``str`` values come back as ``bytes``
    (``encoding='bytes'``), so the CIFAR-10 dict keys are ``b'data'``, ``b'labels'``, ...

    Raises UnsafePickleError (a ValueError) naming the path and the global for anything outside
    the allowed set, and ValueError naming the path for a truncated or corrupted pickle.
    """
    path = os.fspath(path)
    if isinstance(fileobj, (bytes, bytearray, memoryview)):
        fileobj = io.BytesIO(fileobj)
    try:
        obj = _Unpickler(fileobj, path).load()
    except UnsafePickleError:
        raise
    except Exception as exc:  # truncation and corruption surface as many exception types
        raise ValueError(f"{path}: not a readable pickle (truncated or corrupted?): "
                         f"{type(exc).__name__}: {exc}") from exc
    _check_arrays(obj, path)
    return obj
