"""Image-folder loading: uncached (decode every JPEG), first load (decode + write the cache),
and cached, for 1 and 2 worker processes. Medians of --repeats runs, each with a fresh cache
directory. Needs ../shared/data/cifar10-jpeg/train (50,000 CIFAR-10 JPEGs) or --root.

    python benchmarks/data.py [--root DIR] [--repeats 3] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import PIL

from convnp.data.folder import load_image_folder

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "cifar10-jpeg" / "train"


def measure(root: Path, workers: int, repeats: int) -> dict[str, float]:
    times: dict[str, list[float]] = {"uncached": [], "first load + cache": [], "cached": []}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as cache:
            os.environ["CONVNP_CACHE"] = cache
            t0 = time.perf_counter()
            load_image_folder(root, workers=workers, cache=False)
            t1 = time.perf_counter()
            X, _, _ = load_image_folder(root, workers=workers)
            t2 = time.perf_counter()
            load_image_folder(root, workers=workers)
            t3 = time.perf_counter()
        times["uncached"].append(t1 - t0)
        times["first load + cache"].append(t2 - t1)
        times["cached"].append(t3 - t2)
    return {k: statistics.median(v) for k, v in times.items()} | {"images": X.shape[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if not args.root.is_dir():
        raise SystemExit(f"benchmarks/data.py: no folder {args.root} (give --root)")
    rows = [(w, measure(args.root, w, args.repeats)) for w in (1, 2)]
    print(f"{args.root}: {rows[0][1]['images']} images; {platform.processor() or 'cpu'}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}, "
          f"Pillow {PIL.__version__}, median of {args.repeats}")
    if args.markdown:
        print("\n| workers | uncached s | first load + cache s | cached s |\n|---|---|---|---|")
    for w, r in rows:
        cells = [f"{r[k]:.2f}" for k in ("uncached", "first load + cache", "cached")]
        print(f"| {w} | " + " | ".join(cells) + " |" if args.markdown else
              f"workers={w}: " + ", ".join(f"{k} {v}s" for k, v in zip(
                  ("uncached", "first load + cache", "cached"), cells)))


if __name__ == "__main__":
    main()
