# Scenario 7, graceful shutdown (ingestion-api): SIGTERM under load, with the manifest's shutdown
# delay and timeout, and the load routed as Kubernetes routes it: readiness goes DOWN, the
# endpoints drop the pod ROUTING seconds later (2 s), and from then on the clients send it nothing
# new. One slow client (reliability/slow_upload.py) starts a 100-event batch just before the
# SIGTERM and sends the second half of its body 3 s after the shutdown delay has ended: a request
# still in flight when the server stops. Checks: readiness goes DOWN at once while requests are
# still answered 200; every request sent before the routing changed is answered 200 (no reset, no
# timeout, no 5xx), the slow upload too; the process exits by itself within the pod's grace period
# (60 s); nothing acknowledged is lost.
ROUTING=2
PORTS[ingestion]=18380
rel_start ingestion ingestion-api 18380
rel_wait_ready ingestion
rel_source shutdown
rel_load single --connections 8 --batch 1 --seconds 300 --timeout-ms 10000
rel_load batch --connections 4 --batch 100 --seconds 300 --timeout-ms 10000
rel_load_acking single batch
sleep 5
delay="$(rel_manifest_env ingestion-api | sed -n 's/^QUARKUS_SHUTDOWN_DELAY=\([0-9]*\)s$/\1/p')"
slow_finish="$(awk -v now="$(date +%s.%N)" -v d="${delay:-0}" 'BEGIN { printf "%.3f", now + 1 + d + 3 }')"
python3 "${ROOT}/reliability/slow_upload.py" "${PORTS[ingestion]}" "${WRITE_KEY}" "${SCENARIO}-slow-$(date +%s%N)" \
  "${slow_finish}" "${REL_WORK}/slow.acked" >"${REL_WORK}/slow.summary" 2>"${REL_WORK}/slow.err" &
slow_pid=$!
sleep 1
term_at="$(date +%s.%N)"
say "SIGTERM; the slow upload sends the rest of its body at $(date -u -d "@${slow_finish}" +%H:%M:%S.%1N), ${delay:-0} + 3 s later"
kill -TERM "${PIDS[ingestion]}"
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
down_after=""
until [ -n "${down_after}" ] || ! rel_alive ingestion; do
  [ "$(rel_ready_state ingestion)" = DOWN ] && down_after="$(since "${term_at}")"
  sleep 0.1
done
say "readiness DOWN ${down_after:-never} s after SIGTERM; the endpoints drop the pod ${ROUTING} s later"
sleep "${ROUTING}"
rel_load_stop single
single="${LOAD}"
rel_load_stop batch
batch="${LOAD}"
say "load stopped; waiting for the process to exit"
while rel_alive ingestion; do
  sleep 0.1
  [ "$(since "${term_at}" | cut -d. -f1)" -lt 90 ] || break
done
exit_after="$(since "${term_at}")"
rel_kill ingestion KILL # gone already unless it hung
code="${EXIT_CODE}"
wait "${slow_pid}" || true
slow="$(cat "${REL_WORK}/slow.summary")"
touch "${REL_WORK}/slow.acked"
rel_stored "${REL_WORK}/single.acked" "${REL_WORK}/batch.acked" "${REL_WORK}/slow.acked"
# 200s after the SIGTERM: the service kept serving through the delay.
served_after_term="$(awk -v t="${term_at}" 'FNR > 1 && $1 >= t + 1 { n += $2 } END { print n + 0 }' \
  "${REL_WORK}/single.timeline" "${REL_WORK}/batch.timeline")"
errors() { echo $(($(field errors_timeout "$1") + $(field errors_other "$1"))); }
rel_row "SIGTERM under load" "8 clients of single events, 4 of 100-event batches, sent nothing new ${ROUTING} s after readiness DOWN; from the manifest: $(rel_manifest_env ingestion-api | tr '\n' ' ')"
rel_row "readiness DOWN after SIGTERM" "${down_after:-never} s"
rel_row "events acknowledged after SIGTERM (the delay)" "${served_after_term}"
rel_row "process exited after / status" "${exit_after} s / ${code} (the JVM's status after SIGTERM is 143)"
rel_row "answers other than 200" "$(statuses "${single} ${batch}" 200)"
rel_row "requests cut off (reset, timeout)" "$(($(errors "${single}") + $(errors "${batch}")))"
rel_row "slow upload (second half of the body ${delay:-0} + 3 s after SIGTERM)" "${slow}"
rel_row "connection errors" "$(($(field errors_connect "${single}") + $(field errors_connect "${batch}")))"
rel_row "acknowledged / stored / lost" "${ACKED} / ${STORED} / **${LOST}**"
rel_check "readiness went DOWN during the shutdown" test -n "${down_after}"
rel_check "requests were still served after SIGTERM" test "${served_after_term}" -gt 0
rel_check "no request was cut off" test "$(($(errors "${single}") + $(errors "${batch}") + $(field errors_connect "${single}") + $(field errors_connect "${batch}")))" = 0
rel_check "every answer was a 200" test -z "$(statuses "${single} ${batch}" 200)"
rel_check "the slow upload in flight at the stop was answered 200" test "$(field status "${slow}")" = 200
rel_check "the process exited within the 60 s grace period" awk -v e="${exit_after}" 'BEGIN { exit !(e < 60) }'
rel_check "it exited as after SIGTERM (143), not killed" test "${code}" = 143
rel_check "no acknowledged event is lost" test "${LOST}" = 0
rel_report "SIGTERM under load" "reliability/run.sh shutdown"
