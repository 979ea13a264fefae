"""Numeric gradients by centred differences, and the relative error used to compare them.

Same names, arguments and semantics as the course's ``cs231n/gradient_check.py``. Run checks in
float64: with float32 the rounding error of f swamps a step of h = 1e-5. Each function perturbs
one entry of ``x`` in place at a time and restores it exactly before it returns.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _validate


def rel_error(x, y) -> float:
    """Largest elementwise relative error, max |x - y| / max(1e-8, |x| + |y|).

    Inputs:
    - x, y: arrays (or numbers) of the same shape

    Returns a float; 0 for identical inputs. The 1e-8 floor keeps two zeros from dividing 0 by 0.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"rel_error: x and y must have the same shape; "
                         f"got {x.shape} and {y.shape}")
    if x.size == 0:
        return 0.0
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def eval_numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, verbose: bool = True,
                            h: float = 1e-5) -> np.ndarray:
    """Numeric gradient of a scalar function f at x, (f(x + h) - f(x - h)) / 2h per entry.

    Inputs:
    - f: a function of one argument (x) returning a number
    - x: the point to evaluate the gradient at, a float array of any shape; modified in place
      during the call and restored
    - verbose: if True, print each index and its gradient (as the course does)
    - h: the step, default 1e-5

    Returns:
    - grad: array of the shape and dtype of x
    """
    _validate.array(x, "x", "eval_numerical_gradient")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad[ix] = (fxph - fxmh) / (2 * h)
        if verbose:
            print(ix, grad[ix])
        it.iternext()
    return grad


def eval_numerical_gradient_array(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                                  df: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Numeric gradient of sum(f(x) * df) with respect to x, for an array-valued f.

    This is the backward pass of f by centred differences: df is the upstream gradient.

    Inputs:
    - f: a function of one argument (x) returning an array of the shape of df
    - x: float array of any shape; modified in place during the call and restored
    - df: upstream gradient, of the shape of f(x)
    - h: the step, default 1e-5

    Returns:
    - grad: array of the shape and dtype of x
    """
    fn = "eval_numerical_gradient_array"
    _validate.array(x, "x", fn)
    df = np.asarray(df)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        pos = np.array(f(x), copy=True)
        x[ix] = oldval - h
        neg = np.array(f(x), copy=True)
        x[ix] = oldval
        if pos.shape != df.shape:
            raise ValueError(f"{fn}: f(x) has shape {pos.shape} but df has shape {df.shape}")
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
        it.iternext()
    return grad


def grad_check_sparse(f: Callable[[np.ndarray], float], x: np.ndarray, analytic_grad: np.ndarray,
                      num_checks: int = 10, h: float = 1e-5, rng: np.random.Generator | None = None,
                      verbose: bool = True) -> list[float]:
    """Compare the analytic gradient with the numeric one at ``num_checks`` random entries.

    Inputs:
    - f: a function of one argument (x) returning a number
    - x: float array; modified in place during the call and restored
    - analytic_grad: the gradient to check, of the shape of x
    - num_checks: how many random entries to check
    - h: the step, default 1e-5
    - rng: numpy Generator that picks the entries (convnp addition; a fresh unseeded one if None)
    - verbose: print one line per entry, as the course does (convnp addition)

    Returns the list of relative errors, one per entry (the course returns None and only prints).
    """
    fn = "grad_check_sparse"
    _validate.array(x, "x", fn)
    _validate.shape(np.asarray(analytic_grad), x.shape, "analytic_grad", fn, "the shape of x")
    _validate.integer(num_checks, "num_checks", fn, minimum=1)
    rng = np.random.default_rng() if rng is None else rng
    errors = []
    for _ in range(num_checks):
        ix = tuple(int(rng.integers(m)) for m in x.shape)
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad_numerical = (fxph - fxmh) / (2 * h)
        grad_analytic = analytic_grad[ix]
        denom = abs(grad_numerical) + abs(grad_analytic)
        error = abs(grad_numerical - grad_analytic) / denom if denom > 0 else 0.0
        errors.append(float(error))
        if verbose:
            print(f"numerical: {grad_numerical:f} analytic: {grad_analytic:f}, "
                  f"relative error: {error:e}")
    return errors


def layer_rel_errors(forward: Callable, backward: Callable, inputs: list[np.ndarray],
                     names: list[str | None], rng: np.random.Generator | None = None,
                     h: float = 1e-5) -> dict[str, float]:
    """Check a forward/backward pair against numeric gradients; return each input's rel_error.

    convnp addition: the loop the course's notebooks write out for every layer.

    Inputs:
    - forward: function of the arrays in ``inputs`` (in order) returning (out, cache)
    - backward: function (dout, cache) returning the gradients in the order of ``inputs``
      (a single array is read as a 1-tuple)
    - inputs: list of float arrays (use float64), perturbed in place by the check and restored
    - names: a name per input, used as the key of the result; None skips that input
    - rng: draws the random upstream gradient dout (a fresh unseeded one if None)
    - h: the step of the centred differences

    Returns a dict {name: rel_error(analytic, numeric)} in the order of ``inputs``.
    """
    fn = "layer_rel_errors"
    if len(names) != len(inputs):
        raise ValueError(f"{fn}: names must have one entry per input ({len(inputs)}); "
                         f"got {len(names)}")
    rng = np.random.default_rng() if rng is None else rng
    out, cache = forward(*inputs)
    dout = rng.standard_normal(out.shape).astype(out.dtype)
    grads = backward(dout, cache)
    if not isinstance(grads, tuple):
        grads = (grads,)
    errors = {}
    for x, name, grad in zip(inputs, names, grads):
        if name is None:
            continue
        num = eval_numerical_gradient_array(lambda _: forward(*inputs)[0], x, dout, h=h)
        errors[name] = rel_error(grad, num)
    return errors
