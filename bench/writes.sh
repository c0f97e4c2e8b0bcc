#!/usr/bin/env bash
# Writes on a big, busy catalogue: the read mix alone, 16 writers alone (PUT {"stock": n} on random products,
# each answered once this instance's index shows it), then both at once; req/s and wrk's p50/p99 for each.
#   bench/writes.sh [--products 1000000] [--seconds 30] [--clients 16] [--reuse] [--cache] [--jar FILE]
# --reuse keeps the database and index of the previous run of the same size (seeding 10M takes ~15 min);
# --cache runs with the response cache on (Redis on 127.0.0.1:6379); --jar measures another build (an earlier
# commit's, for a before/after in one session) instead of this checkout's. Needs PostgreSQL on 127.0.0.1:5432 (trust
# auth), wrk, curl and python3. Results: bench/results/writes-<products>.md (and the console).
set -euo pipefail
cd "$(dirname "$0")/.."
N=1000000 SECONDS_EACH=30 CLIENTS=16 REUSE=false CACHE=false JAR=
while [ $# -gt 0 ]; do
  case $1 in
    --products) N=$2; shift 2 ;;
    --seconds) SECONDS_EACH=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --reuse) REUSE=true; shift ;;
    --cache) CACHE=true; shift ;;
    --jar) JAR=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
WORK=bench/target/writes-$N
DB=gridserve_writes_$N
KEY=gs_bench_writes_adminadminadminadmin
PORT=8631
SERVICE_ENV=(ENABLE_CACHE=$CACHE)
. bench/service.sh
URL=http://127.0.0.1:$PORT
reads() { wrk -t1 -c"$CLIENTS" -d"$1"s --latency -s bench/wrk/mix-8-shapes.lua "$URL"; }
writes() { wrk -t1 -c"$CLIENTS" -d"$1"s --latency -s bench/wrk/put-stock.lua "$URL" -- "$N" "$KEY"; }
summary() { python3 bench/wrk/summary.py; }
echo "== warm-up"
reads 15 > /dev/null
writes 15 > /dev/null
reads 15 > /dev/null
echo "== measuring, $SECONDS_EACH s each"
R_ALONE=$(reads "$SECONDS_EACH" | summary)
W_ALONE=$(writes "$SECONDS_EACH" | summary)
reads "$SECONDS_EACH" > "$WORK/both-reads.txt" &
READERS=$!
writes "$SECONDS_EACH" > "$WORK/both-writes.txt"
wait $READERS
R_BOTH=$(summary < "$WORK/both-reads.txt")
W_BOTH=$(summary < "$WORK/both-writes.txt")
# the reconciler's next check after the writes (it compares index and database once they are quiet)
END=$(date -u +%Y-%m-%dT%H:%M:%S)
RECON=unknown
for _ in $(seq 1 90); do
  RECON=$(curl -s "localhost:$PORT/health" | python3 -c '
import sys, json
r = json.load(sys.stdin)["index"]["reconciliation"]
print(r["in_sync"] if r and r["checked_at"][:19] > sys.argv[1] else "pending")' "$END")
  [ "$RECON" != pending ] && [ "$RECON" != None ] && break
  sleep 1
done
{
  echo "# Writes on a busy catalogue: $N products ($(date -u +%Y-%m-%d), build $BUILD)"
  echo
  echo "One service (\`-Xmx$HEAP\`, cache $([ "$CACHE" = true ] && echo on || echo off), rate limits off), wrk with"
  echo "$CLIENTS connections per load, $SECONDS_EACH s each after a warm-up. Reads: \`bench/wrk/mix-8-shapes.lua\`;"
  echo "writes: \`PUT {\"stock\": n}\` on random products, each answered once this instance's index shows it."
  echo
  echo "| load | req/s | p50 ms | p99 ms | non-2xx |"
  echo "|---|---|---|---|---|"
  echo "| reads alone | $R_ALONE |"
  echo "| writes alone | $W_ALONE |"
  echo "| reads, beside the writers | $R_BOTH |"
  echo "| writes, beside the readers | $W_BOTH |"
  echo
  echo "The reconciler's first comparison of index and database after the writes: in_sync = $RECON."
} | tee "bench/results/writes-$N${JAR:+-$(basename "$JAR" .jar)}.md"
