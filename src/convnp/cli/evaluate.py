"""``convnp evaluate RUN_OR_MODEL``: accuracy, per-class accuracy and the confusion matrix.

The data defaults to the dataset the model was trained on (its test split, drawn exactly as
``convnp train`` drew it); ``--data`` evaluates on another dataset of the same image shape and
classes. ``--json`` prints one JSON object with keys accuracy, per_class, confusion,
num_samples (and split, classes, tta).
"""

from __future__ import annotations

import argparse
import json

from . import _common
from ._common import UsageError


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "evaluate", help="accuracy, per-class accuracy and confusion matrix of a model",
        description="Evaluate a trained model (a run folder or a model .npz) on a dataset.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  convnp evaluate runs/20261124-101500-digits-vgg\n"
               "  convnp evaluate model.npz --data cifar10 --split val --json --tta")
    p.add_argument("model", metavar="RUN_OR_MODEL", help="a run folder or a model .npz file")
    p.add_argument("--data", help="dataset spec (default: the one the model was trained on)")
    p.add_argument("--data-dir", help="where cifar10/mnist live")
    p.add_argument("--split", choices=("test", "val", "train"), default="test",
                   help="which split (default test)")
    p.add_argument("--val-split", type=_common.split_value,
                   help="as in training (default: the run's config.json, else 0.1)")
    p.add_argument("--seed", type=_common.nonnegative_int,
                   help="the training seed, which drew the val split (default: the run's)")
    p.add_argument("--batch-size", type=_common.positive_int, default=256)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--tta", action="store_true",
                   help="airbench's test-time augmentation: weighted mean of the scores of the "
                        "image, its mirror and its 1-pixel diagonal moves with their mirrors")
    p.add_argument("--fold-bn", action="store_true",
                   help="fold each batch norm into the conv/linear before it (faster inference; "
                        "outputs equal to about 1e-6)")
    return p


def _run_config(path) -> dict:
    """The config.json of the run the model file sits in, if any."""
    config = path.parent / "config.json"
    if config.is_file():
        try:
            return json.loads(config.read_text())
        except ValueError:
            return {}
    return {}


def run(args, parser) -> int:
    from .. import io
    from ..data.datasets import get_dataset

    path = _common.model_path(args.model)
    loaded = io.load_full(path)
    info = loaded.dataset
    cfg = _run_config(path)
    spec = args.data or (info.name if info is not None else None)
    if spec is None:
        raise UsageError("--data is needed: the model file names no dataset")
    data_dir = args.data_dir or (cfg.get("data_dir") if spec == cfg.get("data") else None)
    val_split = args.val_split if args.val_split is not None else cfg.get("val_split", 0.1)
    seed = args.seed if args.seed is not None else cfg.get("seed", 0)
    try:
        splits = get_dataset(spec, data_dir=data_dir, val_split=val_split, seed=seed,
                             size=cfg.get("image_size") if spec.startswith("folder:") else None,
                             test_split=(cfg.get("test_split") if spec == cfg.get("data")
                                         else None))
    except ValueError as exc:
        raise UsageError(f"--data {spec}: {exc}") from None
    if info is not None and splits.info.image_shape != info.image_shape:
        raise UsageError(f"--data {spec}: images are {splits.info.image_shape} (H, W, C) but "
                         f"the model takes {info.image_shape}")
    classes = list(info.classes) if info is not None else list(splits.info.classes)
    if info is not None and list(splits.info.classes) != classes:
        raise UsageError(f"--data {spec}: classes {list(splits.info.classes)} differ from the "
                         f"model's {classes}")
    model = loaded.model
    if args.fold_bn:
        from ..nn import Module
        from ..optimize import fold_batchnorm
        if not isinstance(model, Module):
            raise UsageError(f"--fold-bn: {path} holds a course classifier "
                             f"({type(model).__name__}); folding applies to convnp.nn models")
        model = fold_batchnorm(model)
    preprocess = _common.for_model(
        loaded.preprocess if loaded.preprocess is not None else splits.standardize(),
        loaded.model)
    X, y = {"test": (splits.X_test, splits.y_test), "val": (splits.X_val, splits.y_val),
            "train": (splits.X_train, splits.y_train)}[args.split]
    if X.shape[0] == 0:
        raise UsageError(f"--split {args.split}: {spec} has no {args.split} split here (the run "
                         f"held none out: test_split 0); use --split val")
    metrics, _ = _common.evaluate(model, X, y, preprocess, len(classes), args.batch_size,
                                  args.tta)
    if args.json:
        print(json.dumps({**metrics, "split": args.split, "classes": classes, "tta": args.tta,
                          "tta_scheme": _common.TTA_SCHEME if args.tta else None,
                          "fold_bn": args.fold_bn}))
        return 0
    print(f"{args.split} accuracy {metrics['accuracy']:.4f} on {metrics['num_samples']} images"
          f"{' (with TTA)' if args.tta else ''}")
    width = max(len(c) for c in classes)
    print(f"{'class':<{width}}  accuracy")
    for c, acc in zip(classes, metrics["per_class"]):
        print(f"{c:<{width}}  {'-' if acc is None else f'{acc:.4f}'}")
    print("confusion (rows: true class, columns: predicted)")
    for c, row in zip(classes, metrics["confusion"]):
        print(f"{c:<{width}}  " + " ".join(f"{v:>5d}" for v in row))
    return 0
