"""convnp.nn: the layers as small objects that keep their params, grads and cache.

PyTorch-like modules with hand-written backward passes (no autograd): each wraps the course's
functional layers (``convnp.layers``, fast paths) and keeps PyTorch's names, argument order,
defaults, parameter shapes and state_dict keys, so weights move between the two libraries with
no renaming. Every module also has the course's model contract (``params`` and
``loss(X, y=None)``), so ``convnp.solver.Solver`` trains it. Two meanings differ from PyTorch
and say so in their docstrings: ``Dropout(p)`` takes the probability of KEEPING a unit (the
course's), and ``Module.backward`` overwrites gradients instead of accumulating them.

``convnp.nn.init`` holds the initialisers.
"""

from . import init
from .activation import GELU, LeakyReLU, ReLU, Sigmoid, Tanh, normal_cdf
from .container import Residual, Sequential
from .conv import Conv2d
from .dropout import Dropout
from .linear import Flatten, Linear
from .module import Module, cross_entropy
from .norm import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm
from .pool import AvgPool2d, GlobalAvgPool2d, MaxPool2d

__all__ = [
    "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Conv2d", "Dropout", "Flatten", "GELU",
    "GlobalAvgPool2d", "GroupNorm", "LayerNorm", "LeakyReLU", "Linear", "MaxPool2d", "Module",
    "ReLU", "Residual", "Sequential", "Sigmoid", "Tanh", "cross_entropy", "init", "normal_cdf",
]
