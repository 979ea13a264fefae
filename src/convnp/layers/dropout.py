"""Inverted dropout, with the course's convention: p is the probability of KEEPING a unit."""

from __future__ import annotations

import numpy as np

from .. import _validate


def dropout_forward(x: np.ndarray, dropout_param: dict):
    """Forward pass for inverted dropout.

    In train mode each unit is kept with probability p and dropped (set to zero) otherwise, and
    the kept units are scaled by 1 / p, so the expected output equals x and test mode needs no
    rescaling: at test time the layer is the identity. Note that p is the probability of keeping
    a unit, not of dropping it (the course's convention since 2021; PyTorch's Dropout(p) drops).

    Inputs:
    - x: Input data, of any shape
    - dropout_param: A dictionary with the following keys:
      - p: Dropout parameter. We keep each neuron output with probability p, 0 < p <= 1.
      - mode: 'test' or 'train'. If the mode is train, then perform dropout;
        if the mode is test, then just return (a copy of) the input.
      - seed: Seed for the random number generator. Passing seed makes this function
        deterministic: the same mask is drawn at every call (a local generator is seeded;
        the global NumPy RNG is never touched).
      - rng: (convnp addition, optional) a numpy Generator to draw the mask from; used when no
        seed is given. Without seed or rng, a fresh unseeded generator is used.

    Returns a tuple of:
    - out: Array of the same shape and dtype as x.
    - cache: tuple (dropout_param, mask). In training mode, mask is the dropout mask (already
      scaled by 1 / p, dtype of x) that was used to multiply the input; in test mode, mask is None.
    """
    fn = "dropout_forward"
    _validate.array(x, "x", fn)
    _validate.keys(dropout_param, "dropout_param", fn, required=("p", "mode"),
                   optional=("seed", "rng"))
    p = dropout_param["p"]
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)) \
            or not 0 < p <= 1:
        raise ValueError(f"{fn}: dropout_param['p'] is the probability of keeping a unit, "
                         f"in (0, 1]; got {p!r}")
    mode = _validate.mode(dropout_param["mode"], "dropout_param['mode']", fn)

    mask = None
    if mode == "train":
        if dropout_param.get("seed") is not None:
            rng = np.random.default_rng(dropout_param["seed"])
        elif dropout_param.get("rng") is not None:
            rng = dropout_param["rng"]
            if not isinstance(rng, np.random.Generator):
                raise TypeError(f"{fn}: dropout_param['rng'] must be a numpy.random.Generator; "
                                f"got {type(rng).__name__}")
        else:
            rng = np.random.default_rng()
        keep = rng.random(x.shape) < p
        mask = keep.astype(x.dtype) / x.dtype.type(p)
        out = x * mask
    else:
        out = x.copy()

    cache = (dropout_param, mask)
    return out, cache


def dropout_backward(dout: np.ndarray, cache):
    """Backward pass for inverted dropout.

    Train mode: dx = dout * mask (zero for dropped units, 1 / p for kept ones).
    Test mode: dx = dout.

    Inputs:
    - dout: Upstream derivatives, of the shape of the forward input
    - cache: (dropout_param, mask) from dropout_forward.

    Returns:
    - dx: Gradient with respect to x
    """
    dropout_param, mask = cache
    if dropout_param["mode"] == "train":
        _validate.same_shape(dout, mask.shape, "dropout_backward")
        return dout * mask
    return dout.copy()
