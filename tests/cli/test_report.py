"""convnp.cli.report: the self-contained HTML report of a run folder, and ``convnp report``."""

import base64
import html.parser
import io
import json
import os
import re
import subprocess

import numpy as np
import pytest
from PIL import Image

import convnp.cli
from convnp.cli import main
from convnp.cli.plots import read_metrics
from convnp.cli.report import render_report
from tests.cli.runfolder_fixture import make_run_folder

EVIL = "<script>alert(1)</script>"
CLASSES = ("cat", EVIL, "dog & fox")
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _only_report_subcommand(monkeypatch):
    # main() imports every registered subcommand's module; test `report` on its own, so these
    # tests do not depend on (or break with) the other subcommands.
    monkeypatch.setattr(convnp.cli, "COMMANDS", {"report": "convnp.cli.report"})


class _Page(html.parser.HTMLParser):
    """What a browser would show: the text, the <img> attributes, the <script> count."""

    def __init__(self):
        super().__init__()
        self.text, self.images, self.scripts, self._in_script = [], [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "script":
            self.scripts += 1
            self._in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if not self._in_script:
            self.text.append(data)


def _parse(path):
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page, " ".join(" ".join(page.text).split())


def _decode_png(src):
    prefix = "data:image/png;base64,"
    assert src.startswith(prefix), src[:60]
    data = base64.b64decode(src[len(prefix):], validate=True)
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "PNG"
        im.verify()
    with Image.open(io.BytesIO(data)) as im:
        pixels = np.asarray(im.convert("RGB"), dtype=np.float64)
    assert pixels.size > 0 and pixels.std() > 0, "a blank image"
    return pixels


@pytest.fixture
def run(tmp_path, rng):
    return make_run_folder(tmp_path / "run", rng, classes=CLASSES)


def test_report_embeds_every_image_as_a_png_data_uri(run):
    path = render_report(run)
    assert path == run / "report.html"
    page, _ = _parse(path)
    assert [im["alt"] for im in page.images] == [
        "training loss", "accuracy", "learning rate", "confusion matrix", "per-class accuracy",
        "first-layer filters", "Most confident right predictions",
        "Most confident wrong predictions"]
    for im in page.images:
        _decode_png(im["src"])
    # filters.png is embedded byte for byte
    filters = page.images[5]["src"].split(",", 1)[1]
    assert base64.b64decode(filters) == (run / "filters.png").read_bytes()


def test_report_fetches_nothing(run):
    text = render_report(run).read_text(encoding="utf-8")
    assert not re.search(r"https?://", text, re.IGNORECASE)
    assert not re.search(r"<link|<iframe|<object|<embed|@import|url\(", text, re.IGNORECASE)
    srcs = re.findall(r"""\bsrc\s*=\s*["']?([^"' >]{0,40})""", text, re.IGNORECASE)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert "default-src 'none'" in text  # the browser refuses anything else


def test_report_shows_the_test_accuracy_and_the_class_names(run):
    page, text = _parse(render_report(run))
    test = read_metrics(run / "metrics.jsonl")[-1]
    conf = np.array(test["confusion"])
    accuracy = np.trace(conf) / conf.sum()
    assert f"Test accuracy: {100 * accuracy:.2f}% on {conf.sum()} test images" in text
    for k, name in enumerate(CLASSES):
        assert f"{name} {conf[k, k] / conf[k].sum():.4f} {conf[k, k]} / {conf[k].sum()}" in text


def test_report_escapes_text_from_the_files(run):
    source = render_report(run).read_text(encoding="utf-8")
    page, text = _parse(run / "report.html")
    assert EVIL in text and "dog & fox" in text  # shown as text ...
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source and "dog &amp; fox" in source
    assert "<script>alert" not in source  # ... never as markup
    assert page.scripts == 1  # the report's own image check, and nothing else


def test_report_shows_the_config_and_one_row_per_epoch(run):
    _, text = _parse(render_report(run))
    config = json.loads((run / "config.json").read_text())
    assert f"seed {config['seed']}" in text and "optimizer adam, weight decay 0.0" in text
    assert f"numpy {np.__version__}" in text
    for r in (r for r in read_metrics(run / "metrics.jsonl") if r["type"] == "epoch"):
        row = (f"{r['epoch']} {r['loss']:.4f} {r['train_acc']:.4f} {r['val_acc']:.4f} "
               f"{r['lr']:.2e} {r['images_per_s']:,.0f} {r['time']:.1f}")
        assert row in text


def test_report_regenerates_the_plots_into_the_run_folder(run):
    render_report(run)
    assert sorted(os.listdir(run)) == [
        "accuracy.png", "config.json", "confusion.png", "filters.png", "loss.png", "lr.png",
        "metrics.jsonl", "per_class.png", "predictions.npz", "predictions_best.png",
        "predictions_worst.png", "report.html"]  # and no temporary file is left


def test_report_without_predictions_or_filters(tmp_path, rng):
    run = make_run_folder(tmp_path / "run", rng, with_predictions=False, with_filters=False)
    page, text = _parse(render_report(run))
    assert [im["alt"] for im in page.images] == [
        "training loss", "accuracy", "learning rate", "confusion matrix", "per-class accuracy"]
    assert "No filters.png in the run folder" in text
    assert "Best and worst predictions" not in text


def test_report_of_a_grey_ten_class_run(tmp_path, rng):
    run = make_run_folder(tmp_path / "run", rng, classes=[str(d) for d in range(10)],
                          image_shape=(8, 8, 1))
    page, text = _parse(render_report(run))
    assert len(page.images) == 8
    for im in page.images:
        _decode_png(im["src"])
    for d in range(10):
        assert re.search(rf"\b{d} [01]\.\d{{4}} \d+ / \d+", text), d


def test_report_of_a_run_not_evaluated_yet(tmp_path, rng):
    run = make_run_folder(tmp_path / "run", rng, with_test=False)
    page, text = _parse(render_report(run))
    assert "Test accuracy: not evaluated" in text
    assert "confusion matrix" not in [im["alt"] for im in page.images]
    assert len(page.images) == 6  # 3 curves, filters, best and worst predictions


def test_report_of_a_run_that_just_started(tmp_path, rng):
    run = make_run_folder(tmp_path / "run", rng, with_test=False, with_predictions=False,
                          with_filters=False)
    (run / "metrics.jsonl").write_text('{"type": "step", "epoch": 1, "itera')  # cut short
    page, text = _parse(render_report(run))
    assert page.images == []
    assert "No epoch has finished yet." in text and "Nothing logged yet." in text


def test_report_without_the_run_files_names_the_folder(tmp_path, rng):
    run = make_run_folder(tmp_path / "run", rng)
    (run / "metrics.jsonl").unlink()
    with pytest.raises(FileNotFoundError, match=r"is not a convnp run folder \(no metrics.jsonl"):
        render_report(run)


def test_report_of_a_corrupt_metrics_file_names_the_line(tmp_path, rng):
    run = make_run_folder(tmp_path / "run", rng)
    lines = (run / "metrics.jsonl").read_text().splitlines()
    lines[2] = lines[2][:20]
    (run / "metrics.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match="metrics.jsonl: line 3 is not a JSON object"):
        render_report(run)


# -- the command ---------------------------------------------------------------------------

def test_cli_report_prints_the_report_path(run, capsys):
    (run / "report.html").write_text("old")
    assert main(["report", str(run)]) == 0
    assert capsys.readouterr().out.strip() == str(run / "report.html")
    assert (run / "report.html").read_text().startswith("<!DOCTYPE html>")


def test_cli_report_out(run, tmp_path, capsys):
    out = tmp_path / "elsewhere.html"
    assert main(["report", str(run), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert "Test accuracy" in out.read_text() and not (run / "report.html").exists()


@pytest.mark.parametrize("setup, message", [
    ("missing", "RUN: no such run folder: "),
    ("empty", "is not a convnp run folder (no config.json or metrics.jsonl)"),
    ("no_metrics", "is not a convnp run folder (no metrics.jsonl)"),
    ("bad_out", "--out: no such folder: "),
])
def test_cli_report_usage_errors_exit_2_with_one_line(tmp_path, rng, capsys, setup, message):
    run = tmp_path / "run"
    argv = ["report", str(run)]
    if setup == "empty":
        run.mkdir()
    elif setup == "no_metrics":
        make_run_folder(run, rng)
        (run / "metrics.jsonl").unlink()
    elif setup == "bad_out":
        make_run_folder(run, rng)
        argv += ["--out", str(tmp_path / "no" / "such" / "report.html")]
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("convnp report: error: ") and message in err
    assert err.count("\n") == 1


def test_cli_report_help_shows_an_example(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["report", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "convnp report runs/" in out and "--out PATH" in out


# -- in a real browser ---------------------------------------------------------------------

def _chromium(tmp_path, *args):
    profile = tmp_path / "chromium-profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=5000", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stderr}"
    return proc


@pytest.mark.slow
# .ci/run installs Chromium and sets CONVNP_REQUIRE_BROWSER=1: there this test cannot skip.
@pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CONVNP_REQUIRE_BROWSER"),
                    reason=f"{CHROMIUM} is absent (apt-get install -y chromium)")
def test_report_renders_every_image_in_headless_chromium(run, tmp_path):
    report = render_report(run)
    expected = len(_parse(report)[0].images)
    assert expected == 8
    url = report.resolve().as_uri()

    dom = _chromium(tmp_path, "--dump-dom", url).stdout
    body = re.search(r"<body[^>]*>", dom)
    assert body, dom[:500]
    assert f'data-images="{expected}"' in body.group(0), body.group(0)
    assert f'data-images-ok="{expected}"' in body.group(0), body.group(0)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom

    shot = tmp_path / "report.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,3000", url)
    with Image.open(shot) as im:
        assert im.size == (1200, 3000)
        pixels = np.asarray(im.convert("RGB"), dtype=np.float64)
    assert pixels.std() > 0
    # the plots are drawn: a good share of the page is neither white nor near it
    assert (pixels.min(axis=2) < 200).mean() > 0.02
