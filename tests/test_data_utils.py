"""Tests for convnp.data_utils: the course's load_CIFAR10 and get_CIFAR10_data."""

from __future__ import annotations

import re

import numpy as np
import pytest

from convnp.data_utils import get_CIFAR10_data, load_CIFAR10
from tests.data.conftest import random_cifar
from tests.data.formats import write_cifar_binary, write_cifar_python


@pytest.fixture
def cifar_archive(tmp_path, rng):
    """(tmp_path/cifar-10-binary.tar.gz, data): 8 training and 3 test images.

    (tests/data/conftest.py's tmp_cifar_* fixtures are not visible from this folder.)
    """
    data = random_cifar(rng)
    return write_cifar_binary(tmp_path, *data), data


@pytest.mark.parametrize("archive", [True, False])
def test_load_CIFAR10_is_the_course_output(tmp_path, rng, archive):
    data = random_cifar(rng)
    path = write_cifar_python(tmp_path, *data, archive=archive)
    Xtr, Ytr, Xte, Yte = load_CIFAR10(path)
    # The course: X.reshape(N, 3, 32, 32).transpose(0, 2, 3, 1).astype("float"), np.array(Y).
    for got, want in ((Xtr, data[0]), (Xte, data[2])):
        assert got.dtype == np.float64 and got.shape == want.shape
        assert np.array_equal(got, want.astype("float"))
    for got, want in ((Ytr, data[1]), (Yte, data[3])):
        assert got.dtype == np.array([1, 2]).dtype and np.array_equal(got, want)


def test_get_CIFAR10_data_splits_and_layout(tmp_path, rng):
    X_train, y_train, X_test, y_test = data = random_cifar(rng)
    write_cifar_binary(tmp_path, *data)
    out = get_CIFAR10_data(num_training=5, num_validation=2, num_test=2, subtract_mean=False,
                           root=tmp_path)
    assert sorted(out) == ["X_test", "X_train", "X_val", "y_test", "y_train", "y_val"]
    expected = {"train": (X_train[:5], y_train[:5]), "val": (X_train[5:7], y_train[5:7]),
                "test": (X_test[:2], y_test[:2])}
    for split, (X, y) in expected.items():
        got = out[f"X_{split}"]
        assert got.dtype == np.float32 and got.shape == (len(X), 3, 32, 32)
        assert got.flags.c_contiguous
        # NCHW: channel c of image n is X[n, :, :, c].
        for n in range(len(X)):
            for c in range(3):
                assert np.array_equal(got[n, c], X[n, :, :, c].astype(np.float32))
        assert out[f"y_{split}"].dtype == np.int64
        assert np.array_equal(out[f"y_{split}"], y)


def test_red_pixel_lands_in_channel_0(tmp_path, rng):
    X_train, y_train, X_test, y_test = random_cifar(rng)
    X_train[:] = 0
    X_train[0, 0, 0] = (255, 0, 0)
    write_cifar_python(tmp_path, X_train, y_train, X_test, y_test)
    out = get_CIFAR10_data(1, 0, 0, subtract_mean=False, root=tmp_path)
    assert out["X_train"][0, :, 0, 0].tolist() == [255.0, 0.0, 0.0]
    assert out["X_train"].sum() == 255.0
    assert out["X_val"].shape == (0, 3, 32, 32) and out["X_test"].shape == (0, 3, 32, 32)


def test_mean_image_comes_from_the_training_rows_only(tmp_path, rng):
    _, y_train, _, y_test = random_cifar(rng)
    # Training rows 0, 2, 4, 6 -> mean 3 in every pixel; validation 200, the unused row 250,
    # test 100. Had the mean seen any other row, the numbers below would be off.
    X_train = np.empty((8, 32, 32, 3), np.uint8)
    X_train[:4] = np.array([0, 2, 4, 6], np.uint8)[:, None, None, None]
    X_train[4:7], X_train[7] = 200, 250
    X_test = np.full((3, 32, 32, 3), 100, np.uint8)
    write_cifar_python(tmp_path, X_train, y_train, X_test, y_test)
    out = get_CIFAR10_data(4, 3, 2, root=tmp_path)
    assert [float(v) for v in np.unique(out["X_train"][:, 0])] == [-3.0, -1.0, 1.0, 3.0]
    assert np.array_equal(out["X_train"][:, 1, 5, 7], [-3.0, -1.0, 1.0, 3.0])
    assert np.all(out["X_val"] == 197.0) and np.all(out["X_test"] == 97.0)
    assert out["X_val"].dtype == out["X_test"].dtype == np.float32


def test_mean_matches_a_hand_computation(tmp_path, rng):
    data = random_cifar(rng)
    write_cifar_python(tmp_path, *data, archive=False)
    out = get_CIFAR10_data(6, 2, 3, root=tmp_path)
    X = data[0]
    mean = [[[sum(int(X[n, i, j, c]) for n in range(6)) / 6 for c in range(3)]
             for j in range(32)] for i in range(32)]
    mean = np.array(mean)  # (32, 32, 3), exact sums of integers then one division
    for split, rows in (("X_train", X[:6]), ("X_val", X[6:8]), ("X_test", data[2])):
        want = (rows - mean).transpose(0, 3, 1, 2)
        np.testing.assert_allclose(out[split], want, rtol=0, atol=1e-4, err_msg=split)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"num_training": 0}, ValueError, r"get_CIFAR10_data: num_training must be >= 1; got 0"),
    ({"num_validation": -1}, ValueError, r"num_validation must be >= 0; got -1"),
    ({"num_test": -2}, ValueError, r"num_test must be >= 0; got -2"),
    ({"num_training": 4.0}, TypeError, r"num_training must be an int; got 4\.0 \(float\)"),
    ({"num_test": "5"}, TypeError, r"num_test must be an int; got '5' \(str\)"),
    ({"num_validation": True}, TypeError, r"num_validation must be an int; got True"),
    ({"subtract_mean": "yes"}, TypeError, r"subtract_mean must be a bool; got 'yes' \(str\)"),
    ({"num_training": 7, "num_validation": 2}, ValueError,
     r"num_training \+ num_validation = 7 \+ 2 = 9 is more than the 8 training images in "),
    ({"num_training": 9, "num_validation": 0}, ValueError, r"= 9 is more than the 8 training"),
    ({"num_test": 4}, ValueError, r"num_test = 4 is more than the 3 test images in "),
])
def test_counts_are_checked(cifar_archive, kwargs, error, message):
    path, _ = cifar_archive
    args = {"num_training": 5, "num_validation": 1, "num_test": 1, **kwargs}
    with pytest.raises(error, match=message):
        get_CIFAR10_data(**args, root=path.parent)


def test_counts_up_to_the_data_are_fine(cifar_archive):
    path, data = cifar_archive
    out = get_CIFAR10_data(7, 1, 3, root=path)
    assert out["X_train"].shape[0] == 7 and out["X_val"].shape[0] == 1
    assert np.array_equal(out["y_test"], data[3])


def test_root_defaults_to_CONVNP_DATA(tmp_path, rng, monkeypatch):
    data = random_cifar(rng)
    write_cifar_binary(tmp_path, *data)
    monkeypatch.setenv("CONVNP_DATA", str(tmp_path))
    out = get_CIFAR10_data(2, 1, 1)
    assert np.array_equal(out["y_train"], data[1][:2])


def test_missing_data_says_where_and_how_to_download(tmp_path, monkeypatch):
    monkeypatch.delenv("CONVNP_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    where = re.escape(str(tmp_path / ".convnp" / "data"))
    with pytest.raises(FileNotFoundError, match=rf"{where} does not exist; download CIFAR-10 "
                                                rf"there with convnp\.data\.download_cifar10\("):
        get_CIFAR10_data()
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("CONVNP_DATA", str(tmp_path / "empty"))
    with pytest.raises(FileNotFoundError, match=r"no CIFAR-10 data in .*empty: looked for .*"
                                                r"convnp\.data\.download_cifar10\("):
        get_CIFAR10_data()
