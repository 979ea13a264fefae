"""convnp sweep without Ray running: the spec checks, the trial runner, the sweep's records.

The sweeps themselves (Ray Tune on this machine) are in test_sweep_ray.py.
"""

import csv
import json
import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest

import convnp.cli
from convnp import io
from convnp.cli import main
from convnp.cli.plots import read_metrics
from convnp.cli.sweep import summary
from convnp.cli.sweep import trial as trial_lib
from convnp.cli.sweep.spec import load_spec, spec_from_dict
from convnp.cli.train import TrainConfig
from tests.cli.runfolder_fixture import make_run_folder
from tests.cli.test_report import CHROMIUM, _chromium

ROOT = Path(__file__).resolve().parents[2]
GOOD = """
[train]
data = "digits"
model_args = {widths = [8]}
epochs = 2
[search]
lr = {loguniform = [1e-3, 1e-2]}
[sweep]
trials = 2
"""


def _spec(tmp_path, text, name="spec.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture
def no_ray(monkeypatch):
    """Make `import ray` fail, as where the sweep extra is not installed."""
    for name in list(sys.modules):
        if name == "ray" or name.startswith("ray.") or name == "convnp.cli.sweep.ray_runner":
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "ray", None)


@pytest.mark.parametrize("name", ["digits", "cifar10", "fc_net"])
def test_the_example_specs_are_valid(name):
    spec = load_spec(ROOT / "examples" / "sweeps" / f"{name}.toml")
    assert spec.total_trials >= 6 and spec.shares_data
    assert spec_from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


def test_a_spec_reads_distributions_grids_and_model_args(tmp_path):
    spec = load_spec(_spec(tmp_path, """
        [train]
        model = "fc_net"
        epochs = 3
        [search]
        lr = {loguniform = [1e-4, 1e-1]}
        batch-size = {uniform = [16, 64]}
        schedule = {grid = ["constant", "cosine"]}
        model_args.normalization = {grid = ["batchnorm", "layernorm", "none"]}
        model_args.weight_scale = {choice = [1e-2, 1e-3]}
        [sweep]
        trials = 3
        scheduler = "none"
        """))
    assert list(spec.search) == ["lr", "batch_size", "schedule", "model_args.normalization",
                                 "model_args.weight_scale"]
    assert spec.search["batch_size"].integer and not spec.search["lr"].integer
    assert spec.grid_size == 6 and spec.total_trials == 18 and spec.max_epochs == 3
    cfg = spec.trial_config({"lr": 0.01, "batch_size": 20, "model_args.weight_scale": 0.001},
                            str(tmp_path / "t"))
    assert isinstance(cfg, TrainConfig)
    assert (cfg.lr, cfg.batch_size, cfg.model_args, cfg.out) == (
        0.01, 20, {"weight_scale": 0.001}, str(tmp_path / "t"))


def test_a_grid_alone_defaults_to_one_sample_and_base_reads_a_train_config(tmp_path):
    (tmp_path / "base.toml").write_text('epochs = 5\nlr = 0.01\nmodel-args = {widths = [4]}\n')
    spec = load_spec(_spec(tmp_path, """
        [search]
        seed = {grid = [0, 1, 2]}
        [train]
        lr = 0.02
        [sweep]
        base = "base.toml"
        """))
    assert spec.trials == 1 and spec.total_trials == 3
    assert spec.train == {"epochs": 5, "lr": 0.02, "model_args": {"widths": [4]}}
    assert not spec.shares_data  # the seed draws the validation split


def test_integer_ranges_include_both_ends():
    tune = pytest.importorskip("ray.tune", reason="the sweep extra is not installed")
    from convnp.cli.sweep.spec import Distribution
    rng = np.random.default_rng(0)
    sampler = Distribution("uniform", [1, 3], integer=True).to_tune(tune)
    assert set(sampler.sample(size=200, random_state=rng)) == {1, 2, 3}


BAD_SPECS = [
    ("[search]\nlearning_rate = {loguniform = [1e-4, 1e-1]}",
     r"\[search\] learning_rate: unknown option; valid: .*lr"),
    ("[search]\nlr = {loguniform = [0.1, 0.01]}",
     r"\[search\] lr: empty range: loguniform needs 0 < low < high; got \[0.1, 0.01\]"),
    ("[search]\nlr = {loguniform = [0, 0.1]}", r"\[search\] lr: empty range: loguniform"),
    ("[search]\nweight_decay = {uniform = [0.1, 0.1]}",
     r"\[search\] weight_decay: empty range: uniform needs low < high"),
    ("[search]\nbatch_size = {choice = []}", r"\[search\] batch_size: empty choice"),
    ("[search]\nlr = {normal = [0.01, 0.001]}",
     r"\[search\] lr: unknown distribution 'normal'; choose one of loguniform, uniform, choice"),
    ("[search]\nlr = 0.01", r"\[search\] lr: expected a table with one of loguniform"),
    ("[search]\nlr = {choice = [0.01, -1]}",
     r"\[search\] lr: value -1: --lr: expected a finite number > 0"),
    ("[search]\nschedule = {grid = ['constant', 'step']}",
     r"\[search\] schedule: value \"step\": --schedule: unknown schedule 'step'"),
    ("[search]\nmodel = {uniform = [1, 2]}", r"\[search\] model: model is not a number"),
    ("[search]\nmodel_args.depth = {choice = [8, 14]}",
     r"\[search\] model_args.depth: model vgg takes no argument 'depth'"),
    ("[search]\nout = {choice = ['a', 'b']}", r"\[search\] out: the sweep sets each trial"),
    ("[train]\nlr = 'fast'", r"\[train\] --lr: expected a finite number > 0; got 'fast'"),
    ("[train]\noptimiser = 'adam'", r"\[train\] optimiser: unknown option"),
    ("[sweep]\nschedulr = 'asha'", r"\[sweep\] schedulr: unknown key; valid:"),
    ("[sweep]\nscheduler = 'hyperband'", r"\[sweep\] scheduler: unknown scheduler 'hyperband'"),
    ("[sweep]\nmetric = 'test_acc'", r"\[sweep\] metric: unknown metric 'test_acc'"),
    ("[sweep]\ntrials = 0", r"\[sweep\] trials: expected an integer >= 1; got 0"),
    ("[sweep]\nreduction_factor = 1", r"\[sweep\] reduction_factor: expected a number > 1"),
    ("[train]\nepochs = 2\n[sweep]\ngrace_period = 9",
     r"\[sweep\] grace_period: 9 epochs is more than the trials run \(2\)"),
    ("[sweep]\nbase = 'missing.toml'", r"\[sweep\] base: no such file"),
    ("[serach]\nlr = {choice = [0.1]}", r"unknown table\(s\) \['serach'\]"),
    ("[search\n", r"is not valid TOML"),
]


@pytest.mark.parametrize("text, message", BAD_SPECS)
def test_a_bad_spec_fails_before_ray_with_one_line_naming_the_key(tmp_path, capsys, no_ray,
                                                                   text, message):
    # With `import ray` failing, reaching Ray would print the install hint instead: these
    # errors come first, and no sweep folder is made.
    spec = _spec(tmp_path, text)
    out = tmp_path / "sweep"
    with pytest.raises(SystemExit) as exc:
        main(["sweep", str(spec), "--out", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and re.search(message, err[0]), err
    assert err[0].startswith(f"convnp sweep: error: {spec}") or "SPEC" in err[0]
    assert not out.exists()


def test_sweep_without_ray_says_how_to_install_it(tmp_path, capsys, no_ray):
    with pytest.raises(SystemExit) as exc:
        main(["sweep", str(_spec(tmp_path, GOOD)), "--out", str(tmp_path / "s")])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["convnp sweep: error: convnp sweep needs Ray Tune: "
                   "pip install 'convnp[sweep]'"]


def test_convnp_and_its_other_commands_never_import_ray():
    code = ("import sys; sys.modules['ray'] = None\n"
            "import convnp, convnp.cli\n"
            "convnp.cli.build_parser()\n"
            "assert convnp.cli.main(['gradcheck', 'affine']) == 0\n"
            "assert 'ray' not in [m.split('.')[0] for m in sys.modules if sys.modules[m]]\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.mark.parametrize("argv, message", [
    ([], "SPEC.toml: give a sweep spec, or --resume DIR"),
    (["--resume", "/no/such/sweep"], "--resume: /no/such/sweep is not a convnp sweep folder"),
    (["SPEC", "--resume", "x"], "--resume continues a sweep as it was specified (only "
                                "--address may change); got SPEC.toml"),
    (["--trials", "0", "SPEC"], "argument --trials: expected an integer >= 1, got 0"),
])
def test_usage_errors(tmp_path, capsys, argv, message):
    spec = str(_spec(tmp_path, GOOD))
    with pytest.raises(SystemExit) as exc:
        main(["sweep", *[spec if a == "SPEC" else a for a in argv]])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_an_existing_sweep_folder_is_not_overwritten(tmp_path, capsys):
    out = tmp_path / "s"
    out.mkdir()
    (out / "sweep.json").write_text("{}")
    with pytest.raises(SystemExit):
        main(["sweep", str(_spec(tmp_path, GOOD)), "--out", str(out)])
    assert f"--out: {out} already holds a sweep; continue it with --resume" in \
        capsys.readouterr().err


def test_help_has_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["sweep", "--help"])
    text = capsys.readouterr().out
    assert "examples:" in text and "convnp sweep examples/sweeps/digits.toml" in text


# -- one trial, without Ray --------------------------------------------------------------------

def _digits_cfg(out, epochs=3):
    return TrainConfig(model_args={"widths": [8]}, epochs=epochs, out=str(out)).check()


def test_the_epoch_runner_hands_over_each_epoch_then_finishes_the_run(tmp_path, capsys):
    out = tmp_path / "trial"
    runner = trial_lib.EpochRunner(_digits_cfg(out), out)
    results = [runner.next_result() for _ in range(3)]
    assert [(r["epoch"], r["done"]) for r in results] == [(1, False), (2, False), (3, True)]
    epochs = [r for r in read_metrics(out / "metrics.jsonl") if r["type"] == "epoch"]
    assert [r["val_acc"] for r in epochs] == [r["val_acc"] for r in results]
    assert results[-1]["best_val_acc"] == max(r["val_acc"] for r in epochs)
    test = read_metrics(out / "metrics.jsonl")[-1]
    assert results[-1]["test_acc"] == test["accuracy"] and (out / "report.html").is_file()
    with pytest.raises(RuntimeError, match="the training has ended"):
        runner.next_result()


def test_a_trial_stopped_between_epochs_is_finished_as_a_run(tmp_path, capsys):
    out = tmp_path / "trial"
    runner = trial_lib.EpochRunner(_digits_cfg(out, epochs=5), out)
    first = runner.next_result()
    # Training waits for the scheduler: nothing of epoch 2 happens meanwhile.
    epochs = [r for r in read_metrics(out / "metrics.jsonl") if r["type"] == "epoch"]
    assert first["epoch"] == 1 and len(epochs) == 1
    runner.stop(finish=True, timeout=120)
    records = read_metrics(out / "metrics.jsonl")
    assert [r["epoch"] for r in records if r["type"] == "epoch"] == [1]
    assert records[-1]["type"] == "test"
    capsys.readouterr()
    assert main(["evaluate", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] == records[-1]["accuracy"]


def test_a_trial_left_by_an_interrupt_continues_to_the_same_weights(tmp_path):
    threadpool_limits = pytest.importorskip(
        "threadpoolctl", reason="the sweep extra is not installed").threadpool_limits
    with threadpool_limits(1, user_api="blas"):
        out = tmp_path / "stopped"
        runner = trial_lib.EpochRunner(_digits_cfg(out), out)
        runner.next_result()
        runner.stop(finish=False)  # as Ctrl-C leaves it: the checkpoint of epoch 1
        assert not (out / "model.npz").exists()
        again = trial_lib.EpochRunner(_digits_cfg(out), out)
        assert again.best is not None
        assert [again.next_result()["epoch"] for _ in range(2)] == [2, 3]
        whole = tmp_path / "whole"
        runner = trial_lib.EpochRunner(_digits_cfg(whole), whole)
        while not runner.next_result()["done"]:
            pass
    a, b = io.load(out / "model.npz"), io.load(whole / "model.npz")
    for k, v in a.state_dict().items():
        np.testing.assert_array_equal(v, b.state_dict()[k], err_msg=k)


def test_a_failing_trial_raises_its_error_from_next_result(tmp_path):
    out = tmp_path / "trial"
    cfg = TrainConfig(model_args={"widths": [8]}, epochs=2, lr=1e30, optimizer="sgd",
                      schedule="constant", out=str(out)).check()
    runner = trial_lib.EpochRunner(cfg, out)
    with warnings.catch_warnings():  # the overflow on the way to the NaN loss
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(FloatingPointError, match="the loss is"):
            runner.next_result()
    assert trial_lib.write_error(out, FloatingPointError("x\ny")) == "FloatingPointError: x"
    assert trial_lib.read_error(out) == "FloatingPointError: x"
    from convnp.cli._common import UsageError
    assert trial_lib.write_error(out, UsageError("--lr: bad")) == "bad option: --lr: bad"


def test_finish_stopped_run_ends_a_folder_from_its_checkpoint(tmp_path, capsys):
    out = tmp_path / "trial"
    cfg = _digits_cfg(out, epochs=4)
    runner = trial_lib.EpochRunner(cfg, out)
    runner.next_result()
    runner.next_result()
    runner.stop(finish=False)
    from convnp.data import get_dataset
    trial_lib.finish_stopped_run(out, cfg, get_dataset("digits", seed=cfg.seed))
    records = read_metrics(out / "metrics.jsonl")
    assert [r["epoch"] for r in records if r["type"] == "epoch"] == [1, 2]
    assert records[-1]["type"] == "test" and (out / "model.npz").is_file()
    capsys.readouterr()
    assert main(["evaluate", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] == records[-1]["accuracy"]


_PIN = """
import json, os, sys
from convnp.cli.sweep.trial import pin_cpus
cpus, locks = pin_cpus(1)
print(json.dumps([cpus, sorted(os.sched_getaffinity(0))]), flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs CPU affinity calls and 2 CPUs")
def test_pinned_trials_take_different_cpus(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    procs = [subprocess.Popen([sys.executable, "-c", _PIN], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    try:
        (a, a_affinity), (b, b_affinity) = [json.loads(p.stdout.readline()) for p in procs]
    finally:
        for p in procs:
            p.communicate("", timeout=60)
    assert len(a) == 1 and len(b) == 1 and a != b  # each holds its own CPU while it lives
    assert a_affinity == a and b_affinity == b

# -- the records of a sweep --------------------------------------------------------------------

def _fake_sweep(tmp_path, rng):
    spec = load_spec(_spec(tmp_path, """
        [train]
        epochs = 3
        [search]
        lr = {loguniform = [1e-4, 1e-1]}
        model_args.widths = {choice = [[8], [8, 16]]}
        """))
    sweep = tmp_path / "sweep"
    trials = [("t0", "completed", 0.003, [8]), ("t1", "early-stopped", 0.0001, [8, 16]),
              ("t2", "error", 0.09, [8]), ("t3", "running", 0.01, [8]), ("t4", "pending", 0.02,
                                                                          [8, 16])]
    for name, status, lr, widths in trials:
        folder = sweep / "trials" / name
        params = {"lr": lr, "model_args.widths": widths}
        if status in ("completed", "early-stopped", "running"):
            make_run_folder(folder, rng, with_test=status != "running")
            if status != "running":  # a finished run (its contents are not read here)
                (folder / "model.npz").write_bytes(b"model")
        record = {"trial": name, "status": status, "params": params, "wall_s": 1.5,
                  "cpus": [0]}
        if status == "error":
            record["error"] = "FloatingPointError: the loss is nan"
        trial_lib.write_trial(folder, record)
    return spec, sweep


def test_trials_csv_has_a_row_per_trial_with_status_values_and_metrics(tmp_path, rng):
    spec, sweep = _fake_sweep(tmp_path, rng)
    rows = summary.collect_rows(sweep, spec)
    summary.write_trials_csv(sweep, spec, rows)
    with open(sweep / "trials.csv", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["trial"] for r in table] == ["t0", "t1", "t2", "t3", "t4"]
    assert [r["status"] for r in table] == ["completed", "early-stopped", "error", "interrupted",
                                            "pending"]
    assert list(table[0]) == ["trial", "status", "lr", "model_args.widths", "best_val_acc",
                              "best_epoch", "epochs_run", "test_acc", "wall_s", "cpus", "error",
                              "folder"]
    epochs = [r for r in read_metrics(sweep / "trials" / "t0" / "metrics.jsonl")
              if r["type"] == "epoch"]
    assert float(table[0]["best_val_acc"]) == max(r["val_acc"] for r in epochs)
    assert int(table[0]["epochs_run"]) == epochs[-1]["epoch"]
    assert table[0]["lr"] == "0.003" and table[1]["model_args.widths"] == "[8, 16]"
    assert table[2]["error"] == "FloatingPointError: the loss is nan"
    assert table[3]["test_acc"] == "" and table[4]["epochs_run"] == "0"


def test_best_is_the_finished_trial_of_highest_val_acc(tmp_path, rng):
    spec, sweep = _fake_sweep(tmp_path, rng)
    rows = summary.collect_rows(sweep, spec)
    best = summary.update_best(sweep, rows)
    finished = [r for r in rows if r["status"] in ("completed", "early-stopped")]
    assert best["best_val_acc"] == max(r["best_val_acc"] for r in finished)
    assert json.loads((sweep / "best" / "trial.json").read_text())["trial"] == best["trial"]
    assert (sweep / "best" / "model.npz").is_file() and not (sweep / "best" / "checkpoints")\
        .exists()
    assert not list(sweep.glob(".best*"))


def test_summary_html_is_self_contained_with_table_and_plots(tmp_path, rng):
    spec, sweep = _fake_sweep(tmp_path, rng)
    rows = summary.collect_rows(sweep, spec)
    page = summary.render_summary(sweep, spec, rows).read_text()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"(src|href)=\"(?!data:)", page)
    assert page.count('src="data:image/png;base64,') == 2
    assert page.count('<table class="sortable">') == 1 and page.count("<tr class=") == 5
    assert "FloatingPointError: the loss is nan" in page and 'data-v="0.003"' in page
    assert (sweep / "val_acc_vs_lr.png").is_file() and (sweep / "parallel.png").is_file()


def test_commands_table_lists_sweep():
    assert "sweep" in convnp.cli.COMMANDS


def test_the_readme_spec_and_error_line_are_what_the_code_does(tmp_path, capsys, monkeypatch,
                                                               no_ray):
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Scaling out"):]
    block = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    spec = load_spec(_spec(tmp_path, block))
    assert spec.total_trials == 12 and spec.cpus_per_trial == 1
    shown = re.search(r"```\n(convnp sweep: error: .*)\n```", section).group(1)
    path = _spec(tmp_path, "[search]\nlr = {loguniform = [0.1, 0.01]}", name="digits.toml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["sweep", "digits.toml", "--out", "s"])
    assert capsys.readouterr().err.strip() == shown
    assert path.is_file()


@pytest.mark.slow
# .ci/run installs Chromium and sets CONVNP_REQUIRE_BROWSER=1: there this test cannot skip.
@pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CONVNP_REQUIRE_BROWSER"),
                    reason=f"{CHROMIUM} is absent (apt-get install -y chromium)")
def test_summary_html_shows_its_plots_in_headless_chromium(tmp_path, rng):
    spec, sweep = _fake_sweep(tmp_path, rng)
    page = summary.render_summary(sweep, spec, summary.collect_rows(sweep, spec))
    dom = _chromium(tmp_path, "--dump-dom", page.resolve().as_uri()).stdout
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert 'data-images="2"' in body and 'data-images-ok="2"' in body, body
