"""How long grading takes: the reference, each fixture, and a class of 20 in batch mode.

    .venv/bin/python bench/grade.py [--batch N] [--parallel P] [--phases]

With --phases (and --batch 0 to skip the class), where the time of one test goes, for
dash, minishell and tinysh, tests run one at a time: the grader's set-up, the start-up
(sandbox and shell, until the first prompt), the steps, the teardown (killing
everything), from each test's recorded timings; beside them, the shell's own start-up at
a bare terminal (pexpect, no sandbox, no grader) and, for minishell, the imports that
dominate it (`python -X importtime`).

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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "graders" / "shell" / "fixtures" / "tinysh.c"
BUGS = ["", "HANG", "SEQUENTIAL", "LEAK_PIPE_PARENT", "LEAK_PIPE_CHILD", "NO_REAP",
        "CD_IN_CHILD", "NO_SIGINT", "SYSTEM", "RAW_STATUS"]
MAKEFILE = "myshell: tinysh.c\n\tgcc -O2 -Wall -o myshell tinysh.c\n"


PHASES = ("setup", "start-up", "steps", "teardown")


def grade(submission: Path, out: Path, parallel: int) -> tuple[float, dict]:
    results = out / f"{submission.name}-{parallel}.json"
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "graders", "shell", str(submission), "--hidden",
                    "-q", "--parallel", str(parallel), "--results", str(results)], check=False)
    return time.monotonic() - start, json.loads(results.read_text())


def bare_start_up(argv: list[str], runs: int = 7) -> float:
    """Median seconds from spawn to the first prompt at a bare pty: the shell alone (as
    root, a shell's prompt may end in `# `)."""
    times = []
    for _ in range(runs):
        start = time.monotonic()
        child = pexpect.spawn(argv[0], argv[1:], dimensions=(24, 1000),
                              env={"PATH": "/usr/bin:/bin", "TERM": "dumb", "HOME": "/tmp"})
        child.expect([r"\$ ", r"# "], timeout=30)
        times.append(time.monotonic() - start)
        child.close(force=True)
    return statistics.median(times)


def phases(name: str, path: Path, tmp: Path) -> None:
    """One test at a time: the median and total of each phase over the tests."""
    wall, data = grade(path, tmp, 1)
    rows = [t["extra_data"]["timings"] for t in data["tests"] if t["extra_data"]["timings"]]
    cells = [f"{1000 * statistics.median(r[k] for r in rows):6.0f} "
             f"{sum(r[k] for r in rows):5.1f}" for k in PHASES]
    bare = bare_start_up([str(path)])
    print(f"{name:24} {' '.join(cells)} {wall:6.1f} {1000 * bare:7.0f}", flush=True)


def import_time(python: str, n: int = 8) -> None:
    """minishell's start-up imports: the total and the heaviest top-level packages."""
    err = subprocess.run([python, "-X", "importtime", "-c",
                          "import minishell.shell.cli, minishell.shell.repl"],
                         capture_output=True, text=True).stderr
    rows = []
    for line in err.splitlines()[1:]:
        self_us, cumulative, name = (x.strip() for x in line.split(":", 1)[1].split("|"))
        if not name.startswith(" "):  # a top-level import (not nested in another)
            rows.append((int(cumulative), name))
    total = sum(c for c, _ in rows)
    print(f"minishell imports (python -X importtime): {total / 1000:.0f} ms in all; heaviest:")
    for cumulative, name in sorted(rows, reverse=True)[:n]:
        print(f"  {cumulative / 1000:7.1f} ms  {name}")


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
    ap.add_argument("--phases", action="store_true",
                    help="where one test's time goes (tests one at a time)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    try:
        subs = {"dash -i (peer)": tmp / "dash-peer"}
        subs["dash -i (peer)"].write_text("#!/bin/sh\nexec dash -i\n")
        subs["dash -i (peer)"].chmod(0o755)
        subs["minishell (reference)"] = Path(sys.executable).with_name("minishell")
        for bug in BUGS:
            exe = tmp / f"tinysh{'_' + bug if bug else ''}"
            subprocess.run(["gcc", "-O2", *([f"-DBUG_{bug}"] if bug else []), "-o", str(exe),
                            str(SOURCE)], check=True)
            subs[exe.name] = exe
        if args.phases:
            print("per test, one at a time: median ms and total s of each phase; wall s of "
                  "the grading; ms to the first prompt at a bare terminal")
            print(f"{'submission':24} " + " ".join(f"{k:>12}" for k in PHASES)
                  + f" {'wall':>6} {'bare':>7}")
            for name in ("dash -i (peer)", "minishell (reference)", "tinysh"):
                phases(name, subs[name], tmp)
            import_time(sys.executable)
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
