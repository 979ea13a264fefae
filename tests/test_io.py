import json

import numpy as np
import pytest

from convnp import checkpoint, classifiers, io, models


def _same_outputs(a, b, x):
    np.testing.assert_array_equal(a.loss(x), b.loss(x))


@pytest.mark.parametrize("name, kw", [
    ("three_layer", dict(num_filters=4, filter_size=3, hidden_dim=6)),
    ("notes_cnn", dict(input_size=16)),
    ("deep_cnn", dict(widths=(4, 4, 8, 8), hidden_dim=8)),
    ("vgg", dict(widths=(4, 8))),
    ("resnet", dict(depth=8, width=4)),
])
def test_zoo_models_round_trip_bit_exactly(tmp_path, rng, name, kw):
    size = kw.pop("input_size", 8)
    model = models.get(name, input_size=size, seed=1, **kw)
    x = rng.standard_normal((3, 3, size, size)).astype(np.float32)
    model.train()
    model.loss(x, np.array([0, 1, 2]))  # moves the batch norms' running statistics
    model.eval()
    path = io.save(model, tmp_path / "m.npz", write_json=True)
    loaded = io.load(path)
    assert loaded.spec == model.spec
    for k, v in model.state_dict().items():
        w = loaded.state_dict()[k]
        assert w.dtype == v.dtype and np.array_equal(w, v), k
    _same_outputs(model, loaded, x)
    header = json.loads((tmp_path / "m.json").read_text())
    assert header["model"] == {"class": "zoo", "name": name, "kwargs": model.spec["kwargs"]}


def test_float64_models_stay_float64(tmp_path, rng):
    model = models.get("vgg", widths=(4,), input_size=4, seed=0, dtype=np.float64)
    loaded = io.load(io.save(model, tmp_path / "m.npz"))
    assert loaded.state_dict()["0.weight"].dtype == np.float64


def test_course_classifiers_round_trip_with_their_running_statistics(tmp_path, rng):
    fc = classifiers.FullyConnectedNet([6, 5], input_dim=12, num_classes=4,
                                       normalization="batchnorm", seed=3)
    X = rng.standard_normal((8, 12)).astype(np.float32)
    fc.loss(X, rng.integers(0, 4, 8))
    loaded = io.load(io.save(fc, tmp_path / "fc.npz"))
    np.testing.assert_array_equal(loaded.bn_params[0]["running_mean"],
                                  fc.bn_params[0]["running_mean"])
    _same_outputs(fc, loaded, X)

    cnn = classifiers.ThreeLayerConvNet(input_dim=(1, 6, 6), num_filters=3, filter_size=3,
                                        hidden_dim=5, num_classes=2)
    x = rng.standard_normal((2, 1, 6, 6)).astype(np.float32)
    _same_outputs(cnn, io.load(io.save(cnn, tmp_path / "cnn.npz")), x)


def test_a_model_without_spec_is_refused(tmp_path):
    class Bare:
        params = {"W": np.zeros(2)}

    with pytest.raises(TypeError, match="the model has no spec"):
        io.save(Bare(), tmp_path / "m.npz")


def _tamper(path, change_arrays=None, change_meta=None):
    arrays, meta = checkpoint.load(path)
    for key in ("format", "version", "arrays"):
        meta.pop(key, None)
    if change_arrays:
        change_arrays(arrays)
    if change_meta:
        change_meta(meta)
    checkpoint.save(path, arrays, meta)


@pytest.fixture
def saved(tmp_path):
    model = models.get("vgg", widths=(4,), input_size=4, seed=0)
    return io.save(model, tmp_path / "m.npz")


def test_a_missing_entry_is_named(saved):
    _tamper(saved, lambda a: a.pop("state/0.weight"))
    with pytest.raises(io.ModelFileError, match=r"missing \['state/0.weight'\]"):
        io.load(saved)


def test_an_extra_entry_is_named(saved):
    _tamper(saved, lambda a: a.__setitem__("state/9.weight", np.zeros(3, np.float32)))
    with pytest.raises(io.ModelFileError, match=r"unexpected \['state/9.weight'\]"):
        io.load(saved)


def test_a_wrong_shape_or_dtype_is_named(saved):
    _tamper(saved, lambda a: a.__setitem__("state/0.bias", np.zeros(5, np.float32)))
    with pytest.raises(io.ModelFileError, match=r"'state/0.bias' is float32 \(5,\); the model "
                                                 r"needs float32 \(4,\)"):
        io.load(saved)


def test_a_wrong_dtype_is_named(saved):
    _tamper(saved, lambda a: a.__setitem__("state/0.bias", np.zeros(4, np.float64)))
    with pytest.raises(io.ModelFileError, match=r"'state/0.bias' is float64"):
        io.load(saved)


def test_a_newer_format_is_refused(saved):
    _tamper(saved, change_meta=lambda m: m.__setitem__("model_format", 99))
    with pytest.raises(io.ModelFileError, match="model_format 99 is newer"):
        io.load(saved)


def test_an_unknown_constructor_is_never_called(saved):
    _tamper(saved, change_meta=lambda m: m["model"].__setitem__("name", "os.system"))
    with pytest.raises(io.ModelFileError, match="unknown model zoo:'os.system'"):
        io.load(saved)


def test_a_solver_checkpoint_is_not_a_model_file(tmp_path):
    path = checkpoint.save(tmp_path / "c.npz", {}, {"solver": {}})
    with pytest.raises(io.ModelFileError, match="not a convnp model file"):
        io.load(path)


def test_truncated_and_pickled_files_are_refused(saved, tmp_path):
    data = saved.read_bytes()
    bad = tmp_path / "short.npz"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(io.ModelFileError, match="short.npz"):
        io.load(bad)
    obj = tmp_path / "obj.npz"
    np.savez(obj, **{"state/0.weight": np.array([{"a": 1}], dtype=object)})
    with pytest.raises(ValueError, match="obj.npz"):
        io.load(obj)


@pytest.fixture
def saved_fc(tmp_path, rng):
    fc = classifiers.FullyConnectedNet([5, 4], input_dim=6, num_classes=3,
                                       normalization="batchnorm", seed=0)
    fc.loss(rng.standard_normal((8, 6)).astype(np.float32), rng.integers(0, 3, 8))
    return io.save(fc, tmp_path / "fc.npz")


@pytest.mark.parametrize("key, value, message", [
    ("state/bn_params/9/running_mean", np.zeros(5, np.float32),
     r"unexpected \['state/bn_params/9/running_mean'\]"),
    ("state/bn_params/0/mode", np.zeros(1, np.float32), r"unexpected \['state/bn_params/0/mode'\]"),
    ("state/bn_params/0/x/y", np.zeros(1, np.float32), r"unexpected \['state/bn_params/0/x/y'\]"),
    ("state/bn_params/0/running_mean", np.zeros(7, np.float32),
     r"'state/bn_params/0/running_mean' is float32 \(7,\); the model needs float32 \(5,\)"),
])
def test_a_classifiers_running_statistics_are_checked(saved_fc, key, value, message):
    _tamper(saved_fc, lambda a: a.__setitem__(key, value))
    with pytest.raises(io.ModelFileError, match=message):
        io.load(saved_fc)
