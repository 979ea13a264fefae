"""``convnp filters IMAGE [--model RUN] [--out DIR]``: what convolution does to an image.

Without ``--model``: the study notes' demonstration of classic 3x3 kernels. IMAGE is convolved
with the kernels of ``KERNELS`` (box blur, sharpen, Laplace, Sobel horizontal edges) by convnp's
own conv layer, and ``kernels.png`` shows the original and each result side by side.

With ``--model RUN`` (a run folder or a model .npz): ``filters.png``, the learned first-layer
filters as the course's ``visualize_grid`` draws them, and ``activations.png``, the activation
maps of IMAGE after each conv stage of the model, one row per stage.

Each path written is printed on its own line.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from types import MappingProxyType

import numpy as np

from .. import nn
from ..layers import conv_forward_fast
from . import _common, plots
from ._common import UsageError

__all__ = ["KERNELS", "activation_stages", "apply_kernels", "first_conv_weight", "model_figures",
           "model_input", "plot_activations", "plot_kernels", "read_image"]


def _kernel(rows) -> np.ndarray:
    k = np.array(rows, dtype=np.float64)
    k.setflags(write=False)
    return k


# convnp's conv, like the course's and PyTorch's, is a cross-correlation:
#   out[i, j] = sum over u, v of K[u, v] * x[i + u - 1, j + v - 1]   (3x3 kernel, pad 1)
# The first three kernels are symmetric under a half turn, so this equals a true convolution.
# The Sobel kernel is not: with cross-correlation it computes (row below) - (row above), weighted
# 1, 2, 1 across, so it is positive where the image gets brighter going down and responds to
# horizontal edges (a true convolution would flip its sign).
KERNELS = MappingProxyType({
    "mean": _kernel(np.full((3, 3), 1 / 9)),
    "sharpen": _kernel([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "laplace": _kernel([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "horizontal_edge": _kernel([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
})
"""name -> read-only float64 (3, 3) kernel; a read-only mapping (``dict(KERNELS)`` copies it)."""

# How each result is turned back into pixels: 'clip' keeps the values (clipped to 0..255), 'abs'
# shows the magnitude of a response that is signed and centred on 0.
_DISPLAY = {"mean": "clip", "sharpen": "clip", "laplace": "abs", "horizontal_edge": "abs"}
_TITLES = {"mean": "mean (box blur)", "sharpen": "sharpen", "laplace": "Laplace (absolute)",
           "horizontal_edge": "horizontal edges, Sobel (absolute)"}

DEFAULT_MAX_SIZE = 512
DEFAULT_MAX_CHANNELS = 16
_ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.Sigmoid, nn.Tanh, nn.GELU)
# Modules that may sit between a conv and its activation without ending the stage.
_BETWEEN = (nn.BatchNorm2d, nn.GroupNorm, nn.Dropout)


def apply_kernels(image) -> dict[str, np.ndarray]:
    """Convolve an image with each kernel of ``KERNELS``, channel by channel, zero padding 1.

    The work is done by ``convnp.layers.conv_forward_fast`` (stride 1, pad 1) in float64. A conv
    layer sums over its input channels, so one (F, C, 3, 3) filter would mix the colours; here
    each kernel must see one channel at a time. One way is a (C, C, 3, 3) weight with the kernel
    on the diagonal (and zeros elsewhere), which wastes C times the work on zeros. Instead the
    channels go on the batch axis: x of shape (C, 1, H, W) and the kernels stacked as the
    filters, w of shape (4, 1, 3, 3), so one call gives every kernel on every channel,
    out (C, 4, H, W), with the same numbers as the diagonal weight.

    Inputs:
    - image: real numbers (uint8 pixels, typically) of shape (H, W, C) or (H, W), H, W, C >= 1

    Returns a dict name -> result, in the order of ``KERNELS``, each float64 of the shape of
    image. Pixels within one of the border see the zero padding: the mean darkens there, and
    the edge and Laplace kernels respond to the jump from the image to the zeros.

    Raises ValueError if image is not 2-D or 3-D with every size >= 1, TypeError if it does
    not hold real numbers.
    """
    fn = "apply_kernels"
    a = np.asarray(image)
    if a.dtype == bool or not (np.issubdtype(a.dtype, np.integer)
                               or np.issubdtype(a.dtype, np.floating)):
        raise TypeError(f"{fn}: image must hold real numbers (uint8 pixels); got dtype {a.dtype}")
    if a.ndim not in (2, 3) or 0 in a.shape:
        raise ValueError(f"{fn}: image must be of shape (H, W, C) or (H, W) with sizes >= 1; "
                         f"got {a.shape}")
    grey = a.ndim == 2
    x = a.astype(np.float64)[:, :, None] if grey else a.astype(np.float64)
    x = np.ascontiguousarray(x.transpose(2, 0, 1)[:, None])  # (C, 1, H, W)
    w = np.stack(list(KERNELS.values()))[:, None]  # (4, 1, 3, 3)
    out, _ = conv_forward_fast(x, w, np.zeros(len(KERNELS)), {"stride": 1, "pad": 1})
    results = out.transpose(1, 2, 3, 0)  # (4, H, W, C)
    return {name: results[k, :, :, 0] if grey else results[k] for k, name in enumerate(KERNELS)}


def _to_pixels(result: np.ndarray, mode: str) -> np.ndarray:
    """A result as uint8 pixels: clipped to 0..255, or |result| scaled so its max is 255.

    For 'abs' the scale is set by the pixels away from the border when there are any: at the
    border the zero padding makes a frame of strong responses that would hide the image's own.
    """
    if mode == "clip":
        return np.clip(np.rint(result), 0, 255).astype(np.uint8)
    mag = np.abs(result)
    inner = mag[1:-1, 1:-1] if min(mag.shape[:2]) > 2 else mag
    scale = inner.max() if inner.max() > 0 else mag.max()
    if scale == 0:
        return np.zeros(mag.shape, dtype=np.uint8)
    return np.clip(np.rint(mag * (255 / scale)), 0, 255).astype(np.uint8)


def plot_kernels(image: np.ndarray, results: dict[str, np.ndarray],
                 path: str | os.PathLike) -> Path:
    """Write the original and each result of ``apply_kernels`` side by side, titled, as a PNG.

    - image: uint8 of shape (H, W, C) with C 1 or 3, or (H, W)
    - results: ``apply_kernels(image)`` (keys of ``KERNELS``; unknown keys are drawn clipped)
    - path: the PNG to write (atomically)

    Mean and sharpen are clipped to 0..255; Laplace and edge show the absolute response,
    rescaled (see ``_to_pixels``). Grey images are drawn with a grey colour map.
    """
    from matplotlib.figure import Figure

    a = np.asarray(image)
    panels = [("original", a.astype(np.uint8))]
    panels += [(_TITLES.get(name, name), _to_pixels(r, _DISPLAY.get(name, "clip")))
               for name, r in results.items()]
    H, W = a.shape[:2]
    side = 3.0
    height = min(max(side * H / W, 1.0), 3 * side) + 0.5
    fig = Figure(figsize=(side * len(panels), height), layout="constrained")
    for ax, (title, pixels) in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels):
        if pixels.ndim == 3 and pixels.shape[2] == 1:
            pixels = pixels[:, :, 0]
        ax.imshow(pixels, cmap="gray" if pixels.ndim == 2 else None, vmin=0, vmax=255)
        ax.set_title(title, fontsize=10)
        ax.set_axis_off()
    return plots.save_figure(fig, path)


def read_image(path: str | os.PathLike, max_size: int | None = None) -> np.ndarray:
    """An image file as uint8 pixels of shape (H, W, C): C = 1 for grey images, else 3.

    Grey modes ('1', 'L', 'LA', 16-bit 'I;16') give one channel, anything else is converted to
    RGB (an alpha channel is dropped). With max_size, an image whose longer side exceeds it is
    shrunk (Lanczos, aspect kept) so that side is max_size: the kernels' output is for viewing,
    and im2col holds 9 values per pixel and channel.

    Raises UsageError (exit code 2) naming the path if it is not a file or not a readable image.
    """
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    if not p.is_file():
        raise UsageError(f"no such image file: {p}")
    try:
        with Image.open(p) as im:
            im.load()
            if im.mode.startswith("I;16"):
                # 16-bit grey: Pillow's convert('L') would clip at 255 instead of scaling.
                grey = np.asarray(im, dtype=np.float64) * (255 / 65535)
                im = Image.fromarray(np.clip(np.rint(grey), 0, 255).astype(np.uint8), mode="L")
            else:
                im = im.convert("L" if im.mode in ("1", "L", "LA") else "RGB")
            if max_size is not None and max(im.size) > max_size:
                scale = max_size / max(im.size)
                size = tuple(max(1, round(s * scale)) for s in im.size)
                im = im.resize(size, Image.Resampling.LANCZOS)
            a = np.asarray(im, dtype=np.uint8)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UsageError(f"cannot read image {p}: {exc}") from None
    return a[:, :, None] if a.ndim == 2 else a


def first_conv_weight(model) -> tuple[str, np.ndarray]:
    """(name, weight) of the model's first convolution, weight of shape (F, C, HH, WW).

    For a ``convnp.nn`` model, the first Conv2d in module order (named as in its state_dict);
    for a course classifier (``ThreeLayerConvNet``), ``params['W1']``.

    Raises TypeError if the model has neither.
    """
    if isinstance(model, nn.Module):
        for name, m in model.named_modules():
            if isinstance(m, nn.Conv2d):
                return (f"{name}.weight" if name else "weight"), m.weight
    else:
        w = getattr(model, "params", {}).get("W1")
        if isinstance(w, np.ndarray) and w.ndim == 4:
            return "W1", w
    raise TypeError(f"first_conv_weight: {type(model).__name__} has no convolution (a "
                    f"convnp.nn.Conv2d, or a course classifier's 4-D params['W1'])")


def _has_conv(module) -> bool:
    return any(isinstance(m, nn.Conv2d) for m in module.modules())


def activation_stages(model, x: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Run x through model and return the activations after each conv stage, in order.

    For a ``convnp.nn`` model, the top-level children (of a Sequential; the model itself
    otherwise) are run one by one. A stage ends:
    - at the activation (ReLU, LeakyReLU, Sigmoid, Tanh, GELU) that follows a Conv2d, possibly
      after a batch/group norm or dropout: its output, labelled '0 Conv2d -> 2 ReLU';
    - at a Conv2d that no activation follows (a pool, a Flatten, another conv comes next, or
      the end): the conv's own output, labelled '11 Conv2d';
    - at a container child holding convs (a ResNet block, whose last module is its ReLU): its
      output, labelled '3 Sequential'.
    For a course classifier (``ThreeLayerConvNet``): one stage, relu(conv(x, W1, b1)) with the
    classifier's stride 1 and pad (filter_size - 1) // 2.

    The model is put in eval mode (batch norm uses its running statistics), as predicting does.

    Inputs:
    - model: a ``convnp.nn.Module`` or a course classifier with params['W1']
    - x: model input, of shape (N, C, H, W), float (cast to the first conv's dtype)

    Returns a list of (label, activation of shape (N, C_s, H_s, W_s)).

    Raises ValueError if x is not 4-D, TypeError if the model has no convolution.
    """
    fn = "activation_stages"
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"{fn}: x must be of shape (N, C, H, W); got {x.shape}")
    _, w = first_conv_weight(model)
    x = x.astype(w.dtype, copy=False)
    if not isinstance(model, nn.Module):
        b = model.params.get("b1", np.zeros(w.shape[0], w.dtype))
        out, _ = conv_forward_fast(x, w, b, {"stride": 1, "pad": (w.shape[2] - 1) // 2})
        return [("conv W1 -> ReLU", np.maximum(out, 0))]

    model.eval()
    children = [(n, m) for n, m in model.named_modules() if n and "." not in n]
    if not isinstance(model, nn.Sequential):
        children = [(type(model).__name__, model)]
    stages: list[tuple[str, np.ndarray]] = []
    pending: tuple[str, np.ndarray] | None = None  # a conv's output, until we see what follows
    out = x
    for name, child in children:
        label = f"{name} {type(child).__name__}"
        if pending is not None and not isinstance(child, _ACTIVATIONS + _BETWEEN):
            stages.append(pending)
            pending = None
        out = child(out)
        if isinstance(child, nn.Conv2d):
            pending = (label, out)
        elif isinstance(child, _ACTIVATIONS) and pending is not None:
            stages.append((f"{pending[0]} -> {label}", out))
            pending = None
        elif not isinstance(child, _BETWEEN) and _has_conv(child):
            stages.append((label, out))
    if pending is not None:
        stages.append(pending)
    return stages


def plot_activations(stages: list[tuple[str, np.ndarray]], path: str | os.PathLike, *,
                     max_channels: int = DEFAULT_MAX_CHANNELS) -> Path:
    """One row per stage: the first max_channels channel maps of the first image, as a PNG.

    - stages: ``activation_stages``' result, (label, array (N, C, H, W)) pairs, at least one
    - path: the PNG to write (atomically)
    - max_channels: the most maps a row shows

    Each row is titled with the label and the shape (and how many channels it shows when it
    does not show all); each map has its own colour scale (viridis, low to high). The figure
    grows one row per stage.

    Raises ValueError if stages is empty, an array is not 4-D, or max_channels < 1.
    """
    from matplotlib.figure import Figure

    fn = "plot_activations"
    if isinstance(max_channels, bool) or not isinstance(max_channels, int) or max_channels < 1:
        raise ValueError(f"{fn}: max_channels must be an int >= 1; got {max_channels!r}")
    if not stages:
        raise ValueError(f"{fn}: stages must hold at least one (label, activation) pair")
    for label, a in stages:
        if np.ndim(a) != 4 or 0 in np.shape(a):
            raise ValueError(f"{fn}: the activation of stage {label!r} must be of shape "
                             f"(N, C, H, W) with sizes >= 1; got {np.shape(a)}")
    cols = min(max_channels, max(np.shape(a)[1] for _, a in stages))
    fig = Figure(figsize=(max(1.0 * cols, 6.0), 1.5 * len(stages)), layout="constrained")
    rows = fig.subfigures(len(stages), 1, squeeze=False)[:, 0]
    for row, (label, a) in zip(rows, stages):
        C = a.shape[1]
        shown = min(C, cols)
        note = "" if shown == C else f", first {shown} of {C} channels"
        row.suptitle(f"{label}  {tuple(a.shape)}{note}", fontsize=9, x=0.01, ha="left",
                     parse_math=False)
        for c, ax in enumerate(row.subplots(1, cols, squeeze=False)[0]):
            ax.set_axis_off()
            if c < shown:
                ax.imshow(np.asarray(a[0, c], dtype=np.float64), cmap="viridis",
                          interpolation="nearest")
    return plots.save_figure(fig, path)


def model_figures(model, image_nchw: np.ndarray, out_dir: str | os.PathLike, *,
                  max_channels: int = DEFAULT_MAX_CHANNELS, max_filters: int = 64) -> list[Path]:
    """Write filters.png and activations.png for model and one preprocessed image.

    - model: a ``convnp.nn`` model or a course ``ThreeLayerConvNet`` (put in eval mode)
    - image_nchw: the model's input for one image, of shape (1, C, H, W), float
    - out_dir: folder to write into (created if needed)
    - max_channels: maps per stage in activations.png; max_filters: filters in filters.png

    filters.png is ``plots.plot_filters`` of the first conv's weight (each filter min-max
    scaled, RGB when it has 3 input channels); activations.png is ``plot_activations`` of
    ``activation_stages(model, image_nchw)``. Returns the two paths.

    Raises ValueError if image_nchw is not of shape (1, C, H, W), TypeError if the model has
    no convolution.
    """
    x = np.asarray(image_nchw)
    if x.ndim != 4 or x.shape[0] != 1:
        raise ValueError(f"model_figures: image_nchw must be one image of shape (1, C, H, W); "
                         f"got {x.shape}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _, w = first_conv_weight(model)
    stages = activation_stages(model, x)
    return [plots.plot_filters(w, out / "filters.png", max_filters=max_filters),
            plot_activations(stages, out / "activations.png", max_channels=max_channels)]


def model_input(images: np.ndarray, loaded) -> np.ndarray:
    """The model input for stored images: float (N, C, H, W) in the first conv's dtype.

    - images: uint8 of shape (N, H, W, C), as ``_common.read_images`` returns them
    - loaded: ``convnp.io.load_full``'s result (model, dataset, preprocess)

    Uses the preprocessing saved with the model; a model saved without one gets the
    standardisation training uses, (x - mean) / std per channel with the dataset's statistics.
    """
    _, w = first_conv_weight(loaded.model)
    if loaded.preprocess is not None:
        x = loaded.preprocess(images)
    else:
        mean = np.asarray(loaded.dataset.mean, dtype=np.float64)
        std = np.asarray(loaded.dataset.std, dtype=np.float64)
        x = ((images - mean) / std).transpose(0, 3, 1, 2)
    return np.ascontiguousarray(x, dtype=w.dtype)


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "filters", help="classic 3x3 kernels on an image, or a model's filters and activations",
        description=("Without --model: convolve IMAGE with classic 3x3 kernels (box blur,\n"
                     "sharpen, Laplace, Sobel horizontal edges) using convnp's conv layer and\n"
                     "write kernels.png. With --model: write the model's first-layer filters\n"
                     "(filters.png) and the activation maps of IMAGE after each conv stage\n"
                     "(activations.png)."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  convnp filters cat.jpg --out figures          # writes figures/kernels.png\n"
               "  convnp filters cat.jpg --model runs/20261124-101500-cifar10-vgg\n"
               "      # writes filters.png and activations.png into the run folder")
    p.add_argument("image", metavar="IMAGE", help="an image file (JPEG, PNG, ...)")
    p.add_argument("--model", metavar="RUN",
                   help="a run folder or a model .npz: draw its first-layer filters and the "
                        "activations of IMAGE instead of the kernel demonstration")
    p.add_argument("--out", metavar="DIR",
                   help="folder to write into (default: the current folder; RUN's folder with "
                        "--model)")
    p.add_argument("--max-size", type=_common.positive_int, default=DEFAULT_MAX_SIZE,
                   help="kernel demonstration: shrink IMAGE so its longer side is at most this "
                        f"(default {DEFAULT_MAX_SIZE}); with --model IMAGE takes the model's "
                        "input size")
    p.add_argument("--max-channels", type=_common.positive_int, default=DEFAULT_MAX_CHANNELS,
                   help=f"channel maps per stage in activations.png (default "
                        f"{DEFAULT_MAX_CHANNELS})")
    return p


def _out_dir(text: str | None, default: Path) -> Path:
    out = Path(text).expanduser() if text is not None else default
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.model is None:
        image = read_image(args.image, args.max_size)
        out = _out_dir(args.out, Path("."))
        written = [plot_kernels(image, apply_kernels(image), out / "kernels.png")]
    else:
        from .. import io

        path = _common.model_path(args.model)
        loaded = io.load_full(path)
        if loaded.dataset is None:
            raise UsageError(f"{path}: the model file has no dataset description (the image "
                             f"size and channels the model takes); save it with "
                             f"convnp.io.save(..., dataset=)")
        images = _common.read_images([args.image], loaded.dataset)
        out = _out_dir(args.out, path.parent)
        written = model_figures(loaded.model, model_input(images, loaded), out,
                                max_channels=args.max_channels)
    for p in written:
        print(p)
    return 0

