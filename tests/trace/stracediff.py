"""Run one program under `strace -f -y` and under `minitrace --raw` and compare the text.

Both tracers write every call line; what differs between two runs of the same program
(pids, addresses, inodes, times, random bytes) is masked, the halves of a call strace split
(`<unfinished ...>` / `<... resumed>`) are joined, and what is left must be the same
multiset of lines.  `differences()` groups what is left by syscall name, so a decoder gap
shows up as "statfs: 3 lines only strace, 3 only minitrace".

Run it by hand on any command (it prints the per-syscall differences):

    python tests/trace/stracediff.py -- ls -la /etc
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tracekit import MINITRACE

STRACE = ["strace", "-f", "-qq", "-y"]
ENV = {**os.environ, "LC_ALL": "C", "PYTHONHASHSEED": "0"}


# Calls whose result is a pid (or tid), and those whose first argument is one: pids are
# masked wherever they are (a pid can be 3 digits long after the numbers wrap around).
RETURNS_PID = re.compile(r"(?:getpid|gettid|getppid|set_tid_address|setsid|getpgrp|getpgid|"
                         r"getsid|fork|vfork|clone|clone3|wait4|waitid)\(.*\) = \d+$")
TAKES_PID = re.compile(r"(kill|tkill|tgkill|pidfd_open|prlimit64|setpgid|getpgid|getsid|"
                       r"wait4|sched_\w+|ptrace\(\w+)\((-?)\d+")


def normalized(line: str) -> str:
    """A call line with what differs between two runs masked: addresses, pids, inodes,
    random bytes, times and strace's column padding."""
    line = re.sub(r"\) +=", ") =", line)
    if RETURNS_PID.match(line):
        line = re.sub(r"= \d+$", "= PID", line)
    line = TAKES_PID.sub(r"\1(\2PID", line)
    line = re.sub(r"(parent_tid|child_tid)=\[\d+\]", r"\1=[PID]", line)
    line = re.sub(r"\b(pid|si_pid|nl_pid)=\d+", r"\1=PID", line)
    line = re.sub(r"procs=\d+", "procs=N", line)           # processes on the machine now
    line = re.sub(r"\bgetcpu\(\[\d+\]", "getcpu([CPU]", line)  # whichever CPU it ran on
    line = re.sub(r"(f_bfree|f_bavail|f_ffree|tms_\w+)=\d+", r"\1=N", line)  # the disk, CPU
    line = re.sub(r"(tv_sec|tv_usec|tv_nsec)=\d+", r"\1=N", line)
    line = re.sub(r"/\* \d{4}-\d\d-\d\dT[\d:.]+[+-]\d{4} \*/", "/* DATE */", line)
    line = re.sub(r"0x[0-9a-f]{5,}", "ADDR", line)
    # pids and inodes in fd paths: 3 digits too, once the numbers wrap around
    line = re.sub(r"/proc/\d+/", "/proc/PID/", line)
    line = re.sub(r":\[\d+\]", ":[INODE]", line)                 # pipe:[812], socket:[97]
    line = re.sub(r"\b\d{4,}\b", "N", line)
    return re.sub(r"(\\x[0-9a-f]{2})+", "RANDOM", line).strip()


def call_lines(text: str) -> list[str]:
    """The call lines of a `-f` trace, the halves of split calls joined, pid prefix off;
    signal and exit lines (`---`, `+++`) and rt_sigreturn are left out: how many SIGCHLDs
    a shell gets depends on timing."""
    lines, started = [], {}      # pid -> the first half of a call strace split
    for raw in text.splitlines():
        pid, _, line = raw.partition(" ")
        if not pid.isdigit():
            pid, line = "", raw
        line = line.lstrip()
        if line.endswith(" <unfinished ...>"):
            started[pid] = line.removesuffix(" <unfinished ...>")
            continue
        if line.startswith("<... "):      # "<... read resumed>rest": join the halves
            line = started.pop(pid, "") + line.split(" resumed>", 1)[1]
        if not line or line.startswith(("---", "+++", "rt_sigreturn(")):
            continue
        lines.append(line)
    return lines


def traced_lines(tracer: list[str], cmd: list[str], cwd: Path, out_dir: Path,
                 env: dict | None = None, stdin=subprocess.DEVNULL,
                 timeout: float = 120) -> Counter:
    """Every call line `tracer` writes for cmd run in cwd (address randomisation off),
    normalized."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / tracer[0].rsplit("/", 1)[-1]
    subprocess.run(["setarch", "x86_64", "-R", *tracer, "-o", str(out), *cmd], cwd=cwd,
                   stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env or ENV, timeout=timeout)
    text = out.read_text(errors="replace") if out.exists() else ""
    return Counter(normalized(line) for line in call_lines(text))


def both(cmd: list[str], setup=None, env: dict | None = None, tmp: Path | None = None,
         stdin=subprocess.DEVNULL, options: tuple[str, ...] = ()) -> tuple[Counter, Counter]:
    """(strace's lines, minitrace's lines) for cmd, each run in a fresh work directory
    that setup(path) fills the same way (so both runs see the same files); `options`
    are given to both tracers (-s 0...)."""
    tmp = Path(tmp or tempfile.mkdtemp(prefix="stracediff"))
    found = []
    for tracer in ([*STRACE, *options], [*MINITRACE, "--raw", *options]):
        work = tmp / "work"
        subprocess.run(["rm", "-rf", str(work)], check=True)
        work.mkdir(parents=True)
        if setup:
            setup(work)
        found.append(traced_lines(tracer, cmd, work, tmp / tracer[0].rsplit("/", 1)[-1],
                                  env=env, stdin=stdin))
    return found[0], found[1]


def differences(theirs: Counter, ours: Counter) -> dict[str, tuple[list[str], list[str]]]:
    """{syscall: (lines only strace printed, lines only minitrace printed)}."""
    by_name: dict[str, tuple[list[str], list[str]]] = {}
    for side, extra in ((0, theirs - ours), (1, ours - theirs)):
        for line, count in extra.items():
            name = line.split("(", 1)[0]
            by_name.setdefault(name, ([], []))[side].extend([line] * count)
    return by_name


def report(diff: dict[str, tuple[list[str], list[str]]], limit: int = 4) -> str:
    """The differences as text: per syscall a count, then a few examples of each side."""
    out = []
    for name in sorted(diff, key=lambda n: -len(diff[n][0]) - len(diff[n][1])):
        theirs, ours = diff[name]
        out.append(f"{name}: {len(theirs)} only strace, {len(ours)} only minitrace")
        out += [f"  strace: {line[:300]}" for line in sorted(theirs)[:limit]]
        out += [f"  ours:   {line[:300]}" for line in sorted(ours)[:limit]]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    cmd = argv[argv.index("--") + 1:] if "--" in argv else argv
    theirs, ours = both(cmd)
    diff = differences(theirs, ours)
    print(f"{sum(theirs.values())} strace lines, "
          f"{sum(len(a) + len(b) for a, b in diff.values())} differing")
    print(report(diff))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
