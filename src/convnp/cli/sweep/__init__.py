"""``convnp sweep SPEC.toml``: a hyperparameter search over ``convnp train`` runs, on Ray Tune.

The spec (see ``spec.py``) gives the base training options, a distribution per searched option,
the metric and the scheduler. Ray Tune samples the trials and schedules them (ASHA stops the
trials whose validation accuracy trails at an epoch milestone); each trial is a ``convnp
train`` run, in process, reporting every epoch. Without ``--address`` Ray starts on this
machine with its CPUs, each trial reserving ``cpus_per_trial`` of them (pinned to them, BLAS
threads set to as many); with ``--address`` the sweep joins a running Ray cluster.

The sweep folder (default runs/<time>-sweep-<spec name>)::

    sweep.json          the checked spec, the Ray and convnp versions, CPUs per trial
    spec.toml           the spec as given
    trials/<id>/        each trial's run folder, as convnp train writes it, with trial.json
                        (status, parameters, error) and error.txt for a failed trial
    trials.csv          one row per trial: status, sampled values, best val accuracy, epochs,
                        test accuracy, wall time, error
    summary.html        sortable table, val accuracy vs learning rate, parallel coordinates
    best/               the best trial's run folder (no checkpoints): convnp evaluate SWEEP/best
    tune/               Ray Tune's experiment state, for --resume

Ctrl-C stops the sweep (Ray Tune saves its state; the trials still running keep their last
epoch's checkpoint), writes trials.csv and summary.html for what finished, and exits 130;
``convnp sweep --resume SWEEP`` continues: running trials go on from their checkpoints, the
ones not started start, finished and failed ones stay as they are. A trial that fails (a NaN
loss, an option convnp train refuses) is recorded with its error; the others go on.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import shutil
import sys
from pathlib import Path

from .. import _common
from .._common import UsageError
from . import summary
from . import trial as trial_lib
from .spec import SweepSpec, load_spec, spec_from_dict

SWEEP_FILE = "sweep.json"
INSTALL_HINT = "convnp sweep needs Ray Tune: pip install 'convnp[sweep]'"


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "sweep", help="hyperparameter search over convnp train runs, on Ray Tune",
        description="Search hyperparameters: Ray Tune samples the spec's search space and "
                    "stops poor trials early (ASHA); every trial is a convnp train run. Writes "
                    "each trial's run folder, trials.csv, summary.html and best/. Needs "
                    "pip install 'convnp[sweep]'.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  convnp sweep examples/sweeps/digits.toml --trials 6 --concurrency 2\n"
               "  convnp sweep examples/sweeps/cifar10.toml --address auto --out runs/cifar\n"
               "  convnp sweep --resume runs/20261124-101500-sweep-digits\n"
               "  convnp evaluate runs/20261124-101500-sweep-digits/best --json")
    p.add_argument("spec", metavar="SPEC.toml", nargs="?",
                   help="the sweep spec: [train] base options, [search] space, [sweep] settings")
    p.add_argument("--trials", type=_common.positive_int, metavar="N",
                   help="samples of the search space (each covers the whole grid; default: "
                        "the spec's, else 8, or 1 when only grids are searched)")
    p.add_argument("--concurrency", type=_common.positive_int, metavar="K",
                   help="trials at a time (default: the spec's, else CPUs // cpus_per_trial)")
    p.add_argument("--address", metavar="ADDR",
                   help="join this Ray cluster ('auto': the one started on this node with "
                        "ray start) instead of starting Ray here")
    p.add_argument("--out", metavar="DIR", help="the sweep folder (default "
                                                "runs/<time>-sweep-<spec name>)")
    p.add_argument("--resume", metavar="DIR", help="continue the interrupted sweep in DIR")
    p.add_argument("--quiet", action="store_true", help="no line per trial event")
    return p


def run(args, parser) -> int:
    if args.resume:
        spec, sweep_dir, record = _resumed(args)
    else:
        spec, sweep_dir = _new(args)
        record = None
    try:
        import ray

        from . import ray_runner
    except ImportError:
        raise UsageError(INSTALL_HINT) from None

    splits = _shared_data(spec)
    try:
        started = ray_runner.init_ray(args.address)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"--address {args.address}" if args.address else "starting Ray"
        raise UsageError(f"{where}: {str(exc).strip().splitlines()[0]}") from None
    try:
        total, largest = ray_runner.cluster_cpus()
        cpus_per_trial, concurrency = _resources(spec, total, largest, record)
        now = datetime.datetime.now().isoformat(timespec="seconds")
        if record is None:
            sweep_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(spec.path, sweep_dir / "spec.toml")
            record = {"spec": spec.to_dict(), "created": now}
        else:
            record.setdefault("resumed", []).append(now)
        record.update(cpus_per_trial=cpus_per_trial, concurrency=concurrency,
                      address=args.address, cluster_cpus=total,
                      versions={**_common.versions(), "ray": ray.__version__})
        _common.write_json(sweep_dir / SWEEP_FILE, record)
        if args.resume and ray_runner.can_restore(sweep_dir):
            tuner = ray_runner.restore_tuner(spec, sweep_dir, splits, cpus_per_trial)
        else:
            tuner = ray_runner.build_tuner(spec, sweep_dir, splits, cpus_per_trial, concurrency,
                                           quiet=args.quiet)
        grid = f" x {spec.grid_size} grid points" if spec.grid_size > 1 else ""
        where = f"Ray at {args.address}" if args.address else "Ray on this machine"
        print(f"sweep {sweep_dir}: {spec.total_trials} trials ({spec.trials} samples{grid}), "
              f"{concurrency} at a time, {cpus_per_trial} CPU(s) each; scheduler "
              f"{spec.scheduler} on {spec.metric}; {where} ({total} CPUs)", flush=True)
        tune_log = logging.getLogger("ray.tune")
        level = tune_log.level
        if not args.debug:  # a failed trial is one line (SweepCallback), not Tune's traceback
            tune_log.setLevel(logging.CRITICAL)
        try:
            tuner.fit()
        finally:
            tune_log.setLevel(level)
    except KeyboardInterrupt:  # before Ray Tune ran, or a second Ctrl-C: its state as last saved
        if not (sweep_dir / SWEEP_FILE).is_file():
            print("interrupted before the sweep started", file=sys.stderr)
            return 130
    finally:
        if started:
            ray.shutdown()
    return _wrap_up(spec, sweep_dir, splits)


def _new(args) -> tuple[SweepSpec, Path]:
    if not args.spec:
        raise UsageError("SPEC.toml: give a sweep spec, or --resume DIR")
    spec = load_spec(args.spec)
    if args.trials is not None:
        spec.trials = args.trials
    if args.concurrency is not None:
        spec.concurrency = args.concurrency
    if args.out:
        sweep_dir = Path(args.out).expanduser()
        if sweep_dir.exists() and not sweep_dir.is_dir():
            raise UsageError(f"--out: {sweep_dir} is a file")
        if (sweep_dir / SWEEP_FILE).exists():
            raise UsageError(f"--out: {sweep_dir} already holds a sweep; continue it with "
                             f"--resume {sweep_dir} or choose another folder")
    else:
        sweep_dir = _common.new_run_dir(f"sweep-{Path(args.spec).stem[:40]}")
    spec.make_paths_absolute()
    return spec, sweep_dir.resolve()


def _resumed(args) -> tuple[SweepSpec, Path, dict]:
    given = [flag for flag, value in (("SPEC.toml", args.spec), ("--trials", args.trials),
                                      ("--concurrency", args.concurrency), ("--out", args.out))
             if value is not None]
    if given:
        raise UsageError(f"--resume continues a sweep as it was specified (only --address "
                         f"may change); got {', '.join(given)}")
    sweep_dir = Path(args.resume).expanduser().resolve()
    path = sweep_dir / SWEEP_FILE
    if not path.is_file():
        raise UsageError(f"--resume: {sweep_dir} is not a convnp sweep folder (no {SWEEP_FILE})")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        spec = spec_from_dict(record["spec"])
    except (ValueError, KeyError, TypeError, UsageError) as exc:
        raise UsageError(f"--resume: {path} is damaged: {exc}") from None
    return spec, sweep_dir, record


def _shared_data(spec: SweepSpec):
    """The data every trial reads, loaded once here (None when the search changes the data)."""
    if not spec.shares_data:
        return None
    from ..train import _load_data
    return _load_data(spec.base_config())


def _resources(spec: SweepSpec, total: int, largest: int, record: dict | None
               ) -> tuple[int, int]:
    """(CPUs per trial, trials at a time) from the spec and the CPUs Ray has."""
    if total < 1:
        raise UsageError("the Ray cluster has no CPUs to run trials on")
    cpus = spec.cpus_per_trial or (record or {}).get("cpus_per_trial")
    if cpus is None:
        cpus = max(1, min(largest, total // spec.concurrency)) if spec.concurrency else 1
    if cpus > largest:
        raise UsageError(f"[sweep] cpus_per_trial: {cpus} CPUs per trial, but the largest Ray "
                         f"node has {largest}")
    fits = max(1, total // cpus)  # Ray runs no more at a time than the CPUs allow
    concurrency = spec.concurrency or (record or {}).get("concurrency") or fits
    return cpus, min(concurrency, fits)


def _wrap_up(spec: SweepSpec, sweep_dir: Path, splits) -> int:
    """trials.csv, best/ and summary.html; a line on the result; 130 if trials are left."""
    rows = summary.collect_rows(sweep_dir, spec)
    if _finish_stopped(sweep_dir, spec, rows, splits):
        rows = summary.collect_rows(sweep_dir, spec)
    summary.write_trials_csv(sweep_dir, spec, rows)
    best = summary.update_best(sweep_dir, rows)
    summary.render_summary(sweep_dir, spec, rows)

    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print(f"{len(rows)} trials: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    if best is not None:
        print(f"best trial {best['trial']}: val_acc {best['best_val_acc']:.4f}, test_acc "
              f"{best['test_acc']:.4f} (" + ", ".join(
                  f"{k}={_short(best.get(k))}" for k in spec.search) + ")")
    print(f"sweep folder {sweep_dir}: trials.csv, summary.html"
          + (f", best/ (convnp evaluate {sweep_dir / summary.BEST_DIR})" if best else ""))
    done = sum(counts.get(s, 0) for s in ("completed", "early-stopped", "error"))
    if done < spec.total_trials:
        print(f"sweep stopped with {done} of {spec.total_trials} trials finished. Continue "
              f"with: convnp sweep --resume {sweep_dir}", file=sys.stderr)
        return 130
    return 0


def _finish_stopped(sweep_dir: Path, spec: SweepSpec, rows: list[dict], splits) -> bool:
    """Finish the run folders of stopped trials whose process ended before it had."""
    changed = False
    for row in rows:
        folder = sweep_dir / (row.get("folder") or "-")
        if row["status"] not in ("completed", "early-stopped") or (folder / "model.npz").exists() \
                or not (folder / "checkpoints" / "last.npz").exists():
            continue
        try:
            cfg = spec.trial_config(row["params"], str(folder))
            data = splits
            if data is None:
                from ..train import _load_data
                data = _load_data(cfg)
            trial_lib.finish_stopped_run(folder, cfg, data)
            changed = True
        except Exception as exc:  # the row stays without a model; say why
            print(f"trial {row['trial']}: could not finish its run folder: {exc}",
                  file=sys.stderr)
    return changed


def _short(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else json.dumps(value)
