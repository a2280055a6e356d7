"""`help` and `trace`: the two commands that teach from inside the shell.

OS idea of `trace PIPELINE`: a process can watch another one's system calls with ptrace(2),
and a forked child is a complete copy of its parent. So `trace` forks a copy of this very
shell -- its variables, functions, options, working directory, open files -- and has the
minitrace tracer attach to that copy (PTRACE_SEIZE, as `strace -p` does) before it runs the
pipeline. What the trace shows is what this shell would do: `x=outer; trace echo "[$x]"`
prints `[outer]`.

    shell ──fork──> copy (the job, in the foreground)     waits on a pipe until traced,
      │                                                   then runs the pipeline, exits
      └──fork──> tracer: exec minitrace -p COPY           attaches, draws the pictures

The price of a copy is the lesson of lesson 1: a child cannot change its parent. `trace cd /`
changes the copy's directory only; `trace` says so.

The tracer stays in the shell's own process group, not the job's: Ctrl-C reaches the traced
commands only, they die of SIGINT as they would untraced, and the tracer lives on to report
it. The shell takes $? from the copy, its own child, so the status is the program's.
"""

from __future__ import annotations

import os
import sys

from . import jobs
from .builtins import BUILTINS, KEYWORDS, SUMMARIES, builtin, out
from .explain import error, narrate

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .ast import Trace
    from .state import Shell

TRACE_USAGE = "usage: trace PIPELINE   (run it in a traced copy of this shell; e.g. trace ls | wc)"

# Builtins whose whole point is to change the shell that runs them: in a traced copy they
# change the copy only. (The value says what stays as it was.)
CHANGES_THE_SHELL = {
    "cd": "this shell's working directory", "export": "this shell's variables",
    "unset": "this shell's variables", "set": "this shell's options and $1...",
    "shift": "this shell's $1...", "read": "this shell's variables",
    ".": "this shell's variables", "source": "this shell's variables",
    "exit": "this shell (it goes on)", "exec": "this shell (it goes on)",
    "fg": "this shell's jobs", "bg": "this shell's jobs", "wait": "this shell's jobs",
}


# --- help ------------------------------------------------------------------------------


@builtin("help", summary="help [TOPIC]: list the builtins, or point to the lesson on TOPIC")
def help_(shell: Shell, argv: list[str]) -> int:
    from .topics import TOPICS

    if len(argv) > 1:
        topic = argv[1]
        if topic in TOPICS:
            summary, lesson = TOPICS[topic]
            out(f"{topic}: {summary}\n  see {lesson}\n")
            return 0
        if topic in SUMMARIES or topic in KEYWORDS:
            out((SUMMARIES.get(topic) or f"{topic}: {KEYWORDS[topic]}") + "\n")
            return 0
        error(f"help: no help on {topic}")
        return 1
    out("minishell builtins (run inside the shell, without fork):\n")
    for summary in sorted(set(SUMMARIES.values())):
        out(f"  {summary}\n")
    out("keywords:\n")
    for name, summary in KEYWORDS.items():
        out(f"  {name}: {summary}\n")
    out("topics (help TOPIC): " + " ".join(sorted(TOPICS)) + "\n")
    return 0


# --- trace -----------------------------------------------------------------------------


def run_trace(shell: Shell, node: Trace, run_node) -> int:
    """`trace PIPELINE`: run the pipeline in a forked copy of the shell, under minitrace.
    `run_node(shell, node)` is the executor's: the copy runs the tree as the shell would."""
    if node.body is None:  # `trace` alone
        error(f"trace: {TRACE_USAGE}")
        return 2
    job = jobs.Job(f"trace {node.source}")
    (go_read, go_write), (ready_read, ready_write) = os.pipe(), os.pipe()
    copy = fork_traced_copy(shell, job, node, run_node, (go_read, go_write, ready_read,
                                                         ready_write))
    os.close(ready_write)
    os.read(ready_read, 1)  # the copy may be traced from now on (or it is gone: EOF)
    os.close(ready_read)
    tracer = fork_tracer(shell, copy)
    attached = wait_until_traced(copy, tracer)
    if not attached:
        os.write(go_write, b"!")  # a byte: the copy exits without running anything
    os.close(go_write)  # EOF alone: the copy runs the pipeline, traced
    if attached:
        status = jobs.wait_in_foreground(shell, job)
    else:
        jobs.wait_for_job(job, job_control=False)
        status = 1
    if job.state == jobs.DONE:  # (a stopped copy keeps its tracer: the shell reaps it later)
        jobs.waitpid(tracer, 0)  # its pictures are on the screen before the next prompt
    note_unchanged_state(node)
    return status


def fork_traced_copy(shell: Shell, job: jobs.Job, node: Trace, run_node,
                     pipes: tuple[int, int, int, int]) -> int:
    """The copy: a job of its own (its process group gets the terminal). It says on the
    ready pipe that it may be traced, blocks on the go pipe until the tracer is attached,
    then runs the pipeline and exits with its $?."""
    go_read, go_write, ready_read, ready_write = pipes
    if shell.job_control:
        jobs.block_shell_signals()  # (see jobs.block_shell_signals: no Ctrl-C lost)
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(go_write)
            os.close(ready_read)
            if shell.job_control:
                os.setpgid(0, 0)
                shell.terminal.set_foreground(os.getpid())
            jobs.reset_signals(shell.signals_to_reset, unblock=shell.job_control)
            shell.become_subshell()
            allow_ptrace(True)
            os.write(ready_write, b"r")
            os.close(ready_write)
            traced = os.read(go_read, 1) == b""  # EOF: attached; a byte: the tracer failed
            allow_ptrace(False)
            os.close(go_read)
            if traced:
                status = run_node(shell, node.body)
        except SystemExit as leave:
            status = leave.code if isinstance(leave.code, int) else 1
        except BaseException as err:  # noqa: BLE001  (never run the parent's code)
            status = getattr(err, "status", 1)
        finally:
            os._exit(status)
    if shell.job_control:
        jobs.unblock_shell_signals()
        job.pgid = pid
        try:
            os.setpgid(pid, pid)  # as the child does: whichever runs first
        except OSError:
            pass
    os.close(go_read)
    narrate(f"fork() = {pid}   (a copy of the shell, to be traced)")
    job.procs.append(jobs.Process(pid, job.text))
    return pid


def allow_ptrace(allowed: bool) -> None:
    """With Yama's ptrace_scope=1 (Ubuntu's default) only an ancestor may trace a process,
    and the tracer is the copy's sibling: the copy lets any process of its user trace it
    (prctl PR_SET_PTRACER_ANY) while it waits for the tracer, and no more afterwards."""
    try:
        with open("/proc/sys/kernel/yama/ptrace_scope") as scope:
            if scope.read().strip() != "1":
                return
    except OSError:  # no Yama: a process of the same user may trace it anyway
        return
    import ctypes

    pr_set_ptracer, any_process = 0x59616D61, ctypes.c_ulong(-1).value
    ctypes.CDLL(None).prctl(pr_set_ptracer, ctypes.c_ulong(any_process if allowed else 0),
                            0, 0, 0)


def fork_tracer(shell: Shell, copy: int) -> int:
    """minitrace -p COPY, in the shell's process group (not the job's: Ctrl-C is for the
    traced commands; the tracer reports how they ended)."""
    argv = [sys.executable, "-m", "minishell.trace", "--tree", "--fds", "-p", str(copy)]
    pid = os.fork()
    if pid == 0:
        try:
            jobs.reset_signals(shell.signals_to_reset)
            os.execv(argv[0], argv)
        except OSError as err:
            error(f"trace: cannot run minitrace: {err.strerror}")
        finally:
            os._exit(127)
    narrate(f"fork() = {pid}   (the tracer: {' '.join(argv[1:])})")
    return pid


def wait_until_traced(copy: int, tracer: int) -> bool:
    """Poll /proc/COPY/status until its TracerPid is the tracer's; False (said as the tool's
    error) if the tracer ended first, e.g. because ptrace was refused."""
    import time

    from .. import procfs

    delay = 0.0005
    while True:
        try:
            if procfs.status(copy).get("TracerPid") == str(tracer):
                return True
        except OSError:  # the copy is gone (killed meanwhile): nothing to wait for
            return False
        pid, wait_status = os.waitpid(tracer, os.WNOHANG)
        if pid:
            error(f"trace: minitrace could not trace the command "
                  f"({jobs.describe_status(wait_status)}); nothing was run")
            return False
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


def note_unchanged_state(node: Trace) -> None:
    """`trace cd /`: say that the copy's cd could not move this shell."""
    from .ast import Command

    body = node.body
    if type(body) is not Command or not body.words:
        return
    name = body.words[0].text
    if name in CHANGES_THE_SHELL and name in BUILTINS:
        error(f"trace: `{name}` ran in a traced copy of the shell, and a child process "
              f"cannot change its parent: {CHANGES_THE_SHELL[name]} stays as it was")
