"""Downloads of the public datasets: CIFAR-10 and (Fashion-)MNIST, resumable and verified.

``download_cifar10(root)`` puts the official archive at ``root/cifar-10-python.tar.gz`` (or
``cifar-10-binary.tar.gz``), which ``load_cifar10(root)`` reads; ``download_mnist(root, kind)``
puts the four IDX ``.gz`` files in ``root/<kind>/``, which ``load_mnist(root, kind)`` reads.

Every file goes through one path, ``_fetch``:
- a destination already present with the published md5 is kept and nothing is fetched;
- the bytes stream into ``<file>.part``; a ``.part`` left by a broken download is resumed with
  ``Range: bytes=<its size>-`` (appended to when the server answers 206 from that offset,
  started again from zero when it answers 200, ignoring the Range, or 416, the ``.part`` being
  no prefix of the file);
- a network error moves on to the next mirror (resuming from what the last one delivered); when
  every mirror has failed, ``DownloadError`` names each URL and why, and the ``.part`` stays for
  the next call to resume;
- the finished ``.part`` is fsynced and its md5 checked; a mismatch deletes it and raises
  ``ChecksumError``; only a verified file is renamed onto the destination (``os.replace``), so
  the destination is never half-written.

Nothing is printed; the one output is a tqdm bar on stderr (``progress=False`` turns it off).
Two processes downloading into the same root at once are not supported (they share the
``.part``).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

from tqdm import tqdm

from .. import __version__
from ..checkpoint import fsync_directory

__all__ = ["ChecksumError", "DownloadError", "download_cifar10", "download_mnist"]


class DownloadError(OSError):
    """No mirror could deliver a file. The message names the file, every URL tried and why."""


class ChecksumError(ValueError):
    """A downloaded file whose md5 is not the published one. The message names the path and
    both digests; the partial file has been deleted, so the next call downloads afresh."""


# CIFAR-10: the dataset page https://www.cs.toronto.edu/~kriz/cifar.html publishes both
# archives with their md5 (the python one also in torchvision's datasets/cifar.py, CIFAR10).
_CIFAR_URL = "https://www.cs.toronto.edu/~kriz/"
# MNIST: torchvision's datasets/mnist.py (MNIST.mirrors, MNIST.resources) lists these two
# mirrors and md5s. It has tried yann.lecun.com first; we try the S3 copy first because the
# original site has been answering 403 and timing out, so it is the fallback here.
_MNIST_MIRRORS = ("https://ossci-datasets.s3.amazonaws.com/mnist/",
                  "http://yann.lecun.com/exdb/mnist/")
# Fashion-MNIST: torchvision's datasets/mnist.py (FashionMNIST.mirrors, .resources).
_FASHION_MIRRORS = ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",)
_MNIST_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
_MNIST_MD5 = ("f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
              "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c")
_FASHION_MD5 = ("8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310")

# Source name -> the files it consists of: (file name, [urls, tried in order], md5).
_SOURCES: dict[str, list[tuple[str, list[str], str]]] = {
    "cifar10-python": [("cifar-10-python.tar.gz", [_CIFAR_URL + "cifar-10-python.tar.gz"],
                        "c58f30108f718f92721af3b95e74349a")],
    "cifar10-binary": [("cifar-10-binary.tar.gz", [_CIFAR_URL + "cifar-10-binary.tar.gz"],
                        "c32a1d4ab5d03f1284b67883e8d87530")],
    "mnist": [(name, [m + name for m in _MNIST_MIRRORS], md5)
              for name, md5 in zip(_MNIST_FILES, _MNIST_MD5)],
    "fashion-mnist": [(name, [m + name for m in _FASHION_MIRRORS], md5)
                      for name, md5 in zip(_MNIST_FILES, _FASHION_MD5)],
}

CIFAR10_FORMS = ("python", "binary")
MNIST_KINDS = ("mnist", "fashion-mnist")

_CHUNK = 1 << 20  # bytes per read
_TIMEOUT = 60.0  # seconds a connect or a single read may block
# Some hosts refuse Python-urllib's default agent with 403 (torchvision names itself too).
_USER_AGENT = f"convnp/{__version__}"


def download_cifar10(root: str | os.PathLike, form: str = "python",
                     progress: bool = True) -> Path:
    """Download the official CIFAR-10 archive into ``root``; return its path.

    Inputs:
    - root: directory to put it in (created with its parents if missing); ``load_cifar10(root)``
      then reads it
    - form: 'python' for cifar-10-python.tar.gz (163 MB, pickled batches) or 'binary' for
      cifar-10-binary.tar.gz (162 MB, fixed-length records), from
      https://www.cs.toronto.edu/~kriz/
    - progress: show a tqdm bar (bytes) on stderr

    Returns ``root/cifar-10-python.tar.gz`` (or ``-binary``). A file already there with the
    published md5 is returned at once, with nothing fetched; one with another md5 is replaced by
    a fresh download. A broken download resumes on the next call (see the module docstring).

    Raises TypeError for a root that is not a str or path, ValueError for an unknown form,
    DownloadError (an OSError) naming every URL tried and why, ChecksumError (a ValueError)
    naming the path and both digests when the download does not match the published md5.
    """
    fn = "download_cifar10"
    root = _root(root, fn)
    _choice(form, "form", CIFAR10_FORMS, fn)
    _flag(progress, "progress", fn)
    (name, urls, md5), = _SOURCES[f"cifar10-{form}"]
    _make_dir(root, fn)
    return _fetch(urls, root / name, md5, progress)


def download_mnist(root: str | os.PathLike, kind: str = "mnist", progress: bool = True) -> Path:
    """Download the four IDX files of MNIST or Fashion-MNIST into ``root/<kind>/``; return it.

    Inputs:
    - root: the data directory; the files go to ``root/<kind>/`` (created if missing), where
      ``load_mnist(root, kind)`` reads them
    - kind: 'mnist' (mirrors https://ossci-datasets.s3.amazonaws.com/mnist/, then
      http://yann.lecun.com/exdb/mnist/) or 'fashion-mnist'
      (http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/)
    - progress: show a tqdm bar (bytes) per file on stderr

    The files are train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
    t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (11 MB in all for MNIST). Each one
    already present with its published md5 is kept; the others are fetched, resumed and verified
    one by one, so a failure leaves the verified ones in place.

    Returns ``root/<kind>``.

    Raises TypeError for a root that is not a str or path, ValueError for an unknown kind,
    DownloadError (an OSError) naming every URL tried and why, ChecksumError (a ValueError)
    naming the path and both digests when a download does not match the published md5.
    """
    fn = "download_mnist"
    root = _root(root, fn)
    _choice(kind, "kind", MNIST_KINDS, fn)
    _flag(progress, "progress", fn)
    folder = root / kind
    _make_dir(folder, fn)
    for name, urls, md5 in _SOURCES[kind]:
        _fetch(urls, folder / name, md5, progress)
    return folder


def _open(url: str, headers: dict[str, str], timeout: float):
    """GET ``url``; return the response (status, headers, read(n), context manager).

    The one place that touches the network: tests replace it. HTTP errors raise
    ``urllib.error.HTTPError`` (whose ``code`` is the status), others ``URLError``/``OSError``.
    """
    request = urllib.request.Request(url, headers=headers)
    return urllib.request.urlopen(request, timeout=timeout)


class _MirrorFailed(Exception):
    """One URL could not deliver (network or HTTP error); str() is the reason. Internal."""


def _fetch(urls: list[str], dest: Path, md5: str, progress: bool) -> Path:
    """Make ``dest`` a verified copy of the file at ``urls`` (tried in order); return it."""
    if dest.is_file() and _md5(dest) == md5:
        return dest
    part = dest.with_name(dest.name + ".part")
    # A .part that is already complete (a run stopped between the last byte and the rename)
    # needs no request: the server would answer 416 to a Range starting at its end.
    if not (part.is_file() and _md5(part) == md5):
        source = _from_mirrors(urls, part, dest, progress)
        got = _md5(part)
        if got != md5:
            part.unlink()
            raise ChecksumError(f"{str(dest)!r}: the file downloaded from {source} has md5 "
                                f"{got}; expected {md5}. The download was deleted and nothing "
                                f"was written to {dest.name}; the next call downloads it afresh")
    os.replace(part, dest)
    fsync_directory(dest.parent)
    return dest


def _from_mirrors(urls: list[str], part: Path, dest: Path, progress: bool) -> str:
    """Complete ``part`` from the first URL that delivers; return that URL.

    A mirror that fails mid-file leaves its bytes in ``part`` and the next one resumes from
    there (the md5 check afterwards catches mirrors that disagree).
    """
    failures = []
    for url in urls:
        try:
            _stream(url, part, dest.name, progress)
        except _MirrorFailed as exc:
            failures.append(f"{url} ({exc})")
            continue
        return url
    size = part.stat().st_size if part.is_file() else 0
    kept = (f"; the {size} bytes received are kept in {str(part)!r} and the next call "
            f"resumes from there") if size else ""
    raise DownloadError(f"could not download {dest.name} to {str(dest)!r}: tried {len(urls)} "
                        f"URL(s): " + "; ".join(failures) + kept)


def _stream(url: str, part: Path, label: str, progress: bool) -> None:
    """Append the rest of ``url`` to ``part`` (from zero if it cannot resume), then fsync.

    Raises _MirrorFailed for anything the server or the network did; OSError naming ``part``
    for a local write error (which no other mirror would fix).
    """
    offset = part.stat().st_size if part.is_file() else 0
    response, offset, total = _request(url, offset)
    with response:
        mode = "ab" if offset else "wb"
        try:
            f = open(part, mode)
        except OSError as exc:
            raise OSError(f"cannot write the download to {str(part)!r}: {exc}") from exc
        with f, tqdm(total=total, initial=offset, desc=label, unit="B", unit_scale=True,
                     unit_divisor=1024, disable=not progress, leave=False) as bar:
            received = offset
            while True:
                try:
                    chunk = response.read(_CHUNK)
                except (OSError, http.client.HTTPException, ValueError) as exc:
                    # ValueError: http.client reading from a connection closed under it.
                    raise _MirrorFailed(f"connection lost after {received} bytes: "
                                        f"{_reason(exc)}") from exc
                if not chunk:
                    break
                try:
                    f.write(chunk)
                except OSError as exc:
                    raise OSError(f"cannot write the download to {str(part)!r}: "
                                  f"{exc}") from exc
                received += len(chunk)
                bar.update(len(chunk))
            try:
                f.flush()
                os.fsync(f.fileno())
            except OSError as exc:
                raise OSError(f"cannot write the download to {str(part)!r}: {exc}") from exc
    if total is not None and received != total:
        raise _MirrorFailed(f"the connection closed after {received} of {total} bytes")


_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$")


def _request(url: str, offset: int):
    """Open ``url`` from byte ``offset`` if the server allows it; return (response, the offset
    the body starts at (``offset`` or 0), the total size or None)."""
    headers = {"User-Agent": _USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        response = _open(url, headers, _TIMEOUT)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 416 and offset:
            # Range not satisfiable: the .part is as long as the file or longer, yet not the
            # file (it did not verify). Start again.
            return _request(url, 0)
        raise _MirrorFailed(f"HTTP {exc.code} {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:  # URLError, timeouts, resets
        raise _MirrorFailed(_reason(exc)) from exc
    status = getattr(response, "status", 200)
    length = _int_header(response, "Content-Length")
    if offset and status == 206:
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if match and int(match.group(1)) == offset:
            size = match.group(3)
            total = int(size) if size != "*" else (offset + length if length is not None
                                                   else None)
            return response, offset, total
        # A 206 that does not start where asked cannot be appended: start again.
        response.close()
        return _request(url, 0)
    if status != 200:
        response.close()
        raise _MirrorFailed(f"HTTP {status} (expected 200"
                            + (" or 206)" if offset else ")"))
    return response, 0, length  # 200: the whole file, whether or not a Range was sent


def _int_header(response, name: str) -> int | None:
    value = response.headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        return f"{type(exc).__name__}: {exc.reason}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _root(root, fn: str) -> Path:
    if isinstance(root, bytes) or not isinstance(root, (str, os.PathLike)):
        raise TypeError(f"{fn}: root must be a str or os.PathLike (a directory); got "
                        f"{type(root).__name__}")
    return Path(root).expanduser()


def _choice(value, name: str, choices: tuple[str, ...], fn: str) -> None:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{fn}: {name} must be one of {list(choices)}; got {value!r}")


def _flag(value, name: str, fn: str) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{fn}: {name} must be a bool; got {value!r} ({type(value).__name__})")


def _make_dir(path: Path, fn: str) -> None:
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"{fn}: {str(path)!r} exists and is not a directory; the "
                                 f"download needs a directory there")
    path.mkdir(parents=True, exist_ok=True)
