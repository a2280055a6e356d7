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

import os

from . import jobs
from .builtins_base import (  # noqa: F401  (the registry's API, re-exported)
    BUILTINS,
    INT_MAX,
    SPECIAL,
    BuiltinError,
    ExitShell,
    ShellError,
    builtin,
    fatal,
    number,
    options,
    out,
)
from .explain import error
from .parser import RESERVED as PARSER_RESERVED

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

KEYWORDS = {"!": "negate the exit status of a pipeline",
            "trace": "run a pipeline under the minitrace syscall tracer"}
# The reserved words (the parser's), and minishell's own `trace`, for `type`.
RESERVED = PARSER_RESERVED | {"trace"}


# --- the shell's own state -------------------------------------------------------------


@builtin("cd", summary="cd [DIR | -]: change the shell's working directory (chdir); "
                        "cd -P DIR resolves symbolic links; $CDPATH is searched")
def cd(shell: Shell, argv: list[str]) -> int:
    physical = False
    args = argv[1:]
    while args and args[0].startswith("-") and len(args[0]) > 1:
        word = args.pop(0)
        if word == "--":
            break
        for letter in word[1:]:
            if letter not in "LP":
                raise BuiltinError(f"Illegal option -{letter}")
            physical = letter == "P"
    target = args[0] if args else shell.vars.get("HOME")
    if not target:
        return 0  # dash: no $HOME (or `cd ""`), nowhere to go, no error
    show = False
    if target == "-":
        target, show = shell.vars.get("OLDPWD") or ".", True
    old = shell.vars.get("PWD") or _getcwd() or "."
    reason = "No such file or directory"
    for candidate, in_cdpath in _cd_candidates(shell, target):
        try:
            new = _chdir(candidate, old, physical)
        except OSError as err:
            reason = err.strerror or str(err)
            continue
        show = show or in_cdpath
        break
    else:
        # The reason too, as bash and newer dash give it: a student needs to know why.
        raise BuiltinError(f"can't cd to {target}: {reason}")
    # dash exports both, so that a program started next knows where the shell was.
    shell.set_var("OLDPWD", old)
    shell.export("OLDPWD")
    shell.set_var("PWD", new)
    shell.export("PWD")
    if show:
        out(new + "\n")
    return 0


def _cd_candidates(shell: Shell, target: str):
    """Where `cd target` may go: the $CDPATH directories first (POSIX: unless target starts
    with /, ./ or ../), then the target itself. Yields (path, announce it)."""
    cdpath = shell.vars.get("CDPATH")
    if cdpath and not target.startswith(("/", "./", "../")) and target not in (".", ".."):
        for directory in cdpath.split(":"):
            candidate = os.path.join(directory, target) if directory else target
            if os.path.isdir(candidate):
                yield candidate, bool(directory)
    yield target, False


def _chdir(target: str, old: str, physical: bool) -> str:
    """chdir(2) to target; the new $PWD (OSError if chdir failed). Logically (-L, the
    default) `..` removes the last name of $PWD, so `cd link; cd ..` comes back where it
    was; physically (-P) the kernel's answer, getcwd(3), is the new $PWD."""
    if "\0" in target:  # no C string holds a NUL: the kernel would see a shorter name
        raise OSError(2, "No such file or directory")
    if physical:
        os.chdir(target)
        return _getcwd() or target
    logical = os.path.normpath(os.path.join(old, target))  # keeps a leading // (POSIX)
    os.chdir(logical)
    return logical


def _getcwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:  # the directory was removed under us
        return None


@builtin("pwd", summary="pwd [-L | -P]: print the working directory")
def pwd(shell: Shell, argv: list[str]) -> int:
    flags, _ = options(argv, "LP")
    logical = shell.vars.get("PWD")
    if "P" not in flags and logical and os.path.isabs(logical) and (
            _same_file(logical, ".") or _getcwd() is None):
        out(logical + "\n")  # dash: $PWD even if the directory has been removed
        return 0
    physical = _getcwd()
    if physical is None:
        error("pwd: getcwd() failed: No such file or directory")
        physical = ""
    out(physical + "\n")
    return 0


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


@builtin("exit", summary="exit [N]: leave the shell with status N (default: the last $?)")
def exit_(shell: Shell, argv: list[str]) -> int:
    status = shell.status
    if len(argv) > 1:
        status = number(argv[1], INT_MAX) & 255
    stopped = [job for job in shell.jobs.jobs if job.state == jobs.STOPPED]
    if shell.interactive and stopped and not shell.warned_stopped_jobs:
        error("there are stopped jobs (exit again to leave anyway)")
        shell.warned_stopped_jobs = True
        return 1
    raise ExitShell(status)


# `.`, `exec`, `eval`, `return`... are part of the language: see langbuiltins.py.


# --- small utilities dash also has built in ---------------------------------------------


@builtin("true", ":", summary="true, : (a colon): do nothing, successfully")
def true(shell: Shell, argv: list[str]) -> int:
    return 0


@builtin("false", summary="false: do nothing, unsuccessfully (status 1)")
def false(shell: Shell, argv: list[str]) -> int:
    return 1


@builtin("type", summary="type NAME...: say whether NAME is a builtin, a keyword or a program")
def type_(shell: Shell, argv: list[str]) -> int:
    status = 0
    for name in argv[1:]:
        found = describe(shell, name)
        if found is None:
            out(f"{name}: not found\n")
            status = 127
        else:
            out(f"{name} is {found[1]}\n")
    return status


def describe(shell: Shell, name: str) -> tuple[str, str] | None:
    """What NAME is, as (kind, what `type NAME` and `command -V NAME` say after "NAME is"):
    kind is keyword, alias, function, builtin or program (then the text is its path). None
    if the name is nothing the shell could run. The order is the shell's own search order."""
    if name in RESERVED:
        return "keyword", "a shell keyword"
    aliases = getattr(shell, "aliases", {})
    if name in aliases:
        return "alias", f"an alias for {aliases[name]}"
    if name in getattr(shell, "functions", {}):
        return "function", "a shell function"
    if name in BUILTINS:
        return "builtin", "a special shell builtin" if name in SPECIAL else "a shell builtin"
    path = shell.find_program(name)
    if path is None or ("/" in name and not os.path.exists(name)):
        return None
    return "program", path


# --- job control -----------------------------------------------------------------------


@builtin("jobs", summary="jobs [-l|-p] [%N...]: list the background and stopped jobs")
def jobs_(shell: Shell, argv: list[str]) -> int:
    shell.report_job_changes(quiet=True)
    options = [arg for arg in argv[1:] if arg.startswith("-")]
    chosen = [_job_argument(shell, ["jobs", arg]) for arg in argv[1:] if arg not in options]
    if not shell.interactive:  # as dash: newest first, and a finished job shown is gone
        for job in chosen or list(reversed(shell.jobs.jobs)):
            if "-p" in options:
                out(f"{job.procs[0].pid}\n")
                continue
            out(jobs.dash_listing(job, shell.jobs.mark(job), "-l" in options))
            if job.state == jobs.DONE:
                shell.jobs.remove(job)
        return 0
    for job in chosen or shell.jobs:
        if "-p" in options:
            out(f"{job.pgid or job.pids[-1]}\n")
            continue
        if "-l" in options:
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
    except LookupError:
        raise BuiltinError(f"No such job: {spec}") from None


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


# The themed modules register their builtins in the same table (BUILTINS) when imported,
# at the first use of one of them (start-up time): see builtin_modules.py.
from . import builtins_base  # noqa: E402
from .builtin_modules import load_all  # noqa: E402


def __getattr__(name: str):
    """`builtins.SUMMARIES`: every builtin's summary, the themed modules' too (PEP 562)."""
    if name == "SUMMARIES":
        load_all()
        return builtins_base.SUMMARIES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
