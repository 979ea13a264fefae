"""convnp.cli.plots: metrics.jsonl parsing and every plot, checked as decoded PNGs."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from convnp.cli import plots
from tests.cli.runfolder_fixture import ITERATIONS_PER_EPOCH, make_run_folder


def _png(path):
    """The decoded pixels of a PNG file; fails unless it is a valid, non-blank PNG."""
    with Image.open(path) as im:
        assert im.format == "PNG", path
        im.verify()
    with Image.open(path) as im:
        pixels = np.asarray(im.convert("RGB"), dtype=np.float64)
    assert pixels.shape[0] > 0 and pixels.shape[1] > 0, path
    assert pixels.std() > 0, f"{path} is blank"
    return pixels


@pytest.fixture
def run(tmp_path, rng):
    return make_run_folder(tmp_path / "run", rng)


# -- read_metrics ----------------------------------------------------------------------------

def _write_lines(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


RECORDS = [{"type": "step", "epoch": 1, "iteration": 10, "loss": 0.5, "lr": 0.001, "time": 1.0},
           {"type": "epoch", "epoch": 1, "iteration": 21, "loss": 0.4, "train_acc": 0.9,
            "val_acc": 0.8, "lr": 0.001, "time": 2.0, "images_per_s": 1000.0},
           {"type": "test", "split": "test", "accuracy": 0.75, "classes": ["café", "b"]}]


def test_read_metrics_returns_every_record_in_order(tmp_path):
    path = tmp_path / "metrics.jsonl"
    _write_lines(path, RECORDS)
    assert plots.read_metrics(path) == RECORDS


def test_read_metrics_of_a_run_folder_matches_json_per_line(run):
    lines = (run / "metrics.jsonl").read_text().splitlines()
    assert plots.read_metrics(run / "metrics.jsonl") == [json.loads(line) for line in lines]


def test_read_metrics_ignores_blank_lines(tmp_path):
    path = tmp_path / "metrics.jsonl"
    path.write_text(json.dumps(RECORDS[0]) + "\n\n" + json.dumps(RECORDS[1]) + "\n\n")
    assert plots.read_metrics(path) == RECORDS[:2]


@pytest.mark.parametrize("cut", ["after 1 byte", "after 7 bytes", "before the closing brace",
                                 "inside a UTF-8 character"])
def test_read_metrics_skips_a_truncated_last_line(tmp_path, cut):
    path = tmp_path / "metrics.jsonl"
    full = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS).encode("utf-8")
    last_start = full.rstrip(b"\n").rfind(b"\n") + 1
    end = {"after 1 byte": last_start + 1, "after 7 bytes": last_start + 7,
           "before the closing brace": len(full) - 2,
           # between the two bytes of the "é" of "café": not even decodable text
           "inside a UTF-8 character": full.rfind("é".encode()) + 1}[cut]
    assert last_start < end < len(full)
    path.write_bytes(full[:end])
    assert plots.read_metrics(path) == RECORDS[:2]


def test_read_metrics_raises_on_a_corrupt_line_in_the_middle(tmp_path):
    path = tmp_path / "metrics.jsonl"
    lines = [json.dumps(r) for r in RECORDS]
    lines[1] = lines[1][:15]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"metrics\.jsonl: line 2 is not a JSON object"):
        plots.read_metrics(path)


def test_read_metrics_raises_on_a_middle_line_that_is_not_an_object(tmp_path):
    path = tmp_path / "metrics.jsonl"
    path.write_text(json.dumps(RECORDS[0]) + "\n[1, 2]\n" + json.dumps(RECORDS[1]) + "\n")
    with pytest.raises(ValueError, match=r"line 2 is not a JSON object \(expected a JSON "
                                         r"object, got list\)"):
        plots.read_metrics(path)


def test_read_metrics_of_a_missing_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        plots.read_metrics(tmp_path / "nope.jsonl")


# -- plot_curves -----------------------------------------------------------------------------

def test_plot_curves_writes_loss_accuracy_and_lr(run, tmp_path):
    out = tmp_path / "plots"
    written = plots.plot_curves(plots.read_metrics(run / "metrics.jsonl"), out)
    assert written == [out / "loss.png", out / "accuracy.png", out / "lr.png"]
    for path in written:
        _png(path)
    assert sorted(p.name for p in out.iterdir()) == ["accuracy.png", "loss.png", "lr.png"]


def test_plot_curves_without_epochs_skips_the_accuracy_plot(run, tmp_path):
    steps = [r for r in plots.read_metrics(run / "metrics.jsonl") if r["type"] == "step"]
    assert len(steps) > 2
    written = plots.plot_curves(steps, tmp_path)
    assert [p.name for p in written] == ["loss.png", "lr.png"]
    assert not (tmp_path / "accuracy.png").exists()
    for path in written:
        _png(path)


def test_plot_curves_without_steps_draws_epoch_means(run, tmp_path):
    epochs = [r for r in plots.read_metrics(run / "metrics.jsonl") if r["type"] == "epoch"]
    written = plots.plot_curves(epochs, tmp_path)
    assert [p.name for p in written] == ["loss.png", "accuracy.png", "lr.png"]


def test_plot_curves_of_an_empty_run_writes_nothing(tmp_path):
    assert plots.plot_curves([], tmp_path / "empty") == []
    assert list((tmp_path / "empty").iterdir()) == []


def test_plot_curves_tolerates_missing_values(tmp_path):
    # An epoch whose loss is None (no step recorded) and a step without lr still plot.
    records = [{"type": "step", "epoch": 1, "iteration": 2, "loss": 1.0, "lr": None},
               {"type": "step", "epoch": 1, "iteration": 4, "loss": 0.8, "lr": None},
               {"type": "epoch", "epoch": 1, "iteration": ITERATIONS_PER_EPOCH, "loss": None,
                "train_acc": 0.5, "val_acc": None, "lr": None}]
    written = plots.plot_curves(records, tmp_path)
    assert [p.name for p in written] == ["loss.png", "accuracy.png"]


def test_plot_curves_wants_records_not_a_path(run, tmp_path):
    with pytest.raises(TypeError, match="plot_curves: records must be a list of dicts"):
        plots.plot_curves(run / "metrics.jsonl", tmp_path)
    with pytest.raises(TypeError, match=r"records\[1\] is a str"):
        plots.plot_curves([{}, "step"], tmp_path)


# -- plot_confusion --------------------------------------------------------------------------

def test_plot_confusion_writes_a_png(tmp_path):
    conf = np.array([[5, 1, 0], [2, 7, 1], [0, 0, 0]])  # an empty row: no division by zero
    path = plots.plot_confusion(conf, ["a", "b", "c"], tmp_path / "confusion.png")
    assert path == tmp_path / "confusion.png"
    _png(path)


def test_plot_confusion_draws_class_names_as_text_not_mathtext(tmp_path):
    # "$\frac{" is an unfinished mathtext formula: parsed as math it would raise.
    names = ["$\\frac{1$", "a$b$c", "<script>alert(1)</script>"]
    _png(plots.plot_confusion(np.eye(3, dtype=int), names, tmp_path / "c.png"))


def test_plot_confusion_grows_with_the_number_of_classes(tmp_path):
    small = _png(plots.plot_confusion(np.eye(3, dtype=int), list("abc"), tmp_path / "3.png"))
    big = _png(plots.plot_confusion(np.eye(10, dtype=int), list("abcdefghij"),
                                    tmp_path / "10.png"))
    assert big.shape[0] > small.shape[0] and big.shape[1] > small.shape[1]


@pytest.mark.parametrize("conf, classes, match", [
    (np.ones((2, 3), int), ["a", "b"], r"shape \(K, K\), K >= 1; got \(2, 3\)"),
    (np.ones((2, 2), int), ["a", "b", "c"], "expected 2 class names; got 3"),
    (-np.ones((2, 2), int), ["a", "b"], "counts >= 0"),
])
def test_plot_confusion_rejects_bad_input(tmp_path, conf, classes, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_confusion(conf, classes, tmp_path / "c.png")


# -- plot_filters ----------------------------------------------------------------------------

def _grid_size(n, tile, gap=4):
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    return rows * (tile + gap) + gap, cols * (tile + gap) + gap


@pytest.mark.parametrize("F, expected_grid", [(1, (1, 1)), (4, (2, 2)), (5, (2, 3)),
                                              (10, (3, 4)), (64, (8, 8)), (100, (8, 8))])
def test_plot_filters_lays_out_a_grid_for_F_filters(tmp_path, rng, F, expected_grid):
    w = rng.standard_normal((F, 3, 3, 3))
    with Image.open(plots.plot_filters(w, tmp_path / "f.png")) as im:
        size = im.size
    rows, cols = expected_grid
    tile = 48  # 3x3 filters are enlarged 16 times
    assert size == (cols * (tile + 4) + 4, rows * (tile + 4) + 4)
    assert (size[1], size[0]) == _grid_size(min(F, 64), tile)


def test_plot_filters_grows_with_F_and_honours_max_filters(tmp_path, rng):
    w = rng.standard_normal((30, 1, 5, 5))
    sizes = []
    for F in (1, 2, 5, 10, 30):
        with Image.open(plots.plot_filters(w[:F], tmp_path / f"{F}.png")) as im:
            sizes.append(im.size[0] * im.size[1])
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    with Image.open(plots.plot_filters(w, tmp_path / "cap.png", max_filters=4)) as capped, \
            Image.open(tmp_path / "5.png") as five:
        assert capped.size == (2 * (50 + 4) + 4,) * 2 and capped.size < five.size


def test_plot_filters_scales_each_rgb_filter_to_the_full_range(tmp_path):
    # Filter 0: channel c of pixel (i, j) = 9c + 3i + j, so its min is 0 and max 26; filter 1
    # is filter 0 times 100 plus 7: after min-max scaling the two tiles are identical.
    base = np.arange(27, dtype=np.float64).reshape(1, 3, 3, 3)
    w = np.concatenate([base, 100 * base + 7])
    pixels = np.asarray(Image.open(plots.plot_filters(w, tmp_path / "f.png")))
    assert pixels.ndim == 3 and pixels.shape[2] == 3
    zoom, gap = 16, 4
    for k in range(2):
        x0 = gap + k * (3 * zoom + gap)
        for i in range(3):
            for j in range(3):
                expected = [round(255 * (9 * c + 3 * i + j) / 26) for c in range(3)]
                block = pixels[gap + i * zoom:gap + (i + 1) * zoom,
                               x0 + j * zoom:x0 + (j + 1) * zoom]
                assert (block == expected).all(), (k, i, j, block[0, 0], expected)
    assert (pixels[:gap] == 255).all() and (pixels[:, :gap] == 255).all()


def test_plot_filters_draws_the_first_channel_in_grey_unless_rgb(tmp_path, rng):
    w = rng.standard_normal((2, 4, 3, 3))
    w[:, 0] = np.arange(9).reshape(3, 3)
    with Image.open(plots.plot_filters(w, tmp_path / "f.png")) as im:
        assert im.mode == "L"
        pixels = np.asarray(im)
    assert pixels[4, 4] == 0 and pixels[4 + 2 * 16, 4 + 2 * 16] == 255
    assert pixels[4 + 16, 4] == round(255 * 3 / 8)


def test_plot_filters_draws_a_constant_filter_black(tmp_path):
    pixels = np.asarray(Image.open(plots.plot_filters(np.full((1, 1, 2, 2), 0.3),
                                                      tmp_path / "f.png")))
    assert (pixels[4:-4, 4:-4] == 0).all() and pixels[0, 0] == 255


@pytest.mark.parametrize("weights, kwargs, match", [
    (np.zeros((3, 3, 3)), {}, r"\(F, C, HH, WW\) with F, C >= 1; got \(3, 3, 3\)"),
    (np.zeros((0, 3, 3, 3)), {}, r"got \(0, 3, 3, 3\)"),
    (np.zeros((2, 3, 3, 3)), {"max_filters": 0}, "max_filters must be an int >= 1; got 0"),
    (np.zeros((2, 3, 3, 3), dtype=complex), {}, "real numbers; got dtype complex128"),
])
def test_plot_filters_rejects_bad_input(tmp_path, weights, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_filters(weights, tmp_path / "f.png", **kwargs)
    assert not (tmp_path / "f.png").exists()


# -- plot_predictions ------------------------------------------------------------------------

def test_plot_predictions_of_grey_8x8_digits(tmp_path, rng):
    images = rng.integers(0, 17, (6, 8, 8, 1), dtype=np.uint8)
    labels = np.array([0, 1, 2, 3, 4, 5])
    preds = np.array([0, 1, 2, 9, 9, 9])
    path = plots.plot_predictions(images, labels, preds, rng.random(6), [str(i) for i in range(10)],
                                  tmp_path / "p.png", title="best and worst", max_value=16)
    _png(path)


def test_plot_predictions_of_rgb_images_grows_with_N(tmp_path, rng):
    classes = ["airplane", "automobile", "a very long folder name indeed"]
    sizes = []
    for N in (1, 8, 16):
        images = rng.integers(0, 256, (N, 32, 32, 3), dtype=np.uint8)
        labels = rng.integers(0, 3, N)
        pixels = _png(plots.plot_predictions(images, labels, labels, rng.random(N), classes,
                                             tmp_path / f"{N}.png"))
        sizes.append(pixels.shape[:2])
    assert sizes[0][1] < sizes[1][1] and sizes[1][0] < sizes[2][0]


@pytest.mark.parametrize("change, match", [
    ({"images": np.zeros((2, 8, 8, 1))}, "images must be uint8; got float64"),
    ({"images": np.zeros((2, 8, 8, 2), np.uint8)}, r"C 1 or 3; got \(2, 8, 8, 2\)"),
    ({"images": np.zeros((0, 8, 8, 1), np.uint8), "labels": np.zeros(0, int),
      "preds": np.zeros(0, int), "probs": np.zeros(0)}, "N >= 1"),
    ({"labels": np.array([0, 1, 2])}, r"labels must be of shape \(2,\) like images"),
    ({"preds": np.array([0, 3])}, r"preds must be integer class indices in \[0, 3\); "
                                  r"got \[0, 3\]"),
    ({"labels": np.array([0.0, 1.0])}, "labels must be integer class indices"),
])
def test_plot_predictions_rejects_bad_input(tmp_path, change, match):
    args = {"images": np.zeros((2, 8, 8, 1), np.uint8), "labels": np.array([0, 1]),
            "preds": np.array([0, 2]), "probs": np.array([0.9, 0.8])}
    args.update(change)
    with pytest.raises(ValueError, match=match):
        plots.plot_predictions(args["images"], args["labels"], args["preds"], args["probs"],
                               ["a", "b", "c"], tmp_path / "p.png")


# -- plot_per_class, save_figure ---------------------------------------------------------------

def test_plot_per_class_with_an_absent_class(tmp_path):
    _png(plots.plot_per_class([0.9, None, 0.25], ["a", "b", "c"], tmp_path / "pc.png"))


def test_plot_per_class_rejects_bad_input(tmp_path):
    with pytest.raises(ValueError, match=r"accuracies must be in \[0, 1\]; got \[0.5, 1.5\]"):
        plots.plot_per_class([0.5, 1.5], ["a", "b"], tmp_path / "pc.png")
    with pytest.raises(ValueError, match="expected 2 class names; got 1"):
        plots.plot_per_class([0.5, 0.5], ["a"], tmp_path / "pc.png")
    with pytest.raises(TypeError, match="classes must be a list of names; got str"):
        plots.plot_per_class([0.5, 0.5], "ab", tmp_path / "pc.png")


def test_save_figure_replaces_the_file_and_leaves_no_temporary(tmp_path):
    from matplotlib.figure import Figure

    path = tmp_path / "fig.png"
    path.write_bytes(b"old")
    fig = Figure(figsize=(2, 1), dpi=50)
    fig.add_subplot().plot([0, 1], [1, 0])
    assert plots.save_figure(fig, path) == path
    assert _png(path).shape[:2] == (50, 100)
    assert [p.name for p in tmp_path.iterdir()] == ["fig.png"]


def test_write_atomically_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("old")

    def fail(tmp):
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        plots.write_atomically(path, fail)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_importing_plots_and_report_does_not_import_matplotlib():
    code = ("import sys, convnp, convnp.cli.plots, convnp.cli.report; "
            "sys.exit('matplotlib' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr or "matplotlib was imported"
