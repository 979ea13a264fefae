"""Transfer learning: Module.freeze / unfreeze by name, frozen modes, the backward pass stopping
at the first trainable layer, convnp.transfer (head, stages, lr multipliers), Solver(lr_mult),
and fine-tuning beating training from scratch on real images."""

from pathlib import Path

import numpy as np
import pytest

from convnp import io, models, nn, transfer
from convnp.classifiers import TwoLayerNet
from convnp.gradient_check import eval_numerical_gradient, rel_error
from convnp.layers import softmax_loss
from convnp.schedules import Constant
from convnp.solver import Solver

F64 = np.float64
CIFAR_JPEG = Path(__file__).parents[1].parent / "shared" / "data" / "cifar10-jpeg" / "train"


def small_cnn(seed=0, dtype=F64):
    rng = np.random.default_rng(seed)
    return nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1, bias=False, rng=rng, dtype=dtype),
        nn.BatchNorm2d(3, dtype=dtype),
        nn.ReLU(),
        nn.Dropout(0.5, rng=np.random.default_rng(1)),
        nn.Flatten(),
        nn.Linear(3 * 4 * 4, 5, rng=rng, dtype=dtype),
        nn.ReLU(),
        nn.Linear(5, 4, rng=rng, dtype=dtype),
    )


def batch(rng, n=6, dtype=F64):
    return rng.standard_normal((n, 2, 4, 4)).astype(dtype), rng.integers(0, 4, n)


def tiny_vgg(num_classes=3, seed=0, dtype=np.float32):
    return models.vgg((4, 8), in_channels=1, num_classes=num_classes, input_size=8, seed=seed,
                      dtype=dtype)


# -- Module.freeze / unfreeze by name ---------------------------------------------------------


def test_freeze_named_submodules_only():
    model = small_cnn()
    assert model.freeze("0", "1") is model
    assert list(model.params) == ["5.weight", "5.bias", "7.weight", "7.bias"]
    assert model[0].is_frozen() and model[1].is_frozen() and not model.is_frozen()
    assert not nn.ReLU().is_frozen()  # no parameters: nothing to be frozen
    model.unfreeze("1")
    assert list(model.params) == ["1.weight", "1.bias", "5.weight", "5.bias", "7.weight",
                                  "7.bias"]
    assert np.all(model.grads["1.weight"] == 0)


def test_freeze_unknown_name_changes_nothing():
    model = small_cnn()
    with pytest.raises(KeyError, match=r"no submodule or parameter '9' in '9'.*children there "
                                       r"are \['0'"):
        model.freeze("0", "9")
    assert len(model.params) == 7  # '0' was not frozen either: names are checked first
    with pytest.raises(KeyError, match="'x'"):
        model.unfreeze("x")
    with pytest.raises(TypeError, match="track_stats must be a bool"):
        model.freeze(track_stats=1)


def test_frozen_modules_stay_in_eval_mode(rng):
    model = small_cnn()
    model.freeze("1", "3")
    model.train()
    assert model.training and model[0].training
    assert not model[1].training and not model[3].training
    X, y = batch(rng)
    before = model[1].running_mean.copy()
    model.loss(X, y)
    np.testing.assert_array_equal(model[1].running_mean, before)  # statistics not updated
    # The frozen dropout passes everything: the scores do not depend on its mask.
    model.eval()
    scores = model(X)
    model.train()
    np.testing.assert_array_equal(model(X), scores)

    model.unfreeze("1", "3")
    assert model[1].training and model[3].training
    model.loss(X, y)
    assert not np.array_equal(model[1].running_mean, before)


def test_freeze_track_stats_keeps_train_mode(rng):
    model = small_cnn()
    model.freeze("1", track_stats=True)
    assert model[1].training and "1.weight" not in model.params
    before = model[1].running_mean.copy()
    model.loss(*batch(rng))
    assert not np.array_equal(model[1].running_mean, before)


def test_unfreeze_a_child_of_a_frozen_model_unpins_its_parents():
    model = nn.Sequential(nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3)), nn.Linear(3, 2))
    model.freeze()
    assert not model.training
    model.unfreeze("0.1")
    model.train()
    assert model.training and model[0].training and model[0][1].training
    assert not model[0][0].training  # still frozen, still fixed
    assert list(model.params) == ["0.1.weight", "0.1.bias"]


def test_loss_backward_stops_at_the_first_trainable_layer(rng):
    """Below the first trainable layer nothing is differentiated; the head's gradients are
    still exact (numeric gradient, float64)."""
    model = small_cnn()
    model.freeze("0", "1", "3", "5")  # the dropout too: in train mode its mask is random
    for frozen in (model[0], model[1], model[2], model[3], model[4]):
        def refuse(dout, name=type(frozen).__name__):
            raise AssertionError(f"backward ran through frozen {name}")
        object.__setattr__(frozen, "backward", refuse)
    X, y = batch(rng)
    loss, grads = model.loss(X, y)
    assert list(grads) == ["7.weight", "7.bias"]

    def f(_):
        return model.loss(X, y)[0]

    for name in grads:
        num = eval_numerical_gradient(f, model.params[name], verbose=False, h=1e-6)
        assert rel_error(num, grads[name]) < 1e-7, name


def test_backward_through_a_frozen_layer_still_trains_the_layers_below(rng):
    model = small_cnn()
    model.freeze("3", "5")
    X, y = batch(rng)
    loss, grads = model.loss(X, y)
    assert "0.weight" in grads and "5.weight" not in grads

    def f(_):
        return model.loss(X, y)[0]

    num = eval_numerical_gradient(f, model.params["0.weight"], verbose=False, h=1e-6)
    assert rel_error(num, grads["0.weight"]) < 1e-6


def test_sequential_subclass_keeps_its_own_backward(rng):
    """A subclass that changes forward/backward is differentiated by its backward, frozen
    layers or not."""
    class Scaled(nn.Sequential):
        def forward(self, x):
            return 2 * super().forward(x)

        def backward(self, dout):
            return super().backward(2 * dout)

    g = np.random.default_rng(0)
    model = Scaled(nn.Linear(3, 4, rng=g, dtype=F64), nn.Tanh(), nn.Linear(4, 2, rng=g,
                                                                            dtype=F64))
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 2, 5)
    for frozen in ((), ("0",)):
        model.unfreeze()
        if frozen:
            model.freeze(*frozen)
        loss, grads = model.loss(X, y)
        num = eval_numerical_gradient(lambda _: model.loss(X, y)[0], model.params["2.weight"],
                                      verbose=False, h=1e-6)
        assert rel_error(num, grads["2.weight"]) < 1e-7, frozen


def test_freeze_names_are_checked_with_the_callers_name():
    model = small_cnn()
    with pytest.raises(TypeError, match=r"Sequential.freeze: names\[0\] must be a dotted"):
        model.freeze(0)
    with pytest.raises(KeyError, match=r"no submodule or parameter 'w' in '0.w'.*the "
                                       r"parameters \['weight'\]"):
        model.freeze("0.w")


def test_freeze_one_parameter(rng):
    """A batch norm's scale fixed while its shift trains (airbench's batch norms)."""
    model = small_cnn()
    model.freeze("1.weight", "3")  # the dropout too: in train mode its mask is random
    assert "1.weight" not in model.params and "1.bias" in model.params
    assert model[1].training  # a parameter frozen by name leaves the mode alone
    X, y = batch(rng)
    loss, grads = model.loss(X, y)
    assert "1.weight" not in grads
    num = eval_numerical_gradient(lambda _: model.loss(X, y)[0], model.params["1.bias"],
                                  verbose=False, h=1e-6)
    assert rel_error(num, grads["1.bias"]) < 1e-6
    model.unfreeze("1.weight")
    assert list(model.params)[:3] == ["0.weight", "1.weight", "1.bias"]
    assert np.all(model.grads["1.weight"] == 0)


def test_fully_frozen_model_loss_has_no_grads(rng):
    model = small_cnn().freeze()
    loss, grads = model.loss(*batch(rng))
    assert grads == {} and np.isfinite(loss)


# -- convnp.transfer ----------------------------------------------------------------------------


def test_head_name_and_layer_names():
    model = tiny_vgg()
    head = transfer.head_name(model)
    assert isinstance(model.get_submodule(head), nn.Linear)
    assert head == list(model._modules)[-1]
    names = transfer.layer_names(model)
    assert names[-1] == head
    # vgg: (conv, bn, conv, bn) per stage, then the head.
    assert [type(model.get_submodule(n)).__name__ for n in names] == \
        ["Conv2d", "BatchNorm2d"] * 4 + ["Linear"]
    res = models.resnet(8, width=4, in_channels=1, num_classes=3, input_size=8, seed=0)
    assert isinstance(res.get_submodule(transfer.head_name(res)), nn.Linear)


def test_replace_head_new_classes_and_model_file_round_trip(tmp_path, rng):
    model = tiny_vgg(num_classes=3)
    name = transfer.head_name(model)
    old = model.get_submodule(name)
    assert transfer.replace_head(model, 7, seed=0) is model
    new = model.get_submodule(name)
    assert new is not old and new.weight.shape == (7, old.in_features)
    assert new.weight.dtype == old.weight.dtype and new.training
    assert list(model._modules)[-1] == name  # same place, same state_dict keys
    assert model.spec["kwargs"]["num_classes"] == 7
    X = rng.standard_normal((2, 1, 8, 8)).astype(np.float32)
    assert model.eval()(X).shape == (2, 7)
    io.save(model, tmp_path / "m.npz")
    loaded = io.load(tmp_path / "m.npz")
    np.testing.assert_array_equal(loaded.eval()(X), model(X))
    # Seeded: the same draw twice.
    other = transfer.replace_head(tiny_vgg(num_classes=3), 7, seed=0)
    np.testing.assert_array_equal(other.get_submodule(name).weight, new.weight)


def test_transfer_errors():
    with pytest.raises(TypeError, match="convnp.nn.Module.*TwoLayerNet"):
        transfer.replace_head(TwoLayerNet(), 3)
    with pytest.raises(ValueError, match="no Linear layer"):
        transfer.head_name(nn.Sequential(nn.ReLU()))
    with pytest.raises(ValueError, match="num_classes"):
        transfer.replace_head(tiny_vgg(), 0)
    with pytest.raises(ValueError, match="rng or seed"):
        transfer.replace_head(tiny_vgg(), 2, rng=np.random.default_rng(0), seed=0)
    model = transfer.freeze_backbone(tiny_vgg())
    with pytest.raises(ValueError, match="nothing outside the head .* is trainable"):
        transfer.backbone_lr_mult(model, 0.1)
    model.unfreeze(transfer.layer_names(model)[-2])
    for bad in (0, float("inf")):
        with pytest.raises(ValueError, match=r"factor must be in \(0, inf\)"):
            transfer.backbone_lr_mult(model, bad)
    with pytest.raises(TypeError, match="replace_head: rng must be"):
        transfer.replace_head(tiny_vgg(), 2, rng=5)


def test_freeze_backbone_and_lr_mult():
    model = transfer.freeze_backbone(tiny_vgg())
    head = transfer.head_name(model)
    assert list(model.params) == [f"{head}.weight", f"{head}.bias"]
    names = transfer.layer_names(model)
    model.unfreeze(*names[-3:])
    assert transfer.backbone_lr_mult(model, 0.1) == {s: 0.1 for s in names[-3:-1]}


@pytest.mark.parametrize("training", [True, False])
def test_freeze_backbone_keeps_dropout_and_the_model_mode(training):
    """deep_cnn has Dropout before its hidden and head layers: parameterless layers are not
    frozen, so they keep following train(); the model keeps its mode."""
    model = models.deep_cnn((4, 4, 4, 4), hidden_dim=8, in_channels=1, num_classes=3,
                            input_size=8, seed=0)
    model.train(training)
    transfer.freeze_backbone(model)
    assert model.training is training
    dropouts = [m for m in model.modules() if isinstance(m, nn.Dropout)]
    assert dropouts
    model.train()
    assert all(d.training for d in dropouts)
    model.unfreeze(*transfer.layer_names(model))
    assert model.num_parameters(trainable_only=True) == model.num_parameters()
    assert all(m.training for m in model.modules())


def test_nested_head():
    """A head inside a classifier block: the block's other layers are the backbone's too."""
    rng = np.random.default_rng(0)
    model = nn.Sequential({
        "features": nn.Sequential(nn.Linear(4, 6, rng=rng), nn.BatchNorm1d(6), nn.ReLU()),
        "classifier": nn.Sequential(nn.Linear(6, 5, rng=rng), nn.ReLU(),
                                    nn.Linear(5, 3, rng=rng))})
    assert transfer.head_name(model) == "classifier.2"
    transfer.freeze_backbone(model)
    assert list(model.params) == ["classifier.2.weight", "classifier.2.bias"]
    assert not model.features[1].training and model.training
    model.unfreeze("classifier.0")
    assert transfer.backbone_lr_mult(model, 0.1) == {"classifier.0": 0.1}
    model.unfreeze()
    assert transfer.backbone_lr_mult(model, 0.1) == {"features": 0.1, "classifier.0": 0.1}


def _digits_tasks():
    """Digits 0-2 (source) and 3-5 (target, relabelled 0-2), standardised float32 NCHW."""
    from convnp.data import load_digits

    X, y = load_digits()
    X = ((X.astype(np.float32) - 8.0) / 5.0)[:, None, :, :]
    src, tgt = y < 3, (y >= 3) & (y < 6)
    return (X[src], y[src]), (X[tgt], y[tgt] - 3)


def test_training_the_head_leaves_the_frozen_layers_bit_for_bit():
    (Xs, ys), (Xt, yt) = _digits_tasks()
    model = tiny_vgg()
    Solver(model, {"X_train": Xs, "y_train": ys, "X_val": Xs[:50], "y_val": ys[:50]},
           update_rule="adam", optim_config={"learning_rate": 3e-3}, num_epochs=2,
           batch_size=32, seed=0, verbose=False).train()
    transfer.replace_head(model, 3, seed=1)
    transfer.freeze_backbone(model)
    head = transfer.head_name(model)
    before = model.state_dict()
    data = {"X_train": Xt[:60], "y_train": yt[:60], "X_val": Xt[60:], "y_val": yt[60:]}
    untrained = float(np.mean(np.argmax(model.loss(Xt[60:]), axis=1) == yt[60:]))
    solver = Solver(model, data, update_rule="adam", optim_config={"learning_rate": 1e-2},
                    num_epochs=10, batch_size=20, seed=0, verbose=False)
    solver.train()
    after = model.state_dict()
    changed = [k for k in before if not np.array_equal(before[k], after[k])]
    assert changed and all(k.startswith(head + ".") for k in changed), changed
    # The head learned: well above chance (1/3) and its random start on held-out images.
    assert solver.best_val_acc > max(0.6, untrained + 0.25), untrained


def test_solver_lr_mult_scales_each_parameter():
    (Xs, ys), _ = _digits_tasks()
    model = tiny_vgg()
    names = list(model.params)
    seen = {}

    def rule(w, dw, config):
        seen.setdefault(id(config), []).append(config["learning_rate"])
        return w, config

    data = {"X_train": Xs[:40], "y_train": ys[:40], "X_val": Xs[:10], "y_val": ys[:10]}
    first = names[0].split(".")[0]
    solver = Solver(model, data, update_rule=rule, optim_config={"learning_rate": 0.2},
                    lr_mult={first: 0.5, names[0]: 0.25}, lr_decay=0.5, num_epochs=2,
                    batch_size=20, seed=0, verbose=False)
    lrs = []
    solver.on_step.append(lambda s, info: lrs.append(info["lr"]))
    solver.train()
    expected = {p: 0.2 * (0.25 if p == names[0] else 0.5 if p.startswith(first + ".") else 1)
                for p in names}
    for p in names:
        np.testing.assert_allclose(solver.optim_configs[p]["learning_rate"],
                                   expected[p] * 0.25)  # two epoch ends of lr_decay 0.5
    assert lrs[0] == 0.2 and lrs[-1] == 0.1  # the reported rate is the unscaled one

    # With a schedule, the factor multiplies the schedule's value at each step.
    solver = Solver(model, data, update_rule=rule, schedule=Constant(0.3),
                    lr_mult={first: 0.5}, num_epochs=1, batch_size=20, seed=0, verbose=False)
    solver.train()
    assert solver.optim_configs[names[0]]["learning_rate"] == pytest.approx(0.15)
    assert solver.optim_configs[names[-1]]["learning_rate"] == pytest.approx(0.3)


def test_solver_lr_mult_errors_and_unfrozen_params():
    (Xs, ys), _ = _digits_tasks()
    data = {"X_train": Xs[:40], "y_train": ys[:40], "X_val": Xs[:10], "y_val": ys[:10]}
    model = transfer.freeze_backbone(tiny_vgg())
    with pytest.raises(ValueError, match=r"lr_mult\['0'\] matches no trainable parameter"):
        Solver(model, data, optim_config={"learning_rate": 1e-3}, lr_mult={"0": 0.1})
    head = transfer.head_name(model)
    for bad in (0, float("inf")):
        with pytest.raises(ValueError, match=r"lr_mult\[.*\] must be in \(0, inf\)"):
            Solver(model, data, optim_config={"learning_rate": 1e-3}, lr_mult={head: bad})
    with pytest.raises(ValueError, match="give the learning rate in optim_config"):
        Solver(model, data, lr_mult={head: 0.5})
    with pytest.raises(TypeError, match="lr_mult must be a dict"):
        Solver(model, data, optim_config={"learning_rate": 1e-3}, lr_mult=[head])

    solver = Solver(model, data, optim_config={"learning_rate": 1e-3}, num_epochs=1,
                    batch_size=20, verbose=False, seed=0)
    model.unfreeze()
    with pytest.raises(ValueError, match="not set up with.*make a new Solver"):
        solver.train()


def test_lr_mult_is_saved_and_fixed_on_resume(tmp_path):
    (Xs, ys), _ = _digits_tasks()
    data = {"X_train": Xs[:40], "y_train": ys[:40], "X_val": Xs[:10], "y_val": ys[:10]}
    model = tiny_vgg()
    first = transfer.layer_names(model)[0]
    solver = Solver(model, data, update_rule="adam", optim_config={"learning_rate": 1e-3},
                    lr_mult={first: 0.1}, num_epochs=1, batch_size=20, seed=0, verbose=False,
                    checkpoint_dir=tmp_path)
    solver.train()
    resumed = Solver.resume(solver.last_checkpoint, tiny_vgg(), data, num_epochs=2)
    assert resumed.lr_mult == {first: 0.1}
    for p, config in solver.optim_configs.items():
        assert resumed.optim_configs[p]["learning_rate"] == config["learning_rate"]
    with pytest.raises(ValueError, match="lr_mult"):
        Solver.resume(solver.last_checkpoint, tiny_vgg(), data, lr_mult={first: 0.5})


def test_checkpoint_from_before_lr_mult_resumes(tmp_path):
    """Format-1 files written before lr_mult existed lack the key: they resume without it."""
    from convnp import checkpoint

    (Xs, ys), _ = _digits_tasks()
    data = {"X_train": Xs[:40], "y_train": ys[:40], "X_val": Xs[:10], "y_val": ys[:10]}
    solver = Solver(tiny_vgg(), data, update_rule="adam", optim_config={"learning_rate": 1e-3},
                    num_epochs=1, batch_size=20, seed=0, verbose=False, checkpoint_dir=tmp_path)
    solver.train()
    arrays, meta = checkpoint.load(solver.last_checkpoint)
    del meta["solver"]["hyperparameters"]["lr_mult"]
    old = tmp_path / "old.npz"
    checkpoint.save(old, arrays, meta)
    resumed = Solver.resume(old, tiny_vgg(), data, num_epochs=2)
    assert resumed.lr_mult is None and resumed.epoch == 1
    resumed.train()
    assert resumed.epoch == 2


# -- the recipe on real images ------------------------------------------------------------------


@pytest.mark.slow
def test_fine_tuning_beats_training_from_scratch_on_a_small_labelled_subset():
    """CIFAR-10's first five classes (12,000 images, 3 epochs) pretrain a small vgg; the other
    five, relabelled, with 10 labelled images per class, are the new task. The pretrained
    features with a new head, then fine-tuned with the backbone at a tenth of the learning
    rate, beat the same network trained from scratch on those 50 images by a wide margin
    (seeds 0-2 when this was written: 0.62 / 0.58 / 0.56 against 0.48 / 0.50 / 0.48 on 2,500
    held-out images of the new classes)."""
    if not CIFAR_JPEG.is_dir():
        pytest.skip(f"real-data test: {CIFAR_JPEG} is absent (../shared/data from the repo root)")
    from convnp.data import load_image_folder
    from convnp.data.preprocess import Standardize

    X, y, _ = load_image_folder(CIFAR_JPEG, cache=False)
    perm = np.random.default_rng(0).permutation(len(y))
    test_idx, rest = perm[:5000], perm[5000:]
    pre = Standardize().fit(X[rest[:5000]])
    relabel = np.array([0, 1, 2, 3, 4, 0, 1, 2, 3, 4])

    def accuracy(model, idx):
        hits = [np.argmax(model.loss(pre(X[idx[i:i + 500]])), axis=1) == relabel[y[idx[i:i + 500]]]
                for i in range(0, len(idx), 500)]
        return float(np.mean(np.concatenate(hits)))

    def solve(model, idx, lr, epochs, batch_size, **kwargs):
        data = {"X_train": X[idx], "y_train": relabel[y[idx]], "X_val": X[idx[:50]],
                "y_val": relabel[y[idx[:50]]]}
        Solver(model, data, update_rule="adam", optim_config={"learning_rate": lr},
               num_epochs=epochs, batch_size=batch_size, seed=0, verbose=False,
               preprocess=pre, sampling="epoch", num_train_samples=200, **kwargs).train()

    def vgg(seed):
        return models.vgg((16, 32), num_classes=5, input_size=32, seed=seed)

    source = rest[y[rest] < 5][:12000]
    pretrained = vgg(100)
    solve(pretrained, source, 2e-3, 3, 64)
    assert accuracy(pretrained, test_idx[y[test_idx] < 5]) > 0.6

    rng = np.random.default_rng(0)
    pool = rest[y[rest] >= 5]
    few = np.concatenate([rng.permutation(pool[y[pool] == c])[:10] for c in range(5, 10)])
    target_test = test_idx[y[test_idx] >= 5]

    scratch = vgg(200)
    solve(scratch, few, 1e-3, 30, 25)

    tuned = transfer.replace_head(pretrained, 5, seed=0)
    transfer.freeze_backbone(tuned)
    frozen = {k: v for k, v in tuned.state_dict().items()
              if not k.startswith(transfer.head_name(tuned) + ".")}
    solve(tuned, few, 1e-2, 30, 25)
    assert all(np.array_equal(v, tuned.state_dict()[k]) for k, v in frozen.items())
    head_only = accuracy(tuned, target_test)
    tuned.unfreeze(*transfer.layer_names(tuned))
    solve(tuned, few, 1e-3, 15, 25, lr_mult=transfer.backbone_lr_mult(tuned, 0.1))
    fine_tuned, from_scratch = accuracy(tuned, target_test), accuracy(scratch, target_test)
    assert head_only > from_scratch
    assert fine_tuned > from_scratch + 0.04, (fine_tuned, head_only, from_scratch)


@pytest.mark.parametrize("first", ["linear", "conv"])
def test_loss_skips_the_first_layers_dx(rng, first):
    """Under loss() the first layer computes its parameters' gradients only (no dx): they are
    still exact."""
    g = np.random.default_rng(0)
    if first == "linear":
        model = nn.Sequential(nn.Linear(6, 5, rng=g, dtype=F64), nn.Tanh(),
                              nn.Linear(5, 3, rng=g, dtype=F64))
        X = rng.standard_normal((4, 6))
    else:
        model = nn.Sequential(nn.Conv2d(2, 3, 3, stride=2, rng=g, dtype=F64), nn.Tanh(),
                              nn.Flatten(), nn.Linear(3 * 2 * 2, 3, rng=g, dtype=F64))
        X = rng.standard_normal((4, 2, 6, 6))  # stride 2 over 6: a cropped border
    y = rng.integers(0, 3, 4)
    # The reference: the full backward pass of the same forward.
    scores = model(X)
    _, dscores = softmax_loss(scores, y)
    model.backward(dscores)
    expected = {k: v.copy() for k, v in model.grads.items()}
    object.__setattr__(model[0], "backward", lambda dout: pytest.fail("dx was computed"))
    loss, grads = model.loss(X, y)
    for name in expected:
        np.testing.assert_allclose(grads[name], expected[name], rtol=1e-12, atol=1e-15)


def test_a_frozen_conv_between_trainable_layers_computes_no_dw(rng, monkeypatch):
    """'No gradients computed' for frozen layers: a frozen Conv2d asks the kernel for dx and
    db only; the layers below still get exact gradients."""
    import convnp.nn.conv as conv_module

    calls = []
    real = conv_module.conv_backward_fast

    def spy(dout, cache, **kwargs):
        calls.append(kwargs)
        return real(dout, cache, **kwargs)

    def net():
        g = np.random.default_rng(0)
        return nn.Sequential(nn.Conv2d(2, 3, 3, padding=1, rng=g, dtype=F64), nn.Tanh(),
                             nn.Conv2d(3, 3, 3, padding=1, rng=g, dtype=F64), nn.Tanh(),
                             nn.Flatten(), nn.Linear(3 * 4 * 4, 4, rng=g, dtype=F64))

    X, y = batch(rng)
    reference = net().loss(X, y)[1]
    monkeypatch.setattr(conv_module, "conv_backward_fast", spy)
    model = net().freeze("2.weight")
    loss, grads = model.loss(X, y)
    assert calls == [{"need_dx": True, "need_dw": False}, {"need_dx": False, "need_dw": True}]
    assert "2.weight" not in grads and "2.bias" in grads
    for name in grads:
        np.testing.assert_allclose(grads[name], reference[name], rtol=1e-12, atol=1e-15)


def test_solver_wd_mult_scales_each_parameters_decay(tmp_path):
    """wd_mult: per-parameter weight decay factors (0 allowed), saved and fixed on resume."""
    (Xs, ys), _ = _digits_tasks()
    data = {"X_train": Xs[:40], "y_train": ys[:40], "X_val": Xs[:10], "y_val": ys[:10]}
    model = tiny_vgg()
    names = list(model.params)
    first = names[0].split(".")[0]
    solver = Solver(model, data, update_rule="nesterov",
                    optim_config={"learning_rate": 1e-2, "weight_decay": 0.1},
                    lr_mult={names[-1]: 4.0}, wd_mult={first: 0.0, names[-1]: 0.25},
                    num_epochs=1, batch_size=20, seed=0, verbose=False, checkpoint_dir=tmp_path)
    for p in names:
        want = 0.0 if p.startswith(first + ".") else 0.025 if p == names[-1] else 0.1
        assert solver.optim_configs[p]["weight_decay"] == pytest.approx(want)
    # The decay a step applies, lr * weight_decay, is unchanged where lr_mult * wd_mult == 1.
    assert (solver.optim_configs[names[-1]]["learning_rate"]
            * solver.optim_configs[names[-1]]["weight_decay"]) == pytest.approx(1e-3)
    solver.train()
    resumed = Solver.resume(solver.last_checkpoint, tiny_vgg(), data, num_epochs=2)
    assert resumed.wd_mult == {first: 0.0, names[-1]: 0.25}
    assert resumed.optim_configs[names[-1]]["weight_decay"] == pytest.approx(0.025)
    with pytest.raises(ValueError, match="wd_mult cannot be overridden"):
        Solver.resume(solver.last_checkpoint, tiny_vgg(), data, wd_mult={first: 1.0})
    with pytest.raises(ValueError, match="give the weight decay in optim_config"):
        Solver(model, data, optim_config={"learning_rate": 1e-3}, wd_mult={first: 0.5})
    with pytest.raises(ValueError, match=r"wd_mult\[.*\] must be in \[0, inf\)"):
        Solver(model, data, optim_config={"weight_decay": 1e-3}, wd_mult={first: -1})
