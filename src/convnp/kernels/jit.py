"""Optional compiled kernels: Numba, where it is installed, for passes NumPy needs dozens of.

An elementwise formula of many steps (GELU's erfc fit and exp: some 35 operations an element)
costs NumPy one pass over memory per step; compiled, the whole formula is one loop that the
compiler vectorizes (AVX2 / AVX-512): GELU's forward pass takes about 0.65 ns an element on
one core against NumPy's 3.0 (4M floats, 2-core AMD EPYC). With ``numba`` importable (``pip
install 'convnp[jit]'``, or ``pip install '.[jit]'`` from a checkout) the kernels that have a
compiled version use it for float32 arrays; without it, or with the environment variable
``CONVNP_JIT=0``, they run their NumPy code, which stays the tested reference for the compiled
one (tests/kernels/test_jit.py and test_norm_jit.py hold the two to the same accuracy
contract). float64 never takes the compiled path. Compiled so far:

- ``gelu``: the forward and the backward, one vectorized pass each (within the last bits of
  the NumPy code's: another order of float32 operations);
- ``pool``: max pooling's forward (max and argmax) and backward on the reshape path with 2x2
  or 3x3 windows, one pass each instead of a few per window offset; bit for bit the NumPy
  code's numbers, NaN and signed zeros included. The forward reads nn.MaxPool2d's crop in
  place, the backward writes the uncropped gradient, zeros included, in the same pass;
- ``norm``: spatial batch norm's per-row passes (the rows' sums and centred sums of squares,
  xhat and out, the backward's row sums, train mode's dx), one pass each; within about 1e-6
  of the NumPy code's results (sums in another order), the per-channel combination of the
  rows being the NumPy code's;
- ``winograd``: the output transform (M -> out) and its adjoint (dout -> dM), one pass per
  image instead of two band GEMMs (``convnp.kernels._numba_winograd``;
  tests/kernels/test_winograd_jit.py).

The compiled functions live in ``convnp.kernels._numba`` and ``_numba_winograd``, imported on
first use (compiling there takes a few seconds the first time; Numba caches the machine code
for the next process in the package's ``__pycache__``, or where that is not writable in
``~/.cache/numba`` or NUMBA_CACHE_DIR; with neither writable the import fails and the NumPy
code runs, see ``enabled``). They work on C-contiguous float32 arrays (flat, or rows of an (N *
C, H * W) view), release the GIL, and are called per chunk from ``convnp.kernels.threads``, so
the results do not depend on the thread count: a chunk holds whole planes or rows, and no sum
is split between chunks.
"""

from __future__ import annotations

import importlib.util
import os
import warnings

ENV = "CONVNP_JIT"
_loaded = None              # the module convnp.kernels._numba once imported
_failure: str | None = None  # why numba is installed but could not be used


def _switched_off() -> bool:
    return os.environ.get(ENV, "1").strip() == "0"


def enabled() -> bool:
    """True when the compiled kernels are in use: numba loads and CONVNP_JIT is not 0.

    The environment variable is read at every call, so a test (or a user) can switch the
    compiled path off and on in one process. The first call with it on imports
    ``convnp.kernels._numba`` and ``_numba_winograd`` (and so compiles, or loads the cached
    machine code; a failure in either turns every compiled kernel off); if numba is
    installed but fails there (a NumPy newer than it supports, no writable cache folder,
    NUMBA_DISABLE_JIT), it warns once and the NumPy code runs from then on.
    """
    global _loaded, _failure
    if _switched_off():
        return False
    if _loaded is not None:
        return True
    if _failure is not None or importlib.util.find_spec("numba") is None:
        return False
    try:
        from . import _numba, _numba_winograd  # noqa: F401  (compiled, or loaded, here)
        if not hasattr(_numba.gelu_forward, "signatures"):  # NUMBA_DISABLE_JIT=1: plain Python
            raise RuntimeError("numba's JIT is disabled (NUMBA_DISABLE_JIT)")
    except Exception as exc:  # any failure to load or compile: fall back, once, loudly
        _failure = f"{type(exc).__name__}: {exc}"
        warnings.warn(f"convnp.kernels.jit: numba is installed but the compiled kernels could "
                      f"not be loaded ({_failure}); using the NumPy kernels", RuntimeWarning,
                      stacklevel=2)
        return False
    _loaded = _numba
    return True


def kernels():
    """The module of compiled kernels (``convnp.kernels._numba``); call ``enabled()`` first.

    Raises RuntimeError when they are not in use.
    """
    if not enabled():
        raise RuntimeError(f"convnp.kernels.jit: the compiled kernels are off: {describe()}")
    return _loaded


def winograd_kernels():
    """The compiled Winograd transforms (``convnp.kernels._numba_winograd``); call
    ``enabled()`` first. Raises RuntimeError when the compiled kernels are not in use."""
    kernels()
    from . import _numba_winograd
    return _numba_winograd


def describe() -> str:
    """'numba X.Y.Z' when the compiled kernels are available, else why not (for reports)."""
    if _switched_off():
        return f"off ({ENV}=0)"
    if not enabled():
        if _failure is not None:
            return f"off (numba failed: {_failure})"
        return "off (numba not installed)"
    import numba
    return f"numba {numba.__version__}"
