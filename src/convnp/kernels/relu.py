"""ReLU forward and backward in the kernels' threads, chunk by chunk.

Reference: ``convnp.layers.relu_forward`` (out = np.maximum(x, 0)) and ``relu_backward``
(dx = dout * (out > 0)); these kernels compute the same elements bit for bit (signed zeros and
NaN included), split over ``threads.parallel_chunks``. Two things make them faster than the
reference beyond the threads:

- np.maximum(x, 0) against a scalar takes NumPy's unvectorized loop (about 0.3 ns an element,
  the cost of the whole pass), while np.maximum of two contiguous arrays takes the SIMD one: each
  chunk is compared with a chunk of zeros that stays in cache (same results: np.maximum(-0.0,
  zeros) is +0.0 and NaN propagates, as against the scalar).
- The backward's boolean mask is made one chunk at a time, so it never goes out to memory.

With the compiled kernels on (``convnp.kernels.jit``) float32 arrays take one vectorized loop
a chunk instead (``_numba.relu_forward`` / ``relu_backward``: a select each, the same bits,
NaN and signed zeros included): the forward reads x once instead of x and the chunk of
zeros, the backward makes no mask at all. ``python benchmarks/layers.py --only relu`` times
them against PyTorch. The NumPy code stays their reference
(tests/kernels/test_threads.py, the same bits on both paths).

These functions trust their callers (``convnp.nn.ReLU`` validates): x, out and dout are
floating arrays, dout of out's shape.
"""

from __future__ import annotations

import numpy as np

from . import jit, threads


def relu_forward(x: np.ndarray) -> np.ndarray:
    """max(0, x) elementwise, as a new array of x's shape and dtype (the course's cache)."""
    if not x.flags.c_contiguous:  # rare in a network; the plain pass, same numbers
        return np.maximum(x, 0)
    out = np.empty_like(x)
    xf, of = x.reshape(-1), out.reshape(-1)
    if x.dtype == np.float32 and jit.enabled():
        compiled = jit.kernels().relu_forward

        def part(start: int, stop: int) -> None:
            compiled(xf[start:stop], of[start:stop])
    else:
        zeros = np.zeros(min(x.size, threads.CHUNK_BYTES // x.itemsize), dtype=x.dtype)

        def part(start: int, stop: int) -> None:
            np.maximum(xf[start:stop], zeros[:stop - start], out=of[start:stop])

    threads.parallel_chunks(x.size, part, row_bytes=x.itemsize)
    return out


def relu_backward(dout: np.ndarray, out: np.ndarray) -> np.ndarray:
    """dout * (out > 0) elementwise: the gradient passes where the forward's output is positive.

    out is the forward's output (or its input: both are positive at the same places). Returns
    dx of dout's shape, in np.result_type(dout, bool), that is dout's dtype.
    """
    if not (dout.flags.c_contiguous and out.flags.c_contiguous):
        return dout * (out > 0)
    dx = np.empty_like(dout)
    df, of, dxf = dout.reshape(-1), out.reshape(-1), dx.reshape(-1)

    if dout.dtype == out.dtype == np.float32 and jit.enabled():
        compiled = jit.kernels().relu_backward

        def part(start: int, stop: int) -> None:
            compiled(df[start:stop], of[start:stop], dxf[start:stop])
    else:
        def part(start: int, stop: int) -> None:
            np.multiply(df[start:stop], of[start:stop] > 0, out=dxf[start:stop])

    threads.parallel_chunks(dout.size, part, row_bytes=dout.itemsize)
    return dx
