"""End to end: the CIFAR-10 speed recipe's prototype on the shared JPEG folder, time and accuracy
per epoch (issue 9's fourth benchmark; `convnp train --recipe` is still to be built on it).

    python benchmarks/recipe.py --epochs 4 --widths 32 128 128

What it runs, all from convnp's own pieces: ``models.airbench`` (the speed runs' network) with
its 2x2 first layer set to the training patches' whitening filters
(``nn.init.patch_whitening``) and frozen, the batch norms' scales frozen (only their shifts
learn, as airbench), label smoothing 0.2, Adam with a one-cycle learning rate and coupled weight
decay, alternating flips and 2-pixel reflect translations; at the end the validation accuracy
with and without flip test-time augmentation. The data is ``get_dataset('folder:...')``'s split
of the 50,000 images (10,000 test held out, then --val validation, the rest training). The
recipe's hyperparameters are not tuned yet: this is the baseline the tuning starts from.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from convnp import models, nn, schedules
from convnp.data import augment, get_dataset
from convnp.data.preprocess import Standardize
from convnp.solver import Solver

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cifar10-jpeg" / "train"


def build(widths, X_white: np.ndarray, label_smoothing: float, seed: int):
    """airbench with whitened, frozen first layer and frozen batch-norm scales."""
    model = models.airbench(tuple(widths), seed=seed)
    nn.init.patch_whitening(model[0].weight, X_white)
    model.freeze(*models.airbench_fixed_parameters(model))
    model.label_smoothing = label_smoothing
    return model


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=str(DEFAULT_DATA), help="an image folder (CIFAR-10 layout)")
    p.add_argument("--widths", type=int, nargs="+", default=[32, 128, 128])
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--lr", type=float, default=3e-3, help="Adam's peak (one-cycle) rate")
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--label-smoothing", type=float, default=0.2)
    p.add_argument("--val", type=int, default=5000, help="validation images held out")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)

    t0 = time.perf_counter()
    splits = get_dataset(f"folder:{args.data}", val_split=args.val, seed=args.seed)
    pre = Standardize().fit(splits.X_train)
    model = build(args.widths, pre(splits.X_train[:5000]), args.label_smoothing, args.seed)
    flips = augment.Compose([augment.AlternatingFlip(seed=args.seed),
                             augment.RandomCrop((32, 32), padding=2, padding_mode="reflect")])

    def transform(X, y, rng, *, epoch=0, indices=None):
        return flips(X, rng, epoch=epoch, indices=indices), y

    steps = args.epochs * (len(splits.y_train) // args.batch_size)
    rows = []

    def on_epoch(solver, info):
        rows.append((info["epoch"], time.perf_counter() - t0, info["val_acc"]))
        print(f"epoch {info['epoch']}: {rows[-1][1]:.0f} s, val acc {info['val_acc']:.4f}",
              flush=True)

    data = {"X_train": splits.X_train, "y_train": splits.y_train, "X_val": splits.X_val,
            "y_val": splits.y_val}
    Solver(model, data, update_rule="adam", optim_config={"weight_decay": args.weight_decay},
           schedule=schedules.OneCycle(args.lr, steps), num_epochs=args.epochs,
           batch_size=args.batch_size, seed=args.seed, preprocess=pre, batch_transform=transform,
           sampling="epoch", num_train_samples=1000, verbose=False, on_epoch=on_epoch).train()

    def scores(X):
        return np.concatenate([model.loss(pre(X[i:i + 500])) for i in range(0, len(X), 500)])

    plain, flipped = scores(splits.X_val), scores(splits.X_val[:, :, ::-1])
    acc = float(np.mean(plain.argmax(1) == splits.y_val))
    tta = float(np.mean((plain + flipped).argmax(1) == splits.y_val))
    print(f"\n{len(splits.y_train)} training images, widths {tuple(args.widths)}, batch "
          f"{args.batch_size}, Adam {args.lr:g} one-cycle, {args.epochs} epochs\n")
    print("| epoch | wall s | val acc |\n|---|---|---|")
    for epoch, seconds, val in rows:
        print(f"| {epoch} | {seconds:.0f} | {val:.4f} |")
    print(f"\nfinal: val acc {acc:.4f}, with flip TTA {tta:.4f}, "
          f"{time.perf_counter() - t0:.0f} s in all (data loading included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
