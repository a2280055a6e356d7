"""The executor: walks the tree and makes the system calls (xv6's runcmd, grown up).

OS idea: every command the shell runs is the same dance,

    parent                              child
    ------                              -----
    pipe()        (for each `|`)
    fork()   ─────────────────────────> setpgid(0, pgid), tcsetpgrp()   (job control only)
    setpgid(child, pgid)                reset signal dispositions to the default
                                        open() + dup2() for each redirection, close() the rest
                                        execvp(program, argv)
    close() the pipe ends it gave away
    waitpid() for every child           ... the program runs, then exit()

Builtins (`cd`, `exit`, `export`...) change the shell itself, so they run in the shell's own
process; their redirections are applied to the shell's fds and undone afterwards.

Exec failures travel back through a close-on-exec "report" pipe: a successful execvp closes
it (the parent reads EOF), a failed one writes the errno first. The child prints the message
itself (on its own stderr, so `nosuch 2>/dev/null` is silent, as in dash) and exits 127 (not
found) or 126 (found but not executable).
"""

from __future__ import annotations

import _signal
import errno
import os

from . import builtins, builtins_interactive, jobs, traps
from . import explain as narration
from .ast import AndOr, Background, Command, Node, Pipeline, Sequence, Subshell, Trace
from .builtins import ExitShell
from .expand import expand_single, expand_words
from .explain import argv_text, error, narrate, notice, q

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .ast import Redirect
    from .state import Shell


class RedirectError(Exception):
    """A redirection could not be made; the message has been printed."""


class Prepared:
    """A simple command ready to exec: argv, the program's path if known, extra environment
    (`NAME=value cmd`), redirections."""

    __slots__ = ("argv", "path", "env", "redirects")

    def __init__(self, argv: list[str], path: str | None, env: dict[str, str],
                 redirects: list[Redirect]):
        self.argv, self.path, self.env, self.redirects = argv, path, env, redirects


# --- one function per node kind --------------------------------------------------------


def run(shell: Shell, node: Node) -> int:
    """Run one node of the tree in the shell process; set and return $?."""
    if shell.noexec and not shell.interactive:  # set -n: read the commands, run none
        return shell.status
    kind = type(node)
    if kind is Command:
        status = run_command(shell, node)
    elif kind is Pipeline:
        status = run_pipeline(shell, node)
    elif kind is AndOr:
        shell.errexit_off += 1  # set -e ignores what fails left of && and ||
        try:
            status = run(shell, node.left)
        finally:
            shell.errexit_off -= 1
        if (status == 0) == (node.op == "&&"):
            status = run(shell, node.right)
    elif kind is Sequence:
        status = 0
        for item in node.items:
            status = run(shell, item)
    elif kind is Background:
        status = run_background(shell, node)
    elif kind is Subshell:
        status = run_job(shell, [node], node.source)
    elif kind is Trace:
        status = run_trace(shell, node)
    else:
        raise TypeError(f"unknown node {node!r}")
    shell.status = status
    if traps.pending:  # a signal with a trap arrived: run its commands now, between commands
        traps.run_pending(shell)
    if status and shell.errexit and not shell.errexit_off and (
            kind in (Command, Subshell, Trace) or (kind is Pipeline and not node.negated)):
        raise ExitShell(status)  # set -e
    return status


def run_command(shell: Shell, command: Command) -> int:
    """A simple command: a builtin runs here, anything else in a child."""
    return run_simple(shell, command, expand_words(shell, command.words))


def run_simple(shell: Shell, command: Command, argv: list[str]) -> int:
    if shell.xtrace:  # set -x, as dash shows it
        shown = [f"{a.name}={expand_single(shell, a.value)}" for a in command.assignments]
        notice("+ " + " ".join(shown + argv) + "\n")
    if not argv:
        # Only assignments (`x=1`) and/or redirections (`>file` creates the file).
        status = 0
        try:
            for assignment in command.assignments:
                shell.set_var(assignment.name, expand_single(shell, assignment.value))
        except builtins.BuiltinError as err:  # a readonly variable: dash ends a script
            return builtins.fatal(shell, str(err))
        if command.redirects:
            status = run_with_redirects(shell, command.redirects, lambda: 0)
        return status
    builtin = builtins.BUILTINS.get(argv[0])
    if builtin is not None:
        return run_builtin(shell, builtin, argv, command)
    return run_job(shell, [prepare(shell, command, argv)], command.source)


def run_builtin(shell: Shell, builtin, argv: list[str], command: Command) -> int:
    """A builtin runs in the shell process, with its redirections undone afterwards (those
    of `exec` stay). Prefix assignments (`X=1 cd`) last for the builtin only (dash keeps them
    after special builtins like `export`; minishell treats all builtins alike)."""
    saved = {a.name: shell.vars.get(a.name) for a in command.assignments}
    try:
        for assignment in command.assignments:
            shell.set_var(assignment.name, expand_single(shell, assignment.value))
    except builtins.BuiltinError as err:  # a readonly variable: dash ends a script
        return builtins.fatal(shell, str(err))
    try:
        if argv[0] == "exec":
            try:
                apply_redirects(shell, command.redirects)
            except RedirectError:
                return 2
            return builtin(shell, argv)
        return run_with_redirects(shell, command.redirects, lambda: builtin(shell, argv))
    finally:
        for name, value in saved.items():
            if value is None:
                shell.unset_var(name)
            else:
                shell.set_var(name, value)


def prepare(shell: Shell, command: Command, argv: list[str]) -> Prepared:
    """Everything exec needs, computed before fork (see exec_program for why)."""
    env = {a.name: expand_single(shell, a.value) for a in command.assignments}
    for name in env:
        if name in shell.readonly:  # dash refuses `r=2 cmd` for a readonly r
            builtins.fatal(shell, f"{name}: is read only")
    path = None if "PATH" in env else shell.find_program(argv[0])
    return Prepared(argv, path, env, command.redirects)


def run_pipeline(shell: Shell, pipeline: Pipeline) -> int:
    shell.errexit_off += pipeline.negated  # set -e ignores a `!` pipeline
    try:
        if len(pipeline.stages) == 1:  # `! cmd`: no pipe, and a builtin runs in the shell
            status = run(shell, pipeline.stages[0])
        else:
            status = run_job(shell, pipeline.stages, pipeline.source)
    finally:
        shell.errexit_off -= pipeline.negated
    if pipeline.negated:
        status = 0 if status else 1
    return status


def run_background(shell: Shell, node: Background) -> int:
    body = node.body
    if type(body) is Pipeline and not body.negated:
        stages = body.stages
    else:
        stages = [body]
    return run_job(shell, stages, node.source, background=True)


def run_trace(shell: Shell, node: Trace) -> int:
    """`trace PIPELINE`: the pipeline runs in a traced copy of the shell (a fork), so that
    it sees the shell's variables and options; see builtins_interactive."""
    return builtins_interactive.run_trace(shell, node, run)


# --- jobs: pipe, fork, wait ------------------------------------------------------------


def run_job(shell: Shell, stages: list, text: str, background: bool = False) -> int:
    """Start one process per stage, connected by pipes; wait for them unless background."""
    job = jobs.Job(text)
    job.background = background
    reports: list[int | None] = []
    stdin = None
    for index, stage in enumerate(stages):
        stage_text = getattr(stage, "source", "")  # for `jobs -l`
        if type(stage) is Command:
            # Expand a program's words here, before fork: the child then only execs
            # (see exec_program for why the child should do as little as possible).
            argv = expand_words(shell, stage.words)
            if argv and argv[0] not in builtins.BUILTINS:
                stage = prepare(shell, stage, argv)
        if index < len(stages) - 1:
            read_end, write_end = os.pipe()  # both close-on-exec (PEP 446)
            narrate(f"pipe() = [{read_end}, {write_end}]")
        else:
            read_end = write_end = None
        reports.append(fork_stage(shell, job, stage, stdin, write_end, read_end,
                                  last=index == len(stages) - 1))
        job.procs[-1].text = stage_text
        # The parent needs no pipe end: keeping one open would keep the reader from ever
        # seeing end-of-file (`echo hi | cat` would hang).
        for fd in (stdin, write_end):
            if fd is not None:
                close(fd)
        stdin = read_end
    if background:
        for report in reports:  # a background child may block before exec (a FIFO): no wait
            if report is not None:
                os.close(report)
        shell.jobs.add(job)
        shell.last_background_pid = job.procs[-1].pid
        if shell.interactive:
            notice(f"[{job.number}] {job.procs[-1].pid}\n")
        return 0
    if not shell.job_control:
        for pid, report in zip(job.pids, reports, strict=True):
            if report is not None:
                read_exec_report(pid, report)
        return jobs.wait_in_foreground(shell, job)
    # With job control, Ctrl-Z may stop a child before its exec: reading its report then
    # would wait forever. So the reports are read after waitpid, from children that ended.
    status = jobs.wait_in_foreground(shell, job)
    for proc, report in zip(job.procs, reports, strict=True):
        if report is not None:
            if proc.state == jobs.DONE:
                read_exec_report(proc.pid, report)
            else:
                os.close(report)
    return status


def fork_stage(shell: Shell, job: jobs.Job, stage, stdin: int | None, stdout: int | None,
               unused: int | None, last: bool) -> int | None:
    """Fork one stage (`last`: the last of its pipeline). Returns the read end of its exec
    report pipe, or None if the report has been read already."""
    # With --explain the child waits for a byte on a "go" pipe until the parent has told of
    # the fork, so the story prints in order: `fork() = 4242` before `[4242] ...` lines.
    go = os.pipe() if narration.enabled() else None
    report_read, report_write = os.pipe()
    if shell.job_control:
        jobs.block_shell_signals()
    pid = os.fork()
    if pid == 0:
        os.close(report_read)
        if go is not None:
            os.close(go[1])
            os.read(go[0], 1)
            os.close(go[0])
        child(shell, job, stage, stdin, stdout, unused, report_write)  # never returns
    if shell.job_control:
        jobs.unblock_shell_signals()
    os.close(report_write)
    if go is not None:
        narrate(f"fork() = {pid}")
    if shell.job_control:
        # Both parent and child call setpgid: whichever runs first wins the race, and the
        # group exists before the parent hands it the terminal or signals it.
        job.pgid = job.pgid or pid
        try:
            os.setpgid(pid, job.pgid)
            narrate(f"setpgid({pid}, {job.pgid}) = 0")
        except OSError as err:  # the child already exec'd (EACCES) or exited (ESRCH)
            narrate(f"setpgid({pid}, {job.pgid}) = -1 {errno.errorcode.get(err.errno, '')}")
    if go is not None:
        os.close(go[0])
        os.write(go[1], b"!")
        os.close(go[1])
    # Until the child calls exec, parent and child share their memory copy-on-write, and each
    # page the parent writes is copied. So the parent waits for the exec of the last stage
    # right away, before its own bookkeeping (measured: a fifth of the time of each command).
    # Earlier stages are not waited for, so that they start while the next ones are forked
    # (measured: a quarter faster for two stages). Nor when the child has redirections:
    # opening a FIFO may wait for a later stage, which must exist first; nor with job
    # control (see run_job).
    deferred = not last or shell.job_control or bool(getattr(stage, "redirects", None))
    if not deferred:
        read_exec_report(pid, report_read)
    job.procs.append(jobs.Process(pid))
    return report_read if deferred else None


def read_exec_report(pid: int, report: int) -> None:
    """Block until the child has exec'd (EOF) or failed to (it wrote the errno)."""
    data = b""
    while chunk := os.read(report, 16):
        data += chunk
    os.close(report)
    if data:
        code = int(data)
        narrate(f"execvp in {pid} failed: {errno.errorcode.get(code, code)} ({os.strerror(code)})")


def close(fd: int) -> None:
    os.close(fd)
    narrate(f"close({fd})")


# --- in the child ----------------------------------------------------------------------


def child(shell: Shell, job: jobs.Job, stage, stdin: int | None, stdout: int | None,
          unused: int | None, report: int) -> None:
    """The child side of fork: set up the process, run the stage, never return."""
    status = 1
    try:
        job_control, background = shell.job_control, job.background
        if job_control:
            pgid = job.pgid or os.getpid()
            try:
                os.setpgid(0, pgid)
                narrate(f"setpgid(0, {pgid}) = 0")
            except OSError:
                pass
            if not background and shell.terminal is not None:
                shell.terminal.set_foreground(pgid)
        jobs.reset_signals(shell.signals_to_reset, unblock=job_control)
        if background and not job_control:
            # POSIX: without job control a background job ignores the keyboard's signals
            # and reads from /dev/null, never from the terminal.
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
            _signal.signal(_signal.SIGQUIT, _signal.SIG_IGN)
            if stdin is None:
                stdin = os.open(os.devnull, os.O_RDONLY)
        if unused is not None:  # first: it may be numbered 0 or 1 if the shell had them closed
            close(unused)
        if stdin is not None or stdout is not None:
            for fd, target in ((stdin, 0), (stdout, 1)):
                if fd == target:  # the shell started with fd 0 or 1 closed; pipe() reused it
                    os.set_inheritable(fd, True)
                elif fd is not None:
                    os.dup2(fd, target)
                    narrate(f"dup2({fd}, {target})")
                    close(fd)
        status = run_stage(shell, stage, report)
    except ExitShell as leave:
        status = leave.status
    except KeyboardInterrupt:
        status = 130
    except BaseException as err:  # never let the child run the parent's code
        error(f"internal error in child: {err!r}")
    finally:
        try:
            status = traps.run_exit_trap(status)  # a subshell's own `trap ... EXIT`
        finally:
            os._exit(status)


def run_stage(shell: Shell, stage, report: int) -> int:
    """Run one stage inside its child: exec a program, or run shell code then exit."""
    if type(stage) is Prepared:
        exec_program(shell, stage, report)
    shell.become_subshell()
    if type(stage) is Command:
        argv = expand_words(shell, stage.words)
        if argv and argv[0] not in builtins.BUILTINS:
            exec_program(shell, prepare(shell, stage, argv), report)
        os.close(report)
        return run_simple(shell, stage, argv)
    os.close(report)
    if type(stage) is Subshell:
        try:
            apply_redirects(shell, stage.redirects)
        except RedirectError:
            return 2
        return run(shell, stage.body)
    return run(shell, stage)


def exec_program(shell: Shell, prepared: Prepared, report: int) -> None:
    """Redirections, then execve. Never returns: on failure the child exits 126 or 127.

    This is the hot path of every command, and it runs in a fork of a Python process whose
    pages are shared copy-on-write with the parent: each object touched here may copy a page.
    So the parent did the work beforehand (the PATH search, cached; the environment, cached)
    and the child does little more than execve."""
    if prepared.redirects:
        try:
            apply_redirects(shell, prepared.redirects)
        except RedirectError:
            os._exit(2)
    argv = prepared.argv
    name = argv[0]
    if narration.enabled():
        narrate(f"execvp({q(name)}, {argv_text(argv)})")
    try:
        if prepared.path is not None:
            try:
                if prepared.env:  # `NAME=value cmd`: an environment of its own
                    os.execve(prepared.path, argv, shell.environment(prepared.env))
                os.execv(prepared.path, argv)  # the environment is the shell's (see state)
            except (FileNotFoundError, NotADirectoryError):
                if "/" in name:
                    raise  # else: the cached path is stale; search $PATH again below
        if not name:
            raise FileNotFoundError(errno.ENOENT, "empty command name")
        os.execvpe(name, argv, shell.environment(prepared.env))
    except OSError as err:
        code = err.errno or errno.ENOEXEC
    env = shell.environment(prepared.env)
    if code == errno.ENOEXEC:
        # A text file without #!: the kernel cannot run it, so the shell does, in this child.
        os.close(report)
        shell.become_subshell()
        path = find_program(name, env.get("PATH")) or name
        os._exit(shell.run_script(path, argv[1:], env))
    os.write(report, str(code).encode())
    status, message = exec_failure(name, code)
    error(message)
    os._exit(status)


def exec_in_place(shell: Shell, argv: list[str]) -> int:
    """`exec CMD`: the shell process itself becomes CMD (no fork). Only a failure returns."""
    jobs.reset_signals(shell.signals_to_reset)
    env = shell.environment()
    narrate(f"execvp({q(argv[0])}, {argv_text(argv)})")
    try:
        os.execvpe(argv[0], argv, env)
    except OSError as err:
        status, message = exec_failure(argv[0], err.errno or errno.ENOEXEC)
    error(message)
    raise ExitShell(status)


def exec_failure(name: str, code: int) -> tuple[int, str]:
    """127 and `command not found`, or 126 and why a file that exists cannot run."""
    if code in (errno.ENOENT, errno.ENOTDIR):
        if "/" not in name:
            return 127, f"{name}: command not found"
        return 127, f"{name}: {os.strerror(code)}"
    if code == errno.EACCES and os.path.isdir(name):
        return 126, f"{name}: Is a directory"
    return 126, f"{name}: {os.strerror(code)}"


def find_program(name: str, path: str | None, executable: bool = True) -> str | None:
    """What execvp would run for `name`: itself if it has a /, else the first (executable)
    file of that name in a $PATH directory."""
    if "/" in name:
        return name if os.path.exists(name) else None
    for directory in (path if path is not None else os.defpath).split(":"):
        candidate = os.path.join(directory or ".", name)
        if os.path.isfile(candidate) and (not executable or os.access(candidate, os.X_OK)):
            return candidate
    return None


# --- redirections ----------------------------------------------------------------------

OPEN_FLAGS = {
    "<": os.O_RDONLY,
    ">": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    ">|": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    ">>": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
    "<>": os.O_RDWR | os.O_CREAT,
}
FLAG_NAMES = {"<": "O_RDONLY", ">": "O_WRONLY|O_CREAT|O_TRUNC", ">|": "O_WRONLY|O_CREAT|O_TRUNC",
              ">>": "O_WRONLY|O_CREAT|O_APPEND", "<>": "O_RDWR|O_CREAT"}


def apply_redirects(shell: Shell, redirects: list[Redirect],
                    saved: list[tuple[int, int | None]] | None = None) -> None:
    """Make each redirection, left to right. With `saved`, first keep a close-on-exec copy of
    every fd about to change, so that restore_fds() can undo it (builtins in the shell)."""
    for redirect in redirects:
        op = redirect.op
        fd = redirect.fd if redirect.fd is not None else (0 if op[0] == "<" else 1)
        target = expand_single(shell, redirect.target)
        if saved is not None and fd not in (old for old, _ in saved):
            saved.append((fd, save_fd(fd)))
        if op in (">&", "<&"):
            duplicate(fd, target)
            continue
        flags = OPEN_FLAGS[op]
        if op == ">" and shell.noclobber:  # set -C: `>` never truncates an existing file
            flags = noclobber_flags(target, flags)
        try:
            new = os.open(target, flags, 0o666)
        except OSError as err:
            error(f"{target}: {err.strerror}")
            raise RedirectError from None
        narrate(f"open({q(target)}, {FLAG_NAMES[op]}) = {new}")
        if new == fd:  # fd was closed, so open() reused the number: make it inheritable
            os.set_inheritable(fd, True)
        else:
            os.dup2(new, fd)
            narrate(f"dup2({new}, {fd})")
            close(new)


def noclobber_flags(target: str, flags: int) -> int:
    """set -C: O_EXCL makes open(2) fail with EEXIST on an existing regular file, atomically;
    other files (/dev/null, a FIFO) are opened as they are, without O_TRUNC (as dash)."""
    import stat

    try:
        if not stat.S_ISREG(os.stat(target).st_mode):
            return flags & ~os.O_TRUNC
    except OSError:
        pass
    return flags | os.O_EXCL


def duplicate(fd: int, target: str) -> None:
    """`fd>&N` (fd becomes a copy of N) or `fd>&-` (close fd)."""
    if target == "-":
        try:
            os.close(fd)
            narrate(f"close({fd})")
        except OSError:
            pass
        return
    source = int(target)
    try:
        if source == fd:
            os.fstat(fd)  # `1>&1` changes nothing, but fd must be open
        else:
            os.dup2(source, fd)
            narrate(f"dup2({source}, {fd})")
    except (OSError, OverflowError):
        error(f"{target}: Bad file descriptor")
        raise RedirectError from None


def save_fd(fd: int) -> int | None:
    """A close-on-exec copy of fd, numbered 10 or more (out of the user's way); None if fd is
    not open."""
    import fcntl

    try:
        return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    except OSError:
        return None


def restore_fds(saved: list[tuple[int, int | None]]) -> None:
    for fd, copy in reversed(saved):
        if copy is None:
            try:
                os.close(fd)
            except OSError:
                pass
        else:
            os.dup2(copy, fd)
            os.close(copy)
    if saved:
        narrate("(restored the shell's own fds " + ", ".join(str(fd) for fd, _ in saved) + ")")


def run_with_redirects(shell: Shell, redirects: list[Redirect], body) -> int:
    """Run body() in the shell process with redirections that are undone afterwards."""
    if not redirects:
        return body()
    saved: list[tuple[int, int | None]] = []
    try:
        apply_redirects(shell, redirects, saved)
        return body()
    except RedirectError:
        return 2
    finally:
        restore_fds(saved)
