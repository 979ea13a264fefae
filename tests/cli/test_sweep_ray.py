"""convnp sweep end to end: real sweeps in a local Ray (2 CPUs) on the embedded digits.

One Ray session serves the whole module (starting Ray takes seconds); ``convnp sweep`` uses a
session that is already up. The interrupted sweep runs in its own process, with its own Ray.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from convnp import io
from convnp.cli import main
from convnp.cli.plots import read_metrics

if os.environ.get("CONVNP_REQUIRE_SWEEP"):  # set by .ci/run: there a missing Ray fails
    import ray
else:
    ray = pytest.importorskip("ray", reason="the sweep extra is not installed "
                                            "(pip install 'convnp[sweep]')")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_session():
    import logging
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RAY_AIR_NEW_OUTPUT", "0")
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.ERROR)
        yield
        ray.shutdown()


def _spec(tmp_path, text):
    path = tmp_path / "spec.toml"
    path.write_text(textwrap.dedent(text))
    return path


def _table(sweep):
    with open(sweep / "trials.csv", newline="") as f:
        return list(csv.DictReader(f))


def test_a_digits_sweep_with_asha(tmp_path, capsys, ray_session):
    # Six trials, two at a time. The first two learning rates are good and start first, so
    # ASHA's rungs have good results before the four tiny learning rates reach them: those stop
    # early, whatever the timing. (Which of the two good ones reaches a rung first is timing:
    # the other may be stopped there if it trails it.)
    spec = _spec(tmp_path, """
        [train]
        data = "digits"
        model_args = {widths = [8, 16]}
        epochs = 3
        seed = 0
        [search]
        lr = {grid = [0.004, 0.006, 1e-5, 2e-5, 3e-5, 4e-5]}
        weight_decay = {loguniform = [1e-6, 1e-3]}
        [sweep]
        trials = 1
        concurrency = 2
        scheduler = "asha"
        grace_period = 1
        reduction_factor = 2
        """)
    sweep = tmp_path / "sweep"
    assert main(["sweep", str(spec), "--out", str(sweep)]) == 0
    out = capsys.readouterr().out
    assert "6 trials (1 samples x 6 grid points), 2 at a time, 1 CPU(s) each" in out
    table = _table(sweep)
    assert len(table) == 6
    assert {r["status"] for r in table} <= {"completed", "early-stopped"}
    for row in table:
        folder = sweep / row["folder"]
        epochs = [r for r in read_metrics(folder / "metrics.jsonl") if r["type"] == "epoch"]
        assert int(row["epochs_run"]) == len(epochs) == epochs[-1]["epoch"]
        # early-stopped <=> fewer epochs than asked; a stopped trial's folder is finished too
        assert (row["status"] == "early-stopped") == (len(epochs) < 3), row
        assert float(row["best_val_acc"]) == max(r["val_acc"] for r in epochs)
        assert (folder / "model.npz").is_file() and (folder / "report.html").is_file()
        config = json.loads((folder / "config.json").read_text())
        assert config["lr"] == float(row["lr"]) and config["blas_threads"] == 1
        assert json.loads(row["cpus"]) == [] or len(json.loads(row["cpus"])) == 1
    stopped = {float(r["lr"]) for r in table if r["status"] == "early-stopped"}
    completed = {float(r["lr"]) for r in table if r["status"] == "completed"}
    assert {1e-5, 2e-5, 3e-5, 4e-5} <= stopped and completed and completed <= {0.004, 0.006}
    # best/: the best trial's model, and convnp evaluate agrees with the sweep's record
    best = max(table, key=lambda r: float(r["best_val_acc"]))
    assert json.loads((sweep / "best" / "trial.json").read_text())["trial"] == best["trial"]
    assert main(["evaluate", str(sweep / "best"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] == float(best["test_acc"])
    page = (sweep / "summary.html").read_text()
    assert page.count('src="data:image/png;base64,') == 2 and best["trial"] in page
    assert json.loads((sweep / "sweep.json").read_text())["versions"]["ray"] == ray.__version__


def test_a_failing_trial_is_recorded_and_the_others_finish(tmp_path, capsys, ray_session):
    # A NaN loss (lr 1e30) and a model convnp refuses (widths [0]) fail; the trial with
    # neither finishes.
    spec = _spec(tmp_path, """
        [train]
        data = "digits"
        epochs = 2
        optimizer = "sgd"
        schedule = "constant"
        [search]
        lr = {grid = [0.01, 1e30]}
        model_args.widths = {grid = [[8], [0]]}
        [sweep]
        concurrency = 2
        scheduler = "none"
        """)
    sweep = tmp_path / "sweep"
    assert main(["sweep", str(spec), "--out", str(sweep)]) == 0
    out = capsys.readouterr().out
    table = {(r["lr"], r["model_args.widths"]): r for r in _table(sweep)}
    assert len(table) == 4
    good = table[("0.01", "[8]")]
    assert good["status"] == "completed" and good["error"] == "" and good["test_acc"]
    nan = table[("1e+30", "[8]")]
    assert nan["status"] == "error" and nan["error"].startswith("FloatingPointError: the loss")
    for lr in ("0.01", "1e+30"):
        bad = table[(lr, "[0]")]
        assert bad["status"] == "error"
        assert bad["error"] == "bad option: --model vgg: vgg: widths[0] must be >= 1; got 0"
    assert f"trial {nan['trial']} failed: FloatingPointError: the loss" in out
    assert "Traceback" not in capsys.readouterr().err
    assert json.loads((sweep / "best" / "trial.json").read_text())["trial"] == good["trial"]


def _an_epoch_ended(sweep) -> bool:
    return any(r.get("type") == "epoch" for m in sweep.glob("trials/*/metrics.jsonl")
               for r in read_metrics(m))


def test_an_interrupted_sweep_resumes_where_it_stopped(tmp_path, capsys, ray_session):
    spec = _spec(tmp_path, """
        [train]
        data = "digits"
        model_args = {widths = [8, 16]}
        epochs = 10
        schedule = "constant"
        [search]
        lr = {loguniform = [1e-3, 1e-2]}
        [sweep]
        trials = 3
        concurrency = 2
        scheduler = "none"
        seed = 1
        """)
    sweep = tmp_path / "sweep"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "convnp", "sweep", str(spec), "--out",
                             str(sweep)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, text=True)
    try:
        deadline = time.monotonic() + 180
        while not _an_epoch_ended(sweep):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert f"Continue with: convnp sweep --resume {sweep}" in err
    before = {r["trial"]: r for r in _table(sweep)}
    assert "interrupted" in {r["status"] for r in before.values()}
    assert all(r["status"] in ("completed", "interrupted", "pending") for r in before.values())
    interrupted = [t for t, r in before.items() if r["status"] == "interrupted"]
    done_before = {t: int(before[t]["epochs_run"]) for t in interrupted}

    assert main(["sweep", "--resume", str(sweep)]) == 0
    after = {r["trial"]: r for r in _table(sweep)}
    assert len(after) == 3 and {r["status"] for r in after.values()} == {"completed"}
    for t in interrupted:
        records = read_metrics(sweep / "trials" / t / "metrics.jsonl")
        assert [r["epoch"] for r in records if r["type"] == "epoch"] == list(range(1, 11))
        assert records[-1]["type"] == "test"
        assert json.loads((sweep / "trials" / t / "trial.json").read_text())["resumed"]
    assert "resumed" in capsys.readouterr().out

    # The continued trial ends with the weights of one never interrupted, bit for bit.
    from threadpoolctl import threadpool_limits

    from convnp.cli.sweep.spec import load_spec
    from convnp.cli.train import train_folder
    t = max(interrupted, key=lambda t: done_before[t])
    params = json.loads((sweep / "trials" / t / "trial.json").read_text())["params"]
    whole = tmp_path / "whole"
    with threadpool_limits(1, user_api="blas"):
        assert train_folder(load_spec(spec).trial_config(params, str(whole)), whole) == 0
    a, b = io.load(whole / "model.npz"), io.load(sweep / "trials" / t / "model.npz")
    for k, v in a.state_dict().items():
        np.testing.assert_array_equal(v, b.state_dict()[k], err_msg=k)


def test_address_joins_a_running_ray_cluster(tmp_path, ray_session):
    # The module's Ray session stands in for a cluster started with `ray start --head`; the
    # sweep runs as another driver that joins it, loading the data once into its object store.
    address = ray.get_runtime_context().gcs_address
    spec = _spec(tmp_path, """
        [train]
        data = "digits"
        model_args = {widths = [8]}
        epochs = 1
        [search]
        lr = {grid = [0.003, 0.01]}
        [sweep]
        scheduler = "none"
        """)
    sweep = tmp_path / "sweep"
    proc = subprocess.run([sys.executable, "-m", "convnp", "sweep", str(spec), "--out",
                           str(sweep), "--address", address], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"Ray at {address} (2 CPUs)" in proc.stdout
    record = json.loads((sweep / "sweep.json").read_text())
    assert record["address"] == address and record["cluster_cpus"] == 2
    assert [r["status"] for r in _table(sweep)] == ["completed", "completed"]
