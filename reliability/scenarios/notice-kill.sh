# Scenario 4, notice-service killed mid fan-out: one MAINTENANCE notice to WORKSPACES workspaces
# (1,000; short: 300) with one email contact each, sent to the counting SMTP sink with the primary
# server paced to 200 messages a second (so the kill falls in the middle of the fan-out); SIGKILL
# when 40 % of the messages have reached the sink, then a restart. The delivery lease is 20 s here
# (5 min by default) so that the deliveries the dead process had claimed come back within the
# scenario. Checks: every recipient gets the message; each delivery ends SENT; the duplicates (the
# messages the dead process sent but had not recorded) stay inside the at-least-once window that
# notice-service documents: the deliveries it had in flight plus the unrecorded attempt groups,
# at most parallelism + 4 groups of 50 = 208.
if [ "${SHORT}" = 1 ]; then WORKSPACES="${WORKSPACES:-300}"; else WORKSPACES="${WORKSPACES:-1000}"; fi
WINDOW=208

PORTS[ingestion]=18380
PORTS[notice]=18382
rel_sink_start
rel_start ingestion ingestion-api 18380
rel_wait_ready ingestion
say "creating ${WORKSPACES} workspaces with one email contact each"
INGESTION_URL="http://127.0.0.1:18380" PARALLEL=16 "${ROOT}/bench/workspaces.sh" "${WORKSPACES}" 1 >&2
notice_opts=(-Dquarkus.mailer.host=127.0.0.1 -Dquarkus.mailer.port="${SINK_PORT}"
  -Dquarkus.mailer.secondary.host=127.0.0.1 -Dquarkus.mailer.secondary.port="${SINK_PORT}"
  -Dtributary.notice.delivery.smtp-primary.rate=200 -Dtributary.notice.delivery.lease=20s
  -Dtributary.notice.delivery.poll-interval=1s)
rel_start notice notice-service 18382 "${notice_opts[@]}"
rel_wait_ready notice

window_day="$(date -u -d '+8 days' +%Y-%m-%d)"
notice_id="$(rel_service_post notice /v1/notices "{\"kind\":\"MAINTENANCE\",\"audience\":{\"type\":\"ALL\"},
  \"channels\":[\"EMAIL\"],\"windowStart\":\"${window_day}T10:00:00Z\",\"windowEnd\":\"${window_day}T11:00:00Z\",
  \"description\":\"Reliability scenario: notice-service is killed while this goes out.\"}" | rel_json id)"
say "notice ${notice_id} created; waiting until 40 % has reached the sink"
kill_at=$((WORKSPACES * 4 / 10))
deadline=$((SECONDS + 120))
until [ "$(field messages "$(rel_sink_stats)")" -ge "${kill_at}" ]; do
  [ "${SECONDS}" -lt "${deadline}" ] || { say "the fan-out did not reach ${kill_at} messages"; exit 1; }
  sleep 0.05
done
rss="$(rel_rss_peak notice)"
rel_kill notice KILL
at_kill="$(rel_sink_stats)"
read -r sent_at_kill sending_at_kill <<<"$(psql -qAt -F ' ' -c "select count(*) filter (where status = 'SENT'),
  count(*) filter (where status = 'SENDING') from notice.deliveries where notice_id = '${notice_id}' and stage = 'NOTICE'")"
say "SIGKILL with $(field messages "${at_kill}") messages at the sink, ${sent_at_kill} deliveries recorded SENT, ${sending_at_kill} SENDING"
restart_at="$(date +%s.%N)"
rel_start notice notice-service 18382 "${notice_opts[@]}"
rel_wait_ready notice
rel_wait_delivered "${notice_id}" "${WORKSPACES}"
done_after="$(awk -v a="${restart_at}" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
sink="$(rel_sink_stats)"
rss_after="$(rel_rss_peak notice)"
[ "${rss_after}" -gt "${rss}" ] && rss="${rss_after}"
rel_limits notice-service
rel_row "fan-out" "one MAINTENANCE notice to ${WORKSPACES} workspaces (one contact each), primary SMTP paced to 200/s, lease 20 s"
rel_row "SIGKILL at" "$(field messages "${at_kill}") messages at the sink; ${sent_at_kill} recorded SENT, ${sending_at_kill} claimed (SENDING)"
rel_row "after the restart, all delivered in" "${done_after} s (lease 20 s included)"
rel_row "deliveries SENT / FAILED" "${SENT} / ${FAILED} of ${WORKSPACES}"
rel_row "recipients with the message (distinct Message-IDs at the sink)" "$(field unique "${sink}")"
rel_row "messages at the sink / sent twice" "$(field messages "${sink}") / $(field duplicates "${sink}") (window: at most ${WINDOW})"
rel_row "peak RSS / memory limit" "${rss} / ${LIMIT_MEM_MB} MiB"
rel_check "the kill fell in the middle of the fan-out" test "${sent_at_kill}" -lt "${WORKSPACES}"
rel_check "every delivery ended SENT" test "${SENT}" = "${WORKSPACES}"
rel_check "every recipient has the message" test "$(field unique "${sink}")" = "${WORKSPACES}"
rel_check "duplicates inside the at-least-once window" test "$(field duplicates "${sink}")" -le "${WINDOW}"
rel_check "no message without its Message-ID" test "$(field without_id "${sink}")" = 0
rel_report "SIGKILL mid fan-out, restart" "reliability/run.sh notice-kill"
