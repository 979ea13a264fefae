"""Time eval-mode inference of zoo models before and after batch norm folding, in one process.

    python benchmarks/fold_bn.py [--repeats 15] [--batch 128] [--markdown]

vgg (widths 32, 64, 128) and resnet20 (width 16), CIFAR-shaped float32 input (batch, 3, 32, 32),
the model in eval mode (``model.eval(); model(X)``: batch norm on its running statistics) and
``convnp.optimize.fold_batchnorm(model)``. Each cell is the median of ``--repeats`` timed
forward passes after two warm-up passes; the two models are timed alternately, pass by pass,
so drifts of a shared machine fall on both. The speed-up is the original's median over the
folded one's. The last column is max|folded - original| / max|original| on the timed batch.

The malloc settings of benchmarks/layers.py (see its docstring) are applied here too, by
re-executing the script, so the numbers of both scripts are taken under the same allocator.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from _machine import cpu_name, reexec_with_malloc_env  # noqa: E402

reexec_with_malloc_env()

import numpy as np  # noqa: E402

from convnp import models  # noqa: E402
from convnp.optimize import fold_batchnorm  # noqa: E402

MODELS = [  # (label, zoo name, arguments)
    ("vgg (32, 64, 128)", "vgg", dict(widths=(32, 64, 128))),
    ("resnet20", "resnet", dict(depth=20, width=16)),
]


def blas_info() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "BLAS unknown (install threadpoolctl)"
    return ", ".join(f"{i['internal_api']} {i['version']} ({i.get('architecture')}, "
                     f"{i['num_threads']} threads)"
                     for i in threadpool_info() if i["user_api"] == "blas")


def median_pair_ms(f, g, repeats: int) -> tuple[float, float]:
    """Median ms of f() and of g(), timed alternately after two warm-up calls of each."""
    for _ in range(2):
        f()
        g()
    tf, tg = [], []
    for _ in range(repeats):
        for fn, times in ((f, tf), (g, tg)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(tf), 1e3 * statistics.median(tg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed passes per model")
    parser.add_argument("--batch", type=int, default=128, help="images per forward pass")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.batch, 3, 32, 32)).astype(np.float32)
    print(f"# {cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"NumPy {np.__version__}, {blas_info()}")
    print(f"# eval forward, float32, batch {args.batch}, 3x32x32, median of {args.repeats}")
    header = ("model", "BNs folded", "eval ms", "folded ms", "speed-up", "max rel diff")
    rows = []
    for label, name, kw in MODELS:
        model = models.get(name, seed=0, **kw).eval()
        folded = fold_batchnorm(model)
        n_bn = (sum(type(m).__name__.startswith("BatchNorm") for m in model.modules())
                - sum(type(m).__name__.startswith("BatchNorm") for m in folded.modules()))
        before, after = median_pair_ms(lambda: model(X), lambda: folded(X), args.repeats)
        ref = model(X)
        diff = float(np.max(np.abs(folded(X) - ref)) / np.max(np.abs(ref)))
        rows.append((label, str(n_bn), f"{before:.1f}", f"{after:.1f}", f"{before / after:.2f}x",
                     f"{diff:.1e}"))
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
        for row in (header, *rows):
            print("  ".join(c.rjust(w) if i else c.ljust(w)
                            for i, (c, w) in enumerate(zip(row, widths))))


if __name__ == "__main__":
    main()
