import subprocess
import sys

import pytest

from convnp.cli import gradcheck, main


def test_gradcheck_selected_layers(capsys):
    assert main(["gradcheck", "relu", "conv_fast", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["layer", "grad", "rel", "error", "status"]
    rows = [line.split() for line in lines[1:-1]]
    assert [(r[0], r[1]) for r in rows] == [("relu", "dx"), ("conv_fast", "dx"),
                                            ("conv_fast", "dw"), ("conv_fast", "db")]
    assert all(r[3] == "ok" and float(r[2]) < 1e-7 for r in rows)
    assert lines[-1].startswith("4/4 gradients within 1e-07")


def test_gradcheck_every_layer_passes():
    rows = gradcheck.check(list(gradcheck.CASES))
    assert {r[0] for r in rows} == set(gradcheck.CASES)
    worst = max(rows, key=lambda r: r[2])
    assert worst[2] < 1e-7, worst


def test_gradcheck_fails_with_an_impossible_tolerance(capsys):
    assert main(["gradcheck", "tanh", "--tol", "0"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_gradcheck_unknown_layer_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["gradcheck", "convolution"])
    assert exc.value.code == 2
    assert "unknown layer 'convolution'" in capsys.readouterr().err


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run([sys.executable, "-m", "convnp", "gradcheck", "affine"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "affine" in proc.stdout and "3/3 gradients" in proc.stdout


@pytest.mark.parametrize("command", ["train", "evaluate", "predict", "gradcheck", "filters",
                                     "report", "experiments", "export"])
def test_every_subcommand_has_help_with_an_example(command, capsys):
    from convnp.cli import COMMANDS
    if command not in COMMANDS:
        pytest.fail(f"convnp {command} is not registered")
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert f"convnp {command}" in out.split("example", 1)[-1]
