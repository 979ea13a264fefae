"""Batch normalization (Ioffe and Szegedy, 2015): vanilla for (N, D), spatial for (N, C, H, W).

The course's API and conventions: the running statistics live in the caller's ``bn_param`` and
are replaced there in train mode, with ``momentum`` the weight of the OLD average (0.9 by
default; PyTorch's momentum 0.1 is the weight of the new batch) and the BIASED batch variance
(PyTorch's running variance uses the unbiased one). ``convnp.nn`` converts between the two.
"""

from __future__ import annotations

import numpy as np

from .. import _validate
from .._types import BNParam
from ..kernels import norm as _kernels

_BN_KEYS = ("eps", "momentum", "running_mean", "running_var")


def _check_bn_param(bn_param, D: int, fn: str, context: str) -> tuple[str, float, float]:
    """Validate ``bn_param`` for D features; return ``(mode, eps, momentum)``."""
    _validate.keys(bn_param, "bn_param", fn, required=("mode",), optional=_BN_KEYS)
    mode = _validate.mode(bn_param["mode"], "bn_param['mode']", fn)
    eps = _validate.real(bn_param.get("eps", 1e-5), "bn_param['eps']", fn, low=0,
                         low_open=True)
    momentum = _validate.real(bn_param.get("momentum", 0.9), "bn_param['momentum']", fn,
                              low=0, high=1)
    for key in ("running_mean", "running_var"):
        if key in bn_param:
            name = f"bn_param['{key}']"
            _validate.array(bn_param[key], name, fn)
            _validate.shape(bn_param[key], (D,), name, fn, context)
    return mode, eps, momentum


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                      bn_param: BNParam) -> tuple[np.ndarray, dict]:
    """Forward pass for batch normalization.

    During training the sample mean and (uncorrected) sample variance are computed from
    minibatch statistics and used to normalize the incoming data:
    xhat = (x - mean) / sqrt(var + eps), out = gamma * xhat + beta. We also keep an
    exponentially decaying running mean of the mean and variance of each feature, and these
    averages are used to normalize data at test time. At each timestep we update the running
    averages for mean and variance using an exponential decay based on the momentum parameter:

    running_mean = momentum * running_mean + (1 - momentum) * sample_mean
    running_var = momentum * running_var + (1 - momentum) * sample_var

    where sample_var is the BIASED variance (divided by N), as in the course. In test mode the
    running averages replace the batch statistics, so each example is normalized on its own and
    the backward pass treats them as constants. With N = 1 in train mode every feature equals
    its mean: the output is beta and dx is zero.

    Inputs:
    - x: Data of shape (N, D), float32 or float64
    - gamma: Scale parameter of shape (D,)
    - beta: Shift parameter of shape (D,)
    - bn_param: Dictionary with the following keys:
      - mode: 'train' or 'test'; required
      - eps: Constant for numeric stability, > 0; default 1e-5
      - momentum: Constant for running mean / variance, in [0, 1]; default 0.9
      - running_mean: Array of shape (D,) giving running mean of features; created as zeros
        of the dtype of x on first use
      - running_var: Array of shape (D,) giving running variance of features; created as zeros
        of the dtype of x on first use, as the course does, so the course's printed test-time
        numbers come out exactly (PyTorch and convnp.nn start it at ones; a fresh layer used in
        test mode here divides by sqrt(eps))
      In train mode 'running_mean' and 'running_var' are replaced in bn_param by new arrays
      (the arrays stored there before are not modified; their dtype is kept).

    Returns a tuple of:
    - out: of shape (N, D), dtype of x
    - cache: dict of the intermediates, for batchnorm_backward and batchnorm_backward_alt

    Raises ValueError if x is not 2-D, gamma or beta is not of shape (D,), bn_param has a
    missing or unknown key, mode is not 'train' or 'test', or a running statistic is not (D,).
    """
    fn = "batchnorm_forward"
    _validate.array(x, "x", fn, ndim=2)
    N, D = x.shape
    context = f"one per feature of x (N, D) = {x.shape}"
    _validate.norm_params(gamma, beta, (D,), fn, context)
    mode, eps, momentum = _check_bn_param(bn_param, D, fn, context)
    _check_nonempty(mode, N, x.shape, fn)
    return _batchnorm_forward(x, gamma, beta, bn_param, mode, eps, momentum)


def _check_nonempty(mode: str, count: int, x_shape: tuple, fn: str) -> None:
    """Train mode takes statistics of the batch: an empty one would write NaN into bn_param."""
    if mode == "train" and count == 0:
        raise ValueError(f"{fn}: train mode needs at least one value per feature to take batch "
                         f"statistics from; got x of shape {x_shape}")


def _running_stats(bn_param: BNParam, D: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    """bn_param's running mean and variance, created as zeros of shape (D,) on first use."""
    if "running_mean" not in bn_param:
        bn_param["running_mean"] = np.zeros(D, dtype=dtype)
    if "running_var" not in bn_param:
        bn_param["running_var"] = np.zeros(D, dtype=dtype)
    return bn_param["running_mean"], bn_param["running_var"]


def _update_running_stats(bn_param: BNParam, mu: np.ndarray, var: np.ndarray,
                          momentum: float) -> None:
    """The course's rule, running = momentum * running + (1 - momentum) * batch statistic.

    New arrays replace the old ones in bn_param (which are not modified), in their dtype.
    """
    running_mean, running_var = bn_param["running_mean"], bn_param["running_var"]
    bn_param["running_mean"] = (momentum * running_mean
                                + (1 - momentum) * mu).astype(running_mean.dtype)
    bn_param["running_var"] = (momentum * running_var
                               + (1 - momentum) * var).astype(running_var.dtype)


def _batchnorm_forward(x, gamma, beta, bn_param, mode, eps, momentum):
    """batchnorm_forward after validation (shared with spatial_batchnorm_forward)."""
    N, D = x.shape
    dtype = x.dtype
    running_mean, running_var = _running_stats(bn_param, D, dtype)

    if mode == "train":
        # Each step is one node of the graph that batchnorm_backward walks in reverse.
        mu = x.mean(axis=0)                        # step 1: batch mean, (D,)
        xmu = x - mu                               # step 2: centre, (N, D)
        var = (xmu ** 2).mean(axis=0)              # steps 3-4: square, biased variance, (D,)
        std = np.sqrt(var + dtype.type(eps))       # step 5: std, (D,)
        inv_std = 1 / std                          # step 6: invert, (D,)
        xhat = xmu * inv_std                       # step 7: normalize, (N, D)
        _update_running_stats(bn_param, mu, var, momentum)
    else:
        # The running statistics are constants here: the graph is steps 2, 5, 6 and 7 only.
        var = running_var.astype(dtype, copy=False)
        xmu = x - running_mean.astype(dtype, copy=False)
        std = np.sqrt(var + dtype.type(eps))
        inv_std = 1 / std
        xhat = xmu * inv_std
    out = (gamma * xhat + beta).astype(dtype, copy=False)  # steps 8-9: scale, shift

    cache = {"mode": mode, "xmu": xmu, "std": std, "inv_std": inv_std, "xhat": xhat,
             "gamma": gamma}
    return out, cache


def batchnorm_backward(dout: np.ndarray, cache: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass for batch normalization, walking the computation graph node by node.

    Each forward step (see _batchnorm_forward's numbered comments) is differentiated in
    reverse order, so this reads as a worked example of backpropagation through a staged
    computation. In train mode the batch mean and variance depend on x, so gradient flows
    back through them too; in test mode they are the running averages (constants), and the
    walk stops after the normalize step: dx = dout * gamma / sqrt(running_var + eps).
    batchnorm_backward_alt computes the same gradients in closed form.

    Inputs:
    - dout: Upstream derivatives, of shape (N, D)
    - cache: Variable of intermediates from batchnorm_forward.

    Returns a tuple of:
    - dx: Gradient with respect to inputs x, of shape (N, D), dtype of x
    - dgamma: Gradient with respect to scale parameter gamma, of shape (D,), dtype of gamma
    - dbeta: Gradient with respect to shift parameter beta, of shape (D,), dtype of gamma
    """
    xmu, xhat, gamma = cache["xmu"], cache["xhat"], cache["gamma"]
    _validate.same_shape(dout, xhat.shape, "batchnorm_backward")
    N = xhat.shape[0]
    dtype = xhat.dtype

    # step 9: out = scaled + beta; beta is broadcast over the N rows, so its gradient sums them
    dbeta = dout.sum(axis=0)
    dscaled = dout
    # step 8: scaled = gamma * xhat
    dgamma = (dscaled * xhat).sum(axis=0)
    dxhat = dscaled * gamma
    # step 7: xhat = xmu * inv_std; inv_std is broadcast over the rows, so sum for it
    dinv_std = (dxhat * xmu).sum(axis=0)
    dxmu = dxhat * cache["inv_std"]
    if cache["mode"] == "train":
        # step 6: inv_std = 1 / std
        dstd = -dinv_std / cache["std"] ** 2
        # step 5: std = sqrt(var + eps)
        dvar = 0.5 * dstd / cache["std"]
        # steps 3-4: var = mean over N of xmu ** 2; every row gets 1/N of dvar, times 2 xmu
        dxmu = dxmu + 2 * xmu * dvar / N
        # step 2: xmu = x - mu; x gets dxmu directly, mu gets minus the sum over the rows
        dmu = -dxmu.sum(axis=0)
        # step 1: mu = mean over N of x; every row gets 1/N of dmu
        dx = dxmu + dmu / N
    else:
        # steps 5-6 see only the constant running_var, step 2 only the constant running_mean.
        dx = dxmu
    return (dx.astype(dtype, copy=False), dgamma.astype(gamma.dtype, copy=False),
            dbeta.astype(gamma.dtype, copy=False))


def batchnorm_backward_alt(dout: np.ndarray,
                           cache: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Alternative backward pass for batch normalization, in closed form.

    Simplifying the graph of batchnorm_backward on paper gives, per feature, in train mode:

    dx = (1 / N) * gamma * inv_std * (N * dout - sum(dout) - xhat * sum(dout * xhat))

    with the sums over N and inv_std = 1 / sqrt(var + eps). In test mode the statistics are
    constants and dx = gamma * inv_std * dout. dgamma = sum(dout * xhat), dbeta = sum(dout).

    Inputs / outputs: Same as batchnorm_backward
    """
    xhat, gamma, inv_std = cache["xhat"], cache["gamma"], cache["inv_std"]
    _validate.same_shape(dout, xhat.shape, "batchnorm_backward_alt")
    N = xhat.shape[0]
    dtype = xhat.dtype

    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    if cache["mode"] == "train":
        dx = (gamma * inv_std / N) * (N * dout - dbeta - xhat * dgamma)
    else:
        dx = (gamma * inv_std) * dout
    return (dx.astype(dtype, copy=False), dgamma.astype(gamma.dtype, copy=False),
            dbeta.astype(gamma.dtype, copy=False))


def spatial_batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                              bn_param: BNParam) -> tuple[np.ndarray, tuple]:
    """Forward pass for spatial batch normalization.

    Each channel is normalized with statistics taken over the batch and both spatial axes
    (N * H * W values per channel), so that every position of a feature map is treated alike.
    It is vanilla batch normalization of x moved channels last and flattened to (N * H * W, C),
    as the course writes it:

        x_flat = x.transpose(0, 2, 3, 1).reshape(N * H * W, C)
        out_flat, _ = batchnorm_forward(x_flat, gamma, beta, bn_param)
        out = out_flat.reshape(N, H, W, C).transpose(0, 3, 1, 2)

    This function computes the same numbers (the tests hold the two equal to 1e-10) with
    ``convnp.kernels.norm``, which reduces each channel straight from NCHW and so skips the
    four whole-array transposes. The running-average rule and the meaning of each bn_param key
    are those of batchnorm_forward.

    Inputs:
    - x: Input data of shape (N, C, H, W), float32 or float64
    - gamma: Scale parameter, of shape (C,)
    - beta: Shift parameter, of shape (C,)
    - bn_param: Dictionary with the following keys:
      - mode: 'train' or 'test'; required
      - eps: Constant for numeric stability, > 0; default 1e-5
      - momentum: Constant for running mean / variance, in [0, 1]; default 0.9
      - running_mean: Array of shape (C,) giving running mean of features; created on first use
      - running_var: Array of shape (C,) giving running variance of features; created on
        first use. Both are replaced in bn_param in train mode.

    Returns a tuple of:
    - out: Output data, of shape (N, C, H, W), dtype of x
    - cache: dict with 'mode', 'xhat' (N, C, H, W), 'inv_std' (C,), 'gamma', for
      spatial_batchnorm_backward

    Raises ValueError if x is not 4-D, gamma or beta is not of shape (C,), or bn_param is
    invalid (see batchnorm_forward).
    """
    fn = "spatial_batchnorm_forward"
    _validate.array(x, "x", fn, ndim=4)
    N, C, H, W = x.shape
    context = f"one per channel of x (N, C, H, W) = {x.shape}"
    _validate.norm_params(gamma, beta, (C,), fn, context)
    mode, eps, momentum = _check_bn_param(bn_param, C, fn, context)
    _check_nonempty(mode, N * H * W, x.shape, fn)

    running_mean, running_var = _running_stats(bn_param, C, x.dtype)
    if mode == "train":
        out, xhat, inv_std, mu, var = _kernels.spatial_batchnorm_forward(x, gamma, beta, eps)
        _update_running_stats(bn_param, mu, var, momentum)
    else:
        out, xhat, inv_std, _, _ = _kernels.spatial_batchnorm_forward(
            x, gamma, beta, eps, running_mean, running_var)
    cache = {"mode": mode, "xhat": xhat, "inv_std": inv_std, "gamma": gamma}
    return out, cache


def spatial_batchnorm_backward(dout: np.ndarray,
                               cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass for spatial batch normalization.

    batchnorm_backward_alt's closed form per channel (sums over N, H and W), computed on NCHW
    by ``convnp.kernels.norm``; equal to reshaping as the forward's docstring shows, calling
    batchnorm_backward_alt and undoing the reshape.

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H, W)
    - cache: Values from the forward pass

    Returns a tuple of:
    - dx: Gradient with respect to inputs, of shape (N, C, H, W), dtype of x
    - dgamma: Gradient with respect to scale parameter, of shape (C,)
    - dbeta: Gradient with respect to shift parameter, of shape (C,)
    """
    _validate.same_shape(dout, cache["xhat"].shape, "spatial_batchnorm_backward")
    return _kernels.spatial_batchnorm_backward(dout, cache["xhat"], cache["gamma"],
                                               cache["inv_std"], cache["mode"] == "train")
