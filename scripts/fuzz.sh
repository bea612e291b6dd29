#!/usr/bin/env bash
# Coverage-guided fuzzing of the services' input decoding with Jazzer (issue 11).
#
#   scripts/fuzz.sh            the long run: FUZZ_SECONDS (default 600) per target
#   scripts/fuzz.sh --short    the short run: FUZZ_SECONDS (default 20) per target
#   scripts/fuzz.sh --list     the targets
#   FUZZ_TARGETS='Class#method ...' scripts/fuzz.sh --short   only those targets
#
# Each target is a JUnit @FuzzTest. `./mvnw verify` runs it over its committed corpus
# (src/test/resources/<package>/<Class>Inputs/<method>/) as a regression test; here Jazzer's
# driver fuzzes it, one target per JVM, on the test classpath Maven builds once. What the fuzzer
# adds to the corpus is kept in <module>/.cifuzz-corpus/<Class>/<method>/ (not committed; a later
# run resumes from it); a crash, timeout (FUZZ_TIMEOUT seconds for one input, default 60) or
# out-of-memory input is written to <module>/.cifuzz-findings/<Class>/<method>/ and fails the
# script. Fix the bug, then commit the input into the target's Inputs directory as its regression
# test. FUZZ_INSTRUMENT overrides the packages instrumented for coverage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# module  class  method  instrumented packages (beyond dev.tributary.**)
TARGETS=(
  "ingestion-api dev.tributary.ingestion.rest.RequestBodiesFuzzTest identityBody com.fasterxml.jackson.core.**"
  "ingestion-api dev.tributary.ingestion.rest.RequestBodiesFuzzTest gzipBody com.fasterxml.jackson.core.**"
  "ingestion-api dev.tributary.ingestion.service.SegmentEventNormalizerFuzzTest normalizeBody com.fasterxml.jackson.core.**"
  "notice-service dev.tributary.notice.service.NoticeRequestFuzzTest createNotice com.fasterxml.jackson.core.**:com.fasterxml.jackson.datatype.jsr310.**"
  "sla-evaluator dev.tributary.sla.rest.EvaluationRequestFuzzTest evaluateMonth com.fasterxml.jackson.core.**:com.fasterxml.jackson.datatype.jsr310.**"
  "sla-evaluator dev.tributary.sla.rest.EvaluationRequestFuzzTest evaluateTerminationRight com.fasterxml.jackson.core.**:com.fasterxml.jackson.datatype.jsr310.**"
)

mode=long
case "${1:-}" in
  --short) mode=short ;;
  --list)
    for t in "${TARGETS[@]}"; do
      read -r module class method _ <<<"$t"
      echo "$module ${class##*.}#$method"
    done
    exit 0
    ;;
  "") ;;
  *)
    echo "usage: scripts/fuzz.sh [--short|--list]" >&2
    exit 2
    ;;
esac
if [ "$mode" = short ]; then
  seconds="${FUZZ_SECONDS:-20}"
else
  seconds="${FUZZ_SECONDS:-600}"
fi
timeout_seconds="${FUZZ_TIMEOUT:-60}"

selected=()
for t in "${TARGETS[@]}"; do
  read -r module class method _ <<<"$t"
  if [ -z "${FUZZ_TARGETS:-}" ] || [[ " $FUZZ_TARGETS " == *" ${class##*.}#$method "* ]]; then
    selected+=("$t")
  fi
done
if [ "${#selected[@]}" -eq 0 ]; then
  echo "fuzz.sh: no target matches FUZZ_TARGETS=$FUZZ_TARGETS (see --list)" >&2
  exit 2
fi

modules=$(for t in "${selected[@]}"; do echo "${t%% *}"; done | sort -u | paste -sd, -)
echo "[fuzz] compiling $modules and writing their test classpaths"
./mvnw -B -ntp -q -pl "$modules" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/fuzz.classpath -Dmdep.includeScope=test

echo "[fuzz] $mode run: ${#selected[@]} targets, ${seconds}s of fuzzing each"
failed=()
summary=()
n=0
started_all=$(date +%s)
for t in "${selected[@]}"; do
  n=$((n + 1))
  read -r module class method packages <<<"$t"
  name="${class##*.}#$method"
  corpus="$module/.cifuzz-corpus/$class/$method"
  findings="$module/.cifuzz-findings/$class/$method"
  log="$module/target/fuzz-${class##*.}-$method.log"
  mkdir -p "$corpus" "$findings"
  includes="${FUZZ_INSTRUMENT:-dev.tributary.**:$packages}"
  echo "[fuzz] $n/${#selected[@]} $module $name for ${seconds}s (log: $log)"
  started=$(date +%s)
  set +e
  # The committed Inputs directory is on the classpath: Jazzer adds it as seeds by itself.
  (cd "$module" && java -Xmx2g \
    -cp "target/test-classes:target/classes:$(cat target/fuzz.classpath)" \
    com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" \
    --instrumentation_includes="$includes" --custom_hook_includes="$includes" \
    -max_total_time="$seconds" -timeout="$timeout_seconds" -report_slow_units=100000 \
    -artifact_prefix="${findings#"$module"/}/" \
    "${corpus#"$module"/}") >"$log" 2>&1
  status=$?
  set -e
  elapsed=$(($(date +%s) - started))
  # libFuzzer's last status line: DONE, or the last before a finding.
  done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
  runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$done_line")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$done_line")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$done_line")
  corp=$(sed -nE 's/.* corp: ([0-9]+\/[0-9A-Za-z]+).*/\1/p' <<<"$done_line")
  if [ "$status" -eq 0 ]; then
    verdict=ok
  else
    verdict="FAILED (exit $status)"
    failed+=("$name")
    grep -E '^== Java Exception|^Exception in|^Caused by|^(java|org|com)\.[^ ]+(Exception|Error)' "$log" \
      | head -5 | sed 's/^/[fuzz]   /' || true
    ls "$findings" 2>/dev/null | sed "s|^|[fuzz]   finding: $findings/|" || true
  fi
  line=$(printf '%-60s %-8s runs=%-8s cov=%-6s ft=%-6s corpus=%-12s %ss' \
    "$module $name" "$verdict" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$elapsed")
  summary+=("$line")
  echo "[fuzz] $line"
done

echo "[fuzz] summary ($mode, ${seconds}s per target, $(($(date +%s) - started_all))s in all):"
printf '[fuzz]   %s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "[fuzz] ${#failed[@]} target(s) found a crash: ${failed[*]}" >&2
  exit 1
fi
echo "[fuzz] no findings"
