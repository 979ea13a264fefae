"""Helpers for the PyTorch parity tests (float64, CPU); torch is imported only in tests/parity."""

import numpy as np
import pytest

from tests.conftest import REQUIRE_PARITY

if REQUIRE_PARITY:
    import torch  # CI: a missing torch must fail the run, not skip the parity suite
else:
    torch = pytest.importorskip(
        "torch", reason="PyTorch parity tests need torch: pip install -e '.[test]' (torch==2.13.0)")


def t(a, grad=True):
    """A float64 leaf tensor from a numpy array (a copy), requiring grad by default."""
    return torch.tensor(np.array(a, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def backward(out, dout):
    """Run torch's backward from ``out`` with upstream gradient ``dout`` (a numpy array)."""
    out.backward(torch.from_numpy(np.asarray(dout, dtype=np.float64)))


def np_(tensor):
    return tensor.detach().numpy()
