#!/usr/bin/env python3
"""Interleaved A/B of `eventcat validate` builds against the parse-only
baseline: each round runs every contender once, so that a change of the
machine's speed weighs on all of them alike. Prints the median, min and max
wall seconds of each, and the two ratios #13 holds the engine to: of the
medians, and the median of each round's ratio.

    bench/validate/ab.py --rounds 21 --file EVENTS.ndjson \
        --baseline target/release/parse-baseline old=/tmp/eventcat-old new=target/release/eventcat

EVENTS.ndjson: e.g. the file `WORK=DIR bench/validate/run.sh` leaves in DIR.
"""
import argparse
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--file", required=True)
    ap.add_argument("--catalog", default=str(ROOT / "schema"))
    ap.add_argument("--baseline", default=str(ROOT / "target/release/parse-baseline"))
    ap.add_argument("builds", nargs="+", metavar="NAME=BINARY")
    args = ap.parse_args()
    runs = {"parse-only": [args.baseline, args.file]}
    builds = [b.split("=", 1) for b in args.builds]
    for name, binary in builds:
        for j in ("1", "2"):
            runs[f"{name} -j {j}"] = [binary, "validate", "--catalog", args.catalog, "-q", "-j", j, args.file]
    wall = {k: [] for k in runs}
    for _ in range(args.rounds):
        for k, cmd in runs.items():
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall[k].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in wall.items()}
    for k, v in wall.items():
        print(f"{k:24s} median {med[k]:.3f}  min {min(v):.3f}  max {max(v):.3f}")
    for name, _ in builds:
        j1, j2 = med[f"{name} -j 1"], med[f"{name} -j 2"]
        w1, w2, wp = wall[f"{name} -j 1"], wall[f"{name} -j 2"], wall["parse-only"]
        r1 = statistics.median(p / a for p, a in zip(wp, w1))
        r2 = statistics.median(a / b for a, b in zip(w1, w2))
        print(
            f"{name}: -j 1 rate / parse-only rate {med['parse-only'] / j1:.3f} (median of the rounds {r1:.3f})"
            f"   -j 2 speed-up over -j 1 {j1 / j2:.3f} (median of the rounds {r2:.3f})"
        )


if __name__ == "__main__":
    main()
