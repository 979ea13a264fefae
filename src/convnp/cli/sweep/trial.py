"""One trial of a sweep, without Ray: an epoch-at-a-time ``convnp train`` run and its records.

``EpochRunner`` runs ``train.train_folder`` in a thread and hands back one epoch's metrics per
``next_result()``; between calls the training waits, so a scheduler that has seen an epoch can
stop the trial there (``stop(finish=True)`` finishes the run folder like a run that ended: test
evaluation, model.npz, report). ``pin_cpus`` gives a trial its own CPUs; ``trial.json`` in each
trial folder holds its status, written by the sweep's driver.
"""

from __future__ import annotations

import json
import os
import queue
import tempfile
import threading
from pathlib import Path

from .. import _common
from ..plots import read_metrics

TRIAL_FILE = "trial.json"
ERROR_FILE = "error.txt"

_GO, _STOP = "go", "stop"


class EpochRunner:
    """Train cfg into the run folder out, handing back one epoch at a time.

    - cfg: a checked TrainConfig; out: the trial's run folder (continued when it holds a
      checkpoint); splits: the data, or None to load what cfg names

    ``next_result()`` trains one more epoch and returns its record (see ``_result``); after the
    last epoch it returns once the run folder is finished, with 'done' True and the test
    accuracy. Errors of the training (FloatingPointError on a NaN loss, a UsageError for an
    option convnp train refuses) are raised by the ``next_result()`` that was waiting.
    """

    def __init__(self, cfg, out: Path, splits=None) -> None:
        self.cfg, self.out, self.splits = cfg, Path(out), splits
        self._commands: queue.Queue = queue.Queue()
        self._events: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._waiting = False
        self.best = max((r["val_acc"] for r in _epochs(self.out)), default=None)

    def next_result(self) -> dict:
        if self._thread is None:
            self._thread = threading.Thread(target=self._main, name="convnp-trial", daemon=True)
            self._thread.start()
        elif self._waiting:
            self._waiting = False
            self._commands.put(_GO)
        else:
            raise RuntimeError("EpochRunner: the training has ended")
        kind, value = self._events.get()
        if kind == "error":
            raise value
        if kind == "epoch":
            self._waiting = True
            return self._result(value, done=False)
        return self._final()

    def stop(self, finish: bool, timeout: float | None = None) -> None:
        """Stop a trial waiting between epochs: with finish, end its run folder as a finished
        run (waits up to timeout seconds); without, leave it for a resume (its last epoch's
        checkpoint is on disk; the waiting thread ends with the process).

        Raises what finishing the run folder raised.
        """
        if not self._waiting:
            return
        if finish:
            self._waiting = False
            self._commands.put(_STOP)
            try:
                kind, value = self._events.get(timeout=timeout)
            except queue.Empty:
                raise TimeoutError(f"finishing {self.out} took more than {timeout} s") from None
            if kind == "error":
                raise value

    def _main(self) -> None:
        from ..train import train_folder
        try:
            train_folder(self.cfg, self.out, self.splits, quiet=True, epoch_hook=self._hook)
        except BaseException as exc:  # handed to the caller of next_result
            self._events.put(("error", exc))
        else:
            self._events.put(("done", None))

    def _hook(self, row: dict) -> bool:
        """After each epoch: hand the record over, wait to be told to go on or stop."""
        if row["epoch"] >= self.cfg.epochs:
            return False  # the last epoch: the run finishes by itself
        self._events.put(("epoch", row))
        return self._commands.get() == _STOP

    def _result(self, row: dict, done: bool) -> dict:
        if self.best is None or row["val_acc"] > self.best:
            self.best = row["val_acc"]
        return {"epoch": row["epoch"], "val_acc": row["val_acc"], "train_acc": row["train_acc"],
                "loss": row["loss"], "best_val_acc": self.best, "done": done}

    def _final(self) -> dict:
        records = read_metrics(self.out / "metrics.jsonl")
        epochs = [r for r in records if r.get("type") == "epoch"]
        result = self._result(epochs[-1], done=True) if epochs else {"epoch": 0, "done": True}
        tests = [r for r in records if r.get("type") == "test"]
        if tests:
            result["test_acc"] = tests[-1]["accuracy"]
        return result


def _epochs(out: Path) -> list[dict]:
    path = out / "metrics.jsonl"
    if not path.is_file():
        return []
    return [r for r in read_metrics(path) if r.get("type") == "epoch"]


def pin_cpus(count: int) -> tuple[list[int], list]:
    """Pin this process (all its threads) to count CPUs that no other pinned trial holds.

    Each CPU is claimed with an exclusive lock on a file in the temporary folder
    (convnp-cpus-<uid>/cpu<N>.lock), held while the process lives, so trials of any sweep on
    this machine take different CPUs; the operating system drops the locks when a process
    ends. Returns (the CPUs, the open lock files: keep them). Pins nothing, and returns
    ([], []), where the platform has no affinity calls, where count is at least the CPUs this
    process may use, or where fewer than count are free.
    """
    try:
        import fcntl
        available = sorted(os.sched_getaffinity(0))
    except (ImportError, AttributeError):
        return [], []
    if count >= len(available):
        return [], []
    folder = Path(tempfile.gettempdir()) / f"convnp-cpus-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    held = []
    for cpu in available:
        f = open(folder / f"cpu{cpu}.lock", "a+")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.close()
            continue
        held.append((cpu, f))
        if len(held) == count:
            break
    if len(held) < count:
        for _, f in held:
            f.close()
        return [], []
    cpus = [c for c, _ in held]
    # Every thread of the process: BLAS starts its threads when NumPy loads, before this.
    for tid in os.listdir("/proc/self/task") if os.path.isdir("/proc/self/task") else ["0"]:
        try:
            os.sched_setaffinity(int(tid), cpus)
        except OSError:
            pass
    return cpus, [f for _, f in held]


def limit_blas_threads(count: int) -> None:
    """Set the BLAS thread count of this process to count (needs threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # Ray has set OMP_NUM_THREADS for the worker; that must do
        return
    threadpool_limits(limits=count, user_api="blas")


def read_trial(folder: Path) -> dict | None:
    """The trial.json of a trial folder, or None when there is none (or it is unreadable)."""
    try:
        record = json.loads((folder / TRIAL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def write_trial(folder: Path, record: dict) -> None:
    """Write trial.json atomically (the folder is created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    _common.write_json(folder / TRIAL_FILE, record)


def write_error(folder: Path, exc: BaseException) -> str:
    """The one-line message of a trial's error, also written to the folder's error.txt."""
    from .._common import UsageError

    text = str(exc).strip().splitlines()
    kind = "bad option" if isinstance(exc, UsageError) else type(exc).__name__
    message = f"{kind}: {text[0] if text else ''}".rstrip(": ")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{ERROR_FILE}.tmp"
    tmp.write_text(message + "\n", encoding="utf-8")
    os.replace(tmp, folder / ERROR_FILE)
    return message


def read_error(folder: Path) -> str | None:
    try:
        return (folder / ERROR_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def finish_stopped_run(folder: Path, cfg, splits) -> None:
    """Finish the run folder of a trial stopped between epochs (test evaluation, model.npz
    with the best parameters so far, plots, report), from its checkpoints/last.npz.

    What a trial does itself when a scheduler stops it; the sweep calls this for a trial whose
    process ended before it had (Ray ends a stopping trial after some seconds at the end of a
    sweep).
    """
    from ...solver import Solver
    from .. import train

    model = train.build_model(cfg, splits.info)
    preprocess = _common.for_model(splits.standardize(), model)
    ipe = max(splits.X_train.shape[0] // cfg.batch_size, 1)
    solver = Solver.resume(folder / "checkpoints" / "last.npz", model, splits.solver_data(),
                           verbose=False, preprocess=preprocess,
                           schedule=train.build_schedule(cfg, cfg.epochs * ipe),
                           batch_transform=train.build_augment(cfg, splits.info))
    for k, v in solver.best_params.items():
        model.params[k] = v.copy()  # as Solver.train() ends
    log = train.MetricsLog(folder / "metrics.jsonl", keep_until_iteration=solver.iteration)
    try:
        train.finish_run(folder, model, splits, preprocess, log)
    finally:
        log.close()
