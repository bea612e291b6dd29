#!/usr/bin/env bash
# Benchmark of notice-service's delivery at scale: one maintenance notice to N workspaces with K
# email contacts each, against the same local SMTP sink driven by the mail client alone.
#
#   bench/notice-scale.sh           build, then measure with N=10000 workspaces, K=3 contacts
#   N=1000 K=2 bench/notice-scale.sh
#
# 1. Builds ingestion-api and notice-service (SKIP_BUILD=1 uses the last build), gets database
#    tributary_notice_bench through scripts/postgres.sh and drops its ingestion and notice schemas,
#    so every run starts empty.
# 2. Starts an SMTP sink on 127.0.0.1 (a small Java program written to .run/bench-notice/: it
#    accepts every message and counts the messages, their bytes, their Message-IDs and the
#    connections that carried them), ingestion-api with the N workspaces created through its admin
#    API (bench/workspaces.sh), and notice-service (-Xmx256m, ExitOnOutOfMemoryError) with both its
#    SMTP servers pointed at the sink.
# 3. Warm-up, not measured: WARMUP_ROUNDS maintenance notices to the WARMUP oldest workspaces, so
#    the measured notice meets a JVM that has compiled its code, as a long-running service has
#    (the first one's rate is printed as the cold figure).
# 4. The sink's own ceiling: a raw SMTP client (plain sockets, pipelining) sends N×K messages.
# 5. ROUNDS measured rounds, each between two baseline runs: the baseline is the Vert.x mail client
#    notice-service uses (its jars, from notice-service's build), alone in a small program, sending
#    N×K messages of about the notice's size to the sink over PARALLELISM kept-alive connections,
#    after as many warm-up messages as notice-service had; a round is one MAINTENANCE notice to
#    every workspace, created through POST /v1/notices with the service token as sla-evaluator
#    does, timed from its creation until its N×K deliveries are SENT. A round's ratio is its rate
#    over the mean of the two baseline runs around it: the machine is shared and its speed drifts
#    over minutes.
# 6. Prints the creation time, notice-service's messages/s, the baseline's, every round's ratio and
#    their median (target >= 0.5), and checks in every round that every delivery was SENT once:
#    one attempt each, N×K messages at the sink, each Message-ID once, exactly the deliveries'
#    Message-IDs. Exit code 1 when a check fails.
#
# Settings: N (10000), K (3), PARALLELISM (8: notice-service's tributary.notice.delivery.parallelism
# and SMTP pool size, and the baseline's connections), BATCH_SIZE (notice-service's batch-size; its
# default when unset), WARMUP (workspaces of each warm-up notice, default N; 0: none),
# WARMUP_ROUNDS (2), ROUNDS (measured rounds, 3), TIMEOUT (seconds to wait for a notice's
# deliveries, 1800), SKIP_BUILD=1, INGESTION_PORT (18280), NOTICE_PORT (18282), SINK_PORT (18225), NOTICE_OPTS (more JVM options
# for notice-service, e.g. -Dtributary.notice.delivery.smtp-primary.rate=500). Logs in
# .run/logs/bench-notice-*.log. PostgreSQL, both services, the sink and the clients share the
# machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${ROOT}/bench"
N="${N:-10000}"
K="${K:-3}"
PARALLELISM="${PARALLELISM:-8}"
BATCH_SIZE="${BATCH_SIZE:-}"
TIMEOUT="${TIMEOUT:-1800}"
WARMUP="${WARMUP:-${N}}"
WARMUP_ROUNDS="${WARMUP_ROUNDS:-2}"
ROUNDS="${ROUNDS:-3}"
INGESTION_PORT="${INGESTION_PORT:-18280}"
NOTICE_PORT="${NOTICE_PORT:-18282}"
SINK_PORT="${SINK_PORT:-18225}"
# Bytes of a baseline message: about what notice-service sends for the maintenance notice (the
# results print both averages as the sink measured them).
BASELINE_BYTES="${BASELINE_BYTES:-1750}"
TOTAL=$((N * K))

# For bench/lib.sh: ingestion-api's port, jar and log, and the database.
PORT="${INGESTION_PORT}"
APP_DIR="${ROOT}/ingestion-api/target/quarkus-app"
NOTICE_JAR="${ROOT}/notice-service/target/quarkus-app/quarkus-run.jar"
LOG_DIR="${ROOT}/.run/logs"
LOG="${LOG_DIR}/bench-notice-ingestion-api.log"
NOTICE_LOG="${LOG_DIR}/bench-notice-service.log"
SINK_LOG="${LOG_DIR}/bench-notice-sink.log"
WORK="${ROOT}/.run/bench-notice"
DB=tributary_notice_bench
# shellcheck source=bench/lib.sh
. "${BENCH}/lib.sh"

SERVICE_TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
SERVER=""
NOTICE_PID=""
SINK_PID=""

cleanup() {
  local pid
  for pid in ${NOTICE_PID} ${SERVER} ${SINK_PID}; do kill "${pid}" 2>/dev/null || true; done
  for pid in ${NOTICE_PID} ${SERVER} ${SINK_PID}; do wait "${pid}" 2>/dev/null || true; done
  rm -f "${WORK}/auth-header"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in java curl psql python3; do
  command -v "${tool}" >/dev/null 2>&1 || { say "${tool} is needed on the PATH"; exit 1; }
done
[ "${N}" -ge 1 ] && [ "${K}" -ge 1 ] && [ "${K}" -le 50 ] || { say "N ≥ 1 and 1 ≤ K ≤ 50"; exit 2; }

# --- 1. build and database -------------------------------------------------------------------
# Another run (or anything else) on these ports: stop before touching its database.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "${INGESTION_PORT}" "${NOTICE_PORT}" "${SINK_PORT}"; do
  port_free "${port}" || { say "port ${port} is in use; stop what listens there or change the *_PORT settings"; exit 1; }
done
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  say "building ingestion-api and notice-service (SKIP_BUILD=1 skips this)"
  (cd "${ROOT}" && ./mvnw -B -ntp -q -DskipTests package -pl ingestion-api,notice-service -am)
fi
[ -f "${APP_DIR}/quarkus-run.jar" ] && [ -f "${NOTICE_JAR}" ] || { say "build first"; exit 1; }
mkdir -p "${LOG_DIR}" "${WORK}"
bench_database
say "database ${PGDATABASE} on ${PGHOST}:${PGPORT}: dropping schemas ingestion and notice"
psql -qAt -c "set client_min_messages to warning" -c "drop schema if exists ingestion cascade" \
  -c "drop schema if exists notice cascade"

# --- 2. the SMTP sink and the clients (plain Java programs) -----------------------------------
cp "${BENCH}/SmtpSink.java" "${WORK}/SmtpSink.java"  # also the sink of scripts/kube-play.sh

cat >"${WORK}/SmtpBlast.java" <<'JAVA'
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicInteger;

/** Sends COUNT multipart messages of about BYTES bytes over PARALLEL reused SMTP connections. */
public class SmtpBlast {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]), count = Integer.parseInt(args[1]);
    int parallel = Integer.parseInt(args[2]), bytes = Integer.parseInt(args[3]);
    AtomicInteger next = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(parallel);
    long start = System.nanoTime();
    java.util.List<Future<Integer>> sent = new java.util.ArrayList<>();
    for (int t = 0; t < parallel; t++) {
      sent.add(threads.submit(() -> connection(port, count, bytes, next)));
    }
    int total = 0;
    for (Future<Integer> f : sent) {
      total += f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    threads.shutdown();
    System.out.printf("sent=%d seconds=%.3f rate=%.0f%n", total, seconds, total / seconds);
  }

  static int connection(int port, int count, int bytes, AtomicInteger next) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setTcpNoDelay(true);
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      Writer out = new BufferedWriter(
          new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1), 1 << 16);
      expect(in, "220");
      out.write("EHLO baseline.example\r\n");
      out.flush();
      expect(in, "250");
      String filler = "x".repeat(75);
      int sent = 0;
      for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
        out.write("MAIL FROM:<notices@tributary.example>\r\nRCPT TO:<rcpt-" + i
            + "@baseline.example>\r\nDATA\r\n");
        out.flush();
        expect(in, "250");
        expect(in, "250");
        expect(in, "354");
        out.write(message(i, bytes, filler));
        out.write("\r\n.\r\n");
        out.flush();
        expect(in, "250");
        sent++;
      }
      out.write("QUIT\r\n");
      out.flush();
      return sent;
    }
  }

  /** Headers as a mail client writes them, then a text and an HTML part filling up to bytes. */
  static String message(int i, int bytes, String filler) {
    StringBuilder m = new StringBuilder(bytes + 200);
    m.append("From: Tributary <notices@tributary.example>\r\n")
        .append("To: rcpt-").append(i).append("@baseline.example\r\n")
        .append("Subject: Scheduled maintenance of the Tributary service\r\n")
        .append("Message-ID: <baseline-").append(i).append("@bench.example>\r\n")
        .append("Date: Tue, 1 Dec 2026 10:00:00 +0000\r\n")
        .append("MIME-Version: 1.0\r\n")
        .append("Content-Type: multipart/alternative; boundary=\"=-b-=\"\r\n\r\n")
        .append("--=-b-=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
    int half = m.length() + (bytes - m.length()) / 2;
    while (m.length() < half) {
      m.append(filler).append("\r\n");
    }
    m.append("--=-b-=\r\nContent-Type: text/html; charset=utf-8\r\n\r\n");
    while (m.length() < bytes - 12) {
      m.append(filler).append("\r\n");
    }
    return m.append("--=-b-=--").toString();
  }

  static void expect(BufferedReader in, String code) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null || !line.startsWith(code)) {
        throw new IOException("expected " + code + ", got " + line);
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
  }
}
JAVA

cat >"${WORK}/VertxMailBlast.java" <<'JAVA'
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends COUNT messages (a text and an HTML part, about BYTES in all) with the Vert.x mail client
 * notice-service uses, PARALLEL at a time over a pool of as many kept-alive connections, after
 * WARMUP messages that are not measured.
 */
public class VertxMailBlast {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]), count = Integer.parseInt(args[1]);
    int parallel = Integer.parseInt(args[2]), bytes = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    Vertx vertx = Vertx.vertx();
    MailClient client = MailClient.createShared(vertx, new MailConfig().setHostname("127.0.0.1")
        .setPort(port).setStarttls(StartTLSOptions.DISABLED).setKeepAlive(true)
        .setMaxPoolSize(parallel).setPipelining(true), "baseline");
    StringBuilder part = new StringBuilder();
    while (part.length() < (bytes - 700) / 2) {
      part.append("Scheduled maintenance of the Tributary service, a line of the notice text.\n");
    }
    // First WARMUP messages (not measured) so the JIT has compiled the client, as it has
    // notice-service after its warm-up notice.
    run(vertx, client, -warmup, 0, parallel, part.toString());
    AtomicInteger failures = run(vertx, client, 0, count, parallel, part.toString());
    double seconds = (System.nanoTime() - measuredFrom) / 1e9;
    System.out.printf("sent=%d failures=%d seconds=%.3f rate=%.0f%n",
        count - failures.get(), failures.get(), seconds, (count - failures.get()) / seconds);
    vertx.close();
  }

  static long measuredFrom;

  static AtomicInteger run(Vertx vertx, MailClient client, int from, int to, int parallel,
      String part) throws InterruptedException {
    AtomicInteger next = new AtomicInteger(from), failures = new AtomicInteger();
    CountDownLatch lanes = new CountDownLatch(parallel);
    measuredFrom = System.nanoTime();
    for (int lane = 0; lane < parallel; lane++) {
      vertx.runOnContext(v -> send(client, next, to, part, lanes, failures));
    }
    lanes.await();
    return failures;
  }

  static void send(MailClient client, AtomicInteger next, int count, String part,
      CountDownLatch lanes, AtomicInteger failures) {
    int i = next.getAndIncrement();
    if (i >= count) {
      lanes.countDown();
      return;
    }
    MailMessage message = new MailMessage().setFrom("Tributary <notices@tributary.example>")
        .setTo("rcpt-" + i + "@baseline.example")
        .setSubject("Scheduled maintenance of the Tributary service")
        .setText(part).setHtml("<p>" + part + "</p>");
    message.addHeader("Message-ID", "<vertx-" + i + "@bench.example>");
    client.sendMail(message).onComplete(result -> {
      if (result.failed()) {
        failures.incrementAndGet();
      }
      send(client, next, count, part, lanes, failures);
    });
  }
}
JAVA

# sink_command VERB: one control command to the sink; prints its reply without the code.
sink_command() {
  local reply
  exec 3<>"/dev/tcp/127.0.0.1/${SINK_PORT}"
  read -r reply <&3
  printf '%s\r\nQUIT\r\n' "$1" >&3
  read -r reply <&3
  exec 3<&- 3>&-
  reply="${reply%$'\r'}"
  printf '%s' "${reply#* }"
}
# sink_messages: sets sink_count to how many messages the sink has, without starting a process.
sink_messages() {
  local reply
  exec 3<>"/dev/tcp/127.0.0.1/${SINK_PORT}"
  read -r reply <&3
  printf 'XSTATS\r\nQUIT\r\n' >&3
  read -r reply <&3
  exec 3<&- 3>&-
  reply="${reply#*messages=}"
  sink_count="${reply%% *}"
}
# field NAME "key=value ...": the value of NAME.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

say "starting the SMTP sink on 127.0.0.1:${SINK_PORT} (log: ${SINK_LOG})"
java -Xmx256m -XX:+ExitOnOutOfMemoryError "${WORK}/SmtpSink.java" "${SINK_PORT}" >"${SINK_LOG}" 2>&1 &
SINK_PID=$!

# --- 3. ingestion-api with N workspaces ------------------------------------------------------
export TRIBUTARY_SERVICE_TOKEN="${SERVICE_TOKEN}"  # ingestion-api accepts it on /internal/**
JAVA_OPTS="${JAVA_OPTS:--Xmx512m -XX:+ExitOnOutOfMemoryError}" bench_start_server
say "creating ${N} workspaces with ${K} email contacts each (bench/workspaces.sh)"
INGESTION_URL="http://127.0.0.1:${INGESTION_PORT}" TRIBUTARY_ADMIN_TOKEN="${ADMIN_TOKEN}" \
  "${BENCH}/workspaces.sh" "${N}" "${K}"

# --- 4. notice-service -----------------------------------------------------------------------
say "starting notice-service on port ${NOTICE_PORT} (log: ${NOTICE_LOG})"
batch_option=()
[ -n "${BATCH_SIZE}" ] && batch_option=("-Dtributary.notice.delivery.batch-size=${BATCH_SIZE}")
# shellcheck disable=SC2086 # NOTICE_OPTS is a list of options
TRIBUTARY_ADMIN_TOKEN="${ADMIN_TOKEN}" java -Xmx256m -XX:+ExitOnOutOfMemoryError ${NOTICE_OPTS:-} \
  -Dquarkus.http.port="${NOTICE_PORT}" \
  -Dquarkus.rest-client.ingestion-api.url="http://127.0.0.1:${INGESTION_PORT}" \
  -Dquarkus.mailer.host=127.0.0.1 -Dquarkus.mailer.port="${SINK_PORT}" \
  -Dquarkus.mailer.secondary.host=127.0.0.1 -Dquarkus.mailer.secondary.port="${SINK_PORT}" \
  -Dquarkus.mailer.max-pool-size="${PARALLELISM}" \
  -Dquarkus.mailer.secondary.max-pool-size="${PARALLELISM}" \
  -Dtributary.notice.delivery.parallelism="${PARALLELISM}" "${batch_option[@]}" \
  -jar "${NOTICE_JAR}" >"${NOTICE_LOG}" 2>&1 &
NOTICE_PID=$!
for _ in $(seq 240); do
  curl -fsS "http://127.0.0.1:${NOTICE_PORT}/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "${NOTICE_PID}" 2>/dev/null || { say "notice-service stopped; see ${NOTICE_LOG}"; exit 1; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:${NOTICE_PORT}/q/health/ready" >/dev/null || { say "notice-service is not ready"; exit 1; }
sink_command NOOP >/dev/null || { say "the SMTP sink does not answer; see ${SINK_LOG}"; exit 1; }

# create_notice JSON: POSTs a notice as sla-evaluator does; sets notice_id, deliveries,
# creation_seconds (the request's duration), answered_at (when its answer arrived) and
# sink_before (the sink's count of messages before the request).
create_notice() {
  local answer status_time body
  # The sends start as soon as the notice is committed, before its answer: count from here.
  sink_messages
  sink_before="${sink_count}"
  answer="$(curl -sS -H @"${WORK}/auth-header" -H 'Content-Type: application/json' \
    -w '\n%{http_code} %{time_total}' -d "$1" "http://127.0.0.1:${NOTICE_PORT}/v1/notices")"
  answered_at="$(date +%s.%N)"
  status_time="${answer##*$'\n'}"
  body="${answer%$'\n'*}"
  [ "${status_time%% *}" = "201" ] || { say "POST /v1/notices answered ${status_time%% *}: ${body}"; exit 1; }
  creation_seconds="${status_time##* }"
  notice_id="$(echo "${body}" | bench_json id)"
  deliveries="$(echo "${body}" | bench_json deliveries)"
  say "notice ${notice_id}: $(echo "${body}" | bench_json recipients) recipients, ${deliveries} deliveries, created in ${creation_seconds} s"
}

# wait_sent: waits until every NOTICE-stage delivery of notice_id is SENT or FAILED; sets sent
# and failed. While the messages arrive it asks the sink how many it has (a bash socket, no new
# process, nothing for PostgreSQL to do), so the waiting does not take CPU from the service it
# measures; the database is asked once the sink has them all (or every 5 s, for the progress
# line and for failures, which never reach the sink).
wait_sent() {
  local deadline=$((SECONDS + TIMEOUT)) last_report=${SECONDS} expected
  expected=$((sink_before + deliveries))
  sent=0
  failed=0
  while :; do
    sink_messages
    if [ "${sink_count}" -ge "${expected}" ] ||
      [ $((SECONDS - last_report)) -ge 5 ]; then
      read -r sent failed <<<"$(psql -qAt -F ' ' -c "select count(*) filter (where status = 'SENT'),
        count(*) filter (where status = 'FAILED') from notice.deliveries
        where notice_id = '${notice_id}' and stage = 'NOTICE'")"
      [ $((sent + failed)) -ge "${deliveries}" ] && return 0
      if [ $((SECONDS - last_report)) -ge 5 ]; then
        say "$(printf '%6d of %d SENT' "${sent}" "${deliveries}")"
        last_report=${SECONDS}
      fi
    fi
    if [ "${SECONDS}" -ge "${deadline}" ]; then
      say "after ${TIMEOUT} s only ${sent} of ${deliveries} deliveries are SENT (${failed} FAILED)"
      exit 1
    fi
    sleep 0.1
  done
}

# --- 5. warm-up: notices to the oldest WARMUP workspaces, not measured ------------------------
# A fresh JVM spends its first tens of seconds compiling; the measured notice should find
# notice-service as a long-running one would be. The baseline client gets as many warm-up messages.
# send_window: seconds from the first attempt of notice_id's deliveries to the last acceptance.
send_window() {
  psql -qAt -c "select round(extract(epoch from max(a.accepted_at) - min(a.started_at))::numeric, 3)
    from notice.delivery_attempts a join notice.deliveries d on d.id = a.delivery_id
    where d.notice_id = '${notice_id}' and d.stage = 'NOTICE'"
}
rate_of() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

(umask 077 && printf 'Authorization: Bearer %s\n' "${SERVICE_TOKEN}" >"${WORK}/auth-header")
warmup_messages=0
cold_messages=0
cold_window=0
if [ "${WARMUP}" -gt 0 ]; then
  if [ "${WARMUP}" -lt "${N}" ]; then
    cutoff="$(psql -qAt -c "select to_char(created_at at time zone 'UTC',
      'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') from ingestion.workspaces where kind = 'CUSTOMER'
      order by created_at, id offset ${WARMUP} limit 1")"
    audience="{\"type\":\"CREATED_BEFORE\",\"createdBefore\":\"${cutoff}\"}"
  else
    audience='{"type":"ALL"}'
  fi
  for round in $(seq "${WARMUP_ROUNDS}"); do
    say "warm-up ${round}/${WARMUP_ROUNDS}: a MAINTENANCE notice to the ${WARMUP} oldest workspaces (not measured)"
    create_notice "{\"kind\":\"MAINTENANCE\",\"audience\":${audience},\"channels\":[\"EMAIL\"],
      \"windowStart\":\"$(date -u -d "+$((7 + round)) days" +%Y-%m-%dT10:00:00Z)\",
      \"windowEnd\":\"$(date -u -d "+$((7 + round)) days" +%Y-%m-%dT11:00:00Z)\",
      \"description\":\"Benchmark warm-up: this window is not measured.\"}"
    warmup_messages=$((warmup_messages + deliveries))
    wait_sent
    if [ "${round}" = 1 ]; then
      cold_messages="${deliveries}"
      cold_window="$(send_window)"
    fi
  done
  sink_command XRESET >/dev/null
fi

# --- 6. the sink's raw ceiling, then rounds of baseline and notice ------------------------------
# The Vert.x mail client and its dependencies, from notice-service's own build.
mail_cp="$(find "${ROOT}/notice-service/target/quarkus-app/lib/main" -name '*.jar' |
  grep -E '/io\.(vertx\.vertx-(core|auth-common|mail-client)|netty\.netty-)|jackson-(core|databind|annotations)' |
  tr '\n' ':')"
# baseline_run: the mail client alone, after as many warm-up messages as notice-service had; sets
# baseline_rate and baseline_stats (the sink's count of its messages).
baseline_run() {
  local result
  sink_command XRESET >/dev/null
  result="$(java -Xmx256m -cp "${mail_cp}" "${WORK}/VertxMailBlast.java" "${SINK_PORT}" "${TOTAL}" \
    "${PARALLELISM}" "${BASELINE_BYTES}" "${warmup_messages}")"
  say "baseline: ${result}"
  baseline_rate="$(field rate "${result}")"
  baseline_stats="$(sink_command XSTATS)"
  [ "$(field failures "${result}")" = "0" ] || failures+=("the baseline client had failures: ${result}")
}
failures=()
sink_command XRESET >/dev/null
say "sink ceiling: ${TOTAL} messages from a raw pipelining SMTP client, ${PARALLELISM} connections"
raw="$(java -Xmx256m "${WORK}/SmtpBlast.java" "${SINK_PORT}" "${TOTAL}" "${PARALLELISM}" "${BASELINE_BYTES}")"
raw_rate="$(field rate "${raw}")"
say "sink ceiling: ${raw}"

# measure_notice ROUND: one MAINTENANCE notice to every workspace, timed and checked; sets rate,
# creation_seconds and sink_stats, and adds what failed its checks to failures.
measure_notice() {
  local window_start window_end created_at done_at window delivery_seconds same_ids
  local attempt_rows attempted_deliveries sent_attempts not_once
  window_start="$(date -u -d "+$((10 + $1)) days" +%Y-%m-%dT10:00:00Z)"
  window_end="$(date -u -d "+$((10 + $1)) days" +%Y-%m-%dT11:00:00Z)"
  sink_command XRESET >/dev/null
  say "round $1/${ROUNDS}: one MAINTENANCE notice to all ${N} workspaces (window ${window_start})"
  create_notice "{\"kind\":\"MAINTENANCE\",\"audience\":{\"type\":\"ALL\"},\"channels\":[\"EMAIL\"],
    \"windowStart\":\"${window_start}\",\"windowEnd\":\"${window_end}\",
    \"description\":\"Benchmark: database upgrade; the Tracking API may answer 503 for 5 minutes.\"}"
  created_at="${answered_at}"
  [ "${deliveries}" = "${TOTAL}" ] || { say "expected ${TOTAL} deliveries"; exit 1; }
  wait_sent
  done_at="$(date +%s.%N)"
  for _ in $(seq 50); do
    sink_stats="$(sink_command XSTATS)"
    [ "$(field messages "${sink_stats}")" -ge "${TOTAL}" ] && break
    sleep 0.2
  done
  read -r attempt_rows attempted_deliveries sent_attempts not_once <<<"$(psql -qAt -F ' ' -c "
    select count(*), count(distinct a.delivery_id), count(*) filter (where a.outcome = 'SENT'),
           (select count(*) from notice.deliveries where notice_id = '${notice_id}'
               and stage = 'NOTICE' and attempts <> 1)
      from notice.delivery_attempts a join notice.deliveries d on d.id = a.delivery_id
     where d.notice_id = '${notice_id}' and d.stage = 'NOTICE'")"
  window="$(send_window)"
  sink_command "XDUMP ${WORK}/sink-ids.txt" >/dev/null
  psql -qAt -c "select provider_message_id from notice.deliveries
    where notice_id = '${notice_id}' and stage = 'NOTICE' order by 1" | LC_ALL=C sort >"${WORK}/db-ids.txt"
  LC_ALL=C sort -o "${WORK}/sink-ids.txt" "${WORK}/sink-ids.txt"
  same_ids=no
  cmp -s "${WORK}/sink-ids.txt" "${WORK}/db-ids.txt" && same_ids=yes
  delivery_seconds="$(awk -v a="${created_at}" -v b="${done_at}" 'BEGIN { printf "%.3f", b - a }')"
  # The sends start as soon as the notice is committed, before its answer reaches the client: the
  # rate is taken over the longer of the two spans.
  rate="$(rate_of "${TOTAL}" "$(awk -v a="${delivery_seconds}" -v b="${window}" 'BEGIN { print (a > b ? a : b) }')")"
  say "round $1: ${rate} msg/s (answer -> all SENT ${delivery_seconds} s, first attempt -> last acceptance ${window} s)"
  local round_failures=()
  [ "${sent}" = "${TOTAL}" ] && [ "${failed}" = "0" ] || round_failures+=("${sent} SENT, ${failed} FAILED")
  [ "${not_once}" = "0" ] || round_failures+=("${not_once} deliveries took more than one attempt")
  [ "${attempt_rows}" = "${TOTAL}" ] && [ "${attempted_deliveries}" = "${TOTAL}" ] &&
    [ "${sent_attempts}" = "${TOTAL}" ] || round_failures+=("${attempt_rows} attempt rows for ${attempted_deliveries} deliveries, ${sent_attempts} SENT")
  [ "$(field messages "${sink_stats}")" = "${TOTAL}" ] || round_failures+=("the sink received $(field messages "${sink_stats}") messages")
  [ "$(field unique "${sink_stats}")" = "${TOTAL}" ] && [ "$(field duplicates "${sink_stats}")" = "0" ] &&
    [ "$(field without_id "${sink_stats}")" = "0" ] || round_failures+=("sink: ${sink_stats}")
  [ "${same_ids}" = "yes" ] || round_failures+=("the sink's Message-IDs are not the deliveries' Message-IDs")
  local f
  for f in "${round_failures[@]}"; do failures+=("round $1: ${f}"); done
}

# --- 7. the measured rounds: baseline, notice, baseline, notice, ..., baseline ----------------
# The machine is shared and its speed drifts over minutes: each notice is measured between two
# baseline runs and compared with their mean; the result is the median of the rounds' ratios.
say "baseline: ${TOTAL} messages with the Vert.x mail client alone, ${PARALLELISM} connections"
baseline_run
baselines=("${baseline_rate}")
first_baseline_stats="${baseline_stats}"
rates=()
ratios=()
creations=()
for round in $(seq "${ROUNDS}"); do
  measure_notice "${round}"
  rates+=("${rate}")
  creations+=("${creation_seconds}")
  notice_stats="${sink_stats}"
  baseline_run
  previous="${baselines[-1]}"
  baselines+=("${baseline_rate}")
  ratios+=("$(awk -v r="${rate}" -v a="${previous}" -v b="${baseline_rate}" 'BEGIN { printf "%.2f", 2 * r / (a + b) }')")
  say "round ${round}: ratio ${ratios[-1]} (baselines ${previous} / ${baseline_rate} msg/s)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio="$(median "${ratios[@]}")"
raw_ratio="$(awk -v a="$(median "${rates[@]}")" -v b="${raw_rate}" 'BEGIN { printf "%.2f", a / b }')"
avg() { awk -v b="$(field bytes "$1")" -v m="$(field messages "$1")" 'BEGIN { printf "%.0f", (m > 0 ? b / m : 0) }'; }

echo
echo "notice-service benchmark ($(nproc) cores; PostgreSQL, ingestion-api, notice-service, sink and clients on this machine)"
echo "one MAINTENANCE notice to ${N} workspaces x ${K} contacts = ${TOTAL} emails; parallelism ${PARALLELISM}; ${WARMUP_ROUNDS} warm-up notices to ${WARMUP} workspaces"
printf '%-62s %9s s\n' "notice creation, POST /v1/notices (${TOTAL} deliveries + ${TOTAL} reminders)" "$(median "${creations[@]}")"
printf '%-62s %11s msg/s\n' "notice-service, median of ${ROUNDS} rounds" "$(median "${rates[@]}")"
printf '%-62s %11s\n' "  rounds (msg/s)" "$(IFS=/; echo "${rates[*]}" | sed 's|/| / |g')"
printf '%-62s %11.0f msg/s\n' "baseline: the Vert.x mail client alone, ${PARALLELISM} connections" "$(median "${baselines[@]}")"
printf '%-62s %11s\n' "  runs before, between and after the rounds (msg/s)" "$(IFS=/; echo "${baselines[*]}" | sed 's|/| / |g')"
printf '%-62s %11s\n' "  round ratios (each to the mean of its two baselines)" "$(IFS=/; echo "${ratios[*]}" | sed 's|/| / |g')"
printf '%-62s %11s   (target >= 0.5)\n' "ratio notice-service / baseline, median" "${ratio}"
printf '%-62s %11s msg/s\n' "sink ceiling: raw pipelining SMTP client, ${PARALLELISM} connections" "${raw_rate}"
printf '%-62s %11s\n' "ratio notice-service / sink ceiling" "${raw_ratio}"
if [ "${cold_messages}" -gt 0 ]; then
  printf '%-62s %11s msg/s\n' "first warm-up notice, cold JVM (${cold_messages} emails, its evidence)" \
    "$(rate_of "${cold_messages}" "${cold_window}")"
fi
printf '%-62s %5s / %s bytes\n' "average message at the sink: notice-service / baseline" \
  "$(avg "${notice_stats}")" "$(avg "${first_baseline_stats}")"
printf '%-62s %5s / %s\n' "SMTP connections opened: last notice / baseline" \
  "$(field connections "${notice_stats}")" "$(field connections "${first_baseline_stats}")"
if [ "${#failures[@]}" -eq 0 ]; then
  echo "checks, every round: ${TOTAL} deliveries SENT with one attempt each, ${TOTAL} attempt rows; the sink got ${TOTAL} messages, each Message-ID once, exactly the deliveries' ids: OK"
else
  echo "checks FAILED:"
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
