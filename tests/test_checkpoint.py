"""convnp.checkpoint: the npz + JSON header format, atomic writes, refusal of damaged files."""

import json
import os
import re
import zipfile

import numpy as np
import pytest

from convnp import checkpoint
from convnp.checkpoint import CheckpointError


def _write(path, value, prefix="value"):
    arrays = {}
    meta = {"value": checkpoint.encode(value, prefix, arrays), "note": "hello"}
    checkpoint.save(path, arrays, meta)
    return arrays, meta


def _read(path):
    arrays, meta = checkpoint.load(path)
    return checkpoint.decode(meta["value"], arrays, path), meta


def test_round_trip_keeps_values_dtypes_and_types(tmp_path, rng):
    gen = np.random.default_rng(5)
    gen.random(3)
    value = {
        "w": rng.standard_normal((3, 4)).astype(np.float32),
        "idx": np.arange(5, dtype=np.int64),
        "flag": np.array([True, False]),
        "lr": np.float64(0.1) * 0.9,
        "lr32": np.float32(1e-3),
        "t": 7,
        "beta": 0.9,
        "name": "adam",
        "none": None,
        "pair": (1, np.zeros(2)),
        "nested": [{"m": np.ones((2, 2))}, 3.5],
        "gen": gen,
    }
    path = tmp_path / "ck.npz"
    _write(path, value)
    got, meta = _read(path)

    assert meta["note"] == "hello" and meta["format"] == "convnp.checkpoint"
    assert meta["version"] == 1
    for key in ("w", "idx", "flag"):
        assert got[key].dtype == value[key].dtype
        assert np.array_equal(got[key], value[key])
    # NumPy scalars come back as NumPy scalars of their dtype (np.float64 * float32 arrays
    # differs from float * float32 arrays under NEP 50, so the type matters for exact resumes).
    assert type(got["lr"]) is np.float64 and got["lr"] == value["lr"]
    assert type(got["lr32"]) is np.float32 and got["lr32"] == value["lr32"]
    assert type(got["t"]) is int and type(got["beta"]) is float
    assert got["name"] == "adam" and got["none"] is None
    assert isinstance(got["pair"], tuple) and got["pair"][0] == 1
    assert np.array_equal(got["nested"][0]["m"], np.ones((2, 2))) and got["nested"][1] == 3.5
    assert np.array_equal(got["gen"].random(4), gen.random(4))


def test_the_file_is_a_plain_npz_with_a_json_header_and_manifest(tmp_path):
    path = tmp_path / "ck.npz"
    _write(path, {"m": np.zeros((2, 3), np.float32)})
    with np.load(path, allow_pickle=False) as npz:
        assert sorted(npz.files) == ["__meta__", "value/m"]
        header = json.loads(npz["__meta__"].tobytes().decode("utf-8"))
    assert header["value"] == {"m": {"__array__": "value/m"}}
    assert header["arrays"] == {"value/m": {"dtype": "<f4", "shape": [2, 3]}}
    assert checkpoint.read_meta(path)["note"] == "hello"


@pytest.mark.parametrize("bad, words", [
    (np.array([{"a": 1}], dtype=object), "dtype object"),
    (np.array(["text"]), "dtype <U4"),
    ({1: np.zeros(2)}, "dict keys must be str"),
    ({"f": lambda x: x}, "function"),
])
def test_encode_refuses_what_would_need_pickle(bad, words):
    with pytest.raises(TypeError, match=words):
        checkpoint.encode({"cfg": bad}, "optim", {})


def test_save_refuses_bad_entries_and_a_missing_directory(tmp_path):
    with pytest.raises(ValueError, match="'__meta__' is reserved"):
        checkpoint.save(tmp_path / "a.npz", {"__meta__": np.zeros(1)}, {})
    with pytest.raises(TypeError, match="entry 'x' must be a numeric or bool"):
        checkpoint.save(tmp_path / "a.npz", {"x": [1, 2]}, {})
    missing = tmp_path / "nowhere" / "a.npz"
    with pytest.raises(FileNotFoundError, match="nowhere"):
        checkpoint.save(missing, {}, {})
    assert list(tmp_path.iterdir()) == []


def test_a_crash_mid_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "ck.npz"
    _write(path, {"w": np.ones(1000)})
    before = path.read_bytes()

    def crash(f, payload):
        f.write(b"PK\x03\x04 half of a zip")
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(checkpoint, "_write_npz", crash)
    with pytest.raises(OSError, match="simulated"):
        _write(path, {"w": np.zeros(1000)})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ck.npz"]
    got, _ = _read(path)
    assert np.array_equal(got["w"], np.ones(1000))


def test_a_crash_before_the_rename_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "ck.npz"
    _write(path, {"w": np.ones(10)})

    def failing_fsync(fd):
        raise OSError("power cut (simulated)")

    monkeypatch.setattr(checkpoint.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="power cut"):
        _write(path, {"w": np.zeros(10)})
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["ck.npz"]
    assert np.array_equal(_read(path)[0]["w"], np.ones(10))


def test_load_refuses_a_truncated_file_naming_the_path(tmp_path):
    path = tmp_path / "ck.npz"
    _write(path, {"w": np.ones(5000)})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match=rf"{re.escape(str(path))}.*truncated or corrupted"):
        checkpoint.load(path)


def test_load_refuses_a_corrupted_entry_naming_it(tmp_path):
    path = tmp_path / "ck.npz"
    _write(path, {"w": np.ones(5000)})
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF  # inside the array's bytes: the zip's CRC-32 catches it
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match=rf"{re.escape(str(path))}: entry 'value/w' "
                                         r"is unreadable"):
        checkpoint.load(path)


def test_load_refuses_files_that_are_not_checkpoints(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint file"):
        checkpoint.load(tmp_path / "missing.npz")

    plain = tmp_path / "plain.npz"
    np.savez(plain, w=np.ones(3))
    with pytest.raises(CheckpointError, match="entry '__meta__' .* is missing"):
        checkpoint.load(plain)

    single = tmp_path / "single.npy"
    np.save(single, np.ones(3))
    with pytest.raises(CheckpointError, match="single .npy array"):
        checkpoint.load(single)

    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, __meta__=np.frombuffer(b"{}", np.uint8),
             evil=np.array([{"a": 1}], dtype=object))
    with pytest.raises(CheckpointError, match="entry 'evil' is unreadable"):
        checkpoint.load(pickled)


def _npz_with_header(path, header, **arrays):
    blob = np.frombuffer(json.dumps(header).encode(), np.uint8)
    np.savez(path, __meta__=blob, **arrays)


@pytest.mark.parametrize("header, arrays, words", [
    ({"format": "other", "version": 1, "arrays": {}}, {}, "'format' is 'other'"),
    ({"format": "convnp.checkpoint", "version": 99, "arrays": {}}, {}, "'version' is 99"),
    ({"format": "convnp.checkpoint", "arrays": {}}, {}, "missing key 'version'"),
    ({"format": "convnp.checkpoint", "version": 1,
      "arrays": {"w": {"dtype": "<f8", "shape": [3]}}}, {}, "entry 'w' is missing"),
    ({"format": "convnp.checkpoint", "version": 1,
      "arrays": {"w": {"dtype": "<f8", "shape": [4]}}}, {"w": np.ones(3)},
     r"entry 'w' is <f8 \[3\] but the header says"),
    ({"format": "convnp.checkpoint", "version": 1, "arrays": {}}, {"w": np.ones(3)},
     r"entries \['w'\] are not in the header"),
])
def test_load_checks_the_header_and_the_manifest(tmp_path, header, arrays, words):
    path = tmp_path / "ck.npz"
    _npz_with_header(path, header, **arrays)
    with pytest.raises(CheckpointError, match=words):
        checkpoint.load(path)


def test_load_refuses_a_header_that_is_not_json(tmp_path):
    path = tmp_path / "ck.npz"
    np.savez(path, __meta__=np.frombuffer(b"{not json", np.uint8))
    with pytest.raises(CheckpointError, match="not valid JSON"):
        checkpoint.load(path)


def test_decode_names_a_missing_array(tmp_path):
    with pytest.raises(CheckpointError, match=r"ck.npz: the checkpoint has no array 'optim/m'"):
        checkpoint.decode({"m": {"__array__": "optim/m"}}, {}, tmp_path / "ck.npz")


def test_the_written_file_is_a_valid_zip_with_no_pickles(tmp_path):
    path = tmp_path / "ck.npz"
    _write(path, {"w": np.ones(3), "gen": np.random.default_rng(0)})
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
    assert all(name.endswith(".npy") for name in names)
    assert not any(name.startswith(".") for name in os.listdir(tmp_path) if name != "ck.npz")


def test_a_file_that_is_not_a_zip_never_suggests_allowing_pickles(tmp_path):
    from convnp import checkpoint

    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"garbage, or a pickle")
    with pytest.raises(checkpoint.CheckpointError, match=r"bad.npz: not a checkpoint: an .npz "
                                                        r"\(zip\) file starts with") as exc:
        checkpoint.load(bad)
    assert "pickle" not in str(exc.value)


def test_a_checkpoint_gets_the_umask_mode_not_mkstemps_0600(tmp_path):
    path = checkpoint.save(tmp_path / "c.npz", {"a": np.zeros(2)}, {})
    assert path.stat().st_mode & 0o777 == checkpoint.default_file_mode()
