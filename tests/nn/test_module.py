"""convnp.nn.Module and the containers: params/grads views, state_dict, freeze, modes, loss,
Sequential and Residual gradients, repr and errors."""

import numpy as np
import pytest

from convnp import nn
from convnp.gradient_check import rel_error
from convnp.layers import softmax_loss
from tests.nn.test_layers import assert_grads, numeric_grad

F64 = np.float64


def small_cnn(seed=0, dtype=F64):
    """conv-bn-relu-pool-flatten-linear: every kind of state (params, buffers, caches).

    Layers followed by batch norm have no bias, as usual: batch norm removes it, so its
    gradient is zero up to rounding and no relative error can be taken of it.
    """
    rng = np.random.default_rng(seed)
    return nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1, bias=False, rng=rng, dtype=dtype),
        nn.BatchNorm2d(3, dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(3 * 2 * 2, 4, rng=rng, dtype=dtype),
    )


def res_net(seed=0, dtype=F64):
    """A residual block with a strided 1x1 projection, then a head."""
    rng = np.random.default_rng(seed)
    block = nn.Sequential(
        nn.Conv2d(2, 4, 3, stride=2, padding=1, bias=False, rng=rng, dtype=dtype),
        nn.BatchNorm2d(4, dtype=dtype),
        nn.ReLU(),
        nn.Conv2d(4, 4, 3, padding=1, rng=rng, dtype=dtype),
    )
    projection = nn.Conv2d(2, 4, 1, stride=2, bias=False, rng=rng, dtype=dtype)
    return nn.Sequential(
        nn.Residual(block, projection),
        nn.Residual(nn.Sequential(nn.GroupNorm(2, 4, dtype=dtype), nn.GELU())),
        nn.GlobalAvgPool2d(),
        nn.Linear(4, 3, rng=rng, dtype=dtype),
    )


# -- composition gradients ------------------------------------------------------------------


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("factory, x_shape", [
    (small_cnn, (3, 2, 4, 5)),
    (res_net, (2, 2, 5, 5)),
    (lambda: nn.Sequential(nn.Linear(6, 5, rng=np.random.default_rng(1), dtype=F64),
                           nn.LayerNorm(5, dtype=F64), nn.Tanh(),
                           nn.Linear(5, 4, bias=False, rng=np.random.default_rng(2),
                                     dtype=F64),
                           nn.BatchNorm1d(4, dtype=F64), nn.Sigmoid()), (4, 6)),
], ids=["cnn", "residual", "mlp"])
def test_composition_gradients(rng, factory, x_shape, training):
    model = factory().train(training)
    for name, b in model.named_buffers():
        if name.endswith("running_var"):
            b[...] = rng.uniform(0.5, 2, b.shape)
    x = rng.standard_normal(x_shape)
    # h=1e-5: a composition has many ReLU inputs, one of which may sit within 1e-3 of its kink.
    assert_grads(model, x, rng, tol=1e-6, h=1e-5)


def test_residual_identity_backward_sums_both_paths(rng):
    lin = nn.Linear(4, 4, rng=rng, dtype=F64)
    res = nn.Residual(lin)
    x = rng.standard_normal((3, 4))
    np.testing.assert_allclose(res(x), x + lin(x), rtol=1e-15)
    dout = rng.standard_normal((3, 4))
    np.testing.assert_allclose(res.backward(dout), dout + dout @ lin.weight, rtol=1e-13)


# -- params and grads --------------------------------------------------------------------------


def test_parameter_names_are_dotted_pytorch_names():
    names = [n for n, _ in res_net().named_parameters()]
    assert names == ["0.block.0.weight", "0.block.1.weight", "0.block.1.bias",
                     "0.block.3.weight", "0.block.3.bias", "0.projection.weight",
                     "1.block.0.weight", "1.block.0.bias", "3.weight", "3.bias"]
    assert list(res_net().params) == names
    assert [n for n, _ in res_net().named_buffers()] == [
        "0.block.1.running_mean", "0.block.1.running_var", "0.block.1.num_batches_tracked"]


def test_params_is_a_live_view():
    model = small_cnn()
    w = model.params["0.weight"]
    assert w is model[0].weight
    w[0, 0, 0, 0] = 7.0
    assert model[0].weight[0, 0, 0, 0] == 7.0
    # The Solver writes updated arrays back: the module then holds them.
    new = np.zeros_like(w)
    model.params["0.weight"] = new
    assert model[0].weight is new
    # Whole-dict assignment, as the Solver's best_params at the end of training.
    saved = {k: v + 1 for k, v in model.params.items()}
    model.params = saved
    for k, v in model.params.items():
        assert v is saved[k]


def test_set_param_casts_to_the_parameter_dtype_and_checks_shape():
    model = small_cnn(dtype=np.float32)
    model.params["5.bias"] = np.ones(4)
    assert model[5].bias.dtype == np.float32
    model.set_param("5.bias", np.zeros(4, np.float32))
    assert model[5].bias.sum() == 0
    model[5].bias = np.full(4, 2.0, np.float32)
    assert model.params["5.bias"].sum() == 8
    with pytest.raises(ValueError, match=r"Sequential.set_param: 5.bias must have shape \(4,\) "
                                         r"\(the parameter's shape\); got \(5,\)"):
        model.params["5.bias"] = np.ones(5)
    with pytest.raises(TypeError, match=r"5.weight must be a numpy.ndarray; got list"):
        model.set_param("5.weight", [[1.0]])


def test_params_view_errors():
    model = small_cnn()
    with pytest.raises(KeyError, match=r"Sequential has no trainable parameter '9.weight'"):
        model.params["9.weight"]
    with pytest.raises(KeyError, match=r"params\['new'\] cannot be set"):
        model.params["new"] = np.ones(3)
    with pytest.raises(KeyError, match=r"grads\['0.weight'\] cannot be set"):
        model.grads["0.weight"] = np.ones(3)
    with pytest.raises(ValueError, match=r"missing \['5.bias'\], unexpected \['extra'\]"):
        model.params = {**{k: v for k, v in model.params.items() if k != "5.bias"},
                        "extra": np.ones(1)}


def test_grads_after_backward_and_zero_grad(rng):
    model = small_cnn()
    assert all(np.all(g == 0) for g in model.grads.values())
    assert list(model.grads) == list(model.params)
    x = rng.standard_normal((2, 2, 4, 4))
    model.backward(np.ones(model(x).shape))
    first = {k: g.copy() for k, g in model.grads.items()}
    assert all(np.any(g != 0) for g in first.values())
    # backward overwrites (the course's fresh gradients), it does not accumulate
    model(x)
    model.backward(np.ones((2, 4)))
    for k, g in model.grads.items():
        np.testing.assert_allclose(g, first[k], rtol=1e-12)
    model.zero_grad()
    assert all(np.all(g == 0) for g in model.grads.values())


def test_num_parameters():
    model = small_cnn()
    assert model.num_parameters() == 3 * 2 * 9 + (3 + 3) + (12 * 4 + 4)
    model[0].freeze()
    assert model.num_parameters(trainable_only=True) == 6 + 52
    assert nn.ReLU().num_parameters() == 0


# -- freeze ----------------------------------------------------------------------------------


def test_freeze_drops_params_and_grads_but_backward_returns_dx(rng):
    x = rng.standard_normal((2, 2, 4, 4))
    ref = small_cnn()
    out = ref(x)
    dout = rng.standard_normal(out.shape)
    dx_ref = ref.backward(dout)

    model = small_cnn()
    assert model[5].freeze() is model[5]
    model[0].freeze()
    assert list(model.params) == ["1.weight", "1.bias"]
    assert list(model.grads) == ["1.weight", "1.bias"]
    model(x)
    dx = model.backward(dout)
    np.testing.assert_allclose(dx, dx_ref, rtol=1e-12)
    np.testing.assert_allclose(model.grads["1.weight"], ref.grads["1.weight"], rtol=1e-12)
    # Frozen parameters stay in named_parameters and the state_dict.
    assert "5.weight" in dict(model.named_parameters())
    assert "0.weight" in model.state_dict()

    model.unfreeze()
    assert list(model.params) == list(ref.params)
    assert np.all(model.grads["5.weight"] == 0)


def test_frozen_model_loss_has_no_frozen_keys(rng):
    model = small_cnn()
    model.freeze()
    model[1].unfreeze()
    loss, grads = model.loss(rng.standard_normal((3, 2, 4, 4)), np.array([0, 1, 3]))
    assert list(grads) == ["1.weight", "1.bias"] == list(model.params)


# -- state_dict --------------------------------------------------------------------------------


def test_state_dict_round_trip(rng):
    x = rng.standard_normal((4, 2, 5, 5))
    a = res_net(seed=1)
    a(x)  # moves the running statistics
    b = res_net(seed=2)
    assert not np.allclose(a.eval()(x), b.eval()(x))
    sd = a.state_dict()
    result = b.load_state_dict(sd)
    assert result.missing_keys == [] and result.unexpected_keys == []
    np.testing.assert_array_equal(a(x), b(x))
    for k, v in b.state_dict().items():
        np.testing.assert_array_equal(v, sd[k])
    # state_dict returns copies; loading copies into the module's own arrays
    sd["3.bias"][...] = 99
    assert not np.any(a[3].bias == 99) and not np.any(b[3].bias == 99)
    w = b[3].weight
    b.load_state_dict(a.state_dict())
    assert b[3].weight is w


def test_load_state_dict_casts_dtype_and_takes_array_likes():
    a = small_cnn(dtype=F64)
    b = small_cnn(seed=3, dtype=np.float32)
    b.load_state_dict({k: v.tolist() if v.ndim == 1 else v for k, v in a.state_dict().items()})
    assert b[0].weight.dtype == np.float32
    np.testing.assert_allclose(b[0].weight, a[0].weight, rtol=1e-6)
    assert b[1].num_batches_tracked.dtype == np.int64


def test_load_state_dict_errors():
    model = small_cnn()
    sd = model.state_dict()
    missing = {k: v for k, v in sd.items() if k != "1.running_var"}
    with pytest.raises(ValueError, match=r"Sequential.load_state_dict: state_dict keys do not "
                                         r"match the module's: missing key\(s\) "
                                         r"\['1.running_var'\], unexpected key\(s\) \[\]"):
        model.load_state_dict(missing)
    with pytest.raises(ValueError, match=r"unexpected key\(s\) \['7.weight'\]"):
        model.load_state_dict({**sd, "7.weight": np.ones(2)})
    bad = {**sd, "5.weight": np.ones((4, 13))}
    with pytest.raises(ValueError, match=r"'5.weight' has shape \(4, 12\) in the module but "
                                         r"\(4, 13\) in state_dict"):
        model.load_state_dict(bad)
    with pytest.raises(TypeError, match=r"state_dict must be a dict of arrays; got list"):
        model.load_state_dict([])
    # Nothing was written by the failed loads.
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, sd[k])
    # strict=False skips missing and unexpected keys, still checks shapes
    result = model.load_state_dict({"5.bias": np.ones(4), "x": np.ones(1)}, strict=False)
    assert "1.running_var" in result.missing_keys and result.unexpected_keys == ["x"]
    np.testing.assert_array_equal(model[5].bias, 1)
    with pytest.raises(ValueError, match=r"'5.bias' has shape \(4,\) in the module"):
        model.load_state_dict({"5.bias": np.ones(3)}, strict=False)


# -- modes -------------------------------------------------------------------------------------


def test_train_and_eval_are_recursive():
    model = res_net()
    assert model.training and all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(TypeError, match=r"Sequential.train: mode must be a bool; got str"):
        model.train("eval")


def test_loss_without_labels_is_an_eval_forward_that_moves_nothing(rng):
    model = small_cnn()
    x = rng.standard_normal((3, 2, 4, 4))
    before = model.state_dict()
    scores = model.loss(x)
    np.testing.assert_array_equal(scores, small_cnn().eval()(x))
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, before[k])
    assert model.training and all(m.training for m in model.modules())


def test_loss_with_labels_runs_in_train_mode_and_restores_modes(rng):
    model = small_cnn()
    model.eval()
    model[1].train()  # a mixed state comes back as it was
    x = rng.standard_normal((3, 2, 4, 4))
    model.loss(x, np.array([0, 1, 2]))
    assert int(model[1].num_batches_tracked) == 1
    assert [m.training for m in model.modules()] == [False, False, True, False, False, False,
                                                       False]


def test_loss_matches_softmax_loss_and_reg_applies_to_weights_only(rng):
    model = small_cnn()
    x = rng.standard_normal((5, 2, 4, 4))
    y = np.array([0, 3, 1, 2, 3])
    scores = small_cnn().train()(x)
    data_loss, _ = softmax_loss(scores, y)
    loss, grads = model.loss(x, y)
    assert loss == pytest.approx(data_loss, rel=1e-13)
    assert list(grads) == list(model.params)

    reg_model = small_cnn()
    reg_model.reg = 0.3
    reg_loss, reg_grads = reg_model.loss(x, y)
    weights = [reg_model[0].weight, reg_model[5].weight]
    assert reg_loss == pytest.approx(loss + 0.15 * sum(np.sum(w * w) for w in weights), rel=1e-13)
    for k in grads:
        expected = grads[k] + 0.3 * reg_model.params[k] if k.endswith("weight") and \
            k[0] in "05" else grads[k]
        np.testing.assert_allclose(reg_grads[k], expected, rtol=1e-12, atol=1e-15)
    assert reg_model.grads["0.weight"] is not None
    np.testing.assert_allclose(reg_model.grads["5.weight"], reg_grads["5.weight"], rtol=0)


@pytest.mark.parametrize("reg, label_smoothing", [(0.0, 0.0), (0.1, 0.2)])
def test_loss_gradients_are_numeric_gradients(rng, reg, label_smoothing):
    model = res_net()
    model.reg, model.label_smoothing = reg, label_smoothing
    x = rng.standard_normal((3, 2, 5, 5))
    y = np.array([2, 0, 1])
    _, grads = model.loss(x, y)
    for name, p in model.named_parameters():
        num = numeric_grad(lambda: np.array(model.loss(x, y)[0]), p, np.array(1.0), h=1e-5)
        err = rel_error(grads[name], num)
        assert err < 1e-6, f"d{name}: relative error {err:.3e}"


@pytest.mark.parametrize("factory, x_shape", [(small_cnn, (3, 2, 4, 4)),
                                              (res_net, (3, 2, 5, 5))],
                         ids=["cnn", "residual"])
def test_loss_frees_each_cache_as_the_backward_pass_leaves_it(rng, factory, x_shape):
    # As PyTorch frees its graph: when a layer's backward starts, every layer whose backward
    # has run holds no cache any more; after loss none does, and backward raises.
    model = factory()
    leaves = [m for m in model.modules() if not list(m.children())]
    done, held = [], []

    def spy(m):
        cached = m._cached

        def wrapper(dout=None):
            held.append([d._cache is not None for d in done])
            done.append(m)
            return cached(dout)
        object.__setattr__(m, "_cached", wrapper)

    for m in leaves:
        spy(m)
    x = rng.standard_normal(x_shape)
    loss, grads = model.loss(x, np.array([0, 1, 2]))
    assert len(done) == len(leaves)  # every leaf's backward ran once
    assert held == [[False] * i for i in range(len(leaves))]
    assert all(m._cache is None for m in model.modules())
    with pytest.raises(RuntimeError, match=r"backward: no forward pass to differentiate"):
        model.backward(np.zeros((3, 4 if factory is small_cnn else 3)))

    # The gradients are those of a forward and backward that keep every cache.
    ref = factory()
    scores = ref.train()(x)
    data_loss, dscores = nn.cross_entropy(scores, np.array([0, 1, 2]))
    ref.backward(dscores)
    assert loss == pytest.approx(data_loss, rel=1e-13)
    assert all(m._cache is not None for m in ref.modules())
    for name in grads:
        np.testing.assert_allclose(grads[name], ref.grads[name], rtol=1e-12, atol=1e-15)


def test_loss_without_labels_frees_the_caches_of_its_forward(rng):
    model = res_net()
    scores = model.loss(rng.standard_normal((3, 2, 5, 5)))
    assert scores.shape == (3, 3)
    assert all(m._cache is None for m in model.modules())
    model.train()
    model(rng.standard_normal((3, 2, 5, 5)))  # a forward called by hand keeps them
    assert all(m._cache is not None for m in model.modules())


def test_loss_frees_the_caches_of_a_sequential_subclass_with_its_own_backward(rng):
    class Doubling(nn.Sequential):
        def backward(self, dout):
            return 2 * super().backward(dout)

    model = Doubling(nn.Linear(3, 4, rng=rng, dtype=F64), nn.ReLU())
    model.loss(rng.standard_normal((2, 3)), np.array([0, 3]))
    assert all(m._cache is None for m in model.modules())


def test_loss_casts_x_to_the_parameter_dtype(rng):
    model = small_cnn(dtype=np.float32)
    scores = model.loss(rng.standard_normal((2, 2, 4, 4)))
    assert scores.dtype == np.float32
    _, grads = model.loss(rng.standard_normal((2, 2, 4, 4)), np.array([0, 1]))
    assert all(g.dtype == np.float32 for g in grads.values())


def test_loss_errors_leave_batchnorm_statistics_alone(rng):
    model = small_cnn()
    x = rng.standard_normal((2, 2, 4, 4))
    with pytest.raises(ValueError, match=r"Sequential.loss: y must have shape \(2,\), one label "
                                         r"per example; got \(3,\)"):
        model.loss(x, np.array([0, 1, 2]))
    with pytest.raises(TypeError, match=r"Sequential.loss: y must hold integer class labels"):
        model.loss(x, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"Sequential.loss: labels in y must be >= 0; got -1"):
        model.loss(x, np.array([0, -1]))
    assert int(model[1].num_batches_tracked) == 0
    with pytest.raises(ValueError, match=r"cross_entropy: labels in y must be in \[0, 4\) for "
                                         r"scores with 4 classes; got 4"):
        model.loss(x, np.array([0, 4]))
    model.reg = -1
    with pytest.raises(ValueError, match=r"Sequential.loss: reg must be in \[0, inf\); got -1"):
        model.loss(x, np.array([0, 1]))
    model.reg, model.label_smoothing = 0.0, 1.5
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]; got 1.5"):
        model.loss(x, np.array([0, 1]))
    with pytest.raises(TypeError, match=r"Sequential.loss: X must be a floating-point array"):
        model.loss(x.astype(int), None)


def test_cross_entropy_label_smoothing(rng):
    scores = rng.standard_normal((6, 5))
    y = rng.integers(0, 5, 6)
    assert cross_entropy_equal(scores, y, 0.0)
    eps = 0.3
    loss, dscores = nn.cross_entropy(scores, y, eps)
    logp = scores - np.log(np.exp(scores).sum(1, keepdims=True))
    q = np.full((6, 5), eps / 5)
    q[np.arange(6), y] += 1 - eps
    assert loss == pytest.approx(-(q * logp).sum() / 6, rel=1e-13)
    num = numeric_grad(lambda: np.array(nn.cross_entropy(scores, y, eps)[0]), scores,
                       np.array(1.0))
    assert rel_error(dscores, num) < 1e-8


def cross_entropy_equal(scores, y, eps):
    loss, d = nn.cross_entropy(scores, y, eps)
    ref_loss, ref_d = softmax_loss(scores, y)
    return loss == ref_loss and np.array_equal(d, ref_d)


# -- containers and registration ---------------------------------------------------------------


def test_sequential_indexing_slicing_and_append():
    model = small_cnn()
    assert len(model) == 6
    assert isinstance(model[0], nn.Conv2d) and isinstance(model[-1], nn.Linear)
    assert [type(m).__name__ for m in model] == ["Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d",
                                                 "Flatten", "Linear"]
    tail = model[4:]
    assert list(tail.state_dict()) == ["5.weight", "5.bias"]
    assert tail[1] is model[5]
    model.append(nn.ReLU())
    assert "(6): ReLU()" in repr(model)
    named = nn.Sequential({"conv": nn.Conv2d(1, 2, 3), "act": nn.ReLU()})
    assert list(named.state_dict()) == ["conv.weight", "conv.bias"]
    assert named.conv is named[0]
    with pytest.raises(IndexError, match=r"Sequential index 7 is out of range for 7 modules"):
        model[7]
    with pytest.raises(TypeError, match=r"Sequential indices must be ints or slices; got str"):
        model["0"]
    with pytest.raises(TypeError, match=r"Sequential: module 1 must be a convnp.nn.Module; "
                                        r"got ufunc"):
        nn.Sequential(nn.ReLU(), np.tanh)
    with pytest.raises(TypeError, match=r"Sequential.append: module must be a convnp.nn.Module"):
        model.append(None)


def test_empty_sequential_is_the_identity():
    x = np.ones((2, 3))
    seq = nn.Sequential()
    assert seq(x) is x and seq.backward(x) is x


def test_repr_is_structural():
    assert repr(res_net()) == """Sequential(
  (0): Residual(
    (block): Sequential(
      (0): Conv2d(2, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)
      (1): BatchNorm2d(4)
      (2): ReLU()
      (3): Conv2d(4, 4, kernel_size=(3, 3), padding=(1, 1))
    )
    (projection): Conv2d(2, 4, kernel_size=(1, 1), stride=(2, 2), bias=False)
  )
  (1): Residual(
    (block): Sequential(
      (0): GroupNorm(2, 4)
      (1): GELU()
    )
  )
  (2): GlobalAvgPool2d()
  (3): Linear(4, 3)
)"""


def test_residual_errors(rng):
    res = nn.Residual(nn.Linear(4, 3, rng=rng))
    with pytest.raises(ValueError, match=r"Residual.forward: block\(x\) has shape \(2, 3\) but "
                                         r"the shortcut x has shape \(2, 4\)"):
        res(np.zeros((2, 4), np.float32))
    with pytest.raises(TypeError, match=r"Residual: block must be a convnp.nn.Module; got int"):
        nn.Residual(3)
    with pytest.raises(TypeError, match=r"Residual: projection must be a convnp.nn.Module or "
                                        r"None; got str"):
        nn.Residual(nn.ReLU(), "conv")


def test_backward_before_forward_in_containers():
    with pytest.raises(RuntimeError, match=r"Sequential.backward: no forward pass to "
                                           r"differentiate"):
        small_cnn().backward(np.zeros((2, 4)))
    with pytest.raises(RuntimeError, match=r"Residual.backward: no forward pass"):
        nn.Residual(nn.ReLU()).backward(np.zeros(2))


def test_custom_module_registration():
    class Scale(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_parameter("alpha", np.ones(2))
            self.inner = nn.Linear(2, 2)
            self.note = "plain attributes stay plain"

    m = Scale()
    assert list(m.state_dict()) == ["alpha", "inner.weight", "inner.bias"]
    assert m.note == "plain attributes stay plain"
    with pytest.raises(KeyError, match=r"Scale.register_parameter: Scale already has an "
                                       r"attribute 'alpha'"):
        m.register_parameter("alpha", np.ones(2))
    with pytest.raises(ValueError, match=r"name must be a non-empty string without '.'"):
        m.register_buffer("a.b", np.ones(2))
    with pytest.raises(NotImplementedError, match="Scale does not define forward"):
        m(np.ones(2))

    class Broken(nn.Module):
        def __init__(self):
            self.inner = nn.ReLU()

    with pytest.raises(AttributeError, match=r"cannot assign module 'inner' before "
                                             r"Module.__init__\(\)"):
        Broken()


def test_astype_converts_parameters_grads_and_buffers():
    model = small_cnn(dtype=np.float32).astype(F64)
    assert model.dtype == F64
    assert all(p.dtype == F64 for p in model.parameters())
    assert all(g.dtype == F64 for g in model.grads.values())
    assert model[1].running_var.dtype == F64
    assert model[1].num_batches_tracked.dtype == np.int64
