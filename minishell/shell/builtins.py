"""Builtins: commands the shell runs inside its own process.

OS idea: a child process cannot change its parent. `cd` run as a program would change the
directory of a child that exits at once; `exit` would end the child; `export` would set a
variable in a copy of the shell's memory. So these run in the shell itself (without fork),
and only when they are a stage of a pipeline do they run in a child (like everything there).

Job control builtins (`jobs`, `fg`, `bg`, `kill`, `wait`) talk to process groups with
kill(-pgid, SIGCONT) and waitpid; see jobs.py.

Each builtin is `name(shell, argv) -> exit status`; it writes with write(2) on fd 1/2, so its
output follows the redirections the executor set up and never sits in a Python buffer when
the shell forks.
"""

from __future__ import annotations

import _signal
import os

from . import jobs
from .explain import error
from .lexer import is_name, quote

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

BUILTINS: dict = {}
SUMMARIES: dict[str, str] = {}
KEYWORDS = {"!": "negate the exit status of a pipeline",
            "trace": "run a pipeline under the minitrace syscall tracer"}


class ExitShell(Exception):
    """Raised by `exit` (and fatal errors); the top level ends the shell with `status`."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class BuiltinError(Exception):
    """A builtin's usage error: printed as `minishell: name: message`, status 2 (as dash)."""


def builtin(*names: str, summary: str):
    """Register a function as the builtin(s) `names`, with a one-line summary for `help`."""
    def register(function):
        for name in names:
            BUILTINS[name] = _guarded(name, function)
            SUMMARIES[name] = summary
        return function
    return register


def _guarded(name: str, function):
    def run(shell: Shell, argv: list[str]) -> int:
        try:
            return function(shell, argv)
        except BuiltinError as err:
            error(f"{name}: {err}")
            return 2
        except BrokenPipeError:
            return 1
        except OSError as err:
            error(f"{name}: {err.strerror}")
            return 1
    return run


def fatal(shell: Shell, message: str) -> int:
    """An error in a special builtin (exit, export, unset, shift, .): as in dash, it ends a
    script; at a prompt it only fails the command (status 2)."""
    error(message)
    if not shell.interactive:
        raise ExitShell(2)
    return 2


def out(text: str) -> None:
    """Write to standard output (fd 1) with write(2); raise OSError if it fails."""
    data = text.encode("utf-8", "surrogateescape")
    while data:
        data = data[os.write(1, data):]


# --- the shell's own state -------------------------------------------------------------


@builtin("cd", summary="cd [DIR | -]: change the shell's working directory (chdir)")
def cd(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        target = shell.vars.get("HOME")
        if not target:
            return 0  # dash: no $HOME, nowhere to go, no error
    elif args[0] == "-":
        target = shell.vars.get("OLDPWD") or "."  # dash: no $OLDPWD stays here
    else:
        target = args[0]
    old = shell.vars.get("PWD") or os.getcwd()
    # Logical path, as dash: `cd ..` from a symlinked directory goes back up the link.
    logical = os.path.normpath(os.path.join(old, target))
    if logical.startswith("//"):
        logical = logical[1:]
    try:
        os.chdir(logical)
        new = logical
    except OSError:
        try:
            os.chdir(target)
        except OSError as err:  # the reason too, as bash and newer dash give it
            raise BuiltinError(f"can't cd to {target}: {err.strerror}") from None
        new = os.getcwd()
    shell.set_var("OLDPWD", old)
    shell.set_var("PWD", new)
    if args and args[0] == "-":
        out(new + "\n")
    return 0


@builtin("pwd", summary="pwd [-P]: print the working directory")
def pwd(shell: Shell, argv: list[str]) -> int:
    logical = shell.vars.get("PWD")
    if "-P" in argv[1:] or not logical or not _same_file(logical, "."):
        logical = os.getcwd()
    out(logical + "\n")
    return 0


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@builtin("exit", summary="exit [N]: leave the shell with status N (default: the last $?)")
def exit_(shell: Shell, argv: list[str]) -> int:
    status = shell.status
    if len(argv) > 1:
        if not argv[1].isdigit():
            return fatal(shell, f"exit: Illegal number: {argv[1]}")
        status = int(argv[1]) & 255
    stopped = [job for job in shell.jobs.jobs if job.state == jobs.STOPPED]
    if shell.interactive and stopped and not shell.warned_stopped_jobs:
        error("there are stopped jobs (exit again to leave anyway)")
        shell.warned_stopped_jobs = True
        return 1
    raise ExitShell(status)


@builtin("export", summary="export NAME[=VALUE]...: put variables in children's environment")
def export(shell: Shell, argv: list[str]) -> int:
    args = [arg for arg in argv[1:] if arg != "-p"]
    if not args:
        for name in sorted(shell.exported):
            if name in shell.vars:
                out(f"export {name}={quote(shell.vars[name])}\n")
        return 0
    for arg in args:
        name, equals, value = arg.partition("=")
        if not is_name(name):
            return fatal(shell, f"export: {name}: bad variable name")
        if equals:
            shell.set_var(name, value)
        shell.export(name)
    return 0


@builtin("unset", summary="unset NAME...: remove shell variables")
def unset(shell: Shell, argv: list[str]) -> int:
    for name in argv[1:]:
        if name in ("-v", "-f"):
            continue
        if not is_name(name):
            return fatal(shell, f"unset: {name}: bad variable name")
        shell.unset_var(name)
    return 0


@builtin("set", summary="set [-ex | +ex] [--] [ARG...]: options -e (exit when a command "
                         "fails) and -x (show each command); set $1, $2...")
def set_(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    if not args:
        for name in sorted(shell.vars):
            out(f"{name}={quote(shell.vars[name])}\n")
        return 0
    while args and args[0][:1] in ("-", "+") and args[0] not in ("-", "+"):
        option = args.pop(0)
        if option == "--":
            shell.positional = args
            return 0
        for letter in option[1:]:
            if letter not in "ex":
                raise BuiltinError(f"-{letter}: minishell knows only -e and -x")
            setattr(shell, "errexit" if letter == "e" else "xtrace", option[0] == "-")
    if args:
        shell.positional = list(args)
    return 0


@builtin("shift", summary="shift [N]: drop the first N positional parameters")
def shift(shell: Shell, argv: list[str]) -> int:
    count = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 1
    if count > len(shell.positional):
        return fatal(shell, "shift: can't shift that many")
    del shell.positional[:count]
    return 0


@builtin(".", "source", summary=". FILE [ARG...], source FILE [ARG...]: run FILE's commands "
                                 "in this shell")
def source(shell: Shell, argv: list[str]) -> int:
    if len(argv) < 2:
        raise BuiltinError("filename argument required")
    name = argv[1]
    path = name
    if "/" not in name:  # POSIX: `.` looks in $PATH
        from .executor import find_program

        path = find_program(name, shell.vars.get("PATH"), executable=False) or name
    from .state import read_script

    try:
        text = read_script(path)
    except OSError as err:
        return fatal(shell, f"{argv[0]}: cannot open {name}: {err.strerror}")
    saved = shell.positional
    if len(argv) > 2:
        shell.positional = argv[2:]
    try:
        return shell.run_text(text)
    finally:
        if len(argv) > 2:
            shell.positional = saved


@builtin("exec", summary="exec [CMD [ARG...]]: replace the shell by CMD; without CMD, make "
                          "the redirections permanent")
def exec_(shell: Shell, argv: list[str]) -> int:
    # The executor has already applied this command's redirections for good (not undone).
    if len(argv) == 1:
        return 0
    from .executor import exec_in_place

    return exec_in_place(shell, argv[1:])


@builtin("read", summary="read [-r] NAME...: read a line of standard input into variables")
def read(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    raw = bool(args) and args[0] == "-r"
    names = args[1:] if raw else args
    if not names:
        raise BuiltinError("arg count")
    line, complete = _read_line(raw)
    ifs = shell.vars.get("IFS", " \t\n")
    white = "".join(ch for ch in ifs if ch in " \t\n")
    fields = _split_for_read(line.strip(white), ifs, len(names))
    for index, name in enumerate(names):
        shell.set_var(name, fields[index] if index < len(fields) else "")
    return 0 if complete else 1


def _read_line(raw: bool) -> tuple[str, bool]:
    """One line from fd 0, a byte at a time so that the next command finds the rest of the
    input where it was (a buffered read would swallow it). Returns (line, saw a newline)."""
    data = bytearray()
    while True:
        byte = os.read(0, 1)
        if not byte:
            return data.decode("utf-8", "surrogateescape"), False
        if byte == b"\\" and not raw:
            nxt = os.read(0, 1)
            if nxt != b"\n":
                data += nxt
            continue
        if byte == b"\n":
            return data.decode("utf-8", "surrogateescape"), True
        data += byte


def _split_for_read(line: str, ifs: str, count: int) -> list[str]:
    """Split at IFS characters into at most `count` fields; the last one keeps the rest."""
    fields: list[str] = []
    rest = line
    white = "".join(ch for ch in ifs if ch in " \t\n")
    while rest and len(fields) < count - 1:
        end = 0
        while end < len(rest) and rest[end] not in ifs:
            end += 1
        fields.append(rest[:end])
        rest = rest[end:].lstrip(white)
        if rest and rest[0] in ifs:
            rest = rest[1:].lstrip(white)
    if rest or len(fields) < count:
        fields.append(rest.rstrip(white))
    return fields


# --- small utilities dash also has built in ---------------------------------------------


@builtin("echo", summary="echo [-n] ARG...: print the arguments (dash's echo: \\n etc. work)")
def echo(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    newline = True
    if args and args[0] == "-n":
        newline = False
        args = args[1:]
    text, stop = _echo_escapes(" ".join(args))
    try:
        out(text + ("\n" if newline and not stop else ""))
    except OSError:
        error("echo: I/O error")
        return 1
    return 0


def _echo_escapes(text: str) -> tuple[str, bool]:
    """dash's echo: \\n \\t \\\\ \\0NNN ...; \\c stops the output. Returns (text, stopped)."""
    if "\\" not in text:
        return text, False
    simple = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
              "\\": "\\"}
    result: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch != "\\" or not nxt:
            result.append(ch)
            i += 1
        elif nxt == "c":
            return "".join(result), True
        elif nxt in simple:
            result.append(simple[nxt])
            i += 2
        elif nxt == "0":
            digits = ""
            j = i + 2
            while j < len(text) and len(digits) < 3 and text[j] in "01234567":
                digits += text[j]
                j += 1
            result.append(chr(int(digits or "0", 8)))
            i = j
        else:
            result.append(ch)
            i += 1
    return "".join(result), False


@builtin("true", ":", summary="true, : (a colon): do nothing, successfully")
def true(shell: Shell, argv: list[str]) -> int:
    return 0


@builtin("false", summary="false: do nothing, unsuccessfully (status 1)")
def false(shell: Shell, argv: list[str]) -> int:
    return 1


@builtin("type", summary="type NAME...: say whether NAME is a builtin, a keyword or a program")
def type_(shell: Shell, argv: list[str]) -> int:
    from .executor import find_program

    status = 0
    for name in argv[1:]:
        if name in KEYWORDS:
            out(f"{name} is a shell keyword\n")
        elif name in BUILTINS:
            out(f"{name} is a shell builtin\n")
        elif path := find_program(name, shell.vars.get("PATH")):
            out(f"{name} is {path}\n")
        else:
            out(f"{name}: not found\n")
            status = 127
    return status


# --- job control -----------------------------------------------------------------------


@builtin("jobs", summary="jobs [-l|-p]: list the background and stopped jobs")
def jobs_(shell: Shell, argv: list[str]) -> int:
    shell.report_job_changes(quiet=True)
    for job in shell.jobs:
        if "-p" in argv:
            out(f"{job.pgid or job.pids[-1]}\n")
            continue
        if "-l" in argv:
            out(jobs.long_listing(job, shell.jobs.mark(job)))
        else:
            amp = " &" if job.state == jobs.RUNNING else ""
            out(f"[{job.number}]{shell.jobs.mark(job)} {job.describe()}  {job.text}{amp}\n")
        job.notified_state = job.state  # the user has seen it: no notice before the prompt
    shell.forget_notified_jobs()
    return 0


def _job_argument(shell: Shell, argv: list[str]) -> jobs.Job:
    spec = argv[1] if len(argv) > 1 else "%+"
    if not spec.startswith("%"):
        job = shell.jobs.by_pid(int(spec)) if spec.isdigit() else None
        if job is None:
            raise BuiltinError(f"{spec}: no such job")
        return job
    try:
        return shell.jobs.find(spec)
    except LookupError as err:
        raise BuiltinError(str(err)) from None


@builtin("fg", summary="fg [%N]: continue a job in the foreground (SIGCONT, tcsetpgrp)")
def fg(shell: Shell, argv: list[str]) -> int:
    if not shell.job_control:
        raise BuiltinError("no job control in this shell")
    job = _job_argument(shell, argv)
    out(job.text + "\n")
    shell.jobs.make_current(job)
    job.background = False
    return jobs.wait_in_foreground(shell, job, resume=True)


@builtin("bg", summary="bg [%N]: continue a stopped job in the background (SIGCONT)")
def bg(shell: Shell, argv: list[str]) -> int:
    if not shell.job_control:
        raise BuiltinError("no job control in this shell")
    job = _job_argument(shell, argv)
    job.background = True
    jobs.continue_job(job)
    job.notified_state = jobs.RUNNING
    out(f"[{job.number}]{shell.jobs.mark(job)} {job.text} &\n")
    return 0




@builtin("kill", summary="kill [-SIG] %N|PID...: send a signal (default SIGTERM) to a job")
def kill(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    number = _signal.SIGTERM
    if args and args[0] == "-l":
        for n in range(1, 32):
            out(jobs.signal_name(n).removeprefix("SIG") + "\n")
        return 0
    if args and args[0] == "-s" and len(args) > 1:
        spec, args = args[1], args[2:]
    elif args and args[0].startswith("-") and args[0] != "--" and len(args[0]) > 1:
        spec, args = args[0][1:], args[1:]
    else:
        spec = None
    if args and args[0] == "--":
        args = args[1:]
    if spec is not None:
        found = jobs.signal_number(spec)
        if found is None:
            raise BuiltinError(f"invalid signal number or name: {spec}")
        number = found
    if not args:
        raise BuiltinError("usage: kill [-s SIG | -SIG] %N|PID...")
    status = 0
    for target in args:
        try:
            if target.startswith("%"):
                job = shell.jobs.find(target)
                jobs.send_signal(-job.pgid if job.pgid else job.pids[-1], number)
                if job.state == jobs.STOPPED and number not in (
                        _signal.SIGCONT, _signal.SIGSTOP, _signal.SIGTSTP, _signal.SIGKILL):
                    jobs.continue_job(job)  # a stopped job acts on the signal only once continued
            else:
                jobs.send_signal(int(target), number)
        except LookupError as err:
            error(f"kill: {err}")
            status = 2
        except ValueError:
            error(f"kill: {target}: arguments must be process or job IDs")
            status = 2
        except OSError as err:
            error(f"kill: ({target}) - {err.strerror}")
            status = 1
    return status


@builtin("wait", summary="wait [PID|%N...]: wait for background jobs; $? is the last one's")
def wait(shell: Shell, argv: list[str]) -> int:
    # Interactive: the shell ignores SIGINT; while it waits, Ctrl-C should end the wait.
    if shell.interactive:
        _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    try:
        return _wait(shell, argv[1:])
    except KeyboardInterrupt:
        return 130
    finally:
        if shell.interactive:
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


def _wait(shell: Shell, args: list[str]) -> int:
    if not args:
        for job in list(shell.jobs.jobs):
            if job.state == jobs.RUNNING:
                jobs.wait_for_job(job, shell.job_control)
        shell.report_job_changes()
        return 0
    status = 127
    for arg in args:
        if arg.startswith("%"):
            try:
                job = shell.jobs.find(arg)
            except LookupError as err:
                error(f"wait: {err}")
                status = 127
                continue
        elif arg.isdigit():
            job = shell.jobs.by_pid(int(arg))
            if job is None:
                status = 127
                continue
        else:
            raise BuiltinError(f"{arg}: not a pid or job")
        if job.state == jobs.RUNNING:
            jobs.wait_for_job(job, shell.job_control)
        if not shell.interactive and job.state == jobs.DONE:
            jobs.report_killed(job, interactive=False)  # as dash: `Terminated` and the like
        if arg.isdigit():
            proc = next(p for p in job.procs if p.pid == int(arg))
            status = jobs.exit_status(proc.status)
        else:
            status = job.status()
        if job.state == jobs.DONE:
            shell.jobs.remove(job)
    return status

