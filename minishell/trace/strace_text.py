"""The text of single values in strace's syntax: strings, flags, signal sets, modes, fds.

The smallest building blocks of what a trace shows -- a C string literal cut at -s, OR-ed
flag names with strace's `/* X_??? */` for unknown bits, a signal mask, a file descriptor
with its path (strace -y) -- and _Call, one event being formatted.  strace_structs.py
(structs) and strace_values.py (one formatter per parameter kind) are built from them.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable

from minishell.signals import signal_name
from minishell.trace import constants as C
from minishell.trace.capture import EXIT_READERS
from minishell.trace.syscalls import Syscall


def quote(data: str | bytes, strsize: int | None = None, more: bool = False,
          hex_all: bool = False) -> str:
    """A C string literal as strace writes it: "abc\\n\\0"..." (octal escapes, -s cut);
    hex_all writes every byte as \\xNN (strace does so for random bytes)."""
    if type(data) is str and (strsize is None or len(data) <= strsize) and not hex_all \
            and not _NEEDS_ESCAPE_TEXT.search(data):  # most paths: printable, short
        return '"' + data + ('"...' if more else '"')
    raw = data.encode("latin-1") if isinstance(data, str) else data
    if strsize is not None and len(raw) > strsize:
        raw, more = raw[:strsize], True
    tail = '"...' if more else '"'
    if hex_all:
        return '"' + "".join(f"\\x{byte:02x}" for byte in raw) + tail
    if not _NEEDS_ESCAPE.search(raw):
        return '"' + raw.decode("ascii") + tail
    parts = [_ESCAPES[byte] for byte in raw]
    for m in _OCTAL_BEFORE_DIGIT.finditer(raw):   # \1 then "2" would read as \12
        parts[m.start()] = f"\\{raw[m.start()]:03o}"
    return '"' + "".join(parts) + tail


def _escape(byte: int) -> str:
    simple = {0x09: "\\t", 0x0A: "\\n", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r",
              0x22: '\\"', 0x5C: "\\\\"}
    if byte in simple:
        return simple[byte]
    return chr(byte) if 0x20 <= byte < 0x7F else f"\\{byte:o}"


_ESCAPES = [_escape(byte) for byte in range(256)]
_NEEDS_ESCAPE = re.compile(rb'[^\x20-\x7e]|["\\]')
_NEEDS_ESCAPE_TEXT = re.compile(r'[^\x20-\x7e]|["\\]')  # the same, for text (latin-1)
_OCTAL_BEFORE_DIGIT = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f-\xff](?=[0-7])")


@functools.lru_cache(maxsize=4096)   # the same few flag words recur all through a trace
def flags(value: int, table, zero: str = "0", width: int = 64, alone: bool = True) -> str:
    """OR-ed names for `value` in strace's order; unknown bits as one hex number, marked
    `/* AT_??? */` when no bit at all has a name (and nothing else is OR-ed in: `alone`)."""
    value &= (1 << width) - 1
    if value == 0:
        return zero
    names = []
    for name, bit in table:
        if bit and value & bit == bit:
            names.append(name)
            value &= ~bit
    if not names:
        return f"{value:#x} /* {_family(table)}??? */" if alone else hex(value)
    if value:
        names.append(hex(value))
    return "|".join(names)


@functools.cache
def _family(table) -> str:
    """The prefix a family of names shares: AT_ for AT_EMPTY_PATH..., CLOSE_RANGE_ for
    CLOSE_RANGE_UNSHARE and CLOSE_RANGE_CLOEXEC."""
    names = [name for name, _ in table]
    shared = os.path.commonprefix(names) if len(names) > 1 else names[0]
    if "_" in shared:
        return shared[: shared.rindex("_") + 1]
    head, sep, _ = names[0].partition("_")
    return head + sep if sep else names[0][0]


def _hex(value: int) -> str:
    """C's %#x: 0x1f, but plain 0 for zero."""
    return hex(value) if value else "0"


def timespec(sec: int, frac: int, unit: str = "tv_nsec") -> str:
    """A struct timespec ({tv_sec=1, tv_nsec=500}), or a timeval with unit="tv_usec"."""
    return f"{{tv_sec={sec}, {unit}={frac}}}"


def _ptr(value: int) -> str:
    return "NULL" if value == 0 else hex(value & 0xFFFFFFFFFFFFFFFF)


def sig_text(sig: int) -> str:
    """A signal number as strace prints it: SIGINT, SIGRT_5, or the bare number (0)."""
    return signal_name(sig) if 0 < sig <= 64 else str(sig)


def sigset(mask: int, width: int = 64) -> str:
    """[INT CHLD] for a signal mask; ~[...] (the complement) when most signals are in it."""
    bits = [n for n in range(1, width + 1) if mask >> (n - 1) & 1]
    prefix = ""
    if len(bits) > width // 2:
        prefix = "~"
        bits = [n for n in range(1, width + 1) if not mask >> (n - 1) & 1]
    names = [sig_text(n).removeprefix("SIG") for n in bits]
    return prefix + "[" + " ".join(names) + "]"


def open_flags(value: int) -> str:
    value &= 0xFFFFFFFF
    text = C.O_ACCMODE_NAMES[value & 3]
    rest = value & ~3
    return text + ("|" + flags(rest, C.O_FLAGS, width=32, alone=False) if rest else "")


def mode(value: int) -> str:
    """A mode_t in octal as C's %#03o writes it: 0644, 000."""
    value &= 0o177777
    return (f"0{value:o}" if value else "0").zfill(3)


@functools.lru_cache(maxsize=1024)   # a few modes recur in every stat of a trace
def file_mode(value: int) -> str:
    """st_mode: S_IFREG|0644, S_IFDIR|S_ISVTX|0777."""
    parts = [C.FILE_TYPES.get(value & C.S_IFMT, f"{value & C.S_IFMT:#o}")]
    parts += [name for name, bit in C.MODE_SPECIAL if value & bit]
    parts.append(f"0{value & 0o777:03o}")
    return "|".join(parts)


def wait_status(status: int) -> str:
    """A wait status as strace shows it: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]."""
    status &= 0xFFFFFFFF
    low = status & 0x7F
    if low == 0:
        text = f"WIFEXITED(s) && WEXITSTATUS(s) == {status >> 8 & 0xFF}"
    elif status & 0xFF == 0x7F:
        text = f"WIFSTOPPED(s) && WSTOPSIG(s) == {sig_text(status >> 8 & 0xFF)}"
        if status >> 16:
            text += f" && status>>16 == {status >> 16:#x}"
    elif status == 0xFFFF:
        text = "WIFCONTINUED(s)"
    else:
        text = f"WIFSIGNALED(s) && WTERMSIG(s) == {sig_text(low)}"
        if status & 0x80:
            text += " && WCOREDUMP(s)"
    return "[{" + text + "}]"


@functools.lru_cache(maxsize=4096)   # a trace names the same few fds over and over
def fd_text(fd: str, target: str | None) -> str:
    """A descriptor as strace -y shows it: 3</etc/passwd>, 4<pipe:[1234]>, 5</tmp/x>(deleted)."""
    if target is None:
        return fd
    deleted = target.endswith(" (deleted)")
    if deleted:
        target = target[:-10]
    if not target.isprintable() or "\\" in target:        # a newline in a file name...
        target = quote(target.encode("utf-8", "surrogateescape"))[1:-1]
    return f"{fd}<{target}>(deleted)" if deleted else f"{fd}<{target}>"


def _size_in_kib(value: int) -> str:
    if value == 0xFFFFFFFFFFFFFFFF:
        return "RLIM64_INFINITY"
    if value > 1024 and value % 1024 == 0:  # strace's sprint_rlim64: 1024 stays 1024
        return f"{value // 1024}*1024"
    return str(value)


class _Call:
    """One call being formatted: its args, captured values, result and the options.

    Made from the parts of a live event (format_event) or from an event dict (of)."""

    __slots__ = ("sc", "args", "cap", "targets", "ret", "fds", "ok", "strsize")

    def __init__(self, sc: Syscall, args, cap: dict | None, ret: int | None, err: str | None,
                 fds: dict | None, strsize: int) -> None:
        self.sc, self.strsize = sc, strsize
        self.args = args if len(args) == 6 else tuple(args) + (0,) * (6 - len(args))
        self.cap = cap = cap or {}
        self.targets = cap.get("y") or {}
        self.ret, self.fds = ret, fds
        # ret: signed (the engine's), or as the kernel's unsigned register (-1 = 2**64 - 1)
        self.ok = err is None and ret is not None and not (
            -4096 < ret < 0 or ret > 0xFFFFFFFFFFFFF000)

    @classmethod
    def of(cls, ev: dict, sc: Syscall, strsize: int) -> _Call:
        return cls(sc, ev.get("args") or (), ev.get("cap"), ev.get("ret"), ev.get("err"),
                   ev.get("fds"), strsize)

    def captured(self, i: int):
        return self.cap.get(str(i))

    def shown(self, i: int):
        """The captured value of argument i if it may be shown: what a call wrote is
        meaningless when it failed."""
        if self.sc.params[i].kind in EXIT_READERS and not self.ok:
            return None
        return self.cap.get(str(i))

    def fd(self, i: int) -> str:
        return fd_arg(self, i, self.args[i])

    def dirfd(self, i: int) -> str:
        return dirfd_arg(self, i, self.args[i])

    def path(self, i: int) -> str:
        value = self.cap.get(str(i))
        return _ptr(self.args[i]) if value is None else quote(value)

    def string(self, i: int) -> str:
        value = self.captured(i)
        return _ptr(self.args[i]) if value is None else quote(value, self.strsize)

    def buffer(self, i: int, length: int) -> str:
        """A data buffer: `length` bytes long in the tracee, captured up to -s bytes."""
        value = self.captured(i)
        if value is None:
            return _ptr(self.args[i])
        shown = value[: self.strsize]
        return quote(shown, more=length > len(shown), hex_all=self.sc.name == "getrandom")


# The two formatters of nearly every call (KIND_FORMATTERS' "fd" and "dirfd"), kept to one
# function each: the int's sign taken by hand, the fd's path from the capture ("y").
def fd_arg(call: _Call, i: int, value: int) -> str:
    value &= 0xFFFFFFFF
    fd = str(value - 0x100000000 if value & 0x80000000 else value)
    return fd_text(fd, call.targets.get(fd))


def dirfd_arg(call: _Call, i: int, value: int) -> str:
    value &= 0xFFFFFFFF
    fd = str(value - 0x100000000 if value & 0x80000000 else value)
    return fd_text("AT_FDCWD" if fd == "-100" else fd, call.targets.get(fd))


def shows_captured(show: Callable[[_Call, object, int], str]) -> Callable[[_Call, int, int], str]:
    """A formatter for a value read from the tracee; the bare address when there is none
    (unreadable memory, or an output of a call that failed)."""
    def formatter(call: _Call, i: int, value: int) -> str:
        captured = call.cap.get(str(i))  # call.shown(i), inline: this runs for most calls
        if captured is None or (not call.ok and call.sc.params[i].kind in EXIT_READERS):
            return _ptr(value)
        return show(call, captured, value)
    return formatter


def array(items: list[str], strsize: int) -> str:
    """An array as strace prints one: at most -s elements, then "...": [1, 2, ...]."""
    shown = items[:strsize] + (["..."] if len(items) > strsize else [])
    return "[" + ", ".join(shown) + "]"
