"""What the kernel says about the shell's processes, read from /proc.

A shell's bugs often print nothing: a child never waited for stays a zombie (state Z in
/proc/PID/stat) until its parent calls wait; a pipe end never closed stays in the shell's
descriptor table (/proc/PID/fd) and keeps the reader from ever seeing end of file. These
checks look at the process tree the way `ps` and `ls -l /proc/PID/fd` would: zombies,
leaked descriptors, a shell stuck for good (every process asleep, not one tick of CPU
used), and, when a pipeline hangs, who holds which end of the pipe (/proc/PID/fdinfo).
"""

from __future__ import annotations

import re
from pathlib import Path

from minishell import procfs

from .session import StepFailed


def runs(root: int, command: str) -> bool:
    """Does a descendant of root run exactly `command` (its argv joined by spaces)?"""
    return any(" ".join(procfs.cmdline(pid)) == command for pid in procfs.descendants(root))


# -- is it stuck? ----------------------------------------------------------------------------

def activity(root: int) -> dict[int, tuple[str, int]]:
    """{pid: (state, CPU ticks used)} of root and its descendants: unchanged over a while,
    and every state a sleep, means nothing is happening and nothing will."""
    snap = {}
    for pid in [root, *procfs.descendants(root)]:
        st = procfs.stat(pid)
        if st is not None:
            snap[pid] = (st[0], int(st[11]) + int(st[12]))  # state, utime + stime
    return snap


def all_blocked(snap: dict[int, tuple[str, int]]) -> bool:
    """Every process asleep (S), stopped (T, t) or dead (Z): none running or on disk."""
    return bool(snap) and all(state in "STtZ" for state, _ in snap.values())


# -- why a pipeline hangs -------------------------------------------------------------------

def _pipe_ends(pid: int) -> dict[int, tuple[str, bool]]:
    """{fd: (pipe:[inode], is_write_end)} of a process. The link names the pipe; its
    fdinfo's flags tell the end (O_WRONLY is access mode 1)."""
    ends = {}
    for fd, target in procfs.fds(pid).items():
        if target.startswith("pipe:"):
            info = procfs.read(pid, f"fdinfo/{fd}").decode(errors="replace")
            flags = next((line.split()[1] for line in info.splitlines()
                          if line.startswith("flags:")), "0")
            ends[fd] = (target, int(flags, 8) & 3 == 1)
    return ends


def seen_pid(pid: int) -> int:
    """The pid as the shell itself sees it: inside bubblewrap's pid namespace it is the
    last number of NSpid (the grader, outside, sees another)."""
    nspid = procfs.status(pid).get("NSpid", "").split()
    return int(nspid[-1]) if nspid else pid


def _who(pid: int, shell: int, reader: int, fd: int) -> str:
    if pid == shell:
        return f"the shell itself (fd {fd})"
    if pid == reader:
        return f"`{procfs.comm(pid)}` itself (fd {fd})"
    return f"`{procfs.comm(pid)}` (pid {seen_pid(pid)}, fd {fd})"


def diagnose_pipes(shell: int) -> list[str]:
    """Why a pipeline never ends, in the words of the fix: a reader waiting for an end of
    file that cannot come (someone else still holds a write end), or a writer blocked on a
    pipe nobody reads (the next stage was never started)."""
    procs = [shell, *procfs.descendants(shell)]
    ends = {pid: _pipe_ends(pid) for pid in procs if procfs.state(pid) not in ("", "Z")}
    found = []
    for pid, table in ends.items():
        if pid == shell or procfs.state(pid) != "S":
            continue
        if 0 in table and not table[0][1]:  # it reads a pipe on stdin
            pipe = table[0][0]
            writers = [(q, fd) for q, t in ends.items() for fd, (name, w) in t.items()
                       if name == pipe and w]
            if any(q not in (pid, shell) and fd == 1 for q, fd in writers):
                continue  # the stage before is still writing: no end of file yet, rightly
            if writers:
                where = ", ".join(_who(q, shell, pid, fd) for q, fd in writers)
                found.append(f"`{procfs.comm(pid)}` never saw end of file: a write end of "
                             f"the pipe it reads is still open in {where}")
        if 1 in table and table[1][1]:  # it writes a pipe on stdout
            found += _blocked_writer(pid, table[1][0], ends, shell)
    return found


def diagnose_foreground(shell: int, command: str) -> list[str]:
    """Why a foreground job never got the Ctrl-C: it runs in a process group that is not
    the terminal's foreground group (setpgid without tcsetpgrp). The terminal sends
    Ctrl-C's SIGINT to its foreground group only, and kill -INT -PGID reaches that group."""
    st = procfs.stat(shell)
    if st is None:
        return []
    tpgid = int(st[5])
    for pid in procfs.descendants(shell):
        kid = procfs.stat(pid)
        if kid is None or kid[0] == "Z" or int(kid[2]) == tpgid \
                or " ".join(procfs.cmdline(pid)) != command:
            continue
        whose = "the shell's own group" if int(st[2]) == tpgid else "another group"
        return [f"`{command}` still runs in a process group that is not the terminal's "
                f"foreground group ({whose} is), so the Ctrl-C (SIGINT to the foreground "
                "group) never reached it: after setpgid, give the job the terminal with "
                "tcsetpgrp, and take it back when the job ends"]
    return []


def _blocked_writer(pid: int, pipe: str, ends: dict, shell: int) -> list[str]:
    """A writer asleep on a pipe no other process reads: never started, or gone while the
    shell keeps a read end (then no SIGPIPE ever tells the writer to stop)."""
    if any(name == pipe and not w and q not in (pid, shell)
           for q, t in ends.items() for name, w in t.values()):
        return []  # someone reads it: a slow reader, not our business
    me = f"`{procfs.comm(pid)}`"
    held = [fd for fd, (name, w) in ends.get(shell, {}).items() if name == pipe and not w]
    if any(kid != pid for kid in procfs.children(shell)):
        if held:
            return [f"{me} never got SIGPIPE: the command reading its output is gone, but a "
                    f"read end of the pipe is still open in the shell itself (fd {held[0]})"]
        return []
    return [f"{me} is blocked writing into a pipe that no process reads: the next stage of "
            "the pipeline was never started (start every stage before waiting for any)"]


def check_zombies(shell: int, screen: str = "", typed: list[str] | None = None) -> None:
    """No child of the shell is a zombie: every child was waited for. Each zombie is named
    as the student knows it: the line that started it, what the shell printed about it."""
    zombies = [kid for kid in procfs.children(shell) if procfs.state(kid) == "Z"]
    if zombies:
        raise StepFailed(f"the shell left {len(zombies)} zombie child(ren): it never called "
                         "wait/waitpid for them",
                         "zombies:\n" + "\n".join("  " + _zombie(kid, screen, typed or [])
                                                   for kid in zombies))


def _programs(line: str) -> set[str]:
    """The program names a command line starts: the first word of each pipeline stage."""
    return {stage.split()[0].rsplit("/", 1)[-1] for stage in line.split("|") if stage.split()}


def _zombie(pid: int, screen: str, typed: list[str]) -> str:
    """`pid 7 (sleep), started by `sleep 1 &`, shown by the shell as `[1] 7``: the row of
    the screen naming the pid, and the line typed last before that row."""
    comm, ns = procfs.comm(pid) or "?", seen_pid(pid)
    words = f"pid {ns} ({comm})"
    started, shown, line_now = None, None, None
    for row in screen.splitlines():
        line_now = next((t for t in typed if t.strip() and row.endswith(t)), line_now)
        # Only a background job's notice ("[1] 4242") is taken for the shell naming it:
        # any other number in a command's output may be a pid only by chance.
        if line_now and line_now.rstrip().endswith("&") and not row.endswith(line_now) \
                and re.search(rf"(?<![\w.]){ns}(?![\w.])", row):
            started, shown = line_now, row.strip()
    if started is None:  # the shell said nothing about it: the line that ran this program
        candidates = [t for t in typed if comm in _programs(t)]
        started = candidates[0] if len(set(candidates)) == 1 else None
    if started:
        words += f", started by `{started}`"
    if shown:
        words += f", shown by the shell as `{shown}`"
    return words


def check_fds(shell: int, baseline: dict[int, str] | None, folder: Path) -> None:
    """The shell holds no pipe, nor file of the test's folder, it did not hold at first."""
    base = baseline or {}
    leaked = {fd: t for fd, t in procfs.fds(shell).items()
              if base.get(fd) != t and (t.startswith("pipe:") or t.startswith(str(folder)))}
    if leaked:
        listing = ", ".join(f"fd {fd} -> {t}" for fd, t in sorted(leaked.items()))
        raise StepFailed("the shell kept file descriptors open after the command ended "
                         "(close pipe ends and redirected files in the shell)", listing)
