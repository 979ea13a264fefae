"""init: activation statistics per layer of a deep net, for small, large, Xavier and Kaiming init.

The study notes' (and lecture's) demonstration: forward one batch through ten affine layers of
500 units with a nonlinearity after each, biases zero, and look at the activations. With
weights N(0, 0.01**2) and tanh the standard deviation shrinks by the same factor at every layer
and the last layers output almost zeros (and would get almost zero gradients); with N(0, 1) the
tanh units saturate at -1 and 1; Xavier's std = sqrt(2 / (fan_in + fan_out)) keeps tanh's
activations alive; with relu, Xavier loses half the variance per layer and Kaiming's
sqrt(2 / fan_in) keeps it. Nothing is trained. The batch is real training images, standardized.

Every init scales the same standard-normal draw (one generator state per run), so the rows
differ only in the scale and the nonlinearity. The computation is float64.
"""

from __future__ import annotations

import numpy as np

from . import _base

# (label, init, weight_scale or None, nonlinearity)
CONFIGS = (("gaussian 0.01 / tanh", "gaussian", 0.01, "tanh"),
           ("gaussian 1.0 / tanh", "gaussian", 1.0, "tanh"),
           ("xavier / tanh", "xavier", None, "tanh"),
           ("xavier / relu", "xavier", None, "relu"),
           ("kaiming / relu", "kaiming", None, "relu"))
BINS = 40


def settings(quick: bool, info) -> dict:
    s = {"num_layers": 10, "hidden_dim": 500, "batch_size": 500, "histogram_layers": [1, 5, 10]}
    if quick:
        s.update(num_layers=6, hidden_dim=100, batch_size=100, histogram_layers=[1, 6])
    return s


def weights(init: str, scale: float | None, fan_in: int, fan_out: int,
            rng: np.random.Generator) -> np.ndarray:
    """A (fan_in, fan_out) affine weight (the course's layout) from convnp.nn.init, float64."""
    from ...nn import init as I

    shape = (fan_in, fan_out)
    if init == "gaussian":
        return I.gaussian(shape, scale, rng, dtype=np.float64)
    if init == "xavier":
        return I.xavier_normal(shape, rng, layout="course_affine", dtype=np.float64)
    return I.kaiming_normal(shape, rng, nonlinearity="relu", layout="course_affine",
                            dtype=np.float64)


def forward_stats(x: np.ndarray, init: str, scale: float | None, nonlinearity: str,
                  num_layers: int, hidden_dim: int, rng: np.random.Generator
                  ) -> list[np.ndarray]:
    """The activations after each layer (affine, then the nonlinearity) for input x (N, D)."""
    from ... import layers as L

    act = L.tanh_forward if nonlinearity == "tanh" else L.relu_forward
    h, outs = x, []
    for _ in range(num_layers):
        w = weights(init, scale, h.shape[1], hidden_dim, rng)
        h, _ = L.affine_forward(h, w, np.zeros(hidden_dim))
        h, _ = act(h)
        outs.append(h)
    return outs


def run(ctx: _base.Context, s: dict) -> _base.Outcome:
    X, _ = _base.subset(ctx.splits.X_train, ctx.splits.y_train, s["batch_size"], ctx.rng("data"))
    x = ctx.preprocess(X).reshape(X.shape[0], -1).astype(np.float64)
    rows, series, hists = [], {}, {}
    for label, init, scale, nonlinearity in CONFIGS:
        acts = forward_stats(x, init, scale, nonlinearity, s["num_layers"], s["hidden_dim"],
                             ctx.rng("init"))
        means = [float(a.mean()) for a in acts]
        stds = [float(a.std()) for a in acts]
        saturated = [float(np.mean(np.abs(a) > 0.99)) if nonlinearity == "tanh" else None
                     for a in acts]
        series[label] = {"mean": means, "std": stds, "saturated": saturated}
        hists[label] = {k: acts[k - 1].ravel() for k in s["histogram_layers"]}
        rows.append({"init": label, "std_first": stds[0], "std_last": stds[-1],
                     "ratio": stds[-1] / stds[0], "mean_last": means[-1],
                     "saturated_last": saturated[-1]})
    columns = [("init", "init / nonlinearity", ""), ("std_first", "std layer 1", ".3g"),
               ("std_last", f"std layer {s['num_layers']}", ".3g"),
               ("ratio", "last / first", ".3g"), ("mean_last", "mean last", ".3g"),
               ("saturated_last", "saturated last", ".2f")]
    by = {r["init"]: r for r in rows}
    headline = (f"Over {s['num_layers']} layers the std shrinks by "
                f"{by['gaussian 0.01 / tanh']['ratio']:.1e} with N(0, 0.01^2) weights and "
                f"{by['xavier / relu']['ratio']:.2f} with Xavier under relu; Kaiming keeps "
                f"{by['kaiming / relu']['ratio']:.2f} of it.")
    return _base.Outcome(columns, rows, _figure(series, hists, s), series, headline)


def _figure(series: dict, hists: dict, s: dict):
    layers = s["histogram_layers"]
    fig = _base.figure(3 * len(layers) + 2, 4 + 1.6 * len(series))
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.6, 1.6 * len(series) / 2.2])
    ax_std, ax_mean = top.subplots(1, 2)
    depth = range(1, s["num_layers"] + 1)
    for label, st in series.items():
        ax_std.plot(depth, st["std"], "o-", label=label)
        ax_mean.plot(depth, st["mean"], "o-", label=label)
    ax_std.set(title="activation std per layer", xlabel="layer", ylabel="std", yscale="log")
    ax_mean.set(title="activation mean per layer", xlabel="layer", ylabel="mean")
    ax_mean.legend(fontsize="small")
    for ax in (ax_std, ax_mean):
        ax.grid(alpha=0.3)
    axes = bottom.subplots(len(series), len(layers), squeeze=False)
    for i, (label, per_layer) in enumerate(hists.items()):
        # One range per row, as in the notes: a collapse shows as a spike at zero.
        lo = min(float(v.min()) for v in per_layer.values())
        hi = max(float(v.max()) for v in per_layer.values())
        for j, k in enumerate(layers):
            ax = axes[i, j]
            ax.hist(per_layer[k], bins=BINS, range=(lo, hi), color=f"C{i}")
            ax.set_yticks([])
            ax.tick_params(labelsize="x-small")
            if i == 0:
                ax.set_title(f"layer {k}", fontsize="small")
            if j == 0:
                ax.set_ylabel(label, fontsize="x-small")
    bottom.suptitle("activation histograms", fontsize="medium")
    return fig
