"""The tracer leaves the program's signals alone, as strace does (docs/tracing-signals.md).

Each case runs the same program under strace and under minitrace and asserts both
behave alike: who dies, who gets which signal, which handler runs, what exit status
the tracer returns.  Ctrl-C is typed at a real terminal (a pty through pexpect).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pexpect
import pytest
from tracekit import MINITRACE, alive

from minishell import procfs

# Writes "ready" to its log, then waits; a caught signal is logged and ends it with 3.
WAITER = r"""
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static int log_fd;
static void say(const char *s) { write(log_fd, s, strlen(s)); }
static void caught(int sig) {
    say(sig == SIGINT ? "caught SIGINT\n" : sig == SIGTERM ? "caught SIGTERM\n"
        : "caught SIGHUP\n");
    _exit(3);
}
int main(int argc, char **argv) {
    log_fd = atoi(argv[1]);
    if (argc > 2) {  /* "catch": handlers, as a program that cleans up on Ctrl-C */
        signal(SIGINT, caught); signal(SIGTERM, caught); signal(SIGHUP, caught);
    }
    say("ready\n");
    for (int i = 0; i < 50; i++) usleep(50000);  /* 2.5 s: time to act after "ready" */
    say("done\n");
    return 0;
}
"""

STRACE = ["strace", "-f"]


@pytest.fixture(scope="module")
def waiter(cc):
    return cc("waiter", WAITER)


def wait_for(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


class Run:
    """A tracer running the waiter on a terminal of its own; the waiter's log says
    what happened to it, the tracer's status what the tracer did."""

    def __init__(self, tracer: list[str], waiter: str, tmp: Path, catch: bool,
                 to_file: bool) -> None:
        self.log = tmp / f"log-{tracer[0].rsplit('/', 1)[-1]}-{time.monotonic_ns()}"
        self.log.write_text("")
        out = ["-o", str(tmp / "trace.txt")] if to_file else []
        shell = f"exec {' '.join(tracer + out)} {waiter} 3{' catch' if catch else ''} 3>>{self.log}"
        self.term = pexpect.spawn("sh", ["-c", shell], timeout=30)
        assert wait_for(lambda: "ready" in self.log.read_text()), self.term.read_nonblocking(
            10000, timeout=1)
        self.program = next(p for p in procfs.descendants(self.term.pid) if
                            procfs.cmdline(p)[:1] == [waiter])

    def tracer_status(self, timeout: float = 15.0) -> str:
        """"killed by SIGx", "exit N" or "running" after timeout."""
        deadline = time.monotonic() + timeout
        while self.term.isalive() and time.monotonic() < deadline:
            try:
                self.term.read_nonblocking(100000, timeout=0.05)
            except (pexpect.TIMEOUT, pexpect.EOF):
                pass
        if self.term.isalive():
            return "running"
        if self.term.signalstatus is not None:
            return f"killed by {signal.Signals(self.term.signalstatus).name}"
        return f"exit {self.term.exitstatus}"

    def program_says(self) -> str:
        """What the program logged once it is gone (or after 10 s)."""
        wait_for(lambda: not alive(self.program) or procfs.state(self.program) == "Z", 10)
        return self.log.read_text().replace("ready\n", "").strip()

    def close(self) -> None:
        for pid in (self.program, self.term.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.term.close(force=True)


def side_by_side(waiter: str, tmp: Path, act, catch: bool, to_file: bool) -> list[tuple]:
    """Run act(run) under strace and minitrace; what each tracer and program did."""
    results = []
    for tracer in (STRACE, MINITRACE):
        run = Run(tracer, waiter, tmp, catch, to_file)
        try:
            act(run)
            results.append((run.tracer_status(), run.program_says()))
        finally:
            run.close()
    return results


@pytest.mark.parametrize("catch", [True, False], ids=["handler", "default"])
@pytest.mark.parametrize("to_file", [False, True], ids=["terminal", "-o"])
def test_ctrl_c_at_the_terminal(waiter, tmp_path, catch, to_file):
    """The terminal sends SIGINT to the tracer and the program alike.  The program's
    handler runs (or it dies of SIGINT) exactly as under strace; never SIGKILL."""
    strace, ours = side_by_side(waiter, tmp_path, lambda run: run.term.sendintr(), catch,
                                to_file)
    assert ours == strace
    assert ours[1] == ("caught SIGINT" if catch else "")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
                         ids=lambda s: s.name)
@pytest.mark.parametrize("to_file", [False, True], ids=["terminal", "-o"])
def test_kill_to_the_tracer_alone(waiter, tmp_path, sig, to_file):
    """kill -INT/-TERM/-HUP to the tracer only: on a terminal the tracer passes the
    signal on to the program it started, detaches and dies of it; tracing into a file,
    it ignores the signal and the program runs to its end."""
    def act(run):
        time.sleep(0.1)
        os.kill(run.term.pid, sig)
    strace, ours = side_by_side(waiter, tmp_path, act, True, to_file)
    assert ours == strace
    expected = ("exit 0", "done") if to_file else (f"killed by {sig.name}",
                                                    f"caught {sig.name}")
    assert ours == expected


@pytest.mark.parametrize("tracer", [STRACE, MINITRACE], ids=["strace", "minitrace"])
def test_sigkill_to_the_tracer_leaves_the_program_running(waiter, tmp_path, tracer):
    """No PTRACE_O_EXITKILL (strace has none without --kill-on-exit): the kernel detaches
    the tracees of a dead tracer and they run on, untraced, to their end.  (No terminal
    here: a dying session leader would hang it up.)"""
    log = tmp_path / "log"
    log.write_text("")
    with open(log, "a") as fd3:  # the waiter logs to the fd named in its argv
        p = subprocess.Popen([*tracer, "-o", os.devnull, waiter, str(fd3.fileno()), "catch"],
                             pass_fds=(fd3.fileno(),), start_new_session=True,
                             stdin=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: "ready" in log.read_text())
        program = next(c for c in procfs.descendants(p.pid)
                       if procfs.cmdline(c)[:1] == [waiter])
        p.kill()
        assert p.wait(timeout=30) == -signal.SIGKILL
        assert wait_for(lambda: procfs.status(program).get("TracerPid") in ("0", None))
        assert wait_for(lambda: "done" in log.read_text()), (tracer, log.read_text())
    finally:
        p.kill()
        p.wait()




def test_program_killed_by_ctrl_c_is_reported_as_sigint(waiter, tmp_path):
    """Tracing into a file, Ctrl-C kills the program (not the tracer): the trace says
    killed by SIGINT and minitrace dies of SIGINT too (130 in $?), never SIGKILL (137)."""
    out = tmp_path / "trace.jsonl"
    log = tmp_path / "log"
    log.write_text("")
    term = pexpect.spawn("sh", ["-c", f"exec {' '.join(MINITRACE)} --json -o {out} "
                                f"{waiter} 3 3>>{log}"], timeout=30)
    try:
        assert wait_for(lambda: "ready" in log.read_text())
        term.sendintr()
        term.expect(pexpect.EOF)
        term.close()
        assert term.signalstatus == signal.SIGINT
    finally:
        term.close(force=True)
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["sig"] for e in events if e["type"] == "signal"] == ["SIGINT"]
    assert events[-1]["type"] == "exit" and events[-1]["signal"] == "SIGINT"


def dispositions(cmd: list[str], nohup: bool, block: bool) -> tuple[str, str]:
    """SigIgn and SigBlk of the last program of cmd (grep reading its own status)."""
    def before_exec() -> None:
        if block:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGTERM})
    cmd = (["nohup"] if nohup else []) + cmd + ["grep", "^Sig[IB]", "/proc/self/status"]
    out = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=before_exec,
                         stdin=subprocess.DEVNULL, timeout=60).stdout
    fields = dict(line.split(":\t") for line in out.splitlines())
    return fields["SigIgn"], fields["SigBlk"]


@pytest.mark.parametrize("nohup", [False, True], ids=["plain", "nohup"])
@pytest.mark.parametrize("block", [False, True], ids=["unblocked", "blocked"])
def test_dispositions_and_mask_reach_the_program(nohup, block, tmp_path):
    """The program finds ignored and blocked exactly what it would untraced: nohup's
    SIGHUP stays ignored, Python's own SIGPIPE/SIGXFSZ do not leak, a mask passes."""
    untraced = dispositions([], nohup, block)
    assert dispositions(["strace", "-f", "-o", os.devnull], nohup, block) == untraced
    for options in ([], ["-o", str(tmp_path / "t.txt")], ["-e", "trace=process"]):
        assert dispositions([*MINITRACE, *options], nohup, block) == untraced, options


def test_file_size_limit_kills_with_sigxfsz(tmp_path):
    """dd under `ulimit -f 1` dies of SIGXFSZ untraced; so it must traced (Python ignores
    SIGXFSZ for itself, and an ignored signal survives exec)."""
    script = f"ulimit -f 1; exec dd if=/dev/zero of={tmp_path}/big bs=4096 count=4"
    untraced = subprocess.run(["sh", "-c", script], capture_output=True).returncode
    traced = subprocess.run([*MINITRACE, "-o", os.devnull, "sh", "-c", script],
                            capture_output=True).returncode
    assert untraced == traced == -signal.SIGXFSZ


SIGNALLER = r"""
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static void h(int s) { (void)s; }
int main(void) {
    signal(SIGUSR1, h); signal(SIGCHLD, h);
    kill(getpid(), SIGUSR1);
    union sigval v = {.sival_int = 7}; sigqueue(getpid(), SIGUSR1, v);
    pid_t c = fork(); if (c == 0) _exit(3);
    waitpid(c, 0, 0);
    c = fork(); if (c == 0) { pause(); _exit(0); }
    kill(c, SIGTERM); waitpid(c, 0, 0);
    c = fork(); if (c == 0) { *(volatile int *)16 = 1; _exit(0); }
    waitpid(c, 0, 0);
    c = fork(); if (c == 0) abort();
    waitpid(c, 0, 0);
    return 0;
}
"""


def test_signal_lines_show_siginfo_as_strace(cc, tmp_path):
    """--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=..., si_status=3, ...} ---:
    kill, sigqueue's value, a child's exit and death, a fault address, abort's tgkill."""
    exe = cc("signaller", SIGNALLER)
    lines = {}
    for name, tracer in (("strace", STRACE), ("minitrace", MINITRACE)):
        out = tmp_path / name
        subprocess.run([*tracer, "-o", str(out), exe], timeout=60)
        lines[name] = [re.sub(r"(si_pid|si_uid)=\d+", r"\1=N", line.split(" ", 1)[1].strip())
                       for line in out.read_text().splitlines() if " --- " in line]
    assert lines["minitrace"] == lines["strace"]
    assert len(lines["strace"]) == 9
