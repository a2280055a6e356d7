"""What the kernel says about the shell's processes, read from /proc.

A shell's bugs often print nothing: a child never waited for stays a zombie (state Z in
/proc/PID/stat) until its parent calls wait; a pipe end never closed stays in the shell's
descriptor table (/proc/PID/fd) and keeps the reader from ever seeing end of file. These
checks look at the process tree the way `ps` and `ls -l /proc/PID/fd` would.
"""

from __future__ import annotations

from pathlib import Path

from minishell import procfs

from .session import StepFailed


def runs(root: int, command: str) -> bool:
    """Does a descendant of root run exactly `command` (its argv joined by spaces)?"""
    return any(" ".join(procfs.cmdline(pid)) == command for pid in procfs.descendants(root))


def check_zombies(shell: int) -> None:
    """No child of the shell is a zombie: every child was waited for."""
    zombies = [f"{kid} ({procfs.comm(kid) or '?'})" for kid in procfs.children(shell)
               if procfs.state(kid) == "Z"]
    if zombies:
        raise StepFailed(f"the shell left {len(zombies)} zombie child(ren): it never called "
                         "wait/waitpid for them", "zombies: " + ", ".join(zombies))


def check_fds(shell: int, baseline: dict[int, str] | None, folder: Path) -> None:
    """The shell holds no pipe, nor file of the test's folder, it did not hold at first."""
    base = baseline or {}
    leaked = {fd: t for fd, t in procfs.fds(shell).items()
              if base.get(fd) != t and (t.startswith("pipe:") or t.startswith(str(folder)))}
    if leaked:
        listing = ", ".join(f"fd {fd} -> {t}" for fd, t in sorted(leaked.items()))
        raise StepFailed("the shell kept file descriptors open after the command ended "
                         "(close pipe ends and redirected files in the shell)", listing)
