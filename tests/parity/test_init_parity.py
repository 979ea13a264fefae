"""PyTorch parity for the initialisers: gains, fans, and the spread of the drawn weights.

convnp draws from NumPy's generator, so the numbers differ from torch's; what must agree is the
distribution: the same gain, fan, standard deviation and uniform bound.
"""

import math

import numpy as np
import pytest

from convnp.nn import init
from tests.parity.torch_helpers import torch

TI = torch.nn.init


@pytest.mark.parametrize("nonlinearity", init.NONLINEARITIES)
def test_gain_equals_torch(nonlinearity):
    assert init.calculate_gain(nonlinearity) == TI.calculate_gain(nonlinearity)


@pytest.mark.parametrize("slope", [None, 0, 0.01, 0.2, 1, 3, math.sqrt(5), -0.5])
def test_leaky_relu_gain_equals_torch(slope):
    assert init.calculate_gain("leaky_relu", slope) == TI.calculate_gain("leaky_relu", slope)


@pytest.mark.parametrize("shape", [(10, 7), (5, 3, 2, 4), (6, 1, 3, 3), (2, 3, 4), (1, 1)])
def test_fans_equal_torch(shape):
    expected = TI._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert init.fan_in_and_fan_out(shape) == expected
    if len(shape) == 2:
        # torch's own advice for an x @ w weight of shape (in, out): pass w.T. layout
        # 'course_affine' does that for the caller.
        assert init.fan_in_and_fan_out(shape[::-1], "course_affine") == expected


SHAPE = (64, 96, 3, 3)      # 55296 draws: the largest |w| is within ~4e-5 of the bound

UNIFORM = [
    ("xavier_uniform", {}),
    ("xavier_uniform", {"gain": 1.7}),
    ("kaiming_uniform", {}),
    ("kaiming_uniform", {"a": math.sqrt(5)}),
    ("kaiming_uniform", {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_uniform", {"a": 0.1, "mode": "fan_out"}),
    ("kaiming_uniform", {"nonlinearity": "tanh"}),
]


@pytest.mark.parametrize("name, kwargs", UNIFORM)
def test_uniform_bound_equals_torchs(rng, name, kwargs):
    ours = getattr(init, name)(SHAPE, rng, dtype=np.float64, **kwargs)
    theirs = torch.empty(SHAPE, dtype=torch.float64)
    getattr(TI, name + "_")(theirs, generator=torch.Generator().manual_seed(0), **kwargs)
    theirs = theirs.numpy()
    # Both maxima sit within ~1e-4 of their bound, so equal bounds give maxima that agree to
    # 1e-3, and a wrong gain or fan (a factor like sqrt(2) or sqrt(3)) is far outside that.
    assert abs(np.abs(ours).max() / np.abs(theirs).max() - 1) < 1e-3


NORMAL = [
    ("xavier_normal", {}),
    ("xavier_normal", {"gain": 0.5}),
    ("kaiming_normal", {}),
    ("kaiming_normal", {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal", {"a": 0.3, "nonlinearity": "leaky_relu"}),
    ("kaiming_normal", {"nonlinearity": "sigmoid"}),
]


@pytest.mark.parametrize("name, kwargs", NORMAL)
def test_normal_std_equals_torchs(rng, name, kwargs):
    ours = getattr(init, name)(SHAPE, rng, dtype=np.float64, **kwargs)
    theirs = torch.empty(SHAPE, dtype=torch.float64)
    getattr(TI, name + "_")(theirs, generator=torch.Generator().manual_seed(0), **kwargs)
    # Each sample std is within ~0.3% (1 sigma) of the true one; 2% is far outside chance.
    assert abs(ours.std() / theirs.numpy().std() - 1) < 0.02


@pytest.mark.parametrize("shape", [(4, 4, 3, 3), (6, 3, 3, 3), (2, 5, 3, 3), (3, 3, 2, 2),
                                   (4, 2, 1, 1)])
def test_dirac_equals_torch(shape, rng):
    w = rng.standard_normal(shape)
    out = init.dirac(w)
    assert out is w
    np.testing.assert_array_equal(w, TI.dirac_(torch.empty(shape, dtype=torch.float64)).numpy())
