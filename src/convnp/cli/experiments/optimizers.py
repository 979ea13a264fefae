"""optimizers: SGD, SGD+momentum, RMSProp and Adam training the same net on the same batches.

The course's comparison (FullyConnectedNet.ipynb): a 6-layer net (five hidden layers of 100
units) from one initialisation, trained by each update rule from ``convnp.optim`` with the same
minibatches (one Solver seed). The course's rates are 1e-2 for SGD and momentum, 1e-4 for
RMSProp and 1e-3 for Adam, with weight_scale 5e-2, on 4000 CIFAR-10 images for 5 epochs; those
are kept for the real sets. On the digits (64 inputs instead of 3072) weight_scale 5e-2 starts
so small that plain SGD does not move in 10 epochs, so the digits use 0.1 and RMSProp 3e-4.
"""

from __future__ import annotations

from . import _base

RULES = ("sgd", "sgd_momentum", "rmsprop", "adam")
LABELS = {"sgd": "SGD", "sgd_momentum": "SGD+momentum", "rmsprop": "RMSProp", "adam": "Adam"}


def settings(quick: bool, info) -> dict:
    digits = info.name == "digits"
    s = {"hidden_dims": [100] * 5, "weight_scale": 0.1 if digits else 5e-2,
         "learning_rates": {"sgd": 1e-2, "sgd_momentum": 1e-2,
                            "rmsprop": 3e-4 if digits else 1e-4, "adam": 1e-3},
         "num_train": 4000, "num_val": 1000, "epochs": 10 if digits else 5,
         "batch_size": 50 if digits else 100}
    if quick:
        s.update(hidden_dims=[32] * 5, num_train=300, num_val=100, epochs=3)
    return s


def run(ctx: _base.Context, s: dict) -> _base.Outcome:
    from ...classifiers import FullyConnectedNet

    data = _base.solver_data(ctx, s["num_train"], s["num_val"], "data")
    histories = {}
    for rule in RULES:
        # The same init seed for every rule: the four runs start from identical weights.
        model = FullyConnectedNet(s["hidden_dims"], input_dim=ctx.input_dim,
                                  num_classes=ctx.info.num_classes,
                                  weight_scale=s["weight_scale"], rng=ctx.rng("init"))
        histories[rule] = _base.train(ctx, model, data, rule, epochs=s["epochs"],
                                      batch_size=s["batch_size"], update_rule=rule,
                                      optim_config={"learning_rate": s["learning_rates"][rule]})
    rows = [{"rule": LABELS[r], "update_rule": r, "learning_rate": s["learning_rates"][r],
             "final_loss": h.final_loss, "train_acc": h.final_train_acc,
             "val_acc": h.final_val_acc} for r, h in histories.items()]
    columns = [("rule", "update rule", ""), ("learning_rate", "lr", ".0e"),
               ("final_loss", "final loss", ".4f"), ("train_acc", "train acc", ".3f"),
               ("val_acc", "val acc", ".3f")]
    lowest = min(rows, key=lambda r: r["final_loss"])
    headline = (f"Same init and batches for all four. Final loss (mean of the last epoch): "
                f"{lowest['rule']} lowest at {lowest['final_loss']:.4f}, plain SGD "
                f"{rows[0]['final_loss']:.4f}.")
    return _base.Outcome(columns, rows, _figure(histories),
                         {r: h.to_dict() for r, h in histories.items()}, headline)


def _figure(histories: dict):
    fig = _base.figure(12, 4)
    ax_loss, ax_train, ax_val = fig.subplots(1, 3)
    for rule, h in histories.items():
        window = max(1, len(h.loss) // 40)
        line, = ax_loss.plot(range(1, len(h.loss) + 1), _base.smooth(h.loss, window),
                             label=LABELS[rule], lw=1.2)
        ax_train.plot(h.epochs, h.train_acc, "o-", color=line.get_color(), label=LABELS[rule])
        ax_val.plot(h.epochs, h.val_acc, "o-", color=line.get_color(), label=LABELS[rule])
    ax_loss.set(title="training loss (running mean)", xlabel="iteration", ylabel="loss")
    ax_train.set(title="train accuracy", xlabel="epoch", ylabel="accuracy")
    ax_val.set(title="validation accuracy", xlabel="epoch", ylabel="accuracy")
    for ax in (ax_loss, ax_train, ax_val):
        ax.grid(alpha=0.3)
    ax_val.legend(loc="lower right")
    return fig
