"""Redirections: open() a file and dup2() it onto fd 0, 1, 2...; here-documents.

OS idea: a program writes to fd 1 without knowing what it is. `> out` is the shell calling
open("out", O_WRONLY|O_CREAT|O_TRUNC) and dup2(newfd, 1) before exec: the program's fd 1 is now
the file. `2>&1` is dup2(1, 2). A here-document (`<<EOF`) is a pipe the shell fills with the
text, read end on fd 0. In the shell's own process (builtins, `{ }`, loops) the original fds are
first saved with F_DUPFD_CLOEXEC and put back afterwards.
"""

from __future__ import annotations

import os

from .expand import expand_single
from .explain import error, narrate, q
from .syscalls import close

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .ast import Redirect
    from .state import Shell


class RedirectError(Exception):
    """A redirection could not be made; the message has been printed."""


OPEN_FLAGS = {
    "<": os.O_RDONLY,
    ">": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    ">|": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    ">>": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
    "<>": os.O_RDWR | os.O_CREAT,
}
FLAG_NAMES = {"<": "O_RDONLY", ">": "O_WRONLY|O_CREAT|O_TRUNC", ">|": "O_WRONLY|O_CREAT|O_TRUNC",
              ">>": "O_WRONLY|O_CREAT|O_APPEND", "<>": "O_RDWR|O_CREAT"}
PIPE_ROOM = 60000  # a here-document this small fits in a pipe without a writer process


def apply_redirects(shell: Shell, redirects: list[Redirect],
                    saved: list[tuple[int, int | None]] | None = None) -> None:
    """Make each redirection, left to right. With `saved`, first keep a close-on-exec copy of
    every fd about to change, so that restore_fds() can undo it (builtins in the shell)."""
    for redirect in redirects:
        op = redirect.op
        fd = redirect.fd if redirect.fd is not None else (0 if op[0] == "<" else 1)
        if op in ("<<", "<<-"):
            body = expand_single(shell, redirect.target)
            if saved is not None and fd not in (old for old, _ in saved):
                saved.append((fd, save_fd(fd)))
            heredoc(body, fd)
            continue
        target = expand_single(shell, redirect.target)
        if saved is not None and fd not in (old for old, _ in saved):
            saved.append((fd, save_fd(fd)))
        if op in (">&", "<&"):
            duplicate(fd, target, op)
            continue
        flags = OPEN_FLAGS[op]
        if op == ">" and getattr(shell, "noclobber", False):
            flags = clobber_check(target, flags)
        try:
            new = os.open(target, flags, 0o666)
        except (OSError, ValueError) as err:
            error(f"cannot {'open' if op[0] == '<' else 'create'} {target}: "
                  f"{getattr(err, 'strerror', None) or 'Invalid argument'}")
            raise RedirectError from None
        narrate(f"open({q(target)}, {FLAG_NAMES[op]}) = {new}")
        place(new, fd)


def place(new: int, fd: int) -> None:
    """dup2(new, fd) and close(new); if open() already returned fd itself, keep it."""
    if new == fd:  # fd was closed, so open() reused the number: make it inheritable
        os.set_inheritable(fd, True)
    else:
        os.dup2(new, fd)
        narrate(f"dup2({new}, {fd})")
        close(new)


def clobber_check(target: str, flags: int) -> int:
    """set -C: O_EXCL makes open(2) fail with EEXIST on an existing regular file, atomically;
    other files (/dev/null, a FIFO) are opened as they are, without O_TRUNC (as dash)."""
    import stat

    try:
        if not stat.S_ISREG(os.stat(target).st_mode):
            return flags & ~os.O_TRUNC
    except (OSError, ValueError):
        pass
    return flags | os.O_EXCL


def heredoc(body: str, fd: int) -> None:
    """The body in a pipe (a temporary file if it is too big to fit: the shell would block
    writing into a pipe nobody reads yet)."""
    data = body.encode("utf-8", "surrogateescape")
    if len(data) <= PIPE_ROOM:
        read_end, write_end = os.pipe()
        narrate(f"pipe() = [{read_end}, {write_end}]  (here-document)")
        os.write(write_end, data)
        close(write_end)
        place(read_end, fd)
        return
    import tempfile

    with tempfile.TemporaryFile() as file:
        file.write(data)
        file.flush()
        new = os.dup(file.fileno())
    os.lseek(new, 0, os.SEEK_SET)
    place(new, fd)


def duplicate(fd: int, target: str, op: str) -> None:
    """`fd>&N` (fd becomes a copy of N) or `fd>&-` (close fd)."""
    if target == "-":
        try:
            os.close(fd)
            narrate(f"close({fd})")
        except OSError:
            pass
        return
    if not target.isdigit():
        error(f"{target}: Bad file descriptor" if op == "<&" else f"{target}: bad fd number")
        raise RedirectError
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
