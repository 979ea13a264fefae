from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import convnp.cli
from convnp import classifiers, io, models, nn
from convnp.cli import filters
from convnp.data.datasets import Dataset
from convnp.layers import conv_forward_naive

# The kernels as the study notes write them, typed in again: KERNELS is checked against these.
NOTES_KERNELS = {
    "mean": np.full((3, 3), 1 / 9),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "laplace": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "horizontal_edge": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
}


@pytest.fixture
def main(monkeypatch):
    """convnp.cli.main with only this subcommand registered, so the tests do not depend on the
    other subcommands' modules importing."""
    monkeypatch.setattr(convnp.cli, "COMMANDS", {"filters": filters})
    return convnp.cli.main


def correlate_reference(channel: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """out[i, j] = sum_uv kernel[u, v] * x[i + u - 1, j + v - 1], zeros outside: plain loops."""
    H, W = channel.shape
    out = np.zeros((H, W))
    for i in range(H):
        for j in range(W):
            for u in range(3):
                for v in range(3):
                    ii, jj = i + u - 1, j + v - 1
                    if 0 <= ii < H and 0 <= jj < W:
                        out[i, j] += kernel[u, v] * float(channel[ii, jj])
    return out


def write_image(path, array, mode=None) -> str:
    Image.fromarray(array, mode=mode).save(path)
    return str(path)


def test_kernels_are_the_notes_kernels():
    assert list(filters.KERNELS) == list(NOTES_KERNELS)
    for name, k in NOTES_KERNELS.items():
        np.testing.assert_array_equal(filters.KERNELS[name], k, err_msg=name)
    with pytest.raises(ValueError):
        filters.KERNELS["mean"][0, 0] = 1.0  # read-only


@pytest.mark.parametrize("shape", [(1, 1), (1, 6), (5, 1), (4, 7), (6, 5, 1), (3, 4, 3),
                                   (5, 6, 4)])
def test_apply_kernels_matches_a_loop_reference(shape, rng):
    image = rng.integers(0, 256, shape).astype(np.uint8)
    results = filters.apply_kernels(image)
    assert list(results) == list(NOTES_KERNELS)
    channels = image[:, :, None] if image.ndim == 2 else image
    for name, k in NOTES_KERNELS.items():
        got = results[name]
        assert got.shape == image.shape and got.dtype == np.float64
        want = np.stack([correlate_reference(channels[:, :, c], k)
                         for c in range(channels.shape[2])], axis=-1).reshape(image.shape)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9, err_msg=name)


def test_apply_kernels_on_a_constant_image():
    c = 200
    results = filters.apply_kernels(np.full((6, 7, 3), c, dtype=np.uint8))
    inner = (slice(1, -1), slice(1, -1))
    np.testing.assert_allclose(results["mean"][inner], c, atol=1e-9)
    np.testing.assert_allclose(results["sharpen"][inner], c, atol=1e-9)
    np.testing.assert_allclose(results["laplace"][inner], 0, atol=1e-9)
    np.testing.assert_allclose(results["horizontal_edge"][inner], 0, atol=1e-9)
    # A corner sees 4 of the 9 pixels; the rest is zero padding.
    np.testing.assert_allclose(results["mean"][0, 0], 4 * c / 9, atol=1e-9)
    # The top row's Sobel: the row below (weights 1 + 2 + 1) minus the zeros above.
    np.testing.assert_allclose(results["horizontal_edge"][0, 3], 4 * c, atol=1e-9)


def test_apply_kernels_on_a_single_bright_pixel():
    v = 10.0
    image = np.zeros((5, 5), dtype=np.uint8)
    image[2, 2] = v
    r = filters.apply_kernels(image)
    neighbours = [(1, 2), (3, 2), (2, 1), (2, 3)]
    diagonals = [(1, 1), (1, 3), (3, 1), (3, 3)]
    assert r["sharpen"][2, 2] == pytest.approx(5 * v)
    assert [r["sharpen"][p] for p in neighbours] == pytest.approx([-v] * 4)
    assert [r["sharpen"][p] for p in diagonals] == pytest.approx([0] * 4, abs=1e-12)
    assert r["laplace"][2, 2] == pytest.approx(-4 * v)
    assert [r["laplace"][p] for p in neighbours] == pytest.approx([v] * 4)
    np.testing.assert_allclose(r["mean"][1:4, 1:4], v / 9)
    assert r["mean"][0, 0] == pytest.approx(0, abs=1e-12)
    # Cross-correlation: the row above the pixel sees it through the kernel's bottom row.
    np.testing.assert_allclose(r["horizontal_edge"][1, 1:4], [v, 2 * v, v])
    np.testing.assert_allclose(r["horizontal_edge"][3, 1:4], [-v, -2 * v, -v])
    np.testing.assert_allclose(r["horizontal_edge"][2], 0, atol=1e-12)


def test_horizontal_edge_of_a_vertical_ramp():
    step = 3
    image = (np.arange(8)[:, None] * step * np.ones((1, 6))).astype(np.uint8)
    r = filters.apply_kernels(image)
    # (row below - row above) = 2 * step, weighted 1 + 2 + 1 across.
    np.testing.assert_allclose(r["horizontal_edge"][1:-1, 1:-1], 8 * step, atol=1e-9)
    np.testing.assert_allclose(r["laplace"][1:-1, 1:-1], 0, atol=1e-9)


@pytest.mark.parametrize("image, error, match", [
    (np.zeros((2, 2, 2, 2), np.uint8), ValueError, r"shape \(H, W, C\) or .*\(2, 2, 2, 2\)"),
    (np.zeros((0, 3), np.uint8), ValueError, r"sizes >= 1; got \(0, 3\)"),
    (np.zeros((3, 3), bool), TypeError, "real numbers.*bool"),
    (np.array([["a"]]), TypeError, "real numbers"),
])
def test_apply_kernels_errors(image, error, match):
    with pytest.raises(error, match="^apply_kernels: image .*" + match):
        filters.apply_kernels(image)


def test_demo_writes_a_non_blank_png(main, tmp_path, capsys, rng):
    image = rng.integers(0, 256, (24, 32, 3)).astype(np.uint8)
    img = write_image(tmp_path / "in.png", image)
    out = tmp_path / "figs"
    assert main(["filters", img, "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines() == [str(out / "kernels.png")]
    with Image.open(out / "kernels.png") as im:
        assert im.format == "PNG"
        pixels = np.asarray(im.convert("RGB"))
    # Five panels side by side: much wider than high, and more than one colour.
    assert pixels.shape[1] > 3 * pixels.shape[0]
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 100


@pytest.mark.parametrize("mode", ["L", "P", "RGBA", "1"])
def test_demo_reads_other_modes_into_the_current_folder(main, tmp_path, monkeypatch, capsys,
                                                        rng, mode):
    image = Image.fromarray(rng.integers(0, 256, (10, 12, 3)).astype(np.uint8)).convert(mode)
    image.save(tmp_path / "in.png")
    monkeypatch.chdir(tmp_path)
    assert main(["filters", "in.png"]) == 0
    assert capsys.readouterr().out.splitlines() == ["kernels.png"]
    with Image.open(tmp_path / "kernels.png") as im:
        assert im.format == "PNG" and im.size[0] > im.size[1]


def test_read_image_channels_and_max_size(tmp_path, rng):
    rgb = rng.integers(0, 256, (200, 300, 3)).astype(np.uint8)
    path = write_image(tmp_path / "big.png", rgb)
    assert filters.read_image(path).shape == (200, 300, 3)
    np.testing.assert_array_equal(filters.read_image(path), rgb)
    assert filters.read_image(path, max_size=64).shape == (43, 64, 3)  # 200 * 64 / 300 = 42.7
    grey = write_image(tmp_path / "grey.png", rgb[:, :, 0])
    np.testing.assert_array_equal(filters.read_image(grey), rgb[:, :, :1])
    deep = write_image(tmp_path / "deep.png", np.array([[0, 257 * 100, 65535]], np.uint16))
    np.testing.assert_array_equal(filters.read_image(deep)[..., 0], [[0, 100, 255]])


def test_missing_image_is_a_usage_error(main, tmp_path, capsys):
    missing = tmp_path / "nothere.png"
    with pytest.raises(SystemExit) as exc:
        main(["filters", str(missing)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(missing) in err[0] and "no such image file" in err[0]


def test_unreadable_image_is_a_usage_error(main, tmp_path, capsys):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(SystemExit) as exc:
        main(["filters", str(bad), "--out", str(tmp_path)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"cannot read image {bad}" in err[0]
    assert not (tmp_path / "kernels.png").exists()


def test_out_that_is_a_file_is_a_usage_error(main, tmp_path, capsys):
    img = write_image(tmp_path / "in.png", np.zeros((4, 4), np.uint8))
    (tmp_path / "taken").write_text("")
    with pytest.raises(SystemExit) as exc:
        main(["filters", img, "--out", str(tmp_path / "taken")])
    assert exc.value.code == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_help_has_an_example(main, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["filters", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "convnp filters cat.jpg --model runs/" in out and "--max-size" in out


def test_filters_is_a_registered_command():
    assert convnp.cli.COMMANDS["filters"] == "convnp.cli.filters"


def vgg(widths, size=16, seed=0):
    return models.get("vgg", widths=widths, in_channels=3, input_size=size, seed=seed)


def test_activation_stages_of_vgg(rng):
    model = vgg((8, 16))
    x = rng.standard_normal((1, 3, 16, 16)).astype(np.float32)
    stages = filters.activation_stages(model, x)
    assert [label for label, _ in stages] == ["0 Conv2d -> 2 ReLU", "3 Conv2d -> 5 ReLU",
                                              "7 Conv2d -> 9 ReLU", "10 Conv2d -> 12 ReLU"]
    assert [a.shape for _, a in stages] == [(1, 8, 16, 16)] * 2 + [(1, 16, 8, 8)] * 2
    # Stage 0 by hand: naive conv, a fresh batch norm in eval mode (mean 0, variance 1), relu.
    conv = model[0]
    want, _ = conv_forward_naive(x.astype(np.float64), conv.weight.astype(np.float64),
                                 conv.bias.astype(np.float64), {"stride": 1, "pad": 1})
    want = np.maximum(want / np.sqrt(1 + model[1].eps), 0)
    np.testing.assert_allclose(stages[0][1], want, rtol=1e-5, atol=1e-5)
    # The last stage, run through the rest of the model, gives the model's scores.
    np.testing.assert_allclose(model[13:](stages[-1][1]), model(x), rtol=1e-6)


def test_activation_stages_of_a_conv_without_relu_and_of_resnet_blocks(rng):
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    deep = models.get("deep_cnn", widths=(4, 4, 4, 4), hidden_dim=8, input_size=8, seed=0)
    stages = filters.activation_stages(deep, x)
    assert [label for label, _ in stages][-2:] == ["8 Conv2d -> 10 ReLU", "11 Conv2d"]
    np.testing.assert_array_equal(stages[-1][1], deep[11](stages[-2][1]))
    assert (stages[-1][1] < 0).any()  # no relu after the last conv
    res = models.get("resnet", depth=8, width=4, input_size=8, seed=0)
    stages = filters.activation_stages(res, x)
    assert [(label, a.shape) for label, a in stages] == [
        ("0 Conv2d -> 2 ReLU", (1, 4, 8, 8)), ("3 Sequential", (1, 4, 8, 8)),
        ("4 Sequential", (1, 8, 4, 4)), ("5 Sequential", (1, 16, 2, 2))]


def test_course_classifier_has_one_stage(rng):
    net = classifiers.ThreeLayerConvNet(input_dim=(3, 8, 8), num_filters=4, filter_size=3,
                                        hidden_dim=5, dtype=np.float64, rng=rng)
    net.params["b1"] = rng.standard_normal(4)
    x = rng.standard_normal((1, 3, 8, 8))
    assert filters.first_conv_weight(net)[0] == "W1"
    [(label, a)] = filters.activation_stages(net, x)
    want, _ = conv_forward_naive(x, net.params["W1"], net.params["b1"], {"stride": 1, "pad": 1})
    np.testing.assert_allclose(a, np.maximum(want, 0), rtol=1e-10, atol=1e-12)


def test_model_without_conv_is_refused():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(12, 2, rng=np.random.default_rng(0)))
    with pytest.raises(TypeError, match="first_conv_weight: Sequential has no convolution"):
        filters.model_figures(mlp, np.zeros((1, 3, 2, 2), np.float32), ".")


def test_model_figures_writes_pngs_that_grow(tmp_path, rng):
    x = rng.standard_normal((1, 3, 16, 16)).astype(np.float32)
    sizes = {}
    for widths in ((4,), (16,), (8, 8)):
        out = tmp_path / "-".join(map(str, widths))
        paths = filters.model_figures(vgg(widths), x, out)
        assert paths == [out / "filters.png", out / "activations.png"]
        for p in paths:
            with Image.open(p) as im:
                assert im.format == "PNG"
                assert np.asarray(im.convert("L")).std() > 0
                sizes[widths, p.name] = im.size
    w4, h4 = sizes[(4,), "filters.png"]
    w16, h16 = sizes[(16,), "filters.png"]
    assert w16 > w4 and h16 > h4  # 16 filters on a 4x4 grid, 4 on 2x2
    assert sizes[(8, 8), "activations.png"][1] > sizes[(4,), "activations.png"][1]  # 4 rows > 2


@pytest.mark.parametrize("bad", [np.zeros((2, 3, 16, 16)), np.zeros((3, 16, 16))])
def test_model_figures_wants_one_image(tmp_path, bad):
    with pytest.raises(ValueError, match=r"model_figures: image_nchw must be one image"):
        filters.model_figures(vgg((4,)), bad, tmp_path)


def test_plot_activations_errors(tmp_path):
    with pytest.raises(ValueError, match="plot_activations: stages must hold at least one"):
        filters.plot_activations([], tmp_path / "a.png")
    with pytest.raises(ValueError, match=r"stage 'x' must be of shape \(N, C, H, W\)"):
        filters.plot_activations([("x", np.zeros((2, 3)))], tmp_path / "a.png")


def dataset(C=3, size=16):
    return Dataset(name="test", image_shape=(size, size, C), classes=("a", "b"),
                   mean=(120.0,) * C, std=(60.0,) * C)


def test_model_input_standardises_without_a_saved_preprocess(rng):
    images = rng.integers(0, 256, (1, 16, 16, 3)).astype(np.uint8)
    loaded = io.LoadedModel(vgg((4,)), dataset())
    x = filters.model_input(images, loaded)
    assert x.dtype == np.float32 and x.shape == (1, 3, 16, 16)
    np.testing.assert_allclose(x[0, 2], (images[0, :, :, 2] - 120.0) / 60.0, rtol=1e-6)
    loaded.preprocess = lambda X: np.full((1, 3, 16, 16), 7.0)
    np.testing.assert_array_equal(filters.model_input(images, loaded), 7.0)


def save_run(folder: Path, **kw) -> Path:
    folder.mkdir()
    model = models.get("vgg", widths=(8, 16), in_channels=3, input_size=16, num_classes=2,
                       seed=0)
    io.save(model, folder / "model.npz", **kw)
    return folder


def test_model_run_writes_into_the_run_folder(main, tmp_path, capsys, rng):
    run = save_run(tmp_path / "run", dataset=dataset())
    img = write_image(tmp_path / "cat.png", rng.integers(0, 256, (40, 30, 3)).astype(np.uint8))
    assert main(["filters", img, "--model", str(run)]) == 0
    assert capsys.readouterr().out.splitlines() == [str(run / "filters.png"),
                                                    str(run / "activations.png")]
    out = tmp_path / "elsewhere"
    assert main(["filters", img, "--model", str(run / "model.npz"), "--out", str(out),
                 "--max-channels", "4"]) == 0
    assert capsys.readouterr().out.splitlines() == [str(out / "filters.png"),
                                                    str(out / "activations.png")]
    with Image.open(out / "activations.png") as few, Image.open(run / "activations.png") as all_:
        assert few.size[0] < all_.size[0]  # 4 maps a row instead of 16


def test_model_run_errors(main, tmp_path, capsys):
    img = write_image(tmp_path / "in.png", np.zeros((4, 4), np.uint8))
    with pytest.raises(SystemExit) as exc:
        main(["filters", img, "--model", str(tmp_path / "norun")])
    assert exc.value.code == 2
    assert str(tmp_path / "norun") in capsys.readouterr().err
    bare = save_run(tmp_path / "bare")
    with pytest.raises(SystemExit) as exc:
        main(["filters", img, "--model", str(bare)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "has no dataset description" in err[0]
    run = save_run(tmp_path / "run", dataset=dataset())
    with pytest.raises(SystemExit) as exc:
        main(["filters", str(tmp_path / "nothere.png"), "--model", str(run)])
    assert exc.value.code == 2
    assert f"no such image file: {tmp_path / 'nothere.png'}" in capsys.readouterr().err
