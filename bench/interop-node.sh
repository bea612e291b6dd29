#!/usr/bin/env bash
# Interop check with the official Segment Node library (@segment/analytics-node from the npm
# registry configured on this machine): it sends 10 events of each type to a fresh ingestion-api,
# then every event must be stored exactly once, with its type.
#
#   bench/interop-node.sh        (needs node and npm; SKIP_BUILD=1, APP_DIR, PORT as in bench/run.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-18082}"
APP_DIR="${APP_DIR:-${ROOT}/ingestion-api/target/quarkus-app}"
LOG="${ROOT}/.run/logs/interop-node-ingestion-api.log"
DB=tributary_interop
PER_TYPE=10
# shellcheck source=bench/lib.sh
. "${ROOT}/bench/lib.sh"
command -v npm >/dev/null 2>&1 || { say "node and npm are needed"; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"; [ -n "${SERVER:-}" ] && kill "${SERVER}" 2>/dev/null || true' EXIT
cp "${ROOT}/bench/interop/node/package.json" "${ROOT}/bench/interop/node/send.mjs" "${WORK}/"
say "installing @segment/analytics-node"
(cd "${WORK}" && npm install --no-package-lock --no-audit --no-fund --loglevel=error >/dev/null)

bench_build
bench_database
bench_start_server
bench_create_source interop-node
run="node-$(date +%s)"
(cd "${WORK}" && WRITE_KEY="${WRITE_KEY}" HOST="http://localhost:${PORT}" RUN="${run}" PER_TYPE="${PER_TYPE}" node send.mjs)

expected=$((PER_TYPE * 6))
summary="$(psql -qAt -F' ' -c "
  select count(*), count(distinct message_id), count(distinct type),
         count(*) filter (where type = 'alias' or payload->'properties'->>'run' = '${run}'
                          or payload->'traits'->>'run' = '${run}')
  from ingestion.events where source_id = '${SOURCE_ID}'")"
read -r stored distinct types matched <<<"${summary}"
say "expected ${expected}; stored ${stored}, distinct messageIds ${distinct}, types ${types}, carrying the run ${matched}"
if [ "${stored}" -ne "${expected}" ] || [ "${distinct}" -ne "${expected}" ] || [ "${types}" -ne 6 ] ||
  [ "${matched}" -ne "${expected}" ]; then
  say "FAILED"; exit 1
fi
say "OK: every event of the official Node library arrived exactly once"
