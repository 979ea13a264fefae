"""convnp.interop.torch: to_torch / from_torch against PyTorch itself.

For every zoo model (small widths) and every course classifier: logits equal both ways in eval
mode (1e-5 float32, 1e-10 float64; absolute, or relative to the largest logit when that exceeds
1) on real CIFAR-10 images when ../shared/data is present and on random images always; one
training step from equal weights gives the same loss and gradients as torch's cross-entropy
backward (float64, 1e-9 relative); to_torch -> from_torch keeps the state_dict bit for bit;
unsupported layers and wrong inputs raise the documented errors.
"""

import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from convnp import models, nn
from convnp.classifiers import FullyConnectedNet, ThreeLayerConvNet, TwoLayerNet
from tests.parity.torch_helpers import torch

# Imported after torch_helpers, which skips this module without torch (fails it in CI).
interop = importlib.import_module("convnp.interop.torch")
GlobalAvgPool2d, Residual = interop.GlobalAvgPool2d, interop.Residual
classifier_keys, from_torch, to_torch = (interop.classifier_keys, interop.from_torch,
                                         interop.to_torch)

TNN = torch.nn
F = torch.nn.functional
TOL = {np.float32: 1e-5, np.float64: 1e-10}
DTYPES = (np.float32, np.float64)
CIFAR = Path(__file__).parents[2].parent / "shared" / "data" / "cifar10-jpeg" / "train"

ZOO = {
    "three_layer": {"num_filters": 4, "filter_size": 3, "hidden_dim": 10},
    "notes_cnn": {},
    "deep_cnn": {"widths": (4, 8, 8, 8), "hidden_dim": 12, "dropout_keep": 0.7},
    "vgg": {"widths": (4, 8)},
    "resnet": {"depth": 8, "width": 4},
    "airbench": {"widths": (4, 8)},
}


def make_classifier(name, dtype, rng):
    if name == "TwoLayerNet":
        return TwoLayerNet(hidden_dim=20, weight_scale=1e-2, dtype=dtype, rng=rng)
    if name == "ThreeLayerConvNet":
        return ThreeLayerConvNet(num_filters=4, filter_size=3, hidden_dim=10, weight_scale=5e-2,
                                 dtype=dtype, rng=rng)
    norm, keep = {"FC": (None, 1), "FC-batchnorm": ("batchnorm", 0.75),
                  "FC-layernorm": ("layernorm", 0.5)}[name]
    return FullyConnectedNet([20, 15], normalization=norm, dropout_keep_ratio=keep,
                             weight_scale=5e-2, dtype=dtype, rng=rng)


CLASSIFIERS = ("TwoLayerNet", "FC", "FC-batchnorm", "FC-layernorm", "ThreeLayerConvNet")


def randomize_norms(model, rng):
    """Give every batch norm non-trivial weights and running statistics (eval uses them)."""
    sd = model.state_dict()
    for k, v in sd.items():
        if k.endswith("running_mean"):
            sd[k] = rng.normal(0, 0.3, v.shape).astype(v.dtype)
        elif k.endswith("running_var"):
            sd[k] = rng.uniform(0.5, 2, v.shape).astype(v.dtype)
    for name, m in model.named_modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            sd[f"{name}.weight"] = rng.uniform(0.5, 1.5, m.weight.shape).astype(m.weight.dtype)
            sd[f"{name}.bias"] = rng.normal(0, 0.3, m.bias.shape).astype(m.bias.dtype)
    model.load_state_dict(sd)
    return model


def zoo_model(name, dtype, seed=0, **over):
    kw = {**ZOO[name], **over}
    return randomize_norms(models.get(name, seed=seed, dtype=dtype, **kw),
                           np.random.default_rng(seed + 100))


def real_images(n=16):
    """n CIFAR-10 training images, two per class from the first n // 2 classes, standardized."""
    from PIL import Image
    classes = sorted(p.name for p in CIFAR.iterdir())[: n // 2]
    images = [np.asarray(Image.open(CIFAR / c / f"{i:04d}.jpg").convert("RGB"))
              for c in classes for i in range(2)]
    x = np.stack(images).transpose(0, 3, 1, 2).astype(np.float64) / 255
    x = (x - x.mean(axis=(0, 2, 3), keepdims=True)) / x.std(axis=(0, 2, 3), keepdims=True)
    return x, np.repeat(np.arange(len(classes)), 2)


def random_images(rng, n=8):
    return rng.standard_normal((n, 3, 32, 32)), rng.integers(0, 10, n)


def tensor(x, dtype):
    return torch.from_numpy(np.ascontiguousarray(x, dtype=dtype))


def logits_err(a, b):
    """max |a - b|, relative to the largest |logit| when that exceeds 1."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
    return float(np.abs(a - b).max() / max(1.0, np.abs(b).max()))


def torch_logits(module, x, dtype):
    with torch.no_grad():
        return module(tensor(x, dtype)).numpy()


def check_zoo_both_ways(name, dtype, x):
    # convnp -> torch
    model = zoo_model(name, dtype).eval()
    tm = to_torch(model)
    assert not tm.training
    err = logits_err(torch_logits(tm, x, dtype), model(x.astype(dtype)))
    assert err < TOL[dtype], f"{name} to_torch: logits differ by {err:.3e}"
    # torch -> convnp: weights that torch itself drew (its default init, from a torch seed)
    torch.manual_seed(1)
    for m in tm.modules():
        if hasattr(m, "reset_parameters") and not isinstance(m, (TNN.BatchNorm1d,
                                                                 TNN.BatchNorm2d)):
            m.reset_parameters()
    back = from_torch(tm)
    assert not back.training
    err = logits_err(back(x.astype(dtype)), torch_logits(tm, x, dtype))
    assert err < TOL[dtype], f"{name} from_torch: logits differ by {err:.3e}"


def check_classifier_both_ways(name, dtype, x, y):
    clf = make_classifier(name, dtype, np.random.default_rng(3))
    if name == "FC-batchnorm":
        for _ in range(2):  # running statistics in bn_params, used by the eval-mode pass
            clf.loss(x.astype(dtype), y)
    tm = to_torch(clf).eval()
    expected = clf.loss(x)
    err = logits_err(torch_logits(tm, x, dtype), expected)
    assert err < TOL[dtype], f"{name} to_torch: logits differ by {err:.3e}"
    back = from_torch(tm)
    err = logits_err(back.eval()(x.astype(dtype)), expected)
    assert err < TOL[dtype], f"{name} from_torch(to_torch): logits differ by {err:.3e}"


# -- logits ------------------------------------------------------------------------------------

@pytest.mark.skipif(not CIFAR.is_dir(),
                    reason=f"real-data test: CIFAR-10 images not found at {CIFAR}")
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("name", list(ZOO))
def test_zoo_logits_real_images(name, dtype):
    check_zoo_both_ways(name, dtype, real_images()[0])


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("name", list(ZOO))
def test_zoo_logits_random_images(name, dtype, rng):
    check_zoo_both_ways(name, dtype, random_images(rng)[0])


@pytest.mark.skipif(not CIFAR.is_dir(),
                    reason=f"real-data test: CIFAR-10 images not found at {CIFAR}")
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classifier_logits_real_images(name, dtype):
    check_classifier_both_ways(name, dtype, *real_images())


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classifier_logits_random_images(name, dtype, rng):
    check_classifier_both_ways(name, dtype, *random_images(rng))


# -- one training step -------------------------------------------------------------------------

def grad_err(a, b):
    """max |a - b| relative to max |b|."""
    return float(np.abs(a - b).max() / np.abs(b).max())


def check_grad(a, b, what):
    """Relative error below 1e-9; a bias that feeds a batch norm has a true gradient of zero,
    where both libraries return rounding noise (~1e-16): both must then be below 1e-12."""
    if np.abs(b).max() < 1e-12:
        assert np.abs(a).max() < 1e-12, f"{what}: torch's is 0 but convnp's is {a}"
    else:
        err = grad_err(a, b)
        assert err < 1e-9, f"{what}: relative error {err:.3e}"


def torch_step(tm, x, y):
    tm.train()
    loss = F.cross_entropy(tm(tensor(x, np.float64)), torch.from_numpy(np.asarray(y)))
    loss.backward()
    return loss.item()


@pytest.mark.parametrize("name", list(ZOO))
def test_zoo_training_step_gradients(name, rng):
    x, y = random_images(rng)
    over = {"dropout_keep": 1.0} if name == "deep_cnn" else {}  # masks come from two RNGs
    model = zoo_model(name, np.float64, **over).train()
    tm = to_torch(model)
    loss, grads = model.loss(x, y)
    t_loss = torch_step(tm, x, y)
    assert abs(loss - t_loss) < 1e-9 * abs(t_loss)
    t_params = dict(tm.named_parameters())
    assert list(grads) == list(t_params)
    for k, g in grads.items():
        check_grad(g, t_params[k].grad.numpy(), f"{name} d{k}")
    # Both update the running statistics with PyTorch's rule (unbiased variance, momentum 0.1).
    t_state = tm.state_dict()
    for k, v in model.state_dict().items():
        if "running" in k:
            err = grad_err(v, t_state[k].numpy())
            assert err < 1e-9, f"{name} {k}: relative error {err:.3e}"


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classifier_training_step_gradients(name, rng):
    x, y = random_images(rng)
    clf = make_classifier(name, np.float64, np.random.default_rng(4))
    if getattr(clf, "use_dropout", False):  # masks come from two RNGs: compare without them
        clf = FullyConnectedNet([20, 15], normalization=clf.normalization, weight_scale=5e-2,
                                dtype=np.float64, rng=np.random.default_rng(4))
    tm = to_torch(clf)
    assert tm.training  # a fresh classifier is in its training state
    loss, grads = clf.loss(x, y)
    t_loss = torch_step(tm, x, y)
    assert abs(loss - t_loss) < 1e-9 * abs(t_loss)
    t_params = dict(tm.named_parameters())
    keys = classifier_keys(clf)
    assert sorted(keys.values()) == sorted(t_params)
    for k, g in grads.items():
        t_grad = t_params[keys[k]].grad.numpy()
        if k.startswith("W") and g.ndim == 2:
            t_grad = t_grad.T  # course (D, M) vs torch Linear (M, D)
        check_grad(g, t_grad, f"{name} d{k}")
    if name == "FC-batchnorm":  # the course's momentum 0.9 is torch's 0.1: same running mean
        t_state = tm.state_dict()
        for i, bn_param in enumerate(clf.bn_params, start=1):
            prefix = keys[f"gamma{i}"].split(".")[0]
            t_mean = t_state[f"{prefix}.running_mean"].numpy()
            assert grad_err(bn_param["running_mean"], t_mean) < 1e-9


# -- round trips, modes, dtypes ----------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("name", list(ZOO))
def test_round_trip_is_bit_exact(name, dtype):
    model = zoo_model(name, dtype)
    model.train(False)
    model[0].train()  # mixed modes survive too
    tm = to_torch(model)
    sd = model.state_dict()
    t_sd = tm.state_dict()
    assert list(t_sd) == list(sd)
    for k, v in sd.items():
        assert t_sd[k].numpy().dtype == v.dtype and np.array_equal(t_sd[k].numpy(), v), k
    back = from_torch(tm)
    b_sd = back.state_dict()
    assert list(b_sd) == list(sd)
    for k, v in sd.items():
        assert b_sd[k].dtype == v.dtype and np.array_equal(b_sd[k], v), k
    assert repr(back) == repr(model)
    modes = [m.training for m in model.modules()]
    assert [m.training for m in tm.modules()] == modes
    assert [m.training for m in back.modules()] == modes


def test_to_torch_maps_hyperparameters_exactly():
    model = nn.Sequential(nn.Linear(6, 4, rng=np.random.default_rng(0)),
                          nn.BatchNorm1d(4, eps=1e-3, momentum=0.25), nn.Dropout(0.8),
                          nn.LeakyReLU(0.2), nn.GELU("tanh"), nn.Flatten(0, -1))
    tm = to_torch(model)
    assert (tm[1].eps, tm[1].momentum) == (1e-3, 0.25)
    assert tm[2].p == 0.2 and tm[3].negative_slope == 0.2 and tm[4].approximate == "tanh"
    assert (tm[5].start_dim, tm[5].end_dim) == (0, -1)
    back = from_torch(tm)
    assert back[2].p == 0.8 and (back[1].eps, back[1].momentum) == (1e-3, 0.25)
    fc = FullyConnectedNet([5], input_dim=6, normalization="batchnorm", dropout_keep_ratio=0.9)
    assert to_torch(fc)[2].momentum == 0.1 and to_torch(fc)[4].p == 0.1


def test_to_torch_keeps_torch_rng_untouched():
    state = torch.random.get_rng_state()
    to_torch(zoo_model("resnet", np.float32))
    to_torch(make_classifier("FC-batchnorm", np.float32, np.random.default_rng(0)))
    assert torch.equal(torch.random.get_rng_state(), state)


def test_classifier_mode_follows_last_loss_call(rng):
    clf = make_classifier("FC-batchnorm", np.float32, rng)
    x, y = random_images(rng, 4)
    clf.loss(x, y)
    assert to_torch(clf).training
    clf.loss(x)
    assert not to_torch(clf).training


def test_from_torch_native_modules_and_dtype():
    torch.manual_seed(0)
    tm = TNN.Sequential(
        TNN.Conv2d(3, 4, 3, padding="valid"), TNN.BatchNorm2d(4), TNN.ReLU(inplace=True),
        Residual(TNN.Sequential(TNN.Conv2d(4, 4, 3, padding=1, bias=False), TNN.Tanh())),
        TNN.AvgPool2d(2), TNN.MaxPool2d(2, stride=1), TNN.Sigmoid(),
        TNN.Sequential(TNN.AdaptiveAvgPool2d(1), TNN.Flatten()), TNN.Dropout(0.5),
        TNN.Linear(4, 3)).eval()
    x = np.random.default_rng(0).standard_normal((2, 3, 12, 12))
    model = from_torch(tm)
    assert isinstance(model[7][0], nn.GlobalAvgPool2d) and model.state_dict()["0.weight"].dtype \
        == np.float32
    assert logits_err(model(x.astype(np.float32)), torch_logits(tm, x, np.float32)) < 1e-5
    model64 = from_torch(tm, dtype=np.float64)
    assert all(v.dtype == np.float64 for k, v in model64.state_dict().items()
               if "num_batches" not in k)
    assert logits_err(model64(x), torch_logits(tm.double(), x, np.float64)) < 1e-10
    assert isinstance(from_torch(TNN.Sequential(GlobalAvgPool2d()))[0], nn.GlobalAvgPool2d)
    assert from_torch(TNN.Sequential(TNN.ReLU())).training


def test_importing_convnp_does_not_import_torch():
    code = ("import sys, convnp, convnp.models, convnp.nn, convnp.classifiers, convnp.interop, "
            "convnp.io; assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# -- errors ------------------------------------------------------------------------------------

class NotAConvnpLayer(nn.ReLU):
    pass


class TorchBlockWithWeight(TNN.Module):
    def __init__(self):
        super().__init__()
        self.block = TNN.ReLU()
        self.projection = None
        self.scale = TNN.Parameter(torch.ones(1))


def test_to_torch_errors():
    with pytest.raises(TypeError, match=r"to_torch: model must be a convnp.nn.Module .* got "
                                        r"builtins.dict"):
        to_torch({})
    model = nn.Sequential(nn.ReLU(), nn.Sequential(nn.Tanh(), NotAConvnpLayer()))
    with pytest.raises(TypeError, match=r"to_torch: unsupported module "
                                        r"tests.parity.test_interop_torch.NotAConvnpLayer "
                                        r"at '1.1'"):
        to_torch(model)
    with pytest.raises(TypeError, match="classifier_keys: model must be .* got builtins.int"):
        classifier_keys(3)


@pytest.mark.parametrize("layer, match", [
    (TNN.ConvTranspose2d(2, 2, 3), r"unsupported layer torch.nn.modules.conv.ConvTranspose2d "
                                   r"at '1.0'"),
    (TNN.Softmax(dim=1), r"unsupported layer torch.nn.modules.activation.Softmax at '1.0'"),
    (TNN.Identity(), r"unsupported layer torch.nn.modules.linear.Identity at '1.0'"),
    (TorchBlockWithWeight(), r"unsupported layer .*TorchBlockWithWeight at '1.0'"),
])
def test_from_torch_refuses_unsupported_types(layer, match):
    with pytest.raises(TypeError, match=f"from_torch: {match}"):
        from_torch(TNN.Sequential(TNN.ReLU(), TNN.Sequential(layer)))


@pytest.mark.parametrize("layer, match", [
    (TNN.Conv2d(2, 2, 3, groups=2), "Conv2d at '0' has groups=2"),
    (TNN.Conv2d(2, 2, 3, dilation=2), r"has dilation=\(2, 2\)"),
    (TNN.Conv2d(2, 2, 3, padding=1, padding_mode="reflect"), "has padding_mode='reflect'"),
    (TNN.Conv2d(2, 2, 3, padding="same"), "has padding='same'"),
    (TNN.Conv2d(2, 2, 3, stride=(1, 2)), "cannot be built in convnp: Conv2d: stride"),
    (TNN.MaxPool2d(2, ceil_mode=True), "has ceil_mode=True"),
    (TNN.MaxPool2d(3, padding=1), "has padding=1"),
    (TNN.AvgPool2d(2, divisor_override=3), "has divisor_override=3"),
    (TNN.BatchNorm2d(2, affine=False), "has affine=False"),
    (TNN.BatchNorm1d(2, track_running_stats=False), "has track_running_stats=False"),
    (TNN.AdaptiveAvgPool2d(2), "has output_size=2"),
    (TNN.AdaptiveAvgPool2d(1), r"must be directly followed by Flatten\(\).* got nothing"),
    (TNN.Dropout(1.0), "has p=1.0, which drops every unit"),
])
def test_from_torch_refuses_unsupported_settings(layer, match):
    with pytest.raises(ValueError, match=f"from_torch: torch.nn.modules.*{match}"):
        from_torch(TNN.Sequential(layer))


def test_from_torch_wrong_inputs():
    with pytest.raises(TypeError, match="from_torch: module must be a torch.nn.Sequential; got "
                                        "convnp.nn.container.Sequential"):
        from_torch(nn.Sequential())
    with pytest.raises(TypeError, match=r"must be a torch.nn.Sequential \(wrap .*\); got "
                                        r"torch.nn.modules.linear.Linear"):
        from_torch(TNN.Linear(2, 2))
    with pytest.raises(ValueError, match=r"from_torch: module mixes floating-point dtypes "
                                         r"\['torch.float32', 'torch.float64'\]"):
        from_torch(TNN.Sequential(TNN.Linear(2, 2), TNN.Linear(2, 2).double()))
    with pytest.raises(ValueError, match="from_torch: module has dtype torch.float16; .* pass "
                                         "dtype="):
        from_torch(TNN.Sequential(TNN.Linear(2, 2).half()))
    assert from_torch(TNN.Sequential(TNN.Linear(2, 2).half()), dtype=np.float32)[0].weight.dtype \
        == np.float32
    with pytest.raises(TypeError, match="from_torch: dtype must be a floating-point type"):
        from_torch(TNN.Sequential(TNN.Linear(2, 2)), dtype=np.int32)
    with pytest.raises(TypeError, match="from_torch: rng must be a numpy.random.Generator"):
        from_torch(TNN.Sequential(TNN.Linear(2, 2)), rng=0)
    with pytest.raises(ValueError, match="from_torch: module has tensors on the meta device"):
        from_torch(TNN.Sequential(TNN.Linear(2, 2, device="meta")))


def test_a_residual_shaped_module_with_its_own_forward_is_refused():
    class ReluResidual(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.block, self.projection = torch.nn.Linear(3, 3), None

        def forward(self, x):
            return torch.relu(self.block(x) + x)

    with pytest.raises(TypeError, match="ReluResidual has residual children .* its own forward"):
        from_torch(torch.nn.Sequential(ReluResidual()))
