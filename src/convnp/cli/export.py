"""``convnp export RUN_OR_MODEL --onnx OUT.onnx``: write a trained model as an ONNX graph.

The graph computes the model's eval-mode forward on its preprocessed input, float (N, C, H, W)
with (H, W, C) the image shape in the model file's dataset description; N is symbolic unless
``--batch`` fixes it. The file's metadata_props hold the dataset description (class names,
per-channel mean and std) as JSON under ``convnp.dataset``, so a consumer can standardize
images as convnp does. Needs the optional onnx extra (``pip install 'convnp[onnx]'``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import _common
from ._common import UsageError


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "export", help="write a trained model as an ONNX file",
        description="Write a trained model (a run folder or a model .npz) as an ONNX graph of its "
                    "eval-mode forward pass; prints the path written.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  convnp export runs/20261124-101500-digits-vgg --onnx vgg.onnx\n"
               "  convnp export model.npz --onnx model.onnx --batch 1 --opset 20")
    p.add_argument("model", metavar="RUN_OR_MODEL", help="a run folder or a model .npz file")
    p.add_argument("--onnx", metavar="OUT.onnx", required=True,
                   help="the ONNX file to write (its folder must exist)")
    p.add_argument("--batch", metavar="N", type=_common.positive_int,
                   help="a fixed batch size (default: a symbolic batch dimension N)")
    p.add_argument("--opset", type=_common.positive_int, default=17,
                   help="ONNX opset, 17 or newer (default 17; from 20 GELU is ONNX's Gelu)")
    return p


def run(args, parser) -> int:
    from .. import io
    from ..nn import Module

    path = _common.model_path(args.model)
    out = Path(args.onnx).expanduser()
    if not out.name or out.is_dir():
        raise UsageError(f"--onnx {args.onnx!r}: give the path of the .onnx file to write, not "
                         f"a folder")
    if not out.parent.is_dir():
        raise UsageError(f"--onnx {args.onnx}: the folder {out.parent} does not exist")
    from ..interop.onnx import MIN_OPSET, export_onnx

    try:
        import onnx
        newest = onnx.defs.onnx_opset_version()
    except ImportError:
        newest = None  # export_onnx says how to install it
    if args.opset < MIN_OPSET or (newest is not None and args.opset > newest):
        raise UsageError(f"--opset must be in {MIN_OPSET}..{newest or '?'} (the installed onnx's "
                         f"newest); got {args.opset}")
    loaded = io.load_full(path)
    if not isinstance(loaded.model, Module):
        raise UsageError(f"{path} holds a course classifier ({type(loaded.model).__name__}); "
                         f"ONNX export takes convnp.nn models (the zoo)")
    info = loaded.dataset
    if info is None:
        raise UsageError(f"{path} names no dataset, so the input shape is unknown (save the "
                         f"model with io.save(..., dataset=...))")
    H, W, C = info.image_shape
    try:
        written = export_onnx(loaded.model, out, (C, H, W), opset=args.opset,
                              batch_size=args.batch,
                              metadata={"convnp.dataset": json.dumps(info.to_dict())})
    except ImportError as exc:
        raise UsageError(f"--onnx: {exc}") from None
    print(written)
    return 0
