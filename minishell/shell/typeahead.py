"""Keys typed before the line editor reads them, and a plain line reader for dumb terminals.

OS idea: the terminal driver in the kernel (the line discipline) queues every key until a
process reads it. In its default *canonical* mode it also acts on them: it echoes them, keeps
a line until Enter (the Backspace key edits it), turns Ctrl-C into SIGINT for the foreground
process group and Ctrl-D into end of file. A line editor switches that off (raw mode, termios)
and does it all itself.

So what a key does depends on the mode it arrives in. A shell starts in canonical mode; keys
typed while it starts, or while a command runs, wait in the driver's queue, and must act as
they would at the prompt:

- the shell switches to raw mode first thing (then Ctrl-C is a byte for the editor, not a
  signal that would interrupt a half-started Python);
- what the driver already took in canonical mode is read out first, line by line; a Ctrl-D
  there is an empty read (end of file), not a byte -- read later in raw mode, it would be a
  NUL -- so it is turned back into the Ctrl-D key.

With TERM=dumb (Emacs's M-x shell, some CI consoles) no editor can draw, and the driver's own
canonical mode is the right line editor: what the screen shows is what the shell reads.
"""

from __future__ import annotations

import os
import re
import select
import termios
from collections.abc import Iterator

CTRL_D = b"\x04"


def draws_on_a_screen() -> bool:
    """Is stdout a terminal that understands escape sequences? (Not TERM=dumb, as in Emacs's
    M-x shell.)"""
    return os.isatty(1) and os.environ.get("TERM", "dumb") not in ("dumb", "unknown")


def readable(fd: int) -> bool:
    """select() with no timeout: can read(fd) return at once? (In canonical mode only
    once a whole line, or an end of file, is there.)"""
    return bool(select.select([fd], [], [], 0)[0])


def capture(fd: int = 0) -> tuple[bytes, list | None]:
    """Take the keys typed ahead and leave the terminal in raw mode.

    Returns (keys as the editor would have read them, the modes to restore afterwards), or
    (b"", None) if fd is not a terminal."""
    try:
        modes = termios.tcgetattr(fd)
    except termios.error:
        return b"", None
    keys = bytearray()
    if modes[3] & termios.ICANON:
        while readable(fd):
            line = os.read(fd, 4096)
            if not line:  # Ctrl-D on an empty line: the driver's end of file
                keys += CTRL_D
                break  # (the shell leaves: what follows is not for it)
            # The driver turned Enter (CR) into NL (ICRNL); the editor binds Enter to CR.
            keys += line.replace(b"\n", b"\r")
    enter_raw_mode(fd, modes)
    while readable(fd):  # what is left: a line not finished yet, or raw keys
        data = os.read(fd, 65536)
        if not data:
            break
        keys += data
    return bytes(keys), modes


def enter_raw_mode(fd: int, modes: list) -> None:
    """Raw mode as prompt_toolkit sets it: no echo, no line editing, no signals from keys
    (Ctrl-C is a byte), no CR-to-NL translation."""
    raw = [*modes[:6], list(modes[6])]
    raw[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR)
    raw[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
    raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0
    try:
        termios.tcsetattr(fd, termios.TCSANOW, raw)
    except termios.error:
        pass


def restore_modes(modes: list | None, fd: int = 0) -> None:
    if modes is not None:
        try:
            termios.tcsetattr(fd, termios.TCSANOW, modes)
        except termios.error:
            pass


CONTROL_KEY = re.compile(rb"[\x00-\x1f\x7f]")


def plain_lines(keys: bytes) -> Iterator[tuple[str, int]]:
    """The complete lines at the start of keys that are plain text (no control key, no
    escape sequence, no Tab to complete): typed ahead or pasted, they can run without the
    editor, as the editor would have run them. Yields (line, offset after its end)."""
    start = 0
    while match := CONTROL_KEY.search(keys, start):
        if match.group() not in b"\r\n":
            return
        yield keys[start:match.start()].decode("utf-8", "surrogateescape"), match.end()
        start = match.end()


class PlainLineReader:
    """Lines from a terminal in canonical mode (the kernel edits them) or from a pipe
    (`minishell -i`), with a prompt written as plain text."""

    def __init__(self, fd: int = 0) -> None:
        self.fd = fd
        self.tty = os.isatty(fd)

    def read_line(self, prompt: str) -> str | None:
        """One line (without its newline), None at end of file. Ctrl-C raises
        KeyboardInterrupt: the shell ignores SIGINT, except while it reads a line."""
        import _signal

        os.write(1, prompt.encode("utf-8", "surrogateescape"))
        _signal.signal(_signal.SIGINT, _signal.default_int_handler)
        try:
            data = self._read()
        except KeyboardInterrupt:
            os.write(1, b"\n")  # the driver echoed ^C; the next prompt starts a line
            raise
        finally:
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
        if not data:
            os.write(1, b"\n")
            return None
        return data.decode("utf-8", "surrogateescape").removesuffix("\n")

    def _read(self) -> bytes:
        """A terminal in canonical mode returns one line per read(), or the text before a
        Ctrl-D typed in mid-line (then the line goes on); a pipe is read a byte at a time,
        so that the commands we run find their input after the line."""
        line = b""
        while True:
            data = os.read(self.fd, 4096 if self.tty else 1)
            if not data:
                return line
            line += data
            if line.endswith(b"\n"):
                return line
