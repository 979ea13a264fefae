"""convnp.models: the zoo's names, argument checks, shapes, seeds, initial loss and sizes.

Parity with the same torch.nn networks is in tests/parity/test_models_parity.py.
"""

import math

import numpy as np
import pytest

from convnp import models, nn

# name: small keyword arguments that build the model quickly
SMALL = {
    "three_layer": dict(num_filters=4, filter_size=3, hidden_dim=8, input_size=8),
    "notes_cnn": dict(input_size=16),
    "deep_cnn": dict(widths=(4, 6, 8, 8), hidden_dim=16, input_size=8),
    "vgg": dict(widths=(4, 8), input_size=8),
    "resnet": dict(depth=8, width=4, input_size=8),
    "airbench": dict(widths=(4, 8), input_size=9),
}


def test_names_and_get():
    assert set(models.NAMES) == set(SMALL)
    for name in models.NAMES:
        assert isinstance(models.get(name, seed=0, **SMALL[name]), nn.Sequential)
        assert callable(getattr(models, name))


def test_get_unknown_name_lists_the_names():
    with pytest.raises(ValueError, match="unknown model 'resnet18'") as e:
        models.get("resnet18")
    for name in models.NAMES:
        assert name in str(e.value)


def test_get_unknown_argument_is_named():
    with pytest.raises(ValueError, match="no argument.*widht"):
        models.get("resnet", widht=8)
    with pytest.raises(ValueError, match="depth"):
        models.get("vgg", depth=8)


@pytest.mark.parametrize("in_channels", [1, 3])
@pytest.mark.parametrize("name", list(SMALL))
def test_output_shape(rng, name, in_channels):
    kw = SMALL[name]
    model = models.get(name, in_channels=in_channels, num_classes=7, seed=0, **kw)
    S = kw["input_size"]
    X = rng.standard_normal((3, in_channels, S, S)).astype(np.float32)
    scores = model.loss(X)
    assert scores.shape == (3, 7) and scores.dtype == np.float32
    model.train()
    assert model(X).shape == (3, 7)


@pytest.mark.parametrize("name", list(SMALL))
def test_initial_loss_is_log_num_classes_with_small_last_layer(rng, name):
    kw = SMALL[name]
    model = models.get(name, num_classes=10, seed=1, **kw)
    last = model[-1]
    assert isinstance(last, nn.Linear)
    last.weight *= 1e-3  # "small weights": the scores start near 0, the loss near ln(10)
    if last.bias is not None:
        last.bias *= 1e-3
    S = kw["input_size"]
    X = rng.standard_normal((4, 3, S, S))
    loss, grads = model.loss(X, rng.integers(0, 10, 4))
    assert abs(loss - math.log(10)) < 0.1
    assert set(grads) == set(model.params)


@pytest.mark.parametrize("name", list(SMALL))
def test_seed_reproducible(name):
    kw = SMALL[name]
    a, b = (models.get(name, seed=3, **kw).state_dict() for _ in range(2))
    c = models.get(name, seed=4, **kw).state_dict()
    assert list(a) == list(b) == list(c)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert any(not np.array_equal(a[k], c[k]) for k in a)


@pytest.mark.parametrize("name", list(SMALL))
def test_dtype(name):
    model = models.get(name, seed=0, dtype=np.float64, **SMALL[name])
    floats = [v for v in model.state_dict().values() if np.issubdtype(v.dtype, np.floating)]
    assert floats and all(v.dtype == np.float64 for v in floats)


def test_resnet20_has_the_papers_027M_parameters():
    # 272,474 is also torch's count of the same network (tests/parity/test_models_parity.py)
    assert models.resnet(20, 16, seed=0).num_parameters() == 272_474


def test_resnet_structure():
    model = models.resnet(depth=14, width=4, seed=0)  # n = 2 blocks per stage
    sd = model.state_dict()
    assert len(model) == 3 + 3 * 2 + 2
    projections = sorted({k.split(".")[0] for k in sd if ".projection." in k})
    assert projections == ["5", "7"]  # the first block of stages 2 and 3
    assert sd["5.0.block.0.weight"].shape == (8, 4, 3, 3)
    assert sd["7.0.projection.0.weight"].shape == (16, 8, 1, 1)
    assert sd["10.weight"].shape == (10, 16)
    assert not any(k.endswith(".bias") and k.split(".")[-2] == "0" and "block" in k for k in sd)


def test_notes_cnn_has_the_notes_shapes():
    sd = models.notes_cnn(seed=0).state_dict()
    assert sd["13.weight"].shape == (100, 256)
    assert sd["15.weight"].shape == (10, 100)
    assert [sd[f"{i}.weight"].shape[0] for i in (0, 3, 6, 9)] == [16, 32, 64, 64]
    assert sd["9.weight"].shape[2:] == (2, 2)
    assert models.notes_cnn(input_size=16, seed=0).state_dict()["13.weight"].shape == (100, 64)


def test_three_layer_matches_three_layer_convnet_shapes():
    sd = models.three_layer(seed=0).state_dict()
    assert sd["0.weight"].shape == (32, 3, 7, 7)
    assert sd["4.weight"].shape == (100, 32 * 16 * 16)
    assert sd["6.weight"].shape == (10, 100)


def test_deep_cnn_dropout_keeps_with_probability_dropout_keep():
    model = models.deep_cnn(dropout_keep=0.8, seed=0, **{"input_size": 8})
    drops = [m for m in model.modules() if isinstance(m, nn.Dropout)]
    assert len(drops) == 2 and all(m.p == 0.8 for m in drops)


@pytest.mark.parametrize("name, kw, match", [
    ("resnet", dict(depth=21), "depth must be 6n \\+ 2"),
    ("resnet", dict(depth=2), "depth must be 6n \\+ 2"),
    ("resnet", dict(width=0), "width"),
    ("vgg", dict(widths=(4, 8), input_size=10), "input_size must be divisible by .* 4"),
    ("vgg", dict(widths=()), "widths"),
    ("notes_cnn", dict(input_size=8), "input_size=8 is too small"),
    ("deep_cnn", dict(input_size=3), "input_size must be >= 4"),
    ("deep_cnn", dict(widths=(4, 4, 4)), "widths must hold 4"),
    ("deep_cnn", dict(dropout_keep=0.0), "dropout_keep"),
    ("three_layer", dict(filter_size=4), "filter_size must be odd"),
    ("three_layer", dict(input_size=1), "input_size must be >= 2"),
    ("three_layer", dict(in_channels=0), "in_channels"),
    ("vgg", dict(num_classes=0), "num_classes"),
    ("resnet", dict(seed=-1), "seed"),
])
def test_bad_arguments_are_named(name, kw, match):
    with pytest.raises(ValueError, match=match):
        models.get(name, **kw)


@pytest.mark.parametrize("kw, match", [
    (dict(seed=1.5), "seed"), (dict(dtype=np.int32), "dtype"), (dict(in_channels=2.0),
                                                                   "in_channels"),
])
def test_bad_argument_types_are_named(kw, match):
    with pytest.raises(TypeError, match=match):
        models.resnet(depth=8, width=2, **kw)


def test_airbench_fixed_parameters():
    model = models.airbench((4, 8), input_size=9, seed=0)
    names = models.airbench_fixed_parameters(model)
    assert names == ["0.weight", "4.weight", "7.weight", "11.weight", "14.weight"]
    model.freeze(*names)
    assert list(model.params) == ["0.bias", "2.weight", "4.bias", "6.weight", "7.bias",
                                  "9.weight", "11.bias", "13.weight", "14.bias", "18.weight"]


def test_airbench_speedrun_init_and_param_mults():
    model = models.airbench((4, 8), input_size=9, seed=0, dtype=np.float64)
    head = model[-1].weight.copy()
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)
             and m.weight.shape[2:] == (3, 3)]
    random_tail = convs[0].weight[convs[0].weight.shape[1]:].copy()
    assert models.airbench_speedrun_init(model) is model
    np.testing.assert_allclose(model[-1].weight, head / 9, rtol=1e-15)
    for conv in convs:
        F, C = conv.weight.shape[:2]
        ident = np.zeros((min(F, C), C, 3, 3))
        ident[np.arange(min(F, C)), np.arange(min(F, C)), 1, 1] = 1
        np.testing.assert_array_equal(conv.weight[:C], ident)
    # The first block's conv (24 -> 4) is all identities; the second block's first conv
    # (4 -> 8) keeps 4 random filters after its 4 identities.
    np.testing.assert_array_equal(convs[0].weight[convs[0].weight.shape[1]:], random_tail)
    assert np.any(convs[2].weight[4:] != 0)

    lr_mult, wd_mult = models.airbench_param_mults(model)
    bns = [n for n, m in model.named_modules() if isinstance(m, nn.BatchNorm2d)]
    assert len(bns) == 4
    assert lr_mult == {**{f"{n}.bias": 64.0 for n in bns}, f"{len(model) - 1}.weight": 1 / 81}
    assert wd_mult == {**{f"{n}.bias": 1 / 64 for n in bns}, f"{len(model) - 1}.weight": 81.0}
    with pytest.raises(ValueError, match="head_scale must be"):
        models.airbench_param_mults(model, head_scale=0)
    headless = nn.Sequential(nn.Conv2d(3, 4, 3))
    for fn in (models.airbench_speedrun_init, models.airbench_param_mults):
        with pytest.raises(ValueError, match=f"{fn.__name__}: model must be an airbench "
                                             f"network .* got Sequential without one"):
            fn(headless)
