import numpy as np
import pytest

from convnp.layers import dropout_backward, dropout_forward
from tests.helpers import check_grads


@pytest.mark.parametrize("p", [0.25, 0.4, 0.7])
def test_dropout_statistics(rng, p):
    # The course's check: train-mode output keeps the mean, about 1 - p of it is zero,
    # test mode is the identity.
    x = rng.standard_normal((500, 500)) + 10
    out, _ = dropout_forward(x, {"mode": "train", "p": p, "seed": 123})
    out_test, _ = dropout_forward(x, {"mode": "test", "p": p, "seed": 123})
    assert abs(out.mean() / x.mean() - 1) < 0.01
    assert abs((out == 0).mean() - (1 - p)) < 0.01
    np.testing.assert_array_equal(out_test, x)
    kept = out != 0
    np.testing.assert_allclose(out[kept], x[kept] / p, rtol=1e-15)


def test_dropout_gradient(rng):
    x = rng.standard_normal((10, 10)) + 10
    param = {"mode": "train", "p": 0.2, "seed": 123}
    # With a seed the same mask is drawn at every call, so the numeric check is well defined.
    check_grads(lambda x: dropout_forward(x, param), dropout_backward, [x], ["x"], rng)


def test_dropout_test_mode_backward_is_identity(rng):
    dout = rng.standard_normal((3, 4))
    _, cache = dropout_forward(rng.standard_normal((3, 4)), {"mode": "test", "p": 0.5})
    np.testing.assert_array_equal(dropout_backward(dout, cache), dout)


def test_dropout_seed_and_rng_determinism(rng):
    x = np.ones((20, 30), dtype=np.float32)
    a, _ = dropout_forward(x, {"mode": "train", "p": 0.5, "seed": 7})
    b, _ = dropout_forward(x, {"mode": "train", "p": 0.5, "seed": 7})
    c, _ = dropout_forward(x, {"mode": "train", "p": 0.5, "rng": np.random.default_rng(7)})
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert a.dtype == np.float32
    # Successive draws from one generator give different masks.
    g = np.random.default_rng(1)
    d, _ = dropout_forward(x, {"mode": "train", "p": 0.5, "rng": g})
    e, _ = dropout_forward(x, {"mode": "train", "p": 0.5, "rng": g})
    assert not np.array_equal(d, e)


def test_dropout_keep_all(rng):
    x = rng.standard_normal((4, 5))
    out, cache = dropout_forward(x, {"mode": "train", "p": 1.0})
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(dropout_backward(np.ones_like(x), cache), np.ones_like(x))


@pytest.mark.parametrize("p", [0.0, -0.1, 1.5, "0.5", None])
def test_dropout_bad_keep_probability(p):
    with pytest.raises(ValueError, match=r"dropout_forward: dropout_param\['p'\] is the "
                                         r"probability of keeping a unit, in \(0, 1\]; got"):
        dropout_forward(np.ones(3), {"mode": "train", "p": p})


def test_dropout_bad_params():
    with pytest.raises(ValueError, match=r"dropout_param\['mode'\] must be one of "
                                         r"\['train', 'test'\]; got 'eval'"):
        dropout_forward(np.ones(3), {"mode": "eval", "p": 0.5})
    with pytest.raises(ValueError, match=r"dropout_param is missing key\(s\) \['mode'\]"):
        dropout_forward(np.ones(3), {"p": 0.5})
    with pytest.raises(ValueError, match=r"unknown key\(s\) \['keep'\]"):
        dropout_forward(np.ones(3), {"p": 0.5, "mode": "train", "keep": 1})
    with pytest.raises(TypeError, match=r"dropout_param\['rng'\] must be a numpy.random.Generator"):
        dropout_forward(np.ones(3), {"p": 0.5, "mode": "train", "rng": 3})
