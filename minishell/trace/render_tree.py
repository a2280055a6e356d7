"""The process tree: who forked whom, which program each process became, how it ended.

Unix makes a new program in two steps: fork() copies the running process, then
execve() replaces the copy's program. This module rebuilds that family tree from
the trace events (`spawn`, `exec`, `exit`) and draws it, one line per process:

    100  python3 -m minishell -c 'echo hi | cat'             exit 0    41.20 ms
    ├─fork─ 101  python3 ⇒ echo hi                           exit 0     1.30 ms
    └─fork─ 102  python3 ⇒ cat                               exit 0     2.10 ms

`build_tree` is also the one place the other pictures (HTML lanes, Perfetto
tracks) get their process order and names from.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field

from rich.console import Console
from rich.text import Text


@dataclass
class Image:
    """One program a process ran: what execve() loaded."""

    ts: float
    path: str
    argv: list[str]

    @property
    def name(self) -> str:
        return os.path.basename(self.argv[0] if self.argv else self.path) or self.path


@dataclass
class Proc:
    """One process (or thread) seen in the trace."""

    pid: int
    parent: int | None
    kind: str  # how it was born: "root", "fork", "vfork", "clone" or "thread"
    start: float
    inherited: Image | None = None  # the parent's program at fork time
    images: list[Image] = field(default_factory=list)  # programs it exec'd, in order
    failed_execs: int = 0  # execve calls that failed (a PATH search tries several)
    end: float | None = None
    code: int | None = None
    signal: str | None = None
    core: bool = False
    children: list[Proc] = field(default_factory=list)

    @property
    def image(self) -> Image | None:
        """The program the process runs at the end of the trace."""
        return self.images[-1] if self.images else self.inherited

    @property
    def program(self) -> str:
        """Short program name, as in a Perfetto track `prog [pid]`."""
        image = self.image
        return image.name if image else "?"

    @property
    def is_thread(self) -> bool:
        return self.kind == "thread"

    def lifetime(self, trace_end: float) -> float:
        return (self.end if self.end is not None else trace_end) - self.start

    def how_it_ended(self) -> str:
        if self.signal:
            return f"killed by {self.signal}" + (" (core dumped)" if self.core else "")
        if self.end is None:
            return "still running"
        if self.code is None:
            return "ended"
        return f"exit {self.code}"


def build_tree(events: list[dict]) -> list[Proc]:
    """The root processes of the trace, each with its children in birth order."""
    procs: dict[int, Proc] = {}
    roots: list[Proc] = []

    def get(pid: int, ts: float) -> Proc:
        # A pid first seen without a spawn event (attached with -p, or a
        # truncated trace) becomes a root of its own.
        if pid not in procs:
            procs[pid] = Proc(pid=pid, parent=None, kind="root", start=ts)
            roots.append(procs[pid])
        return procs[pid]

    for ev in events:
        kind, ts = ev.get("type"), ev.get("ts", 0.0)
        if kind == "start":
            root = get(ev["pid"], ts)
            if ev.get("argv"):
                root.inherited = Image(ts, ev["argv"][0], list(ev["argv"]))
        elif kind == "spawn":
            parent = get(ev["pid"], ts)
            child = procs.get(ev["child"])
            if child is not None and child.kind == "root" and child.end is None and (
                    child is not parent):
                # The child's first stop reached the tracer before the fork event: adopt it.
                roots.remove(child)
                child.parent, child.kind = parent.pid, ev.get("kind", "fork")
                child.start, child.inherited = min(ts, child.start), parent.image
                parent.children.append(child)
            elif child is None or child.end is not None:  # new, or a pid used again
                child = Proc(pid=ev["child"], parent=parent.pid, kind=ev.get("kind", "fork"),
                             start=ts, inherited=parent.image)
                procs[child.pid] = child
                parent.children.append(child)
        elif kind == "exec":
            proc = get(ev["pid"], ts)
            proc.images.append(Image(ts, ev.get("path", ""), ev.get("argv") or []))
            for thread in proc.children:  # execve ends every other thread of the process
                if thread.is_thread and thread.end is None:
                    thread.end = ts
        elif kind == "exit":
            proc = get(ev["pid"], ts)
            proc.end, proc.code = ts, ev.get("code")
            proc.signal, proc.core = ev.get("signal"), bool(ev.get("core"))
        elif kind == "syscall":
            proc = get(ev["pid"], ts)
            tid = ev.get("tid", proc.pid)
            if tid != proc.pid and tid not in procs:
                # A thread that was running before we attached (-p): no spawn event.
                procs[tid] = Proc(pid=tid, parent=proc.pid, kind="thread", start=ts)
                proc.children.append(procs[tid])
            if ev["name"] in ("execve", "execveat") and ev.get("err"):
                procs[tid].failed_execs += 1
    return roots


def walk(roots: list[Proc], depth: int = 0) -> Iterator[tuple[Proc, int]]:
    """Depth-first: a parent, then each child's whole family, in birth order."""
    for proc in roots:
        yield proc, depth
        yield from walk(proc.children, depth + 1)


def trace_end(events: list[dict]) -> float:
    """The last moment the trace saw anything happen."""
    return max((ev.get("ts", 0.0) + (ev.get("dur") or 0.0) for ev in events), default=0.0)


def command_line(argv: list[str], limit: int = 72) -> str:
    """`ls -l /tmp` from an argv: the program by its short name (its path is shown apart)."""
    text = shlex.join([os.path.basename(argv[0]) or argv[0], *argv[1:]] if argv else [])
    # A newline in an argument (python -c '...') must not break the picture's lines.
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _programs(proc: Proc) -> Text:
    """`python3 ⇒ echo hi`: the program it started as, then each exec."""
    text = Text()
    if proc.is_thread:
        return Text("(thread)", style="italic")
    if proc.inherited and (proc.kind != "root" or not proc.images):
        text.append(command_line(proc.inherited.argv) if proc.kind == "root"
                    else proc.inherited.name, style="dim" if proc.images else "")
    for image in proc.images:
        if text:
            text.append(" ⇒ ", style="bold")
        text.append(command_line(image.argv), style="bold")
        if image.argv and os.path.basename(image.argv[0]) == image.argv[0] != image.path:
            text.append(f" ({image.path})", style="dim")
    if proc.failed_execs:
        text.append(f"  [{proc.failed_execs} failed execve]", style="yellow")
    return text


_PROCESS_COLOURS = ("cyan", "magenta", "green", "blue", "yellow", "bright_cyan", "bright_magenta")


class Colours:
    """One colour per process, handed out in the order processes appear."""

    def __init__(self) -> None:
        self.given: dict[int, str] = {}

    def __call__(self, pid: int) -> str:
        if pid not in self.given:
            self.given[pid] = _PROCESS_COLOURS[len(self.given) % len(_PROCESS_COLOURS)]
        return self.given[pid]


def _row(proc: Proc, prefix: str, end_time: float, colour: str) -> tuple[Text, Text, Text]:
    """(tree part, how it ended, lifetime) of one process's line."""
    left = Text()
    left.append(prefix, style="dim")
    if proc.kind != "root":
        left.append(f"{proc.kind}─ ", style="dim")
    left.append(str(proc.pid), style=f"bold {colour}")
    left.append("  ")
    left.append_text(_programs(proc))
    ended = proc.how_it_ended()
    style = "green" if ended == "exit 0" else "bold red" if proc.signal else "yellow"
    return left, Text(ended, style=style), Text(f"{proc.lifetime(end_time) * 1000:.2f} ms")


def tree_lines(events: list[dict]) -> list[Text]:
    roots = build_tree(events)
    end_time = trace_end(events)
    rows: list[tuple[Text, Text, Text]] = []
    colour = Colours()

    def draw(procs: list[Proc], indent: str) -> None:
        for i, proc in enumerate(procs):
            last = i == len(procs) - 1
            rows.append(_row(proc, indent + ("└─" if last else "├─"), end_time,
                             colour(proc.pid)))
            draw(proc.children, indent + ("   " if last else "│  "))

    for root in roots:
        rows.append(_row(root, "", end_time, colour(root.pid)))
        draw(root.children, "")
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(3)]
    lines = []
    for left, ended, lifetime in rows:
        line = left.copy()
        line.append(" " * (widths[0] - len(left) + 2))
        line.append_text(ended)
        line.append(" " * (widths[1] - len(ended) + widths[2] - len(lifetime) + 2))
        line.append_text(lifetime)
        lines.append(line)
    procs = [p for p, _ in walk(roots)]
    threads = sum(p.is_thread for p in procs)
    execs = sum(len(p.images) for p in procs)
    lines.append(Text(
        f"{len(procs) - threads} processes, {threads} threads, {execs} execs", style="dim"))
    return lines


def to_string(lines: list[Text], color: bool) -> str:
    """Join rich lines as plain text, or as ANSI colour for a terminal."""
    if not color:
        return "".join(line.plain.rstrip() + "\n" for line in lines)
    console = Console(force_terminal=True, color_system="standard", width=10_000,
                      soft_wrap=True, highlight=False)
    with console.capture() as capture:
        for line in lines:
            console.print(line)
    return capture.get()


def render_tree(events: list[dict], color: bool = False) -> str:
    """The process tree of a trace, one line per process (see the module docstring)."""
    return to_string(tree_lines(events), color)
