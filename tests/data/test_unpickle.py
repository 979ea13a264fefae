"""Tests for convnp.data._unpickle: CIFAR-10 pickles load; anything else is refused, never run.

Each malicious pickle carries a payload that would leave a trace (a marker file, an entry in
``CALLS``); a test checks the refusal *and* that the trace is absent.
"""

from __future__ import annotations

import codecs
import os
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convnp.data._unpickle import UnsafePickleError, load
from tests.data.formats import py2_pickle

CALLS: list = []


def record_call(*args):
    """A payload: appends to CALLS (importable by name, as a pickle needs)."""
    CALLS.append(args)
    return args


class Reduce:
    """Pickles as ``func(*args)``: what a malicious file does with __reduce__."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def batch(n=3):
    rng = np.random.default_rng(n)
    return {b"batch_label": b"training batch 1 of 5", b"labels": list(range(n)),
            b"data": rng.integers(0, 256, size=(n, 3072), dtype=np.uint8),
            b"filenames": [b"a_%d.png" % i for i in range(n)]}


def assert_same_batch(got, want):
    assert set(got) == set(want)
    for key, value in want.items():
        if isinstance(value, np.ndarray):
            assert got[key].dtype == value.dtype and np.array_equal(got[key], value)
        else:
            assert got[key] == value


def test_python2_cpickle_batch_loads_with_bytes_keys():
    want = batch()
    blob = py2_pickle({k.decode(): v for k, v in want.items()})  # Python 2 str keys
    assert b"cnumpy.core.multiarray\n_reconstruct\n" in blob  # as the 2009 files name it
    assert_same_batch(load(blob, "data_batch_1"), want)


@pytest.mark.parametrize("protocol", [2, 3, 4])
def test_python3_pickles_load(protocol):
    want = batch()
    blob = pickle.dumps(want, protocol=protocol)
    if protocol == 2:
        assert b"_codecs\nencode" in blob  # protocol 2 has no bytes opcode
    assert_same_batch(load(blob, "batch"), want)


def test_reads_from_a_file_object(tmp_path):
    path = tmp_path / "data_batch_1"
    want = batch()
    path.write_bytes(pickle.dumps(want, protocol=2))
    with open(path, "rb") as f:
        assert_same_batch(load(f, path), want)


@settings(deadline=None, max_examples=25)
@given(shape=st.lists(st.integers(0, 5), min_size=1, max_size=3),
       dtype=st.sampled_from(["uint8", "int64", "float32", ">f8", "bool"]),
       protocol=st.integers(2, 4), seed=st.integers(0, 2**32 - 1))
def test_numeric_arrays_round_trip(shape, dtype, protocol, seed):
    a = (np.random.default_rng(seed).random(shape) * 100).astype(dtype)
    blob = pickle.dumps({"a": [a, (1, 2.5, None)]}, protocol=protocol)
    got, reference = load(blob, "x"), pickle.loads(blob)
    assert got["a"][1] == (1, 2.5, None)
    # NumPy's own unpickling is the reference (it gives '>f8' back as native float64).
    assert got["a"][0].dtype == reference["a"][0].dtype
    assert np.array_equal(got["a"][0], a)


@pytest.mark.parametrize("protocol", [0, 2, 4])
def test_os_system_is_refused_and_not_run(tmp_path, protocol):
    marker = tmp_path / "pwned"
    blob = pickle.dumps({b"data": Reduce(os.system, f"touch {marker}")}, protocol=protocol)
    name = f"{os.system.__module__}.system"  # posix.system on Linux and macOS
    with pytest.raises(UnsafePickleError, match=rf"^.*data_batch_1: refusing to load "
                                                rf"'{name}': the CIFAR-10 batches hold only"):
        load(blob, tmp_path / "data_batch_1")
    assert not marker.exists()


def test_builtin_open_is_refused_and_creates_no_file(tmp_path):
    marker = tmp_path / "created"
    blob = pickle.dumps([1, Reduce(open, str(marker), "w")], protocol=2)
    with pytest.raises(UnsafePickleError, match=r"refusing to load 'io\.open'"):
        load(blob, "f")
    assert not marker.exists()


@pytest.mark.parametrize("func, args, name", [
    (eval, ("1 + 1",), "builtins.eval"),
    (getattr, (record_call, "__call__"), "builtins.getattr"),
    (record_call, ("ran",), "tests.data.test_unpickle.record_call"),
    (np.load, ("x.npy",), "numpy.load"),
])
def test_other_globals_are_refused_before_anything_runs(func, args, name):
    CALLS.clear()
    # The payload sits after a real array, as in a doctored batch.
    blob = pickle.dumps({b"data": np.zeros(3, np.uint8), b"labels": Reduce(func, *args)},
                        protocol=4)
    with pytest.raises(UnsafePickleError, match=rf"refusing to load '{name}'"):
        load(blob, "test_batch")
    assert CALLS == []


def test_an_unimportable_module_is_refused_not_imported():
    blob = b"\x80\x02cno_such_module_convnp\nfunc\n)R."
    with pytest.raises(UnsafePickleError, match=r"refusing to load 'no_such_module_convnp\.func'"):
        load(blob, "f")


def test_codecs_encode_is_allowed_only_as_latin1():
    blob = pickle.dumps(Reduce(codecs.encode, "uryyb", "rot13"), protocol=2)
    assert b"_codecs\nencode" in blob
    with pytest.raises(UnsafePickleError, match=r"refusing '_codecs\.encode' with encoding "
                                                r"'rot13'"):
        load(blob, "f")
    ok = pickle.dumps(Reduce(codecs.encode, "\xff\x00", "latin1"), protocol=2)
    assert load(ok, "f") == b"\xff\x00"


def test_bytes_is_allowed_only_for_the_empty_bytes():
    assert load(pickle.dumps([b""], protocol=2), "f") == [b""]
    blob = pickle.dumps(Reduce(bytes, 10**9), protocol=2)
    with pytest.raises(UnsafePickleError, match=r"refusing to call 'bytes' with arguments"):
        load(blob, "f")


def test_object_arrays_are_refused_and_their_items_never_built(tmp_path):
    CALLS.clear()
    arr = np.array([1, Reduce(record_call, "item")], dtype=object)
    with pytest.raises(UnsafePickleError, match=r"f: refusing to build an array of dtype "
                                                r"object"):
        load(pickle.dumps(arr, protocol=2), "f")
    assert CALLS == []


def test_structured_arrays_are_refused():
    arr = np.zeros(2, dtype=[("a", "u1"), ("b", "f4")])
    with pytest.raises(UnsafePickleError, match=r"refusing to build an array of dtype"):
        load(pickle.dumps(arr, protocol=2), "f")


def test_calling_ndarray_directly_is_refused():
    blob = pickle.dumps(Reduce(np.ndarray, (1,), "O", b"\0" * 8), protocol=2)
    with pytest.raises(UnsafePickleError, match=r"refusing to call 'numpy\.ndarray' directly"):
        load(blob, "f")


def test_numpy_protocol_5_arrays_are_refused():
    # Protocol 5 rebuilds arrays with numpy._core.numeric._frombuffer: not in the CIFAR files.
    with pytest.raises(UnsafePickleError, match=r"refusing to load 'numpy\._core\.numeric\."):
        load(pickle.dumps(np.zeros(3), protocol=5), "f")


def test_unsafe_pickle_error_is_a_value_error_and_an_unpickling_error():
    assert issubclass(UnsafePickleError, ValueError)
    assert issubclass(UnsafePickleError, pickle.UnpicklingError)


@pytest.mark.parametrize("cut", [1, 40, -1])
def test_truncated_pickle_names_the_path(cut):
    blob = pickle.dumps(batch(), protocol=2)[:cut]
    with pytest.raises(ValueError, match=r"^dir/data_batch_3: not a readable pickle \("
                                         r"truncated or corrupted\?\)"):
        load(blob, "dir/data_batch_3")


def test_garbage_names_the_path():
    with pytest.raises(ValueError, match=r"^junk: not a readable pickle"):
        load(b"this is not a pickle", "junk")
