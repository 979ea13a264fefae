"""Time convnp's fast layers side by side with PyTorch on the CPU, in one process.

    python benchmarks/layers.py [--repeats 15] [--threads 2] [--markdown] [--only conv]

float32, the same shapes and the same number of threads for both libraries; each cell is the
median of ``--repeats`` timed runs after two warm-up runs. Forward and backward are timed
separately (PyTorch's backward is ``out.backward(dout)`` after an untimed forward). The ratio is
convnp's time over PyTorch's (below 1 means convnp is faster). GFLOP/s for a convolution counts
2*N*F*H_out*W_out*C*HH*WW multiply-adds per pass (forward, dx and dw: three passes).

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
import os
import platform
import statistics
import sys
import time

from _machine import MALLOC_ENV, cpu_name, reexec_with_malloc_env  # noqa: E402

reexec_with_malloc_env()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from convnp import layers as L  # noqa: E402

CONV_SHAPES = [  # (x shape, w shape, stride, pad)
    ((128, 3, 32, 32), (32, 3, 3, 3), 1, 1),
    ((128, 64, 16, 16), (64, 64, 3, 3), 1, 1),
    ((128, 128, 8, 8), (128, 128, 3, 3), 1, 1),
]
POOL_SHAPE = (128, 64, 32, 32)
BN_SHAPE = (128, 64, 32, 32)


def median_ms(fn, repeats: int) -> float:
    for _ in range(2):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def bench_pair(np_forward, np_backward, torch_forward, inputs_np, inputs_torch, repeats):
    """Median ms of (convnp fwd, convnp bwd, torch fwd, torch bwd) for one op."""
    out, cache = np_forward(*inputs_np)
    dout = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    tdout = torch.from_numpy(dout)

    np_fwd = median_ms(lambda: np_forward(*inputs_np), repeats)
    np_bwd = median_ms(lambda: np_backward(dout, cache), repeats)
    with torch.no_grad():
        t_fwd = median_ms(lambda: torch_forward(*inputs_torch), repeats)

    def torch_backward():
        for t in inputs_torch:
            t.grad = None
        tout = torch_forward(*inputs_torch)
        start = time.perf_counter()
        tout.backward(tdout)
        return time.perf_counter() - start

    for _ in range(2):
        torch_backward()
    t_bwd = 1e3 * statistics.median(torch_backward() for _ in range(repeats))
    return np_fwd, np_bwd, t_fwd, t_bwd


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
            param = {"stride": stride, "pad": pad}
            times = bench_pair(lambda x, w, b: L.conv_forward_fast(x, w, b, param),
                               L.conv_backward_fast,
                               lambda x, w, b: F.conv2d(x, w, b, stride=stride, padding=pad),
                               [x, w, b], tensors(x, w, b), repeats)
            N, _, H, W = x_shape
            Fo, C, HH, WW = w_shape
            H_out = 1 + (H + 2 * pad - HH) // stride
            W_out = 1 + (W + 2 * pad - WW) // stride
            flops = 3 * 2 * N * Fo * H_out * W_out * C * HH * WW
            label = f"x{x_shape} w{w_shape} s{stride} p{pad}"
            rows.append(("conv", label, *times, flops))

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
        times = bench_pair(L.relu_forward, L.relu_backward, F.relu, [x], tensors(x), repeats)
        rows.append(("relu", f"{BN_SHAPE}", *times, None))
    return rows


def render(rows, markdown: bool) -> str:
    head = ["op", "shape", "convnp fwd ms", "torch fwd ms", "convnp bwd ms", "torch bwd ms",
            "ratio fwd+bwd", "convnp GFLOP/s", "torch GFLOP/s"]
    lines = []
    for op, label, nf, nb, tf, tb, flops in rows:
        gflops = ("", "") if flops is None else (f"{flops / (nf + nb) / 1e6:.0f}",
                                                 f"{flops / (tf + tb) / 1e6:.0f}")
        lines.append([op, label, f"{nf:.2f}", f"{tf:.2f}", f"{nb:.2f}", f"{tb:.2f}",
                      f"{(nf + nb) / (tf + tb):.2f}x", *gflops])
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(r) + " |" for r in lines]
        return "\n".join(out)
    widths = [max(len(r[i]) for r in [head, *lines]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" if i < 2 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join(fmt.format(*r) for r in [head, *lines])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed runs per cell (median)")
    parser.add_argument("--threads", type=int, default=2, help="threads for both libraries")
    parser.add_argument("--only", choices=["conv", "pool", "norm", "relu"], default=None)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
        threadpool_limits(args.threads)
        blas = ", ".join(f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})"
                         for i in threadpool_info() if i["user_api"] == "blas")
    except ImportError:  # NumPy's BLAS then uses its default, one thread per core
        blas = "unknown (install threadpoolctl)"
    print(f"# {cpu_name()}, {os.cpu_count()} cores, threads={args.threads}, "
          f"python {platform.python_version()}, numpy {np.__version__} with {blas}, "
          f"torch {torch.__version__}, float32, median of {args.repeats}, "
          + " ".join(f"{k}={v}" for k, v in MALLOC_ENV.items())
          + (f" OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']}"
             if "OPENBLAS_CORETYPE" in os.environ else ""))
    print(render(run(args.repeats, args.only), args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
