"""The affine (fully-connected) layer: out = x w + b, with x flattened per example."""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..kernels.blas import matmul


def affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray):
    """Compute the forward pass for an affine (fully connected) layer.

    The input x has shape (N, d_1, ..., d_k) and contains a minibatch of N examples, where each
    example x[i] has shape (d_1, ..., d_k). We reshape each input into a vector of dimension
    D = d_1 * ... * d_k, and then transform it to an output vector of dimension M:
    out = x.reshape(N, D) @ w + b.

    Inputs:
    - x: A numpy array containing input data, of shape (N, d_1, ..., d_k)
    - w: A numpy array of weights, of shape (D, M)  (the course's layout; PyTorch's is (M, D))
    - b: A numpy array of biases, of shape (M,)

    Returns a tuple of:
    - out: output, of shape (N, M), dtype np.result_type(x, w, b)
    - cache: (x, w, b), for affine_backward

    Raises ValueError if x has fewer than 2 dimensions or D, M do not match w and b.
    """
    fn = "affine_forward"
    _validate.array(x, "x", fn, min_ndim=2)
    _validate.array(w, "w", fn, ndim=2)
    _validate.array(b, "b", fn, ndim=1)
    D = int(np.prod(x.shape[1:]))
    if w.shape[0] != D:
        raise ValueError(f"{fn}: w must have {D} rows, one per input feature of x "
                         f"(D = prod{tuple(x.shape[1:])} = {D}); got w {w.shape}")
    _validate.shape(b, (w.shape[1],), "b", fn, f"one bias per column of w {w.shape}")
    out = matmul(x.reshape(x.shape[0], D), w) + b   # x_flat @ w, small ones on one BLAS thread
    cache = (x, w, b)
    return out, cache


def affine_backward(dout: np.ndarray, cache):
    """Compute the backward pass for an affine layer.

    With out = x_flat w + b: dx_flat = dout w^T, dw = x_flat^T dout, db = sum of dout over N.

    Inputs:
    - dout: Upstream derivative, of shape (N, M)
    - cache: Tuple of:
      - x: Input data, of shape (N, d_1, ... d_k)
      - w: Weights, of shape (D, M)
      - b: Biases, of shape (M,)

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, d1, ..., d_k)
    - dw: Gradient with respect to w, of shape (D, M)
    - db: Gradient with respect to b, of shape (M,)
    """
    x, w, b = cache
    N = x.shape[0]
    _validate.same_shape(dout, (N, w.shape[1]), "affine_backward")
    dx = matmul(dout, w.T).reshape(x.shape)
    dw = matmul(x.reshape(N, -1).T, dout)
    db = dout.sum(axis=0)
    return dx, dw, db
