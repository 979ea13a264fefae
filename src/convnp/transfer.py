"""convnp.transfer: the study notes' transfer-learning recipe for ``convnp.nn`` models.

With few labelled images of a new task, start from a network trained on related data: replace
its classifier by a new one for the new classes, freeze the rest and train the new head; then,
if there is data enough, unfreeze the last layers and fine-tune them with a smaller learning
rate. In convnp::

    from convnp import io, transfer
    from convnp.solver import Solver

    model = io.load("runs/cifar/model.npz")        # pretrained on the source task
    transfer.replace_head(model, num_classes=5, seed=0)
    transfer.freeze_backbone(model)                # everything but the new head
    Solver(model, data, update_rule="adam", optim_config={"learning_rate": 1e-2}).train()

    model.unfreeze(*transfer.layer_names(model)[-5:])  # vgg: the last conv stage and the head
    Solver(model, data, update_rule="adam", optim_config={"learning_rate": 1e-3},
           lr_mult=transfer.backbone_lr_mult(model, 0.1)).train()

The pieces are plain ``Module`` methods and Solver options (``Module.freeze`` /
``Module.unfreeze`` with submodule names, ``Solver(lr_mult=...)``); this module finds the head
and the layers of a model so that the recipe reads the same for every zoo model:

- ``head_name(model)``: the dotted name of the classifier, the last ``Linear`` in the model.
- ``replace_head(model, num_classes)``: a new Linear of the same input size for num_classes
  outputs (PyTorch's default initialisation), in place; the zoo model's recorded ``spec`` gets
  the new ``num_classes``, so ``convnp.io.save`` / ``load`` round-trip the fine-tuned model.
- ``freeze_backbone(model)``: freeze every module with parameters outside the head (on the way
  down to a nested head, the siblings of each module on the path). The frozen modules stay in
  eval mode (batch norms keep their running statistics); layers without parameters (ReLU,
  Dropout, pools) keep following ``train()`` / ``eval()``. ``model.loss`` runs no backward
  pass below the head, so training the head costs the forward pass and the head's gradients.
- ``layer_names(model)``: the names of the top-level children that hold parameters (conv,
  batch norm, residual block, linear), from the input to the head: what to unfreeze, last
  first. In the zoo's vgg a stage is four of them (conv, bn, conv, bn).
- ``backbone_lr_mult(model, factor)``: ``{name: factor}`` for every trainable module outside
  the head, the Solver's ``lr_mult`` for "the pretrained layers learn factor times slower".

Freezing is a training-time state: model files (``convnp.io``) and ``to_torch`` keep the
weights, not which layers were frozen.
"""

from __future__ import annotations

import math

import numpy as np

from . import _validate
from .nn import Linear, Module

__all__ = ["backbone_lr_mult", "freeze_backbone", "head_name", "layer_names", "replace_head"]


def _check_module(model, fn: str) -> Module:
    if not isinstance(model, Module):
        raise TypeError(f"{fn}: model must be a convnp.nn.Module (a zoo model or an nn tree); "
                        f"got {type(model).__name__}. The course's classifiers keep their "
                        f"weights in a params dict: build the new classifier by hand there")
    return model


def head_name(model) -> str:
    """The dotted name of the model's classifier: its last ``Linear`` (e.g. '10' for vgg).

    Raises TypeError for something that is not a convnp.nn.Module, ValueError for a model with
    no Linear layer.
    """
    fn = "head_name"
    _check_module(model, fn)
    names = [name for name, m in model.named_modules() if isinstance(m, Linear) and name]
    if not names:
        raise ValueError(f"{fn}: the model has no Linear layer to act as its classifier; its "
                         f"modules are {[type(m).__name__ for m in model.modules()]}")
    return names[-1]


def replace_head(model, num_classes: int, *, rng: np.random.Generator | None = None,
                 seed: int | None = None) -> Module:
    """Replace the classifier by a new Linear for num_classes outputs, in place; return model.

    The new layer has the old one's input size, bias and dtype, and PyTorch's default
    initialisation drawn from rng (or a generator seeded by seed). It is trainable, in the
    model's current mode. A zoo model's ``spec`` (what ``convnp.io`` rebuilds it from) is
    updated to the new number of classes.

    Raises TypeError / ValueError naming the argument (num_classes < 1, both rng and seed).
    """
    fn = "replace_head"
    _check_module(model, fn)
    num_classes = _validate.integer(num_classes, "num_classes", fn, minimum=1)
    if rng is not None and seed is not None:
        raise ValueError(f"{fn}: give rng or seed, not both")
    if seed is not None:
        rng = np.random.default_rng(_validate.integer(seed, "seed", fn, minimum=0))
    rng = _validate.generator(rng, fn)
    name = head_name(model)
    old = model.get_submodule(name)
    parent_name, _, local = name.rpartition(".")
    parent = model.get_submodule(parent_name)
    new = Linear(old.in_features, num_classes, bias=old.bias is not None, rng=rng,
                 dtype=old.weight.dtype)
    new.train(model.training)
    parent._modules[local] = new  # same place in the order, same state_dict keys
    spec = getattr(model, "spec", None)
    if isinstance(spec, dict) and "num_classes" in spec.get("kwargs", {}):
        spec["kwargs"]["num_classes"] = num_classes
    return model


def layer_names(model) -> list[str]:
    """Names of the model's top-level children that hold parameters, from the input up.

    For the zoo's Sequential models: the conv layers, batch norms, residual blocks and the
    head; ``model.unfreeze(*layer_names(model)[-3:])`` makes the last three learn again.
    """
    _check_module(model, "layer_names")
    return [name for name, child in model._modules.items()
            if child.num_parameters()]


def _outside_head(model) -> list[tuple[str, Module]]:
    """(dotted name, module) of each module beside the path down to the head: the top-level
    children other than the one holding the head, then that one's other children, and so
    on. Together with the head they cover the model."""
    parts = head_name(model).split(".")
    out = []
    for depth, part in enumerate(parts):
        prefix = ".".join(parts[:depth])
        parent = model.get_submodule(prefix)
        for name, child in parent._modules.items():
            if name != part:
                out.append((f"{prefix}.{name}" if prefix else name, child))
    return out


def freeze_backbone(model, *, track_stats: bool = False) -> Module:
    """Freeze every module with parameters outside the head (``head_name``); return model.

    The head is made trainable if it was frozen. Modules without parameters are left alone
    (a Dropout before the head keeps dropping in train mode). See ``Module.freeze`` for
    track_stats; by default the frozen modules stay in eval mode.
    """
    fn = "freeze_backbone"
    _check_module(model, fn)
    names = [name for name, m in _outside_head(model)
             if m.num_parameters()]
    if names:
        model.freeze(*names, track_stats=track_stats)
    model.unfreeze(head_name(model))
    return model


def backbone_lr_mult(model, factor: float) -> dict[str, float]:
    """``{name: factor}`` for each module outside the head that has trainable parameters.

    The Solver's ``lr_mult``: the pretrained layers that are unfrozen learn ``factor`` times as
    fast as the head. Raises ValueError for factor <= 0 or infinite, or when nothing outside
    the head is trainable (unfreeze some layers first).
    """
    fn = "backbone_lr_mult"
    _check_module(model, fn)
    factor = _validate.real(factor, "factor", fn, low=0.0, high=math.inf, low_open=True,
                            high_open=True)
    out = {name: factor for name, m in _outside_head(model) if m._has_trainable()}
    if not out:
        raise ValueError(f"{fn}: nothing outside the head ({head_name(model)!r}) is trainable; "
                         f"unfreeze some layers with model.unfreeze(*layer_names(model)[-k:])")
    return out
