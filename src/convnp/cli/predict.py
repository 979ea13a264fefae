"""``convnp predict MODEL IMAGE...``: the top-k classes of image files, with probabilities.

Each image is read with Pillow, converted to the model's channels (RGB or grey), resized to its
input size and scaled to its pixel range (0..16 for the embedded digits, whose ink is bright on
a dark background), then preprocessed with the statistics saved in the model file.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from . import _common
from ._common import UsageError


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "predict", help="top-k classes of image files",
        description="Classify image files with a trained model (a run folder or model .npz).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  convnp predict runs/20261124-101500-cifar10-vgg cat.jpg ship.png -k 3")
    p.add_argument("model", metavar="MODEL", help="a run folder or a model .npz file")
    p.add_argument("images", metavar="IMAGE", nargs="+", help="image files (JPEG, PNG, ...)")
    p.add_argument("-k", "--top-k", type=_common.positive_int, default=3,
                   help="how many classes to show (default 3)")
    p.add_argument("--json", action="store_true", help="print one JSON object per image")
    return p


def run(args, parser) -> int:
    from .. import io

    loaded = io.load_full(_common.model_path(args.model))
    if loaded.dataset is None or loaded.preprocess is None:
        raise UsageError(f"{args.model}: the model file has no dataset description or "
                         f"preprocessing (save it with convnp.io.save(..., dataset=, "
                         f"preprocess=))")
    X = _common.read_images(args.images, loaded.dataset)
    probs = _common.predict_proba(loaded.model, X,
                                   _common.for_model(loaded.preprocess, loaded.model))
    classes = loaded.classes
    k = min(args.top_k, len(classes))
    for path, p in zip(args.images, probs):
        top = np.argsort(-p, kind="stable")[:k]
        if args.json:
            print(json.dumps({"image": str(path), "top": [
                {"class": classes[i], "index": int(i), "probability": float(p[i])}
                for i in top]}))
        else:
            print(f"{path}: " + ", ".join(f"{classes[i]} {p[i]:.3f}" for i in top))
    return 0
