"""PyTorch interop: ``to_torch(model)`` and ``from_torch(module)``, weights copied both ways.

``to_torch`` takes a ``convnp.nn`` module tree (every zoo model of ``convnp.models``) or one of
the course's classifiers and builds the equivalent ``torch.nn.Module``; ``from_torch`` takes a
``torch.nn.Sequential`` of supported layers and builds the ``convnp.nn.Sequential``. Parameters
and buffers (batch norm's running statistics and ``num_batches_tracked``) are copied bit for bit
in the model's dtype (float32 or float64, kept), and every module keeps its train/eval mode.

=======================  ============================================================
convnp.nn                torch.nn
=======================  ============================================================
Sequential               Sequential (same child names, so the same state_dict keys)
Residual                 ``convnp.interop.torch.Residual``: attributes ``block`` and
                         ``projection``, forward block(x) + (x or projection(x)), as
                         convnp's (no activation after the sum: the zoo's blocks put
                         their ReLU after the Residual, as a module of its own)
Linear, Conv2d           Linear, Conv2d (weight layouts identical: (out, in) and
                         (F, C, HH, WW))
MaxPool2d, AvgPool2d     MaxPool2d, AvgPool2d (no padding, floor mode)
GlobalAvgPool2d          ``convnp.interop.torch.GlobalAvgPool2d``: x.mean((2, 3)),
                         (N, C, H, W) -> (N, C); from_torch also reads
                         AdaptiveAvgPool2d(1) followed by Flatten()
BatchNorm1d/2d           BatchNorm1d/2d: eps and momentum passed as they are (the
                         modules already use PyTorch's meaning of momentum)
LayerNorm, GroupNorm     LayerNorm, GroupNorm (affine)
Dropout(p=keep)          Dropout(p=1 - keep): convnp's p is the probability of KEEPING
                         a unit, torch's of dropping it
ReLU, LeakyReLU,         the same, with negative_slope and approximate kept
Sigmoid, Tanh, GELU
Flatten                  Flatten (start_dim, end_dim kept)
=======================  ============================================================

Layouts. Both libraries are NCHW and flatten in C order, so ``Flatten`` before a ``Linear`` reads
the features in the same order (c, h, w) and no weight is permuted. ``convnp.nn.Linear`` keeps
PyTorch's (out_features, in_features) weight; only the course's classifiers differ: their affine
weights W1, W2, ... have shape (D, M) (``x @ W``), so to_torch stores W.T as the torch Linear's
(M, D) weight (``classifier_keys`` names the torch key of every course parameter).

The course's classifiers become torch Sequentials of the same layers:

- ``TwoLayerNet``: Flatten, Linear(W1, b1), ReLU, Linear(W2, b2)
- ``FullyConnectedNet``: Flatten, then per hidden layer Linear, [BatchNorm1d or LayerNorm], ReLU,
  [Dropout], then the last Linear. Course batch norm keeps its statistics in ``bn_params``
  with the course's momentum (weight of the OLD average): torch's momentum is 1 - momentum,
  taken on the decimal value (0.9 -> 0.1 exactly); running statistics missing from a bn_param
  (never trained) are zeros, as the course's layer creates them. Normalization is the same in
  both, but in training the course averages the biased batch variance into running_var and
  torch the unbiased one, so the running variances drift apart while outputs and gradients do
  not.
- ``ThreeLayerConvNet``: Conv2d(W1, b1, padding (fs - 1) // 2), ReLU, MaxPool2d(2), Flatten,
  Linear(W2, b2), ReLU, Linear(W3, b3)

The classifiers have no train/eval flag: the torch module is in train mode (torch's default,
the mode of ``loss(X, y)``) unless the classifier's last ``loss`` call recorded test mode in
``dropout_param`` or ``bn_params`` (FullyConnectedNet with dropout or batch norm only).

``from_torch`` accepts exactly the torch types above (subclasses are refused: their forward may
differ), nested Sequentials, ``AdaptiveAvgPool2d(1)`` directly followed by ``Flatten()`` (torch
gives (N, C, 1, 1) where convnp's GlobalAvgPool2d gives (N, C); the Flatten makes them agree),
and residual blocks of the zoo's shape: any other module whose only children are ``block`` and
``projection`` (which may be None) and that has no parameters of its own, read as
block(x) + (x or projection(x)). Anything else is refused with a TypeError naming its type and
its path in the model ('3.0.block.1'); a supported type with settings convnp does not have
(groups, dilation, ceil_mode, padding on a pool, a rectangular stride, ...) with a ValueError.

Example:
    >>> from convnp import models
    >>> model = models.resnet(depth=8, width=4, input_size=8, seed=0).eval()
    >>> tm = to_torch(model)
    >>> tm(torch.zeros(2, 3, 8, 8)).shape
    torch.Size([2, 10])
    >>> from_torch(tm).state_dict().keys() == model.state_dict().keys()
    True
"""

from __future__ import annotations

import collections
import fractions

import numpy as np

try:
    import torch
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("convnp.interop.torch needs PyTorch: pip install torch (convnp's test "
                      "extra pins torch==2.13.0)") from exc

from .. import _validate, nn
from ..classifiers import FullyConnectedNet, ThreeLayerConvNet, TwoLayerNet

__all__ = ["GlobalAvgPool2d", "Residual", "classifier_keys", "from_torch", "to_torch"]

TNN = torch.nn
_TORCH_DTYPES = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}
_NUMPY_DTYPES = {v: k for k, v in _TORCH_DTYPES.items()}
_CLASSIFIERS = (TwoLayerNet, FullyConnectedNet, ThreeLayerConvNet)


class Residual(TNN.Module):
    """torch's twin of ``convnp.nn.Residual``: out = block(x) + (x, or projection(x)).

    Args:
        block (torch.nn.Module): the residual branch
        projection (torch.nn.Module, optional): the shortcut; None for the identity. Default: None

    The attribute names give the state_dict keys of convnp's Residual ('block.0.weight',
    'projection.1.running_mean', ...).
    """

    def __init__(self, block: torch.nn.Module, projection: torch.nn.Module | None = None):
        super().__init__()
        self.block = block
        self.projection = projection

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.block(x) + (x if self.projection is None else self.projection(x))


class GlobalAvgPool2d(TNN.Module):
    """torch's twin of ``convnp.nn.GlobalAvgPool2d``: (N, C, H, W) -> (N, C), the mean over H, W."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mean(dim=(2, 3))


def _qualname(obj) -> str:
    t = type(obj)
    return f"{t.__module__}.{t.__qualname__}"


def _where(path: str) -> str:
    return f"at {path!r}" if path else "at the top of the model"


def _complement(p: float) -> float:
    """1 - p on the decimal value of p, so 1 - 0.9 gives 0.1 (not 0.09999999999999998)."""
    return float(1 - fractions.Fraction(repr(float(p))))


# -- convnp -> torch -------------------------------------------------------------------------

_SUPPORTED_CONVNP = ("Sequential", "Residual", "Linear", "Conv2d", "MaxPool2d", "AvgPool2d",
                     "GlobalAvgPool2d", "BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm",
                     "Dropout", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "Flatten")


def _module_dtype(m: nn.Module, path: str) -> torch.dtype:
    dt = m.weight.dtype
    if dt not in _TORCH_DTYPES:
        raise ValueError(f"to_torch: {type(m).__name__} {_where(path)} has dtype {dt}; "
                         f"expected float32 or float64")
    return _TORCH_DTYPES[dt]


def _to_torch_module(m: nn.Module, path: str) -> torch.nn.Module:
    """The torch module of m (on the meta device: shapes only, no init drawn), recursively."""
    t = type(m)
    meta = {"device": "meta"}
    if t is nn.Sequential:
        children = collections.OrderedDict(
            (name, _to_torch_module(child, f"{path}.{name}" if path else name))
            for name, child in m._modules.items())
        out = TNN.Sequential(children)
    elif t is nn.Residual:
        sub = f"{path}." if path else ""
        proj = m.projection
        out = Residual(_to_torch_module(m.block, sub + "block"),
                       None if proj is None else _to_torch_module(proj, sub + "projection"))
    elif t is nn.Linear:
        out = TNN.Linear(m.in_features, m.out_features, bias=m.bias is not None,
                         dtype=_module_dtype(m, path), **meta)
    elif t is nn.Conv2d:
        out = TNN.Conv2d(m.in_channels, m.out_channels, m.kernel_size, stride=m.stride,
                         padding=m.padding, bias=m.bias is not None,
                         dtype=_module_dtype(m, path), **meta)
    elif t is nn.MaxPool2d:
        out = TNN.MaxPool2d(m.kernel_size, stride=m.stride)
    elif t is nn.AvgPool2d:
        out = TNN.AvgPool2d(m.kernel_size, stride=m.stride)
    elif t is nn.GlobalAvgPool2d:
        out = GlobalAvgPool2d()
    elif t in (nn.BatchNorm1d, nn.BatchNorm2d):
        cls = TNN.BatchNorm1d if t is nn.BatchNorm1d else TNN.BatchNorm2d
        out = cls(m.num_features, eps=m.eps, momentum=m.momentum,
                  dtype=_module_dtype(m, path), **meta)
    elif t is nn.LayerNorm:
        out = TNN.LayerNorm(m.normalized_shape, eps=m.eps, dtype=_module_dtype(m, path), **meta)
    elif t is nn.GroupNorm:
        out = TNN.GroupNorm(m.num_groups, m.num_channels, eps=m.eps,
                            dtype=_module_dtype(m, path), **meta)
    elif t is nn.Dropout:
        out = TNN.Dropout(p=_complement(m.p))
    elif t is nn.ReLU:
        out = TNN.ReLU()
    elif t is nn.LeakyReLU:
        out = TNN.LeakyReLU(m.negative_slope)
    elif t is nn.Sigmoid:
        out = TNN.Sigmoid()
    elif t is nn.Tanh:
        out = TNN.Tanh()
    elif t is nn.GELU:
        out = TNN.GELU(approximate=m.approximate)
    elif t is nn.Flatten:
        out = TNN.Flatten(m.start_dim, m.end_dim)
    else:
        raise TypeError(f"to_torch: unsupported module {_qualname(m)} {_where(path)}; "
                        f"supported: convnp.nn.{', '.join(_SUPPORTED_CONVNP)} (exact types)")
    out.training = m.training
    return out


def _materialize(module: torch.nn.Module, state: dict, fn: str) -> torch.nn.Module:
    """Allocate a meta-device module on the CPU and copy state (numpy arrays) into it.

    Building on the meta device skips torch's random init, so the caller's torch RNG is left
    untouched; ``load_state_dict`` (strict) then fills every parameter and buffer.
    """
    modes = {name: m.training for name, m in module.named_modules()}
    module = module.to_empty(device="cpu")
    result = module.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in state.items()},
                                    strict=True)
    assert not result.missing_keys and not result.unexpected_keys, (fn, result)
    for name, m in module.named_modules():
        m.training = modes[name]
    return module


def classifier_keys(model) -> dict[str, str]:
    """The torch state_dict key of every course parameter of a classifier, as to_torch lays it out.

    Inputs:
    - model: a TwoLayerNet, FullyConnectedNet or ThreeLayerConvNet

    Returns a dict course key -> torch key, e.g. {'W1': '1.weight', 'b1': '1.bias',
    'gamma1': '2.weight', ...}. Affine weights 'W<i>' of shape (D, M) are stored transposed, as
    the torch Linear's (M, D) weight; the conv filters of ThreeLayerConvNet ('W1', (F, C, HH,
    WW)) are stored as they are.

    Raises TypeError for any other object.
    """
    fn = "classifier_keys"
    if isinstance(model, TwoLayerNet):
        return {"W1": "1.weight", "b1": "1.bias", "W2": "3.weight", "b2": "3.bias"}
    if isinstance(model, ThreeLayerConvNet):
        return {"W1": "0.weight", "b1": "0.bias", "W2": "4.weight", "b2": "4.bias",
                "W3": "6.weight", "b3": "6.bias"}
    if isinstance(model, FullyConnectedNet):
        keys, idx = {}, 1  # index 0 is the Flatten
        for i in range(1, model.num_layers + 1):
            keys[f"W{i}"], keys[f"b{i}"] = f"{idx}.weight", f"{idx}.bias"
            idx += 1
            if i == model.num_layers:
                break
            if model.normalization is not None:
                keys[f"gamma{i}"], keys[f"beta{i}"] = f"{idx}.weight", f"{idx}.bias"
                idx += 1
            idx += 2 if model.use_dropout else 1  # ReLU [, Dropout]
        return keys
    raise TypeError(f"{fn}: model must be a TwoLayerNet, FullyConnectedNet or ThreeLayerConvNet; "
                    f"got {_qualname(model)}")


def _classifier_to_torch(model) -> torch.nn.Module:
    fn = "to_torch"
    dt = np.dtype(model.dtype)
    if dt not in _TORCH_DTYPES:
        raise ValueError(f"{fn}: {type(model).__name__} has dtype {dt}; expected float32 or "
                         f"float64")
    kw = {"device": "meta", "dtype": _TORCH_DTYPES[dt]}
    p = model.params
    keys = classifier_keys(model)
    state = {keys[k]: (v.T if k.startswith("W") and v.ndim == 2 else v) for k, v in p.items()}
    training = True
    if isinstance(model, TwoLayerNet):
        (D, H), C = p["W1"].shape, p["W2"].shape[1]
        layers = [TNN.Flatten(), TNN.Linear(D, H, **kw), TNN.ReLU(), TNN.Linear(H, C, **kw)]
    elif isinstance(model, ThreeLayerConvNet):
        F, C, fs, _ = p["W1"].shape
        layers = [TNN.Conv2d(C, F, fs, padding=(fs - 1) // 2, **kw), TNN.ReLU(), TNN.MaxPool2d(2),
                  TNN.Flatten(), TNN.Linear(*p["W2"].shape, **kw), TNN.ReLU(),
                  TNN.Linear(*p["W3"].shape, **kw)]
    else:
        layers = [TNN.Flatten()]
        L = model.num_layers
        for i in range(1, L + 1):
            layers.append(TNN.Linear(*p[f"W{i}"].shape, **kw))
            if i == L:
                break
            M = p[f"W{i}"].shape[1]
            bn_param = model.bn_params[i - 1] if model.normalization else {}
            eps = float(bn_param.get("eps", 1e-5))
            if model.normalization == "batchnorm":
                momentum = _complement(bn_param.get("momentum", 0.9))
                layers.append(TNN.BatchNorm1d(M, eps=eps, momentum=momentum, **kw))
                prefix = keys[f"gamma{i}"].split(".")[0]
                zeros = np.zeros(M, dt)
                state[f"{prefix}.running_mean"] = bn_param.get("running_mean", zeros)
                state[f"{prefix}.running_var"] = bn_param.get("running_var", zeros)
                state[f"{prefix}.num_batches_tracked"] = np.zeros((), np.int64)
                training = training and bn_param.get("mode", "train") == "train"
            elif model.normalization == "layernorm":
                layers.append(TNN.LayerNorm(M, eps=eps, **kw))
            layers.append(TNN.ReLU())
            if model.use_dropout:
                layers.append(TNN.Dropout(p=_complement(model.dropout_param["p"])))
        if model.use_dropout:
            training = training and model.dropout_param.get("mode", "train") == "train"
    module = TNN.Sequential(*layers).train(training)
    return _materialize(module, state, fn)


def to_torch(model) -> torch.nn.Module:
    """The torch.nn.Module equivalent to a convnp model, with its weights and running statistics.

    Inputs:
    - model: a ``convnp.nn`` module tree of the types in the module docstring (every zoo model
      of ``convnp.models``), or a course classifier (TwoLayerNet, FullyConnectedNet,
      ThreeLayerConvNet)

    Returns a torch.nn.Module on the CPU whose parameters and buffers are copies of the model's,
    in its dtype (float32 or float64). For a convnp.nn model the state_dict keys, shapes and
    order equal ``model.state_dict()``'s and every submodule has its counterpart's train/eval
    mode; for a classifier see the module docstring (affine weights transposed, keys from
    ``classifier_keys``). torch's random number generator is not used.

    Raises TypeError for another kind of object or a module type with no torch counterpart
    (naming its type and path), ValueError for parameters that are not float32 or float64.
    """
    fn = "to_torch"
    if isinstance(model, _CLASSIFIERS):
        return _classifier_to_torch(model)
    if not isinstance(model, nn.Module):
        raise TypeError(f"{fn}: model must be a convnp.nn.Module (a zoo model) or a course "
                        f"classifier (TwoLayerNet, FullyConnectedNet, ThreeLayerConvNet); got "
                        f"{_qualname(model)}")
    return _materialize(_to_torch_module(model, ""), model.state_dict(), fn)


# -- torch -> convnp -------------------------------------------------------------------------

_SUPPORTED_TORCH = ("Sequential", "Conv2d", "Linear", "BatchNorm1d", "BatchNorm2d", "LayerNorm",
                    "GroupNorm", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d(1) + Flatten",
                    "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "Flatten", "Dropout")


def _is_residual(m: torch.nn.Module) -> bool:
    """A module of the zoo's residual shape: children block [and projection], nothing else."""
    if not isinstance(getattr(m, "block", None), TNN.Module) or not hasattr(m, "projection"):
        return False
    if m.projection is not None and not isinstance(m.projection, TNN.Module):
        return False
    own = list(m.named_parameters(recurse=False)) + list(m.named_buffers(recurse=False))
    if own or not set(dict(m.named_children())) <= {"block", "projection"}:
        return False
    # The shape alone says nothing of what forward computes (relu(block(x) + x), say): only
    # a forward that is Residual's, block(x) + (projection or identity)(x), converts.
    if type(m).forward is not Residual.forward:
        raise TypeError(f"from_torch: {_qualname(m)} has residual children (block, projection) "
                        f"but its own forward; convnp converts only "
                        f"convnp.interop.torch.Residual's block(x) + shortcut(x)")
    return True


def _np(tensor: torch.Tensor, dt: np.dtype) -> np.ndarray:
    t = tensor.detach().cpu()
    if not t.is_floating_point():
        return t.numpy().copy()
    if t.dtype not in _NUMPY_DTYPES:
        t = t.to(torch.float64)  # float16 / bfloat16: widened first, then cast to dt exactly
    return t.numpy().astype(dt, copy=True)


class _Converter:
    """Builds the convnp tree of a torch module tree (one dtype, one dropout generator)."""

    def __init__(self, dt: np.dtype, rng: np.random.Generator) -> None:
        self.dt, self.rng = dt, rng
        # Init draws of the new modules are overwritten; a fixed generator keeps them cheap and
        # leaves ``rng`` (dropout masks) untouched.
        self.init_rng = np.random.default_rng(0)

    def refuse(self, m, path: str, what: str) -> None:
        raise ValueError(f"from_torch: {_qualname(m)} {_where(path)} has {what}, which convnp's "
                         f"{type(m).__name__} does not have")

    def build(self, m: torch.nn.Module, path: str, next_module=None) -> nn.Module:
        t, dt, init = type(m), self.dt, self.init_rng
        if t is TNN.Sequential:
            items = list(m.named_children())
            out = nn.Sequential(collections.OrderedDict(
                (name, self.build(child, f"{path}.{name}" if path else name,
                                  items[i + 1][1] if i + 1 < len(items) else None))
                for i, (name, child) in enumerate(items)))
        elif t is TNN.Conv2d:
            if m.groups != 1:
                self.refuse(m, path, f"groups={m.groups}")
            if tuple(m.dilation) != (1, 1):
                self.refuse(m, path, f"dilation={m.dilation}")
            if m.padding_mode != "zeros":
                self.refuse(m, path, f"padding_mode={m.padding_mode!r}")
            if isinstance(m.padding, str):
                if m.padding != "valid":
                    self.refuse(m, path, f"padding={m.padding!r}")
                padding = 0
            else:
                padding = m.padding
            out = self.make(nn.Conv2d, m, path, m.in_channels, m.out_channels, m.kernel_size,
                            stride=m.stride, padding=padding, bias=m.bias is not None, rng=init,
                            dtype=dt)
        elif t is TNN.Linear:
            out = self.make(nn.Linear, m, path, m.in_features, m.out_features,
                            bias=m.bias is not None, rng=init, dtype=dt)
        elif t in (TNN.BatchNorm1d, TNN.BatchNorm2d):
            if not m.affine:
                self.refuse(m, path, "affine=False")
            if not m.track_running_stats:
                self.refuse(m, path, "track_running_stats=False")
            cls = nn.BatchNorm1d if t is TNN.BatchNorm1d else nn.BatchNorm2d
            out = self.make(cls, m, path, m.num_features, eps=m.eps, momentum=m.momentum,
                            dtype=dt)
        elif t is TNN.LayerNorm:
            if m.weight is None or m.bias is None:
                self.refuse(m, path, "no weight or no bias (elementwise_affine=False or "
                            "bias=False)")
            out = self.make(nn.LayerNorm, m, path, m.normalized_shape, eps=m.eps, dtype=dt)
        elif t is TNN.GroupNorm:
            if not m.affine:
                self.refuse(m, path, "affine=False")
            out = self.make(nn.GroupNorm, m, path, m.num_groups, m.num_channels, eps=m.eps,
                            dtype=dt)
        elif t in (TNN.MaxPool2d, TNN.AvgPool2d):
            if m.padding not in (0, (0, 0)):
                self.refuse(m, path, f"padding={m.padding!r}")
            if m.ceil_mode:
                self.refuse(m, path, "ceil_mode=True")
            if t is TNN.MaxPool2d:
                if m.dilation not in (1, (1, 1)):
                    self.refuse(m, path, f"dilation={m.dilation!r}")
                if m.return_indices:
                    self.refuse(m, path, "return_indices=True")
                out = self.make(nn.MaxPool2d, m, path, m.kernel_size, stride=m.stride)
            else:
                if m.divisor_override is not None:
                    self.refuse(m, path, f"divisor_override={m.divisor_override}")
                out = self.make(nn.AvgPool2d, m, path, m.kernel_size, stride=m.stride)
        elif t is TNN.AdaptiveAvgPool2d:
            if m.output_size not in (1, (1, 1)):
                self.refuse(m, path, f"output_size={m.output_size!r} (only 1 is global "
                            f"average pooling)")
            if not (type(next_module) is TNN.Flatten and next_module.start_dim == 1
                    and next_module.end_dim == -1):
                raise ValueError(f"from_torch: {_qualname(m)} {_where(path)} must be directly "
                                 f"followed by Flatten() in its Sequential: torch returns (N, C, "
                                 f"1, 1) where convnp's GlobalAvgPool2d returns (N, C); got "
                                 f"{'nothing' if next_module is None else _qualname(next_module)}"
                                 f" after it")
            out = nn.GlobalAvgPool2d()
        elif t is GlobalAvgPool2d:
            out = nn.GlobalAvgPool2d()
        elif t is TNN.Dropout:
            if m.p >= 1:
                raise ValueError(f"from_torch: {_qualname(m)} {_where(path)} has p={m.p}, which "
                                 f"drops every unit; convnp's Dropout keeps each unit with "
                                 f"probability 1 - p, which must be in (0, 1]")
            out = nn.Dropout(_complement(m.p), rng=self.rng)
        elif t is TNN.ReLU:
            out = nn.ReLU()
        elif t is TNN.LeakyReLU:
            out = nn.LeakyReLU(m.negative_slope)
        elif t is TNN.Sigmoid:
            out = nn.Sigmoid()
        elif t is TNN.Tanh:
            out = nn.Tanh()
        elif t is TNN.GELU:
            out = nn.GELU(approximate=m.approximate)
        elif t is TNN.Flatten:
            out = nn.Flatten(m.start_dim, m.end_dim)
        elif _is_residual(m):
            sub = f"{path}." if path else ""
            block = self.build(m.block, sub + "block")
            proj = None if m.projection is None else self.build(m.projection, sub + "projection")
            out = nn.Residual(block, projection=proj)
        else:
            raise TypeError(f"from_torch: unsupported layer {_qualname(m)} {_where(path)}; "
                            f"supported: torch.nn.{', '.join(_SUPPORTED_TORCH)} (exact types), "
                            f"and residual blocks (a module whose only children are 'block' and "
                            f"'projection')")
        out.training = bool(m.training)
        return out

    def make(self, cls, m: torch.nn.Module, path: str, *args, **kw) -> nn.Module:
        """cls(*args, **kw) with m's parameters and buffers copied in (strict keys)."""
        try:
            out = cls(*args, **kw)
        except ValueError as exc:
            raise ValueError(f"from_torch: {_qualname(m)} {_where(path)} cannot be built in "
                             f"convnp: {exc}") from exc
        out.load_state_dict({k: _np(v, self.dt) for k, v in m.state_dict().items()}, strict=True)
        return out


def from_torch(module: torch.nn.Module, dtype=None, *,
               rng: np.random.Generator | None = None) -> nn.Sequential:
    """The convnp.nn.Sequential equivalent to a torch.nn.Sequential, with its weights.

    Inputs:
    - module: a torch.nn.Sequential (nested Sequentials allowed) of the layers listed in the
      module docstring, residual blocks of the zoo's shape included; on any device
    - dtype: float dtype of the convnp model, np.float32 or np.float64; None (default) keeps
      the module's (its floating-point parameters and buffers must then share one dtype,
      float32 or float64; float32 when it has none)
    - rng: (keyword-only) numpy Generator for the masks of convnp's Dropout modules; None: a
      fresh unseeded np.random.default_rng()

    Returns a convnp.nn.Sequential with the same state_dict keys, shapes and order as
    ``module.state_dict()``, values copied (bit for bit when the dtype is kept), every
    submodule in its counterpart's train/eval mode.

    Raises TypeError if module is not a torch.nn.Sequential, for a layer type convnp does not
    have (naming its qualified type and path, e.g. 'torch.nn.modules.conv.ConvTranspose2d at
    '3'') and for a dtype that is not float32 or float64; ValueError for a supported layer with
    settings convnp does not have, naming the setting, and for mixed or unsupported dtypes in
    the module when dtype is None.
    """
    fn = "from_torch"
    if not isinstance(module, TNN.Module):
        raise TypeError(f"{fn}: module must be a torch.nn.Sequential; got {_qualname(module)}")
    if type(module) is not TNN.Sequential:
        raise TypeError(f"{fn}: module must be a torch.nn.Sequential (wrap a single layer or a "
                        f"residual block in one); got {_qualname(module)}")
    tensors = list(module.parameters()) + list(module.buffers())
    if any(t.is_meta for t in tensors):
        raise ValueError(f"{fn}: module has tensors on the meta device (no values to copy); "
                         f"materialize it first (module.to_empty(device='cpu') and load weights)")
    if dtype is None:
        found = {t.dtype for t in tensors if t.is_floating_point()}
        if len(found) > 1:
            raise ValueError(f"{fn}: module mixes floating-point dtypes "
                             f"{sorted(str(d) for d in found)}; pass dtype=np.float32 or "
                             f"np.float64 to cast them all")
        if found and next(iter(found)) not in _NUMPY_DTYPES:
            raise ValueError(f"{fn}: module has dtype {next(iter(found))}; convnp computes in "
                             f"float32 or float64: pass dtype=np.float32 or np.float64")
        dt = _NUMPY_DTYPES[next(iter(found))] if found else np.dtype(np.float32)
    else:
        dt = _validate.float_dtype(dtype, fn)
    rng = _validate.generator(rng, fn)
    return _Converter(dt, rng).build(module, "")
