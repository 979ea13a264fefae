"""What every benchmark shares: the malloc settings it runs under and the CPU's name.

glibc's default malloc returns big freed buffers to the OS and page-faults them back on the next
call, which moved PyTorch's timings by up to 2.5x from run to run; the benchmarks re-execute
themselves with these thresholds raised (see benchmarks/layers.py's docstring).
"""

import os
import platform
import sys

MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "2000000000", "MALLOC_TRIM_THRESHOLD_": "4000000000"}


def reexec_with_malloc_env() -> None:
    """Re-execute this script with MALLOC_ENV set, unless it already is."""
    if any(os.environ.get(k) != v for k, v in MALLOC_ENV.items()):
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **MALLOC_ENV})


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
