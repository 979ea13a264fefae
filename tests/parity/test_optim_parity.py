"""PyTorch parity (float64): every update rule against its torch.optim optimizer, step for step."""

import pytest

from convnp import optim
from tests.helpers import assert_close
from tests.parity.torch_helpers import np_, torch

TOL = 1e-12
STEPS = 10

# (rule, convnp config, torch optimizer class, torch keyword arguments)
CASES = {
    "sgd": ("sgd", {"learning_rate": 0.1}, "SGD", {"lr": 0.1}),
    "sgd_wd": ("sgd", {"learning_rate": 0.1, "weight_decay": 0.05}, "SGD",
               {"lr": 0.1, "weight_decay": 0.05}),
    "momentum": ("sgd_momentum", {"learning_rate": 0.05, "momentum": 0.9}, "SGD",
                 {"lr": 0.05, "momentum": 0.9}),
    "momentum_wd": ("sgd_momentum", {"learning_rate": 0.05, "momentum": 0.8,
                                     "weight_decay": 0.1}, "SGD",
                    {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.1}),
    "nesterov": ("nesterov", {"learning_rate": 0.05, "momentum": 0.9}, "SGD",
                 {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    "nesterov_wd": ("nesterov", {"learning_rate": 0.05, "momentum": 0.7, "weight_decay": 0.1},
                    "SGD", {"lr": 0.05, "momentum": 0.7, "nesterov": True,
                            "weight_decay": 0.1}),
    # torch's Adagrad defaults to eps=1e-10 and initial_accumulator_value=0.
    "adagrad": ("adagrad", {"learning_rate": 0.1, "epsilon": 1e-10}, "Adagrad", {"lr": 0.1}),
    "adagrad_wd": ("adagrad", {"learning_rate": 0.1, "epsilon": 1e-6, "weight_decay": 0.1},
                   "Adagrad", {"lr": 0.1, "eps": 1e-6, "weight_decay": 0.1}),
    "rmsprop": ("rmsprop", {"learning_rate": 0.01, "decay_rate": 0.9, "epsilon": 1e-8},
                "RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-8}),
    "rmsprop_defaults": ("rmsprop", {}, "RMSprop", {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8}),
    "rmsprop_wd": ("rmsprop", {"learning_rate": 0.01, "weight_decay": 0.1}, "RMSprop",
                   {"lr": 0.01, "weight_decay": 0.1}),
    "adam": ("adam", {"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6},
             "Adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}),
    "adam_defaults": ("adam", {}, "Adam", {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8}),
    "adam_wd": ("adam", {"learning_rate": 0.01, "weight_decay": 0.1}, "Adam",
                {"lr": 0.01, "weight_decay": 0.1}),
    "adamw_defaults": ("adamw", {}, "AdamW", {"lr": 1e-3, "weight_decay": 1e-2}),
    "adamw": ("adamw", {"learning_rate": 0.05, "beta1": 0.85, "beta2": 0.95, "epsilon": 1e-7,
                        "weight_decay": 0.3}, "AdamW",
              {"lr": 0.05, "betas": (0.85, 0.95), "eps": 1e-7, "weight_decay": 0.3}),
}


def run_both(rng, case, shape=(6, 5)):
    name, config, torch_cls, torch_kw = CASES[case]
    rule = optim.get(name)
    w = rng.standard_normal(shape)
    p = torch.tensor(w.copy(), dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, torch_cls)([p], **torch_kw)
    config = dict(config)
    for _ in range(STEPS):
        dw = rng.standard_normal(shape)
        w, config = rule(w, dw, config)
        p.grad = torch.from_numpy(dw.copy())
        opt.step()
    return w, config, np_(p), opt.state[p]


@pytest.mark.parametrize("case", CASES)
def test_weights_equal_torch(rng, case):
    w, _, w_torch, _ = run_both(rng, case)
    assert_close(w, w_torch, TOL, f"{case}: w after {STEPS} steps")


@pytest.mark.parametrize("case", ["momentum", "momentum_wd", "nesterov"])
def test_velocity_is_minus_lr_times_torchs_buffer(rng, case):
    # torch keeps b with b <- mu * b + g; the course keeps v = -lr * b (constant lr).
    _, config, _, state = run_both(rng, case)
    lr = CASES[case][1]["learning_rate"]
    assert_close(config["velocity"], -lr * np_(state["momentum_buffer"]), TOL, "velocity")


@pytest.mark.parametrize("case, ours, theirs", [
    ("adagrad", "cache", "sum"),
    ("rmsprop", "cache", "square_avg"),
    ("adam", "m", "exp_avg"),
    ("adam", "v", "exp_avg_sq"),
    ("adamw", "v", "exp_avg_sq"),
])
def test_state_equals_torchs(rng, case, ours, theirs):
    _, config, _, state = run_both(rng, case)
    assert_close(config[ours], np_(state[theirs]), TOL, f"{case}: {ours} vs torch's {theirs}")
    if "t" in config:
        assert config["t"] == int(state["step"]) == STEPS


def test_conv_shaped_weights(rng):
    w, _, w_torch, _ = run_both(rng, "adamw", shape=(4, 3, 3, 2))
    assert_close(w, w_torch, TOL, "adamw on a (4, 3, 3, 2) weight")
