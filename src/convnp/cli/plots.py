"""The plots of a run folder: training curves, confusion matrix, filters, predictions, per class.

Every function writes one PNG (atomically: a temporary file, then ``os.replace``) and returns its
path. Figures are ``matplotlib.figure.Figure`` objects drawn by the Agg canvas directly, never
through ``pyplot``, so nothing here touches matplotlib's global state or needs a display;
matplotlib is imported inside the functions, so ``import convnp`` stays light. Image grids
(filters) are built as arrays, as the course's ``visualize_grid`` does, and written with Pillow.

``read_metrics`` parses metrics.jsonl, which ``convnp train`` appends to while it runs.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DPI = 100
# Captions and tick labels come from folder names: draw them as text, never as $mathtext$.
_TEXT = {"parse_math": False}


def read_metrics(path: str | os.PathLike) -> list[dict]:
    """The records of a metrics.jsonl file, in order.

    Each line holds one JSON object. The file is appended to while training runs and a crash can
    cut the last line short, so an unreadable *last* line is skipped; an unreadable line before
    it means the file is damaged, and raises. Blank lines are ignored.

    Raises ValueError naming the path and the line number of a corrupt line (not JSON, not valid
    UTF-8, or not a JSON object) that is not the last one; OSError if the file cannot be read.
    """
    path = Path(path)
    lines = path.read_bytes().split(b"\n")
    numbered = [(i + 1, line) for i, line in enumerate(lines) if line.strip()]
    records = []
    for k, (lineno, raw) in enumerate(numbered):
        try:
            record = json.loads(raw.decode("utf-8"))
            if not isinstance(record, dict):
                raise ValueError(f"expected a JSON object, got {type(record).__name__}")
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            if k == len(numbered) - 1:
                break  # a truncated last line: the run was cut off while writing it
            raise ValueError(f"{path}: line {lineno} is not a JSON object ({exc}); "
                             f"only the last line may be incomplete") from None
        records.append(record)
    return records


def save_figure(fig, path: str | os.PathLike, *, dpi: float | None = None) -> Path:
    """Write a matplotlib Figure as a PNG at ``path``, atomically; return the path.

    The figure is drawn by the Agg canvas (no pyplot, no display), at ``dpi`` (default: the
    figure's own).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    return write_atomically(path, lambda tmp: fig.savefig(tmp, format="png",
                                                          dpi=dpi or "figure"))


def write_atomically(path: str | os.PathLike, write) -> Path:
    """Call ``write(tmp)`` with a temporary path next to ``path``, then rename it to ``path``.

    A reader never sees a half-written file; on an error the temporary file is removed.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _figure(width: float, height: float):
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _check_records(records, fn: str) -> list[dict]:
    if isinstance(records, (str, bytes, os.PathLike)) or not isinstance(records, Sequence):
        raise TypeError(f"{fn}: records must be a list of dicts (read_metrics' result); "
                        f"got {type(records).__name__}")
    bad = [i for i, r in enumerate(records) if not isinstance(r, dict)]
    if bad:
        raise TypeError(f"{fn}: records[{bad[0]}] is a {type(records[bad[0]]).__name__}, "
                        f"not a dict")
    return list(records)


def _series(rows: list[dict], x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of the rows that have a number under both keys."""
    pairs = [(r[x], r[y]) for r in rows
             if isinstance(r.get(x), (int, float)) and isinstance(r.get(y), (int, float))]
    if not pairs:
        return np.empty(0), np.empty(0)
    xs, ys = zip(*pairs)
    return np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)


def plot_curves(records: Sequence[dict], out_dir: str | os.PathLike) -> list[Path]:
    """The training curves of a run: loss.png, accuracy.png and lr.png in out_dir.

    - records: metrics.jsonl records (``read_metrics``): 'step' lines (iteration, loss, lr) and
      'epoch' lines (epoch, iteration, loss = mean over the epoch, train_acc, val_acc, lr)
    - out_dir: an existing folder, or one to create

    loss.png: the loss of each logged step (light) and the mean loss of each epoch; accuracy.png:
    train and val accuracy per epoch; lr.png: the learning rate of each logged step (of each
    epoch when no steps were logged). The x axis is in epochs (a step at iteration t is at
    t / iterations per epoch), or in iterations when no epoch has ended yet.

    Returns the paths written, in that order; a plot with nothing to draw (an empty run, a run
    without epochs for accuracy.png) is left out of the list and not written.
    """
    records = _check_records(records, "plot_curves")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    steps = [r for r in records if r.get("type") == "step"]
    epochs = [r for r in records if r.get("type") == "epoch"]

    # Iterations per epoch, from the first epoch that reports both counts.
    ipe = next((r["iteration"] / r["epoch"] for r in epochs
                if isinstance(r.get("iteration"), (int, float))
                and isinstance(r.get("epoch"), (int, float)) and r["epoch"] > 0), None)
    x_label = "epoch" if ipe else "iteration"
    scale = 1.0 / ipe if ipe else 1.0

    written = []
    step_x, step_loss = _series(steps, "iteration", "loss")
    ep_x, ep_loss = _series(epochs, "epoch", "loss")
    if step_x.size or (ep_x.size and ipe):
        fig = _figure(7, 4)
        ax = fig.add_subplot()
        if step_x.size:
            ax.plot(step_x * scale, step_loss, color="tab:blue", alpha=0.35, linewidth=1,
                    label="logged step")
        if ep_x.size and ipe:
            ax.plot(ep_x, ep_loss, color="tab:blue", marker="o", linewidth=2,
                    label="epoch mean")
        ax.set(xlabel=x_label, ylabel="training loss", title="loss")
        ax.grid(alpha=0.3)
        ax.legend()
        written.append(save_figure(fig, out_dir / "loss.png"))

    train_x, train_acc = _series(epochs, "epoch", "train_acc")
    val_x, val_acc = _series(epochs, "epoch", "val_acc")
    if train_x.size or val_x.size:
        fig = _figure(7, 4)
        ax = fig.add_subplot()
        if train_x.size:
            ax.plot(train_x, train_acc, marker="o", label="train")
        if val_x.size:
            ax.plot(val_x, val_acc, marker="o", label="val")
        ax.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(-0.02, 1.02))
        ax.grid(alpha=0.3)
        ax.legend()
        written.append(save_figure(fig, out_dir / "accuracy.png"))

    lr_x, lr = _series(steps, "iteration", "lr")
    lr_scale, lr_label = scale, x_label
    if not lr_x.size:
        lr_x, lr = _series(epochs, "epoch", "lr")
        lr_scale, lr_label = 1.0, "epoch"
    if lr_x.size:
        fig = _figure(7, 3)
        ax = fig.add_subplot()
        ax.plot(lr_x * lr_scale, lr, color="tab:green", marker="." if lr_x.size < 30 else None)
        ax.set(xlabel=lr_label, ylabel="learning rate", title="learning rate")
        ax.grid(alpha=0.3)
        written.append(save_figure(fig, out_dir / "lr.png"))
    return written


def _class_names(classes, fn: str, K: int | None = None) -> list[str]:
    """classes as a list of str; TypeError for a non-list, ValueError if K names are expected."""
    if isinstance(classes, (str, bytes)) or not isinstance(classes, (Sequence, np.ndarray)):
        raise TypeError(f"{fn}: classes must be a list of names; got {type(classes).__name__}")
    names = [str(c) for c in classes]
    if K is not None and len(names) != K:
        raise ValueError(f"{fn}: expected {K} class names; got {len(names)}")
    return names


def _tick_style(names: list[str]) -> dict:
    """x tick labels: level when short and few, slanted when they would run into each other."""
    longest = max(len(n) for n in names)
    if len(names) > 20:
        return {"rotation": 90}
    return {} if longest * len(names) <= 40 else {"rotation": 40, "ha": "right"}


def _shorten(name: str, width: int = 14) -> str:
    return name if len(name) <= width else name[:width - 1] + "\u2026"


def plot_confusion(confusion, classes: Sequence[str], path: str | os.PathLike) -> Path:
    """A confusion matrix as a heatmap with the counts in the cells.

    - confusion: (K, K) non-negative integer counts; rows = true class, columns = predicted
    - classes: K class names
    - path: the PNG to write

    The colour of a cell is its count over its row's total (the fraction of that true class
    predicted as each class), so a rare class reads as clearly as a common one.

    Raises ValueError if confusion is not square or has negative entries, or classes has not K
    names.
    """
    conf = np.asarray(confusion)
    if conf.ndim != 2 or conf.shape[0] != conf.shape[1] or conf.shape[0] == 0:
        raise ValueError(f"plot_confusion: confusion must be of shape (K, K), K >= 1; "
                         f"got {conf.shape}")
    if not np.issubdtype(conf.dtype, np.number) or np.any(conf < 0):
        raise ValueError("plot_confusion: confusion must hold counts >= 0")
    K = conf.shape[0]
    names = _class_names(classes, "plot_confusion", K)
    rows = conf.sum(axis=1, keepdims=True).astype(np.float64)
    frac = np.divide(conf, rows, out=np.zeros((K, K)), where=rows > 0)

    side = min(3 + 0.5 * K, 24)
    fig = _figure(side + 1, side)
    ax = fig.add_subplot()
    im = ax.imshow(frac, cmap="Blues", vmin=0, vmax=1, interpolation="nearest")
    fig.colorbar(im, ax=ax, shrink=0.8, label="fraction of the true class")
    ax.set_xticks(range(K), names, **_tick_style(names), **_TEXT)
    ax.set_yticks(range(K), names, **_TEXT)
    ax.set(xlabel="predicted", ylabel="true", title="confusion matrix (test)")
    if K <= 30:
        size = 10 if K <= 12 else 7
        for i in range(K):
            for j in range(K):
                count = conf[i, j]
                text = f"{count:g}" if np.issubdtype(conf.dtype, np.floating) else f"{count}"
                ax.text(j, i, text, ha="center", va="center", fontsize=size,
                        color="white" if frac[i, j] > 0.5 else "black")
    return save_figure(fig, path)


def _grid(tiles: np.ndarray, gap: int, fill: float) -> np.ndarray:
    """Tiles (n, h, w, c) on a near-square grid, ``gap`` pixels apart and around: (H, W, c)."""
    n, h, w, c = tiles.shape
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    grid = np.full((rows * (h + gap) + gap, cols * (w + gap) + gap, c), fill, dtype=tiles.dtype)
    for k in range(n):
        r, q = divmod(k, cols)
        y, x = gap + r * (h + gap), gap + q * (w + gap)
        grid[y:y + h, x:x + w] = tiles[k]
    return grid


def plot_filters(weights, path: str | os.PathLike, *, max_filters: int = 64) -> Path:
    """First-layer filters as a grid of small images (the course's ``visualize_grid``).

    - weights: (F, C, HH, WW) real numbers, a conv layer's weight
    - path: the PNG to write
    - max_filters: draw the first min(F, max_filters) filters

    With C == 3 each filter is drawn in colour (its three input channels as RGB), otherwise its
    first input channel in grey. Each filter is min-max scaled on its own to the full range (a
    constant filter is drawn black), enlarged with nearest neighbour to at least 48 pixels a side,
    and placed on a near-square grid, ceil(sqrt(n)) columns, 4 pixels apart on white. The image
    grows with the number of filters drawn.

    Raises ValueError if weights is not 4-D with F >= 1 or max_filters < 1.
    """
    from PIL import Image

    w = np.asarray(weights)
    if w.ndim != 4 or w.shape[0] == 0 or w.shape[1] == 0:
        raise ValueError(f"plot_filters: weights must be of shape (F, C, HH, WW) with F, C >= 1; "
                         f"got {w.shape}")
    if not np.issubdtype(w.dtype, np.number) or np.iscomplexobj(w):
        raise ValueError(f"plot_filters: weights must be real numbers; got dtype {w.dtype}")
    if isinstance(max_filters, bool) or not isinstance(max_filters, int) or max_filters < 1:
        raise ValueError(f"plot_filters: max_filters must be an int >= 1; got {max_filters!r}")
    F, C, HH, WW = w.shape
    w = w[:max_filters].astype(np.float64)
    w = w if C == 3 else w[:, :1]
    tiles = w.transpose(0, 2, 3, 1)  # (n, HH, WW, 3 or 1)
    low = tiles.min(axis=(1, 2, 3), keepdims=True)
    span = tiles.max(axis=(1, 2, 3), keepdims=True) - low
    tiles = np.divide(tiles - low, span, out=np.zeros_like(tiles), where=span > 0)
    tiles = np.rint(tiles * 255).astype(np.uint8)
    zoom = max(1, math.ceil(48 / max(HH, WW)))
    tiles = tiles.repeat(zoom, axis=1).repeat(zoom, axis=2)
    grid = _grid(tiles, gap=4, fill=255)
    image = Image.fromarray(grid if C == 3 else grid[:, :, 0], mode="RGB" if C == 3 else "L")
    return write_atomically(Path(path), lambda tmp: image.save(tmp, format="PNG"))


def plot_predictions(images, labels, preds, probs, classes: Sequence[str],
                     path: str | os.PathLike, title: str | None = None, *,
                     max_value: float | None = None) -> Path:
    """A grid of images captioned "true / pred (p)", green when right and red when wrong.

    - images: uint8 (N, H, W, C), C 1 or 3, as the datasets store them; N >= 1
    - labels, preds: integer class indices of shape (N,), each in [0, K)
    - probs: shape (N,), the probability given to the predicted class
    - classes: K class names
    - path: the PNG to write
    - title: drawn above the grid (default none)
    - max_value: the value drawn white (the dataset's max_value: 16 for the 8x8 digits, 255
      for photos); default 255 for colour images and the largest value in ``images`` for grey

    Images are enlarged with nearest neighbour to at least 64 pixels a side, so 8x8 digits stay
    visible as pixels rather than blurs.

    Raises ValueError for a shape, dtype or index that does not fit.
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or images.shape[0] == 0:
        raise ValueError(f"plot_predictions: images must be of shape (N, H, W, C) with N >= 1 "
                         f"and C 1 or 3; got {images.shape}")
    if images.dtype != np.uint8:
        raise ValueError(f"plot_predictions: images must be uint8; got {images.dtype}")
    N = images.shape[0]
    arrays = {}
    for name, value in (("labels", labels), ("preds", preds), ("probs", probs)):
        a = np.asarray(value)
        if a.shape != (N,):
            raise ValueError(f"plot_predictions: {name} must be of shape ({N},) like images "
                             f"{images.shape}; got {a.shape}")
        arrays[name] = a
    names = _class_names(classes, "plot_predictions")
    K = len(names)
    for name in ("labels", "preds"):
        a = arrays[name]
        if not np.issubdtype(a.dtype, np.integer) or np.any(a < 0) or np.any(a >= K):
            raise ValueError(f"plot_predictions: {name} must be integer class indices in "
                             f"[0, {K}); got {a.tolist()}")
    C = images.shape[-1]
    if max_value is None:
        max_value = 255 if C == 3 else max(int(images.max()), 1)

    H, W = images.shape[1:3]
    zoom = max(1, math.ceil(64 / max(H, W)))
    big = images.repeat(zoom, axis=1).repeat(zoom, axis=2)
    cols = min(N, 8)
    rows = math.ceil(N / cols)
    fig = _figure(1.6 * cols + 0.2, 2.0 * rows + (0.4 if title else 0.1))
    if title:
        fig.suptitle(title, **_TEXT)
    for k in range(N):
        ax = fig.add_subplot(rows, cols, k + 1)
        if C == 3:
            shown = np.clip(big[k].astype(np.float64) / max_value, 0, 1)
            ax.imshow(shown, interpolation="nearest")
        else:
            ax.imshow(big[k, :, :, 0], cmap="gray", vmin=0, vmax=max_value,
                      interpolation="nearest")
        label, pred = int(arrays["labels"][k]), int(arrays["preds"][k])
        # Two short lines, so long class names (folder names) do not run into the next cell.
        ax.set_title(f"{_shorten(names[label])} /\n{_shorten(names[pred])} "
                     f"({float(arrays['probs'][k]):.2f})", fontsize=8,
                     color="tab:green" if label == pred else "tab:red", **_TEXT)
        ax.set_axis_off()
    return save_figure(fig, path)


def plot_per_class(per_class, classes: Sequence[str], path: str | os.PathLike) -> Path:
    """Per-class accuracy as a bar chart.

    - per_class: K accuracies in [0, 1]; None (or NaN) for a class absent from the test data,
      which gets no bar and an "n/a" mark
    - classes: K class names
    - path: the PNG to write

    Raises ValueError if the lengths differ or an accuracy is outside [0, 1].
    """
    values = [math.nan if v is None else v for v in per_class]
    acc = np.asarray(values, dtype=np.float64)
    if acc.ndim != 1 or acc.size == 0:
        raise ValueError(f"plot_per_class: per_class must be K >= 1 numbers; got shape "
                         f"{acc.shape}")
    if np.any((acc < 0) | (acc > 1)):
        raise ValueError(f"plot_per_class: accuracies must be in [0, 1]; got {acc.tolist()}")
    K = acc.size
    names = _class_names(classes, "plot_per_class", K)
    fig = _figure(min(3 + 0.45 * K, 24), 4)
    ax = fig.add_subplot()
    present = ~np.isnan(acc)
    ax.bar(np.flatnonzero(present), acc[present], color="tab:blue")
    for k in np.flatnonzero(~present):
        ax.text(k, 0.02, "n/a", ha="center", va="bottom", fontsize=8, color="gray")
    ax.set_xticks(range(K), names, **_tick_style(names), **_TEXT)
    ax.set(ylabel="accuracy", ylim=(0, 1.05), title="per-class accuracy (test)")
    ax.grid(axis="y", alpha=0.3)
    return save_figure(fig, path)
