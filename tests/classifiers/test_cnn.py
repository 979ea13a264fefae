import math

import numpy as np
import pytest

from convnp.classifiers import ThreeLayerConvNet
from convnp.layers import conv_forward_naive, max_pool_forward_naive
from tests.classifiers import assert_model_grads


def _reference_scores(model, X):
    """The forward pass written out with the naive layers and plain NumPy."""
    p = model.params
    pad = (p["W1"].shape[2] - 1) // 2
    a = conv_forward_naive(X, p["W1"], p["b1"], {"stride": 1, "pad": pad})[0]
    pool = {"pool_height": 2, "pool_width": 2, "stride": 2}
    pooled = max_pool_forward_naive(np.maximum(0, a), pool)[0]
    hidden = np.maximum(0, pooled.reshape(X.shape[0], -1) @ p["W2"] + p["b2"])
    return hidden @ p["W3"] + p["b3"]


def test_params(rng):
    model = ThreeLayerConvNet(rng=rng)
    p = model.params
    shapes = {"W1": (32, 3, 7, 7), "b1": (32,), "W2": (32 * 16 * 16, 100), "b2": (100,),
              "W3": (100, 10), "b3": (10,)}
    assert {k: v.shape for k, v in p.items()} == shapes
    assert model.dtype == np.float32 and all(v.dtype == np.float32 for v in p.values())
    assert all(np.all(p[f"b{i}"] == 0) for i in (1, 2, 3))
    assert abs(p["W2"].std() - 1e-3) < 1e-4 and abs(p["W1"].std() - 1e-3) < 1e-4
    assert model.reg == 0.0


def test_initial_loss(rng):
    # The course's sanity check: small weights give a loss near ln(10); reg raises it.
    N = 10
    X, y = rng.standard_normal((N, 3, 32, 32)), rng.integers(10, size=N)
    model = ThreeLayerConvNet(rng=rng)
    loss, _ = model.loss(X, y)
    assert abs(loss - math.log(10)) < 0.1
    model.reg = 0.5
    loss_reg, _ = model.loss(X, y)
    Ws = [model.params[f"W{i}"].astype(np.float64) for i in (1, 2, 3)]
    assert loss_reg > loss + 0.1
    assert loss_reg == pytest.approx(loss + 0.25 * sum(np.sum(W * W) for W in Ws), rel=1e-5)


@pytest.mark.parametrize("reg", [0.0, 0.5])
def test_gradients(rng, reg):
    # The course's check, in float64 on a small input. weight_scale 0.3 keeps the gradients
    # well above the rounding noise of the numeric ones.
    X, y = rng.standard_normal((3, 3, 8, 8)), rng.integers(10, size=3)
    model = ThreeLayerConvNet(input_dim=(3, 8, 8), num_filters=3, filter_size=3, hidden_dim=7,
                              weight_scale=0.3, reg=reg, dtype=np.float64, rng=rng)
    assert_model_grads(model, X, y)


@pytest.mark.parametrize("input_dim, filter_size", [((1, 4, 6), 1), ((2, 6, 4), 5),
                                                    ((3, 2, 2), 3)])
def test_gradients_other_shapes(rng, input_dim, filter_size):
    # One channel, rectangular images, a 1x1 and a 5x5 filter, and a 1x1 map after the pool.
    X, y = rng.standard_normal((2, *input_dim)), rng.integers(4, size=2)
    model = ThreeLayerConvNet(input_dim=input_dim, num_filters=2, filter_size=filter_size,
                              hidden_dim=5, num_classes=4, weight_scale=0.3, reg=0.1,
                              dtype=np.float64, rng=rng)
    assert_model_grads(model, X, y)


@pytest.mark.parametrize("N, input_dim, filter_size", [(1, (1, 4, 4), 3), (3, (3, 8, 6), 5),
                                                       (2, (2, 6, 6), 7)])
def test_scores_match_naive_layers(rng, N, input_dim, filter_size):
    X = rng.standard_normal((N, *input_dim))
    model = ThreeLayerConvNet(input_dim=input_dim, num_filters=4, filter_size=filter_size,
                              hidden_dim=6, num_classes=5, weight_scale=0.3, dtype=np.float64,
                              rng=rng)
    scores = model.loss(X)
    assert scores.shape == (N, 5)
    np.testing.assert_allclose(scores, _reference_scores(model, X), rtol=1e-10, atol=1e-12)


def test_dtype(rng):
    X, y = rng.standard_normal((2, 3, 8, 8)), rng.integers(10, size=2)
    for dtype in (np.float32, np.float64):
        model = ThreeLayerConvNet(input_dim=(3, 8, 8), num_filters=2, filter_size=3,
                                  hidden_dim=5, dtype=dtype, rng=rng)
        loss, grads = model.loss(X, y)  # float64 X is cast to the model's dtype
        assert isinstance(loss, float)
        assert model.loss(X).dtype == dtype
        assert all(grads[k].dtype == dtype and grads[k].shape == v.shape
                   for k, v in model.params.items())


def test_determinism():
    kw = dict(input_dim=(3, 8, 8), num_filters=2, filter_size=3, hidden_dim=5)
    a = ThreeLayerConvNet(rng=np.random.default_rng(5), **kw)
    b = ThreeLayerConvNet(rng=np.random.default_rng(5), **kw)
    c = ThreeLayerConvNet(rng=np.random.default_rng(5), dtype=np.float64, **kw)
    X, y = np.random.default_rng(6).standard_normal((2, 3, 8, 8)), np.array([1, 7])
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
        np.testing.assert_array_equal(a.params[k], c.params[k].astype(np.float32))
    assert a.loss(X, y)[0] == b.loss(X, y)[0]


CONSTRUCTOR_ERRORS = [
    ({"input_dim": (3, 32)}, ValueError,
     r"ThreeLayerConvNet: input_dim must be a tuple \(C, H, W\) of 3 ints >= 1; got \(3, 32\)"),
    ({"input_dim": 3072}, ValueError, r"input_dim must be a tuple \(C, H, W\) .*; got 3072"),
    ({"input_dim": (0, 32, 32)}, ValueError, r"ThreeLayerConvNet: input_dim\[0\] must be >= 1; "
                                             r"got 0"),
    ({"input_dim": (3, 31, 32)}, ValueError,
     r"input_dim's H and W must be even, for the 2x2 max pool with stride 2; "
     r"got input_dim \(3, 31, 32\)"),
    ({"filter_size": 4}, ValueError,
     r"ThreeLayerConvNet: filter_size must be odd, so that the convolution \(stride 1, "
     r"pad \(filter_size - 1\) // 2\) keeps H and W; got 4"),
    ({"num_filters": 0}, ValueError, r"ThreeLayerConvNet: num_filters must be >= 1; got 0"),
    ({"hidden_dim": 1.5}, TypeError, r"ThreeLayerConvNet: hidden_dim must be an int; got 1.5"),
    ({"num_classes": 0}, ValueError, r"ThreeLayerConvNet: num_classes must be >= 1; got 0"),
    ({"weight_scale": 0.0}, ValueError, r"ThreeLayerConvNet: weight_scale must be in "
                                        r"\(0, inf\); got 0"),
    ({"reg": -1e-3}, ValueError, r"ThreeLayerConvNet: reg must be in \[0, inf\); got -0.001"),
    ({"dtype": np.int16}, TypeError, r"ThreeLayerConvNet: dtype must be a floating-point type"),
    ({"rng": 42}, TypeError, r"ThreeLayerConvNet: rng must be a numpy.random.Generator or None"),
]


@pytest.mark.parametrize("kwargs, exc, match", CONSTRUCTOR_ERRORS)
def test_constructor_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        ThreeLayerConvNet(**kwargs)


LOSS_ERRORS = [
    (np.zeros((5, 1, 32, 32)), None, ValueError,
     r"X must have shape \(N, 3, 32, 32\); got \(5, 1, 32, 32\)"),
    (np.zeros((5, 3 * 32 * 32)), None, ValueError,
     r"X must have shape \(N, 3, 32, 32\); got \(5, 3072\)"),
    (np.zeros((2, 3, 32, 32), dtype=np.uint8), None, TypeError,
     r"X must be a floating-point array"),
    (np.zeros((2, 3, 32, 32)), np.array([0]), ValueError,
     r"y must have shape \(2,\), one label per example of X \(2, 3, 32, 32\); got \(1,\)"),
    (np.zeros((2, 3, 32, 32)), np.array([0, 10]), ValueError,
     r"labels in y must be in \[0, 10\) for num_classes = 10; got 10"),
]


@pytest.mark.parametrize("X, y, exc, match", LOSS_ERRORS)
def test_loss_errors(X, y, exc, match):
    model = ThreeLayerConvNet(num_filters=2, hidden_dim=3, rng=np.random.default_rng(0))
    with pytest.raises(exc, match=f"ThreeLayerConvNet.loss: {match}"):
        model.loss(X, y)
