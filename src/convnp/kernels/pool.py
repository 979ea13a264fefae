"""Pooling kernels: max and average pooling as a few whole-array operations per window offset.

A pooling window of size (pool_height, pool_width) has pool_height * pool_width offsets (a, b).
For one offset, the elements that sit at (a, b) in every window form a strided view of x with
the output's shape (N, C, H_out, W_out). So pooling is a loop over the window offsets (4 for the
usual 2x2 window), each step one NumPy operation over the whole batch; nothing loops over N, C,
H or W in Python.

Two layouts of the windows, picked by ``tiles``:
- reshape path: when stride == pool_height == pool_width, the windows tile the input exactly
  (validation has already checked H_out * stride == H, and the same for W), and the windows are
  a reshape of x, (N, C, H_out, pool_height, W_out, pool_width). Every input element belongs to
  exactly one window, so a backward pass writes each element of dx once: no zero fill, no
  accumulation.
- general path: any stride. The windows come from ``sliding_window_view``; they may overlap
  (stride < window: an input element gets gradient from several windows, so dx accumulates) or
  leave gaps (stride > window: those elements get zero gradient).

These functions trust their callers (``convnp.layers.pool`` validates): x is a 4-D float array,
the sizes are ints >= 1 and the windows fit. They assume no NaN in x (a window holding NaN gets
NaN out, but its gradient is dropped, where the naive reference would pick the NaN).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def tiles(shape: tuple[int, ...], pool_height: int, pool_width: int, stride: int) -> bool:
    """True when the windows tile the (H, W) plane exactly: the reshape path applies."""
    H, W = shape[-2:]
    return (pool_height == pool_width == stride and H % pool_height == 0
            and W % pool_width == 0)


def output_size(shape: tuple[int, ...], pool_height: int, pool_width: int,
                stride: int) -> tuple[int, int]:
    """(H_out, W_out) = (1 + (H - pool_height) // stride, 1 + (W - pool_width) // stride)."""
    H, W = shape[-2:]
    return 1 + (H - pool_height) // stride, 1 + (W - pool_width) // stride


def windows(x: np.ndarray, pool_height: int, pool_width: int, stride: int,
            writeable: bool = False) -> np.ndarray:
    """View of every pooling window of x, of shape (N, C, H_out, W_out, pool_height, pool_width).

    ``windows(x, ...)[..., a, b]`` holds the element at offset (a, b) of each window. A view of
    x, except on the reshape path when x is not C-contiguous (then a copy: fine for reading).
    ``writeable=True`` is for the dx arrays this module allocates, C-contiguous. With
    overlapping windows an element of x appears in several windows: write through the view one
    offset (a, b) at a time, so that no write overlaps another.
    """
    # A copy written through would lose the writes.
    assert not writeable or x.flags.c_contiguous
    N, C = x.shape[:2]
    H_out, W_out = output_size(x.shape, pool_height, pool_width, stride)
    if tiles(x.shape, pool_height, pool_width, stride):
        blocks = x.reshape(N, C, H_out, pool_height, W_out, pool_width)
        return blocks.transpose(0, 1, 2, 4, 3, 5)
    view = sliding_window_view(x, (pool_height, pool_width), axis=(2, 3), writeable=writeable)
    # sliding_window_view starts a window at every position; keep every stride-th one.
    return view[:, :, ::stride, ::stride]


def max_pool_forward(x: np.ndarray, pool_height: int, pool_width: int,
                     stride: int) -> np.ndarray:
    """Max of each window (matches ``layers.pool.max_pool_forward_naive``); dtype of x.

    np.maximum over the window offsets in turn: one elementwise maximum of two (N, C, H_out,
    W_out) arrays per offset. (The course's ``x_reshaped.max(axis=3).max(axis=4)`` reduces over
    axes of length 2 and is some 20 times slower.)
    """
    win = windows(x, pool_height, pool_width, stride)
    out = win[..., 0, 0].copy()
    for a in range(pool_height):
        for b in range(pool_width):
            if a or b:
                np.maximum(out, win[..., a, b], out=out)
    return out


def max_pool_backward(dout: np.ndarray, x: np.ndarray, out: np.ndarray, pool_height: int,
                      pool_width: int, stride: int) -> np.ndarray:
    """Gradient of max pooling (matches ``layers.pool.max_pool_backward_naive``); dtype of x.

    Each window passes dout to ONE element: the first maximum in row-major order within the
    window, as np.argmax in the naive reference and as PyTorch. The offsets are visited in
    row-major order; at each, the windows whose maximum sits there and that have not yet been
    served take their dout, and are marked served. (Routing dout to every element equal to the
    maximum, as the course's reshape backward does, would count a tie twice.)

    Assumes ``out`` is ``max_pool_forward(x, ...)`` for these sizes, unmodified, and dout has
    its shape. The other elements of a window get dout * 0, which is NaN where dout is infinite.
    """
    reshape_path = tiles(x.shape, pool_height, pool_width, stride)
    # dx in C order whatever the layout of x: the reshape path's windows must be a view of it.
    if reshape_path:
        dx = np.empty(x.shape, dtype=x.dtype)  # every element is written exactly once below
    else:
        dx = np.zeros(x.shape, dtype=x.dtype)  # overlaps add up, gaps stay zero
    x_win = windows(x, pool_height, pool_width, stride)
    dx_win = windows(dx, pool_height, pool_width, stride, writeable=True)
    served = np.zeros(out.shape, dtype=bool)
    is_max = np.empty(out.shape, dtype=bool)
    grad = np.empty(out.shape, dtype=x.dtype)
    for a in range(pool_height):
        for b in range(pool_width):
            np.equal(x_win[..., a, b], out, out=is_max)
            # First maximum only: is_max and not served (True > False is the only True).
            np.greater(is_max, served, out=is_max)
            np.logical_or(served, is_max, out=served)
            # dout * is_max rather than a masked copy (np.copyto(..., where=), np.where): those
            # branch on a mask that is true at random, and run 10 to 20 times slower.
            np.multiply(dout, is_max, out=grad)
            if reshape_path:
                dx_win[..., a, b] = grad
            else:
                dx_win[..., a, b] += grad
    return dx


def avg_pool_forward(x: np.ndarray, pool_height: int, pool_width: int,
                     stride: int) -> np.ndarray:
    """Mean of each window (matches ``layers.pool.avg_pool_forward_naive``); dtype of x.

    Sums the window offsets into one (N, C, H_out, W_out) array, then divides by the window's
    size, in the dtype of x.
    """
    win = windows(x, pool_height, pool_width, stride)
    out = win[..., 0, 0].copy()
    for a in range(pool_height):
        for b in range(pool_width):
            if a or b:
                np.add(out, win[..., a, b], out=out)
    out /= pool_height * pool_width
    return out


def avg_pool_backward(dout: np.ndarray, x_shape: tuple[int, ...], dtype: np.dtype,
                      pool_height: int, pool_width: int, stride: int) -> np.ndarray:
    """Gradient of average pooling (matches ``layers.pool.avg_pool_backward_naive``).

    Every element of a window gets dout / (pool_height * pool_width) from that window. Returns dx
    of shape ``x_shape`` and dtype ``dtype`` (the input's). Assumes dout has the output's shape.
    """
    share = (dout / (pool_height * pool_width)).astype(dtype, copy=False)
    reshape_path = tiles(x_shape, pool_height, pool_width, stride)
    # One strided copy per offset; broadcasting share over the blocks in a single copy is
    # about twice as slow (its innermost loop runs over pool_width elements only).
    if reshape_path:
        dx = np.empty(x_shape, dtype=dtype)  # every element is written exactly once below
    else:
        dx = np.zeros(x_shape, dtype=dtype)  # overlaps add up, gaps stay zero
    dx_win = windows(dx, pool_height, pool_width, stride, writeable=True)
    for a in range(pool_height):
        for b in range(pool_width):
            if reshape_path:
                dx_win[..., a, b] = share
            else:
                dx_win[..., a, b] += share
    return dx
