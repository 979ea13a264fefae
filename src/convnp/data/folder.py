"""Image folders in torchvision's ImageFolder layout, decoded in parallel and cached as uint8.

``load_image_folder(root)`` reads ``root/<class>/<image>``: the classes are the sorted names of
the subfolders of ``root``, and every ``.jpg``, ``.jpeg`` or ``.png`` file (any case) found
recursively under a class folder is one example of that class; other files are ignored.

The decoded images are cached under ``$CONVNP_CACHE/image-folders/`` (default
``~/.cache/convnp``; never beside the data, which may be read-only) as a convnp checkpoint file
(``convnp.checkpoint``: written atomically, every entry CRC-checked on load). The cache is
keyed by a sha256 of everything the pixels depend on: the cache format, the absolute root, the
size, grayscale, the Pillow version and the relative path, byte size and mtime (ns) of every image
file. A folder whose files change gets a new key, and its one cache file is rewritten; a cache
file that does not load, or whose key or arrays do not match, is ignored and rebuilt.

    >>> import tempfile, pathlib, numpy as np
    >>> from PIL import Image
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("cat", "dog"):
    ...     (root / name).mkdir()
    ...     Image.new("RGB", (5, 4)).save(root / name / "0.png")
    >>> X, y, classes = load_image_folder(root, cache=False)
    >>> X.shape, X.dtype, y.tolist(), classes
    ((2, 4, 5, 3), dtype('uint8'), [0, 1], ['cat', 'dog'])
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import numbers
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import PIL
from PIL import Image

from .. import checkpoint

__all__ = ["IMAGE_EXTENSIONS", "load_image_folder"]

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
# torchvision's transforms.Resize default for PIL images (antialiased when shrinking).
RESAMPLE = Image.Resampling.BILINEAR
# Bump when the cached arrays or their header change meaning: old cache files then miss.
_CACHE_FORMAT = 1
_CACHE_KIND = "convnp.image_folder"

# Threads or processes? Measured on this project's 2-core machine (Python 3.11, Pillow 13,
# libjpeg-turbo, warm page cache), decoding the 50,000 32x32 CIFAR-10 JPEGs of ../shared/data,
# medians of 5 runs (then of 3): one thread 3.13 s (3.50), 2 threads in a ThreadPoolExecutor
# 4.08 s (4.30), 2 forkserver processes in a ProcessPoolExecutor 1.88 s (2.17). Threads lose:
# about 45 of the ~65 us per image go to Pillow's pure-Python JPEG header parsing in
# Image.open, which holds the GIL; the C decode that releases it takes ~19 us (cProfile). So
# large folders go to worker processes. Starting them costs ~0.3 s: 2 processes first win at
# about 6,000 images (8,192: 0.57 s in this process, 0.48 s in 2), hence the threshold.
_MIN_IMAGES_FOR_PROCESSES = 8192
_CHUNK = 1024  # images per task sent to a worker process
_MAX_LISTED = 5  # unreadable files named in the error message (plus the count)


def load_image_folder(root, size=None, grayscale: bool = False, cache: bool = True,
                      workers: int | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Load every image of ``root/<class>/...`` into one uint8 array, with integer labels.

    Every subfolder of root is a class, hidden ones included, as in torchvision, so the labels
    match a torchvision ImageFolder of the same root. Images are ordered by class, then by
    their path relative to root (a POSIX string, sorted; torchvision's order too when class
    folders have no subfolders), so the same folder always gives the same arrays. Any Pillow
    mode (RGBA, P, L, CMYK, ...) is converted with ``Image.convert('RGB')``, or
    ``convert('L')`` (ITU-R 601-2 luma) with grayscale=True, as torchvision's loader does: an
    alpha channel is dropped, not composited, and 16-bit values are clipped to 255, not
    scaled. EXIF orientation is not applied. Symlinked files are read; symlinked subfolders
    below a class folder are not followed.

    Inputs:
    - root: str or os.PathLike, the folder holding one subfolder per class
    - size: None (every image must have the same size), an int s (resize to s x s), or
      (height, width); images are resized with Pillow's BILINEAR filter (``Image.resize``,
      antialiased when shrinking; torchvision's Resize default). Unlike torchvision's
      Resize(int), an int gives a square, not a shorter side of s.
    - grayscale: one luma channel instead of RGB
    - cache: read and write the decoded arrays under $CONVNP_CACHE/image-folders (default
      ~/.cache/convnp/image-folders); a cache that cannot be written is skipped with a warning
    - workers: processes decoding a large folder (int >= 1; default: one per CPU this process
      may use); with 1, or under 8192 images, decoding runs in this process. Processes start
      with 'forkserver' (POSIX) or 'spawn', so a script calling this at import time needs the
      usual ``if __name__ == '__main__':`` guard (as PyTorch's DataLoader workers do).

    Returns a tuple of:
    - X: uint8 images of shape (N, H, W, 3), or (N, H, W, 1) with grayscale=True
    - y: int64 labels of shape (N,), indices into classes
    - classes: list of the class folder names (str), sorted

    Raises FileNotFoundError or NotADirectoryError naming root; ValueError naming root when it
    has no class folders or no images, listing the class folders without images, naming the
    first image whose size differs from the first image's (with both sizes) when size is None,
    and giving the count and the first paths of image files that cannot be read or decoded.
    TypeError or ValueError for a bad size, grayscale, cache or workers.
    """
    fn = "load_image_folder"
    if not isinstance(root, (str, os.PathLike)):
        raise TypeError(f"{fn}: root must be a str or os.PathLike folder path; got "
                        f"{type(root).__name__}")
    size = _size(size, fn)
    for name, value in (("grayscale", grayscale), ("cache", cache)):
        if not isinstance(value, bool):
            raise TypeError(f"{fn}: {name} must be a bool; got {value!r}")
    if workers is not None:
        if isinstance(workers, bool) or not isinstance(workers, numbers.Integral):
            raise TypeError(f"{fn}: workers must be an int or None; got {workers!r}")
        if workers < 1:
            raise ValueError(f"{fn}: workers must be >= 1 (or None for one per CPU); "
                             f"got {workers}")
    workers = int(workers) if workers is not None else _cpu_count()

    root = Path(root).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"{fn}: root {str(root)!r} does not exist")
    if not root.is_dir():
        raise NotADirectoryError(f"{fn}: root {str(root)!r} is not a directory; expected a "
                                 f"folder laid out as root/<class>/<image>")
    root = root.resolve()
    classes, files = _scan(root, fn)
    y = np.array([c for c, *_ in files], dtype=np.int64)
    paths = [full for _, _, full, _, _ in files]
    mode, C = ("L", 1) if grayscale else ("RGB", 3)

    cache_path = key = None
    if cache:
        key = _cache_key(root, size, grayscale, files)
        cache_path = _cache_dir() / "image-folders" / f"{_slot(root, size, grayscale)}.npz"
        X = _read_cache(cache_path, key, classes, y, size, C)
        if X is not None:
            return X, y, classes

    if size is None:
        ref_index, (H, W) = _reference_size(paths)
    else:
        ref_index, (H, W) = 0, size
    X = np.empty((len(paths), H, W, C), dtype=np.uint8)
    errors = _decode(paths, X, mode, size, workers)
    _raise_for(errors, paths, ref_index, (H, W), root, fn)

    if cache:
        _write_cache(cache_path, X, y, key, classes, root, size, grayscale, fn)
    return X, y, classes


def _cpu_count() -> int:
    """The CPUs this process may run on (a container's or taskset's limit, where known)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _size(size, fn: str) -> tuple[int, int] | None:
    """None, or size as (height, width) of ints >= 1."""
    if size is None:
        return None
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        pair = (size, size)
    elif isinstance(size, (tuple, list)) and len(size) == 2:
        pair = tuple(size)
    else:
        raise TypeError(f"{fn}: size must be None, an int or a (height, width) pair of ints; "
                        f"got {size!r}")
    for s in pair:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral):
            raise TypeError(f"{fn}: size must be None, an int or a (height, width) pair of "
                            f"ints; got {size!r}")
        if s < 1:
            raise ValueError(f"{fn}: size must be >= 1 in each dimension; got {size!r}")
    return int(pair[0]), int(pair[1])


def _raise(err: OSError) -> None:
    raise err


def _scan(root: Path, fn: str) -> tuple[list[str], list[tuple]]:
    """The class names and, sorted, (class index, relative path, path, bytes, mtime_ns)."""
    classes = sorted(entry.name for entry in os.scandir(root) if entry.is_dir())
    if not classes:
        loose = sum(1 for e in os.scandir(root) if _is_image(e.name))
        hint = (f"; it holds {loose} image file(s) directly: put them in one subfolder per "
                f"class" if loose else "")
        raise ValueError(f"{fn}: root {str(root)!r} has no class folders; expected the layout "
                         f"root/<class>/<image>{hint}")
    files, empty = [], []
    for c, name in enumerate(classes):
        found = []
        # onerror: a subfolder that cannot be listed is an error, not silently fewer images.
        for dirpath, _, filenames in os.walk(root / name, onerror=_raise):
            rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
            for f in filenames:
                if not _is_image(f):
                    continue
                full = os.path.join(dirpath, f)
                try:
                    st = os.stat(full)
                    nbytes, mtime = st.st_size, st.st_mtime_ns
                except OSError:  # a broken symlink: decoding reports it by path
                    nbytes, mtime = -1, -1
                found.append((c, f"{rel_dir}/{f}", full, nbytes, mtime))
        if not found:
            empty.append(name)
        files.extend(sorted(found, key=lambda t: t[1]))
    if not files:
        listed = classes[:_MAX_LISTED] + (["..."] if len(classes) > _MAX_LISTED else [])
        raise ValueError(f"{fn}: no images under root {str(root)!r} (looked for "
                         f"{', '.join(IMAGE_EXTENSIONS)} files, any case, in {len(classes)} class "
                         f"folders {listed})")
    if empty:
        raise ValueError(f"{fn}: class folder(s) {empty} under root {str(root)!r} hold no "
                         f"images (looked for {', '.join(IMAGE_EXTENSIONS)} files, any case, "
                         f"recursively); every class needs at least one")
    return classes, files


def _is_image(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS


def _reference_size(paths: list[str]) -> tuple[int, tuple[int, int]]:
    """(index, (height, width)) of the first image whose header can be read (else (0, (1, 1)):
    every file is unreadable, which decoding then reports)."""
    for i, path in enumerate(paths):
        try:
            with Image.open(path) as im:
                width, height = im.size
            return i, (height, width)
        except Exception:  # unreadable: decoding reports it with the others
            continue
    return 0, (1, 1)


def _decode(paths: list[str], X: np.ndarray, mode: str, size, workers: int) -> list[tuple]:
    """Decode paths into X (in place); return the errors as (index, kind, detail), sorted."""
    N = len(paths)
    expected = X.shape[1:3]
    if workers > 1 and N >= _MIN_IMAGES_FOR_PROCESSES:
        try:
            return _decode_in_processes(paths, X, mode, size, expected, workers)
        except (BrokenProcessPool, OSError, EOFError) as exc:
            warnings.warn(f"load_image_folder: the decoding worker processes failed "
                          f"({type(exc).__name__}: {exc}); decoding in this process instead. A "
                          f"script that loads at import time needs `if __name__ == "
                          f"'__main__':`; workers=1 uses no processes", stacklevel=3)
    return _decode_chunk(paths, X, mode, size, expected, 0)


def _decode_in_processes(paths, X, mode, size, expected, workers) -> list[tuple]:
    # forkserver, not fork: forking a process that runs threads (BLAS, the caller's) can
    # deadlock the child, and Python 3.12+ warns about it; 3.14 makes forkserver the default.
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    bounds = [(a, min(a + _CHUNK, len(paths))) for a in range(0, len(paths), _CHUNK)]
    errors = []
    with ProcessPoolExecutor(min(workers, len(bounds)), mp_context=ctx) as pool:
        futures = [(a, b, pool.submit(_decode_chunk_bytes, paths[a:b], X.shape[1:], mode, size,
                                      expected, a)) for a, b in bounds]
        for a, b, future in futures:
            buf, errs = future.result()
            X[a:b] = np.frombuffer(buf, dtype=np.uint8).reshape(X[a:b].shape)
            errors.extend(errs)
    return errors


def _decode_chunk_bytes(paths, image_shape, mode, size, expected, offset):
    """A worker process's task: decode into its own buffer, return (bytes, errors)."""
    out = np.zeros((len(paths), *image_shape), dtype=np.uint8)
    errors = _decode_chunk(paths, out, mode, size, expected, offset)
    return out.tobytes(), errors


def _decode_chunk(paths, out, mode, size, expected, offset) -> list[tuple]:
    """Decode paths[i] into out[i]; return errors as (offset + i, kind, detail).

    kind is 'size' (detail: the image's (height, width), when size is None and it differs from
    expected) or 'unreadable' (detail: the exception, as text).
    """
    errors = []
    for i, path in enumerate(paths):
        try:
            img = _read_image(path, mode, size, expected)
        except MemoryError:
            raise
        except Exception as exc:  # Pillow raises OSError, ValueError, SyntaxError, ...
            errors.append((offset + i, "unreadable", f"{type(exc).__name__}: {exc}"))
            continue
        if isinstance(img, tuple):
            errors.append((offset + i, "size", img))
            continue
        out[i] = img.reshape(out.shape[1:])
    return errors


def _read_image(path: str, mode: str, size, expected) -> np.ndarray | tuple[int, int]:
    """One image as an array of the given mode and size, or its (height, width) when size is
    None and it is not expected (checked from the header, before decoding)."""
    with Image.open(path) as im:
        if size is None and (im.height, im.width) != tuple(expected):
            return im.height, im.width
        # convert before resize: Pillow resizes 'P' and '1' images with NEAREST only.
        im = im.convert(mode)
    if size is not None and (im.height, im.width) != size:
        im = im.resize((size[1], size[0]), RESAMPLE)
    return np.asarray(im)


def _raise_for(errors, paths, ref_index, expected, root, fn) -> None:
    if not errors:
        return
    errors.sort(key=lambda e: e[0])
    unreadable = [e for e in errors if e[1] == "unreadable"]
    if unreadable:
        listed = ", ".join(f"{paths[i]!r} ({detail})" for i, _, detail in
                           unreadable[:_MAX_LISTED])
        more = (f" and {len(unreadable) - _MAX_LISTED} more" if len(unreadable) > _MAX_LISTED
                else "")
        raise ValueError(f"{fn}: {len(unreadable)} of {len(paths)} image files under "
                         f"{str(root)!r} cannot be read (corrupt, truncated or not an image): "
                         f"{listed}{more}")
    sized = [e for e in errors if e[1] == "size"]
    i, _, (h, w) = sized[0]
    raise ValueError(f"{fn}: images under {str(root)!r} differ in size: {paths[i]!r} is "
                     f"(height, width) ({h}, {w}) but the first image {paths[ref_index]!r} is "
                     f"{tuple(expected)} ({len(sized)} of {len(paths)} differ); pass "
                     f"size=(height, width) to resize them all")


def _cache_dir() -> Path:
    """``$CONVNP_CACHE``, else ``~/.cache/convnp``."""
    env = os.environ.get("CONVNP_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "convnp"


def _slot(root: Path, size, grayscale: bool) -> str:
    """The cache file's name: one file per (root, size, grayscale), so a folder whose files
    change replaces its cache instead of leaving a stale copy of every image behind."""
    text = json.dumps([_CACHE_FORMAT, str(root), size, grayscale])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _cache_key(root: Path, size, grayscale: bool, files) -> str:
    """sha256 of everything the arrays depend on. Pillow's version is in it because its JPEG
    decoder (libjpeg build) and resize filters have changed pixels between releases."""
    h = hashlib.sha256()
    h.update(json.dumps([_CACHE_FORMAT, str(root), size, grayscale, PIL.__version__,
                         RESAMPLE.name]).encode("utf-8"))
    for _, rel, _, nbytes, mtime in files:
        h.update(f"\n{rel}\0{nbytes}\0{mtime}".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _read_cache(path: Path, key: str, classes, y, size, C) -> np.ndarray | None:
    """The cached X if path holds a valid cache for exactly this key, else None."""
    if not path.is_file():
        return None
    try:
        arrays, meta = checkpoint.load(path)
    except (OSError, ValueError):  # CheckpointError is a ValueError: corrupt or truncated
        return None
    X = arrays.get("X")
    ok = (meta.get("kind") == _CACHE_KIND and meta.get("key") == key
          and meta.get("classes") == classes and set(arrays) == {"X", "y"}
          and isinstance(X, np.ndarray) and X.dtype == np.uint8 and X.ndim == 4
          and X.shape[0] == len(y) and X.shape[3] == C
          and (size is None or X.shape[1:3] == size)
          and arrays["y"].dtype == np.int64 and np.array_equal(arrays["y"], y))
    return X if ok else None


def _write_cache(path: Path, X, y, key, classes, root, size, grayscale, fn) -> None:
    """Write the cache atomically; an unwritable cache directory warns and is skipped."""
    meta = {"kind": _CACHE_KIND, "key": key, "classes": classes, "root": str(root),
            "size": None if size is None else list(size), "grayscale": grayscale,
            "num_images": len(y), "pillow": PIL.__version__}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        checkpoint.save(path, {"X": X, "y": y}, meta)
    except OSError as exc:
        warnings.warn(f"{fn}: cannot write the cache file {str(path)!r} ({type(exc).__name__}: "
                      f"{exc}); loaded without caching. Set CONVNP_CACHE to a writable folder, "
                      f"or pass cache=False", stacklevel=3)
