"""batchnorm: a deep net with and without batch norm, across initial weight scales.

BatchNormalization.ipynb's experiment: an 8-layer FullyConnectedNet (seven hidden layers of 50
units) trained on 1000 examples for 10 epochs (Adam 1e-3, batch 50) from weight scales
``np.logspace(-4, 0, 20)``, once with normalization='batchnorm' and once without. Without it
only a narrow band of scales trains (too small and the signal vanishes, too large and it
explodes); with it the net trains from almost any scale. A run whose loss overflows is
recorded as diverged (its accuracies as they were when it stopped).
"""

from __future__ import annotations

import numpy as np

from . import _base

NETS = {"baseline": None, "batchnorm": "batchnorm"}


def settings(quick: bool, info) -> dict:
    s = {"hidden_dims": [50] * 7, "weight_scales": np.logspace(-4, 0, 20).tolist(),
         "num_train": 1000, "num_val": 1000, "learning_rate": 1e-3, "batch_size": 50,
         "epochs": 10}
    if quick:
        s.update(hidden_dims=[32] * 5, weight_scales=np.logspace(-4, 0, 4).tolist(),
                 num_train=200, num_val=100, epochs=5)
    return s


def run(ctx: _base.Context, s: dict) -> _base.Outcome:
    from ...classifiers import FullyConnectedNet

    data = _base.solver_data(ctx, s["num_train"], s["num_val"], "data")
    rows, series = [], {net: [] for net in NETS}
    for i, scale in enumerate(s["weight_scales"]):
        row = {"weight_scale": scale}
        for net, normalization in NETS.items():
            # One init seed per scale, shared by both nets: the same draw, scaled.
            model = FullyConnectedNet(s["hidden_dims"], input_dim=ctx.input_dim,
                                      num_classes=ctx.info.num_classes,
                                      normalization=normalization, weight_scale=scale,
                                      rng=ctx.rng("init", i))
            h = _base.train(ctx, model, data, f"{net} scale={scale:.2e}", epochs=s["epochs"],
                            batch_size=s["batch_size"], update_rule="adam",
                            optim_config={"learning_rate": s["learning_rate"]},
                            allow_divergence=True)
            row[f"{net}_best_val"] = h.best_val_acc
            row[f"{net}_train"] = h.final_train_acc
            row[f"{net}_loss"] = h.final_loss
            row[f"{net}_diverged"] = h.diverged
            series[net].append(h.to_dict())
        rows.append(row)
    columns = [("weight_scale", "weight scale", ".2e"),
               ("baseline_best_val", "best val (plain)", ".3f"),
               ("batchnorm_best_val", "best val (bn)", ".3f"),
               ("baseline_train", "final train (plain)", ".3f"),
               ("batchnorm_train", "final train (bn)", ".3f")]
    headline = _headline(rows)
    return _base.Outcome(columns, rows, _figure(rows), series, headline)


def _good(rows: list[dict], net: str, floor: float) -> int:
    return sum(1 for r in rows if (r[f"{net}_best_val"] or 0) >= floor)


def _headline(rows: list[dict]) -> str:
    best = max(r["batchnorm_best_val"] for r in rows)
    floor = round(0.8 * best, 2)
    return (f"Scales reaching val accuracy >= {floor:.2f}: {_good(rows, 'batchnorm', floor)} of "
            f"{len(rows)} with batch norm, {_good(rows, 'baseline', floor)} without.")


def _figure(rows: list[dict]):
    fig = _base.figure(13, 4)
    axes = fig.subplots(1, 3)
    scales = [r["weight_scale"] for r in rows]
    panels = (("best_val", "best validation accuracy"), ("train", "final train accuracy"),
              ("loss", "final training loss"))
    for ax, (key, title) in zip(axes, panels):
        for net, marker in (("baseline", "o"), ("batchnorm", "s")):
            values = [np.nan if r[f"{net}_{key}"] is None else r[f"{net}_{key}"] for r in rows]
            ax.plot(scales, values, f"{marker}-", label=net)
        ax.set(title=title, xlabel="weight initialization scale", xscale="log")
        ax.grid(alpha=0.3)
    axes[2].set_yscale("log")
    axes[0].legend()
    return fig
