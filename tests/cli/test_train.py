"""End to end: convnp train / evaluate / predict on the embedded digits and tiny folders."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from PIL import Image

from convnp import io
from convnp.cli import main
from convnp.cli._common import UsageError
from convnp.cli.plots import read_metrics

QUICK = ["--quiet", "--epochs", "2", "--model-arg", "widths=[8,16]"]


def _train(tmp_path, *extra, name="run"):
    out = tmp_path / name
    assert main(["train", "--out", str(out), *QUICK, *extra]) == 0
    return out


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVNP_CACHE", str(tmp_path / "cache"))


def test_train_writes_a_complete_run_folder(tmp_path, capsys):
    out = _train(tmp_path, "--seed", "3")
    printed = capsys.readouterr().out
    assert "test accuracy" in printed and str(out) in printed
    for name in ("config.json", "metrics.jsonl", "checkpoints/last.npz", "checkpoints/best.npz",
                 "model.npz", "model.json", "predictions.npz", "loss.png", "accuracy.png",
                 "lr.png", "confusion.png", "filters.png", "report.html"):
        assert (out / name).is_file(), name
    config = json.loads((out / "config.json").read_text())
    assert config["seed"] == 3 and config["epochs"] == 2 and config["model"] == "vgg"
    assert config["dataset"]["name"] == "digits" and config["versions"]["numpy"]
    # Whether the compiled kernels ran ("numba X.Y.Z" or why not) is part of the record.
    from convnp.kernels import jit
    assert config["versions"]["jit"] == jit.describe()
    records = read_metrics(out / "metrics.jsonl")
    epochs = [r for r in records if r["type"] == "epoch"]
    assert [r["epoch"] for r in epochs] == [1, 2]
    assert all(0 <= r["val_acc"] <= 1 and r["images_per_s"] > 0 for r in epochs)
    steps = [r for r in records if r["type"] == "step"]
    assert steps and all(r["iteration"] % 10 == 0 for r in steps)
    test = records[-1]
    assert test["type"] == "test" and test["num_samples"] == 359
    conf = np.array(test["confusion"])
    assert conf.sum() == 359 and np.trace(conf) / 359 == pytest.approx(test["accuracy"])
    # the model file alone rebuilds the model, with its data description and preprocessing
    loaded = io.load_full(out / "model.npz")
    assert loaded.classes == [str(i) for i in range(10)] and loaded.preprocess is not None
    preds = np.load(out / "predictions.npz", allow_pickle=False)
    assert preds["images"].dtype == np.uint8 and set(preds["kind"].tolist()) <= {0, 1}


def test_evaluate_json_matches_the_runs_test_accuracy(tmp_path, capsys):
    out = _train(tmp_path)
    capsys.readouterr()
    assert main(["evaluate", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    test = read_metrics(out / "metrics.jsonl")[-1]
    assert set(result) >= {"accuracy", "per_class", "confusion", "num_samples"}
    assert result["accuracy"] == test["accuracy"]
    assert result["confusion"] == test["confusion"]
    assert main(["evaluate", str(out), "--json", "--fold-bn"]) == 0
    folded = json.loads(capsys.readouterr().out)
    assert folded["fold_bn"] and folded["num_samples"] == test["num_samples"]
    # Folding changes the float32 arithmetic slightly: at most a near-tie may flip.
    assert abs(folded["accuracy"] - test["accuracy"]) <= 1 / test["num_samples"]
    assert main(["evaluate", str(out / "model.npz"), "--split", "val", "--tta"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("val accuracy") and "(with TTA)" in text and "confusion" in text


def test_predict_names_the_class_of_an_image_file(tmp_path, capsys):
    out = _train(tmp_path, "--epochs", "4")
    from convnp.data.datasets import get_dataset
    ds = get_dataset("digits")
    paths = []
    for i in range(3):
        img = (ds.X_test[i, :, :, 0].astype(np.float64) * 255 / 16).round().astype(np.uint8)
        p = tmp_path / f"digit{i}.png"
        Image.fromarray(img).save(p)
        paths.append(str(p))
    capsys.readouterr()
    assert main(["predict", str(out), *paths, "-k", "2", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [len(line["top"]) for line in lines] == [2, 2, 2]
    loaded = io.load_full(out / "model.npz")
    probs = loaded.model.loss(loaded.preprocess(ds.X_test[:3]))
    assert [line["top"][0]["index"] for line in lines] == probs.argmax(axis=1).tolist()


def test_resume_continues_exactly_where_the_run_stopped(tmp_path):
    common = ["--schedule", "constant", "--seed", "5"]
    full = _train(tmp_path, *common, "--epochs", "3", name="full")
    part = _train(tmp_path, *common, "--epochs", "2", name="part")
    assert main(["train", "--resume", str(part), "--epochs", "3", "--quiet"]) == 0
    a, b = io.load(full / "model.npz"), io.load(part / "model.npz")
    for k, v in a.state_dict().items():
        np.testing.assert_array_equal(v, b.state_dict()[k], err_msg=k)
    epochs = [r["epoch"] for r in read_metrics(part / "metrics.jsonl") if r["type"] == "epoch"]
    assert epochs == [1, 2, 3]
    assert json.loads((part / "config.json").read_text())["epochs"] == 3


def test_config_file_values_and_flags(tmp_path):
    cfg = tmp_path / "run.toml"
    cfg.write_text('epochs = 1\nbatch-size = 32\nlr = 0.01\nmodel_args = {widths = [4, 8]}\n')
    out = tmp_path / "run"
    assert main(["train", "--config", str(cfg), "--lr", "0.002", "--out", str(out),
                 "--quiet"]) == 0
    config = json.loads((out / "config.json").read_text())
    assert (config["epochs"], config["batch_size"], config["lr"]) == (1, 32, 0.002)
    assert config["model_args"] == {"widths": [4, 8]}


@pytest.mark.parametrize("argv, message", [
    (["--model", "alexnet"], "--model: unknown model 'alexnet'; choose one of"),
    (["--lr", "fast"], "argument --lr: expected a number > 0, got 'fast'"),
    (["--data", "folder:/no/such/folder"], "is not a directory"),
    (["--optimizer", "lbfgs"], "--optimizer: unknown update rule 'lbfgs'"),
    (["--augment", "rotate"], r"--augment: unknown augmentation\(s\) \['rotate'\]"),
    (["--config", "/no/such.toml"], "--config: no such file"),
])
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        main(["train", "--out", str(tmp_path / "r"), "--quiet", *argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    import re
    assert re.search(message, err[-1]), err
    assert "Traceback" not in "\n".join(err)


def test_an_empty_image_folder_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "empty" / "cat").mkdir(parents=True)
    with pytest.raises(SystemExit) as exc:
        main(["train", "--data", f"folder:{tmp_path / 'empty'}", "--quiet",
              "--out", str(tmp_path / "r")])
    assert exc.value.code == 2
    assert "--data folder:" in capsys.readouterr().err


def test_evaluate_and_predict_refuse_missing_files(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", str(tmp_path / "nothing")])
    assert exc.value.code == 2
    assert "no such run folder or model file" in capsys.readouterr().err
    out = _train(tmp_path, "--epochs", "1")
    with pytest.raises(SystemExit) as exc:
        main(["predict", str(out), str(tmp_path / "missing.png")])
    assert exc.value.code == 2
    assert "no such image file" in capsys.readouterr().err


def test_train_on_a_tiny_image_folder(tmp_path, rng):
    for c in ("red", "blue"):
        (tmp_path / "imgs" / c).mkdir(parents=True)
        for i in range(12):
            a = np.zeros((8, 8, 3), np.uint8)
            a[..., 0 if c == "red" else 2] = rng.integers(150, 256)
            Image.fromarray(a).save(tmp_path / "imgs" / c / f"{i}.png")
    out = tmp_path / "run"
    assert main(["train", "--data", f"folder:{tmp_path / 'imgs'}", "--out", str(out),
                 "--quiet", "--epochs", "3", "--batch-size", "8", "--val-split", "2",
                 "--model-arg", "widths=[4]", "--augment", "flip,crop"]) == 0
    test = read_metrics(out / "metrics.jsonl")[-1]
    assert test["classes"] == ["blue", "red"] and test["num_samples"] == 5


@pytest.mark.slow
def test_the_default_run_reaches_97_percent_on_the_digits(tmp_path):
    out = tmp_path / "default"
    assert main(["train", "--out", str(out), "--quiet"]) == 0
    assert read_metrics(out / "metrics.jsonl")[-1]["accuracy"] >= 0.97


@pytest.mark.slow
def test_sigint_leaves_a_checkpoint_that_resume_continues(tmp_path):
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    common = ["--quiet", "--schedule", "constant", "--seed", "2", "--model-arg", "widths=[8,16]"]
    proc = subprocess.Popen([sys.executable, "-m", "convnp", "train", "--out", str(out),
                             "--epochs", "400", *common],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (out / "checkpoints" / "last.npz").exists():
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "convnp train --resume" in err and "Traceback" not in err
    from convnp.checkpoint import read_meta
    stopped_at = read_meta(out / "checkpoints" / "last.npz")["solver"]["iteration"]
    assert stopped_at > 0
    ipe = json.loads((out / "config.json").read_text())["splits"]["train"] // 64
    epochs = stopped_at // ipe + 1
    assert main(["train", "--resume", str(out), "--epochs", str(epochs), "--quiet"]) == 0
    records = read_metrics(out / "metrics.jsonl")
    assert records[-1]["type"] == "test"
    assert [r["epoch"] for r in records if r["type"] == "epoch"][-1] == epochs
    # The same run never interrupted: the same weights, bit for bit, and the same metrics.
    full = tmp_path / "full"
    assert main(["train", "--out", str(full), "--epochs", str(epochs), *common]) == 0
    a, b = io.load(full / "model.npz"), io.load(out / "model.npz")
    for k, v in a.state_dict().items():
        np.testing.assert_array_equal(v, b.state_dict()[k], err_msg=k)

    def numbers(run):
        return [{k: r[k] for k in ("type", "epoch", "iteration", "loss", "train_acc", "val_acc",
                                   "accuracy", "lr") if k in r}
                for r in read_metrics(run / "metrics.jsonl")]
    assert numbers(out) == numbers(full)


def test_resume_refuses_fewer_epochs_and_other_options(tmp_path, capsys):
    out = _train(tmp_path)
    for argv, message in ((["--epochs", "1"], "--epochs 1: the run has already done"),
                          (["--epochs", "4", "--lr", "0.1"], "only --epochs may change"),
                          (["--epochs", "4", "--out", str(tmp_path / "x")],
                           "(only --epochs may change); got --out")):
        with pytest.raises(SystemExit) as exc:
            main(["train", "--resume", str(out), "--quiet", *argv])
        assert exc.value.code == 2
        assert message in capsys.readouterr().err


def test_crop_on_rectangular_images_and_a_config_list(tmp_path, rng):
    for c in ("a", "b"):
        (tmp_path / "rect" / c).mkdir(parents=True)
        for i in range(10):
            a = rng.integers(0, 256, (8, 12, 3), dtype=np.uint8)
            Image.fromarray(a).save(tmp_path / "rect" / c / f"{i}.png")
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"augment": ["crop", "flip", "cutout"], "model": "fc_net",
                               "epochs": 1, "batch_size": 4, "val_split": 2}))
    out = tmp_path / "run"
    assert main(["train", "--config", str(cfg), "--data", f"folder:{tmp_path / 'rect'}",
                 "--out", str(out), "--quiet"]) == 0
    assert json.loads((out / "config.json").read_text())["augment"] == "crop,flip,cutout"


@pytest.mark.parametrize("options, message", [
    ({"val_split": "0.1"}, "--val-split: expected a fraction"),
    ({"image_size": "8"}, "--image-size: expected an integer >= 1"),
    ({"out": 5}, "--out: expected a path"),
    ({"lr": float("inf")}, "--lr: expected a finite number > 0"),
    ({"tensorboard": "yes"}, "--tensorboard: expected true or false"),
    ({"augment": 3}, "--augment: expected a comma-separated string"),
    ({"epochs": 2.5}, "--epochs: expected an integer >= 1"),
])
def test_bad_config_file_values_name_the_option(tmp_path, capsys, options, message):
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps(options).replace("Infinity", "1e999"))
    with pytest.raises(SystemExit) as exc:
        out = [] if "out" in options else ["--out", str(tmp_path / "r")]  # a flag would win
        main(["train", "--config", str(cfg), *out, "--quiet"])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_tensorboard_event_files(tmp_path):
    pytest.importorskip("tensorboardX", reason="the tensorboard extra is not installed")
    out = _train(tmp_path, "--tensorboard", "--epochs", "1")
    events = list((out / "tensorboard").glob("events.out.tfevents.*"))
    assert len(events) == 1 and events[0].stat().st_size > 0
    assert {"loss", "lr", "train_acc", "val_acc"} <= _scalar_tags(events[0])


def _scalar_tags(path) -> set:
    """The tags of the scalars in a TensorBoard event file (TFRecord framing, read by hand)."""
    import struct

    from tensorboardX.proto import event_pb2
    data, tags, pos = path.read_bytes(), set(), 0
    while pos < len(data):
        (length,) = struct.unpack("<Q", data[pos:pos + 8])
        event = event_pb2.Event.FromString(data[pos + 12:pos + 12 + length])
        tags |= {v.tag for v in event.summary.value}
        pos += 12 + length + 4
    return tags


@pytest.mark.parametrize("model", ["fc_net", "two_layer_net", "three_layer_convnet", "resnet",
                                   "three_layer", "airbench"])
def test_every_kind_of_model_trains_saves_and_evaluates(tmp_path, capsys, model):
    out = tmp_path / model
    assert main(["train", "--model", model, "--epochs", "1", "--out", str(out), "--quiet",
                 "--dtype", "float64" if model == "fc_net" else "float32"]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["accuracy"] == read_metrics(out / "metrics.jsonl")[-1]["accuracy"]
    assert io.read_header(out / "model.npz")["model"]["class"] in ("zoo", "classifier")


def test_recipe_quick_presets_whitening_and_frozen_scales(tmp_path, rng):
    """--recipe quick on a tiny 32x32 folder (its network and epochs shrunk by flags): the
    preset values in config.json, flags winning; the saved model's first layer is exactly the
    training split's whitening filters and every batch-norm scale is still 1."""
    from convnp import nn
    from convnp.data.datasets import get_dataset

    data = _cifar_like_folder(tmp_path / "imgs", 10, rng)
    out = tmp_path / "run"
    assert main(["train", "--recipe", "quick", "--data", data, "--out", str(out), "--quiet",
                 "--epochs", "1", "--batch-size", "4", "--val-split", "2",
                 "--model-arg", "widths=[4,8,8]"]) == 0
    config = json.loads((out / "config.json").read_text())
    assert config["recipe"] == "quick" and config["model"] == "airbench"
    assert config["model_args"] == {"widths": [4, 8, 8]}
    assert (config["epochs"], config["batch_size"], config["val_split"]) == (1, 4, 2)
    assert (config["optimizer"], config["momentum"], config["lr"], config["schedule"]) == \
        ("nesterov", 0.85, 0.375, "triangle")
    assert config["augment"] == "alt-flip,translate" and config["label_smoothing"] == 0.2
    assert (config["test_split"], config["lookahead"], config["tta"]) == (0, True, True)
    assert config["splits"] == {"train": 18, "val": 2, "test": 0}
    final = read_metrics(out / "metrics.jsonl")[-1]
    assert (final["split"], final["tta"]) == ("val", True)

    model = io.load(out / "model.npz")
    splits = get_dataset(data, val_split=2, seed=0, test_split=0)
    expected = np.zeros_like(model[0].weight)
    nn.init.patch_whitening(expected, splits.standardize()(splits.X_train))  # all 18 images
    np.testing.assert_array_equal(model[0].weight, expected)
    scales = [m.weight for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    assert len(scales) == 6 and all(np.all(w == 1) for w in scales)
    # The first layer's bias is not frozen: it moved from its initial draw.
    from convnp import models
    fresh = models.airbench((4, 8, 8), num_classes=2, seed=0)
    assert not np.array_equal(fresh[0].bias, model[0].bias)
    # airbench's parameter groups reached the Solver (they are in its checkpoint).
    from convnp.checkpoint import read_meta
    hp = read_meta(out / "checkpoints" / "last.npz")["solver"]["hyperparameters"]
    lr_mult, wd_mult = models.airbench_param_mults(fresh)
    assert hp["lr_mult"] == lr_mult and hp["wd_mult"] == wd_mult
    # Only the epochs' accuracy checks, in the training batch size or 100 if that is more.
    assert hp["check_first"] is False and hp["check_batch_size"] == 100
    # With Adam the groups (made for SGD's steps) and the preset's momentum are dropped.
    assert main(["train", "--recipe", "quick", "--data", data, "--out", str(tmp_path / "adam"),
                 "--quiet", "--epochs", "1", "--batch-size", "4", "--val-split", "2",
                 "--model-arg", "widths=[4,8,8]", "--optimizer", "adam", "--lr", "1e-3"]) == 0
    hp = read_meta(tmp_path / "adam" / "checkpoints" / "last.npz")["solver"]["hyperparameters"]
    assert hp["lr_mult"] is None and hp["wd_mult"] is None


def _cifar_like_folder(root, per_class, rng) -> str:
    """Two classes of per_class random 32x32 PNGs under root; the --data value for them."""
    for c in ("a", "b"):
        (root / c).mkdir(parents=True)
        for i in range(per_class):
            Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(
                root / c / f"{i}.png")
    return f"folder:{root}"


def test_whiten_bias_freezes_after_its_epochs_and_the_run_resumes(tmp_path, rng):
    """--whiten-bias-epochs 1: the whitening layer's bias trains for one epoch, its checkpoint
    records it frozen, and a resumed run keeps it frozen at that value."""
    from convnp.checkpoint import load, read_meta

    data = _cifar_like_folder(tmp_path / "imgs", 8, rng)
    out = tmp_path / "run"
    args = ["--data", data, "--batch-size", "4", "--val-split", "2",
            "--model-arg", "widths=[4,8,8]", "--quiet"]
    assert main(["train", "--recipe", "quick", "--epochs", "1", "--whiten-bias-epochs", "1",
                 "--out", str(out), *args]) == 0
    assert json.loads((out / "config.json").read_text())["whiten_bias_epochs"] == 1
    last = out / "checkpoints" / "last.npz"
    assert "0.bias" in read_meta(last)["model"]["frozen"]
    arrays, _ = load(last)
    bias_at_1 = arrays["buffers/0.bias"]
    assert main(["train", "--resume", str(out), "--epochs", "3", "--quiet"]) == 0
    model = io.load(out / "model.npz")
    np.testing.assert_array_equal(model[0].bias, bias_at_1)
    arrays, meta = load(last)
    assert meta["solver"]["epoch"] == 3 and "0.bias" in meta["model"]["frozen"]
    assert "params/2.weight" in arrays and "params/0.bias" not in arrays


def test_recipe_fast_presets():
    import argparse

    from convnp.cli.train import add_parser, resolve_config
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    cfg = resolve_config(parser.parse_args(["train", "--recipe", "fast", "--epochs", "9"]))
    assert (cfg.model, cfg.model_args, cfg.epochs) == ("airbench", {"widths": [64, 256, 256]}, 9)
    assert (cfg.optimizer, cfg.lookahead, cfg.tta, cfg.test_split) == ("nesterov", True, True, 0)
    assert resolve_config(parser.parse_args(["train", "--recipe", "fast"])).epochs == 11
    quick = resolve_config(parser.parse_args(["train", "--recipe", "quick"]))
    assert (quick.model_args, quick.epochs) == ({"widths": [32, 128, 128]}, 2)
    # Every preset can be overridden: the booleans with --no-..., and another optimizer drops
    # the preset's momentum (which only sgd_momentum and nesterov take).
    cfg = resolve_config(parser.parse_args(["train", "--recipe", "fast", "--no-lookahead",
                                            "--no-tta", "--optimizer", "adam"]))
    assert (cfg.lookahead, cfg.tta, cfg.optimizer, cfg.momentum) == (False, False, "adam", None)
    cfg = resolve_config(parser.parse_args(["train", "--recipe", "fast", "--optimizer",
                                            "sgd_momentum"]))
    assert (cfg.optimizer, cfg.momentum) == ("sgd_momentum", 0.85)
    # airbench's whitening bias trains for 3 epochs; other models have no whitening layer.
    assert cfg.whiten_bias_epochs == 3
    assert resolve_config(parser.parse_args(["train", "--recipe", "fast", "--model", "vgg"])
                          ).whiten_bias_epochs is None
    assert resolve_config(parser.parse_args(["train", "--recipe", "fast",
                                             "--whiten-bias-epochs", "5"])).whiten_bias_epochs == 5
    assert resolve_config(parser.parse_args(["train", "--recipe", "fast",
                                             "--whiten-bias-epochs", "0"])
                          ).whiten_bias_epochs is None
    for args in (["--model", "vgg"], ["--model", "airbench"], ["--recipe", "fast", "--model",
                                                                "vgg"]):
        with pytest.raises(UsageError, match="--whiten-bias-epochs: only a --recipe's airbench "
                                             "model has a whitening layer"):
            resolve_config(parser.parse_args(["train", *args, "--whiten-bias-epochs", "2"]))


def test_recipe_and_label_smoothing_errors(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["train", "--recipe", "slow"])
    assert exc.value.code == 2 and "invalid choice: 'slow'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["train", "--label-smoothing", "1.5", "--quiet"])
    assert exc.value.code == 2
    assert "--label-smoothing: expected a number in [0, 1); got 1.5" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["train", "--model", "fc_net", "--label-smoothing", "0.1", "--quiet"])
    assert exc.value.code == 2 and "plain cross-entropy" in capsys.readouterr().err


def test_speed_run_options_on_the_digits(tmp_path, capsys):
    """--test-split 0 (the final evaluation is on the validation split), --tta, --lookahead,
    nesterov with --momentum, the triangle schedule; evaluate follows the run's split."""
    out = _train(tmp_path, "--test-split", "0", "--val-split", "300", "--tta", "--lookahead",
                 "--optimizer", "nesterov", "--momentum", "0.85", "--lr", "0.05",
                 "--schedule", "triangle", "--epochs", "3")
    printed = capsys.readouterr().out
    assert "val accuracy" in printed and "with TTA" in printed
    config = json.loads((out / "config.json").read_text())
    assert config["splits"]["test"] == 0 and config["splits"]["val"] == 300
    assert (config["test_split"], config["tta"], config["lookahead"]) == (0, True, True)
    final = read_metrics(out / "metrics.jsonl")[-1]
    assert (final["type"], final["split"], final["tta"], final["num_samples"]) == \
        ("test", "val", True, 300)
    assert final["tta_scheme"] == "airbench94"
    assert main(["evaluate", str(out), "--split", "val", "--tta", "--json"]) == 0
    evaluated = json.loads(capsys.readouterr().out)
    assert evaluated["accuracy"] == final["accuracy"] and evaluated["tta_scheme"] == "airbench94"
    assert main(["evaluate", str(out), "--split", "val", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tta_scheme"] is None
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", str(out)])
    assert exc.value.code == 2
    assert "has no test split here (the run held none out" in capsys.readouterr().err
    # A lookahead run resumes (the average restarts at the checkpoint's weights).
    assert main(["train", "--resume", str(out), "--epochs", "4", "--quiet"]) == 0
    epochs = [r["epoch"] for r in read_metrics(out / "metrics.jsonl") if r["type"] == "epoch"]
    assert epochs == [1, 2, 3, 4]


@pytest.mark.parametrize("test_split, kept", [("0", "params"), ("0.2", "best_params")])
def test_without_a_test_split_the_model_keeps_the_last_parameters(tmp_path, monkeypatch,
                                                                  test_split, kept):
    """The validation split measures the run when there is no test split, so it must not also
    choose the parameters: the model keeps the last epoch's. With a test split, the best
    check's (the course's Solver). Validation accuracy falls here at every check, so the best
    check is the first: epoch 1's (convnp train skips the check after the first step)."""
    from convnp.solver import Solver
    falling = iter(np.linspace(0.9, 0.1, 100))
    monkeypatch.setattr(Solver, "check_accuracy", lambda self, X, y, **kw: next(falling))
    out = _train(tmp_path, "--test-split", test_split, "--epochs", "2", "--quiet")
    with np.load(out / "checkpoints" / "last.npz") as last, np.load(out / "model.npz") as saved:
        names = [k.removeprefix("params/") for k in last.files if k.startswith("params/")]
        assert names and any(not np.array_equal(last[f"params/{k}"], last[f"best_params/{k}"])
                             for k in names)
        for k in names:
            assert np.array_equal(saved[f"state/{k}"], last[f"{kept}/{k}"]), k


def test_triangle_schedule_is_airbenchs():
    from convnp.cli.train import TrainConfig, build_schedule
    s = build_schedule(TrainConfig(schedule="triangle", lr=0.5), 100)
    assert s(0) == pytest.approx(0.1) and s(23) == pytest.approx(0.5)
    assert s(11.5) == pytest.approx(0.3) and s(100) == pytest.approx(0.035)
    assert s(23 + 77 / 2) == pytest.approx((0.5 + 0.035) / 2)


@pytest.mark.parametrize("argv, message", [
    (["--momentum", "0.9"], "--momentum: only sgd_momentum and nesterov take a momentum"),
    (["--optimizer", "nesterov", "--momentum", "1"], r"--momentum: expected a number in \[0, 1\)"),
    (["--test-split", "-1"], "argument --test-split: expected 0, a fraction in"),
])
def test_speed_run_option_errors(tmp_path, capsys, argv, message):
    import re
    with pytest.raises(SystemExit) as exc:
        main(["train", "--out", str(tmp_path / "r"), "--quiet", *argv])
    assert exc.value.code == 2
    assert re.search(message, capsys.readouterr().err)
