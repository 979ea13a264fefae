"""Spatial batch normalization on NCHW arrays, chunk by chunk in the kernels' threads.

Reference: ``convnp.layers.batchnorm``'s course form, which moves channels last, flattens to
(N * H * W, C) and runs vanilla batch norm; the tests hold these kernels equal to it to 1e-10
in float64. That form pays two full transposes each way (an element-by-element copy of the
whole activation); here x is seen as N * C rows of H * W values (one row per image and
channel, a view of NCHW), and each pass goes over chunks of rows (``threads.parallel_chunks``):
the chunks run in several threads, and a chunk's few passes run in cache.

A channel's statistic is reduced in two steps: each row is summed (or dotted) within its chunk,
into an (N, C) array, then the calling thread sums that over N. The split into rows does not
depend on the chunks, so the numbers do not depend on the number of threads. They differ from
the pre-threads kernel (np.sum and einsum over whole channels) in the last bits only.

These functions trust their callers (``convnp.layers.batchnorm`` validates): x and dout are
(N, C, H, W) floating arrays, gamma and beta (C,), eps > 0.

Compiled passes (``convnp.kernels.jit``, with numba installed), for float32 only: the per-row
passes run as one compiled loop per chunk of rows instead of a few NumPy passes each
(``_numba.batchnorm_row_statistics``: a row's sum and centred sum of squares; ``..._normalize``:
xhat and out in one pass, train and test mode; ``..._row_sums``: the backward's two row sums;
``..._train_input_grad``: train mode's dx). The per-channel combination of the rows stays the
NumPy code below, so do the chunks: rows are never split, and the results do not depend on
the thread count. The compiled row sums accumulate in float64 (rounded to float32 per row),
so they are a little more accurate than the BLAS dot's; the results differ from the NumPy
code's in the last bits (sums in another order, fused multiply-adds): within about 1e-6 of
the largest value for data whose mean is not large against its spread. With a large mean
(x = 1000 + noise) the float32 mean itself is only good to a few of its spacings (6e-5 at
1000) in either path, and xhat to that times inv_std (tests/kernels/test_norm_jit.py).
"""

from __future__ import annotations

import numpy as np

from . import jit, threads

# One dot product per row: np.vecdot (NumPy >= 2.0) calls the BLAS dot per row, about twice
# as fast as einsum's loop, and a row's sum as a dot with ones is about 2.5x faster than
# np.sum's pairwise loop (0.47 ms against 1.27 ms per 8M float32 in cache, one core). Dot
# products keep several partial sums, so they are as accurate as pairwise summation here.
if hasattr(np, "vecdot"):
    _row_dot = np.vecdot
else:  # NumPy 1.x
    def _row_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.einsum("rl,rl->r", a, np.broadcast_to(b, a.shape))


def _rows(a: np.ndarray) -> np.ndarray:
    """(N, C, H, W) -> (N * C, H * W), a view when a is C-contiguous."""
    N, C, H, W = a.shape
    return a.reshape(N * C, H * W)


def _per_row(a: np.ndarray, N: int, dtype: np.dtype) -> np.ndarray:
    """A per-channel (C,) array repeated for each image: one value per row, (N * C, 1)."""
    return np.tile(a.astype(dtype, copy=False), N)[:, None]


def _channel_total(per_row: np.ndarray, N: int) -> np.ndarray:
    """(N * C,) per-row sums -> (C,) per-channel sums, added over N in a fixed order."""
    return per_row.reshape(N, -1).sum(axis=0)


def _compiled(rows: np.ndarray, dtype: np.dtype):
    """The compiled kernels' module when they apply (float32 rows, numba in use), else None."""
    if dtype == np.float32 and rows.size > 0 and jit.enabled():
        return jit.kernels()
    return None


def _run(rows: np.ndarray, fn) -> None:
    """parallel_chunks over the rows of an (N * C, H * W) array."""
    R, L = rows.shape
    threads.parallel_chunks(R, fn, row_bytes=L * rows.itemsize)


def spatial_batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float,
                              mean: np.ndarray | None = None, var: np.ndarray | None = None):
    """Normalize each channel of x over (N, H, W), then scale by gamma and shift by beta.

    Train mode: pass mean = var = None; the batch statistics (biased variance) are computed and
    returned. Test mode: pass the running mean and var (C,), used as constants.

    Returns (out, xhat, inv_std, mean, var): out and xhat of x's shape and dtype, the others (C,).

    With the compiled kernels on and float32 x, each row's statistics take one compiled call
    and xhat and out one more, per chunk of rows (see the module docstring).
    """
    dtype = x.dtype
    N, C, H, W = x.shape
    M = N * H * W
    x2 = _rows(x)
    compiled = _compiled(x2, dtype)
    if compiled is not None:
        x2 = np.ascontiguousarray(x2)
    if mean is None:
        # Each row's sum and the sum of squares about the row's own mean, from one read of
        # the row; then Chan et al.'s pairwise update adds the rows' spread about the batch
        # mean. Centred sums, never E[x^2] - E[x]^2, which loses digits for large means.
        L = H * W
        ones = np.ones(L, dtype=dtype)
        sums = np.empty(N * C, dtype=dtype)
        squares = np.empty(N * C, dtype=dtype)

        if compiled is not None:
            def row_statistics(start: int, stop: int) -> None:
                compiled.batchnorm_row_statistics(x2[start:stop], sums[start:stop],
                                                  squares[start:stop])
        else:
            def row_statistics(start: int, stop: int) -> None:
                rows = x2[start:stop]
                sums[start:stop] = _row_dot(rows, ones)
                centred = rows - (sums[start:stop] / dtype.type(L))[:, None]
                squares[start:stop] = _row_dot(centred, centred)

        _run(x2, row_statistics)
        mean = _channel_total(sums, N) / dtype.type(M)
        spread = (sums / dtype.type(L)).reshape(N, C) - mean    # row means about the mean
        var = (_channel_total(squares, N)
               + dtype.type(L) * (spread * spread).sum(axis=0)) / dtype.type(M)
        mean_rows = _per_row(mean, N, dtype)
    else:
        mean, var = mean.astype(dtype, copy=False), var.astype(dtype, copy=False)
        mean_rows = _per_row(mean, N, dtype)
    inv_std = 1 / np.sqrt(var + dtype.type(eps))
    inv_std_rows = _per_row(inv_std, N, dtype)
    gamma_rows, beta_rows = _per_row(gamma, N, dtype), _per_row(beta, N, dtype)
    xhat = np.empty((N * C, H * W), dtype=dtype)
    out = np.empty_like(xhat)

    if compiled is not None:
        m1, s1, g1, b1 = (a[:, 0] for a in (mean_rows, inv_std_rows, gamma_rows, beta_rows))

        def normalize(start: int, stop: int) -> None:
            compiled.batchnorm_normalize(x2[start:stop], m1[start:stop], s1[start:stop],
                                         g1[start:stop], b1[start:stop], xhat[start:stop],
                                         out[start:stop])
    else:
        def normalize(start: int, stop: int) -> None:
            xh, o = xhat[start:stop], out[start:stop]
            np.subtract(x2[start:stop], mean_rows[start:stop], out=xh)
            xh *= inv_std_rows[start:stop]
            np.multiply(xh, gamma_rows[start:stop], out=o)
            o += beta_rows[start:stop]

    _run(x2, normalize)
    return out.reshape(x.shape), xhat.reshape(x.shape), inv_std, mean, var


def spatial_batchnorm_backward(dout: np.ndarray, xhat: np.ndarray, gamma: np.ndarray,
                               inv_std: np.ndarray, train: bool):
    """Gradients of spatial batch norm, the closed form of batchnorm_backward_alt per channel.

    dx = (gamma * inv_std / M) * (M * dout - sum(dout) - xhat * sum(dout * xhat)) in train mode
    (sums over N, H, W; M = N * H * W), dx = gamma * inv_std * dout in test mode.

    Returns (dx, dgamma, dbeta): dx of xhat's dtype, dgamma and dbeta of gamma's dtype.

    With the compiled kernels on and float32 dout and xhat, the two row sums take one compiled
    pass per chunk of rows, and train mode's dx another (test mode's single multiply stays
    NumPy's).
    """
    dtype = xhat.dtype
    N, C, H, W = xhat.shape
    M = N * H * W
    d2, xh2 = _rows(dout), _rows(xhat)
    compiled = _compiled(d2, dout.dtype) if dtype == dout.dtype else None
    if compiled is not None:
        d2, xh2 = np.ascontiguousarray(d2), np.ascontiguousarray(xh2)
    dbeta_rows = np.empty(N * C, dtype=dout.dtype)
    dgamma_rows = np.empty(N * C, dtype=np.result_type(dout, xhat))
    ones = np.ones(H * W, dtype=dout.dtype)

    if compiled is not None:
        def row_sums(start: int, stop: int) -> None:
            compiled.batchnorm_row_sums(d2[start:stop], xh2[start:stop], dbeta_rows[start:stop],
                                        dgamma_rows[start:stop])
    else:
        def row_sums(start: int, stop: int) -> None:
            dbeta_rows[start:stop] = _row_dot(d2[start:stop], ones)
            dgamma_rows[start:stop] = _row_dot(d2[start:stop], xh2[start:stop])

    _run(d2, row_sums)
    dbeta, dgamma = _channel_total(dbeta_rows, N), _channel_total(dgamma_rows, N)
    scale = gamma.astype(dtype, copy=False) * inv_std
    # dx = scale * dout - (scale * dgamma / M) * xhat - scale * dbeta / M
    a_rows = _per_row(scale, N, dtype)
    b_rows = _per_row(scale * dgamma / M, N, dtype)
    c_rows = _per_row(scale * dbeta / M, N, dtype)
    dx = np.empty((N * C, H * W), dtype=np.result_type(dout, dtype))

    if compiled is not None and train:
        a1, b1, c1 = a_rows[:, 0], b_rows[:, 0], c_rows[:, 0]

        def input_grad(start: int, stop: int) -> None:
            compiled.batchnorm_train_input_grad(d2[start:stop], xh2[start:stop], a1[start:stop],
                                                b1[start:stop], c1[start:stop], dx[start:stop])
    else:
        def input_grad(start: int, stop: int) -> None:
            d = dx[start:stop]
            np.multiply(d2[start:stop], a_rows[start:stop], out=d)
            if train:
                d -= xh2[start:stop] * b_rows[start:stop]
                d -= c_rows[start:stop]

    _run(d2, input_grad)
    dx = dx.reshape(xhat.shape).astype(dtype, copy=False)
    return dx, dgamma.astype(gamma.dtype, copy=False), dbeta.astype(gamma.dtype, copy=False)
