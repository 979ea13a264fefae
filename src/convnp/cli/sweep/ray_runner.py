"""The Ray Tune side of ``convnp sweep``: the trainable, the driver's callback, the Tuner.

Imported only once Ray is known to be installed. Ray Tune samples the search space
(``BasicVariantGenerator``, seeded), runs the trials as actors with their CPUs reserved, and
schedules them (ASHA on the per-epoch metric, or FIFO); convnp runs each trial's training
(``trial.EpochRunner``) and keeps the records (trial folders, trial.json).
"""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

from ray import tune
from ray.tune.schedulers import ASHAScheduler, FIFOScheduler
from ray.tune.search import BasicVariantGenerator

from . import trial as trial_lib
from .spec import SweepSpec

TUNE_DIR = "tune"  # Ray Tune's experiment state inside the sweep folder (for --resume)
TRIALS_DIR = "trials"
# How long a stopped trial may take to finish its run folder (test evaluation, report).
FINISH_TIMEOUT_S = 600


class ConvnpTrial(tune.Trainable):
    """One trial: a ``convnp train`` run in SWEEP/trials/<trial id>, one epoch per step().

    setup() receives (through ``tune.with_parameters``) the spec, the sweep folder, the CPUs
    per trial and whether to pin them, and the data (None: the trial loads what its options
    name). Each step() result has epoch, val_acc, train_acc, loss, best_val_acc, wall_s (since
    setup) and cpus (the CPUs it is pinned to); the last one also test_acc and done.
    """

    def setup(self, config, spec: SweepSpec = None, sweep_dir: str = "",
              cpus_per_trial: int = 1, pin: bool = True, splits=None):
        self._t0 = time.monotonic()
        self._folder = Path(sweep_dir) / TRIALS_DIR / self.trial_id
        # A resumed trial's wall time goes on from what its earlier sessions took.
        self._wall_before = (trial_lib.read_trial(self._folder) or {}).get("wall_s") or 0.0
        self._cpus, self._locks = trial_lib.pin_cpus(cpus_per_trial) if pin else ([], [])
        trial_lib.limit_blas_threads(cpus_per_trial)
        self._runner, self._error = None, None
        try:
            cfg = spec.trial_config(config, str(self._folder))
            self._runner = trial_lib.EpochRunner(cfg, self._folder, splits)
        except Exception as exc:  # a bad option: reported by the first step, as a failure
            self._error = exc

    def step(self):
        try:
            if self._error is not None:
                raise self._error
            result = self._runner.next_result()
        except Exception as exc:
            trial_lib.write_error(self._folder, exc)
            raise
        result.update(wall_s=round(self._wall_before + time.monotonic() - self._t0, 3),
                      cpus=self._cpus)
        return result

    def cleanup(self):
        if self._runner is None:
            return
        # The driver writes trial.json before it stops a trial: 'early-stopped' when the
        # scheduler stopped it (finish the run folder), 'running' when the sweep was
        # interrupted (leave the folder for --resume).
        record = trial_lib.read_trial(self._folder) or {}
        try:
            self._runner.stop(finish=record.get("status") == "early-stopped",
                              timeout=FINISH_TIMEOUT_S)
        except Exception as exc:
            trial_lib.write_error(self._folder, exc)


def trial_dirname(trial) -> str:
    """Ray's own folder of a trial (SWEEP/tune/<trial id>), named like convnp's."""
    return trial.trial_id


class SweepCallback(tune.Callback):
    """The driver's record keeper: trial.json per trial, and a line on stdout per event.

    Ray Tune calls it in the driver process. The sweep folder is found from each trial's
    storage (SWEEP/tune/..), so a restored sweep (``--resume``) writes to where it now is.
    """

    def __init__(self, epochs: int, quiet: bool = False) -> None:
        self.epochs = epochs  # of a trial whose options do not set them
        self.quiet = quiet

    def _folder(self, trial) -> Path:
        return Path(trial.storage.experiment_fs_path).parent / TRIALS_DIR / trial.trial_id

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def on_trial_start(self, iteration, trials, trial, **info):
        folder = self._folder(trial)
        previous = trial_lib.read_trial(folder) or {}
        resumed = previous.get("status") == "running"  # it was running when interrupted
        record = {**previous, "trial": trial.trial_id, "status": "running",
                  "params": dict(trial.config), "started": previous.get("started") or _now()}
        if resumed:
            record["resumed"] = previous.get("resumed", []) + [_now()]
        trial_lib.write_trial(folder, record)
        params = " ".join(f"{k}={_short(v)}" for k, v in trial.config.items())
        self._say(f"trial {trial.trial_id} {'resumed' if resumed else 'started'}: {params}")

    def on_trial_result(self, iteration, trials, trial, result, **info):
        if "val_acc" in result and not result.get("done"):
            folder = self._folder(trial)
            record = trial_lib.read_trial(folder) or {}
            if record.get("status") == "running":  # what --resume needs: the time so far
                trial_lib.write_trial(folder, {**record, "wall_s": result.get("wall_s"),
                                               "epochs_run": result["epoch"]})
            self._say(f"trial {trial.trial_id} epoch {result['epoch']:>3} val_acc "
                      f"{result['val_acc']:.4f} (best {result['best_val_acc']:.4f})")

    def on_trial_complete(self, iteration, trials, trial, **info):
        last = trial.last_result or {}
        # Ray Tune marks a stopped trial's last result done too: compare the epochs.
        epochs = trial.config.get("epochs", self.epochs)
        status = "completed" if last.get("epoch", 0) >= epochs else "early-stopped"
        self._finish(trial, status, last)
        best = last.get("best_val_acc")
        best_text = f"best val_acc {best:.4f}" if isinstance(best, float) else "no epoch"
        test = (f", test_acc {last['test_acc']:.4f}" if isinstance(last.get("test_acc"), float)
                else "")
        self._say(f"trial {trial.trial_id} {status} after {last.get('epoch', 0)} epoch(s): "
                  f"{best_text}{test} ({last.get('wall_s', 0):.1f} s)")

    def on_trial_error(self, iteration, trials, trial, **info):
        folder = self._folder(trial)
        message = trial_lib.read_error(folder) or _last_line(trial.get_error())
        self._finish(trial, "error", trial.last_result or {}, error=message)
        self._say(f"trial {trial.trial_id} failed: {message} (traceback: "
                  f"{Path(TUNE_DIR) / trial.trial_id / 'error.txt'})")

    def on_experiment_end(self, trials, **info):
        # Trials Ray Tune made but never started (the sweep was interrupted): their parameters,
        # for trials.csv; --resume starts them.
        for trial in trials:
            folder = self._folder(trial)
            if trial.status == "PENDING" and trial_lib.read_trial(folder) is None:
                trial_lib.write_trial(folder, {"trial": trial.trial_id, "status": "pending",
                                               "params": dict(trial.config)})

    def _finish(self, trial, status: str, last: dict, error: str | None = None) -> None:
        folder = self._folder(trial)
        record = trial_lib.read_trial(folder) or {"trial": trial.trial_id,
                                                  "params": dict(trial.config)}
        record.update(status=status, ended=_now(), epochs_run=last.get("epoch", 0),
                      best_val_acc=last.get("best_val_acc"), wall_s=last.get("wall_s"),
                      cpus=last.get("cpus"))
        if error is not None:
            record["error"] = error
        trial_lib.write_trial(folder, record)


def _now() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")


def _short(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value).replace(" ", "")


def _last_line(text) -> str:
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "the trial's process ended without an error message"


def trainable(spec: SweepSpec, sweep_dir: Path, cpus_per_trial: int, splits):
    """The ConvnpTrial with its parameters (the data goes to Ray's object store once)."""
    inner = tune.with_parameters(ConvnpTrial, spec=spec, sweep_dir=str(sweep_dir),
                                 cpus_per_trial=cpus_per_trial, pin=spec.pin_cpus,
                                 splits=splits)
    return tune.with_resources(inner, {"cpu": cpus_per_trial})


def build_tuner(spec: SweepSpec, sweep_dir: Path, splits, cpus_per_trial: int,
                concurrency: int, quiet: bool = False) -> tune.Tuner:
    """A new Tuner for spec, writing Ray's state into SWEEP/tune."""
    if spec.scheduler == "asha":
        scheduler = ASHAScheduler(time_attr="epoch", max_t=spec.max_epochs,
                                  grace_period=spec.grace_period,
                                  reduction_factor=spec.reduction_factor)
    else:
        scheduler = FIFOScheduler()
    tune_config = tune.TuneConfig(
        metric=spec.metric, mode=spec.mode, num_samples=spec.trials,
        scheduler=scheduler, reuse_actors=False,
        search_alg=BasicVariantGenerator(random_state=spec.seed, max_concurrent=concurrency),
        trial_dirname_creator=trial_dirname, trial_name_creator=trial_dirname)
    run_config = tune.RunConfig(
        name=TUNE_DIR, storage_path=str(Path(sweep_dir).resolve()), verbose=0,
        callbacks=[SweepCallback(spec.base_config().epochs, quiet=quiet)],
        failure_config=tune.FailureConfig(max_failures=0),
        checkpoint_config=tune.CheckpointConfig(checkpoint_at_end=False, checkpoint_frequency=0))
    quiet_tune()
    return tune.Tuner(trainable(spec, sweep_dir, cpus_per_trial, splits),
                      param_space={k: d.to_tune(tune) for k, d in spec.search.items()},
                      tune_config=tune_config, run_config=run_config)


def restore_tuner(spec: SweepSpec, sweep_dir: Path, splits, cpus_per_trial: int) -> tune.Tuner:
    """The Tuner of an interrupted sweep: unfinished trials go on, finished and failed stay."""
    path = str(Path(sweep_dir).resolve() / TUNE_DIR)
    quiet_tune()
    return tune.Tuner.restore(path, trainable=trainable(spec, sweep_dir, cpus_per_trial, splits),
                              resume_unfinished=True, resume_errored=False,
                              restart_errored=False)


def quiet_tune() -> None:
    """Leave the terminal to SweepCallback: Ray Tune's newer console output prints its tables
    whatever the verbosity; with RAY_AIR_NEW_OUTPUT=0 (this process only), verbose=0 is
    silent."""
    os.environ["RAY_AIR_NEW_OUTPUT"] = "0"


def can_restore(sweep_dir: Path) -> bool:
    return tune.Tuner.can_restore(str(Path(sweep_dir).resolve() / TUNE_DIR))


def init_ray(address: str | None) -> bool:
    """Start Ray on this machine (address None) or join the cluster at address; True when this
    call started or joined it (so the caller shuts it down), False when Ray was already up."""
    import logging

    import ray

    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, log_to_driver=False, logging_level=logging.ERROR)
    else:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        # address="local": a new Ray here, even where `ray start` has left a cluster running.
        ray.init(address="local", num_cpus=cpus, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.ERROR)
    return True


def cluster_cpus() -> tuple[int, int]:
    """(CPUs in the Ray cluster, CPUs of its largest node)."""
    import ray

    total = int(ray.cluster_resources().get("CPU", 0))
    per_node = [int(n.get("Resources", {}).get("CPU", 0)) for n in ray.nodes() if n.get("Alive")]
    return total, max(per_node, default=total)
