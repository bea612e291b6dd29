#!/usr/bin/env bash
# Deletion benchmark of the regulations (ingestion-api README "Regulations"): how long the
# service's regulation job takes to delete one subject's events among millions, in partitions
# without the subject indexes (as today's) and with them (as the ended days'), against plain
# DELETEs of the same rows in psql, and what a subject index would cost the hot insert.
#
#   bench/regulations.sh     build, start ingestion-api against a fresh bench database, measure
#
# Loads EVENTS events (default 2,000,000; straight into ingestion.events with generate_series,
# the Tracking API would take minutes) over two workspaces, three sources and three day
# partitions, SUBJECT_EVENTS (default 2,000) of them of the subject "bench-subject". Then:
#   1. the job, no subject index (block-range scans): POST a DELETE_ONLY regulation, poll GET
#      until FINISHED, print the time;
#   2. the job again, the rows put back and the partitions given their subject indexes as the job
#      builds them for ended days (the build timed too);
#   3. baselines: the same rows put back, one plain `delete ... where` in psql, with the index and
#      as a sequential scan of every partition;
#   4. insert cost: INSERT_EVENTS (default 500,000) rows bulk-inserted into a partition with and
#      without its two subject indexes.
# Settings: EVENTS, SUBJECT_EVENTS, INSERT_EVENTS, SKIP_BUILD=1, APP_DIR, PORT (default 18081).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${ROOT}/bench"
EVENTS="${EVENTS:-2000000}"
SUBJECT_EVENTS="${SUBJECT_EVENTS:-2000}"
INSERT_EVENTS="${INSERT_EVENTS:-500000}"
PORT="${PORT:-18081}"
APP_DIR="${APP_DIR:-${ROOT}/ingestion-api/target/quarkus-app}"
LOG="${ROOT}/.run/logs/bench-regulations.log"
DB=tributary_bench_regulations
# shellcheck source=bench/lib.sh
. "${BENCH}/lib.sh"

now_ms() { date +%s%3N; }

bench_build
bench_database
psql -q -d postgres -c "drop database if exists ${DB}" -c "create database ${DB}" >/dev/null
bench_start_server
trap 'kill ${SERVER} 2>/dev/null || true; wait ${SERVER} 2>/dev/null || true' EXIT

bench_create_source regulations-bench
WS="${WORKSPACE_ID}"
S1="${SOURCE_ID}"
S2="$(bench_admin -d '{"name":"second"}' "http://localhost:${PORT}/admin/v1/workspaces/${WS}/sources" | bench_json id)"
bench_create_source other-workspace
OTHER_WS="${WORKSPACE_ID}"
S3="${SOURCE_ID}"

say "loading ${EVENTS} events (${SUBJECT_EVENTS} of the subject) over 3 days and 3 sources"
started=$(now_ms)
psql -q -v ON_ERROR_STOP=1 <<SQL
insert into ingestion.events (source_id, message_id, workspace_id, type, received_at, "timestamp", payload)
select case g % 3 when 0 then '${S1}'::uuid when 1 then '${S2}'::uuid else '${S3}'::uuid end,
       'm-' || g,
       case g % 3 when 2 then '${OTHER_WS}'::uuid else '${WS}'::uuid end,
       'track',
       d, d,
       jsonb_build_object('type', 'track', 'event', 'Order Completed', 'messageId', 'm-' || g,
           'userId', case when g % (${EVENTS} / ${SUBJECT_EVENTS}) = 0 and g % 3 <> 2
                          then 'bench-subject' else 'user-' || (g % 200000) end,
           'anonymousId', 'anon-' || g,
           'properties', jsonb_build_object('revenue', g % 100, 'currency', 'EUR'))
from generate_series(1, ${EVENTS}) g,
     lateral (select date_trunc('day', now()) + interval '1 day' * (1 + g % 3) + interval '1 second' * (g % 80000) as d) t;
analyze ingestion.events;
SQL
say "loaded in $(( $(now_ms) - started )) ms"
subject_rows() {
  psql -At -c "select count(*) from ingestion.events where workspace_id = '${WS}' and payload ->> 'userId' = 'bench-subject'"
}
TARGET=$(subject_rows)
psql -q -c "create table public.bench_subject_rows as select * from ingestion.events where workspace_id = '${WS}' and payload ->> 'userId' = 'bench-subject'"
say "the subject has ${TARGET} events in its workspace; the table holds $(psql -At -c 'select count(*) from ingestion.events') events"
PARTITIONS="$(psql -At -c "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
  where i.inhparent = 'ingestion.events'::regclass and pg_relation_size(c.oid) > 0 order by 1")"

put_back() { psql -q -c "insert into ingestion.events select * from public.bench_subject_rows"; }

# job_run: one DELETE_ONLY regulation of the subject through the API; sets JOB_MS, DELETED, LEFT.
job_run() {
  local started reg status=""
  started=$(now_ms)
  reg="$(bench_admin -d '{"regulationType":"DELETE_ONLY","subjectType":"USER_ID","subjectIds":["bench-subject"],"requestedBy":"bench"}' \
    "http://localhost:${PORT}/admin/v1/workspaces/${WS}/regulations" | bench_json id)"
  for _ in $(seq 6000); do
    status="$(bench_admin "http://localhost:${PORT}/admin/v1/workspaces/${WS}/regulations/${reg}" | bench_json status)"
    [ "${status}" = "FINISHED" ] || [ "${status}" = "FAILED" ] && break
    sleep 0.1
  done
  JOB_MS=$(( $(now_ms) - started ))
  DELETED="$(bench_admin "http://localhost:${PORT}/admin/v1/workspaces/${WS}/regulations/${reg}" | bench_json eventsDeleted)"
  LEFT=$(subject_rows)
  say "job: ${status}, ${DELETED} events deleted, ${LEFT} left, ${JOB_MS} ms from the request (the start delay, 5 s by default, included)"
}

# 1. The job where no partition has its subject index (as today's partition never does).
job_run
SCAN_MS="${JOB_MS}" SCAN_DELETED="${DELETED}" SCAN_LEFT="${LEFT}"

# 2. The same with the indexes the job builds for ended days (same names, same definition).
put_back
started=$(now_ms)
for p in ${PARTITIONS}; do
  psql -q -c "create index ${p}_subject_user on ingestion.${p} (workspace_id, (payload ->> 'userId'))" \
    -c "create index ${p}_subject_anonymous on ingestion.${p} (workspace_id, (payload ->> 'anonymousId'))"
done
BUILD_MS=$(( $(now_ms) - started ))
INDEX_SIZE="$(psql -At -c "select pg_size_pretty(sum(pg_relation_size(indexrelid))) from pg_index x
  join pg_class c on c.oid = x.indexrelid where c.relname like '%\\_subject\\_user'")"
say "subject indexes of $(echo ${PARTITIONS} | wc -w) partitions built in ${BUILD_MS} ms (userId: ${INDEX_SIZE})"
job_run
INDEXED_MS="${JOB_MS}" INDEXED_DELETED="${DELETED}" INDEXED_LEFT="${LEFT}"

# 3. Plain deletes of the same rows.
plain_delete() {
  put_back
  local t0
  t0=$(now_ms)
  psql -q -c "delete from ingestion.events where workspace_id = '${WS}' and payload ->> 'userId' = 'bench-subject'"
  echo $(( $(now_ms) - t0 ))
}
PLAIN_MS=$(plain_delete)
say "plain delete with the index: ${PLAIN_MS} ms"
for p in ${PARTITIONS}; do psql -q -c "drop index ingestion.${p}_subject_user"; done
SEQ_MS=$(plain_delete)
say "plain delete without the index (sequential scan): ${SEQ_MS} ms"

# 4. What the two indexes would cost the hot insert (the group commit is one such insert per flush).
HOT="$(echo "${PARTITIONS}" | head -n 1)"
insert_rows() {
  local t0
  t0=$(now_ms)
  psql -q -v ON_ERROR_STOP=1 -c "insert into ingestion.${HOT} (source_id, message_id, workspace_id, type, received_at, \"timestamp\", payload)
    select '${S1}', 'i-$1-' || g, '${WS}', 'track', (select min(received_at) from ingestion.${HOT}), now(),
           jsonb_build_object('type', 'track', 'event', 'Signed Up', 'userId', 'new-' || g, 'anonymousId', 'anon-new-' || g)
    from generate_series(1, ${INSERT_EVENTS}) g"
  echo $(( $(now_ms) - t0 ))
}
psql -q -c "create index ${HOT}_subject_user on ingestion.${HOT} (workspace_id, (payload ->> 'userId'))"
WITH_MS=$(insert_rows with)
psql -q -c "drop index ingestion.${HOT}_subject_user" -c "drop index ingestion.${HOT}_subject_anonymous"
WITHOUT_MS=$(insert_rows without)
say "bulk insert of ${INSERT_EVENTS} events into ${HOT}: ${WITH_MS} ms with its two subject indexes, ${WITHOUT_MS} ms without"

cat <<TABLE
| events | subject's events | job, no index (block scans) | job, indexed | index build, all partitions | plain delete, index | plain delete, no index | insert ${INSERT_EVENTS}: with indexes | without |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| ${EVENTS} | ${TARGET} (deleted ${SCAN_DELETED} / ${INDEXED_DELETED}, left ${SCAN_LEFT} / ${INDEXED_LEFT}) | ${SCAN_MS} ms | ${INDEXED_MS} ms | ${BUILD_MS} ms | ${PLAIN_MS} ms | ${SEQ_MS} ms | ${WITH_MS} ms | ${WITHOUT_MS} ms |
TABLE
