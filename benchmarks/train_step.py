"""Time one training step of zoo models in convnp and in PyTorch, side by side, in one process.

    python benchmarks/train_step.py [--repeats 7] [--threads 2] [--batch 128] [--optim sgd]
                                    [--only vgg] [--markdown]

A step is what ``convnp.solver.Solver`` does per batch: the forward pass, the loss, the backward
pass and the update of every parameter (``model.loss(X, y)``, then the ``convnp.optim`` rule on
each parameter); in PyTorch ``zero_grad``, ``cross_entropy(model(X), y)``, ``backward()`` and
``optimizer.step()``. The PyTorch model is ``convnp.interop.torch.to_torch(model)``: the same
layers with the same weights, so both start from identical numbers. float32, batch ``--batch``
of random 3x32x32 images with random labels, CIFAR-10's 10 classes, both models in train mode
(batch norm on batch statistics). ``--optim sgd`` is SGD with momentum 0.9 (convnp's
``sgd_momentum``, torch.optim.SGD), ``--optim adam`` Adam (convnp's ``adam``, torch.optim.Adam);
learning rate 1e-3, no weight decay.

Models: ``three_layer`` (conv 7x7 32 - relu - pool - linear 100 - linear 10), ``notes_cnn``,
``vgg`` (widths 32, 64, 128), ``resnet20`` (``convnp.models.resnet(depth=20)``) and the CIFAR
recipe's ``airbench`` at half (32, 128, 128) and full (64, 256, 256) width.

Each cell is the median of ``--repeats`` steps; the two libraries take turns, a few steps at a
time after a pause and an untimed step (``_machine.alternating_ms``). The ratio is convnp's
time over PyTorch's. The last column checks that the two models are the same: the relative
difference of their losses on the first two steps from the same weights (the second step's
loss includes the first update), before timing starts.

The malloc settings of benchmarks/layers.py (see its docstring) are set here too, for both
libraries. Needs the ``bench`` extra (torch, threadpoolctl).
"""

from __future__ import annotations

import argparse
import sys

import _machine
from _machine import alternating_ms, header, reexec_with_malloc_env, render, set_threads

reexec_with_malloc_env()

import numpy as np  # noqa: E402
import torch  # noqa: E402
from _steps import (  # noqa: E402
    LEARNING_RATE,
    MODELS,
    RULES,
    ConvnpStep,
    TorchStep,
    convnp_model,
    torch_twin,
)


def build(name: str, rule: str):
    """The step of the convnp model and of its torch twin (same weights)."""
    model = convnp_model(name)
    return ConvnpStep(model, rule), TorchStep(torch_twin(model), rule)


def run(names, batch: int, rule: str, repeats: int):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch, 3, 32, 32)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    tX, ty = torch.from_numpy(X), torch.from_numpy(y)
    rows = []
    for name in names:
        np_step, torch_step = build(name, rule)
        diff = max(abs(a - b) / abs(b) for a, b in
                   ((np_step(X, y), torch_step(tX, ty)) for _ in range(2)))
        (nt,), (tt,) = alternating_ms([[lambda: np_step(X, y) and None],
                                       [lambda: torch_step(tX, ty) and None]],
                                      repeats, block=3)
        rows.append((name, nt, tt, diff, batch))
    return rows


def table(rows, markdown: bool) -> str:
    head = ["model", "convnp ms", "torch ms", "ratio", "convnp img/s", "torch img/s",
            "loss rel diff"]
    lines = [[name, f"{nt:.1f}", f"{tt:.1f}", f"{nt / tt:.2f}x", f"{1e3 * batch / nt:.0f}",
              f"{1e3 * batch / tt:.0f}", f"{diff:.1e}"]
             for name, nt, tt, diff, batch in rows]
    return render(head, lines, markdown)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed steps per model (median)")
    parser.add_argument("--threads", type=int, default=2, help="threads for both libraries")
    parser.add_argument("--batch", type=int, default=128, help="images per step")
    parser.add_argument("--optim", choices=["sgd", "adam"], default="sgd",
                        help="sgd: SGD with momentum 0.9; adam: Adam (learning rate 1e-3)")
    parser.add_argument("--only", choices=list(MODELS), action="append",
                        help="time only this model (repeatable)")
    parser.add_argument("--pause", type=float, default=_machine.PAUSE,
                        help="seconds each library idles before its turn (default %(default)s)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    _machine.PAUSE = args.pause

    blas = set_threads(args.threads)
    print(header(args.threads, blas, f"float32, batch {args.batch}, {RULES[args.optim]}, "
                 f"lr {LEARNING_RATE}, "
                 f"median of {args.repeats} steps, alternating blocks after {args.pause} s idle"))
    print(table(run(args.only or list(MODELS), args.batch, args.optim, args.repeats),
                args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
