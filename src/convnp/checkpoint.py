"""Checkpoint files: one ``.npz`` of arrays with a JSON header inside, written atomically.

The format (version 1):

- A plain ``.npz`` (a zip of ``.npy`` files, as ``np.savez`` writes it, uncompressed). Every array
  is a numeric or bool array; nothing is pickled, and loading uses ``allow_pickle=False``.
- The entry ``__meta__`` is a 1-D uint8 array holding UTF-8 JSON. The JSON holds everything that is
  not an array (epoch, histories' lengths, hyperparameters, scalars of optimizer configs, the
  states of random generators) plus three keys of its own:
  - ``format``: ``"convnp.checkpoint"``; ``version``: 1
  - ``arrays``: a manifest, ``{key: {"dtype": "float32", "shape": [3, 4]}}`` for every other
    entry, which ``load`` checks entry by entry.
- Inside the JSON, a value that was an array is written ``{"__array__": key}`` (the key of its
  npz entry), a NumPy scalar ``{"__scalar__": key}`` (stored as a 0-d array, so its dtype comes
  back: a float64 learning rate stays ``np.float64``), a tuple ``{"__tuple__": [...]}`` and a
  ``numpy.random.Generator`` ``{"__generator__": bit_generator.state}``. ``encode`` and
  ``decode`` make and read these.

``save`` writes to a temporary file in the target's directory, flushes and fsyncs it, then
``os.replace``s it over the target: a crash leaves either the old file or the new one, never a
half-written one, and the temporary file is removed when the write fails. The zip's CRC-32 of
every entry is checked on load, so a truncated or corrupted file is refused.

Every error about a file is a ``CheckpointError`` (a ``ValueError``) whose message starts with the
path and names the entry or JSON key at fault.

    >>> import numpy as np, tempfile, os
    >>> from convnp import checkpoint
    >>> path = os.path.join(tempfile.mkdtemp(), "ck.npz")
    >>> arrays = {}
    >>> meta = {"config": checkpoint.encode({"m": np.zeros(3), "lr": 0.1}, "config", arrays)}
    >>> _ = checkpoint.save(path, arrays, meta)
    >>> arrays, meta = checkpoint.load(path)
    >>> checkpoint.decode(meta["config"], arrays, path)["m"].shape
    (3,)
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CheckpointError", "decode", "encode", "load", "read_meta", "save"]

FORMAT = "convnp.checkpoint"
VERSION = 1
META_KEY = "__meta__"

# The bit generators a Generator's state may name (numpy.random's own).
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used: unreadable, truncated, corrupted, missing a key, or
    not matching the model it is loaded into. The message names the path and the key."""


def encode(obj: Any, prefix: str, arrays: dict[str, np.ndarray]) -> Any:
    """Return a JSON-ready copy of ``obj``; its arrays go into ``arrays`` under keys ``prefix/...``.

    Inputs:
    - obj: None, bool, int, float, str, an ndarray (numeric or bool), a NumPy scalar, a
      numpy.random.Generator, or a dict (str keys) / list / tuple of these, nested
    - prefix: the npz key of obj itself; a dict value's key is ``prefix/name``, a list item's
      ``prefix/i``
    - arrays: dict the arrays are added to (modified in place)

    Raises TypeError naming the key for anything else (an object array, a dict with a non-str
    key, an arbitrary object), and ValueError if two values would share a key.
    """
    if isinstance(obj, np.generic):  # before float: np.float64 is a subclass of float
        return {"__scalar__": _put(arrays, prefix, _scalar(obj, prefix))}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, np.ndarray):
        if obj.dtype.hasobject or obj.dtype.kind not in "biufc":
            raise TypeError(f"encode: {prefix!r} is an array of dtype {obj.dtype}; a checkpoint "
                            f"holds numeric and bool arrays only (nothing is pickled)")
        return {"__array__": _put(arrays, prefix, obj)}
    if isinstance(obj, np.random.Generator):
        return {"__generator__": encode(obj.bit_generator.state, prefix, arrays)}
    if isinstance(obj, Mapping):
        out = {}
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError(f"encode: {prefix!r} has the key {k!r} ({type(k).__name__}); "
                                f"dict keys must be str to go into a checkpoint")
            out[k] = encode(v, f"{prefix}/{k}", arrays)
        return out
    if isinstance(obj, list):
        return [encode(v, f"{prefix}/{i}", arrays) for i, v in enumerate(obj)]
    if isinstance(obj, tuple):
        return {"__tuple__": [encode(v, f"{prefix}/{i}", arrays) for i, v in enumerate(obj)]}
    raise TypeError(f"encode: {prefix!r} is a {type(obj).__module__}.{type(obj).__qualname__}; "
                    f"a checkpoint holds None, bool, int, float, str, numeric arrays, NumPy "
                    f"scalars, Generators, and dicts, lists and tuples of these")


def _scalar(x: np.generic, prefix: str) -> np.ndarray:
    """A NumPy scalar as a 0-d array of its dtype (TypeError for a non-numeric one)."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"encode: {prefix!r} is a NumPy scalar of dtype {arr.dtype}; only "
                        f"numeric and bool scalars go into a checkpoint")
    return arr


def _put(arrays: dict[str, np.ndarray], key: str, value: np.ndarray) -> str:
    if key in arrays or key == META_KEY:
        raise ValueError(f"encode: two values would be stored under the key {key!r}")
    arrays[key] = value
    return key


def decode(obj: Any, arrays: Mapping[str, np.ndarray], path: str | os.PathLike = "?") -> Any:
    """Invert ``encode``: rebuild the value from its JSON form and the arrays of a checkpoint.

    Arrays come back as the arrays in ``arrays`` (not copied), NumPy scalars with their dtype,
    Generators as new Generators in the stored state. ``path`` only names the file in errors.

    Raises CheckpointError naming the path and the key when a referenced array is missing.
    """
    if isinstance(obj, list):
        return [decode(v, arrays, path) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if len(obj) == 1:
        (tag, value), = obj.items()
        if tag in ("__array__", "__scalar__"):
            if not isinstance(value, str) or value not in arrays:
                raise CheckpointError(f"{path}: the checkpoint has no array {value!r} "
                                      f"(referenced from its JSON header)")
            arr = arrays[value]
            return arr if tag == "__array__" else arr[()]
        if tag == "__tuple__":
            return tuple(decode(v, arrays, path) for v in value)
        if tag == "__generator__":
            return generator_from_state(decode(value, arrays, path), path)
    return {k: decode(v, arrays, path) for k, v in obj.items()}


def generator_from_state(state: Any, path: str | os.PathLike = "?") -> np.random.Generator:
    """A new Generator whose bit generator is in ``state`` (``bit_generator.state``'s dict)."""
    name = state.get("bit_generator") if isinstance(state, dict) else None
    if name not in _BIT_GENERATORS:
        raise CheckpointError(f"{path}: a generator state names the bit generator {name!r}; "
                              f"expected one of {list(_BIT_GENERATORS)}")
    bit_generator = getattr(np.random, name)()
    try:
        bit_generator.state = state
    except (TypeError, ValueError, KeyError) as exc:
        raise CheckpointError(f"{path}: a {name} generator state cannot be restored: "
                              f"{exc}") from exc
    return np.random.Generator(bit_generator)


def save(path: str | os.PathLike, arrays: Mapping[str, np.ndarray], meta: Mapping) -> Path:
    """Write ``arrays`` and the JSON-ready dict ``meta`` to ``path`` atomically; return the path.

    Inputs:
    - path: the file to write (its directory must exist); replaced if it exists
    - arrays: npz entry name -> numeric or bool ndarray (``encode`` fills such a dict)
    - meta: a JSON-ready dict (``encode``'s output and plain values); 'format', 'version' and
      'arrays' are added to it in the file

    The bytes go to a temporary file beside ``path`` (``.<name>.<random>.tmp``), which is
    flushed, fsynced and renamed onto ``path`` with ``os.replace``; the directory is fsynced
    after the rename where the platform allows it. If anything fails before the rename, the
    temporary file is deleted, ``path`` is untouched and the exception propagates. The file is
    created with the temporary file's mode, 0o600 (readable by its owner only).

    Raises TypeError for an array that is not numeric or bool, ValueError for a key that is
    the reserved '__meta__', FileNotFoundError naming the directory if it does not exist.
    """
    path = Path(path)
    manifest = {}
    for key, arr in arrays.items():
        if key == META_KEY:
            raise ValueError(f"save: {META_KEY!r} is reserved for the JSON header")
        if not isinstance(arr, np.ndarray) or arr.dtype.hasobject or arr.dtype.kind not in "biufc":
            raise TypeError(f"save: entry {key!r} must be a numeric or bool numpy.ndarray; got "
                            f"{type(arr).__name__} {getattr(arr, 'dtype', '')}".rstrip())
        manifest[key] = {"dtype": arr.dtype.str, "shape": list(arr.shape)}
    header = dict(meta)
    header.update(format=FORMAT, version=VERSION, arrays=manifest)
    blob = json.dumps(header, sort_keys=True).encode("utf-8")
    payload = dict(arrays)
    payload[META_KEY] = np.frombuffer(blob, dtype=np.uint8)

    directory = path.parent
    if not directory.is_dir():
        raise FileNotFoundError(f"save: the directory {str(directory)!r} of {str(path)!r} "
                                f"does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.chmod(tmp, default_file_mode())  # mkstemp makes it 0600 whatever the umask
        with os.fdopen(fd, "wb") as f:
            _write_npz(f, payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_directory(directory)
    return path


def _write_npz(f, payload: Mapping[str, np.ndarray]) -> None:
    """The one place bytes are written (tests replace it to simulate a crash mid-write)."""
    np.savez(f, **payload)


def default_file_mode() -> int:
    """The mode open() would give a new file: 0o666 less the process's umask.

    Read from /proc where Linux shows it; elsewhere by setting and restoring the umask (which
    other threads could observe for that instant).
    """
    try:
        with open("/proc/self/status") as f:
            mask = next(int(line.split()[1], 8) for line in f if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0)
        os.umask(mask)
    return 0o666 & ~mask


def fsync_directory(directory: Path) -> None:
    """Make the rename durable: fsync the directory (POSIX; a no-op where it cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def load(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict]:
    """Read a checkpoint written by ``save``; return ``(arrays, meta)``.

    Every entry is read (so every CRC-32 is checked) and compared with the header's manifest.
    ``meta`` is the JSON header, including 'format', 'version' and 'arrays'. Nothing is
    unpickled (``allow_pickle=False``).

    Raises FileNotFoundError naming the path if it does not exist, and CheckpointError naming
    the path (and the entry) if the file is not a zip, is truncated or corrupted, has no or a
    broken JSON header, is of another format or version, or an entry is missing, unexpected,
    or of another dtype or shape than the manifest says.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load: no checkpoint file at {str(path)!r}")
    with open(path, "rb") as f:
        magic = f.read(4)
    # np.load reads anything that is not a zip as a .npy or a pickle; its refusal of a pickle
    # tells the user to allow pickles, the one advice never to follow here.
    if magic == b"\x93NUM":
        raise CheckpointError(f"{path}: not a checkpoint: it holds a single .npy array, not an "
                              f".npz archive")
    if magic != b"PK\x03\x04":
        raise CheckpointError(f"{path}: not a checkpoint: an .npz (zip) file starts with "
                              f"b'PK\\x03\\x04'; this one starts with {magic!r}")
    try:
        npz = np.load(path, allow_pickle=False)
    except Exception as exc:  # a damaged file raises zipfile, OS or format errors
        raise CheckpointError(f"{path}: not a readable checkpoint (truncated or corrupted?): "
                              f"{type(exc).__name__}: {exc}") from exc
    with npz:
        arrays = {}
        for key in npz.files:
            try:
                arrays[key] = npz[key]
            except Exception as exc:
                raise CheckpointError(f"{path}: entry {key!r} is unreadable (truncated or "
                                      f"corrupted?): {type(exc).__name__}: {exc}") from exc
    meta = _parse_header(path, arrays.pop(META_KEY, None))
    manifest = meta["arrays"]
    for key, spec in manifest.items():
        if key not in arrays:
            raise CheckpointError(f"{path}: entry {key!r} is missing (the header lists it)")
        arr = arrays[key]
        if not isinstance(spec, dict) or arr.dtype.str != spec.get("dtype") \
                or list(arr.shape) != spec.get("shape"):
            raise CheckpointError(f"{path}: entry {key!r} is {arr.dtype.str} {list(arr.shape)} "
                                  f"but the header says {spec}")
    unexpected = sorted(set(arrays) - set(manifest))
    if unexpected:
        raise CheckpointError(f"{path}: entries {unexpected} are not in the header's manifest")
    return arrays, meta


def _parse_header(path: Path, blob: np.ndarray | None) -> dict:
    if blob is None:
        raise CheckpointError(f"{path}: entry {META_KEY!r} (the JSON header) is missing; not a "
                              f"convnp checkpoint")
    if blob.dtype != np.uint8 or blob.ndim != 1:
        raise CheckpointError(f"{path}: entry {META_KEY!r} must be 1-D uint8 JSON; got "
                              f"{blob.dtype} {blob.shape}")
    try:
        meta = json.loads(blob.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path}: entry {META_KEY!r} is not valid JSON: {exc}") from exc
    if not isinstance(meta, dict):
        raise CheckpointError(f"{path}: entry {META_KEY!r} must hold a JSON object; got "
                              f"{type(meta).__name__}")
    for key in ("format", "version", "arrays"):
        if key not in meta:
            raise CheckpointError(f"{path}: the header is missing key {key!r}")
    if meta["format"] != FORMAT:
        raise CheckpointError(f"{path}: header key 'format' is {meta['format']!r}; expected "
                              f"{FORMAT!r}")
    if meta["version"] != VERSION:
        raise CheckpointError(f"{path}: header key 'version' is {meta['version']!r}; this "
                              f"convnp reads version {VERSION}")
    if not isinstance(meta["arrays"], dict):
        raise CheckpointError(f"{path}: header key 'arrays' must be an object (the manifest)")
    return meta


def read_meta(path: str | os.PathLike) -> dict:
    """The JSON header of a checkpoint (the whole file is read and checked, as by ``load``)."""
    return load(path)[1]
