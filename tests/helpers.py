"""Shared test helpers: numeric-gradient checks, a relative-error assertion, and the same
results for every kernel thread count."""

import numpy as np

from convnp.gradient_check import eval_numerical_gradient_array, layer_rel_errors, rel_error


def assert_close(actual, expected, tol, what=""):
    """Assert rel_error(actual, expected) < tol, showing the error and the shapes."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    err = rel_error(actual, expected)
    assert err < tol, f"{what}: relative error {err:.3e} >= {tol:g}"


def numeric_grad(f, x, dout, h=1e-5):
    """Numeric gradient of sum(f() * dout) w.r.t. x (x is perturbed in place and restored)."""
    return eval_numerical_gradient_array(lambda _: f(), x, dout, h=h)


def check_grads(forward, backward, inputs, names, rng, tol=1e-7, h=1e-5):
    """Check every gradient of a layer against numeric gradients, in float64.

    - forward: function of the arrays in ``inputs`` (in order) returning (out, cache)
    - backward: function (dout, cache) -> tuple of grads, in the order of ``inputs``
      (a single array is treated as a 1-tuple)
    - inputs: list of float64 arrays, perturbed in place by the numeric check and restored
    - names: names of the inputs for the messages; ``None`` entries are not checked
    """
    errors = layer_rel_errors(forward, backward, inputs, names, rng=rng, h=h)
    assert set(errors) == {n for n in names if n is not None}
    for name, err in errors.items():
        assert err < tol, f"d{name}: relative error {err:.3e} >= {tol:g}"


def assert_same_for_every_thread_count(compute, counts=(1, 2, 3)):
    """Run compute() (returning a tuple of arrays) under each of convnp.kernels' thread counts
    in turn, the default restored after, and assert every run gives the first's bits."""
    from convnp.kernels import threads
    results = []
    try:
        for count in counts:
            threads.set_num_threads(count)
            results.append(compute())
    finally:
        threads.set_num_threads(None)
    for other in results[1:]:
        for got, want in zip(other, results[0], strict=True):
            np.testing.assert_array_equal(got, want)
