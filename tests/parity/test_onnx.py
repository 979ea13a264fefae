"""ONNX export parity: convnp.interop.onnx graphs against convnp's own forward.

Every zoo model (small widths), after a few SGD steps in train mode so the batch norms' running
statistics are not (0, 1), is exported; the file must pass onnx.checker and onnxruntime must
give convnp's eval-mode logits to 1e-4 (float32) for batches of 1 and 5. onnxruntime's CPU
kernels lack float64 for Conv, Erf, LeakyRelu, InstanceNormalization, so float64 graphs are run
with onnx's own reference evaluator (NumPy) instead, to 1e-10.
"""

import copy
import json
import math
import re
import sys

import numpy as np
import pytest

onnx = pytest.importorskip("onnx", reason="ONNX export tests need the onnx extra: "
                                          "pip install 'convnp[onnx]'")
ort = pytest.importorskip("onnxruntime", reason="ONNX export tests need onnxruntime: "
                                                "pip install 'convnp[onnx]'")

from onnx.reference import ReferenceEvaluator  # noqa: E402
from onnx.reference.ops.op_erf import Erf as ReferenceErf  # noqa: E402

from convnp import checkpoint, io, models, nn  # noqa: E402
from convnp.classifiers import ThreeLayerConvNet  # noqa: E402
from convnp.data.datasets import Dataset  # noqa: E402
from convnp.interop.onnx import export_onnx  # noqa: E402

TOL32 = 1e-4
TOL64 = 1e-10
S = 16
ZOO = {
    "three_layer": dict(num_filters=4, filter_size=3, hidden_dim=8),
    "notes_cnn": {},
    "deep_cnn": dict(widths=(4, 8, 8, 8), hidden_dim=16),
    "vgg": dict(widths=(4, 8)),
    "resnet": dict(depth=8, width=4),
    "airbench": dict(widths=(4, 8)),
}


def _trained(name, dtype, rng, steps=3):
    """A zoo model after a few SGD steps, in eval mode."""
    model = models.get(name, **ZOO[name], input_size=S, seed=0, dtype=dtype)
    for _ in range(steps):
        X = rng.standard_normal((8, 3, S, S)).astype(dtype) + 0.5
        y = rng.integers(0, 10, size=8)
        _, grads = model.loss(X, y)
        model.params = {k: v - 0.1 * grads[k] for k, v in model.params.items()}
    return model.eval()


class Erf64(ReferenceErf):
    """onnx.reference's Erf computes in float32 (``np.vectorize(erf, otypes=["f"])``), which
    limits GELU graphs (airbench) to ~1e-8 in float64; this one keeps the input's dtype."""

    op_domain = ""

    def _run(self, x):
        return (np.vectorize(math.erf, otypes=[x.dtype])(x),)


Erf64.__name__ = "Erf"  # the evaluator matches new_ops by class name


def _session(path):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def _assert_logits(got, expected, tol, what):
    assert got.shape == expected.shape, f"{what}: shape {got.shape} != {expected.shape}"
    assert got.dtype == expected.dtype, f"{what}: dtype {got.dtype} != {expected.dtype}"
    err = np.max(np.abs(got - expected)) / max(1.0, np.max(np.abs(expected)))
    assert err < tol, f"{what}: max error {err:.3e} (relative to max(1, |logits|)) >= {tol:g}"


@pytest.mark.parametrize("name", models.NAMES)
def test_zoo_float32_matches_onnxruntime(name, rng, tmp_path):
    model = _trained(name, np.float32, rng)
    bn = [m for m in model.modules() if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d))]
    assert all(not np.allclose(m.running_var, 1) for m in bn)  # statistics moved
    path = export_onnx(model, tmp_path / f"{name}.onnx", (3, S, S))
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    session = _session(path)
    for N in (1, 5):
        X = rng.standard_normal((N, 3, S, S)).astype(np.float32)
        got = session.run(None, {"input": X})[0]
        _assert_logits(got, model(X), TOL32, f"{name} N={N}")


@pytest.mark.parametrize("name", models.NAMES)
def test_zoo_float64_is_kept(name, rng, tmp_path):
    model = _trained(name, np.float64, rng)
    path = export_onnx(model, tmp_path / f"{name}.onnx", (3, S, S))
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    double = onnx.TensorProto.DOUBLE
    assert proto.graph.input[0].type.tensor_type.elem_type == double
    assert all(t.data_type == double for t in proto.graph.initializer
               if t.data_type != onnx.TensorProto.INT64)
    X = rng.standard_normal((5, 3, S, S))
    got = ReferenceEvaluator(proto, new_ops=[Erf64]).run(None, {"input": X})[0]
    _assert_logits(got, model(X), TOL64, name)


def _every_module(rng):
    """A Sequential using every exportable module, in float32."""
    return nn.Sequential(
        nn.Conv2d(3, 8, (3, 2), stride=2, padding=1, rng=rng),
        nn.GroupNorm(2, 8),
        nn.GELU(),
        nn.AvgPool2d(2, stride=1),
        nn.Residual(nn.Sequential(nn.Conv2d(8, 8, 1, bias=False, rng=rng), nn.BatchNorm2d(8))),
        nn.LeakyReLU(0.2),
        nn.MaxPool2d((2, 1), stride=1),
        nn.Sigmoid(),
        nn.LayerNorm((8, 3, 3)),
        nn.Tanh(),
        nn.Flatten(2),
        nn.Linear(9, 5, rng=rng),
        nn.GELU("tanh"),
        nn.Flatten(),
        nn.BatchNorm1d(40),
        nn.Dropout(0.7, rng=rng),
        nn.ReLU(),
        nn.Residual(nn.Linear(40, 6, rng=rng), projection=nn.Linear(40, 6, bias=False, rng=rng)),
        nn.Linear(6, 3, bias=False, rng=rng),
    )


@pytest.mark.parametrize("opset", [17, 20])
def test_every_module_matches_onnxruntime(opset, rng, tmp_path):
    model = _every_module(rng)
    for m in model.modules():  # non-trivial norm parameters and statistics
        for key in ("weight", "bias", "running_mean"):
            if not isinstance(m, (nn.Linear, nn.Conv2d)) and getattr(m, key, None) is not None:
                getattr(m, key)[...] = rng.uniform(-1, 1, getattr(m, key).shape)
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_var[...] = rng.uniform(0.5, 2, m.running_var.shape)
    model.eval()
    path = export_onnx(model, tmp_path / "m.onnx", (3, 9, 7), opset=opset)
    proto = onnx.load(str(path))
    ops = {n.op_type for n in proto.graph.node}
    assert ("Gelu" in ops) == (opset >= 20) and ("Erf" in ops) == (opset < 20)
    X = rng.standard_normal((5, 3, 9, 7)).astype(np.float32)
    _assert_logits(_session(path).run(None, {"input": X})[0], model(X), TOL32, f"opset {opset}")


def test_global_pool_and_linear_on_3d_input(rng, tmp_path):
    model = nn.Sequential(nn.Conv2d(2, 4, 3, rng=rng), nn.GlobalAvgPool2d(),
                          nn.Flatten(0, 0), nn.Linear(4, 3, rng=rng))
    model2 = nn.Sequential(nn.Linear(5, 4, rng=rng), nn.ReLU(), nn.Linear(4, 2, bias=False,
                                                                          rng=rng))
    for m, shape in ((model, (2, 6, 5)), (model2, (3, 5))):
        path = export_onnx(m, tmp_path / "m.onnx", shape)
        X = rng.standard_normal((4,) + shape).astype(np.float32)
        _assert_logits(_session(path).run(None, {"input": X})[0], m(X), TOL32, str(shape))


def test_batch_dimension_is_dynamic_or_fixed(rng, tmp_path):
    model = models.get("vgg", widths=(4,), input_size=8, seed=0)
    dims = onnx.load(str(export_onnx(model, tmp_path / "a.onnx", (3, 8, 8)))).graph
    assert dims.input[0].type.tensor_type.shape.dim[0].dim_param == "N"
    assert dims.output[0].type.tensor_type.shape.dim[0].dim_param == "N"
    assert [d.dim_value for d in dims.output[0].type.tensor_type.shape.dim[1:]] == [10]
    fixed = onnx.load(str(export_onnx(model, tmp_path / "b.onnx", (3, 8, 8), batch_size=3)))
    assert [d.dim_value for d in fixed.graph.input[0].type.tensor_type.shape.dim] == [3, 3, 8, 8]


def test_export_leaves_the_model_as_it_was(rng, tmp_path):
    model = _trained("deep_cnn", np.float32, rng).train()
    model[1].eval()
    before = {k: v.copy() for k, v in model.state_dict().items()}
    modes = [m.training for m in model.modules()]
    export_onnx(model, tmp_path / "m.onnx", (3, S, S))
    assert [m.training for m in model.modules()] == modes
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, before[k], err_msg=k)


class Doubler(nn.Module):
    def forward(self, x):
        return 2 * x


class MyReLU(nn.ReLU):
    pass


@pytest.mark.parametrize("bad, where", [
    (lambda: nn.Sequential(nn.ReLU(), nn.Residual(nn.Sequential(Doubler()))),
     r"Doubler at '1\.block\.0'"),
    (lambda: nn.Sequential(nn.Residual(nn.ReLU(), projection=MyReLU())),
     r"MyReLU at '0\.projection'"),
    (lambda: Doubler(), r"Doubler \(the model itself\)"),
])
def test_unsupported_module_is_refused_by_name_and_path(bad, where, tmp_path):
    target = tmp_path / "m.onnx"
    target.write_bytes(b"old")
    with pytest.raises(TypeError, match=f"export_onnx: cannot export {where}; supported"):
        export_onnx(bad(), target, (4,))
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.onnx"]


def test_course_classifier_is_refused(tmp_path):
    with pytest.raises(TypeError, match="must be a convnp.nn.Module .*got ThreeLayerConvNet"):
        export_onnx(ThreeLayerConvNet(), tmp_path / "m.onnx", (3, 32, 32))


def test_bad_arguments_are_refused(rng, tmp_path):
    model = models.get("vgg", widths=(4,), input_size=8, seed=0)
    with pytest.raises(ValueError, match=r"export_onnx: module Linear at '8' does not take its "
                                         r"input of shape \(2, 144\): .*in_features=64"):
        export_onnx(model, tmp_path / "m.onnx", (3, 12, 12))
    with pytest.raises(ValueError, match=r"opset must be in \[17, \d+\].*got 13"):
        export_onnx(model, tmp_path / "m.onnx", (3, 8, 8), opset=13)
    with pytest.raises(TypeError, match="input_shape must be the shape of one example"):
        export_onnx(model, tmp_path / "m.onnx", 8)
    with pytest.raises(FileNotFoundError, match="the folder .*nowhere does not exist"):
        export_onnx(model, tmp_path / "nowhere" / "m.onnx", (3, 8, 8))
    with pytest.raises(ValueError, match="Flatten at '1' has start_dim=0"):
        export_onnx(nn.Sequential(nn.Linear(3, 2, rng=rng), nn.Flatten(0)), tmp_path / "m.onnx",
                    (3,))


def test_existing_file_is_replaced_without_leftovers(tmp_path):
    target = tmp_path / "m.onnx"
    target.write_bytes(b"old")
    model = models.get("vgg", widths=(4,), input_size=8, seed=0)
    assert export_onnx(model, target, (3, 8, 8)) == target
    onnx.checker.check_model(onnx.load(str(target)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.onnx"]


def test_missing_onnx_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "onnx", None)
    model = models.get("vgg", widths=(4,), input_size=8, seed=0)
    with pytest.raises(ImportError, match=r"pip install 'convnp\[onnx\]'"):
        export_onnx(model, tmp_path / "m.onnx", (3, 8, 8))


# -- convnp export --------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch):
    import convnp.cli

    monkeypatch.setattr(convnp.cli, "COMMANDS", {**convnp.cli.COMMANDS,
                                                 "export": "convnp.cli.export"})
    return convnp.cli.main


@pytest.fixture
def model_file(tmp_path, rng):
    model = _trained("vgg", np.float32, rng)  # trained on 3 x 16 x 16
    dataset = Dataset(name="folder:/x", image_shape=(S, S, 3), classes=tuple("abcdefghij"),
                      mean=(0.5, 0.4, 0.3), std=(0.2, 0.2, 0.2))
    return io.save(model, tmp_path / "model.npz", dataset=dataset), model


def test_cli_export_writes_a_runnable_file(cli, model_file, tmp_path, capsys, rng):
    path, model = model_file
    out = tmp_path / "vgg.onnx"
    assert cli(["export", str(path), "--onnx", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    X = rng.standard_normal((5, 3, S, S)).astype(np.float32)
    _assert_logits(_session(out).run(None, {"input": X})[0], model(X), TOL32, "cli")
    props = {p.key: p.value for p in onnx.load(str(out)).metadata_props}
    assert Dataset.from_dict(json.loads(props["convnp.dataset"])).classes \
        == tuple("abcdefghij")


def test_cli_export_fixed_batch_of_a_run_folder(cli, model_file, tmp_path, capsys):
    path, _ = model_file
    out = tmp_path / "b.onnx"
    assert cli(["export", str(path.parent), "--onnx", str(out), "--batch", "2"]) == 0
    dims = onnx.load(str(out)).graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_value for d in dims] == [2, 3, S, S]


@pytest.mark.parametrize("args, message", [
    (["missing.npz", "--onnx", "m.onnx"], "no such run folder or model file"),
    (["{model}", "--onnx", "nowhere/m.onnx"], "--onnx nowhere/m.onnx: the folder"),
    (["{model}", "--onnx", "m.onnx", "--opset", "13"], "--opset must be in 17..[0-9]+ .*got 13"),
    (["{model}", "--onnx", "m.onnx", "--opset", "999"], "--opset must be in 17..[0-9]+ .*got 999"),
    (["{model}", "--onnx", "."], "give the path of the .onnx file to write, not a folder"),
])
def test_cli_usage_errors_exit_2(cli, model_file, tmp_path, monkeypatch, capsys, args,
                                 message):
    monkeypatch.chdir(tmp_path)
    path, _ = model_file
    with pytest.raises(SystemExit) as exc:
        cli(["export", *[a.format(model=path) for a in args]])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert re.search(message, err) or message in err, err


def test_export_keeps_the_callers_pending_backward(tmp_path, rng):
    model = models.get("vgg", widths=(4,), input_size=4, seed=0)
    model.train()
    x = rng.standard_normal((5, 3, 4, 4)).astype(np.float32)
    out = model(x)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    reference = copy.deepcopy(model).backward(dout)
    export_onnx(model, tmp_path / "m.onnx", (3, 4, 4), batch_size=5)
    np.testing.assert_array_equal(model.backward(dout), reference)
    assert (tmp_path / "m.onnx").stat().st_mode & 0o777 == checkpoint.default_file_mode()
