"""Combine the cached results in benches/out into tables; print them and update BENCHMARKS.md.

Only the blocks between `<!-- bench:begin NAME -->` and `<!-- bench:end NAME -->` are rewritten;
every other line of BENCHMARKS.md (other helpers' sections) is kept as it is.

Usage: python report.py OUT_DIR BENCHMARKS_MD
"""

import datetime
import json
import os
import platform
import re
import subprocess
import sys

SUITE = ["x_education", "bank_full_random", "bank_full_time", "bank_additional_time", "olist", "hillstrom"]
PEERS = [("lightgbm", "LightGBM"), ("xgboost", "XGBoost"), ("sk_histgb", "sk HistGB"), ("sk_rf", "sk RF")]
LF = [("gbt", "leadforest GBT"), ("rf", "leadforest RF")]
TOLERANCE = 0.005
# The peers' AUCs as listed in ../shared/BENCHMARK.md (a reference: the bar uses this run's figures).
REFERENCE = {
    "x_education": (0.8726, 0.8627, 0.8717, 0.8597),
    "bank_full_random": (0.7975, 0.7830, 0.7972, 0.7766),
    "bank_full_time": (0.5743, 0.6287, 0.6643, 0.6554),
    "bank_additional_time": (0.6582, 0.6092, 0.6428, 0.7181),
    "olist": (0.6687, 0.6604, 0.6833, 0.6044),
    "hillstrom": (0.6045, 0.5514, 0.6035, 0.5379),
}

TEMPLATE = """# Benchmarks

Figures for leadforest against its peers, measured by `benches/run.sh` per
[the benchmark protocol](../shared/BENCHMARK.md) (default settings everywhere, no per-dataset tuning).
Blocks between `bench:begin` / `bench:end` markers are rewritten by `benches/report.py`; other
sections are written by hand or by their own scripts and are left alone.

<!-- bench:begin header -->
<!-- bench:end header -->

## Accuracy suite

<!-- bench:begin accuracy -->
<!-- bench:end accuracy -->

## Speed suite (native)

<!-- bench:begin speed -->
<!-- bench:end speed -->

## WASM

<!-- Owned by the WASM helper: WASM training time (Node, Chromium) vs native, the 10k x 20 job vs
ydf-training and ml-random-forest, WASM scoring/TreeSHAP throughput, .wasm size raw/gzipped,
linear memory. Replace this comment with the figures. -->

## Widget

<!-- Owned by the WIDGET helper: single-lead latency p50/p99, total transfer (JS + wasm + model)
gzipped. Replace this comment with the figures. -->
"""


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def fmt(x, digits=4):
    return "—" if x is None else f"{x:.{digits}f}"


def signed(x):
    return "—" if x is None else f"{x:+.4f}"


def mean(xs):
    """Mean over the suite, or None unless every dataset has a value."""
    xs = list(xs)
    return sum(xs) / len(xs) if xs and all(x is not None for x in xs) else None


def collect(out):
    rows = {}
    for name in SUITE:
        d = os.path.join(out, name)
        meta = load(os.path.join(d, "meta.json"))
        if meta is None:
            continue
        row = {"meta": meta, "peers": {}, "lf": {}, "stale": []}
        peers = load(os.path.join(d, "peers.json"))
        if peers and peers["train_sha"] == meta["train_sha"] and peers["test_sha"] == meta["test_sha"]:
            row["peers"] = peers["results"]
            row["versions"] = peers.get("versions", {})
        elif peers:
            row["stale"].append("peers")
        for algo, _ in LF:
            r = load(os.path.join(d, f"leadforest_{algo}.json"))
            if r and r.get("train_sha") == meta["train_sha"]:
                row["lf"][algo] = r
        rows[name] = row
    return rows


def metric(res, key):
    return res.get(key) if res and res.get("ok", True) else None


def accuracy(rows):
    """Markdown for the accuracy block plus a list of plain-words verdict lines."""
    lines, verdict = [], []
    head = "| dataset | " + " | ".join(p for _, p in PEERS) + " | best peer | " + \
        " | ".join(f"{label} | Δ vs best" for _, label in LF) + " |"
    lines += ["**ROC AUC** on the test rows (Δ = leadforest − best peer; bar: Δ ≥ −0.005 on every dataset).", "",
              head, "|" + "---|" * (len(PEERS) + 2 + 2 * len(LF))]
    best_by, peer_cols, lf_cols, fails = [], {k: [] for k, _ in PEERS}, {k: [] for k, _ in LF}, {k: [] for k, _ in LF}
    for name, row in rows.items():
        aucs = {k: metric(row["peers"].get(k), "auc") for k, _ in PEERS}
        have = [v for v in aucs.values() if v is not None]
        best = max(have) if have else None
        best_by.append(best)
        for k in aucs:
            peer_cols[k].append(aucs[k])
        cells = [fmt(aucs[k]) for k, _ in PEERS] + [fmt(best)]
        for k, _ in LF:
            r = row["lf"].get(k)
            a = metric(r, "auc")
            lf_cols[k].append(a)
            delta = a - best if a is not None and best is not None else None
            mark = ""
            if delta is not None and delta < -TOLERANCE:
                mark = " ✗"
                fails[k].append((name, delta))
            elif r is not None and not r.get("ok", True):
                mark = " (failed)"
                fails[k].append((name, None))
            cells += [fmt(a), signed(delta) + mark]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    n = len(rows)
    means = [fmt(mean(peer_cols[k])) for k, _ in PEERS] + [fmt(mean(best_by))]
    for k, _ in LF:
        m = mean(lf_cols[k])
        d = m - mean(best_by) if m is not None and mean(best_by) is not None else None
        means += [fmt(m), signed(d)]
    lines.append(f"| **mean ({n})** | " + " | ".join(means) + " |")
    lines.append("")
    single = max(((mean(peer_cols[k]), label) for k, label in PEERS if mean(peer_cols[k]) is not None),
                 default=(None, None))
    for k, label in LF:
        vals = lf_cols[k]
        if not any(v is not None for v in vals):
            verdict.append(f"{label}: no results yet.")
            continue
        m = mean(vals)
        bm = mean(best_by)
        parts = []
        if fails[k]:
            parts.append("falls short on " + ", ".join(
                f"{n_} ({'failed' if dl is None else f'{dl:+.4f}'})" for n_, dl in fails[k]))
        else:
            parts.append("within 0.005 of the best peer on every dataset")
        if m is None:
            parts.append("suite mean unavailable (missing datasets)")
        elif bm is None:
            parts.append("peer means unavailable")
        elif m > bm:
            parts.append(f"suite mean {m:.4f} above the best-per-dataset mean {bm:.4f} ({m - bm:+.4f})")
        else:
            parts.append(f"suite mean {m:.4f} NOT above the best-per-dataset mean {bm:.4f} ({m - bm:+.4f})")
        if m is not None and single[0] is not None:
            parts.append(f"vs the best single peer's mean ({single[1]} {single[0]:.4f}): {m - single[0]:+.4f}")
        ok = not fails[k] and m is not None and bm is not None and m > bm
        tag = "BAR MET" if ok else "BAR NOT MET"
        if k != "gbt":
            tag += " (informational: the bar is for the default, GBT)"
        verdict.append(f"{label}: **{tag}** — " + "; ".join(parts) + ".")
    lines += ["Bar (leadforest's defaults, GBT): every dataset ≥ best peer − 0.005, and the suite mean above the "
              "mean of the best peer per dataset.", ""]
    lines += [f"- {v}" for v in verdict]
    lines.append("")
    for key, title, digits in [("pr_auc", "PR AUC (average precision)", 4), ("log_loss", "Log loss", 4)]:
        lines += [f"**{title}**", "", "| dataset | " + " | ".join(p for _, p in PEERS) + " | "
                  + " | ".join(label for _, label in LF) + " |", "|" + "---|" * (1 + len(PEERS) + len(LF))]
        for name, row in rows.items():
            cells = [fmt(metric(row["peers"].get(k), key), digits) for k, _ in PEERS]
            cells += [fmt(metric(row["lf"].get(k), key), digits) for k, _ in LF]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["**Training seconds** on the train rows (peers: `fit` only; leadforest: the whole `train` command, or only the library's fit when measured "
              "through bench_speed (see the notes)), 2 threads, noisy shared machine.", "",
              "| dataset | rows | " + " | ".join(p for _, p in PEERS) + " | " + " | ".join(label for _, label in LF) + " |",
              "|" + "---|" * (2 + len(PEERS) + len(LF))]
    for name, row in rows.items():
        cells = [fmt(metric(row["peers"].get(k), "fit_seconds"), 2) for k, _ in PEERS]
        cells += [fmt(metric(row["lf"].get(k), "train_seconds"), 2) for k, _ in LF]
        lines.append(f"| {name} | {row['meta']['train_rows']} | " + " | ".join(cells) + " |")
    lines.append("")
    notes = []
    off = []
    for name, row in rows.items():
        for (k, label), ref in zip(PEERS, REFERENCE.get(name, ())):
            a = metric(row["peers"].get(k), "auc")
            if a is not None and abs(a - ref) >= 0.00005 + 1e-9:
                off.append(f"{name} {label} {a:.4f} (reference {ref:.4f})")
    if any(row["peers"] for row in rows.values()):
        notes.append("This run's peer AUCs equal BENCHMARK.md's reference figures to 4 decimals"
                     + (", except: " + "; ".join(off) if off else "") + ". sk RF depends on its random seed "
                     "(`random_state=0` here).")
    for name, row in rows.items():
        for k, label in LF:
            r = row["lf"].get(k)
            if r and not r.get("ok", True):
                err = r.get("error", "").strip().splitlines()
                notes.append(f"{name} / {label} failed: `{(err[-1] if err else '?')[:200]}`")
            if r and r.get("via"):
                notes.append(f"{name} / {label}: measured through {r['via']}")
            for w in ("warning", "warning_rows"):
                if r and w in r:
                    notes.append(f"{name} / {label}: {r[w]}")
        if row["stale"]:
            notes.append(f"{name}: cached {', '.join(row['stale'])} results were for other input files (ignored)")
    if notes:
        lines += ["Notes:", ""] + [f"- {n_}" for n_ in notes] + [""]
    lines += ["The metrics of every model are computed by the same code (scikit-learn's `roc_auc_score`, "
              "`average_precision_score`, `log_loss`) from its test-row probabilities; for leadforest "
              "these come from `leadforest score`, and are checked against `leadforest eval --json` "
              "(a note above says when they disagree by more than 1e-4)."]
    return "\n".join(lines), verdict


def speed(out):
    s = load(os.path.join(out, "speed.json"))
    if not s:
        return "Not measured yet (run `benches/run.sh --speed`)."
    return s.get("markdown", "")


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, shell=True).stdout.strip()
    except OSError:
        return ""


def header(rows, out):
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    versions = {}
    for row in rows.values():
        versions.update(row.get("versions", {}))
    commit = ""
    for row in rows.values():
        for r in row["lf"].values():
            commit = commit or r.get("commit", "")
    lines = [
        f"- Measured: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} "
        f"(leadforest commit `{commit or 'unknown'}`)",
        f"- Machine: {sh('nproc')} cores ({cpu}), {mem_gib} GiB RAM, "
        f"{platform.system()} {platform.release()}; shared with other jobs, so times are noisy",
        f"- Peers: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + f"; Python {platform.python_version()}",
        f"- leadforest: release build (`cargo build --release`), {sh('rustc --version')}",
        "- Reproduce: `bash benches/run.sh` (accuracy suite; peers cached in `benches/out/`, "
        "`--peers` re-runs them), `bash benches/run.sh --speed` (speed suite too)",
    ]
    return "\n".join(lines)


def replace_block(text, name, body):
    pattern = re.compile(rf"(<!-- bench:begin {name} -->\n).*?(<!-- bench:end {name} -->)", re.S)
    if not pattern.search(text):
        text = text.rstrip("\n") + f"\n\n<!-- bench:begin {name} -->\n<!-- bench:end {name} -->\n"
    return pattern.sub(lambda m: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text)


def main():
    out, md = sys.argv[1], sys.argv[2]
    rows = collect(out)
    acc, verdict = accuracy(rows)
    hdr = header(rows, out)
    spd = speed(out)
    text = open(md).read() if os.path.exists(md) else TEMPLATE
    text = replace_block(text, "header", hdr)
    text = replace_block(text, "accuracy", acc)
    text = replace_block(text, "speed", spd)
    with open(md, "w") as f:
        f.write(text)
    print(hdr + "\n\n" + acc + "\n\n" + spd)


if __name__ == "__main__":
    main()
