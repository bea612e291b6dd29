#!/usr/bin/env bash
# Plays the Kubernetes deployment for real on this machine, without a cluster: the services' JVM
# images in podman, from the kustomize overlay deploy/overlays/local, with `podman kube play`.
#
#   scripts/kube-play.sh
#
# 1. scripts/images.sh: the JRE base image from Debian packages (cached) and the three images
#    tributary/<service>:<version> (SKIP_BUILD=1 reuses the jars in target/).
# 2. A database through scripts/postgres.sh (database tributary_kubeplay, its schemas dropped first)
#    and an SMTP sink (bench/SmtpSink.java) on 127.0.0.1.
# 3. Writes this run's Secrets' files (fresh tokens, the database settings) into a copy of deploy/
#    and k8s/ under .run/kube-play/, renders the overlay there with `kubectl kustomize`
#    and plays it: ConfigMaps and Deployments with `podman kube play`; Secrets become podman
#    secrets first (podman 4.3 cannot read the Secrets it plays itself); what podman does not play
#    (Services, ServiceAccounts, RBAC, Jobs, monitors) is listed and left out.
# 4. Checks, each from outside and with a deadline:
#    - every pod becomes ready: its readinessProbe's URL (from the manifest) answers 200;
#    - every container runs as a non-root user, with a read-only root filesystem (a write fails,
#      /tmp takes one) and the manifest's memory limit (podman's and the cgroup's), the JVM's heap
#      sized from it;
#    - an event sent through ingestion-api's pod is stored in ingestion.events;
#    - sla-evaluator records probe results in sla.probe_results;
#    - a notice sent through notice-service's pod reaches the SMTP sink;
#    - stopping the pods (SIGTERM, the manifest's grace period) while a load runs loses no
#      acknowledged event: every messageId answered 200 is stored exactly once.
# 5. Tears everything down whatever happened (pods, containers, podman secrets, the sink, the
#    load, the copy with the secrets' files); the PostgreSQL cluster stays up when it was up before.
#
# Needs root, kubectl, python3 (with PyYAML), java and psql; installs podman, runc, catatonit,
# debootstrap and python3-yaml with apt-get when they are missing. Logs in .run/kube-play/.
# Settings: READY_TIMEOUT (s, default 240), LOAD_SECONDS (default 10), KEEP_IMAGES=0 removes the
# service images at the end (the base stays cached).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
# shellcheck source=scripts/podman-lib.sh
. "${ROOT}/scripts/podman-lib.sh"

OVERLAY="${OVERLAY:-deploy/overlays/local}"
WORK="${ROOT}/.run/kube-play"
DB_NAME="tributary_kubeplay"
READY_TIMEOUT="${READY_TIMEOUT:-240}"
LOAD_SECONDS="${LOAD_SECONDS:-10}"
PROBE_TIMEOUT=180
NOTICE_TIMEOUT=120

STARTED_AT=${SECONDS}
SINK_PID=""
LOAD_PID=""
PLAYED=""        # the YAML podman played (for kube down)
SECRETS=""       # podman secrets made by this run
PG_WAS_UP=1
FAILED=0

say() { echo "kube-play: [$(printf '%3d' $((SECONDS - STARTED_AT)))s] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
pass() { say "PASS: $*"; }
fail() { say "FAIL: $*"; FAILED=1; }

teardown() {
  local rc=$?
  trap - EXIT INT TERM
  say "tearing down..."
  if [ -n "${LOAD_PID}" ]; then kill -TERM "${LOAD_PID}" 2>/dev/null || true; wait "${LOAD_PID}" 2>/dev/null || true; fi
  if command -v podman >/dev/null 2>&1 && [ -n "${CONTAINERS_CONF:-}" ]; then
    if [ -n "${PLAYED}" ] && [ -f "${PLAYED}" ]; then
      podman kube down "${PLAYED}" >>"${WORK}/podman.log" 2>&1 || true
    fi
    # Whatever kube down left (a half-played run): every pod and container of the project's own
    # podman storage (.run/podman/, nothing else uses it).
    podman pod rm -f -a >>"${WORK}/podman.log" 2>&1 || true
    podman rm -f -a >>"${WORK}/podman.log" 2>&1 || true
    for secret in ${SECRETS}; do podman secret rm "${secret}" >/dev/null 2>&1 || true; done
    if [ "${KEEP_IMAGES:-1}" = "0" ]; then
      podman rmi -f $(podman images -q --filter reference='localhost/tributary/*-*' 2>/dev/null | sort -u) >/dev/null 2>&1 || true
    fi
  fi
  if [ -n "${SINK_PID}" ]; then kill -TERM "${SINK_PID}" 2>/dev/null || true; wait "${SINK_PID}" 2>/dev/null || true; fi
  rm -rf "${WORK}/tree" "${WORK}/secrets"
  if [ "${PG_WAS_UP}" = "0" ]; then scripts/postgres.sh stop >/dev/null 2>&1 || true; fi
  if [ "${rc}" -eq 0 ] && [ "${FAILED}" -eq 0 ]; then
    say "all checks passed in $((SECONDS - STARTED_AT)) s; torn down"
  else
    say "FAILED (exit ${rc}); torn down; logs in .run/kube-play/"
    [ "${rc}" -eq 0 ] && rc=1
  fi
  exit "${rc}"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
random_token() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

# --- 0. tools ----------------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "run as root (podman with runc and cgroupfs, debootstrap)"
for tool in kubectl java curl python3; do
  command -v "${tool}" >/dev/null 2>&1 || die "${tool} is needed on the PATH"
done
mkdir -p "${WORK}"
rm -f "${WORK}"/*.log
if ! python3 -c 'import yaml' 2>/dev/null; then
  command -v apt-get >/dev/null 2>&1 || die "python3's yaml module is needed (PyYAML)"
  say "installing python3-yaml with apt-get..."
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-yaml; } \
    >"${WORK}/apt-get.log" 2>&1 </dev/null || die "apt-get install python3-yaml failed; see .run/kube-play/apt-get.log"
fi
[ -f "${OVERLAY}/kustomization.yaml" ] || die "${OVERLAY}/kustomization.yaml is missing"

# --- 1. images ---------------------------------------------------------------------------------
say "images (scripts/images.sh)..."
scripts/images.sh all
podman_setup
VERSION="$(project_version)"

# --- 2. database and SMTP sink -------------------------------------------------------------------
TRIBUTARY_PG_PORT_USED="${TRIBUTARY_PG_PORT:-55432}"
port_open "${TRIBUTARY_PG_PORT_USED}" || PG_WAS_UP=0
db_env="$(scripts/postgres.sh env "${DB_NAME}")" || die "no database; see scripts/postgres.sh's messages above"
eval "${db_env}"
command -v psql >/dev/null 2>&1 || PATH="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1):${PATH}"
command -v psql >/dev/null 2>&1 || die "psql is needed (Debian: postgresql-client)"
# libpq settings from the JDBC URL, for the checks.
hostport="${QUARKUS_DATASOURCE_JDBC_URL#jdbc:postgresql://}"; hostport="${hostport%%/*}"
export PGHOST="${hostport%%:*}" PGPORT="${hostport##*:}" PGDATABASE="${DB_NAME}"
export PGUSER="${QUARKUS_DATASOURCE_USERNAME}" PGPASSWORD="${QUARKUS_DATASOURCE_PASSWORD}"
q() { psql -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }
say "database ${DB_NAME} on ${PGHOST}:${PGPORT}: dropping the schemas ingestion, sla, notice (fresh run)"
psql -X -qAt -c "set client_min_messages to warning" -c "drop schema if exists ingestion cascade" \
  -c "drop schema if exists sla cascade" -c "drop schema if exists notice cascade" >/dev/null

# --- 3. secrets, render, play ------------------------------------------------------------------
ADMIN_TOKEN="$(random_token)"
SERVICE_TOKEN="$(random_token)"
# The Secrets' files go into a copy of deploy/ and k8s/ (the base reads them next to itself), never
# into the checkout, where a developer's own secrets files may be.
TREE="${WORK}/tree"
rm -rf "${TREE}"
mkdir -p "${TREE}"
cp -r deploy k8s "${TREE}/"
find "${TREE}" -name "*.env" -type f -delete  # a developer's own secrets files stay out
(
  umask 077
  mkdir -p "${TREE}/deploy/base/secrets" "${TREE}/deploy/components/external-database/secrets"
  printf 'TRIBUTARY_ADMIN_TOKEN=%s\nTRIBUTARY_SERVICE_TOKEN=%s\n' "${ADMIN_TOKEN}" "${SERVICE_TOKEN}" \
    >"${TREE}/deploy/base/secrets/tokens.env"
  printf 'QUARKUS_DATASOURCE_USERNAME=%s\nQUARKUS_DATASOURCE_PASSWORD=%s\nQUARKUS_DATASOURCE_JDBC_URL=%s\nQUARKUS_DATASOURCE_REACTIVE_URL=%s\n' \
    "${QUARKUS_DATASOURCE_USERNAME}" "${QUARKUS_DATASOURCE_PASSWORD}" \
    "${QUARKUS_DATASOURCE_JDBC_URL}" "${QUARKUS_DATASOURCE_REACTIVE_URL}" \
    >"${TREE}/deploy/components/external-database/secrets/database.env"
  # No SMS provider locally: notice-service's SMS settings stay unset (email only).
  printf '# none locally\n' >"${TREE}/deploy/base/secrets/notice-providers.env"
)
say "rendering ${OVERLAY} (kubectl kustomize, on a copy with this run's secrets)"
kubectl kustomize "${TREE}/${OVERLAY}" >"${WORK}/rendered.yml" || die "kubectl kustomize ${OVERLAY} failed"

# Splits the rendered documents: play.yml (what podman plays), secrets/<name>.json (podman's
# secret format: key -> base64 value), plan.tsv (one line per container: what the checks expect).
python3 - "${WORK}" <<'PY'
import base64, json, os, re, sys, yaml
work = sys.argv[1]
docs = [d for d in yaml.safe_load_all(open(os.path.join(work, "rendered.yml"))) if d]
played, skipped = [], []
os.makedirs(os.path.join(work, "secrets"), exist_ok=True)
for f in os.listdir(os.path.join(work, "secrets")):
    os.remove(os.path.join(work, "secrets", f))
def quantity(value):
    m = re.fullmatch(r"(\d+)(Ki|Mi|Gi|K|M|G)?", str(value))
    if not m:
        raise SystemExit(f"unsupported memory quantity {value}")
    mult = {None: 1, "K": 10**3, "M": 10**6, "G": 10**9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    return int(m.group(1)) * mult[m.group(2)]
plan = []
configmaps = {d["metadata"]["name"]: d.get("data") or {} for d in docs if d.get("kind") == "ConfigMap"}
def kubernetes_precedence(c):
    # Podman 4.3 lets envFrom override env; Kubernetes lets env win. ConfigMaps referenced with
    # envFrom become env entries ahead of the container's own, which then win as in a cluster.
    own = {e["name"] for e in c.get("env", [])}
    from_maps, keep = [], []
    for ref in c.get("envFrom", []):
        if "configMapRef" in ref:
            data = configmaps.get(ref["configMapRef"]["name"])
            if data is None:
                raise SystemExit(f"ConfigMap {ref['configMapRef']['name']} is not in the overlay")
            prefix = ref.get("prefix", "")
            from_maps += [{"name": prefix + k, "value": str(v)} for k, v in data.items() if prefix + k not in own]
        else:
            keep.append(ref)
    c["env"] = from_maps + c.get("env", [])
    if keep:
        c["envFrom"] = keep
    else:
        c.pop("envFrom", None)
for d in docs:
    kind, name = d.get("kind"), d.get("metadata", {}).get("name")
    if kind == "Secret":
        data = dict(d.get("data") or {})
        for k, v in (d.get("stringData") or {}).items():
            data[k] = base64.b64encode(str(v).encode()).decode()
        json.dump(data, open(os.path.join(work, "secrets", name + ".json"), "w"))
        continue
    if kind not in ("Deployment", "ConfigMap", "Pod", "PersistentVolumeClaim"):
        skipped.append(f"{kind}/{name}")
        continue
    if kind == "Deployment":
        spec = d["spec"]["template"]["spec"]
        if not spec.get("hostNetwork"):
            raise SystemExit(f"Deployment/{name} does not use hostNetwork; the local overlay must set it")
        if spec.get("initContainers"):
            raise SystemExit(f"Deployment/{name} has init containers; the local overlay must drop them")
        grace = spec.get("terminationGracePeriodSeconds", 30)
        pod_sc = spec.get("securityContext") or {}
        for c in spec["containers"]:
            kubernetes_precedence(c)
            env = {e["name"]: e.get("value", "") for e in c.get("env", [])}
            port = env.get("QUARKUS_HTTP_PORT", "")
            probe = (c.get("readinessProbe") or {}).get("httpGet") or {}
            pport = probe.get("port", "")
            if isinstance(pport, str) and not pport.isdigit():
                pport = next((p["containerPort"] for p in c.get("ports", []) if p.get("name") == pport), "")
            sc = c.get("securityContext") or {}
            limit = ((c.get("resources") or {}).get("limits") or {}).get("memory")
            plan.append([name, c["name"], port, str(pport), probe.get("path", ""),
                         str(quantity(limit)) if limit else "",
                         str(sc.get("readOnlyRootFilesystem", False)).lower(),
                         str(sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot", False))).lower(),
                         str(grace), env.get("QUARKUS_MAILER_PORT", "")])
            # Podman 4.3 turns container ports into port mappings, which it refuses with host
            # networking; on the host network the ports need no mapping.
            c.pop("ports", None)
    played.append(d)
yaml.safe_dump_all(played, open(os.path.join(work, "play.yml"), "w"), sort_keys=False)
with open(os.path.join(work, "plan.tsv"), "w") as f:
    for row in plan:
        f.write("\t".join(row) + "\n")
print("played: " + ", ".join(f"{d['kind']}/{d['metadata']['name']}" for d in played), file=sys.stderr)
print("not played by podman (no cluster): " + (", ".join(skipped) or "nothing"), file=sys.stderr)
PY
[ -s "${WORK}/plan.tsv" ] || die "the overlay renders no Deployment"

# The SMTP sink, on the port notice-service's manifest sends to.
SMTP_PORT="$(awk -F'\t' '$10 != "" {print $10; exit}' "${WORK}/plan.tsv")"
[ -n "${SMTP_PORT}" ] || die "no QUARKUS_MAILER_PORT in the rendered notice-service"
port_open "${SMTP_PORT}" && die "port ${SMTP_PORT} (the SMTP sink) is already in use"
say "starting the SMTP sink on 127.0.0.1:${SMTP_PORT} (bench/SmtpSink.java; log: .run/kube-play/smtp-sink.log)"
java -Xmx128m -XX:+ExitOnOutOfMemoryError bench/SmtpSink.java "${SMTP_PORT}" >"${WORK}/smtp-sink.log" 2>&1 </dev/null &
SINK_PID=$!
# sink_stat FIELD: a counter of the sink (its XSTA command).
sink_stat() {
  local reply
  exec 3<>"/dev/tcp/127.0.0.1/${SMTP_PORT}" || return 1
  read -r -t 5 _ <&3 || { exec 3<&- 3>&-; return 1; }
  printf 'XSTA\r\n' >&3
  read -r -t 5 reply <&3 || { exec 3<&- 3>&-; return 1; }
  printf 'QUIT\r\n' >&3
  exec 3<&- 3>&-
  echo "${reply%$'\r'}" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

while IFS=$'\t' read -r _ _ port _; do
  port_open "${port}" && die "port ${port} is already in use; stop whatever listens there first"
done <"${WORK}/plan.tsv"

for file in "${WORK}"/secrets/*.json; do
  [ -e "${file}" ] || continue
  name="$(basename "${file}" .json)"
  podman secret rm "${name}" >/dev/null 2>&1 || true
  podman secret create "${name}" "${file}" >/dev/null
  SECRETS="${SECRETS} ${name}"
done
say "podman secrets:${SECRETS:- none}"
PLAYED="${WORK}/play.yml"
say "podman kube play .run/kube-play/play.yml (log: .run/kube-play/podman.log)"
podman kube play "${PLAYED}" >>"${WORK}/podman.log" 2>&1 || { tail -n 20 "${WORK}/podman.log" >&2; die "podman kube play failed"; }

# --- 4. checks ---------------------------------------------------------------------------------
ctr_of() { echo "$1-pod-0-$2"; }  # podman's names for a Deployment's first pod's container
pod_of() { echo "$1-pod-0"; }

# Readiness: the readinessProbe's URL answers 200, within READY_TIMEOUT.
while IFS=$'\t' read -r deploy container port pport path _; do
  ctr="$(ctr_of "${deploy}" "${container}")"
  [ -n "${path}" ] && [ -n "${pport}" ] || { fail "${deploy}: no httpGet readinessProbe in the manifest"; continue; }
  deadline=$((SECONDS + READY_TIMEOUT))
  until curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:${pport}${path}" 2>/dev/null; do
    state="$(podman inspect --format '{{.State.Status}}' "${ctr}" 2>/dev/null || echo missing)"
    if [ "${state}" != "running" ] || [ "${SECONDS}" -ge "${deadline}" ]; then
      podman logs "${ctr}" >"${WORK}/${deploy}.log" 2>&1 || true
      tail -n 30 "${WORK}/${deploy}.log" >&2
      die "${deploy} is not ready (container ${state}) after $((SECONDS - deadline + READY_TIMEOUT)) s"
    fi
    sleep 1
  done
  pass "${deploy} ready: readinessProbe http://127.0.0.1:${pport}${path} answers 200"
done <"${WORK}/plan.tsv"

# Non-root, read-only root filesystem, memory limit (as podman applied them, and as the kernel
# enforces them inside the container), heap sized from the limit.
while IFS=$'\t' read -r deploy container _ _ _ limit ro nonroot _; do
  ctr="$(ctr_of "${deploy}" "${container}")"
  pid="$(podman inspect --format '{{.State.Pid}}' "${ctr}")"
  uid="$(awk '/^Uid:/ {print $2}' "/proc/${pid}/status")"
  if [ "${uid}" != "0" ]; then pass "${deploy} runs as uid ${uid} (manifest runAsNonRoot: ${nonroot})"; else fail "${deploy} runs as root"; fi
  [ "${nonroot}" = "true" ] || fail "${deploy}: the manifest does not say runAsNonRoot: true"
  rootfs="$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "${ctr}")"
  if [ "${ro}" = "true" ] && [ "${rootfs}" = "true" ] &&
    ! podman exec "${ctr}" sh -c 'echo x >/deployments/.write-test' 2>/dev/null &&
    podman exec "${ctr}" sh -c 'echo x >/tmp/.write-test && rm /tmp/.write-test'; then
    pass "${deploy}: read-only root filesystem (a write fails there, /tmp takes one)"
  else
    fail "${deploy}: root filesystem not read-only (manifest ${ro}, podman ${rootfs}) or /tmp not writable"
  fi
  applied="$(podman inspect --format '{{.HostConfig.Memory}}' "${ctr}")"
  cgroup="$(podman exec "${ctr}" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max')"
  heap="$(podman exec "${ctr}" sh -c 'exec java ${JAVA_OPTS} -XX:+PrintFlagsFinal -version 2>/dev/null' | awk '$2 == "MaxHeapSize" {print $4}')"
  if [ -n "${limit}" ] && [ "${applied}" = "${limit}" ] && [ "${cgroup}" = "${limit}" ] &&
    [ -n "${heap}" ] && [ "${heap}" -le "${limit}" ] && [ "${heap}" -ge $((limit / 2)) ]; then
    pass "${deploy}: memory limit ${limit} bytes (manifest = podman = cgroup), max heap ${heap}"
  else
    fail "${deploy}: memory limit manifest '${limit}', podman '${applied}', cgroup '${cgroup}', max heap '${heap}'"
  fi
done <"${WORK}/plan.tsv"

port_of() { awk -F'\t' -v d="$1" '$1 == d {print $3; exit}' "${WORK}/plan.tsv"; }
INGEST="http://127.0.0.1:$(port_of ingestion-api)"
NOTICE="http://127.0.0.1:$(port_of notice-service)"
json_get() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# An event through the pod, stored.
workspace_id="$(curl -fsS -H "Authorization: Bearer ${ADMIN_TOKEN}" -H 'Content-Type: application/json' \
  -d '{"name":"kube-play","timeZone":"UTC","contacts":[{"name":"Ops","email":"ops@kube-play.example"}]}' \
  "${INGEST}/admin/v1/workspaces" | json_get id)" || die "creating a workspace through ingestion-api failed"
write_key="$(curl -fsS -H "Authorization: Bearer ${ADMIN_TOKEN}" -H 'Content-Type: application/json' \
  -d '{"name":"kube-play"}' "${INGEST}/admin/v1/workspaces/${workspace_id}/sources" | json_get writeKey)" ||
  die "creating a source failed"
message_id="kube-play-$(random_token)"
status="$(curl -sS -o /dev/null -w '%{http_code}' -u "${write_key}:" -H 'Content-Type: application/json' \
  -d "{\"userId\":\"u1\",\"event\":\"Played\",\"messageId\":\"${message_id}\"}" "${INGEST}/v1/track")"
stored="$(q "select count(*) from ingestion.events where message_id = '${message_id}'")"
if [ "${status}" = "200" ] && [ "${stored}" = "1" ]; then pass "an event sent through the pod is stored (${message_id})"; else fail "event: answer ${status}, stored ${stored}"; fi

# A notice through the pod, in the sink.
before="$(sink_stat messages)"
status="$(curl -sS -o "${WORK}/notice.json" -w '%{http_code}' -H "Authorization: Bearer ${ADMIN_TOKEN}" \
  -H 'Content-Type: application/json' \
  -d '{"kind":"GENERAL","audience":{"type":"ALL"},"subject":"kube-play","body":"Played for real."}' \
  "${NOTICE}/v1/notices")"
[ "${status}" = "201" ] || [ "${status}" = "202" ] || [ "${status}" = "200" ] || fail "creating a notice answered ${status}: $(cat "${WORK}/notice.json")"
deadline=$((SECONDS + NOTICE_TIMEOUT))
until [ "$(sink_stat messages || echo 0)" -gt "${before:-0}" ]; do
  [ "${SECONDS}" -lt "${deadline}" ] || break
  sleep 1
done
if [ "$(sink_stat messages || echo 0)" -gt "${before:-0}" ]; then pass "a notice reached the SMTP sink"; else fail "no notice reached the SMTP sink in ${NOTICE_TIMEOUT} s"; fi

# The evaluator's probes, recorded (a round at second 0 of every minute).
deadline=$((SECONDS + PROBE_TIMEOUT))
until [ "$(q 'select count(*) from sla.probe_results' 2>/dev/null || echo 0)" -gt 0 ]; do
  [ "${SECONDS}" -lt "${deadline}" ] || break
  sleep 2
done
probes="$(q 'select count(*) from sla.probe_results' 2>/dev/null || echo 0)"
if [ "${probes}" -gt 0 ]; then
  pass "sla-evaluator recorded ${probes} probe results ($(q "select count(*) from sla.probe_results where ok" 2>/dev/null || echo '?') ok)"
else
  fail "sla-evaluator recorded no probe results in ${PROBE_TIMEOUT} s"
fi

# SIGTERM under load: every acknowledged event stored exactly once.
say "load on ${INGEST}/v1/track (4 connections); stopping the pods with SIGTERM after ${LOAD_SECONDS} s"
rm -f "${WORK}/load.stop" "${WORK}/acked.txt"
python3 - "${INGEST}" "${write_key}" "${WORK}/acked.txt" "${WORK}/load.stop" >"${WORK}/load.log" 2>&1 <<'PY' &
import base64, http.client, os, sys, threading, time, urllib.parse, uuid
url, key, acked_path, stop_path = sys.argv[1:5]
u = urllib.parse.urlparse(url)
auth = "Basic " + base64.b64encode((key + ":").encode()).decode()
lock = threading.Lock()
acked = open(acked_path, "w")
counts = {"acked": 0, "failed": 0}
def worker():
    conn = None
    while not os.path.exists(stop_path):
        mid = "load-" + uuid.uuid4().hex
        body = '{"userId":"load","event":"Load","messageId":"%s"}' % mid
        try:
            if conn is None:
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
            conn.request("POST", "/v1/track", body, {"Authorization": auth, "Content-Type": "application/json"})
            resp = conn.getresponse(); resp.read()
            with lock:
                if resp.status == 200:
                    acked.write(mid + "\n"); acked.flush(); counts["acked"] += 1
                else:
                    counts["failed"] += 1
            if resp.getheader("connection", "").lower() == "close":
                conn.close(); conn = None
        except Exception:
            with lock:
                counts["failed"] += 1
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)
threads = [threading.Thread(target=worker) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print("acked=%d failed=%d" % (counts["acked"], counts["failed"]))
PY
LOAD_PID=$!
deadline=$((SECONDS + LOAD_SECONDS))
while [ "${SECONDS}" -lt "${deadline}" ]; do kill -0 "${LOAD_PID}" 2>/dev/null || break; sleep 1; done
acked_before="$(wc -l <"${WORK}/acked.txt")"
[ "${acked_before}" -gt 0 ] || fail "the load got no event acknowledged in ${LOAD_SECONDS} s (see .run/kube-play/load.log)"
grace="$(awk -F'\t' '$1 == "ingestion-api" {print $9; exit}' "${WORK}/plan.tsv")"
say "${acked_before} events acknowledged so far; podman pod stop -t ${grace} (SIGTERM, then SIGKILL after the grace period) while the load runs"
stop_started=${SECONDS}
podman pod stop -t "${grace}" "$(pod_of ingestion-api)" >>"${WORK}/podman.log" 2>&1 || fail "podman pod stop failed"
say "ingestion-api's pod stopped in $((SECONDS - stop_started)) s; exit code $(podman inspect --format '{{.State.ExitCode}}' "$(ctr_of ingestion-api ingestion-api)")"
touch "${WORK}/load.stop"
wait "${LOAD_PID}" || true
LOAD_PID=""
say "load: $(cat "${WORK}/load.log")"
podman logs "$(ctr_of ingestion-api ingestion-api)" >"${WORK}/ingestion-api.log" 2>&1 || true
acked="$(wc -l <"${WORK}/acked.txt")"
result="$(psql -X -qAt -v ON_ERROR_STOP=1 <<SQL
create temp table acked (message_id text);
\\copy acked from '${WORK}/acked.txt'
select count(*) filter (where n = 0) || ' ' || count(*) filter (where n > 1)
  from (select a.message_id, (select count(*) from ingestion.events e where e.message_id = a.message_id) n from acked a) c;
SQL
)"
missing="${result%% *}"; duplicated="${result##* }"
if [ "${acked}" -gt 0 ] && [ "${missing}" = "0" ] && [ "${duplicated}" = "0" ]; then
  pass "SIGTERM under load: all ${acked} acknowledged events stored exactly once"
else
  fail "SIGTERM under load: ${acked} acknowledged, ${missing} missing, ${duplicated} stored more than once"
fi
if grep -q "stopped in" "${WORK}/ingestion-api.log"; then pass "ingestion-api shut down gracefully on SIGTERM"; else fail "ingestion-api's log shows no graceful shutdown"; fi

# The other pods, stopped the same way.
for deploy in $(cut -f1 "${WORK}/plan.tsv"); do
  [ "${deploy}" = "ingestion-api" ] && continue
  grace="$(awk -F'\t' -v d="${deploy}" '$1 == d {print $9; exit}' "${WORK}/plan.tsv")"
  podman pod stop -t "${grace}" "$(pod_of "${deploy}")" >>"${WORK}/podman.log" 2>&1 || fail "stopping ${deploy} failed"
  podman logs "$(ctr_of "${deploy}" "${deploy}")" >"${WORK}/${deploy}.log" 2>&1 || true
  if grep -q "stopped in" "${WORK}/${deploy}.log"; then pass "${deploy} shut down gracefully on SIGTERM"; else fail "${deploy}'s log shows no graceful shutdown"; fi
done
[ "${FAILED}" -eq 0 ] || exit 1
