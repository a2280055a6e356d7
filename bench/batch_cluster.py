"""Grading a course on a Dask cluster: throughput with 1 worker, then 2, and the local
`-j` runs as the peer, all in the same run.

    .venv/bin/python bench/batch_cluster.py [--n 40] [--all-tests]

A real scheduler and real worker processes on this machine (loopback only), started as a
course starts them (`dask scheduler`, `dask worker`). The submissions are 40 shells
(tinysh.c, correct and with one bug each, and dash scripts). On one 2-core machine two
workers cannot beat `-j 2`: the figure that matters is the ratio cluster / local at the
same parallelism (the cost of Dask), and 2 workers / 1 worker (how it scales).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "graders" / "shell" / "fixtures" / "tinysh.c"
DASK = Path(sys.executable).with_name("dask")
BUGS = ["", "NO_REAP", "LEAK_PIPE", "CD_IN_CHILD", "SYSTEM", "RAW_STATUS"]
FEW_TESTS = ["-k", "prompt", "-k", "cd", "-k", "pipe", "-k", "background"]


def make_submissions(folder: Path, n: int) -> None:
    src = SOURCE.read_text()
    for i in range(n):
        if i % 5 == 4:
            script = folder / f"s{i:03}"
            script.write_text("#!/bin/sh\nexec dash -i\n")
            script.chmod(0o755)
            continue
        sub = folder / f"s{i:03}"
        sub.mkdir(parents=True)
        bug = BUGS[i % len(BUGS)]
        (sub / "tinysh.c").write_text((f"#define BUG_{bug}\n" if bug else "") + src)
        (sub / "Makefile").write_text("myshell: tinysh.c\n\tgcc -O2 -o myshell tinysh.c\n")


def batch(subs: Path, out: Path, extra: list[str], tests: list[str]) -> float:
    shutil.rmtree(out, ignore_errors=True)
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "graders", "batch", "shell", str(subs), "-o",
                    str(out), *extra, *tests], check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - start


def start(argv: list, log: Path) -> subprocess.Popen:
    with open(log, "wb") as f:
        return subprocess.Popen([str(a) for a in argv], stdout=f, stderr=subprocess.STDOUT,
                                start_new_session=True)


def stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM, then SIGKILL: a worker whose scheduler went first may wait for it forever."""
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def cluster_time(tmp: Path, subs: Path, workers: int, tests: list[str]) -> float:
    info = tmp / f"scheduler-{workers}.json"
    procs = [start([DASK, "scheduler", "--scheduler-file", info, "--port", "0", "--host",
                    "127.0.0.1", "--no-dashboard"], tmp / "scheduler.log")]
    try:
        while not info.exists():
            time.sleep(0.1)
        for w in range(workers):
            procs.append(start([DASK, "worker", "--scheduler-file", info, "--nthreads", "1",
                                "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                                "--name", f"w{w}"], tmp / f"w{w}.log"))
        address = json.loads(info.read_text())["address"]
        return batch(subs, tmp / f"out-c{workers}", ["--scheduler", address], tests)
    finally:
        stop(procs[::-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--all-tests", action="store_true", help="every test, not four")
    args = parser.parse_args()
    tests = [] if args.all_tests else FEW_TESTS
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        subs = tmp / "subs"
        make_submissions(subs, args.n)
        local1 = batch(subs, tmp / "out-l1", ["-j", "1"], tests)
        c1 = cluster_time(tmp, subs, 1, tests)
        local2 = batch(subs, tmp / "out-l2", ["-j", "2"], tests)
        c2 = cluster_time(tmp, subs, 2, tests)
    print(f"{args.n} shell submissions ({'all tests' if args.all_tests else '4 tests each'})")
    print(f"  local -j 1   {local1:7.1f} s   {args.n / local1 * 60:6.1f} submissions/min")
    print(f"  dask 1 worker{c1:7.1f} s   {args.n / c1 * 60:6.1f} submissions/min"
          f"   cluster/local {c1 / local1:.2f}x")
    print(f"  local -j 2   {local2:7.1f} s   {args.n / local2 * 60:6.1f} submissions/min")
    print(f"  dask 2 workers{c2:6.1f} s   {args.n / c2 * 60:6.1f} submissions/min"
          f"   cluster/local {c2 / local2:.2f}x   2 workers/1 worker speed-up {c1 / c2:.2f}x")


if __name__ == "__main__":
    main()
