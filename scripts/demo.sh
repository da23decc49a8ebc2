#!/usr/bin/env bash
# The main job on the built-in demo dataset: a CLI demo, then the web app on 127.0.0.1.
#   PORT=8080 scripts/demo.sh        (NO_SERVE=1 builds and runs the CLI demo only)
source "$(dirname "$0")/lib.sh"
scripts/setup.sh
scripts/build.sh

step "CLI demo on the built-in demo data (www/demo/leads.csv)"
cli=target/release/leadforest
out=target/demo
mkdir -p "$out"
data=www/demo/leads.csv
echo "\$ leadforest profile $data --target Converted --missing Select"
$cli profile "$data" --target Converted --missing Select
# The profile flags `Funnel Stage` as a leak (it is filled in after the sale): leave it out.
echo; echo "\$ leadforest train $data --target Converted --missing Select --drop 'Funnel Stage' --out $out/demo.lfm"
$cli train "$data" --target Converted --missing Select --drop "Funnel Stage" --seed 7 --out "$out/demo.lfm"
echo; echo "\$ leadforest score $out/demo.lfm $data --out $out/scored.csv"
$cli score "$out/demo.lfm" "$data" --out "$out/scored.csv"
echo "first scored leads (id, probability, score, tier, top reason):"
# The reason cells hold commas inside quotes: read the CSV properly instead of cutting it.
python3 - "$out/scored.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = csv.DictReader(f)
    for i, r in enumerate(rows):
        if i == 3:
            break
        print(f"  {r['Lead ID']:<10} p={float(r['probability']):.3f}  score={r['score']:>3}  tier={r['tier']}  {r.get('reason_1', '')}")
PY
echo; echo "\$ leadforest explain $out/demo.lfm $data --row 3"
$cli explain "$out/demo.lfm" "$data" --row 3
echo; echo "\$ leadforest report $out/demo.lfm $data --out $out/report.html   (the model knows its target)"
$cli report "$out/demo.lfm" "$data" --out "$out/report.html"

# The funnel-stage classifier: a multi-class model of `Funnel Stage`. `Converted` settles the
# last stage (Action ⇔ converted), so the stage model leaves it out.
echo; echo "\$ leadforest train $data --target 'Funnel Stage' --missing Select --drop Converted --out $out/stage.lfm"
$cli train "$data" --target "Funnel Stage" --missing Select --drop Converted --seed 7 --out "$out/stage.lfm"
echo; echo "\$ leadforest eval $out/stage.lfm $data   (all rows, training rows included: the held-out figures are above)"
$cli eval "$out/stage.lfm" "$data"

[ "${NO_SERVE:-0}" = 1 ] && exit 0
port="${PORT:-8080}"
step "web app"
echo "Open http://127.0.0.1:$port/ (nothing leaves the page; Ctrl-C stops the server)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
