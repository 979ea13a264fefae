"""What the subcommands share: argument types, model lookup, image reading, evaluation."""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
from pathlib import Path

import numpy as np

MODEL_FILE = "model.npz"


class UsageError(Exception):
    """A bad argument found after parsing (a missing file, an unknown name): exit code 2."""


def _number(convert, minimum, inclusive: bool):
    """An argparse type: text -> convert(text), finite and >= (or >) minimum."""
    kind = "an integer" if convert is int else "a number"
    bound = f"{'>=' if inclusive else '>'} {minimum}"

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {kind} {bound}, got {text!r}") from None
        if not math.isfinite(value) or value < minimum or (value == minimum and not inclusive):
            raise argparse.ArgumentTypeError(f"expected {kind} {bound}, got {text}")
        return value
    return parse


positive_int = _number(int, 1, inclusive=True)
nonnegative_int = _number(int, 0, inclusive=True)
positive_float = _number(float, 0, inclusive=False)
nonnegative_float = _number(float, 0, inclusive=True)


def split_value(text: str) -> float | int:
    """--val-split: a fraction in (0, 1) or a count >= 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a fraction in (0, 1) or a count >= 1, got {text!r}") from None
    if 0 < value < 1:
        return value
    if value >= 1 and value == int(value):
        return int(value)
    raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1) or a count >= 1, got {text}")


def test_split_value(text: str) -> float | int:
    """--test-split: 0 (none), a fraction in (0, 1) or a count >= 1."""
    try:
        if float(text) == 0:
            return 0
    except ValueError:
        pass
    try:
        return split_value(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected 0, a fraction in (0, 1) or a count >= 1, got {text!r}") from None


def model_path(run_or_model: str) -> Path:
    """A run folder's model.npz, or the .npz given; UsageError when neither exists."""
    p = Path(run_or_model).expanduser()
    if p.is_dir():
        if (p / MODEL_FILE).is_file():
            return p / MODEL_FILE
        raise UsageError(f"{p} is a folder without {MODEL_FILE} (not a finished convnp run)")
    if p.is_file():
        return p
    raise UsageError(f"no such run folder or model file: {p}")


def read_images(paths, dataset) -> np.ndarray:
    """Image files as the dataset stores images: uint8 (N, H, W, C) at its size and channels.

    Pixel values are rescaled to the dataset's range (0..16 for the digits).
    """
    from PIL import Image, UnidentifiedImageError

    H, W, C = dataset.image_shape
    out = np.empty((len(paths), H, W, C), dtype=np.uint8)
    for i, path in enumerate(paths):
        p = Path(path)
        if not p.is_file():
            raise UsageError(f"no such image file: {p}")
        try:
            with Image.open(p) as im:
                im = im.convert("RGB" if C == 3 else "L")
                if im.size != (W, H):
                    im = im.resize((W, H), Image.Resampling.BILINEAR)
                a = np.asarray(im, dtype=np.float64)
        except (UnidentifiedImageError, OSError) as exc:
            raise UsageError(f"cannot read image {p}: {exc}") from None
        if dataset.max_value != 255:
            a = a * (dataset.max_value / 255.0)
        out[i] = np.clip(np.rint(a), 0, dataset.max_value).reshape(H, W, C)
    return out


def softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# The views _tta_views makes, as run records name them ("tta_scheme"): a record without the
# key, from before session 14, averaged the probabilities of the mirror and four unmirrored
# 1-pixel moves at equal weights.
TTA_SCHEME = "airbench94"


def _tta_views(X: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """airbench94's test-time augmentation of a uint8 NHWC batch: (view, weight) pairs.

    The batch and its mirror image, 1/4 each; the batch moved one pixel down and right and one
    pixel up and left (the edges reflected, PyTorch's 'reflect' padding), each with its mirror
    image, 1/8 each.
    """
    H, W = X.shape[1:3]
    padded = np.pad(X, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="reflect")
    views = [(X, 0.25), (X[:, :, ::-1], 0.25)]
    for dy, dx in ((0, 0), (2, 2)):
        moved = padded[:, dy:dy + H, dx:dx + W]
        views += [(moved, 0.125), (moved[:, :, ::-1], 0.125)]
    return views


def predict_proba(model, X: np.ndarray, preprocess, batch_size: int = 256,
                  tta: bool = False) -> np.ndarray:
    """Class probabilities (N, K) float64 for stored images X (uint8 NHWC), in batches.

    With tta, the softmax of the weighted mean of the views' scores (_tta_views), as airbench.
    """
    if hasattr(model, "eval"):
        model.eval()
    chunks = []
    for start in range(0, X.shape[0], batch_size):
        batch = X[start:start + batch_size]
        views = _tta_views(batch) if tta else [(batch, 1.0)]
        scores = 0.0
        for v, weight in views:
            inp = preprocess(v) if preprocess is not None else v
            scores = scores + weight * np.asarray(model.loss(inp), dtype=np.float64)
        chunks.append(softmax(scores))
    return np.concatenate(chunks)


def evaluate(model, X: np.ndarray, y: np.ndarray, preprocess, num_classes: int,
             batch_size: int = 256, tta: bool = False) -> tuple[dict, np.ndarray]:
    """(metrics, probs): accuracy, per-class accuracy and the confusion matrix.

    metrics = {'accuracy', 'per_class' (K floats; NaN -> None for a class absent from y),
    'confusion' (K x K ints, rows = true class, columns = predicted), 'num_samples'}.
    """
    probs = predict_proba(model, X, preprocess, batch_size, tta)
    pred = probs.argmax(axis=1)
    confusion = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(confusion, (y, pred), 1)
    totals = confusion.sum(axis=1)
    per_class = [None if t == 0 else float(confusion[k, k] / t) for k, t in enumerate(totals)]
    metrics = {"accuracy": float(np.mean(pred == y)), "per_class": per_class,
               "confusion": confusion.tolist(), "num_samples": int(y.shape[0])}
    return metrics, probs


def write_json(path: Path, obj) -> None:
    """Write obj as indented JSON, atomically."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2) + "\n")
    os.replace(tmp, path)


class CastTo:
    """A preprocessor whose output is cast to a model's dtype (float64 models get float64)."""

    def __init__(self, inner, dtype) -> None:
        self.inner = inner
        self.dtype = np.dtype(dtype)

    def __call__(self, X):
        return self.inner(X).astype(self.dtype, copy=False)

    def state(self):
        return self.inner.state()


def for_model(preprocess, model):
    """preprocess, cast to the model's dtype when that is not float32."""
    dtype = getattr(model, "dtype", None)
    if preprocess is None or dtype is None or np.dtype(dtype) == np.float32:
        return preprocess
    return CastTo(preprocess, dtype)


def new_run_dir(name: str) -> Path:
    """runs/<time>-<name>, or with -2, -3, ... appended when that folder exists."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("runs") / f"{stamp}-{name}"
    out, i = base, 1
    while out.exists():
        i += 1
        out = base.with_name(f"{base.name}-{i}")
    return out


def versions() -> dict:
    """The versions a run records; 'jit' says whether the compiled kernels were available to it
    (numba's version; they run for float32 GELU) or why not."""
    from .. import __version__
    from ..kernels import jit
    return {"convnp": __version__, "numpy": np.__version__, "python": platform.python_version(),
            "jit": jit.describe()}


def blas_threads() -> int | None:
    """The BLAS thread count (threadpoolctl when installed, else the environment's setting)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            if os.environ.get(var, "").isdigit():
                return int(os.environ[var])
        return None
    counts = [i.get("num_threads") for i in threadpool_info() if i.get("user_api") == "blas"]
    return counts[0] if counts else None
