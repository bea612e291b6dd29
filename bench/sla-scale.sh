#!/usr/bin/env bash
# The sla-evaluator at platform scale (issue 9): N workspaces (default 10,000) created through
# ingestion-api's admin API, a month and a half of probe evidence and a day of request counts for
# a tenth of them, and the evaluator started with a 256 MB heap. Measures, in one run:
#
#   - month close: every workspace's last month frozen, and how long it took (target <= 120 s);
#   - steady state over STEADY_MINUTES (default 5): CPU-seconds per minute (target <= 2), every
#     minute probed on all six endpoints, no probe gap;
#   - GET /v1/workspaces/{id}/reports/{month}: p50/p95 of 400 requests (target p95 <= 100 ms),
#     against GET /q/health/live on the same server as the baseline (the ratio is printed);
#   - GET /q/metrics: time (target <= 1 s) and size (target < 2 MB);
#   - no OutOfMemoryError (the JVM runs with -XX:+ExitOnOutOfMemoryError: it would have exited).
#
#   bench/sla-scale.sh                 N=10000 STEADY_MINUTES=5 HEAP=256m
#   SKIP_BUILD=1 N=2000 bench/sla-scale.sh
#
# The workspaces are backdated by 62 days in ingestion-api's table (the one thing not done
# through the API) so that last month is theirs to close. Takes about N/1000 + STEADY_MINUTES + 3
# minutes. Needs curl, python3 and psql (postgresql-client).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${N:-10000}"
STEADY_MINUTES="${STEADY_MINUTES:-5}"
HEAP="${HEAP:-256m}"
PORT="${PORT:-18180}"
SLA_PORT="${SLA_PORT:-18181}"
DB="${DB:-tributary_sla_scale}"
WORK="${ROOT}/target/bench-sla-scale"
LOG="${WORK}/ingestion-api.log"
SLA_LOG="${WORK}/sla-evaluator.log"
APP_DIR="${ROOT}/ingestion-api/target/quarkus-app"
SLA_APP="${ROOT}/sla-evaluator/target/quarkus-app/quarkus-run.jar"
# shellcheck source=bench/lib.sh
. "${ROOT}/bench/lib.sh"

for tool in curl python3 psql; do
  command -v "${tool}" >/dev/null 2>&1 || { say "${tool} is needed"; exit 1; }
done
rm -rf "${WORK}" && mkdir -p "${WORK}"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "${pid}" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "${pid}" 2>/dev/null || true; done
}
trap cleanup EXIT

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  say "building ingestion-api and sla-evaluator (SKIP_BUILD=1 skips this)"
  (cd "${ROOT}" && ./mvnw -B -ntp -q -pl ingestion-api,sla-evaluator -am install -DskipTests)
fi

bench_database
say "a fresh database ${DB}"
psql -qAt -d postgres -c "drop database if exists ${DB}" >/dev/null
psql -qAt -d postgres -c "create database ${DB}" >/dev/null

SERVICE_TOKEN="bench-service-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export TRIBUTARY_SERVICE_TOKEN="${SERVICE_TOKEN}"

bench_start_server
PIDS+=("${SERVER}")

say "creating ${N} workspaces with 2 contacts each through the admin API"
TRIBUTARY_ADMIN_TOKEN="${ADMIN_TOKEN}" INGESTION_URL="http://127.0.0.1:${PORT}" \
  "${ROOT}/bench/workspaces.sh" "${N}" 2 >&2

start_evaluator() {
  # shellcheck disable=SC2086 # extra options are a list
  TRIBUTARY_ADMIN_TOKEN="${ADMIN_TOKEN}" java -Xmx"${HEAP}" -XX:+ExitOnOutOfMemoryError $1 \
    -Dquarkus.http.port="${SLA_PORT}" \
    -Dquarkus.rest-client.ingestion-api.url="http://127.0.0.1:${PORT}" \
    -Dquarkus.rest-client.notice-service.url="http://127.0.0.1:9" \
    -jar "${SLA_APP}" >>"${SLA_LOG}" 2>&1 &
  SLA_PID=$!
  PIDS+=("${SLA_PID}")
  bench_wait_ready sla-evaluator "${SLA_PORT}" "${SLA_PID}" "${SLA_LOG}"
}

say "migrating the sla schema (a first start with its jobs off)"
start_evaluator "-Dquarkus.scheduler.enabled=false -Dtributary.sla.probe.enabled=false"
kill "${SLA_PID}" && wait "${SLA_PID}" 2>/dev/null || true

say "seeding: probe results since a day before last month (a failure every 20,011 minutes), a day of request counts for every tenth workspace"
psql -qAt <<'SQL'
update ingestion.workspaces set created_at = created_at - interval '62 days';
insert into sla.probe_results (at, minute, endpoint, ok, latency_ms, location, status, recorded_at)
select m + interval '1 second', m, e, (extract(epoch from m)::bigint / 60) % 20011 <> 0, 5,
       'bench-seed', 200, now()
from generate_series(date_trunc('month', now() - interval '1 month') - interval '1 day',
                     date_trunc('minute', now()) - interval '1 minute', interval '1 minute') m,
     unnest(array['identify', 'track', 'page', 'screen', 'group', 'alias']) e;
insert into sla.request_stats (workspace_id, minute, requests, rejected_4xx, throttled_429,
                               failed_5xx, collected_at)
select w.id, m, 60, 1, 1, case when random() < 0.0005 then 20 else 0 end, now()
from (select id from ingestion.workspaces order by id) w,
     generate_series(date_trunc('minute', now()) - interval '1 day',
                     date_trunc('minute', now()) - interval '3 minutes', interval '1 minute') m
where abs(hashtext(w.id::text)) % 10 = 0;
analyze;
SQL
say "seeded $(psql -qAt -c 'select count(*) from sla.probe_results') probe results, $(psql -qAt -c 'select count(*) from sla.request_stats') request-count rows"

LAST_MONTH="$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m)"
THIS_MONTH="$(date -u +%Y-%m)"
say "starting sla-evaluator with -Xmx${HEAP} (log: ${SLA_LOG}); months close 30 s after the start"
start_evaluator ""

cpu_seconds() { # user + system CPU of the evaluator so far
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/${SLA_PID}/stat"
}

say "waiting for ${LAST_MONTH} to be frozen for every workspace"
for _ in $(seq 600); do
  frozen="$(psql -qAt -c "select count(*) from sla.monthly_reports where month = '${LAST_MONTH}'")"
  [ "${frozen}" -ge "${N}" ] && break
  kill -0 "${SLA_PID}" 2>/dev/null || { say "sla-evaluator exited; see ${SLA_LOG}"; exit 1; }
  sleep 2
done
CLOSE_SECONDS="$(psql -qAt -c "select round(extract(epoch from max(frozen_at) - min(frozen_at))::numeric, 1) from sla.monthly_reports where month = '${LAST_MONTH}'")"
say "${frozen} workspaces' ${LAST_MONTH} frozen in ${CLOSE_SECONDS} s"

# Steady state: from the next full minute, STEADY_MINUTES minutes.
sleep $(( 61 - $(date -u +%-S) ))
STEADY_FROM="$(date -u +%Y-%m-%dT%H:%M:00Z)"
CPU_BEFORE="$(cpu_seconds)"
say "steady state from ${STEADY_FROM} for ${STEADY_MINUTES} minutes"
sleep $(( STEADY_MINUTES * 60 ))
CPU_AFTER="$(cpu_seconds)"
STEADY_TO="$(date -u +%Y-%m-%dT%H:%M:00Z)"
CPU_PER_MINUTE="$(python3 -c "print(round((${CPU_AFTER} - ${CPU_BEFORE}) / ${STEADY_MINUTES}, 2))")"

sleep 5 # the last minute's round is stored
PROBED="$(psql -qAt -c "select count(*) from (select minute from sla.probe_results where location = 'sla-evaluator' and minute >= '${STEADY_FROM}' and minute < '${STEADY_TO}' group by minute having count(distinct endpoint) = 6) m")"
STEADY_COUNT="$(python3 -c "from datetime import datetime as d; f='%Y-%m-%dT%H:%M:%SZ'; print(int((d.strptime('${STEADY_TO}', f) - d.strptime('${STEADY_FROM}', f)).total_seconds() // 60))")"

say "timing reports and the metrics endpoint"
psql -qAt -c "select id from ingestion.workspaces order by random() limit 400" >"${WORK}/sample.txt"
TIMINGS="$(python3 - "${SLA_PORT}" "${SERVICE_TOKEN}" "${THIS_MONTH}" "${WORK}/sample.txt" <<'PY'
import http.client, statistics, sys, time
port, token, month, sample = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ids = [line.strip() for line in open(sample) if line.strip()]
conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
def timed(path, auth):
    headers = {"Authorization": "Bearer " + token} if auth else {}
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        sys.exit("GET %s: %d %s" % (path, response.status, body[:300]))
    return elapsed, len(body)
def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]
for i in ids[:20]:  # warm up
    timed("/v1/workspaces/%s/reports/%s" % (i, month), True)
reports = [timed("/v1/workspaces/%s/reports/%s" % (i, month), True)[0] for i in ids]
health = [timed("/q/health/live", False)[0] for _ in ids]
metrics = [timed("/q/metrics", False) for _ in range(5)]
print("%.1f %.1f %.1f %.1f %.0f %d" % (p(reports, 0.5), p(reports, 0.95), p(health, 0.5),
      p(health, 0.95), max(m[0] for m in metrics), max(m[1] for m in metrics)))
PY
)"
read -r REPORT_P50 REPORT_P95 HEALTH_P50 HEALTH_P95 METRICS_MS METRICS_BYTES <<<"${TIMINGS}"

GAPS="$(curl -fsS "http://127.0.0.1:${SLA_PORT}/q/metrics" | awk '/^tributary_sla_probe_gap_minutes_total/ { s += $2 } END { print s + 0 }')"
AT_RISK="$(curl -fsS "http://127.0.0.1:${SLA_PORT}/q/metrics" | awk '/^tributary_sla_workspaces\{state="(at_risk|missed)"/ { s += $2 } END { print s + 0 }')"
OOM="$(grep -c OutOfMemoryError "${SLA_LOG}" || true)"
RSS_MB="$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/${SLA_PID}/status")"
ALIVE="$(kill -0 "${SLA_PID}" 2>/dev/null && echo yes || echo no)"

verdict() { python3 -c "print('met' if $1 else 'MISSED')"; }
cat <<REPORT

sla-evaluator at scale: ${N} workspaces, -Xmx${HEAP}, steady state ${STEADY_FROM} - ${STEADY_TO}
  month close (${LAST_MONTH}):     ${frozen} frozen in ${CLOSE_SECONDS} s              (<= 120 s: $(verdict "${CLOSE_SECONDS} <= 120"))
  CPU in steady state:       ${CPU_PER_MINUTE} CPU-s per minute           (<= 2: $(verdict "${CPU_PER_MINUTE} <= 2"))
  minutes probed on all six: ${PROBED} of ${STEADY_COUNT}                  ($(verdict "${PROBED} >= ${STEADY_COUNT}")); probe gap minutes: ${GAPS}
  report p50 / p95:          ${REPORT_P50} / ${REPORT_P95} ms         (p95 <= 100 ms: $(verdict "${REPORT_P95} <= 100"))
    baseline /q/health/live: ${HEALTH_P50} / ${HEALTH_P95} ms; report p95 / baseline p95 = $(python3 -c "print(round(${REPORT_P95} / max(${HEALTH_P95}, 0.01), 1))")
  /q/metrics:                ${METRICS_MS} ms, ${METRICS_BYTES} bytes, ${AT_RISK} workspaces with series   (<= 1 s, < 2 MB: $(verdict "${METRICS_MS} <= 1000 and ${METRICS_BYTES} < 2000000"))
  OutOfMemoryError:          ${OOM} (process alive: ${ALIVE}, RSS ${RSS_MB} MB)      ($(verdict "${OOM} == 0 and '${ALIVE}' == 'yes'"))
REPORT
