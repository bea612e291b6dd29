#!/usr/bin/env bash
# Where the time of one ingestion load goes, before anything is changed to make it faster.
#
#   bench/profile.sh                 single events to /v1/t, 64 connections
#   bench/profile.sh batch           100-event batches to /v1/batch, 16 connections
#
# Runs the load against ingestion-api for DURATION seconds (default 30, after a WARMUP of 45: the
# C2 compiler is busy for the first 30-40 s of load, and a profile taken then shows the JIT) with
# JDK Flight Recorder on, and prints three splits of the same run:
#   - CPU by process: ingestion-api, PostgreSQL (every backend, the WAL writer, the checkpointer)
#     and the rest (wrk, mostly), from /proc between the start and the end of the measured load;
#   - ingestion-api's CPU samples by stage (bench/jfr-split.py): HTTP, JSON decoding, normalising,
#     serialising the payload, the driver, limits and statistics, metrics, other;
#   - PostgreSQL's client backends by wait event, sampled every 100 ms inside the server (so the
#     sampling costs no connection per sample); "CPU" is an active backend waiting for nothing.
# The recording stays in .run/bench/profile-LOAD.jfr for `jfr print` or JDK Mission Control.
# Settings: DURATION, WARMUP, SKIP_BUILD=1, APP_DIR, PORT (default 18080), JAVA_OPTS, JFR_SETTINGS
# (default: "default", samples every 20 ms; "profile" samples every 10 ms).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${ROOT}/bench"
LOAD="${1:-single}"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-45}"
PORT="${PORT:-18080}"
APP_DIR="${APP_DIR:-${ROOT}/ingestion-api/target/quarkus-app}"
LOG="${ROOT}/.run/logs/bench-profile.log"
OUT="${ROOT}/.run/bench"
DB=tributary_bench
# shellcheck source=bench/lib.sh
. "${BENCH}/lib.sh"

case "${LOAD}" in
  single) path=/v1/t batch=0 connections=64 ;;
  batch) path=/v1/batch batch=100 connections=16 ;;
  *) echo "usage: $0 [single|batch]" >&2; exit 64 ;;
esac
for tool in wrk psql jfr python3; do
  command -v "${tool}" >/dev/null 2>&1 || { say "${tool} is needed on the PATH"; exit 1; }
done

bench_build
bench_database
mkdir -p "${OUT}"
JFR_FILE="${OUT}/profile-${LOAD}.jfr"
rm -f "${JFR_FILE}"
# The recording runs from the start: started later, JFR makes the JIT recompile, and the measured
# load would profile that (a third of the throughput for a minute). The split keeps the measured
# seconds.
JAVA_OPTS="${JAVA_OPTS:-} -XX:StartFlightRecording=settings=${JFR_SETTINGS:-default}"
bench_start_server
trap 'kill ${SERVER} 2>/dev/null || true; wait ${SERVER} 2>/dev/null || true' EXIT
psql -qAt -c "truncate ingestion.events" -c "truncate ingestion.event_dedup"
bench_create_source profile
export BENCH_AUTH="$(printf '%s:' "${WRITE_KEY}" | base64 | tr -d '\n')"

load() { # label seconds
  BENCH_RUN="$(date +%s)-$1" BENCH_PATH="${path}" BENCH_BATCH="${batch}" \
    wrk -t1 -c"${connections}" -d"$2s" --timeout 10s -s "${BENCH}/segment.lua" \
    "http://localhost:${PORT}" | grep '^RESULT'
}

# CPU ticks (utime + stime) of every process whose command is NAME, summed.
ticks() { # name
  local total=0 pid stat rest
  for pid in $(pgrep -x "$1" || true); do
    stat="$(cat "/proc/${pid}/stat" 2>/dev/null)" || continue
    rest="${stat##*) }"
    # shellcheck disable=SC2086 # the fields of /proc/PID/stat after the command
    set -- ${rest}
    total=$((total + ${12} + ${13}))
  done
  echo "${total}"
}
server_ticks() {
  local stat rest
  stat="$(cat "/proc/${SERVER}/stat")"
  rest="${stat##*) }"
  # shellcheck disable=SC2086
  set -- ${rest}
  echo $((${12} + ${13}))
}
# Busy CPU ticks of the whole machine (user, nice, system, irq, softirq, steal).
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

say "warm-up ${WARMUP} s, then ${DURATION} s of ${LOAD} events to ${path} with ${connections} connections"
load warm "${WARMUP}" >/dev/null
started_ms="$(date +%s%3N)"
java0="$(server_ticks)" pg0="$(ticks postgres)" all0="$(machine_ticks)"
# The wait-event sampler runs inside PostgreSQL for the load's length, in the background.
samples=$((DURATION * 10))
psql -qAt -F $'\t' \
  -c "create temporary table wait_sample (wait text)" \
  -c "do \$\$ begin for i in 1..${samples} loop
        perform pg_stat_clear_snapshot();
        insert into wait_sample select coalesce(wait_event_type || ':' || wait_event, 'CPU')
          from pg_stat_activity
          where backend_type = 'client backend' and state = 'active' and pid <> pg_backend_pid();
        perform pg_sleep(0.1);
      end loop; end \$\$" \
  -c "select wait, count(*), round(100.0 * count(*) / sum(count(*)) over (), 1)
        from wait_sample group by wait order by 2 desc limit 12" >"${OUT}/waits-${LOAD}.tsv" &
sampler=$!
result="$(load measured "${DURATION}")"
java_ticks=$(($(server_ticks) - java0)) pg_ticks=$(($(ticks postgres) - pg0))
rest_ticks=$(($(machine_ticks) - all0 - java_ticks - pg_ticks))
ended_ms="$(date +%s%3N)"
wait "${sampler}"
jcmd "${SERVER}" JFR.dump filename="${JFR_FILE}" >/dev/null

hz="$(getconf CLK_TCK)"
seconds="$(awk -v a="${started_ms}" -v b="${ended_ms}" 'BEGIN { print (b - a) / 1000 }')"
echo
echo "profile of ${LOAD} events (${path}, ${connections} connections, ${DURATION} s; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "${result#RESULT }"
echo
echo "CPU by process (cores busy on average over the load)"
for row in "ingestion-api ${java_ticks}" "postgresql ${pg_ticks}" "rest(wrk,...) ${rest_ticks}"; do
  set -- ${row}
  awk -v n="$1" -v t="$2" -v hz="${hz}" -v s="${seconds}" 'BEGIN { printf "  %-14s %5.2f\n", n, t / hz / s }'
done
echo
echo "ingestion-api CPU samples by stage (JFR)"
TZ=UTC jfr print --events jdk.ExecutionSample --stack-depth 96 "${JFR_FILE}" |
  python3 "${BENCH}/jfr-split.py" "${started_ms}" "${ended_ms}"
echo
echo "PostgreSQL client backends by wait event (sampled every 100 ms; share of active samples)"
awk -F '\t' '{ printf "  %-36s %7s %6s%%\n", $1, $2, $3 }' "${OUT}/waits-${LOAD}.tsv"
echo
echo "recording: ${JFR_FILE#"${ROOT}/"}"
