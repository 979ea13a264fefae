"""load_image_folder: layout, order, conversion, resizing, errors, the cache, the shared JPEGs."""

import os
import shutil
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from convnp import checkpoint
from convnp.data import folder
from convnp.data.folder import load_image_folder

SHARED_TRAIN = Path(__file__).parents[2].parent / "shared" / "data" / "cifar10-jpeg" / "train"
CIFAR_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                 "truck"]


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    """Every test caches into its own tmp folder, never into ~/.cache."""
    path = tmp_path / "cache"
    monkeypatch.setenv("CONVNP_CACHE", str(path))
    return path


def _png(path, pixels, mode=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels, mode).save(path)


@pytest.fixture
def tmp_image_folder(tmp_path, rng):
    """Three classes of 4x5 RGB PNGs (lossless: pixels round-trip exactly), one in a nested
    subfolder, one with an upper-case extension, plus files that are not images.

    Returns a namespace: root, X (N, 4, 5, 3) uint8 and y in the loader's order, classes, rel
    (the relative paths in that order).
    """
    root = tmp_path / "images"
    # Listed in the expected order: by class, then by relative path ('sub/...' sorts between
    # 'a.png' and 'z.png').
    rel = ["bird/e.png", "cat/a.png", "cat/sub/b.PNG", "cat/z.png", "dog/c.png", "dog/d.png"]
    X = rng.integers(0, 256, size=(len(rel), 4, 5, 3), dtype=np.uint8)
    for r, pixels in zip(rel[::-1], X[::-1]):  # written in another order than read
        _png(root / r, pixels)
    (root / "cat" / "notes.txt").write_text("not an image")
    (root / "dog" / "Thumbs.db").write_bytes(b"\x00\x01")
    (root / "README.txt").write_text("a file beside the class folders")
    y = np.array([0, 1, 1, 1, 2, 2], dtype=np.int64)
    return SimpleNamespace(root=root, X=X, y=y, classes=["bird", "cat", "dog"], rel=rel)


@pytest.fixture
def decode_calls(monkeypatch):
    """Counts the calls of the decoder (a cache hit makes none)."""
    calls = []
    original = folder._decode_chunk

    def spy(*args, **kwargs):
        calls.append(len(args[0]))
        return original(*args, **kwargs)

    monkeypatch.setattr(folder, "_decode_chunk", spy)
    return calls


def _cache_files(cache_dir):
    d = cache_dir / "image-folders"
    return sorted(p.name for p in d.iterdir()) if d.is_dir() else []


def test_loads_exact_pixels_labels_and_classes(tmp_image_folder):
    X, y, classes = load_image_folder(tmp_image_folder.root, cache=False)
    assert X.dtype == np.uint8 and y.dtype == np.int64
    assert classes == tmp_image_folder.classes
    np.testing.assert_array_equal(y, tmp_image_folder.y)
    np.testing.assert_array_equal(X, tmp_image_folder.X)


def test_accepts_a_str_root_and_expands_the_user(tmp_image_folder, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_image_folder.root.parent))
    X, y, _ = load_image_folder("~/images", cache=False)
    np.testing.assert_array_equal(X, tmp_image_folder.X)


def test_grayscale_is_pillow_itu_r_601_luma(tmp_image_folder):
    X, y, _ = load_image_folder(tmp_image_folder.root, grayscale=True, cache=False)
    rgb = tmp_image_folder.X.astype(np.int64)
    # Pillow's fixed-point L = R*299/1000 + G*587/1000 + B*114/1000, rounded (Convert.c).
    luma = (rgb[..., 0] * 19595 + rgb[..., 1] * 38470 + rgb[..., 2] * 7471 + 0x8000) >> 16
    assert X.shape == (6, 4, 5, 1)
    np.testing.assert_array_equal(X[..., 0], luma.astype(np.uint8))
    np.testing.assert_array_equal(y, tmp_image_folder.y)


@pytest.mark.parametrize("size, hw", [((3, 7), (3, 7)), (6, (6, 6)), ([4, 5], (4, 5))])
def test_resize_matches_pillows_bilinear_resize(tmp_image_folder, size, hw):
    X, _, _ = load_image_folder(tmp_image_folder.root, size=size, cache=False)
    assert X.shape == (6, *hw, 3)
    for i, r in enumerate(tmp_image_folder.rel):
        with Image.open(tmp_image_folder.root / r) as im:
            want = np.asarray(im.convert("RGB").resize((hw[1], hw[0]),
                                                       Image.Resampling.BILINEAR))
        np.testing.assert_array_equal(X[i], want, err_msg=r)


def test_resize_makes_mixed_sizes_loadable(tmp_path, rng):
    root = tmp_path / "mixed"
    big = rng.integers(0, 256, size=(8, 6, 3), dtype=np.uint8)
    _png(root / "a" / "0.png", big)
    _png(root / "a" / "1.png", big[:4, :3])
    X, _, _ = load_image_folder(root, size=(4, 3), cache=False)
    # Pillow's antialiased bilinear 2x reduction of 8x6 is not the 4x3 crop: compare with it.
    want = np.asarray(Image.fromarray(big).resize((3, 4), Image.Resampling.BILINEAR))
    np.testing.assert_array_equal(X[0], want)
    np.testing.assert_array_equal(X[1], big[:4, :3])


def test_any_mode_is_converted_to_rgb(tmp_path, rng):
    root = tmp_path / "modes"
    rgba = rng.integers(0, 256, size=(3, 4, 4), dtype=np.uint8)
    gray = rng.integers(0, 256, size=(3, 4), dtype=np.uint8)
    palette = rng.integers(0, 256, size=(256, 3), dtype=np.uint8)
    index = rng.integers(0, 256, size=(3, 4), dtype=np.uint8)
    _png(root / "k" / "1-rgba.png", rgba)
    _png(root / "k" / "2-l.png", gray)
    p = Image.fromarray(index, "L").convert("P")
    p.putpalette(palette.ravel().tolist())
    p.save(root / "k" / "3-p.png")
    Image.fromarray(rgba, "CMYK").save(root / "k" / "4-cmyk.jpg")
    X, _, _ = load_image_folder(root, cache=False)
    np.testing.assert_array_equal(X[0], rgba[..., :3])  # alpha dropped, not composited
    np.testing.assert_array_equal(X[1], np.repeat(gray[..., None], 3, axis=2))
    np.testing.assert_array_equal(X[2], palette[index])
    with Image.open(root / "k" / "4-cmyk.jpg") as im:
        assert im.mode == "CMYK"
        np.testing.assert_array_equal(X[3], np.asarray(im.convert("RGB")))


def test_jpeg_extensions_of_any_case_are_images(tmp_path, rng):
    root = tmp_path / "jpegs"
    pixels = rng.integers(0, 256, size=(2, 8, 8, 3), dtype=np.uint8)
    names = ["a.JPG", "b.jpeg"]
    for name, px in zip(names, pixels):
        (root / "c").mkdir(parents=True, exist_ok=True)
        Image.fromarray(px).save(root / "c" / name, format="JPEG")
    (root / "c" / "c.gif").write_bytes(b"GIF89a")  # not one of the extensions: ignored
    X, y, classes = load_image_folder(root, cache=False)
    assert X.shape == (2, 8, 8, 3) and classes == ["c"]
    for i, name in enumerate(names):
        with Image.open(root / "c" / name) as im:
            np.testing.assert_array_equal(X[i], np.asarray(im.convert("RGB")))


def test_mixed_sizes_name_the_first_differing_image(tmp_image_folder, rng):
    root = tmp_image_folder.root
    _png(root / "dog" / "c.png", rng.integers(0, 256, size=(6, 5, 3), dtype=np.uint8))
    _png(root / "dog" / "d.png", rng.integers(0, 256, size=(2, 2, 3), dtype=np.uint8))
    first, bad = root.resolve() / "bird" / "e.png", root.resolve() / "dog" / "c.png"
    with pytest.raises(ValueError, match=r"differ in size") as info:
        load_image_folder(root, cache=False)
    msg = str(info.value)
    assert f"{str(bad)!r} is (height, width) (6, 5)" in msg
    assert f"the first image {str(first)!r} is (4, 5)" in msg
    assert "(2 of 6 differ)" in msg and "size=(height, width)" in msg


def test_a_corrupt_file_is_named(tmp_image_folder):
    bad = tmp_image_folder.root / "cat" / "sub" / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(ValueError, match=r"load_image_folder: 1 of 7 image files under .* "
                                         r"cannot be read") as info:
        load_image_folder(tmp_image_folder.root, cache=False)
    assert repr(str(bad.resolve())) in str(info.value)


def test_a_truncated_file_is_named(tmp_image_folder):
    path = tmp_image_folder.root / "dog" / "d.png"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="cannot be read") as info:
        load_image_folder(tmp_image_folder.root, cache=False)
    assert repr(str(path.resolve())) in str(info.value)


def test_many_corrupt_files_are_counted_and_the_first_listed(tmp_image_folder):
    root = tmp_image_folder.root
    bad = [root / "cat" / f"bad{i}.jpg" for i in range(7)]
    for p in bad:
        p.write_bytes(b"garbage")
    with pytest.raises(ValueError, match=r"7 of 13 image files") as info:
        load_image_folder(root, cache=False)
    msg = str(info.value)
    for p in bad[:5]:
        assert repr(str(p.resolve())) in msg
    assert repr(str(bad[5].resolve())) not in msg
    assert msg.endswith("and 2 more")


def test_a_missing_root_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"load_image_folder: root '.*nope' does not "
                                                r"exist"):
        load_image_folder(tmp_path / "nope")


def test_a_file_as_root_is_named(tmp_path):
    (tmp_path / "f.png").write_bytes(b"")
    with pytest.raises(NotADirectoryError, match=r"root '.*f\.png' is not a directory"):
        load_image_folder(tmp_path / "f.png")


def test_no_class_folders(tmp_path, rng):
    root = tmp_path / "flat"
    _png(root / "a.png", rng.integers(0, 256, size=(2, 2, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"has no class folders; expected the layout "
                                         r"root/<class>/<image>; it holds 1 image file"):
        load_image_folder(root)


def test_a_class_folder_without_images(tmp_image_folder):
    (tmp_image_folder.root / "emu" / "deep").mkdir(parents=True)
    (tmp_image_folder.root / "emu" / "deep" / "x.txt").write_text("")
    with pytest.raises(ValueError, match=r"class folder\(s\) \['emu'\] under root .* hold no "
                                         r"images"):
        load_image_folder(tmp_image_folder.root)


def test_no_images_at_all(tmp_path):
    for name in ("a", "b"):
        (tmp_path / "r" / name).mkdir(parents=True)
    (tmp_path / "r" / "a" / "x.bmp").write_bytes(b"BM")
    with pytest.raises(ValueError, match=r"no images under root .* \(looked for \.jpg, \.jpeg, "
                                         r"\.png files"):
        load_image_folder(tmp_path / "r")


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"size": 0}, ValueError, r"size must be >= 1 in each dimension; got 0"),
    ({"size": (4, -1)}, ValueError, r"size must be >= 1 .*got \(4, -1\)"),
    ({"size": (4, 5, 6)}, TypeError, r"size must be None, an int or a \(height, width\)"),
    ({"size": "32"}, TypeError, r"size must be None, an int .*got '32'"),
    ({"size": (4.0, 5)}, TypeError, r"size must be None, an int"),
    ({"grayscale": 1}, TypeError, r"grayscale must be a bool; got 1"),
    ({"cache": "yes"}, TypeError, r"cache must be a bool; got 'yes'"),
    ({"workers": 0}, ValueError, r"workers must be >= 1 .*got 0"),
    ({"workers": 2.0}, TypeError, r"workers must be an int or None; got 2.0"),
])
def test_bad_arguments_are_named(tmp_image_folder, kwargs, exc, match):
    with pytest.raises(exc, match="load_image_folder: " + match):
        load_image_folder(tmp_image_folder.root, **kwargs)


def test_a_root_of_the_wrong_type():
    with pytest.raises(TypeError, match="load_image_folder: root must be a str or os.PathLike "
                                        "folder path; got int"):
        load_image_folder(3)


def test_worker_processes_give_the_same_arrays(tmp_image_folder, monkeypatch):
    monkeypatch.setattr(folder, "_MIN_IMAGES_FOR_PROCESSES", 1)
    monkeypatch.setattr(folder, "_CHUNK", 2)  # three tasks for the two workers
    pools = []
    original = folder._decode_in_processes
    monkeypatch.setattr(folder, "_decode_in_processes", lambda *a: pools.append(a) or original(*a))
    X, y, classes = load_image_folder(tmp_image_folder.root, workers=2, cache=False)
    np.testing.assert_array_equal(X, tmp_image_folder.X)
    np.testing.assert_array_equal(y, tmp_image_folder.y)
    assert len(pools) == 1  # decoded by the worker processes, not in this one
    bad = tmp_image_folder.root / "dog" / "zz.png"
    bad.write_bytes(b"nope")
    with pytest.raises(ValueError, match="1 of 7 image files") as info:
        load_image_folder(tmp_image_folder.root, workers=2, cache=False)
    assert repr(str(bad.resolve())) in str(info.value)


def test_broken_worker_processes_fall_back_to_this_process(tmp_image_folder, monkeypatch):
    def broken(*args):
        raise BrokenProcessPool("a child process terminated abruptly")

    monkeypatch.setattr(folder, "_MIN_IMAGES_FOR_PROCESSES", 1)
    monkeypatch.setattr(folder, "_decode_in_processes", broken)
    with pytest.warns(UserWarning, match=r"worker processes failed \(BrokenProcessPool: .*"
                                         r"if __name__ == '__main__'"):
        X, _, _ = load_image_folder(tmp_image_folder.root, workers=2, cache=False)
    np.testing.assert_array_equal(X, tmp_image_folder.X)


def test_the_second_load_comes_from_the_cache(tmp_image_folder, cache_dir, monkeypatch):
    first = load_image_folder(tmp_image_folder.root)
    assert len(_cache_files(cache_dir)) == 1

    def fail(*args, **kwargs):
        raise AssertionError("decoded although the cache is valid")

    monkeypatch.setattr(folder, "_decode_chunk", fail)
    X, y, classes = load_image_folder(tmp_image_folder.root)
    np.testing.assert_array_equal(X, tmp_image_folder.X)
    np.testing.assert_array_equal(y, tmp_image_folder.y)
    assert classes == tmp_image_folder.classes == first[2]
    assert X.dtype == np.uint8 and y.dtype == np.int64


def test_the_cache_file_is_a_verified_checkpoint(tmp_image_folder, cache_dir):
    load_image_folder(tmp_image_folder.root, size=(2, 3), grayscale=True)
    (name,) = _cache_files(cache_dir)
    arrays, meta = checkpoint.load(cache_dir / "image-folders" / name)
    assert set(arrays) == {"X", "y"} and arrays["X"].shape == (6, 2, 3, 1)
    assert meta["classes"] == tmp_image_folder.classes
    assert meta["size"] == [2, 3] and meta["grayscale"] is True and meta["num_images"] == 6
    assert meta["root"] == str(tmp_image_folder.root.resolve())


def test_size_and_grayscale_have_their_own_caches(tmp_image_folder, cache_dir):
    load_image_folder(tmp_image_folder.root)
    gray, _, _ = load_image_folder(tmp_image_folder.root, grayscale=True)
    small, _, _ = load_image_folder(tmp_image_folder.root, size=2)
    assert gray.shape == (6, 4, 5, 1) and small.shape == (6, 2, 2, 3)
    assert len(_cache_files(cache_dir)) == 3


def test_a_changed_file_invalidates_the_cache(tmp_image_folder, rng, decode_calls):
    root = tmp_image_folder.root
    load_image_folder(root)
    path = root / "cat" / "z.png"
    new = rng.integers(0, 256, size=(4, 5, 3), dtype=np.uint8)
    old_mtime = path.stat().st_mtime_ns
    _png(path, new)
    os.utime(path, ns=(old_mtime + 5 * 10**9, old_mtime + 5 * 10**9))
    X, _, _ = load_image_folder(root)
    assert len(decode_calls) == 2
    np.testing.assert_array_equal(X[3], new)
    np.testing.assert_array_equal(np.delete(X, 3, axis=0), np.delete(tmp_image_folder.X, 3, 0))


def test_a_new_mtime_alone_invalidates_the_cache(tmp_image_folder, decode_calls):
    load_image_folder(tmp_image_folder.root)
    path = tmp_image_folder.root / "dog" / "c.png"
    mtime = path.stat().st_mtime_ns + 10**9
    os.utime(path, ns=(mtime, mtime))
    load_image_folder(tmp_image_folder.root)
    load_image_folder(tmp_image_folder.root)
    assert len(decode_calls) == 2  # the first load, the touched one; the third is cached


def test_an_added_file_invalidates_the_cache(tmp_image_folder, rng, cache_dir, decode_calls):
    load_image_folder(tmp_image_folder.root)
    extra = rng.integers(0, 256, size=(4, 5, 3), dtype=np.uint8)
    _png(tmp_image_folder.root / "bird" / "f.png", extra)
    X, y, _ = load_image_folder(tmp_image_folder.root)
    assert len(decode_calls) == 2 and X.shape == (7, 4, 5, 3)
    np.testing.assert_array_equal(X[1], extra)
    np.testing.assert_array_equal(y, [0, 0, 1, 1, 1, 2, 2])
    assert len(_cache_files(cache_dir)) == 1  # the folder's one cache file was replaced


def test_a_removed_file_invalidates_the_cache(tmp_image_folder, decode_calls):
    load_image_folder(tmp_image_folder.root)
    (tmp_image_folder.root / "cat" / "sub" / "b.PNG").unlink()
    X, y, _ = load_image_folder(tmp_image_folder.root)
    assert len(decode_calls) == 2
    np.testing.assert_array_equal(X, np.delete(tmp_image_folder.X, 2, axis=0))
    np.testing.assert_array_equal(y, [0, 1, 1, 2, 2])


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_image_folder, cache_dir, decode_calls,
                                                damage):
    load_image_folder(tmp_image_folder.root)
    (name,) = _cache_files(cache_dir)
    path = cache_dir / "image-folders" / name
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[200] ^= 0xFF  # inside the first entry's bytes: its CRC-32 no longer matches
    else:
        data = bytearray(b"not a zip at all")
    path.write_bytes(bytes(data))
    X, y, _ = load_image_folder(tmp_image_folder.root)
    assert len(decode_calls) == 2
    np.testing.assert_array_equal(X, tmp_image_folder.X)
    arrays, _ = checkpoint.load(path)  # rebuilt: a valid cache again
    np.testing.assert_array_equal(arrays["X"], tmp_image_folder.X)


def test_a_cache_with_another_key_is_not_trusted(tmp_image_folder, tmp_path, rng, cache_dir,
                                                 decode_calls):
    other = tmp_path / "other"
    _png(other / "bird" / "e.png", rng.integers(0, 256, size=(4, 5, 3), dtype=np.uint8))
    load_image_folder(other)
    (name,) = _cache_files(cache_dir)
    # Put the other folder's cache where this folder's would be.
    slot = folder._slot(tmp_image_folder.root.resolve(), None, False)
    shutil.copy(cache_dir / "image-folders" / name, cache_dir / "image-folders" / f"{slot}.npz")
    X, _, _ = load_image_folder(tmp_image_folder.root)
    assert len(decode_calls) == 2
    np.testing.assert_array_equal(X, tmp_image_folder.X)


class _Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


def test_a_crash_while_writing_the_cache_leaves_nothing_accepted(tmp_image_folder, cache_dir,
                                                                 monkeypatch, decode_calls):
    write = checkpoint._write_npz

    def crash(f, payload):
        f.write(b"PK\x03\x04 half an archive")
        raise _Crash

    monkeypatch.setattr(checkpoint, "_write_npz", crash)
    with pytest.raises(_Crash):
        load_image_folder(tmp_image_folder.root)
    assert _cache_files(cache_dir) == []  # not even the temporary file
    monkeypatch.setattr(checkpoint, "_write_npz", write)
    X, _, _ = load_image_folder(tmp_image_folder.root)
    assert len(decode_calls) == 2  # decoded again, not read from a half-written file
    np.testing.assert_array_equal(X, tmp_image_folder.X)
    load_image_folder(tmp_image_folder.root)
    assert len(decode_calls) == 2  # and that load's cache is used


def test_a_failed_cache_write_warns_and_still_loads(tmp_image_folder, cache_dir, monkeypatch):
    def disk_full(f, payload):
        f.write(b"PK\x03\x04")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(checkpoint, "_write_npz", disk_full)
    with pytest.warns(UserWarning, match=r"cannot write the cache file .*No space left"):
        X, _, _ = load_image_folder(tmp_image_folder.root)
    np.testing.assert_array_equal(X, tmp_image_folder.X)
    assert _cache_files(cache_dir) == []


def test_an_uncreatable_cache_folder_warns_and_still_loads(tmp_image_folder, tmp_path,
                                                          monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CONVNP_CACHE", str(blocker / "cache"))
    with pytest.warns(UserWarning, match=r"cannot write the cache file .*a-file.*CONVNP_CACHE"):
        X, y, _ = load_image_folder(tmp_image_folder.root)
    np.testing.assert_array_equal(X, tmp_image_folder.X)
    assert blocker.read_text() == ""


def test_convnp_cache_is_respected(tmp_image_folder, tmp_path, monkeypatch, decode_calls):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("CONVNP_CACHE", str(elsewhere))
    load_image_folder(tmp_image_folder.root)
    assert len(_cache_files(elsewhere)) == 1
    assert not (tmp_path / "home").exists()
    monkeypatch.setenv("CONVNP_CACHE", str(tmp_path / "third"))
    load_image_folder(tmp_image_folder.root)  # another cache folder: decoded again
    assert len(decode_calls) == 2


def test_without_convnp_cache_the_cache_is_under_home(tmp_image_folder, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CONVNP_CACHE")
    load_image_folder(tmp_image_folder.root)
    assert len(_cache_files(tmp_path / "home" / ".cache" / "convnp")) == 1
    assert not any(p.suffix == ".npz" for p in tmp_image_folder.root.rglob("*"))


def test_cache_false_writes_nothing(tmp_image_folder, cache_dir):
    load_image_folder(tmp_image_folder.root, cache=False)
    assert not cache_dir.exists()


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_TRAIN.is_dir(),
                    reason=f"the shared CIFAR-10 JPEG folder is absent ({SHARED_TRAIN})")
def test_the_shared_cifar10_jpegs(cache_dir):
    X, y, classes = load_image_folder(SHARED_TRAIN)
    assert X.shape == (50000, 32, 32, 3) and X.dtype == np.uint8
    assert classes == CIFAR_CLASSES
    np.testing.assert_array_equal(np.bincount(y), [5000] * 10)
    np.testing.assert_array_equal(y, np.repeat(np.arange(10), 5000))
    # The README: 5,000 files per class named 0000.jpg .. 4999.jpg, so image i of the folder
    # is <class i // 5000>/<i % 5000:04d>.jpg.
    for i in (0, 12345, 49999):
        rel = f"{CIFAR_CLASSES[i // 5000]}/{i % 5000:04d}.jpg"
        with Image.open(SHARED_TRAIN / rel) as im:
            np.testing.assert_array_equal(X[i], np.asarray(im.convert("RGB")), err_msg=rel)
    X2, y2, _ = load_image_folder(SHARED_TRAIN)  # from the cache
    assert np.array_equal(X2, X) and np.array_equal(y2, y)
