#!/usr/bin/env bash
# The reliability scenarios: faults a platform team will meet, run against the real services and
# checked against what the platform promises.
#
#   reliability/run.sh                    every scenario, full form
#   reliability/run.sh crash db-outage    the named scenarios
#   reliability/run.sh --short            the short forms (what .ci/run runs)
#
# Scenarios (reliability/scenarios/NAME.sh; each one's header says what it does and checks):
#   crash       SIGKILL of ingestion-api under load, several times: every acknowledged event stored
#               exactly once.
#   db-outage   PostgreSQL stopped for 30 s (short: 10 s) under load: 503 with Retry-After and
#               readiness DOWN, no 200 that is not kept, throughput back within 10 s, the official
#               Java library ends with every event stored once.
#   db-outage-sla-notice  PostgreSQL stopped for 30 s (short: 20 s) over a probe round and in the
#               middle of a notice's fan-out: the round is recorded afterwards as failed probes
#               (UNAVAILABLE, not a gap), no recorded minute lost, every recipient gets the notice,
#               duplicates only inside the at-least-once window.
#   overload    3x the load ingestion-api commits, with its manifest's limits: the excess gets
#               429/503 with Retry-After, accepted requests keep a bounded latency, memory stays
#               under the limit, throughput afterwards is as before.
#   notice-kill notice-service SIGKILLed mid fan-out and restarted: every recipient gets the
#               notice, duplicates only inside the documented at-least-once window.
#   evaluator   sla-evaluator SIGKILLed and restarted, then stalled (SIGSTOP): no recorded probe
#               minute lost, the unmeasured minutes are probe gaps ("no data"), never availability.
#   replicas    two replicas of each service on one database: events stored once, the workspace
#               rate limit holds across replicas, no notice sent twice, one report from two
#               evaluators.
#   shutdown    SIGTERM under load: in-flight requests finish (a slow upload too), nothing
#               acknowledged is lost.
#
# Each scenario starts from empty schemas on a PostgreSQL cluster of its own (.run/reliability/,
# port REL_PG_PORT=55470), gives each service its manifest's CPU and memory limits, writes its table
# to .run/reliability/results/NAME.md (docs/reliability.md quotes a real run) and fails when a
# promise is broken. At the end every log is searched for the run's tokens and write keys, and the
# cluster is stopped (REL_KEEP_PG=1 leaves it running, to look at what a scenario stored).
# Settings: SKIP_BUILD=1 (use the last build), REL_PG_PORT, REL_KEEP_PG. Ports 18380-18389 must be
# free.
# The evaluator, db-outage-sla-notice and replicas scenarios follow the clock's minutes (the
# probes): a few minutes each.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ALL=(crash db-outage db-outage-sla-notice overload notice-kill evaluator replicas shutdown)
SHORT=0
scenarios=()
for arg in "$@"; do
  case "${arg}" in
    --short) SHORT=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *)
      [ -f "${ROOT}/reliability/scenarios/${arg}.sh" ] || { echo "no scenario ${arg}; one of: ${ALL[*]}" >&2; exit 64; }
      scenarios+=("${arg}")
      ;;
  esac
done
SHORT_SET=("${ALL[@]}")
if [ "${#scenarios[@]}" -eq 0 ]; then
  if [ "${SHORT}" = 1 ]; then scenarios=("${SHORT_SET[@]}"); else scenarios=("${ALL[@]}"); fi
fi

# shellcheck source=reliability/lib.sh
. "${ROOT}/reliability/lib.sh"
for tool in java curl psql python3; do
  command -v "${tool}" >/dev/null 2>&1 || { say "${tool} is needed on the PATH"; exit 1; }
done
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  say "building the services (SKIP_BUILD=1 skips this)"
  (cd "${ROOT}" && ./mvnw -B -ntp -q install -DskipTests)
fi
for service in ingestion-api sla-evaluator notice-service; do
  [ -f "${ROOT}/${service}/target/quarkus-app/quarkus-run.jar" ] || { say "build ${service} first"; exit 1; }
done

cleanup() {
  rel_stop_all
  local name
  for name in "${!LOAD_PIDS[@]}"; do kill "${LOAD_PIDS[${name}]}" 2>/dev/null || true; done
  # A cluster left running holds REL_PG_PORT, and another checkout's run would then be refused.
  [ "${REL_KEEP_PG:-0}" = 1 ] || rel_pg stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -f "${REL_LOGS}"/*.log
rel_compile
rel_pg_start
broken=()
for SCENARIO in "${scenarios[@]}"; do
  say "--- scenario ${SCENARIO}$([ "${SHORT}" = 1 ] && echo ' (short)')"
  FAILURES=()
  ROWS=()
  rel_pg_start
  rel_pg_reset
  # shellcheck source=/dev/null
  . "${ROOT}/reliability/scenarios/${SCENARIO}.sh"
  rel_stop_all
  [ "${#FAILURES[@]}" -eq 0 ] || broken+=("${SCENARIO}: ${FAILURES[*]}")
  cat "${REL_RESULTS}/${SCENARIO}.md"
  echo
done
# Every scenario's table, in order: what docs/reliability.md quotes.
for SCENARIO in "${scenarios[@]}"; do cat "${REL_RESULTS}/${SCENARIO}.md"; echo; done >"${REL}/report.md"
SCENARIO=secrets
if rel_secrets_check; then
  say "ok: no token or write key of this run in any log"
else
  say "FAILED: a token or write key of this run is in a log:"
  grep -rlF -f "${SECRETS_FILE}" "${REL_LOGS}" >&2 || true
  broken+=("secrets: found in a log")
fi
if [ "${#broken[@]}" -gt 0 ]; then
  say "FAILED:"
  printf "  - %s\n" "${broken[@]}" >&2
  exit 1
fi
say "every scenario kept its promises: ${scenarios[*]} (tables in ${REL#"${ROOT}/"}/report.md)"
