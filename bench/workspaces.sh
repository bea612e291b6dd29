#!/usr/bin/env bash
# Creates customer workspaces for the scale benchmarks through ingestion-api's admin API.
#
#   bench/workspaces.sh N K    N workspaces "bench-<i>", each with K email legal-notice contacts
#                              ops-<i>-<k>@ws<i>.example (K from 0 to 50, the API's maximum) and
#                              a contract time zone in turn UTC, America/Los_Angeles,
#                              Europe/Berlin, Asia/Kolkata, Australia/Sydney
#
# With WRITE_KEYS_FILE set, each workspace also gets a source, and the file one line per source:
# the value of its Tracking API header, "Basic base64(writeKey:)" (bench/run.sh spreads its loads
# over them). EVENTS_PER_SECOND and BURST, when set, are the workspaces' throughput limits.
#
# Needs TRIBUTARY_ADMIN_TOKEN (the server's admin token) and a running ingestion-api at
# INGESTION_URL (default http://127.0.0.1:8080). PARALLEL (default 64) requests are in flight at
# once, each thread on its own keep-alive connection. Prints progress every 1,000 workspaces and
# the total with the elapsed seconds at the end. The first answer that is not 2xx, or a lost
# connection, stops the run with its status and body and exit code 1 (POST is not retried: a
# retry after a lost answer could create a workspace twice). Only python3's standard library.
set -euo pipefail

usage() { echo "usage: $0 N K   (N workspaces, K email contacts each; see the header)" >&2; exit 2; }
[ "$#" -eq 2 ] || usage
[[ "$1" =~ ^[0-9]+$ && "$2" =~ ^[0-9]+$ ]] || usage
[ "$2" -le 50 ] || { echo "$0: K is at most 50 (the admin API's limit of contacts)" >&2; exit 2; }
[ -n "${TRIBUTARY_ADMIN_TOKEN:-}" ] || { echo "$0: set TRIBUTARY_ADMIN_TOKEN" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "$0: python3 is needed" >&2; exit 2; }

# The token reaches python through the environment, never on a command line (ps shows those).
export TRIBUTARY_ADMIN_TOKEN
exec python3 - "$1" "$2" "${INGESTION_URL:-http://127.0.0.1:8080}" "${PARALLEL:-64}" <<'PY'
import base64
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

count, contacts, base_url, parallel = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
ZONES = ["UTC", "America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney"]
url = urllib.parse.urlsplit(base_url)
if url.scheme not in ("http", "https") or not url.hostname:
    sys.exit("workspaces.sh: INGESTION_URL must be http(s)://host[:port], not %r" % base_url)
connection_class = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
path = url.path.rstrip("/") + "/admin/v1/workspaces"
headers = {
    "Authorization": "Bearer " + os.environ["TRIBUTARY_ADMIN_TOKEN"],
    "Content-Type": "application/json",
}

keys_file = os.environ.get("WRITE_KEYS_FILE") or None
limits = {name: int(os.environ[var]) for name, var in
          (("eventsPerSecond", "EVENTS_PER_SECOND"), ("burst", "BURST")) if os.environ.get(var)}

lock = threading.Lock()
stop = threading.Event()
state = {"next": 1, "done": 0, "failure": None}
auth_headers = {}


def body(i):
    return json.dumps(dict(limits, **{
        "name": "bench-%d" % i,
        "timeZone": ZONES[(i - 1) % len(ZONES)],
        "contacts": [{"name": "Ops %d" % k, "email": "ops-%d-%d@ws%d.example" % (i, k, i)}
                     for k in range(1, contacts + 1)],
    }))


def post(conn, target, payload, what):
    """The answer's JSON, or None after fail() when there is none or it is not 2xx."""
    try:
        conn.request("POST", target, body=payload, headers=headers)
        response = conn.getresponse()
        answer = response.read()
    except (OSError, http.client.HTTPException) as e:
        fail("%s: no answer from %s: %r" % (what, base_url, e))
        return None
    if not 200 <= response.status < 300:
        fail("%s: POST %s answered %d: %s"
             % (what, target, response.status, answer.decode("utf-8", "replace")[:2000]))
        return None
    return json.loads(answer)


def fail(message):
    with lock:
        if state["failure"] is None:
            state["failure"] = message
    stop.set()


def worker():
    conn = connection_class(url.hostname, url.port, timeout=30)
    try:
        while not stop.is_set():
            with lock:
                i = state["next"]
                if i > count:
                    return
                state["next"] = i + 1
            workspace = post(conn, path, body(i), "workspace %d" % i)
            if workspace is None:
                return
            if keys_file:
                source = post(conn, "%s/%s/sources" % (path, workspace["id"]),
                              json.dumps({"name": "bench-%d" % i}), "source of workspace %d" % i)
                if source is None:
                    return
                token = base64.b64encode((source["writeKey"] + ":").encode()).decode()
                with lock:
                    auth_headers[i] = "Basic " + token
            with lock:
                state["done"] += 1
                done = state["done"]
            if done % 1000 == 0:
                print("workspaces.sh: %d of %d workspaces created (%.1f s)"
                      % (done, count, time.monotonic() - started), file=sys.stderr, flush=True)
    finally:
        conn.close()


started = time.monotonic()
threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, min(parallel, count)))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.monotonic() - started
if state["failure"] is not None:
    print("workspaces.sh: FAILED after %d workspaces: %s" % (state["done"], state["failure"]),
          file=sys.stderr)
    sys.exit(1)
if keys_file:
    with open(keys_file, "w") as out:
        out.writelines(auth_headers[i] + "\n" for i in sorted(auth_headers))
print("workspaces.sh: created %d workspaces with %d contacts each (%d contacts)%s in %.1f s (%.0f/s)"
      % (count, contacts, count * contacts, ", a source each" if keys_file else "", elapsed,
         count / elapsed if elapsed > 0 else 0))
PY
