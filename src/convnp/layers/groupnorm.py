"""Spatial group normalization (Wu and He, 2018): channels split into G groups, each normalized."""

from __future__ import annotations

import numpy as np

from .. import _validate


def spatial_groupnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, G: int,
                              gn_param: dict) -> tuple[np.ndarray, dict]:
    """Forward pass for spatial group normalization.

    In contrast to layer normalization, group normalization splits each entry in the data into
    G contiguous pieces, which it then normalizes independently: the C channels of each example
    form G groups of C // G channels, and each group's C // G * H * W values are normalized
    with their own mean and (biased) variance, xhat = (x - mean) / sqrt(var + eps). Per-channel
    gamma and beta are then applied: out = gamma * xhat + beta. As with layer normalization,
    train and test time behave alike and there are no running averages. G = 1 is layer
    normalization over (C, H, W); G = C is instance normalization.

    Inputs:
    - x: Input data of shape (N, C, H, W), float32 or float64
    - gamma: Scale parameter, of shape (1, C, 1, 1)
    - beta: Shift parameter, of shape (1, C, 1, 1)
    - G: Integer number of groups to split into, >= 1, should be a divisor of C
    - gn_param: Dictionary with the following keys:
      - eps: Constant for numeric stability, > 0; default 1e-5
      - mode: accepted and ignored (the course's models write 'mode' into every norm param)

    Returns a tuple of:
    - out: Output data, of shape (N, C, H, W), dtype of x
    - cache: dict of the intermediates, for spatial_groupnorm_backward

    Raises ValueError if x is not 4-D, G does not divide C, gamma or beta is not of shape
    (1, C, 1, 1), or gn_param has an unknown key; TypeError if G is not an int.
    """
    fn = "spatial_groupnorm_forward"
    _validate.array(x, "x", fn, ndim=4)
    N, C, H, W = x.shape
    G = _validate.integer(G, "G", fn, minimum=1)
    if C % G:
        raise ValueError(f"{fn}: G must divide the number of channels C; got C={C}, G={G} "
                         f"(C % G = {C % G}; x {x.shape})")
    _validate.norm_params(gamma, beta, (1, C, 1, 1), fn,
                          f"one per channel of x (N, C, H, W) = {x.shape}")
    _validate.keys(gn_param, "gn_param", fn, optional=("eps", "mode"))
    eps = _validate.real(gn_param.get("eps", 1e-5), "gn_param['eps']", fn, low=0, low_open=True)

    # Channels of one group are contiguous in NCHW, so a reshape gathers each group's values.
    xg = x.reshape(N, G, -1)
    mu = xg.mean(axis=2, keepdims=True)
    xmu = xg - mu
    var = (xmu ** 2).mean(axis=2, keepdims=True)
    inv_std = 1 / np.sqrt(var + x.dtype.type(eps))
    xhat = (xmu * inv_std).reshape(N, C, H, W)
    out = (gamma * xhat + beta).astype(x.dtype, copy=False)
    cache = {"xhat": xhat, "inv_std": inv_std, "gamma": gamma, "G": G}
    return out, cache


def spatial_groupnorm_backward(dout: np.ndarray,
                               cache: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass for spatial group normalization.

    Within each (example, group) of M = C // G * H * W values this is layer normalization's
    backward: with dxhat = dout * gamma and the sums over the group,

    dx = (1 / M) * inv_std * (M * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat))

    while dgamma = sum(dout * xhat) and dbeta = sum(dout) sum over N, H and W per channel.

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H, W)
    - cache: Values from the forward pass

    Returns a tuple of:
    - dx: Gradient with respect to inputs, of shape (N, C, H, W), dtype of x
    - dgamma: Gradient with respect to scale parameter, of shape (1, C, 1, 1), dtype of gamma
    - dbeta: Gradient with respect to shift parameter, of shape (1, C, 1, 1), dtype of gamma
    """
    xhat, inv_std, gamma, G = cache["xhat"], cache["inv_std"], cache["gamma"], cache["G"]
    _validate.same_shape(dout, xhat.shape, "spatial_groupnorm_backward")
    N = xhat.shape[0]

    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * xhat).sum(axis=(0, 2, 3), keepdims=True)
    dxhat = (dout * gamma).reshape(N, G, -1)
    xhat_g = xhat.reshape(N, G, -1)
    M = xhat_g.shape[2]
    dx = (inv_std / M) * (M * dxhat - dxhat.sum(axis=2, keepdims=True)
                          - xhat_g * (dxhat * xhat_g).sum(axis=2, keepdims=True))
    return (dx.reshape(xhat.shape).astype(xhat.dtype, copy=False),
            dgamma.astype(gamma.dtype, copy=False), dbeta.astype(gamma.dtype, copy=False))
