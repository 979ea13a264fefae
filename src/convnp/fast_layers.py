"""The course's ``cs231n/fast_layers.py`` names for the fast convolution and pooling paths.

Code that does ``from cs231n.fast_layers import conv_forward_fast`` runs unchanged with
``from convnp.fast_layers import conv_forward_fast``. The implementations live in
``convnp.layers`` (validation) and ``convnp.kernels`` (im2col, Winograd, pooling windows).

The course's file also names its variants (``conv_forward_im2col``, ``conv_forward_strides``,
``max_pool_forward_reshape``, ``max_pool_forward_im2col``); here each is the one fast path, which
picks the reshape or the general pooling kernel by itself, so any pairing of a forward with a
backward of the same op works.
"""

from .layers import (
                     avg_pool_backward_fast,
                     avg_pool_forward_fast,
                     conv_backward_fast,
                     conv_forward_fast,
                     max_pool_backward_fast,
                     max_pool_forward_fast,
)

conv_forward_im2col = conv_forward_strides = conv_forward_fast
conv_backward_im2col = conv_backward_strides = conv_backward_fast
max_pool_forward_reshape = max_pool_forward_im2col = max_pool_forward_fast
max_pool_backward_reshape = max_pool_backward_im2col = max_pool_backward_fast

__all__ = [
    "conv_forward_fast", "conv_backward_fast", "max_pool_forward_fast", "max_pool_backward_fast",
    "avg_pool_forward_fast", "avg_pool_backward_fast",
    "conv_forward_im2col", "conv_backward_im2col", "conv_forward_strides", "conv_backward_strides",
    "max_pool_forward_reshape", "max_pool_backward_reshape", "max_pool_forward_im2col",
    "max_pool_backward_im2col",
]
