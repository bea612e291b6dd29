#!/usr/bin/env bash
# Benchmark of ingestion-api on this machine: server, PostgreSQL and load generator together,
# each load measured as a ratio against a baseline run in the same script, so that a figure says
# what the service costs rather than how busy the (shared) machine was.
#
#   bench/run.sh            build, start ingestion-api on a fresh schema, run the loads
#
# Set-up: WORKSPACES (default 10,000) workspaces, each with a source, created through the admin API
# (bench/workspaces.sh); every load takes their write keys in turn, so the write-key cache, the
# rate limiter and the request statistics work at that size. WORKSPACES=1 measures one source.
# Loads (wrk with one thread, fresh messageIds, Segment-shaped events): single events to /v1/track
# and to the browser's /v1/t at 64 connections, and /v1/batch with 100 events per request at 16
# connections. Baselines, in the same run:
#   - echo: bench/echo, the same paths on ingestion-api's HTTP stack (a Vert.x route) and JSON
#     parsing, storing nothing, under the same single-event and batch loads;
#   - pgbench: the group-commit writer's own statement for 100 events of one source, the sources
#     taken in turn like the batch load's (bench/ceiling.sql), into copies of ingestion.event_dedup
#     and ingestion.events with their keys and indexes, 4 clients, on the same server.
# Every measured load and pgbench starts right after a CHECKPOINT, so that none of them pays for
# writing out what an earlier one left in memory. Prints each load's events/s, p50/p99 and errors
# with its ratio to its baseline (single events: / echo; batches: / pgbench rows/s, and / echo),
# checks that every acknowledged event is stored, and says for each target of issue 14 whether
# this run met it. Settings: DURATION (s, default 30), WARMUP (s per load, default 30: the C2
# compiler is busy for the first 30-40 s of load), WORKSPACES, SKIP_BUILD=1, APP_DIR (a
# quarkus-app folder to run instead of the build's), ECHO_DIR, PORT (default 18080), ECHO_PORT
# (default 18090), JAVA_OPTS (both JVMs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${ROOT}/bench"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-30}"
WORKSPACES="${WORKSPACES:-10000}"
PORT="${PORT:-18080}"
APP_DIR="${APP_DIR:-${ROOT}/ingestion-api/target/quarkus-app}"
ECHO_PORT="${ECHO_PORT:-18090}"
ECHO_DIR="${ECHO_DIR:-${ROOT}/bench/echo/target/quarkus-app}"
LOG="${ROOT}/.run/logs/bench-ingestion-api.log"
KEYS="${ROOT}/.run/bench/write-keys"
DB=tributary_bench
RUN_ID="$(date +%s)"
# shellcheck source=bench/lib.sh
. "${BENCH}/lib.sh"

need() { # command, Debian package
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing $2 from the configured apt sources"
    apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
  fi
  command -v "$1" >/dev/null 2>&1 || { say "$1 is required: install the '$2' package"; exit 1; }
}
need wrk wrk
need pgbench postgresql-client
need psql postgresql-client
need python3 python3

bench_build bench/echo
bench_database
# A fresh schema every run (Flyway creates it again), so that runs compare and the workspaces of
# earlier runs do not pile up.
psql -qAt -c "set client_min_messages to warning" -c "drop schema if exists ingestion cascade"
bench_start_server
ECHO=""
trap 'kill ${SERVER} ${ECHO} 2>/dev/null || true; wait ${SERVER} ${ECHO} 2>/dev/null || true' EXIT

# The echo baseline, with the same JVM options.
if (exec 3<>"/dev/tcp/127.0.0.1/${ECHO_PORT}") 2>/dev/null; then
  say "port ${ECHO_PORT} is already in use; stop what listens there or set ECHO_PORT"
  exit 1
fi
say "starting the echo baseline on port ${ECHO_PORT} (log: ${ROOT}/.run/logs/bench-echo.log)"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -Dquarkus.http.port="${ECHO_PORT}" \
  -jar "${ECHO_DIR}/quarkus-run.jar" >>"${ROOT}/.run/logs/bench-echo.log" 2>&1 &
ECHO=$!
for _ in $(seq 240); do
  curl -fsS -o /dev/null -d '{}' "http://localhost:${ECHO_PORT}/v1/track" 2>/dev/null && break
  kill -0 "${ECHO}" 2>/dev/null || { say "the echo baseline did not start; see its log"; exit 1; }
  sleep 0.5
done

mkdir -p "$(dirname "${KEYS}")"
if [ "${WORKSPACES}" -gt 1 ]; then
  say "creating ${WORKSPACES} workspaces with a source each (bench/workspaces.sh)"
  TRIBUTARY_ADMIN_TOKEN="${ADMIN_TOKEN}" INGESTION_URL="http://127.0.0.1:${PORT}" \
    WRITE_KEYS_FILE="${KEYS}" "${BENCH}/workspaces.sh" "${WORKSPACES}" 0 >&2
else
  bench_create_source bench
  printf 'Basic %s\n' "$(printf '%s:' "${WRITE_KEY}" | base64 | tr -d '\n')" >"${KEYS}"
fi
export BENCH_KEYS="${KEYS}"

checkpoint() { psql -qAt -c checkpoint; }

load() { # label port path batch connections seconds
  BENCH_RUN="${RUN_ID}-$1" BENCH_PATH="$3" BENCH_BATCH="$4" \
    wrk -t1 -c"$5" -d"$6s" --timeout 10s -s "${BENCH}/segment.lua" "http://localhost:$2" | grep '^RESULT'
}

say "warm-up (${WARMUP} s a load), then ${DURATION} s per load, each next to its baseline"
load warm-track "${PORT}" /v1/track 0 64 "${WARMUP}" >/dev/null
load warm-batch "${PORT}" /v1/batch 100 16 "${WARMUP}" >/dev/null
load warm-echo-track "${ECHO_PORT}" /v1/track 0 64 "${WARMUP}" >/dev/null
load warm-echo-batch "${ECHO_PORT}" /v1/batch 100 16 "${WARMUP}" >/dev/null
# Each load right after its baseline: the machine's load moves less between the two.
checkpoint
echo_track="$(load echo-track "${ECHO_PORT}" /v1/track 0 64 "${DURATION}")"
checkpoint
track="$(load track "${PORT}" /v1/track 0 64 "${DURATION}")"
checkpoint
browser="$(load browser "${PORT}" /v1/t 0 64 "${DURATION}")"
checkpoint
echo_batch="$(load echo-batch "${ECHO_PORT}" /v1/batch 100 16 "${DURATION}")"

# The pgbench baseline: copies of the two tables, the same statement and rows, 4 clients.
psql -qAt -c "set client_min_messages to warning" -c "create schema if not exists bench_ceiling" \
  -c "drop table if exists bench_ceiling.events, bench_ceiling.event_dedup" \
  -c "create table bench_ceiling.events (like ingestion.events including all)" \
  -c "create table bench_ceiling.event_dedup (like ingestion.event_dedup including all)"
checkpoint
ceiling_tps="$(pgbench -n -c 4 -j 2 -T "${DURATION}" -D sources="${WORKSPACES}" -f "${BENCH}/ceiling.sql" 2>/dev/null |
  sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
psql -qAt -c "set client_min_messages to warning" -c "drop schema bench_ceiling cascade"
ceiling="$(awk -v t="${ceiling_tps:-0}" 'BEGIN { printf "%.0f", t * 100 }')"
checkpoint
batch="$(load batch "${PORT}" /v1/batch 100 16 "${DURATION}")"

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# Every acknowledged event of a measured load is stored: its messageIds start with the run and the
# load's label (bench/segment.lua).
stored_of() { # label
  psql -qAt -c "select count(*) from ingestion.events where message_id like '${RUN_ID}-$1-%'"
}
lost=""
for measured in "track:${track}:1" "browser:${browser}:1" "batch:${batch}:100"; do
  IFS=: read -r label result per <<<"${measured}"
  acked=$(( $(field "${result}" ok_requests) * per ))
  stored="$(stored_of "${label}")"
  [ "${stored}" -ge "${acked}" ] || lost="${lost} ${label}: ${acked} acknowledged, ${stored} stored;"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
row() { # label result ratio-text
  printf '%-34s %12s %9s %9s %8s %8s  %s\n' "$1" "$(field "$2" events_per_s)" "$(field "$2" p50_ms)" \
    "$(field "$2" p99_ms)" "$(field "$2" non2xx)" "$(field "$2" socket_errors)" "$3"
}
# met RESULT BASELINE MIN_RATIO [MAX_P99_MS]: "met" or "NOT met", with why.
met() {
  awk -v e="$(field "$1" events_per_s)" -v b="$2" -v min="$3" -v p99="$(field "$1" p99_ms)" -v max="${4:-}" \
    -v errors="$(( $(field "$1" non2xx) + $(field "$1" socket_errors) ))" 'BEGIN {
      why = ""
      if (b <= 0 || e / b < min) why = why sprintf(" ratio %.2f < %.2f;", b > 0 ? e / b : 0, min)
      if (max != "" && p99 > max) why = why sprintf(" p99 %.1f ms > %d ms;", p99, max)
      if (errors > 0) why = why sprintf(" %d errors;", errors)
      if (why == "") print "met"; else print "NOT met:" why
    }'
}

echo
echo "ingestion-api benchmark ($(nproc) cores; server, PostgreSQL, baselines and wrk on this machine; ${WORKSPACES} workspaces; ${DURATION} s each; load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-34s %12s %9s %9s %8s %8s  %s\n' load events/s p50_ms p99_ms non2xx sockerr ratio
row "echo /v1/track, 64 conns" "${echo_track}" "baseline"
row "/v1/track, 1 event, 64 conns" "${track}" "$(ratio "$(field "${track}" events_per_s)" "$(field "${echo_track}" events_per_s)") x echo"
row "/v1/t, 1 event, 64 conns" "${browser}" "$(ratio "$(field "${browser}" events_per_s)" "$(field "${echo_track}" events_per_s)") x echo"
row "echo /v1/batch, 100 events, 16 c" "${echo_batch}" "baseline"
printf '%-34s %12s %9s %9s %8s %8s  %s\n' "pgbench writer statement, 4 cl" "${ceiling}" - - - - "baseline"
row "/v1/batch, 100 events, 16 conns" "${batch}" "$(ratio "$(field "${batch}" events_per_s)" "${ceiling}") x pgbench, $(ratio "$(field "${batch}" events_per_s)" "$(field "${echo_batch}" events_per_s)") x echo"
echo "every acknowledged event of the measured loads stored: $([ -z "${lost}" ] && echo yes || echo "NO:${lost}")"
echo "targets (issue 14):"
echo "  /v1/track >= 0.5 x echo, p99 <= 25 ms, no error:  $(met "${track}" "$(field "${echo_track}" events_per_s)" 0.5 25)"
echo "  /v1/t     >= 0.5 x echo, p99 <= 25 ms, no error:  $(met "${browser}" "$(field "${echo_track}" events_per_s)" 0.5 25)"
echo "  /v1/batch >= 0.9 x pgbench, no error:              $(met "${batch}" "${ceiling}" 0.9)"
[ -z "${lost}" ] || exit 1
