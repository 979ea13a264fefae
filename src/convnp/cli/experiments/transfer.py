"""transfer: features learned on half of the classes, reused for the other half.

The study notes' recipe for a small dataset: take a convnet trained on related data, freeze its
convolutional layers, replace the classifier with a new linear layer for the new classes and
train only that layer. Here the "related data" is the first half of the dataset's classes (the
digits 0-4), the new task the second half (5-9, relabelled 0-4) with only a few labelled
examples per class. The same architecture trained from scratch on those few examples is the
baseline.

The network is the zoo's ``vgg`` (two stages, widths (16, 32) on the digits). Fine-tuning uses
``Module.freeze()`` on the feature layers, so ``model.params`` (what the Solver updates) holds
the head only. The frozen layers also stay in eval mode (``FrozenFeatures``): in train mode
their batch norms would normalise with the statistics of each fine-tuning batch and write the
new classes' statistics into their running averages, so the features would not be the ones
that were learned. Both state_dicts are saved (pretrained.npz, finetuned.npz) so the frozen
weights can be compared afterwards.

What to expect on the digits: the head trains 645 parameters instead of 17205 and gets most of
the way, but it does not beat training from scratch. Fifty clean 8x8 digits are enough for the
small vgg (test accuracy on 5-9 0.87-0.94 over seeds 0-3, the frozen features 0.86-0.89), and
features learned on five classes are specific to them. Transfer pays where the target is
harder to learn from a few examples: on CIFAR-10's halves the frozen features were ahead on
average in short runs, though not in every seed.
"""

from __future__ import annotations

import numpy as np

from ...nn import Linear, Sequential
from . import _base


class FrozenFeatures(Sequential):
    """A fixed feature extractor and a trainable head: ``Sequential(features=..., head=...)``.

    ``features`` is frozen at construction (``Module.freeze()``: its parameters leave
    ``params`` and ``grads``) and kept in eval mode whatever mode the whole is set to, so its
    batch norms use, and never update, their running statistics: the features are a fixed
    function. ``backward`` stops at the head: it returns the gradient with respect to the
    features (not the input), since nothing below the head learns.

    Args:
        features (Module): the pretrained layers, up to and including Flatten
        head (Module): the new classifier, e.g. Linear(num_features, num_classes)
    """

    def __init__(self, features, head) -> None:
        super().__init__({"features": features.freeze(), "head": head})

    def train(self, mode: bool = True) -> FrozenFeatures:
        super().train(mode)
        self.features.train(False)
        return self

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return self.head.backward(dout)


def settings(quick: bool, info) -> dict:
    # The head alone needs Adam 1e-2 (at 1e-3 it has not fitted 50 examples after 30 epochs);
    # the whole net from scratch trains with the usual 1e-3.
    s = {"widths": [16, 32], "pretrain_num_train": 5000,
         "pretrain_epochs": 8 if info.name == "digits" else 5, "pretrain_batch_size": 50,
         "pretrain_learning_rate": 1e-3, "per_class": 10, "epochs": 30, "batch_size": 10,
         "head_learning_rate": 1e-2, "scratch_learning_rate": 1e-3, "num_val": 1000}
    if quick:
        s.update(widths=[8, 16], pretrain_num_train=300, pretrain_epochs=3, epochs=10,
                 num_val=100)
    return s


def class_halves(num_classes: int) -> tuple[list[int], list[int]]:
    """(source, target): the first num_classes // 2 labels and the rest."""
    half = num_classes // 2
    return list(range(half)), list(range(half, num_classes))


def _task(X: np.ndarray, y: np.ndarray, classes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The examples of the given classes, relabelled 0 .. len(classes) - 1 in that order."""
    keep = np.isin(y, classes)
    relabel = np.full(int(y.max()) + 1, -1, dtype=np.int64)
    relabel[classes] = np.arange(len(classes))
    return X[keep], relabel[y[keep]]


def build(ctx: _base.Context, s: dict, num_classes: int, key: str):
    """A fresh zoo vgg for the context's images with num_classes outputs, seeded by key."""
    from ... import models

    H, W, C = ctx.info.image_shape
    if H != W:
        raise ValueError(f"transfer: the zoo's vgg takes square images; got {H}x{W}")
    return models.vgg(tuple(s["widths"]), in_channels=C, num_classes=num_classes, input_size=H,
                      seed=ctx.seed_for(key))


def pretrain(ctx: _base.Context, s: dict) -> tuple[Sequential, _base.History, dict]:
    """Train vgg on the source half of the classes; return (model, history, source data)."""
    source, _ = class_halves(ctx.info.num_classes)
    sp = ctx.splits
    X_train, y_train = _task(sp.X_train, sp.y_train, source)
    X_train, y_train = _base.subset(X_train, y_train, s["pretrain_num_train"],
                                    ctx.rng("pretrain-data"))
    X_val, y_val = _task(sp.X_val, sp.y_val, source)
    X_val, y_val = _base.subset(X_val, y_val, s["num_val"], ctx.rng("pretrain-data"))
    data = {"X_train": X_train, "y_train": y_train, "X_val": X_val, "y_val": y_val}
    model = build(ctx, s, len(source), "pretrain-init")
    h = _base.train(ctx, model, data, "pretrain", epochs=s["pretrain_epochs"],
                    batch_size=s["pretrain_batch_size"], update_rule="adam",
                    optim_config={"learning_rate": s["pretrain_learning_rate"]},
                    seed_key="pretrain-batches")
    return model, h, data


def target_data(ctx: _base.Context, s: dict) -> dict:
    """per_class labelled training examples of each target class, and the target val set."""
    _, target = class_halves(ctx.info.num_classes)
    sp = ctx.splits
    idx = _base.per_class(sp.y_train, target, s["per_class"], ctx.rng("target-data"))
    X_train, y_train = _task(sp.X_train[idx], sp.y_train[idx], target)
    X_val, y_val = _task(sp.X_val, sp.y_val, target)
    X_val, y_val = _base.subset(X_val, y_val, s["num_val"], ctx.rng("target-data"))
    return {"X_train": X_train, "y_train": y_train, "X_val": X_val, "y_val": y_val}


def fine_tune(ctx: _base.Context, s: dict, pretrained: Sequential, data: dict
              ) -> tuple[FrozenFeatures, _base.History]:
    """The pretrained layers up to Flatten, frozen, under a new Linear head trained on data."""
    features = pretrained[:-1]
    old_head = pretrained[-1]
    num_classes = int(data["y_train"].max()) + 1
    head = Linear(old_head.in_features, num_classes, rng=ctx.rng("head-init"),
                  dtype=old_head.weight.dtype)
    model = FrozenFeatures(features, head)
    h = _base.train(ctx, model, data, "fine-tune", epochs=s["epochs"],
                    batch_size=s["batch_size"], update_rule="adam",
                    optim_config={"learning_rate": s["head_learning_rate"]})
    return model, h


def run(ctx: _base.Context, s: dict) -> _base.Outcome:
    from .._common import evaluate

    source, target = class_halves(ctx.info.num_classes)
    pretrained, h_pre, source_data = pretrain(ctx, s)
    pretrained_state = pretrained.state_dict()
    # Counted now: fine_tune freezes the feature layers, which the two models share.
    trainable = {"pretrained": pretrained.num_parameters(trainable_only=True)}
    data = target_data(ctx, s)
    tuned, h_tuned = fine_tune(ctx, s, pretrained, data)
    scratch = build(ctx, s, len(target), "scratch-init")
    # The same minibatches as fine-tuning (same seed key, same training set).
    h_scratch = _base.train(ctx, scratch, data, "scratch", epochs=s["epochs"],
                            batch_size=s["batch_size"], update_rule="adam",
                            optim_config={"learning_rate": s["scratch_learning_rate"]})

    sp, names = ctx.splits, ctx.info.classes
    X_src, y_src = _task(sp.X_test, sp.y_test, source)
    X_tgt, y_tgt = _task(sp.X_test, sp.y_test, target)
    src, tgt = _span(names, source), _span(names, target)
    rows = []
    for label, model, h, task, train_data, (X, y) in (
            ("pretrained", pretrained, h_pre, src, source_data, (X_src, y_src)),
            ("frozen features + new head", tuned, h_tuned, tgt, data, (X_tgt, y_tgt)),
            ("from scratch", scratch, h_scratch, tgt, data, (X_tgt, y_tgt))):
        metrics, _ = evaluate(model, X, y, ctx.preprocess, int(train_data["y_train"].max()) + 1)
        rows.append({"model": label, "classes": task,
                     "num_train": int(train_data["y_train"].shape[0]),
                     "trainable_params": trainable.get(label,
                                                       model.num_parameters(trainable_only=True)),
                     "total_params": model.num_parameters(), "best_val_acc": h.best_val_acc,
                     "test_acc": metrics["accuracy"], "num_test": metrics["num_samples"]})
    columns = [("model", "model", ""), ("classes", "classes", ""),
               ("num_train", "train examples", "d"), ("trainable_params", "trainable params", "d"),
               ("best_val_acc", "best val acc", ".3f"), ("test_acc", "test acc", ".3f")]
    headline = (f"With {s['per_class']} labelled examples per class of {tgt}, the frozen "
                f"features from {src} reach test accuracy {rows[1]['test_acc']:.3f} "
                f"({rows[1]['trainable_params']} trainable parameters); from scratch "
                f"{rows[2]['test_acc']:.3f} ({rows[2]['trainable_params']}).")
    files = []
    if ctx.out is not None:
        files = [_save_state(ctx.out / "pretrained.npz", pretrained_state),
                 _save_state(ctx.out / "finetuned.npz", tuned.state_dict())]
    series = {"pretrain": h_pre.to_dict(), "fine-tune": h_tuned.to_dict(),
              "scratch": h_scratch.to_dict()}
    return _base.Outcome(columns, rows, _figure(h_pre, h_tuned, h_scratch, src, tgt), series,
                         headline, files)


def _span(names, labels: list[int]) -> str:
    """'0-4' for the digits, 'dog..truck' for longer class names."""
    first, last = names[labels[0]], names[labels[-1]]
    return f"{first}-{last}" if len(first) == len(last) == 1 else f"{first}..{last}"


def _save_state(path, state: dict):
    """A state_dict as a plain .npz (no pickles), written atomically; return the path."""
    from ..plots import write_atomically

    def write(tmp):
        with open(tmp, "wb") as f:
            np.savez(f, **state)

    return write_atomically(path, write)


def _figure(h_pre: _base.History, h_tuned: _base.History, h_scratch: _base.History,
            src: str, tgt: str):
    fig = _base.figure(11, 4)
    ax_pre, ax_tgt = fig.subplots(1, 2)
    ax_pre.plot(h_pre.epochs, h_pre.train_acc, "o-", label="train")
    ax_pre.plot(h_pre.epochs, h_pre.val_acc, "s-", label="validation")
    ax_pre.set(title=f"pretraining on classes {src}", xlabel="epoch", ylabel="accuracy")
    ax_pre.legend(loc="lower right")
    for h, label in ((h_tuned, "frozen features + new head"), (h_scratch, "from scratch")):
        ax_tgt.plot(h.epochs, h.val_acc, "o-", label=f"{label} (val)")
        ax_tgt.plot(h.epochs, h.train_acc, ":", color=ax_tgt.lines[-1].get_color(),
                    label=f"{label} (train)")
    ax_tgt.set(title=f"classes {tgt}, few labelled examples", xlabel="epoch",
               ylabel="accuracy", ylim=(0, 1.03))
    ax_tgt.legend(loc="lower right", fontsize="small")
    for ax in (ax_pre, ax_tgt):
        ax.grid(alpha=0.3)
    return fig
