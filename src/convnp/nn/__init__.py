"""convnp.nn: the layers as small objects that keep their params, grads and cache.

The modules (Module, Sequential, Linear, Conv2d, BatchNorm2d, ...) arrive with issue 4. For now
this package holds the initialisers, ``convnp.nn.init``.
"""

from . import init

__all__ = ["init"]
