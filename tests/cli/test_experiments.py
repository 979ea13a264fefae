"""convnp experiments NAME --quick on the embedded digits: files, numbers and known facts."""

import json
import math

import numpy as np
import pytest
from PIL import Image

import convnp.cli
from convnp import models
from convnp.cli import main
from convnp.cli.experiments import EXPERIMENTS
from convnp.data.datasets import get_dataset
from convnp.data.preprocess import Standardize

NAMES = list(EXPERIMENTS)


@pytest.fixture(autouse=True)
def _registered(monkeypatch):
    """Register the subcommand (the lead adds it to convnp.cli.COMMANDS; harmless twice)."""
    monkeypatch.setitem(convnp.cli.COMMANDS, "experiments", "convnp.cli.experiments")


def _run(tmp_path, name, *extra, folder=None):
    out = tmp_path / (folder or name)
    assert main(["experiments", name, "--quick", "--out", str(out), *extra]) == 0
    return out


def _results(out):
    return json.loads((out / "results.json").read_text())


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory):
    """Every experiment run once with --quick (seed 0), shared by the tests below."""
    base = tmp_path_factory.mktemp("experiments")
    runs = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(convnp.cli.COMMANDS, "experiments", "convnp.cli.experiments")
        for name in NAMES:
            out = base / name
            assert main(["experiments", name, "--quick", "--out", str(out)]) == 0
            runs[name] = out
    return runs


@pytest.mark.parametrize("name", NAMES)
def test_each_experiment_writes_figure_table_and_results(quick_runs, name):
    out = quick_runs[name]
    with Image.open(out / f"{name}.png") as im:
        assert im.format == "PNG" and im.width > 300 and im.height > 200
        pixels = np.asarray(im.convert("L"), dtype=np.float64)
    assert pixels.std() > 0
    results = _results(out)
    config = json.loads((out / "config.json").read_text())
    assert results["experiment"] == config["experiment"] == name
    assert results["seed"] == config["seed"] == 0 and config["quick"] is True
    assert config["settings"] == results["settings"]
    assert config["dataset"]["name"] == "digits" and config["versions"]["numpy"] == np.__version__
    table = (out / "table.md").read_text()
    lines = [line for line in table.splitlines() if line.startswith("|")]
    assert len(lines) == 2 + len(results["rows"])  # header, rule, one line per row
    first = results["columns"][0]
    for line, row in zip(lines[2:], results["rows"]):
        cell, value = line.split("|")[1].strip(), row[first]
        if isinstance(value, str):
            assert cell == value
        else:
            assert float(cell) == pytest.approx(value, rel=1e-2)


def test_stdout_has_the_table_and_the_paths(tmp_path, capsys):
    out = _run(tmp_path, "init")
    printed = capsys.readouterr().out
    assert (out / "table.md").read_text().split("\n\n")[1].strip() in printed
    for f in ("init.png", "results.json", "table.md", "config.json"):
        assert str(out / f) in printed


def test_optimizers_start_from_the_same_weights_and_batches(quick_runs):
    results = _results(quick_runs["optimizers"])
    assert [r["update_rule"] for r in results["rows"]] == ["sgd", "sgd_momentum", "rmsprop",
                                                           "adam"]
    series = results["series"]
    epochs = results["settings"]["epochs"]
    # Same init and same first batch: the loss before any update is the same for every rule,
    # and with small weights it is about log(10), the course's first check.
    first = {rule: s["loss"][0] for rule, s in series.items()}
    assert len(set(first.values())) == 1, first
    assert first["sgd"] == pytest.approx(math.log(10), abs=0.05)
    for row in results["rows"]:
        s = series[row["update_rule"]]
        assert s["epochs"] == list(range(1, epochs + 1))
        assert row["train_acc"] == s["train_acc"][-1] and row["val_acc"] == s["val_acc"][-1]
        assert row["final_loss"] == pytest.approx(np.mean(s["loss"][-len(s["loss"]) // epochs:]))


def test_overfit_reaches_full_training_accuracy(quick_runs):
    results = _results(quick_runs["overfit"])
    row = results["rows"][0]
    train_acc = results["series"]["history"]["train_acc"]
    assert row["epochs_to_100"] is not None and train_acc[-1] == 1.0
    assert train_acc[row["epochs_to_100"] - 1] == 1.0
    assert all(a < 1.0 for a in train_acc[:row["epochs_to_100"] - 1])
    assert row["val_acc"] < 1.0 and row["gap"] == pytest.approx(1.0 - row["val_acc"])


def test_batchnorm_rescues_the_smallest_scale(quick_runs):
    results = _results(quick_runs["batchnorm"])
    rows = results["rows"]
    assert [r["weight_scale"] for r in rows] == pytest.approx(np.logspace(-4, 0, 4))
    smallest = rows[0]
    # weight_scale 1e-4 through 6 layers: the plain net's scores are ~0, it stays at chance;
    # batch norm rescales every layer and learns.
    assert smallest["baseline_train"] < 0.25
    assert smallest["batchnorm_train"] > smallest["baseline_train"] + 0.2


def test_dropout_rows_follow_the_keep_ratios(quick_runs):
    results = _results(quick_runs["dropout"])
    assert [r["keep_ratio"] for r in results["rows"]] == [1.0, 0.75, 0.5, 0.25]
    for row in results["rows"]:
        s = results["series"][f"{row['keep_ratio']:g}"]
        assert row["train_acc"] == s["train_acc"][-1] and row["val_acc"] == s["val_acc"][-1]
        assert row["gap"] == pytest.approx(row["train_acc"] - row["val_acc"])


def test_init_small_weights_collapse_and_kaiming_keeps_the_scale(quick_runs):
    results = _results(quick_runs["init"])
    rows = {r["init"]: r for r in results["rows"]}
    for label, r in rows.items():
        std = results["series"][label]["std"]
        assert len(std) == results["settings"]["num_layers"]
        assert r["std_first"] == std[0] and r["std_last"] == std[-1]
    small = rows["gaussian 0.01 / tanh"]
    assert small["std_last"] < 1e-3 * small["std_first"]
    kaiming = rows["kaiming / relu"]
    assert 0.25 < kaiming["std_last"] / kaiming["std_first"] < 4
    assert rows["gaussian 1.0 / tanh"]["saturated_last"] > 0.5
    xavier_relu = rows["xavier / relu"]["ratio"]
    assert small["ratio"] < xavier_relu < kaiming["ratio"]


def _accuracy(model, X, y, info):
    pre = Standardize(mean=info["mean"], std=info["std"])
    scores = model.eval()(pre(X))
    return float(np.mean(scores.argmax(axis=1) == y))


def test_transfer_keeps_the_frozen_weights_bit_for_bit(quick_runs):
    out = quick_runs["transfer"]
    results = _results(out)
    widths = results["settings"]["widths"]
    info = json.loads((out / "config.json").read_text())["dataset"]
    states = {}
    for name in ("pretrained", "head_trained", "fine_tuned"):
        with np.load(out / f"{name}.npz", allow_pickle=False) as f:
            states[name] = dict(f)
    pretrained, head_trained = states["pretrained"], states["head_trained"]
    head_keys = [k for k in pretrained if k.startswith(f"{7 * len(widths) + 1}.")]
    assert len(head_keys) == 2  # the Linear after Flatten, replaced by the new head
    assert list(head_trained) == list(pretrained)
    for key, value in pretrained.items():
        if key in head_keys:
            continue
        tuned = head_trained[key]
        assert tuned.dtype == value.dtype and np.array_equal(tuned, value), key
    # Fine-tuning moved the backbone.
    assert not np.array_equal(states["fine_tuned"]["0.weight"], pretrained["0.weight"])

    # Trainable parameters: the new head only, then the whole net, as from scratch.
    pre_row, head_row, tuned_row, scratch_row = results["rows"]
    head = head_trained[head_keys[0]].size + head_trained[head_keys[1]].size
    assert head_trained[head_keys[0]].shape == (5, widths[-1] * 2 * 2)
    assert head_row["trainable_params"] == head
    params = sum(v.size for k, v in pretrained.items()
                 if not k.endswith(("running_mean", "running_var", "num_batches_tracked")))
    assert (scratch_row["trainable_params"] == pre_row["trainable_params"]
            == tuned_row["trainable_params"] == params)

    # The reported test accuracies, recomputed from the saved weights alone.
    ds = get_dataset("digits")
    src, tgt = ds.y_test < 5, ds.y_test >= 5
    net = models.vgg(tuple(widths), in_channels=1, num_classes=5, input_size=8)
    for name, row, mask, offset in (("pretrained", pre_row, src, 0),
                                    ("head_trained", head_row, tgt, 5),
                                    ("fine_tuned", tuned_row, tgt, 5)):
        net.load_state_dict(states[name])
        acc = _accuracy(net, ds.X_test[mask], ds.y_test[mask] - offset, info)
        assert acc == row["test_acc"] and acc > 0.4, name  # chance is 0.2


@pytest.mark.parametrize("name", ["optimizers", "transfer"])
def test_same_seed_same_results(tmp_path, quick_runs, name):
    again = _run(tmp_path, name, "--seed", "0")
    assert (again / "results.json").read_bytes() == (quick_runs[name] / "results.json").read_bytes()


def test_another_seed_changes_the_numbers(tmp_path, quick_runs):
    other = _run(tmp_path, "optimizers", "--seed", "1")
    assert _results(other)["rows"] != _results(quick_runs["optimizers"])["rows"]


def test_epochs_flag_sets_every_training_run(tmp_path):
    out = _run(tmp_path, "transfer", "--epochs", "2")
    results = _results(out)
    assert results["settings"]["epochs"] == results["settings"]["pretrain_epochs"] == 2
    assert all(s["epochs"] == [1, 2] for s in results["series"].values())


def test_unknown_experiment_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["experiments", "regularization"])
    assert exc.value.code == 2
    assert "invalid choice: 'regularization'" in capsys.readouterr().err


def test_unknown_dataset_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["experiments", "init", "--data", "imagenet", "--out", str(tmp_path / "x")])
    assert exc.value.code == 2
    assert "--data imagenet" in capsys.readouterr().err


def test_out_with_results_is_refused(tmp_path, quick_runs, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["experiments", "init", "--out", str(quick_runs["init"])])
    assert exc.value.code == 2
    assert "already holds" in capsys.readouterr().err


def test_help_lists_every_experiment_and_an_example(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["experiments", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for name, line in EXPERIMENTS.items():
        assert f"{name} " in text and line.split()[0] in text
    assert "example:" in text and "convnp experiments optimizers" in text
