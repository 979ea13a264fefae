"""transfer: features learned on half of the classes, reused for the other half.

The study notes' recipe for a small dataset: take a convnet trained on related data, freeze its
convolutional layers, replace the classifier with a new linear layer for the new classes and
train only that layer; then let the pretrained layers learn again, slowly. Here the "related
data" is the first half of the dataset's classes (the digits 0-4), the new task the second
half (5-9, relabelled 0-4) with only a few labelled examples per class. The same architecture
trained from scratch on those few examples is the baseline.

The network is the zoo's ``vgg`` (two stages, widths (16, 32) on the digits), and the recipe is
``convnp.transfer``'s: ``replace_head`` (a new Linear for the new classes) and
``freeze_backbone`` (every other layer with parameters frozen and kept in eval mode, so its
batch norms keep the statistics that were learned, and the backward pass stops at the head);
then ``unfreeze`` of every layer and a Solver with ``lr_mult`` giving the backbone a tenth of
the head's learning rate. The states after pretraining, after the head stage and after
fine-tuning are saved (pretrained.npz, head_trained.npz, fine_tuned.npz) so the frozen weights
can be compared afterwards.

What to expect: on CIFAR-10's halves (``--data folder:../shared/data/cifar10-jpeg/train``,
10 images per class) transfer wins clearly (tests/test_transfer.py measures 0.56-0.62 fine-tuned
against 0.48-0.50 from scratch over three seeds). On the digits it does not: fifty clean 8x8
digits are enough for the small vgg from scratch (test accuracy on 5-9 0.87-0.94 over seeds
0-3, the frozen features 0.82-0.89), and features learned on five digits are specific to them.
"""

from __future__ import annotations

import copy

import numpy as np

from ... import transfer
from ...nn import Sequential
from . import _base


def settings(quick: bool, info) -> dict:
    # The head alone needs Adam 1e-2 (at 1e-3 it has not fitted 50 examples after 30 epochs);
    # the whole net from scratch trains with the usual 1e-3, and fine-tuning continues from
    # the trained head at 1e-3 with the backbone at a tenth of it.
    s = {"widths": [16, 32], "pretrain_num_train": 5000,
         "pretrain_epochs": 8 if info.name == "digits" else 5, "pretrain_batch_size": 50,
         "pretrain_learning_rate": 1e-3, "per_class": 10, "epochs": 30, "batch_size": 10,
         "head_learning_rate": 1e-2, "scratch_learning_rate": 1e-3, "finetune_epochs": 15,
         "finetune_learning_rate": 1e-3, "backbone_lr_mult": 0.1, "num_val": 1000}
    if quick:
        s.update(widths=[8, 16], pretrain_num_train=300, pretrain_epochs=3, epochs=10,
                 finetune_epochs=5, num_val=100)
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


def fine_tune(ctx: _base.Context, s: dict, pretrained: Sequential, data: dict):
    """The notes' recipe on a copy of the pretrained model: a new head trained on the frozen
    features, then every layer fine-tuned with the backbone at backbone_lr_mult of the head's
    learning rate. Returns (head-stage state, its History, fine-tuned model, its History)."""
    model = copy.deepcopy(pretrained)
    transfer.replace_head(model, int(data["y_train"].max()) + 1, rng=ctx.rng("head-init"))
    transfer.freeze_backbone(model)
    h_head = _base.train(ctx, model, data, "new head", epochs=s["epochs"],
                         batch_size=s["batch_size"], update_rule="adam",
                         optim_config={"learning_rate": s["head_learning_rate"]})
    head_state = model.state_dict()
    head_trainable = model.num_parameters(trainable_only=True)
    model.unfreeze(*transfer.layer_names(model))
    h_fine = _base.train(ctx, model, data, "fine-tuned", epochs=s["finetune_epochs"],
                         batch_size=s["batch_size"], update_rule="adam",
                         optim_config={"learning_rate": s["finetune_learning_rate"]},
                         lr_mult=transfer.backbone_lr_mult(model, s["backbone_lr_mult"]))
    return head_state, head_trainable, h_head, model, h_fine


def run(ctx: _base.Context, s: dict) -> _base.Outcome:
    from .._common import evaluate

    source, target = class_halves(ctx.info.num_classes)
    pretrained, h_pre, source_data = pretrain(ctx, s)
    data = target_data(ctx, s)
    head_state, head_trainable, h_head, tuned, h_tuned = fine_tune(ctx, s, pretrained, data)
    # The head stage's model, rebuilt from its state to be evaluated like the others.
    head_model = copy.deepcopy(tuned)
    head_model.load_state_dict(head_state)
    scratch = build(ctx, s, len(target), "scratch-init")
    # The same minibatches as the head stage (same seed key, same training set).
    h_scratch = _base.train(ctx, scratch, data, "scratch", epochs=s["epochs"],
                            batch_size=s["batch_size"], update_rule="adam",
                            optim_config={"learning_rate": s["scratch_learning_rate"]})

    sp, names = ctx.splits, ctx.info.classes
    X_src, y_src = _task(sp.X_test, sp.y_test, source)
    X_tgt, y_tgt = _task(sp.X_test, sp.y_test, target)
    src, tgt = _span(names, source), _span(names, target)
    rows = []
    for label, model, trainable, h, task, train_data, (X, y) in (
            ("pretrained", pretrained, None, h_pre, src, source_data, (X_src, y_src)),
            ("frozen features + new head", head_model, head_trainable, h_head, tgt, data,
             (X_tgt, y_tgt)),
            ("fine-tuned (backbone lr x{:g})".format(s["backbone_lr_mult"]), tuned, None,
             h_tuned, tgt, data, (X_tgt, y_tgt)),
            ("from scratch", scratch, None, h_scratch, tgt, data, (X_tgt, y_tgt))):
        metrics, _ = evaluate(model, X, y, ctx.preprocess, int(train_data["y_train"].max()) + 1)
        rows.append({"model": label, "classes": task,
                     "num_train": int(train_data["y_train"].shape[0]),
                     "trainable_params": (model.num_parameters(trainable_only=True)
                                          if trainable is None else trainable),
                     "total_params": model.num_parameters(), "best_val_acc": h.best_val_acc,
                     "test_acc": metrics["accuracy"], "num_test": metrics["num_samples"]})
    columns = [("model", "model", ""), ("classes", "classes", ""),
               ("num_train", "train examples", "d"), ("trainable_params", "trainable params", "d"),
               ("best_val_acc", "best val acc", ".3f"), ("test_acc", "test acc", ".3f")]
    headline = (f"With {s['per_class']} labelled examples per class of {tgt}, the frozen "
                f"features from {src} with a new head reach test accuracy "
                f"{rows[1]['test_acc']:.3f} ({rows[1]['trainable_params']} trainable "
                f"parameters), fine-tuned {rows[2]['test_acc']:.3f}; from scratch "
                f"{rows[3]['test_acc']:.3f} ({rows[3]['trainable_params']}).")
    files = []
    if ctx.out is not None:
        files = [_save_state(ctx.out / "pretrained.npz", pretrained.state_dict()),
                 _save_state(ctx.out / "head_trained.npz", head_state),
                 _save_state(ctx.out / "fine_tuned.npz", tuned.state_dict())]
    series = {"pretrain": h_pre.to_dict(), "new head": h_head.to_dict(),
              "fine-tuned": h_tuned.to_dict(), "scratch": h_scratch.to_dict()}
    return _base.Outcome(columns, rows, _figure(h_pre, h_head, h_tuned, h_scratch, src, tgt),
                         series, headline, files)


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


def _figure(h_pre: _base.History, h_head: _base.History, h_tuned: _base.History,
            h_scratch: _base.History, src: str, tgt: str):
    fig = _base.figure(11, 4)
    ax_pre, ax_tgt = fig.subplots(1, 2)
    ax_pre.plot(h_pre.epochs, h_pre.train_acc, "o-", label="train")
    ax_pre.plot(h_pre.epochs, h_pre.val_acc, "s-", label="validation")
    ax_pre.set(title=f"pretraining on classes {src}", xlabel="epoch", ylabel="accuracy")
    ax_pre.legend(loc="lower right")
    # The fine-tuning stage continues after the head stage's epochs.
    offset = len(h_head.epochs)
    for h, label, shift in ((h_head, "frozen features + new head", 0),
                            (h_tuned, "then fine-tuned", offset),
                            (h_scratch, "from scratch", 0)):
        epochs = [e + shift for e in h.epochs]
        ax_tgt.plot(epochs, h.val_acc, "o-", label=f"{label} (val)")
        ax_tgt.plot(epochs, h.train_acc, ":", color=ax_tgt.lines[-1].get_color(),
                    label=f"{label} (train)")
    ax_tgt.set(title=f"classes {tgt}, few labelled examples", xlabel="epoch",
               ylabel="accuracy", ylim=(0, 1.03))
    ax_tgt.legend(loc="lower right", fontsize="small")
    for ax in (ax_pre, ax_tgt):
        ax.grid(alpha=0.3)
    return fig
