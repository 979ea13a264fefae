import numpy as np
import pytest
from PIL import Image

from convnp.data.datasets import (
    TEST_FRACTION,
    Dataset,
    _channel_stats,
    default_data_dir,
    get_dataset,
)
from convnp.data.digits import load_digits


def _rows(X):
    return {x.tobytes() for x in X}


def test_digits_splits_are_disjoint_stratified_and_cover_everything():
    ds = get_dataset("digits", val_split=0.1, seed=0)
    X, y = load_digits()
    n_test = ds.X_test.shape[0]
    assert ds.X_train.shape[1:] == ds.X_val.shape[1:] == ds.X_test.shape[1:] == (8, 8, 1)
    assert ds.X_train.shape[0] + ds.X_val.shape[0] + n_test == 1797
    assert n_test == round(TEST_FRACTION * 1797)
    # Every image lands in exactly one split, with its own label.
    together = np.concatenate([ds.X_train, ds.X_val, ds.X_test])[..., 0]
    labels = np.concatenate([ds.y_train, ds.y_val, ds.y_test])
    order = np.lexsort(together.reshape(1797, -1).T[::-1])
    ref = np.lexsort(X.reshape(1797, -1).T[::-1])
    np.testing.assert_array_equal(together[order], X[ref])
    np.testing.assert_array_equal(np.sort(labels), np.sort(y))
    # Stratified: each class's share of the test set is within one image of its share overall.
    counts = np.bincount(y, minlength=10)
    assert np.all(np.abs(np.bincount(ds.y_test, minlength=10) - counts * n_test / 1797) <= 1)
    assert ds.y_train.dtype == ds.y_val.dtype == ds.y_test.dtype == np.int64
    assert ds.X_train.dtype == np.uint8


def test_the_test_split_is_fixed_and_the_val_split_follows_the_seed():
    a, b, c = (get_dataset("digits", seed=s) for s in (0, 1, 0))
    np.testing.assert_array_equal(a.X_test, b.X_test)
    assert _rows(a.X_val) != _rows(b.X_val)
    np.testing.assert_array_equal(a.X_val, c.X_val)
    np.testing.assert_array_equal(a.X_train, c.X_train)


def test_statistics_come_from_the_training_split_only():
    ds = get_dataset("digits", val_split=300, seed=2)
    assert ds.X_val.shape[0] == 300
    X = ds.X_train.astype(np.float64)
    assert ds.info.mean == pytest.approx((X.mean(),), rel=1e-12)
    assert ds.info.std == pytest.approx((X.std(),), rel=1e-12)
    everything = np.concatenate([ds.X_train, ds.X_val, ds.X_test]).astype(np.float64)
    assert abs(ds.info.mean[0] - everything.mean()) > 1e-6
    assert ds.info.max_value == 16 and ds.info.num_classes == 10
    assert ds.info.input_shape == (1, 8, 8)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_channel_statistics_match_float64_sums(dtype):
    # uint8 images are counted (a histogram per channel), other dtypes summed: both give the
    # float64 mean and variance of every channel.
    rng = np.random.default_rng(3)
    X = rng.integers(0, 256, (37, 5, 6, 3)).astype(dtype)
    X[..., 1] //= 7  # channels with different spreads
    X[..., 2] = 200
    mean, var = _channel_stats(X)
    ref = X.astype(np.float64)
    np.testing.assert_allclose(mean, ref.mean(axis=(0, 1, 2)), rtol=1e-13)
    np.testing.assert_allclose(var, ref.var(axis=(0, 1, 2)), rtol=1e-12, atol=1e-12)
    assert var[2] == 0.0
    # In chunks of pixels (uint8: the histogram's; 37 * 30 pixels is not a multiple of 64).
    chunked = _channel_stats(X, chunk=64)
    np.testing.assert_allclose(chunked[0], mean, rtol=1e-15)
    np.testing.assert_allclose(chunked[1], var, rtol=1e-13, atol=1e-12)


def test_standardize_gives_float32_nchw_with_the_training_statistics():
    ds = get_dataset("digits")
    Z = ds.standardize()(ds.X_train)
    assert Z.dtype == np.float32 and Z.shape == (ds.X_train.shape[0], 1, 8, 8)
    assert abs(float(Z.mean())) < 1e-4 and abs(float(Z.std()) - 1) < 1e-4
    assert set(ds.solver_data()) == {"X_train", "y_train", "X_val", "y_val"}


def _write_folder(root, rng, classes=("cat", "dog"), n=6, size=(5, 4)):
    images = {}
    for c in classes:
        (root / c).mkdir(parents=True)
        for i in range(n):
            a = rng.integers(0, 256, (size[0], size[1], 3), dtype=np.uint8)
            Image.fromarray(a).save(root / c / f"{i}.png")
            images[(c, i)] = a
    return images


def test_folder_spec_splits_a_single_folder(tmp_path, rng, monkeypatch):
    monkeypatch.setenv("CONVNP_CACHE", str(tmp_path / "cache"))
    _write_folder(tmp_path / "imgs", rng, n=10)
    ds = get_dataset(f"folder:{tmp_path / 'imgs'}", val_split=2)
    assert ds.info.classes == ("cat", "dog")
    assert ds.X_test.shape == (4, 5, 4, 3) and ds.X_val.shape[0] == 2
    assert ds.X_train.shape[0] == 14
    assert ds.info.name == f"folder:{tmp_path / 'imgs'}"


def test_folder_spec_with_train_and_test_folders(tmp_path, rng, monkeypatch):
    monkeypatch.setenv("CONVNP_CACHE", str(tmp_path / "cache"))
    train = _write_folder(tmp_path / "d" / "train", rng, n=5)
    test = _write_folder(tmp_path / "d" / "test", rng, n=3)
    ds = get_dataset(f"folder:{tmp_path / 'd'}", val_split=0.2)
    assert ds.X_test.shape[0] == 6 and ds.X_train.shape[0] + ds.X_val.shape[0] == 10
    assert _rows(ds.X_test) == {a.tobytes() for a in test.values()}
    assert _rows(np.concatenate([ds.X_train, ds.X_val])) == {a.tobytes() for a in train.values()}
    resized = get_dataset(f"folder:{tmp_path / 'd'}", size=3)
    assert resized.info.image_shape == (3, 3, 3)


def test_test_split_sets_or_removes_the_held_out_test_set(tmp_path, rng, monkeypatch):
    everything = get_dataset("digits", val_split=100)
    n = sum(a.shape[0] for a in (everything.X_train, everything.X_val, everything.X_test))
    none = get_dataset("digits", val_split=100, test_split=0)
    assert none.X_test.shape == (0, 8, 8, 1) and none.y_test.shape == (0,)
    assert none.y_test.dtype == np.int64
    assert none.X_train.shape[0] == n - 100 and none.X_val.shape[0] == 100
    counted = get_dataset("digits", val_split=100, test_split=200)
    assert counted.X_test.shape[0] == 200 and counted.X_train.shape[0] == n - 300
    # The default is TEST_FRACTION, spelled out or not.
    same = get_dataset("digits", val_split=100, test_split=TEST_FRACTION)
    np.testing.assert_array_equal(same.X_test, everything.X_test)

    monkeypatch.setenv("CONVNP_CACHE", str(tmp_path / "cache"))
    _write_folder(tmp_path / "d" / "train", rng, n=5)
    _write_folder(tmp_path / "d" / "test", rng, n=3)
    kept = get_dataset(f"folder:{tmp_path / 'd'}", val_split=2, test_split=0)
    assert kept.X_test.shape[0] == 6  # a source's own test set stays
    with pytest.raises(ValueError, match="has its own test set; test_split applies only"):
        get_dataset(f"folder:{tmp_path / 'd'}", test_split=0.2)
    with pytest.raises(TypeError, match="test_split must be None, 0, a fraction or a count"):
        get_dataset("digits", test_split="none")
    with pytest.raises(ValueError, match="test_split=5000 leaves no training examples"):
        get_dataset("digits", test_split=5000)


def test_folder_spec_with_mismatched_class_lists(tmp_path, rng, monkeypatch):
    monkeypatch.setenv("CONVNP_CACHE", str(tmp_path / "cache"))
    _write_folder(tmp_path / "d" / "train", rng, classes=("a", "b"), n=3)
    _write_folder(tmp_path / "d" / "test", rng, classes=("a", "c"), n=3)
    with pytest.raises(ValueError, match="classes .*'c'.* but .* has .*'b'"):
        get_dataset(f"folder:{tmp_path / 'd'}")


@pytest.mark.parametrize("spec, kwargs, message", [
    ("imagenet", {}, "unknown dataset 'imagenet'; choose one of digits, cifar10"),
    ("folder:", {}, "'folder:' needs a path"),
    ("digits", {"val_split": 0.0}, r"val_split must be in \(0, 1\)"),
    ("digits", {"val_split": 1.5}, r"val_split must be in \(0, 1\)"),
    ("digits", {"val_split": 5000}, "val_split=5000 leaves no training examples"),
    ("digits", {"size": 4}, "size applies to 'folder:PATH' datasets only"),
    ("digits", {"seed": -1}, "seed must be >= 0"),
])
def test_bad_arguments(spec, kwargs, message):
    with pytest.raises(ValueError, match=message):
        get_dataset(spec, **kwargs)


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(ValueError, match="is not a directory"):
        get_dataset(f"folder:{tmp_path / 'nope'}")


def test_dataset_description_round_trips_and_checks_itself():
    ds = get_dataset("digits").info
    assert Dataset.from_dict(ds.to_dict()) == ds
    with pytest.raises(ValueError, match="one value per channel"):
        Dataset("x", (2, 2, 3), ("a",), (0.0,), (1.0,))
    with pytest.raises(ValueError, match="std must be finite and > 0"):
        Dataset("x", (2, 2, 1), ("a",), (0.0,), (0.0,))
    with pytest.raises(ValueError, match=r"missing key\(s\) \['std'\]"):
        Dataset.from_dict({k: v for k, v in ds.to_dict().items() if k != "std"})


def test_default_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CONVNP_DATA", str(tmp_path))
    assert default_data_dir() == tmp_path
    monkeypatch.delenv("CONVNP_DATA")
    assert default_data_dir().parts[-2:] == (".convnp", "data")
