import math

import numpy as np
import pytest

from convnp.classifiers import FullyConnectedNet, TwoLayerNet
from tests.classifiers import assert_model_grads

LN10 = math.log(10)


def _data(rng, N, D, C):
    return rng.standard_normal((N, D)), rng.integers(C, size=N)


def test_two_layer_net_init(rng):
    # The course's initialization check: std of each W near weight_scale, zero biases.
    D, H, C, std = 5, 50, 7, 1e-3
    model = TwoLayerNet(input_dim=D, hidden_dim=H, num_classes=C, weight_scale=std, rng=rng)
    p = model.params
    assert sorted(p) == ["W1", "W2", "b1", "b2"]
    assert [p[k].shape for k in ("W1", "b1", "W2", "b2")] == [(D, H), (H,), (H, C), (C,)]
    assert abs(p["W1"].std() - std) < std / 10
    assert abs(p["W2"].std() - std) < std / 10
    assert np.all(p["b1"] == 0) and np.all(p["b2"] == 0)
    assert model.reg == 0.0
    # The course's TwoLayerNet is float64 (its notebook gradient-checks the default model).
    assert model.dtype == np.float64 and all(v.dtype == np.float64 for v in p.values())


def test_two_layer_net_course_check():
    # The course's FullyConnectedNets notebook: fixed params and data, published values.
    N, D, H, C = 3, 5, 50, 7
    model = TwoLayerNet(input_dim=D, hidden_dim=H, num_classes=C, weight_scale=1e-3)
    model.params["W1"] = np.linspace(-0.7, 0.3, num=D * H).reshape(D, H)
    model.params["b1"] = np.linspace(-0.1, 0.9, num=H)
    model.params["W2"] = np.linspace(-0.3, 0.4, num=H * C).reshape(H, C)
    model.params["b2"] = np.linspace(-0.9, 0.1, num=C)
    X = np.linspace(-5.5, 4.5, num=N * D).reshape(D, N).T
    scores = model.loss(X)
    correct_scores = np.asarray(
        [[11.53165108, 12.2917344, 13.05181771, 13.81190102, 14.57198434, 15.33206765,
          16.09215096],
         [12.05769098, 12.74614105, 13.43459113, 14.1230412, 14.81149128, 15.49994135,
          16.18839143],
         [12.58373087, 13.20054771, 13.81736455, 14.43418138, 15.05099822, 15.66781506,
          16.2846319]])
    assert np.abs(scores - correct_scores).sum() < 1e-6

    y = np.asarray([0, 5, 1])
    loss, _ = model.loss(X, y)
    assert abs(loss - 3.4702243556) < 1e-10
    model.reg = 1.0
    loss, _ = model.loss(X, y)
    assert abs(loss - 26.5948426952) < 1e-10


@pytest.mark.parametrize("reg", [0.0, 0.7])
def test_two_layer_net_gradients(rng, reg):
    X, y = _data(rng, 5, 5, 7)
    model = TwoLayerNet(input_dim=5, hidden_dim=50, num_classes=7, weight_scale=0.3, reg=reg,
                        rng=rng)
    assert_model_grads(model, X, y)


def test_two_layer_net_initial_loss(rng):
    X, y = rng.standard_normal((10, 3, 32, 32)), rng.integers(10, size=10)
    model = TwoLayerNet(rng=rng)
    loss, _ = model.loss(X, y)
    assert abs(loss - LN10) < 0.1
    model.reg = 1.0
    loss_reg, _ = model.loss(X, y)
    W1, W2 = model.params["W1"], model.params["W2"]
    assert loss_reg > loss + 0.1
    assert loss_reg == pytest.approx(loss + 0.5 * (np.sum(W1 * W1) + np.sum(W2 * W2)), rel=1e-12)


def test_two_layer_net_flattens_input(rng):
    # input_dim counts the features of one example, of any shape (d_1, ..., d_k).
    model = TwoLayerNet(input_dim=12, hidden_dim=6, num_classes=4, rng=rng)
    X = rng.standard_normal((3, 3, 2, 2))
    np.testing.assert_array_equal(model.loss(X), model.loss(X.reshape(3, 12)))


@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
def test_fc_net_params(rng, normalization):
    model = FullyConnectedNet([20, 30], input_dim=15, num_classes=10,
                              normalization=normalization, rng=rng)
    p = model.params
    keys = {"W1", "b1", "W2", "b2", "W3", "b3"}
    if normalization is not None:
        keys |= {"gamma1", "beta1", "gamma2", "beta2"}
    assert set(p) == keys
    assert p["W1"].shape == (15, 20) and p["W2"].shape == (20, 30) and p["W3"].shape == (30, 10)
    assert p["b1"].shape == (20,) and p["b3"].shape == (10,)
    assert all(np.all(p[f"b{i}"] == 0) for i in (1, 2, 3))
    if normalization is not None:
        assert np.all(p["gamma2"] == 1) and np.all(p["beta2"] == 0) and p["gamma2"].shape == (30,)
    assert abs(p["W2"].std() - 1e-2) < 1e-3
    assert model.num_layers == 3 and model.normalization == normalization
    assert model.dtype == np.float32 and all(v.dtype == np.float32 for v in p.values())
    expected_bn = {None: [], "batchnorm": [{"mode": "train"}] * 2, "layernorm": [{}, {}]}
    assert model.bn_params == expected_bn[normalization]
    assert model.use_dropout is False and model.dropout_param == {}


def test_fc_net_dropout_param(rng):
    seeded = FullyConnectedNet([4], input_dim=3, dropout_keep_ratio=0.5, seed=7)
    assert seeded.use_dropout is True
    assert seeded.dropout_param == {"mode": "train", "p": 0.5, "seed": 7}
    unseeded = FullyConnectedNet([4], input_dim=3, dropout_keep_ratio=0.5, rng=rng)
    assert set(unseeded.dropout_param) == {"mode", "p", "rng"}
    assert isinstance(unseeded.dropout_param["rng"], np.random.Generator)


@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
def test_fc_net_initial_loss(rng, normalization):
    # The course's check: with small weights the scores are near zero, so the loss is near
    # ln(C); regularization adds 0.5 * reg * sum of squared weights.
    X, y = _data(rng, 20, 15, 10)
    model = FullyConnectedNet([20, 30], input_dim=15, num_classes=10, weight_scale=5e-2,
                              normalization=normalization, dtype=np.float64, rng=rng)
    loss, _ = model.loss(X, y)
    assert abs(loss - LN10) < 0.1
    model.reg = 3.14
    loss_reg, _ = model.loss(X, y)
    Ws = [model.params[f"W{i}"] for i in (1, 2, 3)]
    assert loss_reg > loss + 1
    assert loss_reg == pytest.approx(loss + 0.5 * 3.14 * sum(np.sum(W * W) for W in Ws),
                                     rel=1e-12)


@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
def test_fc_net_reg_applies_to_weights_only(rng, normalization):
    X, y = _data(rng, 6, 8, 5)
    model = FullyConnectedNet([7, 6], input_dim=8, num_classes=5, normalization=normalization,
                              weight_scale=0.3, dtype=np.float64, rng=rng)
    _, grads = model.loss(X, y)
    model.reg = 0.5
    _, grads_reg = model.loss(X, y)
    for k, v in model.params.items():
        extra = 0.5 * v if k.startswith("W") else 0
        np.testing.assert_allclose(grads_reg[k], grads[k] + extra, rtol=1e-12, atol=1e-15,
                                   err_msg=k)


@pytest.mark.parametrize("reg", [0.0, 3.14])
@pytest.mark.parametrize("keep", [1, 0.5])
@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
def test_fc_net_gradients(rng, normalization, keep, reg):
    # The course's check (hidden_dims [20, 30], reg 0 and 3.14) in float64. N = 5 and
    # weight_scale 0.3 keep the batch variances well away from zero, where batch norm's
    # higher derivatives make centred differences inaccurate; the seed fixes the dropout mask.
    X, y = _data(rng, 5, 15, 10)
    model = FullyConnectedNet([20, 30], input_dim=15, num_classes=10, dropout_keep_ratio=keep,
                              normalization=normalization, reg=reg, weight_scale=0.3,
                              dtype=np.float64, seed=123, rng=rng)
    assert_model_grads(model, X, y)
    if normalization == "batchnorm":
        # A bias in front of batch norm is subtracted out with the batch mean: its gradient is
        # zero (the check above could only hold it to the noise floor).
        _, grads = model.loss(X, y)
        assert np.abs(grads["b1"]).max() < 1e-12 and np.abs(grads["b2"]).max() < 1e-12


@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
def test_fc_net_scores_mode(rng, normalization):
    X, y = _data(rng, 4, 6, 3)
    model = FullyConnectedNet([5, 4], input_dim=6, num_classes=3, dropout_keep_ratio=0.5,
                              normalization=normalization, weight_scale=0.3, rng=rng)
    model.loss(X.astype(np.float32), y)
    assert model.dropout_param["mode"] == "train"
    stats = [{k: np.copy(v) for k, v in bp.items() if k != "mode"} for bp in model.bn_params]
    scores = model.loss(X)
    assert scores.shape == (4, 3) and scores.dtype == np.float32
    assert model.dropout_param["mode"] == "test"
    if normalization == "batchnorm":
        assert all(bp["mode"] == "test" for bp in model.bn_params)
    # Test mode reads the running statistics and draws no dropout mask: nothing moves.
    for before, bp in zip(stats, model.bn_params):
        assert set(before) == set(bp) - {"mode"}
        for k, v in before.items():
            np.testing.assert_array_equal(bp[k], v)
    np.testing.assert_array_equal(model.loss(X), scores)


def test_fc_net_scores_match_plain_numpy(rng):
    # No norm, no dropout: scores are the plain affine-relu chain written out here.
    X = rng.standard_normal((4, 2, 3))
    model = FullyConnectedNet([5, 4], input_dim=6, num_classes=3, weight_scale=0.5,
                              dtype=np.float64, rng=rng)
    p = model.params
    h = np.maximum(0, X.reshape(4, 6) @ p["W1"] + p["b1"])
    h = np.maximum(0, h @ p["W2"] + p["b2"])
    np.testing.assert_allclose(model.loss(X), h @ p["W3"] + p["b3"], rtol=1e-13)


def test_fc_net_batchnorm_train_mode_updates_running_stats(rng):
    X, y = _data(rng, 8, 6, 3)
    model = FullyConnectedNet([5], input_dim=6, num_classes=3, normalization="batchnorm",
                              rng=rng)
    model.loss(X, y)
    first = model.bn_params[0]["running_mean"].copy()
    assert first.shape == (5,) and first.dtype == np.float32 and np.any(first != 0)
    model.loss(X, y)
    assert not np.array_equal(model.bn_params[0]["running_mean"], first)


@pytest.mark.parametrize("ctor", [TwoLayerNet, FullyConnectedNet])
def test_dtype_and_input_cast(rng, ctor):
    X, y = _data(rng, 4, 6, 3)
    args = ([5],) if ctor is FullyConnectedNet else ()
    for dtype in (np.float32, np.float64):
        model = ctor(*args, input_dim=6, num_classes=3, dtype=dtype, rng=rng)
        loss, grads = model.loss(X, y)  # float64 X is cast to the model's dtype
        assert isinstance(loss, float)
        assert model.loss(X).dtype == dtype
        assert all(g.dtype == dtype for g in grads.values())


def test_fc_net_dtypes_share_weights():
    # The weights are drawn in float64 and cast, so one seed gives the same net in both.
    a = FullyConnectedNet([5, 4], input_dim=6, dtype=np.float32, seed=3)
    b = FullyConnectedNet([5, 4], input_dim=6, dtype=np.float64, seed=3)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k].astype(np.float32))


@pytest.mark.parametrize("normalization", [None, "batchnorm"])
def test_fc_net_determinism(rng, normalization):
    # Same generator seed: same weights, and the dropout generator derived from it repeats
    # the same sequence of masks; successive training steps still draw fresh masks.
    X, y = _data(rng, 6, 8, 4)
    kw = dict(input_dim=8, num_classes=4, dropout_keep_ratio=0.5, normalization=normalization,
              weight_scale=0.3, dtype=np.float64)
    a = FullyConnectedNet([7, 6], rng=np.random.default_rng(11), **kw)
    b = FullyConnectedNet([7, 6], rng=np.random.default_rng(11), **kw)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    losses_a = [a.loss(X, y)[0] for _ in range(3)]
    losses_b = [b.loss(X, y)[0] for _ in range(3)]
    assert losses_a == losses_b
    assert len(set(losses_a)) == 3
    # seed alone seeds the weights; with dropout it also fixes the mask (the course's use).
    c = FullyConnectedNet([7, 6], seed=11, **kw)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], c.params[k])
    assert len({c.loss(X, y)[0] for _ in range(3)}) == 1


def test_fc_net_dropout_does_not_change_weights():
    a = FullyConnectedNet([5, 4], input_dim=6, rng=np.random.default_rng(2))
    b = FullyConnectedNet([5, 4], input_dim=6, dropout_keep_ratio=0.5,
                          rng=np.random.default_rng(2))
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])


def test_two_layer_net_determinism():
    a = TwoLayerNet(input_dim=6, hidden_dim=5, num_classes=3, rng=np.random.default_rng(4))
    b = TwoLayerNet(input_dim=6, hidden_dim=5, num_classes=3, rng=np.random.default_rng(4))
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])


def test_bad_labels_leave_the_model_unchanged(rng):
    # Labels are checked before the forward pass, so batch norm's running statistics and the
    # dropout generator stay where they were.
    X, y = _data(rng, 4, 6, 3)
    model = FullyConnectedNet([5], input_dim=6, num_classes=3, normalization="batchnorm",
                              dropout_keep_ratio=0.5, rng=rng)
    model.loss(X, y)
    mean = model.bn_params[0]["running_mean"].copy()
    state = model.dropout_param["rng"].bit_generator.state
    with pytest.raises(ValueError, match="labels in y"):
        model.loss(X, np.array([0, 1, 2, 3]))
    np.testing.assert_array_equal(model.bn_params[0]["running_mean"], mean)
    assert model.dropout_param["rng"].bit_generator.state == state


FC_ERRORS = [
    ({"hidden_dims": []}, ValueError,
     r"FullyConnectedNet: hidden_dims must be a non-empty list or tuple of ints >= 1; got \[\]"),
    ({"hidden_dims": 20}, ValueError, r"hidden_dims must be a non-empty list .*; got 20"),
    ({"hidden_dims": [20, 0]}, ValueError, r"FullyConnectedNet: hidden_dims\[1\] must be >= 1; "
                                           r"got 0"),
    ({"hidden_dims": [2.5]}, TypeError, r"hidden_dims\[0\] must be an int; got 2.5"),
    ({"input_dim": 0}, ValueError, r"FullyConnectedNet: input_dim must be >= 1; got 0"),
    ({"num_classes": True}, TypeError, r"num_classes must be an int; got True"),
    ({"dropout_keep_ratio": 0}, ValueError, r"dropout_keep_ratio must be in \(0, 1\]; got 0"),
    ({"dropout_keep_ratio": 1.5}, ValueError, r"dropout_keep_ratio must be in \(0, 1\]; got 1.5"),
    ({"normalization": "groupnorm"}, ValueError,
     r"normalization must be one of None, 'batchnorm', 'layernorm'; got 'groupnorm'"),
    ({"reg": -1.0}, ValueError, r"FullyConnectedNet: reg must be in \[0, inf\); got -1"),
    ({"weight_scale": 0}, ValueError, r"weight_scale must be in \(0, inf\); got 0"),
    ({"dtype": np.int32}, TypeError, r"dtype must be a floating-point type .*; got int32"),
    ({"dtype": "nonsense"}, TypeError, r"dtype must be a floating-point type .*; got 'nonsense'"),
    ({"seed": -1}, ValueError, r"FullyConnectedNet: seed must be >= 0; got -1"),
    ({"rng": np.random.RandomState(0)}, TypeError,
     r"rng must be a numpy.random.Generator or None; got RandomState"),
]


@pytest.mark.parametrize("kwargs, exc, match", FC_ERRORS)
def test_fc_net_constructor_errors(kwargs, exc, match):
    kwargs = {"hidden_dims": [20], **kwargs}
    with pytest.raises(exc, match=match):
        FullyConnectedNet(**kwargs)


TWO_LAYER_ERRORS = [
    ({"hidden_dim": 0}, ValueError, r"TwoLayerNet: hidden_dim must be >= 1; got 0"),
    ({"input_dim": 3.0}, TypeError, r"TwoLayerNet: input_dim must be an int; got 3.0"),
    ({"weight_scale": -1e-3}, ValueError, r"TwoLayerNet: weight_scale must be in \(0, inf\)"),
    ({"reg": -0.5}, ValueError, r"TwoLayerNet: reg must be in \[0, inf\); got -0.5"),
    ({"dtype": np.int64}, TypeError, r"TwoLayerNet: dtype must be a floating-point type"),
    ({"rng": 0}, TypeError, r"TwoLayerNet: rng must be a numpy.random.Generator or None; got int"),
]


@pytest.mark.parametrize("kwargs, exc, match", TWO_LAYER_ERRORS)
def test_two_layer_net_constructor_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        TwoLayerNet(**kwargs)


LOSS_ERRORS = [
    (np.zeros((4, 7)), None, ValueError,
     r"X must have shape \(N, d_1, ..., d_k\) with d_1 \* ... \* d_k = input_dim = 6; "
     r"got \(4, 7\)"),
    (np.zeros(6), None, ValueError, r"X must have at least 2 dimensions; got shape \(6,\)"),
    (np.zeros((4, 6), dtype=np.int64), None, TypeError, r"X must be a floating-point array"),
    ([[0.0] * 6], None, TypeError, r"X must be a numpy.ndarray; got list"),
    (np.zeros((0, 6)), None, ValueError, r"X must hold at least one example; got shape \(0, 6\)"),
    (np.zeros((4, 6)), np.zeros(3, dtype=int), ValueError,
     r"y must have shape \(4,\), one label per example of X \(4, 6\); got \(3,\)"),
    (np.zeros((4, 6)), np.zeros(4), TypeError, r"y must hold integer class labels; got dtype "
                                               r"float64"),
    (np.zeros((4, 6)), np.array([0, 1, 3, -1]), ValueError,
     r"labels in y must be in \[0, 3\) for num_classes = 3; got 3"),
]


@pytest.mark.parametrize("ctor", [TwoLayerNet, FullyConnectedNet])
@pytest.mark.parametrize("X, y, exc, match", LOSS_ERRORS)
def test_loss_errors(ctor, X, y, exc, match):
    args = ([5],) if ctor is FullyConnectedNet else ()
    model = ctor(*args, input_dim=6, num_classes=3, rng=np.random.default_rng(0))
    with pytest.raises(exc, match=f"{ctor.__name__}.loss: {match}"):
        model.loss(X, y)
