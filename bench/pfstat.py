"""How long the sys_pfstat grader takes (issue 7's benchmark).

1. One grading run, start to verdict: `minigrade pfstat --kernel bzImage` (a new Python, a new
   initramfs, QEMU under TCG, the tester, the verdict), for the reference kernel (tinyconfig,
   every check runs) and, as the peer in the same run, Debian's stock kernel (a full
   distribution kernel; it stops at "not implemented"). Median of --runs, alternating.
   Goal: <= 3 s for the course kernel (issue 16).
2. A kernel build from a patch, in a fresh cache: unpack linux-source-6.1, tinyconfig +
   fragment, make bzImage with the reference patch (the "cold" build, what CI pays once);
   then the no-cow variant in the same object tree (the "switch" build, what each further
   student costs). Goal: <= 3 min on two cores for the cold build. --warm skips the cold
   build and times only a switch build in the usual cache (a fresh token in the patch, so
   it is never a cache hit).

    .venv/bin/python bench/pfstat.py [--runs N] [--warm]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graders.kernel import build

PFSTAT = Path(__file__).resolve().parents[1] / "graders" / "pfstat"
FASTNET = PFSTAT.parent / "fastnet"
GRADE_GOAL_S = 3.0
BUILD_GOAL_S = 180.0


def grade_once(kernel: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "graders", "pfstat", "--kernel", str(kernel), "-q"],
                   stdin=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def bench_grading(runs: int) -> None:
    reference = build.build_kernel((PFSTAT / "reference.patch").read_bytes()).bzimage
    stock = sorted(Path("/boot").glob("vmlinuz-*"))[-1]
    times: dict[str, list[float]] = {"tinyconfig + reference": [], f"Debian {stock.name}": []}
    for _ in range(runs):
        times["tinyconfig + reference"].append(grade_once(reference))
        times[f"Debian {stock.name}"].append(grade_once(stock))
    ref = statistics.median(times["tinyconfig + reference"])
    print(f"grading run, start to verdict (median of {runs}):")
    for name, values in times.items():
        m = statistics.median(values)
        print(f"  {name:38s} {m:6.2f} s   ratio to reference {m / ref:5.2f}")
    verdict = "met" if ref <= GRADE_GOAL_S else "MISSED"
    print(f"  goal <= {GRADE_GOAL_S:.0f} s for tinyconfig: {verdict}")


def fresh_variant(patch: str, token: str = "") -> bytes:
    """The patch with a new comment line in kernel/pfstat.c: same kernel, not in the cache."""
    text = (PFSTAT / patch).read_text()
    hunk = text.split("+++ b/kernel/pfstat.c\n", 1)[1].split("\n", 1)[0]
    lines = int(hunk.split(",")[-1].split()[0])
    text = text.replace(hunk, hunk.replace(f",{lines} @@", f",{lines + 1} @@"), 1)
    return text.replace("+#include <linux/errno.h>\n",
                        f"+/* bench {token or time.time_ns()} */\n+#include <linux/errno.h>\n",
                        1).encode()


def bench_switch() -> None:
    build.build_kernel((PFSTAT / "reference.patch").read_bytes())
    start = time.perf_counter()
    build.build_kernel(fresh_variant("reference.patch"))
    switch = time.perf_counter() - start
    print(f"kernel build from a patch ({os.cpu_count()} cores), warm shared object tree:")
    print(f"  a patch differing in one file         {switch:7.1f} s")


def bench_build() -> None:
    cache = Path(tempfile.mkdtemp(prefix="pfstat-bench-"))
    cache.chmod(0o755)  # as root, the unprivileged builder must reach it, as in real use
    try:
        start = time.perf_counter()
        build.build_kernel((PFSTAT / "reference.patch").read_bytes(), cache=cache)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        build.build_kernel((PFSTAT / "fixtures/no-cow.patch").read_bytes(), cache=cache)
        switch = time.perf_counter() - start
        start = time.perf_counter()
        build.build_kernel((PFSTAT / "fixtures/no-cow.patch").read_bytes(), cache=cache)
        cached = time.perf_counter() - start
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"kernel build from a patch ({os.cpu_count()} cores):")
    print(f"  cold (unpack + configure + compile)   {cold:7.1f} s   "
          f"goal <= {BUILD_GOAL_S:.0f} s: {'met' if cold <= BUILD_GOAL_S else 'MISSED'}")
    print(f"  another patch, shared object tree     {switch:7.1f} s   "
          f"ratio to cold {switch / cold:5.2f}")
    print(f"  the same patch again (cached)         {cached:7.3f} s")


def batch_fixtures(token: str) -> list[tuple[str, bytes]]:
    """20 submissions as a TA gets them, in arrival order: sys_pfstat patches that edit
    sched.h alike but differ elsewhere (the reference and its fixtures, each also with a
    comment of its own in kernel/pfstat.c), interleaved with fastnet patches (driver only,
    no shared header). Each is new to the image cache (the token)."""
    pfstat = ["reference.patch", "fixtures/no-cow.patch", "fixtures/oops-pid0.patch",
              "fixtures/hang-esrch.patch"]
    fastnet = FASTNET / "reference.patch"
    out = []
    for i in range(16):
        name = pfstat[i % len(pfstat)]
        out.append((f"pfstat {name} #{i}", fresh_variant(name, f"{token}-{i}")))
        if i % 4 == 3:
            text = fastnet.read_text().replace(
                "+// SPDX-License-Identifier: GPL-2.0\n",
                f"+// SPDX-License-Identifier: GPL-2.0\n+/* bench {token}-{i} */\n", 1)
            hunk = text.split("+++ b/drivers/net/fastnet.c\n", 1)[1].split("\n", 1)[0]
            lines = int(hunk.split(",")[-1].split()[0])
            text = text.replace(hunk, hunk.replace(f",{lines} @@", f",{lines + 1} @@"), 1)
            out.append((f"fastnet reference #{i}", text.encode()))
    return out


def bench_batch() -> None:
    """A batch of 20 in a fresh cache: the cost against one cold build."""
    cache = Path(tempfile.mkdtemp(prefix="kernel-batch-bench-"))
    cache.chmod(0o755)
    times = []
    print(f"a batch of 20 patches, fresh cache ({os.cpu_count()} cores):", flush=True)
    try:
        for name, patch in batch_fixtures(str(time.time_ns())):
            start = time.perf_counter()
            try:
                build.build_kernel(patch, cache=cache)
            except build.BuildError as exc:
                print(f"  {name}: {exc}")
            times.append((name, time.perf_counter() - start))
            print(f"  {name:36s} {times[-1][1]:7.1f} s", flush=True)  # as they come
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    cold = max(t for _, t in times)
    total = sum(t for _, t in times)
    print(f"  total {total:7.1f} s = {total / cold:4.1f} x the longest (cold) build; "
          f"the old single tree rebuilt the whole kernel at every pfstat/fastnet switch")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", action="store_true",
                        help="skip the cold kernel build; time a switch build in the usual cache")
    parser.add_argument("--batch", action="store_true",
                        help="only time a batch of 20 patches (pfstat and fastnet) in a fresh "
                             "cache")
    args = parser.parse_args()
    if args.batch:
        bench_batch()
        return 0
    bench_grading(args.runs)
    if args.warm:
        bench_switch()
    else:
        bench_build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
