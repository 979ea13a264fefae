import numpy as np
import pytest

from convnp.data.augment import AlternatingFlip, Compose, Cutout, RandomCrop, RandomFlip

# A 3x3 one-channel image and its padded versions (padding 1), written out by hand.
IMAGE = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype=np.uint8)
ZERO_PADDED = np.array([[0, 0, 0, 0, 0],
                        [0, 1, 2, 3, 0],
                        [0, 4, 5, 6, 0],
                        [0, 7, 8, 9, 0],
                        [0, 0, 0, 0, 0]])
REFLECT_PADDED = np.array([[5, 4, 5, 6, 5],
                           [2, 1, 2, 3, 2],
                           [5, 4, 5, 6, 5],
                           [8, 7, 8, 9, 8],
                           [5, 4, 5, 6, 5]])


def _one(image):
    return image[None, :, :, None]  # (1, H, W, 1)


def _batch(rng, N=5, H=4, W=5, C=2, dtype=np.uint8):
    return rng.integers(0, 200, size=(N, H, W, C)).astype(dtype)


# -- RandomCrop ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mode, padded", [("zero", ZERO_PADDED), ("reflect", REFLECT_PADDED)])
def test_crop_with_one_possible_window_is_the_padded_image(mode, padded):
    out = RandomCrop(5, padding=1, padding_mode=mode)(_one(IMAGE), np.random.default_rng(0))
    np.testing.assert_array_equal(out[0, :, :, 0], padded)


@pytest.mark.parametrize("mode, padded", [("zero", ZERO_PADDED), ("reflect", REFLECT_PADDED)])
@pytest.mark.parametrize("seed", range(6))
def test_crop_takes_the_window_at_the_drawn_offset(mode, padded, seed):
    out = RandomCrop(3, padding=1, padding_mode=mode)(_one(IMAGE), np.random.default_rng(seed))
    # the documented draws: dy then dx, each uniform over the 3 positions
    ref = np.random.default_rng(seed)
    dy, dx = ref.integers(0, 3, size=1)[0], ref.integers(0, 3, size=1)[0]
    np.testing.assert_array_equal(out[0, :, :, 0], padded[dy:dy + 3, dx:dx + 3])


@pytest.mark.parametrize("mode", ["zero", "reflect"])
@pytest.mark.parametrize("size, padding", [((3, 4), 1), (4, 0), ((2, 5), 2), (1, 0)])
def test_crop_matches_a_loop_reference(rng, mode, size, padding):
    X = _batch(rng, N=7, H=4, W=5, C=2)
    seed = int(rng.integers(1 << 30))
    out = RandomCrop(size, padding=padding, padding_mode=mode)(X, np.random.default_rng(seed))
    h, w = size if isinstance(size, tuple) else (size, size)
    ref_rng = np.random.default_rng(seed)
    dy = ref_rng.integers(0, 4 + 2 * padding - h + 1, size=7)
    dx = ref_rng.integers(0, 5 + 2 * padding - w + 1, size=7)
    np_mode = "constant" if mode == "zero" else "reflect"
    assert out.shape == (7, h, w, 2) and out.dtype == X.dtype
    for n in range(7):
        padded = np.pad(X[n], ((padding, padding), (padding, padding), (0, 0)), mode=np_mode)
        np.testing.assert_array_equal(out[n], padded[dy[n]:dy[n] + h, dx[n]:dx[n] + w])


def test_crop_errors():
    X = np.zeros((2, 3, 3, 1), dtype=np.uint8)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"RandomCrop: the crop size \(h, w\) = \(6, 4\) is "
                                         r"larger than the padded image \(H \+ 2\*padding, "
                                         r"W \+ 2\*padding\) = \(5, 5\) \(H=3, W=3, padding=1\)"):
        RandomCrop((6, 4), padding=1)(X, rng)
    with pytest.raises(ValueError, match=r"RandomCrop: padding_mode='reflect' needs padding < H "
                                         r"and padding < W; got padding=3 for H=3, W=3"):
        RandomCrop(3, padding=3, padding_mode="reflect")(X, rng)
    with pytest.raises(ValueError, match="RandomCrop: size must be >= 1; got 0"):
        RandomCrop(0)
    with pytest.raises(ValueError, match=r"RandomCrop: size\[1\] must be >= 1; got -2"):
        RandomCrop((3, -2))
    with pytest.raises(ValueError, match=r"RandomCrop: size must be an int or a pair"):
        RandomCrop((3, 3, 3))
    with pytest.raises(ValueError, match="RandomCrop: padding must be >= 0; got -1"):
        RandomCrop(3, padding=-1)
    with pytest.raises(ValueError, match=r"padding_mode must be one of \['zero', 'reflect'\]; "
                                         r"got 'edge'"):
        RandomCrop(3, padding_mode="edge")
    with pytest.raises(ValueError, match=r"RandomCrop: X must be a 4-D batch of images "
                                         r"\(N, H, W, C\); got shape \(3, 3\)"):
        RandomCrop(3)(np.zeros((3, 3)), rng)
    with pytest.raises(TypeError, match="RandomCrop: rng must be a numpy.random.Generator"):
        RandomCrop(3)(X, 0)


# -- properties shared by the random transforms --------------------------------------------------

TRANSFORMS = [RandomCrop(3, padding=1), RandomCrop((2, 4), padding=2, padding_mode="reflect"),
              RandomFlip(), Cutout(2), Compose([RandomFlip(), RandomCrop(4, padding=1),
                                                Cutout(3, fill=9)])]


@pytest.mark.parametrize("t", TRANSFORMS, ids=repr)
@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32, np.float64])
def test_dtype_kept_input_untouched_and_seeded(rng, t, dtype):
    X = _batch(rng, N=8, H=4, W=5, C=3, dtype=dtype)
    before = X.copy()
    a = t(X, np.random.default_rng(5), epoch=1, indices=np.arange(8))
    b = t(X, np.random.default_rng(5), epoch=1, indices=np.arange(8))
    c = t(X, np.random.default_rng(6), epoch=1, indices=np.arange(8))
    np.testing.assert_array_equal(X, before)
    assert a.dtype == X.dtype and not np.shares_memory(a, X)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


# -- RandomFlip ---------------------------------------------------------------------------------

def test_flip_mirrors_exactly_the_drawn_images(rng):
    X = _batch(rng, N=20)
    out = RandomFlip(p=0.3)(X, np.random.default_rng(11))
    mask = np.random.default_rng(11).random(20) < 0.3
    for n in range(20):
        expected = X[n, :, ::-1] if mask[n] else X[n]
        np.testing.assert_array_equal(out[n], expected)
    assert 0 < mask.sum() < 20


def test_flip_hand_worked_and_extreme_p():
    X = np.array([1, 2, 3], dtype=np.uint8).reshape(1, 1, 3, 1)
    rng = np.random.default_rng(0)
    np.testing.assert_array_equal(RandomFlip(p=1)(X, rng).ravel(), [3, 2, 1])
    np.testing.assert_array_equal(RandomFlip(p=0)(X, rng).ravel(), [1, 2, 3])


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_flip_p_out_of_range(p):
    with pytest.raises(ValueError, match=rf"RandomFlip: p must be in \[0, 1\]; got {p:g}"):
        RandomFlip(p)


# -- AlternatingFlip ----------------------------------------------------------------------------

def test_alternating_flip_flips_each_image_in_exactly_one_of_two_epochs(rng):
    t = AlternatingFlip(seed=3)
    X = _batch(rng, N=12)
    idx = rng.permutation(1000)[:12]
    for epoch in range(4):
        now = t(X, None, epoch=epoch, indices=idx)
        nxt = t(X, None, epoch=epoch + 1, indices=idx)
        for n in range(12):
            flipped_now = np.array_equal(now[n], X[n, :, ::-1])
            flipped_next = np.array_equal(nxt[n], X[n, :, ::-1])
            assert flipped_now != flipped_next
            assert np.array_equal(now[n], X[n]) != flipped_now


def test_alternating_flip_bits_depend_on_the_index_only():
    t = AlternatingFlip(seed=0)
    all_bits = t.bits(np.arange(10_000))
    # about half of the images are flipped in an epoch
    assert 0.47 < all_bits.mean() < 0.53
    # a batch's bits are the dataset's bits at its indices, whatever the batch
    idx = np.array([9_999, 3, 3, 0, 512])
    np.testing.assert_array_equal(t.bits(idx), all_bits[idx])
    np.testing.assert_array_equal(t.flipped(idx, 0), all_bits[idx])
    np.testing.assert_array_equal(t.flipped(idx, 1), ~all_bits[idx])
    np.testing.assert_array_equal(t.flipped(idx, 6), t.flipped(idx, 0))
    # another seed, other bits; the same seed, the same bits
    assert np.mean(AlternatingFlip(seed=1).bits(np.arange(10_000)) != all_bits) > 0.4
    np.testing.assert_array_equal(AlternatingFlip(seed=0).bits(np.arange(10_000)), all_bits)


def test_alternating_flip_output_follows_its_bits(rng):
    t = AlternatingFlip(seed=7)
    X = _batch(rng, N=9)
    idx = np.arange(100, 109)
    out = t(X, np.random.default_rng(0), epoch=3, indices=idx)
    mask = t.flipped(idx, 3)
    np.testing.assert_array_equal(out[mask], X[mask][:, :, ::-1])
    np.testing.assert_array_equal(out[~mask], X[~mask])


def test_alternating_flip_errors():
    X = np.zeros((2, 2, 2, 1), dtype=np.uint8)
    t = AlternatingFlip()
    with pytest.raises(ValueError, match=r"AlternatingFlip: indices \(the dataset rows of the "
                                         r"batch, shape \(N,\)\) are required.*got None"):
        t(X, None, epoch=0)
    with pytest.raises(ValueError, match=r"AlternatingFlip: indices must have shape \(2,\), "
                                         r"one per image of X \(2, 2, 2, 1\); got \(3,\)"):
        t(X, None, indices=np.arange(3))
    with pytest.raises(ValueError, match="AlternatingFlip: indices must be >= 0; got -1"):
        t(X, None, indices=np.array([0, -1]))
    with pytest.raises(ValueError, match="indices must be a 1-D array of ints"):
        t(X, None, indices=np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="AlternatingFlip: epoch must be >= 0; got -1"):
        t(X, None, epoch=-1, indices=np.arange(2))
    with pytest.raises(ValueError, match="AlternatingFlip: seed must be >= 0; got -1"):
        AlternatingFlip(seed=-1)


# -- Cutout -------------------------------------------------------------------------------------

def test_cutout_zeroes_the_square_around_the_drawn_centre():
    X = np.ones((1, 5, 5, 2), dtype=np.uint8)
    for seed in range(10):
        out = Cutout(3)(X, np.random.default_rng(seed))
        ref = np.random.default_rng(seed)
        cy, cx = ref.integers(0, 5, size=1)[0], ref.integers(0, 5, size=1)[0]
        expected = np.ones((5, 5), dtype=np.uint8)
        expected[max(cy - 1, 0):cy + 2, max(cx - 1, 0):cx + 2] = 0
        for c in range(2):
            np.testing.assert_array_equal(out[0, :, :, c], expected)


def _seed_whose_first_draws_are(*draws):
    """A seed whose first calls rng.integers(0, high, 1) give the wanted values (no mocking)."""
    for seed in range(10_000):
        r = np.random.default_rng(seed)
        if all(r.integers(0, high, size=1)[0] == value for value, high in draws):
            return seed
    raise AssertionError(f"no seed draws {draws}")


def test_cutout_hand_worked_corner():
    # 4x4 image, size 2: rows cy - 1 .. cy, so the centre (0, 0) cuts the one corner pixel
    seed = _seed_whose_first_draws_are((0, 4), (0, 4))
    X = np.full((1, 4, 4, 1), 5, dtype=np.uint8)
    out = Cutout(2)(X, np.random.default_rng(seed))
    expected = np.full((4, 4), 5)
    expected[0, 0] = 0
    np.testing.assert_array_equal(out[0, :, :, 0], expected)


@pytest.mark.parametrize("size", [1, 2, 3, 6])
def test_cutout_matches_a_loop_reference(rng, size):
    X = _batch(rng, N=30, H=4, W=5, C=3)
    out = Cutout(size, fill=17)(X, np.random.default_rng(2))
    ref = np.random.default_rng(2)
    cy, cx = ref.integers(0, 4, size=30), ref.integers(0, 5, size=30)
    for n in range(30):
        expected = X[n].copy()
        for i in range(4):
            for j in range(5):
                if cy[n] - size // 2 <= i < cy[n] - size // 2 + size and \
                        cx[n] - size // 2 <= j < cx[n] - size // 2 + size:
                    expected[i, j, :] = 17
        np.testing.assert_array_equal(out[n], expected)


def test_cutout_fill_must_fit_the_dtype():
    X = np.zeros((1, 2, 2, 1), dtype=np.uint8)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"Cutout: fill=-1 cannot be stored in X's dtype uint8 "
                                         r"\(integers in \[0, 255\]\)"):
        Cutout(1, fill=-1)(X, rng)
    with pytest.raises(ValueError, match="Cutout: fill=0.5 cannot be stored"):
        Cutout(1, fill=0.5)(X, rng)
    out = Cutout(2, fill=0.5)(X.astype(np.float32), np.random.default_rng(0))
    assert out.dtype == np.float32 and 0.5 in out
    with pytest.raises(ValueError, match="Cutout: size must be >= 1; got 0"):
        Cutout(0)


# -- Compose ------------------------------------------------------------------------------------

def test_compose_equals_the_steps_in_order_with_one_rng(rng):
    X = _batch(rng, N=6)
    idx = np.arange(6) * 10
    steps = [RandomFlip(), AlternatingFlip(seed=2), RandomCrop(3, padding=1), Cutout(2)]
    out = Compose(steps)(X, np.random.default_rng(4), epoch=5, indices=idx)
    ref_rng = np.random.default_rng(4)
    ref = X
    for t in steps:
        ref = t(ref, ref_rng, epoch=5, indices=idx)
    np.testing.assert_array_equal(out, ref)


def test_compose_passes_epoch_and_indices_to_every_step():
    seen = []

    def record(X, rng, *, epoch=0, indices=None):
        seen.append((epoch, None if indices is None else list(indices)))
        return X

    X = np.zeros((2, 1, 1, 1))
    Compose([record, record])(X, None, epoch=3, indices=np.array([4, 5]))
    assert seen == [(3, [4, 5]), (3, [4, 5])]


def test_compose_empty_copies_and_errors():
    X = np.ones((1, 2, 2, 1))
    out = Compose([])(X, None)
    np.testing.assert_array_equal(out, X)
    assert out is not X
    with pytest.raises(TypeError, match=r"Compose: transforms\[1\] must be a callable"):
        Compose([RandomFlip(), 3])
    with pytest.raises(TypeError, match="Compose: transforms must be a list of callables; got "
                                        "RandomFlip"):
        Compose(RandomFlip())
    assert repr(Compose([RandomFlip(0.2), Cutout(3)])) == \
        "Compose([RandomFlip(p=0.2), Cutout(size=3, fill=0)])"
