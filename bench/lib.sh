# Shared by the scripts in bench/: a database, an ingestion-api process and a source to load.
# Source it after setting ROOT, PORT, APP_DIR, LOG and DB.

say() { echo "$(basename "$0"): $*" >&2; }

# bench_build [MODULE...]: builds ingestion-api and the given modules (e.g. bench/echo), with the
# project's modules they depend on (-am: a fresh machine has none of them installed yet).
bench_build() {
  if [ "${SKIP_BUILD:-0}" != "1" ]; then
    say "building ingestion-api $* (SKIP_BUILD=1 skips this)"
    (cd "${ROOT}" && ./mvnw -B -ntp -q -pl "$(IFS=,; echo "ingestion-api${*:+,$*}")" -am install -DskipTests)
  fi
}

# Exports QUARKUS_DATASOURCE_* for database DB and the PG* variables psql/pgbench read.
bench_database() {
  local env hostport
  # postgres.sh has said why when it fails; without the exit, eval would drop its status.
  env="$("${ROOT}/scripts/postgres.sh" env "${DB}")" || exit 2
  eval "${env}"
  hostport="${QUARKUS_DATASOURCE_JDBC_URL#jdbc:postgresql://}"
  hostport="${hostport%%/*}"
  export PGHOST="${hostport%%:*}" PGPORT="${hostport##*:}" PGDATABASE="${QUARKUS_DATASOURCE_JDBC_URL##*/}"
  export PGUSER="${QUARKUS_DATASOURCE_USERNAME}" PGPASSWORD="${QUARKUS_DATASOURCE_PASSWORD}"
}

ADMIN_TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

# Starts ingestion-api on PORT (log appended to LOG) and waits until it is ready; sets SERVER.
bench_start_server() {
  mkdir -p "$(dirname "${LOG}")"
  if (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null; then
    say "port ${PORT} is already in use; stop what listens there or set PORT"
    exit 1
  fi
  say "starting ingestion-api on port ${PORT} (log: ${LOG})"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  TRIBUTARY_ADMIN_TOKEN="${ADMIN_TOKEN}" TRIBUTARY_REGULATIONS_HASH_KEY="${ADMIN_TOKEN}-regulations" java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -Dquarkus.http.port="${PORT}" \
    -jar "${APP_DIR}/quarkus-run.jar" >>"${LOG}" 2>&1 &
  SERVER=$!
  bench_wait_ready ingestion-api "${PORT}" "${SERVER}" "${LOG}"
}

# Waits up to two minutes until the service NAME on PORT (process PID, log LOGFILE) is ready;
# exits with the end of its log when it is not.
bench_wait_ready() {
  for _ in $(seq 240); do
    curl -fsS "http://localhost:$2/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$3" 2>/dev/null || break
    sleep 0.5
  done
  say "$1 did not become ready; the end of $4:"
  tail -n 30 "$4" >&2
  exit 1
}

bench_admin() { curl -fsS -H "Authorization: Bearer ${ADMIN_TOKEN}" -H 'Content-Type: application/json' "$@"; }
bench_json() { python3 -c "import sys, json; print(json.load(sys.stdin)['$1'])"; }

# Creates a workspace with limits far above the machine's capacity (the scripts measure the
# pipeline, not the limiter) and a source; sets WORKSPACE_ID, SOURCE_ID and WRITE_KEY.
bench_create_source() {
  local source_json
  WORKSPACE_ID="$(bench_admin -d "{\"name\":\"$1\",\"eventsPerSecond\":100000000,\"burst\":100000000}" \
    "http://localhost:${PORT}/admin/v1/workspaces" | bench_json id)"
  source_json="$(bench_admin -d "{\"name\":\"$1\"}" \
    "http://localhost:${PORT}/admin/v1/workspaces/${WORKSPACE_ID}/sources")"
  SOURCE_ID="$(echo "${source_json}" | bench_json id)"
  WRITE_KEY="$(echo "${source_json}" | bench_json writeKey)"
}
