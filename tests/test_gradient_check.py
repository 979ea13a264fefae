import numpy as np
import pytest

from convnp.gradient_check import (
    eval_numerical_gradient,
    eval_numerical_gradient_array,
    grad_check_sparse,
    rel_error,
)


def test_rel_error_definition():
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    # max of |x - y| / max(1e-8, |x| + |y|): here the second entry dominates.
    assert rel_error(np.array([1.0, 1.0]), np.array([1.0, 3.0])) == pytest.approx(0.5)
    assert rel_error(np.array([1e-9]), np.array([0.0])) == pytest.approx(0.1)
    with pytest.raises(ValueError, match=r"rel_error: x and y must have the same shape"):
        rel_error(np.zeros(2), np.zeros(3))


def test_eval_numerical_gradient_quadratic(rng, capsys):
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    x_before = x.copy()
    grad = eval_numerical_gradient(lambda v: v @ A @ v, x, verbose=False)
    np.testing.assert_allclose(grad, (A + A.T) @ x_before, rtol=1e-8)
    np.testing.assert_array_equal(x, x_before)  # restored exactly
    assert capsys.readouterr().out == ""
    eval_numerical_gradient(lambda v: v.sum(), x, verbose=True)
    assert capsys.readouterr().out.count("\n") == 4  # the course prints one line per entry


def test_eval_numerical_gradient_array(rng):
    x = rng.standard_normal((3, 5))
    df = rng.standard_normal((3, 5))
    grad = eval_numerical_gradient_array(np.sin, x, df)
    np.testing.assert_allclose(grad, np.cos(x) * df, rtol=1e-8)
    with pytest.raises(ValueError, match=r"f\(x\) has shape \(3, 5\) but df has shape \(2,\)"):
        eval_numerical_gradient_array(np.sin, x, np.ones(2))


def test_grad_check_sparse(rng, capsys):
    x = rng.standard_normal((6, 7))
    errors = grad_check_sparse(lambda v: np.sum(v ** 3), x, 3 * x ** 2, num_checks=5, rng=rng)
    assert len(errors) == 5 and max(errors) < 1e-8
    assert capsys.readouterr().out.count("relative error") == 5
    bad = grad_check_sparse(lambda v: np.sum(v ** 3), x, 2 * x ** 2, num_checks=3, rng=rng,
                            verbose=False)
    assert min(bad) > 0.1  # a wrong gradient is caught


def test_gradient_check_errors():
    with pytest.raises(TypeError, match=r"eval_numerical_gradient: x must be a floating-point"):
        eval_numerical_gradient(lambda v: v.sum(), np.arange(3))
    with pytest.raises(ValueError,
                       match=r"grad_check_sparse: analytic_grad must have shape \(3,\)"):
        grad_check_sparse(lambda v: v.sum(), np.zeros(3), np.zeros(4))
