"""What the experiments share: the context they run in, the Solver, subsets, tables, figures.

An experiment module has ``SUMMARY`` (one line for ``--help``), ``settings(quick, info) ->
dict`` (every number it will use, written to config.json before it starts) and ``run(ctx,
settings) -> Outcome``. ``--epochs`` replaces ``settings['epochs']`` before ``run`` sees it.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class Context:
    """Where an experiment runs: its data, preprocessing, seed and metrics log.

    - splits: a ``convnp.data.datasets.Splits`` (uint8 NHWC images, int64 labels)
    - preprocess: the training split's ``Standardize`` (uint8 NHWC -> float32 NCHW)
    - seed: the run's seed; ``seed_for(*keys)`` derives one seed per use from it
    - metrics: a MetricsLog, or None to log nothing
    - out: the run folder, for experiments that write files of their own (or None)
    """

    splits: Any
    preprocess: Any
    seed: int
    metrics: MetricsLog | None = None
    out: Path | None = None

    def seed_for(self, *keys: int | str) -> int:
        """A seed for one use (a model's init, a Solver's batches, a subset) of this run.

        Derived from (seed, *keys) by ``np.random.SeedSequence``, so uses with different keys
        get independent streams and the same keys give the same seed in every run.
        """
        words = [self.seed] + [k if isinstance(k, int) else _word(k) for k in keys]
        return int(np.random.SeedSequence(words).generate_state(1)[0])

    def rng(self, *keys: int | str) -> np.random.Generator:
        return np.random.default_rng(self.seed_for(*keys))

    @property
    def info(self):
        return self.splits.info

    @property
    def input_dim(self) -> int:
        H, W, C = self.info.image_shape
        return H * W * C


def _word(key: str) -> int:
    """A stable 32-bit number for a string key (Python's hash() changes between processes)."""
    return zlib.crc32(key.encode())


class MetricsLog:
    """metrics.jsonl of an experiment: one JSON line per epoch of every training run in it.

    Lines are those of the run folder convention with a 'run' key naming the training run
    ('adam', 'keep=0.5', ...). The file is created on the first write and flushed per line.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = None

    def write(self, record: dict) -> None:
        if self._file is None:
            self._file = open(self.path, "w", encoding="utf-8")
        self._file.write(json.dumps(record) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


@dataclass
class Outcome:
    """What an experiment returns.

    - columns: (key, header, format) per table column; format is a str.format spec ('.3f')
      or '' for text
    - rows: one dict per table row, keyed by the column keys (more keys are kept in
      results.json); a float that is not finite is written as null
    - figure: the matplotlib Figure to save as <name>.png
    - series: the curves behind the figure (lists of numbers), for results.json
    - headline: one sentence with the main finding, printed under the table
    - files: other files the experiment wrote into ``ctx.out``
    """

    columns: list[tuple[str, str, str]]
    rows: list[dict]
    figure: Any
    series: dict = field(default_factory=dict)
    headline: str = ""
    files: list[Path] = field(default_factory=list)


@dataclass
class History:
    """The record of one Solver run: per-iteration losses and per-epoch accuracies."""

    label: str
    loss: list[float]
    epochs: list[int]
    epoch_loss: list[float]
    train_acc: list[float]
    val_acc: list[float]
    diverged: bool = False

    @property
    def final_train_acc(self) -> float:
        return self.train_acc[-1] if self.train_acc else float("nan")

    @property
    def final_val_acc(self) -> float:
        return self.val_acc[-1] if self.val_acc else float("nan")

    @property
    def best_val_acc(self) -> float:
        return max(self.val_acc) if self.val_acc else float("nan")

    @property
    def final_loss(self) -> float:
        return self.epoch_loss[-1] if self.epoch_loss else float("nan")

    def to_dict(self) -> dict:
        return {"epochs": self.epochs, "loss": [_finite(v) for v in self.loss],
                "epoch_loss": [_finite(v) for v in self.epoch_loss],
                "train_acc": self.train_acc, "val_acc": self.val_acc, "diverged": self.diverged}


def train(ctx: Context, model, data: dict, label: str, *, epochs: int, batch_size: int,
          update_rule: str, optim_config: dict, seed_key: str = "batches",
          allow_divergence: bool = False, lr_mult: dict | None = None) -> History:
    """Train model on data with the Solver (verbose off, the context's preprocess); return
    the History read from its epoch ends.

    The Solver's seed is ``ctx.seed_for(seed_key)``: runs that share a seed_key and a training
    set see the same minibatches. Accuracies are the Solver's epoch-end checks (train on up to
    1000 examples, val on all); epoch_loss is the mean loss of the epoch's steps.

    With allow_divergence, a non-finite loss ends the run (History.diverged) instead of
    raising, and NumPy's overflow warnings are silenced for it: the batchnorm experiment
    drives plain nets into overflow on purpose. lr_mult is the Solver's (per-layer learning
    rate factors).
    """
    from ...solver import Solver

    hist = History(label, [], [], [], [], [])

    def on_epoch(solver, info):
        per_epoch = solver.iterations_per_epoch
        loss = float(np.mean(solver.loss_history[-per_epoch:]))
        hist.epochs.append(int(info["epoch"]))
        hist.epoch_loss.append(loss)
        hist.train_acc.append(float(info["train_acc"]))
        hist.val_acc.append(float(info["val_acc"]))
        if ctx.metrics is not None:
            ctx.metrics.write({"type": "epoch", "run": label, "epoch": int(info["epoch"]),
                               "iteration": int(info["iteration"]), "loss": _finite(loss),
                               "train_acc": float(info["train_acc"]),
                               "val_acc": float(info["val_acc"]), "lr": info["lr"]})

    solver = Solver(model, data, update_rule=update_rule, optim_config=dict(optim_config),
                    num_epochs=epochs, batch_size=batch_size,
                    preprocess=ctx.preprocess, seed=ctx.seed_for(seed_key), on_epoch=on_epoch,
                    verbose=False, lr_mult=lr_mult)
    if not allow_divergence:
        solver.train()
    else:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            try:
                solver.train()
            except FloatingPointError:
                hist.diverged = True
    hist.loss = list(solver.loss_history)
    return hist


def subset(X: np.ndarray, y: np.ndarray, n: int | None, rng: np.random.Generator
           ) -> tuple[np.ndarray, np.ndarray]:
    """n examples of (X, y) drawn without replacement (all of them, in order, for None or
    n >= len(y)); the drawn indices are sorted, so the subset keeps the stored order."""
    if n is None or n >= y.shape[0]:
        return X, y
    idx = np.sort(rng.choice(y.shape[0], n, replace=False))
    return X[idx], y[idx]


def per_class(y: np.ndarray, classes, k: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of k examples of each class in classes (fewer where a class has fewer)."""
    picks = [rng.permutation(np.flatnonzero(y == c))[:k] for c in classes]
    return np.sort(np.concatenate(picks))


def solver_data(ctx: Context, n_train: int | None, n_val: int | None, key: str) -> dict:
    """The Solver's data dict: n_train training and n_val validation examples of the context's
    splits (None: all), drawn with ``ctx.rng(key)``."""
    rng = ctx.rng(key)
    X_train, y_train = subset(ctx.splits.X_train, ctx.splits.y_train, n_train, rng)
    X_val, y_val = subset(ctx.splits.X_val, ctx.splits.y_val, n_val, rng)
    return {"X_train": X_train, "y_train": y_train, "X_val": X_val, "y_val": y_val}


def smooth(values, window: int) -> np.ndarray:
    """Running mean over the last ``window`` values (fewer at the start), same length."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0 or window <= 1:
        return v
    c = np.cumsum(np.insert(v, 0, 0.0))
    idx = np.arange(1, v.size + 1)
    lo = np.maximum(idx - window, 0)
    return (c[idx] - c[lo]) / (idx - lo)


def figure(width: float, height: float):
    """A matplotlib Figure (constrained layout), drawn later by the Agg canvas; no pyplot."""
    from matplotlib.figure import Figure

    from ..plots import DPI
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _finite(value):
    """value as a float, or None when it is NaN or infinite (JSON has no NaN)."""
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def jsonable(obj):
    """obj with numpy scalars and arrays as Python numbers and lists, non-finite floats None."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _finite(obj)
    return obj


def format_cell(value, spec: str) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "-"
    if spec and isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return format(value, spec)
    return str(value)


def markdown_table(columns: list[tuple[str, str, str]], rows: list[dict]) -> str:
    """The rows as a Markdown table with the columns' headers; numbers right-aligned."""
    cells = [[format_cell(r.get(key), spec) for key, _, spec in columns] for r in rows]
    headers = [h for _, h, _ in columns]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headers)]
    numeric = [bool(spec) for _, _, spec in columns]

    def line(items):
        padded = [s.rjust(w) if num else s.ljust(w)
                  for s, w, num in zip(items, widths, numeric)]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if num else ("-" * (w + 2))
                          for w, num in zip(widths, numeric)) + "|"
    return "\n".join([line(headers), rule] + [line(c) for c in cells])
