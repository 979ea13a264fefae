"""Optional compiled kernels: Numba, where it is installed, for passes NumPy needs dozens of.

An elementwise formula of many steps (GELU's erfc fit and exp: some 35 operations an element)
costs NumPy one pass over memory per step, each at about 0.15 ns an element; compiled, the
whole formula is one loop that the compiler vectorizes (AVX2 / AVX-512), about 0.6 ns an
element for GELU's forward pass against NumPy's 6 on one core. With ``numba`` importable
(``pip install 'convnp[jit]'``) the kernels that have a compiled version use it for float32;
without it, or with the environment variable ``CONVNP_JIT=0``, they run their NumPy code, which
stays the tested reference for the compiled one (tests/kernels/test_jit.py holds the two to the
same accuracy contract). float64 never takes the compiled path.

The compiled functions live in ``convnp.kernels._numba``, imported on first use (compiling
there takes a few seconds the first time; Numba caches the machine code next to the module, or
in NUMBA_CACHE_DIR, for the next process). They work on contiguous 1-d float32 arrays, release
the GIL, and are called per chunk from ``convnp.kernels.threads``, so the results do not depend
on the thread count.
"""

from __future__ import annotations

import importlib.util
import os

ENV = "CONVNP_JIT"
_numba_installed: bool | None = None


def enabled() -> bool:
    """True when the compiled kernels are in use: numba is installed and CONVNP_JIT is not 0.

    The environment variable is read at every call, so a test (or a user) can switch the
    compiled path off and on in one process.
    """
    global _numba_installed
    if os.environ.get(ENV, "1").strip() == "0":
        return False
    if _numba_installed is None:
        _numba_installed = importlib.util.find_spec("numba") is not None
    return _numba_installed


def kernels():
    """The module of compiled kernels (``convnp.kernels._numba``); compiles them on first use.

    Raises ImportError when numba is not installed: callers check ``enabled()`` first.
    """
    from . import _numba
    return _numba


def describe() -> str:
    """'numba X.Y.Z' when the compiled kernels are in use, else why not (for reports)."""
    if os.environ.get(ENV, "1").strip() == "0":
        return f"off ({ENV}=0)"
    if not enabled():
        return "off (numba not installed)"
    import numba
    return f"numba {numba.__version__}"
