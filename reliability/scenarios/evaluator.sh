# Scenario 5, sla-evaluator restart and stall: the evaluator probes ingestion-api every minute (as
# in production) for one workspace. (1) After two recorded minutes it is SIGKILLed, stays down over
# a minute boundary and is started again; (2) then it is stalled (SIGSTOP: a frozen VM, a GC that
# never ends) over a whole minute and resumed (SIGCONT). Checks: every probe minute recorded
# before the kill is still there, unchanged; the report's unavailable minutes are unchanged; the
# minutes it did not measure are probe gaps with their cause ("not running", "stalled"), "no data"
# in the ledger, never available, and counted in tributary_sla_probe_gap_minutes_total, which the
# PrometheusRule TributarySlaProbeGap pages on. Takes about six minutes whatever the form: the
# probes follow the clock's minutes.
PORTS[ingestion]=18380
PORTS[sla]=18381
rel_start ingestion ingestion-api 18380
rel_wait_ready ingestion
rel_source evaluator
rel_start sla sla-evaluator 18381
rel_wait_ready sla

# past_boundary: sleeps until 5 s after the next minute boundary.
past_boundary() { sleep $((65 - 10#$(date -u +%S))); }
month="$(date -u +%Y-%m)"
report() { rel_admin "http://127.0.0.1:${PORTS[sla]}/v1/workspaces/${WORKSPACE_ID}/reports/${month}"; }
gap_metric() { # REASON: the restarted evaluator's count of gap minutes with that reason
  curl -fsS "http://127.0.0.1:${PORTS[sla]}/q/metrics" |
    awk -v r="reason=\"$1\"" '/^tributary_sla_probe_gap_minutes_total/ && index($0, r) { s += $2 } END { print s + 0 }'
}
# gap_minutes PATTERN: minutes of the recorded gaps whose reason matches PATTERN (waits up to 30 s
# for the first: the prober records a gap just after storing the round that ends it).
gap_minutes() {
  local deadline=$((SECONDS + 30)) minutes
  while :; do
    minutes="$(psql -qAt -c "select coalesce(sum(extract(epoch from end_minute - start_minute) / 60), 0)::int
      from sla.probe_gaps where reason like '$1'")"
    [ "${minutes}" -gt 0 ] || [ "${SECONDS}" -ge "${deadline}" ] && break
    sleep 0.5
  done
  echo "${minutes}"
}
# gap_verdicts PATTERN: the ledger's verdicts of every minute of the gaps matching PATTERN.
gap_verdicts() {
  local from to
  psql -qAt -F ' ' -c "select to_char(start_minute at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
      to_char(end_minute at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
    from sla.probe_gaps where reason like '$1'" | while read -r from to; do
    rel_ledger "${from}" "${to}" | awk '{ print $2 }'
  done | sort | uniq -c | awk '{ printf "%s %s; ", $2, $1 }'
}

# --- 1. restart ----------------------------------------------------------------------------------
rel_wait_probe_minutes 2
before="$(rel_probe_snapshot)"
report_before="$(report)"
rel_kill sla KILL
say "SIGKILL at $(date -u +%H:%M:%S) after $(rel_probe_minutes) recorded minutes; down over the next minute boundary"
past_boundary
rel_start sla sla-evaluator 18381
rel_wait_ready sla
rel_wait_probe_minutes $(( $(echo "${before}" | cut -d'|' -f1 | sort -u | wc -l) + 1 ))
after="$(rel_probe_snapshot)"
kept="$(comm -23 <(echo "${before}") <(echo "${after}") | wc -l)"
report_after="$(report)"
not_running="$(gap_minutes '%not running%')"
not_running_metric="$(gap_metric not_running)"
unavailable_before="$(echo "${report_before}" | rel_json unavailableMinutes)"
unavailable_after="$(echo "${report_after}" | rel_json unavailableMinutes)"
restart_verdicts="$(gap_verdicts '%not running%')"

# --- 2. stall ------------------------------------------------------------------------------------
rel_wait_probe_minutes "$(( $(rel_probe_minutes) ))"
sleep $((62 - 10#$(date -u +%S))) # just after this minute's round
kill -STOP "${PIDS[sla]}"
say "SIGSTOP at $(date -u +%H:%M:%S); stalled for a whole minute (over two minute boundaries)"
past_boundary
past_boundary
kill -CONT "${PIDS[sla]}"
resumed="$(rel_probe_minutes)"
rel_wait_probe_minutes $((resumed + 1))
stalled="$(gap_minutes '%stalled%')"
stalled_metric="$(gap_metric stalled)"
stall_verdicts="$(gap_verdicts '%stalled%')"
rss="$(rel_rss_peak sla)"

rel_limits sla-evaluator
rel_row "probe minutes recorded before the kill" "$(echo "${before}" | cut -d'|' -f1 | sort -u | wc -l) ($(echo "${before}" | wc -l) results)"
rel_row "of their results missing or changed after the restart" "${kept}"
rel_row "report's unavailable minutes before / after the restart" "${unavailable_before} / ${unavailable_after}"
rel_row "minutes recorded as gaps, not running (table / metric)" "${not_running} / ${not_running_metric}"
rel_row "minutes recorded as gaps, stalled (table / metric)" "${stalled} / ${stalled_metric}"
rel_row "ledger verdicts of the 'not running' gap minutes" "${restart_verdicts}"
rel_row "ledger verdicts of the 'stalled' gap minutes" "${stall_verdicts}"
rel_row "peak RSS / memory limit" "${rss} / ${LIMIT_MEM_MB} MiB"
rel_check "no recorded probe result was lost or changed by the restart" test "${kept}" = 0
rel_check "the report's unavailable minutes are unchanged" test "${unavailable_before}" = "${unavailable_after}"
rel_check "the minutes it was down are a 'not running' gap" test "${not_running}" -ge 1
rel_check "the gap is counted in tributary_sla_probe_gap_minutes_total" test "${not_running_metric}" -ge 1
rel_check "the stalled minutes are a 'stalled' gap, counted" test "${stalled}" -ge 1 -a "${stalled_metric}" -ge 1
rel_check "every gap minute is NO_DATA in the ledger, none available" \
  test "${restart_verdicts}${stall_verdicts}" = "NO_DATA ${not_running}; NO_DATA ${stalled}; "
rel_report "restart and stall of the evaluator" "reliability/run.sh evaluator"
