# Scenario 6, two replicas of each service against one database. Checks: (1) the same events sent
# to both ingestion replicas at once are stored once; (2) a workspace limited to 20 events/s
# (burst 20) gets no more than that in all, with both replicas loaded; (3) a notice to REPLICA_WORKSPACES
# workspaces (300; short: 100) with two notice-service workers is sent once per recipient; (4)
# two evaluators (locations "evaluator-a" and "evaluator-b") probe the same API and their reports
# of the month are the same. About three minutes (the evaluators probe once a minute).
if [ "${SHORT}" = 1 ]; then REPLICA_WORKSPACES="${REPLICA_WORKSPACES:-100}"; LIMITED=6; else REPLICA_WORKSPACES="${REPLICA_WORKSPACES:-300}"; LIMITED=15; fi
LIMIT=20

PORTS[ingestion]=18380
PORTS[notice]=18382
rel_sink_start
rel_start ingestion ingestion-api 18380
rel_start ingestion-2 ingestion-api 18386
rel_wait_ready ingestion
rel_wait_ready ingestion-2
rel_start sla sla-evaluator 18381 -Dtributary.sla.probe.location=evaluator-a
rel_start sla-2 sla-evaluator 18388 -Dtributary.sla.probe.location=evaluator-b
notice_opts=(-Dquarkus.mailer.host=127.0.0.1 -Dquarkus.mailer.port="${SINK_PORT}"
  -Dquarkus.mailer.secondary.host=127.0.0.1 -Dquarkus.mailer.secondary.port="${SINK_PORT}"
  -Dtributary.notice.delivery.poll-interval=1s)
rel_start notice notice-service 18382 "${notice_opts[@]}"
rel_start notice-2 notice-service 18387 "${notice_opts[@]}"
for name in sla sla-2 notice notice-2; do rel_wait_ready "${name}"; done
# Both ingestion replicas count each other live (heartbeats every 5 s).
deadline=$((SECONDS + 30))
until [ "$(curl -fsS "http://127.0.0.1:18386/q/metrics" | awk '/^tributary_ingestion_live_replicas/ { print $2 + 0 }')" = 2 ]; do
  [ "${SECONDS}" -lt "${deadline}" ] || { say "the ingestion replicas do not see each other"; exit 1; }
  sleep 0.5
done

# --- 1. the same events through both replicas -----------------------------------------------------
rel_source replicas
run="same-$(date +%s%N)"
rel_load both-a --connections 4 --batch 20 --seconds 8 --run "${run}"
PORTS[ingestion-saved]="${PORTS[ingestion]}"
PORTS[ingestion]=18386
rel_load both-b --connections 4 --batch 20 --seconds 8 --run "${run}"
PORTS[ingestion]="${PORTS[ingestion-saved]}"
rel_load_wait both-a
a="${LOAD}"
rel_load_wait both-b
b="${LOAD}"
rel_stored "${REL_WORK}/both-a.acked" "${REL_WORK}/both-b.acked"
stored_rows="$(psql -qAt -c "select count(*) from ingestion.events where source_id = '${SOURCE_ID}'")"
both_acked="$(comm -12 <(LC_ALL=C sort -u "${REL_WORK}/both-a.acked") <(LC_ALL=C sort -u "${REL_WORK}/both-b.acked") | wc -l)"

# --- 2. one workspace limit across both replicas -------------------------------------------------
rel_source limited "${LIMIT}"
limited_source="${SOURCE_ID}"
rel_load lim-a --connections 4 --batch 1 --seconds "${LIMITED}"
PORTS[ingestion]=18386
rel_load lim-b --connections 4 --batch 1 --seconds "${LIMITED}"
PORTS[ingestion]="${PORTS[ingestion-saved]}"
rel_load_wait lim-a
la="${LOAD}"
rel_load_wait lim-b
lb="${LOAD}"
limited_acked=$(($(field acked "${la}") + $(field acked "${lb}")))
limited_seconds="$(awk -v a="$(field seconds "${la}")" -v b="$(field seconds "${lb}")" 'BEGIN { print (a > b ? a : b) }')"
allowed="$(awk -v s="${limited_seconds}" -v l="${LIMIT}" 'BEGIN { printf "%.0f", l * s + l }')"

# --- 3. a notice with two workers ----------------------------------------------------------------
say "creating ${REPLICA_WORKSPACES} workspaces with one email contact each"
INGESTION_URL="http://127.0.0.1:18380" PARALLEL=16 "${ROOT}/bench/workspaces.sh" "${REPLICA_WORKSPACES}" 1 >&2
window_day="$(date -u -d '+8 days' +%Y-%m-%d)"
notice_id="$(rel_service_post notice /v1/notices "{\"kind\":\"MAINTENANCE\",\"audience\":{\"type\":\"ALL\"},
  \"channels\":[\"EMAIL\"],\"windowStart\":\"${window_day}T10:00:00Z\",\"windowEnd\":\"${window_day}T11:00:00Z\",
  \"description\":\"Reliability scenario: two workers send this.\"}" | rel_json id)"
recipients="$(psql -qAt -c "select count(*) from notice.deliveries where notice_id = '${notice_id}' and stage = 'NOTICE'")"
deadline=$((SECONDS + 120))
until [ "$(psql -qAt -c "select count(*) from notice.deliveries where notice_id = '${notice_id}' and stage = 'NOTICE' and status = 'SENT'")" -ge "${recipients}" ]; do
  [ "${SECONDS}" -lt "${deadline}" ] || break
  sleep 0.5
done
read -r sent_once attempts <<<"$(psql -qAt -F ' ' -c "select count(*) filter (where status = 'SENT' and attempts = 1),
  sum(attempts) from notice.deliveries where notice_id = '${notice_id}' and stage = 'NOTICE'")"
sink="$(rel_sink_stats)"
# How many deliveries each worker handled, from their logs ("handled N deliveries in ...").
workers="$(for name in notice notice-2; do
  awk '/handled [0-9]+ deliveries/ { for (i = 1; i < NF; i++) if ($i == "handled") n += $(i + 1) } END { printf "%d/", n }' \
    "${REL_LOGS}/${SCENARIO}-${name}.log"
done)"

# --- 4. two evaluators, one report ---------------------------------------------------------------
deadline=$((SECONDS + 200))
until [ "$(psql -qAt -c "select count(distinct minute) from sla.probe_results where location = 'evaluator-a' and minute in
    (select minute from sla.probe_results where location = 'evaluator-b')")" -ge 2 ]; do
  [ "${SECONDS}" -lt "${deadline}" ] || { say "the two evaluators did not both record two minutes"; break; }
  sleep 1
done
month="$(date -u +%Y-%m)"
report_of() { rel_admin "http://127.0.0.1:${PORTS[$1]}/v1/workspaces/${WORKSPACE_ID}/reports/${month}"; }
strip() { python3 -c "import sys, json; r = json.load(sys.stdin); r.pop('generatedAt', None); print(json.dumps(r, sort_keys=True))"; }
PORTS[sla]=18381
PORTS[sla-2]=18388
report_a="$(report_of sla | strip)"
report_b="$(report_of sla-2 | strip)"
locations="$(psql -qAt -c "select string_agg(distinct location, ', ') from sla.probe_results")"

rel_row "same events through both ingestion replicas (4 clients each, 20-event batches)" "sent $(field events "${a}") to each; acknowledged by both: ${both_acked}"
rel_row "acknowledged / stored / lost; rows stored for the source" "${ACKED} / ${STORED} / **${LOST}**; ${stored_rows}"
rel_row "workspace limited to ${LIMIT}/s, burst ${LIMIT}: accepted over ${limited_seconds} s by both replicas" "${limited_acked} (allowed at most ${allowed}); 429s $(($(field status_429 "${la}") + $(field status_429 "${lb}")))"
rel_row "notice to ${recipients} recipients, two workers" "SENT once: ${sent_once}; attempts ${attempts}; handled by each worker ${workers%/}"
rel_row "at the sink: messages / distinct / sent twice" "$(field messages "${sink}") / $(field unique "${sink}") / $(field duplicates "${sink}")"
rel_row "probe locations recorded" "${locations}"
rel_row "reports of the month from the two evaluators" "$([ "${report_a}" = "${report_b}" ] && echo identical || echo DIFFERENT)"
rel_check "both replicas acknowledged the same events" test "${both_acked}" -gt 0
rel_check "each event stored once" test "${stored_rows}" = "${STORED}" -a "${LOST}" = 0
rel_check "the workspace limit holds across replicas" test "${limited_acked}" -le "${allowed}"
rel_check "the load exceeded the limit (429s)" test "$(($(field status_429 "${la}") + $(field status_429 "${lb}")))" -gt 0
rel_check "the limit still lets the workspace send" test "${limited_acked}" -gt 0
rel_check "every recipient's delivery SENT in one attempt" test "${sent_once}" = "${recipients}" -a "${attempts}" = "${recipients}"
rel_check "no message sent twice" test "$(field duplicates "${sink}")" = 0 -a "$(field unique "${sink}")" = "${recipients}"
rel_check "both evaluators recorded probes" test "$(echo "${locations}" | tr ',' '\n' | wc -l)" = 2
rel_check "both evaluators report the same month" test "${report_a}" = "${report_b}"
rel_report "two replicas of each service, one database" "reliability/run.sh replicas"
