# Scenario 2, database outage (ingestion-api): PostgreSQL stopped for OUTAGE seconds (30; short:
# 10) under load, then started again. Load: 8 clients of single events and 2 of 100-event batches
# (client timeout 10 s), and the official Java library sending 100 events a second with its own
# retries. Checks: while the database is down the API answers 503 with Retry-After (never a 200 it
# cannot keep, never a hang past the client's timeout); readiness goes DOWN and back UP; throughput
# is back within 10 s of the restart; every event the library enqueued is stored exactly once.
if [ "${SHORT}" = 1 ]; then OUTAGE="${OUTAGE:-10}"; else OUTAGE="${OUTAGE:-30}"; fi
BEFORE=8 # seconds of load before the outage
AFTER=15 # seconds of load after the restart

PORTS[ingestion]=18380
rel_start ingestion ingestion-api 18380
rel_wait_ready ingestion
rel_source db-outage
library_cp="$(rel_library_classpath)"

rel_load single --connections 8 --batch 1 --seconds 600 --timeout-ms 10000
rel_load batch --connections 2 --batch 100 --seconds 600 --timeout-ms 10000
rel_load_acking single batch
started_at="$(date +%s.%N)"
rm -f "${REL_WORK}/library.stop"
java -cp "${library_cp}" "${ROOT}/reliability/SegmentJavaLoad.java" "http://127.0.0.1:${PORTS[ingestion]}" \
  "${WRITE_KEY}" "${SCENARIO}-library-$(date +%s%N)" 100 "${REL_WORK}/library.stop" \
  "${REL_WORK}/library.enqueued" 240 >"${REL_WORK}/library.summary" 2>"${REL_WORK}/library.err" &
library_pid=$!
sleep "${BEFORE}"

since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
say "stopping PostgreSQL for ${OUTAGE} s"
stop_at="$(date +%s.%N)"
rel_pg_stop
stopped_at="$(date +%s.%N)" # the server and its backends are gone: nothing commits from here
down_after=""
deadline=$((SECONDS + OUTAGE))
while [ "${SECONDS}" -lt "${deadline}" ]; do
  if [ -z "${down_after}" ] && [ "$(rel_ready_state ingestion)" = DOWN ]; then
    down_after="$(since "${stop_at}")"
    say "readiness DOWN ${down_after} s after the stop"
  fi
  sleep 0.2
done
say "starting PostgreSQL again"
start_at="$(date +%s.%N)"
rel_pg_start
restart_at="$(date +%s.%N)"
up_after=""
until [ "$(rel_ready_state ingestion)" = UP ]; do
  [ "$(since "${restart_at}" | cut -d. -f1)" -lt 60 ] || break
  sleep 0.1
done
[ "$(rel_ready_state ingestion)" = UP ] &&
  up_after="$(since "${restart_at}")"
say "readiness UP ${up_after:-never} s after the restart"
sleep "${AFTER}"
rss="$(rel_rss_peak ingestion)"
touch "${REL_WORK}/library.stop"
rel_load_stop single
single="${LOAD}"
rel_load_stop batch
batch="${LOAD}"
say "waiting for the Java library to drain its queue"
wait "${library_pid}" || { say "the Java library's program failed:"; cat "${REL_WORK}/library.err" >&2; exit 1; }
library="$(cat "${REL_WORK}/library.summary")"
say "library: ${library}"

rel_stored "${REL_WORK}/single.acked" "${REL_WORK}/batch.acked"
# The library's events: every one it enqueued, stored once (not only those it saw acknowledged).
library_stored="$(psql -qAt -c "create temp table enqueued (message_id text primary key)" \
  -c "\\copy enqueued from '${REL_WORK}/library.enqueued'" \
  -c "select count(e.message_id) from enqueued q join ingestion.events e
      on e.source_id = '${SOURCE_ID}' and e.message_id = q.message_id" | tail -n 1)"
library_enqueued="$(field enqueued "${library}")"

# Throughput from the clients' per-second timelines (epoch seconds): before the outage, and the
# first second after the restart that is back to 80 % of it.
timeline() { # the acked events of both loads, per epoch second
  awk 'FNR > 1 { acked[$1] += $2 } END { for (s in acked) print s, acked[s] }' \
    "${REL_WORK}/single.timeline" "${REL_WORK}/batch.timeline" | sort -n
}
read -r before_rate recovered_after <<<"$(timeline | awk -v start="${started_at}" -v stop="${stop_at}" \
  -v restart="${restart_at}" '{
      if ($1 >= start + 1 && $1 + 1 <= stop) { sum += $2; n++ }
      if ($1 >= restart && rec == "" && n > 0 && $2 >= 0.8 * sum / n) rec = $1 + 1 - restart
    } END { printf "%.0f %s\n", (n ? sum / n : 0), (rec == "" ? "never" : sprintf("%.1f", rec)) }')"
# Acknowledged in a second wholly inside the time the server was down (from a second after it had
# stopped until it was asked to start): a 200 the database could not have kept.
outage_200="$(timeline | awk -v stopped="${stopped_at}" -v start="${start_at}" \
  '$1 >= stopped + 1 && $1 + 1 <= start { n += $2 } END { print n + 0 }')"
unavailable=$(($(field status_503 "${single}") + $(field status_503 "${batch}")))
missing_retry_after=$(($(field retry_after_missing "${single}") + $(field retry_after_missing "${batch}")))
timeouts=$(($(field errors_timeout "${single}") + $(field errors_timeout "${batch}")))
other=$(($(field errors_other "${single}") + $(field errors_other "${batch}") + $(field errors_connect "${single}") + $(field errors_connect "${batch}")))
unexpected="$(statuses "${single} ${batch}" '200|503')"

rel_limits ingestion-api
rel_row "outage" "PostgreSQL stopped ${OUTAGE} s under load (8 clients of single events, 2 of 100-event batches, the Java library at 100 events/s)"
rel_row "answers, single events" "$(statuses "${single}")"
rel_row "answers, batches" "$(statuses "${batch}")"
rel_row "503 without Retry-After" "${missing_retry_after}"
rel_row "client timeouts (10 s) / connection errors" "${timeouts} / ${other}"
rel_row "events acknowledged in the seconds wholly inside the outage" "${outage_200}"
rel_row "readiness DOWN after the stop / UP after the restart" "${down_after:-never} s / ${up_after:-never} s"
rel_row "throughput before the outage" "${before_rate} events/s"
rel_row "back to 80 % of it after the restart" "${recovered_after} s"
rel_row "acknowledged / stored / lost" "${ACKED} / ${STORED} / **${LOST}**"
rel_row "Java library: enqueued / succeeded / failed / stored once" "${library_enqueued} / $(field succeeded "${library}") / $(field failed "${library}") / ${library_stored} (drained in $(field drain_seconds "${library}") s)"
rel_row "peak RSS / memory limit" "${rss} / ${LIMIT_MEM_MB} MiB"
rel_check "the API answered 503 during the outage" test "${unavailable}" -gt 0
rel_check "every 503 carried Retry-After" test "${missing_retry_after}" = 0
rel_check "no answer other than 200 and 503" test -z "${unexpected}"
rel_check "no request hung past the client's 10 s timeout" test "${timeouts}" = 0
rel_check "readiness went DOWN during the outage" test -n "${down_after}"
rel_check "readiness came back UP" test -n "${up_after}"
rel_check "throughput back within 10 s of the restart" awk -v r="${recovered_after}" 'BEGIN { exit !(r != "never" && r <= 10) }'
rel_check "no 200 while the database was down" test "${outage_200}" = 0
rel_check "no acknowledged event is lost" test "${LOST}" = 0
rel_check "the Java library's events are all stored" test "${library_stored}" = "${library_enqueued}"
rel_check "the Java library gave up on none" test "$(field failed "${library}")" = 0
rel_report "PostgreSQL stopped for ${OUTAGE} s under load" "reliability/run.sh db-outage"
