"""The resident memory a training step adds, convnp against PyTorch, each in a fresh process.

    python benchmarks/memory.py [--steps 3] [--runs 3] [--threads 2] [--batch 128]
                                [--optim sgd] [--only vgg] [--markdown] [--glibc-default]

For each model and library a new Python process imports the library (for convnp with the
``jit`` extra installed, also its compiled kernels: numba and LLVM take some 100 MiB, which
PyTorch's import includes for its own kernels), builds the model (for
PyTorch: ``to_torch`` of the convnp model, which is then dropped), makes the batch, runs one
untimed garbage collection and reads its resident set size (VmRSS): the idle process. Then it
resets the peak counter (``echo 5 > /proc/self/clear_refs``), runs ``--steps`` training steps
(benchmarks/train_step.py's: forward, loss, backward, optimizer update; the optimizer's state
is created in the first step, as in both libraries) and reads the peak (VmHWM). The table shows
the idle size and the peak's increase over it, each the median of ``--runs`` fresh processes
(PyTorch's increase moves by up to 40% from process to process, convnp's by a few MiB); the
ratio is convnp's increase over PyTorch's. Linux only (/proc).

Both processes run with benchmarks/layers.py's malloc settings (MALLOC_MMAP_THRESHOLD_,
MALLOC_TRIM_THRESHOLD_: freed buffers stay in the heap and are reused, not handed back to the
OS); ``--glibc-default`` runs them with glibc's defaults instead, for comparison.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys

from _machine import MALLOC_ENV, header, render, set_threads
from _steps import MODELS, RULES


def _status_kib(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/self/status")


def child(library: str, name: str, steps: int, threads: int, batch: int, rule: str) -> dict:
    """Runs in the fresh process: idle RSS, then the peak over ``steps`` steps, in MiB."""
    import numpy as np
    from _machine import set_threads
    from _steps import ConvnpStep, TorchStep, convnp_model, torch_twin

    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch, 3, 32, 32)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    if library == "torch":
        import torch
        step = TorchStep(torch_twin(convnp_model(name)), rule)
        args = (torch.from_numpy(X), torch.from_numpy(y))
    else:
        from convnp.kernels import jit
        # The compiled kernels (numba, LLVM) load now, as torch's do at import.
        if jit.enabled():
            jit.direct_kernels()
        step = ConvnpStep(convnp_model(name), rule)
        args = (X, y)
    set_threads(threads)
    gc.collect()
    idle = _status_kib("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset VmHWM to the current RSS
        reset = True
    except OSError:
        reset = False
    for _ in range(steps):
        step(*args)
    return {"idle": idle / 1024, "peak": _status_kib("VmHWM") / 1024,
            "after": _status_kib("VmRSS") / 1024, "hwm_reset": reset,
            "torch_loaded": "torch" in sys.modules}


def measure(library: str, name: str, args, env) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", library, name,
           "--steps", str(args.steps), "--threads", str(args.threads), "--batch", str(args.batch),
           "--optim", args.optim]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def median_run(library: str, name: str, args, env) -> dict:
    """The run of median increase among ``args.runs`` fresh processes ."""
    runs = sorted((measure(library, name, args, env) for _ in range(args.runs)),
                  key=lambda r: r["peak"] - r["idle"])
    return runs[len(runs) // 2]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3, help="training steps per process")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per cell (median)")
    parser.add_argument("--threads", type=int, default=2, help="threads for both libraries")
    parser.add_argument("--batch", type=int, default=128, help="images per step")
    parser.add_argument("--optim", choices=["sgd", "adam"], default="sgd")
    parser.add_argument("--only", choices=list(MODELS), action="append", help="this model only")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--glibc-default", action="store_true",
                        help="run the processes without the malloc settings")
    parser.add_argument("--child", nargs=2, metavar=("LIBRARY", "MODEL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        library, name = args.child
        print(json.dumps(child(library, name, args.steps, args.threads, args.batch,
                               args.optim)))
        return 0

    env = {k: v for k, v in os.environ.items() if k not in MALLOC_ENV}
    if not args.glibc_default:
        env.update(MALLOC_ENV)
    rows = []
    for name in args.only or MODELS:
        c, t = (median_run(lib, name, args, env) for lib in ("convnp", "torch"))
        if not (c["hwm_reset"] and t["hwm_reset"]):
            print(f"# {name}: /proc/self/clear_refs not writable: the peak may be the import's",
                  file=sys.stderr)
        rows.append((name, c, t))

    assert not any(c["torch_loaded"] for _, c, _ in rows), "the convnp process loaded torch"
    import torch  # noqa: F401  (for the header's versions)
    blas = set_threads(args.threads)
    malloc = "glibc default malloc" if args.glibc_default else "malloc settings below"
    for k in MALLOC_ENV:  # the header reports the children's setting
        os.environ.pop(k, None)
    os.environ.update({} if args.glibc_default else MALLOC_ENV)
    print(header(args.threads, blas, f"float32, batch {args.batch}, {RULES[args.optim]}, "
                 f"peak over {args.steps} steps, median of {args.runs} fresh processes, {malloc}"))
    head = ["model", "convnp idle MiB", "convnp step adds MiB", "torch idle MiB",
            "torch step adds MiB", "ratio"]
    lines = [[name, f"{c['idle']:.0f}", f"{c['peak'] - c['idle']:.0f}", f"{t['idle']:.0f}",
              f"{t['peak'] - t['idle']:.0f}",
              f"{(c['peak'] - c['idle']) / (t['peak'] - t['idle']):.2f}x"]
             for name, c, t in rows]
    print(render(head, lines, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
