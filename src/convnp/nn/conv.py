"""Conv2d: the course's convolutional layer (fast path) as a module, with PyTorch's arguments."""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..layers import conv_backward_fast, conv_forward_fast
from ..layers.conv import forward_kernel, kernel_rounds_down
from . import init
from .module import Module, _pair, _square

__all__ = ["Conv2d"]


class Conv2d(Module):
    """Applies a 2D convolution (cross-correlation, as PyTorch and the course) over NCHW input.

    Wraps ``convnp.layers.conv_forward_fast`` / ``conv_backward_fast``, whose filters (F, C,
    HH, WW) are PyTorch's weight layout as they are: no conversion.

    The output size is PyTorch's, rounded down. The course's layer wants the windows to tile
    the padded input exactly (H + 2 * padding - kernel_height divisible by stride); when they do
    not, the last rows or columns of the padded input are read by no window. The 1x1 kernel
    (``convnp.kernels.pointwise``) and the channels-last direct kernels
    (``convnp.kernels.taps``, float32 with the jit extra) read only what the windows cover;
    for the others the module pads the input itself, drops those rows and columns, and runs
    the layer with no padding (a copy of the input, made only for such sizes).

    Args:
        in_channels (int): number of channels of the input, C, >= 1
        out_channels (int): number of channels produced (filters), F, >= 1
        kernel_size (int or tuple): size of the kernel, (kernel_height, kernel_width), >= 1
        stride (int or tuple, optional): step between windows, >= 1; a tuple must hold two equal
            values (the course's layer has one stride). Default: 1
        padding (int or tuple, optional): zeros added on all four sides, >= 0; a tuple must hold
            two equal values (one pad, as the layer). Default: 0
        bias (bool, optional): if False, no learnable bias. Default: True
        rng (np.random.Generator, optional, keyword-only): generator for the initial weights;
            None draws from a fresh unseeded ``np.random.default_rng()``. Default: None
        dtype (optional, keyword-only): float dtype of the parameters. Default: np.float32

    Shape:
        - Input: (N, C_in, H, W)
        - Output: (N, C_out, H_out, W_out), where
          H_out = floor((H + 2 * padding[0] - kernel_size[0]) / stride[0]) + 1
          W_out = floor((W + 2 * padding[1] - kernel_size[1]) / stride[1]) + 1

    Attributes:
        weight: the learnable filters, of shape (out_channels, in_channels, kernel_size[0],
            kernel_size[1]), drawn from U(-k, k) with k = 1 / sqrt(in_channels * kernel_size[0]
            * kernel_size[1]) (PyTorch's init)
        bias: the learnable bias, of shape (out_channels,), also from U(-k, k); None if
            bias=False
        kernel_size, stride, padding: 2-tuples, as PyTorch stores them
        The weight (not the bias) is L2-regularized by ``Module.loss``'s ``reg``.

    Example:
        >>> m = Conv2d(3, 16, 3, stride=2, padding=1, rng=np.random.default_rng(0))
        >>> m(np.zeros((4, 3, 32, 32), dtype=np.float32)).shape
        (4, 16, 16, 16)
    """

    _decayed = ("weight",)

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 bias: bool = True, *, rng: np.random.Generator | None = None,
                 dtype=np.float32) -> None:
        super().__init__()
        fn = "Conv2d"
        self.in_channels = _validate.integer(in_channels, "in_channels", fn, minimum=1)
        self.out_channels = _validate.integer(out_channels, "out_channels", fn, minimum=1)
        self.kernel_size = _pair(kernel_size, "kernel_size", fn, minimum=1)
        self.stride = _square(stride, "stride", fn, 1, "the course's conv layer has one stride")
        self.padding = _square(padding, "padding", fn, 0, "the course's conv layer has one pad")
        if not isinstance(bias, (bool, np.bool_)):
            raise TypeError(f"{fn}: bias must be a bool; got {bias!r}")
        dt = _validate.float_dtype(dtype, fn)
        rng = _validate.generator(rng, fn)
        shape = (self.out_channels, self.in_channels) + self.kernel_size
        self.register_parameter("weight", np.empty(shape, dt))
        if bias:
            self.register_parameter("bias", np.empty(self.out_channels, dt))
        else:
            self.bias = None
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """PyTorch's init: weight and bias from U(-k, k), k = 1 / sqrt(C_in * kh * kw).

        PyTorch writes the weight's draw as kaiming_uniform_(a=sqrt(5)), which comes to the same
        bound; see https://github.com/pytorch/pytorch/issues/57109. The weight is drawn first,
        then the bias, from rng (None: a fresh unseeded generator).
        """
        rng = _validate.generator(rng, "Conv2d.reset_parameters")
        init.pytorch_default(self.weight, self.bias, rng)

    def forward(self, x: np.ndarray) -> np.ndarray:
        fn = "Conv2d.forward"
        _validate.array(x, "x", fn, ndim=4)
        N, C, H, W = x.shape
        if C != self.in_channels:
            raise ValueError(f"{fn}: x must have shape (N, {self.in_channels}, H, W) for "
                             f"in_channels={self.in_channels}; got {x.shape}")
        (HH, WW), s, p = self.kernel_size, self.stride[0], self.padding[0]
        spans = (H + 2 * p - HH, W + 2 * p - WW)
        for dim, size, k, span in (("H", H, HH, spans[0]), ("W", W, WW, spans[1])):
            if span < 0:
                raise ValueError(f"{fn}: the kernel does not fit: {dim} + 2*padding - kernel = "
                                 f"{span} is negative ({dim}={size}, padding={p}, kernel={k}; "
                                 f"x {x.shape})")
        w = self.weight
        b = self.bias if self.bias is not None else np.zeros(self.out_channels, w.dtype)
        # Rows and columns of the padded input that no window reads (PyTorch rounds down).
        r_h, r_w = spans[0] % s, spans[1] % s
        crop = None
        if (r_h or r_w) and kernel_rounds_down(x.shape, w.shape, s, p, np.result_type(x, w, b)):
            # The kernel reads only the rows and columns the windows cover: no padded,
            # cropped copy of x.
            out, kernel_cache = forward_kernel(x, w, b, s, p)
            cache = (x, w, b, {"stride": s, "pad": p}, kernel_cache)
        elif r_h or r_w:
            Hc, Wc = H + 2 * p - r_h, W + 2 * p - r_w
            hk, wk = max(0, min(H, Hc - p)), max(0, min(W, Wc - p))
            x_in = np.zeros((N, C, Hc, Wc), dtype=x.dtype)
            x_in[:, :, p:p + hk, p:p + wk] = x[:, :, :hk, :wk]
            out, cache = conv_forward_fast(x_in, w, b, {"stride": s, "pad": 0})
            crop = (hk, wk)
        else:
            out, cache = conv_forward_fast(x, w, b, {"stride": s, "pad": p})
        self._cache = (out.shape, (cache, x.shape, crop))
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return self._backward(dout, need_dx=True)

    def _backward_params(self, dout: np.ndarray) -> None:
        # Only the parameters' gradients are wanted (the first layer, under loss()): skip dx,
        # a third of the work or more.
        if self._has_trainable():
            self._backward(dout, need_dx=False)

    def _backward(self, dout: np.ndarray, need_dx: bool):
        cache, x_shape, crop = self._cached(dout)
        # A frozen weight: its gradient is not computed at all.
        need_dw = self._needs_grad("weight")
        dx, dw, db = conv_backward_fast(dout, cache, need_dx=need_dx, need_dw=need_dw)
        if need_dw:
            self._set_grad("weight", dw)
        if self.bias is not None:
            self._set_grad("bias", db)
        if dx is None:
            return None
        if crop is not None:
            hk, wk = crop
            p = self.padding[0]
            dx_full = np.zeros(x_shape, dtype=dx.dtype)
            dx_full[:, :, :hk, :wk] = dx[:, :, p:p + hk, p:p + wk]
            dx = dx_full
        return dx

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        if self.stride != (1, 1):
            s += f", stride={self.stride}"
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.bias is None:
            s += ", bias=False"
        return s
