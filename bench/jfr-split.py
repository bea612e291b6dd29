"""Splits ingestion-api's JFR CPU samples by pipeline stage (bench/profile.sh).

Reads `jfr print --events jdk.ExecutionSample --stack-depth N` (run with TZ=UTC) on stdin and
keeps the samples between the two epoch-millisecond arguments, if given. Each sample goes to the
first stage below that has a frame anywhere in its stack, so a driver call made from the event loop
counts as the driver, not as HTTP; then prints the stages' shares and the hottest leaf methods.
"""

import collections
import re
import sys

# Each sample goes to the owner of the frame nearest its leaf that has one (JDK frames have none):
# a Netty write inside the REST layer's response is the REST layer's, a JSON parse is the stage of
# the Tributary code that asked for it. Netty and Vert.x core are generic too, and count as the
# HTTP server only when nothing more specific is on the stack.
OWNERS = [
    ("io.vertx.pgclient", "driver (rows to the wire, results)"),
    ("io.vertx.sqlclient", "driver (rows to the wire, results)"),
    ("io.vertx.mutiny.sqlclient", "driver (rows to the wire, results)"),
    ("dev.tributary.ingestion.service.SegmentEventNormalizer", "normalising"),
    ("dev.tributary.ingestion.rest.RequestBodies", "JSON decoding"),
    ("dev.tributary.", "Tributary (auth, limits, statistics, writer, answers)"),
    ("io.micrometer", "metrics"),
    ("io.quarkus.micrometer", "metrics"),
    ("io.smallrye.context", "Mutiny, context propagation, CDI"),
    ("io.smallrye.mutiny", "Mutiny, context propagation, CDI"),
    ("io.quarkus.arc", "Mutiny, context propagation, CDI"),
    ("com.arjuna", "Mutiny, context propagation, CDI"),
    ("org.jboss.resteasy", "REST (Quarkus REST)"),
    ("io.quarkus.resteasy", "REST (Quarkus REST)"),
]
JSON = "com.fasterxml.jackson"
# What a Jackson call counts as, by the Tributary frame nearest above it.
JSON_CALLERS = [
    ("dev.tributary.ingestion.rest.RequestBodies", "JSON decoding"),
    ("dev.tributary.ingestion.service.SegmentEventNormalizer", "serialising the payload"),
]
HTTP = ("io.netty", "io.vertx", "io.quarkus.vertx")
ORDER = [
    "HTTP server (Vert.x, Netty)", "REST (Quarkus REST)", "Mutiny, context propagation, CDI",
    "JSON decoding", "normalising", "serialising the payload", "JSON (other)",
    "Tributary (auth, limits, statistics, writer, answers)", "driver (rows to the wire, results)",
    "metrics", "other",
]
FRAME = re.compile(r"^\s+([\w$.<>]+)\(")
START = re.compile(r"^\s+startTime = (\d\d):(\d\d):(\d\d(?:\.\d+)?)")
DAY = 86400.0


def stage_of(frames):
    for i, frame in enumerate(frames):
        if frame.startswith(JSON):
            for caller in frames[i + 1:]:
                for prefix, stage in JSON_CALLERS:
                    if caller.startswith(prefix):
                        return stage
                if caller.startswith("dev.tributary."):
                    break
            return "JSON (other)"
        for prefix, stage in OWNERS:
            if frame.startswith(prefix):
                return stage
    if any(frame.startswith(HTTP) for frame in frames):
        return "HTTP server (Vert.x, Netty)"
    return "other"


def samples(lines, window=None):
    """The stacks (leaf first) of the samples in window, (start, end) in epoch seconds."""
    frames, inside, keep = None, False, True
    for line in lines:
        start = START.match(line)
        if line.startswith("jdk.ExecutionSample"):
            frames, keep = [], True
        elif start and window:
            # The time of day only: the offset from the window's start, modulo a day.
            second = int(start.group(1)) * 3600 + int(start.group(2)) * 60 + float(start.group(3))
            keep = (second - window[0] % DAY) % DAY <= window[1] - window[0]
        elif "stackTrace = [" in line:
            inside = True
        elif inside and line.strip() == "]":
            inside = False
            if keep:
                yield frames
        elif inside:
            match = FRAME.match(line)
            if match:
                frames.append(match.group(1))


def main():
    stages = collections.Counter()
    leaves = collections.Counter()
    total = 0
    window = (int(sys.argv[1]) / 1000.0, int(sys.argv[2]) / 1000.0) if len(sys.argv) > 2 else None
    for frames in samples(sys.stdin, window):
        if not frames:
            continue
        total += 1
        stages[stage_of(frames)] += 1
        leaves[frames[0]] += 1
    if total == 0:
        print("  no CPU samples in the recording")
        return
    for name in ORDER:
        if stages[name]:
            print(f"  {name:<56} {stages[name]:>6} {100.0 * stages[name] / total:5.1f}%")
    print(f"  {'samples':<56} {total:>6}")
    print("  hottest leaf methods:")
    for name, count in leaves.most_common(12):
        print(f"    {100.0 * count / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
