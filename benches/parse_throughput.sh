#!/usr/bin/env bash
# Parsing + schema inference throughput and peak memory of the data layer (a benchmark, not a test).
#
# Replicates bank-full.csv (header once) to >= 200 MB, then runs `leadforest profile --json`
# (read file -> Table::from_csv -> inference -> profile) RUNS times under /usr/bin/time -v and
# prints one table: size, wall seconds, MB/s by wall clock and by CPU time (user + sys, which the
# machine's load does not inflate), peak resident memory and its ratio to the file size.
# Bars (issue 3): >= 100 MB/s, peak memory <= 2x the CSV size.
#   RUNS=3 TARGET_MB=200 benches/parse_throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
TARGET_MB="${TARGET_MB:-200}"

src=""
for d in ../shared/datasets ../../shared/datasets; do
  [ -f "$d/bank_marketing/bank-full.csv" ] && src="$d/bank_marketing/bank-full.csv" && break
done
[ -n "$src" ] || { echo "bank-full.csv not found under ../shared/datasets" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }

cargo build -q --release --bin leadforest
cli=target/release/leadforest

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
big="$tmp/bank-full-big.csv"
head -n 1 "$src" > "$big"
body_bytes=$(tail -n +2 "$src" | wc -c)
copies=$(( (TARGET_MB * 1000 * 1000 + body_bytes - 1) / body_bytes ))
for _ in $(seq 1 "$copies"); do tail -n +2 "$src" >> "$big"; done
bytes=$(stat -c %s "$big")
rows=$(( $(wc -l < "$big") - 1 ))

walls=(); cpus=(); rss=()
for _ in $(seq 1 "$RUNS"); do
  /usr/bin/time -v "$cli" profile "$big" --json > /dev/null 2> "$tmp/time.txt"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tmp/time.txt")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$tmp/time.txt")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  walls+=("$wall"); cpus+=("$cpu"); rss+=("$kb")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall=$(median "${walls[@]}"); cpu=$(median "${cpus[@]}"); kb=$(median "${rss[@]}")

echo
echo "parse + inference: bank-full x$copies ($rows rows), median of $RUNS runs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-9s | %-8s | %-11s | %-10s | %-13s | %-9s | %-11s |\n' "CSV (MB)" "wall (s)" "MB/s (wall)" "CPU (s)" "MB/s (CPU)" "peak (MB)" "peak / CSV"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "-----------" "----------" "-------------" "------------" "---------------" "-----------" "-------------"
awk -v b="$bytes" -v w="$wall" -v c="$cpu" -v k="$kb" 'BEGIN {
  mb = b / 1e6; peak = k * 1024 / 1e6;
  printf "| %-9.1f | %-8.2f | %-11.1f | %-10.2f | %-13.1f | %-9.1f | %-11.2f |\n", mb, w, mb / w, c, mb / c, peak, peak / mb }'
echo "bars: >= 100 MB/s; peak <= 2.00 x CSV"
