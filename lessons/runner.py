"""Running a student's program: the graders' sandbox, a timeout, capped output, a reaper.

Student code is untrusted in the gentlest sense: it may loop forever, fork too much, flood
the terminal or forget its children. Every run goes through graders.sandbox (rlimits, its
own process group, a dedicated uid when we are root, bubblewrap when it works here) and
through `reap.py`, which finds the children the program did not wait for. The reaper must be
an ancestor of the student's program in its pid namespace: inside bubblewrap it runs after
the launcher (as the sandbox user); without it, before (as us), so that it can still run
Python when the sandbox user cannot read our interpreter.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from graders.sandbox import Sandbox
from minishell import procfs

from . import tools

OUTPUT_CAP = 1 << 20  # bytes kept per stream; more than that ends the run
REAPER = Path(__file__).with_name("reap.py")


@dataclass
class Run:
    argv: list[str]
    stdout: str
    stderr: str
    exit_code: int | None  # None when killed by a signal or the timeout
    signal: int | None
    timed_out: bool
    flooded: bool
    zombies: int  # children the program exited without waiting for
    running: int  # children still running after it exited
    duration: float

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    def how_it_ended(self) -> str:
        if self.timed_out:
            return "it was still running at the time limit and was killed"
        if self.flooded:
            return "it printed more than 1 MiB and was stopped"
        if self.signal:
            return f"it was killed by {signal.Signals(self.signal).name}"
        return f"it exited with status {self.exit_code}"


def spawn(argv: list[str], sandbox: Sandbox, cwd: Path, env: dict[str, str] | None = None,
          stdin: int | None = subprocess.DEVNULL) -> tuple[subprocess.Popen, int]:
    """Start ARGV in SANDBOX under the reaper. Returns the process and the report fd."""
    rfd, wfd = os.pipe()
    reaper = [sys.executable, "-S", str(REAPER), str(wfd)]
    env = env or tools.environment()
    if sandbox.use_bwrap:
        command = sandbox.command([*reaper, *argv], cwd, env)
    else:
        command = [*reaper, *sandbox.command(argv, cwd, env)]
    sandbox.give_to_sandbox_user()  # files a check just made there are the program's too
    proc = subprocess.Popen(command, cwd=cwd, stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, pass_fds=(wfd,), start_new_session=True)
    os.close(wfd)
    return proc, rfd


def finish(proc: subprocess.Popen, rfd: int, argv: list[str], sandbox: Sandbox,
           timeout: float, started: float, stdin_data: bytes | None = None) -> Run:
    """Collect output until the program ends, the time limit, or the output cap."""
    out = {proc.stdout: bytearray(), proc.stderr: bytearray()}
    sel = selectors.DefaultSelector()
    for stream in out:
        os.set_blocking(stream.fileno(), False)
        sel.register(stream, selectors.EVENT_READ)
    if stdin_data is not None and proc.stdin:
        # fed by a thread: a program that writes while it reads (tee, cat) would fill its
        # stdout pipe while we block on its stdin, and neither side would move
        threading.Thread(target=_feed, args=(proc.stdin, stdin_data), daemon=True).start()
    timed_out = flooded = False
    deadline = started + timeout
    while sel.get_map():
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        for key, _ in sel.select(left):
            chunk = os.read(key.fileobj.fileno(), 65536)
            if not chunk:
                sel.unregister(key.fileobj)
                continue
            out[key.fileobj] += chunk
            if len(out[key.fileobj]) > OUTPUT_CAP:
                flooded = True
        if flooded:
            break
    if timed_out or flooded:
        sandbox.kill_all(proc.pid)
    proc.wait()
    sandbox.kill_all(proc.pid)  # anything the program left behind
    sel.close()
    report = _read_report(rfd)
    for stream in out:
        stream.close()
    status = report.get("status")
    code = sig = None
    if status is not None and not timed_out:
        if os.WIFEXITED(status):
            code = os.WEXITSTATUS(status)
        elif os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
    return Run(argv=argv, stdout=out[proc.stdout].decode(errors="replace"),
               stderr=out[proc.stderr].decode(errors="replace"), exit_code=code, signal=sig,
               timed_out=timed_out, flooded=flooded, zombies=report.get("zombies", 0),
               running=report.get("running", 0), duration=time.monotonic() - started)


def _feed(stream, data: bytes) -> None:
    try:
        stream.write(data)
        stream.close()
    except (BrokenPipeError, OSError):  # it exited without reading it all: its choice
        pass


def _read_report(rfd: int) -> dict:
    with os.fdopen(rfd, "rb") as f:
        line = f.read()
    try:
        return json.loads(line) if line else {}
    except json.JSONDecodeError:
        return {}


def run(argv: list[str], sandbox: Sandbox, cwd: Path | None = None, timeout: float = 5.0,
        env: dict[str, str] | None = None, stdin_data: bytes | None = None) -> Run:
    """Run a student's program to the end (or the limit) and say how it went."""
    started = time.monotonic()
    proc, rfd = spawn(argv, sandbox, cwd or sandbox.workdir, env,
                      stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL)
    return finish(proc, rfd, argv, sandbox, timeout, started, stdin_data)


class Live:
    """A student's program we talk to while it runs: read its lines, send it signals."""

    def __init__(self, argv: list[str], sandbox: Sandbox, env: dict[str, str] | None = None,
                 stdin: bool = False):
        self.argv, self.sandbox = argv, sandbox
        self.proc, self.rfd = spawn(argv, sandbox, sandbox.workdir, env,
                                    subprocess.PIPE if stdin else subprocess.DEVNULL)
        self.pending = b""
        self.log: list[str] = []  # what was sent and received, for the student's feedback
        self.result: Run | None = None

    def read_line(self, timeout: float) -> str | None:
        """The next line of stdout, or None at end of output or after TIMEOUT seconds."""
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not _readable(fd, left):
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                return None
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        text = line.decode(errors="replace")
        self.log.append(f"<- {text}")
        return text

    def write(self, text: str) -> None:
        """Give TEXT to the program's stdin (started with stdin=True), unbuffered."""
        self.log.append(f"-> {text!r} on stdin")
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass  # it stopped reading: what it printed says so

    def close_stdin(self) -> None:
        """End of file on the program's stdin."""
        if self.proc.stdin and not self.proc.stdin.closed:
            self.log.append("-> end of file on stdin")
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass

    def signal(self, pid: int, sig: signal.Signals) -> None:
        """Send SIG to PID -- only if PID is in the program's own session (never elsewhere).

        Inside bubblewrap the program knows its pid in its own namespace: the tracer-side
        pid is found in /proc/PID/status (NSpid)."""
        self.log.append(f"-> {sig.name} to pid {pid}")
        target = self._outside_pid(pid)
        try:
            if target is not None:
                os.kill(target, sig)
        except ProcessLookupError:
            pass

    def _outside_pid(self, inner: int) -> int | None:
        for pid in procfs.pids():
            try:
                if os.getsid(pid) != self.proc.pid:
                    continue
            except OSError:
                continue  # gone meanwhile
            nspids = procfs.status(pid).get("NSpid", "").split()
            if nspids and int(nspids[-1]) == inner:
                return pid
        return None

    def stop(self, grace: float = 1.0) -> Run:
        """Let the program end within GRACE seconds, else kill it; how did it end?"""
        if self.result is None:
            self.close_stdin()
            self.result = finish(self.proc, self.rfd, self.argv, self.sandbox, grace,
                                 time.monotonic())
            self.result.stdout = self.pending.decode(errors="replace") + self.result.stdout
            for line in self.result.stdout.splitlines():
                self.log.append(f"<- {line}")
        return self.result

    def transcript(self) -> str:
        return "\n".join(self.log[-20:]) or "(no output)"


def _readable(fd: int, timeout: float) -> bool:
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        return bool(sel.select(timeout))
