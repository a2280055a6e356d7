"""Reading /proc: the kernel's own view of every process, in one place.

/proc/PID is how Linux lets user space see a process from outside: its state and
parent (stat), its ids and signal masks (status), its open files (fd/N are symbolic
links to what each descriptor refers to: a path, pipe:[ID], socket:[ID]), its
children (task/TID/children).  The tracer's fd pictures, the graders' zombie and
fd-leak checks and the lessons' checks all read it here.

Why not psutil for all of it: psutil lists only regular files among open fds (a
pipe end, the very thing lessons 4 and 5 are about, is invisible to it), and the
tracer reads these files at ptrace stops where every microsecond counts.  psutil
serves well for whole-system questions; these few readers are what we need.
Every reader returns an empty/None result for a process that has vanished: between
listing /proc and reading a file of it, any process may exit.
"""

import os


def read(pid: int, name: str) -> bytes:
    """The bytes of /proc/PID/NAME, or b"" if the process (or the file) is gone."""
    try:
        with open(f"/proc/{pid}/{name}", "rb") as f:
            return f.read()
    except OSError:
        return b""


def pids() -> list[int]:
    """Every process id on the system (in this pid namespace) right now."""
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


def stat(pid: int) -> list[str] | None:
    """/proc/PID/stat fields after "(comm)": [0] state, [1] ppid, [2] pgrp, [3] session,
    [5] tpgid, [7] minflt, [9] majflt.  None if the process is gone.  The command name
    may hold spaces and parentheses, so the fields start after the last ")"."""
    data = read(pid, "stat")
    if not data:
        return None
    return data[data.rindex(b")") + 2:].decode().split()


def state(pid: int) -> str:
    """R, S, D, T, t, Z, X...; "" if the process is gone."""
    st = stat(pid)
    return st[0] if st else ""


def ppid(pid: int) -> int | None:
    st = stat(pid)
    return int(st[1]) if st else None


def status(pid: int) -> dict[str, str]:
    """/proc/PID/status as a dict: Tgid, PPid, Uid, NSpid, SigIgn, SigBlk, SigCgt..."""
    fields = {}
    for line in read(pid, "status").decode(errors="replace").splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def tgid(tid: int) -> int:
    """The process (thread group) a thread belongs to."""
    value = status(tid).get("Tgid")
    return int(value) if value else tid


def cmdline(pid: int) -> list[str]:
    """The argv a process was started with (empty for a zombie or a kernel thread)."""
    raw = read(pid, "cmdline")
    return [a.decode(errors="replace") for a in raw.split(b"\0")[:-1]] if raw else []


def comm(pid: int) -> str:
    return read(pid, "comm").decode(errors="replace").strip()


def fds(pid: int) -> dict[int, str]:
    """The open fds of a process and what each refers to, in fd order."""
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return {}
    table = {}
    for name in sorted(names, key=int):
        try:
            table[int(name)] = os.readlink(f"/proc/{pid}/fd/{name}")
        except OSError:
            pass  # closed between listdir and readlink
    return table


O_CLOEXEC = 0o2000000


def fd_flags(pid: int, fd: int) -> int | None:
    """The file status flags of an fd, O_CLOEXEC among them ("flags:" in octal in
    /proc/PID/fdinfo/FD); None if the fd or the process is gone."""
    for line in read(pid, f"fdinfo/{fd}").splitlines():
        if line.startswith(b"flags:"):
            return int(line.split()[1], 8)
    return None


def exec_fds(pid: int) -> dict[int, str]:
    """The fds that would survive an execve by pid now: those without close-on-exec."""
    return {fd: target for fd, target in fds(pid).items()
            if not (fd_flags(pid, fd) or 0) & O_CLOEXEC}


def fd_target(pid: int, fd: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/fd/{fd}")
    except OSError:
        return None


def children(pid: int) -> list[int]:
    """Direct children of a process: every thread's task/TID/children (a child belongs
    to the thread that forked it).  Needs CONFIG_PROC_CHILDREN, as Debian has."""
    kids: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tids:
        kids += [int(p) for p in read(pid, f"task/{tid}/children").split()]
    return kids


def descendants(pid: int) -> list[int]:
    """Children, grandchildren...: the process tree below pid."""
    found, todo = [], children(pid)
    while todo:
        child = todo.pop()
        found.append(child)
        todo += children(child)
    return found


def page_faults(pid: int, tid: int | None = None) -> tuple[int, int] | None:
    """(minflt, majflt) of a process, or of one of its threads."""
    data = read(pid, f"task/{tid}/stat" if tid is not None else "stat")
    if not data:
        return None
    fields = data[data.rindex(b")") + 2:].split()
    return int(fields[7]), int(fields[9])


def owner(pid: int) -> int | None:
    """The uid owning /proc/PID (a cheap stat, no file read)."""
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None
