"""The PyTorch twin of ``convnp train --recipe NAME``: wall time and accuracy per epoch (issue 9).

    python benchmarks/recipe_torch.py --recipe quick [--epochs N] [--widths 32 128 128]
                                      [--batch-size B] [--seed S] [--threads 2]
                                      [--data folder:PATH] [--limit N]

Everything is read from convnp, so this stays the recipe ``convnp train`` runs as it changes:
the options from ``convnp.cli.train.RECIPES[NAME]`` (then --epochs, --widths, --batch-size,
--seed, --data override them, as the same flags of convnp train do), and the pieces from the
functions convnp train builds them with:

- data: ``get_dataset(cfg.data, val_split=cfg.val_split, seed=cfg.seed,
  test_split=cfg.test_split)`` (default data: the shared CIFAR-10 JPEG folder), standardized
  with the training split's mean and std (``splits.standardize()``);
- the network: ``build_model(cfg, info)`` (``models.airbench``, ``airbench_speedrun_init``,
  the fixed parameters frozen), its first layer set by convnp train's ``whiten_first_layer``
  (``nn.init.patch_whitening`` on 5000 standardized training images drawn with the seed), then
  ``convnp.interop.torch.to_torch``: the same weights in torch, float32, channels_last, with
  requires_grad off for the frozen parameters (the whitening filters, the batch norms' scales);
- the update rule: torch.optim.SGD (nesterov or sgd_momentum, coupled weight decay),
  Adam or AdamW, one parameter group per pair of ``build_param_mults(cfg, model)`` factors
  (learning rate and weight decay), each group's lr set to ``schedule(t) * factor`` before step
  t, with ``schedule = build_schedule(cfg, total_steps)`` (the very same object);
- label smoothing in ``F.cross_entropy``; the batches of ``Solver(sampling='epoch')`` drawn from
  the generators of a Solver made with the same seed (a fresh permutation each epoch, the last
  N % batch images of each left out); ``build_augment(cfg, info)``'s transform on the uint8
  NHWC batch, then the same preprocess, then ``torch.from_numpy`` to channels_last;
- ``cfg.whiten_bias_epochs`` (``build_on_epoch``'s ``FreezeAfter``): requires_grad off for
  the whitening layer's bias after that many epochs (torch's SGD then skips it, and autograd
  the first 3x3 conv's input gradient, as convnp's backward pass stops there);
- ``build_lookahead(cfg)``'s ``optim.Lookahead`` rule (its every, decay and power, start epoch
  epochs * 3 // 10) on the twin's float state_dict entries, as convnp on model.state_dict();
- the Solver's accuracy checks as convnp train runs them (``build_check_args(cfg)``: no
  check after the first step, batches of the training batch size or 100, the larger): at each
  epoch end, the training accuracy of ``num_train_samples`` (1000) images drawn from the
  Solver's 'sample' generator and the validation accuracy of the whole validation split, in
  those batches, eval mode; the parameters of the best check are put back at the end, as
  ``Solver.train`` does, unless there is no test split (the recipes): convnp train then keeps
  the last epoch's;
- the final evaluation of convnp train's ``finish_run``: on the test split, or the validation
  split when there is none, with ``predict_proba`` (batches of 256, with cfg.tta airbench's
  weighted mirror and one-pixel moves of ``_tta_views``, scores averaged) on the torch scores.

Before training, one batch of 32 validation images checks that the twin computes what the
convnp model does: the relative difference (max |a - b| / max |b|) of the eval-mode scores and
the train-mode loss in float32, and of every parameter's gradient in float64 copies of both on
white noise (see ``parity`` for why); the script stops if one exceeds 1e-4.

Differences from convnp train, all in what is done beside the recipe: no checkpoints
(best.npz and last.npz at each epoch end), metrics.jsonl or progress bar, and no model file,
plots or report at the end. torch.optim.SGD keeps its momentum buffer in gradient units (b =
-v / lr of convnp's velocity v) and so takes other steps than convnp when the learning rate
changes; the buffers are multiplied by lr(t-1) / lr(t) before step t, which makes them convnp's
steps exactly (airbench's scheduled torch SGD takes torch's). float32 sums in another order
make the two runs drift apart slowly: same recipe, not the same bits.

Columns: train s is the epoch's steps (batch gather, transform, preprocess, forward, loss,
backward, update, Lookahead); check s the epoch's accuracy checks; time s the time since
training started, as convnp train's epoch table and metrics.jsonl count it. The last line
gives the final accuracy and the whole wall time, data loading included (the parity check
not). --limit N keeps a random N images of each split, for smoke runs (the standardization
keeps the whole training split's statistics).

The malloc settings of benchmarks/layers.py (see its docstring) are set here too. Needs the
``bench`` extra (torch, threadpoolctl).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import math
import sys
import time
from pathlib import Path

from _machine import header, reexec_with_malloc_env, render, set_threads

reexec_with_malloc_env()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from convnp import optim  # noqa: E402
from convnp.cli import _common  # noqa: E402
from convnp.cli.train import (  # noqa: E402
    RECIPES,
    TrainConfig,
    build_augment,
    build_check_args,
    build_lookahead,
    build_model,
    build_param_mults,
    build_schedule,
    whiten_first_layer,
)
from convnp.data import get_dataset  # noqa: E402
from convnp.interop.torch import to_torch  # noqa: E402
from convnp.solver import Solver  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cifar10-jpeg" / "train"
PARITY_TOLERANCE = 1e-4
RULES = ("sgd", "sgd_momentum", "nesterov", "adam", "adamw")


def recipe_config(args) -> TrainConfig:
    """TrainConfig's defaults <- RECIPES[args.recipe] <- the flags, checked (convnp train's
    order, without a config file)."""
    preset = RECIPES[args.recipe]
    options = {**preset, "recipe": args.recipe, "model_args": dict(preset.get("model_args", {}))}
    if args.data is not None or "data" not in preset:
        options["data"] = args.data or f"folder:{DEFAULT_DATA}"
    for name in ("epochs", "batch_size", "seed"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    if args.widths is not None:
        options["model_args"]["widths"] = list(args.widths)
    cfg = TrainConfig(**options).check()
    if cfg.seed is None:  # as convnp train: draw one
        cfg.seed = int(np.random.SeedSequence().entropy % (2**32))
    if cfg.dtype != "float32":
        raise _common.UsageError(f"--recipe {args.recipe}: dtype {cfg.dtype}; this benchmark "
                                 f"runs float32 only")
    if cfg.optimizer not in RULES:
        raise _common.UsageError(f"--recipe {args.recipe}: optimizer {cfg.optimizer} has no "
                                 f"torch twin here; supported: {', '.join(RULES)}")
    return cfg


def subsample(splits, limit: int, seed: int):
    """splits with a random ``limit`` images (at most) of each split, in their stored order."""
    rng = np.random.default_rng(seed)
    out = {}
    for part in ("train", "val", "test"):
        X, y = getattr(splits, f"X_{part}"), getattr(splits, f"y_{part}")
        keep = np.sort(rng.choice(y.shape[0], limit, replace=False)) if y.shape[0] > limit \
            else slice(None)
        out[f"X_{part}"], out[f"y_{part}"] = X[keep], y[keep]
    return dataclasses.replace(splits, **out)


def to_tensor(X: np.ndarray) -> torch.Tensor:
    """A preprocessed (N, C, H, W) batch as a channels_last tensor (its dtype kept)."""
    return torch.from_numpy(X).contiguous(memory_format=torch.channels_last)


class Scores:
    """The convnp model contract that predict_proba reads (``eval()``, ``loss(X)`` -> scores)
    on a torch module."""

    def __init__(self, module: torch.nn.Module) -> None:
        self.module = module

    def eval(self) -> Scores:
        self.module.eval()
        return self

    def loss(self, X: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return self.module(to_tensor(X)).numpy()


def relative(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-30))


def parity(cfg: TrainConfig, info, model, twin, X: np.ndarray, y: np.ndarray) -> dict:
    """Relative differences of the twin from the convnp model on one preprocessed batch X.

    float32, the models that train: the eval-mode scores, and the train-mode loss on copies
    (train mode moves batch norm's running statistics). Then every trainable parameter's
    gradient (the largest difference), in float64 copies of both, on white noise of std 0.1.
    Not on X: the max pools send each window's gradient to its maximum, and where a window
    holds equal values or values within rounding of each other the two libraries can pick
    different ones, which moves the conv gradients below by up to 10% (one such window in
    1024 did, in float32). Images have flat patches, and the whitening filters multiply
    the faintest patch directions by up to ~45, so that with std 1 the first GELU flattens
    many values to exactly 0; std 0.1 leaves no ties (float64 differences ~1e-14).
    """
    eps = cfg.label_smoothing
    diffs = {"scores": relative(Scores(twin).eval().loss(X), model.loss(X))}
    loss, _ = copy.deepcopy(model).loss(X, y)
    t_loss = F.cross_entropy(copy.deepcopy(twin).train()(to_tensor(X)), torch.from_numpy(y),
                             label_smoothing=eps)
    diffs["loss"] = relative(t_loss.item(), loss)
    model64 = build_model(dataclasses.replace(cfg, dtype="float64"), info)
    model64.load_state_dict(model.state_dict())
    twin64 = torch_twin(model64).train()
    X64 = 0.1 * np.random.default_rng(0).standard_normal(X.shape)
    _, grads = model64.loss(X64, y)
    F.cross_entropy(twin64(to_tensor(X64)), torch.from_numpy(y), label_smoothing=eps).backward()
    t_grads = {name: p.grad for name, p in twin64.named_parameters() if p.requires_grad}
    if set(t_grads) != set(grads):
        raise RuntimeError(f"parity: the twin trains {sorted(t_grads)}, convnp "
                           f"{sorted(grads)}")
    diffs["grads"] = max(relative(t_grads[k].numpy(), grads[k]) for k in grads)
    return diffs


def torch_twin(model) -> torch.nn.Module:
    """to_torch(model), channels_last, training exactly model.params (requires_grad off for
    the frozen parameters)."""
    twin = to_torch(model).to(memory_format=torch.channels_last)
    trainable = set(model.params)
    for name, p in twin.named_parameters():
        p.requires_grad_(name in trainable)
    return twin


def factor(mult: dict | None, name: str) -> float:
    """The factor of parameter ``name`` in a Solver lr_mult / wd_mult dict (longest matching
    prefix, 1 when none matches)."""
    keys = [k for k in mult or {} if name == k or name.startswith(k + ".")]
    return mult[max(keys, key=len)] if keys else 1.0


def make_optimizer(cfg: TrainConfig, twin: torch.nn.Module, lr_mult, wd_mult):
    """The torch.optim twin of convnp's rule: one group per (lr factor, weight decay)."""
    wd = cfg.weight_decay
    if cfg.optimizer == "adamw" and not wd:
        wd = 1e-2  # convnp train then leaves weight_decay out, and adamw's default is 1e-2
    groups: dict[tuple[float, float], list] = {}
    for name, p in twin.named_parameters():
        if p.requires_grad:
            groups.setdefault((factor(lr_mult, name), factor(wd_mult, name)), []).append(p)
    param_groups = [{"params": ps, "lr_factor": lf, "weight_decay": wd * wf}
                    for (lf, wf), ps in groups.items()]
    mu = 0.9 if cfg.momentum is None else cfg.momentum  # convnp's default momentum
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(param_groups, lr=0.0)
    if cfg.optimizer in ("sgd_momentum", "nesterov"):
        return torch.optim.SGD(param_groups, lr=0.0, momentum=mu,
                               nesterov=cfg.optimizer == "nesterov" and mu > 0)
    kind = torch.optim.Adam if cfg.optimizer == "adam" else torch.optim.AdamW
    return kind(param_groups, lr=0.0, betas=(0.9, 0.999), eps=1e-8)


class TorchLookahead:
    """``convnp.optim.Lookahead``'s rule on a torch module's float state_dict entries."""

    def __init__(self, rule: optim.Lookahead, module: torch.nn.Module) -> None:
        self.rule = rule
        # state_dict's tensors share the parameters' and buffers' storage: updated in place.
        self.weights = [v for v in module.state_dict().values() if v.is_floating_point()]
        self.average: list[torch.Tensor] | None = None

    @torch.no_grad()
    def __call__(self, t: int, T: int, ipe: int) -> None:
        """After step t (1-based) of T, ipe steps per epoch."""
        r = self.rule
        if (t - 1) // ipe < r.start_epoch:
            return
        if t % r.every == 0:
            if self.average is None:
                self.average = [w.clone() for w in self.weights]
            else:
                rho = r.decay ** r.every * (t / T) ** r.power
                torch._foreach_lerp_(self.average, self.weights, 1 - rho)
                torch._foreach_copy_(self.weights, self.average)
        if t % ipe == 0 and self.average is not None:
            torch._foreach_copy_(self.weights, self.average)


def accuracy(twin, X: np.ndarray, y: np.ndarray, preprocess, batch_size: int = 100) -> float:
    """Solver.check_accuracy on the twin: argmax of the eval-mode scores, in batches."""
    scores = Scores(twin).eval()
    pred = np.concatenate([scores.loss(preprocess(X[s:s + batch_size])).argmax(axis=1)
                           for s in range(0, X.shape[0], batch_size)])
    twin.train()
    return float(np.mean(pred == y))


def train(cfg: TrainConfig, splits, model, twin, preprocess) -> tuple[list[dict], dict]:
    """The recipe's training of twin: (one row per epoch, the best check's val_acc and
    parameters, which twin holds at the end when there is a test split)."""
    info = splits.info
    # A Solver made as convnp train makes it, never trained: its generators ('batch',
    # 'sample', 'transform'), steps per epoch and accuracy checks (subsample size, batches,
    # whether the first step has one).
    solver = Solver(model, splits.solver_data(), seed=cfg.seed, batch_size=cfg.batch_size,
                    num_epochs=cfg.epochs, sampling="epoch", verbose=False,
                    **build_check_args(cfg))
    ipe, T, B = solver.iterations_per_epoch, solver.num_iterations, cfg.batch_size
    X_train, y_train, N = splits.X_train, splits.y_train, splits.y_train.shape[0]
    schedule = build_schedule(cfg, T)
    lrs = [cfg.lr if schedule is None else schedule(t) for t in range(T)]
    momentum_rule = cfg.optimizer in ("sgd_momentum", "nesterov")
    if momentum_rule and 0.0 in lrs[1:]:
        raise ValueError(f"the schedule reaches learning rate 0 at step {lrs.index(0.0, 1)}: "
                         f"torch's momentum buffer cannot then follow convnp's velocity")
    opt = make_optimizer(cfg, twin, *build_param_mults(cfg, model))
    rule = build_lookahead(cfg)
    lookahead = TorchLookahead(rule, twin) if rule is not None else None
    transform = build_augment(cfg, info)
    trainable = [(name, p) for name, p in twin.named_parameters() if p.requires_grad]
    best = {"val_acc": 0.0, "params": None}

    def check() -> tuple[float, float]:
        X, y = X_train, y_train
        n = solver.num_train_samples
        if n is not None and N > n:
            mask = solver.rngs["sample"].choice(N, n, replace=False)
            X, y = X[mask], y[mask]
        train_acc = accuracy(twin, X, y, preprocess, solver.check_batch_size)
        val_acc = accuracy(twin, splits.X_val, splits.y_val, preprocess, solver.check_batch_size)
        if val_acc > best["val_acc"]:
            best["val_acc"] = val_acc
            best["params"] = [p.detach().clone() for _, p in trainable]
        return train_acc, val_acc

    rows, perm = [], None
    train_s = check_s = 0.0
    losses: list[float] = []
    twin.train()
    start = time.perf_counter()
    for t in range(T):
        tick = time.perf_counter()
        i = t % ipe
        if i == 0:
            perm = solver.rngs["batch"].permutation(N)
        idx = perm[i * B:(i + 1) * B]
        X_batch, y_batch = X_train[idx], torch.from_numpy(y_train[idx])
        if transform is not None:
            X_batch, _ = transform(X_batch, None, solver.rngs["transform"], epoch=t // ipe,
                                   indices=idx)
        x = to_tensor(preprocess(X_batch))
        if t and momentum_rule and lrs[t] != lrs[t - 1]:
            buffers = [s["momentum_buffer"] for s in opt.state.values()
                       if s.get("momentum_buffer") is not None]
            torch._foreach_mul_(buffers, lrs[t - 1] / lrs[t])
        for group in opt.param_groups:
            group["lr"] = lrs[t] * group["lr_factor"]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(twin(x), y_batch, label_smoothing=cfg.label_smoothing)
        loss_value = loss.item()
        if not math.isfinite(loss_value):
            raise FloatingPointError(f"the loss is {loss_value} at step {t + 1} of {T}")
        loss.backward()
        opt.step()
        if lookahead is not None:
            lookahead(t + 1, T, ipe)
        losses.append(loss_value)
        tock = time.perf_counter()
        train_s += tock - tick
        if (t == 0 and solver.check_first) or (t + 1) % ipe == 0 or t == T - 1:
            train_acc, val_acc = check()
            check_s += time.perf_counter() - tock
        if (t + 1) % ipe == 0:
            rows.append({"epoch": (t + 1) // ipe, "loss": float(np.mean(losses)),
                         "train_acc": train_acc, "val_acc": val_acc, "train_s": train_s,
                         "check_s": check_s, "time": time.perf_counter() - start})
            print(f"epoch {rows[-1]['epoch']}: loss {rows[-1]['loss']:.4f}, val acc "
                  f"{val_acc:.4f}, {rows[-1]['time']:.1f} s", file=sys.stderr, flush=True)
            train_s = check_s = 0.0
            losses = []
            if cfg.whiten_bias_epochs == (t + 1) // ipe:  # convnp train's FreezeAfter
                twin.get_submodule("0").bias.requires_grad_(False)
    # Solver.train ends with the best check's parameters; convnp train keeps the last
    # epoch's when the validation split is also the final measure (no test split).
    if best["params"] is not None and splits.y_test.shape[0]:
        with torch.no_grad():
            for (_, p), value in zip(trainable, best["params"]):
                p.copy_(value)
    return rows, best


def describe(cfg: TrainConfig, splits) -> str:
    sizes = (f"{splits.y_train.shape[0]} train / {splits.y_val.shape[0]} val / "
             f"{splits.y_test.shape[0]} test images")
    momentum = "" if cfg.momentum is None else f" momentum {cfg.momentum}"
    return (f"# recipe {cfg.recipe}: {cfg.model} {cfg.model_args}, {cfg.epochs} epochs, batch "
            f"{cfg.batch_size}, {cfg.optimizer}{momentum} lr {cfg.lr:g} ({cfg.schedule}), "
            f"weight decay {cfg.weight_decay:g}, label smoothing {cfg.label_smoothing:g}, "
            f"augment '{cfg.augment}', lookahead {cfg.lookahead}, tta {cfg.tta}, seed "
            f"{cfg.seed}; {cfg.data}: {sizes}")


def main(argv=None) -> int:
    t_start = time.perf_counter()
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="example: python benchmarks/recipe_torch.py --recipe quick --epochs 1 "
               "--widths 8 16 16 --limit 2000")
    parser.add_argument("--recipe", choices=tuple(RECIPES), required=True,
                        help="a preset of convnp train --recipe (convnp.cli.train.RECIPES)")
    parser.add_argument("--data", help=f"dataset spec (default: the recipe's, else "
                                       f"folder:{DEFAULT_DATA})")
    parser.add_argument("--epochs", type=_common.positive_int, help="override the recipe's")
    parser.add_argument("--widths", type=_common.positive_int, nargs="+",
                        help="airbench's block widths, overriding the recipe's")
    parser.add_argument("--batch-size", type=_common.positive_int,
                        help="override the recipe's")
    parser.add_argument("--seed", type=_common.nonnegative_int,
                        help="override the recipe's (default 0)")
    parser.add_argument("--threads", type=_common.positive_int, default=2,
                        help="torch's threads (and BLAS's), as convnp's run (default 2)")
    parser.add_argument("--limit", type=_common.positive_int,
                        help="keep a random N images of each split (smoke runs)")
    args = parser.parse_args(argv)
    try:
        cfg = recipe_config(args)
    except _common.UsageError as exc:
        parser.error(str(exc))

    blas = set_threads(args.threads)
    torch.set_num_threads(args.threads)
    splits = get_dataset(cfg.data, data_dir=cfg.data_dir, val_split=cfg.val_split,
                         seed=cfg.seed, size=cfg.image_size, test_split=cfg.test_split)
    if args.limit is not None:
        splits = subsample(splits, args.limit, cfg.seed)
    data_s = time.perf_counter() - t_start

    model = build_model(cfg, splits.info)
    preprocess = splits.standardize()
    if cfg.recipe is not None and cfg.model == "airbench":
        whiten_first_layer(model, splits, cfg.seed)  # as convnp train's _start
    twin = torch_twin(model)

    tick = time.perf_counter()
    diffs = parity(cfg, splits.info, model, twin, preprocess(splits.X_val[:32]),
                   splits.y_val[:32])
    parity_s = time.perf_counter() - tick

    print(header(args.threads, blas, "float32, channels_last, one process"))
    print(describe(cfg, splits))
    print(f"# parity with convnp on 32 validation images, relative: scores "
          f"{diffs['scores']:.1e} (eval), loss {diffs['loss']:.1e} (train), float32; "
          f"gradients {diffs['grads']:.1e} (float64, on noise)", flush=True)
    if max(diffs.values()) > PARITY_TOLERANCE:
        print(f"the torch twin differs from the convnp model by more than "
              f"{PARITY_TOLERANCE:g}: not timing it", file=sys.stderr)
        return 1

    rows, best = train(cfg, splits, model, twin, preprocess)

    tick = time.perf_counter()
    split = "test" if splits.y_test.shape[0] else "val"
    X_eval, y_eval = getattr(splits, f"X_{split}"), getattr(splits, f"y_{split}")
    probs = _common.predict_proba(Scores(twin), X_eval, preprocess, tta=cfg.tta)
    final = float(np.mean(probs.argmax(axis=1) == y_eval))
    eval_s = time.perf_counter() - tick
    total_s = time.perf_counter() - t_start - parity_s

    head = ["epoch", "loss", "train acc", "val acc", "train s", "check s", "time s"]
    lines = [[str(r["epoch"]), f"{r['loss']:.4f}", f"{r['train_acc']:.4f}",
              f"{r['val_acc']:.4f}", f"{r['train_s']:.1f}", f"{r['check_s']:.1f}",
              f"{r['time']:.1f}"] for r in rows]
    print()
    print(render(head, lines, markdown=True))
    chosen = (f"parameters of the best check, val acc {best['val_acc']:.4f}" if split == "test"
              else "the last epoch's parameters")
    print(f"\nfinal: {split} accuracy {final:.4f} ({y_eval.shape[0]} images"
          f"{', with TTA' if cfg.tta else ''}; {chosen}) in {eval_s:.1f} s; {total_s:.1f} s "
          f"in all (data loading {data_s:.1f} s included, the parity check's {parity_s:.1f} s "
          f"not)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
