"""Splits ingestion-api's JFR CPU samples by pipeline stage (bench/profile.sh).

Reads `jfr print --events jdk.ExecutionSample --stack-depth N` on stdin. Each sample goes to the
first stage below that has a frame anywhere in its stack, so a driver call made from the event loop
counts as the driver, not as HTTP; then prints the stages' shares and the hottest leaf methods.
"""

import collections
import re
import sys

# (stage, frame prefixes), in order of precedence.
STAGES = [
    ("serialising the payload", ("com.fasterxml.jackson.databind.ObjectMapper.writeValueAs",),
     ("dev.tributary.ingestion.service.SegmentEventNormalizer",)),
    ("JSON decoding", ("dev.tributary.ingestion.rest.RequestBodies",), ()),
    ("normalising", ("dev.tributary.ingestion.service.SegmentEventNormalizer",), ()),
    ("driver (rows to the wire, results)",
     ("io.vertx.pgclient", "io.vertx.sqlclient", "dev.tributary.ingestion.repository.EventWriter"), ()),
    ("the answer", ("dev.tributary.ingestion.rest.TrackingAnswers",
                    "dev.tributary.ingestion.service.TrackingReply"), ()),
    ("auth, limits, statistics", ("dev.tributary.ingestion.service",), ()),
    ("metrics", ("io.micrometer",), ()),
    ("HTTP (Vert.x, Netty, REST)", ("io.netty", "io.vertx", "org.jboss.resteasy", "io.quarkus"), ()),
]
FRAME = re.compile(r"^\s+([\w$.<>]+)\(")


def stage_of(frames):
    for name, prefixes, within in STAGES:
        hit = any(f.startswith(prefixes) for f in frames)
        if hit and (not within or any(f.startswith(within) for f in frames)):
            return name
    return "other"


def samples(lines):
    frames, inside = None, False
    for line in lines:
        if line.startswith("jdk.ExecutionSample"):
            frames = []
        elif "stackTrace = [" in line:
            inside = True
        elif inside and line.strip() == "]":
            inside = False
            yield frames
        elif inside:
            match = FRAME.match(line)
            if match:
                frames.append(match.group(1))


def main():
    stages = collections.Counter()
    leaves = collections.Counter()
    total = 0
    for frames in samples(sys.stdin):
        if not frames:
            continue
        total += 1
        stages[stage_of(frames)] += 1
        leaves[frames[0]] += 1
    if total == 0:
        print("  no CPU samples in the recording")
        return
    for name, _, _ in STAGES + [("other", (), ())]:
        if stages[name]:
            print(f"  {name:<48} {stages[name]:>6} {100.0 * stages[name] / total:5.1f}%")
    print(f"  {'samples':<48} {total:>6}")
    print("  hottest leaf methods:")
    for name, count in leaves.most_common(12):
        print(f"    {100.0 * count / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
