"""Tests for convnp.data.cifar10: every official form round-trips; every bad file is named."""

from __future__ import annotations

import gzip
import os
import re

import numpy as np
import pytest

from convnp.data._unpickle import UnsafePickleError
from convnp.data.cifar10 import cifar10_classes, load_cifar10
from tests.data.conftest import random_cifar
from tests.data.formats import (
    cifar_binary_members,
    cifar_python_members,
    py2_pickle,
    targz_bytes,
    write_cifar_binary,
    write_cifar_python,
)

WRITERS = {"python": write_cifar_python, "binary": write_cifar_binary}
FOLDERS = {"python": "cifar-10-batches-py", "binary": "cifar-10-batches-bin"}
ARCHIVES = {"python": "cifar-10-python.tar.gz", "binary": "cifar-10-binary.tar.gz"}


def assert_loaded(got, want):
    names = ("X_train", "y_train", "X_test", "y_test")
    assert len(got) == 4
    for name, g, w in zip(names, got, want):
        assert g.dtype == (np.uint8 if name[0] == "X" else np.int64), name
        assert g.shape == w.shape, f"{name}: {g.shape} != {w.shape}"
        assert np.array_equal(g, w), name
    assert got[0].flags.c_contiguous and got[2].flags.c_contiguous


def test_classes():
    assert cifar10_classes() == ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
                                 "horse", "ship", "truck")


@pytest.mark.parametrize("form", ["python", "binary"])
@pytest.mark.parametrize("archive", [True, False])
@pytest.mark.parametrize("point_at", ["parent", "itself"])
def test_round_trip_every_form_and_place(tmp_path, rng, form, archive, point_at):
    data = random_cifar(rng)
    written = WRITERS[form](tmp_path, *data, archive=archive)
    assert written.name == (ARCHIVES if archive else FOLDERS)[form]
    root = tmp_path if point_at == "parent" else written
    assert_loaded(load_cifar10(root), data)


def test_fixtures_round_trip(tmp_cifar_py, tmp_cifar_bin):
    for path, data in (tmp_cifar_py, tmp_cifar_bin):
        assert_loaded(load_cifar10(path), data)
        assert_loaded(load_cifar10(str(path.parent)), data)


def test_renamed_extracted_folder_and_archive_are_recognised(tmp_path, rng):
    data = random_cifar(rng)
    folder = write_cifar_binary(tmp_path / "a", *data, archive=False)
    assert_loaded(load_cifar10(folder.rename(tmp_path / "my-cifar")), data)
    archive = write_cifar_python(tmp_path / "b", *data)
    assert_loaded(load_cifar10(archive.rename(tmp_path / "cifar.tgz")), data)


def test_archive_members_with_a_dot_slash_prefix(tmp_path, rng):
    data = random_cifar(rng)
    members = cifar_python_members(*data)
    (tmp_path / "c.tar.gz").write_bytes(targz_bytes(members, "./cifar-10-batches-py"))
    assert_loaded(load_cifar10(tmp_path / "c.tar.gz"), data)


def test_extracted_folder_without_metadata_loads(tmp_path, rng):
    data = random_cifar(rng)
    folder = write_cifar_python(tmp_path, *data, archive=False)
    (folder / "batches.meta").unlink()
    assert_loaded(load_cifar10(folder), data)


def hand_made_rows():
    """Image 0 with a red top-left pixel, a green one to its right, a blue one below it.

    Written byte by byte from the format's description (1024 R, then G, then B, each row-major),
    independently of the writers in formats.py.
    """
    row = bytearray(3072)
    row[0] = 255                 # R plane, (row 0, col 0)
    row[1024 + 1] = 255          # G plane, (row 0, col 1)
    row[2048 + 32] = 255         # B plane, (row 1, col 0)
    row[31 * 32 + 31] = 7        # R plane, bottom-right
    return bytes(row)


def check_hand_made(X):
    assert X[0, 0, 0].tolist() == [255, 0, 0]
    assert X[0, 0, 1].tolist() == [0, 255, 0]
    assert X[0, 1, 0].tolist() == [0, 0, 255]
    assert X[0, 31, 31].tolist() == [7, 0, 0]
    assert int(X[0].sum()) == 3 * 255 + 7


def test_pixel_order_binary(tmp_path):
    folder = tmp_path / "cifar-10-batches-bin"
    folder.mkdir()
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        (folder / name).write_bytes(bytes([3]) + hand_made_rows())
    X_train, y_train, X_test, y_test = load_cifar10(tmp_path)
    check_hand_made(X_train)
    check_hand_made(X_test)
    assert y_train.tolist() == [3] * 5 and y_test.tolist() == [3]


def test_pixel_order_python(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    data = np.frombuffer(hand_made_rows(), dtype=np.uint8).reshape(1, 3072)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        (folder / name).write_bytes(py2_pickle({"data": data, "labels": [9]}))
    X_train, y_train, X_test, _ = load_cifar10(folder)
    check_hand_made(X_train)
    check_hand_made(X_test)
    assert y_train.tolist() == [9] * 5


def test_preference_order(tmp_path, rng):
    """python folder > python archive > binary folder > binary archive, each with its own data."""
    order = [("python", False), ("python", True), ("binary", False), ("binary", True)]
    datasets = [random_cifar(rng) for _ in order]
    paths = [WRITERS[form](tmp_path, *data, archive=archive)
             for (form, archive), data in zip(order, datasets)]
    for path, data in zip(paths, datasets):
        assert_loaded(load_cifar10(tmp_path), data)
        os.rename(path, tmp_path.parent / f"{tmp_path.name}-{path.name}")  # out of the way


def test_missing_root(tmp_path):
    root = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match=rf"load_cifar10: {re.escape(str(root))} does "
                                                rf"not exist; download CIFAR-10 there with "
                                                rf"convnp\.data\.download_cifar10\("):
        load_cifar10(root)


def test_directory_without_data_says_where_it_looked(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no CIFAR-10 data in .*: looked for "
                                                r"cifar-10-batches-py, cifar-10-python\.tar\.gz, "
                                                r"cifar-10-batches-bin, cifar-10-binary\.tar\.gz "
                                                r".*convnp\.data\.download_cifar10\("):
        load_cifar10(tmp_path)


@pytest.mark.parametrize("form, name", [("python", "test_batch"),
                                        ("binary", "data_batch_3.bin")])
def test_missing_file_in_folder_is_named(tmp_path, rng, form, name):
    folder = WRITERS[form](tmp_path, *random_cifar(rng), archive=False)
    (folder / name).unlink()
    with pytest.raises(FileNotFoundError, match=rf"{re.escape(str(folder / name))} is missing"):
        load_cifar10(tmp_path)


@pytest.mark.parametrize("form, name", [("python", "data_batch_5"),
                                        ("binary", "test_batch.bin")])
def test_missing_member_in_archive_is_named(tmp_path, rng, form, name):
    members = (cifar_python_members if form == "python" else cifar_binary_members)(
        *random_cifar(rng))
    del members[name]
    path = tmp_path / ARCHIVES[form]
    path.write_bytes(targz_bytes(members, FOLDERS[form]))
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))} has no member "
                                         rf"'{FOLDERS[form]}/{name}'"):
        load_cifar10(tmp_path)


def test_archive_of_something_else(tmp_path):
    path = tmp_path / "other.tar.gz"
    path.write_bytes(targz_bytes({"data_batch_1": b"x"}, "cifar-100-python"))
    with pytest.raises(ValueError, match=r"holds neither cifar-10-batches-py/ nor "
                                         r"cifar-10-batches-bin/"):
        load_cifar10(path)


def corrupt_archive_cases(blob):
    flipped = bytearray(blob)
    flipped[len(blob) // 2] ^= 0xFF
    bad_crc = bytearray(blob)
    bad_crc[-8] ^= 0xFF  # the gzip trailer's CRC-32: only a read to the end notices
    return {"truncated": blob[:len(blob) // 2], "cut_trailer": blob[:-4],
            "flipped": bytes(flipped), "bad_crc": bytes(bad_crc),
            "not_gzip": b"<html>404 Not Found</html>", "empty": b""}


@pytest.mark.parametrize("form", ["python", "binary"])
@pytest.mark.parametrize("case", ["truncated", "cut_trailer", "flipped", "bad_crc", "not_gzip",
                                  "empty"])
def test_truncated_or_corrupt_archive_is_named(tmp_path, rng, form, case):
    path = WRITERS[form](tmp_path, *random_cifar(rng))
    path.write_bytes(corrupt_archive_cases(path.read_bytes())[case])
    with pytest.raises(ValueError, match=rf"load_cifar10: {re.escape(str(path))} "):
        load_cifar10(tmp_path)


def test_truncated_tar_inside_a_valid_gzip(tmp_path, rng):
    members = cifar_binary_members(*random_cifar(rng))
    raw = gzip.decompress(targz_bytes(members, "cifar-10-batches-bin"))
    path = tmp_path / "cifar-10-binary.tar.gz"
    path.write_bytes(gzip.compress(raw[:len(raw) // 2]))
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))} (is not a readable \.tar\.gz"
                                         rf"|has no member)"):
        load_cifar10(tmp_path)


def write_folder(tmp_path, form, members):
    folder = tmp_path / FOLDERS[form]
    folder.mkdir()
    for name, blob in members.items():
        (folder / name).write_bytes(blob)
    return folder


@pytest.mark.parametrize("extra, message", [
    (5, r"6151 bytes is not a whole number of 3073-byte records \(1 label \+ 3072 pixels\): "
        r"2 records and 5 bytes over"),
    (-5, r"6141 bytes is not a whole number of 3073-byte records"),
    (None, r"0 bytes is not a whole number of 3073-byte records"),
])
def test_binary_size_not_a_multiple_of_3073(tmp_path, rng, extra, message):
    members = cifar_binary_members(*random_cifar(rng))
    blob = members["data_batch_2.bin"]  # 2 records
    members["data_batch_2.bin"] = b"" if extra is None else (
        blob + bytes(extra) if extra > 0 else blob[:extra])
    folder = write_folder(tmp_path, "binary", members)
    with pytest.raises(ValueError, match=rf"{re.escape(str(folder / 'data_batch_2.bin'))}: "
                                         rf"{message}"):
        load_cifar10(folder)


def test_binary_label_out_of_range(tmp_path, rng):
    members = cifar_binary_members(*random_cifar(rng))
    blob = bytearray(members["test_batch.bin"])
    blob[2 * 3073] = 10  # the third record's label
    members["test_batch.bin"] = bytes(blob)
    write_folder(tmp_path, "binary", members)
    with pytest.raises(ValueError, match=r"test_batch\.bin: label 10 at index 2 is outside "
                                         r"0\.\.9"):
        load_cifar10(tmp_path)


def python_batch(n=2, **changes):
    batch = {"batch_label": "testing batch 1 of 1", "labels": list(range(n)),
             "data": np.zeros((n, 3072), dtype=np.uint8), "filenames": ["a.png"] * n}
    batch.update(changes)
    return {k: v for k, v in batch.items() if v is not None}


@pytest.mark.parametrize("batch, message", [
    (python_batch(labels=[1, 2, 3]), r"3 labels for 2 images"),
    (python_batch(labels=[1]), r"1 labels for 2 images"),
    (python_batch(labels=[0, 10]), r"label 10 at index 1 is outside 0\.\.9"),
    (python_batch(labels=[-1, 0]), r"label -1 at index 0 is outside 0\.\.9"),
    (python_batch(labels=[0, 2**70]), r"a label is outside 0\.\.9"),
    (python_batch(labels=[0, 1.0]), r"b'labels' must be a list of ints; got list"),
    (python_batch(labels=np.zeros(2)), r"b'labels' must be a list of ints; got float64 array"),
    (python_batch(labels=None), r"the batch dict has no key b'labels'"),
    (python_batch(data=None), r"the batch dict has no key b'data'"),
    (python_batch(data=np.zeros((2, 3072), np.float32)),
     r"b'data' must be a uint8 array of shape \(n, 3072\) with n >= 1; got float32 \(2, 3072\)"),
    (python_batch(data=np.zeros((2, 3000), np.uint8)), r".* got uint8 \(2, 3000\)"),
    (python_batch(data=np.zeros((2, 32, 32, 3), np.uint8)), r".* got uint8 \(2, 32, 32, 3\)"),
    (python_batch(data=b"\0" * 3072), r".* got bytes"),
    ([1, 2], r"expected a dict with b'data' and b'labels'; got list"),
])
def test_python_batch_contents_are_checked(tmp_path, rng, batch, message):
    members = cifar_python_members(*random_cifar(rng))
    members["test_batch"] = py2_pickle(batch)
    folder = write_folder(tmp_path, "python", members)
    with pytest.raises(ValueError, match=rf"load_cifar10: "
                                         rf"{re.escape(str(folder / 'test_batch'))}: {message}"):
        load_cifar10(tmp_path)


@pytest.mark.parametrize("form", ["python", "binary"])
def test_metadata_of_another_dataset_is_refused(tmp_path, rng, form):
    members = (cifar_python_members if form == "python" else cifar_binary_members)(
        *random_cifar(rng))
    names = ["apple", "aquarium_fish"]
    if form == "python":
        members["batches.meta"] = py2_pickle({"label_names": names})
    else:
        members["batches.meta.txt"] = "\n".join(names).encode()
    path = tmp_path / ARCHIVES[form]
    path.write_bytes(targz_bytes(members, FOLDERS[form]))
    with pytest.raises(ValueError, match=r"batches\.meta(\.txt)?: class names \['apple', "
                                         r"'aquarium_fish'\] are not CIFAR-10's"):
        load_cifar10(path)


class Payload:
    """Pickles as os.system('touch MARKER'): a doctored batch."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.mark.parametrize("archive", [True, False])
def test_malicious_pickle_is_refused_and_not_run(tmp_path, rng, archive):
    marker = tmp_path / "pwned"
    members = cifar_python_members(*random_cifar(rng))
    members["data_batch_3"] = py2_pickle({"data": np.zeros((1, 3072), np.uint8),
                                          "labels": [Payload(marker)]})
    if archive:
        path = tmp_path / "cifar-10-python.tar.gz"
        path.write_bytes(targz_bytes(members, "cifar-10-batches-py"))
        where = f"{path}:cifar-10-batches-py/data_batch_3"
    else:
        where = str(write_folder(tmp_path, "python", members) / "data_batch_3")
    with pytest.raises(UnsafePickleError, match=rf"^{re.escape(where)}: refusing to load "
                                                rf"'{os.system.__module__}\.system'"):
        load_cifar10(tmp_path)
    assert not marker.exists()


def test_malicious_metadata_is_refused_too(tmp_path, rng):
    marker = tmp_path / "pwned"
    members = cifar_python_members(*random_cifar(rng))
    members["batches.meta"] = py2_pickle({"label_names": Payload(marker)})
    write_folder(tmp_path, "python", members)
    with pytest.raises(UnsafePickleError, match=r"batches\.meta: refusing to load"):
        load_cifar10(tmp_path)
    assert not marker.exists()
