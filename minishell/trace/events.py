"""The event model: what the tracer saw, as data.

A traced program is a stream of kernel events: system calls (entry and exit merged
into one record), new processes and threads, exec, signals, stops and exits.  The
engine records each one as a small object here -- cheap to create in the ptrace loop,
because every microsecond there is paid twice per system call -- and everything that
shows a trace (text, summary, tree, fd table, HTML, Perfetto) reads the plain dicts
given by ``to_dict()``, which are also the lines of ``minitrace --json``.

The schema is versioned (``"v": 1``) and documented in docs/trace-events.md.  Text
(``text``, ``result``, ``explain``) is not part of the recorded data: ``fill_text``
adds it when an event is shown, off the hot path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

SCHEMA_VERSION = 1

# The kernel returns -errno from a failed call; anything in [-4095, -1] is an error.
MAX_ERRNO = 4095


class Event:
    """Base of all events: which process, when (seconds since the trace started)."""

    __slots__ = ("pid", "ts")
    type = "event"

    def __init__(self, pid: int, ts: float) -> None:
        self.pid = pid
        self.ts = ts

    def to_dict(self) -> dict[str, Any]:
        return {"v": SCHEMA_VERSION, "type": self.type, "pid": self.pid, "ts": round(self.ts, 6)}


class StartEvent(Event):
    """The first event for each traced root: the command started or the process attached."""

    __slots__ = ("argv", "cwd", "fds", "attached", "time")
    type = "start"

    def __init__(self, pid: int, ts: float, argv: list[str], cwd: str | None,
                 fds: dict[str, str], attached: bool, time: float) -> None:
        super().__init__(pid, ts)
        self.argv, self.cwd, self.fds, self.attached, self.time = argv, cwd, fds, attached, time

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.update(argv=self.argv, cwd=self.cwd, fds=self.fds, attached=self.attached,
                 time=self.time)
        return d


class SyscallEvent(Event):
    """One system call, entry and exit merged.

    Created at syscall entry with the raw arguments and what had to be read from the
    tracee before the call ran (``cap``), completed at exit with the raw return value.
    ``ret`` stays None for a call that never returned (exit_group, a process killed
    inside a call, a trace interrupted while the call blocked).
    """

    __slots__ = ("tid", "nr", "args", "ret", "end", "cap", "fds", "flt")
    type = "syscall"

    def __init__(self, pid: int, tid: int, ts: float, nr: int, args: tuple[int, ...],
                 cap: dict | None) -> None:
        self.pid = pid  # not super().__init__: one of these is made per system call
        self.ts = ts
        self.tid = tid
        self.nr = nr
        self.args = args
        self.cap = cap
        self.ret: int | None = None
        self.end: float | None = None
        self.fds: dict[str, str] | None = None
        self.flt: tuple[int, int] | None = None

    @property
    def failed(self) -> bool:
        return self.ret is not None and -MAX_ERRNO <= self.ret < 0

    @property
    def dur(self) -> float | None:
        return None if self.end is None else self.end - self.ts

    def to_dict(self) -> dict[str, Any]:
        name, classes = _names.get(self.nr) or _describe(self.nr)
        ret, err = self.ret, None
        if ret is not None and -MAX_ERRNO <= ret < 0:
            ret, err = -1, _errno_name()(ret)  # decode's: strace's names (EAGAIN, ERESTARTSYS)
        end = self.end
        d = {
            "v": SCHEMA_VERSION, "type": "syscall", "pid": self.pid, "tid": self.tid,
            "ts": int(self.ts * 1e6) / 1e6,
            "dur": None if end is None else int((end - self.ts) * 1e6) / 1e6,
            "nr": self.nr, "name": name, "args": list(self.args), "ret": ret, "err": err,
            "classes": classes, "cap": self.cap or {},
        }
        if self.fds is not None:
            d["fds"] = self.fds
        if self.flt is not None:
            d["flt"] = list(self.flt)
        return d


# nr -> (name, sorted classes): to_dict runs for every call shown, so look up once.
_names: dict[int, tuple[str, list[str]]] = {}


def _describe(nr: int) -> tuple[str, list[str]]:
    from minishell.trace.syscalls import lookup

    sc = lookup(nr)
    _names[nr] = sc.name, sorted(sc.classes)
    return _names[nr]


class SpawnEvent(Event):
    """A traced process created a process or thread (fork, vfork, clone)."""

    __slots__ = ("child", "kind")
    type = "spawn"

    def __init__(self, pid: int, ts: float, child: int, kind: str) -> None:
        super().__init__(pid, ts)
        self.child, self.kind = child, kind

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.update(child=self.child, kind=self.kind)
        return d


class ExecEvent(Event):
    """A process replaced its program.  The environment is only counted, never kept:
    traces are shown on projectors and environments hold secrets."""

    __slots__ = ("path", "argv", "envc", "old_tid", "fds")
    type = "exec"

    def __init__(self, pid: int, ts: float, path: str | None, argv: list[str], envc: int,
                 old_tid: int | None = None, fds: dict[str, str] | None = None) -> None:
        super().__init__(pid, ts)
        self.path, self.argv, self.envc, self.old_tid = path, argv, envc, old_tid
        self.fds = fds  # the fd table right after exec (/proc), when fds are recorded

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.update(path=self.path, argv=self.argv, envc=self.envc)
        if self.old_tid is not None:
            d["old_tid"] = self.old_tid
        if self.fds is not None:
            d["fds"] = self.fds
        return d


class SignalEvent(Event):
    """A signal delivered to a traced thread; ``sender`` is the pid that sent it, if any."""

    __slots__ = ("tid", "sig", "sender", "info")
    type = "signal"
    INFO = ("code", "pid", "uid", "value", "utime", "stime", "addr")  # siginfo_t fields

    def __init__(self, pid: int, tid: int, ts: float, sig: str, sender: int | None,
                 info: tuple[int, ...] | None = None) -> None:
        super().__init__(pid, ts)
        self.tid, self.sig, self.sender, self.info = tid, sig, sender, info

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.update({"tid": self.tid, "sig": self.sig, "from": self.sender})
        if self.info is not None:
            d["info"] = dict(zip(self.INFO, self.info, strict=True))
        return d


class StopEvent(Event):
    """Job control: the process stopped (group-stop, Ctrl-Z) or was continued."""

    __slots__ = ("sig", "kind")

    def __init__(self, pid: int, ts: float, sig: str, kind: str) -> None:
        super().__init__(pid, ts)
        self.sig, self.kind = sig, kind

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.update(type=self.kind, sig=self.sig)
        return d


class ExitEvent(Event):
    """A traced thread or process ended: exit code, or the signal that killed it."""

    __slots__ = ("code", "signal", "core")
    type = "exit"

    def __init__(self, pid: int, ts: float, code: int | None, signal: str | None,
                 core: bool) -> None:
        super().__init__(pid, ts)
        self.code, self.signal, self.core = code, signal, core

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.update(code=self.code, signal=self.signal, core=self.core)
        return d


def fill_text(ev: dict, strsize: int = 32, raw: bool = False, explain: bool = False) -> dict:
    """Add the human-readable fields of a syscall event (``text``, ``result``, and
    ``explain`` when asked) -- decoding happens here, when an event is shown."""
    ev["text"], ev["result"] = _format_call()(ev, strsize, raw)
    if explain:
        ev["explain"] = _explain()(ev, strsize)
    return ev


# Imported at first use: reading a saved trace needs neither (13 ms of start-up).
@cache
def _format_call() -> Callable[[dict, int, bool], tuple[str, str]]:
    from minishell.trace.strace_format import format_call

    return format_call


@cache
def _errno_name() -> Callable[[int], str | None]:
    from minishell.trace.capture import errno_name

    return errno_name


@cache
def _explain() -> Callable[[dict, int], str]:
    from minishell.trace.explain import explain

    return explain


EVENT_TYPES = frozenset({"start", "syscall", "spawn", "exec", "signal", "stop", "cont", "exit"})


class SchemaError(ValueError):
    """A line of a saved trace that is not an event of a version we read."""


def load_jsonl(lines: Iterable[str]) -> Iterator[dict]:
    """Read a saved ``--json`` trace back into event dicts (blank lines ignored)."""
    import json  # here: the tracer itself never reads JSON (start-up time)

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            ev = json.loads(line)
        except json.JSONDecodeError as e:
            raise SchemaError(f"line {number}: not JSON ({e.msg})") from None
        if not isinstance(ev, dict) or "type" not in ev:
            raise SchemaError(f"line {number}: not a trace event")
        if ev["type"] not in EVENT_TYPES:
            raise SchemaError(f"line {number}: unknown event type {ev['type']!r}")
        if ev.get("v") != SCHEMA_VERSION:
            raise SchemaError(f"line {number}: schema version {ev.get('v')!r}, "
                              f"this minitrace reads version {SCHEMA_VERSION}")
        yield ev
