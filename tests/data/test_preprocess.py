import numpy as np
import pytest

from convnp import checkpoint
from convnp.data.preprocess import (
    MeanImage,
    NotFittedError,
    PCAWhiten,
    Standardize,
    ZCAWhiten,
    from_state,
)


def _images(rng, N=6, H=3, W=4, C=3):
    return rng.integers(0, 256, size=(N, H, W, C), dtype=np.uint8)


def _correlated(rng, N=3000, D=5):
    """Rows with a full-rank covariance of very different variances along skewed axes."""
    A = rng.normal(size=(D, D)) * np.linspace(3.0, 0.3, D)
    return rng.normal(size=(N, D)) @ A.T + rng.normal(size=D) * 10


def _cov(Z):
    Zc = Z - Z.mean(axis=0)
    return Zc.T @ Zc / Z.shape[0]


# -- Standardize --------------------------------------------------------------------------------

def test_standardize_hand_worked_statistics_and_layout():
    # two 1x2 images, two channels. Over N, H, W: channel 0 holds (0, 4, 2, 2): mean 2,
    # std sqrt(2); channel 1 holds (10, 20, 30, 40): mean 25, std sqrt(125)
    X = np.array([[[[0, 10], [4, 20]]], [[[2, 30], [2, 40]]]], dtype=np.uint8)  # (2, 1, 2, 2)
    pre = Standardize().fit(X)
    np.testing.assert_array_equal(pre.mean, [2.0, 25.0])
    np.testing.assert_allclose(pre.std, [np.sqrt(2.0), np.sqrt(125.0)])
    Z = pre(X)
    assert Z.dtype == np.float32 and Z.shape == (2, 2, 1, 2)
    # Z[n, c, h, w] = (X[n, h, w, c] - mean[c]) / std[c], by hand for image 0
    np.testing.assert_allclose(Z[0, 0, 0], [-2 / np.sqrt(2), 2 / np.sqrt(2)], rtol=1e-6)
    np.testing.assert_allclose(Z[0, 1, 0], [-15 / np.sqrt(125), -5 / np.sqrt(125)], rtol=1e-6)


def test_standardize_matches_a_loop_reference(rng):
    X = _images(rng, N=4, H=3, W=2, C=3)
    pre = Standardize().fit(X)
    Z = pre(X)
    ref = np.empty((4, 3, 3, 2))
    for c in range(3):
        vals = X[..., c].astype(np.float64)
        m, s = vals.mean(), vals.std()
        for n in range(4):
            ref[n, c] = (vals[n] - m) / s
    np.testing.assert_allclose(Z, ref, rtol=1e-5, atol=1e-6)


def test_standardize_output_is_centred_and_unit_variance_on_fit_data(rng):
    X = _images(rng, N=20, H=5, W=5, C=3)
    Z = Standardize().fit(X)(X).astype(np.float64)
    np.testing.assert_allclose(Z.mean(axis=(0, 2, 3)), 0.0, atol=1e-5)
    np.testing.assert_allclose(Z.std(axis=(0, 2, 3)), 1.0, atol=1e-5)


def test_standardize_uses_only_the_statistics_of_the_fit_array(rng):
    X_train = _images(rng, N=10)
    X_test = (X_train // 2 + 100).astype(np.uint8)  # another mean and spread
    pre = Standardize().fit(X_train)
    train_mean = X_train.mean(axis=(0, 1, 2), dtype=np.float64)
    train_std = X_train.std(axis=(0, 1, 2), dtype=np.float64)
    np.testing.assert_allclose(pre.mean, train_mean)
    np.testing.assert_allclose(pre.std, train_std)
    Z = pre(X_test).astype(np.float64)
    test_mean = X_test.mean(axis=(0, 1, 2), dtype=np.float64)
    # the test batch is standardized with the training statistics, so it is not centred
    np.testing.assert_allclose(Z.mean(axis=(0, 2, 3)), (test_mean - train_mean) / train_std,
                               rtol=1e-5)
    assert np.all(np.abs(Z.mean(axis=(0, 2, 3))) > 0.1)


def test_standardize_constant_channel_is_centred_not_divided_by_zero():
    X = np.zeros((2, 2, 2, 2), dtype=np.uint8)
    X[..., 0] = 7
    X[0, 0, 0, 1] = 4
    pre = Standardize().fit(X)
    assert pre.std[0] == 1.0
    Z = pre(X)
    assert np.all(Z[:, 0] == 0) and np.all(np.isfinite(Z))


def test_standardize_with_given_statistics_needs_no_fit():
    X = np.full((1, 2, 2, 3), 100, dtype=np.uint8)
    pre = Standardize(mean=(100, 50, 0), std=[1, 2, 4])
    Z = pre(X)
    np.testing.assert_array_equal(Z[0, :, 0, 0], [0.0, 25.0, 25.0])


def test_standardize_inverse_round_trip(rng):
    X = _images(rng)
    pre = Standardize().fit(X)
    back = pre.inverse(pre(X))
    assert back.shape == X.shape and back.dtype == np.float32
    np.testing.assert_allclose(back, X, atol=1e-3)
    back64 = pre.inverse(pre(X).astype(np.float64))
    assert back64.dtype == np.float64


def test_standardize_accepts_float_input(rng):
    X = _images(rng)
    pre = Standardize().fit(X)
    np.testing.assert_allclose(pre(X.astype(np.float64)), pre(X), rtol=1e-6)


@pytest.mark.parametrize("kwargs, match", [
    ({"mean": (1, 2)}, "give mean and std together"),
    ({"mean": (1, 2), "std": (1,)},
     "mean and std must have one value per channel each; got 2 means and 1 stds"),
    ({"mean": (1, 2), "std": (1, 0)}, r"std must be > 0 in every channel; got \[1.0, 0.0\]"),
    ({"mean": 3, "std": 1}, "mean must be a sequence of per-channel values"),
    ({"eps": -1.0}, r"eps must be in \[0, inf\); got -1"),
])
def test_standardize_constructor_errors(kwargs, match):
    with pytest.raises(ValueError, match="Standardize: " + match):
        Standardize(**kwargs)


def test_standardize_call_errors(rng):
    pre = Standardize().fit(_images(rng, C=3))
    with pytest.raises(ValueError, match=r"Standardize: X has 4 channels \(last axis\) but the "
                                         r"statistics have 3 \(X \(2, 3, 5, 4\), mean \(3,\)\); "
                                         r"is it channels-first"):
        pre(np.zeros((2, 3, 5, 4), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"Standardize: X must be 4-D \(N, H, W, C\) images; "
                                         r"got shape \(2, 3\)"):
        pre(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="Standardize: X must be a numpy.ndarray; got list"):
        pre([[1.0]])
    with pytest.raises(TypeError, match="X must hold numbers .* got dtype bool"):
        pre(np.zeros((1, 1, 1, 3), dtype=bool))
    with pytest.raises(ValueError, match=r"Standardize.inverse: Z has 4 channels \(axis 1\)"):
        pre.inverse(np.zeros((1, 4, 2, 2), dtype=np.float32))
    with pytest.raises(ValueError, match="at least one example"):
        Standardize().fit(np.zeros((0, 2, 2, 3), dtype=np.uint8))


# -- not fitted ---------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", [Standardize, MeanImage, PCAWhiten, ZCAWhiten])
def test_using_before_fit_raises(cls):
    pre = cls()
    assert not pre.fitted
    X = np.zeros((2, 2, 2, 3), dtype=np.uint8)
    with pytest.raises(NotFittedError, match=rf"{cls.__name__}: this {cls.__name__} is not "
                                             rf"fitted; call {cls.__name__}.fit\(X_train\)"):
        pre(X)
    with pytest.raises(NotFittedError, match=r"\.inverse: .* not fitted"):
        pre.inverse(np.zeros((2, 3, 2, 2) if cls is not PCAWhiten else (2, 3)))
    with pytest.raises(NotFittedError, match=r"\.state: .* not fitted"):
        pre.state()
    assert isinstance(NotFittedError("x"), ValueError)


# -- MeanImage ----------------------------------------------------------------------------------

def test_mean_image_hand_worked():
    X = np.array([[[[0], [2]]], [[[4], [8]]]], dtype=np.uint8)  # (2, 1, 2, 1)
    pre = MeanImage().fit(X)
    np.testing.assert_array_equal(pre.mean, [[[2.0], [5.0]]])
    Z = pre(X)
    assert Z.dtype == np.float32 and Z.shape == (2, 1, 1, 2)
    np.testing.assert_array_equal(Z[:, 0, 0], [[-2, -3], [2, 3]])
    np.testing.assert_array_equal(pre.inverse(Z), X)


def test_mean_image_layout_fit_only_and_rows(rng):
    X_train, X_test = _images(rng, N=5), _images(rng, N=3)
    pre = MeanImage().fit(X_train)
    expected = (X_test - X_train.mean(axis=0)).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(pre(X_test), expected, rtol=1e-6, atol=1e-4)
    rows = X_train.reshape(5, -1).astype(np.float64)
    pre2 = MeanImage().fit(rows)
    np.testing.assert_allclose(pre2(rows), rows - rows.mean(axis=0), atol=1e-4)
    np.testing.assert_allclose(pre2.inverse(pre2(rows)), rows, atol=1e-4)
    with pytest.raises(ValueError, match=r"MeanImage: X must have examples of shape \(3, 4, 3\), "
                                         r"as the array given to fit; got X of shape "
                                         r"\(1, 4, 3, 3\)"):
        pre(np.zeros((1, 4, 3, 3), dtype=np.uint8))


# -- PCA / ZCA ----------------------------------------------------------------------------------

def test_pca_whitened_training_data_has_identity_covariance(rng):
    X = _correlated(rng)
    eps = 1e-5
    pre = PCAWhiten(eps=eps).fit(X)
    Z = pre(X).astype(np.float64)
    assert Z.shape == X.shape and pre(X).dtype == np.float32
    # independent reference: the eigenvalues of the covariance from the SVD of the data
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    S = s ** 2 / X.shape[0]
    np.testing.assert_allclose(pre.eigenvalues, S, rtol=1e-10)
    # exactly diag(S / (S + eps)) up to float32 output rounding; within eps / S_min of I
    np.testing.assert_allclose(_cov(Z), np.diag(S / (S + eps)), atol=1e-5)
    np.testing.assert_allclose(_cov(Z), np.eye(5), atol=eps / S.min() + 1e-5)


def test_pca_large_eps_shrinks_the_weak_directions(rng):
    X = _correlated(rng)
    eps = 1.0
    pre = PCAWhiten(eps=eps).fit(X)
    S = pre.eigenvalues
    np.testing.assert_allclose(np.diag(_cov(pre(X).astype(np.float64))), S / (S + eps),
                               rtol=1e-5)


def test_pca_num_components_and_approximate_inverse(rng):
    X = _correlated(rng, N=500, D=6).reshape(500, 2, 3)
    k = 3
    pre = PCAWhiten(num_components=k).fit(X)
    Z = pre(X)
    assert Z.shape == (500, k)
    back = pre.inverse(Z.astype(np.float64))
    assert back.shape == X.shape
    # reference: projection of the centred data on its top-k right singular vectors
    X2 = X.reshape(500, -1)
    mu = X2.mean(axis=0)
    _, _, Vt = np.linalg.svd(X2 - mu, full_matrices=False)
    ref = (X2 - mu) @ Vt[:k].T @ Vt[:k] + mu
    np.testing.assert_allclose(back.reshape(500, -1), ref, rtol=1e-5, atol=1e-6)
    full = PCAWhiten().fit(X)
    np.testing.assert_allclose(full.inverse(full(X).astype(np.float64)), X, atol=1e-4)


def test_pca_eigenvector_signs_are_fixed(rng):
    X = _correlated(rng, N=200, D=4)
    U = PCAWhiten().fit(X).eigenvectors
    biggest = U[np.argmax(np.abs(U), axis=0), np.arange(4)]
    assert np.all(biggest > 0)
    np.testing.assert_allclose(U.T @ U, np.eye(4), atol=1e-12)


def test_zca_matrix_is_symmetric_and_whitens(rng):
    X = _correlated(rng, N=2000, D=4)
    eps = 1e-5
    pre = ZCAWhiten(eps=eps).fit(X)
    assert np.array_equal(pre.matrix, pre.matrix.T)
    # reference: cov^(-1/2) (with eps) from the SVD of the centred data
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    ref = Vt.T @ np.diag(1 / np.sqrt(s ** 2 / X.shape[0] + eps)) @ Vt
    np.testing.assert_allclose(pre.matrix, ref, rtol=1e-8, atol=1e-10)
    Z = pre(X).astype(np.float64)
    S = s ** 2 / X.shape[0]
    # exactly V diag(S / (S + eps)) V.T up to float32 rounding; within eps / S_min of I
    np.testing.assert_allclose(_cov(Z), Vt.T @ np.diag(S / (S + eps)) @ Vt, atol=1e-5)
    np.testing.assert_allclose(_cov(Z), np.eye(4), atol=eps / S.min() + 1e-5)
    np.testing.assert_allclose(pre.inverse(pre(X).astype(np.float64)), X, atol=1e-3)


def test_zca_on_images_is_nhwc_in_nchw_out(rng):
    X = rng.integers(0, 256, size=(60, 2, 2, 2), dtype=np.uint8)
    pre = ZCAWhiten(eps=1e-2).fit(X)
    Z = pre(X)
    assert Z.shape == (60, 2, 2, 2) and Z.dtype == np.float32
    # the same numbers as whitening the flattened rows, laid out channels first
    rows = ZCAWhiten(eps=1e-2).fit(X.reshape(60, -1))(X.reshape(60, -1))
    np.testing.assert_allclose(Z, rows.reshape(60, 2, 2, 2).transpose(0, 3, 1, 2), rtol=1e-5,
                               atol=1e-5)
    back = pre.inverse(Z)
    assert back.shape == X.shape
    np.testing.assert_allclose(back, X, atol=2e-2)


def test_whitening_errors(rng):
    X = _correlated(rng, N=20, D=4)
    with pytest.raises(ValueError, match=r"PCAWhiten.fit: num_components=5 is more than the "
                                         r"D=4 values of one example \(X \(20, 4\)\)"):
        PCAWhiten(num_components=5).fit(X)
    with pytest.raises(ValueError, match="PCAWhiten: num_components must be >= 1; got 0"):
        PCAWhiten(num_components=0)
    pre = PCAWhiten(num_components=2).fit(X)
    with pytest.raises(ValueError, match=r"PCAWhiten.inverse: Z must have shape \(N, 2\) "
                                         r"\(num_components\); got \(3, 4\)"):
        pre.inverse(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"PCAWhiten: X must have examples of shape \(4,\)"):
        pre(np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"ZCAWhiten.fit: X must be 2-D \(N, D\) rows or 4-D "
                                         r"\(N, H, W, C\) images; got shape \(2, 3, 4\)"):
        ZCAWhiten().fit(np.zeros((2, 3, 4)))


# -- state -----------------------------------------------------------------------------------

def _fitted(kind, rng):
    X = rng.integers(0, 256, size=(40, 2, 3, 2), dtype=np.uint8)
    pre = {"Standardize": Standardize(), "MeanImage": MeanImage(),
           "PCAWhiten": PCAWhiten(num_components=5, eps=0.5),
           "ZCAWhiten": ZCAWhiten(eps=0.5)}[kind]
    return pre.fit(X), X


@pytest.mark.parametrize("kind", ["Standardize", "MeanImage", "PCAWhiten", "ZCAWhiten"])
def test_state_round_trip_through_a_checkpoint_file(kind, rng, tmp_path):
    pre, X = _fitted(kind, rng)
    config, arrays = pre.state()
    assert config["type"] == kind
    assert all(a.dtype == np.float64 for a in arrays.values())
    path = checkpoint.save(tmp_path / "pre.npz", {f"pre/{k}": v for k, v in arrays.items()},
                           {"preprocess": config})
    loaded_arrays, meta = checkpoint.load(path)
    back = from_state(meta["preprocess"],
                      {k[len("pre/"):]: v for k, v in loaded_arrays.items()})
    assert type(back) is type(pre)
    np.testing.assert_array_equal(back(X), pre(X))
    Z = pre(X)
    np.testing.assert_array_equal(back.inverse(Z), pre.inverse(Z))


def test_from_state_errors(rng):
    pre, _ = _fitted("PCAWhiten", rng)
    config, arrays = pre.state()
    with pytest.raises(ValueError, match=r"from_state: config\['type'\] must be one of "
                                         r"\['MeanImage', 'PCAWhiten', 'Standardize', "
                                         r"'ZCAWhiten'\]; got 'Whiten'"):
        from_state({**config, "type": "Whiten"}, arrays)
    with pytest.raises(ValueError, match=r"from_state: arrays is missing key\(s\) \['mean'\]"):
        from_state(config, {k: v for k, v in arrays.items() if k != "mean"})
    with pytest.raises(ValueError, match=r"from_state: the arrays of a PCAWhiten with "
                                         r"example_shape \[2, 3, 2\] must be mean \(12,\), "
                                         r"eigenvalues \(5,\), eigenvectors \(12, 5\)"):
        from_state(config, {**arrays, "eigenvectors": arrays["eigenvectors"][:, :4]})
    with pytest.raises(ValueError, match=r"from_state: config has unknown key\(s\) \['x'\]"):
        from_state({**config, "x": 1}, arrays)
    with pytest.raises(TypeError, match="from_state: config must be a dict; got list"):
        from_state([], arrays)


def test_reprs(rng):
    assert repr(Standardize()) == "Standardize(not fitted)"
    assert repr(Standardize(mean=[1, 2], std=[3, 4])) == "Standardize(mean=[1.0, 2.0], " \
                                                          "std=[3.0, 4.0])"
    assert repr(PCAWhiten(3)) == "PCAWhiten(num_components=3, eps=1e-05, not fitted)"
    assert repr(MeanImage().fit(_images(rng))) == "MeanImage(mean of shape (3, 4, 3))"
