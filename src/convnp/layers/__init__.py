"""The functional layers, with the course's names and signatures (``cs231n/layers.py``).

Each op is a pair of plain functions: ``xxx_forward(...) -> (out, cache)`` and
``xxx_backward(dout, cache) -> grads``. Naive loop versions are readable references;
``*_fast`` versions are what the rest of convnp calls, and the tests hold the two equal.
All layers take NCHW arrays and return the input's floating dtype.
"""

from .activations import (
                          leaky_relu_backward,
                          leaky_relu_forward,
                          relu_backward,
                          relu_forward,
                          sigmoid_backward,
                          sigmoid_forward,
                          tanh_backward,
                          tanh_forward,
)
from .affine import affine_backward, affine_forward
from .batchnorm import (
                          batchnorm_backward,
                          batchnorm_backward_alt,
                          batchnorm_forward,
                          spatial_batchnorm_backward,
                          spatial_batchnorm_forward,
)
from .conv import conv_backward_fast, conv_backward_naive, conv_forward_fast, conv_forward_naive
from .dropout import dropout_backward, dropout_forward
from .groupnorm import spatial_groupnorm_backward, spatial_groupnorm_forward
from .layernorm import layernorm_backward, layernorm_forward
from .losses import mse_loss, softmax_loss, svm_loss
from .pool import (
                          avg_pool_backward_fast,
                          avg_pool_backward_naive,
                          avg_pool_forward_fast,
                          avg_pool_forward_naive,
                          max_pool_backward_fast,
                          max_pool_backward_naive,
                          max_pool_forward_fast,
                          max_pool_forward_naive,
)

__all__ = [
    "affine_backward", "affine_forward", "avg_pool_backward_fast", "avg_pool_backward_naive",
    "avg_pool_forward_fast", "avg_pool_forward_naive", "batchnorm_backward",
    "batchnorm_backward_alt", "batchnorm_forward", "conv_backward_fast", "conv_backward_naive",
    "conv_forward_fast", "conv_forward_naive", "dropout_backward", "dropout_forward",
    "layernorm_backward", "layernorm_forward", "leaky_relu_backward", "leaky_relu_forward",
    "max_pool_backward_fast", "max_pool_backward_naive", "max_pool_forward_fast",
    "max_pool_forward_naive", "mse_loss", "relu_backward", "relu_forward", "sigmoid_backward",
    "sigmoid_forward", "softmax_loss", "spatial_batchnorm_backward", "spatial_batchnorm_forward",
    "spatial_groupnorm_backward", "spatial_groupnorm_forward", "svm_loss", "tanh_backward",
    "tanh_forward",
]
