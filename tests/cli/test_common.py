"""convnp.cli._common: test-time augmentation and batched prediction."""

import numpy as np
import pytest

from convnp.cli._common import _tta_views, predict_proba, softmax


def test_tta_views_are_airbenchs_mirrors_and_diagonal_moves():
    X = np.random.default_rng(0).integers(0, 256, (3, 5, 6, 2), dtype=np.uint8)
    views = _tta_views(X)
    assert [w for _, w in views] == [0.25, 0.25, 0.125, 0.125, 0.125, 0.125]
    assert sum(w for _, w in views) == 1.0
    (same, _), (mirror, _), (down, _), (down_m, _), (up, _), (up_m, _) = views
    np.testing.assert_array_equal(same, X)
    np.testing.assert_array_equal(mirror, X[:, :, ::-1])
    # One pixel down and right: pixel (i, j) shows X's (i - 1, j - 1); row and column 0
    # reflect X's row and column 1.
    np.testing.assert_array_equal(down[:, 1:, 1:], X[:, :-1, :-1])
    np.testing.assert_array_equal(down[:, 0, 1:], X[:, 1, :-1])
    np.testing.assert_array_equal(down[:, 1:, 0], X[:, :-1, 1])
    np.testing.assert_array_equal(down[:, 0, 0], X[:, 1, 1])
    # One pixel up and left: (i, j) shows (i + 1, j + 1); the last row and column reflect
    # X's second to last.
    np.testing.assert_array_equal(up[:, :-1, :-1], X[:, 1:, 1:])
    np.testing.assert_array_equal(up[:, -1, :-1], X[:, -2, 1:])
    np.testing.assert_array_equal(up[:, :-1, -1], X[:, 1:, -2])
    np.testing.assert_array_equal(up[:, -1, -1], X[:, -2, -2])
    np.testing.assert_array_equal(down_m, down[:, :, ::-1])
    np.testing.assert_array_equal(up_m, up[:, :, ::-1])
    assert all(v.shape == X.shape and v.dtype == X.dtype for v, _ in views)


def test_tta_views_of_one_pixel_images():
    X = np.arange(6, dtype=np.uint8).reshape(2, 1, 1, 3)
    for v, _ in _tta_views(X):
        np.testing.assert_array_equal(v, X)


class _Linear:
    """Scores linear in the image, so the weighted mean of the views' scores is the score of
    the weighted mean of the views: an independent recount of predict_proba's TTA."""

    def __init__(self, D, K, seed=0):
        self.W = np.random.default_rng(seed).standard_normal((D, K))

    def loss(self, X):
        return X.reshape(X.shape[0], -1) @ self.W


@pytest.mark.parametrize("batch_size", [4, 256])
def test_predict_proba_averages_the_views_scores_in_batches(batch_size):
    rng = np.random.default_rng(1)
    X = rng.integers(0, 256, (10, 4, 4, 3), dtype=np.uint8)
    model = _Linear(4 * 4 * 3, 5)

    def preprocess(v):
        return v.astype(np.float64) / 255.0

    plain = predict_proba(model, X, preprocess, batch_size=batch_size)
    np.testing.assert_allclose(plain, softmax(model.loss(preprocess(X))), rtol=1e-12)
    mean_image = sum(w * preprocess(v) for v, w in _tta_views(X))
    tta = predict_proba(model, X, preprocess, batch_size=batch_size, tta=True)
    np.testing.assert_allclose(tta, softmax(model.loss(mean_image)), rtol=1e-10)
    assert tta.shape == (10, 5) and np.allclose(tta.sum(axis=1), 1.0)
    assert not np.allclose(tta, plain)
