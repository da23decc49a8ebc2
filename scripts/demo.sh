#!/usr/bin/env bash
# The main job on the built-in demo dataset: a CLI demo, then the web app on 127.0.0.1.
#   PORT=8080 scripts/demo.sh        (NO_SERVE=1 builds and runs the CLI demo only)
source "$(dirname "$0")/lib.sh"
scripts/setup.sh
scripts/build.sh

step "CLI demo on the built-in demo data (www/demo/leads.csv)"
cli=target/release/leadforest
$cli profile www/demo/leads.csv --target Converted --missing Select

[ "${NO_SERVE:-0}" = 1 ] && exit 0
port="${PORT:-8080}"
step "web app"
echo "Open http://127.0.0.1:$port/ (nothing leaves the page; Ctrl-C stops the server)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory www
