"""The executor: walks the tree and makes the system calls (xv6's runcmd, grown up).

OS idea: every program the shell starts is the same dance, and `run_job` below is it, on
one screen:

    parent                              child
    ------                              -----
    pipe()        (for each `|`)
    fork()   ─────────────────────────> setpgid(0, pgid)             (job control only)
                                        reset signal dispositions to the default
                                        dup2() the pipe ends onto 0 and 1, close() them
                                        open() + dup2() for each redirection
                                        execvp(program, argv)
    close() the pipe ends it gave away
    waitpid() for every child           ... the program runs, then exit()

The race and speed machinery lives in named helpers beside it (ExecReport, join_job,
parent_setpgid). Builtins (`cd`, `exit`...), functions and compound commands (`if`, `for`,
`{ }`) run in the shell's own process, with their redirections undone afterwards; that part
is in compound.py.
"""

from __future__ import annotations

import _signal
import errno
import os

from . import builtins, compound, jobs, syscalls, traps
from .ast import (
    AndOr,
    Background,
    Command,
    FunctionDef,
    Lit,
    Node,
    Pipeline,
    Sequence,
    Subshell,
    Trace,
)
from .builtins import ExitShell
from .compound import expansion_failed, xtrace
from .expand import GLOB_CHARS, ExpansionError, expand_single, expand_words
from .explain import enabled as narrating
from .explain import error, narrate, notice
from .redirect import RedirectError, apply_redirects, restore_fds
from .syscalls import ForkError, close, find_program, fork1, move_fd, pipe, waitpid

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .ast import Redirect
    from .state import Shell

# POSIX's special builtins: their assignments stay, and their errors end a script.
SPECIAL_BUILTINS = frozenset({":", ".", "break", "continue", "eval", "exec", "exit", "export",
                              "readonly", "return", "set", "shift", "times", "trap", "unset"})


# --- stages: what one process of a pipeline runs -----------------------------------------


class Program:
    """A program to exec: argv, its path if known, extra environment, redirections."""

    __slots__ = ("argv", "path", "env", "redirects", "source")

    def __init__(self, argv: list[str], path: str | None, env: dict[str, str] | None,
                 redirects: list[Redirect]):
        self.argv, self.path, self.env, self.redirects = argv, path, env, redirects
        self.source = None  # the command's text, when a stage of a pipeline

    def text(self) -> str:
        return self.source or " ".join(self.argv)


class ShellCode:
    """A stage that runs shell code in the child (a builtin, a function, `( )`, a loop)."""

    __slots__ = ("node",)

    def __init__(self, node: Node):
        self.node = node

    def text(self) -> str:
        return getattr(self.node, "source", "")


# --- the lecture path: pipe, fork, exec, wait ---------------------------------------------


def run_job(shell: Shell, stages: list[Program | ShellCode], text: str,
            background: bool = False) -> int:
    """Start one process per stage, connected by pipes; wait for them unless background."""
    if len(stages) > 1 or type(stages[0]) is ShellCode:  # (shell code may run in a child)
        builtins.load_all()  # once, here: a child would import a builtin's module at each fork
    job = jobs.Job(text)
    job.background = background
    stdin = None                                    # the read end the next stage gets
    for index, stage in enumerate(stages):
        read_end = write_end = None
        if index < len(stages) - 1:
            read_end, write_end = pipe()
        report = ExecReport(shell, stage, last=index == len(stages) - 1)
        try:
            pid = fork1_for_job(shell, job)
        except ForkError as err:
            return fork_failed(shell, job, err, stdin, read_end, write_end, report)
        if pid == 0:                                # --- the child ---
            report.in_child()
            if shell.job_control:
                join_job(shell, job)                # setpgid(0, pgid), tcsetpgrp
            jobs.reset_signals(shell.signals_to_reset, unblock=shell.job_control)
            if background and not shell.job_control:
                stdin = keyboard_detached(stdin)    # SIGINT, SIGQUIT ignored; /dev/null
            if read_end is not None:
                close(read_end)                     # the next stage's end, not ours
            move_fd(stdin, 0)                       # dup2(stdin, 0); close(stdin)
            move_fd(write_end, 1)                   # dup2(write_end, 1); close(write_end)
            run_stage(shell, stage, report)         # redirections, execvp: never returns
        # --- the parent ---
        if shell.job_control:
            parent_setpgid(shell, job, pid)
        report.in_parent(pid)                       # (may wait for the exec: see ExecReport)
        for fd in (stdin, write_end):               # an end left open here: no EOF, a hang
            if fd is not None:
                close(fd)
        stdin = read_end
        job.procs.append(jobs.Process(pid))
        if background or shell.job_control:  # a job `jobs -l` may list
            job.procs[-1].text = stage.text()
    if background:
        return remember_background(shell, job)
    ExecReport.collect(shell, job)                  # (see ExecReport)
    status = wait_for(shell, job)                   # waitpid() for every stage
    ExecReport.collect(shell, job)
    if status == 128 + _signal.SIGINT and shell.job_control:
        raise Interrupted  # Ctrl-C ends the whole command line, loops included (as dash)
    return status


class Interrupted(Exception):
    """The foreground job died of the terminal's SIGINT: the shell, which ignores SIGINT
    itself, abandons the rest of the command line (`while :; do sleep 1; done`)."""


def wait_for(shell: Shell, job: jobs.Job) -> int:
    """waitpid() each process of a foreground job; $? is the last stage's status."""
    if shell.job_control:  # Ctrl-Z may stop it: the terminal and the job table get involved
        return jobs.wait_in_foreground(shell, job)
    for proc in job.procs:
        # Without WUNTRACED only the end of the process is reported, once. (pid 0: ECHILD,
        # already reaped, which cannot happen without a SIGCHLD handler.)
        _, status = waitpid(proc.pid, 0)
        proc.state, proc.status = jobs.DONE, status
    jobs.report_killed(job, shell.interactive)
    return jobs.exit_status(job.procs[-1].status)


def run_stage(shell: Shell, stage: Program | ShellCode, report: ExecReport) -> None:
    """In the child: exec a program, or run shell code and exit with its status."""
    status = 1
    try:
        if type(stage) is Program:
            exec_program(shell, stage, report)
        report.close()
        shell.become_subshell()
        status = run_in_child(shell, stage.node, report)
    except ExitShell as leave:
        status = leave.status
    except compound.ReturnFunction as leave:
        status = leave.status
    except (compound.BreakLoop, compound.ContinueLoop):
        status = 0
    except ExpansionError as err:
        error(str(err))
        status = 2
    except KeyboardInterrupt:
        status = 130
    except BaseException as err:  # never let the child run the parent's code
        error(f"internal error in child: {err!r}")
    finally:
        try:
            status = traps.run_exit_trap(status)  # a subshell's own `trap ... EXIT`
        finally:
            os._exit(status)


def run_in_child(shell: Shell, node: Node, report: ExecReport) -> int:
    """Shell code in a child that exits afterwards: `( ( cmd ) )` needs no more forks, and
    a program that is the last thing left to run is exec'd in this process (as dash does)."""
    while type(node) is Subshell:
        try:
            apply_redirects(shell, node.redirects)
        except RedirectError:
            return 2
        node = node.body
    if type(node) is Command:
        argv = expand_words(shell, node.words)
        if argv and is_program(shell, argv[0]) and not shell.xtrace:
            exec_program(shell, prepare(shell, node, argv), report)
        return run_simple(shell, node, argv)
    return run(shell, node)


def exec_program(shell: Shell, program: Program, report: ExecReport) -> None:
    """Redirections, then execvp. Never returns: on failure the child exits 126 or 127."""
    if program.redirects:
        try:
            apply_redirects(shell, program.redirects)
        except RedirectError:
            os._exit(2)
    env = shell.environment(program.env) if program.env else None
    search = (program.env or {}).get("PATH", shell.vars.get("PATH"))
    code = syscalls.execvp(program.path, program.argv, env, search)
    if code == errno.ENOEXEC:  # a text file without #!: this child runs it as a script
        report.close()
        shell.become_subshell()
        name = program.argv[0]
        path = find_program(name, shell.vars.get("PATH")) or name
        os._exit(shell.run_script(path, program.argv[1:], shell.environment(program.env)))
    report.failed(code)
    status, message = exec_failure(program.argv[0], code)
    error(message)
    os._exit(status)


# --- beside the lecture path: races, speed, failures -----------------------------------------


class ExecReport:
    """A close-on-exec pipe from child to parent: a successful execve closes it (the parent
    reads EOF), a failed one writes the errno first.

    Why: until the child calls exec, parent and child share their memory copy-on-write, and
    each page the parent writes is copied. So the parent waits for the exec of the last stage
    right away, before its own bookkeeping (measured: a fifth of the time of each command).
    Earlier stages are not waited for, so that they start while the next ones are forked; nor
    a child with redirections (opening a FIFO may wait for a later stage); nor with job
    control (Ctrl-Z may stop the child before its exec: reading would block forever)."""

    def __init__(self, shell: Shell, stage: Program | ShellCode | None, last: bool):
        self.eager = type(stage) is Program and last and not stage.redirects and (
            not shell.job_control)
        self.read_end, self.write_end = os.pipe() if type(stage) is Program else (None, None)
        self.pid = 0

    def in_child(self) -> None:
        if self.read_end is not None:
            os.close(self.read_end)

    def in_parent(self, pid: int) -> None:
        self.pid = pid
        if self.write_end is not None:
            os.close(self.write_end)
            if self.eager:
                self.read()
            else:
                _pending.append(self)

    def close(self) -> None:
        """In the child, when it runs shell code instead of exec."""
        if self.write_end is not None:
            os.close(self.write_end)
            self.write_end = None

    def failed(self, code: int) -> None:
        if self.write_end is not None:
            os.write(self.write_end, str(code).encode())

    def read(self) -> None:
        data = b""
        while chunk := os.read(self.read_end, 16):
            data += chunk
        os.close(self.read_end)
        self.read_end = None
        if data:
            code = int(data)
            narrate(f"execvp in {self.pid} failed: {errno.errorcode.get(code, code)} "
                    f"({os.strerror(code)})")

    @staticmethod
    def collect(shell: Shell, job: jobs.Job) -> None:
        """Read the reports of the job's processes: before waitpid without job control;
        with it, after waitpid, from the processes that ended (the others: close)."""
        if not _pending:  # the usual case: the report was read at once (eager)
            return
        procs = {proc.pid: proc for proc in job.procs}
        for report in [r for r in _pending if r.pid in procs]:
            if not shell.job_control:
                report.read()
            elif job.state != jobs.RUNNING:
                if procs[report.pid].state == jobs.DONE:
                    report.read()
                else:
                    os.close(report.read_end)
            else:
                continue
            _pending.remove(report)


_pending: list[ExecReport] = []


KEYBOARD = (_signal.SIGINT, _signal.SIGQUIT)


def fork1_for_job(shell: Shell, job: jobs.Job) -> int:
    """fork() with signals blocked around it, so that none is handled with the shell's
    disposition in the child before it sets its own (the child unblocks them in
    reset_signals): in an interactive shell, those the shell ignores (a Ctrl-C right after
    fork must reach the child, see jobs.block_shell_signals); for a background job without
    job control, SIGINT and SIGQUIT (`sleep 5 & kill -INT $!` must find them ignored)."""
    if shell.job_control:
        block, unblock = jobs.block_shell_signals, jobs.unblock_shell_signals
    elif job.background:
        def block() -> None:
            _signal.pthread_sigmask(_signal.SIG_BLOCK, KEYBOARD)

        def unblock() -> None:
            _signal.pthread_sigmask(_signal.SIG_UNBLOCK, KEYBOARD)
    else:
        return fork1()
    block()
    try:
        pid = fork1()
    except ForkError:
        unblock()
        raise
    if pid:
        unblock()
    return pid


def fork_failed(shell: Shell, job: jobs.Job, err: ForkError, *fds) -> int:
    """fork() failed: close this job's pipe ends, wait for the stages already started, and
    report it as a shell error (status 2), as dash does."""
    for item in fds:
        if isinstance(item, ExecReport):
            for fd in (item.read_end, item.write_end):
                if fd is not None:
                    os.close(fd)
        elif item is not None:
            os.close(item)
    error(str(err))
    if job.procs:
        ExecReport.collect(shell, job)
        wait_for(shell, job)
        ExecReport.collect(shell, job)
    return 2


def join_job(shell: Shell, job: jobs.Job) -> None:
    """In the child: join the job's process group and take the terminal (job control). The
    parent calls setpgid too: whichever runs first wins the race, and the group exists
    before the parent hands it the terminal or signals it."""
    pgid = job.pgid or os.getpid()
    syscalls.setpgid(0, pgid)
    if not job.background and shell.terminal is not None:
        shell.terminal.set_foreground(pgid)


def parent_setpgid(shell: Shell, job: jobs.Job, pid: int) -> None:
    job.pgid = job.pgid or pid
    syscalls.setpgid(pid, job.pgid)


def keyboard_detached(stdin: int | None) -> int | None:
    """In the child of a background job without job control (POSIX): it ignores the
    keyboard's signals, and reads /dev/null, never the terminal (or the script the shell is
    reading from its stdin). Returns the fd to make its stdin."""
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)  # a pending one is discarded now
    _signal.signal(_signal.SIGQUIT, _signal.SIG_IGN)
    _signal.pthread_sigmask(_signal.SIG_UNBLOCK, KEYBOARD)
    return os.open(os.devnull, os.O_RDONLY) if stdin is None else stdin


def remember_background(shell: Shell, job: jobs.Job) -> int:
    """`cmd &`: no wait; the job table keeps it for `jobs`, `wait` and `$!`."""
    for report in [r for r in _pending if r.pid in job.pids]:
        _pending.remove(report)  # a background child may block before exec (a FIFO)
        os.close(report.read_end)
    shell.jobs.add(job)
    shell.last_background_pid = job.procs[-1].pid
    if shell.interactive:
        notice(f"[{job.number}] {job.procs[-1].pid}\n")
    return 0


# --- one function per node kind ------------------------------------------------------------


def run(shell: Shell, node: Node) -> int:
    """Run one node of the tree in the shell process; set and return $?."""
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
        status = run_job(shell, [ShellCode(node)], node.source)
    elif kind is FunctionDef:
        shell.functions[node.name] = node.body
        status = 0
    elif kind is Trace:
        status = run_trace(shell, node)
    else:
        status = compound.run_compound(shell, node, run)
    shell.status = status
    if traps.pending:  # a signal with a trap arrived: run its commands now, between commands
        traps.run_pending(shell)
    if status and shell.errexit and not shell.errexit_off and (
            kind in (Command, Subshell, Trace) or (kind is Pipeline and not node.negated)):
        raise ExitShell(status)  # set -e
    return status


def run_command(shell: Shell, command: Command) -> int:
    """A simple command: expand its words once, then a function, a builtin or a program."""
    if shell.noexec and not shell.interactive:  # set -n: read commands, run none
        return 0
    try:
        words = command.words
        if words and words[0].text in DECLARATIONS:
            argv = expand_declaration(shell, words)
        else:
            argv = expand_words(shell, words)
    except ExpansionError as err:
        return expansion_failed(shell, err)
    return run_simple(shell, command, argv)


DECLARATIONS = frozenset({"export", "readonly", "local"})


def expand_declaration(shell: Shell, words: list) -> list[str]:
    """`export y=$x`: an argument that looks like an assignment expands like one (no field
    splitting, no globbing, tilde after `=` and `:`), as in dash."""
    from .parser import as_assignment

    argv = expand_words(shell, words[:1])
    for word in words[1:]:
        assignment = as_assignment(word)
        if assignment is None:
            argv.extend(expand_words(shell, [word]))
        else:
            argv.append(f"{assignment.name}={expand_single(shell, assignment.value, True)}")
    return argv


def run_simple(shell: Shell, command: Command, argv: list[str]) -> int:
    try:
        if not argv:
            return assign_only(shell, command)
        name = argv[0]
        if name in SPECIAL_BUILTINS and name in builtins.BUILTINS:
            return compound.run_builtin(shell, argv, command, special=True)
        if name in shell.functions:
            return compound.call_function(shell, argv, command, run)
        if name in builtins.BUILTINS:
            return compound.run_builtin(shell, argv, command, special=False)
        env = compound.prefix_environment(shell, command.assignments)
        if shell.xtrace:
            xtrace(shell, [f"{name}={value}" for name, value in env.items()], argv)
        path = program_path(shell, name, env)
    except ExpansionError as err:
        return expansion_failed(shell, err)
    except builtins.BuiltinError as err:  # a readonly variable assigned: dash ends a script
        return builtins.fatal(shell, str(err))
    return run_job(shell, [Program(argv, path, env, command.redirects)], command.source)


def assign_only(shell: Shell, command: Command) -> int:
    """`x=1` and/or `>file`: variables set in the shell; $? is the last $(...)'s status."""
    shell.sub_status = 0
    assigned = []
    for assignment in command.assignments:
        value = expand_single(shell, assignment.value, True)
        shell.set_var(assignment.name, value)
        assigned.append(f"{assignment.name}={value}")
    shell.status = shell.sub_status
    if shell.xtrace and command.assignments:
        xtrace(shell, assigned, [])
    if command.redirects:
        saved: list = []
        try:
            apply_redirects(shell, command.redirects, saved)
        except RedirectError:
            return 2
        finally:
            restore_fds(saved)
    return shell.status


def prepare(shell: Shell, command: Command, argv: list[str]) -> Program:
    env = compound.prefix_environment(shell, command.assignments)
    path = program_path(shell, argv[0], env)
    return Program(argv, path, env, command.redirects)


def program_path(shell: Shell, name: str, env: dict[str, str]) -> str | None:
    if "PATH" in env:
        return find_program(name, env["PATH"])
    return shell.find_program(name)


def is_program(shell: Shell, name: str) -> bool:
    return name not in builtins.BUILTINS and name not in shell.functions


def run_pipeline(shell: Shell, pipeline: Pipeline) -> int:
    shell.errexit_off += pipeline.negated  # set -e ignores a `!` pipeline
    try:
        if len(pipeline.stages) == 1:  # `! cmd`: no pipe, and a builtin runs in the shell
            status = run(shell, pipeline.stages[0])
        else:
            stages = [pipeline_stage(shell, stage) for stage in pipeline.stages]
            status = run_job(shell, stages, pipeline.source)
    finally:
        shell.errexit_off -= pipeline.negated
    if pipeline.negated:
        status = 0 if status else 1
    return status


def pipeline_stage(shell: Shell, node: Node) -> Program | ShellCode:
    """What a child of a pipeline runs. Shell code as a rule: POSIX runs each stage in a
    subshell, where its words are expanded. But a program named in plain words (no $, no
    quotes, no pattern: `grep -c x`) has the same argv expanded here, and its child then
    goes straight to exec, as a simple command's does (fewer pages copied before exec)."""
    if type(node) is Command and node.words and not node.assignments and not shell.xtrace:
        argv = [plain_text(word) for word in node.words]
        if None not in argv and is_program(shell, argv[0]):
            # Looked up as the child would: `hash` in the shell does not learn it (as dash).
            program = Program(argv, shell.find_program(argv[0], remember=False), None,
                              node.redirects)
            program.source = node.source  # for `jobs -l`
            return program
    return ShellCode(node)


def plain_text(word) -> str | None:
    """The text of a word that expands to itself (one unquoted literal, no ~ * ? [)."""
    parts = word.parts
    if len(parts) == 1 and type(parts[0]) is Lit and not parts[0].quoted:
        text = parts[0].text
        if not (text[0] == "~" or GLOB_CHARS.intersection(text)):
            return text
    return None


def run_background(shell: Shell, node: Background) -> int:
    body = node.body
    stages = body.stages if type(body) is Pipeline and not body.negated else [body]
    return run_job(shell, [ShellCode(s) for s in stages], node.source, background=True)


def run_trace(shell: Shell, node: Trace) -> int:
    """`trace PIPELINE`: the pipeline runs in a traced copy of the shell (a fork), so that
    it sees the shell's variables and options; see builtins_interactive."""
    from .builtins_interactive import run_trace as traced  # (start-up time: on first use)

    return traced(shell, node, run)


def capture(shell: Shell, body: Node) -> str:
    """Command substitution `$(body)`: a child runs body with its stdout on a pipe; the
    shell reads to EOF, waits, and drops the trailing newlines. $? becomes its status."""
    builtins.load_all()  # once, here: a child would import a builtin's module at each fork
    read_end, write_end = pipe()
    report = ExecReport(shell, None, last=False)
    try:
        pid = fork1()
    except ForkError as err:
        for fd in (read_end, write_end):
            os.close(fd)
        raise ExpansionError(str(err)) from None
    if pid == 0:
        jobs.reset_signals(shell.signals_to_reset)
        close(read_end)
        move_fd(write_end, 1)
        run_stage(shell, ShellCode(body), report)
    close(write_end)
    chunks = []
    while data := os.read(read_end, 65536):
        chunks.append(data)
    if narrating():
        narrate(f"read({read_end}) until EOF = {sum(map(len, chunks))} bytes  "
                "(the output of $(...))")
    close(read_end)
    _, status = waitpid(pid, 0)
    shell.sub_status = jobs.exit_status(status)  # $? of `x=$(cmd)`, not of `echo $(cmd)`
    text = b"".join(chunks).replace(b"\0", b"")  # a NUL cannot be in a C string: dash drops it
    return text.decode("utf-8", "surrogateescape").rstrip("\n")


# --- programs: where they are, why they failed ----------------------------------------------


def exec_in_place(shell: Shell, argv: list[str]) -> int:
    """`exec CMD`: the shell process itself becomes CMD (no fork). Only a failure returns."""
    jobs.reset_signals(shell.signals_to_reset)
    code = syscalls.execvp(shell.find_program(argv[0]), argv, shell.environment(),
                           shell.vars.get("PATH"))
    status, message = exec_failure(argv[0], code)
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
