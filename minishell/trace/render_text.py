"""Live text output: one line per event, in strace's format.

    4242 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3</etc/passwd>
    4242 --- SIGCHLD (from 4243) ---
    4242 +++ exited with 0 +++

In a file the lines are plain, so people and scripts used to strace can read them.  On
a terminal they are coloured with rich: each process gets its own colour, so the
interleaved calls of a parent and its children can be told apart at a glance, and a
failed call's result stands out in red.  With --explain a plain-English line follows
each call.
"""

from __future__ import annotations

import time
from typing import IO

from minishell.trace.events import MAX_ERRNO, SyscallEvent, fill_text

# Colours that stay readable on dark and light terminals and on a projector.
PALETTE = ("cyan", "green", "magenta", "yellow", "blue", "bright_cyan", "bright_green",
           "bright_magenta", "bright_yellow", "bright_blue")


class TextRenderer:
    """Writes each event dict as strace writes it.

    timestamps: 0 none, 1 -t (wall clock seconds), 2 -tt (microseconds), 3 -ttt (epoch)
    relative: -r, the time since the previous line;  durations: -T, time spent in the call
    only: None, "ok" (-z, successful calls) or "failed" (-Z)
    """

    def __init__(self, out: IO[str], *, color: bool = False, explain: bool = False,
                 strsize: int = 32, raw: bool = False, timestamps: int = 0,
                 relative: bool = False, durations: bool = False,
                 only: str | None = None) -> None:
        self.out = out
        self.console = None
        if color:  # rich takes 20 ms to import: only when there is a terminal to colour
            from rich.console import Console

            self.console = Console(file=out, highlight=False, soft_wrap=True,
                                   force_terminal=True)
        self.explain = explain
        self.strsize = strsize
        self.raw = raw
        self.timestamps = timestamps
        self.relative = relative
        self.durations = durations
        self.only = only
        self.epoch = time.time()
        self.last_ts: float | None = None
        self.colors: dict[int, str] = {}
        from minishell.trace.strace_format import format_event  # (not for -c: start-up)

        self.format_event = format_event

    def __call__(self, ev: dict) -> None:
        kind = ev["type"]
        if kind == "start":
            self.epoch = ev.get("time", self.epoch)
            return
        if kind == "syscall":
            if not self._shown(bool(ev["err"]), ev["ret"] is not None):
                return
            if "text" not in ev:
                fill_text(ev, self.strsize, self.raw, self.explain)
            self._write(ev, ev["text"], bool(ev["err"]), self._result(ev))
            return
        if kind == "signal":
            from minishell.trace.strace_format import format_siginfo  # (-c never needs it)

            info = format_siginfo(ev["sig"], ev.get("info"))
            body, failed = f"--- {ev['sig']} {info} ---" if info else f"--- {ev['sig']} ---", False
        elif kind == "exit":
            if ev["signal"]:
                core = " (core dumped)" if ev["core"] else ""
                body, failed = f"+++ killed by {ev['signal']}{core} +++", True
            else:
                body, failed = f"+++ exited with {ev['code']} +++", bool(ev["code"])
        elif kind == "stop":
            body, failed = f"--- stopped by {ev['sig']} ---", False
        elif kind == "cont":
            body, failed = "--- continued ---", False
        elif kind == "exec" and ev.get("old_tid"):  # a thread exec'd: it takes the pid
            body, failed = f"+++ superseded by execve in pid {ev['old_tid']} +++", False
        else:
            return  # spawn and exec show as the calls that made them
        self._write(ev, body, failed)

    def call(self, ev: SyscallEvent) -> None:
        """A call straight from the engine, as __call__ shows its dict (without --explain).
        This is the line `minitrace -o FILE` writes for every system call, so it skips
        the event's dict and goes from the raw event to the text."""
        ret = ev.ret
        failed = ret is not None and -MAX_ERRNO <= ret < 0
        if self.only is not None and not self._shown(failed, ret is not None):
            return
        text, result = self.format_event(ev, self.strsize, self.raw)
        if ret is None or self.durations:  # "?", or -T's <seconds>: else the result as is
            dur = None if ev.end is None else int((ev.end - ev.ts) * 1e6) / 1e6  # as to_dict's
            result = self._result_text(result, ret is not None, dur)
        if self.console is None and not (self.relative or self.timestamps):
            self.out.write(f"{ev.tid} {text} = {result}\n")
            return
        self._write({"type": "syscall", "pid": ev.pid, "tid": ev.tid,
                     "ts": int(ev.ts * 1e6) / 1e6}, text, failed, result)

    def unfinished(self, ev: dict) -> None:
        """A call that has not returned yet (a read waiting for input): strace's marker.
        The complete line follows when it returns."""
        fill_text(ev, self.strsize, self.raw)
        self._write(ev, ev["text"], False, None)

    def _shown(self, failed: bool, returned: bool) -> bool:
        """-z shows only calls that succeeded, -Z only those that failed."""
        if self.only == "ok":
            return returned and not failed
        return failed if self.only == "failed" else True

    def _result_text(self, result: str, returned: bool, dur: float | None) -> str:
        """What follows ` = `: ? for a call that never returned; -T adds <seconds>."""
        if not returned:
            return "?"
        if self.durations and dur is not None:
            return f"{result} <{dur:.6f}>"
        return result

    def _result(self, ev: dict) -> str:
        return self._result_text(ev["result"], ev["ret"] is not None, ev["dur"])

    def _prefix(self, ts: float) -> str:
        """strace's time column, after the pid: -r the time since the previous line
        (0 on the first), -t/-tt/-ttt the wall clock."""
        if self.relative:
            last = ts if self.last_ts is None else self.last_ts
            self.last_ts = ts
            delta = max(0.0, ts - last)
            return f"{int(delta):6d}.{int(delta % 1 * 1e6):06d} "
        if not self.timestamps:
            return ""
        when = self.epoch + ts
        if self.timestamps >= 3:
            return f"{when:.6f} "
        clock = time.strftime("%H:%M:%S", time.localtime(when))
        return f"{clock}.{int(when % 1 * 1e6):06d} " if self.timestamps == 2 else f"{clock} "

    def _write(self, ev: dict, body: str, failed: bool, result: str | None = "") -> None:
        """One line.  For a call, body is the call and result what it returned (None: it
        has not returned yet); other events have only a body."""
        who = ev.get("tid", ev["pid"])
        prefix = self._prefix(ev["ts"]) if self.relative or self.timestamps else ""
        note = ev.get("explain") if self.explain and result is not None else None
        tail = "" if result == "" else " <unfinished ...>" if result is None else f" = {result}"
        if self.console is None:
            self.out.write(f"{who} {prefix}{body}{tail}\n")
            if note:
                self.out.write(f"      \u21b3 {note}\n")
            return
        from rich.text import Text

        colour = self.colors.setdefault(ev["pid"], PALETTE[len(self.colors) % len(PALETTE)])
        line = Text()
        line.append(f"{who} ", style=f"bold {colour}")
        line.append(prefix, style="dim")
        if ev["type"] == "syscall":
            name, paren, args = body.partition("(")
            line.append(name, style=f"bold {colour}")
            line.append(paren + args)
            if result is None:
                line.append(tail, style="dim")
            else:
                line.append(" = ")
                line.append(result, style="bold red" if failed else "")
        else:
            line.append(body, style="bold red" if failed else colour)
        self.console.print(line)
        if note:
            self.console.print(Text(f"      \u21b3 {note}", style="italic dim"))
