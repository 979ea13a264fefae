"""The training step that benchmarks/train_step.py times and benchmarks/memory.py measures.

A step is what ``convnp.solver.Solver`` does per batch: ``model.loss(X, y)`` (forward, loss,
backward), then the ``convnp.optim`` rule on every parameter; PyTorch's is ``zero_grad``,
``cross_entropy(model(X), y)``, ``backward()`` and ``optimizer.step()``. torch is imported
only by the functions that need it, so a convnp-only process (memory.py's) never loads it.
"""

from __future__ import annotations

from convnp import models, optim

MODELS = {  # label: (zoo name, arguments)
    "three_layer": ("three_layer", {}),
    "notes_cnn": ("notes_cnn", {}),
    "vgg": ("vgg", {"widths": (32, 64, 128)}),
    "resnet20": ("resnet", {"depth": 20}),
    "airbench half": ("airbench", {"widths": (32, 128, 128)}),
    "airbench": ("airbench", {"widths": (64, 256, 256)}),
}
LEARNING_RATE = 1e-3
RULES = {"sgd": "SGD momentum 0.9", "adam": "Adam"}


class ConvnpStep:
    """One Solver-style step of a convnp model: model.loss, then the update rule per param."""

    def __init__(self, model, rule: str) -> None:
        self.model = model
        self.rule = optim.sgd_momentum if rule == "sgd" else optim.adam
        extra = {"momentum": 0.9} if rule == "sgd" else {}
        self.configs = {p: {"learning_rate": LEARNING_RATE, **extra} for p in model.params}

    def __call__(self, X, y) -> float:
        loss, grads = self.model.loss(X, y)
        params = self.model.params  # a live view: fetch it once
        for p in list(params):
            params[p], self.configs[p] = self.rule(params[p], grads[p], self.configs[p])
        return loss


class TorchStep:
    """One step of a torch module: zero_grad, cross_entropy, backward, optimizer.step."""

    def __init__(self, module, rule: str) -> None:
        import torch
        self.F = torch.nn.functional
        self.module = module.train()
        params = module.parameters()
        self.opt = (torch.optim.SGD(params, lr=LEARNING_RATE, momentum=0.9) if rule == "sgd"
                    else torch.optim.Adam(params, lr=LEARNING_RATE))

    def __call__(self, X, y) -> float:
        self.opt.zero_grad(set_to_none=True)
        loss = self.F.cross_entropy(self.module(X), y)
        loss.backward()
        self.opt.step()
        return loss.item()


def convnp_model(name: str):
    """The zoo model ``name`` (a key of MODELS), seed 0, float32."""
    zoo_name, kw = MODELS[name]
    return models.get(zoo_name, seed=0, **kw)


def torch_twin(model):
    """``convnp.interop.torch.to_torch(model)``: the same layers and weights in torch."""
    from convnp.interop.torch import to_torch
    return to_torch(model)
