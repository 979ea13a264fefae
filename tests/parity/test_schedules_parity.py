"""PyTorch parity: each schedule against its torch.optim.lr_scheduler, over every step."""

import numpy as np
import pytest

from convnp import schedules
from tests.parity.torch_helpers import torch

L = torch.optim.lr_scheduler
LR0 = 0.1


def torch_lrs(make_scheduler, steps, lr0=LR0):
    """The learning rate torch's scheduler sets at steps 0 .. steps - 1."""
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr0)
    scheduler = make_scheduler(opt)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        p.grad = torch.zeros(1)
        opt.step()
        if len(lrs) < steps:
            scheduler.step()
    return np.array(lrs)


def ours(schedule, steps):
    return np.array([schedule(t) for t in range(steps)])


@pytest.mark.parametrize("T, pct_start, div_factor, final_div_factor", [
    (100, 0.3, 25.0, 1e4),
    (1000, 0.25, 10.0, 1e3),
    (37, 0.5, 5.0, 100.0),
    (7, 0.3, 25.0, 1e4),
    (2, 0.3, 25.0, 1e4),  # torch's rising phase ends at step -0.4
    (1, 0.3, 25.0, 1e4),
    (10, 0.0, 25.0, 1e4),
    (10, 1.0, 25.0, 1e4),
])
def test_one_cycle_equals_torch(T, pct_start, div_factor, final_div_factor):
    expected = torch_lrs(lambda opt: L.OneCycleLR(
        opt, max_lr=LR0, total_steps=T, pct_start=pct_start, anneal_strategy="cos",
        div_factor=div_factor, final_div_factor=final_div_factor, three_phase=False,
        cycle_momentum=False), T)
    got = ours(schedules.one_cycle(LR0, T, pct_start, div_factor, final_div_factor), T)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


CASES = {
    "step": (lambda opt: L.StepLR(opt, step_size=7, gamma=0.3), schedules.step(LR0, 7, 0.3), 40),
    "exponential": (lambda opt: L.ExponentialLR(opt, gamma=0.9), schedules.exponential(LR0, 0.9),
                    40),
    # Up to T only: torch's cosine rises again after T_max, convnp's stays at lr_min.
    "cosine": (lambda opt: L.CosineAnnealingLR(opt, T_max=30, eta_min=0.01),
               schedules.cosine(LR0, 30, lr_min=0.01), 31),
    "linear": (lambda opt: L.LinearLR(opt, start_factor=1.0, end_factor=0.2, total_iters=30),
               schedules.linear(LR0, 30, lr_end=0.02), 45),
    "warmup_cosine": (lambda opt: L.SequentialLR(opt, [
        L.LinearLR(opt, start_factor=0.2, total_iters=5), L.CosineAnnealingLR(opt, T_max=20)],
        milestones=[5]), schedules.warmup(schedules.cosine(LR0, 20), 5, start_factor=0.2), 26),
}


@pytest.mark.parametrize("case", CASES)
def test_schedule_equals_torch(case):
    make_scheduler, schedule, steps = CASES[case]
    # atol: torch reaches 0 through a recursion that leaves ~1e-17 where the formula gives 0.
    np.testing.assert_allclose(ours(schedule, steps), torch_lrs(make_scheduler, steps),
                               rtol=1e-12, atol=1e-15)
