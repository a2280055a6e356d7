"""What the shell says on stderr: error messages, and the `--explain` narration.

OS idea: a shell is a thin layer over a few system calls. With `--explain` every process-related
call (pipe, fork, setpgid, tcsetpgrp, dup2, close, open, execvp, kill, waitpid) is printed as it
is made, so a student sees the mechanism behind a command line:

    pipe() = [3, 4]
    fork() = 4242
    [4242] dup2(4, 1)
    [4242] execvp("ls", ["ls", "-l"])
    waitpid(4242) = exited 0

A line that starts with `[pid]` was written by that child between fork and exec. Narration
goes to a private copy of the shell's original stderr (close-on-exec, so no program inherits
it), which keeps `2>/dev/null` on a command from hiding its own narration.
"""

from __future__ import annotations

import os

_narrate_fd: int | None = None  # None: --explain is off
_shell_pid = 0


def enable(on: bool) -> None:
    """Turn the narration on or off (the shell calls this for --explain)."""
    global _narrate_fd, _shell_pid
    if on and _narrate_fd is None:
        import fcntl

        # A close-on-exec copy numbered 10 or more, out of the way of `exec 3>file`.
        _narrate_fd = fcntl.fcntl(2, fcntl.F_DUPFD_CLOEXEC, 10)
        _shell_pid = os.getpid()
    elif not on and _narrate_fd is not None:
        os.close(_narrate_fd)
        _narrate_fd = None


def enabled() -> bool:
    return _narrate_fd is not None


def narrate(call: str) -> None:
    """Print one system call, prefixed by `[pid]` when a child (not the shell) makes it."""
    if _narrate_fd is None:
        return
    pid = os.getpid()
    prefix = "" if pid == _shell_pid else f"[{pid}] "
    _write(_narrate_fd, f"{prefix}{call}\n")


def error(message: str) -> None:
    """One line on stderr: `minishell: message`."""
    _write(2, f"minishell: {message}\n")


def notice(text: str) -> None:
    """A message for the user on stderr, as is (job notices like `[1] 4242`)."""
    _write(2, text)


def _write(fd: int, text: str) -> None:
    """Write all of `text`; a closed or broken stderr must not crash the shell."""
    data = text.encode("utf-8", "surrogateescape")
    try:
        while data:
            data = data[os.write(fd, data):]
    except OSError:
        pass


def q(text: str) -> str:
    """A string as C would show it: in double quotes, with \\ and \" escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def argv_text(argv: list[str]) -> str:
    return "[" + ", ".join(q(arg) for arg in argv) + "]"
