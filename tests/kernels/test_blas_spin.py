"""convnp's OpenBLAS spin default (convnp.BLAS_SPIN_ENV), set on import when NumPy is not
loaded yet; each case runs in a fresh interpreter, as OpenBLAS reads it when NumPy loads it."""

import os
import subprocess
import sys

import pytest

import convnp

PROBE = ("import os, sys\n"
         "{first}\n"
         "import convnp, numpy\n"
         "print(os.environ.get('OPENBLAS_THREAD_TIMEOUT', 'unset'))\n")


def _run(first: str, **env) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    environ.update(env)
    done = subprocess.run([sys.executable, "-c", PROBE.format(first=first)], env=environ,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_default_is_set_when_convnp_comes_first():
    assert convnp.BLAS_SPIN_ENV == {"OPENBLAS_THREAD_TIMEOUT": "22"}
    assert _run("pass") == "22"


@pytest.mark.parametrize("value", ["4", "28"])
def test_the_environments_own_value_wins(value):
    assert _run("pass", OPENBLAS_THREAD_TIMEOUT=value) == value


def test_nothing_is_set_once_numpy_is_loaded():
    # Too late for OpenBLAS to read it: convnp leaves the environment alone.
    assert _run("import numpy") == "unset"
