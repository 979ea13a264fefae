"""First-order update rules, with the course's signature ``rule(w, dw, config=None)``.

Each rule takes the current weights ``w``, their gradient ``dw`` and a ``config`` dict holding the
hyperparameters (learning rate, momentum, ...) and the rule's state (velocity, caches, moments).
It returns ``(next_w, config)``. Defaults are filled in with ``config.setdefault`` on the first
call, as in the course's ``cs231n/optim.py``. The dict passed in is updated and returned (the
Solver keeps one config per parameter). Arrays are never changed in place: ``w`` and the state
arrays that came in stay as they were, and new arrays are returned.

Checks made by every rule:
- ``w`` and ``dw`` must be float arrays of the same shape. ``dw`` is cast to ``w.dtype``, so a
  float32 model keeps float32 weights and float32 state.
- ``config`` must be a dict or None. A key the rule does not know raises ValueError naming the
  valid keys, so a typo such as ``'learning_rat'`` cannot be silently ignored.
- A negative learning rate raises ValueError. Out-of-range momentum, decay rates, betas,
  epsilon or weight decay also raise ValueError.

``weight_decay`` means two different things:
- In ``sgd``, ``sgd_momentum``, ``nesterov``, ``adagrad``, ``rmsprop`` and ``adam`` it is an L2
  penalty *coupled* to the gradient: ``g = dw + weight_decay * w`` goes into the rule. This is
  ``weight_decay`` in torch.optim.SGD/Adagrad/RMSprop/Adam. The default is 0. The course's
  classifiers put L2 into ``dw`` through ``reg`` instead; use one or the other, not both.
- In ``adamw`` it is *decoupled*, as in torch.optim.AdamW: ``w <- w - lr * weight_decay * w``
  beside the Adam step, which sees only ``dw``. The default is 1e-2, as in torch.

``Lookahead`` is not a rule but a Solver ``on_step`` callback: an exponential moving average of
the weights copied back into the model (the CIFAR-10 speed runs').

Every rule equals its torch.optim counterpart step for step (float64, same hyperparameters, with
a constant learning rate); tests/parity/test_optim_parity.py holds them to 1e-12.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _validate

UpdateRule = Callable[..., tuple[np.ndarray, dict]]


def _prepare(w, dw, config, fn: str, keys: tuple[str, ...]) -> tuple[np.ndarray, dict]:
    """Validate (w, dw, config); return dw in w's dtype and the config dict (new if None)."""
    _validate.array(w, "w", fn)
    _validate.array(dw, "dw", fn)
    if dw.shape != w.shape:
        raise ValueError(f"{fn}: w and dw must have the same shape; got w {w.shape} and "
                         f"dw {dw.shape}")
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise TypeError(f"{fn}: config must be a dict or None; got {type(config).__name__}")
    _validate.keys(config, "config", fn, optional=keys)
    return dw.astype(w.dtype, copy=False), config


def _state(config: dict, key: str, w: np.ndarray, fn: str) -> np.ndarray:
    """config[key] as an array of w's shape and dtype; zeros when the key is missing."""
    value = config.setdefault(key, np.zeros_like(w))
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{fn}: config['{key}'] must be a numpy.ndarray; "
                        f"got {type(value).__name__}")
    _validate.shape(value, w.shape, f"config['{key}']", fn, "the shape of w")
    return value.astype(w.dtype, copy=False)


def _lr(config: dict, default: float, fn: str) -> float:
    config.setdefault("learning_rate", default)
    return _validate.real(config["learning_rate"], "config['learning_rate']", fn, low=0.0)


def _coupled_decay(config: dict, w: np.ndarray, dw: np.ndarray, fn: str) -> np.ndarray:
    """dw + weight_decay * w (torch's coupled weight_decay); dw itself when the decay is 0."""
    config.setdefault("weight_decay", 0.0)
    wd = _validate.real(config["weight_decay"], "config['weight_decay']", fn, low=0.0)
    return dw + wd * w if wd else dw


def _momentum(config: dict, fn: str) -> float:
    config.setdefault("momentum", 0.9)
    return _validate.real(config["momentum"], "config['momentum']", fn, low=0.0, high=1.0)


def _epsilon(config: dict, fn: str) -> float:
    config.setdefault("epsilon", 1e-8)
    return _validate.real(config["epsilon"], "config['epsilon']", fn, low=0.0)


def sgd(w: np.ndarray, dw: np.ndarray, config: dict | None = None):
    """Vanilla stochastic gradient descent.

        g = dw + weight_decay * w
        w <- w - learning_rate * g

    config format:
    - learning_rate: Scalar learning rate (>= 0). Default 1e-2.
    - weight_decay: coupled L2 coefficient (>= 0), as torch.optim.SGD's. Default 0.

    Returns a tuple of:
    - next_w: new array of the shape and dtype of w
    - config: the config passed in (or a new dict), with the defaults filled in
    """
    fn = "sgd"
    dw, config = _prepare(w, dw, config, fn, ("learning_rate", "weight_decay"))
    lr = _lr(config, 1e-2, fn)
    g = _coupled_decay(config, w, dw, fn)
    next_w = w - lr * g
    return next_w, config


def sgd_momentum(w: np.ndarray, dw: np.ndarray, config: dict | None = None):
    """Stochastic gradient descent with momentum (the course's velocity form).

        g = dw + weight_decay * w
        v <- momentum * v - learning_rate * g
        w <- w + v

    torch.optim.SGD(momentum=mu) keeps b = -v / learning_rate instead (b <- mu * b + g;
    w <- w - lr * b). With a constant learning rate the two produce the same weights. When the
    learning rate changes between steps they differ: torch's b carries no old learning rate.

    config format:
    - learning_rate: Scalar learning rate (>= 0). Default 1e-2.
    - momentum: Scalar between 0 and 1 giving the momentum value.
      Setting momentum = 0 reduces to sgd. Default 0.9.
    - velocity: A numpy array of the same shape as w and dw used to store a moving average of
      the gradients. Zeros of w's shape and dtype by default.
    - weight_decay: coupled L2 coefficient (>= 0), as torch.optim.SGD's. Default 0.

    Returns a tuple of:
    - next_w: new array of the shape and dtype of w
    - config: the config, its 'velocity' replaced by the new velocity
    """
    fn = "sgd_momentum"
    dw, config = _prepare(w, dw, config, fn,
                          ("learning_rate", "momentum", "velocity", "weight_decay"))
    lr = _lr(config, 1e-2, fn)
    mu = _momentum(config, fn)
    v = _state(config, "velocity", w, fn)
    g = _coupled_decay(config, w, dw, fn)
    v = mu * v - lr * g
    next_w = w + v
    config["velocity"] = v
    return next_w, config


def nesterov(w: np.ndarray, dw: np.ndarray, config: dict | None = None):
    """Stochastic gradient descent with Nesterov momentum.

        g = dw + weight_decay * w
        v <- momentum * v - learning_rate * g
        w <- w + momentum * v - learning_rate * g

    This is torch.optim.SGD(nesterov=True) written with the course's velocity v = -lr * b
    (torch: b <- mu * b + g; w <- w - lr * (g + mu * b)). For a constant learning rate it is also
    the CS231n notes' form, v_prev = v; v = mu * v - lr * g; w += -mu * v_prev + (1 + mu) * v.
    Both expand to w + mu**2 * v_prev - (1 + mu) * lr * g. tests/test_optim.py checks that the
    notes' form agrees, and tests/parity checks that torch agrees.

    config format: as sgd_momentum ('learning_rate' 1e-2, 'momentum' 0.9, 'velocity' zeros,
    'weight_decay' 0).

    Returns a tuple of:
    - next_w: new array of the shape and dtype of w
    - config: the config, its 'velocity' replaced by the new velocity
    """
    fn = "nesterov"
    dw, config = _prepare(w, dw, config, fn,
                          ("learning_rate", "momentum", "velocity", "weight_decay"))
    lr = _lr(config, 1e-2, fn)
    mu = _momentum(config, fn)
    v = _state(config, "velocity", w, fn)
    g = _coupled_decay(config, w, dw, fn)
    step = lr * g
    v = mu * v - step
    next_w = w + mu * v - step
    config["velocity"] = v
    return next_w, config


def adagrad(w: np.ndarray, dw: np.ndarray, config: dict | None = None):
    """Adagrad: each weight's step is scaled by the root of its summed squared gradients.

        g = dw + weight_decay * w
        cache <- cache + g**2
        w <- w - learning_rate * g / (sqrt(cache) + epsilon)

    This is torch.optim.Adagrad with lr_decay=0 and initial_accumulator_value=0. Torch's default
    eps is 1e-10; set 'epsilon' to 1e-10 to reproduce it exactly.

    config format:
    - learning_rate: Scalar learning rate (>= 0). Default 1e-2.
    - epsilon: Small scalar used for smoothing to avoid dividing by zero. Default 1e-8.
    - cache: Sum of the squared gradients, of w's shape. Zeros of w's dtype by default.
    - weight_decay: coupled L2 coefficient (>= 0), as torch.optim.Adagrad's. Default 0.

    Returns a tuple of:
    - next_w: new array of the shape and dtype of w
    - config: the config, its 'cache' replaced by the new cache
    """
    fn = "adagrad"
    dw, config = _prepare(w, dw, config, fn,
                          ("learning_rate", "epsilon", "cache", "weight_decay"))
    lr = _lr(config, 1e-2, fn)
    eps = _epsilon(config, fn)
    cache = _state(config, "cache", w, fn)
    g = _coupled_decay(config, w, dw, fn)
    cache = cache + g * g
    next_w = w - lr * g / (np.sqrt(cache) + eps)
    config["cache"] = cache
    return next_w, config


def rmsprop(w: np.ndarray, dw: np.ndarray, config: dict | None = None):
    """RMSProp: steps scaled by a moving average of the squared gradients.

        g = dw + weight_decay * w
        cache <- decay_rate * cache + (1 - decay_rate) * g**2
        w <- w - learning_rate * g / (sqrt(cache) + epsilon)

    This is torch.optim.RMSprop(alpha=decay_rate, eps=epsilon) with momentum=0 and
    centered=False. Torch adds eps outside the square root, as the course does.

    config format:
    - learning_rate: Scalar learning rate (>= 0). Default 1e-2.
    - decay_rate: Scalar between 0 and 1 giving the decay rate for the squared gradient cache.
      Default 0.99.
    - epsilon: Small scalar used for smoothing to avoid dividing by zero. Default 1e-8.
    - cache: Moving average of second moments of gradients. Zeros of w's dtype by default.
    - weight_decay: coupled L2 coefficient (>= 0), as torch.optim.RMSprop's. Default 0.

    Returns a tuple of:
    - next_w: new array of the shape and dtype of w
    - config: the config, its 'cache' replaced by the new cache
    """
    fn = "rmsprop"
    dw, config = _prepare(w, dw, config, fn,
                          ("learning_rate", "decay_rate", "epsilon", "cache", "weight_decay"))
    lr = _lr(config, 1e-2, fn)
    config.setdefault("decay_rate", 0.99)
    rho = _validate.real(config["decay_rate"], "config['decay_rate']", fn, low=0.0, high=1.0)
    eps = _epsilon(config, fn)
    cache = _state(config, "cache", w, fn)
    g = _coupled_decay(config, w, dw, fn)
    cache = rho * cache + (1 - rho) * (g * g)
    next_w = w - lr * g / (np.sqrt(cache) + eps)
    config["cache"] = cache
    return next_w, config


_ADAM_KEYS = ("learning_rate", "beta1", "beta2", "epsilon", "m", "v", "t", "weight_decay")


def _adam_step(w: np.ndarray, g: np.ndarray, lr: float, config: dict, fn: str) -> np.ndarray:
    """The bias-corrected Adam step for gradient g. Updates config's m, v and t."""
    beta1 = _validate.real(config["beta1"], "config['beta1']", fn, low=0.0, high=1.0,
                           high_open=True)
    beta2 = _validate.real(config["beta2"], "config['beta2']", fn, low=0.0, high=1.0,
                           high_open=True)
    eps = _epsilon(config, fn)
    m = _state(config, "m", w, fn)
    v = _state(config, "v", w, fn)
    t = _validate.integer(config["t"], "config['t']", fn, minimum=0) + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * (g * g)
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    config["m"], config["v"], config["t"] = m, v, t
    return lr * m_hat / (np.sqrt(v_hat) + eps)


def _adam_defaults(config: dict, fn: str) -> float:
    lr = _lr(config, 1e-3, fn)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("t", 0)
    return lr


def adam(w: np.ndarray, dw: np.ndarray, config: dict | None = None):
    """Adam: moving averages of the gradient and its square, with bias correction.

        g = dw + weight_decay * w;  t <- t + 1
        m <- beta1 * m + (1 - beta1) * g;  v <- beta2 * v + (1 - beta2) * g**2
        w <- w - learning_rate * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + epsilon)

    As in the course, t is incremented *before* use: the first step uses t = 1. This is
    torch.optim.Adam (amsgrad=False). Torch adds eps after the bias-corrected square root, as
    here.

    config format:
    - learning_rate: Scalar learning rate (>= 0). Default 1e-3.
    - beta1: Decay rate for moving average of first moment of gradient, in [0, 1). Default 0.9.
    - beta2: Decay rate for moving average of second moment of gradient, in [0, 1).
      Default 0.999.
    - epsilon: Small scalar used for smoothing to avoid dividing by zero. Default 1e-8.
    - m: Moving average of gradient. Zeros of w's shape and dtype by default.
    - v: Moving average of squared gradient. Zeros of w's shape and dtype by default.
    - t: Iteration number (int >= 0): the number of steps taken so far. Default 0.
    - weight_decay: coupled L2 coefficient (>= 0), as torch.optim.Adam's. Default 0.

    Returns a tuple of:
    - next_w: new array of the shape and dtype of w
    - config: the config, with the new 'm', 'v' and 't'
    """
    fn = "adam"
    dw, config = _prepare(w, dw, config, fn, _ADAM_KEYS)
    lr = _adam_defaults(config, fn)
    g = _coupled_decay(config, w, dw, fn)
    next_w = w - _adam_step(w, g, lr, config, fn)
    return next_w, config


def adamw(w: np.ndarray, dw: np.ndarray, config: dict | None = None):
    """AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

        w' = w - learning_rate * weight_decay * w
        t <- t + 1;  m, v as in adam, from dw alone
        w <- w' - learning_rate * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + epsilon)

    This is torch.optim.AdamW. The decay shrinks the weights directly and is not divided by
    sqrt(v), so every weight decays at the same rate. In adam, weight_decay is added to the
    gradient instead, so it is rescaled with the gradient.

    config format: as adam ('learning_rate' 1e-3, 'beta1' 0.9, 'beta2' 0.999, 'epsilon' 1e-8,
    'm', 'v', 't' 0), plus:
    - weight_decay: decoupled decay coefficient (>= 0). Default 1e-2, as torch.optim.AdamW.

    Returns a tuple of:
    - next_w: new array of the shape and dtype of w
    - config: the config, with the new 'm', 'v' and 't'
    """
    fn = "adamw"
    dw, config = _prepare(w, dw, config, fn, _ADAM_KEYS)
    lr = _adam_defaults(config, fn)
    config.setdefault("weight_decay", 1e-2)
    wd = _validate.real(config["weight_decay"], "config['weight_decay']", fn, low=0.0)
    # Same order as torch: shrink first (w * (1 - lr * wd)), then take the Adam step.
    decayed = w * (1 - lr * wd) if wd else w
    next_w = decayed - _adam_step(w, dw, lr, config, fn)
    return next_w, config


RULES: dict[str, UpdateRule] = {
    "sgd": sgd,
    "sgd_momentum": sgd_momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamw": adamw,
}


def get(name: str) -> UpdateRule:
    """The update rule called ``name`` (one of the keys of ``RULES``).

    Raises TypeError if name is not a string, and ValueError naming the valid rules if it is
    unknown.
    """
    if not isinstance(name, str):
        raise TypeError(f"get: name must be a str; got {type(name).__name__}")
    if name not in RULES:
        raise ValueError(f"Invalid update_rule {name!r}; valid rules are {sorted(RULES)}")
    return RULES[name]


class Lookahead:
    """An exponential moving average of the weights, copied back into the model (a Solver
    ``on_step`` callback): the CIFAR-10 speed runs' (airbench's) Lookahead.

    From ``start_epoch`` (0-based) on, every ``every`` steps the average moves towards the
    weights and the weights are then set to the average:

        rho = (decay ** every) * (t / T) ** power        (t: steps done, T: all steps)
        avg <- avg + (1 - rho) * (w - avg);   w <- avg

    (the first such step only starts the average at the weights). rho grows over training:
    early on the weights move freely, at the end they are averaged strongly. At every epoch end
    the weights are set to the average (before the Solver's accuracy check and checkpoint), so
    a checkpoint written at an epoch end holds the average itself. The average covers every
    float array of ``model.state_dict()`` (parameters and batch-norm running statistics), or
    ``model.params`` for models without state_dict (the course's classifiers).

    Resuming: make a new Lookahead and call ``start_from(solver)`` once after
    ``Solver.resume``. From an epoch-end checkpoint the run then continues exactly; from a
    mid-epoch one the average restarts at the saved weights.

    Args:
        every (int): steps between updates (>= 1). Default 5.
        decay (float): the per-step decay in (0, 1]. Default 0.95.
        power (float): the exponent of rho's warm-up (>= 0). Default 3.
        start_epoch (int): the epoch (0-based) of the first update (>= 0). Default 0.

    Example::

        la = optim.Lookahead(start_epoch=3)
        Solver(model, data, update_rule="nesterov", on_step=la, ...).train()
    """

    def __init__(self, every: int = 5, decay: float = 0.95, power: float = 3.0,
                 start_epoch: int = 0) -> None:
        fn = "Lookahead"
        self.every = _validate.integer(every, "every", fn, minimum=1)
        self.decay = _validate.real(decay, "decay", fn, low=0.0, high=1.0, low_open=True)
        self.power = _validate.real(power, "power", fn, low=0.0)
        self.start_epoch = _validate.integer(start_epoch, "start_epoch", fn, minimum=0)
        self.average: dict[str, np.ndarray] | None = None

    def __repr__(self) -> str:
        return (f"Lookahead(every={self.every}, decay={self.decay}, power={self.power}, "
                f"start_epoch={self.start_epoch})")

    @staticmethod
    def _weights(model) -> dict[str, np.ndarray]:
        """The live arrays averaged: float state_dict entries, or the params."""
        if callable(getattr(model, "_state_entries", None)):
            return {k: store[local] for k, (store, local) in model._state_entries().items()
                    if np.issubdtype(store[local].dtype, np.floating)}
        return dict(model.params)

    def _write_back(self, model) -> None:
        if callable(getattr(model, "_state_entries", None)):
            for k, w in self._weights(model).items():
                w[...] = self.average[k]
        else:
            for k in self.average:
                model.params[k] = self.average[k].copy()

    def start_from(self, solver) -> None:
        """After ``Solver.resume``: start the average at the model's weights if the run that
        was stopped had started it (an update step, a multiple of ``every``, came after
        start_epoch's beginning and by the solver's iteration); otherwise leave it unstarted,
        for the next update step to start."""
        last_update = solver.iteration // self.every * self.every
        if last_update > self.start_epoch * solver.iterations_per_epoch:
            self.average = {k: w.copy() for k, w in self._weights(solver.model).items()}

    def __call__(self, solver, info: dict) -> None:
        t, T = info["iteration"], info["num_iterations"]
        ipe = solver.iterations_per_epoch
        if (t - 1) // ipe < self.start_epoch:
            return
        model = solver.model
        if t % self.every == 0:
            weights = self._weights(model)
            if self.average is None:
                self.average = {k: w.copy() for k, w in weights.items()}
            else:
                rho = self.decay ** self.every * (t / T) ** self.power
                for k, w in weights.items():
                    # avg + (1 - rho) (w - avg): exact where w == avg (a frozen weight)
                    self.average[k] += (1 - rho) * (w - self.average[k])
                self._write_back(model)
        if t % ipe == 0 and self.average is not None:
            self._write_back(model)
