"""convnp.models: a zoo of image classifiers built from ``convnp.nn`` modules.

Each function returns a ``convnp.nn.Sequential`` whose state_dict keys and shapes are those of
the same network written with ``torch.nn`` (``torch.nn.Sequential`` of the same layers, and a
module with attributes ``block`` and ``projection`` for ``convnp.nn.Residual``), so weights
move between the two with no renaming. Every model has the course contract too
(``model.loss(X, y=None)``), so ``convnp.solver.Solver`` trains it.

Every constructor takes these keyword-only arguments after its own:

- ``in_channels`` (int, default 3): channels of the input images (1 for grayscale)
- ``num_classes`` (int, default 10): size of the output scores
- ``input_size`` (int, default 32): height = width of the input images; checked against the
  downsampling the network does, and used to size the first Linear after Flatten
- ``seed`` (int or None, default None): every module draws its initial weights (and Dropout its
  masks) from one ``np.random.default_rng(seed)``, in the order the modules are built; the same
  seed gives the same model
- ``dtype`` (default np.float32): float dtype of the parameters and buffers

``get(name, **kw)`` builds a model by name; ``NAMES`` lists the names.

Example:
    >>> model = get("resnet", depth=8, width=4, input_size=8, seed=0)
    >>> model.loss(np.zeros((2, 3, 8, 8), dtype=np.float32)).shape
    (2, 10)
"""

from __future__ import annotations

import inspect

import numpy as np

from . import _validate, nn
from ._spec import record

__all__ = ["NAMES", "airbench", "airbench_fixed_parameters", "deep_cnn", "get", "notes_cnn",
           "resnet", "three_layer", "vgg"]


def _common(fn: str, in_channels, num_classes, input_size, seed, dtype):
    """Validate the arguments every constructor shares; return (C, K, S, rng, dtype)."""
    C = _validate.integer(in_channels, "in_channels", fn, minimum=1)
    K = _validate.integer(num_classes, "num_classes", fn, minimum=1)
    S = _validate.integer(input_size, "input_size", fn, minimum=1)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise TypeError(f"{fn}: seed must be an int or None; got {seed!r}")
    if seed is not None and seed < 0:
        raise ValueError(f"{fn}: seed must be >= 0; got {seed}")
    if dtype is None:
        raise TypeError(f"{fn}: dtype must be a floating-point type such as np.float32; got None")
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{fn}: dtype must be a floating-point type such as np.float32 or "
                        f"np.float64; got {dtype!r}") from None
    if not np.issubdtype(dt, np.floating):
        raise TypeError(f"{fn}: dtype must be a floating-point type such as np.float32 or "
                        f"np.float64; got {dtype!r}")
    return C, K, S, np.random.default_rng(seed), dt


def _widths(widths, name: str, fn: str, length: int | None = None) -> tuple[int, ...]:
    try:
        values = tuple(widths)
    except TypeError:
        raise TypeError(f"{fn}: {name} must be a sequence of ints; got {widths!r}") from None
    if not values or (length is not None and len(values) != length):
        n = f"{length}" if length is not None else "at least one"
        raise ValueError(f"{fn}: {name} must hold {n} channel counts; got {widths!r}")
    return tuple(_validate.integer(w, f"{name}[{i}]", fn, minimum=1) for i, w in enumerate(values))


def _conv_out(size: int, kernel: int, stride: int, pad: int) -> int:
    """PyTorch's output size, rounded down (<= 0 when the kernel does not fit)."""
    return (size + 2 * pad - kernel) // stride + 1


@record("three_layer")
def three_layer(num_filters: int = 32, filter_size: int = 7, hidden_dim: int = 100, *,
                in_channels: int = 3, num_classes: int = 10, input_size: int = 32,
                seed: int | None = None, dtype=np.float32) -> nn.Sequential:
    """The module twin of the course's ThreeLayerConvNet.

    conv (filter_size x filter_size, num_filters, padding (filter_size - 1) / 2, so the size is
    kept) - relu - 2x2 max pool - flatten - linear (hidden_dim) - relu - linear (num_classes).
    Weights get PyTorch's default init (not the course's weight_scale gaussian).

    Args:
        num_filters (int): filters of the conv layer, >= 1. Default: 32
        filter_size (int): odd kernel size, >= 1. Default: 7
        hidden_dim (int): units of the hidden affine layer, >= 1. Default: 100
        in_channels, num_classes, input_size (>= 2), seed, dtype: see the module docstring

    Returns:
        nn.Sequential: keys '0.*' (conv), '4.*' (hidden linear), '6.*' (output linear)
    """
    fn = "three_layer"
    C, K, S, rng, dt = _common(fn, in_channels, num_classes, input_size, seed, dtype)
    F = _validate.integer(num_filters, "num_filters", fn, minimum=1)
    k = _validate.integer(filter_size, "filter_size", fn, minimum=1)
    H = _validate.integer(hidden_dim, "hidden_dim", fn, minimum=1)
    if k % 2 == 0:
        raise ValueError(f"{fn}: filter_size must be odd (the conv pads (filter_size - 1) / 2 to "
                         f"keep the size); got {k}")
    if S < 2:
        raise ValueError(f"{fn}: input_size must be >= 2 for the 2x2 max pool; got {S}")
    flat = F * (S // 2) ** 2
    return nn.Sequential(
        nn.Conv2d(C, F, k, padding=(k - 1) // 2, rng=rng, dtype=dt),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(flat, H, rng=rng, dtype=dt),
        nn.ReLU(),
        nn.Linear(H, K, rng=rng, dtype=dt),
    )


@record("notes_cnn")
def notes_cnn(*, in_channels: int = 3, num_classes: int = 10, input_size: int = 32,
              seed: int | None = None, dtype=np.float32) -> nn.Sequential:
    """The study notes' PyTorch reference net.

    [conv 3x3 stride 2 pad 1 - BatchNorm2d - ReLU] with 16, 32 and 64 channels, then conv 2x2
    stride 2 with 64 channels - BatchNorm2d - ReLU, Flatten, Linear(flat -> 100), ReLU,
    Linear(100 -> num_classes). For 32x32 input the sizes go 32 -> 16 -> 8 -> 4 -> 2 and
    flat = 64 * 2 * 2 = 256, the notes' Linear(256, 100); other sizes round down as PyTorch does
    and flat = 64 * s * s for the final size s.

    Args:
        in_channels, num_classes, input_size, seed, dtype: see the module docstring;
            input_size must leave at least 2x2 before the 2x2 conv (input_size >= 9)

    Returns:
        nn.Sequential: convs at '0', '3', '6', '9', batch norms at '1', '4', '7', '10',
        linears at '13' and '15'
    """
    fn = "notes_cnn"
    C, K, S, rng, dt = _common(fn, in_channels, num_classes, input_size, seed, dtype)
    s = S
    for _ in range(3):
        s = _conv_out(s, 3, 2, 1)
    if s < 2:
        raise ValueError(f"{fn}: input_size={S} is too small: three stride-2 convs leave {s}x{s}, "
                         f"and the final 2x2 conv needs at least 2x2 (input_size >= 9)")
    s = _conv_out(s, 2, 2, 0)
    layers: list[nn.Module] = []
    for c_in, c_out, k, p in ((C, 16, 3, 1), (16, 32, 3, 1), (32, 64, 3, 1), (64, 64, 2, 0)):
        layers += [nn.Conv2d(c_in, c_out, k, stride=2, padding=p, rng=rng, dtype=dt),
                   nn.BatchNorm2d(c_out, dtype=dt), nn.ReLU()]
    layers += [nn.Flatten(), nn.Linear(64 * s * s, 100, rng=rng, dtype=dt), nn.ReLU(),
               nn.Linear(100, K, rng=rng, dtype=dt)]
    return nn.Sequential(*layers)


@record("deep_cnn")
def deep_cnn(widths=(32, 64, 128, 128), hidden_dim: int = 256, dropout_keep: float = 0.5, *,
             in_channels: int = 3, num_classes: int = 10, input_size: int = 32,
             seed: int | None = None, dtype=np.float32) -> nn.Sequential:
    """The study notes' hand-built net, as modules.

    [conv 3x3 pad 1 - BatchNorm2d - ReLU - 2x2 max pool] x 2, conv 3x3 pad 1 - BatchNorm2d -
    ReLU, conv 3x3 pad 1, Flatten, [Linear - BatchNorm1d - Dropout - ReLU] x 2, Linear. The
    convs have widths[0..3] channels; the hidden linears hidden_dim units.

    Args:
        widths (sequence of 4 ints): channels of the four convs. Default: (32, 64, 128, 128)
        hidden_dim (int): units of the two hidden linear layers. Default: 256
        dropout_keep (float): probability of KEEPING a unit (convnp's Dropout p; torch's
            Dropout(p=1 - dropout_keep)), in (0, 1]. Default: 0.5
        in_channels, num_classes, input_size (>= 4, the two pools), seed, dtype: see the module
            docstring

    Returns:
        nn.Sequential (Dropout draws its masks from the same generator as the weights)
    """
    fn = "deep_cnn"
    C, K, S, rng, dt = _common(fn, in_channels, num_classes, input_size, seed, dtype)
    w = _widths(widths, "widths", fn, length=4)
    H = _validate.integer(hidden_dim, "hidden_dim", fn, minimum=1)
    keep = _validate.real(dropout_keep, "dropout_keep", fn, low=0, high=1, low_open=True)
    if S < 4:
        raise ValueError(f"{fn}: input_size must be >= 4 for the two 2x2 max pools; got {S}")
    s = S // 2 // 2
    layers: list[nn.Module] = []
    for c_in, c_out in ((C, w[0]), (w[0], w[1])):
        layers += [nn.Conv2d(c_in, c_out, 3, padding=1, rng=rng, dtype=dt),
                   nn.BatchNorm2d(c_out, dtype=dt), nn.ReLU(), nn.MaxPool2d(2)]
    layers += [nn.Conv2d(w[1], w[2], 3, padding=1, rng=rng, dtype=dt),
               nn.BatchNorm2d(w[2], dtype=dt), nn.ReLU(),
               nn.Conv2d(w[2], w[3], 3, padding=1, rng=rng, dtype=dt), nn.Flatten()]
    d = w[3] * s * s
    for _ in range(2):
        layers += [nn.Linear(d, H, rng=rng, dtype=dt), nn.BatchNorm1d(H, dtype=dt),
                   nn.Dropout(keep, rng=rng), nn.ReLU()]
        d = H
    layers.append(nn.Linear(d, K, rng=rng, dtype=dt))
    return nn.Sequential(*layers)


@record("vgg")
def vgg(widths=(32, 64, 128), *, in_channels: int = 3, num_classes: int = 10,
        input_size: int = 32, seed: int | None = None, dtype=np.float32) -> nn.Sequential:
    """A small VGG: one stage per width of [conv 3x3 pad 1 - BatchNorm2d - ReLU] x 2 + max pool 2.

    The head is Flatten and one Linear (as VGG's own classifier reads the flattened map, not a
    global average): the Linear has widths[-1] * (input_size / 2**len(widths))**2 inputs, so
    input_size must be divisible by 2**len(widths) (each pool halves it exactly).

    Args:
        widths (sequence of ints): channels of each stage, >= 1 stage. Default: (32, 64, 128)
        in_channels, num_classes, input_size, seed, dtype: see the module docstring

    Returns:
        nn.Sequential: 7 modules per stage (conv, bn, relu, conv, bn, relu, pool), then
        Flatten and Linear
    """
    fn = "vgg"
    C, K, S, rng, dt = _common(fn, in_channels, num_classes, input_size, seed, dtype)
    w = _widths(widths, "widths", fn)
    down = 2 ** len(w)
    if S % down:
        raise ValueError(f"{fn}: input_size must be divisible by 2**len(widths) = {down} "
                         f"({len(w)} max pools); got input_size={S}")
    layers: list[nn.Module] = []
    c_in = C
    for c_out in w:
        for _ in range(2):
            layers += [nn.Conv2d(c_in, c_out, 3, padding=1, rng=rng, dtype=dt),
                       nn.BatchNorm2d(c_out, dtype=dt), nn.ReLU()]
            c_in = c_out
        layers.append(nn.MaxPool2d(2))
    s = S // down
    layers += [nn.Flatten(), nn.Linear(w[-1] * s * s, K, rng=rng, dtype=dt)]
    return nn.Sequential(*layers)


def _basic_block(c_in: int, c_out: int, stride: int, rng, dt) -> nn.Sequential:
    """Residual(conv3x3 - BN - ReLU - conv3x3 - BN, shortcut) followed by ReLU."""
    block = nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False, rng=rng, dtype=dt),
        nn.BatchNorm2d(c_out, dtype=dt),
        nn.ReLU(),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False, rng=rng, dtype=dt),
        nn.BatchNorm2d(c_out, dtype=dt),
    )
    projection = None
    if stride != 1 or c_in != c_out:
        projection = nn.Sequential(
            nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False, rng=rng, dtype=dt),
            nn.BatchNorm2d(c_out, dtype=dt),
        )
    return nn.Sequential(nn.Residual(block, projection=projection), nn.ReLU())


@record("resnet")
def resnet(depth: int = 20, width: int = 16, *, in_channels: int = 3, num_classes: int = 10,
           input_size: int = 32, seed: int | None = None, dtype=np.float32) -> nn.Sequential:
    """The CIFAR ResNet of He et al. 2016 (section 4.2), basic blocks, depth = 6n + 2.

    conv 3x3 (width) - BN - ReLU, then 3 stages of n = (depth - 2) / 6 basic blocks with width,
    2 * width and 4 * width channels; the first block of stages 2 and 3 has stride 2 and a
    projection shortcut (1x1 conv stride 2 - BN; the paper's option B), the others the
    identity. Each block is Sequential(Residual(block, projection), ReLU), the ReLU after the
    addition. Then GlobalAvgPool2d and Linear(4 * width -> num_classes). Convs have no bias
    (each feeds a batch norm). resnet(20) has 0.27M parameters, as the paper's ResNet-20.

    Args:
        depth (int): 6n + 2 with n >= 1: 8, 14, 20, 32, 44, 56, 110, ... Default: 20
        width (int): channels of the first stage, >= 1. Default: 16
        in_channels, num_classes, input_size, seed, dtype: see the module docstring (any
            input_size >= 1 works: stride-2 convs round down as PyTorch's)

    Returns:
        nn.Sequential: '0' stem conv, '1' BN, '2' ReLU, '3' .. '3n+2' the blocks (keys such as
        '3.0.block.0.weight', '{3+n}.0.projection.0.weight'), then the pool and the Linear
    """
    fn = "resnet"
    C, K, _, rng, dt = _common(fn, in_channels, num_classes, input_size, seed, dtype)
    depth = _validate.integer(depth, "depth", fn, minimum=1)
    wd = _validate.integer(width, "width", fn, minimum=1)
    if depth < 8 or (depth - 2) % 6:
        raise ValueError(f"{fn}: depth must be 6n + 2 with n >= 1 (8, 14, 20, 32, ...); "
                         f"got depth={depth}")
    n = (depth - 2) // 6
    layers: list[nn.Module] = [nn.Conv2d(C, wd, 3, padding=1, bias=False, rng=rng, dtype=dt),
                               nn.BatchNorm2d(wd, dtype=dt), nn.ReLU()]
    c_in = wd
    for stage, c_out in enumerate((wd, 2 * wd, 4 * wd)):
        for i in range(n):
            stride = 2 if stage > 0 and i == 0 else 1
            layers.append(_basic_block(c_in, c_out, stride, rng, dt))
            c_in = c_out
    layers += [nn.GlobalAvgPool2d(), nn.Linear(c_in, K, rng=rng, dtype=dt)]
    return nn.Sequential(*layers)


@record("airbench")
def airbench(widths=(64, 256, 256), *, bn_momentum: float = 0.4, in_channels: int = 3,
             num_classes: int = 10, input_size: int = 32, seed: int | None = None,
             dtype=np.float32) -> nn.Sequential:
    """The network of the CIFAR-10 speed runs (airbench94, after hlb-cifar10), from nn layers.

    A 2x2 conv without padding (2 * in_channels * 4 filters, with bias) meant to be set to the
    training patches' whitening filters (``nn.init.patch_whitening``) and kept fixed, GELU;
    then per width one block [conv 3x3 - max pool 2 - BatchNorm2d - GELU - conv 3x3 -
    BatchNorm2d - GELU] (convs without bias: the batch norms follow); a max pool over the whole
    remaining map, Flatten, and a Linear without bias. The batch norms use eps 1e-12 and
    momentum bn_momentum (PyTorch's meaning: airbench's 0.6 "old statistics" weight is 0.4
    here). Spatial sizes: input_size - 1 after the 2x2 conv, halved (rounded down) by each
    block; at 32: 31, 15, 7, 3, then the 3x3 max pool.

    Full width (64, 256, 256) costs about 0.7 GFLOP per image forward + backward; the recipe
    (``convnp train --recipe``) chooses the width for the cores at hand.

    Args:
        widths (sequence of ints): channels of each block, >= 1 block. Default: (64, 256, 256)
        bn_momentum (float): the batch norms' momentum in (0, 1]. Default: 0.4
        in_channels, num_classes, input_size, seed, dtype: see the module docstring

    Returns:
        nn.Sequential: whitening conv, GELU, 7 modules per block, MaxPool2d, Flatten, Linear
    """
    fn = "airbench"
    C, K, S, rng, dt = _common(fn, in_channels, num_classes, input_size, seed, dtype)
    w = _widths(widths, "widths", fn)
    momentum = _validate.real(bn_momentum, "bn_momentum", fn, low=0.0, high=1.0,
                              low_open=True)
    s = S - 1
    for _ in w:
        s //= 2
    if s < 1:
        raise ValueError(f"{fn}: input_size {S} is too small for {len(w)} blocks (the 2x2 "
                         f"conv takes 1 pixel, each block halves); it must be >= "
                         f"{2 ** len(w) + 1}")
    layers: list[nn.Module] = [nn.Conv2d(C, 2 * C * 4, 2, rng=rng, dtype=dt), nn.GELU()]
    c_in = 2 * C * 4
    for c_out in w:
        layers += [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False, rng=rng, dtype=dt),
                   nn.MaxPool2d(2),
                   nn.BatchNorm2d(c_out, eps=1e-12, momentum=momentum, dtype=dt), nn.GELU(),
                   nn.Conv2d(c_out, c_out, 3, padding=1, bias=False, rng=rng, dtype=dt),
                   nn.BatchNorm2d(c_out, eps=1e-12, momentum=momentum, dtype=dt), nn.GELU()]
        c_in = c_out
    layers += [nn.MaxPool2d(s), nn.Flatten(), nn.Linear(c_in, K, bias=False, rng=rng,
                                                        dtype=dt)]
    return nn.Sequential(*layers)


def airbench_fixed_parameters(model: nn.Sequential) -> list[str]:
    """The parameters of an ``airbench`` model that the speed runs keep fixed: the whitening
    layer's weight ('0.weight') and every batch norm's scale. ``model.freeze(*names)`` fixes
    them (freezing is not saved in model files: apply it again after loading)."""
    return ["0.weight"] + [f"{name}.weight" for name, m in model.named_modules()
                           if isinstance(m, nn.BatchNorm2d)]


def airbench_speedrun_init(model: nn.Sequential, head_scale: float = 1 / 9) -> nn.Sequential:
    """Set an ``airbench`` model's 3x3 convs and head as the speed runs start them; in place.

    - Each 3x3 conv's first C filters (C its input channels) become identities
      (``nn.init.dirac``): an implicit residual at the start of training; the filters after
      them keep their random values.
    - The head's weight is multiplied by head_scale. airbench multiplies the head's output by
      1/9 instead; with ``airbench_param_mults``' learning-rate and decay factors for the head
      (head_scale**2 and 1 / head_scale**2) SGD then takes exactly airbench's steps, and the
      model stays a plain Sequential that io, to_torch and ONNX know.

    The whitening layer is set from data (``nn.init.patch_whitening``). Returns the model.
    """
    fn = "airbench_speedrun_init"
    head_scale = _validate.real(head_scale, "head_scale", fn, low=0.0, low_open=True)
    for m in model.modules():
        if isinstance(m, nn.Conv2d) and m.weight.shape[2:] == (3, 3):
            nn.init.dirac(m.weight[:m.weight.shape[1]])
    _airbench_head(model, fn)[1].weight *= head_scale
    return model


def _airbench_head(model, fn: str) -> tuple[str, nn.Linear]:
    """(name, module) of model's last nn.Linear: an airbench model's head."""
    heads = [(name, m) for name, m in model.named_modules() if isinstance(m, nn.Linear)]
    if not heads:
        raise ValueError(f"{fn}: model must be an airbench network (models.airbench) ending "
                         f"in an nn.Linear head; got {type(model).__name__} without one")
    return heads[-1]


def airbench_param_mults(model: nn.Sequential, bias_scaler: float = 64.0,
                         head_scale: float = 1 / 9) -> tuple[dict, dict]:
    """(lr_mult, wd_mult) for ``Solver``: airbench's parameter groups for an ``airbench`` model.

    The batch norms' shifts learn bias_scaler times faster with the same decay per step (lr
    x bias_scaler, weight decay / bias_scaler); the head (see ``airbench_speedrun_init``)
    learns at head_scale**2 with decay / head_scale**2, which is SGD on airbench's head with
    its output multiplied by head_scale.
    """
    fn = "airbench_param_mults"
    bias_scaler = _validate.real(bias_scaler, "bias_scaler", fn, low=0.0, low_open=True)
    head_scale = _validate.real(head_scale, "head_scale", fn, low=0.0, low_open=True)
    lr_mult, wd_mult = {}, {}
    for name, m in model.named_modules():
        if isinstance(m, nn.BatchNorm2d):
            lr_mult[f"{name}.bias"] = bias_scaler
            wd_mult[f"{name}.bias"] = 1 / bias_scaler
    head = _airbench_head(model, fn)[0]
    lr_mult[f"{head}.weight"] = head_scale ** 2
    wd_mult[f"{head}.weight"] = 1 / head_scale ** 2
    return lr_mult, wd_mult


_MODELS = {f.__name__: f for f in (three_layer, notes_cnn, deep_cnn, vgg, resnet, airbench)}
NAMES = tuple(_MODELS)


def get(name: str, **kw) -> nn.Sequential:
    """Build the model called name with keyword arguments kw (see each function).

    Raises ValueError for an unknown name (listing the names) or an argument the model does
    not take (naming it and listing those it takes).
    """
    if not isinstance(name, str) or name not in _MODELS:
        raise ValueError(f"convnp.models.get: unknown model {name!r}; choose one of "
                         f"{', '.join(NAMES)}")
    f = _MODELS[name]
    accepted = list(inspect.signature(f).parameters)
    unknown = sorted(set(kw) - set(accepted))
    if unknown:
        raise ValueError(f"convnp.models.get: {name} takes no argument(s) {', '.join(unknown)}; "
                         f"it takes {', '.join(accepted)}")
    return f(**kw)

