"""Typed names for the course's param dicts (documentation for readers and type checkers)."""

from __future__ import annotations

from typing import Literal, TypedDict

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.floating]


class ConvParam(TypedDict):
    """``conv_param``: the step between windows and the zero padding on every side."""

    stride: int
    pad: int


class PoolParam(TypedDict):
    """``pool_param``: the window's height and width and the step between windows."""

    pool_height: int
    pool_width: int
    stride: int


class BNParam(TypedDict, total=False):
    """``bn_param``: 'mode' is required; the running statistics are created on first use."""

    mode: Literal["train", "test"]
    eps: float
    momentum: float
    running_mean: FloatArray
    running_var: FloatArray


class DropoutParam(TypedDict, total=False):
    """``dropout_param``: 'p' is the probability of KEEPING a unit (course convention)."""

    p: float
    mode: Literal["train", "test"]
    seed: int
