"""``convnp report RUN``: write RUN/report.html, one self-contained page about a training run.

The page holds the configuration, a table of the epochs, the test accuracy, the loss, accuracy
and learning-rate curves, the confusion matrix, per-class accuracy, the first-layer filters and
the most confident right and wrong test predictions. Every image is embedded as a data: URI and
the style is inline, so the file can be mailed or archived alone and fetches nothing (a
Content-Security-Policy in the page forbids it). The PNGs are redrawn from metrics.jsonl and
predictions.npz into the run folder first, so the report works on any run folder, also one
still training (the missing parts are said to be missing).
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import os
from pathlib import Path

import numpy as np

from . import plots

REPORT_FILE = "report.html"
PREDICTION_KEYS = ("images", "label", "pred", "prob", "kind")

# Nothing may be fetched: images are data: URIs, style and the one script are inline.
_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em;
                                  margin-top: 2em; }
.path { color: #666; font-family: ui-monospace, monospace; word-break: break-all; }
.headline { display: inline-block; margin: 1em 0; padding: 0.6em 1.2em; border-radius: 6px;
            background: #eef6ee; border: 1px solid #9c9; font-size: 1.5em; }
.headline.pending { background: #f6f3e8; border-color: #cb9; }
.headline b { font-size: 1.4em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { padding: 0.2em 0.8em; border-bottom: 1px solid #eee; text-align: left;
         vertical-align: top; }
table.num td, table.num th { text-align: right; font-family: ui-monospace, monospace; }
table.num td:first-child, table.num th:first-child { text-align: left; }
img { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
img.pixels { image-rendering: pixelated; min-width: min(100%, 320px); }
.note { color: #777; font-style: italic; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
"""

# Counts the images the browser could decode (the report's tests read it from the DOM).
_SCRIPT = """
window.addEventListener("load", function () {
  var images = document.images, ok = 0;
  for (var i = 0; i < images.length; i++) {
    if (images[i].complete && images[i].naturalWidth > 0) { ok++; }
  }
  document.body.dataset.images = String(images.length);
  document.body.dataset.imagesOk = String(ok);
});
"""


def _e(value) -> str:
    """Any value as escaped HTML text."""
    return html.escape(str(value), quote=True)


def _num(value, fmt: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return "&mdash;"
    return _e(format(value, fmt))


def _img(path: Path, alt: str, cls: str = "") -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    cls_attr = f' class="{cls}"' if cls else ""
    return f'<img{cls_attr} src="data:image/png;base64,{data}" alt="{_e(alt)}">'


def _note(text: str) -> str:
    return f'<p class="note">{_e(text)}</p>'


def _table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    """A table whose header cells are text and whose row cells are HTML already escaped."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cls_attr = f' class="{cls}"' if cls else ""
    return f"<table{cls_attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _read_config(path: Path) -> dict:
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(config, dict):
        raise ValueError(f"{path} must hold a JSON object; got {type(config).__name__}")
    return config


def _config_section(config: dict) -> str:
    def get(key, default="\u2014"):
        value = config.get(key)
        return default if value is None or value == "" else value

    dataset = config.get("dataset") if isinstance(config.get("dataset"), dict) else {}
    shape = dataset.get("image_shape")
    data = str(get("data"))
    if dataset:
        shape_text = "x".join(str(s) for s in shape) if isinstance(shape, list) else "?"
        n = len(dataset.get("classes") or [])
        data += f" ({dataset.get('name', '?')}, {shape_text} images, {n} classes)"
    model = str(get("model"))
    if config.get("model_args"):
        model += " " + json.dumps(config["model_args"])
    if isinstance(config.get("num_parameters"), int):
        model += f", {config['num_parameters']:,} parameters"
    optimizer = f"{get('optimizer')}, weight decay {get('weight_decay')}"
    lr = f"{get('lr')}, schedule {get('schedule')}"
    versions = config.get("versions")
    versions = (", ".join(f"{k} {v}" for k, v in versions.items())
                if isinstance(versions, dict) else get("versions"))
    splits = config.get("splits")
    splits = (", ".join(f"{k} {v}" for k, v in splits.items())
              if isinstance(splits, dict) else get("splits"))
    rows = [("dataset", data), ("model", model), ("optimizer", optimizer),
            ("learning rate", lr), ("epochs", get("epochs")),
            ("batch size", get("batch_size")), ("augmentation", get("augment", "none")),
            ("validation split", get("val_split")), ("split sizes", splits),
            ("seed", get("seed")), ("dtype", get("dtype")), ("versions", versions),
            ("BLAS threads", get("blas_threads")), ("created", get("created"))]
    table = "<table>" + "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>"
                                for k, v in rows) + "</table>"
    raw = _e(json.dumps(config, indent=2))
    return (f"<h2>Configuration</h2>{table}"
            f"<details><summary>config.json</summary><pre>{raw}</pre></details>")


def _epoch_section(epochs: list[dict]) -> str:
    if not epochs:
        return "<h2>Epochs</h2>" + _note("No epoch has finished yet.")
    rows = [[_num(r.get("epoch"), "g"), _num(r.get("loss"), ".4f"),
             _num(r.get("train_acc"), ".4f"), _num(r.get("val_acc"), ".4f"),
             _num(r.get("lr"), ".2e"), _num(r.get("images_per_s"), ",.0f"),
             _num(r.get("time"), ".1f")] for r in epochs]
    header = ["epoch", "loss", "train acc", "val acc", "lr", "images/s", "time (s)"]
    return "<h2>Epochs</h2>" + _table(header, rows, "num")


def _headline(test: dict | None) -> str:
    if test is None or not isinstance(test.get("accuracy"), (int, float)):
        return '<p class="headline pending">Test accuracy: not evaluated</p>'
    n = test.get("num_samples")
    on = f" on {n:,} {_e(test.get('split', 'test'))} images" if isinstance(n, int) else ""
    return (f'<p class="headline">Test accuracy: <b>{100 * test["accuracy"]:.2f}%</b>'
            f"{on}</p>")


def _test_section(test: dict | None, classes: list[str], run: Path) -> str:
    parts = ["<h2>Test results</h2>"]
    if test is None:
        parts.append(_note("Not evaluated: metrics.jsonl has no test line yet."))
        return "".join(parts)
    K = len(classes)
    try:
        conf = np.asarray(test.get("confusion"), dtype=np.int64)
    except (TypeError, ValueError):  # missing (None) or ragged
        conf = None
    if conf is None or conf.shape != (K, K):
        parts.append(_note("No confusion matrix in the test line."))
        conf = None
    else:
        path = plots.plot_confusion(conf, classes, run / "confusion.png")
        parts.append("<h3>Confusion matrix</h3>" + _img(path, "confusion matrix"))

    per_class = test.get("per_class")
    if (per_class is None or len(per_class) != K) and conf is not None:
        totals = conf.sum(axis=1)
        per_class = [None if t == 0 else float(conf[k, k] / t) for k, t in enumerate(totals)]
    if per_class is None or len(per_class) != K:
        parts.append(_note("No per-class accuracy in the test line."))
        return "".join(parts)
    path = plots.plot_per_class(per_class, classes, run / "per_class.png")
    parts.append("<h3>Per-class accuracy</h3>" + _img(path, "per-class accuracy"))
    rows = []
    for k, name in enumerate(classes):
        total = int(conf[k].sum()) if conf is not None else None
        right = f"{int(conf[k, k])} / {total}" if conf is not None else "&mdash;"
        rows.append([_e(name), _num(per_class[k], ".4f"), right])
    parts.append(_table(["class", "accuracy", "right / images"], rows, "num"))
    return "".join(parts)


def _filters_section(run: Path) -> str:
    path = run / "filters.png"
    if not path.is_file():
        return ("<h2>First-layer filters</h2>"
                + _note("No filters.png in the run folder (a fully connected model, or a run "
                        "that has not finished)."))
    return "<h2>First-layer filters</h2>" + _img(path, "first-layer filters", "pixels")


def _read_predictions(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    missing = [k for k in PREDICTION_KEYS if k not in arrays]
    if missing:
        raise ValueError(f"{path} lacks {missing}; expected arrays {list(PREDICTION_KEYS)}")
    return arrays


def _predictions_section(run: Path, classes: list[str], max_value) -> str:
    path = run / "predictions.npz"
    if not path.is_file():
        return ""
    p = _read_predictions(path)
    kind = np.asarray(p["kind"])
    parts = ["<h2>Best and worst predictions</h2>",
             _note("Captions read true class / predicted class (probability of the "
                   "prediction).")]
    for code, name, what, none in (
            (0, "best", "Most confident right predictions", "No right predictions."),
            (1, "worst", "Most confident wrong predictions", "No wrong predictions.")):
        idx = np.flatnonzero(kind == code)
        parts.append(f"<h3>{_e(what)}</h3>")
        if idx.size == 0:
            parts.append(_note(none))
            continue
        png = plots.plot_predictions(p["images"][idx], p["label"][idx], p["pred"][idx],
                                     p["prob"][idx], classes, run / f"predictions_{name}.png",
                                     max_value=max_value)
        parts.append(_img(png, what))
    return "".join(parts)


def render_report(run_dir: str | os.PathLike, out: str | os.PathLike | None = None) -> Path:
    """Write the HTML report of a run folder; return its path.

    - run_dir: a run folder written by ``convnp train`` (config.json and metrics.jsonl at least)
    - out: where to write the report (default run_dir/report.html)

    Redraws loss.png, accuracy.png, lr.png, confusion.png, per_class.png and
    predictions_best.png / predictions_worst.png into run_dir from metrics.jsonl and
    predictions.npz, then writes one HTML file that embeds them (and filters.png when present)
    as data: URIs. Text from the files (class names, config values) is HTML-escaped. The file is
    written atomically.

    Raises FileNotFoundError naming the path when config.json or metrics.jsonl is missing,
    ValueError when one of the files is corrupt.
    """
    run = Path(run_dir)
    for name in ("config.json", "metrics.jsonl"):
        if not (run / name).is_file():
            raise FileNotFoundError(f"render_report: {run} is not a convnp run folder "
                                    f"(no {name})")
    out = Path(out) if out is not None else run / REPORT_FILE
    config = _read_config(run / "config.json")
    records = plots.read_metrics(run / "metrics.jsonl")
    epochs = [r for r in records if r.get("type") == "epoch"]
    tests = [r for r in records if r.get("type") == "test"]
    test = tests[-1] if tests else None
    dataset = config.get("dataset") if isinstance(config.get("dataset"), dict) else {}
    classes = (test or {}).get("classes") or dataset.get("classes")
    if not classes and test is not None and isinstance(test.get("confusion"), list):
        classes = [str(k) for k in range(len(test["confusion"]))]
    classes = [str(c) for c in classes or []]

    curves = {p.name: p for p in plots.plot_curves(records, run)}
    curve_html = "".join(_img(curves[name], alt) for name, alt in
                         (("loss.png", "training loss"), ("accuracy.png", "accuracy"),
                          ("lr.png", "learning rate")) if name in curves)
    if not curve_html:
        curve_html = _note("Nothing logged yet.")

    title = f"convnp run {run.resolve().name}"
    body = [
        f"<h1>{_e(title)}</h1>",
        f'<p class="path">{_e(run.resolve())}</p>',
        _headline(test),
        _config_section(config),
        _epoch_section(epochs),
        "<h2>Training curves</h2>" + curve_html,
        _test_section(test, classes, run),
        _filters_section(run),
        _predictions_section(run, classes, dataset.get("max_value")),
    ]
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n"
            f"<script>{_SCRIPT}</script>\n</head>\n<body>\n"
            + "\n".join(part for part in body if part)
            + "\n</body>\n</html>\n")
    return plots.write_atomically(out, lambda tmp: tmp.write_text(page, encoding="utf-8"))


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "report", help="write a run folder's self-contained HTML report",
        description="Write RUN/report.html: configuration, epoch table, test accuracy, curves, "
                    "confusion matrix, per-class accuracy, filters and predictions, in one "
                    "file that fetches nothing. The plots are redrawn into RUN as PNGs.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  convnp report runs/20261124-101500-digits-vgg\n"
               "  convnp report runs/20261124-101500-digits-vgg --out /tmp/digits.html")
    p.add_argument("run", metavar="RUN", help="a run folder written by convnp train")
    p.add_argument("--out", metavar="PATH",
                   help="where to write the report (default RUN/report.html)")
    return p


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    run_dir = Path(args.run).expanduser()
    if not run_dir.is_dir():
        parser.exit(2, f"{parser.prog}: error: RUN: no such run folder: {run_dir}\n")
    missing = [n for n in ("config.json", "metrics.jsonl") if not (run_dir / n).is_file()]
    if missing:
        parser.exit(2, f"{parser.prog}: error: RUN: {run_dir} is not a convnp run folder "
                       f"(no {' or '.join(missing)})\n")
    out = Path(args.out).expanduser() if args.out else None
    if out is not None and not out.parent.is_dir():
        parser.exit(2, f"{parser.prog}: error: --out: no such folder: {out.parent}\n")
    print(render_report(run_dir, out))
    return 0
