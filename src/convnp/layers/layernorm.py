"""Layer normalization (Ba, Kiros and Hinton, 2016): each example normalized over its features."""

from __future__ import annotations

import numpy as np

from .. import _validate


def layernorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                      ln_param: dict) -> tuple[np.ndarray, dict]:
    """Forward pass for layer normalization.

    During both training and test-time, the incoming data is normalized per data-point, before
    being scaled by gamma and beta parameters identical to that of batch normalization: with
    mean and (biased) variance taken over the D features of each row,
    xhat = (x - mean) / sqrt(var + eps) and out = gamma * xhat + beta. In contrast to batch
    normalization, the behavior during train and test-time is the same, and there are no
    running averages.

    Inputs:
    - x: Data of shape (N, D), float32 or float64
    - gamma: Scale parameter of shape (D,)
    - beta: Shift parameter of shape (D,)
    - ln_param: Dictionary with the following keys:
      - eps: Constant for numeric stability, > 0; default 1e-5
      - mode: accepted and ignored (the course's FullyConnectedNet writes 'mode' into every
        normalization param dict)

    Returns a tuple of:
    - out: of shape (N, D), dtype of x
    - cache: dict of the intermediates, for layernorm_backward

    Raises ValueError if x is not 2-D, gamma or beta is not of shape (D,), or ln_param has
    an unknown key.
    """
    fn = "layernorm_forward"
    _validate.array(x, "x", fn, ndim=2)
    N, D = x.shape
    _validate.norm_params(gamma, beta, (D,), fn, f"one per feature of x (N, D) = {x.shape}")
    _validate.keys(ln_param, "ln_param", fn, optional=("eps", "mode"))
    eps = _validate.real(ln_param.get("eps", 1e-5), "ln_param['eps']", fn, low=0, low_open=True)

    mu = x.mean(axis=1, keepdims=True)
    xmu = x - mu
    var = (xmu ** 2).mean(axis=1, keepdims=True)
    inv_std = 1 / np.sqrt(var + x.dtype.type(eps))
    xhat = xmu * inv_std
    out = (gamma * xhat + beta).astype(x.dtype, copy=False)
    cache = {"xhat": xhat, "inv_std": inv_std, "gamma": gamma}
    return out, cache


def layernorm_backward(dout: np.ndarray, cache: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass for layer normalization.

    This is batch normalization's closed-form backward (batchnorm_backward_alt) with the roles
    of the axes swapped: the statistics are per row, so with dxhat = dout * gamma,

    dx = (1 / D) * inv_std * (D * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat))

    with the sums over the D features of each row; dgamma and dbeta sum over the N rows.

    Inputs:
    - dout: Upstream derivatives, of shape (N, D)
    - cache: Variable of intermediates from layernorm_forward.

    Returns a tuple of:
    - dx: Gradient with respect to inputs x, of shape (N, D), dtype of x
    - dgamma: Gradient with respect to scale parameter gamma, of shape (D,), dtype of gamma
    - dbeta: Gradient with respect to shift parameter beta, of shape (D,), dtype of gamma
    """
    xhat, inv_std, gamma = cache["xhat"], cache["inv_std"], cache["gamma"]
    _validate.same_shape(dout, xhat.shape, "layernorm_backward")
    D = xhat.shape[1]

    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dx = (inv_std / D) * (D * dxhat - dxhat.sum(axis=1, keepdims=True)
                          - xhat * (dxhat * xhat).sum(axis=1, keepdims=True))
    return (dx.astype(xhat.dtype, copy=False), dgamma.astype(gamma.dtype, copy=False),
            dbeta.astype(gamma.dtype, copy=False))
