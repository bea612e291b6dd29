# Scenario 1, crash under load (ingestion-api): SIGKILL at random moments, ROUNDS times, while
# clients send single events and 100-event batches and record every acknowledged messageId;
# afterwards each acknowledged event is stored exactly once.
#   full: 5 kills, 3-8 s of load before each; short: 2 kills, 2-4 s.
if [ "${SHORT}" = 1 ]; then ROUNDS="${ROUNDS:-2}"; LOAD_MIN=2; LOAD_SPREAD=2; else ROUNDS="${ROUNDS:-5}"; LOAD_MIN=3; LOAD_SPREAD=5; fi

PORTS[ingestion]=18380
rel_start ingestion ingestion-api 18380
rel_wait_ready ingestion
rel_source crash
sent=0
peak=0
acked_files=()
for round in $(seq "${ROUNDS}"); do
  if [ "${round}" -gt 1 ]; then
    rel_start ingestion ingestion-api 18380
    rel_wait_ready ingestion
  fi
  rel_load "single-${round}" --connections 12 --batch 1 --seconds 120
  rel_load "batch-${round}" --connections 4 --batch 100 --seconds 120
  rel_load_acking "single-${round}" "batch-${round}"
  after="$((LOAD_MIN + RANDOM % (LOAD_SPREAD + 1))).$((RANDOM % 10))"
  sleep "${after}"
  rss="$(rel_rss_peak ingestion)"
  [ "${rss}" -gt "${peak}" ] && peak="${rss}"
  rel_kill ingestion KILL
  say "round ${round}: SIGKILL after ${after} s of load (peak RSS ${rss} MiB)"
  for load in "single-${round}" "batch-${round}"; do
    rel_load_stop "${load}"
    sent=$((sent + $(field events "${LOAD}")))
    acked_files+=("${REL_WORK}/${load}.acked")
  done
done
rel_stored "${acked_files[@]}"
say "sent ${sent} events, ${ACKED} acknowledged, ${STORED} of them stored, ${LOST} lost, ${DUPLICATES} duplicates"

rel_limits ingestion-api
rel_row "SIGKILLs under load" "${ROUNDS} (12 clients of single events, 4 of 100-event batches; ${LOAD_MIN}-$((LOAD_MIN + LOAD_SPREAD)).9 s of load before each)"
rel_row "events sent" "${sent}"
rel_row "acknowledged (200)" "${ACKED}"
rel_row "acknowledged and stored" "${STORED}"
rel_row "stored twice" "${DUPLICATES}"
rel_row "acknowledged but lost" "**${LOST}**"
rel_row "peak RSS / memory limit" "${peak} / ${LIMIT_MEM_MB} MiB"
rel_check "every round acknowledged events (the kill happened under load)" test "${ACKED}" -gt 0
rel_check "no acknowledged event is lost" test "${LOST}" = 0
rel_check "no event is stored twice" test "${DUPLICATES}" = 0
rel_report "SIGKILL under load, ${ROUNDS} times" "reliability/run.sh crash"
