"""convnp.solver.Solver: the course's behaviour, seeded determinism, checkpoints and exact resume,
the extensions (schedule, batch_transform, callbacks, early stopping, sampling, progress), and
overfitting 50 real CIFAR-10 images."""

import copy
import re
from pathlib import Path

import numpy as np
import pytest

from convnp import checkpoint, nn, optim, schedules
from convnp.checkpoint import CheckpointError
from convnp.classifiers import FullyConnectedNet, ThreeLayerConvNet
from convnp.layer_utils import affine_relu_backward, affine_relu_forward
from convnp.layers import affine_backward, affine_forward, softmax_loss
from convnp.solver import FreezeAfter, Solver

DATA_DIR = Path(__file__).parents[1].parent / "shared" / "data"
CIFAR_JPEG = DATA_DIR / "cifar10-jpeg" / "train"

D, C = 8, 3


def make_data(rng, n_train=60, n_val=30, d=D, classes=C):
    """Gaussian blobs, one per class: learnable, so accuracies move."""
    centers = 2.0 * rng.standard_normal((classes, d))

    def draw(n):
        y = rng.integers(0, classes, n)
        return (centers[y] + rng.standard_normal((n, d))).astype(np.float32), y

    X_train, y_train = draw(n_train)
    X_val, y_val = draw(n_val)
    return {"X_train": X_train, "y_train": y_train, "X_val": X_val, "y_val": y_val}


@pytest.fixture
def data(rng):
    return make_data(rng)


class Softmax:
    """A linear softmax classifier with the course's contract (an independent model for tests).

    ``seen`` records every training batch; ``poison_at`` makes that training call's loss NaN.
    """

    def __init__(self, d=D, classes=C, seed=0, dtype=np.float32):
        r = np.random.default_rng(seed)
        self.params = {"W": (0.01 * r.standard_normal((d, classes))).astype(dtype),
                       "b": np.zeros(classes, dtype)}
        self.seen = []
        self.poison_at = None

    def loss(self, X, y=None):
        scores, cache = affine_forward(X, self.params["W"], self.params["b"])
        if y is None:
            return scores
        self.seen.append((X.copy(), y.copy()))
        loss, dscores = softmax_loss(scores, y)
        if self.poison_at is not None and len(self.seen) == self.poison_at:
            loss = float("nan")
        _, dW, db = affine_backward(dscores, cache)
        return loss, {"W": dW, "b": db}


class TinyNet:
    """affine - relu - dropout - affine, with the nn modules' protocol for state.

    - a buffer, ``running_mean`` of the inputs, which the forward pass subtracts (so it must be
      restored for an exact resume), exposed with the params through state_dict() /
      load_state_dict(), like convnp.nn modules
    - a dropout generator held by the model (``self.dropout.rng``, one object deep)
    """

    class _Dropout:
        def __init__(self, rng, p):
            self.rng, self.p = rng, p

    def __init__(self, d=D, hidden=16, classes=C, seed=0):
        r = np.random.default_rng(seed)
        self.params = {"fc1.weight": 0.3 * r.standard_normal((d, hidden)),
                       "fc1.bias": np.zeros(hidden),
                       "fc2.weight": 0.3 * r.standard_normal((hidden, classes)),
                       "fc2.bias": np.zeros(classes)}
        self.running_mean = np.zeros(d)
        self.dropout = self._Dropout(np.random.default_rng(seed + 1000), 0.8)

    def state_dict(self):
        return {**{k: v.copy() for k, v in self.params.items()},
                "running_mean": self.running_mean.copy()}

    def load_state_dict(self, state):
        for k in self.params:
            self.params[k] = np.array(state[k])
        self.running_mean = np.array(state["running_mean"])

    def loss(self, X, y=None):
        p = self.params
        if y is not None:
            self.running_mean = 0.9 * self.running_mean + 0.1 * X.mean(axis=0)
        Xc = X - self.running_mean
        h, h_cache = affine_relu_forward(Xc, p["fc1.weight"], p["fc1.bias"])
        if y is None:
            return affine_forward(h, p["fc2.weight"], p["fc2.bias"])[0]
        mask = (self.dropout.rng.random(h.shape) < self.dropout.p) / self.dropout.p
        scores, s_cache = affine_forward(h * mask, p["fc2.weight"], p["fc2.bias"])
        loss, dscores = softmax_loss(scores, y)
        dh, dW2, db2 = affine_backward(dscores, s_cache)
        _, dW1, db1 = affine_relu_backward(dh * mask, h_cache)
        return loss, {"fc1.weight": dW1, "fc1.bias": db1, "fc2.weight": dW2, "fc2.bias": db2}


def fc_bn_dropout(seed):
    return FullyConnectedNet([20, 20], input_dim=D, num_classes=C, dropout_keep_ratio=0.8,
                             normalization="batchnorm", weight_scale=0.1,
                             rng=np.random.default_rng(seed))


QUIET = {"verbose": False}


def stop_after(epoch):
    def on_epoch(solver, info):
        if info["epoch"] == epoch:
            solver.stop_training = True
    return on_epoch


def at(path):
    """A path as a regex that matches it literally (for pytest.raises(match=...))."""
    return re.escape(str(path))


def assert_same_params(a, b):
    assert sorted(a) == sorted(b)
    for k in a:
        assert a[k].dtype == b[k].dtype, k
        assert np.array_equal(a[k], b[k]), f"{k} differs"


# -- the course's behaviour ----------------------------------------------------------------------

@pytest.mark.parametrize("n_train, batch_size, num_epochs, n_checks", [
    (60, 10, 3, 4),   # 6 iterations per epoch: after iteration 1, then at each epoch end
    (60, 100, 3, 3),  # 1 iteration per epoch: the first check is the first epoch end
])
def test_history_lengths_follow_the_course(rng, n_train, batch_size, num_epochs, n_checks):
    data = make_data(rng, n_train=n_train)
    solver = Solver(Softmax(), data, batch_size=batch_size, num_epochs=num_epochs,
                    optim_config={"learning_rate": 1e-2}, seed=0, **QUIET)
    solver.train()
    ipe = max(n_train // batch_size, 1)
    assert solver.iterations_per_epoch == ipe
    assert len(solver.loss_history) == num_epochs * ipe == solver.iteration
    assert len(solver.train_acc_history) == len(solver.val_acc_history) == n_checks
    assert solver.epoch == num_epochs
    assert all(isinstance(x, float) for x in solver.loss_history)


def test_best_params_by_val_acc_are_put_into_the_model(data):
    model = Softmax()
    solver = Solver(model, data, batch_size=10, num_epochs=4, seed=1,
                    optim_config={"learning_rate": 0.5}, **QUIET)
    solver.train()
    assert solver.best_val_acc == max(solver.val_acc_history) > 0
    assert_same_params(model.params, solver.best_params)
    assert model.params["W"] is not solver.best_params["W"]  # copies, as the course's
    # The params put back are the ones that scored best_val_acc (an independent recount).
    assert solver.check_accuracy(data["X_val"], data["y_val"]) == solver.best_val_acc


def test_restore_best_false_keeps_the_last_params(data, monkeypatch):
    # Validation accuracy falls at every check, so the best check is the first one.
    falling = iter(np.linspace(0.9, 0.1, 100))
    monkeypatch.setattr(Solver, "check_accuracy", lambda self, X, y, **kw: next(falling))
    last = {}
    model = Softmax()
    solver = Solver(model, data, batch_size=10, num_epochs=2, seed=1, restore_best=False,
                    optim_config={"learning_rate": 0.5},
                    on_step=lambda s, info: last.update({k: v.copy()
                                                         for k, v in s.model.params.items()}),
                    **QUIET)
    solver.train()
    assert not np.array_equal(last["W"], solver.best_params["W"])
    assert_same_params(model.params, last)
    with pytest.raises(TypeError, match="restore_best"):
        Solver(Softmax(), data, restore_best="no")


def test_check_first_false_skips_only_the_first_iterations_check(data):
    checked = []
    kwargs = dict(batch_size=10, num_epochs=3, seed=1, optim_config={"learning_rate": 0.5},
                  on_step=lambda s, info: checked.append(len(s.val_acc_history)), **QUIET)
    course = Solver(Softmax(), data, **kwargs)
    course.train()
    after_course, checked[:] = checked[:], []
    skip = Solver(Softmax(), data, check_first=False, **kwargs)
    skip.train()
    ipe = data["X_train"].shape[0] // 10
    assert len(course.val_acc_history) == 4 and len(skip.val_acc_history) == 3
    assert after_course[1] == 1 and checked[1] == 0  # the first step's check, or none
    assert skip.val_acc_history == course.val_acc_history[1:]
    # The checks only observe: the same training either way.
    assert skip.loss_history == course.loss_history
    assert_same_params(skip.model.params, course.model.params)
    assert len(checked) == 3 * ipe
    with pytest.raises(TypeError, match="check_first"):
        Solver(Softmax(), data, check_first="no")


def test_check_batch_size_sets_the_batches_of_the_accuracy_checks(data):
    sizes = []

    class Recording(Softmax):
        def loss(self, X, y=None):
            if y is None:
                sizes.append(X.shape[0])
            return super().loss(X, y)

    n_val = data["X_val"].shape[0]
    for check_batch_size, expected in ((None, 100), (7, 7)):
        sizes.clear()
        kw = {} if check_batch_size is None else {"check_batch_size": check_batch_size}
        solver = Solver(Recording(), data, batch_size=10, num_epochs=1, num_train_samples=20,
                        seed=1, optim_config={"learning_rate": 0.5}, **kw, **QUIET)
        solver.train()
        assert max(sizes) == min(expected, max(20, n_val))
        # Each check is in batches of that size but its last: the training subsample of 20
        # and the validation split, at the first iteration and the epoch's end.
        per_check = [-(-20 // expected), -(-n_val // expected)]
        assert len(sizes) == 2 * sum(per_check)
    with pytest.raises(ValueError, match="check_batch_size"):
        Solver(Softmax(), data, check_batch_size=0)


def test_a_checkpoint_from_before_check_first_resumes_with_the_courses_checks(tmp_path, data):
    """Files written before check_first and check_batch_size existed lack the keys: they
    resume with the course's checks (after the first step too, batches of 100)."""
    from convnp import checkpoint

    solver = Solver(Softmax(), data, batch_size=10, num_epochs=1, seed=1, check_first=False,
                    check_batch_size=7, optim_config={"learning_rate": 0.5},
                    checkpoint_dir=tmp_path, **QUIET)
    solver.train()
    arrays, meta = checkpoint.load(solver.last_checkpoint)
    hp = meta["solver"]["hyperparameters"]
    assert (hp["check_first"], hp["check_batch_size"]) == (False, 7)
    resumed = Solver.resume(solver.last_checkpoint, Softmax(), data, num_epochs=2)
    assert (resumed.check_first, resumed.check_batch_size) == (False, 7)
    del hp["check_first"], hp["check_batch_size"]
    old = tmp_path / "old.npz"
    checkpoint.save(old, arrays, meta)
    resumed = Solver.resume(old, Softmax(), data, num_epochs=2)
    assert (resumed.check_first, resumed.check_batch_size) == (True, 100)
    resumed.train()
    assert resumed.epoch == 2 and len(resumed.val_acc_history) == 2


def test_lr_decay_multiplies_every_learning_rate_once_per_epoch(data):
    solver = Solver(Softmax(), data, update_rule="sgd_momentum",
                    optim_config={"learning_rate": 0.1, "momentum": 0.9}, lr_decay=0.9,
                    batch_size=20, num_epochs=3, seed=0, **QUIET)
    seen = []
    solver.on_step.append(lambda s, info: seen.append(s.optim_configs["W"]["learning_rate"]))
    solver.train()
    expected = 0.1
    for epoch in range(3):
        assert seen[epoch * 3:(epoch + 1) * 3] == [expected] * 3  # on_step: before the decay
        expected *= 0.9
    for config in solver.optim_configs.values():
        assert config["learning_rate"] == expected
        assert "velocity" in config


def test_optim_configs_are_deep_copies(data):
    config = {"learning_rate": 1e-2, "momentum": 0.5, "velocity": np.zeros((D, C), np.float32)}
    model = Softmax()
    model.params["W2"] = np.zeros((D, C), np.float32)  # a second param of the same shape
    solver = Solver(model, data, update_rule="sgd_momentum", optim_config=config, **QUIET)
    a, b = solver.optim_configs["W"], solver.optim_configs["W2"]
    assert a == {k: v for k, v in a.items()} and a is not b and a is not config
    assert a["velocity"] is not b["velocity"] and a["velocity"] is not config["velocity"]
    config["learning_rate"] = 99.0
    assert a["learning_rate"] == 1e-2 and solver.optim_config["learning_rate"] == 1e-2


def test_update_rule_by_name_or_callable(data):
    calls = []

    def halve(w, dw, config=None):
        calls.append(sorted(config))
        return w * 0.5, config

    model = Softmax()
    w0 = model.params["W"].copy()
    after = []
    solver = Solver(model, data, update_rule=halve, batch_size=30, num_epochs=1,
                    optim_config={"tag": 1}, seed=0, **QUIET,
                    on_step=lambda s, info: after.append(s.model.params["W"].copy()))
    solver.train()
    assert len(calls) == 2 * 2 and all(c == ["tag"] for c in calls)  # 2 iterations, 2 params
    assert np.array_equal(after[0], w0 * 0.5) and np.array_equal(after[1], w0 * 0.25)

    assert Solver(Softmax(), data, update_rule="adam", **QUIET).update_rule is optim.adam
    assert Solver(Softmax(), data, update_rule=optim.rmsprop, **QUIET).update_rule_name == \
        "rmsprop"
    with pytest.raises(ValueError, match=r"Invalid update_rule 'adamm'; valid rules are \["):
        Solver(Softmax(), data, update_rule="adamm")
    with pytest.raises(TypeError, match="update_rule must be the name of a rule"):
        Solver(Softmax(), data, update_rule=3)


def test_one_step_is_the_rule_applied_to_the_batch_gradient(data):
    """One sgd update equals the update computed here by hand on the batch the model saw."""
    model = Softmax()
    w0, b0 = model.params["W"].copy(), model.params["b"].copy()
    solver = Solver(model, data, optim_config={"learning_rate": 0.3}, batch_size=60,
                    num_epochs=1, seed=4, **QUIET)
    solver.train()
    assert solver.num_iterations == 1 and len(model.seen) == 1
    X, y = model.seen[0]
    assert X.shape == (60, D)
    scores, cache = affine_forward(X, w0, b0)
    _, dscores = softmax_loss(scores, y)
    _, dW, db = affine_backward(dscores, cache)
    assert np.array_equal(model.params["W"], w0 - 0.3 * dW)
    assert np.array_equal(model.params["b"], b0 - 0.3 * db)


def test_unknown_keyword_arguments_are_refused(data):
    with pytest.raises(ValueError, match=r"unrecognized argument\(s\) \['learning_rate'\]; "
                                         r"valid keyword arguments are \[.*'batch_size'"):
        Solver(Softmax(), data, learning_rate=1e-3)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"batch_size": 0}, ValueError, "batch_size must be >= 1; got 0"),
    ({"num_epochs": -1}, ValueError, "num_epochs must be >= 0"),
    ({"lr_decay": 0.0}, ValueError, r"lr_decay must be in \(0, inf\)"),
    ({"sampling": "shuffle"}, ValueError, r"sampling must be one of \['with_replacement'"),
    ({"seed": -1}, ValueError, "seed must be >= 0"),
    ({"optim_config": [1]}, TypeError, "optim_config must be a dict"),
    ({"on_step": [print, 3]}, TypeError, "on_step must be a callable .* item 1 is int"),
    ({"batch_transform": 3}, TypeError, "batch_transform must be a callable"),
    ({"schedule": schedules.constant(0.1), "lr_decay": 0.9}, ValueError,
     "either schedule or lr_decay"),
    ({"schedule": schedules.constant(0.1), "optim_config": {"learning_rate": 0.1}},
     ValueError, "remove 'learning_rate' from optim_config"),
])
def test_bad_arguments_are_refused_by_name(data, kwargs, error, words):
    with pytest.raises(error, match=words):
        Solver(Softmax(), data, **kwargs)


def test_bad_data_and_models_are_refused(data):
    with pytest.raises(ValueError, match=r"data is missing key\(s\) \['y_val'\]"):
        Solver(Softmax(), {k: v for k, v in data.items() if k != "y_val"})
    with pytest.raises(ValueError, match="same number of examples"):
        Solver(Softmax(), dict(data, y_train=data["y_train"][:-1]))
    with pytest.raises(TypeError, match="integer labels"):
        Solver(Softmax(), dict(data, y_val=data["y_val"].astype(float)))
    with pytest.raises(TypeError, match="model must have a dict 'params' and a method loss"):
        Solver(object(), data)
    # Extra keys (the course's get_CIFAR10_data also returns X_test, y_test) are fine.
    Solver(Softmax(), dict(data, X_test=data["X_val"], y_test=data["y_val"]), **QUIET)


def test_check_accuracy_counts_correct_predictions(data):
    model = Softmax()
    solver = Solver(model, data, seed=0, **QUIET)
    X, y = data["X_val"], data["y_val"]
    expected = np.mean(np.argmax(X @ model.params["W"] + model.params["b"], axis=1) == y)
    assert solver.check_accuracy(X, y, batch_size=7) == pytest.approx(expected, abs=0)
    sub = solver.check_accuracy(X, y, num_samples=10)
    assert sub * 10 == round(sub * 10)


# -- determinism ---------------------------------------------------------------------------------

def run(model, data, **kwargs):
    kwargs = {"update_rule": "adam", "optim_config": {"learning_rate": 1e-2}, "batch_size": 10,
              "num_epochs": 3, "verbose": False, **kwargs}
    solver = Solver(model, data, **kwargs)
    solver.train()
    return solver


@pytest.mark.parametrize("sampling", ["with_replacement", "epoch"])
def test_the_same_seed_gives_the_same_run(data, sampling):
    a = run(fc_bn_dropout(0), data, seed=11, sampling=sampling)
    b = run(fc_bn_dropout(0), data, seed=11, sampling=sampling)
    c = run(fc_bn_dropout(0), data, seed=12, sampling=sampling)
    assert a.loss_history == b.loss_history
    assert a.val_acc_history == b.val_acc_history
    assert_same_params(a.model.params, b.model.params)
    assert a.loss_history != c.loss_history


def test_an_unseeded_run_draws_and_records_a_seed(data):
    a = run(Softmax(), data)
    b = run(Softmax(), data)
    assert isinstance(a.seed, int) and a.seed != b.seed
    again = run(Softmax(), data, seed=a.seed)
    assert again.loss_history == a.loss_history


def test_the_global_numpy_generator_is_never_used(data):
    before = np.random.get_state()
    run(fc_bn_dropout(0), data, seed=0, batch_transform=lambda X, y, r: (X + r.random(), y))
    after = np.random.get_state()
    assert before[0] == after[0] and np.array_equal(before[1], after[1])
    assert before[2:] == after[2:]


def test_epoch_sampling_visits_every_example_once_per_epoch(rng):
    data = make_data(rng, n_train=40)
    data["X_train"][:, 0] = np.arange(40)  # the first feature names the example
    seen = []

    def record(X, y, r):
        seen.append(X[:, 0].astype(int))
        return X, y

    run(Softmax(), data, sampling="epoch", batch_size=8, num_epochs=3, seed=0,
        batch_transform=record)
    epochs = [np.concatenate(seen[i:i + 5]) for i in range(0, 15, 5)]
    for order in epochs:
        assert sorted(order) == list(range(40))
    assert not np.array_equal(epochs[0], epochs[1])


# -- checkpoints and resume ----------------------------------------------------------------------

@pytest.mark.parametrize("sampling", ["with_replacement", "epoch"])
@pytest.mark.parametrize("stop_epoch", [1, 2])
def test_resume_fc_batchnorm_dropout_is_bit_for_bit(tmp_path, data, sampling, stop_epoch):
    kwargs = {"sampling": sampling, "seed": 3, "lr_decay": 0.9, "num_epochs": 4}
    full = run(fc_bn_dropout(0), data, **kwargs)

    stopped = run(fc_bn_dropout(0), data, checkpoint_dir=tmp_path,
                  on_epoch=stop_after(stop_epoch), **kwargs)
    assert stopped.epoch == stop_epoch and stopped.stop_reason == "callback"
    path = tmp_path / f"checkpoint_epoch_{stop_epoch}.npz"
    assert stopped.last_checkpoint == path

    # A fresh model with other initial weights and another dropout stream: all is restored.
    fresh = fc_bn_dropout(99)
    resumed = Solver.resume(path, fresh, data, verbose=False)
    assert resumed.epoch == stop_epoch and resumed.iteration == stop_epoch * 6
    resumed.train()

    assert_same_params(full.model.params, fresh.params)
    assert_same_params(full.best_params, resumed.best_params)
    for bn_full, bn_resumed in zip(full.model.bn_params, fresh.bn_params):
        assert np.array_equal(bn_full["running_mean"], bn_resumed["running_mean"])
        assert np.array_equal(bn_full["running_var"], bn_resumed["running_var"])
    assert full.loss_history == resumed.loss_history
    assert full.train_acc_history == resumed.train_acc_history
    assert full.val_acc_history == resumed.val_acc_history
    assert full.best_val_acc == resumed.best_val_acc
    for k in full.optim_configs:
        assert full.optim_configs[k]["t"] == resumed.optim_configs[k]["t"]
        assert np.array_equal(full.optim_configs[k]["m"], resumed.optim_configs[k]["m"])
    # The dropout generator goes on from the same state.
    assert np.array_equal(full.model.dropout_param["rng"].random(3),
                          fresh.dropout_param["rng"].random(3))


@pytest.mark.parametrize("check_first", [True, False])
@pytest.mark.parametrize("sampling", ["with_replacement", "epoch"])
@pytest.mark.parametrize("stop_at", [1, 8])  # the very first step; the 2nd step of epoch 2
def test_resume_from_the_middle_of_an_epoch_is_bit_for_bit(tmp_path, data, sampling, stop_at,
                                                           check_first):
    # num_train_samples < N: the accuracy checks subsample, so a skipped check would show
    # (and so would an extra one: check_first=False is stored and kept on resume).
    kwargs = {"sampling": sampling, "seed": 4, "num_epochs": 3, "num_train_samples": 20,
              "check_first": check_first}
    full = run(fc_bn_dropout(0), data, **kwargs)
    path = tmp_path / "mid.npz"

    def stop_mid_epoch(solver, info):
        if info["iteration"] == stop_at:  # 6 steps per epoch
            solver.save_checkpoint(path)
            solver.stop_training = True

    run(fc_bn_dropout(0), data, on_step=stop_mid_epoch, **kwargs)
    fresh = fc_bn_dropout(7)
    resumed = Solver.resume(path, fresh, data, verbose=False)
    assert (resumed.epoch, resumed.iteration) == ((stop_at - 1) // 6, stop_at)
    resumed.train()
    assert_same_params(full.model.params, fresh.params)
    assert full.loss_history == resumed.loss_history
    assert full.train_acc_history == resumed.train_acc_history
    assert full.val_acc_history == resumed.val_acc_history


def test_resume_refuses_a_checkpoint_from_inside_an_epochs_last_step(tmp_path, data):
    path = tmp_path / "late.npz"

    def save_at_epoch_end_step(solver, info):
        if info["iteration"] == 6:
            solver.save_checkpoint(path)

    run(Softmax(), data, on_step=save_at_epoch_end_step, seed=0, num_epochs=1)
    with pytest.raises(CheckpointError, match="'solver.iteration' is 6, outside epoch 1"):
        Solver.resume(path, Softmax(), data)


def test_resume_own_model_with_state_dict_schedule_and_augmentation(tmp_path, data):
    """A model with a buffer (state_dict) and its own Generator; stopped by num_epochs and
    resumed with num_epochs overridden; a per-iteration schedule and an rng-driven transform."""
    def jitter(X, y, r):
        return X + 0.1 * r.standard_normal(X.shape).astype(X.dtype), y

    kwargs = {"update_rule": "sgd_momentum", "optim_config": {"momentum": 0.8},
              "schedule": schedules.warmup(schedules.cosine(0.2, T=20), warmup_steps=4),
              "batch_transform": jitter, "seed": 5, "batch_size": 12}
    full = run(TinyNet(), data, num_epochs=5, **kwargs)

    run(TinyNet(), data, num_epochs=2, checkpoint_name=str(tmp_path / "tiny"), **kwargs)
    path = tmp_path / "tiny_epoch_2.npz"
    fresh = TinyNet(seed=42)
    resumed = Solver.resume(path, fresh, data, num_epochs=5, batch_transform=jitter,
                            verbose=False)
    assert resumed.schedule == kwargs["schedule"]
    resumed.train()

    assert_same_params(full.model.params, fresh.params)
    assert np.array_equal(full.model.running_mean, fresh.running_mean)
    assert full.loss_history == resumed.loss_history
    assert np.array_equal(full.model.dropout.rng.random(2), fresh.dropout.rng.random(2))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"tiny_epoch_{e}.npz" for e in range(1, 6)]


def test_resume_nn_module_with_batchnorm_and_dropout(tmp_path, data):
    """convnp.nn: params are a live view, buffers come through state_dict, and the Dropout
    module holds its generator."""
    def make(seed):
        r = np.random.default_rng(seed)
        return nn.Sequential(nn.Linear(D, 16, rng=r), nn.BatchNorm1d(16), nn.ReLU(),
                             nn.Dropout(0.8, rng=r), nn.Linear(16, C, rng=r))

    full = run(make(0), data, seed=6, num_epochs=4)
    run(make(0), data, seed=6, num_epochs=2, checkpoint_dir=tmp_path / "new" / "dir")
    path = tmp_path / "new" / "dir" / "checkpoint_epoch_2.npz"
    meta = checkpoint.read_meta(path)
    assert [g["name"] for g in meta["model"]["generators"]] == ["model._modules['3'].rng"]
    assert "buffers/1.running_var" in meta["arrays"]

    fresh = make(1)
    resumed = Solver.resume(path, fresh, data, num_epochs=4)
    resumed.train()
    assert full.loss_history == resumed.loss_history
    expected = full.model.state_dict()
    got = fresh.state_dict()
    assert list(got) == list(expected)
    for k in expected:
        assert np.array_equal(got[k], expected[k]), k


def test_what_an_epoch_callback_changes_is_in_the_checkpoint(tmp_path, data):
    def halve_lr(solver, info):
        for config in solver.optim_configs.values():
            config["learning_rate"] /= 2

    full = run(Softmax(), data, seed=9, on_epoch=halve_lr, update_rule="sgd")
    run(Softmax(), data, seed=9, on_epoch=[halve_lr, stop_after(2)], update_rule="sgd",
        checkpoint_dir=tmp_path)
    resumed = Solver.resume(tmp_path / "checkpoint_epoch_2.npz", Softmax(), data,
                            on_epoch=halve_lr)
    assert resumed.optim_configs["W"]["learning_rate"] == 1e-2 / 4
    resumed.train()
    assert full.loss_history == resumed.loss_history
    assert_same_params(full.model.params, resumed.model.params)


def test_checkpoint_contents(tmp_path, data):
    solver = run(fc_bn_dropout(0), data, checkpoint_name=str(tmp_path / "run"), num_epochs=2,
                 seed=8)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run_epoch_1.npz", "run_epoch_2.npz"]
    arrays, meta = checkpoint.load(tmp_path / "run_epoch_2.npz")
    s, m = meta["solver"], meta["model"]
    assert s["epoch"] == 2 and s["iteration"] == 12
    assert s["hyperparameters"]["update_rule"] == "adam"
    assert s["hyperparameters"]["seed"] == 8
    assert m["class"] == "convnp.classifiers.fc_net.FullyConnectedNet"
    assert [g["name"] for g in m["generators"]] == ["model.dropout_param['rng']"]
    for k in solver.model.params:
        assert f"params/{k}" in arrays and f"optim/{k}/m" in arrays
    assert np.array_equal(arrays["bn_params/0/running_mean"],
                          solver.model.bn_params[0]["running_mean"])
    assert np.array_equal(arrays["history/loss"], solver.loss_history)
    assert set(s["rngs"]) == {"batch", "sample", "transform"}


def test_resume_needs_custom_callables_again_and_keeps_the_random_stream(tmp_path, data):
    run(Softmax(), data, checkpoint_dir=tmp_path, num_epochs=1, seed=1,
        batch_transform=lambda X, y, r: (X, y))
    path = tmp_path / "checkpoint_epoch_1.npz"
    with pytest.raises(ValueError, match="custom batch_transform .* pass batch_transform="):
        Solver.resume(path, Softmax(), data)
    with pytest.raises(ValueError, match="batch_size cannot be overridden on resume"):
        Solver.resume(path, Softmax(), data, batch_size=5, batch_transform=lambda X, y, r: (X, y))
    with pytest.raises(ValueError, match=r"unrecognized argument\(s\) \['epochs'\]"):
        Solver.resume(path, Softmax(), data, epochs=3)


def _one_checkpoint(tmp_path, data, model=None):
    run(model or fc_bn_dropout(0), data, checkpoint_dir=tmp_path, num_epochs=1, seed=2)
    return tmp_path / "checkpoint_epoch_1.npz"


def test_a_truncated_checkpoint_is_refused(tmp_path, data):
    path = _one_checkpoint(tmp_path, data)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) - 100])
    with pytest.raises(CheckpointError, match=rf"{at(path)}: not a readable checkpoint"):
        Solver.resume(path, fc_bn_dropout(0), data)


def test_a_corrupted_checkpoint_is_refused(tmp_path, data):
    path = _one_checkpoint(tmp_path, data)
    raw = bytearray(path.read_bytes())
    with np.load(path) as npz:
        assert "params/W1" in npz.files
    start = re.search(rb"(?<!best_)params/W1\.npy", bytes(raw)).start()
    raw[start + 400] ^= 0xFF  # inside W1's bytes
    path.write_bytes(bytes(raw))
    with pytest.raises(CheckpointError, match=rf"{at(path)}: entry 'params/W1' is unreadable"):
        Solver.resume(path, fc_bn_dropout(0), data)


@pytest.mark.parametrize("drop, words", [
    (("solver", "epoch"), "missing key 'solver.epoch'"),
    (("solver", "rngs", "batch"), "missing key 'solver.rngs.batch'"),
    (("model", "params"), "missing key 'model.params'"),
    (("solver", "hyperparameters", "seed"), "missing key 'solver.hyperparameters.seed'"),
])
def test_a_checkpoint_missing_a_key_is_refused_naming_it(tmp_path, data, drop, words):
    path = _one_checkpoint(tmp_path, data)
    arrays, meta = checkpoint.load(path)
    node = meta
    for key in drop[:-1]:
        node = node[key]
    del node[drop[-1]]
    for key in ("format", "version", "arrays"):
        del meta[key]
    checkpoint.save(path, arrays, meta)
    with pytest.raises(CheckpointError, match=rf"{at(path)}: the checkpoint is {words}"):
        Solver.resume(path, fc_bn_dropout(0), data)


def test_a_model_that_does_not_match_is_refused_and_left_alone(tmp_path, data):
    path = _one_checkpoint(tmp_path, data)
    wider = FullyConnectedNet([20, 21], input_dim=D, num_classes=C, dropout_keep_ratio=0.8,
                              normalization="batchnorm", rng=np.random.default_rng(0))
    before = copy.deepcopy(wider.params)
    with pytest.raises(CheckpointError,
                       match=rf"{at(path)}: key 'model.params/W2' is float32 \(20, 20\) in the "
                             rf"checkpoint but float32 \(20, 21\) in the model"):
        Solver.resume(path, wider, data)
    assert_same_params(before, wider.params)

    no_bn = FullyConnectedNet([20, 20], input_dim=D, num_classes=C, dropout_keep_ratio=0.8,
                              rng=np.random.default_rng(0))
    with pytest.raises(CheckpointError, match=r"checkpoint lacks \[\] and has extra \['beta1'"):
        Solver.resume(path, no_bn, data)

    as64 = FullyConnectedNet([20, 20], input_dim=D, num_classes=C, dropout_keep_ratio=0.8,
                             normalization="batchnorm", dtype=np.float64,
                             rng=np.random.default_rng(0))
    with pytest.raises(CheckpointError, match="'model.params/W1' is float32 .* float64"):
        Solver.resume(path, as64, data)

    no_dropout = FullyConnectedNet([20, 20], input_dim=D, num_classes=C,
                                   normalization="batchnorm", rng=np.random.default_rng(0))
    with pytest.raises(CheckpointError, match=r"generator at model.dropout_param\['rng'\]"):
        Solver.resume(path, no_dropout, data)


def test_resume_refuses_other_training_data(tmp_path, data, rng):
    path = _one_checkpoint(tmp_path, data)
    other = make_data(rng, n_train=50)
    with pytest.raises(CheckpointError, match=r"'solver.data.X_train_shape' is \[60, 8\]"):
        Solver.resume(path, fc_bn_dropout(0), other)


def test_a_crash_while_writing_a_checkpoint_keeps_the_previous_one(tmp_path, data,
                                                                   monkeypatch):
    writes = []
    real_write = checkpoint._write_npz

    def crash_on_second(f, payload):
        writes.append(1)
        if len(writes) == 2:
            f.write(b"PK\x03\x04 partial")
            raise OSError("killed mid-write (simulated)")
        real_write(f, payload)

    monkeypatch.setattr(checkpoint, "_write_npz", crash_on_second)
    with pytest.raises(OSError, match="simulated"):
        run(fc_bn_dropout(0), data, checkpoint_dir=tmp_path, num_epochs=3, seed=2)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint_epoch_1.npz"]
    resumed = Solver.resume(tmp_path / "checkpoint_epoch_1.npz", fc_bn_dropout(0), data,
                            verbose=False)
    assert resumed.epoch == 1


def test_a_nan_loss_stops_training_naming_the_step_and_the_last_checkpoint(tmp_path, data):
    model = Softmax()
    model.poison_at = 14  # iteration 14 of 18: epoch 3, with 6 iterations per epoch
    with pytest.raises(FloatingPointError,
                       match=r"loss is nan at iteration 14 of 18 \(epoch 3 of 3\).*"
                             rf"last good checkpoint, '{at(tmp_path / 'checkpoint_epoch_2.npz')}', "
                             r"is intact"):
        run(model, data, checkpoint_dir=tmp_path, seed=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint_epoch_1.npz",
                                                         "checkpoint_epoch_2.npz"]
    assert all(np.isfinite(v).all() for v in model.params.values())
    resumed = Solver.resume(tmp_path / "checkpoint_epoch_2.npz", Softmax(), data,
                            verbose=False)
    resumed.train()
    assert len(resumed.loss_history) == 18

    model = Softmax()
    model.poison_at = 1
    with pytest.raises(FloatingPointError, match="iteration 1 of 18 .* no checkpoint was"):
        run(model, data, seed=0)


# -- schedule, transform, callbacks, early stopping ----------------------------------------------

def test_schedule_sets_the_learning_rate_of_every_iteration(data):
    used = []

    def sgd_recording(w, dw, config=None):
        used.append(config["learning_rate"])
        return optim.sgd(w, dw, config)

    schedule = schedules.cosine(0.1, T=18)
    solver = run(Softmax(), data, update_rule=sgd_recording, optim_config={},
                 schedule=schedule, seed=0)
    lrs = [schedule(t) for t in range(18)]
    assert used[::2] == lrs and used[1::2] == lrs  # two params, same rate
    assert solver.optim_configs["W"]["learning_rate"] == lrs[-1]


def test_batch_transform_gets_the_solvers_generator_and_feeds_the_model(data):
    calls = []

    def negate(X, y, r):
        calls.append(r)
        return -X, y

    model = Softmax()
    solver = run(model, data, batch_transform=negate, seed=0, num_epochs=1)
    assert len(calls) == 6 and all(r is solver.rngs["transform"] for r in calls)
    X_seen = np.concatenate([X for X, _ in model.seen])
    originals = {tuple(x) for x in data["X_train"]}
    assert all(tuple(-x) in originals for x in X_seen)

    with pytest.raises(TypeError, match="batch_transform must return a tuple"):
        run(Softmax(), data, batch_transform=lambda X, y, r: X)


def test_callbacks_per_step_and_per_epoch(tmp_path, data):
    steps, epochs, also = [], [], []
    solver = run(Softmax(), data, seed=0, checkpoint_dir=tmp_path,
                 on_step=lambda s, info: steps.append(info),
                 on_epoch=[lambda s, info: epochs.append(info),
                           lambda s, info: also.append(info["epoch"])])
    assert [i["iteration"] for i in steps] == list(range(1, 19))
    assert [i["epoch"] for i in steps] == [1] * 6 + [2] * 6 + [3] * 6
    assert [i["loss"] for i in steps] == solver.loss_history
    assert [i["epoch"] for i in epochs] == also == [1, 2, 3]
    assert epochs[-1]["checkpoint"] == tmp_path / "checkpoint_epoch_3.npz"
    assert epochs[-1]["val_acc"] == solver.val_acc_history[-1]

    def stop_at_8(s, info):
        if info["iteration"] == 8:
            s.stop_training = True

    stopped = run(Softmax(), data, seed=0, on_step=stop_at_8)
    assert stopped.iteration == 8 and stopped.epoch == 1 and stopped.stop_reason == "callback"


def test_early_stopping_after_patience_epochs_without_improvement(data):
    # learning_rate 0: the val accuracy never changes after the first check.
    solver = run(Softmax(), data, update_rule="sgd", optim_config={"learning_rate": 0.0},
                 num_epochs=10, early_stopping_patience=2, seed=0)
    assert solver.stop_reason == "early_stopping"
    assert solver.epoch == 3  # epoch 1 sets the best; epochs 2 and 3 do not improve it
    assert len(solver.val_acc_history) == 4


# -- output --------------------------------------------------------------------------------------

def test_verbose_false_prints_nothing(data, capsys):
    run(Softmax(), data, seed=0, early_stopping_patience=1,
        optim_config={"learning_rate": 0.0})
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_verbose_shows_the_course_lines_and_a_progress_bar(data, capsys):
    run(Softmax(), data, seed=0, verbose=True, print_every=5)
    out, err = capsys.readouterr()
    assert "(Iteration 1 / 18) loss: " in out and "(Iteration 16 / 18) loss: " in out
    assert "(Epoch 0 / 3) train acc: " in out and "(Epoch 3 / 3) train acc: " in out
    assert "18/18" in err and "loss=" in err and "lr=0.01" in err and "epoch=3" in err

    run(Softmax(), data, seed=0, verbose=True, progress_bar=False)
    out, err = capsys.readouterr()
    assert "(Epoch 3 / 3)" in out and err == ""


# -- overfitting real images (the course's sanity check) -----------------------------------------

def load_cifar_jpegs(start, per_class):
    """Images start .. start + per_class - 1 (sorted names) of each class folder, as uint8
    NHWC, with labels 0..9 in alphabetical class order (CIFAR-10's order)."""
    from PIL import Image

    images, labels = [], []
    classes = sorted(p for p in CIFAR_JPEG.iterdir() if p.is_dir())
    assert len(classes) == 10
    for label, folder in enumerate(classes):
        for file in sorted(folder.glob("*.jpg"))[start:start + per_class]:
            with Image.open(file) as im:
                images.append(np.asarray(im.convert("RGB"), dtype=np.uint8))
            labels.append(label)
    return np.stack(images), np.array(labels)


@pytest.fixture(scope="module")
def small_cifar():
    if not CIFAR_JPEG.is_dir():
        pytest.skip(f"real-data test: {CIFAR_JPEG} is absent (../shared/data from the repo root)")
    pytest.importorskip("PIL", reason="Pillow reads the JPEG files (pip install '.[test]')")
    X_train, y_train = load_cifar_jpegs(0, 5)   # 50 images, 5 per class
    X_val, y_val = load_cifar_jpegs(5, 5)       # the next 50
    mean = X_train.astype(np.float32).mean(axis=0)
    nchw = {"X_train": (X_train.astype(np.float32) - mean).transpose(0, 3, 1, 2).copy(),
            "X_val": (X_val.astype(np.float32) - mean).transpose(0, 3, 1, 2).copy(),
            "y_train": y_train, "y_val": y_val}
    assert nchw["X_train"].shape == (50, 3, 32, 32) and nchw["X_train"].dtype == np.float32
    return nchw


def test_overfit_50_images_with_a_five_layer_fully_connected_net(small_cifar):
    data = {k: v.reshape(len(v), -1) if k.startswith("X") else v for k, v in small_cifar.items()}
    model = FullyConnectedNet([100] * 4, weight_scale=1e-1, rng=np.random.default_rng(0))
    solver = Solver(model, data, update_rule="sgd", optim_config={"learning_rate": 1e-3},
                    num_epochs=20, batch_size=25, seed=0, verbose=False)
    solver.train()
    assert solver.train_acc_history[-1] == 1.0, solver.train_acc_history
    assert solver.loss_history[-1] < 0.05


@pytest.mark.slow  # about 1 s alone; several times that when the CPUs are shared
def test_overfit_50_images_with_a_three_layer_convnet(small_cifar):
    model = ThreeLayerConvNet(weight_scale=1e-2, rng=np.random.default_rng(0))
    solver = Solver(model, small_cifar, update_rule="adam",
                    optim_config={"learning_rate": 1e-3}, num_epochs=20, batch_size=25, seed=0,
                    verbose=False)
    solver.train()
    assert solver.train_acc_history[-1] == 1.0, solver.train_acc_history
    assert solver.loss_history[-1] < 0.1


def test_batch_transform_with_epoch_and_indices_is_given_them(data):
    seen = []

    def record(X, y, r, *, epoch, indices):
        seen.append((epoch, indices.copy(), X.copy()))
        return X, y

    solver = run(Softmax(), data, batch_transform=record, seed=0, num_epochs=2,
                 sampling="epoch")
    ipe = solver.iterations_per_epoch
    assert [e for e, _, _ in seen] == [0] * ipe + [1] * ipe
    for _, idx, X in seen:
        np.testing.assert_array_equal(X, data["X_train"][idx])
    # sampling='epoch': each epoch's batches are disjoint rows of X_train
    first = np.concatenate([idx for e, idx, _ in seen if e == 0])
    assert len(set(first.tolist())) == first.size


def test_preprocess_feeds_training_and_the_accuracy_checks(data):
    # Stored as float64 times 4 (exact), so pre gives back exactly the float32 data.
    stored = {k: v.astype(np.float64) * 4 if k.startswith("X") else v for k, v in data.items()}
    calls = []

    def pre(X):
        calls.append(X.dtype)
        return (X / 4).astype(np.float32)

    model = Softmax()
    solver = run(model, stored, preprocess=pre, seed=0, num_epochs=1)
    assert all(X.dtype == np.float32 for X, _ in model.seen)
    assert set(calls) == {np.dtype(np.float64)}
    # accuracy checks went through pre too: same as checking the float data directly
    checker = Solver(model, data, verbose=False, seed=1)
    assert solver.check_accuracy(stored["X_val"], data["y_val"]) == \
        checker.check_accuracy(data["X_val"], data["y_val"])
    with pytest.raises(TypeError, match="preprocess must be a callable"):
        Solver(Softmax(), data, preprocess=3)


# -- optim.Lookahead, an on_step callback --------------------------------------------------------

def _plus_one(w, dw, config):
    """An update rule that adds 1 to every weight: the Lookahead's arithmetic shows plainly."""
    return w + 1, config


def test_lookahead_average_by_hand(data):
    """decay 0.5 every step, power 0: w_t = w_0 + (t + 1) / 2 once averaging starts (step 1
    starts the average at w_0 + 1; each later step averages w_0 + (t - 1) / 2 + 1 ... )."""
    model = Softmax()
    w0 = model.params["W"].copy()
    la = optim.Lookahead(every=1, decay=0.5, power=0.0)
    seen = []
    run(model, data, update_rule=_plus_one, num_epochs=1, batch_size=len(data["y_train"]) // 4,
        on_step=[la, lambda s, info: seen.append(s.model.params["W"] - w0)])  # 4 steps
    for t, delta in enumerate(seen, start=1):
        np.testing.assert_allclose(delta, (t + 1) / 2, rtol=0, atol=1e-5)
    np.testing.assert_allclose(la.average["W"], w0 + 2.5, rtol=0, atol=1e-5)


def test_lookahead_waits_for_start_epoch_and_writes_back_at_epoch_ends(data):
    model = Softmax()
    w0 = model.params["W"].copy()
    seen = []
    la = optim.Lookahead(every=4, decay=0.5, power=1.0, start_epoch=1)
    run(model, data, update_rule=_plus_one, num_epochs=2, batch_size=10,  # 6 steps an epoch
        on_step=[la, lambda s, info: seen.append(float(s.model.params["W"][0, 0] - w0[0, 0]))])
    # Epoch 0: untouched (+1 a step). Epoch 1 (steps 7-12): step 8 starts the average at +8;
    # step 12 averages with rho = 0.5**4 * (12 / 12): +11 -> (0.0625 * 8 + 0.9375 * 12) = 11.75.
    assert seen[:8] == pytest.approx([1, 2, 3, 4, 5, 6, 7, 8], abs=1e-5)
    assert seen[8:11] == pytest.approx([9, 10, 11], abs=1e-5)
    assert seen[11] == pytest.approx(0.0625 * 8 + 0.9375 * 12, abs=1e-5)


@pytest.mark.parametrize("stop", [1, 2])  # 1: the epoch end just before start_epoch's steps
def test_lookahead_averages_batchnorm_statistics_and_resumes_exactly(tmp_path, data, stop):
    def make(seed):
        r = np.random.default_rng(seed)
        return nn.Sequential(nn.Linear(D, 16, rng=r), nn.BatchNorm1d(16), nn.ReLU(),
                             nn.Linear(16, C, rng=r))

    plain = run(make(0), data, seed=3, num_epochs=4, update_rule="nesterov")
    full = run(make(0), data, seed=3, num_epochs=4, update_rule="nesterov",
               on_step=optim.Lookahead(every=2, start_epoch=1))
    for key in ("0.weight", "1.running_mean", "1.running_var"):
        assert not np.allclose(plain.model.state_dict()[key], full.model.state_dict()[key]), key
    run(make(0), data, seed=3, num_epochs=4, update_rule="nesterov",
        on_step=optim.Lookahead(every=2, start_epoch=1), checkpoint_dir=tmp_path,
        on_epoch=stop_after(stop))
    fresh = make(1)
    la = optim.Lookahead(every=2, start_epoch=1)
    resumed = Solver.resume(tmp_path / f"checkpoint_epoch_{stop}.npz", fresh, data, num_epochs=4,
                            on_step=la)
    la.start_from(resumed)
    resumed.train()
    assert full.loss_history == resumed.loss_history
    for k, v in full.model.state_dict().items():
        assert np.array_equal(fresh.state_dict()[k], v), k


def test_lookahead_checks_its_arguments():
    for kwargs, message in [({"every": 0}, "every must be >= 1"),
                            ({"decay": 0.0}, r"decay must be in \(0, 1\]"),
                            ({"power": -1.0}, "power must be"),
                            ({"start_epoch": -1}, "start_epoch must be >= 0")]:
        with pytest.raises(ValueError, match=message):
            optim.Lookahead(**kwargs)
    assert repr(optim.Lookahead()) == "Lookahead(every=5, decay=0.95, power=3.0, start_epoch=0)"


# -- FreezeAfter: parameters frozen during training, and resuming such a run ------------------

def _frozen_first_net(seed):
    """Linear, ReLU, Linear, with the first layer's weight frozen from the start (as the
    speed runs' whitening filters)."""
    r = np.random.default_rng(seed)
    return nn.Sequential(nn.Linear(D, 16, rng=r), nn.ReLU(), nn.Linear(16, C, rng=r)).freeze(
        "0.weight")


def test_freeze_after_stops_training_the_parameters_from_the_next_epoch(data):
    names_seen = []

    def record(solver, info):  # on_step: which parameters the step updated
        names_seen.append(sorted(solver.model.params))

    reference = run(_frozen_first_net(0), data, seed=4, num_epochs=4)
    solver = run(_frozen_first_net(0), data, seed=4, num_epochs=4,
                 on_epoch=FreezeAfter(2, "0.bias"), on_step=record)
    ipe = solver.iterations_per_epoch
    assert all("0.bias" in names for names in names_seen[:2 * ipe])
    assert all("0.bias" not in names for names in names_seen[2 * ipe:])
    # Trained as the plain run for two epochs, then fixed at that value.
    at_two = run(_frozen_first_net(0), data, seed=4, num_epochs=2)
    assert np.array_equal(solver.model[0].bias, at_two.model[0].bias)
    assert not np.array_equal(reference.model[0].bias, at_two.model[0].bias)
    assert solver.loss_history[:2 * ipe] == reference.loss_history[:2 * ipe]
    assert solver.loss_history[2 * ipe:] != reference.loss_history[2 * ipe:]


@pytest.mark.parametrize("stop", [1, 2, 3])  # before, at and after the freeze
def test_resume_a_run_with_a_parameter_frozen_during_training_is_bit_for_bit(tmp_path, data,
                                                                              stop):
    full = run(_frozen_first_net(0), data, seed=5, num_epochs=4, update_rule="nesterov",
               on_epoch=FreezeAfter(2, "0.bias"))
    run(_frozen_first_net(0), data, seed=5, num_epochs=4, update_rule="nesterov",
        on_epoch=[FreezeAfter(2, "0.bias"), stop_after(stop)], checkpoint_dir=tmp_path)
    path = tmp_path / f"checkpoint_epoch_{stop}.npz"
    frozen = checkpoint.read_meta(path)["model"]["frozen"]
    assert frozen == (["0.bias", "0.weight"] if stop >= 2 else ["0.weight"])
    fresh = _frozen_first_net(1)  # built as the run was: only 0.weight frozen
    resumed = Solver.resume(path, fresh, data, num_epochs=4, on_epoch=FreezeAfter(2, "0.bias"))
    assert ("0.bias" in fresh.params) == (stop < 2)
    resumed.train()
    assert full.loss_history == resumed.loss_history
    for k, v in full.model.state_dict().items():
        assert np.array_equal(fresh.state_dict()[k], v), k
    # The frozen parameter's optimizer state stays in the configs (unfreezing goes on).
    assert set(resumed.optim_configs) == {"0.bias", "2.weight", "2.bias"}


def test_restore_best_sets_a_parameter_frozen_after_the_best_check(data):
    """best_params taken before the freeze include the now-frozen bias: restore_best sets it
    back (through set_param) with the others, so the model is the best check's."""
    def best_first(solver, info):  # make epoch 1 the best by far
        if info["epoch"] == 1:
            solver.best_val_acc = 2.0
            solver.best_params = {k: v.copy() for k, v in solver.model.params.items()}
            snapshot.update(solver.best_params)

    snapshot = {}
    solver = run(_frozen_first_net(0), data, seed=5, num_epochs=3,
                 on_epoch=[best_first, FreezeAfter(2, "0.bias")])
    assert "0.bias" not in solver.model.params
    for k, v in snapshot.items():
        assert np.array_equal(dict(solver.model.named_parameters())[k], v), k


def test_resume_refuses_a_model_frozen_where_the_run_trained(tmp_path, data):
    run(_frozen_first_net(0), data, seed=5, num_epochs=1, checkpoint_dir=tmp_path)
    path = tmp_path / "checkpoint_epoch_1.npz"
    other = _frozen_first_net(0).freeze("2.bias")
    with pytest.raises(CheckpointError, match=r"has \['2.bias'\] frozen, but the saved run "
                                              r"trained them"):
        Solver.resume(path, other, data)
    # A checkpoint naming a parameter the model lacks.
    arrays, meta = checkpoint.load(path)
    meta["model"]["frozen"] = ["0.weight", "9.bias"]
    checkpoint.save(tmp_path / "bad.npz", arrays, meta)
    with pytest.raises(CheckpointError, match=r"'model.frozen' names \['9.bias'\]"):
        Solver.resume(tmp_path / "bad.npz", _frozen_first_net(0), data)
    # best_params lacking a trainable parameter.
    arrays, meta = checkpoint.load(path)
    best = {k[len("best_params/"):] for k in arrays if k.startswith("best_params/")}
    assert "2.bias" in best
    del arrays["best_params/2.bias"]
    meta["solver"]["best_params"] = {k: v for k, v in meta["solver"]["best_params"].items()
                                     if k != "2.bias"}
    checkpoint.save(tmp_path / "nobest.npz", arrays, meta)
    with pytest.raises(CheckpointError, match=r"'solver.best_params' does not match the model: "
                                              r"it lacks \['2.bias'\]"):
        Solver.resume(tmp_path / "nobest.npz", _frozen_first_net(0), data)
    # A checkpoint from before the key: resumed as the model is built.
    arrays, meta = checkpoint.load(path)
    del meta["model"]["frozen"]
    checkpoint.save(tmp_path / "old.npz", arrays, meta)
    Solver.resume(tmp_path / "old.npz", _frozen_first_net(0), data, num_epochs=2).train()


def test_freeze_after_checks_its_arguments_and_the_model(data):
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        FreezeAfter(0, "0.bias")
    with pytest.raises(ValueError, match="names must be one or more parameter names"):
        FreezeAfter(1)
    assert repr(FreezeAfter(3, "0.bias")) == "FreezeAfter(3, '0.bias')"
    with pytest.raises(ValueError, match=r"no parameter\(s\) \['5.bias'\]"):
        run(_frozen_first_net(0), data, num_epochs=1, on_epoch=FreezeAfter(1, "5.bias"))
    with pytest.raises(ValueError, match="has no freeze"):
        run(Softmax(), data, num_epochs=1, on_epoch=FreezeAfter(1, "b"))
