"""A slow client of the shutdown scenario: one batch of 100 events whose body arrives in two halves.

It sends the request line, the headers and half the body at once, the rest at the epoch second
FINISH_AT (a mobile client on a bad network, still uploading while the service shuts down), then
reads the answer. Prints "status=N seconds=S"; on a 200 it writes the batch's messageIds to ACKED.

    python3 reliability/slow_upload.py PORT WRITE_KEY RUN FINISH_AT ACKED
"""

import base64
import json
import socket
import sys
import time


def main():
    port, write_key, run, finish_at, acked = sys.argv[1:6]
    ids = [f"{run}-{i}" for i in range(100)]
    body = json.dumps(
        {"batch": [{"type": "track", "userId": "slow", "event": "Slow Upload", "messageId": m} for m in ids]}
    ).encode()
    auth = base64.b64encode(f"{write_key}:".encode()).decode()
    head = (
        f"POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Authorization: Basic {auth}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    started = time.time()
    answer = b""
    try:
        with socket.create_connection(("127.0.0.1", int(port)), timeout=60) as connection:
            connection.sendall(head + body[: len(body) // 2])
            time.sleep(max(0.0, float(finish_at) - time.time()))
            connection.sendall(body[len(body) // 2 :])
            while b"\r\n" not in answer:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                answer += chunk
    except OSError as e:
        print(f"the slow upload failed: {e}", file=sys.stderr)
    status = int(answer.split(b" ")[1]) if answer.startswith(b"HTTP/1.") else 0  # 0: no answer
    if status == 200:
        with open(acked, "w", encoding="utf-8") as out:
            out.write("".join(f"{m}\n" for m in ids))
    print(f"status={status} seconds={time.time() - started:.1f}")


if __name__ == "__main__":
    main()
