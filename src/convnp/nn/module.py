"""Module: the base class of convnp.nn, and the loss that gives every module the course contract.

A module is a small object around one pair of functional layers (``convnp.layers``): it keeps
its parameters, their gradients, its buffers (batch norm's running statistics) and the cache of
its last forward pass. There is no autograd graph: ``forward(x)`` runs the layer's forward and
keeps its cache, ``backward(dout)`` runs the layer's hand-written backward, stores the gradient
of every trainable parameter in ``grads`` and returns ``dx``. Containers (``Sequential``,
``Residual``) chain their children's forward and backward passes. ``loss`` runs both and frees
each module's cache as soon as its backward is done, as PyTorch frees its graph: a training step
holds no activation it no longer needs.

Names, shapes and state_dict keys are PyTorch's, so a state_dict moves between the two libraries
with no renaming. Every module also has the course's model contract: ``params`` (a dict-like of
arrays) and ``loss(X, y=None)``, so ``convnp.solver.Solver`` trains it like the course's models.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator, Mapping, MutableMapping

import numpy as np

from .. import _validate
from ..layers import softmax_loss

__all__ = ["Module", "cross_entropy"]

IncompatibleKeys = collections.namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def _pair(value, name: str, fn: str, minimum: int) -> tuple[int, int]:
    """An int or a 2-tuple of ints >= minimum, as a 2-tuple (PyTorch's ``_pair``)."""
    items = value if isinstance(value, (tuple, list)) else (value,) * 2
    if len(items) != 2:
        raise ValueError(f"{fn}: {name} must be an int or a tuple of 2 ints; got {value!r}")
    return tuple(_validate.integer(v, name, fn, minimum=minimum) for v in items)


def _square(value, name: str, fn: str, minimum: int, why: str) -> tuple[int, int]:
    """An int, or a 2-tuple of two EQUAL ints, as a 2-tuple; ``why`` says why they must agree."""
    pair = _pair(value, name, fn, minimum)
    if pair[0] != pair[1]:
        raise ValueError(f"{fn}: {name} must be one int or a tuple of two equal ints ({why}); "
                         f"got {value!r}")
    return pair


def _check_labels(y, N: int, fn: str, num_classes: int | None = None) -> np.ndarray:
    """Check that y holds N integer labels >= 0 (and < num_classes if given); return intp."""
    y = np.asarray(y)
    if y.shape != (N,):
        raise ValueError(f"{fn}: y must have shape ({N},), one label per example; got {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{fn}: y must hold integer class labels; got dtype {y.dtype}")
    if N and y.min() < 0:
        raise ValueError(f"{fn}: labels in y must be >= 0; got {int(y.min())}")
    if num_classes is not None and N and y.max() >= num_classes:
        raise ValueError(f"{fn}: labels in y must be in [0, {num_classes}) for scores with "
                         f"{num_classes} classes; got {int(y.max())}")
    return y.astype(np.intp, copy=False)


def cross_entropy(scores: np.ndarray, y, label_smoothing: float = 0.0) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy averaged over the batch, with optional label smoothing.

    As torch.nn.functional.cross_entropy(scores, y, label_smoothing=eps) (mean reduction): the
    target of example i is q_i = (1 - eps) * onehot(y_i) + eps / C, and

        loss = -(1/N) sum_i sum_c q_ic log softmax(scores_i)_c
        dscores = (softmax(scores) - q) / N

    With eps = 0 this is the course's ``convnp.layers.softmax_loss``, which it then calls.

    Inputs:
    - scores: class scores, of shape (N, C), float32 or float64
    - y: integer labels, of shape (N,), 0 <= y[i] < C
    - label_smoothing: eps in [0, 1]; default 0

    Returns a tuple of:
    - loss: a Python float
    - dscores: gradient of the loss with respect to scores, of shape (N, C), dtype of scores

    Raises ValueError or TypeError naming the argument when scores is not a 2-D float array
    with at least one row, y is not N integer labels in [0, C), or eps is outside [0, 1].
    """
    fn = "cross_entropy"
    _validate.array(scores, "scores", fn, ndim=2)
    N, C = scores.shape
    if N == 0:
        raise ValueError(f"{fn}: scores must hold at least one example; got shape {scores.shape}")
    y = _check_labels(y, N, fn, C)
    eps = _validate.real(label_smoothing, "label_smoothing", fn, low=0, high=1)
    if eps == 0:
        return softmax_loss(scores, y)
    rows = np.arange(N)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    # PyTorch: (1 - eps) * nll + eps / C * (-sum of log_probs over the classes), averaged.
    loss = -((1 - eps) * log_probs[rows, y] + (eps / C) * log_probs.sum(axis=1)).mean()
    dscores = np.exp(log_probs)
    dscores -= scores.dtype.type(eps / C)
    dscores[rows, y] -= scores.dtype.type(1 - eps)
    dscores /= N
    return float(loss), dscores


class _ParamView(MutableMapping):
    """The trainable parameters of a module tree by dotted name, live: reads and writes go to
    the modules that own them (writes through ``Module.set_param``). Keys are fixed."""

    def __init__(self, root: Module, grads: bool = False) -> None:
        self._root = root
        self._grads = grads
        self._index = {name: (owner, local)
                       for name, owner, local in root._walk_params(trainable_only=True)}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._index:
            raise KeyError(f"{type(self._root).__name__} has no trainable parameter {name!r}; "
                           f"its trainable parameters are {list(self._index)}")
        owner, local = self._index[name]
        return owner._grads[local] if self._grads else owner._params[local]

    def __setitem__(self, name: str, value) -> None:
        what = "grads" if self._grads else "params"
        if self._grads or name not in self._index:
            raise KeyError(f"{what}[{name!r}] cannot be set: {what} is a view of the module's "
                           f"trainable parameters {list(self._index)} (set params of existing "
                           f"names only; register_parameter adds new ones)")
        self._root.set_param(name, value)

    def __delitem__(self, name: str) -> None:
        raise TypeError("parameters cannot be deleted from a module's params")

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr({k: self[k] for k in self})


class Module:
    """Base class of every convnp.nn module: parameters, gradients, buffers, modes, state.

    A subclass registers its arrays in ``__init__`` (``register_parameter``,
    ``register_buffer``; assigning a Module to an attribute registers a child) and writes
    ``forward(x)``, which keeps what backward needs, and ``backward(dout)``, which returns dx
    and stores the gradient of each trainable parameter with ``_set_grad``.

    Parameters and gradients, the two views:
    - ``named_parameters()`` yields every parameter (frozen ones included) by dotted name,
      ``'0.weight'``, ``'3.block.1.bias'``, ...; ``state_dict()`` copies them with the buffers.
    - ``params`` is the course's dict of the TRAINABLE parameters (not frozen), live: reading
      ``model.params['0.weight']`` gives the module's own array, and writing
      ``model.params['0.weight'] = w`` (what the course's Solver does after each update) stores w
      in the module, through ``set_param``. ``model.params = d`` stores every array of d (it
      must have exactly the keys of params). ``grads`` is the matching read-only view of the
      gradients that the last ``backward`` stored (zeros before any).
    - ``backward`` overwrites the gradients (it does not accumulate as PyTorch does): the course
      computes fresh gradients at every ``loss`` call. ``zero_grad()`` resets them to zeros.

    Freezing (the notes' transfer-learning recipe; see also ``convnp.transfer``):
    ``freeze()`` makes the module and its children a fixed function, ``freeze('0', '3.block')``
    does so for the named submodules only, and ``freeze('1.weight')`` for one parameter (its
    module's mode unchanged). A frozen parameter leaves ``params`` and ``grads``
    (so the Solver neither sees nor updates it, weight decay included), gets no gradient stored
    (Linear does not even compute it), and is still in ``named_parameters()`` and
    ``state_dict()``. A frozen module also stays in eval mode whatever ``train()`` says, so its
    batch norms normalise with, and never update, their running statistics and its dropouts
    pass everything (``freeze(track_stats=True)`` leaves the modes alone, as PyTorch's
    ``requires_grad_(False)`` does). ``backward`` still returns dx, so layers before a frozen
    one keep training; ``loss`` stops the backward pass at the first layer from the input that
    has trainable parameters, so a frozen feature extractor costs a forward pass only.
    ``unfreeze()`` / ``unfreeze(names...)`` undo it, with zero gradients.

    Modes: ``train()`` (the default) and ``eval()`` set ``training`` on the module and its
    children (frozen ones stay in eval); batch norm and dropout read it.

    The course contract, ``loss(X, y=None)``, is described in its own docstring; the attributes
    it reads are ``reg`` (L2 strength, default 0) and ``label_smoothing`` (default 0).

    Attributes:
        training (bool): True in train mode.
        reg (float): L2 strength for ``loss``: 0.5 * reg * sum(w**2) over the ``weight`` of
            every Linear and Conv2d (never biases or normalization parameters). Default 0.
        label_smoothing (float): eps of ``cross_entropy`` in ``loss``. Default 0.
    """

    # Local names of the parameters that ``reg`` applies to: ('weight',) in Linear and Conv2d.
    _decayed: tuple[str, ...] = ()
    reg: float = 0.0
    label_smoothing: float = 0.0

    def __init__(self) -> None:
        object.__setattr__(self, "_params", {})
        object.__setattr__(self, "_grads", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_frozen", set())
        # Kept in eval mode by freeze() (see the class docstring).
        object.__setattr__(self, "_eval_pinned", False)
        object.__setattr__(self, "_cache", None)
        object.__setattr__(self, "training", True)

    # -- registration and attribute access -------------------------------------------------

    def _check_name(self, name: str, fn: str) -> None:
        if not isinstance(name, str) or not name or "." in name:
            raise ValueError(f"{fn}: name must be a non-empty string without '.'; got {name!r}")
        if "_params" not in self.__dict__:
            raise AttributeError(f"{fn}: call Module.__init__() before registering {name!r}")
        taken = [store for store in ("_params", "_buffers", "_modules")
                 if name in self.__dict__[store]]
        if taken or (name in self.__dict__ and self.__dict__[name] is not None):
            raise KeyError(f"{fn}: {type(self).__name__} already has an attribute {name!r}")

    def register_parameter(self, name: str, value: np.ndarray) -> None:
        """Add a trainable parameter (a float ndarray, kept as is) with a zero gradient."""
        fn = f"{type(self).__name__}.register_parameter"
        self._check_name(name, fn)
        _validate.array(value, name, fn)
        self.__dict__.pop(name, None)
        self._params[name] = value
        self._grads[name] = np.zeros_like(value)

    def register_buffer(self, name: str, value: np.ndarray) -> None:
        """Add a buffer: state that is saved in state_dict but not trained (running_mean)."""
        fn = f"{type(self).__name__}.register_buffer"
        self._check_name(name, fn)
        if not isinstance(value, np.ndarray):
            raise TypeError(f"{fn}: {name} must be a numpy.ndarray; got {type(value).__name__}")
        self._buffers[name] = value

    def add_module(self, name: str, module: Module) -> None:
        """Add a child module; its parameters are named ``name + '.' + theirs``."""
        fn = f"{type(self).__name__}.add_module"
        self._check_name(name, fn)
        if not isinstance(module, Module):
            raise TypeError(f"{fn}: {name} must be a convnp.nn.Module; "
                            f"got {type(module).__name__}")
        self._modules[name] = module

    def __getattr__(self, name: str):
        # Only called when normal lookup fails: parameters, buffers and children live in dicts.
        d = self.__dict__
        for store in ("_params", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        if name in d.get("_params", ()):
            self.set_param(name, value)
        elif name in d.get("_buffers", ()):
            self._set_buffer(name, value)
        elif isinstance(value, Module):
            if "_modules" not in d:
                raise AttributeError(f"cannot assign module {name!r} before Module.__init__()")
            if name in d["_modules"]:
                d["_modules"][name] = value
            else:
                self.add_module(name, value)
        else:
            if value is None and name in d.get("_modules", ()):
                del d["_modules"][name]  # e.g. residual.projection = None drops the child
            object.__setattr__(self, name, value)

    # -- walking the tree --------------------------------------------------------------------

    def children(self) -> Iterator[Module]:
        """The direct children, in registration order."""
        return iter(self._modules.values())

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module ('' or prefix) and every descendant, preorder."""
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self) -> Iterator[Module]:
        """This module and every descendant, preorder."""
        return (m for _, m in self.named_modules())

    def _walk_params(self, trainable_only: bool = False):
        for prefix, m in self.named_modules():
            for local in m._params:
                if not (trainable_only and local in m._frozen):
                    yield (f"{prefix}.{local}" if prefix else local), m, local

    def named_parameters(self, trainable_only: bool = False) -> Iterator[tuple[str, np.ndarray]]:
        """(dotted name, array) of every parameter; frozen ones too unless trainable_only."""
        for name, m, local in self._walk_params(trainable_only):
            yield name, m._params[local]

    def parameters(self, trainable_only: bool = False) -> Iterator[np.ndarray]:
        """The parameter arrays, in the order of named_parameters."""
        return (p for _, p in self.named_parameters(trainable_only))

    def named_buffers(self) -> Iterator[tuple[str, np.ndarray]]:
        """(dotted name, array) of every buffer: running_mean, running_var, ..."""
        for prefix, m in self.named_modules():
            for local, b in m._buffers.items():
                yield (f"{prefix}.{local}" if prefix else local), b

    def num_parameters(self, trainable_only: bool = False) -> int:
        """The number of scalar parameters (frozen ones too unless trainable_only)."""
        return int(sum(p.size for p in self.parameters(trainable_only)))

    def _resolve(self, name: str, fn: str) -> tuple[Module, str]:
        """The module that owns the dotted name and the name's last part."""
        *path, local = name.split(".")
        owner = self
        for part in path:
            if part not in owner._modules:
                raise KeyError(f"{fn}: {type(self).__name__} has no submodule {part!r} "
                               f"(in {name!r})")
            owner = owner._modules[part]
        return owner, local

    @property
    def dtype(self) -> np.dtype | None:
        """The dtype of the first parameter (None for a module without parameters)."""
        return next((p.dtype for p in self.parameters()), None)

    # -- the course contract: params, grads, loss -------------------------------------------

    @property
    def params(self) -> MutableMapping:
        """The trainable parameters by dotted name: a live view (see the class docstring)."""
        return _ParamView(self)

    @params.setter
    def params(self, values: Mapping) -> None:
        fn = f"{type(self).__name__}.params"
        view = _ParamView(self)
        if not isinstance(values, Mapping):
            raise TypeError(f"{fn}: params must be set from a dict; got {type(values).__name__}")
        if set(values) != set(view):
            missing = sorted(set(view) - set(values))
            unexpected = sorted(set(values) - set(view))
            raise ValueError(f"{fn}: params must be set from a dict with exactly the trainable "
                             f"parameters' keys; missing {missing}, unexpected {unexpected}")
        for name in view:
            self.set_param(name, values[name])

    @property
    def grads(self) -> Mapping:
        """The gradients of the trainable parameters (the same keys as params), read-only."""
        return _ParamView(self, grads=True)

    def set_param(self, name: str, value: np.ndarray) -> None:
        """Replace the parameter ``name`` (dotted) with ``value``, which the module then holds.

        value must be an ndarray of the parameter's shape; it is cast to the parameter's dtype
        (no copy when the dtype already matches, so the module shares the caller's array).
        Raises KeyError for an unknown name, TypeError or ValueError for a wrong value.
        """
        fn = f"{type(self).__name__}.set_param"
        owner, local = self._resolve(name, fn)
        if local not in owner._params:
            raise KeyError(f"{fn}: no parameter {name!r}; parameters are "
                           f"{[n for n, _ in self.named_parameters()]}")
        old = owner._params[local]
        _validate.array(value, name, fn)
        _validate.shape(value, old.shape, name, fn, "the parameter's shape")
        owner._params[local] = value.astype(old.dtype, copy=False)

    def _set_buffer(self, name: str, value) -> None:
        fn = f"{type(self).__name__}._set_buffer"
        old = self._buffers[name]
        value = np.asarray(value)
        _validate.shape(value, old.shape, name, fn, "the buffer's shape")
        self._buffers[name] = value.astype(old.dtype, copy=False)

    def _needs_grad(self, local: str) -> bool:
        return local not in self._frozen

    def _set_grad(self, local: str, grad: np.ndarray) -> None:
        """Store the gradient of this module's parameter ``local`` (skipped when frozen)."""
        if local not in self._frozen:
            param = self._params[local]
            self._grads[local] = np.ascontiguousarray(grad, dtype=param.dtype).reshape(param.shape)

    def zero_grad(self) -> None:
        """Set the gradient of every trainable parameter to zeros."""
        for m in self.modules():
            for local, p in m._params.items():
                if local not in m._frozen:
                    m._grads[local] = np.zeros_like(p)

    def get_submodule(self, name: str) -> Module:
        """The descendant at the dotted name ('' for this module), as PyTorch's.

        Raises KeyError naming the missing part and the children that exist there.
        """
        return self._lookup(name, f"{type(self).__name__}.get_submodule")

    def _lookup(self, name, fn: str, what: str = "name", params: bool = False):
        """The submodule at the dotted name; with params, a parameter's name gives the tuple
        (owning module, local name) instead."""
        if not isinstance(name, str):
            raise TypeError(f"{fn}: {what} must be a dotted submodule name (str); got "
                            f"{name!r} ({type(name).__name__})")
        m = self
        parts = name.split(".") if name else []
        for i, part in enumerate(parts):
            if part not in m._modules:
                if params and part in m._params and i == len(parts) - 1:
                    return m, part
                kinds = "submodule or parameter" if params else "submodule"
                raise KeyError(f"{fn}: no {kinds} {part!r} in {name!r}; the children there "
                               f"are {list(m._modules)}"
                               + (f", the parameters {list(m._params)}" if params else ""))
            m = m._modules[part]
        return m

    def _targets(self, names: tuple, fn: str) -> list:
        """What the names denote (all checked before any change): submodules, or (module,
        local) for parameter names; [self] for no names."""
        if not names:
            return [self]
        return [self._lookup(n, fn, f"names[{i}]", params=True) for i, n in enumerate(names)]

    def freeze(self, *names: str, track_stats: bool = False) -> Module:
        """Freeze this module, or the named submodules and parameters; return self.

        Frozen parameters get no gradients and leave ``params``; frozen modules (with their
        children) stay in eval mode unless track_stats is True (see the class docstring). A
        parameter frozen by name leaves its module's mode alone: ``freeze('1.weight')`` keeps
        a batch norm's scale fixed while its shift trains.

        Args:
            names (str): dotted submodule names ('0', '3.block') or parameter names
                ('1.weight'); none for the whole module
            track_stats (bool): keep the frozen modules' train/eval mode (batch norms then
                normalise with batch statistics and update their running ones). Default: False
        """
        fn = f"{type(self).__name__}.freeze"
        if not isinstance(track_stats, bool):
            raise TypeError(f"{fn}: track_stats must be a bool; got {type(track_stats).__name__}")
        for target in self._targets(names, fn):
            if isinstance(target, tuple):
                owner, local = target
                owner._frozen.add(local)
                owner._grads.pop(local, None)
                continue
            for m in target.modules():
                m._frozen.update(m._params)
                m._grads.clear()
                if not track_stats:
                    object.__setattr__(m, "_eval_pinned", True)
                    object.__setattr__(m, "training", False)
        return self

    def unfreeze(self, *names: str) -> Module:
        """Make this module, or the named submodules and parameters, trainable again; return
        self.

        Their parameters come back into ``params`` with zero gradients, and they follow
        ``train()`` / ``eval()`` again (they take the mode of this module now).
        """
        fn = f"{type(self).__name__}.unfreeze"
        targets = self._targets(names, fn)
        mode = self.training
        for name, target in zip(names or ("",), targets):
            if isinstance(target, tuple):
                owner, local = target
                owner._frozen.discard(local)
                owner._grads[local] = np.zeros_like(owner._params[local])
                continue
            # The modules on the way down hold a trainable part now: no longer fixed.
            parts = name.split(".") if name else []
            path = [self.get_submodule(".".join(parts[:i])) for i in range(len(parts))]
            for m in path + list(target.modules()):
                object.__setattr__(m, "_eval_pinned", False)
                object.__setattr__(m, "training", mode)
            for m in target.modules():
                m._frozen.clear()
            target.zero_grad()
        return self

    def is_frozen(self) -> bool:
        """True when the module has parameters and every one of them (children's too) is frozen."""
        owned = [(m, local) for m in self.modules() for local in m._params]
        return bool(owned) and all(local in m._frozen for m, local in owned)

    def _has_trainable(self) -> bool:
        return any(True for _ in self._walk_params(trainable_only=True))

    def _free_caches(self) -> None:
        """Drop the forward caches of this module and its children: ``loss`` is done with them."""
        for m in self.modules():
            object.__setattr__(m, "_cache", None)

    def _backward_freeing(self, dout: np.ndarray) -> np.ndarray:
        """backward(dout), then ``_free_caches``: one layer of ``loss``'s backward pass.

        Containers override it to free each child's caches as soon as its backward is done,
        so that the pass holds only the activations it still needs (PyTorch frees its graph
        the same way).
        """
        dx = self.backward(dout)
        self._free_caches()
        return dx

    def _backward_params(self, dout: np.ndarray) -> None:
        """backward(dout) where only the parameters' gradients are wanted, not dx.

        Containers override it to skip the layers below the first one that has trainable
        parameters (a frozen feature extractor); ``loss`` calls it, and frees the caches as
        it goes (``_backward_freeing``).
        """
        if self._has_trainable():
            self._backward_freeing(dout)

    def loss(self, X: np.ndarray, y=None):
        """The course's model contract: scores, or the loss and the gradient of every param.

        Modes, as the course's FullyConnectedNet: without labels the forward pass runs in eval
        mode (dropout off, batch norm on its running statistics, which stay as they are); with
        labels it runs in train mode (batch norm updates its running statistics). Afterwards
        every module is back in the mode it had before the call.

        With labels the loss is ``cross_entropy(scores, y, self.label_smoothing)`` plus
        0.5 * self.reg * sum(w**2) over the ``weight`` of every Linear and Conv2d in the tree
        (frozen ones included: freezing does not change the objective). Biases and the
        parameters of normalization layers are not regularized. The returned gradients include
        the L2 term, reg * w, and are also what ``self.grads`` holds afterwards.

        With labels the backward pass frees each module's cache as soon as that module's
        backward is done (a full-width ``models.airbench`` step at batch 128 then adds 288 MiB
        over the idle process, not 388); without, the forward's caches are freed at its end.
        Either way ``backward`` after ``loss`` raises RuntimeError as before any forward;
        call ``forward`` and ``backward`` to keep the caches.

        Inputs:
        - X: a batch of inputs, of the shape forward takes; cast to the dtype of the module's
          parameters (float32 by default)
        - y: integer labels, of shape (N,), 0 <= y[i] < C; or None

        Returns:
        - y None: scores, the output of forward, of shape (N, C)
        - else a tuple (loss, grads): loss a Python float, grads a dict with the keys of
          ``self.params`` (the trainable parameters) mapping to arrays of their shapes

        Raises ValueError or TypeError naming the argument when X is not a float array, y is
        not N labels >= 0 (checked before the forward pass, so batch norm's statistics do not
        move), a label is >= C, reg < 0 or label_smoothing is outside [0, 1].
        """
        fn = f"{type(self).__name__}.loss"
        _validate.array(X, "X", fn, min_ndim=1)
        if X.shape[0] == 0:
            raise ValueError(f"{fn}: X must hold at least one example; got shape {X.shape}")
        dtype = self.dtype
        if dtype is not None:
            X = X.astype(dtype, copy=False)
        modes = [(m, m.training) for m in self.modules()]
        try:
            if y is None:
                self.eval()
                scores = self.forward(X)
                self._free_caches()  # no backward follows
                return scores
            y = _check_labels(y, X.shape[0], fn)
            reg = _validate.real(self.reg, "reg", fn, low=0)
            eps = _validate.real(self.label_smoothing, "label_smoothing", fn, low=0, high=1)
            self.train()
            scores = self.forward(X)
            data_loss, dscores = cross_entropy(scores, y, eps)
            self._backward_params(dscores)
            self._free_caches()
        finally:
            for m, training in modes:
                object.__setattr__(m, "training", training)

        reg_loss = 0.0
        for m in self.modules():
            for local in m._decayed:
                w = m._params.get(local)
                if w is None:
                    continue
                reg_loss += 0.5 * reg * float(np.sum(w * w))
                if reg and local not in m._frozen:
                    m._grads[local] = m._grads[local] + w.dtype.type(reg) * w
        return data_loss + reg_loss, dict(self.grads)

    # -- forward and backward --------------------------------------------------------------

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Compute the output for x and keep what backward needs. Subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """Return dx for the upstream gradient dout of the last forward; store param grads."""
        raise NotImplementedError(f"{type(self).__name__} does not define backward")

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def _cached(self, dout: np.ndarray | None = None):
        """The cache of the last forward, with dout checked against the output's shape.

        The cache is (output shape, anything); RuntimeError if forward has not run.
        """
        fn = f"{type(self).__name__}.backward"
        if self._cache is None:
            raise RuntimeError(f"{fn}: no forward pass to differentiate: call forward(x) (or the "
                               f"module itself) before backward(dout), which uses the cache of "
                               f"the last forward")
        out_shape, cache = self._cache
        if dout is not None:
            _validate.same_shape(dout, out_shape, fn)
        return cache

    # -- modes -------------------------------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Set train mode (or eval mode for mode=False) on this module and its children."""
        if not isinstance(mode, bool):
            raise TypeError(f"{type(self).__name__}.train: mode must be a bool; "
                            f"got {type(mode).__name__}")
        for m in self.modules():
            object.__setattr__(m, "training", mode and not m._eval_pinned)
        return self

    def eval(self) -> Module:
        """Set eval mode on this module and its children: same as train(False)."""
        return self.train(False)

    # -- state -------------------------------------------------------------------------------

    def _state_entries(self) -> dict[str, tuple[dict, str]]:
        """state_dict key -> (the dict holding the array, its local name), in PyTorch's order:
        a module's parameters, then its buffers, then its children's, depth first."""
        entries = {}
        for prefix, m in self.named_modules():
            for store in (m._params, m._buffers):
                for local in store:
                    entries[f"{prefix}.{local}" if prefix else local] = (store, local)
        return entries

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter and buffer by dotted name, with PyTorch's keys and shapes.

        The keys are those of the equivalent torch module's state_dict, in the same order
        (BatchNorm included: weight, bias, running_mean, running_var, num_batches_tracked), so
        ``torch_model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})`` works.
        """
        return {key: store[local].copy() for key, (store, local) in self._state_entries().items()}

    def load_state_dict(self, state_dict: Mapping, strict: bool = True) -> IncompatibleKeys:
        """Copy the arrays of state_dict into the module's parameters and buffers, in place.

        Values may be ndarrays or anything np.asarray takes (a CPU torch tensor from
        ``torch_model.state_dict()``); they are cast to the dtype of the module's arrays.
        Nothing is copied unless every key and shape checks out.

        Inputs:
        - state_dict: dotted name -> array, as state_dict() returns
        - strict: if True (default), the keys must be exactly the module's; if False, missing
          and unexpected keys are skipped (shapes are still checked)

        Returns (missing_keys, unexpected_keys), a named tuple of two lists, as PyTorch does.

        Raises ValueError naming the keys when strict and keys are missing or unexpected, and
        naming the key and both shapes when a shape differs; TypeError if state_dict is not a
        mapping.
        """
        fn = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"{fn}: state_dict must be a dict of arrays; "
                            f"got {type(state_dict).__name__}")
        entries = self._state_entries()
        missing = [k for k in entries if k not in state_dict]
        unexpected = [k for k in state_dict if k not in entries]
        if strict and (missing or unexpected):
            raise ValueError(f"{fn}: state_dict keys do not match the module's: missing key(s) "
                             f"{missing}, unexpected key(s) {unexpected}")
        values = {}
        for key, (store, local) in entries.items():
            if key not in state_dict:
                continue
            value = np.asarray(state_dict[key])
            if value.shape != store[local].shape:
                raise ValueError(f"{fn}: {key!r} has shape {store[local].shape} in the module "
                                 f"but {value.shape} in state_dict")
            values[key] = value
        for key, value in values.items():
            store, local = entries[key]
            store[local][...] = value
        return IncompatibleKeys(missing, unexpected)

    def astype(self, dtype) -> Module:
        """Cast every float parameter, gradient and buffer to dtype, in place; return self."""
        dt = _validate.float_dtype(dtype, f"{type(self).__name__}.astype")
        for m in self.modules():
            for store in (m._params, m._grads, m._buffers):
                for local, a in store.items():
                    if np.issubdtype(a.dtype, np.floating):
                        store[local] = a.astype(dt, copy=False)
        return self

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """Re-initialise the parameters of this module and its children (in order) from rng."""
        rng = _validate.generator(rng, f"{type(self).__name__}.reset_parameters")
        for child in self.children():
            child.reset_parameters(rng)

    # -- repr ----------------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The arguments shown inside the parentheses of repr (non-defaults, as PyTorch)."""
        return ""

    def __repr__(self) -> str:
        lines = [f"({name}): " + repr(child).replace("\n", "\n  ")
                 for name, child in self._modules.items()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"
