"""Recording how a model was built, so a model file can rebuild it by name.

``record(name)`` decorates a zoo constructor or a classifier's ``__init__``: after the call the
model carries ``model.spec = {"name": name, "kwargs": {...}}``, the arguments it was called with
(defaults filled in, as JSON values; the rng and seed are left out, since a loaded model takes
its weights from the file). ``convnp.io`` stores the spec and calls the constructor again.
"""

from __future__ import annotations

import functools
import inspect
import numbers
from typing import Any

import numpy as np

# Arguments that only decide the initial random draw, not the architecture.
_SKIPPED = ("rng", "seed")


def to_json(value: Any, where: str) -> Any:
    """A constructor argument as a JSON value (tuples become lists, dtypes their names)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [to_json(v, where) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v, where) for k, v in value.items()}
    if isinstance(value, (np.dtype, type)):
        return np.dtype(value).name
    raise TypeError(f"{where}: argument of type {type(value).__name__} cannot be recorded in a "
                    f"model file; got {value!r}")


def record(name: str):
    """Decorate a constructor so that what it builds carries ``.spec`` (see the module)."""
    def wrap(f):
        signature = inspect.signature(f)
        is_init = f.__name__ == "__init__"

        @functools.wraps(f)
        def recorded(*args, **kwargs):
            out = f(*args, **kwargs)
            target = args[0] if is_init else out
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = {k: v for k, v in bound.arguments.items()
                         if k not in _SKIPPED and not (is_init and k == "self")}
            target.spec = {"name": name, "kwargs": to_json(arguments, name)}
            return out
        return recorded
    return wrap
