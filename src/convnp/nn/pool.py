"""Pooling modules: MaxPool2d and AvgPool2d (the course's fast layers) and GlobalAvgPool2d."""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..kernels import pool as pool_kernels
from ..layers import (
    avg_pool_backward_fast,
    avg_pool_forward_fast,
    max_pool_backward_fast,
    max_pool_forward_fast,
)
from .module import Module, _pair, _square

__all__ = ["AvgPool2d", "GlobalAvgPool2d", "MaxPool2d"]


class _Pool2d(Module):
    """Shared by MaxPool2d and AvgPool2d: arguments, the PyTorch output size, the crop.

    Subclasses set ``_forward_fn`` and ``_backward_fn`` to the course's fast layer pair.
    """

    def __init__(self, kernel_size, stride=None) -> None:
        super().__init__()
        fn = type(self).__name__
        kernel = _pair(kernel_size, "kernel_size", fn, minimum=1)
        if stride is None:
            if kernel[0] != kernel[1]:
                raise ValueError(f"{fn}: stride defaults to kernel_size, but the course's pool "
                                 f"layer has one stride and kernel_size is {kernel_size!r}: pass "
                                 f"stride=")
            stride = kernel_size
        _square(stride, "stride", fn, 1, "the course's pool layer has one stride")
        self.kernel_size, self.stride = kernel_size, stride
        self._kernel, self._step = kernel, _pair(stride, "stride", fn, minimum=1)[0]

    def forward(self, x: np.ndarray) -> np.ndarray:
        fn = f"{type(self).__name__}.forward"
        _validate.array(x, "x", fn, ndim=4)
        N, C, H, W = x.shape
        (ph, pw), s = self._kernel, self._step
        for dim, size, k in (("H", H, ph), ("W", W, pw)):
            if size < k:
                raise ValueError(f"{fn}: the window does not fit: {dim}={size} is smaller than "
                                 f"the kernel's {k} (x {x.shape}, kernel_size="
                                 f"{self.kernel_size!r})")
        # PyTorch rounds the output size down: the last (H - ph) % s rows are read by no window,
        # while the course's layer wants the windows to tile exactly. Drop them (a view).
        Hc, Wc = H - (H - ph) % s, W - (W - pw) % s
        x_in = x if (Hc, Wc) == (H, W) else x[:, :, :Hc, :Wc]
        out, cache = self._forward_fn(x_in, {"pool_height": ph, "pool_width": pw, "stride": s})
        self._cache = (out.shape, (cache, x.shape, (Hc, Wc)))
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        cache, x_shape, _ = self._cached(dout)
        dx = self._backward_fn(dout, cache)
        if dx.shape != x_shape:  # the cropped rows and columns get zero gradient
            dx = pool_kernels.uncrop(dx, x_shape)
        return dx

    def extra_repr(self) -> str:
        s = f"kernel_size={self.kernel_size!r}"
        if self.stride != self.kernel_size:
            s += f", stride={self.stride!r}"
        return s


class MaxPool2d(_Pool2d):
    """Applies 2D max pooling over NCHW input: the maximum of each window, per channel.

    Wraps ``convnp.layers.max_pool_forward_fast`` / ``max_pool_backward_fast``. When a window
    holds its maximum more than once, the gradient goes to the first one in row-major order, as
    PyTorch does. The output size is PyTorch's (rounded down); rows and columns that no window
    reads get zero gradient. No padding, dilation or ceil_mode.

    Args:
        kernel_size (int or tuple): the window, (height, width), >= 1
        stride (int or tuple, optional): step between windows, >= 1; a tuple must hold two equal
            values (the course's layer has one stride). Default: kernel_size, so MaxPool2d(2)
            halves H and W

    Shape:
        - Input: (N, C, H, W)
        - Output: (N, C, H_out, W_out), where
          H_out = floor((H - kernel_size[0]) / stride) + 1
          W_out = floor((W - kernel_size[1]) / stride) + 1

    Attributes:
        kernel_size, stride: as given (stride = kernel_size when None), as PyTorch stores them.
        No parameters.

    Example:
        >>> MaxPool2d(2)(np.zeros((4, 16, 32, 32), dtype=np.float32)).shape
        (4, 16, 16, 16)
    """

    _forward_fn = staticmethod(max_pool_forward_fast)
    _backward_fn = staticmethod(max_pool_backward_fast)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        cache, x_shape, _ = self._cached(dout)
        # The gradient of the crop goes straight into zeros of x's shape: with the compiled
        # kernels, in the same pass (no separate pool_kernels.uncrop).
        return self._backward_fn(dout, cache, full_shape=x_shape)


class AvgPool2d(_Pool2d):
    """Applies 2D average pooling over NCHW input: the mean of each window, per channel.

    Wraps ``convnp.layers.avg_pool_forward_fast`` / ``avg_pool_backward_fast``. The output size
    is PyTorch's (rounded down); rows and columns that no window reads get zero gradient. No
    padding (so PyTorch's count_include_pad has nothing to count) and no ceil_mode.

    Args:
        kernel_size (int or tuple): the window, (height, width), >= 1
        stride (int or tuple, optional): step between windows, >= 1; a tuple must hold two equal
            values. Default: kernel_size

    Shape:
        - Input: (N, C, H, W)
        - Output: (N, C, H_out, W_out), where
          H_out = floor((H - kernel_size[0]) / stride) + 1
          W_out = floor((W - kernel_size[1]) / stride) + 1

    Attributes:
        kernel_size, stride: as given (stride = kernel_size when None). No parameters.

    Example:
        >>> AvgPool2d(2, stride=1)(np.zeros((4, 16, 8, 8), dtype=np.float32)).shape
        (4, 16, 7, 7)
    """

    _forward_fn = staticmethod(avg_pool_forward_fast)
    _backward_fn = staticmethod(avg_pool_backward_fast)


class GlobalAvgPool2d(Module):
    """Averages each channel over all of H and W: (N, C, H, W) -> (N, C).

    PyTorch writes it as ``nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())`` (or
    ``x.mean((2, 3))``); the course's layers have no counterpart, so forward and backward are
    written here: out[n, c] = mean of x[n, c], and every input position receives
    dout[n, c] / (H * W).

    Shape:
        - Input: (N, C, H, W)
        - Output: (N, C)

    Attributes:
        No parameters.

    Example:
        >>> GlobalAvgPool2d()(np.zeros((4, 64, 8, 8), dtype=np.float32)).shape
        (4, 64)
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        _validate.array(x, "x", "GlobalAvgPool2d.forward", ndim=4)
        out = x.mean(axis=(2, 3))
        self._cache = (out.shape, (x.shape, x.dtype))
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        x_shape, dtype = self._cached(dout)
        H, W = x_shape[2:]
        dx = np.empty(x_shape, dtype=dtype)
        dx[...] = (dout / dtype.type(H * W))[:, :, None, None]
        return dx
