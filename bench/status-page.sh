#!/usr/bin/env bash
# The status pages at platform scale (issue 13): N workspaces (default 10,000) created through
# ingestion-api's admin API, backdated 62 days so last month is frozen for each of them, 95 days of
# probe evidence on the six endpoints (a failure every 20,011 minutes), and private status links
# for a sample of workspaces. Measures, on the same sla-evaluator:
#
#   - GET /status, GET /api/v2/summary.json, GET /status/badge/availability.svg and a workspace's
#     GET /status/w/{token}: p50/p95 of ROUNDS requests each (target p95 <= 100 ms), after the
#     first (cold) /status, which reads the 90 days of probe evidence once and is printed apart;
#   - against GET /q/health/live on the same server as the baseline: each p95 / the baseline's.
#
# The point is that a page's cost does not grow with N: run it with N=1000 and N=10000 and compare
# the ratios.
#
#   bench/status-page.sh                 N=10000 ROUNDS=200 HEAP=256m
#   SKIP_BUILD=1 N=1000 bench/status-page.sh
#
# Takes about N/1000 + 3 minutes. Needs curl, python3 and psql (postgresql-client).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${N:-10000}"
ROUNDS="${ROUNDS:-200}"
LINKS="${LINKS:-50}"
HEAP="${HEAP:-256m}"
PORT="${PORT:-18190}"
SLA_PORT="${SLA_PORT:-18191}"
DB="${DB:-tributary_status_bench}"
WORK="${ROOT}/target/bench-status-page"
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

say "creating ${N} workspaces through the admin API"
TRIBUTARY_ADMIN_TOKEN="${ADMIN_TOKEN}" INGESTION_URL="http://127.0.0.1:${PORT}" \
  "${ROOT}/bench/workspaces.sh" "${N}" 0 >&2

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

say "seeding 95 days of probe results on the six endpoints"
psql -qAt <<'SQL'
update ingestion.workspaces set created_at = created_at - interval '62 days';
insert into sla.probe_results (at, minute, endpoint, ok, latency_ms, location, status, recorded_at)
select m + interval '1 second', m, e, (extract(epoch from m)::bigint / 60) % 20011 <> 0, 5,
       'bench-seed', 200, now()
from generate_series(date_trunc('minute', now()) - interval '95 days',
                     date_trunc('minute', now()) - interval '1 minute', interval '1 minute') m,
     unnest(array['identify', 'track', 'page', 'screen', 'group', 'alias']) e;
analyze;
SQL

LAST_MONTH="$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m)"
say "starting sla-evaluator with -Xmx${HEAP} (log: ${SLA_LOG})"
start_evaluator ""
say "waiting for ${LAST_MONTH} to be frozen for every workspace"
for _ in $(seq 600); do
  frozen="$(psql -qAt -c "select count(*) from sla.monthly_reports where month = '${LAST_MONTH}'")"
  [ "${frozen}" -ge "${N}" ] && break
  kill -0 "${SLA_PID}" 2>/dev/null || { say "sla-evaluator exited; see ${SLA_LOG}"; exit 1; }
  sleep 2
done

say "private status links for ${LINKS} workspaces"
psql -qAt -c "select id from ingestion.workspaces where kind = 'CUSTOMER' order by random() limit ${LINKS}" \
  >"${WORK}/sample.txt"
: >"${WORK}/links.txt"
while read -r id; do
  [ -n "${id}" ] || continue
  curl -fsS -X POST -H "Authorization: Bearer ${ADMIN_TOKEN}" \
    "http://127.0.0.1:${SLA_PORT}/admin/v1/workspaces/${id}/status-link" \
    | python3 -c "import sys, json; print(json.load(sys.stdin)['path'])" >>"${WORK}/links.txt"
done <"${WORK}/sample.txt"

say "timing the pages against /q/health/live"
TIMINGS="$(python3 - "${SLA_PORT}" "${ROUNDS}" "${WORK}/links.txt" <<'PY'
import http.client, sys, time
port, rounds, links = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
paths = [line.strip() for line in open(links) if line.strip()]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
def timed(path):
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        sys.exit("GET %s: %d %s" % (path, response.status, body[:300]))
    return elapsed
def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]
cold = timed("/status")
for path in ["/status", "/api/v2/summary.json", "/status/badge/availability.svg"] + paths[:5]:
    timed(path)  # warm up
rows = {
    "health": [timed("/q/health/live") for _ in range(rounds)],
    "status": [timed("/status") for _ in range(rounds)],
    "summary": [timed("/api/v2/summary.json") for _ in range(rounds)],
    "badge": [timed("/status/badge/availability.svg") for _ in range(rounds)],
    "workspace": [timed(paths[i % len(paths)]) for i in range(rounds)],
}
print("cold %.1f" % cold)
for name, values in rows.items():
    print("%s %.1f %.1f" % (name, p(values, 0.5), p(values, 0.95)))
PY
)"
echo "${TIMINGS}" >"${WORK}/timings.txt"
COLD="$(awk '$1 == "cold" { print $2 }' "${WORK}/timings.txt")"
read -r _ HEALTH_P50 HEALTH_P95 <<<"$(grep '^health ' "${WORK}/timings.txt")"
verdict() { python3 -c "print('met' if $1 else 'MISSED')"; }
echo
echo "status pages at scale: ${N} workspaces (${frozen} with ${LAST_MONTH} frozen), -Xmx${HEAP}, ${ROUNDS} requests each"
echo "  first GET /status (cold, reads 90 days of probes): ${COLD} ms"
echo "  baseline GET /q/health/live p50 / p95: ${HEALTH_P50} / ${HEALTH_P95} ms"
for name in status summary badge workspace; do
  read -r _ P50 P95 <<<"$(grep "^${name} " "${WORK}/timings.txt")"
  printf '  %-10s p50 / p95: %6s / %6s ms   p95 / baseline p95 = %5s   (p95 <= 100 ms: %s)\n' \
    "${name}" "${P50}" "${P95}" "$(python3 -c "print(round(${P95} / max(${HEALTH_P95}, 0.01), 1))")" \
    "$(verdict "${P95} <= 100")"
done
