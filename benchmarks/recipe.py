"""End to end: ``convnp train --recipe NAME``, wall time and accuracy per epoch (issue 9).

    python benchmarks/recipe.py --recipe quick [--data folder:PATH] [--out DIR] [--torch]
                                [--epochs N] [--widths 32 128 128] [--batch-size B] [--seed S]

Runs ``python -m convnp train --recipe NAME --quiet`` in a child process, exactly as a user
would (the malloc settings of benchmarks/_machine.py set for it, 2 threads as the machine
has), then reads the run folder's metrics.jsonl and prints one row per epoch: the training
loss, the accuracy checks, the epoch's seconds and the time since training started (the
Solver's clock, accuracy checks and checkpoints included, data loading not). The last line
gives the final evaluation (the validation split, with TTA, for the recipes) and the child's
whole wall time: data loading, training, the final evaluation, plots and report.

With --torch, ``benchmarks/recipe_torch.py`` then runs the same recipe (the same options) in
PyTorch, in a second child, never at the same time as convnp's. --epochs, --widths,
--batch-size and --seed override the recipe's, for both. The default data is the shared
CIFAR-10 JPEG folder (``../shared/data/cifar10-jpeg/train``): 45,000 images trained on, 5,000
held out and measured on.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _machine import MALLOC_ENV, header, render, set_threads

from convnp import BLAS_SPIN_ENV
from convnp.cli import _common
from convnp.cli.train import RECIPES

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[1] / "shared" / "data" / "cifar10-jpeg" / "train"


def overrides(args) -> list[str]:
    """The flags both children take: convnp train's and recipe_torch.py's spelling."""
    flags = []
    for name in ("epochs", "batch_size", "seed"):
        if getattr(args, name) is not None:
            flags += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    return flags


def read_metrics(path: Path) -> tuple[list[dict], dict | None]:
    """(epoch records, the final evaluation record or None) of a run's metrics.jsonl."""
    epochs, final = [], None
    with open(path) as f:
        for line in f:
            record = json.loads(line)
            if record.get("type") == "epoch":
                epochs.append(record)
            elif record.get("type") == "test":
                final = record
    return epochs, final


def table(epochs: list[dict]) -> str:
    head = ["epoch", "loss", "train acc", "val acc", "epoch s", "time s", "img/s"]
    lines, previous = [], 0.0
    for r in epochs:
        lines.append([str(r["epoch"]), f"{r['loss']:.4f}", f"{r['train_acc']:.4f}",
                      f"{r['val_acc']:.4f}", f"{r['time'] - previous:.1f}", f"{r['time']:.1f}",
                      f"{r['images_per_s']:.0f}"])
        previous = r["time"]
    return render(head, lines, markdown=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", choices=tuple(RECIPES), required=True)
    parser.add_argument("--data", default=f"folder:{DEFAULT_DATA}",
                        help="dataset spec (default: the shared CIFAR-10 JPEG folder)")
    parser.add_argument("--out", type=Path,
                        help="convnp's run folder (default: a new temporary folder, kept)")
    parser.add_argument("--torch", action="store_true",
                        help="then run benchmarks/recipe_torch.py with the same options")
    parser.add_argument("--epochs", type=_common.positive_int)
    parser.add_argument("--widths", type=_common.positive_int, nargs="+")
    parser.add_argument("--batch-size", type=_common.positive_int)
    parser.add_argument("--seed", type=_common.nonnegative_int)
    args = parser.parse_args(argv)

    out = args.out or Path(tempfile.mkdtemp(prefix=f"convnp-recipe-{args.recipe}-"))
    if out.exists() and any(out.iterdir()):
        parser.error(f"--out {out}: exists and is not empty; give a new folder")
    command = [sys.executable, "-m", "convnp", "train", "--recipe", args.recipe,
               "--data", args.data, "--out", str(out), "--quiet", *overrides(args)]
    if args.widths is not None:
        command += ["--model-arg", f"widths={json.dumps(args.widths)}"]
    os.environ.update(MALLOC_ENV)  # for both children, and so that the header says so
    for k, v in BLAS_SPIN_ENV.items():  # what convnp sets in its child anyway: in the header
        os.environ.setdefault(k, v)
    env = dict(os.environ)
    blas = set_threads(2)  # for the header: the child runs with the defaults, one thread a core
    print(header(2, blas, f"convnp train --recipe {args.recipe}, one process"))
    print("# " + " ".join(command[1:]), flush=True)
    tick = time.perf_counter()
    done = subprocess.run(command, env=env)
    wall = time.perf_counter() - tick
    if done.returncode != 0:
        print(f"convnp train exited with {done.returncode}", file=sys.stderr)
        return done.returncode
    epochs, final = read_metrics(out / "metrics.jsonl")
    print()
    print(table(epochs))
    if final is not None:
        best = max(epochs, key=lambda r: r["val_acc"])
        chosen = (f"parameters of epoch {best['epoch']}, the best check"
                  if final["split"] == "test" else "the last epoch's parameters")
        print(f"\nfinal: {final['split']} accuracy {final['accuracy']:.4f} "
              f"({final['num_samples']} images{', with TTA' if final.get('tta') else ''}; "
              f"{chosen}); training "
              f"{epochs[-1]['time']:.1f} s, {wall:.1f} s in all (data loading, final "
              f"evaluation, plots and report included); run folder {out}", flush=True)

    if args.torch:
        twin = [sys.executable, str(HERE / "recipe_torch.py"), "--recipe", args.recipe,
                "--data", args.data, *overrides(args)]
        if args.widths is not None:
            twin += ["--widths", *map(str, args.widths)]
        print(f"\n# PyTorch: {' '.join(twin[1:])}", flush=True)
        return subprocess.run(twin, env=env).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
