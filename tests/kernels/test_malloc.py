"""convnp.kernels.hold_freed_memory: large blocks come from the heap and stay there (glibc).

Each check runs in a fresh interpreter, so that the test process keeps its own malloc settings
and the "before" state is glibc's default.
"""

import json
import os
import platform
import subprocess
import sys

import pytest

from convnp.kernels import malloc

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"

# Allocates and frees a 64 MiB array, before and after hold_freed_memory(), and reports
# glibc's mallinfo2: hblkhd, the bytes in mmapped blocks, while the array lives.
PROBE = r"""
import ctypes, json, numpy as np
from convnp.kernels import hold_freed_memory

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2

def mmapped_while_alive():
    a = np.ones(64 << 20, dtype=np.uint8)
    held = libc.mallinfo2().hblkhd
    del a
    return held

before = mmapped_while_alive()
applied = hold_freed_memory()
after = mmapped_while_alive()
print(json.dumps({"before": before, "applied": applied, "after": after,
                  "again": hold_freed_memory()}))
"""


def probe(env):
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def clean_env():
    return {k: v for k, v in os.environ.items() if k not in malloc.ENVIRONMENT}


@pytest.mark.skipif(not GLIBC, reason="mallopt and mallinfo2 are glibc's")
def test_large_blocks_stay_in_the_heap():
    got = probe(clean_env())
    # glibc's default serves 64 MiB with mmap; afterwards the heap serves it.
    assert got["before"] >= 64 << 20
    assert got["applied"] is True and got["again"] is True
    assert got["after"] < 64 << 20


@pytest.mark.skipif(not GLIBC, reason="mallopt and mallinfo2 are glibc's")
@pytest.mark.parametrize("name", malloc.ENVIRONMENT)
def test_the_users_environment_wins(name):
    got = probe({**clean_env(), name: "1000000"})
    assert got["applied"] is False


def test_other_c_libraries_are_left_alone(monkeypatch):
    for name in malloc.ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(malloc.platform, "libc_ver", lambda: ("", ""))
    assert malloc.hold_freed_memory() is False
    monkeypatch.setattr(malloc.sys, "platform", "darwin")
    assert malloc.hold_freed_memory() is False
