"""Fixtures of the kernel tests."""

import pytest

from convnp.kernels import jit


@pytest.fixture(params=["avx512", "avx2"])
def blocks(request, monkeypatch):
    """Each CPU's blocks on any CPU (both compute the same numbers on either): AVX-512's, and
    those taken without it (here: 4 x 16, 2 x 32 and 3 x 32 forward blocks, taps' dw;
    in taps: 16 x 4)."""
    monkeypatch.setattr(jit, "_cpu_has_avx512", lambda: request.param == "avx512")
    return request.param
