#!/usr/bin/env bash
# Runs the Tributary platform on this machine; Ctrl-C stops it.
#
#   scripts/run-local.sh
#
# 1. Builds the services once (./mvnw install -DskipTests); SKIP_BUILD=1 reuses the last build.
# 2. Gets a PostgreSQL database through scripts/postgres.sh (which reuses a server or starts the
#    project's private cluster; that cluster keeps running afterwards: scripts/postgres.sh stop).
# 3. Uses TRIBUTARY_ADMIN_TOKEN / TRIBUTARY_SERVICE_TOKEN when set, otherwise generates both.
# 4. Starts ingestion-api (8080), sla-evaluator (8081) and notice-service (8082) from
#    <service>/target/quarkus-app/quarkus-run.jar, logs in .run/logs/<service>.log, and waits
#    until each one is ready (READY_TIMEOUT seconds each, default 120).
#    Before them it starts a local SMTP sink (GreenMail standalone, fetched once through ./mvnw into
#    .run/tools/) on 127.0.0.1:3025, with its REST API on 127.0.0.1:8025 and its log in
#    .run/logs/smtp-sink.log, and points notice-service's primary and failover SMTP servers at it,
#    so every email notice-service sends lands there. Without it (fetch or start fails, or a port
#    is taken) the run goes on and notice-service keeps its configured SMTP servers.
# 5. Creates a demo workspace and source through the admin API and prints the source's write key
#    with a ready-to-paste curl example, and one that sends a notice to the sink.
#
# Optional: JAVA_OPTS (extra JVM options for every service, split on spaces); SMTP_SINK=0 skips the
# SMTP sink; SMTP_SINK_PORT / SMTP_SINK_API_PORT (default 3025 / 8025) move it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

SERVICES="ingestion-api sla-evaluator notice-service"
INGESTION_URL="http://localhost:8080"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
RUN_DIR="${ROOT}/.run"
LOG_DIR="${RUN_DIR}/logs"
TOOLS_DIR="${ROOT}/.run/tools"
SMTP_SINK_ARTIFACT="com.icegreen:greenmail-standalone:2.1.3"
SMTP_SINK_JAR="${TOOLS_DIR}/greenmail-standalone-2.1.3.jar"
SMTP_SINK_PORT="${SMTP_SINK_PORT:-3025}"
SMTP_SINK_API_PORT="${SMTP_SINK_API_PORT:-8025}"
SMTP_SINK_TIMEOUT=60
SINK_PID=""  # the SMTP sink's java process, when it runs (also in PIDS)

PIDS=""      # java processes started by this script
STARTED=""   # "service:port" of each of them

say() { echo "run-local: $*" >&2; }
die() { say "$*"; exit 1; }

port_of() {
  case "$1" in
    ingestion-api) echo 8080 ;;
    sla-evaluator) echo 8081 ;;
    notice-service) echo 8082 ;;
    *) die "unknown service $1" ;;
  esac
}

stop_services() {
  trap - INT TERM EXIT
  [ -n "${PIDS}" ] || return 0
  say "stopping the services${SINK_PID:+ and the SMTP sink}..."
  local pid waited=0
  for pid in ${PIDS}; do kill -TERM "${pid}" 2>/dev/null || true; done
  for pid in ${PIDS}; do
    while kill -0 "${pid}" 2>/dev/null && [ "${waited}" -lt 30 ]; do sleep 1; waited=$((waited + 1)); done
    kill -0 "${pid}" 2>/dev/null && kill -KILL "${pid}" 2>/dev/null || true
    wait "${pid}" 2>/dev/null || true
  done
  PIDS=""
  say "stopped (the PostgreSQL cluster keeps running; scripts/postgres.sh stop stops it)"
}
trap stop_services EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

random_token() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

# json_field FIELD: reads a JSON object on stdin, prints its top-level FIELD (string or number).
json_field() {
  local json value=""
  json="$(cat)"
  if command -v python3 >/dev/null 2>&1; then
    value="$(printf '%s' "${json}" | python3 -c '
import json, sys
value = json.load(sys.stdin).get(sys.argv[1])
print("" if value is None else value)' "$1" 2>/dev/null)" || value=""
  fi
  if [ -z "${value}" ]; then
    # Without python3: drop the outer braces, then collapse nested objects and arrays until only
    # the top-level fields are left, and pick FIELD among them.
    value="$(printf '%s' "${json}" | tr -d '\n' |
      sed -E -e 's/^[[:space:]]*[{]//' -e 's/[}][[:space:]]*$//' \
        -e ':a' -e 's/[{][^{}]*[}]|\[[^][]*\]/0/g' -e 'ta' |
      grep -oE "\"$1\"[[:space:]]*:[[:space:]]*(\"[^\"]*\"|[0-9]+)" | head -n1 |
      sed -E 's/^[^:]*:[[:space:]]*"?([^"]*)"?$/\1/')" || value=""
  fi
  printf '%s' "${value}"
}

# admin_post PATH JSON: POSTs to the admin API; prints the body, fails unless the answer is 201.
admin_post() {
  local out status
  out="$(curl -sS -X POST -H "Authorization: Bearer ${TRIBUTARY_ADMIN_TOKEN}" \
    -H 'Content-Type: application/json' -d "$2" -w '\n%{http_code}' "${INGESTION_URL}$1")" || return 1
  status="${out##*$'\n'}"
  out="${out%$'\n'*}"
  if [ "${status}" != "201" ]; then
    say "POST $1 answered ${status}: ${out}"
    return 1
  fi
  printf '%s' "${out}"
}

command -v java >/dev/null 2>&1 || die "java (17 or newer) is needed on the PATH"
command -v curl >/dev/null 2>&1 || die "curl is needed on the PATH"

# start_smtp_sink: fetches GreenMail standalone once and starts it on 127.0.0.1; sets SINK_PID
# when its SMTP port accepts connections. Fails (with a warning) otherwise; the run goes on.
start_smtp_sink() {
  local port pid deadline
  for port in "${SMTP_SINK_PORT}" "${SMTP_SINK_API_PORT}"; do
    if port_in_use "${port}"; then
      say "WARNING: port ${port} is already in use; not starting the SMTP sink"
      return 1
    fi
  done
  if [ ! -s "${SMTP_SINK_JAR}" ]; then
    say "fetching the SMTP sink ${SMTP_SINK_ARTIFACT} into .run/tools/ (once)..."
    mkdir -p "${TOOLS_DIR}"
    if ! ./mvnw -B -ntp -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      "-Dartifact=${SMTP_SINK_ARTIFACT}" "-DoutputDirectory=${TOOLS_DIR}" \
      >"${LOG_DIR}/smtp-sink.log" 2>&1 </dev/null || [ ! -s "${SMTP_SINK_JAR}" ]; then
      say "WARNING: could not fetch ${SMTP_SINK_ARTIFACT} (see .run/logs/smtp-sink.log)"
      return 1
    fi
  fi
  say "starting the SMTP sink on 127.0.0.1:${SMTP_SINK_PORT}, API on 127.0.0.1:${SMTP_SINK_API_PORT} (log: .run/logs/smtp-sink.log)"
  java "-Dgreenmail.smtp.hostname=127.0.0.1" "-Dgreenmail.smtp.port=${SMTP_SINK_PORT}" \
    "-Dgreenmail.api.hostname=127.0.0.1" "-Dgreenmail.api.port=${SMTP_SINK_API_PORT}" \
    -Dgreenmail.auth.disabled -Dgreenmail.verbose -jar "${SMTP_SINK_JAR}" \
    >"${LOG_DIR}/smtp-sink.log" 2>&1 </dev/null &
  pid=$!
  PIDS="${PIDS} ${pid}"
  deadline=$((SECONDS + SMTP_SINK_TIMEOUT))
  until port_in_use "${SMTP_SINK_PORT}"; do
    if ! kill -0 "${pid}" 2>/dev/null || [ "${SECONDS}" -ge "${deadline}" ]; then
      say "WARNING: the SMTP sink did not start; going on without it. The end of .run/logs/smtp-sink.log:"
      tail -n 20 "${LOG_DIR}/smtp-sink.log" >&2 || true
      kill -TERM "${pid}" 2>/dev/null || true
      return 1
    fi
    sleep 1
  done
  SINK_PID="${pid}"
  say "the SMTP sink is ready on 127.0.0.1:${SMTP_SINK_PORT}"
}

# 1. Build.
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  say "building the services (./mvnw install -DskipTests; SKIP_BUILD=1 skips this)..."
  ./mvnw -B -ntp -q install -DskipTests
fi

# 2. Database.
db_env="$(scripts/postgres.sh env tributary)" || die "no database; see the messages of scripts/postgres.sh above"
eval "${db_env}"

# 3. Tokens.
if [ -z "${TRIBUTARY_ADMIN_TOKEN:-}" ]; then TRIBUTARY_ADMIN_TOKEN="$(random_token)"; fi
if [ -z "${TRIBUTARY_SERVICE_TOKEN:-}" ]; then TRIBUTARY_SERVICE_TOKEN="$(random_token)"; fi
export TRIBUTARY_ADMIN_TOKEN TRIBUTARY_SERVICE_TOKEN

# 4. SMTP sink, then the services.
mkdir -p "${LOG_DIR}"
if [ "${SMTP_SINK:-1}" != "0" ]; then
  start_smtp_sink || say "WARNING: no SMTP sink; notice-service sends email to its configured SMTP servers"
fi
for svc in ${SERVICES}; do
  jar="${svc}/target/quarkus-app/quarkus-run.jar"
  if [ ! -f "${jar}" ]; then
    say "WARNING: ${jar} does not exist; not starting ${svc} (run without SKIP_BUILD=1 to build it)"
    continue
  fi
  port="$(port_of "${svc}")"
  port_in_use "${port}" && die "port ${port} (${svc}) is already in use; stop whatever listens there first"
  case "${svc}" in
    sla-evaluator) extra="-Dquarkus.rest-client.ingestion-api.url=${INGESTION_URL} -Dquarkus.rest-client.notice-service.url=http://localhost:8082" ;;
    notice-service)
      extra="-Dquarkus.rest-client.ingestion-api.url=${INGESTION_URL}"
      # Both the primary and the failover SMTP server are the sink (quarkus.mailer.from is set in
      # notice-service's application.properties).
      if [ -n "${SINK_PID}" ]; then
        extra="${extra} -Dquarkus.mailer.host=127.0.0.1 -Dquarkus.mailer.port=${SMTP_SINK_PORT}"
        extra="${extra} -Dquarkus.mailer.secondary.host=127.0.0.1 -Dquarkus.mailer.secondary.port=${SMTP_SINK_PORT}"
      fi
      ;;
    *) extra="" ;;
  esac
  say "starting ${svc} on port ${port} (log: .run/logs/${svc}.log)"
  # A JVM out of memory exits (and is seen to) rather than live on half-dead.
  # shellcheck disable=SC2086 # JAVA_OPTS and extra are lists of options on purpose
  java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} "-Dquarkus.http.port=${port}" ${extra} \
    -jar "${jar}" \
    >"${LOG_DIR}/${svc}.log" 2>&1 </dev/null &
  PIDS="${PIDS} $!"
  STARTED="${STARTED} ${svc}:${port}:$!"
done
[ -n "${STARTED}" ] || die "no service to start; build them first (./mvnw -B -ntp install -DskipTests)"

for entry in ${STARTED}; do
  svc="${entry%%:*}"; rest="${entry#*:}"; port="${rest%%:*}"; pid="${rest#*:}"
  deadline=$((SECONDS + READY_TIMEOUT))
  until curl -fsS -o /dev/null --max-time 5 "http://localhost:${port}/q/health/ready" 2>/dev/null; do
    if ! kill -0 "${pid}" 2>/dev/null || [ "${SECONDS}" -ge "${deadline}" ]; then
      if kill -0 "${pid}" 2>/dev/null; then
        say "${svc} is not ready after ${READY_TIMEOUT} s; the end of .run/logs/${svc}.log:"
      else
        say "${svc} stopped while starting; the end of .run/logs/${svc}.log:"
      fi
      tail -n 40 "${LOG_DIR}/${svc}.log" >&2 || true
      exit 1
    fi
    sleep 1
  done
  say "${svc} is ready on http://localhost:${port}"
done

# 5. Demo workspace and source.
write_key=""
case " ${STARTED}" in
  *" ingestion-api:"*)
    if workspace="$(admin_post /admin/v1/workspaces \
      '{"name":"Demo workspace","timeZone":"UTC","contacts":[{"name":"Demo Ops","email":"ops@demo.example"}]}')" &&
      workspace_id="$(printf '%s' "${workspace}" | json_field id)" && [ -n "${workspace_id}" ] &&
      source="$(admin_post "/admin/v1/workspaces/${workspace_id}/sources" '{"name":"demo-source"}')" &&
      write_key="$(printf '%s' "${source}" | json_field writeKey)" && [ -n "${write_key}" ]; then
      :
    else
      write_key=""
      say "WARNING: could not create the demo workspace and source through the admin API"
    fi
    ;;
  *) say "WARNING: ingestion-api is not running, so there is no demo workspace" ;;
esac

# For the README's examples: the tokens and the demo workspace of this run (owner-only file).
(
  umask 077
  {
    echo "export TRIBUTARY_ADMIN_TOKEN='${TRIBUTARY_ADMIN_TOKEN}'"
    echo "export TRIBUTARY_SERVICE_TOKEN='${TRIBUTARY_SERVICE_TOKEN}'"
    echo "export DEMO_WORKSPACE_ID='${workspace_id:-}'"
    echo "export DEMO_WRITE_KEY='${write_key}'"
  } >"${RUN_DIR}/env"
)

# Summary.
echo
echo "Tributary is running. Ctrl-C stops the services."
echo
for entry in ${STARTED}; do
  svc="${entry%%:*}"; rest="${entry#*:}"; port="${rest%%:*}"
  printf '  %-15s http://localhost:%s  (OpenAPI: /q/openapi, metrics: /q/metrics, health: /q/health)\n' "${svc}" "${port}"
  printf '  %-15s log: .run/logs/%s.log\n' "" "${svc}"
done
echo
echo "  Admin token:  ${TRIBUTARY_ADMIN_TOKEN}"
echo "                (Authorization: Bearer <token> on ${INGESTION_URL}/admin/v1/...)"
if [ -n "${write_key}" ]; then
  echo "  Demo workspace ${workspace_id}, source write key: ${write_key}"
  echo
  echo "  Send an event:"
  echo "    curl -u \"${write_key}:\" -H 'Content-Type: application/json' -d '{\"userId\":\"u1\",\"event\":\"Signed Up\"}' ${INGESTION_URL}/v1/track"
  echo "  Point a Segment library at it (the root README's table has each library's option), e.g. in a web page:"
  echo "    AnalyticsBrowser.load({ writeKey: '${write_key}', cdnURL: '${INGESTION_URL}' })"
  case " ${STARTED}" in
    *" sla-evaluator:"*)
      echo
      echo "  The demo workspace's SLA report for this month (the evaluator probes the six endpoints every minute):"
      echo "    curl -H 'Authorization: Bearer ${TRIBUTARY_ADMIN_TOKEN}' http://localhost:8081/v1/workspaces/${workspace_id}/reports/\$(date -u +%Y-%m)"
      echo "  and its per-minute ledger for the last hour:"
      echo "    curl -H 'Authorization: Bearer ${TRIBUTARY_ADMIN_TOKEN}' \"http://localhost:8081/v1/workspaces/${workspace_id}/minutes?from=\$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:00Z)&to=\$(date -u +%Y-%m-%dT%H:%M:00Z)\""
      ;;
  esac
fi
if [ -n "${SINK_PID}" ]; then
  sink_api="http://127.0.0.1:${SMTP_SINK_API_PORT}"
  echo
  echo "  SMTP sink (GreenMail): smtp://127.0.0.1:${SMTP_SINK_PORT}, notice-service's primary and failover SMTP server;"
  echo "                         every email notice-service sends ends here (log: .run/logs/smtp-sink.log)"
  echo "    mailboxes:           curl ${sink_api}/api/user"
  echo "    a mailbox's mail:    curl ${sink_api}/api/user/<email>/messages/INBOX"
  echo "    API reference:       ${sink_api}/  (a web page; its viewer script comes from the internet)"
  case " ${STARTED}" in
    *" notice-service:"*)
      echo
      echo "  Send a notice (GENERAL, to every workspace's contacts):"
      echo "    curl -H 'Authorization: Bearer ${TRIBUTARY_ADMIN_TOKEN}' -H 'Content-Type: application/json' -d '{\"kind\":\"GENERAL\",\"audience\":{\"type\":\"ALL\"},\"subject\":\"Hello\",\"body\":\"Test notice\"}' http://localhost:8082/v1/notices"
      if [ -n "${write_key}" ]; then
        echo "  and read it (a few seconds later) in the demo workspace contact's mailbox:"
        echo "    curl ${sink_api}/api/user/ops@demo.example/messages/INBOX"
      else
        echo "  and read it (a few seconds later) in the recipients' mailboxes: curl ${sink_api}/api/user"
      fi
      ;;
  esac
fi
echo
echo "  Database: ${QUARKUS_DATASOURCE_JDBC_URL:-${QUARKUS_DATASOURCE_REACTIVE_URL:-}} (user ${QUARKUS_DATASOURCE_USERNAME:-?})"
echo "  PostgreSQL keeps running after Ctrl-C; scripts/postgres.sh stop stops the private cluster."
echo

# Wait; a service that dies ends the run (and so stops the others).
while true; do
  for entry in ${STARTED}; do
    svc="${entry%%:*}"; pid="${entry##*:}"
    if ! kill -0 "${pid}" 2>/dev/null; then
      say "${svc} stopped; the end of .run/logs/${svc}.log:"
      tail -n 40 "${LOG_DIR}/${svc}.log" >&2 || true
      exit 1
    fi
  done
  if [ -n "${SINK_PID}" ] && ! kill -0 "${SINK_PID}" 2>/dev/null; then
    say "WARNING: the SMTP sink stopped (see .run/logs/smtp-sink.log); the services keep running"
    SINK_PID=""
  fi
  # `wait` (unlike a foreground sleep) returns at once when a trapped signal arrives.
  sleep 2 &
  wait $! || true
done
