"""Dropout, with the course's meaning of p: the probability of KEEPING a unit."""

from __future__ import annotations

import numpy as np

from .. import _validate
from ..layers import dropout_backward, dropout_forward
from .module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Inverted dropout: in train mode each unit is KEPT with probability p, scaled by 1 / p.

    WARNING: p is the probability of KEEPING a unit, as in the course's layer
    (``convnp.layers.dropout_forward``, which this module wraps). torch.nn.Dropout(p) takes the
    probability of DROPPING one: convnp's Dropout(p=0.8) is torch.nn.Dropout(p=0.2), and the
    default Dropout() (p=0.5) is the same in both. Kept units are scaled by 1 / p, so the
    expected output equals x; in eval mode the module is the identity.

    Masks are drawn from the module's own generator ``rng``, never from NumPy's global one, so
    a module built with a seeded generator repeats its masks call for call. The mask is not
    part of the state_dict (neither is PyTorch's).

    Args:
        p (float, optional): probability of KEEPING each unit, in (0, 1]; 1 keeps everything.
            Default: 0.5
        rng (np.random.Generator, optional, keyword-only): generator for the masks; None draws
            from a fresh unseeded ``np.random.default_rng()``. Default: None

    Shape:
        - Input: (*), any shape
        - Output: (*), the shape of the input

    Attributes:
        p: the keep probability. rng: the generator the masks come from. No parameters.

    Example:
        >>> Dropout(p=0.8, rng=np.random.default_rng(0))(np.ones((20, 16))).shape
        (20, 16)
    """

    def __init__(self, p: float = 0.5, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        fn = "Dropout"
        self.p = _validate.real(p, "p (the probability of KEEPING a unit)", fn, low=0, high=1,
                                low_open=True)
        self.rng = _validate.generator(rng, fn)

    def forward(self, x: np.ndarray) -> np.ndarray:
        _validate.array(x, "x", "Dropout.forward")
        mode = "train" if self.training else "test"
        out, cache = dropout_forward(x, {"p": self.p, "mode": mode, "rng": self.rng})
        self._cache = (out.shape, cache)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dropout_backward(dout, self._cached(dout))

    def extra_repr(self) -> str:
        return f"p={self.p}"
