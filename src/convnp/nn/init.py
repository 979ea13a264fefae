"""Weight initialisers, drawn from an explicit ``np.random.Generator``.

Each initialiser takes the array's shape, an ``rng`` and a ``dtype`` (float32 by default) and
returns a new array. The draw is always made in float64 and then cast, so the same generator
state gives the same weights (to rounding) in float32 and in float64. No global RNG is touched.

The formulas are torch.nn.init's: the same gains, fans, standard deviations and bounds. The
random stream is NumPy's, so the numbers differ from torch's even with the "same" seed.

Fans depend on where the input dimension sits in the weight, and the two conventions differ:
- ``layout='torch'`` (the default): ``(out, in, *kernel)``. This covers torch.nn.Linear weights
  (out_features, in_features), Conv2d weights (F, C, kh, kw) and the course's conv weights
  (F, C, HH, WW). fan_in = in * prod(kernel) and fan_out = out * prod(kernel).
- ``layout='course_affine'``: the course's affine weight (D, M) = (in, out), used as ``x @ w``.
  It must be 2-D; fan_in = D and fan_out = M. With layout='torch' the same array would get its
  fans swapped. That matters for fan_out modes and for Xavier with D != M.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .. import _validate

LAYOUTS = ("torch", "course_affine")
NONLINEARITIES = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                  "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu",
                  "leaky_relu", "selu")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity, as torch.nn.init.calculate_gain.

    ================================  ================================
    nonlinearity                      gain
    ================================  ================================
    linear, conv*d, conv_transpose*d  1
    sigmoid                           1
    tanh                              5 / 3
    relu                              sqrt(2)
    leaky_relu                        sqrt(2 / (1 + negative_slope**2))
    selu                              3 / 4
    ================================  ================================

    Inputs:
    - nonlinearity: one of the names above (torch.nn.functional names)
    - param: leaky_relu's negative_slope (a number; default 0.01). Ignored by the others.

    Returns the gain as a float. Raises ValueError for an unknown nonlinearity (listing the
    valid ones) or a negative_slope that is not a number.
    """
    fn = "calculate_gain"
    if nonlinearity not in NONLINEARITIES:
        raise ValueError(f"{fn}: unsupported nonlinearity {nonlinearity!r}; valid ones are "
                         f"{list(NONLINEARITIES)}")
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif isinstance(param, bool) or not isinstance(param, numbers.Real):
            raise ValueError(f"{fn}: param (leaky_relu's negative_slope) must be a number; "
                             f"got {param!r}")
        else:
            negative_slope = float(param)
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        # Found empirically by PyTorch: https://github.com/pytorch/pytorch/pull/50664
        return 3.0 / 4
    return 1.0


def _shape(shape, fn: str) -> tuple[int, ...]:
    """Normalise an int or a sequence of ints >= 0 to a tuple."""
    dims = (shape,) if isinstance(shape, numbers.Integral) else shape
    if not isinstance(dims, (tuple, list)) or \
            any(isinstance(d, bool) or not isinstance(d, numbers.Integral) for d in dims):
        raise TypeError(f"{fn}: shape must be an int or a tuple of ints; got {shape!r}")
    if any(d < 0 for d in dims):
        raise ValueError(f"{fn}: shape must hold ints >= 0; got {tuple(dims)}")
    return tuple(int(d) for d in dims)


def _args(shape, dtype, rng, fn: str) -> tuple[tuple[int, ...], np.dtype, np.random.Generator]:
    """The checked (shape, dtype, rng) every initialiser takes; rng is required, not None."""
    return (_shape(shape, fn), _validate.float_dtype(dtype, fn),
            _validate.generator(rng, fn, required=True))


def fan_in_and_fan_out(shape, layout: str = "torch") -> tuple[int, int]:
    """The fan-in and fan-out of a weight of the given shape.

    Inputs:
    - shape: the weight's shape, at least 2-D
    - layout: 'torch' for (out, in, *kernel), e.g. Linear (out, in) or conv (F, C, HH, WW);
      'course_affine' for the course's affine weight (D, M) = (in, out), 2-D only

    Returns (fan_in, fan_out). With layout='torch' that is (in * prod(kernel),
    out * prod(kernel)), as torch.nn.init._calculate_fan_in_and_fan_out; with
    layout='course_affine' it is (D, M).

    Raises ValueError for fewer than 2 dimensions, an unknown layout, or a 'course_affine' shape
    that is not 2-D.
    """
    fn = "fan_in_and_fan_out"
    dims = _shape(shape, fn)
    _validate.mode(layout, "layout", fn, choices=LAYOUTS)
    if len(dims) < 2:
        raise ValueError(f"{fn}: fans need a weight with at least 2 dimensions; got shape {dims}")
    if layout == "course_affine":
        if len(dims) != 2:
            raise ValueError(f"{fn}: layout 'course_affine' is the affine weight (D, M), 2-D; "
                             f"got shape {dims} (conv weights (F, C, HH, WW) use "
                             f"layout='torch')")
        return dims[0], dims[1]
    receptive = math.prod(dims[2:])
    return dims[1] * receptive, dims[0] * receptive


def _fan(dims: tuple[int, ...], mode: str, layout: str, fn: str) -> int:
    _validate.mode(mode, "mode", fn, choices=("fan_in", "fan_out"))
    fan_in, fan_out = fan_in_and_fan_out(dims, layout)
    return fan_in if mode == "fan_in" else fan_out


def _normal(rng: np.random.Generator, std: float, dims: tuple[int, ...], dt: np.dtype):
    return rng.normal(0.0, std, size=dims).astype(dt, copy=False)


def _uniform(rng: np.random.Generator, bound: float, dims: tuple[int, ...], dt: np.dtype):
    return rng.uniform(-bound, bound, size=dims).astype(dt, copy=False)


def zeros(shape, dtype=np.float32) -> np.ndarray:
    """An array of zeros (the course's and PyTorch's usual bias init). No rng needed."""
    fn = "zeros"
    return np.zeros(_shape(shape, fn), dtype=_validate.float_dtype(dtype, fn))


def gaussian(shape, weight_scale: float, rng: np.random.Generator,
             dtype=np.float32) -> np.ndarray:
    """weight_scale * N(0, 1): the course's init (``weight_scale * np.random.randn(...)``).

    Inputs:
    - shape: the array's shape (int or tuple)
    - weight_scale: the standard deviation (>= 0), e.g. 1e-3 in TwoLayerNet
    - rng: numpy Generator to draw from
    - dtype: the array's float dtype. Default float32.

    Returns a new array of the shape and dtype.
    """
    fn = "gaussian"
    dims, dt, rng = _args(shape, dtype, rng, fn)
    weight_scale = _validate.real(weight_scale, "weight_scale", fn, low=0.0)
    return (weight_scale * rng.standard_normal(dims)).astype(dt, copy=False)


def xavier_normal(shape, rng: np.random.Generator, gain: float = 1.0, layout: str = "torch",
                  dtype=np.float32) -> np.ndarray:
    """Xavier/Glorot normal: N(0, std**2), std = gain * sqrt(2 / (fan_in + fan_out)).

    As torch.nn.init.xavier_normal_ (Glorot & Bengio, 2010).

    Inputs:
    - shape: the weight's shape, at least 2-D, in the given layout
    - rng: numpy Generator to draw from
    - gain: scale factor (>= 0), e.g. calculate_gain('tanh'). Default 1.
    - layout: 'torch' (out, in, *kernel) or 'course_affine' (D, M); see the module docstring
    - dtype: the array's float dtype. Default float32.

    Returns a new array of the shape and dtype.
    """
    fn = "xavier_normal"
    dims, dt, rng = _args(shape, dtype, rng, fn)
    gain = _validate.real(gain, "gain", fn, low=0.0)
    fan_in, fan_out = fan_in_and_fan_out(dims, layout)
    if 0 in dims:
        return np.zeros(dims, dtype=dt)
    return _normal(rng, gain * math.sqrt(2.0 / (fan_in + fan_out)), dims, dt)


def xavier_uniform(shape, rng: np.random.Generator, gain: float = 1.0, layout: str = "torch",
                   dtype=np.float32) -> np.ndarray:
    """Xavier/Glorot uniform: U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out)).

    As torch.nn.init.xavier_uniform_. The standard deviation is bound / sqrt(3), the same as
    xavier_normal's.

    Inputs: as xavier_normal (shape, rng, gain=1, layout='torch', dtype=float32).

    Returns a new array of the shape and dtype.
    """
    fn = "xavier_uniform"
    dims, dt, rng = _args(shape, dtype, rng, fn)
    gain = _validate.real(gain, "gain", fn, low=0.0)
    fan_in, fan_out = fan_in_and_fan_out(dims, layout)
    if 0 in dims:
        return np.zeros(dims, dtype=dt)
    return _uniform(rng, gain * math.sqrt(6.0 / (fan_in + fan_out)), dims, dt)


def kaiming_normal(shape, rng: np.random.Generator, a: float = 0.0, mode: str = "fan_in",
                   nonlinearity: str = "leaky_relu", layout: str = "torch",
                   dtype=np.float32) -> np.ndarray:
    """Kaiming/He normal: N(0, std**2), std = calculate_gain(nonlinearity, a) / sqrt(fan).

    As torch.nn.init.kaiming_normal_ (He et al., 2015), with the same defaults: with
    nonlinearity='leaky_relu' and a=0 the gain is sqrt(2), the ReLU case.

    Inputs:
    - shape: the weight's shape, at least 2-D, in the given layout
    - rng: numpy Generator to draw from
    - a: the negative slope of the leaky ReLU that follows (used only with 'leaky_relu')
    - mode: 'fan_in' (default) keeps the variance of the activations in the forward pass;
      'fan_out' keeps the variance of the gradients in the backward pass
    - nonlinearity: 'relu', 'leaky_relu' (default), 'linear', 'tanh', 'sigmoid', ... (any
      name calculate_gain knows)
    - layout: 'torch' (out, in, *kernel) or 'course_affine' (D, M); see the module docstring
    - dtype: the array's float dtype. Default float32.

    Returns a new array of the shape and dtype.
    """
    fn = "kaiming_normal"
    dims, dt, rng = _args(shape, dtype, rng, fn)
    fan = _fan(dims, mode, layout, fn)
    gain = calculate_gain(nonlinearity, a)
    if 0 in dims:
        return np.zeros(dims, dtype=dt)
    return _normal(rng, gain / math.sqrt(fan), dims, dt)


def kaiming_uniform(shape, rng: np.random.Generator, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", layout: str = "torch",
                    dtype=np.float32) -> np.ndarray:
    """Kaiming/He uniform: U(-bound, bound), bound = sqrt(3) * calculate_gain(nonlinearity, a)
    / sqrt(fan).

    As torch.nn.init.kaiming_uniform_. The standard deviation is the same as kaiming_normal's.
    torch.nn.Linear and Conv2d initialise their weights with this, a = sqrt(5) and mode
    'fan_in'. That gives bound = 1 / sqrt(fan_in).

    Inputs: as kaiming_normal (shape, rng, a=0, mode='fan_in', nonlinearity='leaky_relu',
    layout='torch', dtype=float32).

    Returns a new array of the shape and dtype.
    """
    fn = "kaiming_uniform"
    dims, dt, rng = _args(shape, dtype, rng, fn)
    fan = _fan(dims, mode, layout, fn)
    gain = calculate_gain(nonlinearity, a)
    if 0 in dims:
        return np.zeros(dims, dtype=dt)
    return _uniform(rng, math.sqrt(3.0) * gain / math.sqrt(fan), dims, dt)


def pytorch_default(weight: np.ndarray, bias: np.ndarray | None, rng: np.random.Generator) -> None:
    """Fill weight (out, in, *kernel) and bias (out,) in place as torch.nn.Linear / Conv2d do.

    weight ~ kaiming_uniform(a=sqrt(5)) and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), which is
    U(-k, k) with k = 1 / sqrt(fan_in) for both (PyTorch keeps the a=sqrt(5) spelling; see
    https://github.com/pytorch/pytorch/issues/57109). The weight is drawn first, then the bias.
    """
    weight[...] = kaiming_uniform(weight.shape, rng, a=math.sqrt(5), dtype=weight.dtype)
    if bias is not None:
        fan_in, _ = fan_in_and_fan_out(weight.shape)
        bound = 1 / math.sqrt(fan_in)
        bias[...] = rng.uniform(-bound, bound, bias.shape)


def patch_whitening(weight: np.ndarray, X: np.ndarray, eps: float = 5e-4) -> np.ndarray:
    """Fill a conv weight (2 * C * k * k, C, k, k) in place with the whitening filters of X's
    k x k patches, and return it.

    The patches' covariance (C*k*k square, in float64) has eigenvectors v_i and eigenvalues
    l_i; filter i is v_i / sqrt(l_i + eps) (reshaped to (C, k, k)), so the conv's outputs on
    the patches are decorrelated with unit variance, and filters C*k*k.. are the same filters
    negated, so that a following GELU / ReLU keeps both signs. Largest eigenvalues first. This
    is the first layer of the CIFAR-10 speed-running networks (hlb-cifar10, airbench), whose
    weights are then kept fixed.

    Inputs:
    - weight: float array of shape (2 * C * k * k, C, k, k) (a square kernel, no padding
      assumed: the patches are every k x k window of X)
    - X: images, float, shape (N, C, H, W) with H, W >= k; a few thousand are plenty
    - eps: added to the eigenvalues (> 0), which bounds the gain of the near-constant
      directions
    """
    fn = "patch_whitening"
    _validate.array(weight, "weight", fn)
    _validate.array(X, "X", fn)
    if weight.ndim != 4 or weight.shape[2] != weight.shape[3]:
        raise ValueError(f"{fn}: weight must have shape (2*C*k*k, C, k, k); got "
                         f"{weight.shape}")
    F, C, k, _ = weight.shape
    d = C * k * k
    if F != 2 * d:
        raise ValueError(f"{fn}: weight must have 2 * C * k * k = {2 * d} filters for C={C}, "
                         f"k={k}; got {F}")
    if X.ndim != 4 or X.shape[1] != C or X.shape[2] < k or X.shape[3] < k or X.shape[0] < 1:
        raise ValueError(f"{fn}: X must have shape (N, {C}, H, W) with N >= 1 and H, W >= {k}; "
                         f"got {X.shape}")
    eps = _validate.real(eps, "eps", fn, low=0.0, low_open=True)
    windows = np.lib.stride_tricks.sliding_window_view(X, (k, k), axis=(2, 3))
    # (N, C, H', W', k, k) -> rows of C*k*k, in the conv weight's (C, k, k) order.
    patches = windows.transpose(0, 2, 3, 1, 4, 5).reshape(-1, d).astype(np.float64)
    patches = patches - patches.mean(axis=0)
    cov = patches.T @ patches / patches.shape[0]
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1]
    filters = (vectors[:, order] / np.sqrt(values[order] + eps)).T.reshape(d, C, k, k)
    weight[...] = np.concatenate([filters, -filters]).astype(weight.dtype)
    return weight


def dirac(weight: np.ndarray) -> np.ndarray:
    """Fill a conv weight (F, C, kh, kw) in place with identity filters, and return it.

    Filter i (for i < min(F, C)) is 1 at the kernel's centre for input channel i and 0
    elsewhere; filters from C on are all zeros. A same-padded conv with these weights copies
    its first min(F, C) input channels. torch.nn.init.dirac_ (groups=1) does the same. The
    CIFAR-10 speed runs (airbench) set the first C filters of each conv so, an implicit
    residual at the start of training: ``dirac(conv.weight[:conv.weight.shape[1]])`` (a view,
    filled in place) keeps the random filters after them.
    """
    fn = "dirac"
    _validate.array(weight, "weight", fn)
    if weight.ndim != 4:
        raise ValueError(f"{fn}: weight must have shape (F, C, kh, kw); got {weight.shape}")
    F, C, kh, kw = weight.shape
    weight[...] = 0
    n = min(F, C)
    weight[np.arange(n), np.arange(n), kh // 2, kw // 2] = 1
    return weight
