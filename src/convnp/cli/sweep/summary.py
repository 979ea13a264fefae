"""What a sweep leaves besides its trial folders: trials.csv, summary.html and best/.

Everything is read back from the trial folders (trial.json, metrics.jsonl), so it can be
rebuilt from a sweep folder at any time, also an interrupted one. summary.html is one
self-contained page, as ``convnp report``'s: the plots are embedded as data: URIs, the style
and the sorting script are inline, and its Content-Security-Policy forbids fetching anything.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import numpy as np

from .. import plots
from ..report import _CSP, _e, _img
from ..report import _SCRIPT as _IMAGE_CHECK
from . import trial as trial_lib
from .spec import SweepSpec

TRIALS_CSV = "trials.csv"
SUMMARY_HTML = "summary.html"
BEST_DIR = "best"
FIXED_COLUMNS = ("trial", "status", "best_val_acc", "best_epoch", "epochs_run", "test_acc",
                 "wall_s", "cpus", "error", "folder")


def collect_rows(sweep_dir: Path, spec: SweepSpec, running_means: str = "interrupted"
                 ) -> list[dict]:
    """One row per trial folder of the sweep (each with a trial.json), in trial order.

    - running_means: the status to show for a trial whose trial.json still says 'running'
      (the sweep is over, so it was interrupted)

    Row keys: FIXED_COLUMNS and one per searched option (its sampled value).
    """
    rows = []
    folders = sorted(p for p in (sweep_dir / "trials").glob("*") if p.is_dir())
    for folder in folders:
        record = trial_lib.read_trial(folder)
        if record is None:
            continue
        status = record.get("status", "running")
        if status == "running":
            status = running_means
        row = {"trial": folder.name, "status": status, "folder": f"trials/{folder.name}",
               "wall_s": record.get("wall_s"), "cpus": record.get("cpus"),
               "error": record.get("error") if status == "error" else None,
               "params": record.get("params", {})}
        row.update(_metrics(folder))
        row["lr"] = row["params"].get("lr", _config(folder).get("lr"))
        rows.append(row)
    for row in rows:
        for key in spec.search:
            row[key] = row["params"].get(key)
    return rows


def _config(folder: Path) -> dict:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return config if isinstance(config, dict) else {}


def _metrics(folder: Path) -> dict:
    """best_val_acc, best_epoch, epochs_run, test_acc (None where absent) of a run folder."""
    path = folder / "metrics.jsonl"
    try:
        records = plots.read_metrics(path) if path.is_file() else []
    except ValueError:
        records = []
    epochs = [r for r in records if r.get("type") == "epoch"
              and isinstance(r.get("val_acc"), (int, float))]
    tests = [r for r in records if r.get("type") == "test"]
    best = max(epochs, key=lambda r: r["val_acc"], default=None)  # the first of equals
    return {"best_val_acc": best["val_acc"] if best else None,
            "best_epoch": best["epoch"] if best else None,
            "epochs_run": epochs[-1]["epoch"] if epochs else 0,
            "test_acc": tests[-1]["accuracy"] if tests and (folder / "model.npz").is_file()
            else None}


def best_row(rows: list[dict]) -> dict | None:
    """The finished trial (completed or early-stopped, with its model) of the highest best
    validation accuracy; the earliest trial among equals."""
    finished = [r for r in rows if r["status"] in ("completed", "early-stopped")
                and r.get("test_acc") is not None and r.get("best_val_acc") is not None]
    return max(finished, key=lambda r: r["best_val_acc"], default=None)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, dict, bool)):
        return json.dumps(value)
    return str(value)


def columns(spec: SweepSpec) -> list[str]:
    return ["trial", "status", *spec.search, *FIXED_COLUMNS[2:]]


def write_trials_csv(sweep_dir: Path, spec: SweepSpec, rows: list[dict]) -> Path:
    """trials.csv: a header, then one row per trial (columns()), written atomically."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    cols = columns(spec)
    writer.writerow(cols)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in cols])
    return plots.write_atomically(sweep_dir / TRIALS_CSV,
                                  lambda tmp: tmp.write_text(buf.getvalue(), encoding="utf-8"))


def update_best(sweep_dir: Path, rows: list[dict]) -> dict | None:
    """Copy the best trial's run folder (without checkpoints/) to SWEEP/best; return its row.

    The copy is made beside it and renamed into place, so best/ is always one whole trial.
    """
    best = best_row(rows)
    if best is None:
        return None
    target = sweep_dir / BEST_DIR
    source = sweep_dir / best["folder"]
    tmp = sweep_dir / f".{BEST_DIR}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source, tmp, ignore=shutil.ignore_patterns("checkpoints", ".*.tmp"))
    old = sweep_dir / f".{BEST_DIR}.{os.getpid()}.old"
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    return best


# -- the page ----------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       max-width: 1200px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
.path { color: #666; font-family: ui-monospace, monospace; word-break: break-all; }
.headline { display: inline-block; margin: 1em 0; padding: 0.6em 1.2em; border-radius: 6px;
            background: #eef6ee; border: 1px solid #9c9; font-size: 1.3em; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
.scroll { overflow-x: auto; }
th, td { padding: 0.2em 0.7em; border-bottom: 1px solid #eee; text-align: left;
         white-space: nowrap; }
td.wrap { white-space: normal; min-width: 24em; }
table.sortable th { cursor: pointer; user-select: none; background: #f4f4f4; }
table.sortable th[data-order="asc"]::after { content: " \\25B2"; }
table.sortable th[data-order="desc"]::after { content: " \\25BC"; }
td.num { text-align: right; font-family: ui-monospace, monospace; }
tr.best td { background: #eef6ee; }
tr.error td { color: #a33; }
img { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
.note { color: #777; font-style: italic; }
"""

# Click a header to sort by that column (numbers as numbers, empty cells last); click again
# to reverse. Also counts the decoded images, for the tests.
_SCRIPT = """
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener("click", function () {
        var desc = th.dataset.order === "asc";
        Array.prototype.forEach.call(heads, function (h) { delete h.dataset.order; });
        th.dataset.order = desc ? "desc" : "asc";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
          if (x === "" || y === "") { return (x === "") - (y === ""); }
          var nx = Number(x), ny = Number(y), c;
          c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return desc ? -c : c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
});
""" + _IMAGE_CHECK  # the report's image count, which the tests read from the DOM


def render_summary(sweep_dir: Path, spec: SweepSpec, rows: list[dict]) -> Path:
    """Write SWEEP/summary.html (and the plots it embeds, as PNGs in SWEEP); return its path."""
    best = best_row(rows)
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    title = f"convnp sweep {sweep_dir.resolve().name}"
    if best is not None:
        headline = (f'<div class="headline">best trial <b>{_e(best["trial"])}</b>: val_acc '
                    f'<b>{best["best_val_acc"]:.4f}</b>, test_acc {best["test_acc"]:.4f} '
                    f'(model in <code>best/</code>)</div>')
    else:
        headline = '<div class="headline">no trial has finished yet</div>'
    status_text = ", ".join(f"{n} {s}" for s, n in counts.items()) or "no trials"
    space = "".join(f"<tr><td>{_e(k)}</td><td>{_e(d.kind)}</td><td>{_e(json.dumps(d.values))}"
                    f"</td></tr>" for k, d in spec.search.items())
    sched = (f"ASHA on {spec.metric} (grace period {spec.grace_period} epoch(s), reduction "
             f"factor {spec.reduction_factor:g})" if spec.scheduler == "asha" else
             "none (every trial runs all its epochs)")
    body = [
        f"<h1>{_e(title)}</h1>", f'<p class="path">{_e(sweep_dir.resolve())}</p>', headline,
        f"<p>{_e(len(rows))} trials: {_e(status_text)}. Scheduler: {_e(sched)}. Base options: "
        f"<code>{_e(json.dumps(spec.train))}</code></p>",
        "<h2>Search space</h2><table><thead><tr><th>option</th><th>distribution</th>"
        f"<th>values</th></tr></thead><tbody>{space}</tbody></table>" if space else "",
        "<h2>Trials</h2><p class=\"note\">Click a column to sort.</p>" + _trials_table(spec, rows,
                                                                                   best),
        "<h2>Validation accuracy against learning rate</h2>" + _embed(
            plot_lr_scatter(rows, sweep_dir / "val_acc_vs_lr.png"), "val_acc vs lr"),
        "<h2>Parallel coordinates</h2>" + _embed(
            plot_parallel(spec, rows, sweep_dir / "parallel.png"),
            "parallel coordinates of the searched options and val_acc"),
    ]
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n"
            f"<script>{_SCRIPT}</script>\n</head>\n<body>\n"
            + "\n".join(part for part in body if part) + "\n</body>\n</html>\n")
    return plots.write_atomically(sweep_dir / SUMMARY_HTML,
                                  lambda tmp: tmp.write_text(page, encoding="utf-8"))


def _embed(path: Path | None, alt: str) -> str:
    if path is None:
        return '<p class="note">No finished trial to plot yet.</p>'
    return _img(path, alt)


def _trials_table(spec: SweepSpec, rows: list[dict], best: dict | None) -> str:
    cols = columns(spec)
    head = "".join(f"<th>{_e(c)}</th>" for c in cols)
    body = []
    for row in rows:
        cells = []
        for c in cols:
            v = row.get(c)
            if isinstance(v, float) and c in ("best_val_acc", "test_acc"):
                text = f"{v:.4f}"
            elif isinstance(v, float):
                text = f"{v:.4g}"
            else:
                text = _cell(v)
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            sort = repr(float(v)) if num else _cell(v)
            cls = ' class="num"' if num else (' class="wrap"' if c == "error" else "")
            cells.append(f'<td{cls} data-v="{_e(sort)}">{_e(text)}</td>')
        cls = "best" if best is not None and row is best else (
            "error" if row["status"] == "error" else "")
        body.append(f'<tr class="{cls}">' + "".join(cells) + "</tr>")
    return (f'<div class="scroll"><table class="sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _plotted(rows: list[dict]) -> list[dict]:
    return [r for r in rows if isinstance(r.get("best_val_acc"), (int, float))
            and r["status"] != "error"]


_MARKERS = {"completed": ("o", "#2a7"), "early-stopped": ("v", "#d70"),
            "interrupted": ("s", "#888"), "running": ("s", "#888")}


def plot_lr_scatter(rows: list[dict], path: Path) -> Path | None:
    """Best validation accuracy of each trial against its learning rate (log axis)."""
    done = [r for r in _plotted(rows) if isinstance(r.get("lr"), (int, float))]
    if not done:
        return None
    fig = plots._figure(7, 4.2)
    ax = fig.add_subplot()
    for status, (marker, color) in _MARKERS.items():
        part = [r for r in done if r["status"] == status]
        if part:
            ax.scatter([r["lr"] for r in part], [r["best_val_acc"] for r in part],
                       marker=marker, color=color, label=status, s=40, zorder=3)
    ax.set_xscale("log")
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel("best validation accuracy")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    return plots.save_figure(fig, path)


def _axis(values: list, kind: str | None) -> tuple[list[float], list[tuple[float, str]]]:
    """Positions in [0, 1] of values on one parallel-coordinates axis, and its tick labels."""
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    if not numeric:
        cats = list(dict.fromkeys(_cell(v) for v in values))
        pos = {c: (i / (len(cats) - 1) if len(cats) > 1 else 0.5) for i, c in enumerate(cats)}
        return [pos[_cell(v)] for v in values], [(p, c) for c, p in pos.items()]
    x = np.asarray(values, dtype=np.float64)
    log = kind == "loguniform" or (x.min() > 0 and x.max() / x.min() >= 100)
    t = np.log10(x) if log else x
    lo, hi = float(t.min()), float(t.max())
    if hi == lo:
        return [0.5] * len(values), [(0.5, f"{x[0]:.3g}")]
    ticks = [(0.0, f"{x.min():.3g}"), (1.0, f"{x.max():.3g}")]
    return [float(v) for v in (t - lo) / (hi - lo)], ticks


def plot_parallel(spec: SweepSpec, rows: list[dict], path: Path) -> Path | None:
    """A parallel-coordinates plot: one axis per searched option and one for the best
    validation accuracy; one line per trial, coloured by that accuracy."""
    done = _plotted(rows)
    if not done:
        return None
    from matplotlib import cm, colormaps, colors

    keys = [k for k in spec.search if all(k in r["params"] for r in done)]
    accs = [r["best_val_acc"] for r in done]
    axes = [_axis([r["params"][k] for r in done], spec.search[k].kind) for k in keys]
    axes.append(_axis(accs, "uniform"))
    names = keys + ["best_val_acc"]
    fig = plots._figure(max(6.0, 1.6 * len(names)), 4.5)
    ax = fig.add_subplot()
    norm = colors.Normalize(vmin=min(accs), vmax=max(accs) if max(accs) > min(accs)
                            else min(accs) + 1e-9)
    cmap = colormaps["viridis"]
    xs = np.arange(len(names))
    order = np.argsort(accs, kind="stable")  # the best drawn last, on top
    for i in order:
        ys = [axes[a][0][i] for a in range(len(names))]
        ax.plot(xs, ys, color=cmap(norm(accs[i])), alpha=0.85, linewidth=1.6,
                linestyle="-" if done[i]["status"] == "completed" else "--")
    for a, (_, ticks) in enumerate(axes):
        ax.axvline(a, color="#444", linewidth=0.8)
        for pos, label in ticks:
            ax.annotate(label[:18], (a, pos), xytext=(4, 0), textcoords="offset points",
                        fontsize="x-small", va="center", annotation_clip=False,
                        **plots._TEXT)
    ax.set_xticks(xs, [n.replace("model_args.", "") for n in names], fontsize="small")
    ax.set_yticks([])
    ax.set_xlim(-0.2, len(names) - 0.6)
    ax.set_ylim(-0.05, 1.05)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.colorbar(cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, label="best val_acc")
    ax.set_title("solid: completed, dashed: stopped early", fontsize="small", pad=16)
    return plots.save_figure(fig, path)
