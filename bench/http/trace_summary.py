#!/usr/bin/env python3
"""Summarises a dotnet-trace speedscope file (thread-time sampling, as bench/http/profile.sh --trace writes it):
the frames that used the CPU (self and inclusive), and where pool threads sat blocked (wall time per waiting stack).

    bench/http/trace_summary.py OUT_DIR/trace.speedscope.json [FRAME_FILTER]
"""
import collections
import json
import sys


def walk(profile, on_sample):
    stack, last = [], None
    for event in profile["events"]:
        if last is not None and stack:
            on_sample(stack, event["at"] - last)
        last = event["at"]
        if event["type"] == "O":
            stack.append(event["frame"])
        else:
            stack.pop()


def main():
    data = json.load(open(sys.argv[1]))
    wanted = sys.argv[2] if len(sys.argv) > 2 else "Keelson"
    frames = [f["name"] for f in data["shared"]["frames"]]
    cpu = frames.index("CPU_TIME")
    own, inclusive, blocked = collections.Counter(), collections.Counter(), collections.Counter()
    total = [0.0]

    def sample(stack, duration):
        if stack[-1] == cpu:
            total[0] += duration
            own[stack[-2] if len(stack) > 1 else cpu] += duration
            for frame in set(stack):
                inclusive[frame] += duration
            return
        # A pool thread waiting somewhere in our code or in a lock or the database: summarise the innermost such frames.
        names = [frames[f] for f in stack]
        ours = [n for n in names if "Keelson" in n or "Sqlite" in n or "Lock." in n]
        if ours and any("Keelson" in n for n in names):
            blocked[" <- ".join(n.split("!")[-1][:80] for n in reversed(ours[-3:]))] += duration

    for profile in data["profiles"]:
        walk(profile, sample)
    print(f"CPU sampled: {total[0] / 1000:.1f} s")
    print("-- self CPU")
    for frame, time in own.most_common(20):
        print(f"{time / total[0]:6.1%}  {frames[frame][:150]}")
    print(f"-- inclusive CPU, frames containing {wanted!r}")
    shown = [(f, t) for f, t in inclusive.most_common() if wanted in frames[f] and "AsyncStateMachineBox" not in frames[f]]
    for frame, time in shown[:40]:
        print(f"{time / total[0]:6.1%}  {frames[frame][:150]}")
    print("-- blocked wall time (ms), by waiting stack")
    for stack, time in blocked.most_common(15):
        print(f"{time:9.0f}  {stack}")


if __name__ == "__main__":
    main()
