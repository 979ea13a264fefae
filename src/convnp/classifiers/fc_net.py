"""Fully-connected classifiers with the course's model contract (``cs231n/classifiers/fc_net.py``).

A model keeps its weights in ``model.params`` (a dict of arrays) and has one method,
``model.loss(X, y=None)``: without labels it returns the class scores, with labels the softmax
loss (plus L2 regularization of the weights) and the gradient of every entry of ``params``.
``convnp.solver.Solver`` trains any object with that contract.

The module's private helpers (argument checks, the L2 term) are shared with ``cnn.py``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import _validate
from .._spec import record
from ..layer_utils import (
    affine_bn_relu_backward,
    affine_bn_relu_forward,
    affine_ln_relu_backward,
    affine_ln_relu_forward,
    affine_relu_backward,
    affine_relu_forward,
)
from ..layers import (
    affine_backward,
    affine_forward,
    dropout_backward,
    dropout_forward,
    softmax_loss,
)

__all__ = ["FullyConnectedNet", "TwoLayerNet"]

_NORMALIZATIONS = (None, "batchnorm", "layernorm")


def _check_X(X, input_dim: int | tuple, dtype: np.dtype, fn: str) -> np.ndarray:
    """Check a batch of inputs and return it cast to the model's dtype.

    ``input_dim`` is the exact shape of one example (a tuple, conv nets), or an int D when any
    shape (d_1, ..., d_k) with d_1 * ... * d_k = D will do (fully-connected nets).
    """
    _validate.array(X, "X", fn, min_ndim=2)
    if isinstance(input_dim, tuple):
        if X.shape[1:] != input_dim:
            raise ValueError(f"{fn}: X must have shape (N, {', '.join(map(str, input_dim))}); "
                             f"got {X.shape}")
    elif int(np.prod(X.shape[1:])) != input_dim:
        raise ValueError(f"{fn}: X must have shape (N, d_1, ..., d_k) with d_1 * ... * d_k = "
                         f"input_dim = {input_dim}; got {X.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{fn}: X must hold at least one example; got shape {X.shape}")
    return X.astype(dtype, copy=False)


def _check_y(y, X_shape: tuple, num_classes: int, fn: str) -> np.ndarray:
    """Check that y holds one integer label in [0, num_classes) per example of X.

    softmax_loss checks the labels too, but only after the forward pass has run; checking here
    first means a bad y raises before batch norm's running statistics or the dropout generator
    have moved.
    """
    y = np.asarray(y)
    N = X_shape[0]
    if y.shape != (N,):
        raise ValueError(f"{fn}: y must have shape ({N},), one label per example of X {X_shape}; "
                         f"got {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{fn}: y must hold integer class labels; got dtype {y.dtype}")
    outside = (y < 0) | (y >= num_classes)
    if outside.any():
        raise ValueError(f"{fn}: labels in y must be in [0, {num_classes}) for num_classes = "
                         f"{num_classes}; got {int(y[outside][0])}")
    return y


def _l2(params: Mapping[str, np.ndarray], reg: float) -> float:
    """0.5 * reg * (sum of squares of every weight W1, W2, ...); biases and norms are free."""
    return float(0.5 * reg * sum(np.sum(w * w) for k, w in params.items() if k.startswith("W")))


def _weight_reg_grads(grads: dict, params: Mapping[str, np.ndarray], reg: float) -> None:
    """Add the L2 term's gradient, reg * W, to the gradient of every weight, in place."""
    for k, w in params.items():
        if k.startswith("W"):
            grads[k] += reg * w


class TwoLayerNet:
    """A two-layer fully-connected neural network with ReLU nonlinearity and softmax loss.

    The architecture is affine - relu - affine - softmax. The network takes inputs of dimension
    D, has a hidden layer of dimension H and performs classification over C classes.

    Learnable parameters, in ``self.params``:
    - W1: first layer weights, of shape (D, H); b1: first layer biases, of shape (H,)
    - W2: second layer weights, of shape (H, C); b2: second layer biases, of shape (C,)
    Weights are drawn from a Gaussian centred at 0 with standard deviation weight_scale, biases
    are zero. The loss is the softmax loss plus 0.5 * reg * (sum(W1**2) + sum(W2**2)).

    Other attributes: reg (read by every loss call, so it may be changed between calls),
    dtype, and input_dim and num_classes (D and C, which loss checks X and y against).

    As in the course the parameters are float64 by default (this model is the one the
    notebook checks gradients on); ``dtype`` (a convnp addition) chooses another float type.
    Randomness comes from ``rng`` (convnp addition), never from NumPy's global generator.
    """

    @record("TwoLayerNet")
    def __init__(self, input_dim: int = 3 * 32 * 32, hidden_dim: int = 100,
                 num_classes: int = 10, weight_scale: float = 1e-3, reg: float = 0.0, *,
                 dtype=np.float64, rng: np.random.Generator | None = None) -> None:
        """Initialize a new network.

        Inputs:
        - input_dim: An integer giving the size of the input, D = d_1 * ... * d_k
        - hidden_dim: An integer giving the size of the hidden layer, H
        - num_classes: An integer giving the number of classes to classify, C
        - weight_scale: Scalar (> 0) giving the standard deviation for random initialization
          of the weights.
        - reg: Scalar (>= 0) giving L2 regularization strength.
        - dtype: (convnp addition, keyword-only) a numpy floating-point type; all parameters
          use it and loss casts X to it. Default np.float64, as the course's TwoLayerNet.
        - rng: (convnp addition, keyword-only) numpy Generator for the initial weights; a
          fresh unseeded np.random.default_rng() when None.

        Raises TypeError or ValueError naming the argument and its value when an argument is
        out of range: dims not ints >= 1, weight_scale <= 0, reg < 0, dtype not floating, rng
        not a Generator.
        """
        fn = "TwoLayerNet"
        D = _validate.integer(input_dim, "input_dim", fn, minimum=1)
        H = _validate.integer(hidden_dim, "hidden_dim", fn, minimum=1)
        C = _validate.integer(num_classes, "num_classes", fn, minimum=1)
        weight_scale = _validate.real(weight_scale, "weight_scale", fn, low=0, low_open=True)
        self.reg = _validate.real(reg, "reg", fn, low=0)
        self.dtype = _validate.float_dtype(dtype, fn)
        rng = _validate.generator(rng, fn)
        self.input_dim, self.num_classes = D, C

        # Drawn in float64 and then cast, so float32 and float64 models from one seed agree.
        self.params = {
            "W1": weight_scale * rng.standard_normal((D, H)),
            "b1": np.zeros(H),
            "W2": weight_scale * rng.standard_normal((H, C)),
            "b2": np.zeros(C),
        }
        for k, v in self.params.items():
            self.params[k] = v.astype(self.dtype)

    def loss(self, X: np.ndarray, y=None):
        """Compute loss and gradient for a minibatch of data.

        Inputs:
        - X: Array of input data of shape (N, d_1, ..., d_k), d_1 * ... * d_k = input_dim;
          cast to self.dtype
        - y: Array of labels, of shape (N,). y[i] gives the label for X[i], 0 <= y[i] < C.

        Returns:
        If y is None, then run a test-time forward pass of the model and return:
        - scores: Array of shape (N, C) giving classification scores, where
          scores[i, c] is the classification score for X[i] and class c.

        If y is not None, then run a training-time forward and backward pass and return a
        tuple of:
        - loss: Scalar value giving the loss (a Python float)
        - grads: Dictionary with the same keys as self.params, mapping parameter names to
          gradients of the loss with respect to those parameters (same shapes).

        Raises TypeError or ValueError when X is not a float array with input_dim features
        per example, or y is not N integer labels in [0, C).
        """
        fn = "TwoLayerNet.loss"
        X = _check_X(X, self.input_dim, self.dtype, fn)
        if y is not None:
            y = _check_y(y, X.shape, self.num_classes, fn)
        p = self.params

        hidden, hidden_cache = affine_relu_forward(X, p["W1"], p["b1"])
        scores, scores_cache = affine_forward(hidden, p["W2"], p["b2"])
        if y is None:
            return scores

        data_loss, dscores = softmax_loss(scores, y)
        loss = data_loss + _l2(p, self.reg)
        grads = {}
        dhidden, grads["W2"], grads["b2"] = affine_backward(dscores, scores_cache)
        _, grads["W1"], grads["b1"] = affine_relu_backward(dhidden, hidden_cache)
        _weight_reg_grads(grads, p, self.reg)
        return loss, grads


class FullyConnectedNet:
    """Class for a multi-layer fully connected neural network.

    Network contains an arbitrary number of hidden layers, ReLU nonlinearities, and a softmax
    loss function. This will also implement dropout and batch/layer normalization as options.
    For a network with L layers, the architecture will be

    {affine - [batch/layer norm] - relu - [dropout]} x (L - 1) - affine - softmax

    where batch/layer normalization and dropout are optional and the {...} block is repeated
    L - 1 times.

    Learnable parameters, in ``self.params`` (L = len(hidden_dims) + 1, layer i has M_i units,
    M_0 = input_dim, M_L = num_classes):
    - W1 .. WL: weights, Wi of shape (M_{i-1}, M_i), Gaussian with std weight_scale
    - b1 .. bL: biases, bi of shape (M_i,), zero
    - gamma1 .. gamma(L-1), beta1 .. beta(L-1): scale (ones) and shift (zeros) of each
      normalization layer, of shape (M_i,); only with normalization 'batchnorm' or 'layernorm'
    All parameters have dtype self.dtype. The loss is the softmax loss plus
    0.5 * reg * sum of squared weights over W1 .. WL (biases, gammas and betas are not
    regularized).

    Other attributes, as in the course:
    - reg, dtype: as given (reg is read by every loss call)
    - input_dim, num_classes: as given, which loss checks X and y against
    - num_layers: L
    - normalization: None, 'batchnorm' or 'layernorm'
    - use_dropout: dropout_keep_ratio != 1
    - dropout_param: {} without dropout; else {'mode': 'train', 'p': dropout_keep_ratio}, plus
      'seed' when seed is given (then the same mask is drawn at every call, as the course does
      for gradient checks) or, when seed is None, 'rng': a Generator (convnp addition) drawn
      from the model's rng after the weights, so a model built from a seeded rng repeats its
      dropout masks call for call
    - bn_params: L - 1 dicts, {'mode': 'train'} for batchnorm (running statistics are added on
      first use) or {} for layernorm
    loss() writes 'test' (no labels) or 'train' (labels) into dropout_param['mode'] and, for
    batch norm, into every bn_param['mode'].
    """

    @record("FullyConnectedNet")
    def __init__(self, hidden_dims, input_dim: int = 3 * 32 * 32, num_classes: int = 10,
                 dropout_keep_ratio: float = 1, normalization: str | None = None,
                 reg: float = 0.0, weight_scale: float = 1e-2, dtype=np.float32,
                 seed: int | None = None, *, rng: np.random.Generator | None = None) -> None:
        """Initialize a new FullyConnectedNet.

        Inputs:
        - hidden_dims: A list (or tuple) of integers giving the size of each hidden layer;
          at least one.
        - input_dim: An integer giving the size of the input.
        - num_classes: An integer giving the number of classes to classify.
        - dropout_keep_ratio: Scalar between 0 and 1 giving the probability of KEEPING a unit
          in dropout (0 excluded). If dropout_keep_ratio=1 then the network does not use
          dropout at all.
        - normalization: What type of normalization the network should use. Valid values
          are "batchnorm", "layernorm", or None for no normalization (the default).
        - reg: Scalar (>= 0) giving L2 regularization strength.
        - weight_scale: Scalar (> 0) giving the standard deviation for random initialization
          of the weights.
        - dtype: A numpy datatype object; all computations will be performed using this
          datatype. float32 is faster but less accurate, so you should use float64 for
          numeric gradient checking.
        - seed: If not None, then pass this random seed to the dropout layers (every call then
          draws the same mask). This makes the dropout layers deterministic so we can gradient
          check the model. In convnp it also seeds the weight init when rng is None.
        - rng: (convnp addition, keyword-only) numpy Generator for the initial weights and,
          when seed is None, for the dropout generator. When None: np.random.default_rng(seed)
          (unseeded if seed is None). NumPy's global generator is never used.

        Raises TypeError or ValueError naming the argument and its value: hidden_dims not a
        non-empty list or tuple of ints >= 1, input_dim or num_classes not an int >= 1,
        dropout_keep_ratio outside (0, 1], normalization not one of None, 'batchnorm',
        'layernorm', reg < 0, weight_scale <= 0, dtype not floating, seed not an int >= 0, rng
        not a Generator.
        """
        fn = "FullyConnectedNet"
        if not isinstance(hidden_dims, (list, tuple)) or len(hidden_dims) == 0:
            raise ValueError(f"{fn}: hidden_dims must be a non-empty list or tuple of ints >= 1; "
                             f"got {hidden_dims!r}")
        hidden = [_validate.integer(h, f"hidden_dims[{i}]", fn, minimum=1)
                  for i, h in enumerate(hidden_dims)]
        D = _validate.integer(input_dim, "input_dim", fn, minimum=1)
        C = _validate.integer(num_classes, "num_classes", fn, minimum=1)
        keep = _validate.real(dropout_keep_ratio, "dropout_keep_ratio", fn, low=0, high=1,
                              low_open=True)
        if normalization not in _NORMALIZATIONS:
            raise ValueError(f"{fn}: normalization must be one of None, 'batchnorm', "
                             f"'layernorm'; got {normalization!r}")
        self.reg = _validate.real(reg, "reg", fn, low=0)
        weight_scale = _validate.real(weight_scale, "weight_scale", fn, low=0, low_open=True)
        self.dtype = _validate.float_dtype(dtype, fn)
        if seed is not None:
            seed = _validate.integer(seed, "seed", fn, minimum=0)
        rng = _validate.generator(rng, fn, seed)

        self.normalization = normalization
        self.use_dropout = keep != 1
        self.num_layers = 1 + len(hidden)
        self.input_dim, self.num_classes = D, C
        self.params = {}

        dims = [D, *hidden, C]
        for i in range(1, self.num_layers + 1):
            # Drawn in float64 and then cast, so float32 and float64 models from one seed agree.
            self.params[f"W{i}"] = weight_scale * rng.standard_normal((dims[i - 1], dims[i]))
            self.params[f"b{i}"] = np.zeros(dims[i])
            if normalization is not None and i < self.num_layers:
                self.params[f"gamma{i}"] = np.ones(dims[i])
                self.params[f"beta{i}"] = np.zeros(dims[i])

        # When using dropout we need to pass a dropout_param dictionary to each dropout layer
        # so that the layer knows the dropout probability and the mode (train / test).
        self.dropout_param = {}
        if self.use_dropout:
            self.dropout_param = {"mode": "train", "p": keep}
            if seed is not None:
                self.dropout_param["seed"] = seed
            else:
                # Drawn after the weights, so dropout does not change the initial weights.
                self.dropout_param["rng"] = np.random.default_rng(rng.integers(2 ** 63))

        # With batch normalization we need to keep track of running means and variances, so
        # we pass a special bn_param object to each batch normalization layer.
        self.bn_params = []
        if normalization == "batchnorm":
            self.bn_params = [{"mode": "train"} for _ in range(self.num_layers - 1)]
        elif normalization == "layernorm":
            self.bn_params = [{} for _ in range(self.num_layers - 1)]

        for k, v in self.params.items():
            self.params[k] = v.astype(self.dtype)

    def loss(self, X: np.ndarray, y=None):
        """Compute loss and gradient for the fully connected net.

        Inputs:
        - X: Array of input data of shape (N, d_1, ..., d_k), d_1 * ... * d_k = input_dim;
          cast to self.dtype
        - y: Array of labels, of shape (N,). y[i] gives the label for X[i], 0 <= y[i] < C.

        Returns:
        If y is None, then run a test-time forward pass of the model (dropout off, batch norm
        on its running statistics, which are not updated) and return:
        - scores: Array of shape (N, C) giving classification scores, where
          scores[i, c] is the classification score for X[i] and class c.

        If y is not None, then run a training-time forward and backward pass (batch norm
        updates its running statistics in self.bn_params) and return a tuple of:
        - loss: Scalar value giving the loss (a Python float)
        - grads: Dictionary with the same keys as self.params, mapping parameter names to
          gradients of the loss with respect to those parameters (same shapes and dtype).

        Raises TypeError or ValueError when X is not a float array with input_dim features
        per example, or y is not N integer labels in [0, C); nothing in the model changes then.
        """
        fn = "FullyConnectedNet.loss"
        X = _check_X(X, self.input_dim, self.dtype, fn)
        if y is not None:
            y = _check_y(y, X.shape, self.num_classes, fn)
        mode = "test" if y is None else "train"

        # Set train/test mode for batchnorm params and dropout param since they behave
        # differently during training and testing.
        if self.use_dropout:
            self.dropout_param["mode"] = mode
        if self.normalization == "batchnorm":
            for bn_param in self.bn_params:
                bn_param["mode"] = mode

        p, L = self.params, self.num_layers
        out, caches = X, []
        for i in range(1, L):
            W, b = p[f"W{i}"], p[f"b{i}"]
            if self.normalization == "batchnorm":
                out, cache = affine_bn_relu_forward(out, W, b, p[f"gamma{i}"], p[f"beta{i}"],
                                                    self.bn_params[i - 1])
            elif self.normalization == "layernorm":
                out, cache = affine_ln_relu_forward(out, W, b, p[f"gamma{i}"], p[f"beta{i}"],
                                                    self.bn_params[i - 1])
            else:
                out, cache = affine_relu_forward(out, W, b)
            drop_cache = None
            if self.use_dropout:
                out, drop_cache = dropout_forward(out, self.dropout_param)
            caches.append((cache, drop_cache))
        scores, scores_cache = affine_forward(out, p[f"W{L}"], p[f"b{L}"])

        # If test mode return early.
        if mode == "test":
            return scores

        data_loss, dscores = softmax_loss(scores, y)
        loss = data_loss + _l2(p, self.reg)
        grads = {}
        dout, grads[f"W{L}"], grads[f"b{L}"] = affine_backward(dscores, scores_cache)
        for i in range(L - 1, 0, -1):
            cache, drop_cache = caches[i - 1]
            if self.use_dropout:
                dout = dropout_backward(dout, drop_cache)
            if self.normalization == "batchnorm":
                dout, dW, db, dgamma, dbeta = affine_bn_relu_backward(dout, cache)
            elif self.normalization == "layernorm":
                dout, dW, db, dgamma, dbeta = affine_ln_relu_backward(dout, cache)
            else:
                dout, dW, db = affine_relu_backward(dout, cache)
            grads[f"W{i}"], grads[f"b{i}"] = dW, db
            if self.normalization is not None:
                grads[f"gamma{i}"], grads[f"beta{i}"] = dgamma, dbeta
        _weight_reg_grads(grads, p, self.reg)
        return loss, grads

