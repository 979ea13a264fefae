"""What every benchmark shares: the malloc settings, the thread count and the header line.

glibc's default malloc returns big freed buffers to the OS and page-faults them back on the next
call, which moved PyTorch's timings by up to 2.5x from run to run; the benchmarks re-execute
themselves with these thresholds raised (see benchmarks/layers.py's docstring).
"""

import os
import platform
import statistics
import sys
import time

MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "2000000000", "MALLOC_TRIM_THRESHOLD_": "4000000000"}


def reexec_with_malloc_env() -> None:
    """Re-execute this script with MALLOC_ENV set, unless it already is; and with convnp's
    OpenBLAS spin default (convnp.BLAS_SPIN_ENV) where the environment has no value, as a
    process that imports convnp before NumPy gets (a benchmark loads NumPy first)."""
    from convnp import BLAS_SPIN_ENV
    blas = {k: os.environ.get(k, v) for k, v in BLAS_SPIN_ENV.items()}
    if any(os.environ.get(k) != v for k, v in {**MALLOC_ENV, **blas}.items()):
        os.execve(sys.executable, [sys.executable, *sys.argv],
                  {**os.environ, **MALLOC_ENV, **blas})


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def set_threads(threads: int) -> str:
    """Give NumPy's BLAS (threadpoolctl) and PyTorch, if imported, ``threads`` threads.

    Returns the BLAS libraries in use, for the header. convnp's kernels (their elementwise
    passes, ``convnp.kernels.set_num_threads``) get the same count.
    """
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
    from convnp import kernels
    kernels.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:  # NumPy's BLAS then uses its default, one thread per core
        return "BLAS unknown (install threadpoolctl)"
    threadpool_limits(threads)
    return ", ".join(f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})"
                     for i in threadpool_info() if i["user_api"] == "blas")


def gemm_gflops(repeats: int = 5, n: int = 2048) -> float:
    """NumPy's float32 GEMM on this machine, GFLOP/s: the best of ``repeats`` (n, n) @ (n, n)
    products with the BLAS threads set now (the ceiling a convolution's GFLOP/s reads against;
    about 205 on the zen5 of RESULTS.md's sessions 7-10, 137 on session 11's zen3)."""
    import numpy as np
    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    a @ a
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - start)
    return 2 * n ** 3 / best / 1e9


def header(threads: int, blas: str, what: str) -> str:
    """One comment line: machine, versions, threads, malloc and OpenBLAS settings and what is
    measured."""
    import numpy as np

    from convnp.kernels import jit
    versions = (f"python {platform.python_version()}, numpy {np.__version__} with {blas}, "
                f"convnp jit kernels {jit.describe()}")
    if "torch" in sys.modules:
        versions += f", torch {sys.modules['torch'].__version__}"
    malloc = " ".join(f"{k}={os.environ.get(k, 'unset')}" for k in MALLOC_ENV)
    openblas = " ".join(f"{k}={os.environ[k]}" for k in ("OPENBLAS_CORETYPE",
                                                         "OPENBLAS_THREAD_TIMEOUT")
                        if k in os.environ)
    return (f"# {cpu_name()}, {os.cpu_count()} cores, threads={threads}, {versions}, {what}, "
            f"{malloc}" + (f" {openblas}" if openblas else ""))


# Seconds each library idles before its turn (``alternating_ms``); ``--pause`` sets it.
PAUSE = 0.25


def alternating_ms(groups, repeats: int, block: int = 5, pause: float | None = None
                   ) -> list[list[float]]:
    """Median ms of every function of every group; the groups take turns, a block at a time.

    ``groups`` is one list of functions per library (convnp's forward and backward, say, then
    PyTorch's). Each turn sleeps ``pause`` seconds, calls each function of its group once
    untimed, then times ``block`` rounds of them; turns go round until every function has
    ``repeats`` timings. Taking turns puts the drifts of a shared machine on both libraries
    alike; the pause and the untimed call keep one library's idle threads out of the other's
    timings: OpenBLAS's threads spin for tens of milliseconds after a product (a PyTorch conv
    20 ms after a NumPy one took 6x its time on 2 cores; 200 ms after, its usual time). A
    function that returns a float is taken to have timed itself (seconds): PyTorch's backward
    is timed after an untimed forward. ``pause`` defaults to PAUSE.

    After 0.25 s idle on the 2-core machine of RESULTS.md convnp's compiled kernels ran at
    about their one-thread speed for some 60 ms (a 1x1 convolution forward + backward 2.6 +
    7.1 ms, against 1.3 + 3.6 after 20 ms idle or less), PyTorch's at their usual speed (2.1
    + 5.4 either way). A probable cause, noted by session 11's first try on that machine: it
    is a virtual machine whose kernel packs runnable threads onto few cores while the load is
    low (``sched_vcpu_pack=15`` on its command line, /proc/cmdline), so that after some idle
    time convnp's worker and the calling thread shared one core (``sched_getcpu`` of both
    showed core 0), as did OpenBLAS's spinning threads and the calling thread; PyTorch's first
    call after the pause took 8-12 ms instead of 0.14 (its OpenMP threads spin at a barrier
    until the kernel spreads them), which its untimed call absorbs. On session 11's zen3,
    with the same kernel option, the worker and the caller ran on different cores after 0.25
    s and 1 s idle (sched_getcpu per chunk), and the two pauses gave the same layer times
    within noise. With OPENBLAS_THREAD_TIMEOUT=22 OpenBLAS's threads spin some 1.2 ms, so
    ``--pause 0.02`` still keeps them out of the other library's turn.
    """
    if pause is None:
        pause = PAUSE
    times = [[[] for _ in group] for group in groups]
    while len(times[0][0]) < repeats:
        for group, group_times in zip(groups, times):
            time.sleep(pause)
            for fn in group:
                fn()
            for _ in range(min(block, repeats - len(group_times[0]))):
                for fn, t in zip(group, group_times):
                    start = time.perf_counter()
                    took = fn()
                    t.append(took if type(took) is float else time.perf_counter() - start)
    return [[1e3 * statistics.median(t) for t in group_times] for group_times in times]


def render(head: list[str], lines: list[list[str]], markdown: bool, left: int = 1) -> str:
    """A Markdown table, or fixed-width columns (the first ``left`` left-aligned)."""
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(r) + " |" for r in lines]
        return "\n".join(out)
    widths = [max(len(r[i]) for r in [head, *lines]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" if i < left else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join(fmt.format(*r) for r in [head, *lines])
