"""Keep freed memory in the process, so that the next training step reuses it (glibc only).

glibc's malloc serves every allocation above M_MMAP_THRESHOLD (128 KiB to 32 MiB, adjusted as
the program runs) with a fresh mmap and hands it back to the OS when freed, and trims the top
of the heap past M_TRIM_THRESHOLD. A training step allocates and frees the same large arrays
every time (im2col matrices, activations, gradients, the kernels' per-chunk temporaries), so
each step page-faults all of them in again: on the 2-core machine of benchmarks/RESULTS.md the
full-width airbench step took 1222 ms with the defaults and 813 ms with the thresholds raised,
and a float32 GELU over 8M elements 60 ms against 14.

``hold_freed_memory()`` raises both thresholds for the whole process (mallopt), which is what
the benchmarks' ``MALLOC_MMAP_THRESHOLD_=2000000000 MALLOC_TRIM_THRESHOLD_=4000000000`` does
from the environment: freed blocks stay in the heap and the next step takes them back without
a page fault. The price is that the process keeps its peak memory until it exits, as PyTorch's
caching allocators do. ``convnp train`` (and every other ``convnp`` command) calls it at start;
a script that trains with convnp's layers may call it once at its top.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys

# mallopt's parameter numbers (glibc's malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
# The benchmarks' environment values; mallopt takes an int, so the trim threshold is the
# largest one (2 GiB: the heap is trimmed only past that much free memory at its top).
MMAP_THRESHOLD = 2_000_000_000
TRIM_THRESHOLD = 2**31 - 1
ENVIRONMENT = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")


def hold_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds for this process; True when applied.

    Returns False and changes nothing when the C library is not glibc (macOS, Windows, musl:
    their allocators differ, and nothing here is needed for correctness), or when the
    environment sets either MALLOC_MMAP_THRESHOLD_ or MALLOC_TRIM_THRESHOLD_ (glibc read
    those at start; the user's choice stands). Calling it again is harmless.
    """
    if any(name in os.environ for name in ENVIRONMENT):
        return False
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # mallopt returns 1 on success, 0 for a value it refuses.
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
