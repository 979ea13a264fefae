"""Tests for convnp.data.mnist: the IDX files round-trip, raw or gzipped; bad files are named."""

from __future__ import annotations

import gzip
import re
import struct

import numpy as np
import pytest

from convnp.data.mnist import load_mnist, mnist_classes, read_idx
from tests.data.conftest import random_mnist
from tests.data.formats import MNIST_FILES, idx_bytes, write_mnist_idx


def assert_loaded(got, want):
    assert len(got) == 4
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == (np.uint8 if i % 2 == 0 else np.int64), i
        assert g.shape == w.shape and np.array_equal(g, w), i


def test_classes():
    assert mnist_classes() == mnist_classes("mnist") == tuple(str(d) for d in range(10))
    assert mnist_classes("fashion-mnist") == ("T-shirt/top", "Trouser", "Pullover", "Dress",
                                              "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                                              "Ankle boot")
    with pytest.raises(ValueError, match=r"mnist_classes: kind must be one of \['mnist', "
                                         r"'fashion-mnist'\]; got 'emnist'"):
        mnist_classes("emnist")


def test_fixture_round_trip(tmp_mnist_idx):
    path, data = tmp_mnist_idx
    assert_loaded(load_mnist(path.parent), data)
    assert_loaded(load_mnist(path), data)  # the kind folder itself


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("kind", ["mnist", "fashion-mnist"])
@pytest.mark.parametrize("in_subdir", [True, False])
def test_round_trip(tmp_path, rng, gz, kind, in_subdir):
    data = random_mnist(rng)
    root = tmp_path / ("data" if in_subdir else kind)  # loose files: in a folder named kind
    write_mnist_idx(root, *data, gz=gz, subdir=kind if in_subdir else None)
    assert_loaded(load_mnist(root, kind=kind), data)
    assert_loaded(load_mnist(str(root), kind), data)


def test_loose_files_are_never_taken_for_fashion_mnist(tmp_path, rng):
    data = random_mnist(rng)
    write_mnist_idx(tmp_path / "data", *data)
    assert_loaded(load_mnist(tmp_path / "data", "mnist"), data)
    with pytest.raises(FileNotFoundError, match="no fashion-mnist files in "):
        load_mnist(tmp_path / "data", "fashion-mnist")
    write_mnist_idx(tmp_path / "fashion-mnist", *data)
    with pytest.raises(FileNotFoundError, match="no mnist files in "):
        load_mnist(tmp_path / "fashion-mnist", "mnist")


def test_kind_picks_its_folder_before_root(tmp_path, rng):
    mnist, fashion, top = random_mnist(rng), random_mnist(rng), random_mnist(rng)
    write_mnist_idx(tmp_path, *mnist, subdir="mnist")
    write_mnist_idx(tmp_path, *fashion, subdir="fashion-mnist")
    write_mnist_idx(tmp_path, *top)
    assert_loaded(load_mnist(tmp_path, "mnist"), mnist)
    assert_loaded(load_mnist(tmp_path, "fashion-mnist"), fashion)


def test_raw_file_is_preferred_to_gz(tmp_path, rng):
    raw, zipped = random_mnist(rng), random_mnist(rng)
    write_mnist_idx(tmp_path, *zipped, gz=True)
    write_mnist_idx(tmp_path, *raw, gz=False)
    assert_loaded(load_mnist(tmp_path), raw)


def test_pixel_order_against_hand_made_bytes(tmp_path):
    # Written from the format's description, not with formats.idx_bytes.
    pixels = bytearray(2 * 28 * 28)
    pixels[1] = 200                  # image 0, row 0, col 1
    pixels[28] = 100                 # image 0, row 1, col 0
    pixels[784 + 27 * 28 + 27] = 50  # image 1, bottom-right
    images = struct.pack(">IIII", 2051, 2, 28, 28) + bytes(pixels)
    labels = struct.pack(">II", 2049, 2) + bytes([7, 3])
    for prefix in ("train", "t10k"):
        (tmp_path / f"{prefix}-images-idx3-ubyte").write_bytes(images)
        (tmp_path / f"{prefix}-labels-idx1-ubyte").write_bytes(labels)
    X, y, X_test, y_test = load_mnist(tmp_path)
    assert X[0, 0, 1] == 200 and X[0, 1, 0] == 100 and X[1, 27, 27] == 50
    assert int(X.sum()) == 350
    assert y.tolist() == [7, 3] and y_test.tolist() == [7, 3]


@pytest.mark.parametrize("dtype, code", [(">i4", 0x0C), (">f8", 0x0E), (">i2", 0x0B),
                                         ("i1", 0x09)])
def test_read_idx_other_types_big_endian(tmp_path, rng, dtype, code):
    want = (rng.standard_normal((2, 3)) * 100).astype(dtype)
    path = tmp_path / "x.idx"
    path.write_bytes(bytes([0, 0, code, 2]) + struct.pack(">II", 2, 3) + want.tobytes())
    got = read_idx(path)
    assert got.dtype == np.dtype(dtype).newbyteorder("=") and got.dtype.isnative
    assert np.array_equal(got, want.astype(got.dtype))
    got[0, 0] = 1  # writable


def test_read_idx_gz_is_told_apart_by_content(tmp_path, rng):
    want = rng.integers(0, 256, size=(3, 4, 5), dtype=np.uint8)
    path = tmp_path / "no-suffix"
    path.write_bytes(gzip.compress(idx_bytes(want)))
    assert np.array_equal(read_idx(path), want)


def write_files(tmp_path, rng, **replace):
    """The four raw files in tmp_path, each replaced by replace[short name] if given."""
    data = random_mnist(rng)
    for name, array in zip(MNIST_FILES, data):
        short = name.split("-idx")[0].replace("-", "_")   # e.g. 'train_images'
        blob = replace.get(short, idx_bytes(array.astype(np.uint8)))
        (tmp_path / name).write_bytes(blob)
    return data


def test_wrong_magic_number(tmp_path, rng):
    labels = idx_bytes(np.zeros(5, np.uint8))
    write_files(tmp_path, rng, train_images=labels)
    path = re.escape(str(tmp_path / "train-images-idx3-ubyte"))
    with pytest.raises(ValueError, match=rf"load_mnist: {path}: magic number 2049 "
                                         rf"\(0x00000801\); expected 2051 \(0x00000803: uint8, 3 "
                                         rf"dimensions\)"):
        load_mnist(tmp_path)


def test_not_an_idx_file(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"GIF89a....")
    with pytest.raises(ValueError, match=rf"read_idx: {re.escape(str(path))}: magic number "
                                         rf"0x47494638 is not an IDX header"):
        read_idx(path)
    path.write_bytes(b"\0\0")
    with pytest.raises(ValueError, match=r"starts with a 4-byte magic number; the file has 2 "
                                         r"bytes"):
        read_idx(path)


def test_truncated_file_gives_expected_and_actual_bytes(tmp_path, rng):
    full = idx_bytes(np.zeros((3, 28, 28), np.uint8))
    write_files(tmp_path, rng, t10k_images=full[:-100])
    path = re.escape(str(tmp_path / "t10k-images-idx3-ubyte"))
    with pytest.raises(ValueError, match=rf"load_mnist: {path}: expected 2368 bytes \(16 of "
                                         rf"header \+ 3\*28\*28 of data, dimensions \(3, 28, 28\)"
                                         rf"\), got 2268 \(truncated\)"):
        load_mnist(tmp_path)


def test_truncated_header(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(struct.pack(">II", 2051, 3))
    with pytest.raises(ValueError, match=r"the header of 3 dimensions needs 16 bytes; the file "
                                         r"has 8 bytes"):
        read_idx(path)


def test_trailing_bytes_are_an_error(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros(4, np.uint8)) + b"\0"))
    with pytest.raises(ValueError, match=r"expected 12 decompressed bytes \(8 of header \+ 4 of "
                                         r"data, dimensions \(4,\)\), got 13$"):
        read_idx(path)


def test_gz_truncated_and_corrupt(tmp_path, rng):
    data = random_mnist(rng)
    folder = write_mnist_idx(tmp_path, *data, gz=True)
    path = folder / "train-labels-idx1-ubyte.gz"
    blob = path.read_bytes()
    path.write_bytes(blob[:-6])
    with pytest.raises(ValueError, match=rf"load_mnist: {re.escape(str(path))} is not a readable "
                                         rf"gzip file \(truncated or corrupted\?\)"):
        load_mnist(tmp_path)
    corrupt = bytearray(blob)
    corrupt[-8] ^= 0xFF  # the CRC-32
    path.write_bytes(bytes(corrupt))
    with pytest.raises(ValueError, match=r"is not a readable gzip file .*CRC"):
        load_mnist(tmp_path)


def test_image_and_label_counts_differ(tmp_path, rng):
    write_files(tmp_path, rng, train_labels=idx_bytes(np.zeros(4, np.uint8)))
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte has 5 images but .*"
                                         r"train-labels-idx1-ubyte has 4 labels"):
        load_mnist(tmp_path)


def test_label_out_of_range(tmp_path, rng):
    write_files(tmp_path, rng, t10k_labels=idx_bytes(np.array([1, 10, 2], np.uint8)))
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte: label 10 at index 1 is "
                                         r"outside 0\.\.9"):
        load_mnist(tmp_path)


def test_images_not_28x28(tmp_path, rng):
    write_files(tmp_path, rng, train_images=idx_bytes(np.zeros((5, 32, 32), np.uint8)))
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte: images are 32x32; mnist "
                                         r"images are 28x28"):
        load_mnist(tmp_path)


def test_nothing_there_says_where_it_looked(tmp_path):
    with pytest.raises(FileNotFoundError, match=rf"load_mnist: no mnist files in "
                                                rf"{re.escape(str(tmp_path / 'mnist'))} "
                                                rf"or {re.escape(str(tmp_path))}: looked for "
                                                rf"train-images-idx3-ubyte\[\.gz\], .*download "
                                                rf"them with convnp\.data\.download_mnist\("):
        load_mnist(tmp_path, kind="mnist")


def test_one_missing_file_is_named(tmp_path, rng):
    folder = write_mnist_idx(tmp_path, *random_mnist(rng), subdir="mnist")
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    missing = re.escape(str(folder / "t10k-labels-idx1-ubyte"))
    with pytest.raises(FileNotFoundError, match=rf"{missing} \(or t10k-labels-idx1-ubyte\.gz\) "
                                                rf"is missing"):
        load_mnist(tmp_path)


def test_unknown_kind(tmp_path):
    with pytest.raises(ValueError, match=r"load_mnist: kind must be one of \['mnist', "
                                         r"'fashion-mnist'\]; got 'kmnist'"):
        load_mnist(tmp_path, kind="kmnist")


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nope")
