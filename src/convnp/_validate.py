"""Input checks for the public entry points of convnp.

Every public function calls one of these at its top, so the layers themselves read like the
course. A message says which function, which argument, what it expected and what it got, and the
arithmetic when a size does not work out. ``ValueError`` for shapes, values, keys and modes;
``TypeError`` for the wrong kind of object. Kernels never call these: their callers have.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping

import numpy as np


def array(x, name: str, fn: str, ndim: int | Iterable[int] | None = None,
          min_ndim: int | None = None) -> np.ndarray:
    """Check that ``x`` is a floating-point ndarray of the wanted rank and return it."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{fn}: {name} must be a numpy.ndarray; got {type(x).__name__}")
    # float16 and longdouble would pass np.floating, but no kernel is tested for them.
    if x.dtype not in (np.float32, np.float64):
        raise TypeError(f"{fn}: {name} must be a floating-point array (float32 or float64); "
                        f"got dtype {x.dtype}")
    if ndim is not None:
        wanted = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if x.ndim not in wanted:
            shape_words = " or ".join(f"{d}-D" for d in wanted)
            raise ValueError(f"{fn}: {name} must be {shape_words}; got shape {x.shape}")
    if min_ndim is not None and x.ndim < min_ndim:
        raise ValueError(f"{fn}: {name} must have at least {min_ndim} dimensions; "
                         f"got shape {x.shape}")
    return x


def float_dtype(dtype, fn: str) -> np.dtype:
    """``np.dtype(dtype)`` if it is a floating-point type, else TypeError naming the value."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{fn}: dtype must be a floating-point type such as np.float32 or "
                        f"np.float64; got {dtype!r}") from None
    if dt not in (np.float32, np.float64):  # the dtypes array() accepts
        raise TypeError(f"{fn}: dtype must be a floating-point type such as np.float32 or "
                        f"np.float64; got {dt}")
    return dt


def generator(rng, fn: str, seed=None, required: bool = False) -> np.random.Generator:
    """``rng`` itself, or ``np.random.default_rng(seed)`` for None (unseeded when seed is None).

    TypeError for anything but a numpy Generator or None, and for None too if ``required``.
    """
    if required and not isinstance(rng, np.random.Generator):
        raise TypeError(f"{fn}: rng must be a numpy.random.Generator (np.random.default_rng("
                        f"seed)); got {type(rng).__name__}")
    if rng is None:
        return np.random.default_rng(seed)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{fn}: rng must be a numpy.random.Generator or None; got "
                        f"{type(rng).__name__} (make one with np.random.default_rng(seed))")
    return rng


def shape(x: np.ndarray, wanted: tuple, name: str, fn: str, context: str = "") -> None:
    """Check ``x.shape == wanted``; ``context`` names where the wanted shape comes from."""
    if x.shape != tuple(wanted):
        extra = f" ({context})" if context else ""
        raise ValueError(f"{fn}: {name} must have shape {tuple(wanted)}{extra}; got {x.shape}")


def same_shape(dout: np.ndarray, expected: tuple, fn: str, name: str = "dout") -> np.ndarray:
    """Check an upstream gradient against the shape the forward pass produced."""
    if not isinstance(dout, np.ndarray):
        raise TypeError(f"{fn}: {name} must be a numpy.ndarray; got {type(dout).__name__}")
    if dout.shape != tuple(expected):
        raise ValueError(f"{fn}: {name} must have the forward output's shape {tuple(expected)}; "
                         f"got {dout.shape}")
    return dout


def keys(d, name: str, fn: str, required: Iterable[str] = (),
         optional: Iterable[str] = ()) -> Mapping:
    """Check that dict ``d`` has every required key and no key outside required + optional."""
    if not isinstance(d, Mapping):
        raise TypeError(f"{fn}: {name} must be a dict; got {type(d).__name__}")
    required, optional = tuple(required), tuple(optional)
    missing = [k for k in required if k not in d]
    if missing:
        raise ValueError(f"{fn}: {name} is missing key(s) {missing}; it needs {list(required)}")
    unknown = sorted(str(k) for k in d if k not in required and k not in optional)
    if unknown:
        raise ValueError(f"{fn}: {name} has unknown key(s) {unknown}; valid keys are "
                         f"{sorted(required + optional)}")
    return d


def integer(value, name: str, fn: str, minimum: int | None = None) -> int:
    """Check that ``value`` is an integer (not a bool) of at least ``minimum``; return it as int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{fn}: {name} must be an int; got {value!r} ({type(value).__name__})")
    if minimum is not None and value < minimum:
        raise ValueError(f"{fn}: {name} must be >= {minimum}; got {value}")
    return int(value)


def real(value, name: str, fn: str, low: float | None = None, high: float | None = None,
         low_open: bool = False, high_open: bool = False) -> float:
    """Check that ``value`` is a real number inside the given (open or closed) bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a number; got {value!r} ({type(value).__name__})")
    value = float(value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high or np.isnan(value):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        left = "(" if low_open or low is None else "["
        right = ")" if high_open or high is None else "]"
        interval = f"{left}{lo}, {hi}{right}"
        raise ValueError(f"{fn}: {name} must be in {interval}; got {value:g}")
    return value


def mode(value, name: str, fn: str, choices: Iterable[str] = ("train", "test")) -> str:
    choices = tuple(choices)
    if value not in choices:
        raise ValueError(f"{fn}: {name} must be one of {list(choices)}; got {value!r}")
    return value


def window(size_in: int, kernel: int, stride: int, pad: int | None, fn: str, dim: str,
           kernel_name: str) -> int:
    """Output size of a sliding window along one axis, or ValueError showing the arithmetic.

    ``dim`` is the axis letter ('H' or 'W'), ``kernel_name`` the name of the window's extent
    ('HH', 'pool_height', ...). ``pad=None`` means the op has no padding (pooling).
    """
    if pad is None:
        span, formula = size_in - kernel, f"{dim} - {kernel_name}"
        values = f"{dim}={size_in}, {kernel_name}={kernel}"
    else:
        span, formula = size_in + 2 * pad - kernel, f"{dim} + 2*pad - {kernel_name}"
        values = f"{dim}={size_in}, pad={pad}, {kernel_name}={kernel}"
    if span < 0:
        raise ValueError(f"{fn}: the window does not fit: {formula} = {span} is negative "
                         f"({values})")
    if span % stride:
        raise ValueError(f"{fn}: {formula} = {span} is not divisible by stride {stride} "
                         f"({values})")
    return 1 + span // stride


def conv_inputs(x, w, b, conv_param, fn: str) -> tuple[int, int, int, int]:
    """Validate conv layer inputs; return ``(stride, pad, H_out, W_out)``."""
    array(x, "x", fn, ndim=4)
    array(w, "w", fn, ndim=4)
    array(b, "b", fn, ndim=1)
    keys(conv_param, "conv_param", fn, required=("stride", "pad"))
    stride = integer(conv_param["stride"], "conv_param['stride']", fn, minimum=1)
    pad = integer(conv_param["pad"], "conv_param['pad']", fn, minimum=0)
    N, C, H, W = x.shape
    F, Cw, HH, WW = w.shape
    if Cw != C:
        raise ValueError(f"{fn}: w has {Cw} input channels but x has {C} "
                         f"(x {x.shape}, w {w.shape})")
    if b.shape != (F,):
        raise ValueError(f"{fn}: b must have shape ({F},), one bias per filter of w; "
                         f"got {b.shape} (w {w.shape})")
    H_out = window(H, HH, stride, pad, fn, "H", "HH")
    W_out = window(W, WW, stride, pad, fn, "W", "WW")
    return stride, pad, H_out, W_out


def pool_inputs(x, pool_param, fn: str) -> tuple[int, int, int, int, int]:
    """Validate pooling inputs; return ``(pool_height, pool_width, stride, H_out, W_out)``."""
    array(x, "x", fn, ndim=4)
    keys(pool_param, "pool_param", fn, required=("pool_height", "pool_width", "stride"))
    ph = integer(pool_param["pool_height"], "pool_param['pool_height']", fn, minimum=1)
    pw = integer(pool_param["pool_width"], "pool_param['pool_width']", fn, minimum=1)
    stride = integer(pool_param["stride"], "pool_param['stride']", fn, minimum=1)
    _, _, H, W = x.shape
    H_out = window(H, ph, stride, None, fn, "H", "pool_height")
    W_out = window(W, pw, stride, None, fn, "W", "pool_width")
    return ph, pw, stride, H_out, W_out


def norm_params(gamma, beta, wanted: tuple, fn: str, context: str) -> None:
    """Check gamma and beta are float arrays of shape ``wanted``."""
    for name, p in (("gamma", gamma), ("beta", beta)):
        array(p, name, fn)
        shape(p, wanted, name, fn, context)
