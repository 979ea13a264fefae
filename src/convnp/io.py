"""Model files: one ``.npz`` that rebuilds a trained model with no other information.

``save(model, path, dataset=None, preprocess=None)`` writes every parameter and buffer (batch
norm running statistics) plus a JSON header; ``load(path)`` rebuilds the model;
``load_full(path)`` also returns the dataset description (class names, image shape) and the
preprocessing fitted on the training data, which is what predicting on new images needs.

The file is a ``convnp.checkpoint`` container (plain ``.npz``, ``allow_pickle=False``, CRC-checked,
written to a temporary file and renamed). Its JSON header holds:

- ``kind``: ``"convnp.model"``, ``model_format``: 1 (a newer number is refused)
- ``model``: ``{"name", "kwargs"}``, the constructor and its arguments (``model.spec``, which the
  zoo's functions and the course's classifiers record), and ``"class"``: ``"zoo"`` or
  ``"classifier"``
- ``dataset``: ``Dataset.to_dict()`` or null; ``preprocess``: its config or null
- ``convnp_version`` and a free ``extra`` dict

Array entries: ``state/<key>`` (an nn model's ``state_dict()`` keys, PyTorch's; or a classifier's
``params`` keys and ``bn_params/<i>/running_mean|running_var``) and ``preprocess/<key>``.
``load`` checks every key, shape and dtype against the rebuilt model before copying anything:
a missing or extra key, a wrong shape or dtype, an object array or a truncated file is refused
with a ``ModelFileError`` (a ValueError) naming the path and the key. Loading never unpickles and
never evaluates anything from the file (the constructor is looked up by name in a fixed table).

    >>> import tempfile, os
    >>> from convnp import io, models
    >>> model = models.get("vgg", widths=(4,), input_size=4, seed=0)
    >>> path = io.save(model, os.path.join(tempfile.mkdtemp(), "m.npz"))
    >>> io.load(path).state_dict()["0.weight"].shape
    (4, 3, 3, 3)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__, checkpoint, classifiers, models
from .checkpoint import CheckpointError

__all__ = ["LoadedModel", "ModelFileError", "load", "load_full", "read_header", "save"]

KIND = "convnp.model"
MODEL_FORMAT = 1
_CLASSIFIERS = {name: getattr(classifiers, name) for name in classifiers.__all__}
_BN_KEYS = ("running_mean", "running_var")


class ModelFileError(CheckpointError):
    """A model file that cannot be loaded: its message starts with the path."""


@dataclass
class LoadedModel:
    """What ``load_full`` returns.

    - model: the rebuilt model, in eval mode when it has one
    - dataset: the ``convnp.data.Dataset`` it was trained on, or None
    - preprocess: the fitted preprocessor (uint8 NHWC batch -> model input), or None
    - header: the whole JSON header
    """

    model: Any
    dataset: Any = None
    preprocess: Any = None
    header: dict = field(default_factory=dict)

    @property
    def classes(self) -> list[str] | None:
        return None if self.dataset is None else list(self.dataset.classes)


def _spec(model, spec, fn: str) -> dict:
    spec = getattr(model, "spec", None) if spec is None else spec
    if (not isinstance(spec, dict) or not isinstance(spec.get("name"), str)
            or not isinstance(spec.get("kwargs"), dict)):
        raise TypeError(f"{fn}: the model has no spec ({{'name', 'kwargs'}}): build it with a "
                        f"convnp.models function or a convnp.classifiers class, or pass spec=; "
                        f"got {type(model).__name__}")
    if spec["name"] in models.NAMES:
        return {"class": "zoo", "name": spec["name"], "kwargs": spec["kwargs"]}
    if spec["name"] in _CLASSIFIERS:
        return {"class": "classifier", "name": spec["name"], "kwargs": spec["kwargs"]}
    raise ValueError(f"{fn}: spec names an unknown model {spec['name']!r}; known: "
                     f"{', '.join(models.NAMES + tuple(_CLASSIFIERS))}")


def _state(model) -> dict[str, np.ndarray]:
    """Every array that defines the model's function, keyed as in the file (without 'state/')."""
    if callable(getattr(model, "state_dict", None)):
        return {k: np.asarray(v) for k, v in model.state_dict().items()}
    state = {k: np.asarray(v) for k, v in model.params.items()}
    for i, bn in enumerate(getattr(model, "bn_params", None) or []):
        for key in _BN_KEYS:
            if key in bn:
                state[f"bn_params/{i}/{key}"] = np.asarray(bn[key])
    return state


def save(model, path: str | os.PathLike, *, dataset=None, preprocess=None, spec=None,
         extra: dict | None = None, write_json: bool = False) -> Path:
    """Write model (and what it needs to predict) to path, atomically; return the path.

    Inputs:
    - model: a zoo model (``convnp.models``) or a course classifier; anything else needs spec
    - path: the .npz file to write (its directory must exist)
    - dataset: a ``convnp.data.Dataset`` (class names, image shape, statistics), or None
    - preprocess: a fitted ``convnp.data.preprocess`` object, or None
    - spec: ``{'name', 'kwargs'}`` overriding ``model.spec``
    - extra: JSON-able dict stored as is (e.g. the test accuracy)
    - write_json: also write the header, readable, to the same path with suffix .json

    Raises TypeError for a model without a spec or a preprocess without ``state()``.
    """
    fn = "convnp.io.save"
    path = Path(path)
    arrays = {f"state/{k}": v for k, v in _state(model).items()}
    header: dict[str, Any] = {"kind": KIND, "model_format": MODEL_FORMAT,
                              "model": _spec(model, spec, fn), "convnp_version": __version__,
                              "dataset": None if dataset is None else dataset.to_dict(),
                              "preprocess": None, "extra": extra or {}}
    if preprocess is not None:
        if not callable(getattr(preprocess, "state", None)):
            raise TypeError(f"{fn}: preprocess must be a convnp.data.preprocess object with "
                            f"state(); got {type(preprocess).__name__}")
        config, parr = preprocess.state()
        header["preprocess"] = config
        arrays.update({f"preprocess/{k}": np.asarray(v) for k, v in parr.items()})
    checkpoint.save(path, arrays, header)
    if write_json:
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(read_header(path), indent=2) + "\n")
        os.replace(tmp, path.with_suffix(".json"))
    return path


def read_header(path: str | os.PathLike) -> dict:
    """The JSON header of a model file (ModelFileError if it is not one)."""
    meta = checkpoint.read_meta(path)
    _check_kind(meta, path)
    return meta


def _check_kind(meta: dict, path) -> None:
    if meta.get("kind") != KIND:
        raise ModelFileError(f"{path}: not a convnp model file (kind {meta.get('kind')!r}; "
                             f"a Solver checkpoint is loaded with Solver.resume)")
    version = meta.get("model_format")
    if not isinstance(version, int) or version > MODEL_FORMAT:
        raise ModelFileError(f"{path}: model_format {version!r} is newer than this convnp "
                             f"understands ({MODEL_FORMAT}); upgrade convnp")


def _build(spec: dict, path) -> Any:
    for key in ("class", "name", "kwargs"):
        if key not in spec:
            raise ModelFileError(f"{path}: key 'model.{key}' is missing")
    name, kwargs = spec["name"], spec["kwargs"]
    if not isinstance(kwargs, dict):
        raise ModelFileError(f"{path}: key 'model.kwargs' must be an object; got {kwargs!r}")
    if spec["class"] == "zoo" and name in models.NAMES:
        build = models.get
        kwargs = {**kwargs, "name": name}
    elif spec["class"] == "classifier" and name in _CLASSIFIERS:
        build = _CLASSIFIERS[name]
    else:
        raise ModelFileError(f"{path}: key 'model' names an unknown model {spec['class']}:"
                             f"{name!r}")
    try:
        return build(**kwargs)
    except (TypeError, ValueError) as exc:
        raise ModelFileError(f"{path}: key 'model.kwargs' does not build {name}: {exc}") from exc


def load_full(path: str | os.PathLike) -> LoadedModel:
    """Rebuild the model in path with its dataset description and preprocessing.

    Raises FileNotFoundError if path does not exist, ModelFileError (a ValueError) naming the
    path and the key for anything wrong in the file (see the module docstring).
    """
    path = Path(path)
    try:
        arrays, meta = checkpoint.load(path)
    except CheckpointError as exc:
        raise ModelFileError(str(exc)) from exc
    _check_kind(meta, path)
    model = _build(meta.get("model") or {}, path)
    state = {k[len("state/"):]: v for k, v in arrays.items() if k.startswith("state/")}
    expected = _state(model)
    is_classifier = not callable(getattr(model, "state_dict", None))
    if is_classifier:
        # Running statistics exist only once a classifier has trained: each may be present,
        # shaped like its layer's gamma, in the model's dtype; nothing else under bn_params/.
        for i, _ in enumerate(getattr(model, "bn_params", None) or []):
            gamma = model.params.get(f"gamma{i + 1}")
            for key in _BN_KEYS:
                k = f"bn_params/{i}/{key}"
                if k in state and gamma is not None:
                    expected[k] = gamma
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    if missing or unexpected:
        raise ModelFileError(f"{path}: entries do not match model {meta['model']['name']}: "
                             f"missing {['state/' + k for k in missing]}, unexpected "
                             f"{['state/' + k for k in unexpected]}")
    for k, want in expected.items():
        got = state[k]
        if got.shape != want.shape or got.dtype != want.dtype:
            raise ModelFileError(f"{path}: entry 'state/{k}' is {got.dtype} {got.shape}; the "
                                 f"model needs {want.dtype} {want.shape}")
    if is_classifier:
        for k, v in state.items():
            if k.startswith("bn_params/"):
                _, i, key = k.split("/")
                model.bn_params[int(i)][key] = v.copy()
            else:
                model.params[k] = v.copy()
    else:
        model.load_state_dict(state)
        model.eval()

    dataset = preprocess = None
    if meta.get("dataset") is not None:
        from .data.datasets import Dataset
        try:
            dataset = Dataset.from_dict(meta["dataset"])
        except (TypeError, ValueError) as exc:
            raise ModelFileError(f"{path}: key 'dataset' is invalid: {exc}") from exc
    if meta.get("preprocess") is not None:
        from .data import preprocess as pp
        parr = {k[len("preprocess/"):]: v for k, v in arrays.items()
                if k.startswith("preprocess/")}
        try:
            preprocess = pp.from_state(meta["preprocess"], parr)
        except (TypeError, ValueError, KeyError) as exc:
            raise ModelFileError(f"{path}: key 'preprocess' is invalid: {exc}") from exc
    return LoadedModel(model, dataset, preprocess, meta)


def load(path: str | os.PathLike):
    """Rebuild the model saved in path (eval mode); see load_full for errors."""
    return load_full(path).model
