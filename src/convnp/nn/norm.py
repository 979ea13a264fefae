"""Normalization modules: BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, with PyTorch's state.

The batch norm modules keep PyTorch's running statistics, which differ from the course's
functional layer (``convnp.layers.batchnorm_forward``) in three ways:

=====================  ==========================================  ===============================
                       convnp.nn.BatchNorm (as torch.nn)           convnp.layers (the course's)
=====================  ==========================================  ===============================
momentum               0.1, the weight of the NEW batch statistic  0.9, the weight of the OLD
                       running = (1 - m) * running + m * batch     running = m * running
                                                                   + (1 - m) * batch
variance averaged      unbiased: batch var * M / (M - 1), M the    biased: batch var (/ M)
                       values per feature (N, or N * H * W)
running_var starts at  ones                                        zeros
=====================  ==========================================  ===============================

Normalization itself is the same in both (the biased batch variance in train mode, the running
statistics in eval mode), so the modules call the course's layers for the output and the
gradients and update the running statistics themselves.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .. import _validate
from ..layers import (
    batchnorm_backward_alt,
    batchnorm_forward,
    layernorm_backward,
    layernorm_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
    spatial_groupnorm_backward,
    spatial_groupnorm_forward,
)
from .module import Module

__all__ = ["BatchNorm1d", "BatchNorm2d", "GroupNorm", "LayerNorm"]


def _eps(eps, fn: str) -> float:
    return _validate.real(eps, "eps", fn, low=0, low_open=True)


class _BatchNorm(Module):
    """Shared by BatchNorm1d and BatchNorm2d: parameters, buffers, PyTorch's running update."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, *,
                 dtype=np.float32) -> None:
        super().__init__()
        fn = type(self).__name__
        self.num_features = _validate.integer(num_features, "num_features", fn, minimum=1)
        self.eps = _eps(eps, fn)
        self.momentum = None if momentum is None else _validate.real(momentum, "momentum", fn,
                                                                     low=0, high=1)
        dt = _validate.float_dtype(dtype, fn)
        C = self.num_features
        self.register_parameter("weight", np.ones(C, dt))
        self.register_parameter("bias", np.zeros(C, dt))
        self.register_buffer("running_mean", np.zeros(C, dt))
        self.register_buffer("running_var", np.ones(C, dt))
        self.register_buffer("num_batches_tracked", np.zeros((), np.int64))

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """weight to ones, bias to zeros, running statistics to (0, 1), count to 0 (no rng)."""
        self.weight[...] = 1
        self.bias[...] = 0
        self.running_mean[...] = 0
        self.running_var[...] = 1
        self.num_batches_tracked[...] = 0

    def _check(self, x: np.ndarray, fn: str) -> None:
        raise NotImplementedError

    def forward(self, x: np.ndarray) -> np.ndarray:
        fn = f"{type(self).__name__}.forward"
        self._check(x, fn)
        C = self.num_features
        # (N, C) runs the vanilla layer; (N, C, L) and (N, C, H, W) the spatial one.
        spatial = x.ndim > 2
        xl = x.reshape(x.shape + (1,)) if x.ndim == 3 else x
        layer = spatial_batchnorm_forward if spatial else batchnorm_forward
        if not self.training:
            bn_param = {"mode": "test", "eps": self.eps, "running_mean": self.running_mean,
                        "running_var": self.running_var}
            out, cache = layer(xl, self.weight, self.bias, bn_param)
        else:
            M = x.size // C
            if M < 2:
                raise ValueError(f"{fn}: train mode needs more than one value per channel to take "
                                 f"a variance (PyTorch refuses too); got x {x.shape}")
            # With momentum 0 and zero running statistics the course's update leaves exactly the
            # batch mean and the biased batch variance in bn_param: PyTorch's rule uses them.
            bn_param = {"mode": "train", "eps": self.eps, "momentum": 0.0,
                        "running_mean": np.zeros(C, x.dtype), "running_var": np.zeros(C, x.dtype)}
            out, cache = layer(xl, self.weight, self.bias, bn_param)
            mean, var = bn_param["running_mean"], bn_param["running_var"]
            self.num_batches_tracked += 1
            # momentum=None: PyTorch's cumulative average, the weight of the new batch is 1 / t.
            m = 1 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
            self.running_mean[...] = (1 - m) * self.running_mean + m * mean
            self.running_var[...] = (1 - m) * self.running_var + m * var * (M / (M - 1))
        out = out.reshape(x.shape)
        self._cache = (out.shape, (cache, spatial))
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        cache, spatial = self._cached(dout)
        if spatial:
            xhat_shape = cache["xhat"].shape
            dx, dgamma, dbeta = spatial_batchnorm_backward(dout.reshape(xhat_shape), cache)
        else:
            dx, dgamma, dbeta = batchnorm_backward_alt(dout, cache)
        self._set_grad("weight", dgamma)
        self._set_grad("bias", dbeta)
        return dx.reshape(dout.shape)

    def extra_repr(self) -> str:
        s = f"{self.num_features}"
        if self.eps != 1e-5:
            s += f", eps={self.eps}"
        if self.momentum != 0.1:
            s += f", momentum={self.momentum}"
        return s


class BatchNorm1d(_BatchNorm):
    """Batch normalization of (N, C) or (N, C, L) input, as torch.nn.BatchNorm1d.

    Train mode normalizes each channel C with the mean and biased variance of the batch (over
    N, or N and L), then scales by weight and shifts by bias, and updates the running
    statistics with PyTorch's rule: momentum is the weight of the new batch and the variance
    averaged in is the unbiased one (the module docstring compares this with the course's
    layer). Eval mode normalizes with the running statistics, which stay as they are.
    Wraps ``convnp.layers.batchnorm_forward`` / ``batchnorm_backward_alt`` for (N, C) and
    ``spatial_batchnorm_forward`` / ``spatial_batchnorm_backward`` for (N, C, L).

    Args:
        num_features (int): C, the number of features or channels, >= 1
        eps (float, optional): added to the variance for numerical stability, > 0. Default: 1e-5
        momentum (float or None, optional): weight of the new batch statistic in the running
            average, in [0, 1]; None for the cumulative average (weight 1 / num_batches_tracked).
            Default: 0.1 (the course's layer calls 0.9 what this calls 0.1)
        dtype (optional, keyword-only): float dtype of the parameters and running statistics.
            Default: np.float32

    Shape:
        - Input: (N, C) or (N, C, L); train mode needs N (or N * L) >= 2
        - Output: the shape of the input

    Attributes:
        weight: learnable scale (the course's gamma), of shape (C,), ones
        bias: learnable shift (beta), of shape (C,), zeros
        running_mean (buffer): of shape (C,), zeros
        running_var (buffer): of shape (C,), ones
        num_batches_tracked (buffer): int64 of shape (), the number of train-mode batches seen
        weight and bias are not L2-regularized by ``Module.loss``.

    Example:
        >>> BatchNorm1d(100)(np.ones((20, 100), dtype=np.float32)).shape
        (20, 100)
    """

    def _check(self, x: np.ndarray, fn: str) -> None:
        _validate.array(x, "x", fn, ndim=(2, 3))
        if x.shape[1] != self.num_features:
            tail = "" if x.ndim == 2 else ", L"
            raise ValueError(f"{fn}: x must have shape (N, {self.num_features}{tail}) for "
                             f"num_features={self.num_features}; got {x.shape}")


class BatchNorm2d(_BatchNorm):
    """Batch normalization of (N, C, H, W) input, per channel, as torch.nn.BatchNorm2d.

    Train mode normalizes each channel with the mean and biased variance of its N * H * W
    values, then scales by weight and shifts by bias, and updates the running statistics with
    PyTorch's rule: running = (1 - momentum) * running + momentum * batch statistic, with the
    UNBIASED batch variance (times M / (M - 1), M = N * H * W) in running_var, which starts at
    ones. The course's functional layer (``convnp.layers.spatial_batchnorm_forward``, which
    this module calls for the output and the gradients) instead weights the old average by its
    momentum 0.9, averages the biased variance and starts running_var at zeros; see the module
    docstring. Eval mode normalizes with the running statistics, which stay as they are.

    Args:
        num_features (int): C, the number of channels, >= 1
        eps (float, optional): added to the variance for numerical stability, > 0. Default: 1e-5
        momentum (float or None, optional): weight of the new batch statistic in the running
            average, in [0, 1]; None for the cumulative average (weight 1 / num_batches_tracked).
            Default: 0.1
        dtype (optional, keyword-only): float dtype of the parameters and running statistics.
            Default: np.float32

    Shape:
        - Input: (N, C, H, W); train mode needs N * H * W >= 2
        - Output: (N, C, H, W)

    Attributes:
        weight: learnable scale (the course's gamma), of shape (C,), ones
        bias: learnable shift (beta), of shape (C,), zeros
        running_mean (buffer): of shape (C,), zeros
        running_var (buffer): of shape (C,), ones
        num_batches_tracked (buffer): int64 of shape (), the number of train-mode batches seen
        weight and bias are not L2-regularized by ``Module.loss``.

    Example:
        >>> BatchNorm2d(16)(np.ones((4, 16, 8, 8), dtype=np.float32)).shape
        (4, 16, 8, 8)
    """

    def _check(self, x: np.ndarray, fn: str) -> None:
        _validate.array(x, "x", fn, ndim=4)
        if x.shape[1] != self.num_features:
            raise ValueError(f"{fn}: x must have shape (N, {self.num_features}, H, W) for "
                             f"num_features={self.num_features}; got {x.shape}")


class LayerNorm(Module):
    """Layer normalization over the last dimensions, as torch.nn.LayerNorm.

    Each example's last len(normalized_shape) dimensions (D = their product values) are
    normalized with their own mean and biased variance, then scaled by weight and shifted by
    bias elementwise. Train and eval mode are the same; there are no running statistics. Wraps
    ``convnp.layers.layernorm_forward`` / ``layernorm_backward`` on x reshaped to (-1, D).

    Args:
        normalized_shape (int or tuple): the shape of the normalized trailing dimensions, ints
            >= 1; an int D means (D,)
        eps (float, optional): added to the variance for numerical stability, > 0. Default: 1e-5
        dtype (optional, keyword-only): float dtype of the parameters. Default: np.float32

    Shape:
        - Input: (*, *normalized_shape)
        - Output: the shape of the input

    Attributes:
        weight: learnable scale, of shape normalized_shape, ones
        bias: learnable shift, of shape normalized_shape, zeros
        normalized_shape: a tuple, as PyTorch stores it
        weight and bias are not L2-regularized by ``Module.loss``.

    Example:
        >>> LayerNorm(10)(np.ones((20, 5, 10), dtype=np.float32)).shape
        (20, 5, 10)
    """

    def __init__(self, normalized_shape, eps: float = 1e-5, *, dtype=np.float32) -> None:
        super().__init__()
        fn = "LayerNorm"
        dims = (normalized_shape,) if isinstance(normalized_shape, numbers.Integral) \
            else normalized_shape
        if isinstance(normalized_shape, bool) or not isinstance(dims, (tuple, list)) \
                or len(dims) == 0:
            raise TypeError(f"{fn}: normalized_shape must be an int or a non-empty tuple of "
                            f"ints; got {normalized_shape!r}")
        self.normalized_shape = tuple(_validate.integer(d, "normalized_shape", fn, minimum=1)
                                      for d in dims)
        self.eps = _eps(eps, fn)
        dt = _validate.float_dtype(dtype, fn)
        self.register_parameter("weight", np.ones(self.normalized_shape, dt))
        self.register_parameter("bias", np.zeros(self.normalized_shape, dt))

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """weight to ones, bias to zeros (no rng needed)."""
        self.weight[...] = 1
        self.bias[...] = 0

    def forward(self, x: np.ndarray) -> np.ndarray:
        fn = "LayerNorm.forward"
        k = len(self.normalized_shape)
        _validate.array(x, "x", fn, min_ndim=k)
        if x.shape[x.ndim - k:] != self.normalized_shape:
            raise ValueError(f"{fn}: x must end in normalized_shape {self.normalized_shape}, "
                             f"shape (*, {', '.join(map(str, self.normalized_shape))}); "
                             f"got {x.shape}")
        D = math.prod(self.normalized_shape)
        out, cache = layernorm_forward(x.reshape(-1, D), self.weight.reshape(D),
                                       self.bias.reshape(D), {"eps": self.eps})
        out = out.reshape(x.shape)
        self._cache = (out.shape, cache)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        cache = self._cached(dout)
        D = math.prod(self.normalized_shape)
        dx, dgamma, dbeta = layernorm_backward(dout.reshape(-1, D), cache)
        self._set_grad("weight", dgamma)
        self._set_grad("bias", dbeta)
        return dx.reshape(dout.shape)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}" + (f", eps={self.eps}" if self.eps != 1e-5 else "")


class GroupNorm(Module):
    """Group normalization, as torch.nn.GroupNorm: channels in groups, each group normalized.

    The C channels of each example form num_groups groups of C / num_groups contiguous
    channels; each group's values (over its channels and all spatial positions) are normalized
    with their own mean and biased variance, then each channel is scaled by weight and shifted
    by bias. Train and eval mode are the same. Wraps ``convnp.layers.spatial_groupnorm_forward``
    / ``spatial_groupnorm_backward``, which take gamma and beta as (1, C, 1, 1): the module
    keeps PyTorch's (C,) and passes reshaped views.

    Args:
        num_groups (int): G, the number of groups, >= 1, dividing num_channels
        num_channels (int): C, the number of channels of the input, >= 1
        eps (float, optional): added to the variance for numerical stability, > 0. Default: 1e-5
        dtype (optional, keyword-only): float dtype of the parameters. Default: np.float32

    Shape:
        - Input: (N, C, *), e.g. (N, C, H, W)
        - Output: the shape of the input

    Attributes:
        weight: learnable per-channel scale, of shape (C,), ones
        bias: learnable per-channel shift, of shape (C,), zeros
        weight and bias are not L2-regularized by ``Module.loss``.

    Example:
        >>> GroupNorm(4, 16)(np.ones((2, 16, 8, 8), dtype=np.float32)).shape
        (2, 16, 8, 8)
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, *,
                 dtype=np.float32) -> None:
        super().__init__()
        fn = "GroupNorm"
        self.num_groups = _validate.integer(num_groups, "num_groups", fn, minimum=1)
        self.num_channels = _validate.integer(num_channels, "num_channels", fn, minimum=1)
        if self.num_channels % self.num_groups:
            raise ValueError(f"{fn}: num_groups must divide num_channels; got num_groups="
                             f"{num_groups}, num_channels={num_channels} (remainder "
                             f"{num_channels % num_groups})")
        self.eps = _eps(eps, fn)
        dt = _validate.float_dtype(dtype, fn)
        self.register_parameter("weight", np.ones(self.num_channels, dt))
        self.register_parameter("bias", np.zeros(self.num_channels, dt))

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """weight to ones, bias to zeros (no rng needed)."""
        self.weight[...] = 1
        self.bias[...] = 0

    def forward(self, x: np.ndarray) -> np.ndarray:
        fn = "GroupNorm.forward"
        _validate.array(x, "x", fn, min_ndim=2)
        C = self.num_channels
        if x.shape[1] != C:
            raise ValueError(f"{fn}: x must have shape (N, {C}, *) for num_channels={C}; "
                             f"got {x.shape}")
        x4 = x.reshape(x.shape[0], C, -1, 1)
        out, cache = spatial_groupnorm_forward(x4, self.weight.reshape(1, C, 1, 1),
                                               self.bias.reshape(1, C, 1, 1), self.num_groups,
                                               {"eps": self.eps})
        out = out.reshape(x.shape)
        self._cache = (out.shape, (cache, x4.shape))
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        cache, x4_shape = self._cached(dout)
        dx, dgamma, dbeta = spatial_groupnorm_backward(dout.reshape(x4_shape), cache)
        self._set_grad("weight", dgamma)
        self._set_grad("bias", dbeta)
        return dx.reshape(dout.shape)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}" + (
            f", eps={self.eps}" if self.eps != 1e-5 else "")
