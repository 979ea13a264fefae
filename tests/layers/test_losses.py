import numpy as np
import pytest

from convnp.gradient_check import eval_numerical_gradient
from convnp.layers import mse_loss, softmax_loss, svm_loss
from tests.helpers import assert_close

LOSSES = {"softmax": softmax_loss, "svm": svm_loss, "mse": mse_loss}


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("N, C", [(50, 10), (1, 3), (7, 1)])
def test_loss_gradients(rng, name, N, C):
    loss_fn = LOSSES[name]
    x = 0.1 * rng.standard_normal((N, C))
    y = rng.integers(0, C, N)
    loss, dx = loss_fn(x, y)
    # A quadratic's centred difference has no truncation error, so mse takes a larger step,
    # which shrinks the rounding error of f(x + h) - f(x - h) on its small entries.
    h = 1e-3 if name == "mse" else 1e-5
    dx_num = eval_numerical_gradient(lambda x: loss_fn(x, y)[0], x, verbose=False, h=h)
    assert_close(dx, dx_num, 1e-7, f"{name} dx")


def test_course_initial_losses(rng):
    # The course's sanity checks: small scores give ln(10) for softmax and about 9 for the SVM.
    x = 0.001 * rng.standard_normal((1000, 10))
    y = rng.integers(0, 10, 1000)
    assert abs(softmax_loss(x, y)[0] - np.log(10)) < 1e-3
    assert abs(svm_loss(x, y)[0] - 9) < 1e-2


def test_softmax_hand_worked():
    x = np.array([[1.0, 2.0, 3.0]])
    p = np.exp(x) / np.exp(x).sum()
    loss, dx = softmax_loss(x, np.array([0]))
    assert abs(loss + np.log(p[0, 0])) < 1e-15
    np.testing.assert_allclose(dx, p - [[1, 0, 0]], rtol=1e-14)


def test_svm_hand_worked():
    x = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0]])
    y = np.array([0, 1])
    loss, dx = svm_loss(x, y)
    # Row 0: max(0, 5.1-3.2+1)=2.9, max(0, -1.7-3.2+1)=0; row 1: 0 and max(0, 2-4.9+1)=0.
    assert abs(loss - 2.9 / 2) < 1e-15
    np.testing.assert_allclose(dx, [[-0.5, 0.5, 0.0], [0.0, 0.0, 0.0]])


def test_softmax_is_stable_for_huge_logits():
    x = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 0.0]])
    loss, dx = softmax_loss(x, np.array([2, 0]))
    assert np.isfinite(loss) and np.all(np.isfinite(dx))
    assert abs(loss - (2e4 + np.log(2)) / 2) < 1e-9


def test_mse_targets_and_one_hot(rng):
    x = rng.standard_normal((4, 3))
    t = rng.standard_normal((4, 3))
    loss, dx = mse_loss(x, t)
    assert abs(loss - ((x - t) ** 2).sum() / 4) < 1e-14
    np.testing.assert_allclose(dx, 2 * (x - t) / 4)
    y = np.array([0, 2, 1, 1])
    assert mse_loss(x, y)[0] == pytest.approx(mse_loss(x, np.eye(3)[y])[0], rel=1e-15)
    x_nd = rng.standard_normal((2, 3, 4))
    dx_num = eval_numerical_gradient(lambda x: mse_loss(x, 0 * x_nd)[0], x_nd, verbose=False,
                                     h=1e-3)
    assert_close(mse_loss(x_nd, 0 * x_nd)[1], dx_num, 1e-7, "mse dx")


@pytest.mark.parametrize("name", LOSSES)
def test_loss_dtype(rng, name):
    x = rng.standard_normal((5, 4)).astype(np.float32)
    loss, dx = LOSSES[name](x, np.array([0, 1, 2, 3, 0]))
    assert isinstance(loss, float) and dx.dtype == np.float32


@pytest.mark.parametrize("name", ["softmax", "svm"])
def test_loss_errors(name):
    fn = LOSSES[name]
    fname = f"{name}_loss"
    x = np.zeros((3, 4))
    with pytest.raises(ValueError, match=fr"{fname}: y must have shape \(3,\).*got \(2,\)"):
        fn(x, np.array([0, 1]))
    with pytest.raises(ValueError, match=fr"{fname}: labels in y must be in \[0, 4\).*got 4"):
        fn(x, np.array([0, 4, 1]))
    with pytest.raises(TypeError, match=fr"{fname}: y must hold integer class labels"):
        fn(x, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match=fr"{fname}: x must be 2-D; got shape \(3,\)"):
        fn(np.zeros(3), np.array([0, 1, 2]))


def test_mse_errors():
    with pytest.raises(ValueError,
                       match=r"mse_loss: y must be float targets of x's shape \(3, 4\)"):
        mse_loss(np.zeros((3, 4)), np.zeros((3, 5)))
