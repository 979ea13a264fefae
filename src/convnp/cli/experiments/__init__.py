"""``convnp experiments NAME``: the CS231n study notes' experiments, one command each.

Each experiment trains (or, for ``init``, only runs forward) small networks on one dataset,
then writes a run folder: ``<name>.png`` (the figure), ``results.json`` (the table's numbers and
the curves behind the figure), ``table.md``, ``config.json`` (the resolved settings, seed and
versions) and, when anything was trained, ``metrics.jsonl`` (one line per epoch of every
training run). The table is printed too. The same seed gives the same results.json.

The defaults run on the embedded digits in seconds each on two cores (batchnorm, the longest,
in about 10 s); ``--data`` takes the real sets (their training data is subsampled to the sizes
the course's notebooks use), and ``--quick`` shrinks everything to a second or two (for tests).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import time
from pathlib import Path

from .. import _common
from .._common import UsageError
from . import _base

# name -> one line for --help; the module convnp.cli.experiments.<name> runs it.
EXPERIMENTS = {
    "optimizers": "SGD, momentum, RMSProp and Adam on one 6-layer net: loss and accuracy curves",
    "overfit": "a tiny training set driven to 100% train accuracy (the sanity check)",
    "batchnorm": "a deep net with and without batch norm across weight scales",
    "dropout": "keep ratios 1 to 0.25 on a small training set: the train/val gap",
    "init": "activation statistics per layer of a 10-layer net for small, Xavier and Kaiming init",
    "transfer": "features from half the classes, frozen, with a new head for the other half",
}

EPILOG = ("experiments:\n" + "\n".join(f"  {name:<11} {line}" for name, line in
                                       EXPERIMENTS.items())
          + "\n\nexample:\n  convnp experiments optimizers\n"
            "  convnp experiments transfer --data cifar10 --out runs/transfer-cifar --seed 1")


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("experiments", help="the study notes' experiments, figure and table each",
                       description=__doc__.splitlines()[0], epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", choices=list(EXPERIMENTS), metavar="NAME",
                   help=f"the experiment: {', '.join(EXPERIMENTS)}")
    p.add_argument("--data", default="digits", metavar="SPEC",
                   help="digits (default, embedded), cifar10, mnist, fashion-mnist or "
                        "folder:PATH")
    p.add_argument("--data-dir", default=None, metavar="DIR",
                   help="where the downloadable datasets are (default $CONVNP_DATA or "
                        "~/.convnp/data)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="the run folder (default runs/experiments-NAME-TIMESTAMP)")
    p.add_argument("--seed", type=_common.nonnegative_int, default=0,
                   help="seed of the data subsets, inits and minibatches (default 0)")
    p.add_argument("--epochs", type=_common.positive_int, default=None,
                   help="epochs of every training run in the experiment (default: the "
                        "experiment's; init trains nothing)")
    p.add_argument("--quick", action="store_true",
                   help="shrink data, nets and epochs to a few seconds (for tests)")
    return p


def experiment_module(name: str):
    """The module that runs the experiment ``name`` (settings, run, SUMMARY)."""
    return importlib.import_module(f"{__name__}.{name}")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from ...data.datasets import get_dataset
    from ..plots import save_figure, write_atomically

    out = (Path(args.out).expanduser() if args.out
           else _common.new_run_dir(f"experiments-{args.name}"))
    if (out / "results.json").exists():
        raise UsageError(f"--out: {out} already holds an experiment's results; choose another "
                         f"folder")
    try:
        splits = get_dataset(args.data, data_dir=args.data_dir, seed=args.seed)
    except ValueError as exc:
        raise UsageError(f"--data {args.data}: {exc}") from None
    module = experiment_module(args.name)
    settings = module.settings(args.quick, splits.info)
    if args.epochs is not None:
        for key in settings:
            if key == "epochs" or key.endswith("_epochs"):
                settings[key] = args.epochs

    out.mkdir(parents=True, exist_ok=True)
    config = {"experiment": args.name, "data": args.data, "data_dir": args.data_dir,
              "out": str(out), "seed": args.seed, "epochs": args.epochs, "quick": args.quick,
              "settings": settings, "dataset": splits.info.to_dict(),
              "splits": {"train": int(splits.X_train.shape[0]),
                         "val": int(splits.X_val.shape[0]), "test": int(splits.X_test.shape[0])},
              "versions": _common.versions(),
              "blas_threads": _common.blas_threads(),
              "created": datetime.datetime.now().isoformat(timespec="seconds")}
    _common.write_json(out / "config.json", _base.jsonable(config))

    metrics = _base.MetricsLog(out / "metrics.jsonl")
    ctx = _base.Context(splits=splits, preprocess=splits.standardize(), seed=args.seed,
                        metrics=metrics, out=out)
    start = time.perf_counter()
    try:
        outcome = module.run(ctx, settings)
    finally:
        metrics.close()
    seconds = time.perf_counter() - start

    written = []
    figure_path = save_figure(outcome.figure, out / f"{args.name}.png")
    written.append(figure_path)
    table = _base.markdown_table(outcome.columns, outcome.rows)
    results = {"experiment": args.name, "data": args.data, "seed": args.seed,
               "settings": settings, "columns": [k for k, _, _ in outcome.columns],
               "rows": outcome.rows, "headline": outcome.headline, "series": outcome.series}
    _common.write_json(out / "results.json", _base.jsonable(results))
    written.append(out / "results.json")
    title = f"# convnp experiments {args.name} ({args.data}, seed {args.seed}" \
            f"{', quick' if args.quick else ''})"
    text = f"{title}\n\n{table}\n" + (f"\n{outcome.headline}\n" if outcome.headline else "")
    write_atomically(out / "table.md", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    written.append(out / "table.md")
    written += outcome.files
    if metrics.path.exists():
        written.append(metrics.path)
    written.append(out / "config.json")

    print(table)
    if outcome.headline:
        print(outcome.headline)
    print(f"{args.name}: {seconds:.1f} s; wrote {', '.join(str(p) for p in written)}")
    return 0
