"""How long grading takes: the reference, each fixture, and a class of 20 in batch mode.

    .venv/bin/python bench/grade.py [--batch N] [--parallel P]

Goals (issue 11): a correct shell graded in <= 5 s wall (dash, minishell, tinysh);
a shell that hangs after every command (tinysh_HANG) in <= 20 s, because a stuck shell is
recognised from /proc instead of waiting out each timeout. The peer is dash run
interactively (`exec dash -i`), graded by the same grader in the same run: ratios are
against it, so a busy machine shows as a busy machine, not as a slow grader.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "graders" / "shell" / "fixtures" / "tinysh.c"
BUGS = ["", "HANG", "SEQUENTIAL", "LEAK_PIPE_PARENT", "LEAK_PIPE_CHILD", "NO_REAP",
        "CD_IN_CHILD", "NO_SIGINT", "SYSTEM", "RAW_STATUS"]
MAKEFILE = "myshell: tinysh.c\n\tgcc -O2 -Wall -o myshell tinysh.c\n"


def grade(submission: Path, out: Path, parallel: int) -> tuple[float, dict]:
    results = out / f"{submission.name}.json"
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "graders", "shell", str(submission), "--hidden",
                    "-q", "--parallel", str(parallel), "--results", str(results)], check=False)
    return time.monotonic() - start, json.loads(results.read_text())


def budget(data: dict) -> float:
    """Seconds the tests that timed out were allowed to wait (from their own messages)."""
    total = 0.0
    for t in data["tests"]:
        if t["extra_data"]["outcome"] == "timeout":
            total += float(t["output"].split("timed out after ")[1].split(" s")[0])
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=20,
                    help="submissions in the batch run (0: none)")
    ap.add_argument("--parallel", type=int, default=3, help="tests at a time per submission")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    try:
        subs = {"dash -i (peer)": tmp / "dash-peer"}
        subs["dash -i (peer)"].write_text("#!/bin/sh\nexec dash -i\n")
        subs["minishell (reference)"] = Path(sys.executable).with_name("minishell")
        for bug in BUGS:
            exe = tmp / f"tinysh{'_' + bug if bug else ''}"
            subprocess.run(["gcc", "-O2", *([f"-DBUG_{bug}"] if bug else []), "-o", str(exe),
                            str(SOURCE)], check=True)
            subs[exe.name] = exe
        print(f"{'submission':24} {'score':>9} {'wall s':>7} {'vs peer':>8} {'timeouts s':>10}")
        peer = None
        for name, path in subs.items():
            wall, data = grade(path, tmp, args.parallel)
            peer = peer or wall
            score = f"{data['score']:g}/{sum(t['max_score'] for t in data['tests']):g}"
            print(f"{name:24} {score:>9} {wall:7.1f} {wall / peer:7.2f}x {budget(data):10.1f}",
                  flush=True)
        if args.batch == 0:
            return 0
        classroom = tmp / "class"
        for i in range(args.batch):
            folder = classroom / f"student{i:02d}"
            folder.mkdir(parents=True)
            bug = BUGS[i % len(BUGS)]
            src = SOURCE.read_text()
            (folder / "tinysh.c").write_text((f"#define BUG_{bug}\n" if bug else "") + src)
            (folder / "Makefile").write_text(MAKEFILE)
        for jobs in (1, 2):
            out = tmp / f"out-j{jobs}"
            start = time.monotonic()
            subprocess.run([sys.executable, "-m", "graders", "batch", "shell", str(classroom),
                            "-o", str(out), "-j", str(jobs), "--hidden",
                            "--parallel", str(args.parallel)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.monotonic() - start
            print(f"batch of {args.batch}, -j {jobs}: {wall:6.1f} s "
                  f"({wall / args.batch:.1f} s per submission, builds included)", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
