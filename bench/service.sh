# Shared by the benches that run one service over a seeded PostgreSQL database (writes.sh, cache-writes.sh):
# source it after setting N, JAR, REUSE, WORK, DB, KEY, PORT and SERVICE_ENV (an array of NAME=value settings
# on top of the common ones); it builds or copies the jar, seeds when needed and starts the service (PID),
# stopping it when the script ends.
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 2; }
[ -n "$JAR" ] || ./mvnw -q -B package -DskipTests
JDK=$( (ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null || true) | head -1)
JAVA_BIN=${JAVA_HOME:-$JDK}/bin/java
[ -x "$JAVA_BIN" ] || JAVA_BIN=java
HEAP=$([ "$N" -gt 2000000 ] && echo 6g || echo 2g)
mkdir -p "$WORK"
cp "${JAR:-$(ls target/gridserve-*.jar | head -1)}" "$WORK/gridserve.jar"
BUILD=$([ -n "$JAR" ] && basename "$JAR" || git describe --always --dirty)
PID=""
# the service's end (143, killed) is not the script's: its status stays that of the run, for && chains
trap 'st=$?; if [ -n "$PID" ]; then kill $PID 2>/dev/null; wait $PID 2>/dev/null; fi; exit $st' EXIT

# runs in a subshell (the service in the background, the seed in parentheses), which java replaces: $! is java
run_java() {
  exec env DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/$DB DATABASE_USER=postgres RATE_LIMIT_ENABLED=false \
    SEED_ON_EMPTY=0 ADMIN_API_KEY=$KEY DATA_DIR=$WORK/data AWAIT_INDEX_ON_START=true SERVER_PORT=$PORT \
    MANAGEMENT_PORT=$((PORT + 1)) "${SERVICE_ENV[@]}" \
    "$JAVA_BIN" "-Xmx$HEAP" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -jar "$WORK/gridserve.jar" "$@"
}

if [ "$REUSE" = false ] || ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$DB"; then
  echo "== seeding $N products"
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
  rm -rf "$WORK/data"
  (run_java --seed="$N" --exit > "$WORK/seed.log" 2>&1)
fi
SERVICE_LOG=$WORK/service-${LABEL:-run}.log
SERVICE_LOG=${SERVICE_LOG//[^A-Za-z0-9._\/-]/_}
run_java > "$SERVICE_LOG" 2>&1 &
PID=$!
for _ in $(seq 1 1800); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$PORT/api/v1/products?page_size=1")" = 200 ] && break
  kill -0 $PID 2>/dev/null || { echo "the service stopped; see $SERVICE_LOG" >&2; exit 1; }
  sleep 1
done
