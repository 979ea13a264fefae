import numpy as np

from convnp.data.digits import DIGITS_MAX, digits_classes, load_digits


def test_the_embedded_digits_are_sklearns_1797_images():
    X, y = load_digits()
    assert X.shape == (1797, 8, 8) and X.dtype == np.uint8
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.max() == DIGITS_MAX and X.min() == 0
    # scikit-learn's class counts and first image (sklearn.datasets.load_digits().images[0])
    np.testing.assert_array_equal(np.bincount(y),
                                  [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    np.testing.assert_array_equal(X[0], [[0, 0, 5, 13, 9, 1, 0, 0],
                                         [0, 0, 13, 15, 10, 15, 5, 0],
                                         [0, 3, 15, 2, 0, 11, 8, 0],
                                         [0, 4, 12, 0, 0, 8, 8, 0],
                                         [0, 5, 8, 0, 0, 9, 8, 0],
                                         [0, 4, 11, 0, 1, 12, 7, 0],
                                         [0, 2, 14, 5, 10, 12, 0, 0],
                                         [0, 0, 6, 13, 10, 0, 0, 0]])
    np.testing.assert_array_equal(y[:10], np.arange(10))
    assert digits_classes() == [str(i) for i in range(10)]
