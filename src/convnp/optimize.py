"""Inference-time rewrites of ``convnp.nn`` models: batch norm folding.

In eval mode a batch norm is a fixed affine map per channel c,

    y_c = gamma_c * (x_c - mean_c) / sqrt(var_c + eps) + beta_c
        = s_c * x_c + (beta_c - s_c * mean_c)

with s_c = gamma_c / sqrt(var_c + eps), the running statistics standing in for the batch's. When
x is the output of a Conv2d (or Linear) whose output channel c has weight w_c and bias b_c, the
two maps compose into one layer with

    w'_c = s_c * w_c                    (every weight of output channel / feature c)
    b'_c = s_c * (b_c - mean_c) + beta_c

so the batch norm costs nothing at inference (the course's notes point this out for deployment).
``fold_batchnorm`` applies this to every such pair in a model and removes the batch norms.
"""

from __future__ import annotations

import copy

import numpy as np

from . import nn

__all__ = ["fold_batchnorm"]

# (layer, the batch norm that may follow it directly) pairs that fold.
_FOLDABLE = ((nn.Conv2d, nn.BatchNorm2d), (nn.Linear, nn.BatchNorm1d))


def fold_batchnorm(model: nn.Module) -> nn.Sequential:
    """A copy of model for inference, with every batch norm that follows a conv or linear folded in.

    Inside every ``nn.Sequential`` of the model (nested ones, the ``block`` and ``projection`` of
    ``nn.Residual``, any depth), a ``BatchNorm2d`` that directly follows a ``Conv2d``, and a
    ``BatchNorm1d`` that directly follows a ``Linear`` with ``out_features == num_features``, is
    folded into that layer (formula in the module docstring) and removed. A conv without a bias
    gains one (``bias`` becomes a parameter of shape (out_channels,)). The arithmetic is done in
    float64 and the results are cast back to the layer's dtype, so the folded model keeps the
    model's dtype; in eval mode its outputs equal the original's up to rounding (about 1e-6
    relative in float32, 1e-13 in float64).

    Not folded, and kept as they are: a batch norm that is the first child of its Sequential or
    follows anything else (a ReLU, a pool, a Dropout, a nested Sequential ending in a conv: only
    siblings in one Sequential count as "directly after"), and a BatchNorm1d whose num_features
    differs from the Linear's out_features (a Linear on (N, L, D) input followed by
    BatchNorm1d(L) normalizes another axis). A BatchNorm1d after a Linear is assumed to see the
    Linear's (N, out_features) output, which is how Flatten - Linear - BatchNorm1d runs; if the
    Linear got (N, L, D) input with L == out_features the fold would be wrong, as PyTorch's
    ``fuse_linear_bn_eval`` assumes the same.

    Removing changes indices: the children of a Sequential named '0', '1', ... (the default)
    are renumbered '0', '1', ... after the removal, so ``folded[i]``, ``append`` and the keys of
    an equivalent ``torch.nn.Sequential`` still agree; children with names of their own (a
    Sequential built from a dict) keep them. So the folded model's ``state_dict()`` keys differ
    from the original's (vgg's '3.weight' is the second conv; it was '4.weight'), and a folded
    model is not a zoo model: it has no ``spec``, and ``convnp.io.save`` refuses it (keep the
    original's file and fold after ``convnp.io.load``). convnp.nn has no identity module, and
    one would keep keys only at the price of a dead child in every stage, so folded batch norms
    are removed rather than replaced.

    The input model is deep-copied first and never changed (parameters, buffers, mode, spec).
    The result is in eval mode, with zero gradients and no cached forward pass; it can still be
    trained, but the folded layers no longer normalize by the batch.

    Inputs:
    - model: a ``convnp.nn.Module``; a Sequential is copied as is, any other module (a bare
      Residual, a Conv2d) is wrapped in a Sequential of one child named '0'

    Returns:
    - folded: a new ``nn.Sequential``, in eval mode, of the model's dtype

    Raises TypeError if model is not a convnp.nn.Module; ValueError if a BatchNorm2d follows a
    Conv2d with a different number of channels (the model could not run) or a Conv2d or Linear
    that would be folded is one object used in more than one place of the model (folding it
    would change the other places too).

    Example:
        >>> from convnp import models
        >>> model = models.get("vgg", widths=(4,), input_size=4, seed=0)
        >>> folded = fold_batchnorm(model)
        >>> [type(m).__name__ for m in folded]
        ['Conv2d', 'ReLU', 'Conv2d', 'ReLU', 'MaxPool2d', 'Flatten', 'Linear']
    """
    fn = "fold_batchnorm"
    if not isinstance(model, nn.Module):
        raise TypeError(f"{fn}: model must be a convnp.nn.Module; got {type(model).__name__}")
    folded = copy.deepcopy(model)
    # The copy is a different architecture from the one the spec rebuilds: drop it, so that
    # convnp.io.save refuses the folded model instead of writing a file load() rejects.
    folded.__dict__.pop("spec", None)
    if not isinstance(folded, nn.Sequential):
        folded = nn.Sequential(folded)
    uses: dict[int, int] = {}
    for m in folded.modules():
        uses[id(m)] = uses.get(id(m), 0) + 1
    for m in list(folded.modules()):
        if isinstance(m, nn.Sequential):
            _fold_children(m, uses, fn)
    for m in folded.modules():
        object.__setattr__(m, "_cache", None)  # the original's last forward: not ours
    folded.zero_grad()
    return folded.eval()


def _fold_children(seq: nn.Sequential, uses: dict[int, int], fn: str) -> None:
    """Fold every (layer, batch norm) pair among seq's children in place; drop the norms."""
    items = list(seq._modules.items())
    kept: list[tuple[str, nn.Module]] = []
    i = 0
    while i < len(items):
        name, layer = items[i]
        bn = items[i + 1][1] if i + 1 < len(items) else None
        if bn is not None and _foldable(layer, bn, name, fn):
            if uses[id(layer)] > 1:
                raise ValueError(f"{fn}: the {type(layer).__name__} {name!r} appears "
                                 f"{uses[id(layer)]} times in the model and is followed by a "
                                 f"batch norm here; folding would change it everywhere it is "
                                 f"used")
            _fold_pair(layer, bn)
            kept.append((name, layer))
            i += 2
        else:
            kept.append((name, layer))
            i += 1
    if len(kept) == len(items):
        return
    if [n for n, _ in items] == [str(k) for k in range(len(items))]:
        kept = [(str(k), m) for k, (_, m) in enumerate(kept)]
    seq._modules.clear()
    seq._modules.update(kept)


def _foldable(layer: nn.Module, bn: nn.Module, name: str, fn: str) -> bool:
    # Exact types: a subclass may compute something else than w x + b or the eval-mode norm.
    for layer_type, bn_type in _FOLDABLE:
        if type(layer) is layer_type and type(bn) is bn_type:
            break
    else:
        return False
    out = layer.out_channels if isinstance(layer, nn.Conv2d) else layer.out_features
    if out == bn.num_features:
        return True
    if isinstance(layer, nn.Conv2d):
        raise ValueError(f"{fn}: Conv2d {name!r} has {out} output channels but the BatchNorm2d "
                         f"after it has num_features={bn.num_features}; the model cannot run")
    return False


def _fold_pair(layer: nn.Module, bn: nn.Module) -> None:
    """Fold bn's eval-mode affine map into layer's weight and bias (see the module docstring)."""
    dt = layer.weight.dtype
    w = layer.weight.astype(np.float64)
    F = w.shape[0]
    b = np.zeros(F) if layer.bias is None else layer.bias.astype(np.float64)
    scale = bn.weight.astype(np.float64) / np.sqrt(bn.running_var.astype(np.float64) + bn.eps)
    new_w = w * scale.reshape((F,) + (1,) * (w.ndim - 1))
    new_b = (b - bn.running_mean.astype(np.float64)) * scale + bn.bias.astype(np.float64)
    layer._params["weight"] = new_w.astype(dt)
    if layer.bias is None:
        layer.register_parameter("bias", new_b.astype(dt))
        if "weight" in layer._frozen:
            layer.freeze()
    else:
        layer._params["bias"] = new_b.astype(dt)
