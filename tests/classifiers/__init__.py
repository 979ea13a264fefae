"""Shared by the classifier tests: every gradient of a model's loss against numeric gradients."""

import numpy as np

from convnp.gradient_check import eval_numerical_gradient, rel_error


def model_grad_errors(model, X, y, h=1e-5):
    """Compare each gradient from model.loss(X, y) with eval_numerical_gradient on the loss.

    The error of a key is max |analytic - numeric| / max(floor, |analytic| + |numeric|): the
    course's rel_error with its 1e-8 floor raised to where the comparison means something. A
    centred difference of a float64 loss f carries a rounding error of about spacing(f) / h
    (2e-11 for f near 2.3, h = 1e-5), so a gradient entry of that size has a relative error of
    order 1 whatever the code does, and a net with hundreds of weights nearly always holds a
    few entries within a factor 1000 of it. The floor puts the tolerance on such entries,
    1e-6 * floor, at 20 times that noise; larger entries get the plain relative error.

    Returns {key: (error, course rel_error)} for every key of model.params.
    """
    loss, grads = model.loss(X, y)
    assert set(grads) == set(model.params), f"grads keys {sorted(grads)}"
    floor = max(1e-8, 20 * np.spacing(loss) / h / 1e-6)
    errors = {}
    for name, param in model.params.items():
        assert grads[name].shape == param.shape, f"d{name}: shape {grads[name].shape}"
        num = eval_numerical_gradient(lambda _: model.loss(X, y)[0], param, verbose=False, h=h)
        diff = np.abs(grads[name] - num)
        err = float(np.max(diff / np.maximum(floor, np.abs(grads[name]) + np.abs(num))))
        errors[name] = (err, rel_error(grads[name], num))
    return errors


def assert_model_grads(model, X, y, tol=1e-6):
    """Assert every gradient of model.loss(X, y) matches its numeric gradient (see above)."""
    for name, (err, course_err) in model_grad_errors(model, X, y).items():
        assert err < tol, (f"d{name}: relative error {err:.3e} >= {tol:g} "
                           f"(course rel_error {course_err:.3e})")
