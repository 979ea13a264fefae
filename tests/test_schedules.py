import json
import math

import numpy as np
import pytest

from convnp import schedules
from convnp.schedules import (
    constant,
    cosine,
    exponential,
    from_dict,
    linear,
    one_cycle,
    step,
    warmup,
)


def values(schedule, ts):
    return [schedule(t) for t in ts]


@pytest.mark.parametrize("schedule, ts, expected", [
    (constant(0.1), [0, 1, 1000], [0.1, 0.1, 0.1]),
    (step(0.1, 3, gamma=0.5), [0, 2, 3, 5, 6, 9], [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]),
    (step(1.0, 2), [0, 1, 2, 4], [1.0, 1.0, 0.1, 0.01]),
    (exponential(0.2, 0.5), [0, 1, 3, 2.5], [0.2, 0.1, 0.025, 0.2 * 0.5**2.5]),
    (cosine(0.1, T=10), [0, 5, 10, 15], [0.1, 0.05, 0.0, 0.0]),
    (cosine(0.1, T=12), [4], [0.1 * (1 + 0.5) / 2]),
    (cosine(0.1, T=10, lr_min=0.01), [0, 5, 10, 11], [0.1, 0.055, 0.01, 0.01]),
    (linear(0.1, T=10), [0, 2.5, 10, 20], [0.1, 0.075, 0.0, 0.0]),
    (linear(0.1, T=10, lr_end=0.02), [0, 5, 10, 100], [0.1, 0.06, 0.02, 0.02]),
])
def test_formula_values(schedule, ts, expected):
    np.testing.assert_allclose(values(schedule, ts), expected, rtol=1e-14, atol=1e-18)


def test_results_are_python_floats():
    for t in (3, np.int64(3), 3.0, np.float32(3)):
        lr = cosine(0.1, 10)(t)
        assert type(lr) is float
        assert lr == pytest.approx(0.05 * (1 + math.cos(0.3 * math.pi)), rel=1e-7)


def test_warmup_ramps_linearly_then_runs_the_schedule_shifted():
    s = warmup(cosine(0.1, T=10), warmup_steps=4)
    np.testing.assert_allclose(values(s, [0, 1, 2, 3]), [0.0, 0.025, 0.05, 0.075], rtol=1e-14)
    # Shifted: step W + k of the warm-up schedule is step k of the inner one.
    for k in (0, 3, 5, 10, 20):
        assert s(4 + k) == cosine(0.1, T=10)(k)


def test_warmup_start_factor_and_zero_steps():
    s = warmup(constant(0.2), warmup_steps=4, start_factor=0.5)
    np.testing.assert_allclose(values(s, [0, 2, 4, 9]), [0.1, 0.15, 0.2, 0.2], rtol=1e-14)
    inner = step(0.1, 2)
    assert values(warmup(inner, 0), range(6)) == values(inner, range(6))


def test_one_cycle_landmarks():
    # lr_max / div_factor at 0, lr_max at pct_start * T - 1, lr_max / div / final_div at T - 1.
    s = one_cycle(0.5, T=101, pct_start=0.3, div_factor=10, final_div_factor=100)
    assert s(0) == pytest.approx(0.05, rel=1e-14)
    assert s(0.3 * 101 - 1) == pytest.approx(0.5, rel=1e-14)
    assert s(100) == pytest.approx(0.5 / 10 / 100, rel=1e-12)
    assert s(101) == s(1000) == s(100)
    rise = values(s, range(30))
    fall = values(s, range(30, 101))
    assert np.all(np.diff(rise) > 0) and np.all(np.diff(fall) < 0)


def test_one_cycle_zero_length_phase_counts_as_finished():
    # pct_start * T == 1: the rise has no length (torch divides by zero there).
    s = one_cycle(0.1, T=10, pct_start=0.1)
    assert s(0) == pytest.approx(0.1, rel=1e-14)
    assert s(9) == pytest.approx(0.1 / 25 / 1e4, rel=1e-12)


ALL = [
    constant(0.1),
    step(0.1, 30, gamma=0.2),
    exponential(1e-3, 0.95),
    cosine(0.1, 100, lr_min=1e-4),
    linear(0.1, 50),
    warmup(cosine(0.1, 90), 10, start_factor=0.1),
    warmup(warmup(linear(0.2, 5), 3), 2),
    one_cycle(0.4, 1000, pct_start=0.25, div_factor=10.0, final_div_factor=1e3),
]


@pytest.mark.parametrize("schedule", ALL, ids=repr)
def test_to_dict_round_trip_through_json(schedule):
    d = json.loads(json.dumps(schedule.to_dict()))
    rebuilt = from_dict(d)
    assert rebuilt == schedule
    assert type(rebuilt) is type(schedule)
    assert repr(rebuilt) == repr(schedule)
    assert values(rebuilt, range(0, 200, 7)) == values(schedule, range(0, 200, 7))
    assert schedules.Schedule.from_dict(d) == schedule


def test_repr_and_to_dict():
    s = warmup(cosine(0.1, T=90), warmup_steps=10)
    assert repr(s) == ("warmup(schedule=cosine(lr0=0.1, T=90, lr_min=0.0), warmup_steps=10, "
                       "start_factor=0.0)")
    assert s.to_dict() == {"name": "warmup", "warmup_steps": 10, "start_factor": 0.0,
                           "schedule": {"name": "cosine", "lr0": 0.1, "T": 90, "lr_min": 0.0}}
    assert repr(one_cycle(1.0, 10)) == ("one_cycle(lr_max=1.0, T=10, pct_start=0.3, "
                                        "div_factor=25.0, final_div_factor=10000.0)")
    assert cosine(0.1, 10) != cosine(0.1, 11)
    assert len({cosine(0.1, 10), cosine(0.1, 10)}) == 1


@pytest.mark.parametrize("make, error, match", [
    (lambda: constant(-0.1), ValueError, r"constant: lr0 must be in \[0, inf\); got -0.1"),
    (lambda: step(0.1, 0), ValueError, "step: step_size must be >= 1; got 0"),
    (lambda: step(0.1, 2.5), TypeError, r"step: step_size must be an int; got 2.5"),
    (lambda: step(0.1, 2, gamma=0), ValueError, r"step: gamma must be in \(0, inf\); got 0"),
    (lambda: exponential(0.1, -0.5), ValueError, r"exponential: gamma must be in \(0, inf\)"),
    (lambda: cosine(0.1, 0), ValueError, "cosine: T must be >= 1; got 0"),
    (lambda: cosine(0.1, 10, lr_min=-1), ValueError, r"cosine: lr_min must be in \[0, inf\)"),
    (lambda: linear("0.1", 10), TypeError, "linear: lr0 must be a number; got '0.1'"),
    (lambda: warmup(lambda t: 0.1, 5), TypeError,
     "warmup: schedule must be a convnp.schedules.Schedule"),
    (lambda: warmup(constant(0.1), -1), ValueError, "warmup: warmup_steps must be >= 0; got -1"),
    (lambda: warmup(constant(0.1), 5, start_factor=1.5), ValueError,
     r"warmup: start_factor must be in \[0, 1\]; got 1.5"),
    (lambda: one_cycle(0.1, 10, pct_start=1.2), ValueError,
     r"one_cycle: pct_start must be in \[0, 1\]; got 1.2"),
    (lambda: one_cycle(0.1, 10, div_factor=0), ValueError,
     r"one_cycle: div_factor must be in \(0, inf\); got 0"),
    (lambda: one_cycle(0.1, 10, final_div_factor=-1), ValueError,
     r"one_cycle: final_div_factor must be in \(0, inf\)"),
    (lambda: cosine(0.1, 10)(-1), ValueError, r"cosine: t must be in \[0, inf\); got -1"),
    (lambda: cosine(0.1, 10)("3"), TypeError, "cosine: t must be a number; got '3'"),
])
def test_argument_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize("d, error, match", [
    ([("name", "cosine")], TypeError, "from_dict: d must be a dict"),
    ({"lr0": 0.1}, ValueError, r"from_dict: d needs a 'name', one of \['constant', 'cosine', "
                               r"'exponential', 'linear', 'one_cycle', 'step', 'warmup'\]"),
    ({"name": "cosine_restarts"}, ValueError,
     r"from_dict: unknown schedule name 'cosine_restarts'; valid names are \['constant'"),
    ({"name": "cosine", "lr0": 0.1}, ValueError,
     r"from_dict: d \(a cosine schedule\) is missing key\(s\) \['T'\]; it needs \['lr0', 'T'\]"),
    ({"name": "cosine", "lr0": 0.1, "T": 5, "eta_min": 0}, ValueError,
     r"from_dict: d \(a cosine schedule\) has unknown key\(s\) \['eta_min'\]; valid keys are "
     r"\['T', 'lr0', 'lr_min'\]"),
    ({"name": "warmup", "warmup_steps": 2, "schedule": {"name": "nope"}}, ValueError,
     "unknown schedule name 'nope'"),
])
def test_from_dict_errors(d, error, match):
    with pytest.raises(error, match=match):
        from_dict(d)
