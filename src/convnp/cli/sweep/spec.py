"""The sweep spec of ``convnp sweep``: a TOML file, read and checked before Ray starts.

A spec has three tables (keys may be written with '-' or '_', as in train config files)::

    [train]                       # the base options, as a `convnp train --config` file has them
    data = "digits"
    epochs = 6
    model_args = {widths = [8, 16]}

    [search]                      # one distribution per option
    lr = {loguniform = [1e-4, 3e-2]}
    weight_decay = {loguniform = [1e-6, 1e-3]}
    batch_size = {choice = [32, 64, 128]}
    schedule = {grid = ["constant", "one_cycle"]}
    model_args.widths = {choice = [[8, 16], [16, 32]]}

    [sweep]                       # how to search (every key optional)
    trials = 8                    # samples, each covering the whole grid (here 8 x 2 = 16
                                  # trials); default 8, or 1 when only grids are searched
    concurrency = 2               # trials at a time (default: CPUs // cpus_per_trial)
    cpus_per_trial = 1            # reserved in Ray, the trial's BLAS threads (default: CPUs //
                                  # concurrency when concurrency is given, else 1)
    pin_cpus = true               # pin each trial's process to CPUs no other trial holds
    metric = "val_acc"            # val_acc | train_acc (maximised) | loss (minimised)
    scheduler = "asha"            # asha | none
    grace_period = 1              # ASHA: epochs every trial runs before it may be stopped
    reduction_factor = 4          # ASHA: 1 / the fraction promoted at each rung
    seed = 0                      # of the search (the sampled values); training seeds are options

Distributions: ``loguniform = [low, high]`` (0 < low < high), ``uniform = [low, high]``
(low < high), ``choice = [v, ...]`` (drawn at random) and ``grid = [v, ...]`` (every value, in
each sample). Integer options (batch_size, epochs, seed, image_size, log_every) draw integers
from a range, both ends included. ``model_args.NAME`` searches one keyword argument of the model.
``[sweep] base = "run.toml"`` (relative to the spec) reads the base options from a train config
file first; ``[train]`` overrides it.

Everything that can be checked without training is checked here: unknown tables and keys, a
distribution that is not one of the four, an empty or reversed range, option values that
``convnp train`` would refuse (every choice and grid value, both ends of a range), model
arguments a model does not take. Each error is a UsageError naming the spec and the key.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import classifiers, models
from .. import train as train_cli
from .._common import UsageError

DISTRIBUTIONS = ("loguniform", "uniform", "choice", "grid")
METRICS = {"val_acc": "max", "train_acc": "max", "loss": "min"}
SCHEDULERS = ("asha", "none")
INT_OPTIONS = ("batch_size", "epochs", "seed", "image_size", "log_every")
FLOAT_OPTIONS = ("lr", "weight_decay", "val_split")
# Options that decide which images a trial sees: when none is searched, the driver loads the
# data once and every trial reads it from Ray's object store.
DATA_OPTIONS = ("data", "data_dir", "image_size", "val_split", "seed")
# The sweep names each trial's folder itself; the CLI passes these to the model builders.
_NOT_OPTIONS = ("out",)
_SET_BY_CLI = ("self", "in_channels", "num_classes", "input_size", "seed", "dtype", "rng")
_SWEEP_KEYS = ("base", "trials", "concurrency", "cpus_per_trial", "metric", "scheduler",
               "grace_period", "reduction_factor", "seed", "pin_cpus")
DEFAULT_TRIALS = 8


@dataclass
class Distribution:
    """One option's search distribution: kind (one of DISTRIBUTIONS) and its values.

    values: [low, high] for loguniform / uniform, the candidates for choice / grid.
    integer: the option takes integers (ranges draw integers, both ends included).
    """

    kind: str
    values: list
    integer: bool = False

    def to_tune(self, tune):
        """The ray.tune sampler (or grid_search dict) for this distribution."""
        if self.kind == "grid":
            return tune.grid_search(list(self.values))
        if self.kind == "choice":
            return tune.choice(list(self.values))
        low, high = self.values
        if self.integer:  # ray's integer ranges exclude the upper end
            return (tune.lograndint if self.kind == "loguniform" else tune.randint)(low, high + 1)
        return (tune.loguniform if self.kind == "loguniform" else tune.uniform)(low, high)

    def to_dict(self) -> dict:
        return {self.kind: list(self.values)}


@dataclass
class SweepSpec:
    """A checked sweep spec (see the module docstring for the keys and their defaults).

    - path: where it was read from (for messages)
    - train: the base options, keys as TrainConfig fields
    - search: option name (a TrainConfig field or 'model_args.NAME') -> Distribution
    - trials: samples of the search space (each covers the whole grid)
    - concurrency, cpus_per_trial: None to derive from the CPUs Ray has
    """

    path: str
    train: dict[str, Any]
    search: dict[str, Distribution]
    trials: int = DEFAULT_TRIALS
    concurrency: int | None = None
    cpus_per_trial: int | None = None
    metric: str = "val_acc"
    scheduler: str = "asha"
    grace_period: int = 1
    reduction_factor: float = 4
    seed: int = 0
    pin_cpus: bool = True
    base: str | None = None

    @property
    def mode(self) -> str:
        return METRICS[self.metric]

    @property
    def grid_size(self) -> int:
        return math.prod(len(d.values) for d in self.search.values() if d.kind == "grid")

    @property
    def total_trials(self) -> int:
        return self.trials * self.grid_size

    @property
    def max_epochs(self) -> int:
        d = self.search.get("epochs")
        if d is None:
            return int(self.train.get("epochs", train_cli.TrainConfig.epochs))
        return int(max(d.values))

    @property
    def shares_data(self) -> bool:
        """True when no option that changes the data is searched (load it once)."""
        return not any(k in self.search for k in DATA_OPTIONS)

    def base_config(self) -> train_cli.TrainConfig:
        """The base options as a checked TrainConfig."""
        return train_cli.TrainConfig(**self.train).check()

    def trial_config(self, sampled: dict[str, Any], out: str) -> train_cli.TrainConfig:
        """The TrainConfig of one trial: the base options, the sampled values, its folder.

        Raises UsageError (from TrainConfig.check) for a value convnp train refuses.
        """
        options = dict(self.train)
        options["model_args"] = dict(options.get("model_args", {}))
        for key, value in sampled.items():
            if key.startswith("model_args."):
                options["model_args"][key[len("model_args."):]] = value
            else:
                options[key] = value
        options["out"] = out
        return train_cli.TrainConfig(**options).check()

    def make_paths_absolute(self) -> None:
        """Data paths relative to this process's folder made absolute, in place: trials run in
        Ray's worker processes, whose working folder is not this one."""
        def fix(key: str, value):
            if key == "data" and isinstance(value, str) and value.startswith("folder:"):
                return "folder:" + str(Path(value[len("folder:"):]).expanduser().resolve())
            if key == "data_dir" and isinstance(value, str):
                return str(Path(value).expanduser().resolve())
            return value

        for key in ("data", "data_dir"):
            if key in self.train:
                self.train[key] = fix(key, self.train[key])
            if key in self.search:
                d = self.search[key]
                d.values = [fix(key, v) for v in d.values]

    def to_dict(self) -> dict:
        """A JSON-able dict that ``spec_from_dict`` reads back (sweep.json keeps it)."""
        d = dataclasses.asdict(self)
        d["search"] = {k: v.to_dict() for k, v in self.search.items()}
        return d


def spec_from_dict(d: dict) -> SweepSpec:
    """The inverse of SweepSpec.to_dict (for --resume); ValueError if d is not one."""
    try:
        search = {k: _distribution(v, k, d["path"], d["train"]) for k, v in d["search"].items()}
        return SweepSpec(**{**d, "search": search})
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a sweep spec record ({exc})") from None


# -- reading -----------------------------------------------------------------------------------

def load_spec(path: str | Path) -> SweepSpec:
    """Read and check the TOML spec at path; UsageError naming the key of the first problem."""
    import tomllib

    p = Path(path).expanduser()
    if not p.is_file():
        raise UsageError(f"SPEC: no such file: {p}")
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"SPEC: {p} is not valid TOML: {exc}") from None
    return parse_spec(raw, str(p), base_dir=p.parent)


def parse_spec(raw: dict, where: str, base_dir: Path | None = None) -> SweepSpec:
    """Check a spec read from TOML (tables train, search, sweep); return a SweepSpec."""
    unknown = sorted(set(raw) - {"train", "search", "sweep"})
    if unknown:
        raise UsageError(f"{where}: unknown table(s) {unknown}; a spec has [train], [search] "
                         f"and [sweep]")
    tables = {}
    for name in ("train", "search", "sweep"):
        table = raw.get(name, {})
        if not isinstance(table, dict):
            raise UsageError(f"{where}: [{name}] must be a table; got {table!r}")
        tables[name] = {k.replace("-", "_"): v for k, v in table.items()}
    sweep = tables["sweep"]
    bad = sorted(set(sweep) - set(_SWEEP_KEYS))
    if bad:
        raise UsageError(f"{where}: [sweep] {bad[0]}: unknown key; valid: "
                         f"{', '.join(_SWEEP_KEYS)}")

    train: dict[str, Any] = {}
    base = sweep.get("base")
    if base is not None:
        if not isinstance(base, str):
            raise UsageError(f"{where}: [sweep] base: expected a path; got {base!r}")
        base_path = Path(base).expanduser()
        if not base_path.is_absolute() and base_dir is not None:
            base_path = base_dir / base_path
        try:
            train.update(train_cli.read_config_file(str(base_path)))
        except UsageError as exc:
            raise UsageError(f"{where}: [sweep] base: {str(exc).removeprefix('--config: ')}"
                             ) from None
        base = str(base_path)
    train.update(tables["train"])
    _check_train(train, where)
    search = {}
    for key, value in _flatten_search(tables["search"], where).items():
        search[key] = _distribution(value, key, where, train)
    _check_model_args(train, search, where)

    spec = SweepSpec(path=where, train=train, search=search, base=base,
                     trials=1 if all(d.kind == "grid" for d in search.values())
                     else DEFAULT_TRIALS)
    ints = {"trials": 1, "concurrency": 1, "cpus_per_trial": 1, "grace_period": 1, "seed": 0}
    for key, minimum in ints.items():
        if key in sweep:
            value = sweep[key]
            if not _is_int(value) or value < minimum:
                raise UsageError(f"{where}: [sweep] {key}: expected an integer >= {minimum}; "
                                 f"got {value!r}")
            setattr(spec, key, value)
    if "reduction_factor" in sweep:
        value = sweep["reduction_factor"]
        if not _is_number(value) or value <= 1:
            raise UsageError(f"{where}: [sweep] reduction_factor: expected a number > 1; "
                             f"got {value!r}")
        spec.reduction_factor = value
    if "metric" in sweep:
        if sweep["metric"] not in METRICS:
            raise UsageError(f"{where}: [sweep] metric: unknown metric {sweep['metric']!r}; "
                             f"choose one of {', '.join(METRICS)}")
        spec.metric = sweep["metric"]
    if "scheduler" in sweep:
        if sweep["scheduler"] not in SCHEDULERS:
            raise UsageError(f"{where}: [sweep] scheduler: unknown scheduler "
                             f"{sweep['scheduler']!r}; choose one of {', '.join(SCHEDULERS)}")
        spec.scheduler = sweep["scheduler"]
    if "pin_cpus" in sweep:
        if not isinstance(sweep["pin_cpus"], bool):
            raise UsageError(f"{where}: [sweep] pin_cpus: expected true or false; "
                             f"got {sweep['pin_cpus']!r}")
        spec.pin_cpus = sweep["pin_cpus"]
    if spec.scheduler == "asha" and spec.grace_period > spec.max_epochs:
        raise UsageError(f"{where}: [sweep] grace_period: {spec.grace_period} epochs is more "
                         f"than the trials run ({spec.max_epochs})")
    return spec


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _check_train(train: dict, where: str) -> None:
    fields = {f.name for f in dataclasses.fields(train_cli.TrainConfig)}
    for key in train:
        if key in _NOT_OPTIONS:
            raise UsageError(f"{where}: [train] {key}: the sweep sets each trial's folder "
                             f"(SWEEP/trials/<id>); use --out for the sweep folder")
        if key not in fields:
            raise UsageError(f"{where}: [train] {key}: unknown option; valid: "
                             f"{', '.join(sorted(fields - set(_NOT_OPTIONS)))}")
    try:
        train_cli.TrainConfig(**train).check()
    except UsageError as exc:
        raise UsageError(f"{where}: [train] {exc}") from None


def _flatten_search(table: dict, where: str) -> dict[str, Any]:
    """{'lr': {...}, 'model_args': {'widths': {...}}} -> {'lr': {...}, 'model_args.widths': ...}."""
    flat = {}
    for key, value in table.items():
        if key == "model_args":
            if not isinstance(value, dict) or set(value) <= set(DISTRIBUTIONS):
                raise UsageError(f"{where}: [search] model_args: search each model argument "
                                 f"on its own, e.g. model_args.widths = {{choice = [[8], "
                                 f"[16]]}}")
            for name, dist in value.items():
                flat[f"model_args.{name}"] = dist
        else:
            flat[key] = value
    return flat


def _distribution(value, key: str, where: str, train: dict) -> Distribution:
    """One [search] entry, checked: the table, the kind, the values, each against TrainConfig."""
    fields = {f.name for f in dataclasses.fields(train_cli.TrainConfig)} - {"model_args"}
    label = f"{where}: [search] {key}"
    if key.startswith("model_args."):
        if not key[len("model_args."):]:
            raise UsageError(f"{label}: name the model argument, e.g. model_args.widths")
    elif key in _NOT_OPTIONS:
        raise UsageError(f"{label}: the sweep sets each trial's folder; it cannot be searched")
    elif key not in fields:
        valid = ", ".join(sorted(fields - set(_NOT_OPTIONS)))
        raise UsageError(f"{label}: unknown option; valid: {valid}, model_args.NAME")
    if not isinstance(value, dict) or len(value) != 1:
        raise UsageError(f"{label}: expected a table with one of {', '.join(DISTRIBUTIONS)}, "
                         f"e.g. {{loguniform = [1e-4, 1e-1]}}; got {value!r}")
    (kind, values), = value.items()
    if kind not in DISTRIBUTIONS:
        raise UsageError(f"{label}: unknown distribution {kind!r}; choose one of "
                         f"{', '.join(DISTRIBUTIONS)}")
    if not isinstance(values, list):
        raise UsageError(f"{label}: {kind} takes a list; got {values!r}")
    integer = key in INT_OPTIONS
    if kind in ("loguniform", "uniform"):
        if not key.startswith("model_args.") and key not in INT_OPTIONS + FLOAT_OPTIONS:
            raise UsageError(f"{label}: {key} is not a number; use choice or grid")
        if len(values) != 2 or not all(_is_number(v) for v in values):
            raise UsageError(f"{label}: {kind} takes [low, high], two numbers; got {values!r}")
        low, high = values
        if integer and not all(_is_int(v) for v in values):
            raise UsageError(f"{label}: {key} takes integers; got {values!r}")
        if kind == "loguniform" and not 0 < low < high:
            raise UsageError(f"{label}: empty range: loguniform needs 0 < low < high; "
                             f"got {values!r}")
        if low >= high:
            raise UsageError(f"{label}: empty range: {kind} needs low < high; got {values!r}")
    elif not values:
        raise UsageError(f"{label}: empty {kind}: give at least one value")
    if not key.startswith("model_args."):
        for v in values:
            try:
                train_cli.TrainConfig(**{**train, key: v}).check()
            except UsageError as exc:
                raise UsageError(f"{label}: value {json.dumps(v)}: {exc}") from None
    return Distribution(kind, list(values), integer)


def _accepted_args(model: str) -> set[str]:
    """The keyword arguments model_args may give the model called model."""
    if model in train_cli.COURSE_MODELS:
        target = getattr(classifiers, train_cli.COURSE_MODELS[model]).__init__
    else:
        target = getattr(models, model)
    return set(inspect.signature(target).parameters) - set(_SET_BY_CLI)


def _check_model_args(train: dict, search: dict[str, Distribution], where: str) -> None:
    """Every model argument (base or searched) is one each model of the sweep takes."""
    if "model" in search:
        names = list(dict.fromkeys(search["model"].values))
    else:
        names = [train.get("model", train_cli.TrainConfig.model)]
    given = [(f"[train] model_args.{k}", k) for k in train.get("model_args", {})]
    given += [(f"[search] {k}", k[len("model_args."):]) for k in search
              if k.startswith("model_args.")]
    for name in names:
        accepted = _accepted_args(name)
        for label, arg in given:
            if arg not in accepted:
                raise UsageError(f"{where}: {label}: model {name} takes no argument {arg!r}; "
                                 f"it takes {', '.join(sorted(accepted))}")
