"""Thin wrappers named after the C calls the shell makes: pipe, fork, dup2, close, execvp,
waitpid. Each one does the call, tells the `--explain` narration about it, and turns the
kernel's refusal into something the shell can report (like xv6 sh.c's `fork1`, which panics
instead of returning -1).

OS idea: these six calls are the whole of a Unix shell's process machinery; everything else
is bookkeeping. Reading the executor, each name below is the system call of the same name.
"""

from __future__ import annotations

import errno
import os

from . import explain as narration
from .explain import argv_text, narrate, q
from .jobs import waitpid  # noqa: F401  (waitpid(): in jobs.py, beside the statuses it decodes)


class ForkError(Exception):
    """fork() failed (EAGAIN: too many processes; ENOMEM). The shell reports it and goes on."""


def pipe() -> tuple[int, int]:
    """pipe(): [read end, write end], both close-on-exec (PEP 446) until dup2 puts one on 0/1."""
    read_end, write_end = os.pipe()
    narrate(f"pipe() = [{read_end}, {write_end}]")
    return read_end, write_end


def fork1() -> int:
    """fork(), or ForkError (never a Python traceback). With --explain the child waits until
    the parent has printed `fork() = PID`, so the story on stderr is in order."""
    go = os.pipe() if narration.enabled() else None
    try:
        pid = os.fork()
    except OSError as err:
        if go is not None:
            os.close(go[0])
            os.close(go[1])
        raise ForkError(f"fork: {err.strerror or err}") from None
    if go is not None:
        if pid == 0:
            os.close(go[1])
            os.read(go[0], 1)
            os.close(go[0])
        else:
            narrate(f"fork() = {pid}")
            os.close(go[0])
            os.write(go[1], b"!")
            os.close(go[1])
    return pid


def dup2(old: int, new: int) -> None:
    """dup2(old, new): fd `new` now refers to what `old` does (and stays open across exec)."""
    if old == new:  # pipe() reused a closed 0 or 1: just let it survive exec
        os.set_inheritable(new, True)
        return
    os.dup2(old, new)
    narrate(f"dup2({old}, {new})")


def close(fd: int) -> None:
    os.close(fd)
    narrate(f"close({fd})")


def move_fd(old: int | None, new: int) -> None:
    """dup2(old, new) then close(old): the child's pipe end becomes its fd 0 or 1."""
    if old is None:
        return
    dup2(old, new)
    if old != new:
        close(old)


def setpgid(pid: int, pgid: int) -> bool:
    try:
        os.setpgid(pid, pgid)
    except OSError as err:  # the child already exec'd (EACCES) or exited (ESRCH)
        narrate(f"setpgid({pid}, {pgid}) = -1 {errno.errorcode.get(err.errno, '')}")
        return False
    narrate(f"setpgid({pid}, {pgid}) = 0")
    return True


def execvp(path: str | None, argv: list[str], env: dict[str, str] | None,
           search: str | None) -> int:
    """execve() the program: `path` found in $PATH by the parent (cached), else the name
    itself if it has a `/`. `search` ($PATH) serves if the cached path went stale. Returns
    the errno only when it fails. env None: the shell's own environment (see state)."""
    name = argv[0]
    if narration.enabled():
        narrate(f"execvp({q(name)}, {argv_text(argv)})")
    if path is None and "/" in name:
        path = name
    if path is None:
        return errno.ENOENT
    try:
        try:
            if env is None:
                os.execv(path, argv)
            os.execve(path, argv, env)
        except (FileNotFoundError, NotADirectoryError):
            if "/" in name:
                raise
            again = find_program(name, search)
            if again is None or again == path:
                raise
            if env is None:
                os.execv(again, argv)
            os.execve(again, argv, env)
    except OSError as err:
        return err.errno or errno.ENOEXEC
    except ValueError:  # an embedded NUL byte
        return errno.EINVAL
    return errno.ENOEXEC  # not reached


def find_program(name: str, path: str | None, executable: bool = True) -> str | None:
    """What execvp would run for `name`: itself if it has a /, else the first (executable)
    file of that name in a $PATH directory."""
    if "/" in name:
        return name if os.path.exists(name) else None
    if path is None:  # PATH unset: nothing is found (as dash)
        return None
    for directory in path.split(":"):
        candidate = os.path.join(directory or ".", name)
        if os.path.isfile(candidate) and (not executable or os.access(candidate, os.X_OK)):
            return candidate
    return None
