"""File-descriptor tables over time: the kernel's per-process array of open files.

A file descriptor is a small integer that indexes the process's fd table; each
entry points at an open object (a file, one end of a pipe, a socket, a
terminal). fork() copies the whole table, dup2() makes one entry point where
another points, close() empties an entry, and execve() keeps every entry except
those marked close-on-exec (O_CLOEXEC / FD_CLOEXEC). Pipelines work only when
each process closes the pipe ends it does not use: a reader sees end-of-file
only once *every* write end, in every process, is closed.

`replay` re-enacts those rules over the trace events; `render_fds` prints one
line per change and warns about the classic bugs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rich.text import Text

from minishell.trace.render_tree import Colours, to_string
from minishell.trace.syscalls import BY_NAME

O_CLOEXEC = 0o2000000  # also SOCK_CLOEXEC, EPOLL_CLOEXEC, EFD_CLOEXEC, TFD_CLOEXEC, IN_CLOEXEC
FD_CLOEXEC = 1
F_DUPFD, F_SETFD, F_DUPFD_CLOEXEC = 0, 2, 1030
CLOSE_RANGE_CLOEXEC = 4

# Calls that create fds with a close-on-exec flag: name -> (argument index, flag bit).
CLOEXEC_FLAG = {
    "open": (1, O_CLOEXEC), "openat": (2, O_CLOEXEC), "pipe2": (1, O_CLOEXEC),
    "dup3": (2, O_CLOEXEC), "socket": (1, O_CLOEXEC), "socketpair": (1, O_CLOEXEC),
    "accept4": (3, O_CLOEXEC), "epoll_create1": (0, O_CLOEXEC), "eventfd2": (1, O_CLOEXEC),
    "timerfd_create": (1, O_CLOEXEC), "signalfd4": (3, O_CLOEXEC),
    "inotify_init1": (0, O_CLOEXEC), "fanotify_init": (0, O_CLOEXEC),
    "memfd_create": (1, 1), "userfaultfd": (0, O_CLOEXEC),
}
OPENS = {"open", "openat", "openat2", "creat"}
ALWAYS_CLOEXEC = {"pidfd_open", "pidfd_getfd", "io_uring_setup", "perf_event_open"}
# Calls that read: a pipe read end used by them is a reader waiting for EOF.
READS = {"read", "readv", "pread64", "preadv", "preadv2", "splice", "recvfrom", "recvmsg"}


def args_of_kind(name: str, *kinds: str) -> list[int]:
    """Indexes of the arguments of syscall `name` whose kind (in syscalls.py) is one of `kinds`."""
    known = BY_NAME.get(name)
    return [i for i, p in enumerate(known.params) if p.kind in kinds] if known else []


def captured(ev: dict, *kinds: str):
    """The first value the engine captured for an argument of one of these kinds (or None)."""
    cap = ev.get("cap") or {}
    for i in args_of_kind(ev["name"], *kinds):
        if cap.get(str(i)) is not None:
            return cap[str(i)]
    return None


def signed(value: int) -> int:
    """A raw register read as a C int (fds like AT_FDCWD arrive as big unsigned numbers)."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


@dataclass(frozen=True)
class Fd:
    """One entry of a process's fd table."""

    target: str  # what /proc/PID/fd/N links to: a path, pipe:[id], socket:[id], ...
    end: str | None = None  # "read" or "write" for a pipe end
    cloexec: bool = False
    inherited_from: int | None = None  # parent pid while the child has not touched it
    ambient: bool = False  # open before the trace began: the traced program did not make it
    opened_by: int | None = None  # index of the change that opened this file, while nothing
    # but this process has seen it (no fork, no dup): closing it then is routine, not news

    def label(self) -> str:
        text = self.target
        if self.end:
            text += f" {self.end} end"
        elif self.target.startswith(("/dev/pts/", "/dev/tty")) or self.target == "/dev/console":
            text += " (tty)"
        return text

    def short(self) -> str:
        """Compact form for a table line: `pipe:[7]w`, `tty`, `passwd`."""
        if self.end:
            return self.target + self.end[0]
        if self.target.startswith(("/dev/pts/", "/dev/tty")):
            return "tty"
        return self.target if len(self.target) <= 24 else "…" + self.target[-23:]


@dataclass
class Change:
    """One change to one process's fd table (or a snapshot: start, fork, exec)."""

    ts: float
    pid: int
    what: str  # the cause, e.g. `dup2(4, 1)` or `fork from 100`
    effects: list[str]  # e.g. ["+3 pipe:[7] read end", "-4"]
    table: dict[int, Fd]  # the table after the change
    show_table: bool = False  # print the whole table (start, fork, exec)
    routine: bool = False  # a file opened and closed again by one process (folded in the text)


@dataclass
class FdWarning:
    """A classic fd bug seen in the trace, said so a student can fix it."""

    ts: float
    pid: int
    text: str


@dataclass
class FdHistory:
    """Everything `replay` learned: the changes in order, and the warnings."""

    changes: list[Change] = field(default_factory=list)
    warnings: list[FdWarning] = field(default_factory=list)
    # event index -> index into `changes` of the latest change of that event's
    # process at that moment (-1: none yet), so a picture can show "the table now".
    change_at: dict[int, int] = field(default_factory=dict)
    made_by: dict[int, int] = field(default_factory=dict)  # event index -> the change it made

    def table_at(self, index: int) -> dict[int, Fd]:
        i = self.change_at.get(index, -1)
        return self.changes[i].table if i >= 0 else {}


class _Replay:
    def __init__(self) -> None:
        self.tables: dict[int, dict[int, Fd]] = {}
        self.owner: dict[int, int] = {}  # thread id -> the process whose table it shares
        self.names: dict[int, str] = {}  # pid -> program name
        self.history = FdHistory()
        self.last_change: dict[int, int] = {}
        self.warned: set[tuple[int, str]] = set()
        self.routine_close = False  # the call being applied closed a routine file

    # -- helpers -------------------------------------------------------
    def pid_of(self, ev: dict) -> int:
        pid = ev.get("pid")
        return self.owner.get(pid, pid)

    def record(self, ts: float, pid: int, what: str, effects: list[str], show: bool = False):
        table = dict(sorted(self.tables.setdefault(pid, {}).items()))
        self.history.changes.append(Change(ts, pid, what, effects, table, show))
        self.last_change[pid] = len(self.history.changes) - 1

    def warn(self, ts: float, pid: int, key: str, text: str) -> None:
        if (pid, key) not in self.warned:
            self.warned.add((pid, key))
            self.history.warnings.append(FdWarning(ts, pid, text))

    def who(self, pid: int) -> str:
        return f"{self.names.get(pid, '?')} [{pid}]"

    # -- events --------------------------------------------------------
    def start(self, ev: dict) -> None:
        pid = ev["pid"]
        if ev.get("argv"):
            self.names[pid] = ev["argv"][0].rsplit("/", 1)[-1]
        table = self.tables.setdefault(pid, {})
        for fd, target in (ev.get("fds") or {}).items():
            table[int(fd)] = Fd(target, end=_inherited_pipe_end(int(fd), target), ambient=True)
        self.record(ev.get("ts", 0.0), pid, "start", [], show=True)

    def spawn(self, ev: dict) -> None:
        parent, child = self.pid_of(ev), ev["child"]
        if ev.get("kind") == "thread":
            self.owner[child] = parent  # threads share one fd table
            return
        self.names[child] = self.names.get(parent, "?")
        parent_table = self.tables.setdefault(parent, {})
        for fd, entry in parent_table.items():
            parent_table[fd] = replace(entry, opened_by=None)
        self.tables[child] = {
            fd: replace(entry, inherited_from=parent) for fd, entry in parent_table.items()
        }
        self.record(ev["ts"], child, f"{ev.get('kind', 'fork')} from {self.who(parent)}",
                    ["inherits " + (" ".join(map(str, sorted(self.tables[child]))) or "nothing")],
                    show=True)

    def exec(self, ev: dict) -> None:
        pid = self.pid_of(ev)
        table = self.tables.setdefault(pid, {})
        program = (ev.get("argv") or [ev.get("path", "?")])[0].rsplit("/", 1)[-1]
        self.check_unused_inherited(ev["ts"], pid, f"exec of {program}")
        dropped = sorted(fd for fd, entry in table.items() if entry.cloexec)
        kernel = ev.get("fds")  # the table /proc showed right after exec, if recorded
        if kernel is not None:  # the truth, even for flags set where we did not look
            kernel = {int(fd): target for fd, target in kernel.items()}
            dropped = sorted(fd for fd in table if fd not in kernel)
            for fd, target in kernel.items():
                if fd not in table or table[fd].target != target:
                    table[fd] = Fd(target, end=_inherited_pipe_end(fd, target), ambient=True)
        for fd in dropped:
            del table[fd]
        for fd, entry in table.items():
            table[fd] = replace(entry, inherited_from=None)
        self.names[pid] = program
        effects = [f"O_CLOEXEC closes {' '.join(map(str, dropped))}"] if dropped else []
        self.record(ev["ts"], pid, f"exec {program}", effects, show=True)
        self.check_stdin_pipe(ev["ts"], pid)

    def exit(self, ev: dict) -> None:
        pid = ev["pid"]
        if pid in self.owner or pid not in self.tables:
            return
        self.check_unused_inherited(ev["ts"], pid, "exit")
        closed = sorted(self.tables[pid])
        self.tables[pid] = {}
        self.record(ev["ts"], pid, "exit",
                    [f"the kernel closes {' '.join(map(str, closed))}"] if closed else [])

    def syscall(self, ev: dict) -> None:
        pid = self.pid_of(ev)
        table = self.tables.setdefault(pid, {})
        name, args = ev["name"], ev.get("args") or [0] * 6
        self.mark_used(ev, pid, table)
        if name in READS and not ev.get("err"):
            self.check_reader(ev, pid, table)
        ts = ev["ts"] + (ev.get("dur") or 0.0)
        self.routine_close = False
        effects = self.apply(ev, name, args, table)
        if effects:
            self.record(ts, pid, _call(ev), effects)
            self.history.changes[-1].routine = self.routine_close

    def apply(self, ev: dict, name: str, args: list[int], table: dict[int, Fd]) -> list[str]:
        """Change `table` as the call did; return what changed, for people."""
        ret, err = ev.get("ret"), ev.get("err")
        effects: list[str] = []

        def put(fd: int, entry: Fd) -> None:
            old = table.get(fd)
            table[fd] = entry
            flag = " (cloexec)" if entry.cloexec else ""
            was = f" (was {old.label()})" if old and old.target != entry.target else ""
            effects.append(f"+{fd} {entry.label()}{flag}{was}")

        def drop(fd: int) -> None:
            if fd in table:
                entry = table.pop(fd)
                effects.append(f"-{fd} {entry.label()}")
                if name == "close" and entry.opened_by is not None:
                    self.history.changes[entry.opened_by].routine = True
                    self.routine_close = True

        if name == "close":
            if err != "EBADF":  # close frees the fd even when it reports EINTR or EIO
                drop(signed(args[0]))
        elif name == "close_range" and not err:
            first, last = signed(args[0]), args[1] & 0xFFFFFFFF
            for fd in sorted(fd for fd in table if first <= fd <= last):
                if args[2] & CLOSE_RANGE_CLOEXEC:
                    table[fd] = replace(table[fd], cloexec=True)
                    effects.append(f"{fd} cloexec")
                else:
                    drop(fd)
        elif err or not isinstance(ret, int) or ret < 0:
            return effects
        elif name in ("dup", "dup2", "dup3") or name == "fcntl" and args[1] in (
                F_DUPFD, F_DUPFD_CLOEXEC):
            source = signed(args[0])
            if source in table:  # both fds now share one open file: neither is routine
                table[source] = replace(table[source], opened_by=None)
            old = table.get(source) or next((Fd(t) for _, t in _created(ev, ret)), None)
            if ret != source and old is not None:
                cloexec = (name == "fcntl" and args[1] == F_DUPFD_CLOEXEC
                           or name == "dup3" and bool(args[2] & O_CLOEXEC))
                put(ret, replace(old, cloexec=cloexec, inherited_from=None, ambient=False,
                                 opened_by=None))
        elif name == "fcntl" and args[1] == F_SETFD and signed(args[0]) in table:
            fd = signed(args[0])
            table[fd] = replace(table[fd], cloexec=bool(args[2] & FD_CLOEXEC))
            effects.append(f"{fd} cloexec {'on' if table[fd].cloexec else 'off'}")
        else:
            created = _created(ev, ret)
            cloexec = name in ALWAYS_CLOEXEC
            if name in CLOEXEC_FLAG:
                index, bit = CLOEXEC_FLAG[name]
                cloexec = bool(args[index] & bit)
            pipe = name in ("pipe", "pipe2") and len(created) == 2
            opened_by = len(self.history.changes) if name in OPENS else None
            for i, (fd, target) in enumerate(created):
                end = ("read", "write")[i] if pipe else None
                put(fd, Fd(target, end=end, cloexec=cloexec, opened_by=opened_by))
        return effects

    # -- the classic bugs ----------------------------------------------
    def mark_used(self, ev: dict, pid: int, table: dict[int, Fd]) -> None:
        args = ev.get("args") or []
        for i in args_of_kind(ev["name"], "fd", "dirfd"):
            fd = signed(args[i]) if i < len(args) else -1
            if fd in table and table[fd].inherited_from is not None:
                table[fd] = replace(table[fd], inherited_from=None)

    def check_unused_inherited(self, ts: float, pid: int, moment: str) -> None:
        for fd, entry in sorted(self.tables.get(pid, {}).items()):
            if fd <= 2 or entry.inherited_from is None or entry.ambient:
                continue  # stdio is meant to be inherited; an fd open before the trace
                # began is its launcher's leak, not the traced program's bug
            if moment == "exit" and not entry.target.startswith(("pipe:", "socket:")):
                continue  # a file held until exit harms no one; a pipe end keeps a peer waiting
            if moment != "exit" and entry.cloexec:
                continue  # exec will close it
            self.warn(ts, pid, f"inherit {fd}",
                      f"{self.who(pid)} inherited fd {fd} ({entry.label()}) from "
                      f"{self.who(entry.inherited_from)} and never used or closed it "
                      f"before {moment}" + ("" if moment == "exit" else
                                            ": it leaks into the new program"))

    def check_reader(self, ev: dict, pid: int, table: dict[int, Fd]) -> None:
        fd = signed(ev["args"][0])
        entry = table.get(fd)
        if entry is None or entry.end != "read":
            return
        writers = [w for w, e in table.items() if e.target == entry.target and e.end == "write"]
        if writers:
            self.warn(ev["ts"], pid, entry.target,
                      f"{self.who(pid)} reads {entry.target} (fd {fd}) but still holds its "
                      f"write end (fd {' '.join(map(str, writers))}): end-of-file will never "
                      f"come, because a pipe reports EOF only when every write end is closed")

    def check_stdin_pipe(self, ts: float, pid: int) -> None:
        table = self.tables[pid]
        stdin = table.get(0)
        if stdin is None or stdin.end != "read":
            return
        writers = [w for w, e in table.items() if e.target == stdin.target and e.end == "write"]
        if writers:
            self.warn(ts, pid, stdin.target,
                      f"{self.who(pid)} reads its stdin from {stdin.target} but also holds "
                      f"the write end (fd {' '.join(map(str, writers))}): if it reads to the "
                      f"end, it will wait forever for an EOF that cannot come")


def _inherited_pipe_end(fd: int, target: str) -> str | None:
    """At start we only see the link: by convention stdin reads and stdout/stderr write."""
    if not target.startswith("pipe:"):
        return None
    return {0: "read", 1: "write", 2: "write"}.get(fd)


def _created(ev: dict, ret: int) -> list[tuple[int, str]]:
    """The fds a call created, in the order it returns them (pipe: read end first)."""
    targets = {int(fd): target for fd, target in (ev.get("fds") or {}).items()}
    pair = captured(ev, "pipefds")
    if isinstance(pair, list) and all(isinstance(fd, int) for fd in pair):
        return [(fd, targets.get(fd, "?")) for fd in pair]
    if targets:
        return list(targets.items())
    path = captured(ev, "path") if ev["name"] in OPENS else None
    return [(ret, path)] if isinstance(path, str) else []


def _call(ev: dict) -> str:
    """`dup2(4, 1)`: the call that changed the table, with its fd arguments."""
    args = ev.get("args") or []
    name = ev["name"]
    if name in ("dup2", "dup3"):
        return f"{name}({signed(args[0])}, {signed(args[1])})"
    if name in ("close", "dup", "fcntl"):
        return f"{name}({signed(args[0])})"
    return name


def causal_order(events: list[dict]) -> list[int]:
    """Event indices in stream order, except that a fork event goes before anything its
    child did: the child's first stop can reach the tracer before the parent's fork event,
    and a child starts with a copy of its parent's table."""
    order: list[int] = []
    first: dict[int, int] = {}  # pid or tid -> its first position in `order`
    for index, ev in enumerate(events):
        who = ev.get("tid", ev.get("pid"))
        if ev.get("type") == "spawn" and ev["child"] in first:
            at = first.pop(ev["child"])
            order.insert(at, index)
            first = {k: v + 1 if v >= at else v for k, v in first.items()}
            continue
        first.setdefault(who, len(order))
        order.append(index)
    return order


def replay(events: list[dict]) -> FdHistory:
    """Re-enact every fd table change in the trace, in the order it happened."""
    state = _Replay()
    for index in causal_order(events):
        ev = events[index]
        kind = ev.get("type")
        if kind == "start":
            state.start(ev)
        elif kind == "spawn":
            state.spawn(ev)
        elif kind == "exec":
            state.exec(ev)
        elif kind == "exit":
            state.exit(ev)
        elif kind == "syscall":
            before = len(state.history.changes)
            state.syscall(ev)
            state.history.change_at[index] = state.last_change.get(state.pid_of(ev), -1)
            if len(state.history.changes) > before:
                state.history.made_by[index] = before
    return state.history


def table_text(table: dict[int, Fd]) -> str:
    return "  ".join(f"{fd}={entry.short()}" for fd, entry in table.items()) or "(empty)"


def fds_lines(events: list[dict]) -> list[Text]:
    history = replay(events)
    lines = [Text("     ms  pid    change", style="bold")]
    folded: dict[int, list[str]] = {}  # pid -> files opened and closed since its last line
    colour = Colours()
    for change in history.changes:
        if change.routine:
            if change.effects[0].startswith("+"):
                folded.setdefault(change.pid, []).append(change.effects[0].split()[1])
            continue
        if folded.get(change.pid):
            lines.append(_folded_line(change.pid, folded.pop(change.pid), colour(change.pid)))
        line = Text()
        line.append(f"{change.ts * 1000:7.2f}  ", style="dim")
        line.append(f"{change.pid:<6} ", style=f"bold {colour(change.pid)}")
        line.append(change.what, style="cyan")
        for effect in change.effects:
            line.append("  ")
            style = "green" if effect[0] == "+" else "red" if effect[0] == "-" else ""
            line.append(effect, style=style)
        if change.show_table:
            line.append("  ⇒ ", style="dim")
            line.append(table_text(change.table))
        lines.append(line)
    for pid, files in folded.items():
        lines.append(_folded_line(pid, files, colour(pid)))
    lines.append(Text("(+N: fd N now refers to …  -N: fd N closed  ⇒ the whole table after it;"
                      " pipe:[id]r / w: its read / write end)", style="dim"))
    if history.warnings:
        lines.append(Text(f"{len(history.warnings)} warning(s):", style="bold yellow"))
    for warning in history.warnings:
        line = Text()
        line.append("  ⚠ ", style="bold yellow")
        line.append(f"{warning.ts * 1000:.2f} ms  ", style="dim")
        line.append(warning.text, style="yellow")
        lines.append(line)
    return lines


def _folded_line(pid: int, files: list[str], colour: str) -> Text:
    names = sorted({path.rsplit("/", 1)[-1] for path in files})
    shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
    line = Text("         ")
    line.append(f"{pid:<6} ", style=f"bold {colour}")
    line.append(f"… opened and closed {len(files)} file(s): {shown}", style="dim")
    return line


def render_fds(events: list[dict], color: bool = False) -> str:
    """Each process's fd table as it changes, then warnings (see the module docstring)."""
    return to_string(fds_lines(events), color)
