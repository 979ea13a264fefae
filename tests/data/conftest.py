"""Fixtures writing tiny datasets in the official formats (see tests/data/formats.py)."""

import pytest

from tests.data.formats import write_cifar_binary, write_cifar_python, write_mnist_idx

# Training rows split unevenly over the five batches (1, 2, 1, 2, 2): a loader that assumed
# equal batches, or 10,000 per batch, fails.
N_TRAIN, N_TEST = 8, 3


def random_cifar(rng, n_train=N_TRAIN, n_test=N_TEST):
    """(X_train, y_train, X_test, y_test): uint8 (N, 32, 32, 3) images and int64 labels."""
    return (rng.integers(0, 256, size=(n_train, 32, 32, 3), dtype="uint8"),
            rng.integers(0, 10, size=n_train).astype("int64"),
            rng.integers(0, 256, size=(n_test, 32, 32, 3), dtype="uint8"),
            rng.integers(0, 10, size=n_test).astype("int64"))


def random_mnist(rng, n_train=5, n_test=3):
    """(X_train, y_train, X_test, y_test): uint8 (N, 28, 28) images and int64 labels."""
    return (rng.integers(0, 256, size=(n_train, 28, 28), dtype="uint8"),
            rng.integers(0, 10, size=n_train).astype("int64"),
            rng.integers(0, 256, size=(n_test, 28, 28), dtype="uint8"),
            rng.integers(0, 10, size=n_test).astype("int64"))


@pytest.fixture
def tmp_cifar_py(tmp_path, rng):
    """(.../cifar-py/cifar-10-python.tar.gz, (X_train, y_train, X_test, y_test)), 8 + 3 images.

    Each fixture writes under its own folder of tmp_path, so a test can use several.
    """
    data = random_cifar(rng)
    return write_cifar_python(tmp_path / "cifar-py", *data), data


@pytest.fixture
def tmp_cifar_bin(tmp_path, rng):
    """(.../cifar-bin/cifar-10-binary.tar.gz, (X_train, y_train, X_test, y_test)), 8 + 3."""
    data = random_cifar(rng)
    return write_cifar_binary(tmp_path / "cifar-bin", *data), data


@pytest.fixture
def tmp_mnist_idx(tmp_path, rng):
    """(.../mnist-root/mnist, (X_train, y_train, X_test, y_test)): four .gz IDX files, 5 + 3.

    The folder is where download_mnist puts them: load_mnist(path.parent) reads them.
    """
    data = random_mnist(rng)
    return write_mnist_idx(tmp_path / "mnist-root", *data, subdir="mnist"), data
