"""Pooling kernels: max and average pooling as a few whole-array operations per window offset.

A pooling window of size (pool_height, pool_width) has pool_height * pool_width offsets (a, b),
numbered k = a * pool_width + b in row-major order.
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
NaN out, but its gradient goes to the window's last element, where the naive reference would
pick the first NaN).

Compiled max pooling (``convnp.kernels.jit``, with numba installed): on the reshape path with
2x2 or 3x3 windows, float32 x and dout, ``max_pool_forward`` and ``max_pool_backward`` run one
vectorized pass each (``_numba.max_pool_2x2_forward`` and the others; the 2x2 gradient is
``_numba_pool.max_pool_2x2_backward``, written for the SLP vectorizer) instead of some four
NumPy passes per window offset, chunk by chunk of planes as the NumPy code; the results are
the NumPy code's bit for bit, NaN and signed zeros included (tests/kernels/test_jit.py), but
without NumPy's floating-point warnings (dout * 0 with dout infinite). The forward reads a
crop of a contiguous array (nn.MaxPool2d's) in place, and the backward can write the gradient
of the uncropped array directly (``full_shape``), zeros included.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from . import jit, threads


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


def argmax_dtype(pool_height: int, pool_width: int) -> np.dtype:
    """The smallest unsigned integer type that holds a window offset, 0 .. ph * pw - 1."""
    return np.min_scalar_type(pool_height * pool_width - 1)


def _planes(a: np.ndarray) -> np.ndarray:
    """(N, C, H, W) -> (N * C, 1, H, W): one image channel per row, the unit of a chunk.

    A view for contiguous arrays and for crops of them (nn.MaxPool2d's), a copy otherwise.
    """
    N, C, H, W = a.shape
    return a.reshape(N * C, 1, H, W)


def _run(x_shape: tuple[int, ...], itemsize: int, fn) -> None:
    """threads.parallel_chunks over the N * C planes, chunks of a few planes each."""
    N, C, H, W = x_shape
    threads.parallel_chunks(N * C, fn, row_bytes=H * W * itemsize)


def _compiled_tiles(pool_height: int, pool_width: int, stride: int, shape: tuple[int, ...],
                    *dtypes: np.dtype) -> bool:
    """True when the compiled max pooling applies: float32, 2x2 or 3x3 tiles, numba in use.

    (Other windows stay on the NumPy code: with the window's size known only at run time
    the compiled loop does not vectorize, and for 2x2 it measured 1.5x slower than NumPy; so
    2x2 and 3x3 each have their own compiled function, the size a constant.)
    """
    return (pool_height == pool_width == stride and stride in (2, 3)
            and tiles(shape, pool_height, pool_width, stride) and int(np.prod(shape)) > 0
            and all(np.dtype(d) == np.float32 for d in dtypes) and jit.enabled())


def _flat_planes(x: np.ndarray) -> tuple[np.ndarray, int, int]:
    """(flat, plane_stride, row_stride): x[n, c, h, w] is flat[(n * C + c) * plane_stride
    + h * row_stride + w].

    flat is a read-only 1-d view of the memory from x's first element to its last when x is a
    crop of a C-contiguous array (rows of unit stride, planes evenly spaced: nn.MaxPool2d's
    x[:, :, :Hc, :Wc]); a C-contiguous copy of x otherwise.
    """
    N, C, H, W = x.shape
    item = x.itemsize
    s0, s1, s2, s3 = (s // item for s in x.strides)
    plane = s1 if C > 1 else s0
    if (all(s % item == 0 and s >= 0 for s in x.strides) and s3 == 1 and s2 >= W
            and (N == 1 or s0 == C * plane) and (N * C == 1 or plane >= H * s2)):
        span = (N * C - 1) * plane + (H - 1) * s2 + W
        return as_strided(x, shape=(span,), strides=(item,), writeable=False), plane, s2
    return np.ascontiguousarray(x).reshape(-1), H * W, W


def _max_pool_forward_compiled(x: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """max_pool_forward's (out, argmax) for float32 x and size x size tiles, compiled."""
    N, C, H, W = x.shape
    H_out, W_out = H // size, W // size
    flat, plane, row = _flat_planes(x)
    out = np.empty((N, C, H_out, W_out), dtype=np.float32)
    argmax = np.empty(out.shape, dtype=np.uint8)
    of, af = out.reshape(-1), argmax.reshape(-1)
    kernels = jit.kernels()
    compiled = kernels.max_pool_2x2_forward if size == 2 else kernels.max_pool_3x3_forward
    per_plane = H_out * W_out

    def part(start: int, stop: int) -> None:
        end = (stop - 1) * plane + (H - 1) * row + W
        compiled(flat[start * plane:end], plane, row, of[start * per_plane:stop * per_plane],
                 af[start * per_plane:stop * per_plane], H_out, W_out)

    _run(x.shape, x.itemsize, part)
    return out, argmax


def max_pool_forward(x: np.ndarray, pool_height: int, pool_width: int,
                     stride: int) -> tuple[np.ndarray, np.ndarray]:
    """Max of each window and where it is (matches ``layers.pool.max_pool_forward_naive``).

    Returns (out, argmax): out of shape (N, C, H_out, W_out) in the dtype of x; argmax of the
    same shape, of ``argmax_dtype`` (uint8 for windows up to 16x16), the offset a * pool_width
    + b within its window of the FIRST maximum in row-major order (np.argmax's, PyTorch's).

    np.maximum over the window offsets in turn, visited in row-major order: one elementwise
    maximum of two (N, C, H_out, W_out) arrays per offset. (The course's
    ``x_reshaped.max(axis=3).max(axis=4)`` reduces over axes of length 2 and is some 20 times
    slower.) The maximum goes into the other of two buffers, and where it differs from the
    previous one the offset took the lead: only a strictly greater value moves it, so a tie
    stays with the earlier offset. Offsets increase in the visiting order, so argmax is the
    running np.maximum of offset * moved, on one-byte arrays (a masked write, np.copyto with
    where=, branches on a mask that is true at random and runs 10 to 20 times slower).

    The planes (image channels) are split into chunks of a few, run in the kernels' threads
    (``threads.parallel_chunks``), so that a chunk's passes over its offsets run in cache.

    With the compiled kernels on, float32 x and 2x2 or 3x3 tiles (``_compiled_tiles``), the
    same numbers, bit for bit, come from one compiled pass per chunk that does the offsets'
    comparisons in registers (``_numba.max_pool_2x2_forward``; a crop of a contiguous array
    is read in place, no copy).
    """
    if _compiled_tiles(pool_height, pool_width, stride, x.shape, x.dtype):
        return _max_pool_forward_compiled(x, stride)
    K = pool_height * pool_width
    win = windows(_planes(x), pool_height, pool_width, stride)    # (N * C, 1, H_out, ...)
    out = np.empty(win.shape[:4], dtype=x.dtype)
    argmax = np.empty(out.shape, dtype=argmax_dtype(pool_height, pool_width))

    def part(start: int, stop: int) -> None:
        w, o, am = win[start:stop], out[start:stop], argmax[start:stop]
        # The running maximum swaps buffers K - 1 times: start in the one it ends in, o.
        cur, other = (o, np.empty_like(o)) if (K - 1) % 2 == 0 else (np.empty_like(o), o)
        np.copyto(cur, w[..., 0, 0])
        am.fill(0)
        moved = np.empty(o.shape, dtype=bool)
        step = np.empty(o.shape, dtype=am.dtype)
        for k in range(1, K):
            np.maximum(cur, w[..., k // pool_width, k % pool_width], out=other)
            np.not_equal(other, cur, out=moved)
            np.multiply(moved.view(np.uint8), am.dtype.type(k), out=step)
            np.maximum(am, step, out=am)
            cur, other = other, cur

    _run(x.shape, x.itemsize, part)
    shape = x.shape[:2] + out.shape[2:]
    return out.reshape(shape), argmax.reshape(shape)


def _max_pool_backward_compiled(dout: np.ndarray, argmax: np.ndarray, size: int,
                                full_shape: tuple[int, ...]) -> np.ndarray:
    """dx of full_shape (zeros beyond the windows) for float32 dout, size x size tiles."""
    N, C, H_out, W_out = argmax.shape
    H, W = full_shape[2:]
    dx = np.empty(full_shape, dtype=np.float32)  # every element is written exactly once
    df = np.ascontiguousarray(dout).reshape(-1)
    af = np.ascontiguousarray(argmax).reshape(-1)
    dxf = dx.reshape(-1)
    compiled = (jit.pool_kernels().max_pool_2x2_backward if size == 2
                else jit.kernels().max_pool_3x3_backward)
    per_plane = H_out * W_out

    def part(start: int, stop: int) -> None:
        compiled(df[start * per_plane:stop * per_plane], af[start * per_plane:stop * per_plane],
                 H, W, H_out, W_out, dxf[start * H * W:stop * H * W])

    _run(full_shape, dx.itemsize, part)
    return dx


def max_pool_backward(dout: np.ndarray, argmax: np.ndarray, x_shape: tuple[int, ...],
                      dtype: np.dtype, pool_height: int, pool_width: int,
                      stride: int, full_shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Gradient of max pooling (matches ``layers.pool.max_pool_backward_naive``).

    Each window passes dout to ONE element: the first maximum in row-major order, recorded in
    ``argmax`` by ``max_pool_forward``. For each window offset k, dout * (argmax == k) goes to
    the elements at offset k of every window: one multiply per offset, written (reshape path)
    or added (general path: overlapping windows add up, gaps stay zero) through a strided view
    of dx. Returns dx of shape ``x_shape`` and dtype ``dtype`` (the input's). Chunks of planes
    run in the kernels' threads, as in ``max_pool_forward``; windows never cross planes, so
    no two threads write the same element.

    Assumes argmax came from ``max_pool_forward`` with these sizes, and dout has its shape. The
    other elements of a window get dout * 0, which is NaN where dout is infinite.

    ``full_shape`` (N, C, H', W'), H' >= H and W' >= W: return instead the gradient of an
    array of that shape whose top-left crop [:, :, :H, :W] was pooled (nn.MaxPool2d's), zeros
    in the other rows and columns; the same as ``uncrop(max_pool_backward(...), full_shape)``.
    With the compiled kernels on (float32 dout and dtype, 2x2 or 3x3 tiles) one compiled pass
    per chunk of planes writes that whole array, gradient and zeros
    (``_numba_pool.max_pool_2x2_backward``, ``_numba.max_pool_3x3_backward``), the same
    numbers bit for bit.
    """
    full_shape = tuple(x_shape) if full_shape is None else tuple(full_shape)
    if not holds(full_shape, x_shape):
        # (the compiled pass writes full_shape's planes: a smaller one would overflow dx)
        raise ValueError(f"max_pool_backward: full_shape {full_shape} must be (N, C, H', W') "
                         f"with x's N and C and H' >= H, W' >= W; x_shape is {tuple(x_shape)}")
    if (_compiled_tiles(pool_height, pool_width, stride, tuple(x_shape), dout.dtype, dtype)
            and argmax.dtype == np.uint8 and dout.shape == argmax.shape
            and (stride == 3 or jit.pool_kernels() is not None)):
        return _max_pool_backward_compiled(dout, argmax, stride, full_shape)
    dx = _max_pool_backward_numpy(dout, argmax, x_shape, dtype, pool_height, pool_width, stride)
    return dx if full_shape == dx.shape else uncrop(dx, full_shape)


def _max_pool_backward_numpy(dout: np.ndarray, argmax: np.ndarray, x_shape: tuple[int, ...],
                             dtype: np.dtype, pool_height: int, pool_width: int,
                             stride: int) -> np.ndarray:
    """max_pool_backward's NumPy code: dx of x_shape, one multiply per window offset."""
    reshape_path = tiles(x_shape, pool_height, pool_width, stride)
    if reshape_path:
        dx = np.empty(x_shape, dtype=dtype)  # every element is written exactly once below
    else:
        dx = np.zeros(x_shape, dtype=dtype)  # overlaps add up, gaps stay zero
    dx_win = windows(_planes(dx), pool_height, pool_width, stride, writeable=True)
    dout_p, argmax_p = _planes(dout), _planes(argmax)

    def part(start: int, stop: int) -> None:
        d, am, dw = dout_p[start:stop], argmax_p[start:stop], dx_win[start:stop]
        here = np.empty(am.shape, dtype=bool)
        grad = None if reshape_path else np.empty(am.shape, dtype=dtype)
        for k in range(pool_height * pool_width):
            np.equal(am, k, out=here)
            # dout * here rather than a masked copy, for the reason max_pool_forward gives.
            target = dw[..., k // pool_width, k % pool_width]
            if reshape_path:
                np.multiply(d, here, out=target)
            else:
                np.multiply(d, here, out=grad)
                target += grad

    _run(x_shape, np.dtype(dtype).itemsize, part)
    return dx


def avg_pool_forward(x: np.ndarray, pool_height: int, pool_width: int,
                     stride: int) -> np.ndarray:
    """Mean of each window (matches ``layers.pool.avg_pool_forward_naive``); dtype of x.

    Sums the window offsets into one (N, C, H_out, W_out) array, then divides by the window's
    size, in the dtype of x. Chunks of planes in the kernels' threads, as max_pool_forward.
    """
    win = windows(_planes(x), pool_height, pool_width, stride)
    out = np.empty(win.shape[:4], dtype=x.dtype)

    def part(start: int, stop: int) -> None:
        w, o = win[start:stop], out[start:stop]
        np.copyto(o, w[..., 0, 0])
        for a in range(pool_height):
            for b in range(pool_width):
                if a or b:
                    np.add(o, w[..., a, b], out=o)
        o /= pool_height * pool_width

    _run(x.shape, x.itemsize, part)
    return out.reshape(x.shape[:2] + out.shape[2:])


def avg_pool_backward(dout: np.ndarray, x_shape: tuple[int, ...], dtype: np.dtype,
                      pool_height: int, pool_width: int, stride: int) -> np.ndarray:
    """Gradient of average pooling (matches ``layers.pool.avg_pool_backward_naive``).

    Every element of a window gets dout / (pool_height * pool_width) from that window. Returns dx
    of shape ``x_shape`` and dtype ``dtype`` (the input's). Assumes dout has the output's shape.
    Chunks of planes in the kernels' threads, as max_pool_backward.
    """
    reshape_path = tiles(x_shape, pool_height, pool_width, stride)
    # One strided copy per offset; broadcasting share over the blocks in a single copy is
    # about twice as slow (its innermost loop runs over pool_width elements only).
    if reshape_path:
        dx = np.empty(x_shape, dtype=dtype)  # every element is written exactly once below
    else:
        dx = np.zeros(x_shape, dtype=dtype)  # overlaps add up, gaps stay zero
    dx_win = windows(_planes(dx), pool_height, pool_width, stride, writeable=True)
    dout_p = _planes(dout)

    def part(start: int, stop: int) -> None:
        share = (dout_p[start:stop] / (pool_height * pool_width)).astype(dtype, copy=False)
        dw = dx_win[start:stop]
        for a in range(pool_height):
            for b in range(pool_width):
                if reshape_path:
                    dw[..., a, b] = share
                else:
                    dw[..., a, b] += share

    _run(x_shape, np.dtype(dtype).itemsize, part)
    return dx


def holds(full_shape: tuple[int, ...], x_shape: tuple[int, ...]) -> bool:
    """True when full_shape is (N, C, H', W') with x_shape's N and C, H' >= H and W' >= W:
    an array x_shape is the top-left crop of (``max_pool_backward``'s full_shape)."""
    return (len(full_shape) == 4 and tuple(full_shape[:2]) == tuple(x_shape[:2])
            and full_shape[2] >= x_shape[2] and full_shape[3] >= x_shape[3])


def uncrop(dx: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """dx (N, C, Hc, Wc) in the top-left corner of zeros of shape (N, C, H, W), H >= Hc, W >= Wc.

    The gradient of a crop x[:, :, :Hc, :Wc] (``convnp.nn.MaxPool2d`` drops the rows and columns
    that no window reads): a new array of dx's dtype, filled plane by plane in the kernels'
    threads.
    """
    N, C, Hc, Wc = dx.shape
    full = np.empty(shape, dtype=dx.dtype)
    full_p, dx_p = _planes(full), _planes(dx)

    def part(start: int, stop: int) -> None:
        f = full_p[start:stop, 0]
        f[:, :Hc, :Wc] = dx_p[start:stop, 0]
        f[:, :Hc, Wc:] = 0
        f[:, Hc:] = 0

    _run(shape, dx.itemsize, part)
    return full
