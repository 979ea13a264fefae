"""``convnp gradcheck [LAYER...]``: every layer's backward against numeric gradients, as a table.

This is the course's notebook check (relative error of each analytic gradient against centred
differences, in float64) for every layer of ``convnp.layers``, on small random inputs. It exits 1
if any error reaches the tolerance, so it doubles as a smoke test of an installation.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from .. import layers as L
from ..gradient_check import layer_rel_errors

DEFAULT_TOL = 1e-7


def _conv(fwd, bwd, stride, pad):
    def build(rng):
        x = rng.standard_normal((2, 3, 7, 6))
        w = rng.standard_normal((4, 3, 3, 2))
        b = rng.standard_normal(4)
        param = {"stride": stride, "pad": pad}
        return (lambda x, w, b: fwd(x, w, b, param)), bwd, [x, w, b], ["x", "w", "b"]
    return build


def _pool(fwd, bwd, size, stride):
    def build(rng):
        # Distinct values a step apart: no near-ties, so the max is stable under +-h.
        x = rng.permutation(2 * 3 * 7 * 7).reshape(2, 3, 7, 7) * 0.1
        param = {"pool_height": size, "pool_width": size, "stride": stride}
        return (lambda x: fwd(x, param)), bwd, [x.astype(np.float64)], ["x"]
    return build


def _elementwise(fwd, bwd):
    def build(rng):
        x = rng.standard_normal((4, 5))
        x[np.abs(x) < 1e-3] = 0.5  # away from the kink of the relus
        return fwd, bwd, [x], ["x"]
    return build


def _norm(fwd, bwd, x_shape, p_shape, param):
    def build(rng):
        x = 3 * rng.standard_normal(x_shape) + 1
        gamma, beta = rng.standard_normal(p_shape), rng.standard_normal(p_shape)
        return ((lambda x, g, b: fwd(x, g, b, dict(param))), bwd, [x, gamma, beta],
                ["x", "gamma", "beta"])
    return build


def _groupnorm(rng):
    x = 3 * rng.standard_normal((2, 6, 4, 3)) + 1
    gamma, beta = rng.standard_normal((1, 6, 1, 1)), rng.standard_normal((1, 6, 1, 1))
    return ((lambda x, g, b: L.spatial_groupnorm_forward(x, g, b, 2, {})),
            L.spatial_groupnorm_backward, [x, gamma, beta], ["x", "gamma", "beta"])


def _dropout(rng):
    param = {"mode": "train", "p": 0.6, "seed": 0}
    return (lambda x: L.dropout_forward(x, param)), L.dropout_backward, \
        [rng.standard_normal((4, 5))], ["x"]


def _affine(rng):
    x, w, b = rng.standard_normal((3, 2, 4)), rng.standard_normal((8, 5)), rng.standard_normal(5)
    return L.affine_forward, L.affine_backward, [x, w, b], ["x", "w", "b"]


def _loss(loss_fn, h=1e-5):
    def build(rng):
        x = 0.1 * rng.standard_normal((6, 5))
        y = rng.integers(0, 5, 6)
        # A loss is a layer whose output is a scalar: wrap it as (out, cache) so the shared
        # check applies, with dout the upstream gradient of that scalar.
        fwd = lambda x: (np.array(loss_fn(x, y)[0]), x)  # noqa: E731
        bwd = lambda dout, x: loss_fn(x, y)[1] * dout  # noqa: E731
        return fwd, bwd, [x], ["x"]
    return build


CASES = {
    "affine": _affine,
    "relu": _elementwise(L.relu_forward, L.relu_backward),
    "leaky_relu": _elementwise(L.leaky_relu_forward, L.leaky_relu_backward),
    "sigmoid": _elementwise(L.sigmoid_forward, L.sigmoid_backward),
    "tanh": _elementwise(L.tanh_forward, L.tanh_backward),
    "dropout": _dropout,
    "conv_naive": _conv(L.conv_forward_naive, L.conv_backward_naive, 2, 1),
    "conv_fast": _conv(L.conv_forward_fast, L.conv_backward_fast, 2, 1),
    "max_pool_naive": _pool(L.max_pool_forward_naive, L.max_pool_backward_naive, 3, 2),
    "max_pool_fast": _pool(L.max_pool_forward_fast, L.max_pool_backward_fast, 3, 2),
    "avg_pool_naive": _pool(L.avg_pool_forward_naive, L.avg_pool_backward_naive, 3, 2),
    "avg_pool_fast": _pool(L.avg_pool_forward_fast, L.avg_pool_backward_fast, 3, 2),
    "batchnorm": _norm(L.batchnorm_forward, L.batchnorm_backward, (6, 5), (5,),
                       {"mode": "train"}),
    "batchnorm_alt": _norm(L.batchnorm_forward, L.batchnorm_backward_alt, (6, 5), (5,),
                           {"mode": "train"}),
    "spatial_batchnorm": _norm(L.spatial_batchnorm_forward, L.spatial_batchnorm_backward,
                               (2, 3, 4, 5), (3,), {"mode": "train"}),
    "layernorm": _norm(L.layernorm_forward, L.layernorm_backward, (4, 6), (6,), {}),
    "spatial_groupnorm": _groupnorm,
    "softmax_loss": _loss(L.softmax_loss),
    "svm_loss": _loss(L.svm_loss),
    "mse_loss": _loss(L.mse_loss),
}


def add_parser(sub) -> None:
    p = sub.add_parser("gradcheck", help="check every layer's backward against numeric gradients",
                       description=__doc__.splitlines()[0],
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n"
                              "  convnp gradcheck                    # every layer\n"
                              "  convnp gradcheck conv_fast batchnorm --tol 1e-8")
    p.add_argument("layers", nargs="*", metavar="LAYER",
                   help=f"layers to check (default: all): {', '.join(CASES)}")
    p.add_argument("--seed", type=int, default=0, help="seed of the random inputs (default 0)")
    p.add_argument("--tol", type=float, default=DEFAULT_TOL,
                   help=f"largest relative error that passes (default {DEFAULT_TOL:g})")


def check(names: list[str], seed: int = 0) -> list[tuple[str, str, float]]:
    """Run the checks for ``names``; return rows (layer, gradient, relative error)."""
    rows = []
    for name in names:
        rng = np.random.default_rng([seed, list(CASES).index(name)])
        forward, backward, inputs, arg_names = CASES[name](rng)
        for arg, err in layer_rel_errors(forward, backward, inputs, arg_names, rng=rng).items():
            rows.append((name, f"d{arg}", err))
    return rows


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    unknown = [n for n in args.layers if n not in CASES]
    if unknown:
        parser.error(f"gradcheck: unknown layer {unknown[0]!r}; choose from {', '.join(CASES)}")
    names = args.layers or list(CASES)
    start = time.perf_counter()
    rows = check(names, args.seed)
    print(f"{'layer':<20}{'grad':<8}{'rel error':>12}  status")
    failures = 0
    for layer, grad, err in rows:
        ok = err < args.tol
        failures += not ok
        print(f"{layer:<20}{grad:<8}{err:>12.2e}  {'ok' if ok else 'FAIL'}")
    print(f"{len(rows) - failures}/{len(rows)} gradients within {args.tol:g} "
          f"(float64, seed {args.seed}, {time.perf_counter() - start:.1f} s)")
    return 1 if failures else 0
