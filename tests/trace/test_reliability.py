"""The engine under the hard cases: signals, many children, threads, exec from a thread,
job control, Ctrl-C on the tracer, attach/detach, and the errors a user can hit.
Every case runs real programs under real ptrace and leaves no process behind."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from tracekit import MINITRACE, alive, run_minitrace

FORK_1000 = r"""
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    for (int i = 0; i < 1000; i++) {
        pid_t pid = fork();
        if (pid == 0) _exit(i % 7);
        if (pid < 0) return 1;
    }
    int status, n = 0;
    while (wait(&status) > 0) n++;
    return n == 1000 ? 0 : 2;
}
"""

THREADS = r"""
#include <pthread.h>
#include <unistd.h>
static void *work(void *arg) { write(1, "t\n", 2); return arg; }
int main(void) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, work, 0);
    for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
    return 0;
}
"""

EXEC_FROM_THREAD = r"""
#include <pthread.h>
#include <unistd.h>
static void *run(void *arg) {
    execl("/bin/echo", "echo", "from-thread", (char *)0);
    return arg;
}
int main(void) {
    pthread_t t;
    pthread_create(&t, 0, run, 0);
    for (;;) pause();
}
"""

# Prints its pid, then ticks for ~2 s of *work* (so a stop shows as lost time).
TICKER = r"""
#include <stdio.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    printf("%d\n", getpid());
    fflush(stdout);
    struct timespec ts = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 100; i++) nanosleep(&ts, 0);
    return 3;
}
"""


# A tiny job-control parent: fork, put the child in its own process group, exec, wait.
AS_A_JOB = """
import os, sys
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    os.execvp(sys.argv[1], sys.argv[1:])
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"""


def events_of(path) -> list[dict]:
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def trace_json(tmp_path, *cmd, **kw):
    out = tmp_path / "trace.jsonl"
    r = run_minitrace("--json", "-o", str(out), *cmd, **kw)
    return r, events_of(out)


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    return stat[stat.rfind(")") + 2]


NR_CLOCK_NANOSLEEP = 230


def current_syscall(pid: int) -> int | None:
    """The number of the call a blocked process is in (/proc/PID/syscall)."""
    try:
        with open(f"/proc/{pid}/syscall") as f:
            first = f.read().split()[0]
    except (OSError, IndexError):
        return None
    return int(first) if first.isdigit() else None


def tracer_of(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("TracerPid:"):
                return int(line.split()[1])
    return 0


def test_exit_status_is_the_tracees(tmp_path):
    r, events = trace_json(tmp_path, "sh", "-c", "exit 7")
    assert r.returncode == 7
    assert events[-1]["type"] == "exit" and events[-1]["code"] == 7


def test_tracee_killed_by_a_signal(tmp_path):
    r, events = trace_json(tmp_path, "sh", "-c", "kill -KILL $$")
    assert r.returncode == -signal.SIGKILL  # minitrace dies of it too, as strace
    exits = [e for e in events if e["type"] == "exit"]
    assert exits[-1]["signal"] == "SIGKILL" and exits[-1]["code"] is None
    kills = [e for e in events if e["type"] == "syscall" and e["name"] == "kill"]
    assert kills and kills[0]["ret"] is None  # it never returned


def test_segfault_is_a_signal_from_the_kernel(tmp_path, cc):
    exe = cc("segv", "int main(void) { *(volatile int *)0 = 1; return 0; }")
    r, events = trace_json(tmp_path, exe)
    assert r.returncode == -signal.SIGSEGV
    sig = [e for e in events if e["type"] == "signal"]
    assert sig[0]["sig"] == "SIGSEGV" and sig[0]["from"] is None
    assert events[-1]["signal"] == "SIGSEGV"


def test_a_thousand_forks(tmp_path, cc):
    exe = cc("fork1000", FORK_1000)
    r, events = trace_json(tmp_path, exe, timeout=240)
    assert r.returncode == 0, r.stderr
    spawns = [e for e in events if e["type"] == "spawn"]
    assert len(spawns) == 1000 and {e["kind"] for e in spawns} == {"fork"}
    exits = {e["pid"]: e["code"] for e in events if e["type"] == "exit"}
    assert len(exits) == 1001
    assert sorted(exits[s["child"]] for s in spawns) == sorted(i % 7 for i in range(1000))


def test_threads(tmp_path, cc):
    exe = cc("threads", THREADS)
    r, events = trace_json(tmp_path, exe)
    assert r.returncode == 0 and r.stdout == "t\n" * 4
    pid = events[0]["pid"]
    threads = [e["child"] for e in events if e["type"] == "spawn"]
    assert len(threads) == 4
    assert all(e["kind"] == "thread" for e in events if e["type"] == "spawn")
    writes = [e for e in events if e["type"] == "syscall" and e["name"] == "write"]
    assert {w["tid"] for w in writes} == set(threads)
    assert {w["pid"] for w in writes} == {pid}


def test_exec_from_a_thread(tmp_path, cc):
    exe = cc("exec_thread", EXEC_FROM_THREAD)
    r, events = trace_json(tmp_path, exe, timeout=60)
    assert r.returncode == 0 and r.stdout == "from-thread\n"
    pid = events[0]["pid"]
    execs = [e for e in events if e["type"] == "exec"]
    assert execs[-1]["pid"] == pid and execs[-1]["argv"] == ["echo", "from-thread"]
    assert execs[-1]["old_tid"] != pid  # the thread took over the process id
    execve = [e for e in events if e["type"] == "syscall" and e["name"] == "execve"]
    assert execve[-1]["ret"] == 0 and execve[-1]["tid"] == pid
    assert events[-1] == {**events[-1], "type": "exit", "pid": pid, "code": 0}


@pytest.mark.parametrize("stop_signal", [signal.SIGSTOP, signal.SIGTSTP])
def test_stop_and_continue_a_tracee(tmp_path, cc, stop_signal):
    """SIGSTOP (or Ctrl-Z's SIGTSTP) sent to a tracee stops it -- it does not run on
    behind the tracer's back -- and SIGCONT resumes it."""
    exe = cc("ticker", TICKER)
    out = tmp_path / "trace.jsonl"
    # The kernel discards SIGTSTP sent to an orphaned process group (POSIX: nobody could
    # ever continue it), traced or not, and whether pytest's group is orphaned depends on
    # how the suite was started. So run minitrace as a shell runs a job: in a session of
    # its own, in a process group whose parent is in another group of that session.
    p = subprocess.Popen([sys.executable, "-c", AS_A_JOB, *MINITRACE, "--json", "-o",
                          str(out), exe], stdout=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        pid = int(p.stdout.readline())
        os.kill(pid, stop_signal)
        assert wait_for(lambda: state(pid) in "Tt")
        before = open(f"/proc/{pid}/stat").read().split()[13]
        time.sleep(0.5)
        assert state(pid) in "Tt" and p.poll() is None
        assert open(f"/proc/{pid}/stat").read().split()[13] == before  # utime: no progress
        os.kill(pid, signal.SIGCONT)
        assert p.wait(timeout=30) == 3
    finally:
        p.kill()
        p.wait()
    kinds = [(e["type"], e.get("sig")) for e in events_of(out) if e["type"] in ("stop", "cont")]
    assert kinds == [("stop", signal.Signals(stop_signal).name), ("cont", "SIGCONT")]


def test_a_signal_to_a_tracer_writing_a_file_is_for_the_program(tmp_path):
    """`minitrace -o FILE CMD` ignores SIGINT (strace's non-interactive mode); the
    program's own SIGINT kills it, the trace says so, and minitrace dies of it too."""
    out = tmp_path / "trace.jsonl"
    p = subprocess.Popen([*MINITRACE, "--json", "-o", str(out), "sleep", "1000"])
    try:
        assert wait_for(lambda: out.exists() and '"exec"' in out.read_text())
        pid = events_of(out)[0]["pid"]
        assert wait_for(lambda: current_syscall(pid) == NR_CLOCK_NANOSLEEP)  # asleep
        p.send_signal(signal.SIGINT)
        time.sleep(0.2)
        assert p.poll() is None and alive(pid) and tracer_of(pid) == p.pid
        os.kill(pid, signal.SIGINT)
        assert p.wait(timeout=30) == -signal.SIGINT
    finally:
        p.kill()
        p.wait()
    assert not alive(pid)
    events = events_of(out)
    assert events[-1]["type"] == "exit" and events[-1]["signal"] == "SIGINT"
    assert events[-2]["type"] == "signal" and events[-2]["sig"] == "SIGINT"


def test_attach_and_detach_leaves_the_process_running(tmp_path):
    victim = subprocess.Popen(["sh", "-c", "while :; do sleep 0.05; done"])
    out = tmp_path / "trace.jsonl"
    p = None
    try:
        p = subprocess.Popen([*MINITRACE, "--json", "-o", str(out), "-p", str(victim.pid)],
                             stderr=subprocess.PIPE, text=True)
        assert wait_for(lambda: out.exists() and "wait4" in out.read_text())
        p.send_signal(signal.SIGINT)
        status, errors = p.wait(timeout=30), p.stderr.read()
        assert status == -signal.SIGINT and errors == ""  # as strace -p
        assert victim.poll() is None and tracer_of(victim.pid) == 0
        for _ in range(10):  # not stopped ("D" for a moment is possible on a busy machine)
            assert state(victim.pid) not in "Tt"
            time.sleep(0.03)
        seen = set(children(victim.pid))
        assert wait_for(lambda: set(children(victim.pid)) - seen)  # its loop goes on
        events = events_of(out)
        assert events[0]["type"] == "start" and events[0]["attached"] is True
        assert events[0]["argv"][:2] == ["sh", "-c"]
        assert any(e["type"] == "spawn" for e in events)  # it followed the loop's children
    finally:
        if p is not None:  # a failed test must not leave a tracer behind
            p.kill()
            p.wait()
        victim.kill()
        victim.wait()


def test_missing_command():
    r = run_minitrace("no-such-command-xyz")
    assert r.returncode == 127
    assert r.stderr == "minitrace: no-such-command-xyz: command not found\n"


def test_bad_pid():
    r = run_minitrace("-p", "999999999")
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "no such process" in r.stderr


def test_ptrace_not_permitted(tmp_path):
    """A process already traced (here by strace) cannot be traced twice."""
    victim = subprocess.Popen(["strace", "-o", os.devnull, "sleep", "60"])
    try:
        # strace forks short-lived probes first: wait for the traced `sleep`
        assert wait_for(lambda: traced_sleep(victim.pid))
        child = traced_sleep(victim.pid)
        r = run_minitrace("-p", str(child))
        assert r.returncode == 1
        assert r.stderr.count("\n") == 1 and "Operation not permitted" in r.stderr
        assert "Traceback" not in r.stderr
    finally:
        victim.kill()
        victim.wait()


def traced_sleep(tracer: int) -> int | None:
    for child in children(tracer):
        try:
            with open(f"/proc/{child}/comm") as f:
                if f.read().strip() == "sleep" and tracer_of(int(child)) == tracer:
                    return int(child)
        except OSError:
            pass
    return None


def children(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return f.read().split()
    except OSError:
        return []


def test_usage_errors_are_one_line():
    for args in (["-e", "trace=nosuchcall", "true"], ["-e", "signal=all", "true"], []):
        r = run_minitrace(*args)
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert r.stderr.splitlines()[-1].startswith("minitrace: ")


def test_python_tracee_runs_normally(tmp_path):
    """SIGPIPE is back to its default in the tracee (Python ignores it in the tracer)."""
    r = subprocess.run([*MINITRACE, "-o", os.devnull, "sh", "-c", "yes | head -1"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == "y\n"


THREADED_PY = """
import threading, time
def spin():
    while True:
        time.sleep(0.01)
for _ in range(3):
    threading.Thread(target=spin, daemon=True).start()
print('ready', flush=True)
while True:
    time.sleep(0.01)
"""


def test_attach_to_threads_and_detach(tmp_path):
    victim = subprocess.Popen([sys.executable, "-c", THREADED_PY], stdout=subprocess.PIPE,
                              text=True)
    out = tmp_path / "trace.jsonl"
    p = None
    try:
        assert victim.stdout.readline() == "ready\n"
        tids = {int(t) for t in os.listdir(f"/proc/{victim.pid}/task")}
        assert len(tids) == 4
        p = subprocess.Popen([*MINITRACE, "--json", "-o", str(out), "-p", str(victim.pid)])
        assert wait_for(lambda: out.exists() and len({e.get("tid") for e in events_of(out)
                                                      if e["type"] == "syscall"}) == 4)
        p.send_signal(signal.SIGINT)
        assert p.wait(timeout=30) == -signal.SIGINT  # as strace -p
        for tid in tids:
            assert tracer_of(tid) == 0
        time.sleep(0.2)
        assert victim.poll() is None and state(victim.pid) in "SR"
    finally:
        if p is not None:  # a failed test must not leave a tracer behind
            p.kill()
            p.wait()
        victim.kill()
        victim.wait()


def test_attach_to_a_stopped_process_leaves_it_stopped(tmp_path):
    victim = subprocess.Popen(["sleep", "60"])
    out = tmp_path / "trace.jsonl"
    p = None
    try:
        os.kill(victim.pid, signal.SIGSTOP)
        assert wait_for(lambda: state(victim.pid) == "T")
        p = subprocess.Popen([*MINITRACE, "--json", "-o", str(out), "-p", str(victim.pid)])
        assert wait_for(lambda: out.exists() and '"stop"' in out.read_text())
        p.send_signal(signal.SIGINT)
        assert p.wait(timeout=30) == -signal.SIGINT  # as strace -p
        assert tracer_of(victim.pid) == 0
        assert wait_for(lambda: state(victim.pid) == "T")
        os.kill(victim.pid, signal.SIGCONT)
        assert wait_for(lambda: state(victim.pid) == "S")
    finally:
        if p is not None:  # a failed test must not leave a tracer behind
            p.kill()
            p.wait()
        victim.kill()
        victim.wait()


def test_command_that_is_not_executable(tmp_path):
    script = tmp_path / "script.sh"
    script.write_text("echo hi\n")
    r = run_minitrace(str(script))
    assert r.returncode == 126 and r.stderr == f"minitrace: {script}: permission denied\n"


def test_orphans_are_followed_to_the_end(tmp_path):
    """The first process exits before its child: the child is still traced (strace does
    the same), and the exit status is the first process's."""
    r, events = trace_json(tmp_path, "sh", "-c", "(sleep 0.3; echo orphan-done) & exit 3")
    assert r.returncode == 3 and r.stdout == "orphan-done\n"
    exits = [e for e in events if e["type"] == "exit"]
    assert exits[0]["pid"] == events[0]["pid"] and exits[0]["code"] == 3
    assert exits[-1]["pid"] != events[0]["pid"] and exits[-1]["code"] == 0


EXEC_FROM_THREAD_LATER = r"""
#include <pthread.h>
#include <unistd.h>
static void *run(void *arg) {
    usleep(100000);  /* the leader is in pause() by now */
    execl("/bin/echo", "echo", "from-thread", (char *)0);
    return arg;
}
int main(void) {
    pthread_t t;
    pthread_create(&t, 0, run, 0);
    for (;;) pause();
}
"""


@pytest.mark.parametrize("tracer", [["strace", "-f"], MINITRACE], ids=["strace", "minitrace"])
def test_exec_from_a_thread_as_strace_shows_it(tmp_path, cc, tracer):
    """The leader's pause() never returns ("= ?"), then "+++ superseded by execve in pid
    T +++" names the thread T (the one clone3 made) whose execve took the leader's pid."""
    exe = cc("exec_thread_later", EXEC_FROM_THREAD_LATER)
    out = tmp_path / "trace.txt"
    subprocess.run([*tracer, "-o", str(out), exe], stdout=subprocess.DEVNULL, timeout=60,
                   check=True)
    lines = out.read_text().splitlines()
    superseded = [i for i, line in enumerate(lines) if "+++ superseded by execve" in line]
    assert len(superseded) == 1, lines
    leader, thread = re.match(r"(\d+) +\+\+\+ superseded by execve in pid (\d+) \+\+\+",
                              lines[superseded[0]]).groups()
    assert any(f"parent_tid=[{thread}]" in line for line in lines)
    assert any(re.match(rf"{leader} +(<\.\.\. )?pause.* = \?$", line)
               for line in lines[:superseded[0]])
    assert re.match(rf"{leader} +(<\.\.\. )?execve.* = 0$", lines[superseded[0] + 1])
