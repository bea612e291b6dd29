# Shared by the reliability scenarios (reliability/run.sh sources it, then one scenario file).
#
# Each scenario runs the real services from their jars, on a PostgreSQL cluster of its own (it
# stops and starts that server, never one it merely found), with the CPU and memory limits of the
# Kubernetes manifests in k8s/ given to the JVM (-XX:MaxRAM, -XX:ActiveProcessorCount: the heap and
# thread pools the pod would get), and checks what it promises. A scenario calls rel_check for each
# promise and rel_row for each figure of its report table.

REL="${ROOT}/.run/reliability"
REL_LOGS="${REL}/logs"
REL_WORK="${REL}/work"
REL_RESULTS="${REL}/results"
REL_PG_PORT="${REL_PG_PORT:-55470}"
REL_DB=tributary_reliability
mkdir -p "${REL_LOGS}" "${REL_WORK}" "${REL_RESULTS}"

say() { echo "$(date -u +%H:%M:%S) ${SCENARIO:-reliability}: $*" >&2; }

# The tokens of this run: random, and grepped for in every log at the end (rel_secrets_check).
random_token() { od -An -N18 -tx1 /dev/urandom | tr -d ' \n'; }
export TRIBUTARY_ADMIN_TOKEN="rel-admin-$(random_token)"
export TRIBUTARY_SERVICE_TOKEN="rel-service-$(random_token)"
SECRETS_FILE="${REL_WORK}/secrets"
printf '%s\n%s\n' "${TRIBUTARY_ADMIN_TOKEN}" "${TRIBUTARY_SERVICE_TOKEN}" >"${SECRETS_FILE}"

declare -A PIDS=() PORTS=() SERVICE_OF=()

# --- PostgreSQL ----------------------------------------------------------------------------------
rel_pg() { TRIBUTARY_PG_PRIVATE=1 TRIBUTARY_PG_DIR="${REL}/postgres" TRIBUTARY_PG_PORT="${REL_PG_PORT}" \
  "${ROOT}/scripts/postgres.sh" "$@"; }

# Starts (or reuses) the scenarios' own cluster; exports QUARKUS_DATASOURCE_* and PG*.
rel_pg_start() {
  local env
  # postgres.sh has said why when it fails; without the exit, eval would drop its status.
  env="$(rel_pg env "${REL_DB}")" || exit 2
  eval "${env}"
  export PGHOST=127.0.0.1 PGPORT="${REL_PG_PORT}" PGDATABASE="${REL_DB}"
  export PGUSER="${QUARKUS_DATASOURCE_USERNAME}" PGPASSWORD="${QUARKUS_DATASOURCE_PASSWORD}"
}
# Stops the scenarios' cluster and fails unless the port then refuses connections: an outage that
# did not happen would pass as one the services rode out.
rel_pg_stop() {
  rel_pg stop
  if pg_isready -q -h 127.0.0.1 -p "${REL_PG_PORT}" -t 2; then
    echo "reliability: PostgreSQL on port ${REL_PG_PORT} still accepts connections after the stop" >&2
    return 1
  fi
}

# Drops the services' schemas: every scenario starts from empty tables.
rel_pg_reset() {
  psql -qAt -c "set client_min_messages to warning" -c "drop schema if exists ingestion cascade" \
    -c "drop schema if exists sla cascade" -c "drop schema if exists notice cascade" >/dev/null
}

# --- services ------------------------------------------------------------------------------------
# rel_limits SERVICE: sets LIMIT_CPU (whole CPUs, at least 1) and LIMIT_MEM_MB from the Deployment
# in k8s/SERVICE.yml.
rel_limits() {
  local cpu mem
  read -r cpu mem <<<"$(awk '/kind: Deployment/ { d = 1 } d && /^ *limits:/ { l = 1; next }
    d && l && /cpu:/ { gsub(/"/, "", $2); c = $2 } d && l && /memory:/ { print c, $2; exit }' \
    "${ROOT}/k8s/$1.yml")"
  case "${cpu}" in *m) cpu=$(((${cpu%m} + 999) / 1000)) ;; esac
  LIMIT_CPU="${cpu}"
  case "${mem}" in
    *Gi) LIMIT_MEM_MB=$((${mem%Gi} * 1024)) ;;
    *Mi) LIMIT_MEM_MB="${mem%Mi}" ;;
    *) say "cannot read the memory limit '${mem}' of k8s/$1.yml"; exit 1 ;;
  esac
}

# rel_manifest_env SERVICE: the QUARKUS_SHUTDOWN_* settings of the Deployment in k8s/SERVICE.yml,
# as NAME=VALUE words (how long the pod keeps serving after SIGTERM).
rel_manifest_env() {
  awk '/kind: Deployment/ { d = 1 } d && /- name: QUARKUS_SHUTDOWN_/ { n = $3; getline; print n "=" $2 }' \
    "${ROOT}/k8s/$1.yml"
}

# rel_start NAME SERVICE PORT [JAVA OPTIONS...]: starts SERVICE's jar as NAME (e.g. ingestion-2) on
# PORT with its manifest's limits and shutdown timings, the scenario database and the run's tokens;
# does not wait.
rel_start() {
  local name="$1" service="$2" port="$3"
  shift 3
  rel_limits "${service}"
  # The other services, where this one calls them.
  local clients=()
  case "${service}" in
    sla-evaluator | notice-service)
      clients+=("-Dquarkus.rest-client.ingestion-api.url=http://127.0.0.1:${PORTS[ingestion]:-18380}") ;;
  esac
  [ "${service}" = sla-evaluator ] &&
    clients+=("-Dquarkus.rest-client.notice-service.url=http://127.0.0.1:${PORTS[notice]:-18382}")
  local manifest_env
  read -r -a manifest_env <<<"$(rel_manifest_env "${service}" | tr '\n' ' ')"
  if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
    say "port ${port} is in use; stop what listens there"
    exit 1
  fi
  # shellcheck disable=SC2086 # REL_JAVA_OPTS is a list of options
  # The heap's share of the limit, as the image gives it.
  local heap_share
  heap_share="$(grep -o 'MaxRAMPercentage=[0-9]*' "${ROOT}/${service}/src/main/docker/Dockerfile.jvm")"
  env "${manifest_env[@]}" java -XX:MaxRAM="${LIMIT_MEM_MB}m" -XX:"${heap_share}" -XX:ActiveProcessorCount="${LIMIT_CPU}" \
    -XX:+ExitOnOutOfMemoryError ${REL_JAVA_OPTS:-} -Dquarkus.http.port="${port}" \
    "${clients[@]}" "$@" -jar "${ROOT}/${service}/target/quarkus-app/quarkus-run.jar" \
    >>"${REL_LOGS}/${SCENARIO}-${name}.log" 2>&1 </dev/null &
  PIDS[${name}]=$!
  PORTS[${name}]="${port}"
  SERVICE_OF[${name}]="${service}"
  say "started ${service} as ${name} on port ${port} (pid ${PIDS[${name}]}, ${LIMIT_CPU} CPU, ${LIMIT_MEM_MB} MiB; log ${REL_LOGS#"${ROOT}/"}/${SCENARIO}-${name}.log)"
}

# rel_wait_ready NAME [SECONDS]: waits until NAME answers UP on /q/health/ready; exits when it died.
rel_wait_ready() {
  local deadline=$((SECONDS + ${2:-120}))
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${PORTS[$1]}/q/health/ready" 2>/dev/null; do
    if ! rel_alive "$1" || [ "${SECONDS}" -ge "${deadline}" ]; then
      say "$1 is not ready; the end of its log:"
      tail -n 30 "${REL_LOGS}/${SCENARIO}-$1.log" >&2
      exit 1
    fi
    sleep 0.2
  done
}

# rel_ready_state NAME: UP, DOWN or NONE (no answer).
rel_ready_state() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:${PORTS[$1]}/q/health/ready" 2>/dev/null)"
  case "${code}" in 200) echo UP ;; 503) echo DOWN ;; *) echo NONE ;; esac
}

# rel_alive NAME: the process is running (not exited; an exited child stays a zombie until waited for).
rel_alive() { [ -n "${PIDS[$1]:-}" ] && [ -r "/proc/${PIDS[$1]}/status" ] && ! grep -q '^State:.*Z' "/proc/${PIDS[$1]}/status" 2>/dev/null; }

# rel_rss_peak NAME: the process's peak resident memory so far, in MiB (VmHWM).
rel_rss_peak() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/${PIDS[$1]}/status" 2>/dev/null || echo 0; }

# rel_kill NAME SIGNAL: sends SIGNAL and waits until the process is gone; sets EXIT_CODE.
rel_kill() {
  kill "-$2" "${PIDS[$1]}" 2>/dev/null || true
  EXIT_CODE=0
  wait "${PIDS[$1]}" 2>/dev/null || EXIT_CODE=$?
  unset "PIDS[$1]"
}

rel_stop_all() {
  local name
  for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[${name}]}" 2>/dev/null || true; done
  for name in "${!PIDS[@]}"; do wait "${PIDS[${name}]}" 2>/dev/null || true; done
  PIDS=()
}

rel_admin() { curl -fsS -H "Authorization: Bearer ${TRIBUTARY_ADMIN_TOKEN}" -H 'Content-Type: application/json' "$@"; }
rel_json() { python3 -c "import sys, json; print(json.load(sys.stdin)['$1'])"; }

# rel_source NAME [EVENTS_PER_SECOND]: a workspace (limit far above the machine unless given) and a
# source on ingestion-api; sets WORKSPACE_ID, SOURCE_ID and WRITE_KEY.
rel_source() {
  local rate="${2:-100000000}" base="http://127.0.0.1:${PORTS[ingestion]}" source_json
  WORKSPACE_ID="$(rel_admin -d "{\"name\":\"$1\",\"eventsPerSecond\":${rate},\"burst\":${rate}}" \
    "${base}/admin/v1/workspaces" | rel_json id)"
  source_json="$(rel_admin -d "{\"name\":\"$1\"}" "${base}/admin/v1/workspaces/${WORKSPACE_ID}/sources")"
  SOURCE_ID="$(echo "${source_json}" | rel_json id)"
  WRITE_KEY="$(echo "${source_json}" | rel_json writeKey)"
  echo "${WRITE_KEY}" >>"${SECRETS_FILE}"
}

# --- load ----------------------------------------------------------------------------------------
# The load programs, compiled once per run (the scenarios start many of them).
rel_compile() {
  mkdir -p "${REL_WORK}/classes"
  javac -d "${REL_WORK}/classes" "${ROOT}/reliability/LoadGen.java"
}

# rel_load NAME [LoadGen options...]: starts reliability/LoadGen.java in the background against
# ingestion (or --url); its summary goes to ${REL_WORK}/NAME.summary, its acked messageIds to
# ${REL_WORK}/NAME.acked. Sets LOAD_PIDS[NAME].
declare -A LOAD_PIDS=()
rel_load() {
  local name="$1"
  shift
  rm -f "${REL_WORK}/${name}.stop" "${REL_WORK}/${name}.acked"
  java -Xmx512m -cp "${REL_WORK}/classes" LoadGen --url "http://127.0.0.1:${PORTS[ingestion]}" \
    --write-key "${WRITE_KEY}" --run "${SCENARIO}-${name}-$(date +%s%N)" \
    --acked "${REL_WORK}/${name}.acked" --timeline "${REL_WORK}/${name}.timeline" \
    --stop-file "${REL_WORK}/${name}.stop" "$@" >"${REL_WORK}/${name}.summary" \
    2>"${REL_WORK}/${name}.err" &
  LOAD_PIDS[${name}]=$!
}
# rel_load_acking NAME...: waits (up to 60 s) until every named load has had an event acknowledged:
# from then on the service is under load.
rel_load_acking() {
  local name deadline=$((SECONDS + 60))
  for name in "$@"; do
    until [ -s "${REL_WORK}/${name}.acked" ]; do
      [ "${SECONDS}" -lt "${deadline}" ] || { say "the load ${name} got no 200 within 60 s"; cat "${REL_WORK}/${name}.err" >&2; exit 1; }
      sleep 0.1
    done
  done
}
# rel_load_stop NAME: stops the load and waits for its summary; sets LOAD (the summary line).
rel_load_stop() {
  touch "${REL_WORK}/$1.stop"
  rel_load_wait "$1"
}
rel_load_wait() {
  wait "${LOAD_PIDS[$1]}" || { say "the load $1 failed:"; cat "${REL_WORK}/$1.err" >&2; exit 1; }
  LOAD="$(cat "${REL_WORK}/$1.summary")"
}
# statuses SUMMARY... [EXCEPT_REGEX]: the status_NNN=count words of load summaries, e.g.
# `statuses "${a} ${b}" '200|503'` lists the statuses other than 200 and 503.
statuses() {
  echo "$1" | tr ' ' '\n' | grep '^status_' | { if [ -n "${2:-}" ]; then grep -v -E "^status_($2)=" || true; else cat; fi; } | tr '\n' ' '
}
# field NAME "key=value ...": the value of NAME (0 when absent).
field() { local v; v="$(echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p")"; echo "${v:-0}"; }

# rel_stored ACKED_FILE...: compares the acked messageIds with the events stored for SOURCE_ID; sets
# ACKED (distinct ids acknowledged), STORED (of those, stored), LOST (acknowledged, not stored) and
# DUPLICATES (stored rows beyond one per id: the primary key makes this 0 unless it is broken).
rel_stored() {
  local all="${REL_WORK}/acked-all"
  cat "$@" | LC_ALL=C sort -u >"${all}"
  ACKED="$(wc -l <"${all}")"
  read -r STORED LOST DUPLICATES <<<"$(psql -qAt -F ' ' \
    -c "create temp table acked (message_id text primary key)" \
    -c "\\copy acked from '${all}'" \
    -c "select count(e.message_id), count(*) filter (where e.message_id is null),
        (select count(*) - count(distinct message_id) from ingestion.events where source_id = '${SOURCE_ID}')
        from acked a left join ingestion.events e on e.source_id = '${SOURCE_ID}' and e.message_id = a.message_id" |
    tail -n 1)"
}

# --- results -------------------------------------------------------------------------------------
FAILURES=()
ROWS=()
# rel_check DESCRIPTION COMMAND...: runs COMMAND; a failure is a broken promise of the scenario.
rel_check() {
  local what="$1"
  shift
  if "$@"; then
    say "ok: ${what}"
  else
    say "FAILED: ${what}"
    FAILURES+=("${what}")
  fi
}
# rel_row WHAT VALUE: one line of the scenario's report table.
rel_row() { ROWS+=("| $1 | $2 |"); }

# rel_report TITLE COMMAND: writes the scenario's table to results/SCENARIO.md.
rel_report() {
  {
    echo "### ${SCENARIO}: $1"
    echo
    echo "\`$2\` ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; ${FAILURES[*]:+FAILED: }${FAILURES[*]:-every check passed})"
    echo
    echo "| | |"
    echo "|---|---|"
    printf '%s\n' "${ROWS[@]}"
  } >"${REL_RESULTS}/${SCENARIO}.md"
}

# rel_secrets_check: no token or write key of this run appears in any log of the run.
rel_secrets_check() {
  ! grep -rqF -f "${SECRETS_FILE}" "${REL_LOGS}" "${REL_WORK}"/*.err 2>/dev/null
}

# rel_library_classpath: the classpath of the official Segment Java library (ingestion-api's test
# dependency), resolved through Maven once and cached.
rel_library_classpath() {
  local cp="${REL_WORK}/segment-library.classpath"
  if [ ! -s "${cp}" ] || [ "${ROOT}/pom.xml" -nt "${cp}" ]; then
    (cd "${ROOT}" && ./mvnw -B -ntp -q -pl ingestion-api dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="${cp}" >&2)
  fi
  cat "${cp}"
}

# --- SMTP sink -----------------------------------------------------------------------------------
# rel_sink_start: the counting SMTP sink of the benchmarks (bench/SmtpSink.java) on port 18385.
SINK_PORT=18385
rel_sink_start() {
  java -Xmx256m -XX:+ExitOnOutOfMemoryError "${ROOT}/bench/SmtpSink.java" "${SINK_PORT}" \
    >"${REL_LOGS}/${SCENARIO}-sink.log" 2>&1 &
  PIDS[sink]=$!
  local deadline=$((SECONDS + 60))
  until (exec 3<>"/dev/tcp/127.0.0.1/${SINK_PORT}") 2>/dev/null; do
    [ "${SECONDS}" -lt "${deadline}" ] || { say "the SMTP sink did not start"; exit 1; }
    sleep 0.2
  done
}
# rel_sink_stats: the sink's counters as key=value words (messages, unique, duplicates, ...).
rel_sink_stats() {
  local reply
  exec 3<>"/dev/tcp/127.0.0.1/${SINK_PORT}"
  read -r reply <&3
  printf 'XSTATS\r\nQUIT\r\n' >&3
  read -r reply <&3
  exec 3<&- 3>&-
  reply="${reply%$'\r'}"
  echo "${reply#* }"
}
# rel_wait_delivered NOTICE_ID COUNT: waits (up to 3 minutes) until COUNT of the notice's
# deliveries have ended SENT or FAILED; sets SENT and FAILED.
rel_wait_delivered() {
  local deadline=$((SECONDS + 180))
  while :; do
    read -r SENT FAILED <<<"$(psql -qAt -F ' ' -c "select count(*) filter (where status = 'SENT'),
      count(*) filter (where status = 'FAILED') from notice.deliveries where notice_id = '$1' and stage = 'NOTICE'")"
    [ $((SENT + FAILED)) -ge "$2" ] && break
    [ "${SECONDS}" -lt "${deadline}" ] || break
    sleep 0.5
  done
}
# rel_service_post NAME PATH JSON: POSTs JSON to NAME with the service token; prints the body.
rel_service_post() {
  curl -fsS -H "Authorization: Bearer ${TRIBUTARY_SERVICE_TOKEN}" -H 'Content-Type: application/json' \
    -d "$3" "http://127.0.0.1:${PORTS[$1]}$2"
}

# --- sla-evaluator's evidence --------------------------------------------------------------------
# rel_probe_minutes: how many distinct minutes have probe results.
rel_probe_minutes() { psql -qAt -c "select count(distinct minute) from sla.probe_results"; }
# rel_wait_probe_minutes N: until N probe minutes are recorded (up to 3 minutes).
rel_wait_probe_minutes() {
  local deadline=$((SECONDS + 180))
  until [ "$(rel_probe_minutes)" -ge "$1" ]; do
    [ "${SECONDS}" -lt "${deadline}" ] || { say "fewer than $1 probe minutes recorded after 3 minutes"; exit 1; }
    sleep 1
  done
}
# rel_probe_snapshot: every stored probe result as "minute|endpoint|ok|status" lines, sorted.
rel_probe_snapshot() { psql -qAt -c "select minute, endpoint, ok, status from sla.probe_results order by 1, 2, 3, 4"; }
# rel_ledger FROM TO: the workspace's ledger verdicts in [FROM, TO) as "minute verdict reason" lines.
rel_ledger() {
  rel_admin "http://127.0.0.1:${PORTS[sla]}/v1/workspaces/${WORKSPACE_ID}/minutes?from=$1&to=$2" |
    python3 -c "import sys, json; [print(r['minute'], r['verdict'], (r.get('reason') or '').replace(' ', '_')) for r in json.load(sys.stdin)]"
}
# rel_at_second S: sleeps until second S of the current minute, or of the next one if S has passed.
rel_at_second() {
  local now=$((10#$(date -u +%S)))
  if [ "${now}" -lt "$1" ]; then sleep $(($1 - now)); else sleep $((60 - now + $1)); fi
}
