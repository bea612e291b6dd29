#!/usr/bin/env bash
# Durability check: no event that got a 200 is lost when ingestion-api is SIGKILLed under load.
#
#   bench/sigkill-check.sh        ROUNDS (default 5) rounds of: start the server, load it from 16
#                                 threads (single events and 100-event batches), kill -9 it after a
#                                 random 3-8 s, then look up every acknowledged messageId in PostgreSQL.
#
# Exits non-zero if any acknowledged event is missing. SKIP_BUILD=1 and APP_DIR as in bench/run.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-5}"
PORT="${PORT:-18081}"
APP_DIR="${APP_DIR:-${ROOT}/ingestion-api/target/quarkus-app}"
WORK="$(mktemp -d)"
LOG="${ROOT}/.run/logs/sigkill-ingestion-api.log"
DB=tributary_sigkill
# shellcheck source=bench/lib.sh
. "${ROOT}/bench/lib.sh"
trap 'rm -rf "${WORK}"; [ -n "${SERVER:-}" ] && kill -9 "${SERVER}" 2>/dev/null || true' EXIT

bench_build
bench_database
bench_start_server
bench_create_source sigkill
write_key="${WRITE_KEY}"
source_id="${SOURCE_ID}"

total_acked=0
for round in $(seq "${ROUNDS}"); do
  [ "${round}" -gt 1 ] && bench_start_server
  run="r$(date +%s%N)"
  acked="${WORK}/acked-${round}"
  : >"${acked}"
  python3 "${ROOT}/bench/sigkill_load.py" --port "${PORT}" --write-key "${write_key}" --acked "${acked}" \
    --run "${run}-single" --threads 12 --batch 1 --seconds 30 &
  single=$!
  python3 "${ROOT}/bench/sigkill_load.py" --port "${PORT}" --write-key "${write_key}" --acked "${acked}" \
    --run "${run}-batch" --threads 4 --batch 100 --seconds 30 &
  batch=$!
  sleep "$((3 + RANDOM % 6)).$((RANDOM % 10))"
  kill -9 "${SERVER}"
  wait "${SERVER}" 2>/dev/null || true
  wait "${single}" "${batch}" || true
  sort -u "${acked}" >"${acked}.sorted"
  psql -qAt -c "select message_id from ingestion.events where source_id = '${source_id}' and message_id like '${run}%'" |
    sort -u >"${WORK}/stored-${round}"
  acked_count="$(wc -l <"${acked}.sorted")"
  missing="$(comm -23 "${acked}.sorted" "${WORK}/stored-${round}" | wc -l)"
  stored_count="$(wc -l <"${WORK}/stored-${round}")"
  say "round ${round}: killed under load; acknowledged ${acked_count}, stored ${stored_count}, acknowledged but missing ${missing}"
  total_acked=$((total_acked + acked_count))
  if [ "${acked_count}" -eq 0 ]; then
    say "FAILED: no event was acknowledged in this round, so it proves nothing (see the status counts above)"
    exit 1
  fi
  if [ "${missing}" -ne 0 ]; then
    comm -23 "${acked}.sorted" "${WORK}/stored-${round}" | head -n 5 >&2
    say "FAILED: acknowledged events were lost"; exit 1
  fi
done
say "OK: ${ROUNDS} SIGKILLs under load, ${total_acked} acknowledged events, none lost"
