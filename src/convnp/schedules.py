"""Learning-rate schedules: small callables that map a step (or epoch) t to a learning rate.

    >>> from convnp import schedules
    >>> s = schedules.warmup(schedules.cosine(0.1, T=90), warmup_steps=10)
    >>> s(0), s(10), s(100)
    (0.0, 0.1, 0.0)
    >>> s
    warmup(schedule=cosine(lr0=0.1, T=90, lr_min=0.0), warmup_steps=10, start_factor=0.0)

A schedule is called with t >= 0 (an int, or a float for fractions of an epoch) and returns a
float. The caller decides what t counts: the Solver's ``lr_decay`` is ``exponential`` called with
the epoch number; the others are usually called with the iteration number. Each schedule's repr
shows its arguments. ``to_dict()`` returns a JSON-ready dict (``{"name": "cosine", "lr0": 0.1,
...}``) and ``from_dict(d)`` rebuilds the schedule, so a schedule can be stored in config.json or
in a checkpoint.

Each class has a lower-case alias (``cosine = Cosine``). The alias is the name that appears in
the repr and in ``to_dict``.

Every schedule matches its torch.optim.lr_scheduler counterpart on the steps where both are
defined (StepLR, ExponentialLR, CosineAnnealingLR with T_max=T up to T, LinearLR, OneCycleLR with
anneal_strategy='cos'). Past the end, convnp holds the final value where torch keeps going; the
docstrings say where. tests/parity/test_schedules_parity.py pins this.
"""

from __future__ import annotations

import inspect
import math
from typing import Any, ClassVar

from . import _validate


class Schedule:
    """Base class: the repr, equality and the to_dict/from_dict pair. Subclasses set ``name``
    and ``_args`` (the constructor's arguments, in order) and define ``lr(t)``."""

    name: ClassVar[str] = ""
    _args: tuple[str, ...] = ()

    def lr(self, t: float) -> float:
        raise NotImplementedError

    def __call__(self, t: float) -> float:
        """The learning rate at step (or epoch) t >= 0."""
        t = _validate.real(t, "t", self.name, low=0.0)
        return float(self.lr(t))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: 'name' plus every constructor argument (nested for warmup)."""
        d: dict[str, Any] = {"name": self.name}
        for arg in self._args:
            value = getattr(self, arg)
            d[arg] = value.to_dict() if isinstance(value, Schedule) else value
        return d

    @staticmethod
    def from_dict(d: dict) -> Schedule:
        """Rebuild a schedule from ``to_dict()``'s output (same as the module's from_dict)."""
        return from_dict(d)

    def __repr__(self) -> str:
        args = ", ".join(f"{arg}={getattr(self, arg)!r}" for arg in self._args)
        return f"{self.name}({args})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Schedule) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(repr(self))


def _lr_arg(value, name: str, fn: str) -> float:
    return _validate.real(value, name, fn, low=0.0)


def _length(value, name: str, fn: str) -> int:
    return _validate.integer(value, name, fn, minimum=1)


class Constant(Schedule):
    """lr_t = lr0 for every t."""

    name = "constant"
    _args = ("lr0",)

    def __init__(self, lr0: float):
        self.lr0 = _lr_arg(lr0, "lr0", self.name)

    def lr(self, t: float) -> float:
        return self.lr0


class Step(Schedule):
    """lr_t = lr0 * gamma ** floor(t / step_size): divide by 1/gamma every step_size steps.

    Args:
    - lr0: the initial learning rate (>= 0)
    - step_size: steps between two decays (int >= 1)
    - gamma: the factor of each decay (> 0). Default 0.1.

    Equals torch.optim.lr_scheduler.StepLR(step_size, gamma).
    """

    name = "step"
    _args = ("lr0", "step_size", "gamma")

    def __init__(self, lr0: float, step_size: int, gamma: float = 0.1):
        self.lr0 = _lr_arg(lr0, "lr0", self.name)
        self.step_size = _length(step_size, "step_size", self.name)
        self.gamma = _validate.real(gamma, "gamma", self.name, low=0.0, low_open=True)

    def lr(self, t: float) -> float:
        return self.lr0 * self.gamma ** (t // self.step_size)


class Exponential(Schedule):
    """lr_t = lr0 * gamma ** t: the course Solver's per-epoch ``lr_decay`` (t = epoch).

    Args:
    - lr0: the initial learning rate (>= 0)
    - gamma: the factor per step (> 0), e.g. 0.95

    Equals torch.optim.lr_scheduler.ExponentialLR(gamma).
    """

    name = "exponential"
    _args = ("lr0", "gamma")

    def __init__(self, lr0: float, gamma: float):
        self.lr0 = _lr_arg(lr0, "lr0", self.name)
        self.gamma = _validate.real(gamma, "gamma", self.name, low=0.0, low_open=True)

    def lr(self, t: float) -> float:
        return self.lr0 * self.gamma**t


class Cosine(Schedule):
    """lr_t = lr_min + (lr0 - lr_min) * (1 + cos(pi * t / T)) / 2 for t <= T; lr_min after.

    Args:
    - lr0: the learning rate at t = 0 (>= 0)
    - T: the length of the half cosine, in steps (int >= 1)
    - lr_min: the learning rate at t = T and after (>= 0). Default 0.

    Equals torch.optim.lr_scheduler.CosineAnnealingLR(T_max=T, eta_min=lr_min) for t <= T.
    Torch's curve goes back up after T; this one stays at lr_min.
    """

    name = "cosine"
    _args = ("lr0", "T", "lr_min")

    def __init__(self, lr0: float, T: int, lr_min: float = 0.0):
        self.lr0 = _lr_arg(lr0, "lr0", self.name)
        self.T = _length(T, "T", self.name)
        self.lr_min = _lr_arg(lr_min, "lr_min", self.name)

    def lr(self, t: float) -> float:
        if t >= self.T:
            return self.lr_min
        return self.lr_min + (self.lr0 - self.lr_min) * (1 + math.cos(math.pi * t / self.T)) / 2


class Linear(Schedule):
    """lr_t = lr_end + (lr0 - lr_end) * (1 - t / T) for t <= T; lr_end after.

    With the default lr_end = 0 this is lr0 * (1 - t / T).

    Args:
    - lr0: the learning rate at t = 0 (>= 0)
    - T: the number of steps to reach lr_end (int >= 1)
    - lr_end: the learning rate at t = T and after (>= 0). Default 0.

    Equals torch.optim.lr_scheduler.LinearLR(start_factor=1, end_factor=lr_end / lr0,
    total_iters=T).
    """

    name = "linear"
    _args = ("lr0", "T", "lr_end")

    def __init__(self, lr0: float, T: int, lr_end: float = 0.0):
        self.lr0 = _lr_arg(lr0, "lr0", self.name)
        self.T = _length(T, "T", self.name)
        self.lr_end = _lr_arg(lr_end, "lr_end", self.name)

    def lr(self, t: float) -> float:
        return self.lr_end + (self.lr0 - self.lr_end) * (1 - min(t, self.T) / self.T)


class Warmup(Schedule):
    """A linear warm-up in front of another schedule, which then runs *shifted* by warmup_steps.

        t < W:   lr_t = schedule(0) * (start_factor + (1 - start_factor) * t / W)
        t >= W:  lr_t = schedule(t - W)                  (W = warmup_steps)

    The ramp ends at schedule(0), so the learning rate is continuous. The wrapped schedule
    starts at its own t = 0 when the warm-up ends and keeps its full length: warmup(cosine(lr0,
    T), W) reaches lr_min at step W + T. This is torch's LinearLR(start_factor,
    total_iters=warmup_steps) followed by the schedule under SequentialLR(milestones=[W]).

    Args:
    - schedule: the Schedule that follows the warm-up
    - warmup_steps: the length of the warm-up (int >= 0; 0 means no warm-up)
    - start_factor: the fraction of schedule(0) at t = 0, in [0, 1]. Default 0 (torch's
      LinearLR needs > 0).
    """

    name = "warmup"
    _args = ("schedule", "warmup_steps", "start_factor")

    def __init__(self, schedule: Schedule, warmup_steps: int, start_factor: float = 0.0):
        if not isinstance(schedule, Schedule):
            raise TypeError(f"warmup: schedule must be a convnp.schedules.Schedule (e.g. "
                            f"cosine(0.1, T=100)); got {type(schedule).__name__}")
        self.schedule = schedule
        self.warmup_steps = _validate.integer(warmup_steps, "warmup_steps", self.name,
                                              minimum=0)
        self.start_factor = _validate.real(start_factor, "start_factor", self.name,
                                           low=0.0, high=1.0)

    def lr(self, t: float) -> float:
        if t >= self.warmup_steps:
            return self.schedule(t - self.warmup_steps)
        factor = self.start_factor + (1 - self.start_factor) * t / self.warmup_steps
        return self.schedule(0) * factor


class OneCycle(Schedule):
    """The one-cycle policy (Smith & Topin, 2018), as torch's OneCycleLR with cosine annealing.

    Two cosine phases:
    - steps 0 to p = pct_start * T - 1: up from lr_max / div_factor to lr_max
    - steps p to T - 1: down to lr_max / div_factor / final_div_factor

    Each phase is lr = end + (start - end) * (1 + cos(pi * pct)) / 2, where pct is how far
    through the phase t is (0 to 1).

    Args:
    - lr_max: the peak learning rate (>= 0)
    - T: the total number of steps (int >= 1), torch's total_steps
    - pct_start: the fraction of T spent rising, in [0, 1]. Default 0.3.
    - div_factor: lr at t = 0 is lr_max / div_factor (> 0). Default 25.
    - final_div_factor: lr at t = T - 1 is lr_max / div_factor / final_div_factor (> 0).
      Default 1e4.

    Equals torch.optim.lr_scheduler.OneCycleLR(max_lr=lr_max, total_steps=T,
    pct_start=pct_start, anneal_strategy='cos', div_factor=div_factor,
    final_div_factor=final_div_factor, three_phase=False) at t = 0 .. T - 1. After T - 1 it
    holds the final value; torch extrapolates the cosine for one more step and then raises.
    A phase of zero length (pct_start * T == 1, or pct_start == 1), where torch divides by
    zero, counts as already finished.
    """

    name = "one_cycle"
    _args = ("lr_max", "T", "pct_start", "div_factor", "final_div_factor")

    def __init__(self, lr_max: float, T: int, pct_start: float = 0.3, div_factor: float = 25.0,
                 final_div_factor: float = 1e4):
        fn = self.name
        self.lr_max = _lr_arg(lr_max, "lr_max", fn)
        self.T = _length(T, "T", fn)
        self.pct_start = _validate.real(pct_start, "pct_start", fn, low=0.0, high=1.0)
        self.div_factor = _validate.real(div_factor, "div_factor", fn, low=0.0, low_open=True)
        self.final_div_factor = _validate.real(final_div_factor, "final_div_factor", fn,
                                               low=0.0, low_open=True)
        initial = self.lr_max / self.div_factor
        final = initial / self.final_div_factor
        # The phase boundaries exactly as torch computes them (float end steps).
        rise_end = float(self.pct_start * self.T) - 1
        self._phases = ((0.0, rise_end, initial, self.lr_max),
                        (rise_end, float(self.T - 1), self.lr_max, final))

    def lr(self, t: float) -> float:
        t = min(t, self.T - 1)
        for i, (start_step, end_step, start_lr, end_lr) in enumerate(self._phases):
            if t <= end_step or i == len(self._phases) - 1:
                span = end_step - start_step
                pct = (t - start_step) / span if span else 1.0
                return end_lr + (start_lr - end_lr) / 2.0 * (math.cos(math.pi * pct) + 1)
        raise AssertionError("unreachable: the last phase always answers")


constant = Constant
step = Step
exponential = Exponential
cosine = Cosine
linear = Linear
warmup = Warmup
one_cycle = OneCycle

SCHEDULES: dict[str, type[Schedule]] = {
    cls.name: cls for cls in (Constant, Step, Exponential, Cosine, Linear, Warmup, OneCycle)
}


def from_dict(d: dict) -> Schedule:
    """Rebuild a schedule from ``Schedule.to_dict()``'s output (a warmup's inner dict too).

    Raises ValueError for an unknown 'name' or a missing or unknown argument, naming the valid
    ones.
    """
    fn = "from_dict"
    if not isinstance(d, dict):
        raise TypeError(f"{fn}: d must be a dict (from Schedule.to_dict()); "
                        f"got {type(d).__name__}")
    if "name" not in d:
        raise ValueError(f"{fn}: d needs a 'name', one of {sorted(SCHEDULES)}; got keys "
                         f"{sorted(d)}")
    name = d["name"]
    if name not in SCHEDULES:
        raise ValueError(f"{fn}: unknown schedule name {name!r}; valid names are "
                         f"{sorted(SCHEDULES)}")
    cls = SCHEDULES[name]
    params = inspect.signature(cls.__init__).parameters
    required = [a for a in cls._args if params[a].default is inspect.Parameter.empty]
    kwargs = {k: v for k, v in d.items() if k != "name"}
    _validate.keys(kwargs, f"d (a {name} schedule)", fn, required=required,
                   optional=[a for a in cls._args if a not in required])
    if name == "warmup":
        kwargs["schedule"] = from_dict(kwargs["schedule"])
    return cls(**kwargs)
