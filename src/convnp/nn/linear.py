"""Linear (the course's affine layer, with PyTorch's weight layout) and Flatten, its usual input."""

from __future__ import annotations

import math

import numpy as np

from .. import _validate
from ..kernels.blas import matmul
from ..layers import affine_backward, affine_forward
from . import init
from .module import Module

__all__ = ["Flatten", "Linear"]


class Linear(Module):
    """Applies an affine transformation to the last dimension: y = x W^T + b.

    Wraps ``convnp.layers.affine_forward`` / ``affine_backward``. The weight is stored as
    PyTorch stores it, (out_features, in_features), so state_dicts move between the two; the
    course's affine layer takes its weight as (D, M) = (in_features, out_features), which is
    ``weight.T``. The module passes that transposed view to the layer (no copy) and transposes
    the layer's dw back, once per call. Unlike the course's affine layer, which flattens every
    example, Linear acts on the last dimension only, as torch.nn.Linear: put ``Flatten()``
    before it for images.

    Args:
        in_features (int): size of each input sample, >= 1
        out_features (int): size of each output sample, >= 1
        bias (bool, optional): if False, the layer has no additive bias. Default: True
        rng (np.random.Generator, optional, keyword-only): generator for the initial weights;
            None draws from a fresh unseeded ``np.random.default_rng()``. Default: None
        dtype (optional, keyword-only): float dtype of the parameters. Default: np.float32

    Shape:
        - Input: (*, in_features), at least 1-D; * is any number of leading dimensions
        - Output: (*, out_features)

    Attributes:
        weight: the learnable weights, of shape (out_features, in_features), drawn from
            U(-k, k) with k = 1 / sqrt(in_features) (PyTorch's init, see reset_parameters)
        bias: the learnable bias, of shape (out_features,), also from U(-k, k); None if
            bias=False
        The weight (not the bias) is L2-regularized by ``Module.loss``'s ``reg``.

    Example:
        >>> m = Linear(20, 30, rng=np.random.default_rng(0))
        >>> m(np.zeros((128, 20), dtype=np.float32)).shape
        (128, 30)
    """

    _decayed = ("weight",)

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *,
                 rng: np.random.Generator | None = None, dtype=np.float32) -> None:
        super().__init__()
        fn = "Linear"
        self.in_features = _validate.integer(in_features, "in_features", fn, minimum=1)
        self.out_features = _validate.integer(out_features, "out_features", fn, minimum=1)
        if not isinstance(bias, (bool, np.bool_)):
            raise TypeError(f"{fn}: bias must be a bool; got {bias!r}")
        dt = _validate.float_dtype(dtype, fn)
        rng = _validate.generator(rng, fn)
        self.register_parameter("weight", np.empty((self.out_features, self.in_features), dt))
        if bias:
            self.register_parameter("bias", np.empty(self.out_features, dt))
        else:
            self.bias = None
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """PyTorch's init: weight and bias from U(-1/sqrt(in_features), 1/sqrt(in_features)).

        PyTorch writes the weight's draw as kaiming_uniform_(a=sqrt(5)), which comes to the same
        bound; see https://github.com/pytorch/pytorch/issues/57109. The weight is drawn first,
        then the bias, from rng (None: a fresh unseeded generator).
        """
        rng = _validate.generator(rng, "Linear.reset_parameters")
        init.pytorch_default(self.weight, self.bias, rng)

    def forward(self, x: np.ndarray) -> np.ndarray:
        fn = "Linear.forward"
        _validate.array(x, "x", fn, min_ndim=1)
        if x.shape[-1] != self.in_features:
            raise ValueError(f"{fn}: x must have shape (*, {self.in_features}) for in_features="
                             f"{self.in_features}; got {x.shape}")
        w = self.weight
        b = self.bias if self.bias is not None else np.zeros(self.out_features, w.dtype)
        out, cache = affine_forward(x.reshape(-1, self.in_features), w.T, b)
        out = out.reshape(x.shape[:-1] + (self.out_features,))
        self._cache = (out.shape, (cache, x.shape))
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        cache, x_shape = self._cached(dout)
        x2, w_t, b = cache
        dout2 = dout.reshape(-1, self.out_features)
        if self._needs_grad("weight"):
            dx, dw, db = affine_backward(dout2, cache)
            self._set_grad("weight", dw.T)
        else:
            # A frozen weight: skip the x^T dout product, the layer's largest.
            dx, db = matmul(dout2, w_t.T), dout2.sum(axis=0)
        if self.bias is not None:
            self._set_grad("bias", db)
        return dx.reshape(x_shape)

    def _backward_params(self, dout: np.ndarray) -> None:
        # Only the parameters' gradients (the first layer, under loss()): no dx product.
        if not self._has_trainable():
            return
        (x2, _, _), _ = self._cached(dout)
        dout2 = dout.reshape(-1, self.out_features)
        if self._needs_grad("weight"):
            self._set_grad("weight", matmul(dout2.T, x2))
        if self.bias is not None:
            self._set_grad("bias", dout2.sum(axis=0))

    def extra_repr(self) -> str:
        return f"{self.in_features}, {self.out_features}" + ("" if self.bias is not None
                                                             else ", bias=False")


class Flatten(Module):
    """Flattens the dimensions start_dim..end_dim into one, as torch.nn.Flatten.

    The usual bridge from feature maps (N, C, H, W) to a Linear layer: (N, C * H * W). The
    backward pass reshapes dout back to x's shape.

    Args:
        start_dim (int, optional): first dimension to flatten (negative counts from the end).
            Default: 1
        end_dim (int, optional): last dimension to flatten (negative counts from the end).
            Default: -1

    Shape:
        - Input: (*, S_start, ..., S_end, *)
        - Output: (*, S_start * ... * S_end, *)

    Example:
        >>> Flatten()(np.zeros((32, 3, 5, 5), dtype=np.float32)).shape
        (32, 75)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = _validate.integer(start_dim, "start_dim", "Flatten")
        self.end_dim = _validate.integer(end_dim, "end_dim", "Flatten")

    def forward(self, x: np.ndarray) -> np.ndarray:
        fn = "Flatten.forward"
        _validate.array(x, "x", fn)
        nd = max(x.ndim, 1)
        start = self.start_dim + nd if self.start_dim < 0 else self.start_dim
        end = self.end_dim + nd if self.end_dim < 0 else self.end_dim
        if not 0 <= start < nd or not 0 <= end < nd or start > end:
            raise ValueError(f"{fn}: start_dim={self.start_dim} and end_dim={self.end_dim} must "
                             f"name dimensions of x, start before end; got x of shape {x.shape}")
        shape = x.shape[:start] + (math.prod(x.shape[start:end + 1]),) + x.shape[end + 1:]
        out = x.reshape(shape)
        self._cache = (out.shape, x.shape)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout.reshape(self._cached(dout))

    def extra_repr(self) -> str:
        parts = [f"start_dim={self.start_dim}"] if self.start_dim != 1 else []
        parts += [f"end_dim={self.end_dim}"] if self.end_dim != -1 else []
        return ", ".join(parts)
