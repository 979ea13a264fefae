"""Classification and regression losses, each returning (loss, dx) averaged over the batch N."""

from __future__ import annotations

import numpy as np

from .. import _validate


def _labels(x: np.ndarray, y, fn: str) -> np.ndarray:
    """Check x is (N, C) scores and y holds N integer labels in [0, C); return y as intp."""
    _validate.array(x, "x", fn, ndim=2)
    y = np.asarray(y)
    N, C = x.shape
    if y.shape != (N,):
        raise ValueError(f"{fn}: y must have shape ({N},), one label per row of x {x.shape}; "
                         f"got {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{fn}: y must hold integer class labels; got dtype {y.dtype}")
    if N and (y.min() < 0 or y.max() >= C):
        bad = int(y[(y < 0) | (y >= C)][0])
        raise ValueError(f"{fn}: labels in y must be in [0, {C}) for x with {C} classes; got {bad}")
    if N == 0:
        raise ValueError(f"{fn}: x must hold at least one example; got shape {x.shape}")
    return y.astype(np.intp, copy=False)


def softmax_loss(x: np.ndarray, y):
    """Computes the loss and gradient for softmax classification (cross-entropy).

    loss = -(1/N) sum_i log softmax(x_i)[y_i], computed from shifted logits (x - max x), so it
    stays finite for scores of any size (1e4 included). dx = (softmax(x) - onehot(y)) / N.

    Inputs:
    - x: Input data, of shape (N, C) where x[i, j] is the score for the jth
      class for the ith input.
    - y: Vector of labels, of shape (N,) where y[i] is the label for x[i] and
      0 <= y[i] < C

    Returns a tuple of:
    - loss: Scalar giving the loss (a Python float)
    - dx: Gradient of the loss with respect to x, of shape (N, C), dtype of x
    """
    y = _labels(x, y, "softmax_loss")
    N = x.shape[0]
    rows = np.arange(N)
    shifted = x - x.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    # -log softmax(x_i)[y_i] = log sum_j exp(shifted_ij) - shifted_i,y_i
    loss = (np.log(total[:, 0]) - shifted[rows, y]).mean()
    dx = exp / total  # softmax(x): one exp for the loss and the gradient
    dx[rows, y] -= 1
    dx /= N
    return float(loss), dx


def svm_loss(x: np.ndarray, y):
    """Computes the loss and gradient using for multiclass SVM classification (hinge, margin 1).

    loss = (1/N) sum_i sum_{j != y_i} max(0, x_ij - x_i,y_i + 1). PyTorch's multi_margin_loss
    divides each example's sum by C as well; this one does not (the course's definition).

    Inputs:
    - x: Input data, of shape (N, C) where x[i, j] is the score for the jth
      class for the ith input.
    - y: Vector of labels, of shape (N,) where y[i] is the label for x[i] and
      0 <= y[i] < C

    Returns a tuple of:
    - loss: Scalar giving the loss (a Python float)
    - dx: Gradient of the loss with respect to x, of shape (N, C), dtype of x
    """
    y = _labels(x, y, "svm_loss")
    N = x.shape[0]
    rows = np.arange(N)
    correct = x[rows, y][:, None]
    margins = np.maximum(0, x - correct + 1)
    margins[rows, y] = 0
    loss = margins.sum() / N
    # Each positive margin adds +1 to its class and -1 to the correct class.
    positive = (margins > 0).astype(x.dtype)
    dx = positive
    dx[rows, y] -= positive.sum(axis=1)
    dx /= N
    return float(loss), dx


def mse_loss(x: np.ndarray, y):
    """Computes the mean squared error and its gradient.

    loss = (1/N) sum_i ||x_i - t_i||^2 (summed over each example's features, averaged over the
    batch; PyTorch's mse_loss averages over every element instead, so it is this loss / D).
    dx = 2 (x - t) / N.

    Inputs:
    - x: Predictions, of shape (N, d_1, ..., d_k)
    - y: Either targets t of the shape of x (regression), or integer class labels of shape (N,)
      when x is (N, C), in which case t is their one-hot encoding.

    Returns a tuple of:
    - loss: Scalar giving the loss (a Python float)
    - dx: Gradient of the loss with respect to x, of the shape and dtype of x
    """
    fn = "mse_loss"
    _validate.array(x, "x", fn, min_ndim=1)
    y = np.asarray(y)
    N = x.shape[0]
    if N == 0:
        raise ValueError(f"{fn}: x must hold at least one example; got shape {x.shape}")
    if y.shape == x.shape and np.issubdtype(y.dtype, np.floating):
        target = y.astype(x.dtype, copy=False)
    elif x.ndim == 2 and y.shape == (N,) and np.issubdtype(y.dtype, np.integer):
        labels = _labels(x, y, fn)
        target = np.zeros_like(x)
        target[np.arange(N), labels] = 1
    else:
        raise ValueError(f"{fn}: y must be float targets of x's shape {x.shape} or integer labels "
                         f"of shape ({N},) for 2-D x; got {y.shape} of dtype {y.dtype}")
    diff = x - target
    loss = np.sum(diff * diff) / N
    dx = diff * x.dtype.type(2 / N)
    return float(loss), dx
