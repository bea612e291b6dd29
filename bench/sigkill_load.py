#!/usr/bin/env python3
"""Load for bench/sigkill-check.sh: sends Segment events from several threads and appends the
messageId of every event that got a 200 to an "acked" file, the moment it is acknowledged.
Runs until the server stops answering (it is SIGKILLed) or --seconds pass. Standard library only."""
import argparse
import base64
import http.client
import json
import sys
import threading
import time


def worker(args, thread_id, acked, lock, stop, statuses):
    auth = "Basic " + base64.b64encode((args.write_key + ":").encode()).decode()
    headers = {"Content-Type": "application/json", "Authorization": auth}
    sequence = 0
    failures = 0
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
    while not stop.is_set():
        batch = []
        for _ in range(args.batch):
            sequence += 1
            batch.append({"type": "track", "userId": "u%d" % thread_id, "event": "Durability Probe",
                          "messageId": "%s-t%d-%d" % (args.run, thread_id, sequence)})
        body = json.dumps({"batch": batch}) if args.batch > 1 else json.dumps(
            {k: v for k, v in batch[0].items() if k != "type"})
        path = "/v1/batch" if args.batch > 1 else "/v1/track"
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.status == 200:
                with lock:
                    acked.write("".join(e["messageId"] + "\n" for e in batch))
                    acked.flush()
            failures = 0
        except (OSError, http.client.HTTPException):
            failures += 1
            conn.close()
            if failures >= 3:
                return  # the server is gone
            time.sleep(0.05)
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--write-key", required=True)
    parser.add_argument("--acked", required=True)
    parser.add_argument("--run", required=True)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    lock = threading.Lock()
    stop = threading.Event()
    statuses = {}
    with open(args.acked, "a") as acked:
        threads = [threading.Thread(target=worker, args=(args, i, acked, lock, stop, statuses), daemon=True)
                   for i in range(args.threads)]
        for t in threads:
            t.start()
        deadline = time.time() + args.seconds
        for t in threads:
            t.join(max(0.0, deadline - time.time()))
        stop.set()
        for t in threads:
            t.join(15)
    print("%s: answers by status %s" % (args.run, dict(sorted(statuses.items()))), file=sys.stderr)


if __name__ == "__main__":
    main()
