# Scenario 2b, database outage of sla-evaluator and notice-service: all three services run, the
# evaluator probing ingestion-api every minute and notice-service in the middle of a fan-out (one
# MAINTENANCE notice to 300 workspaces, short: 150, one email contact each, the primary SMTP
# server paced to 10 messages a second, the delivery lease 20 s) when PostgreSQL is stopped for
# 30 s (short: 20 s) over a minute boundary, so that one probe round falls inside the outage. Checks, sla-evaluator: every probe minute recorded before the outage is still there,
# unchanged; the round inside the outage is recorded after it, as what it was: every endpoint
# failed (ingestion-api answered 503), the minute UNAVAILABLE in the ledger, not a probe gap.
# notice-service: every delivery ends SENT, every recipient has the message, and the messages sent
# twice stay inside the documented at-least-once window (parallelism + 4 groups of 50 = 208).
# Takes about three minutes whatever the form: the probes follow the clock's minutes.
# (The scenarios share one shell: these names are this scenario's own.)
if [ "${SHORT}" = 1 ]; then SN_OUTAGE=20 SN_WORKSPACES=150; else SN_OUTAGE=30 SN_WORKSPACES=300; fi
SN_WINDOW=208

PORTS[ingestion]=18380
PORTS[sla]=18381
PORTS[notice]=18382
rel_sink_start
rel_start ingestion ingestion-api 18380
rel_wait_ready ingestion
rel_source outage
say "creating ${SN_WORKSPACES} workspaces with one email contact each"
INGESTION_URL="http://127.0.0.1:18380" PARALLEL=16 "${ROOT}/bench/workspaces.sh" "${SN_WORKSPACES}" 1 >&2
rel_start sla sla-evaluator 18381
rel_start notice notice-service 18382 -Dquarkus.mailer.host=127.0.0.1 -Dquarkus.mailer.port="${SINK_PORT}" \
  -Dquarkus.mailer.secondary.host=127.0.0.1 -Dquarkus.mailer.secondary.port="${SINK_PORT}" \
  -Dtributary.notice.delivery.smtp-primary.rate=10 -Dtributary.notice.delivery.lease=20s \
  -Dtributary.notice.delivery.poll-interval=1s
rel_wait_ready sla
rel_wait_ready notice
rel_wait_probe_minutes 1

# The fan-out starts at second 38 and the outage at second 50: the next round (second 0) falls in it.
rel_at_second 38
window_day="$(date -u -d '+8 days' +%Y-%m-%d)"
notice_id="$(rel_service_post notice /v1/notices "{\"kind\":\"MAINTENANCE\",\"audience\":{\"type\":\"ALL\"},
  \"channels\":[\"EMAIL\"],\"windowStart\":\"${window_day}T10:00:00Z\",\"windowEnd\":\"${window_day}T11:00:00Z\",
  \"description\":\"Reliability scenario: PostgreSQL stops while this goes out.\"}" | rel_json id)"
say "notice ${notice_id} created"
rel_at_second 50
before="$(rel_probe_snapshot)"
at_stop="$(rel_sink_stats)"
say "stopping PostgreSQL for ${SN_OUTAGE} s with $(field messages "${at_stop}") messages at the sink"
rel_pg_stop
stop_epoch="$(date +%s)"
# The first round that starts while the server is down.
outage_minute="$(date -u -d "@$(((stop_epoch / 60 + 1) * 60))" +%Y-%m-%dT%H:%M:%SZ)"
states=""
deadline=$((SECONDS + SN_OUTAGE))
while [ "${SECONDS}" -lt "${deadline}" ]; do
  [ -z "${states}" ] && [ $((SECONDS + 5)) -ge "${deadline}" ] &&
    states="sla-evaluator $(rel_ready_state sla), notice-service $(rel_ready_state notice)"
  sleep 0.5
done
say "starting PostgreSQL again (readiness at the end of the outage: ${states})"
rel_pg_start
restart_at="$(date +%s.%N)"

# The outage round is stored with the next one.
deadline=$((SECONDS + 150))
until [ "$(psql -qAt -c "select count(*) from sla.probe_results where minute > '${outage_minute}'")" -gt 0 ]; do
  [ "${SECONDS}" -lt "${deadline}" ] || { say "no probe round recorded after the outage"; break; }
  sleep 1
done
after="$(rel_probe_snapshot)"
changed="$(comm -23 <(echo "${before}") <(echo "${after}") | wc -l)"
read -r outage_results outage_ok outage_endpoints outage_statuses <<<"$(psql -qAt -F ' ' -c "select count(*),
    count(*) filter (where ok), count(distinct endpoint), coalesce(string_agg(distinct coalesce(status::text, 'none'), ','), '-')
  from sla.probe_results where minute = '${outage_minute}'")"
outage_gaps="$(psql -qAt -c "select count(*) from sla.probe_gaps
  where start_minute <= '${outage_minute}' and end_minute > '${outage_minute}'")"
outage_verdict="$(rel_ledger "${outage_minute}" "$(date -u -d "${outage_minute} + 1 minute" +%Y-%m-%dT%H:%M:%SZ)" | awk '{ print $2 }')"

rel_wait_delivered "${notice_id}" "${SN_WORKSPACES}"
done_after="$(awk -v a="${restart_at}" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
sink="$(rel_sink_stats)"
sla_rss="$(rel_rss_peak sla)"
notice_rss="$(rel_rss_peak notice)"
rel_limits sla-evaluator
sla_limit="${LIMIT_MEM_MB}"
rel_limits notice-service

rel_row "outage" "PostgreSQL stopped ${SN_OUTAGE} s at second 50 of a minute; the round of ${outage_minute} fell inside it"
rel_row "readiness near the end of the outage" "${states}"
rel_row "sla-evaluator: probe results recorded before the outage / missing or changed after it" "$(echo "${before}" | grep -c .) / ${changed}"
rel_row "sla-evaluator: the outage round's results (ok) / endpoints / statuses" "${outage_results} (${outage_ok}) / ${outage_endpoints} / ${outage_statuses}"
rel_row "sla-evaluator: the outage minute in the ledger / probe gaps over it" "${outage_verdict:-none} / ${outage_gaps}"
rel_row "notice-service: fan-out" "one MAINTENANCE notice to ${SN_WORKSPACES} workspaces, primary SMTP paced to 10/s, lease 20 s; $(field messages "${at_stop}") messages at the sink when the database stopped"
rel_row "notice-service: all delivered, after the restart, in" "${done_after} s"
rel_row "notice-service: deliveries SENT / FAILED" "${SENT} / ${FAILED} of ${SN_WORKSPACES}"
rel_row "notice-service: recipients with the message / messages sent twice" "$(field unique "${sink}") / $(field duplicates "${sink}") (window: at most ${SN_WINDOW})"
rel_row "peak RSS / memory limit" "sla-evaluator ${sla_rss} / ${sla_limit} MiB, notice-service ${notice_rss} / ${LIMIT_MEM_MB} MiB"
rel_check "the outage fell in the middle of the fan-out" test "$(field messages "${at_stop}")" -lt "${SN_WORKSPACES}"
rel_check "no probe result recorded before the outage was lost or changed" test "${changed}" = 0
rel_check "the outage round was recorded, every endpoint" test "${outage_endpoints}" = 6
rel_check "every probe of the outage round failed" test "${outage_results}" -gt 0 -a "${outage_ok}" = 0
rel_check "the outage minute is UNAVAILABLE in the ledger" test "${outage_verdict}" = UNAVAILABLE
rel_check "the outage minute is not a probe gap" test "${outage_gaps}" = 0
rel_check "every delivery ended SENT" test "${SENT}" = "${SN_WORKSPACES}"
rel_check "every recipient has the message" test "$(field unique "${sink}")" = "${SN_WORKSPACES}"
rel_check "duplicates inside the at-least-once window" test "$(field duplicates "${sink}")" -le "${SN_WINDOW}"
rel_check "no message without its Message-ID" test "$(field without_id "${sink}")" = 0
rel_report "PostgreSQL stopped for ${SN_OUTAGE} s under sla-evaluator and notice-service" "reliability/run.sh db-outage-sla-notice"
