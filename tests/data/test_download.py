"""Tests for convnp.data.download: resumable, verified, mirror-falling-back downloads.

No test touches the network: each one replaces ``download._open`` with a ``FakeServer`` that
serves bytes from a dict (honouring ``Range`` with 206, or ignoring it with 200), and
``download._SOURCES`` with tiny payloads and their md5s. Those two names are all that is
patched.
"""

from __future__ import annotations

import hashlib
import re
import urllib.error
from email.message import Message
from pathlib import Path

import numpy as np
import pytest

from convnp.data import download
from convnp.data.download import ChecksumError, DownloadError, download_cifar10, download_mnist

MIRRORS = ("https://a.example/", "https://b.example/")
MNIST_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
               "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
# Larger than one read of FakeResponse, so every download takes several chunks.
PAYLOAD = bytes(range(256)) * 7 + b"the end"
CIFAR = "cifar-10-python.tar.gz"


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def headers_of(pairs: dict[str, str]) -> Message:
    msg = Message()  # case-insensitive, like http.client's HTTPMessage
    for key, value in pairs.items():
        msg[key] = value
    return msg


class FakeResponse:
    """The part of http.client.HTTPResponse that download uses; ``die_after``: raise
    ConnectionResetError once that many bytes of this body have been read."""

    MAX_READ = 300

    def __init__(self, body: bytes, status: int, headers: dict[str, str],
                 die_after: int | None = None):
        self.status, self.headers = status, headers_of(headers)
        self._body, self._pos, self._die_after = body, 0, die_after
        self.closed = False

    def read(self, n: int = -1) -> bytes:
        limit = len(self._body) if self._die_after is None else self._die_after
        if self._pos >= limit and self._pos < len(self._body):
            raise ConnectionResetError("connection reset by peer")
        n = self.MAX_READ if n < 0 else min(n, self.MAX_READ)
        end = min(self._pos + n, limit)
        chunk, self._pos = self._body[self._pos:end], end
        return chunk

    def close(self) -> None:
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class FakeServer:
    """Stands in for ``download._open``: url -> bytes; records every request.

    - honour_range: answer a Range with 206 and a Content-Range (416 when it starts at or past
      the end); otherwise ignore it and answer 200 with the whole file
    - fail: url -> exception raised when that url is opened
    - die_after: url -> bytes of the body sent before the connection resets
    - short: url -> bytes sent before the body ends cleanly, short of its Content-Length
    - bad_start: answer a Range with a 206 that starts at byte 0 instead
    """

    def __init__(self, files: dict[str, bytes], honour_range: bool = True,
                 fail: dict[str, Exception] | None = None,
                 die_after: dict[str, int] | None = None,
                 short: dict[str, int] | None = None, bad_start: bool = False):
        self.files, self.honour_range, self.bad_start = files, honour_range, bad_start
        self.fail, self.die_after, self.short = fail or {}, die_after or {}, short or {}
        self.calls: list[tuple[str, dict[str, str]]] = []

    def __call__(self, url: str, headers: dict[str, str], timeout: float) -> FakeResponse:
        self.calls.append((url, dict(headers)))
        if url in self.fail:
            raise self.fail[url]
        if url not in self.files:
            raise urllib.error.HTTPError(url, 404, "Not Found", headers_of({}), None)
        body = self.files[url]
        die = self.die_after.get(url)
        start = 0
        if "Range" in headers and self.honour_range:
            start = int(re.fullmatch(r"bytes=(\d+)-", headers["Range"]).group(1))
            if start >= len(body):
                raise urllib.error.HTTPError(url, 416, "Range Not Satisfiable",
                                             headers_of({"Content-Range": f"bytes */{len(body)}"}),
                                             None)
            if self.bad_start:
                start = 0
            rest = body[start:]
            return FakeResponse(rest, 206, {
                "Content-Length": str(len(rest)),
                "Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"}, die)
        sent = body[:self.short[url]] if url in self.short else body
        return FakeResponse(sent, 200, {"Content-Length": str(len(body))}, die)

    @property
    def urls(self) -> list[str]:
        return [url for url, _ in self.calls]


def never_called(url, headers, timeout):
    raise AssertionError(f"the network was used: {url}")


def install(monkeypatch, files: dict[str, dict[str, bytes]],
            md5s: dict[str, str] | None = None) -> dict[str, bytes]:
    """Point download._SOURCES at tiny payloads (source -> {file name: bytes}), each file on
    both MIRRORS; ``md5s`` overrides a file's published md5. Return url -> bytes."""
    table, served = {}, {}
    for source, named in files.items():
        table[source] = []
        for name, data in named.items():
            urls = [f"{mirror}{source}/{name}" for mirror in MIRRORS]
            table[source].append((name, urls, (md5s or {}).get(name, md5(data))))
            served.update(dict.fromkeys(urls, data))
    monkeypatch.setattr(download, "_SOURCES", table)
    return served


@pytest.fixture
def cifar(monkeypatch):
    """The python CIFAR source as PAYLOAD; returns (url on mirror A, url on mirror B, served)."""
    served = install(monkeypatch, {"cifar10-python": {CIFAR: PAYLOAD}})
    return f"{MIRRORS[0]}cifar10-python/{CIFAR}", f"{MIRRORS[1]}cifar10-python/{CIFAR}", served


def serve(monkeypatch, server):
    monkeypatch.setattr(download, "_open", server)
    return server


def test_fresh_download_writes_the_exact_bytes(tmp_path, monkeypatch, cifar):
    url_a, _, served = cifar
    server = serve(monkeypatch, FakeServer(served))
    path = download_cifar10(tmp_path / "data", progress=False)
    assert path == tmp_path / "data" / CIFAR
    assert path.read_bytes() == PAYLOAD
    assert not (tmp_path / "data" / (CIFAR + ".part")).exists()
    assert server.urls == [url_a]
    assert "Range" not in server.calls[0][1]
    assert server.calls[0][1]["User-Agent"].startswith("convnp/")


def test_binary_form_fetches_the_binary_archive(tmp_path, monkeypatch):
    name = "cifar-10-binary.tar.gz"
    served = install(monkeypatch, {"cifar10-binary": {name: b"binary records"}})
    serve(monkeypatch, FakeServer(served))
    path = download_cifar10(str(tmp_path), form="binary", progress=False)
    assert path == tmp_path / name and path.read_bytes() == b"binary records"


def test_resume_sends_range_and_completes_the_file(tmp_path, monkeypatch, cifar):
    _, _, served = cifar
    (tmp_path / (CIFAR + ".part")).write_bytes(PAYLOAD[:1000])
    server = serve(monkeypatch, FakeServer(served))
    path = download_cifar10(tmp_path, progress=False)
    assert server.calls[0][1]["Range"] == "bytes=1000-"
    assert len(server.calls) == 1
    assert path.read_bytes() == PAYLOAD
    assert not (tmp_path / (CIFAR + ".part")).exists()


def test_server_ignoring_range_restarts_from_zero(tmp_path, monkeypatch, cifar):
    _, _, served = cifar
    (tmp_path / (CIFAR + ".part")).write_bytes(b"x" * 700)  # not even a prefix
    server = serve(monkeypatch, FakeServer(served, honour_range=False))
    path = download_cifar10(tmp_path, progress=False)
    assert server.calls[0][1]["Range"] == "bytes=700-"
    assert path.read_bytes() == PAYLOAD


def test_range_answered_from_the_wrong_offset_restarts_from_zero(tmp_path, monkeypatch, cifar):
    _, _, served = cifar
    (tmp_path / (CIFAR + ".part")).write_bytes(PAYLOAD[:500])
    server = serve(monkeypatch, FakeServer(served, bad_start=True))
    path = download_cifar10(tmp_path, progress=False)
    assert [h.get("Range") for _, h in server.calls] == ["bytes=500-", None]
    assert path.read_bytes() == PAYLOAD


def test_part_longer_than_the_file_restarts_from_zero(tmp_path, monkeypatch, cifar):
    _, _, served = cifar
    (tmp_path / (CIFAR + ".part")).write_bytes(PAYLOAD + b"junk")  # server answers 416
    server = serve(monkeypatch, FakeServer(served))
    path = download_cifar10(tmp_path, progress=False)
    assert [h.get("Range") for _, h in server.calls] == [f"bytes={len(PAYLOAD) + 4}-", None]
    assert path.read_bytes() == PAYLOAD


def test_complete_part_is_verified_and_moved_without_a_request(tmp_path, monkeypatch, cifar):
    (tmp_path / (CIFAR + ".part")).write_bytes(PAYLOAD)
    serve(monkeypatch, never_called)
    assert download_cifar10(tmp_path, progress=False).read_bytes() == PAYLOAD
    assert not (tmp_path / (CIFAR + ".part")).exists()


def test_connection_dying_mid_stream_keeps_the_part_and_the_next_call_resumes(
        tmp_path, monkeypatch, cifar):
    url_a, url_b, served = cifar
    dead = FakeServer(served, die_after={url_a: 1100, url_b: 0})
    serve(monkeypatch, dead)
    with pytest.raises(DownloadError, match="1100 bytes received are kept"):
        download_cifar10(tmp_path, progress=False)
    part = tmp_path / (CIFAR + ".part")
    assert part.read_bytes() == PAYLOAD[:1100]
    assert not (tmp_path / CIFAR).exists()
    # Mirror B was asked to resume from where A died.
    assert dead.calls[1] == (url_b, {"User-Agent": dead.calls[1][1]["User-Agent"],
                                     "Range": "bytes=1100-"})

    server = serve(monkeypatch, FakeServer(served))
    path = download_cifar10(tmp_path, progress=False)
    assert server.calls[0][1]["Range"] == "bytes=1100-"
    assert path.read_bytes() == PAYLOAD
    assert not part.exists()


def test_body_ending_short_of_content_length_counts_as_a_failure(tmp_path, monkeypatch, cifar):
    url_a, url_b, served = cifar
    server = serve(monkeypatch, FakeServer(served, short={url_a: 600}))
    path = download_cifar10(tmp_path, progress=False)
    assert [h.get("Range") for _, h in server.calls] == [None, "bytes=600-"]
    assert server.urls == [url_a, url_b]
    assert path.read_bytes() == PAYLOAD


def test_wrong_checksum_names_path_and_digests_and_leaves_nothing(tmp_path, monkeypatch):
    wrong = "0" * 32
    served = install(monkeypatch, {"cifar10-python": {CIFAR: PAYLOAD}}, md5s={CIFAR: wrong})
    serve(monkeypatch, FakeServer(served))
    dest = tmp_path / CIFAR
    with pytest.raises(ChecksumError) as info:
        download_cifar10(tmp_path, progress=False)
    message = str(info.value)
    assert str(dest) in message and wrong in message and md5(PAYLOAD) in message
    assert not dest.exists()
    assert not (tmp_path / (CIFAR + ".part")).exists()


def test_first_mirror_failing_falls_through_to_the_second(tmp_path, monkeypatch, cifar):
    url_a, url_b, served = cifar
    server = serve(monkeypatch, FakeServer(
        served, fail={url_a: urllib.error.URLError("[Errno -2] Name or service not known")}))
    path = download_cifar10(tmp_path, progress=False)
    assert server.urls == [url_a, url_b]
    assert path.read_bytes() == PAYLOAD


def test_all_mirrors_failing_names_every_url_and_why(tmp_path, monkeypatch, cifar):
    url_a, url_b, _ = cifar
    serve(monkeypatch, FakeServer({}, fail={url_b: TimeoutError("timed out")}))
    with pytest.raises(DownloadError) as info:
        download_cifar10(tmp_path, progress=False)
    message = str(info.value)
    assert f"{url_a} (HTTP 404 Not Found)" in message
    assert f"{url_b} (TimeoutError: timed out)" in message
    assert str(tmp_path / CIFAR) in message
    assert isinstance(info.value, OSError)
    assert not (tmp_path / CIFAR).exists() and not (tmp_path / (CIFAR + ".part")).exists()


def test_verified_file_is_not_fetched_again(tmp_path, monkeypatch, cifar):
    (tmp_path / CIFAR).write_bytes(PAYLOAD)
    serve(monkeypatch, never_called)
    assert download_cifar10(tmp_path, progress=False) == tmp_path / CIFAR


def test_file_with_another_checksum_is_replaced(tmp_path, monkeypatch, cifar):
    _, _, served = cifar
    (tmp_path / CIFAR).write_bytes(PAYLOAD[:-1] + b"?")
    serve(monkeypatch, FakeServer(served))
    assert download_cifar10(tmp_path, progress=False).read_bytes() == PAYLOAD


def test_progress_bar_goes_to_stderr_and_can_be_switched_off(tmp_path, monkeypatch, cifar,
                                                             capsys):
    _, _, served = cifar
    serve(monkeypatch, FakeServer(served))
    download_cifar10(tmp_path / "off", progress=False)
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    download_cifar10(tmp_path / "on", progress=True)
    out, err = capsys.readouterr()
    assert out == "" and CIFAR in err


def test_mnist_fetches_the_four_files_into_root_kind(tmp_path, monkeypatch):
    payloads = {name: name.encode() * (i + 1) for i, name in enumerate(MNIST_FILES)}
    served = install(monkeypatch, {"mnist": payloads, "fashion-mnist": {}})
    server = serve(monkeypatch, FakeServer(served))
    folder = download_mnist(tmp_path, progress=False)
    assert folder == tmp_path / "mnist"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == payloads
    assert server.urls == [f"{MIRRORS[0]}mnist/{name}" for name in MNIST_FILES]

    serve(monkeypatch, never_called)  # all four verified: nothing to fetch
    assert download_mnist(tmp_path, progress=False) == folder


def test_fashion_mnist_goes_into_its_own_folder(tmp_path, monkeypatch):
    payloads = {name: b"fashion " + name.encode() for name in MNIST_FILES}
    served = install(monkeypatch, {"mnist": {}, "fashion-mnist": payloads})
    serve(monkeypatch, FakeServer(served))
    folder = download_mnist(tmp_path, kind="fashion-mnist", progress=False)
    assert folder == tmp_path / "fashion-mnist"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == payloads


def test_mnist_keeps_the_verified_files_when_a_later_one_fails(tmp_path, monkeypatch):
    payloads = {name: name.encode() for name in MNIST_FILES}
    served = install(monkeypatch, {"mnist": payloads})
    missing = MNIST_FILES[2]
    for mirror in MIRRORS:
        del served[f"{mirror}mnist/{missing}"]
    serve(monkeypatch, FakeServer(served))
    with pytest.raises(DownloadError, match=re.escape(missing)):
        download_mnist(tmp_path, progress=False)
    assert sorted(p.name for p in (tmp_path / "mnist").iterdir()) == sorted(MNIST_FILES[:2])


def test_the_published_sources(monkeypatch):
    table = download._SOURCES
    assert set(table) == {"cifar10-python", "cifar10-binary", "mnist", "fashion-mnist"}
    assert table["cifar10-python"] == [
        (CIFAR, ["https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"],
         "c58f30108f718f92721af3b95e74349a")]
    for source in ("mnist", "fashion-mnist"):
        assert [name for name, _, _ in table[source]] == list(MNIST_FILES)
    for entries in table.values():
        for name, urls, digest in entries:
            assert re.fullmatch(r"[0-9a-f]{32}", digest), (name, digest)
            assert urls and all(url.endswith("/" + name) for url in urls), urls
    assert table["mnist"][0][1] == [
        "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz",
        "http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz"]


@pytest.mark.parametrize("call, match", [
    (lambda root: download_cifar10(root, form="matlab"),
     r"download_cifar10: form must be one of \['python', 'binary'\]; got 'matlab'"),
    (lambda root: download_mnist(root, kind="kmnist"),
     r"download_mnist: kind must be one of \['mnist', 'fashion-mnist'\]; got 'kmnist'"),
])
def test_unknown_names_list_the_valid_ones(tmp_path, monkeypatch, call, match):
    serve(monkeypatch, never_called)
    with pytest.raises(ValueError, match=match):
        call(tmp_path)


@pytest.mark.parametrize("call, match", [
    (lambda: download_cifar10(3), "download_cifar10: root must be a str or os.PathLike"),
    (lambda: download_mnist(None), "download_mnist: root must be a str or os.PathLike"),
    (lambda: download_mnist(b"/tmp"), "download_mnist: root must be a str or os.PathLike"),
])
def test_root_must_be_a_path(monkeypatch, call, match):
    serve(monkeypatch, never_called)
    with pytest.raises(TypeError, match=match):
        call()


def test_progress_must_be_a_bool(tmp_path, monkeypatch):
    serve(monkeypatch, never_called)
    with pytest.raises(TypeError, match="download_cifar10: progress must be a bool; got 'no'"):
        download_cifar10(tmp_path, progress="no")


def test_root_that_is_a_file_is_refused_naming_it(tmp_path, monkeypatch):
    serve(monkeypatch, never_called)
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(NotADirectoryError, match=re.escape(str(blocker))):
        download_cifar10(blocker, progress=False)


def test_paths_are_returned_as_path_objects(tmp_path, monkeypatch, cifar):
    _, _, served = cifar
    serve(monkeypatch, FakeServer(served))
    assert isinstance(download_cifar10(str(tmp_path), progress=False), Path)


def test_downloaded_cifar10_loads_through_the_real_loader(tmp_path, monkeypatch, rng):
    from convnp.data.cifar10 import load_cifar10

    from .conftest import random_cifar
    from .formats import write_cifar_python
    arrays = random_cifar(rng)
    archive = write_cifar_python(tmp_path / "made", *arrays).read_bytes()
    served = install(monkeypatch, {"cifar10-python": {CIFAR: archive}})
    serve(monkeypatch, FakeServer(served, die_after={f"{MIRRORS[0]}cifar10-python/{CIFAR}":
                                                     len(archive) // 2}))
    root = tmp_path / "data"
    download_cifar10(root, progress=False)  # the first mirror dies half way; B completes it
    for got, want in zip(load_cifar10(root), arrays):
        np.testing.assert_array_equal(got, want)


def test_downloaded_mnist_loads_through_the_real_loader(tmp_path, monkeypatch, rng):
    from convnp.data.mnist import load_mnist

    from .conftest import random_mnist
    from .formats import write_mnist_idx
    arrays = random_mnist(rng)
    made = write_mnist_idx(tmp_path / "made", *arrays)
    served = install(monkeypatch, {"mnist": {n: (made / n).read_bytes() for n in MNIST_FILES}})
    serve(monkeypatch, FakeServer(served))
    root = tmp_path / "data"
    download_mnist(root, progress=False)
    for got, want in zip(load_mnist(root), arrays):
        np.testing.assert_array_equal(got, want)
