"""Helpers for the tracer's tests: run minitrace and strace for real and read their output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MINITRACE = [sys.executable, "-m", "minishell.trace"]


def run_minitrace(*args: str, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    """minitrace ARGS, output captured as text."""
    return subprocess.run([*MINITRACE, *args], capture_output=True, text=True,
                          timeout=timeout, **kw)


def parse_summary(text: str) -> dict[str, tuple[int, int]]:
    """strace's -c table (ours has the same layout) -> {syscall: (calls, errors)}."""
    rows = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 5 or not parts[0].replace(".", "").isdigit() or parts[-1] == "total":
            continue
        name = parts[-1]
        numbers = parts[1:-1]  # seconds, usecs/call, calls, [errors]
        calls = int(numbers[2])
        errors = int(numbers[3]) if len(numbers) > 3 else 0
        rows[name] = (calls, errors)
    return rows


def strace_summary(cmd: list[str], tmp: Path, **kw) -> dict[str, tuple[int, int]]:
    out = tmp / "strace.txt"
    subprocess.run(["strace", "-f", "-c", "-o", str(out), *cmd], check=True,
                   capture_output=True, timeout=120, **kw)
    return parse_summary(out.read_text())


def minitrace_summary(cmd: list[str], tmp: Path, **kw) -> dict[str, tuple[int, int]]:
    out = tmp / "minitrace.txt"
    r = run_minitrace("-c", "-o", str(out), *cmd, **kw)
    assert r.returncode == 0, r.stderr
    return parse_summary(out.read_text())


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
