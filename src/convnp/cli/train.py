"""``convnp train``: train a model on a dataset and write a run folder.

With no arguments it trains a small VGG-style CNN on the embedded 8x8 digits, offline, in a few
seconds, and prints the test accuracy and the run folder. The run folder (see README) holds
config.json, metrics.jsonl, checkpoints/last.npz and best.npz, model.npz + model.json,
predictions.npz, the plots and report.html.

Ctrl-C stops after the current step and writes checkpoints/last.npz, which ``--resume RUN``
continues (a second Ctrl-C stops at once; the last epoch's checkpoint is intact).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import math
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import classifiers, models, nn, optim, schedules
from . import _common
from ._common import UsageError

# The course's classifiers, by the names the CLI takes.
COURSE_MODELS = {"fc_net": "FullyConnectedNet", "two_layer_net": "TwoLayerNet",
                 "three_layer_convnet": "ThreeLayerConvNet"}
MODEL_NAMES = tuple(models.NAMES) + tuple(COURSE_MODELS)
SCHEDULE_NAMES = ("constant", "cosine", "one_cycle", "linear", "triangle")
AUGMENT_NAMES = ("flip", "alt-flip", "crop", "translate", "cutout")
# --recipe NAME: preset options (a config file and flags still override them): the CIFAR-10
# speed runs' network and training (airbench94), sized for 2 CPU cores. With the airbench
# model a recipe also sets its first layer to the training patches' whitening filters and
# keeps it fixed, keeps the batch norms' scales at 1, starts the first C filters of each 3x3
# conv as identities, scales the head's weights by 1/9 (models.airbench_speedrun_init) and,
# with an SGD rule (sgd, sgd_momentum, nesterov), uses airbench's parameter groups
# (airbench_param_mults: batch-norm shifts at 64x the learning rate, the head at 1/81). Another
# --optimizer drops the groups and the preset's momentum. airbench's hyperparameters are per
# 1024 examples of a summed loss: lr 11.5 / (1024 * (1 + 1 / (1 - 0.85))) = 1.4647e-3 per
# example, so 0.375 for a mean loss over 256; weight decay 0.0153 per 1024 examples at that
# lr gives a coupled 1.33e-3. On a folder each recipe trains on 45,000 of CIFAR-10's 50,000
# training images and measures on the 5,000 validation images (no test split held out; the
# model keeps the last epoch's weights); benchmarks/RESULTS.md has their times and accuracies.
_SPEED_RUN = {"model": "airbench", "batch_size": 256, "optimizer": "nesterov", "momentum": 0.85,
              "lr": 0.375, "weight_decay": 1.33e-3, "schedule": "triangle",
              "augment": "alt-flip,translate", "label_smoothing": 0.2, "val_split": 5000,
              "test_split": 0, "lookahead": True, "tta": True, "whiten_bias_epochs": 3}
RECIPES = {
    # airbench at half width, 2 epochs: at least 80% in 5 minutes, on a 2-core zen3 too
    # (0.8042 and 0.8180 in 4.8 and 4.7 minutes; 3 epochs: 0.83 in 7.2 minutes there).
    "quick": {**_SPEED_RUN, "model_args": {"widths": [32, 128, 128]}, "epochs": 2},
    # airbench at full width, 11 epochs: at least 90% in 30 minutes (10 gave 0.9012 and 0.8986).
    "fast": {**_SPEED_RUN, "model_args": {"widths": [64, 256, 256]}, "epochs": 11},
}
_MOMENTUM_RULES = ("sgd_momentum", "nesterov")
_SGD_RULES = ("sgd", *_MOMENTUM_RULES)
# Digits are 8x8: the zoo's default widths are for 32x32 CIFAR images.
_SMALL_DEFAULTS = {"vgg": {"widths": [32, 64]}, "resnet": {"depth": 8, "width": 8},
                   "three_layer": {"num_filters": 16, "filter_size": 3, "hidden_dim": 64},
                   "airbench": {"widths": [32, 64]}}


@dataclass
class TrainConfig:
    """Every option of ``convnp train``; config.json holds the resolved values.

    Fields (units and defaults):
    - data: dataset spec, 'digits' | 'cifar10' | 'mnist' | 'fashion-mnist' | 'folder:PATH'
    - data_dir: where the downloadable datasets are (default $CONVNP_DATA or ~/.convnp/data)
    - image_size: folders only: resize every image to this many pixels square (None: as is)
    - model: a zoo name (three_layer, notes_cnn, deep_cnn, vgg, resnet) or a course classifier
      (fc_net, two_layer_net, three_layer_convnet)
    - model_args: extra keyword arguments of the model function, e.g. {"widths": [32, 64]}
    - epochs: passes over the training split
    - batch_size: images per step
    - optimizer: an update rule of convnp.optim (sgd, sgd_momentum, nesterov, adagrad, rmsprop,
      adam, adamw)
    - lr: the learning rate (the peak for one_cycle)
    - weight_decay: L2 coefficient (coupled; decoupled for adamw)
    - schedule: constant | cosine (to 0 at the end) | one_cycle | linear (to 0 at the end) |
      triangle (airbench's: linear from 0.2 lr up to lr at 23% of the steps, then linear down to
      0.07 lr), per step
    - momentum: the momentum of sgd_momentum / nesterov (None: the rule's default, 0.9)
    - augment: comma-separated list of flip, alt-flip, crop (pad 1/8 of the size), translate
      (pad 2), cutout ('' for none)
    - label_smoothing: eps in [0, 1) of the cross-entropy (zoo models)
    - recipe: None or a name of RECIPES: preset values of the other options, and for airbench
      the whitened, frozen first layer and frozen batch-norm scales
    - val_split: fraction (0, 1) or count of the training data held out for validation
    - test_split: sources without a test set (digits, a single folder): fraction or count held
      out as test; 0 holds none out, and the final evaluation is then on the validation split
      (None: 0.2, get_dataset's TEST_FRACTION)
    - lookahead: average the weights as airbench (``optim.Lookahead``: every 5 steps, decay
      0.95, from 30% of the epochs on)
    - tta: the final evaluation averages the scores of each image, its mirror and its 1-pixel
      diagonal moves with their mirrors (airbench94's test-time augmentation)
    - whiten_bias_epochs: a recipe's airbench only: train the first (whitening) layer's bias
      for this many epochs, then freeze it (``solver.FreezeAfter``; the recipes: 3, as
      airbench); None or 0 trains it throughout. Once it is frozen the backward pass stops at
      the first 3x3 conv (the whitening weights are frozen from the start).
    - seed: int >= 0; None draws one, which is logged in config.json
    - dtype: float32 or float64
    - out: the run folder (default runs/<time>-<data>-<model>)
    - log_every: steps between 'step' lines of metrics.jsonl
    - tensorboard: also write TensorBoard event files into out/tensorboard
    """

    data: str = "digits"
    data_dir: str | None = None
    image_size: int | None = None
    model: str = "vgg"
    model_args: dict = field(default_factory=dict)
    epochs: int = 12
    batch_size: int = 64
    optimizer: str = "adam"
    lr: float = 3e-3
    weight_decay: float = 5e-4
    schedule: str = "one_cycle"
    augment: str = ""
    val_split: float = 0.1
    seed: int | None = 0
    dtype: str = "float32"
    out: str | None = None
    log_every: int = 10
    tensorboard: bool = False
    label_smoothing: float = 0.0
    recipe: str | None = None
    test_split: float | None = None
    momentum: float | None = None
    lookahead: bool = False
    tta: bool = False
    whiten_bias_epochs: int | None = None

    def check(self) -> TrainConfig:
        """Validate every value (a config file's too); UsageError naming the flag."""
        def flag(name: str) -> str:
            return "--" + name.replace("_", "-")

        def is_int(v) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        def is_number(v) -> bool:
            return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

        for name in ("data", "model", "optimizer", "schedule", "dtype"):
            if not isinstance(getattr(self, name), str):
                raise UsageError(f"{flag(name)}: expected a string; got {getattr(self, name)!r}")
        for name in ("data_dir", "out"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                raise UsageError(f"{flag(name)}: expected a path; got {getattr(self, name)!r}")
        if isinstance(self.augment, (list, tuple)):  # a config file may give a list
            self.augment = ",".join(str(a) for a in self.augment)
        if not isinstance(self.augment, str):
            raise UsageError(f"--augment: expected a comma-separated string; "
                             f"got {self.augment!r}")
        if self.model not in MODEL_NAMES:
            raise UsageError(f"--model: unknown model {self.model!r}; choose one of "
                             f"{', '.join(MODEL_NAMES)}")
        if self.optimizer not in optim.RULES:
            raise UsageError(f"--optimizer: unknown update rule {self.optimizer!r}; choose one "
                             f"of {', '.join(optim.RULES)}")
        if self.schedule not in SCHEDULE_NAMES:
            raise UsageError(f"--schedule: unknown schedule {self.schedule!r}; choose one of "
                             f"{', '.join(SCHEDULE_NAMES)}")
        bad = [a for a in _augment_names(self.augment) if a not in AUGMENT_NAMES]
        if bad:
            raise UsageError(f"--augment: unknown augmentation(s) {bad}; choose from "
                             f"{', '.join(AUGMENT_NAMES)}, comma-separated")
        if self.dtype not in ("float32", "float64"):
            raise UsageError(f"--dtype: expected float32 or float64; got {self.dtype!r}")
        if not isinstance(self.model_args, dict):
            raise UsageError(f"model_args must be a JSON object; got {self.model_args!r}")
        for name in ("epochs", "batch_size", "log_every"):
            value = getattr(self, name)
            if not is_int(value) or value < 1:
                raise UsageError(f"{flag(name)}: expected an integer >= 1; got {value!r}")
        if self.image_size is not None and (not is_int(self.image_size) or self.image_size < 1):
            raise UsageError(f"--image-size: expected an integer >= 1; got {self.image_size!r}")
        for name in ("lr", "weight_decay"):
            value = getattr(self, name)
            if not is_number(value) or value < 0 or (name == "lr" and value == 0):
                raise UsageError(f"{flag(name)}: expected a finite number "
                                 f"{'> 0' if name == 'lr' else '>= 0'}; got {value!r}")
        v = self.val_split
        if not is_number(v) or not (0 < v < 1 or (v >= 1 and v == int(v))):
            raise UsageError(f"--val-split: expected a fraction in (0, 1) or a count >= 1; "
                             f"got {v!r}")
        if v >= 1:
            self.val_split = int(v)
        if self.seed is not None and (not is_int(self.seed) or self.seed < 0):
            raise UsageError(f"--seed: expected an integer >= 0; got {self.seed!r}")
        ls = self.label_smoothing
        if not is_number(ls) or not 0 <= ls < 1:
            raise UsageError(f"--label-smoothing: expected a number in [0, 1); got {ls!r}")
        if ls and self.model in COURSE_MODELS:
            raise UsageError(f"--label-smoothing: the course's {self.model} has plain "
                             f"cross-entropy; use a zoo model")
        if self.recipe is not None and self.recipe not in RECIPES:
            raise UsageError(f"--recipe: unknown recipe {self.recipe!r}; choose one of "
                             f"{', '.join(RECIPES)}")
        for name in ("tensorboard", "lookahead", "tta"):
            if not isinstance(getattr(self, name), bool):
                raise UsageError(f"{flag(name)}: expected true or false; got "
                                 f"{getattr(self, name)!r}")
        t = self.test_split
        if t is not None and not (is_number(t) and (t == 0 or 0 < t < 1
                                                    or (t >= 1 and t == int(t)))):
            raise UsageError(f"--test-split: expected 0, a fraction in (0, 1) or a count >= 1; "
                             f"got {t!r}")
        if t is not None and (t == 0 or t >= 1):
            self.test_split = int(t)
        wb = self.whiten_bias_epochs
        if wb is not None:
            if not is_int(wb) or wb < 0:
                raise UsageError(f"--whiten-bias-epochs: expected an integer >= 0; got {wb!r}")
            if wb == 0:
                self.whiten_bias_epochs = None  # 0: trained throughout
            elif self.model != "airbench" or self.recipe is None:
                raise UsageError(f"--whiten-bias-epochs: only a --recipe's airbench model has "
                                 f"a whitening layer; the model is {self.model} and the "
                                 f"recipe {self.recipe}")
        m = self.momentum
        if m is not None:
            if self.optimizer not in _MOMENTUM_RULES:
                raise UsageError(f"--momentum: only sgd_momentum and nesterov take a momentum; "
                                 f"the optimizer is {self.optimizer}")
            if not is_number(m) or not 0 <= m < 1:
                raise UsageError(f"--momentum: expected a number in [0, 1); got {m!r}")
        return self


def _augment_names(text: str) -> list[str]:
    return [a.strip() for a in (text or "").split(",") if a.strip()]


_FIELDS = {f.name for f in dataclasses.fields(TrainConfig)}


def read_config_file(path: str) -> dict[str, Any]:
    """Options from a TOML or JSON file (keys as the flags, '-' or '_'); UsageError if bad."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise UsageError(f"--config: no such file: {p}")
    text = p.read_text()
    try:
        if p.suffix.lower() == ".toml":
            import tomllib
            raw = tomllib.loads(text)
        else:
            raw = json.loads(text)
    except ValueError as exc:  # json.JSONDecodeError and tomllib.TOMLDecodeError
        raise UsageError(f"--config: {p} is not valid {p.suffix.lstrip('.').upper() or 'JSON'}:"
                         f" {exc}") from None
    if not isinstance(raw, dict):
        raise UsageError(f"--config: {p} must hold a table/object of options")
    options = {k.replace("-", "_"): v for k, v in raw.items()}
    unknown = sorted(set(options) - _FIELDS)
    if unknown:
        raise UsageError(f"--config: {p} has unknown option(s) {unknown}; valid: "
                         f"{sorted(_FIELDS)}")
    return options


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "train", help="train a model and write a run folder",
        description="Train a model on a dataset; write a run folder with config.json, "
                    "metrics.jsonl, checkpoints, the final model, plots and report.html.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  convnp train                          # small CNN on the embedded digits\n"
               "  convnp train --data cifar10 --model resnet --epochs 30 --augment crop,flip\n"
               "  convnp train --data folder:~/pets --image-size 32 --config run.toml\n"
               "  convnp train --resume runs/20261124-101500-digits-vgg --epochs 20\n"
               "  convnp train --recipe quick --data folder:../shared/data/cifar10-jpeg/train")
    a = p.add_argument
    # Defaults are None so that a config file's value wins over an absent flag.
    a("--data", help="digits | cifar10 | mnist | fashion-mnist | folder:PATH (default digits)")
    a("--data-dir", help="where cifar10/mnist live (default $CONVNP_DATA or ~/.convnp/data)")
    a("--image-size", type=_common.positive_int, help="folders: resize images to N x N pixels")
    a("--model", help=f"one of {', '.join(MODEL_NAMES)} (default vgg)")
    a("--model-arg", action="append", metavar="KEY=VALUE", dest="model_arg",
      help="model keyword argument, VALUE as JSON, e.g. widths=[32,64] (repeatable)")
    a("--epochs", type=_common.positive_int, help="passes over the training data (default 12)")
    a("--batch-size", type=_common.positive_int, help="images per step (default 64)")
    a("--optimizer", help=f"one of {', '.join(optim.RULES)} (default adam)")
    a("--lr", type=_common.positive_float, help="learning rate (default 3e-3)")
    a("--weight-decay", type=_common.nonnegative_float, help="L2 coefficient (default 5e-4)")
    a("--momentum", type=_common.nonnegative_float,
      help="momentum of sgd_momentum / nesterov (default 0.9)")
    a("--lookahead", action=argparse.BooleanOptionalAction, default=None,
      help="average the weights every 5 steps from 30%% of the epochs on (airbench's "
           "Lookahead)")
    a("--schedule", help=f"one of {', '.join(SCHEDULE_NAMES)} (default one_cycle)")
    a("--augment", help=f"comma-separated: {', '.join(AUGMENT_NAMES)} (default none)")
    a("--val-split", type=_common.split_value, help="fraction or count held out (default 0.1)")
    a("--test-split", type=_common.test_split_value,
      help="sources without a test set: fraction or count held out as test; 0: none, the "
           "final evaluation is on the validation split (default 0.2)")
    a("--seed", type=_common.nonnegative_int, help="random seed (default 0)")
    a("--dtype", choices=("float32", "float64"), help="parameter dtype (default float32)")
    a("--out", help="run folder (default runs/<time>-<data>-<model>)")
    a("--log-every", type=_common.positive_int, help="steps per metrics line (default 10)")
    a("--label-smoothing", type=float, help="cross-entropy label smoothing in [0, 1) (default 0)")
    a("--whiten-bias-epochs", type=_common.nonnegative_int, metavar="N",
      help="with a --recipe's airbench: train the whitening layer's bias for N epochs, then "
           "freeze it (the recipes: 3; 0: never)")
    a("--tta", action=argparse.BooleanOptionalAction, default=None,
      help="final evaluation with airbench's test-time augmentation (mirrors, 1-pixel "
           "moves)")
    a("--recipe", choices=tuple(RECIPES),
      help="preset options for CIFAR-10 (flags and --config override its values): quick = "
           "the speed runs' network at half width, 2 epochs; fast = full width, 11 epochs")
    a("--tensorboard", action=argparse.BooleanOptionalAction, default=None,
      help="also write TensorBoard event files (needs: pip install 'convnp[tensorboard]')")
    a("--resume", metavar="RUN", help="continue the run in this folder from its last checkpoint")
    a("--config", metavar="FILE", help="TOML or JSON file with these options (flags win)")
    a("--quiet", action="store_true", help="no progress bar or epoch table")
    return p


def _parse_model_args(items) -> dict:
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--model-arg: expected KEY=VALUE; got {item!r}")
        try:
            out[key] = json.loads(value)
        except ValueError:
            out[key] = value  # a bare word, e.g. normalization=batchnorm
    return out


def resolve_config(args) -> TrainConfig:
    """Defaults <- the recipe's presets <- config file <- flags, checked."""
    options: dict[str, Any] = {}
    if args.config:
        options.update(read_config_file(args.config))
    for name in _FIELDS - {"model_args"}:
        value = getattr(args, name, None)
        if value is not None:
            options[name] = value
    recipe = options.get("recipe")
    if isinstance(recipe, str) and recipe in RECIPES:
        preset = dict(RECIPES[recipe])
        if options.get("optimizer", preset["optimizer"]) not in _MOMENTUM_RULES:
            preset.pop("momentum", None)  # the preset's is for its own optimizer
        if options.get("model", preset["model"]) != "airbench":
            preset.pop("whiten_bias_epochs", None)  # airbench's whitening layer only
        options = {**preset, **options,
                   "model_args": {**preset.get("model_args", {}),
                                  **options.get("model_args", {})}}
    margs = _parse_model_args(args.model_arg)
    if margs:
        options["model_args"] = {**options.get("model_args", {}), **margs}
    try:
        return TrainConfig(**options).check()
    except TypeError as exc:
        raise UsageError(str(exc)) from None


# -- building the pieces -----------------------------------------------------------------------

def build_model(cfg: TrainConfig, info):
    """The model cfg names, sized for the dataset info (channels, image size, classes)."""
    H, W, C = info.image_shape
    K = info.num_classes
    dtype = np.dtype(cfg.dtype)
    kwargs = dict(cfg.model_args)
    try:
        if cfg.model in COURSE_MODELS:
            cls = getattr(classifiers, COURSE_MODELS[cfg.model])
            rng = np.random.default_rng(cfg.seed)
            if cfg.model == "three_layer_convnet":
                kwargs.setdefault("input_dim", (C, H, W))
                kwargs.setdefault("weight_scale", 1e-2)
            else:
                kwargs.setdefault("input_dim", C * H * W)
            if cfg.model == "fc_net":
                kwargs.setdefault("hidden_dims", [100, 100])
                return cls(num_classes=K, dtype=dtype, seed=cfg.seed, **kwargs)
            return cls(num_classes=K, dtype=dtype, rng=rng, **kwargs)
        if H != W:
            raise UsageError(f"--model {cfg.model}: the zoo models take square images; the "
                             f"data is {H}x{W} (use --image-size for folders)")
        if H <= 16:
            for k, v in _SMALL_DEFAULTS.get(cfg.model, {}).items():
                kwargs.setdefault(k, v)
        model = models.get(cfg.model, in_channels=C, num_classes=K, input_size=H,
                           seed=cfg.seed, dtype=dtype, **kwargs)
        model.label_smoothing = cfg.label_smoothing
        if cfg.recipe is not None and cfg.model == "airbench":
            # Identity-initialised convs, the scaled head (the weights of a resumed run come
            # from its checkpoint); freezing is not saved: applied here, so --resume gets it.
            models.airbench_speedrun_init(model)
            model.freeze(*models.airbench_fixed_parameters(model))
        return model
    except (TypeError, ValueError) as exc:
        raise UsageError(f"--model {cfg.model}: {exc}") from None


def build_schedule(cfg: TrainConfig, total_steps: int):
    T = max(total_steps, 1)
    if cfg.schedule == "cosine":
        return schedules.Cosine(cfg.lr, T)
    if cfg.schedule == "one_cycle":
        return schedules.OneCycle(cfg.lr, T)
    if cfg.schedule == "linear":
        return schedules.Linear(cfg.lr, T)
    if cfg.schedule == "triangle":
        W = min(max(round(0.23 * T), 1), T - 1) if T > 1 else 0
        return schedules.Warmup(schedules.Linear(cfg.lr, max(T - W, 1), 0.07 * cfg.lr), W,
                                start_factor=0.2)
    return None


def build_augment(cfg: TrainConfig, info):
    """The Solver batch_transform for cfg.augment, or None."""
    from ..data import augment as A

    names = _augment_names(cfg.augment)
    if not names:
        return None
    H, W = info.image_shape[:2]
    steps = []
    for name in names:
        if name == "flip":
            steps.append(A.RandomFlip())
        elif name == "alt-flip":
            steps.append(A.AlternatingFlip(seed=cfg.seed or 0))
        elif name == "crop":
            steps.append(A.RandomCrop((H, W), padding=max(1, min(H, W) // 8),
                                      padding_mode="reflect"))
        elif name == "translate":
            steps.append(A.RandomCrop((H, W), padding=2, padding_mode="reflect"))
        elif name == "cutout":
            steps.append(A.Cutout(max(1, min(H, W) // 4)))
    return AugmentTransform(A.Compose(steps))


class AugmentTransform:
    """Adapts a convnp.data.augment transform to the Solver's batch_transform signature."""

    def __init__(self, transform) -> None:
        self.transform = transform

    def __call__(self, X, y, rng, *, epoch=0, indices=None):
        return self.transform(X, rng, epoch=epoch, indices=indices), y


# -- the run -----------------------------------------------------------------------------------

class MetricsLog:
    """metrics.jsonl: one JSON object per line, flushed as written."""

    def __init__(self, path: Path, keep_until_iteration: int | None = None) -> None:
        self.path = path
        if keep_until_iteration is not None and path.exists():
            # A resumed run: drop what was logged after the checkpoint (it is redone).
            from .plots import read_metrics
            kept = [r for r in read_metrics(path)
                    if r.get("type") in ("step", "epoch")
                    and r.get("iteration", 0) <= keep_until_iteration]
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text("".join(json.dumps(r) + "\n" for r in kept))
            os.replace(tmp, path)
        self._f = open(path, "a", encoding="utf-8")

    def write(self, record: dict) -> None:
        self._f.write(json.dumps(record) + "\n")
        self._f.flush()

    def close(self) -> None:
        self._f.close()


class _Interrupt:
    """SIGINT: the first asks training to stop after this step; the second stops at once."""

    def __init__(self) -> None:
        self.requested = False
        self._old = None

    def __enter__(self):
        def handler(signum, frame):
            if self.requested:
                raise KeyboardInterrupt
            self.requested = True
        try:
            self._old = signal.signal(signal.SIGINT, handler)
        except ValueError:  # not the main thread: leave Ctrl-C alone
            self._old = None
        return self

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)
        return False


class _Progress:
    """The live bar (epoch, step, loss, accuracy, lr, images/s, time left) and epoch table."""

    def __init__(self, total: int, initial: int, quiet: bool, batch_size: int) -> None:
        from tqdm import tqdm
        self.quiet = quiet
        self.batch_size = batch_size
        self.bar = None if quiet else tqdm(total=total, initial=initial, unit="step",
                                           file=sys.stderr, dynamic_ncols=True,
                                           bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} "
                                                      "[{elapsed}<{remaining}{postfix}]")
        self.acc = None
        self.header_done = False

    def step(self, info: dict, images_per_s: float) -> None:
        if self.bar is None:
            return
        acc = "-" if self.acc is None else f"{self.acc:.3f}"
        lr = "-" if info["lr"] is None else f"{info['lr']:.2e}"
        self.bar.set_postfix_str(f"epoch {info['epoch']} step {info['iteration']} loss "
                                 f"{info['loss']:.4f} val_acc {acc} lr {lr} "
                                 f"{images_per_s:.0f} img/s", refresh=False)
        self.bar.update(1)

    def epoch(self, row: dict) -> None:
        self.acc = row["val_acc"]
        if self.quiet:
            return
        lines = []
        if not self.header_done:
            lines.append(f"{'epoch':>5} {'loss':>8} {'train_acc':>9} {'val_acc':>8} "
                         f"{'lr':>9} {'img/s':>7} {'time':>7}")
            self.header_done = True
        lr = "-" if row["lr"] is None else f"{row['lr']:.2e}"
        lines.append(f"{row['epoch']:>5} {row['loss']:>8.4f} {row['train_acc']:>9.4f} "
                     f"{row['val_acc']:>8.4f} {lr:>9} {row['images_per_s']:>7.0f} "
                     f"{row['time']:>6.1f}s")
        for line in lines:
            self.bar.write(line, file=sys.stdout)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _default_out(cfg: TrainConfig) -> Path:
    data = cfg.data.replace("folder:", "folder-").replace("/", "_").replace("~", "")
    return _common.new_run_dir(f"{data[:40]}-{cfg.model}")


def run(args, parser) -> int:
    if args.resume:
        return _resume(args)
    cfg = resolve_config(args)
    if cfg.seed is None:
        cfg.seed = int(np.random.SeedSequence().entropy % (2**32))
    out = Path(cfg.out).expanduser() if cfg.out else _default_out(cfg)
    if (out / "config.json").exists():
        if (out / "checkpoints" / "last.npz").exists() or (out / "model.npz").exists():
            raise UsageError(f"--out: {out} already holds a run; use --resume {out} to "
                             f"continue it or choose another folder")
        # A run that stopped before its first epoch end left nothing to resume: start over.
        (out / "metrics.jsonl").unlink(missing_ok=True)
    return _start(cfg, out, _load_data(cfg), quiet=args.quiet)


def train_folder(cfg: TrainConfig, out: Path, splits=None, *, quiet: bool = True,
                 epoch_hook=None) -> int:
    """Train cfg into the run folder out in this process, as ``convnp train`` does.

    For ``convnp sweep``'s trials. A folder holding checkpoints/last.npz is continued from it
    (as ``--resume``); otherwise a new run starts there. splits: the data (a
    ``convnp.data.Splits``), or None to load what cfg names. epoch_hook(row), when given, is
    called after each epoch's checkpoints are written, with the epoch's metrics.jsonl record;
    returning True stops training there and finishes the run folder as a run that ended (test
    evaluation, model.npz with the best parameters or, without a test split, the last epoch's,
    plots, report). Returns 0 when the run
    folder is finished; raises as ``convnp train`` does (UsageError, FloatingPointError, ...).
    """
    from ..kernels import hold_freed_memory
    hold_freed_memory()  # a sweep's trial processes do not start in the CLI's main()
    out = Path(out)
    splits = _load_data(cfg) if splits is None else splits
    last = out / "checkpoints" / "last.npz"
    if not last.is_file():
        (out / "metrics.jsonl").unlink(missing_ok=True)
        return _start(cfg, out, splits, quiet=quiet, epoch_hook=epoch_hook)
    return _train(cfg, out, splits, build_model(cfg, splits.info), resume_from=last, quiet=quiet,
                  epoch_hook=epoch_hook)


def _start(cfg: TrainConfig, out: Path, splits, quiet: bool, epoch_hook=None) -> int:
    """A new run of cfg in out on splits: config.json, then training."""
    model = build_model(cfg, splits.info)
    if cfg.recipe is not None and cfg.model == "airbench":
        whiten_first_layer(model, splits, cfg.seed)
    out.mkdir(parents=True, exist_ok=True)
    config = {**dataclasses.asdict(cfg), "out": str(out), "dataset": splits.info.to_dict(),
              "num_parameters": int(sum(np.asarray(v).size for v in model.params.values())),
              "splits": {"train": int(splits.X_train.shape[0]), "val": int(splits.X_val.shape[0]),
                         "test": int(splits.X_test.shape[0])},
              "versions": _common.versions(), "blas_threads": _common.blas_threads(),
              "created": datetime.datetime.now().isoformat(timespec="seconds")}
    _common.write_json(out / "config.json", config)
    return _train(cfg, out, splits, model, resume_from=None, quiet=quiet, epoch_hook=epoch_hook)


def build_param_mults(cfg: TrainConfig, model) -> tuple[dict | None, dict | None]:
    """(lr_mult, wd_mult) for the Solver: airbench's parameter groups for a recipe's airbench
    model under an SGD rule (they assume SGD's steps, proportional to lr * gradient), no
    wd_mult without weight decay; (None, None) otherwise."""
    if cfg.recipe is None or cfg.model != "airbench" or cfg.optimizer not in _SGD_RULES:
        return None, None
    lr_mult, wd_mult = models.airbench_param_mults(model)
    return lr_mult, wd_mult if cfg.weight_decay else None


def build_check_args(cfg: TrainConfig) -> dict:
    """The Solver's accuracy checks as convnp train runs them: only at epoch ends (the first
    iteration's check is never recorded), in batches as large as the training's, or the
    course's 100 if that is more."""
    return {"check_first": False, "check_batch_size": max(cfg.batch_size, 100)}


def build_lookahead(cfg: TrainConfig) -> optim.Lookahead | None:
    """--lookahead's optim.Lookahead (airbench's settings) from 30% of the epochs on, or None."""
    return optim.Lookahead(start_epoch=cfg.epochs * 3 // 10) if cfg.lookahead else None


def build_on_epoch(cfg: TrainConfig, on_epoch) -> list:
    """The Solver's on_epoch callbacks: --whiten-bias-epochs' FreezeAfter (first: it runs
    before on_epoch writes the epoch's checkpoints, so they hold the frozen set), then
    on_epoch."""
    from ..solver import FreezeAfter
    if cfg.whiten_bias_epochs is None:
        return [on_epoch]
    return [FreezeAfter(cfg.whiten_bias_epochs, "0.bias"), on_epoch]


def whiten_first_layer(model, splits, seed: int, n: int = 5000) -> None:
    """Set an airbench model's first layer to the whitening filters of the 2x2 patches of n
    training images drawn with seed (the split is stored class by class: its first n images
    would be one or two classes), standardized as training sees them."""
    N = splits.X_train.shape[0]
    idx = np.sort(np.random.default_rng(seed).choice(N, min(n, N), replace=False))
    standardize = _common.for_model(splits.standardize(), model)
    nn.init.patch_whitening(model[0].weight, standardize(splits.X_train[idx]))


def _load_data(cfg: TrainConfig):
    from ..data.datasets import get_dataset
    try:
        return get_dataset(cfg.data, data_dir=cfg.data_dir, val_split=cfg.val_split,
                           seed=cfg.seed, size=cfg.image_size, test_split=cfg.test_split)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"--data {cfg.data}: {exc}") from None


def _resume(args) -> int:
    run_dir = Path(args.resume).expanduser()
    config_path = run_dir / "config.json"
    last = run_dir / "checkpoints" / "last.npz"
    if not config_path.is_file():
        raise UsageError(f"--resume: {run_dir} is not a convnp run folder (no config.json)")
    if not last.is_file():
        raise UsageError(f"--resume: {run_dir} has no checkpoints/last.npz to continue from")
    saved = json.loads(config_path.read_text())
    options = {k: v for k, v in saved.items() if k in _FIELDS}
    if args.epochs is not None:
        options["epochs"] = args.epochs
    changed = [f"--{n.replace('_', '-')}" for n in sorted(_FIELDS - {"epochs", "model_args"})
               if getattr(args, n, None) is not None]
    if changed or args.config or args.model_arg:
        raise UsageError(f"--resume continues a run as configured (only --epochs may change); "
                         f"got {', '.join(changed + (['--config'] if args.config else []))}")
    cfg = TrainConfig(**options).check()
    splits = _load_data(cfg)
    model = build_model(cfg, splits.info)
    from ..checkpoint import read_meta
    done = read_meta(last)["solver"]["iteration"]
    ipe = max(splits.X_train.shape[0] // cfg.batch_size, 1)
    if cfg.epochs * ipe <= done:
        raise UsageError(f"--epochs {cfg.epochs}: the run has already done {done} steps "
                         f"({done / ipe:g} epochs of {ipe} steps); give more epochs")
    saved["epochs"] = cfg.epochs
    saved.setdefault("resumed", []).append(datetime.datetime.now().isoformat(timespec="seconds"))
    _common.write_json(config_path, saved)
    return _train(cfg, run_dir, splits, model, resume_from=last, quiet=args.quiet)


def _train(cfg: TrainConfig, out: Path, splits, model, resume_from: Path | None,
           quiet: bool, epoch_hook=None) -> int:
    from ..solver import Solver

    info = splits.info
    preprocess = _common.for_model(splits.standardize(), model)
    ckpt_dir = out / "checkpoints"
    ckpt_dir.mkdir(exist_ok=True)
    ipe = max(splits.X_train.shape[0] // cfg.batch_size, 1)
    schedule = build_schedule(cfg, cfg.epochs * ipe)
    optim_config = {"weight_decay": cfg.weight_decay} if cfg.weight_decay else {}
    if schedule is None:
        optim_config["learning_rate"] = cfg.lr
    if cfg.momentum is not None:
        optim_config["momentum"] = cfg.momentum
    lr_mult, wd_mult = build_param_mults(cfg, model)
    lookahead = build_lookahead(cfg)
    start_time = time.perf_counter()
    state = {"last_time": start_time, "last_iter": 0, "epoch_losses": [], "t0": 0.0,
             "rate": None, "best_epoch_acc": -1.0}
    tb = _tensorboard(out) if cfg.tensorboard else None

    def on_step(solver, info_):
        now = time.perf_counter()
        dt = max(now - state["last_time"], 1e-9)
        rate = cfg.batch_size * (info_["iteration"] - state["last_iter"]) / dt
        # An exponential average, so an epoch end's accuracy check does not make the bar jump.
        state["rate"] = rate if state["rate"] is None else 0.9 * state["rate"] + 0.1 * rate
        state["last_time"], state["last_iter"] = now, info_["iteration"]
        state["epoch_losses"].append(info_["loss"])
        progress.step(info_, state["rate"])
        if info_["iteration"] % cfg.log_every == 0:
            log.write({"type": "step", "epoch": info_["epoch"], "iteration": info_["iteration"],
                       "loss": info_["loss"], "lr": info_["lr"],
                       "time": round(state["t0"] + now - start_time, 4)})
            if tb is not None:
                tb.add_scalar("loss", info_["loss"], info_["iteration"])
                if info_["lr"] is not None:
                    tb.add_scalar("lr", info_["lr"], info_["iteration"])
        if interrupt.requested:
            # Saved here, before train() ends by copying the best params into the model. An
            # epoch's last step is saved by on_epoch, which runs next.
            if info_["iteration"] % ipe:
                solver.save_checkpoint(ckpt_dir / "last.npz")
            solver.stop_training = True

    epoch_start = {"time": start_time, "iteration": 0}

    def on_epoch(solver, info_):
        now = time.perf_counter()
        steps = info_["iteration"] - epoch_start["iteration"]
        row = {"type": "epoch", "epoch": info_["epoch"], "iteration": info_["iteration"],
               "loss": float(np.mean(state["epoch_losses"])) if state["epoch_losses"] else None,
               "train_acc": info_["train_acc"], "val_acc": info_["val_acc"], "lr": info_["lr"],
               "time": round(state["t0"] + now - start_time, 4),
               "images_per_s": round(cfg.batch_size * steps / max(now - epoch_start["time"],
                                                                   1e-9), 1)}
        epoch_start.update(time=now, iteration=info_["iteration"])
        state["epoch_losses"] = []
        log.write(row)
        progress.epoch(row)
        if tb is not None:
            for key in ("train_acc", "val_acc"):
                tb.add_scalar(key, row[key], row["epoch"])
        # best.npz: the epoch end with the highest validation accuracy so far. Written before
        # last.npz, so solver.last_checkpoint names the file --resume continues from.
        if info_["val_acc"] > state["best_epoch_acc"]:
            state["best_epoch_acc"] = info_["val_acc"]
            solver.save_checkpoint(ckpt_dir / "best.npz")
        solver.save_checkpoint(ckpt_dir / "last.npz")
        if epoch_hook is not None and epoch_hook(row):
            solver.stop_training = True  # train() ends here; the run is finished as usual

    solver_kwargs = dict(update_rule=cfg.optimizer, optim_config=optim_config,
                         num_epochs=cfg.epochs, batch_size=cfg.batch_size, verbose=False,
                         sampling="epoch", preprocess=preprocess,
                         batch_transform=build_augment(cfg, info), schedule=schedule,
                         on_step=on_step if lookahead is None else [lookahead, on_step],
                         on_epoch=build_on_epoch(cfg, on_epoch),
                         # No test split: the final evaluation is on the validation split, so
                         # the model keeps the last epoch's parameters, which it did not choose.
                         restore_best=bool(splits.y_test.shape[0]), **build_check_args(cfg))
    if resume_from is None:
        solver = Solver(model, splits.solver_data(), seed=cfg.seed, lr_mult=lr_mult,
                        wd_mult=wd_mult, **solver_kwargs)
        log = MetricsLog(out / "metrics.jsonl")
    else:
        for fixed in ("optim_config",):
            solver_kwargs.pop(fixed)
        solver = Solver.resume(resume_from, model, splits.solver_data(), **solver_kwargs)
        if lookahead is not None:
            lookahead.start_from(solver)
        log = MetricsLog(out / "metrics.jsonl", keep_until_iteration=solver.iteration)
        state["last_iter"] = epoch_start["iteration"] = solver.iteration
        epochs = [r for r in _read(out / "metrics.jsonl") if r.get("type") == "epoch"]
        state["t0"] = epochs[-1]["time"] if epochs else 0.0
        state["best_epoch_acc"] = max((r["val_acc"] for r in epochs), default=-1.0)
        # A mid-epoch checkpoint: the epoch's mean loss includes the steps before it.
        state["epoch_losses"] = list(solver.loss_history[solver.epoch * ipe:solver.iteration])
    progress = _Progress(solver.num_iterations, solver.iteration, quiet, cfg.batch_size)
    try:
        with _Interrupt() as interrupt:
            try:
                solver.train()
            finally:
                progress.close()
            if interrupt.requested:
                log.close()
                print(f"interrupted at step {solver.iteration} of {solver.num_iterations}; "
                      f"checkpoint written. Continue with: convnp train --resume {out}",
                      file=sys.stderr)
                return 130
    except KeyboardInterrupt:
        log.close()
        print(f"interrupted; the last epoch's checkpoint is {ckpt_dir / 'last.npz'}. "
              f"Continue with: convnp train --resume {out}", file=sys.stderr)
        return 130
    except FloatingPointError as exc:
        log.close()
        last = ckpt_dir / "last.npz"
        where = (f"the last epoch's checkpoint {last} is intact"
                 if last.exists() else "no epoch had finished, so there is nothing to resume")
        step = str(exc).split(";")[0].removeprefix("Solver: ")
        raise FloatingPointError(f"{step}; {where}; try a smaller --lr") from exc
    if tb is not None:
        tb.close()

    finish_run(out, model, splits, preprocess, log, tta=cfg.tta)
    log.close()
    test = _read(out / "metrics.jsonl")[-1]
    print(f"{test['split']} accuracy {test['accuracy']:.4f} ({test['num_samples']} images"
          f"{', with TTA' if test.get('tta') else ''}); run folder {out}")
    return 0


def _read(path: Path) -> list[dict]:
    from .plots import read_metrics
    return read_metrics(path)


def _tensorboard(out: Path):
    try:
        from tensorboardX import SummaryWriter
    except ImportError:
        raise UsageError("--tensorboard needs the tensorboardX package: "
                         "pip install 'convnp[tensorboard]'") from None
    return SummaryWriter(str(out / "tensorboard"))


def finish_run(out: Path, model, splits, preprocess, log: MetricsLog, k: int = 8,
               tta: bool = False) -> None:
    """Test evaluation, model file, predictions, plots and the report of a finished run.

    Without a test split (--test-split 0) the final evaluation is on the validation split,
    and the 'test' record says so (split 'val'); the model then has the last epoch's
    parameters (the validation accuracy did not choose them).
    """
    from . import plots, report

    info = splits.info
    split = "test" if splits.X_test.shape[0] else "val"
    X_eval, y_eval = ((splits.X_test, splits.y_test) if split == "test"
                      else (splits.X_val, splits.y_val))
    metrics, probs = _common.evaluate(model, X_eval, y_eval, preprocess, info.num_classes,
                                      tta=tta)
    log.write({"type": "test", "split": split, "tta": tta,
               "tta_scheme": _common.TTA_SCHEME if tta else None, **metrics,
               "classes": list(info.classes)})
    inner = getattr(preprocess, "inner", preprocess)
    from .. import io
    io.save(model, out / "model.npz", dataset=info, preprocess=inner,
            extra={"test_accuracy": metrics["accuracy"]}, write_json=True)

    pred = probs.argmax(axis=1)
    conf = probs[np.arange(pred.shape[0]), pred]
    right = np.flatnonzero(pred == y_eval)
    wrong = np.flatnonzero(pred != y_eval)
    best = right[np.argsort(-conf[right], kind="stable")[:k]]
    worst = wrong[np.argsort(-conf[wrong], kind="stable")[:k]]
    idx = np.concatenate([best, worst])
    tmp = out / "predictions.tmp.npz"
    np.savez(tmp, images=X_eval[idx], label=y_eval[idx], pred=pred[idx],
             prob=conf[idx].astype(np.float32),
             kind=np.r_[np.zeros(best.size, np.int8), np.ones(worst.size, np.int8)])
    os.replace(tmp, out / "predictions.npz")

    weights = first_conv_weights(model)
    if weights is not None:
        plots.plot_filters(weights, out / "filters.png")
    report.render_report(out)


def first_conv_weights(model) -> np.ndarray | None:
    """The first 4-D weight of the model (F, C, HH, WW), or None for a fully connected one."""
    if callable(getattr(model, "state_dict", None)):
        for key, value in model.state_dict().items():
            if key.endswith("weight") and value.ndim == 4:
                return value
        return None
    W1 = model.params.get("W1")
    return W1 if W1 is not None and W1.ndim == 4 else None
