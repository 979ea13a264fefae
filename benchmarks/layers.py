"""Time convnp's fast layers side by side with PyTorch on the CPU, in one process.

    python benchmarks/layers.py [--repeats 15] [--threads 2] [--markdown] [--only conv]

float32, the same shapes and the same number of threads for both libraries. Each cell is the
median of ``--repeats`` timed runs; the two libraries take turns, five repeats at a time after
a pause and an untimed call (``_machine.alternating_ms`` says why), so that the drifts of a
shared machine fall on both alike. PyTorch's backward is
``out.backward(dout)`` after an untimed forward. The ratio is convnp's time over PyTorch's
(below 1 means convnp is faster). GFLOP/s for a convolution counts 2*N*F*H_out*W_out*C*HH*WW
multiply-adds per pass (forward, dx and dw: three passes); the column's header gives NumPy's
float32 GEMM on the same machine, measured at the start (``_machine.gemm_gflops``: about 205
GFLOP/s on the 2-core zen5 of benchmarks/RESULTS.md, 137 on the zen3), to read it against.
The softmax loss computes its gradient in the same call in convnp (``softmax_loss``), so its
convnp row has the whole time under forward.

glibc's malloc hands big freed buffers back to the OS and page-faults them in again on the next
call, which moves PyTorch's timings by up to 2.5x from run to run; so this script re-executes
itself with MALLOC_MMAP_THRESHOLD_=2000000000 MALLOC_TRIM_THRESHOLD_=4000000000 (both libraries
see the same setting). Needs the ``bench`` extra (torch, threadpoolctl).

NumPy's OpenBLAS chooses its kernels by CPU at load time, and OPENBLAS_CORETYPE overrides the
choice (this project's machines set OPENBLAS_CORETYPE=Haswell in their environment). The header
prints the kernels in use; ``OPENBLAS_CORETYPE=SkylakeX python benchmarks/layers.py`` measures
with the AVX-512 kernels (only on a CPU that has AVX-512).
"""

from __future__ import annotations

import argparse
import sys
import time

import _machine
from _machine import alternating_ms, header, reexec_with_malloc_env, render, set_threads

reexec_with_malloc_env()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import convnp.nn  # noqa: E402
from convnp import layers as L  # noqa: E402
from convnp.kernels import gelu as gelu_kernels  # noqa: E402
from convnp.kernels import relu as relu_kernels  # noqa: E402

CONV_SHAPES = [  # (x shape, w shape, stride, pad)
    ((128, 3, 32, 32), (32, 3, 3, 3), 1, 1),
    ((128, 64, 16, 16), (64, 64, 3, 3), 1, 1),
    ((128, 128, 8, 8), (128, 128, 3, 3), 1, 1),
    ((128, 64, 32, 32), (64, 64, 3, 3), 1, 1),
    ((128, 64, 16, 16), (128, 64, 3, 3), 2, 1),
    ((128, 64, 16, 16), (128, 64, 1, 1), 1, 0),
]
# The course's layer wants H + 2 * pad - HH divisible by the stride (15 is not, above); the
# models' stride-2 convs go through convnp.nn.Conv2d, which rounds down as PyTorch does, so
# such rows time that module's forward and backward.
POOL_SHAPE = (128, 64, 32, 32)
BN_SHAPE = (128, 64, 32, 32)
SOFTMAX_SHAPES = [(128, 10), (128, 1000)]


def bench_pair(np_forward, np_backward, torch_forward, inputs_np, inputs_torch, repeats):
    """Median ms of (convnp fwd, convnp bwd, torch fwd, torch bwd) for one op."""
    out, cache = np_forward(*inputs_np)
    dout = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    tdout = torch.from_numpy(dout)

    def torch_fwd():
        with torch.no_grad():
            torch_forward(*inputs_torch)

    def torch_bwd():
        for t in inputs_torch:
            t.grad = None
        tout = torch_forward(*inputs_torch)
        start = time.perf_counter()
        tout.backward(tdout)
        return time.perf_counter() - start

    (nf, nb), (tf, tb) = alternating_ms([[lambda: np_forward(*inputs_np),
                                          lambda: np_backward(dout, cache)],
                                         [torch_fwd, torch_bwd]], repeats)
    return nf, nb, tf, tb


def bench_softmax(x, y, repeats):
    tx = torch.from_numpy(x.copy()).requires_grad_(True)
    ty = torch.from_numpy(y)

    def torch_fwd():
        with torch.no_grad():
            F.cross_entropy(tx, ty)

    def torch_bwd():
        tx.grad = None
        loss = F.cross_entropy(tx, ty)
        start = time.perf_counter()
        loss.backward()
        return time.perf_counter() - start

    ((nf,), (tf, tb)) = alternating_ms([[lambda: L.softmax_loss(x, y)], [torch_fwd, torch_bwd]],
                                       repeats)
    return nf, 0.0, tf, tb


def tensors(*arrays):
    return [torch.from_numpy(a.copy()).requires_grad_(True) for a in arrays]


def run(repeats: int, only: str | None):
    rng = np.random.default_rng(0)
    rows = []

    def randn(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    if only in (None, "conv"):
        for x_shape, w_shape, stride, pad in CONV_SHAPES:
            x, w, b = randn(*x_shape), randn(*w_shape), randn(w_shape[0])
            N, _, H, W = x_shape
            Fo, C, HH, WW = w_shape
            op = "conv"
            if (H + 2 * pad - HH) % stride or (W + 2 * pad - WW) % stride:
                op = "nn.Conv2d"
                m = convnp.nn.Conv2d(C, Fo, (HH, WW), stride=stride, padding=pad)
                m.weight, m.bias = w, b
                np_fwd, np_bwd = (lambda x, w, b: (m(x), None)), (lambda d, _: m.backward(d))
            else:
                param = {"stride": stride, "pad": pad}
                np_fwd = lambda x, w, b: L.conv_forward_fast(x, w, b, param)  # noqa: E731
                np_bwd = L.conv_backward_fast
            times = bench_pair(np_fwd, np_bwd,
                               lambda x, w, b: F.conv2d(x, w, b, stride=stride, padding=pad),
                               [x, w, b], tensors(x, w, b), repeats)
            H_out = 1 + (H + 2 * pad - HH) // stride
            W_out = 1 + (W + 2 * pad - WW) // stride
            flops = 3 * 2 * N * Fo * H_out * W_out * C * HH * WW
            label = f"x{x_shape} w{w_shape} s{stride} p{pad}"
            rows.append((op, label, *times, flops))

    if only in (None, "pool"):
        x = randn(*POOL_SHAPE)
        param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        for name, fwd, bwd, tfn in [
                ("max_pool", L.max_pool_forward_fast, L.max_pool_backward_fast, F.max_pool2d),
                ("avg_pool", L.avg_pool_forward_fast, L.avg_pool_backward_fast, F.avg_pool2d)]:
            times = bench_pair(lambda x: fwd(x, param), bwd, lambda x: tfn(x, 2, 2),
                               [x], tensors(x), repeats)
            rows.append((name, f"2x2/2 on {POOL_SHAPE}", *times, None))

    if only in (None, "norm"):
        x, gamma, beta = randn(*BN_SHAPE), randn(BN_SHAPE[1]), randn(BN_SHAPE[1])
        times = bench_pair(
            lambda x, g, b: L.spatial_batchnorm_forward(x, g, b, {"mode": "train"}),
            L.spatial_batchnorm_backward,
            lambda x, g, b: F.batch_norm(x, None, None, g, b, training=True),
            [x, gamma, beta], tensors(x, gamma, beta), repeats)
        rows.append(("batchnorm2d", f"train on {BN_SHAPE}", *times, None))

    if only in (None, "relu"):
        x = randn(*BN_SHAPE)
        # nn.ReLU's kernel; the course's layers.relu_forward stays the plain reference.
        times = bench_pair(lambda x: (lambda out: (out, out))(relu_kernels.relu_forward(x)),
                           relu_kernels.relu_backward, F.relu, [x], tensors(x), repeats)
        rows.append(("relu", f"{BN_SHAPE}", *times, None))

    if only in (None, "gelu"):
        # nn.GELU's float32 kernel against PyTorch's exact (erf) GELU.
        x = randn(*BN_SHAPE)
        def gelu_forward(x):
            out, cdf = gelu_kernels.gelu_forward(x)
            return out, (x, cdf)

        times = bench_pair(gelu_forward, lambda d, c: gelu_kernels.gelu_backward(d, *c),
                           F.gelu, [x], tensors(x), repeats)
        rows.append(("gelu", f"{BN_SHAPE}", *times, None))

    if only in (None, "softmax"):
        for shape in SOFTMAX_SHAPES:
            x = randn(*shape)
            y = rng.integers(0, shape[1], shape[0])
            rows.append(("softmax_loss", f"{shape}", *bench_softmax(x, y, repeats), None))
    return rows


def table(rows, markdown: bool, gemm: float) -> str:
    head = ["op", "shape", "convnp fwd ms", "torch fwd ms", "convnp bwd ms", "torch bwd ms",
            "ratio fwd+bwd", f"convnp GFLOP/s (GEMM {gemm:.0f})", "torch GFLOP/s"]
    lines = []
    for op, label, nf, nb, tf, tb, flops in rows:
        gflops = ("", "") if flops is None else (f"{flops / (nf + nb) / 1e6:.0f}",
                                                 f"{flops / (tf + tb) / 1e6:.0f}")
        lines.append([op, label, f"{nf:.2f}", f"{tf:.2f}",
                      f"{nb:.2f}" if nb else "-", f"{tb:.2f}",
                      f"{(nf + nb) / (tf + tb):.2f}x", *gflops])
    return render(head, lines, markdown, left=2)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed runs per cell (median)")
    parser.add_argument("--threads", type=int, default=2, help="threads for both libraries")
    parser.add_argument("--only", choices=["conv", "pool", "norm", "relu", "gelu", "softmax"],
                        default=None)
    parser.add_argument("--pause", type=float, default=_machine.PAUSE,
                        help="seconds each library idles before its turn (default %(default)s)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    _machine.PAUSE = args.pause

    blas = set_threads(args.threads)
    print(header(args.threads, blas, f"float32, median of {args.repeats}, alternating blocks after "
                 f"{args.pause} s idle"))
    gemm = _machine.gemm_gflops()
    print(table(run(args.repeats, args.only), args.markdown, gemm))
    return 0


if __name__ == "__main__":
    sys.exit(main())
