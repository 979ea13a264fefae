"""A small convolutional classifier with the course's contract (``cs231n/classifiers/cnn.py``).

``model.params`` is a dict of arrays and ``model.loss(X, y=None)`` returns the class scores, or
the loss and the gradient of every entry of ``params``; the convolution and pooling run on the
fast paths (``conv_forward_fast``, ``max_pool_forward_fast``) through the sandwich layers.
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from .._spec import record
from ..layer_utils import (
    affine_relu_backward,
    affine_relu_forward,
    conv_relu_pool_backward,
    conv_relu_pool_forward,
)
from ..layers import affine_backward, affine_forward, softmax_loss
from .fc_net import _check_X, _check_y, _l2, _weight_reg_grads

__all__ = ["ThreeLayerConvNet"]


class ThreeLayerConvNet:
    """A three-layer convolutional network with the following architecture:

    conv - relu - 2x2 max pool - affine - relu - affine - softmax

    The network operates on minibatches of data that have shape (N, C, H, W) consisting of N
    images, each with height H and width W and with C input channels. The convolution has
    stride 1 and zero padding (filter_size - 1) // 2, so it keeps H and W (filter_size is
    odd); the pool (2x2, stride 2) halves them (H and W are even).

    Learnable parameters, in ``self.params`` (F = num_filters, fs = filter_size):
    - W1: convolution filters, of shape (F, C, fs, fs); b1: of shape (F,)
    - W2: hidden affine weights, of shape (F * H/2 * W/2, hidden_dim); b2: of shape (hidden_dim,)
    - W3: output affine weights, of shape (hidden_dim, num_classes); b3: of shape (num_classes,)
    Weights are Gaussian with std weight_scale, biases zero, all of dtype self.dtype. The loss
    is the softmax loss plus 0.5 * reg * (sum(W1**2) + sum(W2**2) + sum(W3**2)).

    Other attributes: reg (read by every loss call), dtype, and input_dim (C, H, W) and
    num_classes, which loss checks X and y against.
    """

    @record("ThreeLayerConvNet")
    def __init__(self, input_dim: tuple[int, int, int] = (3, 32, 32), num_filters: int = 32,
                 filter_size: int = 7, hidden_dim: int = 100, num_classes: int = 10,
                 weight_scale: float = 1e-3, reg: float = 0.0, dtype=np.float32, *,
                 rng: np.random.Generator | None = None) -> None:
        """Initialize a new network.

        Inputs:
        - input_dim: Tuple (C, H, W) giving size of input data; H and W even
        - num_filters: Number of filters to use in the convolutional layer
        - filter_size: Width/height of filters to use in the convolutional layer; odd
        - hidden_dim: Number of units to use in the fully-connected hidden layer
        - num_classes: Number of scores to produce from the final affine layer.
        - weight_scale: Scalar (> 0) giving standard deviation for random initialization
          of weights.
        - reg: Scalar (>= 0) giving L2 regularization strength
        - dtype: numpy datatype to use for computation (float32 by default; use float64 for
          numeric gradient checks).
        - rng: (convnp addition, keyword-only) numpy Generator for the initial weights; a
          fresh unseeded np.random.default_rng() when None. NumPy's global generator is never
          used.

        Raises TypeError or ValueError naming the argument and its value: input_dim not three
        ints >= 1 with even H and W, filter_size not odd, other sizes not ints >= 1,
        weight_scale <= 0, reg < 0, dtype not floating, rng not a Generator.
        """
        fn = "ThreeLayerConvNet"
        if not isinstance(input_dim, (tuple, list)) or len(input_dim) != 3:
            raise ValueError(f"{fn}: input_dim must be a tuple (C, H, W) of 3 ints >= 1; "
                             f"got {input_dim!r}")
        C, H, W = (_validate.integer(d, f"input_dim[{i}]", fn, minimum=1)
                   for i, d in enumerate(input_dim))
        if H % 2 or W % 2:
            raise ValueError(f"{fn}: input_dim's H and W must be even, for the 2x2 max pool with "
                             f"stride 2; got input_dim {tuple(input_dim)}")
        F = _validate.integer(num_filters, "num_filters", fn, minimum=1)
        fs = _validate.integer(filter_size, "filter_size", fn, minimum=1)
        if fs % 2 == 0:
            raise ValueError(f"{fn}: filter_size must be odd, so that the convolution (stride 1, "
                             f"pad (filter_size - 1) // 2) keeps H and W; got {fs}")
        hidden = _validate.integer(hidden_dim, "hidden_dim", fn, minimum=1)
        classes = _validate.integer(num_classes, "num_classes", fn, minimum=1)
        weight_scale = _validate.real(weight_scale, "weight_scale", fn, low=0, low_open=True)
        self.reg = _validate.real(reg, "reg", fn, low=0)
        self.dtype = _validate.float_dtype(dtype, fn)
        rng = _validate.generator(rng, fn)
        self.input_dim, self.num_classes = (C, H, W), classes

        # Drawn in float64 and then cast, so float32 and float64 models from one seed agree.
        self.params = {
            "W1": weight_scale * rng.standard_normal((F, C, fs, fs)),
            "b1": np.zeros(F),
            "W2": weight_scale * rng.standard_normal((F * (H // 2) * (W // 2), hidden)),
            "b2": np.zeros(hidden),
            "W3": weight_scale * rng.standard_normal((hidden, classes)),
            "b3": np.zeros(classes),
        }
        for k, v in self.params.items():
            self.params[k] = v.astype(self.dtype)

    def loss(self, X: np.ndarray, y=None):
        """Evaluate loss and gradient for the three-layer convolutional network.

        Inputs:
        - X: Array of input data of shape (N, C, H, W), the model's input_dim; cast to
          self.dtype
        - y: Array of labels, of shape (N,). y[i] gives the label for X[i], 0 <= y[i] < C.

        Returns:
        If y is None, then run a test-time forward pass and return:
        - scores: Array of shape (N, num_classes) giving classification scores

        If y is not None, then run a training-time forward and backward pass and return a
        tuple of:
        - loss: Scalar value giving the loss (a Python float)
        - grads: Dictionary with the same keys as self.params, mapping parameter names to
          gradients of the loss with respect to those parameters (same shapes and dtype).

        Raises TypeError or ValueError when X is not a float array of shape (N, C, H, W) or y
        is not N integer labels in [0, num_classes).
        """
        fn = "ThreeLayerConvNet.loss"
        X = _check_X(X, self.input_dim, self.dtype, fn)
        if y is not None:
            y = _check_y(y, X.shape, self.num_classes, fn)
        p = self.params

        # pass conv_param to the forward pass for the convolutional layer
        # Padding and stride chosen to preserve the input spatial size
        filter_size = p["W1"].shape[2]
        conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}
        # pass pool_param to the forward pass for the max-pooling layer
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}

        pooled, pool_cache = conv_relu_pool_forward(X, p["W1"], p["b1"], conv_param, pool_param)
        hidden, hidden_cache = affine_relu_forward(pooled, p["W2"], p["b2"])
        scores, scores_cache = affine_forward(hidden, p["W3"], p["b3"])
        if y is None:
            return scores

        data_loss, dscores = softmax_loss(scores, y)
        loss = data_loss + _l2(p, self.reg)
        grads = {}
        dhidden, grads["W3"], grads["b3"] = affine_backward(dscores, scores_cache)
        dpooled, grads["W2"], grads["b2"] = affine_relu_backward(dhidden, hidden_cache)
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dpooled, pool_cache)
        _weight_reg_grads(grads, p, self.reg)
        return loss, grads
