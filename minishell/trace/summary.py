"""`minitrace -c`: how many times each system call was made, how often it failed, and
how long it took -- the first question to ask of a slow or misbehaving program.

The table has strace's layout, sorted by time.  The time is the wall-clock time
between the call's entry and exit stops (strace -c -w), which includes the time the
call spent blocked, not only CPU time in the kernel.  As in strace, a call that never
returned (exit_group, a process killed inside a call) is not counted.
"""

from __future__ import annotations

from collections import defaultdict

from minishell.trace.events import MAX_ERRNO, SyscallEvent
from minishell.trace.syscalls import lookup

HEADER = ("% time     seconds  usecs/call     calls    errors syscall\n"
          "------ ----------- ----------- --------- --------- ----------------\n")
RULE = "------ ----------- ----------- --------- --------- ----------------\n"


class Counts:
    """calls, errors and total seconds per syscall number."""

    __slots__ = ("calls", "errors", "seconds")

    def __init__(self) -> None:
        self.calls: dict[int, int] = defaultdict(int)
        self.errors: dict[int, int] = defaultdict(int)
        self.seconds: dict[int, float] = defaultdict(float)


class Summary:
    """Collects syscall events (the engine's objects: no decoding is needed)."""

    def __init__(self) -> None:
        self.total = Counts()
        self.by_pid: dict[int, Counts] = {}
        self.names: dict[int, str] = {}   # pid -> program, for the per-process headings

    def add(self, ev: SyscallEvent) -> None:
        if ev.ret is None:
            return  # never returned (exit_group, killed inside): strace -c leaves these out
        for counts in (self.total, self.by_pid.get(ev.pid) or self._new(ev.pid)):
            counts.calls[ev.nr] += 1
            counts.seconds[ev.nr] += ev.end - ev.ts
            if -MAX_ERRNO <= ev.ret < 0:
                counts.errors[ev.nr] += 1

    def _new(self, pid: int) -> Counts:
        counts = self.by_pid[pid] = Counts()
        return counts

    def table(self, per_process: bool = False) -> str:
        if not per_process:
            return format_table(self.total)
        parts = []
        for pid, counts in self.by_pid.items():
            name = self.names.get(pid)
            parts.append(f"PID {pid}" + (f" ({name})" if name else "") + ":\n")
            parts.append(format_table(counts))
            parts.append("\n")
        parts.append("All processes:\n" + format_table(self.total))
        return "".join(parts)


def format_table(counts: Counts) -> str:
    total_time = sum(counts.seconds.values())
    rows = sorted(counts.calls, key=lambda nr: (-counts.seconds[nr], -counts.calls[nr],
                                                lookup(nr).name))
    out = [HEADER]
    for nr in rows:
        out.append(_row(counts.seconds[nr], total_time, counts.calls[nr], counts.errors[nr],
                        lookup(nr).name))
    out.append(RULE)
    out.append(_row(total_time, total_time, sum(counts.calls.values()),
                    sum(counts.errors.values()), "total"))
    return "".join(out)


def _row(seconds: float, total_time: float, calls: int, errors: int, name: str) -> str:
    percent = 100.0 * seconds / total_time if total_time else 0.0
    usecs = round(seconds * 1e6) // calls if calls else 0  # whole microseconds, as strace
    return (f"{percent:6.2f} {seconds:11.6f} {usecs:11d} {calls:9d} "
            f"{errors if errors else '':>9} {name}\n")
