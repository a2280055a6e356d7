"""Running a student's program: its own session, resource limits, a timeout, capped output.

Student code is untrusted in the gentlest sense: it may loop forever, fork too much, flood
the terminal or forget its children. Every run goes through `reap.py` (which finds the
children the program did not wait for) inside a new session, so a timeout kills the whole
process group, grandchildren included.
"""

from __future__ import annotations

import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import tools

ISOLATION = "own session and process group, rlimits (cpu, files, size, no core), timeout"
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


def _limits(cpu_seconds: int) -> None:
    """In the child before exec: limits that keep a runaway program from hurting the machine."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 20, 16 << 20))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    if os.getuid() != 0:  # ignored for root anyway (see issues/sandbox-and-qemu.md)
        resource.setrlimit(resource.RLIMIT_NPROC, (256, 256))


def spawn(argv: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None,
          stdin: int | None = subprocess.DEVNULL) -> tuple[subprocess.Popen, int]:
    """Start ARGV under the reaper in a new session. Returns the process and the report fd."""
    rfd, wfd = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-S", str(REAPER), str(wfd), *argv], cwd=cwd,
        env=env or tools.environment(), stdin=stdin, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, pass_fds=(wfd,), start_new_session=True,
        preexec_fn=lambda: _limits(int(timeout) + 2))
    os.close(wfd)
    return proc, rfd


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def finish(proc: subprocess.Popen, rfd: int, argv: list[str], timeout: float,
           started: float, stdin_data: bytes | None = None) -> Run:
    """Collect output until the program ends, the time limit, or the output cap."""
    out = {proc.stdout: bytearray(), proc.stderr: bytearray()}
    sel = selectors.DefaultSelector()
    for stream in out:
        os.set_blocking(stream.fileno(), False)
        sel.register(stream, selectors.EVENT_READ)
    if stdin_data is not None and proc.stdin:
        proc.stdin.write(stdin_data)
        proc.stdin.close()
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
        kill_group(proc)
    proc.wait()
    kill_group(proc)  # anything the program left in its group
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


def _read_report(rfd: int) -> dict:
    with os.fdopen(rfd, "rb") as f:
        line = f.read()
    try:
        return json.loads(line) if line else {}
    except json.JSONDecodeError:
        return {}


def run(argv: list[str], cwd: Path, timeout: float = 5.0, env: dict[str, str] | None = None,
        stdin_data: bytes | None = None) -> Run:
    """Run a student's program to the end (or the limit) and say how it went."""
    started = time.monotonic()
    proc, rfd = spawn(argv, cwd, timeout, env,
                      stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL)
    return finish(proc, rfd, argv, timeout, started, stdin_data)


class Live:
    """A student's program we talk to while it runs: read its lines, send it signals."""

    def __init__(self, argv: list[str], cwd: Path, timeout: float, env: dict[str, str] | None):
        self.argv, self.timeout = argv, timeout
        self.started = time.monotonic()
        self.proc, self.rfd = spawn(argv, cwd, timeout, env)
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

    def signal(self, pid: int, sig: signal.Signals) -> None:
        """Send SIG to PID -- only if PID is in the program's own session (never elsewhere)."""
        self.log.append(f"-> {sig.name} to pid {pid}")
        try:
            if os.getsid(pid) == self.proc.pid:
                os.kill(pid, sig)
        except ProcessLookupError:
            pass

    def stop(self, grace: float = 1.0) -> Run:
        """Let the program end within GRACE seconds, else kill it; how did it end?"""
        if self.result is None:
            self.result = finish(self.proc, self.rfd, self.argv, grace, time.monotonic())
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
