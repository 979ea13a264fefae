"""A small fake run folder in the exact format ``convnp train`` writes (see the README).

``make_run_folder(path, rng)`` writes config.json, metrics.jsonl (step, epoch and test lines),
predictions.npz and filters.png for a 3-class dataset of 8x8 RGB images, with numbers that look
like training, so report and plot tests need no training run.
"""

import json
from pathlib import Path

import numpy as np

from convnp.cli.plots import plot_filters

CLASSES = ("cat", "dog", "bird")
EPOCHS = 3
ITERATIONS_PER_EPOCH = 5
LOG_EVERY = 2
BATCH_SIZE = 16


def make_run_folder(path, rng, *, with_predictions=True, with_filters=True, with_test=True,
                    classes=CLASSES, image_shape=(8, 8, 3)):
    """Write a run folder at ``path`` (created if needed) and return it as a Path.

    - rng: np.random.Generator for the numbers (losses, confusion counts, images, weights)
    - with_predictions / with_filters: write predictions.npz / filters.png
    - with_test: end metrics.jsonl with the 'test' line (False: a run not evaluated yet)
    - classes: the class names (folder names, so any text)
    - image_shape: (H, W, C) of the images, C 3 (values 0..255) or 1 (values 0..16, as the
      embedded digits)

    metrics.jsonl holds EPOCHS epochs of ITERATIONS_PER_EPOCH steps, a 'step' line every
    LOG_EVERY iterations, and the test line with a confusion matrix whose trace over its sum is
    the logged accuracy. predictions.npz holds 4 right ("best", kind 0) and 3 wrong ("worst",
    kind 1) predictions.
    """
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    classes = list(classes)
    K = len(classes)
    H, W, C = image_shape
    max_value = 255 if C == 3 else 16  # grey images: values 0..16, as the 8x8 digits
    config = {
        "data": "folder:/data/pets", "data_dir": None, "image_size": None, "model": "vgg",
        "model_args": {"widths": [8, 16]}, "epochs": EPOCHS, "batch_size": BATCH_SIZE,
        "optimizer": "adam", "lr": 0.003, "weight_decay": 0.0, "schedule": "one_cycle",
        "augment": "flip", "val_split": 0.1, "seed": 7, "dtype": "float32", "out": str(out),
        "log_every": LOG_EVERY, "tensorboard": False,
        "dataset": {"name": "folder", "image_shape": [H, W, C], "classes": classes,
                    "mean": [120.0] * C, "std": [60.0] * C, "max_value": max_value},
        "num_parameters": 1234, "splits": {"train": 72, "val": 8, "test": 30},
        "versions": {"convnp": "0.1.0", "numpy": np.__version__, "python": "3.11.2"},
        "blas_threads": 4, "created": "2026-01-02T03:04:05",
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")

    lines = []
    total = EPOCHS * ITERATIONS_PER_EPOCH
    t = 0.0
    epoch_losses = []
    for it in range(1, total + 1):
        epoch = (it - 1) // ITERATIONS_PER_EPOCH + 1
        loss = float(1.1 * np.exp(-it / 6) + 0.05 * rng.random())
        lr = float(0.003 * np.sin(np.pi * it / (total + 1)))
        t += 0.05
        epoch_losses.append(loss)
        if it % LOG_EVERY == 0:
            lines.append({"type": "step", "epoch": epoch, "iteration": it, "loss": loss,
                          "lr": lr, "time": round(t, 4)})
        if it % ITERATIONS_PER_EPOCH == 0:
            lines.append({"type": "epoch", "epoch": epoch, "iteration": it,
                          "loss": float(np.mean(epoch_losses)),
                          "train_acc": round(0.5 + 0.15 * epoch, 3),
                          "val_acc": round(0.45 + 0.12 * epoch, 3), "lr": lr,
                          "time": round(t, 4), "images_per_s": 1500.0 + 10 * epoch})
            epoch_losses = []
    if with_test:
        confusion = rng.integers(0, 3, (K, K)) + np.diag(rng.integers(6, 10, K))
        totals = confusion.sum(axis=1)
        lines.append({"type": "test", "split": "test",
                      "accuracy": float(np.trace(confusion) / confusion.sum()),
                      "per_class": [float(confusion[k, k] / totals[k]) for k in range(K)],
                      "confusion": confusion.tolist(), "num_samples": int(confusion.sum()),
                      "classes": classes})
    (out / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))

    if with_predictions:
        labels = np.array([0, 1, 2 % K, 1 % K, 0, 1 % K, 2 % K], dtype=np.int64)
        kind = np.array([0, 0, 0, 0, 1, 1, 1], dtype=np.int8)
        pred = np.where(kind == 0, labels, (labels + 1) % K).astype(np.int64)
        prob = np.sort(rng.uniform(0.5, 1.0, 7))[::-1].astype(np.float32)
        images = rng.integers(0, max_value + 1, (7, H, W, C), dtype=np.uint8)
        np.savez(out / "predictions.npz", images=images, label=labels, pred=pred, prob=prob,
                 kind=kind)
    if with_filters:
        plot_filters(rng.standard_normal((8, C, 3, 3)).astype(np.float32), out / "filters.png")
    return out
