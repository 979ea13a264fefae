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

These functions trust their callers (``convnp.nn.ReLU`` validates): x, out and dout are
floating arrays, dout of out's shape.
"""

from __future__ import annotations

import numpy as np

from . import threads


def relu_forward(x: np.ndarray) -> np.ndarray:
    """max(0, x) elementwise, as a new array of x's shape and dtype (the course's cache)."""
    if not x.flags.c_contiguous:  # rare in a network; the plain pass, same numbers
        return np.maximum(x, 0)
    out = np.empty_like(x)
    xf, of = x.reshape(-1), out.reshape(-1)
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

    def part(start: int, stop: int) -> None:
        np.multiply(df[start:stop], of[start:stop] > 0, out=dxf[start:stop])

    threads.parallel_chunks(dout.size, part, row_bytes=dout.itemsize)
    return dx
