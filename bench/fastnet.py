"""How fast fastnet's receive modes are, and what grading a fastnet patch costs.

1. Frames per second in each mode, measured by the guest tester (2000 frames of 1514
   bytes, first to last frame) in one grading run of the reference kernel under TCG; the peer is
   mode 1 (the normal receive path, plus a copy): mode 2 and mode 3 print their ratio to it.
   Median of --runs runs. Goal: mode 3 > mode 1.
2. Start to verdict: `minigrade fastnet --kernel bzImage` (a new Python, the initramfs, QEMU
   with an e1000, every check), median of the same runs.
3. With --rebuild: each faulty variant built in the shared object tree after the reference
   (a fresh comment in fastnet.c makes each one new to the image cache): the incremental
   rebuild a TA pays per student.

    .venv/bin/python bench/fastnet.py [--runs N] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graders.fastnet import project
from graders.kernel import build

GRADERS = Path(__file__).resolve().parents[1] / "graders"
FASTNET = GRADERS / "fastnet"
PFSTAT_REFERENCE = GRADERS / "pfstat" / "reference.patch"


def both(fastnet_patch: Path, token: str = "") -> bytes:
    """pfstat's reference + a fastnet patch (the kernel the test suite grades); a token
    adds a comment line to fastnet.c, so the image cache has never seen the result."""
    text = fastnet_patch.read_text()
    if token:
        marker = "+// SPDX-License-Identifier: GPL-2.0\n"
        head, _, rest = text.partition("+++ b/drivers/net/fastnet.c\n")
        hunk, _, body = rest.partition("\n")
        count = int(hunk.split(",")[-1].split()[0])
        rest = hunk.replace(f",{count} @@", f",{count + 1} @@") + "\n" + body.replace(
            marker, f"{marker}+/* bench {token} */\n", 1)
        text = head + "+++ b/drivers/net/fastnet.c\n" + rest
    return PFSTAT_REFERENCE.read_bytes() + text.encode()


def grade_once(kernel: Path) -> tuple[float, dict[int, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "graders", "fastnet", "--kernel", str(kernel),
                        "-q", "--transcripts", tmp], stdin=subprocess.DEVNULL, check=False)
        took = time.perf_counter() - start
        return took, project.rates((Path(tmp) / "console.log").read_text())


def bench_modes(runs: int) -> None:
    kernel = build.build_kernel(both(FASTNET / "reference.patch")).bzimage
    times, rates = [], {1: [], 2: [], 3: []}
    for _ in range(runs):
        took, measured = grade_once(kernel)
        times.append(took)
        for mode, pps in measured.items():
            rates[mode].append(pps)
    print(f"fastnet receive rate, frames/s (median of {runs}; 1514-byte frames, QEMU TCG):")
    peer = statistics.median(rates[1]) if rates[1] else 0.0
    for mode, values in rates.items():
        if not values:
            print(f"  mode {mode}: not measured")
            continue
        m = statistics.median(values)
        ratio = f"ratio to mode 1 {m / peer:5.2f}" if peer else ""
        print(f"  mode {mode}: {m:8.0f}   {ratio}")
    if rates[1] and rates[3]:
        met = statistics.median(rates[3]) > peer
        print(f"  goal: mode 3 faster than mode 1: {'met' if met else 'MISSED'}")
    print(f"start to verdict (reference kernel, every check): {statistics.median(times):.1f} s")


def bench_rebuilds() -> None:
    build.build_kernel(both(FASTNET / "reference.patch"))
    print(f"incremental rebuild per variant ({os.cpu_count()} cores, shared object tree):")
    for patch in [FASTNET / "reference.patch", *sorted((FASTNET / "fixtures").glob("*.patch"))]:
        start = time.perf_counter()
        build.build_kernel(both(patch, token=str(time.time_ns())))
        print(f"  {patch.name:24s} {time.perf_counter() - start:6.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true",
                        help="also time an incremental rebuild of each variant")
    args = parser.parse_args()
    bench_modes(args.runs)
    if args.rebuild:
        bench_rebuilds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
