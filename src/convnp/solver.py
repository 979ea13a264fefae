"""The Solver: trains any model with the course's contract, with checkpoints that resume exactly.

A model has ``model.params`` (a dict of arrays, updated by item assignment) and
``model.loss(X, y=None)``: scores without labels, ``(loss, grads)`` with labels, grads keyed
like params. The course's classifiers and convnp's nn models both qualify. The course usage runs
unchanged::

    solver = Solver(model, data, update_rule='sgd', optim_config={'learning_rate': 1e-3},
                    lr_decay=0.95, num_epochs=10, batch_size=100, print_every=100)
    solver.train()
    solver.best_val_acc, solver.loss_history, solver.val_acc_history

What the course's ``cs231n/solver.py`` does, this does: minibatch SGD with any update rule from
``convnp.optim`` (by name) or any callable ``rule(w, dw, config) -> (next_w, config)``; one
config per parameter (a deep copy of optim_config); ``lr_decay`` multiplies every config's
'learning_rate' at each epoch end; train accuracy (on num_train_samples examples) and validation
accuracy are checked after the first iteration, at each epoch end and after the last iteration;
the best parameters by validation accuracy are copied back into ``model.params`` at the end of
``train()``. Unknown keyword arguments raise ValueError.

Where convnp differs from the course, and why:

- Randomness: the Solver owns ``np.random.SeedSequence(seed)`` and spawns three generators from
  it, ``rngs['batch']`` (minibatch order), ``rngs['sample']`` (the accuracy subsample) and
  ``rngs['transform']`` (passed to batch_transform). NumPy's global generator is never used. A
  run without ``seed`` draws one from the OS and keeps it in ``solver.seed``, so any run can be
  repeated. The model's own generators (e.g. FullyConnectedNet's dropout
  ``dropout_param['rng']``) stay the model's; checkpoints save and restore their states.
- The accuracy subsample is drawn without replacement (the course draws with replacement, so it
  may count an example twice).
- Checkpoints are ``<checkpoint_name>_epoch_<epoch>.npz`` (the course pickles to ``.pkl``), one
  file per epoch end, written atomically; see ``convnp.checkpoint`` for the format and
  ``save_checkpoint`` for the contents. The course also writes one after the first iteration;
  here train() writes them at epoch ends. ``save_checkpoint`` may also be called from an
  on_step callback (e.g. on Ctrl-C): the epoch's batch order is saved with it, so
  ``Solver.resume`` continues exactly from any iteration.
- A NaN or infinite loss raises FloatingPointError before the weights are updated, naming the
  iteration, the epoch and the last checkpoint written (untouched).
- A progress bar (tqdm, on stderr) when verbose; the course's lines go to stdout through it.

Keyword arguments beyond the course's:

- seed: int >= 0 or None (drawn). See above.
- schedule: a ``convnp.schedules`` Schedule (or any callable of the iteration) used instead of
  lr_decay. It is applied *per iteration*: the step with index t (0-based, counted across
  epochs) uses ``learning_rate = schedule(t)`` for every parameter. Give the learning rate
  through the schedule only: schedule with lr_decay != 1, or with 'learning_rate' in
  optim_config, raises ValueError. For the course's per-epoch decay use lr_decay, or
  ``schedules.exponential`` in steps: ``step(lr0, step_size=iterations_per_epoch, gamma)``.
- batch_transform: callable ``(X_batch, y_batch, rng) -> (X_batch, y_batch)`` applied to every
  training minibatch (augmentation), with ``rng = solver.rngs['transform']``. Never applied to
  the accuracy checks. A batch_transform that also takes the keyword arguments ``epoch``
  (0-based) and ``indices`` (the rows of X_train in the batch) is given them: the
  derandomised ``convnp.data.augment.AlternatingFlip`` needs both.
- preprocess: callable ``X_batch -> model input`` applied to every batch the model sees, in
  training (after batch_transform) and in the accuracy checks. It lets X_train and X_val stay as
  stored (uint8 NHWC images) and become float32 NCHW per batch, e.g.
  ``convnp.data.preprocess.Standardize``; without it X goes to the model as it is.
- on_step, on_epoch: a callable ``f(solver, info)`` or a list of them. on_step runs after every
  update with info ``{'iteration', 'num_iterations', 'epoch', 'loss', 'lr'}`` (iteration counts
  steps done, from 1; epoch is the epoch the step belongs to, from 1). on_epoch runs at every
  epoch end, after the accuracy check and before the checkpoint (so what a callback changes,
  a learning rate say, is saved, and a resumed run starts from it), with info ``{'epoch',
  'iteration', 'train_acc', 'val_acc', 'best_val_acc', 'lr', 'checkpoint'}`` (checkpoint: the
  path about to be written, or None). A callback stops training by setting
  ``solver.stop_training = True``; the current iteration finishes first (its epoch end,
  on_epoch and checkpoint included if it ends an epoch). Return values are ignored.
- early_stopping_patience: int >= 1 or None. Training stops at the end of the epoch in which
  the best validation accuracy has not improved for this many epoch ends in a row.
  ``solver.stop_reason`` is then 'early_stopping' ('callback' after a callback's stop).
- sampling: 'with_replacement' (the course's: each minibatch is batch_size random indices,
  drawn with replacement) or 'epoch' (a fresh permutation each epoch, cut into
  iterations_per_epoch minibatches; the N % batch_size examples left over differ each epoch).
- checkpoint_dir: a directory (created if missing) for the checkpoints; the file names are
  ``<checkpoint_name or 'checkpoint'>_epoch_<epoch>.npz``. Without it, checkpoint_name is a
  path prefix, as in the course.
- progress_bar: False keeps verbose's printed lines but shows no bar (e.g. in log files).
- lr_mult: a dict ``{prefix: factor}`` scaling the learning rate of some parameters, e.g.
  ``{'0': 0.1, '3': 0.1}`` to fine-tune the first layers ten times slower than the rest (the
  notes' transfer-learning recipe, ``convnp.transfer``). A prefix is a parameter name or a
  module name ('3' covers '3.weight' and '3.bias', '3.block' covers '3.block.0.weight', ...);
  the longest matching prefix wins, other parameters get 1. The factor applies to
  ``optim_config['learning_rate']`` (which must then be given) or to the schedule's value;
  lr_decay keeps the ratios. A prefix that matches no trainable parameter, or a factor that
  is not > 0, raises ValueError. The reported 'lr' is the unscaled one.
- wd_mult: a dict ``{prefix: factor}`` scaling ``optim_config['weight_decay']`` (which must
  then be given) per parameter, with lr_mult's prefix rules; factors may be 0 (no decay).
  With lr_mult it sets the decay a step applies independently of the learning rate: the
  CIFAR-10 speed runs' batch-norm shifts learn 64 times faster with the same decay per step,
  ``lr_mult={p: 64}, wd_mult={p: 1 / 64}`` (``convnp train --recipe``).
- restore_best: True (the course's) ends ``train()`` by copying the best check's parameters
  into the model; False keeps the last ones, for when the validation split is also the final
  measure and so must not choose the parameters (``convnp train --test-split 0``).
- check_first: True (the course's) checks the accuracies after the first iteration as well as
  at every epoch end and the last iteration; False skips that first check (``convnp train``
  records only the epochs' checks, and at the CIFAR-10 speed runs' widths the first costs
  5-15 s of a run). Histories then hold one entry per epoch end (and the last iteration).
- check_batch_size: the batches of those checks, 100 as the course's ``check_accuracy``.
  Larger batches run faster (the CIFAR-10 speed run's network at full width: 354 images/s
  at 100, 410 at 256); ``convnp train`` passes its training batch size (whose memory the run
  already needs) where that is over 100.

``verbose=False`` prints nothing at all.
"""

from __future__ import annotations

import copy
import inspect
import math
import os
import platform
import sys
import types
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from . import __version__, _validate, checkpoint, optim, schedules
from .checkpoint import CheckpointError

__all__ = ["CheckpointError", "FreezeAfter", "Solver"]

# The course's keyword arguments and defaults, then convnp's. optim_config None means {}.
_COURSE_ARGS: dict[str, Any] = {
    "update_rule": "sgd",
    "optim_config": None,
    "lr_decay": 1.0,
    "batch_size": 100,
    "num_epochs": 10,
    "num_train_samples": 1000,
    "num_val_samples": None,
    "checkpoint_name": None,
    "print_every": 10,
    "verbose": True,
}
_EXTRA_ARGS: dict[str, Any] = {
    "seed": None,
    "schedule": None,
    "batch_transform": None,
    "preprocess": None,
    "on_step": None,
    "on_epoch": None,
    "early_stopping_patience": None,
    "sampling": "with_replacement",
    "checkpoint_dir": None,
    "progress_bar": True,
    "lr_mult": None,
    "wd_mult": None,
    "restore_best": True,
    "check_first": True,
    "check_batch_size": 100,
}
_ARGS = {**_COURSE_ARGS, **_EXTRA_ARGS}
# Stored in a checkpoint's header (callbacks are observers and are not).
_STORED_ARGS = tuple(k for k in _ARGS if k not in ("on_step", "on_epoch"))
# Hyperparameters added after checkpoint format 1 was fixed: a file written before them lacks
# the key and gets this value (what those runs had).
_ADDED_ARGS = {"lr_mult": None, "wd_mult": None, "restore_best": True, "check_first": True,
               "check_batch_size": 100}
# They define the run's random stream and the iteration <-> epoch mapping; optim_config is
# superseded by the restored per-parameter configs.
_FIXED_ON_RESUME = ("seed", "batch_size", "sampling", "optim_config", "lr_mult",
                    "wd_mult")
_SAMPLINGS = ("with_replacement", "epoch")
_RNG_NAMES = ("batch", "sample", "transform")
_DATA_KEYS = ("X_train", "y_train", "X_val", "y_val")
# How deep the search for the model's Generators goes (attributes, dict keys, list items).
_MAX_DEPTH = 16


class FreezeAfter:
    """Freeze parameters once some epochs are done: a Solver ``on_epoch`` callback.

    At the end of epoch ``epochs`` (1-based: after that many passes) the named parameters are
    frozen (``Module.freeze(name)``): from the next step on they get no gradient and no
    update, and ``loss`` stops the backward pass at the first layer that still trains. The
    CIFAR-10 speed runs (airbench) train the whitening layer's bias for 3 epochs this way.
    Runs before the epoch's checkpoint, which records the frozen set; ``Solver.resume`` freezes
    them again. Callbacks are not saved in checkpoints: pass the FreezeAfter to
    ``Solver.resume`` again (a checkpoint from before the freeze needs it to freeze at all),
    and list it before any callback that saves checkpoints, so that theirs hold the freeze
    (``convnp train`` does both). Idempotent: a parameter already frozen is left alone. The
    names are checked at the first epoch end.

    Args:
        epochs (int): epochs to train the parameters for (>= 1)
        names (str): dotted parameter names, '0.bias', ...

    Raises ValueError (at the first epoch end) if the model has no such parameter or no
    ``freeze``.

    Example::

        Solver(model, data, on_epoch=FreezeAfter(3, "0.bias"), ...).train()
    """

    def __init__(self, epochs: int, *names: str) -> None:
        fn = "FreezeAfter"
        self.epochs = _validate.integer(epochs, "epochs", fn, minimum=1)
        if not names or not all(isinstance(n, str) and n for n in names):
            raise ValueError(f"{fn}: names must be one or more parameter names (str); "
                             f"got {names!r}")
        self.names = tuple(names)

    def __repr__(self) -> str:
        return f"FreezeAfter({self.epochs}, {', '.join(map(repr, self.names))})"

    def __call__(self, solver, info: dict) -> None:
        model = solver.model
        if not callable(getattr(model, "freeze", None)):
            raise ValueError(f"FreezeAfter: the model ({type(model).__name__}) has no freeze(); "
                             f"use a convnp.nn model")
        known = _all_parameters(model)
        unknown = [n for n in self.names if n not in known]
        if unknown:
            raise ValueError(f"FreezeAfter: the model has no parameter(s) {unknown}; its "
                             f"parameters are {sorted(known)}")
        if info["epoch"] >= self.epochs:
            trainable = [n for n in self.names if n in model.params]
            if trainable:
                model.freeze(*trainable)


class Solver:
    """Trains a classification model with minibatch gradient descent (see the module docstring).

    Attributes (the course's):
    - model, update_rule (the rule function), optim_config, lr_decay, batch_size, num_epochs,
      num_train_samples, num_val_samples, checkpoint_name, print_every, verbose: as given
    - X_train, y_train, X_val, y_val: the arrays from data
    - epoch: epochs completed; loss_history: one loss per iteration; train_acc_history,
      val_acc_history: one accuracy per check; best_val_acc, best_params: the best check so far
      (best_params maps each param name to a copy; {} before any check improves on 0)
    - optim_configs: param name -> its config dict (learning rate and the rule's state)

    Attributes (convnp's): seed (int), rngs (dict 'batch', 'sample', 'transform' -> Generator),
    iteration (steps done), iterations_per_epoch, num_iterations, schedule, batch_transform,
    on_step and on_epoch (lists), early_stopping_patience, sampling, checkpoint_dir,
    last_checkpoint (Path of the last checkpoint written or resumed from, or None),
    stop_training (set it in a callback to stop), stop_reason (None, 'early_stopping',
    'callback').
    """

    def __init__(self, model, data: Mapping, **kwargs) -> None:
        """Construct a new Solver instance.

        Required arguments:
        - model: an object with ``params`` (dict of arrays) and ``loss(X, y=None)``
        - data: a dict of training and validation data (other keys, such as X_test, are
          ignored):
          - 'X_train': Array, shape (N_train, d_1, ..., d_k) of training images
          - 'X_val': Array, shape (N_val, d_1, ..., d_k) of validation images
          - 'y_train': Array, shape (N_train,) of integer labels for training images
          - 'y_val': Array, shape (N_val,) of integer labels for validation images

        Optional arguments (the course's):
        - update_rule: A string giving the name of an update rule in convnp.optim, or a
          callable with its signature. Default is 'sgd'.
        - optim_config: A dictionary containing hyperparameters that will be passed to the
          chosen update rule. Each update rule requires different hyperparameters (see
          optim.py) but all update rules require a 'learning_rate' parameter so that should
          always be present.
        - lr_decay: A scalar (> 0) for learning rate decay; after each epoch the learning rate
          is multiplied by this value.
        - batch_size: Size of minibatches used to compute loss and gradient during training.
        - num_epochs: The number of epochs to run for during training (>= 0).
        - print_every: Integer; training losses will be printed every print_every iterations.
        - verbose: Boolean; if set to false then no output will be printed during training.
        - num_train_samples: Number of training samples used to check training accuracy;
          default is 1000; set to None to use entire training set.
        - num_val_samples: Number of validation samples to use to check val accuracy; default
          is None, which uses the entire validation set.
        - checkpoint_name: If not None, then save model checkpoints here every epoch.

        Optional arguments (convnp's): seed, schedule, batch_transform, preprocess, on_step,
        on_epoch, early_stopping_patience, sampling, checkpoint_dir, progress_bar, lr_mult,
        wd_mult, restore_best, check_first, check_batch_size; see the module docstring.

        Raises ValueError for an unknown keyword argument (listing the valid ones), an unknown
        update_rule name (listing the rules), missing data keys, or a value out of range;
        TypeError for an argument of the wrong kind.
        """
        fn = "Solver"
        unknown = sorted(set(kwargs) - set(_ARGS))
        if unknown:
            raise ValueError(f"{fn}: unrecognized argument(s) {unknown}; valid keyword "
                             f"arguments are {sorted(_ARGS)}")
        args = {**_ARGS, **kwargs}
        self.model = _check_model(model, fn)
        (self.X_train, self.y_train, self.X_val,
         self.y_val) = _check_data(data, fn)

        rule = args["update_rule"]
        if isinstance(rule, str):
            self.update_rule = optim.get(rule)
            self.update_rule_name: str | None = rule
        elif callable(rule):
            self.update_rule = rule
            self.update_rule_name = next((n for n, r in optim.RULES.items() if r is rule), None)
        else:
            raise TypeError(f"{fn}: update_rule must be the name of a rule, one of "
                            f"{sorted(optim.RULES)}, or a callable rule(w, dw, config) -> "
                            f"(next_w, config); got {type(rule).__name__}")
        optim_config = args["optim_config"]
        if optim_config is None:
            optim_config = {}
        if not isinstance(optim_config, Mapping):
            raise TypeError(f"{fn}: optim_config must be a dict or None; "
                            f"got {type(optim_config).__name__}")
        self.optim_config = copy.deepcopy(dict(optim_config))
        self.lr_decay = _validate.real(args["lr_decay"], "lr_decay", fn, low=0.0, low_open=True)
        self.batch_size = _validate.integer(args["batch_size"], "batch_size", fn, minimum=1)
        self.num_epochs = _validate.integer(args["num_epochs"], "num_epochs", fn, minimum=0)
        self.num_train_samples = _optional_int(args["num_train_samples"], "num_train_samples",
                                               fn)
        self.num_val_samples = _optional_int(args["num_val_samples"], "num_val_samples", fn)
        self.checkpoint_name = _optional_path(args["checkpoint_name"], "checkpoint_name", fn)
        self.checkpoint_dir = _optional_path(args["checkpoint_dir"], "checkpoint_dir", fn)
        self.print_every = _validate.integer(args["print_every"], "print_every", fn, minimum=1)
        self.verbose = _check_bool(args["verbose"], "verbose", fn)
        self.progress_bar = _check_bool(args["progress_bar"], "progress_bar", fn)
        self.restore_best = _check_bool(args["restore_best"], "restore_best", fn)
        self.check_first = _check_bool(args["check_first"], "check_first", fn)
        self.check_batch_size = _validate.integer(args["check_batch_size"], "check_batch_size",
                                                  fn, minimum=1)

        self.schedule = args["schedule"]
        if self.schedule is not None:
            if not callable(self.schedule):
                raise TypeError(f"{fn}: schedule must be a convnp.schedules Schedule (a "
                                f"callable of the iteration) or None; "
                                f"got {type(self.schedule).__name__}")
            if self.lr_decay != 1.0:
                raise ValueError(f"{fn}: give either schedule or lr_decay, not both; got "
                                 f"schedule={self.schedule!r} and lr_decay={self.lr_decay:g}")
            if "learning_rate" in self.optim_config:
                raise ValueError(f"{fn}: with a schedule the learning rate comes from the "
                                 f"schedule; remove 'learning_rate' from optim_config (got "
                                 f"{self.optim_config['learning_rate']!r})")
        self.batch_transform = args["batch_transform"]
        if self.batch_transform is not None and not callable(self.batch_transform):
            raise TypeError(f"{fn}: batch_transform must be a callable (X_batch, y_batch, rng) "
                            f"-> (X_batch, y_batch) or None; "
                            f"got {type(self.batch_transform).__name__}")
        self._transform_context = _takes_context(self.batch_transform)
        self.preprocess = args["preprocess"]
        if self.preprocess is not None and not callable(self.preprocess):
            raise TypeError(f"{fn}: preprocess must be a callable X_batch -> model input or "
                            f"None; got {type(self.preprocess).__name__}")
        self.on_step = _callbacks(args["on_step"], "on_step", fn)
        self.on_epoch = _callbacks(args["on_epoch"], "on_epoch", fn)
        self.early_stopping_patience = _optional_int(args["early_stopping_patience"],
                                                     "early_stopping_patience", fn)
        self.sampling = _validate.mode(args["sampling"], "sampling", fn, _SAMPLINGS)
        self.lr_mult = _check_mult(args["lr_mult"], "lr_mult", self.model, fn)
        if self.schedule is None and self.lr_mult and "learning_rate" not in self.optim_config:
            raise ValueError(f"{fn}: lr_mult scales optim_config['learning_rate'] (or the "
                             f"schedule's value); give the learning rate in optim_config")
        self.wd_mult = _check_mult(args["wd_mult"], "wd_mult", self.model, fn, zero_ok=True)
        if self.wd_mult and "weight_decay" not in self.optim_config:
            raise ValueError(f"{fn}: wd_mult scales optim_config['weight_decay']; give the "
                             f"weight decay in optim_config")

        seed = args["seed"]
        if seed is None:
            # Drawn from the OS and kept, so an unseeded run can be repeated.
            seed = int(np.random.SeedSequence().entropy)
        self.seed = _validate.integer(seed, "seed", fn, minimum=0)
        children = np.random.SeedSequence(self.seed).spawn(len(_RNG_NAMES))
        self.rngs = {name: np.random.default_rng(s) for name, s in zip(_RNG_NAMES, children)}

        self._reset()

    def _reset(self) -> None:
        """Set up the book-keeping variables for an optimization (the course's _reset)."""
        self.epoch = 0
        self.iteration = 0
        self.best_val_acc = 0
        self.best_params: dict[str, np.ndarray] = {}
        self.loss_history: list[float] = []
        self.train_acc_history: list[float] = []
        self.val_acc_history: list[float] = []
        self.last_checkpoint: Path | None = None
        self.stop_training = False
        self.stop_reason: str | None = None
        self._epochs_without_improvement = 0
        # Below any accuracy, so the first epoch end counts as an improvement.
        self._best_at_last_epoch = -1.0
        self._perm: np.ndarray | None = None

        # Make a deep copy of the optim_config for each parameter
        self.optim_configs = {p: copy.deepcopy(self.optim_config) for p in self.model.params}
        self._lr_factors = _factors(self.lr_mult, self.optim_configs)
        for p, factor in self._lr_factors.items():
            if "learning_rate" in self.optim_configs[p]:  # else from the schedule, per step
                self.optim_configs[p]["learning_rate"] *= factor
        for p, factor in _factors(self.wd_mult, self.optim_configs).items():
            self.optim_configs[p]["weight_decay"] *= factor

    @property
    def iterations_per_epoch(self) -> int:
        """max(N_train // batch_size, 1), as the course."""
        return max(self.X_train.shape[0] // self.batch_size, 1)

    @property
    def num_iterations(self) -> int:
        """num_epochs * iterations_per_epoch."""
        return self.num_epochs * self.iterations_per_epoch

    # -- one step ----------------------------------------------------------------------------

    def _batch_indices(self, t: int) -> np.ndarray:
        N = self.X_train.shape[0]
        rng = self.rngs["batch"]
        if self.sampling == "with_replacement":
            return rng.choice(N, self.batch_size)
        i = t % self.iterations_per_epoch
        if i == 0 or self._perm is None:
            self._perm = rng.permutation(N)
        return self._perm[i * self.batch_size:(i + 1) * self.batch_size]

    def _step(self, t: int) -> float:
        """Make a single gradient update (iteration t, 0-based); return the loss.

        Raises FloatingPointError, before anything is updated, if the loss is not finite.
        """
        idx = self._batch_indices(t)
        X_batch, y_batch = self.X_train[idx], self.y_train[idx]
        if self.batch_transform is not None:
            context = ({"epoch": t // self.iterations_per_epoch, "indices": idx}
                       if self._transform_context else {})
            out = self.batch_transform(X_batch, y_batch, self.rngs["transform"], **context)
            if not isinstance(out, tuple) or len(out) != 2:
                raise TypeError(f"Solver: batch_transform must return a tuple (X_batch, "
                                f"y_batch); got {type(out).__name__}")
            X_batch, y_batch = out
        if self.preprocess is not None:
            X_batch = self.preprocess(X_batch)
        if self.schedule is not None:
            lr = self.schedule(t)
            for p, config in self.optim_configs.items():
                config["learning_rate"] = lr * self._lr_factors.get(p, 1.0)

        # Compute loss and gradient
        loss, grads = self.model.loss(X_batch, y_batch)
        loss = float(loss)
        if not math.isfinite(loss):
            where = (f"the last good checkpoint, {str(self.last_checkpoint)!r}, is intact"
                     if self.last_checkpoint is not None else
                     "no checkpoint was written (set checkpoint_name or checkpoint_dir)")
            raise FloatingPointError(
                f"Solver: the loss is {loss} at iteration {t + 1} of {self.num_iterations} "
                f"(epoch {t // self.iterations_per_epoch + 1} of {self.num_epochs}); training "
                f"stopped before updating the weights; {where}")
        self.loss_history.append(loss)

        # Perform a parameter update. params is fetched once: for nn modules it is a live
        # view that is rebuilt at every attribute access.
        params = self.model.params
        missing = [p for p in params if p not in grads]
        if missing:
            raise ValueError(f"Solver: model.loss returned no gradient for params {missing}; "
                             f"got grads for {sorted(grads)}")
        new = [p for p in params if p not in self.optim_configs]
        if new:
            raise ValueError(f"Solver: model.params has parameters the Solver was not set up "
                             f"with: {new} (unfrozen after the Solver was made?); make a new "
                             f"Solver for the next stage of training")
        for p in list(params):
            w, dw = params[p], grads[p]
            config = self.optim_configs[p]
            next_w, next_config = self.update_rule(w, dw, config)
            params[p] = next_w
            self.optim_configs[p] = next_config
        return loss

    def _current_lr(self, t: int) -> float | None:
        if self.schedule is not None:
            return float(self.schedule(t))
        first = next(iter(self.optim_configs), None)
        lr = None if first is None else self.optim_configs[first].get("learning_rate")
        if not isinstance(lr, (int, float, np.number)):
            return None
        return float(lr) / self._lr_factors.get(first, 1.0)

    # -- accuracy ----------------------------------------------------------------------------

    def check_accuracy(self, X: np.ndarray, y: np.ndarray, num_samples: int | None = None,
                       batch_size: int = 100) -> float:
        """Check accuracy of the model on the provided data.

        Inputs:
        - X: Array of data, of shape (N, d_1, ..., d_k)
        - y: Array of labels, of shape (N,)
        - num_samples: If not None, subsample the data and only test the model on num_samples
          datapoints (drawn without replacement from rngs['sample']).
        - batch_size: Split X and y into batches of this size to avoid using too much memory.

        Returns:
        - acc: Scalar (a float) giving the fraction of instances that were correctly
          classified by the model.

        Raises TypeError or ValueError when X and y do not hold the same number N >= 1 of
        examples, or num_samples or batch_size is not an int >= 1.
        """
        fn = "Solver.check_accuracy"
        X, y = _check_xy(X, y, "X", "y", fn)
        num_samples = _optional_int(num_samples, "num_samples", fn)
        batch_size = _validate.integer(batch_size, "batch_size", fn, minimum=1)

        # Maybe subsample the data
        N = X.shape[0]
        if num_samples is not None and N > num_samples:
            mask = self.rngs["sample"].choice(N, num_samples, replace=False)
            N = num_samples
            X = X[mask]
            y = y[mask]

        # Compute predictions in batches
        y_pred = []
        for start in range(0, N, batch_size):
            X_batch = X[start:start + batch_size]
            if self.preprocess is not None:
                X_batch = self.preprocess(X_batch)
            scores = self.model.loss(X_batch)
            y_pred.append(np.argmax(scores, axis=1))
        y_pred = np.hstack(y_pred)
        return float(np.mean(y_pred == y))

    # -- the loop ----------------------------------------------------------------------------

    def train(self) -> None:
        """Run optimization to train the model (from self.iteration: a resumed run goes on).

        Ends by copying best_params into model.params (by item assignment; buffers such as
        batch norm's running statistics keep their last values, as in the course), unless
        restore_best is False.

        Raises FloatingPointError on a NaN or infinite loss (see the module docstring).
        """
        num_iterations = self.num_iterations
        ipe = self.iterations_per_epoch
        self.stop_training = False
        self.stop_reason = None
        bar = None
        if self.verbose and self.progress_bar:
            bar = tqdm(total=num_iterations, initial=min(self.iteration, num_iterations),
                       desc="train", unit="it", file=sys.stderr, dynamic_ncols=True)
        say = (lambda msg: bar.write(msg, file=sys.stdout)) if bar is not None else print
        if (self.check_first and self.iteration == 1 and not self.train_acc_history
                and num_iterations > 1):
            # Resumed from a checkpoint saved in on_step of the very first step, before the
            # first-iteration check: do that check now, as the uninterrupted run did.
            train_acc, val_acc = self._check_and_record()
            if self.verbose:
                say(f"(Epoch {self.epoch} / {self.num_epochs}) train acc: {train_acc:f}; "
                    f"val_acc: {val_acc:f}")
        try:
            for t in range(self.iteration, num_iterations):
                loss = self._step(t)
                self.iteration = t + 1

                # Maybe print training loss
                if self.verbose and t % self.print_every == 0:
                    say(f"(Iteration {t + 1} / {num_iterations}) loss: {loss:f}")
                lr = self._current_lr(t)
                if bar is not None:
                    bar.set_postfix(epoch=t // ipe + 1, loss=f"{loss:.4g}",
                                    lr="-" if lr is None else f"{lr:.3g}", refresh=False)
                    bar.update(1)
                if self.on_step:
                    info = {"iteration": t + 1, "num_iterations": num_iterations,
                            "epoch": t // ipe + 1, "loss": loss, "lr": lr}
                    for callback in self.on_step:
                        callback(self, info)
                    if self.stop_training:
                        self.stop_reason = "callback"

                # At the end of every epoch, increment the epoch counter and decay the
                # learning rate.
                epoch_end = (t + 1) % ipe == 0
                if epoch_end:
                    self.epoch += 1
                    if self.lr_decay != 1.0:
                        for config in self.optim_configs.values():
                            if "learning_rate" in config:
                                config["learning_rate"] *= self.lr_decay

                # Check train and val accuracy on the first iteration (unless check_first is
                # False), the last iteration, and at the end of each epoch.
                first_it = t == 0 and self.check_first
                last_it = t == num_iterations - 1
                if first_it or last_it or epoch_end:
                    train_acc, val_acc = self._check_and_record()
                    if self.verbose:
                        say(f"(Epoch {self.epoch} / {self.num_epochs}) train acc: "
                            f"{train_acc:f}; val_acc: {val_acc:f}")
                if epoch_end:
                    self._end_epoch(train_acc, val_acc, say)
                if self.stop_training:
                    break
        finally:
            if bar is not None:
                bar.close()

        # At the end of training swap the best params into the model
        if self.restore_best:
            params = self.model.params
            for k, v in self.best_params.items():
                if k in params:
                    params[k] = v.copy()
                else:  # frozen since that check (FreezeAfter): its value then is the best's
                    self.model.set_param(k, v.copy())

    def _check_and_record(self) -> tuple[float, float]:
        train_acc = self.check_accuracy(self.X_train, self.y_train,
                                        num_samples=self.num_train_samples,
                                        batch_size=self.check_batch_size)
        val_acc = self.check_accuracy(self.X_val, self.y_val, num_samples=self.num_val_samples,
                                      batch_size=self.check_batch_size)
        self.train_acc_history.append(train_acc)
        self.val_acc_history.append(val_acc)
        # Keep track of the best model
        if val_acc > self.best_val_acc:
            self.best_val_acc = val_acc
            self.best_params = {k: v.copy() for k, v in self.model.params.items()}
        return train_acc, val_acc

    def _end_epoch(self, train_acc: float, val_acc: float, say: Callable[[str], None]) -> None:
        """Early-stopping book-keeping, on_epoch, then the checkpoint.

        The callbacks run before the checkpoint is written, so what they change (a learning
        rate, stop_training) is in it, and a resumed run starts from the same state.
        """
        if self.best_val_acc > self._best_at_last_epoch:
            self._best_at_last_epoch = self.best_val_acc
            self._epochs_without_improvement = 0
        else:
            self._epochs_without_improvement += 1
        patience = self.early_stopping_patience
        if patience is not None and self._epochs_without_improvement >= patience:
            self.stop_training = True
            self.stop_reason = "early_stopping"
            if self.verbose:
                say(f"(Epoch {self.epoch} / {self.num_epochs}) early stopping: the best val_acc "
                    f"{self.best_val_acc:f} has not improved for {patience} epoch(s)")
        path = self.checkpoint_path(self.epoch)
        if self.on_epoch:
            info = {"epoch": self.epoch, "iteration": self.iteration, "train_acc": train_acc,
                    "val_acc": val_acc, "best_val_acc": self.best_val_acc,
                    "lr": self._current_lr(self.iteration), "checkpoint": path}
            stop_before = self.stop_training
            for callback in self.on_epoch:
                callback(self, info)
            if self.stop_training and not stop_before:
                self.stop_reason = "callback"
        if path is not None:
            if self.checkpoint_dir is not None:
                Path(self.checkpoint_dir).mkdir(parents=True, exist_ok=True)
            self.save_checkpoint(path)

    # -- checkpoints -------------------------------------------------------------------------

    def checkpoint_path(self, epoch: int) -> Path | None:
        """Where the checkpoint of the given epoch goes, or None when checkpoints are off.

        ``<checkpoint_name>_epoch_<epoch>.npz`` (checkpoint_name is a path prefix, as in the
        course), inside checkpoint_dir when it is given (default name 'checkpoint').
        """
        if self.checkpoint_name is None and self.checkpoint_dir is None:
            return None
        name = f"{self.checkpoint_name or 'checkpoint'}_epoch_{epoch}.npz"
        if self.checkpoint_dir is None:
            return Path(name)
        return Path(self.checkpoint_dir) / name

    def save_checkpoint(self, path: str | os.PathLike) -> Path:
        """Write the whole training state to ``path`` (atomically); return the path.

        Contents (format: convnp.checkpoint, one .npz with a JSON header):
        - model: params; buffers, i.e. the entries of ``model.state_dict()`` that are not
          params (when the model has state_dict and load_state_dict); the course's
          ``model.bn_params`` dicts (running_mean, running_var, ...); the state of every
          numpy Generator reachable from the model's attributes (e.g. dropout_param['rng']);
          the names of the frozen parameters (``Module.freeze``; their values are buffers)
        - solver: the hyperparameters (callables by name), epoch, iteration, the histories,
          best_val_acc and best_params, every optim config (arrays and scalars), the states of
          rngs, the early-stopping counters, and the training data's size
        - versions of convnp, numpy and python

        ``Solver.resume`` continues exactly from a checkpoint saved at an epoch end (where
        train() writes them) or in an on_step callback (mid-epoch: the epoch's permutation is
        saved too, for sampling='epoch'). Not from inside on_step of an epoch's last step,
        whose epoch end has not been recorded yet (resume refuses it): save in on_epoch
        instead. Sets last_checkpoint. Raises FileNotFoundError if the
        directory of path does not exist (train() creates checkpoint_dir).
        """
        path = Path(path)
        arrays: dict[str, np.ndarray] = {}
        enc = checkpoint.encode
        model = self.model
        solver_meta = {
            "hyperparameters": self._hyperparameters(arrays),
            "epoch": self.epoch,
            "iteration": self.iteration,
            "loss_history": enc(np.asarray(self.loss_history, dtype=np.float64),
                                "history/loss", arrays),
            "train_acc_history": enc(np.asarray(self.train_acc_history, dtype=np.float64),
                                     "history/train_acc", arrays),
            "val_acc_history": enc(np.asarray(self.val_acc_history, dtype=np.float64),
                                   "history/val_acc", arrays),
            "best_val_acc": float(self.best_val_acc),
            "best_params": enc(dict(self.best_params), "best_params", arrays),
            "optim_configs": enc(dict(self.optim_configs), "optim", arrays),
            "rngs": {name: enc(rng.bit_generator.state, f"rngs/{name}", arrays)
                     for name, rng in self.rngs.items()},
            "early_stopping": {"epochs_without_improvement": self._epochs_without_improvement,
                               "best_val_acc_at_last_epoch": self._best_at_last_epoch},
            "data": {"X_train_shape": list(self.X_train.shape),
                     "X_val_shape": list(self.X_val.shape)},
            "permutation": (None if self._perm is None or
                            self.iteration % self.iterations_per_epoch == 0
                            else enc(self._perm, "permutation", arrays)),
        }
        buffers = _model_buffers(model)
        bn_params = _bn_params(model)
        model_meta = {
            "class": f"{type(model).__module__}.{type(model).__qualname__}",
            "params": enc(dict(model.params), "params", arrays),
            "buffers": None if buffers is None else enc(buffers, "buffers", arrays),
            "bn_params": None if bn_params is None else enc(list(bn_params), "bn_params",
                                                            arrays),
            "frozen": _frozen_names(model),
            "generators": [
                {"path": [list(step) for step in route], "name": _route_name(route),
                 "state": enc(gen.bit_generator.state, f"generators/{i}", arrays)}
                for i, (route, gen) in enumerate(_find_generators(model))],
        }
        meta = {"solver": solver_meta, "model": model_meta,
                "versions": {"convnp": __version__, "numpy": np.__version__,
                             "python": platform.python_version()}}
        checkpoint.save(path, arrays, meta)
        self.last_checkpoint = path
        return path

    def _hyperparameters(self, arrays: dict) -> dict:
        hp: dict[str, Any] = {
            "update_rule": (self.update_rule_name if self.update_rule_name is not None
                            else {"__custom__": _qualname(self.update_rule)}),
            "optim_config": checkpoint.encode(self.optim_config, "hyperparameters/optim_config",
                                              arrays),
            "schedule": (None if self.schedule is None else
                         {"__schedule__": self.schedule.to_dict()}
                         if type(self.schedule) in schedules.SCHEDULES.values() else
                         {"__custom__": _qualname(self.schedule)}),
            "batch_transform": (None if self.batch_transform is None else
                                {"__custom__": _qualname(self.batch_transform)}),
            "preprocess": (None if self.preprocess is None else
                           {"__custom__": _qualname(self.preprocess)}),
            "checkpoint_name": self.checkpoint_name,
            "checkpoint_dir": self.checkpoint_dir,
        }
        for name in _STORED_ARGS:
            if name not in hp:
                hp[name] = getattr(self, name)
        return hp

    @classmethod
    def resume(cls, path: str | os.PathLike, model, data: Mapping, **overrides) -> Solver:
        """A Solver in the state saved at ``path``; call ``train()`` to go on.

        Inputs:
        - path: a checkpoint written by a Solver (train() or save_checkpoint)
        - model: a model of the same architecture (params with the same names, shapes and
          dtypes; the same bn_params layout and Generators). Its params, buffers, bn_params
          and the states of its Generators are overwritten from the checkpoint. Parameters
          the saved run had frozen (``FreezeAfter``) are frozen again; the model must not have
          others frozen (build it as the run did).
        - data: the same training data as the saved run (its shape is checked)
        - overrides: keyword arguments that replace the saved hyperparameters, e.g.
          num_epochs=20, verbose=False, on_epoch=..., checkpoint_dir=... . seed, batch_size,
          sampling, optim_config, lr_mult and wd_mult cannot change (the first three define
          the run's random stream and epochs, the last three are superseded by the saved
          per-parameter configs; edit solver.optim_configs after resume to change a learning
          rate). A custom (callable) update_rule, schedule, batch_transform or preprocess is
          saved by name only and must be given again here.

        With the same model code, data and thread count, resuming a run stopped at a checkpoint
        and training to the end gives the same weights, bit for bit, as the run that was never
        stopped.

        Raises FileNotFoundError if path does not exist; CheckpointError (a ValueError) naming
        the path and the key when the file is truncated or corrupted, lacks a key, or does not
        match the model (names, shapes, dtypes) or the data; ValueError for an override that is
        not allowed or a custom callable that is not given again.
        """
        fn = "Solver.resume"
        unknown = sorted(set(overrides) - set(_ARGS))
        if unknown:
            raise ValueError(f"{fn}: unrecognized argument(s) {unknown}; valid keyword "
                             f"arguments are {sorted(_ARGS)}")
        arrays, meta = checkpoint.load(path)
        hp = _require(_require(meta, "solver", path), "hyperparameters", path, "solver")
        kwargs: dict[str, Any] = {}
        for name in _STORED_ARGS:
            if name in _ADDED_ARGS and name not in hp:
                value = _ADDED_ARGS[name]
            else:
                value = _require(hp, name, path, "solver.hyperparameters")
            if isinstance(value, dict) and "__custom__" in value:
                if name not in overrides:
                    raise ValueError(f"{fn}: {path} was trained with a custom {name} "
                                     f"({value['__custom__']}), which a checkpoint stores by "
                                     f"name only; pass {name}=... to Solver.resume")
                continue
            if isinstance(value, dict) and "__schedule__" in value:
                try:
                    value = schedules.from_dict(value["__schedule__"])
                except (TypeError, ValueError) as exc:
                    raise CheckpointError(f"{path}: key 'solver.hyperparameters.schedule' "
                                          f"cannot be rebuilt: {exc}") from exc
            else:
                value = checkpoint.decode(value, arrays, path)
            kwargs[name] = value
        for name in _FIXED_ON_RESUME:
            if name in overrides and (name == "optim_config" or overrides[name] != kwargs[name]):
                raise ValueError(f"{fn}: {name} cannot be overridden on resume (saved: "
                                 f"{kwargs[name]!r}; got {overrides[name]!r})")
        kwargs.update(overrides)
        solver = cls(model, data, **kwargs)
        solver._restore(arrays, meta, Path(path))
        return solver

    def _restore(self, arrays: dict, meta: dict, path: Path) -> None:
        """Load the state from a checkpoint; everything is checked before anything changes."""
        def dec(obj):
            return checkpoint.decode(obj, arrays, path)

        s = _require(meta, "solver", path)
        m = _require(meta, "model", path)
        model = self.model

        # Parameters frozen during the run (FreezeAfter) are frozen again; params then holds
        # the trainable ones, as at the save.
        all_params = _all_parameters(model)
        saved_frozen = m.get("frozen")  # (None in checkpoints older than the key: as saved)
        to_freeze = [] if saved_frozen is None else _refreeze(saved_frozen, model, all_params,
                                                               path)
        trainable = {k: v for k, v in model.params.items() if k not in to_freeze}
        params = dec(_require(m, "params", path, "model"))
        _match_params(params, trainable, path, "model.params")
        best_params = dec(_require(s, "best_params", path, "solver"))
        if best_params:
            _match_best(best_params, trainable, all_params, path)
        configs = dec(_require(s, "optim_configs", path, "solver"))
        # One config per trainable parameter, and those of parameters frozen since the start
        # (kept: unfreezing one goes on with its state).
        if (not isinstance(configs, dict) or not set(trainable) <= set(configs)
                or not set(configs) <= set(all_params)):
            got = sorted(configs) if isinstance(configs, dict) else type(configs).__name__
            raise CheckpointError(f"{path}: key 'solver.optim_configs' holds configs for {got}; "
                                  f"the model's trainable params are {sorted(trainable)}")

        data = _require(s, "data", path, "solver")
        saved_shape = _require(data, "X_train_shape", path, "solver.data")
        if list(self.X_train.shape) != saved_shape:
            raise CheckpointError(f"{path}: key 'solver.data.X_train_shape' is {saved_shape}, "
                                  f"but data['X_train'] has shape {self.X_train.shape}; resume "
                                  f"with the run's training data")
        epoch = _require(s, "epoch", path, "solver")
        iteration = _require(s, "iteration", path, "solver")
        ipe = self.iterations_per_epoch
        if not epoch * ipe <= iteration < (epoch + 1) * ipe:
            raise CheckpointError(f"{path}: key 'solver.iteration' is {iteration}, outside epoch "
                                  f"{epoch + 1} (iterations {epoch * ipe} to "
                                  f"{(epoch + 1) * ipe - 1} at {ipe} per epoch)")
        perm = dec(s.get("permutation"))
        if iteration % ipe and self.sampling == "epoch":
            # Mid-epoch: the rest of the epoch's batches come from the saved permutation.
            if not isinstance(perm, np.ndarray) or perm.shape != (self.X_train.shape[0],):
                raise CheckpointError(f"{path}: key 'solver.permutation' must hold the "
                                      f"epoch's order of {self.X_train.shape[0]} examples to "
                                      f"resume at iteration {iteration} (mid-epoch)")
        else:
            perm = None
        rng_states = _require(s, "rngs", path, "solver")
        states = {name: dec(_require(rng_states, name, path, "solver.rngs"))
                  for name in _RNG_NAMES}
        early = _require(s, "early_stopping", path, "solver")
        histories = {name: dec(_require(s, name, path, "solver"))
                     for name in ("loss_history", "train_acc_history", "val_acc_history")}
        best_val_acc = _require(s, "best_val_acc", path, "solver")

        # The model's buffers, bn_params and generators: check they fit first.
        saved_buffers = dec(_require(m, "buffers", path, "model"))
        full_state = None
        if _model_buffers(model) is not None:
            if saved_buffers is None:
                raise CheckpointError(f"{path}: key 'model.buffers' is empty, but the model "
                                      f"has state_dict(); was it saved from another model?")
            full_state = {}
            for k, v in model.state_dict().items():
                source = params if k in params else saved_buffers
                if k not in source:
                    raise CheckpointError(f"{path}: key 'model.buffers/{k}' is missing (the "
                                          f"model's state_dict has it)")
                if np.shape(source[k]) != np.shape(v):
                    raise CheckpointError(f"{path}: key 'model.buffers/{k}' has shape "
                                          f"{np.shape(source[k])}; the model's has "
                                          f"{np.shape(v)}")
                full_state[k] = source[k]
        saved_bn = dec(_require(m, "bn_params", path, "model"))
        bn_params = _bn_params(model)
        if (saved_bn is None) != (bn_params is None) or (
                bn_params is not None and len(saved_bn) != len(bn_params)):
            n_saved = None if saved_bn is None else len(saved_bn)
            n_model = None if bn_params is None else len(bn_params)
            raise CheckpointError(f"{path}: key 'model.bn_params' holds {n_saved} dicts; the "
                                  f"model has {n_model}")
        generators = []
        for entry in _require(m, "generators", path, "model"):
            name = entry.get("name", "?")
            route = tuple(tuple(step) for step in _require(entry, "path", path,
                                                           f"model.generators[{name}]"))
            state = dec(_require(entry, "state", path, f"model.generators[{name}]"))
            generators.append((route, name, state, _locate(model, route, path, name, state)))

        # Everything fits: apply.
        if to_freeze:
            model.freeze(*to_freeze)
        if full_state is not None:
            model.load_state_dict(full_state)
        model_params = model.params
        for k, v in params.items():
            model_params[k] = v
        if bn_params is not None:
            for target, saved in zip(bn_params, saved_bn):
                target.clear()
                target.update(saved)
        for _, _, state, target in generators:
            target.bit_generator.state = state
        for name, rng in self.rngs.items():
            rng.bit_generator.state = states[name]
        self.optim_configs = configs
        self.best_params = best_params
        self.best_val_acc = best_val_acc
        self.epoch, self.iteration = epoch, iteration
        self.loss_history = [float(x) for x in histories["loss_history"]]
        self.train_acc_history = [float(x) for x in histories["train_acc_history"]]
        self.val_acc_history = [float(x) for x in histories["val_acc_history"]]
        self._epochs_without_improvement = _require(early, "epochs_without_improvement", path,
                                                    "solver.early_stopping")
        self._best_at_last_epoch = _require(early, "best_val_acc_at_last_epoch", path,
                                            "solver.early_stopping")
        self._perm = perm
        self.last_checkpoint = path


# -- argument checks ---------------------------------------------------------------------------

def _check_model(model, fn: str):
    params = getattr(model, "params", None)
    if not isinstance(params, Mapping) or not callable(getattr(model, "loss", None)):
        raise TypeError(f"{fn}: model must have a dict 'params' and a method loss(X, y=None) "
                        f"(the course's contract); got {type(model).__name__}")
    for k, v in params.items():
        if not isinstance(v, np.ndarray):
            raise TypeError(f"{fn}: model.params[{k!r}] must be a numpy.ndarray; "
                            f"got {type(v).__name__}")
    return model


def _check_xy(X, y, x_name: str, y_name: str, fn: str) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(X, np.ndarray) or X.ndim < 1:
        raise TypeError(f"{fn}: {x_name} must be a numpy.ndarray of shape (N, ...); "
                        f"got {type(X).__name__}")
    if not isinstance(y, np.ndarray) or y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{fn}: {y_name} must be a 1-D numpy.ndarray of integer labels; got "
                        f"{type(y).__name__} {getattr(y, 'dtype', '')} "
                        f"{getattr(y, 'shape', '')}".rstrip())
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"{fn}: {x_name} and {y_name} must hold the same number of examples; "
                         f"got {x_name} {X.shape} and {y_name} {y.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{fn}: {x_name} must hold at least one example; got shape {X.shape}")
    return X, y


def _check_data(data, fn: str) -> tuple[np.ndarray, ...]:
    if not isinstance(data, Mapping):
        raise TypeError(f"{fn}: data must be a dict with keys {list(_DATA_KEYS)}; "
                        f"got {type(data).__name__}")
    missing = [k for k in _DATA_KEYS if k not in data]
    if missing:
        raise ValueError(f"{fn}: data is missing key(s) {missing}; it needs {list(_DATA_KEYS)}")
    X_train, y_train = _check_xy(data["X_train"], data["y_train"], "data['X_train']",
                                 "data['y_train']", fn)
    X_val, y_val = _check_xy(data["X_val"], data["y_val"], "data['X_val']", "data['y_val']", fn)
    if X_train.shape[1:] != X_val.shape[1:]:
        raise ValueError(f"{fn}: data['X_train'] and data['X_val'] must have the same shape "
                         f"per example; got {X_train.shape} and {X_val.shape}")
    return X_train, y_train, X_val, y_val


def _check_mult(value, name: str, model, fn: str, zero_ok: bool = False) -> dict | None:
    """lr_mult / wd_mult checked: {prefix: factor}, each prefix matching a trainable parameter;
    factors > 0 (>= 0 with zero_ok) and finite."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"{fn}: {name} must be a dict {{prefix: factor}} or None; got "
                        f"{type(value).__name__}")
    names = list(model.params)
    out = {}
    for prefix, factor in value.items():
        if not isinstance(prefix, str):
            raise TypeError(f"{fn}: {name} keys must be parameter or module names (str); got "
                            f"{prefix!r}")
        out[prefix] = _validate.real(factor, f"{name}[{prefix!r}]", fn, low=0.0,
                                     high=math.inf, low_open=not zero_ok, high_open=True)
        if not any(_covers(prefix, p) for p in names):
            raise ValueError(f"{fn}: {name}[{prefix!r}] matches no trainable parameter; the "
                             f"trainable parameters are {names}")
    return out


def _covers(prefix: str, name: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _factors(mult: dict | None, configs: dict) -> dict[str, float]:
    """param name -> its factor (the longest matching prefix of mult), where not 1."""
    factors = {}
    for p in configs:
        matches = [k for k in (mult or {}) if _covers(k, p)]
        if matches:
            factor = mult[max(matches, key=len)]
            if factor != 1.0:
                factors[p] = factor
    return factors


def _optional_int(value, name: str, fn: str) -> int | None:
    return None if value is None else _validate.integer(value, name, fn, minimum=1)


def _optional_path(value, name: str, fn: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{fn}: {name} must be a str, a path or None; got {type(value).__name__}")
    return os.fspath(value)


def _check_bool(value, name: str, fn: str) -> bool:
    if not isinstance(value, (bool, int, np.bool_)):
        raise TypeError(f"{fn}: {name} must be a bool; got {value!r} ({type(value).__name__})")
    return bool(value)


def _callbacks(value, name: str, fn: str) -> list[Callable]:
    if value is None:
        return []
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    for i, cb in enumerate(items):
        if not callable(cb):
            raise TypeError(f"{fn}: {name} must be a callable f(solver, info), a list of them, "
                            f"or None; item {i} is {type(cb).__name__}")
    return items


def _takes_context(transform) -> bool:
    """Whether transform accepts the keyword arguments epoch and indices."""
    if transform is None:
        return False
    try:
        parameters = inspect.signature(transform).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature
        return False
    names = {p.name for p in parameters if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    return any(p.kind is p.VAR_KEYWORD for p in parameters) or {"epoch", "indices"} <= names


def _qualname(obj) -> str:
    module = getattr(obj, "__module__", None) or type(obj).__module__
    name = getattr(obj, "__qualname__", None) or type(obj).__qualname__
    return f"{module}.{name}"


# -- the model's state beyond params -----------------------------------------------------------

def _all_parameters(model) -> dict[str, np.ndarray]:
    """Every parameter by name, frozen ones included (convnp.nn modules), else model.params."""
    if callable(getattr(model, "named_parameters", None)):
        return dict(model.named_parameters())
    return dict(model.params)


def _frozen_names(model) -> list[str]:
    """The model's frozen parameters (Module.freeze), sorted; [] for the course's models."""
    params = model.params
    return sorted(k for k in _all_parameters(model) if k not in params)


def _refreeze(saved, model, all_params: dict, path) -> list[str]:
    """The parameters to freeze so that the model's frozen set is the checkpoint's.

    A parameter the model has frozen but the saved run trained is an error: the model was not
    built as that run's was (freezing done while training is what a resume repeats).
    """
    if not (isinstance(saved, list) and all(isinstance(k, str) for k in saved)):
        raise CheckpointError(f"{path}: key 'model.frozen' must be a list of parameter names")
    unknown = sorted(set(saved) - set(all_params))
    if unknown:
        raise CheckpointError(f"{path}: key 'model.frozen' names {unknown}, which the model "
                              f"does not have; its parameters are {sorted(all_params)}")
    frozen_now = set(all_params) - set(model.params)
    trained = sorted(frozen_now - set(saved))
    if trained:
        raise CheckpointError(f"{path}: the model has {trained} frozen, but the saved run "
                              f"trained them; build the model as that run did")
    to_freeze = sorted(set(saved) - frozen_now)
    if to_freeze and not callable(getattr(model, "freeze", None)):
        raise CheckpointError(f"{path}: the saved run had {to_freeze} frozen, but the model "
                              f"has no freeze()")
    return to_freeze


def _match_best(best: dict, trainable: dict, all_params: dict, path) -> None:
    """best_params against the model: exactly its params when nothing is frozen; otherwise
    every trainable parameter and maybe some frozen ones (the best check's trainable set may
    hold a parameter frozen since), each of the model's shape and dtype."""
    if set(all_params) == set(trainable) or not isinstance(best, dict):
        _match_params(best, trainable, path, "solver.best_params")
        return
    extra = sorted(set(best) - set(all_params))
    missing = sorted(set(trainable) - set(best))
    if extra or missing:
        raise CheckpointError(f"{path}: key 'solver.best_params' does not match the model: it "
                              f"lacks {missing} and has extra {extra}")
    _match_params(best, {k: all_params[k] for k in best}, path, "solver.best_params")


def _model_buffers(model) -> dict[str, np.ndarray] | None:
    """state_dict() entries that are not params, for models with state_dict/load_state_dict."""
    if not (callable(getattr(model, "state_dict", None))
            and callable(getattr(model, "load_state_dict", None))):
        return None
    params = model.params
    return {k: np.asarray(v) for k, v in model.state_dict().items() if k not in params}


def _bn_params(model) -> list[dict] | None:
    """The course's ``model.bn_params``: a list of dicts (running_mean, running_var, ...)."""
    bn = getattr(model, "bn_params", None)
    if isinstance(bn, (list, tuple)) and all(isinstance(d, dict) for d in bn):
        return list(bn)
    return None


_LEAVES = (np.ndarray, np.generic, str, bytes, int, float, complex, type(None))
_OPAQUE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
           types.MethodType)


def _find_generators(model) -> list[tuple[tuple, np.random.Generator]]:
    """Every numpy Generator reachable from the model: (route, generator), in a fixed order.

    A route is a tuple of steps ('attr', name), ('key', key) or ('index', i) from the model.
    The search is breadth first, so each generator is found by its shortest route (a Dropout
    module's ``rng`` itself, not the copy of the reference in its last forward's cache). It
    goes through attributes (``vars``), dicts (str or int keys), lists and tuples, up to
    _MAX_DEPTH steps, and skips attributes whose name contains 'cache' (the state of the last
    forward pass, which a fresh model does not have).
    """
    found: list[tuple[tuple, np.random.Generator]] = []
    seen: set[int] = set()
    queue: deque[tuple[Any, tuple]] = deque([(model, ())])
    while queue:
        obj, route = queue.popleft()
        if isinstance(obj, _LEAVES) or id(obj) in seen or len(route) > _MAX_DEPTH:
            continue
        seen.add(id(obj))
        if isinstance(obj, np.random.Generator):
            found.append((route, obj))
        elif isinstance(obj, dict):
            queue.extend((v, (*route, ("key", k))) for k, v in obj.items()
                         if isinstance(k, (str, int)) and not isinstance(k, bool))
        elif isinstance(obj, (list, tuple)):
            queue.extend((v, (*route, ("index", i))) for i, v in enumerate(obj))
        elif hasattr(obj, "__dict__") and not isinstance(obj, _OPAQUE):
            queue.extend((v, (*route, ("attr", k))) for k, v in vars(obj).items()
                         if "cache" not in k)
    return found


def _route_name(route: tuple) -> str:
    parts = ["model"]
    for kind, k in route:
        parts.append(f".{k}" if kind == "attr" else f"[{k!r}]")
    return "".join(parts)


def _locate(model, route: tuple, path: Path, name: str, state) -> np.random.Generator:
    """The generator at route in model; CheckpointError when the route does not lead to a
    Generator of the saved kind."""
    obj = model
    for kind, k in route:
        try:
            obj = vars(obj)[k] if kind == "attr" else obj[k]
        except (KeyError, IndexError, TypeError):
            raise CheckpointError(f"{path}: the checkpoint has a generator at {name}, which "
                                  f"this model does not have (key 'model.generators')") from None
    if not isinstance(obj, np.random.Generator):
        raise CheckpointError(f"{path}: the checkpoint has a generator at {name}; in this model "
                              f"that is a {type(obj).__name__}")
    saved = state.get("bit_generator") if isinstance(state, dict) else None
    if saved != type(obj.bit_generator).__name__:
        raise CheckpointError(f"{path}: the generator at {name} was a {saved}; this model's is "
                              f"a {type(obj.bit_generator).__name__}")
    return obj


# -- checkpoint reading helpers ----------------------------------------------------------------

def _require(d, key: str, path, where: str = ""):
    full = f"{where}.{key}" if where else key
    if not isinstance(d, Mapping):
        raise CheckpointError(f"{path}: key {where!r} must be an object; got {type(d).__name__}")
    if key not in d:
        raise CheckpointError(f"{path}: the checkpoint is missing key {full!r}")
    return d[key]


def _match_params(saved, params: Mapping, path, where: str) -> None:
    """CheckpointError unless saved has exactly params' names, shapes and dtypes."""
    if not isinstance(saved, dict):
        raise CheckpointError(f"{path}: key {where!r} must be a dict of arrays")
    missing = sorted(set(params) - set(saved))
    extra = sorted(set(saved) - set(params))
    if missing or extra:
        raise CheckpointError(f"{path}: key {where!r} does not match the model's params: the "
                              f"checkpoint lacks {missing} and has extra {extra}")
    for k, v in params.items():
        s = saved[k]
        if not isinstance(s, np.ndarray) or s.shape != v.shape or s.dtype != v.dtype:
            raise CheckpointError(f"{path}: key '{where}/{k}' is {getattr(s, 'dtype', '?')} "
                                  f"{getattr(s, 'shape', '?')} in the checkpoint but "
                                  f"{v.dtype} {v.shape} in the model")
