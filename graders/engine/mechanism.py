"""Did the shell do the work itself? The system calls minitrace recorded are the evidence.

A shell is fork + execve + waitpid (+ pipe and dup2 for `|` and `>`). A program that hands
the line to system() or popen() makes none of these itself: /bin/sh does, after `sh -c`.
The ptrace record shows which process made which call, so the judge can tell them apart.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..model import Outcome
from ..sandbox import Sandbox
from .session import StepFailed

SHELLS = {"sh", "bash", "dash", "zsh", "ksh", "mksh", "busybox", "ash", "fish"}


def check_mechanism(events: list[dict], needs: tuple[str, ...]) -> list[str]:
    """What the traced shell failed to do itself; [] when it really forked, exec'd, waited,
    piped and redirected, and never handed a command line to `sh -c`."""
    starts = [e for e in events if e.get("type") == "start"]
    if not starts:
        return ["the trace is empty: the shell did not start under the tracer"]
    shell = starts[0]["pid"]  # minitrace's first process is the command it was given
    calls: dict[int, set[str]] = {}
    for e in events:
        if e.get("type") == "syscall":
            calls.setdefault(e["pid"], set()).add(e["name"])
    mine = calls.get(shell, set())
    kids = {e["child"] for e in events if e.get("type") == "spawn" and e["pid"] == shell
            and e.get("kind") != "thread"}
    execs_in_kids = [e for e in events if e.get("type") == "exec" and e["pid"] in kids]
    problems = []
    if "fork" in needs and not kids:
        problems.append("the shell never created a process (fork/clone)")
    if "exec" in needs and not execs_in_kids:
        problems.append("no child of the shell called execve")
    if "wait" in needs and not mine & {"wait4", "waitid"}:
        problems.append("the shell never called wait4/waitpid/waitid")
    family = {shell} | kids
    if "pipe" in needs and not any(calls.get(p, set()) & {"pipe", "pipe2"} for p in family):
        problems.append("the shell never called pipe")
    if "dup" in needs and not any(calls.get(p, set()) & {"dup", "dup2", "dup3"} for p in family):
        problems.append("no dup2 (or dup) call redirected a file descriptor")
    for e in events:
        if e.get("type") != "exec" or e["pid"] == shell or len(e.get("argv") or []) < 2:
            continue
        prog = os.path.basename(e.get("path") or e["argv"][0])
        if prog in SHELLS and e["argv"][1] == "-c":
            problems.append(f"a command was handed to `{prog} -c` (system() or popen()): "
                            f"{' '.join(e['argv'][:3])!r}")
            break
    return problems


def judge_trace(trace_file: Path, needs: tuple[str, ...]) -> None:
    """Read minitrace's --json record and fail the step with what the shell did not do."""
    try:
        lines = trace_file.read_text().splitlines()
        events = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise StepFailed(f"minitrace left no readable trace ({exc})",
                         outcome=Outcome.ERROR) from exc
    problems = check_mechanism(events, needs)
    if problems:
        raise StepFailed("the shell did not do the work itself: " + "; ".join(problems),
                         f"{len(events)} events traced")


def find_tracer(sandbox: Sandbox) -> tuple[list[str] | None, str]:
    """minitrace's argv when it can trace inside this sandbox, else (None, why): ptrace
    forbidden, the interpreter unreadable by the sandbox user... The mechanism test is then
    the grader's ERROR, with this reason: never blamed on the student, never passed
    silently. minitrace is part of this toolkit: without its script on PATH (a checkout
    run as `python -m graders`), its module is run."""
    exe = Path(sys.executable).with_name("minitrace")
    found = str(exe) if exe.exists() else shutil.which("minitrace")
    argv = [found] if found else [sys.executable, "-m", "minishell.trace"]
    probe = sandbox.workdir / ".tracer-probe.jsonl"
    # Started by hand rather than with sandbox.run, whose cleanup sweeps every process of
    # the sandbox's user: tests may be running beside the probe.
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(sandbox.command([*argv, "--json", "-o", str(probe), "--",
                                                 "/bin/true"]),
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        finally:
            sandbox.kill_all(proc.pid, whole_uid=False)
            proc.wait()
        out.seek(0)
        said = out.read(10_000).decode(errors="replace")
    ok = proc.returncode == 0 and probe.exists() and '"exec"' in probe.read_text()
    probe.unlink(missing_ok=True)
    if not ok:
        why = (said.strip().splitlines() or [f"status {proc.returncode}"])[-1]
        return None, f"minitrace cannot trace in this sandbox ({why})" + sandbox.closed_hint()
    return argv, "ok"
