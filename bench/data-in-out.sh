#!/usr/bin/env bash
# Data in and out at scale: export rows/s (CSV, NDJSON, XLSX) and the exporting service's peak heap, then the
# CSV imported into an empty database: rows written per second and how long until they are all searchable.
#   bench/data-in-out.sh [--products 1000000]
# Needs PostgreSQL on 127.0.0.1:5432 (trust auth), curl and python3. Drops and recreates the databases
# gridserve_io_src and gridserve_io_dst. Results: bench/results/data-in-out.md (and the console).
set -euo pipefail
cd "$(dirname "$0")/.."
N=1000000
while [ $# -gt 0 ]; do
  case $1 in
    --products) N=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
./mvnw -q -B package -DskipTests
JDK=$( (ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null || true) | head -1)
JAVA_BIN=${JAVA_HOME:-$JDK}/bin/java
[ -x "$JAVA_BIN" ] || JAVA_BIN=java
WORK=bench/target/data-in-out
rm -rf "$WORK" && mkdir -p "$WORK"
cp "$(ls target/gridserve-*.jar | head -1)" "$WORK/gridserve.jar"
KEY=gs_bench_io_adminadminadminadminadmin
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

fresh_db() {
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null 2>&1
}

# start NAME DB PORT HEAP [extra java options...]: a service on its own data directory, ready when it answers
start() {
  local name=$1 db=$2 port=$3 heap=$4; shift 4
  DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/$db DATABASE_USER=postgres ENABLE_CACHE=false \
    RATE_LIMIT_ENABLED=false SEED_ON_EMPTY=0 ADMIN_API_KEY=$KEY DATA_DIR=$WORK/data-$name \
    SERVER_PORT=$port MANAGEMENT_PORT=$((port + 1)) \
    "$JAVA_BIN" "-Xmx$heap" "$@" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -jar "$WORK/gridserve.jar" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 900); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/api/v1/products?page_size=1")" = 200 ] && return
    sleep 1
  done
  echo "$name did not start; see $WORK/$name.log" >&2
  exit 1
}

echo "== seeding $N products"
fresh_db gridserve_io_src
t0=$(date +%s.%N)
DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/gridserve_io_src DATABASE_USER=postgres SEED_ON_EMPTY=0 \
  ADMIN_API_KEY=$KEY DATA_DIR=$WORK/data-export SERVER_PORT=8621 MANAGEMENT_PORT=8622 "$JAVA_BIN" -Xmx2g --add-modules jdk.incubator.vector \
  --enable-native-access=ALL-UNNAMED -jar "$WORK/gridserve.jar" --seed="$N" --exit > "$WORK/seed.log" 2>&1
echo "seeded and indexed in $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s"

echo "== export, service at -Xmx256m (over the index the seed built)"
start export gridserve_io_src 8601 256m "-Xlog:gc:file=$WORK/gc-export.log"
{
  echo "| format | bytes | seconds | rows/s |"
  echo "|---|---|---|---|"
  for f in csv ndjson xlsx; do
    if [ "$f" = xlsx ] && [ "$N" -gt 1048575 ]; then continue; fi
    read -r bytes secs < <(curl -s -o "$WORK/export.$f" -w '%{size_download} %{time_total}\n' \
      "localhost:8601/api/v1/products/export?format=$f")
    echo "| $f | $bytes | $secs | $(python3 -c "print(round($N / $secs))") |"
  done
} | tee "$WORK/export.md"
# the largest heap in use before any collection during the exports (G1 logs "164M->61M(184M)")
PEAK=$(grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$WORK/gc-export.log" | sed 's/M->.*//' | sort -n | tail -1)
echo "peak heap in use: ${PEAK} MB (limit 256 MB)"
kill "${PIDS[0]}"

echo "== import of the CSV (without _id) into an empty database, all_or_nothing"
sed '1s/^_id,//; 2,$s/^[0-9]*,//' "$WORK/export.csv" > "$WORK/import.csv"
fresh_db gridserve_io_dst
start import gridserve_io_dst 8611 2g
t0=$(date +%s.%N)
JOB=$(curl -s -D - -o /dev/null -H "X-API-Key: $KEY" -H 'Content-Type: text/csv' --data-binary "@$WORK/import.csv" \
  localhost:8611/api/v1/products/import | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
WRITTEN=""
while true; do
  STATE=$(curl -s -H "X-API-Key: $KEY" "localhost:8611$JOB" | python3 -c 'import sys, json; print(json.load(sys.stdin)["state"])')
  now=$(date +%s.%N)
  if [ -z "$WRITTEN" ] && { [ "$STATE" = indexing ] || [ "$STATE" = succeeded ]; }; then WRITTEN=$now; fi
  case $STATE in succeeded|failed) break ;; esac
  sleep 0.5
done
DONE=$(date +%s.%N)
python3 - "$t0" "$WRITTEN" "$DONE" "$N" "$STATE" <<'EOF' | tee "$WORK/import.md"
import sys
t0, written, done, n, state = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
print(f"import {state}: {n} rows written in {written - t0:.1f} s ({n / (written - t0):,.0f} rows/s), "
      f"all searchable {done - written:.1f} s later ({done - t0:.1f} s in all)")
EOF

# each run adds its section: earlier runs (other commits, other VMs) stay for comparison
{
  echo
  echo "## $N products, $(date -u +%Y-%m-%d), commit $(git describe --always --dirty) (bench/data-in-out.sh)"
  echo
  echo "Export from one service at -Xmx256m, whole catalogue; peak heap in use ${PEAK} MB:"
  echo
  cat "$WORK/export.md"
  echo
  echo "Import (POST /api/v1/products/import, CSV, all_or_nothing) into an empty database:"
  cat "$WORK/import.md"
} >> bench/results/data-in-out.md
echo "added to bench/results/data-in-out.md"
