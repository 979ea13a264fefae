"""convnp.optimize.fold_batchnorm: folded models compute what the original computes in eval mode.

Each comparison is against the original model's own eval-mode forward pass (batch norm on its
running statistics), after a few training steps so those statistics, and gamma and beta, are
not their initial values. The error measure is max|folded - original| / max|original|.
"""

import copy

import numpy as np
import pytest

from convnp import io, models, nn
from convnp.optimize import fold_batchnorm
from tests.test_models import SMALL  # the zoo's small configurations

# Batch norms that follow a conv or linear in each model: all of them, except airbench's first
# of each block, which follows a max pool.
N_BN = {"three_layer": 0, "notes_cnn": 4, "deep_cnn": 5, "vgg": 4, "resnet": 1 + 3 * 2 + 2,
        "airbench": 2}
TOL = {np.float32: 1e-5, np.float64: 1e-10}
BN_AFTER = {nn.Conv2d: nn.BatchNorm2d, nn.Linear: nn.BatchNorm1d}


def rel(a, b):
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def train_steps(model, X, rng, steps=3, lr=0.1):
    """A few SGD steps in train mode: running statistics, gamma and beta move off their init."""
    K = model.loss(X[:2]).shape[1]
    for _ in range(steps):
        y = rng.integers(0, K, X.shape[0])
        _, grads = model.loss(X + 0.5 * rng.standard_normal(X.shape).astype(X.dtype), y)
        for k, g in grads.items():
            model.params[k] = model.params[k] - X.dtype.type(lr) * g


def batchnorms(model):
    return [m for m in model.modules() if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d))]


def folded_pairs(model):
    """(layer, bn) pairs of siblings in a Sequential that fold_batchnorm should have folded."""
    pairs = []
    for m in model.modules():
        if isinstance(m, nn.Sequential):
            children = list(m)
            for a, b in zip(children, children[1:]):
                if type(a) in BN_AFTER and type(b) is BN_AFTER[type(a)]:
                    out = a.out_channels if isinstance(a, nn.Conv2d) else a.out_features
                    if out == b.num_features:
                        pairs.append((a, b))
    return pairs


def snapshot(model):
    return (model.state_dict(), {n: m.training for n, m in model.named_modules()},
            copy.deepcopy(getattr(model, "spec", None)), repr(model))


def assert_same_snapshot(before, after):
    sd0, modes0, spec0, repr0 = before
    sd1, modes1, spec1, repr1 = after
    assert list(sd0) == list(sd1)
    for k in sd0:
        assert sd0[k].dtype == sd1[k].dtype and np.array_equal(sd0[k], sd1[k]), k
    assert modes0 == modes1 and spec0 == spec1 and repr0 == repr1


def check_fold(model, X, dtype, n_folded):
    """Fold model; check outputs, dtype, mode, that the original is untouched, no pair left."""
    before = snapshot(model)
    n_bn = len(batchnorms(model))
    expected = copy.deepcopy(model).eval()(X)
    folded = fold_batchnorm(model)
    assert_same_snapshot(before, snapshot(model))
    assert isinstance(folded, nn.Sequential)
    assert all(not m.training for m in folded.modules())
    assert all(p.dtype == dtype for p in folded.parameters())
    assert folded_pairs(folded) == []
    assert len(batchnorms(folded)) == n_bn - n_folded
    out = folded(X)
    assert out.dtype == dtype
    err = rel(out, expected)
    assert err < TOL[dtype], f"folded vs original eval output: relative error {err:.2e}"
    return folded, out


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(SMALL))
def test_zoo_models_fold_to_the_same_eval_outputs(rng, name, dtype):
    kw = SMALL[name]
    model = models.get(name, seed=0, dtype=dtype, **kw)
    S = kw["input_size"]
    X = rng.standard_normal((6, 3, S, S)).astype(dtype)
    train_steps(model, X, rng)
    for bn in batchnorms(model):
        assert not np.allclose(bn.running_var, 1) and not np.allclose(bn.running_mean, 0)
        assert not np.allclose(bn.weight, 1)
    assert len(folded_pairs(model)) == N_BN[name]
    model.train()  # the original's mode must survive, whatever it is
    folded, _ = check_fold(model, X, dtype, N_BN[name])
    assert model.training
    if name != "three_layer":
        assert set(folded.state_dict()) != set(model.state_dict())
    assert not hasattr(folded, "spec")


def test_vgg_folded_layout_is_renumbered():
    model = models.get("vgg", widths=(4,), input_size=4, seed=0)
    folded = fold_batchnorm(model)
    assert [type(m).__name__ for m in folded] == [
        "Conv2d", "ReLU", "Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear"]
    assert list(folded._modules) == [str(i) for i in range(7)]
    assert folded[2] is not model[3] and folded[2].weight.shape == model[3].weight.shape
    assert "2.bias" in folded.state_dict() and "8.weight" not in folded.state_dict()


def test_resnet_block_and_projection_are_folded(rng):
    model = models.get("resnet", depth=8, width=4, input_size=8, seed=0)
    train_steps(model, rng.standard_normal((4, 3, 8, 8)).astype(np.float32), rng)
    folded = fold_batchnorm(model)
    residual = folded[4][0]  # the first block of stage 2, with a projection
    assert [type(m).__name__ for m in residual.block] == ["Conv2d", "ReLU", "Conv2d"]
    assert [type(m).__name__ for m in residual.projection] == ["Conv2d"]
    # The bias-less convs gained a bias: the BN's shift.
    assert model[0].bias is None and folded[0].bias.shape == (4,)
    assert residual.projection[0].bias.dtype == np.float32


def hand_conv_bn(rng, dtype, bias):
    """Conv2d then BatchNorm2d with random statistics, set by hand."""
    conv = nn.Conv2d(3, 5, 3, padding=1, bias=bias, rng=rng, dtype=dtype)
    bn = nn.BatchNorm2d(5, eps=1e-3, dtype=dtype)
    randomize_bn(bn, rng)
    return conv, bn


def randomize_bn(bn, rng):
    C = bn.num_features
    bn.weight[...] = rng.uniform(0.5, 2, C)
    bn.bias[...] = rng.standard_normal(C)
    bn.running_mean[...] = rng.standard_normal(C)
    bn.running_var[...] = rng.uniform(0.1, 3, C)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv_without_bias_gains_one_equal_to_the_formula(rng, dtype):
    conv, bn = hand_conv_bn(rng, dtype, bias=False)
    model = nn.Sequential(conv, bn, nn.ReLU())
    X = rng.standard_normal((4, 3, 6, 6)).astype(dtype)
    folded, _ = check_fold(model, X, dtype, 1)
    assert len(folded) == 2 and isinstance(folded[1], nn.ReLU)
    scale = bn.weight.astype(np.float64) / np.sqrt(bn.running_var.astype(np.float64) + 1e-3)
    w = conv.weight.astype(np.float64) * scale[:, None, None, None]
    b = -bn.running_mean.astype(np.float64) * scale + bn.bias
    np.testing.assert_array_equal(folded[0].weight, w.astype(dtype))
    np.testing.assert_array_equal(folded[0].bias, b.astype(dtype))
    assert "0.bias" in folded.params and folded.grads["0.bias"].shape == (5,)


def test_conv_with_bias(rng):
    conv, bn = hand_conv_bn(rng, np.float64, bias=True)
    X = rng.standard_normal((2, 3, 5, 5))
    check_fold(nn.Sequential(conv, bn), X, np.float64, 1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nested_sequentials_and_bns_not_after_a_layer(rng, dtype):
    conv, bn = hand_conv_bn(rng, dtype, bias=True)
    conv2 = nn.Conv2d(5, 5, 1, bias=False, rng=rng, dtype=dtype)
    bn2 = nn.BatchNorm2d(5, dtype=dtype)
    lone = nn.BatchNorm2d(5, dtype=dtype)  # after a ReLU: stays
    after_seq = nn.BatchNorm2d(5, dtype=dtype)  # after a Sequential ending in a conv: stays
    first = nn.BatchNorm2d(3, dtype=dtype)  # first child: stays
    for m in (bn2, lone, after_seq, first):
        randomize_bn(m, rng)
    inner = nn.Sequential(conv, bn, nn.ReLU(), lone)
    model = nn.Sequential(first, inner, nn.Sequential(nn.Sequential(conv2, bn2)), after_seq,
                          nn.Flatten(), nn.Linear(5 * 16, 4, rng=rng, dtype=dtype))
    X = rng.standard_normal((3, 3, 4, 4)).astype(dtype)
    folded, _ = check_fold(model, X, dtype, 2)
    assert folded[0] is not first and isinstance(folded[0], nn.BatchNorm2d)
    assert [type(m).__name__ for m in folded[1]] == ["Conv2d", "ReLU", "BatchNorm2d"]
    assert [type(m).__name__ for m in folded[2][0]] == ["Conv2d"]
    assert isinstance(folded[3], nn.BatchNorm2d)
    np.testing.assert_array_equal(folded[3].running_var, after_seq.running_var)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batchnorm1d_after_linear(rng, dtype):
    lin = nn.Linear(12, 7, rng=rng, dtype=dtype)
    bn = nn.BatchNorm1d(7, dtype=dtype)
    randomize_bn(bn, rng)
    lin2 = nn.Linear(7, 3, bias=False, rng=rng, dtype=dtype)
    bn2 = nn.BatchNorm1d(3, eps=0.1, dtype=dtype)
    randomize_bn(bn2, rng)
    model = nn.Sequential(lin, bn, nn.ReLU(), lin2, bn2)
    X = rng.standard_normal((5, 12)).astype(dtype)
    folded, _ = check_fold(model, X, dtype, 2)
    assert [type(m).__name__ for m in folded] == ["Linear", "ReLU", "Linear"]


def test_batchnorm1d_on_another_axis_stays(rng):
    # Linear on (N, L, D) then BatchNorm1d(L): the norm's channels are not the Linear's outputs.
    lin = nn.Linear(6, 4, rng=rng, dtype=np.float64)
    bn = nn.BatchNorm1d(3, dtype=np.float64)
    randomize_bn(bn, rng)
    X = rng.standard_normal((2, 3, 6))
    folded, _ = check_fold(nn.Sequential(lin, bn), X, np.float64, 0)
    assert len(folded) == 2


def test_batchnorm2d_after_linear_and_1d_after_conv_stay(rng):
    model = nn.Sequential(nn.Conv2d(2, 4, 1, rng=rng, dtype=np.float64),
                          nn.BatchNorm1d(4, dtype=np.float64))
    randomize_bn(model[1], rng)
    X = rng.standard_normal((2, 2, 5))[..., None]  # (N, C, L, 1): BatchNorm1d refuses 4-D
    assert len(fold_batchnorm(model)) == 2
    with pytest.raises(ValueError):
        fold_batchnorm(model)(X)


def test_custom_names_are_kept(rng):
    conv, bn = hand_conv_bn(rng, np.float64, bias=True)
    model = nn.Sequential({"conv": conv, "bn": bn, "act": nn.ReLU()})
    folded = fold_batchnorm(model)
    assert list(folded._modules) == ["conv", "act"]


def test_a_non_sequential_module_is_wrapped(rng):
    conv, bn = hand_conv_bn(rng, np.float64, bias=False)
    res = nn.Residual(nn.Sequential(conv, bn, nn.ReLU(), nn.Conv2d(5, 3, 1, rng=rng,
                                                                   dtype=np.float64)))
    X = rng.standard_normal((2, 3, 4, 4))
    folded, _ = check_fold(res, X, np.float64, 1)
    assert isinstance(folded[0], nn.Residual) and len(folded) == 1
    assert fold_batchnorm(nn.Linear(3, 2, rng=rng))[0].weight.shape == (2, 3)


def test_folded_model_is_not_saved_as_the_zoo_model(tmp_path):
    model = models.get("vgg", widths=(4,), input_size=4, seed=0)
    with pytest.raises(TypeError, match="no spec"):
        io.save(fold_batchnorm(model), tmp_path / "m.npz")
    io.save(model, tmp_path / "m.npz")
    out = fold_batchnorm(io.load(tmp_path / "m.npz"))(np.ones((1, 3, 4, 4), np.float32))
    assert out.shape == (1, 10)


def test_folded_model_has_no_cache_and_zero_grads(rng):
    model = models.get("vgg", widths=(4,), input_size=4, seed=0)
    X = rng.standard_normal((2, 3, 4, 4)).astype(np.float32)
    model.loss(X, np.array([1, 2]))
    folded = fold_batchnorm(model)
    assert all(m._cache is None for m in folded.modules())
    assert all(not g.any() for g in folded.grads.values())
    with pytest.raises(RuntimeError, match="no forward pass"):
        folded.backward(np.ones((2, 10), np.float32))


@pytest.mark.parametrize("bad", [None, 3, "vgg", [nn.ReLU()], nn])
def test_not_a_module_is_refused(bad):
    with pytest.raises(TypeError, match=r"fold_batchnorm: model must be a convnp\.nn\.Module; "
                                        r"got "):
        fold_batchnorm(bad)


def test_channel_mismatch_is_named(rng):
    model = nn.Sequential(nn.Conv2d(3, 4, 1, rng=rng), nn.BatchNorm2d(5))
    with pytest.raises(ValueError, match=r"fold_batchnorm: Conv2d '0' has 4 output channels but "
                                         r"the BatchNorm2d after it has num_features=5"):
        fold_batchnorm(model)


def test_shared_layer_is_refused(rng):
    conv = nn.Conv2d(3, 3, 1, rng=rng)
    model = nn.Sequential(nn.Sequential(conv, nn.BatchNorm2d(3)), nn.Sequential(conv, nn.ReLU()))
    # Folding it in the first place would change the second, where no batch norm follows.
    with pytest.raises(ValueError, match="fold_batchnorm: the Conv2d '0' appears 2 times"):
        fold_batchnorm(model)
    lone = nn.Sequential(conv, nn.ReLU(), conv)  # shared, nothing to fold: fine
    assert len(fold_batchnorm(lone)) == 3


def test_frozen_layer_stays_frozen(rng):
    conv, bn = hand_conv_bn(rng, np.float32, bias=False)
    model = nn.Sequential(conv, bn)
    conv.freeze()
    folded = fold_batchnorm(model)
    assert "0.bias" not in folded.params and "0.bias" in folded.state_dict()
