"""PyTorch parity (float64) for convnp.nn: every module, composed models, state_dicts, batch
norm's running statistics, GELU and the label-smoothed cross-entropy.

Each convnp module's state_dict is loaded into its torch counterpart with torch's own
load_state_dict (strict: same keys and shapes, no renaming); then outputs, dx and every
parameter gradient must agree to 1e-8 in train and in eval mode.
"""

import numpy as np
import pytest

from convnp import nn
from tests.helpers import assert_close
from tests.parity.torch_helpers import backward, np_, t, torch

F = torch.nn.functional
TNN = torch.nn
F64 = np.float64
TOL = 1e-8


def _rng(seed=0):
    return np.random.default_rng(seed)


class TorchResidual(TNN.Module):
    """torch's side of convnp.nn.Residual: attributes named block and projection."""

    def __init__(self, block, projection=None):
        super().__init__()
        self.block = block
        self.projection = projection

    def forward(self, x):
        return self.block(x) + (x if self.projection is None else self.projection(x))


class TorchGlobalAvgPool(TNN.Module):
    def forward(self, x):
        return x.mean(dim=(2, 3))


def to_torch(state_dict):
    return {k: torch.from_numpy(np.array(v)) for k, v in state_dict.items()}


def randomize(module, rng):
    """Random parameters and running statistics, so nothing is trivially equal."""
    sd = module.state_dict()
    for k, v in sd.items():
        if k.endswith("running_var"):
            sd[k] = rng.uniform(0.5, 2, v.shape)
        elif k.endswith("num_batches_tracked"):
            sd[k] = np.array(3)
        else:
            sd[k] = rng.standard_normal(v.shape)
    module.load_state_dict(sd)
    return module


def load_into_torch(ours, theirs):
    """Load our state_dict into the torch module strictly; the key lists must be identical."""
    sd = ours.state_dict()
    assert list(sd) == list(theirs.state_dict())
    for k, v in theirs.state_dict().items():
        assert tuple(v.shape) == sd[k].shape, k
    theirs.load_state_dict(to_torch(sd), strict=True)


def compare_pass(ours, theirs, x, rng, training):
    """One forward and backward in both libraries; compare out, dx, grads and state after."""
    ours.train(training)
    theirs.train(training)
    out = ours(x)
    dout = rng.standard_normal(out.shape)
    dx = ours.backward(dout)
    tx = t(x)
    tout = theirs(tx)
    backward(tout, dout)
    assert_close(out, np_(tout), TOL, "out")
    assert_close(dx, np_(tx.grad), TOL, "dx")
    torch_grads = {k: np_(p.grad) for k, p in theirs.named_parameters()}
    assert list(torch_grads) == list(ours.grads)
    for k, g in torch_grads.items():
        assert_close(ours.grads[k], g, TOL, f"d{k}")
    for k, v in theirs.state_dict().items():
        assert_close(ours.state_dict()[k], v.numpy(), TOL, k)
    theirs.zero_grad()


# name: (convnp factory, torch factory, input shape)
MODULES = {
    "linear": (lambda: nn.Linear(5, 4, rng=_rng(), dtype=F64), lambda: TNN.Linear(5, 4),
               (3, 5)),
    "linear_3d_no_bias": (lambda: nn.Linear(5, 4, bias=False, rng=_rng(), dtype=F64),
                          lambda: TNN.Linear(5, 4, bias=False), (2, 3, 5)),
    "conv_3x3_pad1": (lambda: nn.Conv2d(3, 4, 3, padding=1, rng=_rng(), dtype=F64),
                      lambda: TNN.Conv2d(3, 4, 3, padding=1), (2, 3, 6, 5)),
    "conv_stride2_rounds_down": (
        lambda: nn.Conv2d(2, 3, 3, stride=2, padding=1, rng=_rng(), dtype=F64),
        lambda: TNN.Conv2d(2, 3, 3, stride=2, padding=1), (2, 2, 8, 7)),
    "conv_rect_stride3": (lambda: nn.Conv2d(2, 3, (3, 2), stride=3, rng=_rng(), dtype=F64),
                          lambda: TNN.Conv2d(2, 3, (3, 2), stride=3), (1, 2, 8, 7)),
    "conv_1x1_no_bias": (lambda: nn.Conv2d(3, 2, 1, stride=2, bias=False, rng=_rng(),
                                           dtype=F64),
                         lambda: TNN.Conv2d(3, 2, 1, stride=2, bias=False), (2, 3, 5, 5)),
    "conv_c1_5x5": (lambda: nn.Conv2d(1, 2, 5, padding=2, rng=_rng(), dtype=F64),
                    lambda: TNN.Conv2d(1, 2, 5, padding=2), (1, 1, 7, 7)),
    "conv_winograd_sized": (lambda: nn.Conv2d(16, 16, 3, padding=1, rng=_rng(), dtype=F64),
                            lambda: TNN.Conv2d(16, 16, 3, padding=1), (2, 16, 12, 12)),
    "maxpool_2_odd": (lambda: nn.MaxPool2d(2), lambda: TNN.MaxPool2d(2), (2, 3, 5, 7)),
    "maxpool_3_stride2": (lambda: nn.MaxPool2d(3, stride=2), lambda: TNN.MaxPool2d(3, stride=2),
                          (2, 2, 8, 7)),
    "maxpool_rect": (lambda: nn.MaxPool2d((2, 3), stride=1),
                     lambda: TNN.MaxPool2d((2, 3), stride=1), (1, 2, 4, 5)),
    "avgpool_2_odd": (lambda: nn.AvgPool2d(2), lambda: TNN.AvgPool2d(2), (2, 3, 5, 7)),
    "avgpool_3_stride2": (lambda: nn.AvgPool2d(3, 2), lambda: TNN.AvgPool2d(3, 2),
                          (2, 2, 8, 7)),
    "global_avg_pool": (lambda: nn.GlobalAvgPool2d(), lambda: TorchGlobalAvgPool(),
                        (2, 3, 4, 5)),
    "batchnorm1d": (lambda: nn.BatchNorm1d(4, dtype=F64), lambda: TNN.BatchNorm1d(4), (6, 4)),
    "batchnorm1d_ncl": (lambda: nn.BatchNorm1d(3, momentum=0.3, dtype=F64),
                        lambda: TNN.BatchNorm1d(3, momentum=0.3), (2, 3, 5)),
    "batchnorm2d": (lambda: nn.BatchNorm2d(3, dtype=F64), lambda: TNN.BatchNorm2d(3),
                    (2, 3, 4, 5)),
    "batchnorm2d_eps_momentum_none": (
        lambda: nn.BatchNorm2d(2, eps=1e-3, momentum=None, dtype=F64),
        lambda: TNN.BatchNorm2d(2, eps=1e-3, momentum=None), (1, 2, 3, 3)),
    "layernorm": (lambda: nn.LayerNorm(5, dtype=F64), lambda: TNN.LayerNorm(5), (3, 5)),
    "layernorm_2d": (lambda: nn.LayerNorm((3, 4), eps=1e-3, dtype=F64),
                     lambda: TNN.LayerNorm((3, 4), eps=1e-3), (2, 2, 3, 4)),
    "groupnorm": (lambda: nn.GroupNorm(2, 6, dtype=F64), lambda: TNN.GroupNorm(2, 6),
                  (2, 6, 3, 3)),
    "groupnorm_3d": (lambda: nn.GroupNorm(4, 4, dtype=F64), lambda: TNN.GroupNorm(4, 4),
                     (3, 4, 5)),
    "relu": (lambda: nn.ReLU(), lambda: TNN.ReLU(), (3, 4, 2)),
    "leaky_relu": (lambda: nn.LeakyReLU(0.2), lambda: TNN.LeakyReLU(0.2), (3, 5)),
    "sigmoid": (lambda: nn.Sigmoid(), lambda: TNN.Sigmoid(), (3, 5)),
    "tanh": (lambda: nn.Tanh(), lambda: TNN.Tanh(), (3, 5)),
    "gelu": (lambda: nn.GELU(), lambda: TNN.GELU(), (4, 6)),
    "gelu_tanh": (lambda: nn.GELU("tanh"), lambda: TNN.GELU(approximate="tanh"), (4, 6)),
    "flatten": (lambda: nn.Flatten(), lambda: TNN.Flatten(), (2, 3, 4, 5)),
    "flatten_1_2": (lambda: nn.Flatten(1, 2), lambda: TNN.Flatten(1, 2), (2, 3, 4, 5)),
}


def cnn_pair():
    """Every layer kind; no bias feeds a batch norm, directly or through maxima and flattening
    (batch norm zeroes such a bias's gradient, leaving only rounding to compare)."""
    rng = _rng(1)
    ours = nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False, rng=rng, dtype=F64),
        nn.BatchNorm2d(8, dtype=F64), nn.ReLU(),
        nn.Conv2d(8, 8, 3, padding=1, rng=rng, dtype=F64), nn.LeakyReLU(0.1),
        nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.7, rng=rng),
        nn.Linear(8 * 2 * 2, 16, rng=rng, dtype=F64), nn.GELU(), nn.BatchNorm1d(16, dtype=F64),
        nn.Linear(16, 10, rng=rng, dtype=F64))
    theirs = TNN.Sequential(
        TNN.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), TNN.BatchNorm2d(8), TNN.ReLU(),
        TNN.Conv2d(8, 8, 3, padding=1), TNN.LeakyReLU(0.1), TNN.MaxPool2d(2), TNN.Flatten(),
        TNN.Dropout(0.3), TNN.Linear(32, 16), TNN.GELU(), TNN.BatchNorm1d(16),
        TNN.Linear(16, 10))
    return ours, theirs


def resnet_pair():
    rng = _rng(2)

    def block(cin, cout, stride):
        return nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False, rng=rng, dtype=F64),
            nn.BatchNorm2d(cout, dtype=F64), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False, rng=rng, dtype=F64),
            nn.BatchNorm2d(cout, dtype=F64))

    def torch_block(cin, cout, stride):
        return TNN.Sequential(
            TNN.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), TNN.BatchNorm2d(cout),
            TNN.ReLU(), TNN.Conv2d(cout, cout, 3, padding=1, bias=False), TNN.BatchNorm2d(cout))

    ours = nn.Sequential(
        nn.Residual(block(4, 4, 1)), nn.ReLU(),
        nn.Residual(block(4, 6, 2), nn.Sequential(
            nn.Conv2d(4, 6, 1, stride=2, bias=False, rng=rng, dtype=F64),
            nn.BatchNorm2d(6, dtype=F64))),
        nn.ReLU(), nn.GroupNorm(3, 6, dtype=F64), nn.Tanh(), nn.GlobalAvgPool2d(),
        nn.LayerNorm(6, dtype=F64), nn.Linear(6, 5, rng=rng, dtype=F64))
    theirs = TNN.Sequential(
        TorchResidual(torch_block(4, 4, 1)), TNN.ReLU(),
        TorchResidual(torch_block(4, 6, 2), TNN.Sequential(
            TNN.Conv2d(4, 6, 1, stride=2, bias=False), TNN.BatchNorm2d(6))),
        TNN.ReLU(), TNN.GroupNorm(3, 6), TNN.Tanh(), TorchGlobalAvgPool(), TNN.LayerNorm(6),
        TNN.Linear(6, 5))
    return ours, theirs


MODELS = {"cnn": (cnn_pair, (4, 3, 9, 9)), "resnet": (resnet_pair, (3, 4, 7, 7))}


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("case", MODULES.values(), ids=MODULES.keys())
def test_module_parity(rng, case, training):
    ours_factory, torch_factory, x_shape = case
    ours, theirs = randomize(ours_factory(), rng), torch_factory().double()
    load_into_torch(ours, theirs)
    x = 2 * rng.standard_normal(x_shape) + 0.5
    compare_pass(ours, theirs, x, rng, training)


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("case", MODELS.values(), ids=MODELS.keys())
def test_model_parity_over_several_steps(rng, case, training):
    pair, x_shape = case
    ours, theirs = pair()
    theirs.double()
    if training:
        # Dropout draws different masks in the two libraries: in train mode keep every unit.
        for m in ours.modules():
            if isinstance(m, nn.Dropout):
                m.p = 1.0
        theirs.apply(lambda m: setattr(m, "p", 0.0) if isinstance(m, TNN.Dropout) else None)
    load_into_torch(ours, theirs)
    for _ in range(3):
        compare_pass(ours, theirs, rng.standard_normal(x_shape), rng, training)


def test_torch_state_dict_loads_into_convnp(rng):
    ours, theirs = resnet_pair()
    theirs.double().train()
    x = rng.standard_normal((3, 4, 7, 7))
    theirs(t(x))  # moves torch's running statistics and num_batches_tracked
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    assert int(ours[0].block[1].num_batches_tracked) == 1
    theirs.eval()
    assert_close(ours.eval()(x), np_(theirs(t(x))), TOL, "out")


@pytest.mark.parametrize("momentum", [0.1, 0.5, None])
@pytest.mark.parametrize("ours_factory, torch_factory, x_shape", [
    (nn.BatchNorm1d, TNN.BatchNorm1d, (8, 3)),
    (nn.BatchNorm1d, TNN.BatchNorm1d, (4, 3, 5)),
    (nn.BatchNorm2d, TNN.BatchNorm2d, (2, 3, 4, 5)),
    (nn.BatchNorm2d, TNN.BatchNorm2d, (1, 3, 2, 1)),
], ids=["1d", "1d_ncl", "2d", "2d_m2"])
def test_batchnorm_running_statistics_after_several_steps(rng, momentum, ours_factory,
                                                          torch_factory, x_shape):
    ours = ours_factory(3, momentum=momentum, dtype=F64)
    theirs = torch_factory(3, momentum=momentum).double()
    for step in range(6):
        x = 3 * rng.standard_normal(x_shape) + step
        ours(x)
        theirs(t(x, grad=False))
    for k, v in theirs.state_dict().items():
        assert_close(ours.state_dict()[k], v.numpy(), 1e-12, k)
    assert int(ours.num_batches_tracked) == 6
    # ... and eval mode uses them, as torch's does.
    x = rng.standard_normal(x_shape)
    theirs.eval()
    assert_close(ours.eval()(x), np_(theirs(t(x, grad=False))), TOL, "eval out")


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_on_a_wide_grid(approximate):
    x = np.linspace(-12, 12, 4801)
    gelu = nn.GELU(approximate)
    out = gelu(x)
    dout = np.linspace(-1, 1, x.size)
    dx = gelu.backward(dout)
    tx = t(x)
    tout = F.gelu(tx, approximate=approximate)
    backward(tout, dout)
    # torch forms 1 + erf(x / sqrt(2)), which cancels for x << 0 (GELU(-8) ~ -5e-15 then has
    # an absolute error ~1e-16): compare to rounding of 1, scaled by |x|, not relative to GELU.
    np.testing.assert_allclose(out, np_(tout), rtol=1e-13, atol=4e-16 * 12)
    np.testing.assert_allclose(dx, np_(tx.grad), rtol=1e-13, atol=4e-16 * 12)
    assert np.all(np.abs(out) <= np.abs(x))


def test_dropout_scaling_matches_torch_with_keep_probability(rng):
    x = rng.standard_normal((50, 40))
    keep = 0.8
    ours = nn.Dropout(keep, rng=rng)(x)
    torch.manual_seed(0)
    theirs = np_(TNN.Dropout(1 - keep)(t(x, grad=False)))
    for out in (ours, theirs):
        kept = out != 0
        assert abs(kept.mean() - keep) < 0.03
        np.testing.assert_allclose(out[kept], x[kept] / keep, rtol=1e-15)
    assert np.array_equal(nn.Dropout(keep).eval()(x), np_(TNN.Dropout(1 - keep).eval()(t(x))))


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.5, 1.0])
@pytest.mark.parametrize("N, C", [(6, 5), (1, 3), (4, 1)])
def test_cross_entropy_with_label_smoothing(rng, label_smoothing, N, C):
    scores = 3 * rng.standard_normal((N, C))
    y = rng.integers(0, C, N)
    loss, dscores = nn.cross_entropy(scores, y, label_smoothing)
    ts = t(scores)
    tloss = F.cross_entropy(ts, torch.from_numpy(y), label_smoothing=label_smoothing)
    tloss.backward()
    assert_close(loss, tloss.item(), 1e-12, "loss")
    assert_close(dscores, np_(ts.grad), 1e-10, "dscores")


@pytest.mark.parametrize("reg, label_smoothing", [(0.0, 0.0), (0.05, 0.1)])
def test_module_loss_matches_torch(rng, reg, label_smoothing):
    """Module.loss: train-mode cross-entropy (with smoothing) + 0.5 * reg * sum of the Linear and
    Conv2d weights squared, and every gradient of it, as torch computes them."""
    ours, theirs = resnet_pair()
    ours.reg, ours.label_smoothing = reg, label_smoothing
    theirs.double()
    load_into_torch(ours, theirs)
    x = rng.standard_normal((4, 4, 7, 7))
    y = np.array([0, 4, 2, 2])
    loss, grads = ours.loss(x, y)
    theirs.train()
    tloss = F.cross_entropy(theirs(t(x, grad=False)), torch.from_numpy(y),
                            label_smoothing=label_smoothing)
    weights = [p for k, p in theirs.named_parameters() if k.endswith("weight") and p.ndim in (2, 4)]
    tloss = tloss + 0.5 * reg * sum((w * w).sum() for w in weights)
    tloss.backward()
    assert_close(loss, tloss.item(), 1e-12, "loss")
    for k, p in theirs.named_parameters():
        assert_close(grads[k], np_(p.grad), TOL, f"d{k}")
    for k, v in theirs.state_dict().items():
        assert_close(ours.state_dict()[k], v.numpy(), TOL, k)
    # Without labels: eval-mode scores.
    theirs.eval()
    assert_close(ours.loss(x), np_(theirs(t(x, grad=False))), TOL, "scores")
