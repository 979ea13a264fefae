import numpy as np
import pytest

from convnp import optim
from tests.helpers import assert_close

N, D = 4, 5


def course_case():
    """The FullyConnectedNets notebook's inputs: w, dw and a state array, all 4x5 linspaces."""
    w = np.linspace(-0.4, 0.6, num=N * D).reshape(N, D)
    dw = np.linspace(-0.6, 0.4, num=N * D).reshape(N, D)
    state = np.linspace(0.6, 0.9, num=N * D).reshape(N, D)
    return w, dw, state


def assert_printed(actual, printed, tol, what):
    """Match the course's printed values: rel_error < tol and every entry within half a unit of
    the 8th printed decimal (the rounding is what limits rel_error, not the rule)."""
    assert_close(actual, printed, tol, what)
    np.testing.assert_allclose(actual, printed, rtol=0, atol=5.01e-9, err_msg=what)


# The expected arrays below are copied from the course's FullyConnectedNets notebook (printed to
# 8 decimals); the notebook asks for relative errors around 1e-8 (momentum) and "around 1e-7 or
# less" (RMSProp, Adam).
def test_sgd_momentum_course_values():
    w, dw, v = course_case()
    config = {"learning_rate": 1e-3, "velocity": v}
    next_w, _ = optim.sgd_momentum(w, dw, config=config)
    expected_next_w = np.asarray([
        [0.1406, 0.20738947, 0.27417895, 0.34096842, 0.40775789],
        [0.47454737, 0.54133684, 0.60812632, 0.67491579, 0.74170526],
        [0.80849474, 0.87528421, 0.94207368, 1.00886316, 1.07565263],
        [1.14244211, 1.20923158, 1.27602105, 1.34281053, 1.4096]])
    expected_velocity = np.asarray([
        [0.5406, 0.55475789, 0.56891579, 0.58307368, 0.59723158],
        [0.61138947, 0.62554737, 0.63970526, 0.65386316, 0.66802105],
        [0.68217895, 0.69633684, 0.71049474, 0.72465263, 0.73881053],
        [0.75296842, 0.76712632, 0.78128421, 0.79544211, 0.8096]])
    assert_printed(next_w, expected_next_w, 1e-8, "next_w")
    assert_printed(config["velocity"], expected_velocity, 1e-8, "velocity")


def test_rmsprop_course_values():
    w, dw, cache = course_case()
    config = {"learning_rate": 1e-2, "cache": cache}
    next_w, _ = optim.rmsprop(w, dw, config=config)
    expected_next_w = np.asarray([
        [-0.39223849, -0.34037513, -0.28849239, -0.23659121, -0.18467247],
        [-0.132737, -0.08078555, -0.02881884, 0.02316247, 0.07515774],
        [0.12716641, 0.17918792, 0.23122175, 0.28326742, 0.33532447],
        [0.38739248, 0.43947102, 0.49155973, 0.54365823, 0.59576619]])
    expected_cache = np.asarray([
        [0.5976, 0.6126277, 0.6277108, 0.64284931, 0.65804321],
        [0.67329252, 0.68859723, 0.70395734, 0.71937285, 0.73484377],
        [0.75037008, 0.7659518, 0.78158892, 0.79728144, 0.81302936],
        [0.82883269, 0.84469141, 0.86060554, 0.87657507, 0.8926]])
    assert_printed(next_w, expected_next_w, 1e-7, "next_w")
    assert_printed(config["cache"], expected_cache, 1e-7, "cache")


def test_adam_course_values():
    w, dw, m = course_case()
    v = np.linspace(0.7, 0.5, num=N * D).reshape(N, D)
    config = {"learning_rate": 1e-2, "m": m, "v": v, "t": 5}
    next_w, _ = optim.adam(w, dw, config=config)
    expected_next_w = np.asarray([
        [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977],
        [-0.1380274, -0.08544591, -0.03286534, 0.01971428, 0.0722929],
        [0.1248705, 0.17744702, 0.23002243, 0.28259667, 0.33516969],
        [0.38774145, 0.44031188, 0.49288093, 0.54544852, 0.59801459]])
    expected_v = np.asarray([
        [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853],
        [0.64683452, 0.63628604, 0.6257431, 0.61520571, 0.60467385],
        [0.59414753, 0.58362676, 0.57311152, 0.56260183, 0.55209767],
        [0.54159906, 0.53110598, 0.52061845, 0.51013645, 0.49966]])
    expected_m = np.asarray([
        [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474],
        [0.57736842, 0.59684211, 0.61631579, 0.63578947, 0.65526316],
        [0.67473684, 0.69421053, 0.71368421, 0.73315789, 0.75263158],
        [0.77210526, 0.79157895, 0.81105263, 0.83052632, 0.85]])
    # 1.14e-7, the error the course's own solution prints: the entry 0.0197142755 is printed as
    # 0.01971428, and that rounding alone is 1.1e-7 relative.
    assert_printed(next_w, expected_next_w, 1.2e-7, "next_w")
    assert_printed(config["v"], expected_v, 1e-7, "v")
    assert_printed(config["m"], expected_m, 1e-7, "m")
    # The course increments t before using it: this step used t = 6.
    assert config["t"] == 6


def test_sgd_by_hand():
    w, dw, _ = course_case()
    next_w, config = optim.sgd(w, dw)
    np.testing.assert_allclose(next_w, w - 1e-2 * dw, rtol=1e-15)
    assert config == {"learning_rate": 1e-2, "weight_decay": 0.0}


def test_adagrad_by_hand():
    w, dw, cache = course_case()
    next_w, config = optim.adagrad(w, dw, {"learning_rate": 0.1, "cache": cache})
    new_cache = cache + dw**2
    np.testing.assert_allclose(config["cache"], new_cache, rtol=1e-15)
    np.testing.assert_allclose(next_w, w - 0.1 * dw / (np.sqrt(new_cache) + 1e-8), rtol=1e-15)


@pytest.mark.parametrize("mu", [0.0, 0.5, 0.9, 0.99])
def test_nesterov_equals_the_notes_form(rng, mu):
    # CS231n notes: v_prev = v; v = mu * v - lr * dx; x += -mu * v_prev + (1 + mu) * v.
    lr = 0.05
    w = rng.standard_normal((3, 4))
    x, v, config = w.copy(), np.zeros_like(w), {"learning_rate": lr, "momentum": mu}
    for _ in range(6):
        dw = rng.standard_normal(w.shape)
        w, config = optim.nesterov(w, dw, config)
        v_prev = v
        v = mu * v - lr * dw
        x = x - mu * v_prev + (1 + mu) * v
    assert_close(w, x, 1e-13, "w")
    assert_close(config["velocity"], v, 1e-13, "velocity")


def test_momentum_zero_is_sgd(rng):
    w, dw = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    expected, _ = optim.sgd(w, dw, {"learning_rate": 0.3})
    for rule in (optim.sgd_momentum, optim.nesterov):
        got, _ = rule(w, dw, {"learning_rate": 0.3, "momentum": 0.0})
        np.testing.assert_array_equal(got, expected)


def test_first_adam_step_moves_each_weight_by_the_learning_rate(rng):
    # With zero moments and t = 0, m_hat / sqrt(v_hat) = g / |g|: every weight moves by lr.
    w, dw = rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    next_w, config = optim.adam(w, dw, {"epsilon": 0.0})
    np.testing.assert_allclose(w - next_w, 1e-3 * np.sign(dw), rtol=1e-12)
    assert config["t"] == 1


@pytest.mark.parametrize("rule", [optim.sgd, optim.sgd_momentum, optim.nesterov, optim.adagrad,
                                  optim.rmsprop, optim.adam])
def test_coupled_weight_decay_adds_l2_to_the_gradient(rng, rule):
    w, dw = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    got, _ = rule(w, dw, {"learning_rate": 0.1, "weight_decay": 0.3})
    expected, _ = rule(w, dw + 0.3 * w, {"learning_rate": 0.1})
    np.testing.assert_allclose(got, expected, rtol=1e-14)


def test_adamw_decay_is_decoupled(rng):
    w, dw = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    adam_w, adam_config = optim.adam(w, dw, {"learning_rate": 0.1})
    got, config = optim.adamw(w, dw, {"learning_rate": 0.1, "weight_decay": 0.3})
    np.testing.assert_allclose(got, adam_w - 0.1 * 0.3 * w, rtol=1e-14)
    np.testing.assert_array_equal(config["m"], adam_config["m"])
    np.testing.assert_array_equal(config["v"], adam_config["v"])
    no_decay, _ = optim.adamw(w, dw, {"learning_rate": 0.1, "weight_decay": 0.0})
    np.testing.assert_array_equal(no_decay, adam_w)


DEFAULTS = {
    "sgd": {"learning_rate": 1e-2, "weight_decay": 0.0},
    "sgd_momentum": {"learning_rate": 1e-2, "momentum": 0.9, "weight_decay": 0.0},
    "nesterov": {"learning_rate": 1e-2, "momentum": 0.9, "weight_decay": 0.0},
    "adagrad": {"learning_rate": 1e-2, "epsilon": 1e-8, "weight_decay": 0.0},
    "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8, "weight_decay": 0.0},
    "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 1,
             "weight_decay": 0.0},
    "adamw": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 1,
              "weight_decay": 1e-2},
}
STATE = {"sgd": (), "sgd_momentum": ("velocity",), "nesterov": ("velocity",),
         "adagrad": ("cache",), "rmsprop": ("cache",), "adam": ("m", "v"), "adamw": ("m", "v")}


@pytest.mark.parametrize("name", sorted(optim.RULES))
def test_defaults_fill_the_config(rng, name):
    w, dw = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    next_w, config = optim.get(name)(w, dw)
    scalars = {k: v for k, v in config.items() if not isinstance(v, np.ndarray)}
    assert scalars == DEFAULTS[name]
    assert sorted(k for k, v in config.items() if isinstance(v, np.ndarray)) == \
        sorted(STATE[name])


@pytest.mark.parametrize("name", sorted(optim.RULES))
def test_float32_stays_float32(rng, name):
    rule = optim.get(name)
    w = rng.standard_normal((3, 4)).astype(np.float32)
    config = None
    for _ in range(3):
        # A float64 gradient and a numpy-float64 learning rate (as a random search draws them)
        # must not promote the weights or the state.
        dw = rng.standard_normal((3, 4))
        config = config or {"learning_rate": np.float64(1e-2)}
        w, config = rule(w, dw, config)
        assert w.dtype == np.float32
        for key in STATE[name]:
            assert config[key].dtype == np.float32, key


def test_state_given_in_float64_is_cast_to_w_dtype(rng):
    w = rng.standard_normal((2, 2)).astype(np.float32)
    _, config = optim.sgd_momentum(w, w, {"velocity": np.ones((2, 2))})
    assert config["velocity"].dtype == np.float32


@pytest.mark.parametrize("name", sorted(optim.RULES))
def test_nothing_changes_in_place(rng, name):
    w, dw = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    _, config = optim.get(name)(w, dw)
    state = {k: v.copy() for k, v in config.items() if isinstance(v, np.ndarray)}
    arrays = {k: v for k, v in config.items() if isinstance(v, np.ndarray)}
    w_copy, dw_copy = w.copy(), dw.copy()
    next_w, config2 = optim.get(name)(w, dw, config)
    assert config2 is config
    assert next_w is not w
    np.testing.assert_array_equal(w, w_copy)
    np.testing.assert_array_equal(dw, dw_copy)
    for k, v in arrays.items():
        np.testing.assert_array_equal(v, state[k], err_msg=k)


def test_get():
    assert optim.get("adam") is optim.adam
    with pytest.raises(ValueError, match=r"Invalid update_rule 'sgd_nesterov'; valid rules are "
                                         r"\['adagrad', 'adam', 'adamw', 'nesterov', 'rmsprop', "
                                         r"'sgd', 'sgd_momentum'\]"):
        optim.get("sgd_nesterov")
    with pytest.raises(TypeError, match="name must be a str; got function"):
        optim.get(optim.sgd)


@pytest.mark.parametrize("name", sorted(optim.RULES))
def test_shape_mismatch_names_both_shapes(name):
    with pytest.raises(ValueError, match=rf"{name}: w and dw must have the same shape; "
                                         r"got w \(2, 3\) and dw \(3, 2\)"):
        optim.get(name)(np.zeros((2, 3)), np.zeros((3, 2)))


@pytest.mark.parametrize("config, error, match", [
    ([("learning_rate", 1)], TypeError, "adam: config must be a dict or None; got list"),
    ({"learning_rat": 1e-3}, ValueError,
     r"adam: config has unknown key\(s\) \['learning_rat'\]; valid keys are \['beta1', "
     r"'beta2', 'epsilon', 'learning_rate', 'm', 't', 'v', 'weight_decay'\]"),
    ({"learning_rate": -1e-3}, ValueError,
     r"adam: config\['learning_rate'\] must be in \[0, inf\); got -0.001"),
    ({"beta1": 1.0}, ValueError, r"adam: config\['beta1'\] must be in \[0, 1\); got 1"),
    ({"beta2": -0.1}, ValueError, r"adam: config\['beta2'\] must be in \[0, 1\); got -0.1"),
    ({"epsilon": -1.0}, ValueError, r"adam: config\['epsilon'\] must be in \[0, inf\)"),
    ({"weight_decay": -1.0}, ValueError, r"adam: config\['weight_decay'\] must be in \[0, inf\)"),
    ({"t": 1.5}, TypeError, r"adam: config\['t'\] must be an int; got 1.5"),
    ({"m": np.zeros((3, 3))}, ValueError,
     r"adam: config\['m'\] must have shape \(2, 3\) \(the shape of w\); got \(3, 3\)"),
    ({"v": [0.0] * 6}, TypeError, r"adam: config\['v'\] must be a numpy.ndarray; got list"),
])
def test_adam_config_errors(config, error, match):
    with pytest.raises(error, match=match):
        optim.adam(np.zeros((2, 3)), np.zeros((2, 3)), config)


@pytest.mark.parametrize("name, key, value, match", [
    ("sgd_momentum", "momentum", 1.5, r"sgd_momentum: config\['momentum'\] must be in \[0, 1\]"),
    ("nesterov", "momentum", -0.1, r"nesterov: config\['momentum'\] must be in \[0, 1\]"),
    ("rmsprop", "decay_rate", 1.01, r"rmsprop: config\['decay_rate'\] must be in \[0, 1\]"),
    ("sgd", "learning_rate", -1.0, r"sgd: config\['learning_rate'\] must be in \[0, inf\)"),
    ("adagrad", "learning_rate", "0.1", r"adagrad: config\['learning_rate'\] must be a number"),
    ("sgd", "momentum", 0.9, r"sgd: config has unknown key\(s\) \['momentum'\]; valid keys are "
                             r"\['learning_rate', 'weight_decay'\]"),
])
def test_hyperparameter_errors(name, key, value, match):
    with pytest.raises((ValueError, TypeError), match=match):
        optim.get(name)(np.zeros(3), np.zeros(3), {key: value})


def test_w_and_dw_must_be_float_arrays():
    with pytest.raises(TypeError, match="sgd: w must be a numpy.ndarray; got list"):
        optim.sgd([1.0, 2.0], np.zeros(2))
    with pytest.raises(TypeError, match="sgd: dw must be a floating-point array"):
        optim.sgd(np.zeros(2), np.zeros(2, dtype=int))
