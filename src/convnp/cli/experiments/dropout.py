"""dropout: the same net on a small training set with keep ratios 1, 0.75, 0.5 and 0.25.

Dropout.ipynb's regularization experiment: a FullyConnectedNet with one hidden layer of 500
units on 500 examples (Adam 5e-4, batch 100, 25 epochs), without dropout and with keep ratio
0.25; a lower keep ratio closes the gap between train and validation accuracy. convnp runs four
ratios from one init and one sequence of minibatches, with the course's settings.
``dropout_keep_ratio`` is the probability of KEEPING a unit (the course's p); accuracies are
measured with dropout off. On the digits the effect is small: the gap there is a few points
and keep 0.25 narrows it mostly by lowering the train accuracy.
"""

from __future__ import annotations

from . import _base


def settings(quick: bool, info) -> dict:
    s = {"keep_ratios": [1.0, 0.75, 0.5, 0.25], "hidden_dims": [500], "num_train": 500,
         "num_val": 1000, "learning_rate": 5e-4, "batch_size": 100, "epochs": 25}
    if quick:
        s.update(hidden_dims=[100], num_train=100, num_val=100, batch_size=50, epochs=4)
    return s


def run(ctx: _base.Context, s: dict) -> _base.Outcome:
    from ...classifiers import FullyConnectedNet

    data = _base.solver_data(ctx, s["num_train"], s["num_val"], "data")
    histories = {}
    for keep in s["keep_ratios"]:
        # rng("init") for every ratio: the same weights (dropout's generator is drawn after
        # them), so the runs differ in the keep ratio only.
        model = FullyConnectedNet(s["hidden_dims"], input_dim=ctx.input_dim,
                                  num_classes=ctx.info.num_classes, dropout_keep_ratio=keep,
                                  weight_scale=5e-2, rng=ctx.rng("init"))
        histories[keep] = _base.train(ctx, model, data, f"keep={keep:g}", epochs=s["epochs"],
                                      batch_size=s["batch_size"], update_rule="adam",
                                      optim_config={"learning_rate": s["learning_rate"]})
    rows = [{"keep_ratio": keep, "train_acc": h.final_train_acc, "val_acc": h.final_val_acc,
             "gap": h.final_train_acc - h.final_val_acc, "best_val_acc": h.best_val_acc}
            for keep, h in histories.items()]
    columns = [("keep_ratio", "keep ratio", ".2f"), ("train_acc", "final train acc", ".3f"),
               ("val_acc", "final val acc", ".3f"), ("gap", "gap", ".3f"),
               ("best_val_acc", "best val acc", ".3f")]
    plain, lowest = rows[0], rows[-1]
    headline = (f"Train/val gap {plain['gap']:.3f} at keep ratio {plain['keep_ratio']:g}, "
                f"{lowest['gap']:.3f} at {lowest['keep_ratio']:g} "
                f"({int(data['y_train'].shape[0])} training examples).")
    series = {f"{keep:g}": h.to_dict() for keep, h in histories.items()}
    return _base.Outcome(columns, rows, _figure(histories, rows), series, headline)


def _figure(histories: dict, rows: list[dict]):
    fig = _base.figure(12, 4)
    ax_train, ax_val, ax_gap = fig.subplots(1, 3)
    for keep, h in histories.items():
        line, = ax_train.plot(h.epochs, h.train_acc, "-", label=f"keep {keep:g}")
        ax_val.plot(h.epochs, h.val_acc, "-", color=line.get_color(), label=f"keep {keep:g}")
    ax_train.set(title="train accuracy (dropout off)", xlabel="epoch", ylabel="accuracy")
    ax_val.set(title="validation accuracy", xlabel="epoch", ylabel="accuracy")
    ax_val.legend(loc="lower right")
    keeps = [r["keep_ratio"] for r in rows]
    ax_gap.plot(keeps, [r["gap"] for r in rows], "o-", color="black")
    gaps = [r["gap"] for r in rows]
    # From zero: on an autoscaled axis a difference of a point looks like a collapse.
    ax_gap.set(title="final train - val accuracy", xlabel="keep ratio", ylabel="gap",
               ylim=(min(0.0, *gaps), max(0.05, *gaps) * 1.15))
    ax_gap.invert_xaxis()
    for ax in (ax_train, ax_val, ax_gap):
        ax.grid(alpha=0.3)
    return fig
