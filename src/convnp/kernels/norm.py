"""Spatial batch normalization computed in place on NCHW arrays.

Reference: ``convnp.layers.batchnorm``'s course form, which moves channels last, flattens to
(N * H * W, C) and runs vanilla batch norm; the tests hold these kernels equal to it to 1e-10
in float64. That form pays two full transposes each way (an element-by-element copy of the
whole activation); here each channel's statistics are reduced straight from the (N, C, H * W)
view, and the per-channel factors are folded so that forward and backward each take a handful
of whole-array passes, most of them in place.

These functions trust their callers (``convnp.layers.batchnorm`` validates): x and dout are
(N, C, H, W) floating arrays, gamma and beta (C,), eps > 0.
"""

from __future__ import annotations

import numpy as np


def _per_channel(a: np.ndarray) -> np.ndarray:
    """(C,) -> (1, C, 1) for broadcasting against the (N, C, H * W) view."""
    return a.reshape(1, -1, 1)


def _channel_sum(a3: np.ndarray) -> np.ndarray:
    """Sum of (N, C, L) over N and L; the L-axis sum runs on contiguous memory."""
    return a3.sum(axis=2).sum(axis=0)


def _channel_dot(a3: np.ndarray, b3: np.ndarray) -> np.ndarray:
    """Sum of a3 * b3 over N and L, without materialising the product."""
    return np.einsum("ncl,ncl->c", a3, b3)


def spatial_batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float,
                              mean: np.ndarray | None = None, var: np.ndarray | None = None):
    """Normalize each channel of x over (N, H, W), then scale by gamma and shift by beta.

    Train mode: pass mean = var = None; the batch statistics (biased variance) are computed and
    returned. Test mode: pass the running mean and var (C,), used as constants.

    Returns (out, xhat, inv_std, mean, var): out and xhat of x's shape and dtype, the others (C,).
    """
    dtype = x.dtype
    N, C, H, W = x.shape
    x3 = x.reshape(N, C, H * W)
    M = N * H * W
    xhat = np.empty_like(x3)
    if mean is None:
        mean = _channel_sum(x3) / dtype.type(M)
        np.subtract(x3, _per_channel(mean), out=xhat)
        # Two-pass variance (centre first): E[x^2] - E[x]^2 loses digits for large means.
        var = _channel_dot(xhat, xhat) / dtype.type(M)
    else:
        mean, var = mean.astype(dtype, copy=False), var.astype(dtype, copy=False)
        np.subtract(x3, _per_channel(mean), out=xhat)
    inv_std = 1 / np.sqrt(var + dtype.type(eps))
    xhat *= _per_channel(inv_std)
    out = xhat * _per_channel(gamma.astype(dtype, copy=False))
    out += _per_channel(beta.astype(dtype, copy=False))
    return out.reshape(x.shape), xhat.reshape(x.shape), inv_std, mean, var


def spatial_batchnorm_backward(dout: np.ndarray, xhat: np.ndarray, gamma: np.ndarray,
                               inv_std: np.ndarray, train: bool):
    """Gradients of spatial batch norm, the closed form of batchnorm_backward_alt per channel.

    dx = (gamma * inv_std / M) * (M * dout - sum(dout) - xhat * sum(dout * xhat)) in train mode
    (sums over N, H, W; M = N * H * W), dx = gamma * inv_std * dout in test mode.

    Returns (dx, dgamma, dbeta): dx of xhat's dtype, dgamma and dbeta of gamma's dtype.
    """
    dtype = xhat.dtype
    N, C, H, W = xhat.shape
    M = N * H * W
    d3 = dout.reshape(N, C, H * W)
    xh3 = xhat.reshape(N, C, H * W)
    dbeta = _channel_sum(d3)
    dgamma = _channel_dot(d3, xh3)
    scale = gamma.astype(dtype, copy=False) * inv_std
    dx = d3 * _per_channel(scale.astype(dtype, copy=False))
    if train:
        # dx = scale * dout - (scale * dgamma / M) * xhat - scale * dbeta / M
        tmp = xh3 * _per_channel((scale * dgamma / M).astype(dtype, copy=False))
        dx -= tmp
        dx -= _per_channel((scale * dbeta / M).astype(dtype, copy=False))
    dx = dx.reshape(xhat.shape).astype(dtype, copy=False)
    return dx, dgamma.astype(gamma.dtype, copy=False), dbeta.astype(gamma.dtype, copy=False)
