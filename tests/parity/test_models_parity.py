"""PyTorch parity (float64) for convnp.models: each zoo model against the same torch.nn network.

The torch twin of each model is written out here layer by layer; the convnp state_dict is
loaded into it with torch's strict load_state_dict (same keys, same shapes, no renaming). Then
logits (eval and train mode), the cross-entropy loss, every parameter gradient and batch
norm's running statistics after three training steps must agree to 1e-8.

A bias that feeds a batch norm (in training mode; directly, or through Flatten, max pools and
Linear layers, as deep_cnn's last conv) has a true gradient of zero; both libraries
return rounding noise (~1e-17) there, so those gradients are checked to be zero to 1e-12
absolute instead of compared.
"""

import numpy as np
import pytest

from convnp import models
from tests.helpers import assert_close
from tests.parity.torch_helpers import np_, t, torch

F = torch.nn.functional
TNN = torch.nn
F64 = np.float64
TOL = 1e-8


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


# -- the torch twins -------------------------------------------------------------------------

def torch_three_layer(num_filters=32, filter_size=7, hidden_dim=100, *, in_channels=3,
                      num_classes=10, input_size=32):
    flat = num_filters * (input_size // 2) ** 2
    return TNN.Sequential(
        TNN.Conv2d(in_channels, num_filters, filter_size, padding=(filter_size - 1) // 2),
        TNN.ReLU(), TNN.MaxPool2d(2), TNN.Flatten(), TNN.Linear(flat, hidden_dim), TNN.ReLU(),
        TNN.Linear(hidden_dim, num_classes))


def torch_notes_cnn(*, in_channels=3, num_classes=10, input_size=32):
    layers = []
    for c_in, c_out, k, p in ((in_channels, 16, 3, 1), (16, 32, 3, 1), (32, 64, 3, 1),
                              (64, 64, 2, 0)):
        layers += [TNN.Conv2d(c_in, c_out, k, stride=2, padding=p), TNN.BatchNorm2d(c_out),
                   TNN.ReLU()]
    layers.append(TNN.Flatten())
    with torch.no_grad():  # let torch find the flattened size itself
        flat = TNN.Sequential(*layers)(torch.zeros(2, in_channels, input_size,
                                                   input_size)).shape[1]
    layers += [TNN.Linear(flat, 100), TNN.ReLU(), TNN.Linear(100, num_classes)]
    return TNN.Sequential(*layers)


def torch_deep_cnn(widths=(32, 64, 128, 128), hidden_dim=256, dropout_keep=0.5, *,
                   in_channels=3, num_classes=10, input_size=32):
    w = widths
    layers = []
    for c_in, c_out in ((in_channels, w[0]), (w[0], w[1])):
        layers += [TNN.Conv2d(c_in, c_out, 3, padding=1), TNN.BatchNorm2d(c_out), TNN.ReLU(),
                   TNN.MaxPool2d(2)]
    layers += [TNN.Conv2d(w[1], w[2], 3, padding=1), TNN.BatchNorm2d(w[2]), TNN.ReLU(),
               TNN.Conv2d(w[2], w[3], 3, padding=1), TNN.Flatten()]
    d = w[3] * (input_size // 4) ** 2
    for _ in range(2):
        layers += [TNN.Linear(d, hidden_dim), TNN.BatchNorm1d(hidden_dim),
                   TNN.Dropout(1 - dropout_keep), TNN.ReLU()]
        d = hidden_dim
    layers.append(TNN.Linear(d, num_classes))
    return TNN.Sequential(*layers)


def torch_vgg(widths=(32, 64, 128), *, in_channels=3, num_classes=10, input_size=32):
    layers, c_in = [], in_channels
    for c_out in widths:
        for _ in range(2):
            layers += [TNN.Conv2d(c_in, c_out, 3, padding=1), TNN.BatchNorm2d(c_out), TNN.ReLU()]
            c_in = c_out
        layers.append(TNN.MaxPool2d(2))
    s = input_size // 2 ** len(widths)
    layers += [TNN.Flatten(), TNN.Linear(widths[-1] * s * s, num_classes)]
    return TNN.Sequential(*layers)


def torch_basic_block(c_in, c_out, stride):
    block = TNN.Sequential(
        TNN.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False), TNN.BatchNorm2d(c_out),
        TNN.ReLU(), TNN.Conv2d(c_out, c_out, 3, padding=1, bias=False), TNN.BatchNorm2d(c_out))
    projection = None
    if stride != 1 or c_in != c_out:
        projection = TNN.Sequential(TNN.Conv2d(c_in, c_out, 1, stride=stride, bias=False),
                                    TNN.BatchNorm2d(c_out))
    return TNN.Sequential(TorchResidual(block, projection), TNN.ReLU())


def torch_resnet(depth=20, width=16, *, in_channels=3, num_classes=10, input_size=32):
    n = (depth - 2) // 6
    layers = [TNN.Conv2d(in_channels, width, 3, padding=1, bias=False), TNN.BatchNorm2d(width),
              TNN.ReLU()]
    c_in = width
    for stage, c_out in enumerate((width, 2 * width, 4 * width)):
        for i in range(n):
            layers.append(torch_basic_block(c_in, c_out, 2 if stage and i == 0 else 1))
            c_in = c_out
    layers += [TorchGlobalAvgPool(), TNN.Linear(c_in, num_classes)]
    return TNN.Sequential(*layers)


def torch_airbench(widths=(64, 256, 256), *, bn_momentum=0.4, in_channels=3, num_classes=10,
                   input_size=32):
    layers = [TNN.Conv2d(in_channels, 2 * in_channels * 4, 2), TNN.GELU()]
    c_in, s = 2 * in_channels * 4, input_size - 1
    for c_out in widths:
        layers += [TNN.Conv2d(c_in, c_out, 3, padding=1, bias=False), TNN.MaxPool2d(2),
                   TNN.BatchNorm2d(c_out, eps=1e-12, momentum=bn_momentum), TNN.GELU(),
                   TNN.Conv2d(c_out, c_out, 3, padding=1, bias=False),
                   TNN.BatchNorm2d(c_out, eps=1e-12, momentum=bn_momentum), TNN.GELU()]
        c_in, s = c_out, s // 2
    layers += [TNN.MaxPool2d(s), TNN.Flatten(), TNN.Linear(c_in, num_classes, bias=False)]
    return TNN.Sequential(*layers)


TWINS = {"three_layer": torch_three_layer, "notes_cnn": torch_notes_cnn,
         "deep_cnn": torch_deep_cnn, "vgg": torch_vgg, "resnet": torch_resnet,
         "airbench": torch_airbench}

# id: (model name, kwargs, batch size); small sizes, odd ones where the model allows them
CASES = {
    "three_layer": ("three_layer", dict(num_filters=4, filter_size=3, hidden_dim=6,
                                        input_size=8), 3),
    "three_layer_c1_7x7_odd": ("three_layer", dict(num_filters=3, hidden_dim=5, in_channels=1,
                                                   input_size=7, num_classes=4), 2),
    "notes_cnn_32": ("notes_cnn", dict(input_size=32), 4),
    "notes_cnn_c1_odd": ("notes_cnn", dict(in_channels=1, input_size=13, num_classes=5), 3),
    "deep_cnn": ("deep_cnn", dict(widths=(3, 4, 5, 4), hidden_dim=6, input_size=8), 4),
    "deep_cnn_c1_odd": ("deep_cnn", dict(widths=(2, 3, 3, 2), hidden_dim=5, in_channels=1,
                                         input_size=9, num_classes=3), 3),
    "vgg": ("vgg", dict(widths=(3, 5), input_size=8), 3),
    "vgg_c1": ("vgg", dict(widths=(2, 3, 4), in_channels=1, input_size=8, num_classes=4), 2),
    "resnet8": ("resnet", dict(depth=8, width=3, input_size=8), 3),
    "resnet14_c1_odd": ("resnet", dict(depth=14, width=2, in_channels=1, input_size=7,
                                       num_classes=4), 2),
    "airbench": ("airbench", dict(widths=(3, 5), input_size=12), 4),
    "airbench_c1_odd": ("airbench", dict(widths=(2, 3, 4), in_channels=1, input_size=17,
                                         num_classes=3, bn_momentum=0.9), 3),
}


def pair(name, kw, dropout_keep=None):
    """(convnp model, its torch twin holding the same float64 weights), both in train mode."""
    kw = dict(kw)
    if dropout_keep is not None:
        kw["dropout_keep"] = dropout_keep
    ours = models.get(name, seed=0, dtype=F64, **kw)
    theirs = TWINS[name](**kw).double()
    sd = ours.state_dict()
    assert list(sd) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in sd.items()},
                           strict=True)
    return ours, theirs


def bn_fed_biases(theirs):
    """Names of the biases whose layer feeds a batch norm through nothing but Flatten, max
    pools and Linear layers: a constant the batch norm subtracts again (true gradient 0)."""
    names = []
    for prefix, m in theirs.named_modules():
        if isinstance(m, TNN.Sequential):
            kids = list(m.named_children())
            for i, (name, a) in enumerate(kids):
                if getattr(a, "bias", None) is None:
                    continue
                for _, b in kids[i + 1:]:
                    if isinstance(b, (TNN.BatchNorm1d, TNN.BatchNorm2d)):
                        names.append(f"{prefix}.{name}.bias" if prefix else f"{name}.bias")
                    if not isinstance(b, (TNN.Flatten, TNN.MaxPool2d, TNN.Linear)):
                        break
    return names


def denoise(a, b, floor=1e-13):
    """Entries that are rounding noise in both (a true zero, e.g. a channel whose shift a later
    batch norm removes) set to 0 in both, so rel_error's 1e-8 floor does not judge noise."""
    noise = (np.abs(a) < floor) & (np.abs(b) < floor)
    return np.where(noise, 0.0, a), np.where(noise, 0.0, b)


def data(rng, name, kw, N):
    C, S = kw.get("in_channels", 3), kw.get("input_size", 32)
    X = 2 * rng.standard_normal((N, C, S, S)) + 0.5
    y = rng.integers(0, kw.get("num_classes", 10), N)
    return X, y


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_logits_eval_and_train(rng, case):
    name, kw, N = case
    ours, theirs = pair(name, kw)
    # Random running statistics, so eval mode is not batch norm's identity.
    sd = ours.state_dict()
    for k, v in sd.items():
        if k.endswith("running_mean"):
            sd[k] = rng.standard_normal(v.shape)
        elif k.endswith("running_var"):
            sd[k] = rng.uniform(0.5, 2, v.shape)
    ours.load_state_dict(sd)
    theirs.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in sd.items()})
    X, _ = data(rng, name, kw, N)
    scores = ours.loss(X)  # no labels: eval mode
    assert scores.shape == (N, kw.get("num_classes", 10))
    with torch.no_grad():
        assert_close(scores, np_(theirs.eval()(t(X, grad=False))), TOL, "eval logits")
    if name == "deep_cnn":  # dropout masks differ between the libraries: train without them
        ours, theirs = pair(name, kw, dropout_keep=1.0)
    ours.train()
    with torch.no_grad():
        assert_close(ours(X), np_(theirs.train()(t(X, grad=False))), TOL, "train logits")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_loss_grads_and_running_stats_over_three_steps(rng, case):
    name, kw, N = case
    ours, theirs = pair(name, kw, dropout_keep=1.0 if name == "deep_cnn" else None)
    theirs.train()
    for step in range(3):
        X, y = data(rng, name, kw, N)
        loss, grads = ours.loss(X, y)
        theirs.zero_grad()
        tloss = F.cross_entropy(theirs(t(X, grad=False)), torch.from_numpy(y))
        tloss.backward()
        assert_close(loss, tloss.item(), TOL, f"step {step} loss")
        torch_grads = {k: np_(p.grad) for k, p in theirs.named_parameters()}
        assert list(grads) == list(torch_grads)
        zero = bn_fed_biases(theirs)
        if name in ("notes_cnn", "vgg", "deep_cnn"):
            assert zero
        for k, g in torch_grads.items():
            if k in zero:
                assert np.abs(grads[k]).max() < 1e-12 and np.abs(g).max() < 1e-12, k
            else:
                assert_close(*denoise(grads[k], g), TOL, f"step {step} d{k}")
    ours_sd = ours.state_dict()
    buffers = [k for k in ours_sd if "running" in k or "num_batches" in k]
    if name != "three_layer":
        assert buffers
    for k, v in theirs.state_dict().items():
        assert_close(ours_sd[k], v.numpy(), TOL, k)
    assert all(int(ours_sd[k]) == 3 for k in ours_sd if k.endswith("num_batches_tracked"))


def test_resnet20_parameter_count_matches_torch():
    ours = models.resnet(20, seed=0)
    theirs = torch_resnet(20)
    count = sum(p.numel() for p in theirs.parameters())
    assert ours.num_parameters() == count == 272_474
    assert list(ours.state_dict()) == list(theirs.state_dict())
