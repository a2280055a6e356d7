"""One shell under test on a pseudo-terminal: the master side we read and type into, and
the process tree behind the slave side.

pexpect gives the shell a pty (so job control, Ctrl-C and echo behave as for a person at a
terminal); we read everything it prints into a `Terminal`, type as a person would, and look
the shell up in /proc (under bubblewrap it is a grandchild of what we spawned).
"""

from __future__ import annotations

import re
import select
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

from minishell import procfs
from minishell.signals import signal_name

from ..model import Outcome
from ..sandbox import Cell
from .terminal import OUTPUT_CAP, Terminal

POLL = 0.02


class StepFailed(Exception):
    """The shell's behaviour differs from the test: FAILED (or the given outcome)."""

    def __init__(self, reason: str, detail: str = "", outcome: Outcome = Outcome.FAILED):
        super().__init__(reason)
        self.reason, self.detail, self.outcome = reason, detail, outcome


@dataclass
class Options:
    prompt: str = r"\$ "
    timeout_factor: float = 1.0
    hidden: bool = False
    transcripts: Path | None = None
    tracer: list[str] | None = None  # argv prefix of minitrace, None when it cannot trace
    tracer_missing: str = "minitrace was not probed"  # why not (find_tracer's reason)
    # find_tracer still running (it takes a second): traced tests wait for its answer
    tracer_probe: Future | None = None
    select: list[str] | None = None  # run only tests whose name contains one of these
    jobs: int = 1  # tests run side by side (each has its own shell, folder and terminal)


@dataclass
class Session:
    """One running shell: the pty, everything it printed, and where we are in it."""

    child: pexpect.spawn
    sandbox: Cell  # the test's own part of the sandbox
    cwd: Path
    options: Options
    wrappers: tuple[str, ...] = ()  # cmdline words of processes between us and the shell
    own_session: bool = False  # the shell leads a session of its own (traced: foreground.py)
    abandon: Callable[[], bool] | None = None  # true: the test no longer counts, stop waiting
    term: Terminal = field(default_factory=Terminal)
    sent: list[str] = field(default_factory=list)
    echo_spans: list[tuple[int, int]] = field(default_factory=list)
    mark: int = 0  # start of the current command's output in the screen text
    last: str = ""  # output of the last Line
    last_line: str = ""
    echo_off: bool = False  # a line typed was never echoed: the shell turned the echo off
    dead: bool = False
    baseline_fds: dict[int, str] | None = None
    # the rows a shell prints above each prompt line (blank lines, a two-line prompt's
    # first line), learned at the first prompt: see steps._before_prompt_head
    prompt_head: list[re.Pattern[str]] | None = None
    wants_fds: bool = False  # take the fd baseline at the first prompt (for NoLeakedFds)
    err_file: Path | None = None  # the shell's stderr, in a test that keeps it apart
    err: Terminal | None = None  # what it holds, as seen
    err_mark: int = 0
    last_err: str = ""  # what the last Line wrote on standard error
    first_prompt_at: float | None = None  # time.monotonic() when the first prompt came
    _err_read: int = 0
    _shell_pid: int | None = None

    # -- reading -------------------------------------------------------------------------
    @property
    def screen(self) -> str:
        return self.term.text

    def pump(self, wait: float) -> None:
        """Read whatever the shell printed within `wait` seconds (all that is ready)."""
        self._read_err()
        if self.dead:
            time.sleep(wait)
            return
        timeout = wait
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=timeout)
            except pexpect.TIMEOUT:
                return
            except pexpect.EOF:
                self.dead = True
                return
            self.term.feed(data)
            if self.term.size > OUTPUT_CAP:
                raise StepFailed(f"the shell printed more than {OUTPUT_CAP >> 10} KiB; output "
                                 "is cut there (an endless loop printing?)")
            timeout = 0  # drain what is already there, then let the caller look
        self._read_err()

    def pump_ready(self) -> bool:
        """Has the shell printed something we have not read yet (without reading it)?"""
        if self.dead:
            return False
        try:
            return bool(select.select([self.child.child_fd], [], [], 0)[0])
        except (OSError, ValueError):
            return False

    def _read_err(self) -> None:
        if self.err_file is None:
            return
        if self.err is None:
            self.err = Terminal()
        with open(self.err_file, "rb") as f:
            f.seek(self._err_read)
            data = f.read(OUTPUT_CAP)
        if data:
            self._err_read += len(data)
            self.err.feed(data)

    def wait_for(self, predicate, seconds: float, what: str, allow_death: bool = False,
                 stalled: Callable[[], bool] | None = None):
        """Poll until predicate() is truthy; TIMEOUT (or a death report) otherwise. With
        `stalled`, give up as soon as it says the shell is stuck, without waiting out the
        whole timeout: a shell that hangs after every command is judged in seconds."""
        start = time.monotonic()
        deadline = start + seconds * self.options.timeout_factor
        # Output wakes us at once; what only /proc or a file shows (a command started, a
        # file written) is looked at again soon, then less and less often.
        interval = POLL / 4
        while True:
            result = predicate()
            if result:
                return result
            if self.abandon is not None and self.abandon():
                raise StepFailed("not run: the test it depends on failed")
            if self.dead and not allow_death:
                self.pump(0)
                result = predicate()
                if result:
                    return result
                raise self.death(f"while waiting for {what}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StepFailed(f"timed out after {seconds * self.options.timeout_factor:g} s "
                                 f"waiting for {what}", outcome=Outcome.TIMEOUT)
            if stalled is not None and stalled():
                raise StepFailed(f"timed out after {time.monotonic() - start:.1f} s waiting "
                                 f"for {what} (stuck: no output, every process asleep, no CPU "
                                 "time used)", outcome=Outcome.TIMEOUT)
            self.pump(min(interval, remaining))
            interval = min(interval * 2, POLL * 5)

    @property
    def printed(self) -> int:
        """Bytes received so far, on the terminal and on a separate stderr."""
        return self.term.size + self._err_read

    def output_since(self, start: int, end: int | None = None) -> str:
        """Screen text from `start` (to `end`), without the echo of what we typed."""
        screen, out, pos = self.screen[:end], [], start
        for a, b in self.echo_spans:
            if b <= pos:
                continue
            out.append(screen[pos:max(a, pos)])
            pos = max(pos, b)
        out.append(screen[pos:])
        return "".join(out)

    def view(self, where: str) -> str:
        if where == "stderr":
            return self.last_err
        return self.last if where == "last" else self.output_since(0)

    # -- the process ---------------------------------------------------------------------
    def status(self) -> tuple[int | None, int | None]:
        """(exit status, signal) of the shell once dead. Under bubblewrap a signal death
        arrives as 128+N, as in a shell's $?."""
        self.child.close(force=True)
        code, sig = self.child.exitstatus, self.child.signalstatus
        if self.sandbox.use_bwrap and code is not None and code > 128 and code - 128 < 65:
            return None, code - 128
        return code, sig

    def death(self, when: str) -> StepFailed:
        code, sig = self.status()
        after = f" after `{self.last_line}`" if self.last_line else ""
        if sig:
            return StepFailed(f"the shell was killed by {signal_name(sig)}{after} {when}",
                              outcome=Outcome.CRASHED)
        return StepFailed(f"the shell exited with status {code}{after} {when}")

    def shell_pid(self) -> int:
        """The shell's pid as seen from here (under bwrap the shell is a grandchild)."""
        if self._shell_pid is None:
            self._shell_pid = self._find_shell_pid()
        return self._shell_pid

    def _find_shell_pid(self) -> int:
        pid = self.child.pid
        for _ in range(6):
            cmd = procfs.cmdline(pid)
            if not cmd or not (cmd[0].endswith("bwrap") or any(w in cmd for w in self.wrappers)
                               or "launch.py" in " ".join(cmd[:4])):
                return pid
            kids = procfs.children(pid)
            if not kids:
                return pid
            pid = min(kids)
        return pid

    def send(self, data: str) -> None:
        if self.dead:
            raise self.death("before we could type")
        self.child.send(data.encode())

    def close(self) -> None:
        self.sandbox.kill_all(self.child.pid, whole_uid=self.options.jobs == 1)
        if self.own_session and self._shell_pid is not None:
            # A traced shell leads a session of its own (foreground.py): what it left
            # there may no longer descend from what we spawned.
            self.sandbox.kill_all(self._shell_pid, whole_uid=False)
        self.child.close(force=True)
