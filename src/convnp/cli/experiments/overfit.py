"""overfit: the course's sanity check, a three-layer convnet driven to 100% train accuracy.

ConvolutionalNetworks.ipynb trains ThreeLayerConvNet on 100 CIFAR-10 images (Adam 1e-3,
weight_scale 1e-2, batch 50, 15 epochs) and expects the training accuracy to reach 1 while the
validation accuracy stays low: a model that cannot memorise a handful of examples has a bug.
Those numbers are kept for the real sets. On the 8x8 digits the net uses 5x5 filters and
weight_scale 5e-2 (the course's values make the first scores tiny on 64 inputs), and 50
examples in batches of 10 with Adam 3e-3, which memorises them in about a dozen epochs.
"""

from __future__ import annotations

from . import _base


def settings(quick: bool, info) -> dict:
    if info.name == "digits":
        s = {"num_train": 50, "num_filters": 32, "filter_size": 5, "hidden_dim": 100,
             "weight_scale": 5e-2, "learning_rate": 3e-3, "batch_size": 10, "epochs": 25}
    else:
        s = {"num_train": 100, "num_filters": 32, "filter_size": 7, "hidden_dim": 100,
             "weight_scale": 1e-2, "learning_rate": 1e-3, "batch_size": 50, "epochs": 15}
    s["num_val"] = 1000
    if quick:
        s.update(num_train=20, num_val=100, learning_rate=1e-2, epochs=20)
    return s


def run(ctx: _base.Context, s: dict) -> _base.Outcome:
    from ...classifiers import ThreeLayerConvNet

    H, W, C = ctx.info.image_shape
    data = _base.solver_data(ctx, s["num_train"], s["num_val"], "data")
    model = ThreeLayerConvNet((C, H, W), num_filters=s["num_filters"],
                              filter_size=s["filter_size"], hidden_dim=s["hidden_dim"],
                              num_classes=ctx.info.num_classes, weight_scale=s["weight_scale"],
                              rng=ctx.rng("init"))
    h = _base.train(ctx, model, data, "three_layer_convnet", epochs=s["epochs"],
                    batch_size=s["batch_size"], update_rule="adam",
                    optim_config={"learning_rate": s["learning_rate"]})
    reached = next((e for e, acc in zip(h.epochs, h.train_acc) if acc == 1.0), None)
    n = int(data["y_train"].shape[0])
    row = {"model": "ThreeLayerConvNet", "num_train": n, "epochs_to_100": reached,
           "train_acc": h.final_train_acc, "val_acc": h.final_val_acc,
           "gap": h.final_train_acc - h.final_val_acc}
    columns = [("model", "model", ""), ("num_train", "train examples", "d"),
               ("epochs_to_100", "epochs to 100% train", "d"),
               ("train_acc", "final train acc", ".3f"), ("val_acc", "final val acc", ".3f"),
               ("gap", "gap", ".3f")]
    if reached is None:
        headline = (f"Train accuracy did not reach 100% in {s['epochs']} epochs "
                    f"(best {max(h.train_acc):.3f}): try more epochs, or look for a bug.")
    else:
        headline = (f"{n} examples memorised after {reached} epochs; validation accuracy "
                    f"{h.final_val_acc:.3f}: the gap is overfitting, as the course expects.")
    return _base.Outcome(columns, [row], _figure(h, n, reached), {"history": h.to_dict()},
                         headline)


def _figure(h: _base.History, n: int, reached: int | None):
    fig = _base.figure(10, 4)
    ax_acc, ax_loss = fig.subplots(1, 2)
    ax_acc.plot(h.epochs, h.train_acc, "o-", label="train")
    ax_acc.plot(h.epochs, h.val_acc, "s-", label="validation")
    ax_acc.fill_between(h.epochs, h.val_acc, h.train_acc, alpha=0.15, label="gap")
    if reached is not None:
        ax_acc.axvline(reached, color="gray", ls=":", label=f"100% train (epoch {reached})")
    ax_acc.set(title=f"accuracy, {n} training examples", xlabel="epoch", ylabel="accuracy",
               ylim=(0, 1.03))
    ax_acc.legend(loc="lower right")
    window = max(1, len(h.loss) // 40)
    ax_loss.plot(range(1, len(h.loss) + 1), _base.smooth(h.loss, window))
    ax_loss.set(title="training loss (running mean)", xlabel="iteration", ylabel="loss",
                yscale="log")
    for ax in (ax_acc, ax_loss):
        ax.grid(alpha=0.3)
    return fig
