#!/usr/bin/env bash
# The response cache under a steady write rate: the Zipf read mix (3,000 list queries, 16 connections) while
# 0, 1, 10 and 100 writes/s arrive; for each, the reads' hit ratio (from X-Cache) and req/s, p50, p99.
#   bench/cache-writes.sh [--products 1000000] [--seconds 30] [--reuse] [--jar FILE] [--label NAME] [--env K=V]...
# --env passes a setting to the service (e.g. --env CACHE_MAX_STALENESS=1s, --env CACHE_WARMING_ENABLED=false);
# --reuse keeps the database and index of the previous run of the same size. Needs PostgreSQL (127.0.0.1:5432,
# trust auth), Redis (127.0.0.1:6379), wrk, curl and python3. Results: bench/results/cache-writes.md.
set -euo pipefail
cd "$(dirname "$0")/.."
N=1000000 SECONDS_EACH=30 REUSE=false JAR= LABEL=default EXTRA=()
while [ $# -gt 0 ]; do
  case $1 in
    --products) N=$2; shift 2 ;;
    --seconds) SECONDS_EACH=$2; shift 2 ;;
    --reuse) REUSE=true; shift ;;
    --jar) JAR=$2; shift 2 ;;
    --label) LABEL=$2; shift 2 ;;
    --env) EXTRA+=("$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
WORK=bench/target/cache-$N
DB=gridserve_cache_$N
KEY=gs_bench_cache_adminadminadminadmin
PORT=8641
SERVICE_ENV=(ENABLE_CACHE=true REDIS_HOST=127.0.0.1 CACHE_NAMESPACE="bench-$$" "${EXTRA[@]}")
. bench/service.sh
URL=http://127.0.0.1:$PORT
reads() { wrk -t1 -c16 -d"$1"s --latency -s bench/wrk/zipf-reads.lua "$URL"; }
writes() { python3 bench/wrk/paced_writes.py "$URL" "$KEY" "$N" "$1" "$2"; }
ROWS=""
for RATE in 0 1 10 100; do
  echo "== $RATE writes/s: warm-up 10 s, then $SECONDS_EACH s"
  writes 1 1 > /dev/null # a new data version: what the previous rate cached is not this one's
  writes "$RATE" 10 > /dev/null &
  W=$!
  reads 10 > /dev/null
  wait $W
  writes "$RATE" "$SECONDS_EACH" > "$WORK/writes.txt" &
  W=$!
  reads "$SECONDS_EACH" > "$WORK/reads.txt"
  wait $W
  HIT=$(awk '$1 == "X-Cache" && $2 ~ /^(HIT|STALE)/ {s += $4} END {printf "%.1f", s * 100}' "$WORK/reads.txt")
  STALE=$(awk '$1 == "X-Cache" && $2 == "STALE" {s += $4} END {printf "%.1f", s * 100}' "$WORK/reads.txt")
  ROW="| $RATE | $(sed 's/.*rate //' "$WORK/writes.txt") | $HIT% | $STALE% | $(python3 bench/wrk/summary.py < "$WORK/reads.txt") |"
  echo "$ROW"
  ROWS+="$ROW"$'\n'
done
{
  echo
  echo "## $N products, $LABEL, $(date -u +%Y-%m-%d), build $BUILD (bench/cache-writes.sh)"
  echo
  echo "Settings: ${EXTRA[*]:-defaults}. Zipf reads (3,000 list queries, wrk 1 thread, 16 connections), cache on"
  echo "(L1 + Redis), $SECONDS_EACH s per write rate after 10 s of warm-up; writes are PUT {\"stock\": n} on random products."
  echo
  echo "| writes/s asked | writes/s done | hit ratio | of which stale | reads/s | p50 ms | p99 ms | non-2xx |"
  echo "|---|---|---|---|---|---|---|---|"
  printf "%s" "$ROWS"
} >> bench/results/cache-writes.md
echo "added to bench/results/cache-writes.md"
