#!/usr/bin/env bash
# Benchmark of ingestion-api on this machine: server, PostgreSQL and load generator together.
#
#   bench/run.sh            build, start ingestion-api against a bench database, run the loads
#
# Prints, for single-event /v1/track at 64 connections and for /v1/batch with 100 events per
# request: events/s, p50/p99 latency and error counts (wrk), then the raw PostgreSQL batched-insert
# rate of the same events (pgbench) as the ceiling, and checks that every acknowledged event is
# stored. Settings: DURATION (s, default 30), WARMUP (s, default 15), SKIP_BUILD=1,
# APP_DIR (a quarkus-app folder to run instead of the build's), PORT (default 18080).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${ROOT}/bench"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-15}"
PORT="${PORT:-18080}"
APP_DIR="${APP_DIR:-${ROOT}/ingestion-api/target/quarkus-app}"
LOG="${ROOT}/.run/logs/bench-ingestion-api.log"
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

bench_build
bench_database
bench_start_server
trap 'kill ${SERVER} 2>/dev/null || true; wait ${SERVER} 2>/dev/null || true' EXIT
# Every run starts from an empty events table (and, since partitioning, an empty dedup table), so
# runs compare.
psql -qAt -c "truncate ingestion.events" \
  -c "do \$\$ begin if to_regclass('ingestion.event_dedup') is not null then truncate ingestion.event_dedup; end if; end \$\$"
bench_create_source bench
source_id="${SOURCE_ID}"
export BENCH_AUTH="$(printf '%s:' "${WRITE_KEY}" | base64 | tr -d '\n')"

load() { # label path batch connections seconds
  BENCH_RUN="${RUN_ID}-$1" BENCH_PATH="$2" BENCH_BATCH="$3" \
    wrk -t2 -c"$4" -d"$5s" --timeout 10s -s "${BENCH}/segment.lua" "http://localhost:${PORT}" | grep '^RESULT'
}

say "warm-up (${WARMUP} s), then ${DURATION} s per load"
load warm-track /v1/track 0 64 "${WARMUP}" >/dev/null
load warm-batch /v1/batch 100 16 "${WARMUP}" >/dev/null
track="$(load track /v1/track 0 64 "${DURATION}")"
batch="$(load batch /v1/batch 100 16 "${DURATION}")"

psql -qAt -c "create schema if not exists bench_ceiling" \
  -c "drop table if exists bench_ceiling.events" \
  -c "create table bench_ceiling.events (like ingestion.events including all)"
ceiling_tps="$(pgbench -n -c 4 -j 2 -T "${DURATION}" -f "${BENCH}/ceiling.sql" 2>/dev/null |
  sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
psql -qAt -c "drop schema bench_ceiling cascade"

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
stored="$(psql -qAt -c "select count(*) from ingestion.events where source_id = '${source_id}'")"
acked_measured=$(( $(field "${track}" ok_requests) + $(field "${batch}" ok_requests) * 100 ))

echo
echo "ingestion-api benchmark ($(nproc) cores; server, PostgreSQL and wrk on this machine; ${DURATION} s each)"
printf '%-34s %12s %9s %9s %8s %8s\n' load events/s p50_ms p99_ms non2xx sockerr
printf '%-34s %12s %9s %9s %8s %8s\n' "/v1/track, 1 event, 64 conns" "$(field "${track}" events_per_s)" \
  "$(field "${track}" p50_ms)" "$(field "${track}" p99_ms)" "$(field "${track}" non2xx)" "$(field "${track}" socket_errors)"
printf '%-34s %12s %9s %9s %8s %8s\n' "/v1/batch, 100 events, 16 conns" "$(field "${batch}" events_per_s)" \
  "$(field "${batch}" p50_ms)" "$(field "${batch}" p99_ms)" "$(field "${batch}" non2xx)" "$(field "${batch}" socket_errors)"
printf '%-34s %12.0f\n' "pgbench ceiling, 100 rows/tx, 4 cl" "$(awk -v t="${ceiling_tps:-0}" 'BEGIN { print t * 100 }')"
echo "stored events of this run: ${stored} (acknowledged in the measured loads: ${acked_measured}, plus warm-up)"
