import os
import zlib

import numpy as np
import pytest

# .ci/run sets CONVNP_REQUIRE_PARITY=1: there a skipped PyTorch parity test is a failure, so CI
# cannot pass with the parity suite silently skipped (tests/parity/torch_helpers.py also imports
# torch outright then, so a missing torch is a collection error, not a skip).
REQUIRE_PARITY = bool(os.environ.get("CONVNP_REQUIRE_PARITY"))
# A parity test that needs ../shared/data may skip where the data is absent (the brief's rule
# for real-data tests), if its reason starts with this.
REAL_DATA_SKIP = "real-data test:"


def _is_parity(nodeid: str) -> bool:
    return nodeid.replace("\\", "/").startswith("tests/parity")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (REQUIRE_PARITY and report.skipped and _is_parity(report.nodeid)
            and REAL_DATA_SKIP not in str(report.longrepr)):
        report.outcome = "failed"
        report.longrepr = ("parity test skipped while CONVNP_REQUIRE_PARITY is set: "
                           f"{report.longrepr}")


@pytest.fixture
def rng(request):
    """A numpy Generator seeded from the test's id: each test is deterministic and independent."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


# .ci/run sets CONVNP_REQUIRE_JIT=1 (and installs numba through the test extra): there the
# compiled kernels' tests must run, not skip.
REQUIRE_JIT = bool(os.environ.get("CONVNP_REQUIRE_JIT"))


def _numba_installed() -> bool:
    import importlib.util
    return importlib.util.find_spec("numba") is not None


@pytest.fixture(params=["numpy", "jit"])
def kernel_backend(request, monkeypatch):
    """Run the test once on the kernels' NumPy code and once on their compiled (Numba) code.

    The compiled run skips where numba is not installed (and fails instead under
    CONVNP_REQUIRE_JIT); CONVNP_JIT selects the path (convnp.kernels.jit).
    """
    if request.param == "jit":
        if not _numba_installed():
            if REQUIRE_JIT:
                pytest.fail("numba is not installed while CONVNP_REQUIRE_JIT is set")
            pytest.skip("numba is not installed (pip install 'convnp[jit]')")
        monkeypatch.setenv("CONVNP_JIT", "1")
    else:
        monkeypatch.setenv("CONVNP_JIT", "0")
    return request.param


@pytest.fixture
def numpy_kernels(monkeypatch):
    """Run the test on the kernels' NumPy code only (CONVNP_JIT=0)."""
    monkeypatch.setenv("CONVNP_JIT", "0")
