"""The phrase engine: one call's values in words (an fd, a path, a count, an error), and the
table that maps each system call's name to the function that says it.

Every family module (processes, files, descriptors, memory, signals, network) registers its
calls here with @explains; the package's explain() looks them up.  An fd is described by what
it refers to, as the kernel shows it in /proc/PID/fd: "a pipe (fd 4)", "/etc/passwd (fd 3)".
"""

from __future__ import annotations

import errno as errno_module
import os
import shlex
from collections.abc import Callable

from minishell.trace.capture import failed, s32, s64
from minishell.trace.strace_values import quote
from minishell.trace.syscalls import BY_NAME, lookup

# Plain words for the errors students meet; the rest use the C library's message.
ERROR_WORDS = {
    "ENOENT": "no such file", "EACCES": "permission denied", "EPERM": "not permitted",
    "EEXIST": "it already exists", "ENOTDIR": "a part of the path is not a directory",
    "EISDIR": "it is a directory", "EBADF": "that fd is not open",
    "EINTR": "interrupted by a signal", "EAGAIN": "nothing ready yet (it would block)",
    "ECHILD": "there is no child to wait for", "ESRCH": "no such process",
    "EINVAL": "invalid argument", "ENOTTY": "not a terminal",
    "ENOMEM": "out of memory", "EPIPE": "nobody reads the other end of the pipe",
    "ENOSYS": "this kernel does not have that call", "ENODATA": "no such attribute",
    "ENOEXEC": "not an executable format", "EFAULT": "bad address",
    "ENOTEMPTY": "the directory is not empty", "EXDEV": "not on the same file system",
    "ELOOP": "too many symbolic links", "ENAMETOOLONG": "the name is too long",
    "EMFILE": "too many open files", "ECONNREFUSED": "connection refused",
    "ENOTSOCK": "that fd is not a socket", "ESPIPE": "cannot seek on a pipe or socket",
    "EOPNOTSUPP": "not supported", "ETIMEDOUT": "timed out", "EROFS": "read-only file system",
    "ENOSPC": "no space left on the device", "EBUSY": "busy", "E2BIG": "too many arguments",
    "ENOTCONN": "the socket is not connected", "EADDRINUSE": "that address is already in use",
    "ECONNRESET": "the other end reset the connection",
    "EINPROGRESS": "not finished yet (it goes on in the background)",
    "ERESTARTSYS": "interrupted by a signal (the call will be restarted)",
    "ERESTARTNOINTR": "interrupted by a signal (the call will be restarted)",
    "ERESTARTNOHAND": "interrupted by a signal",
    "ERESTART_RESTARTBLOCK": "interrupted by a signal (the call will be restarted)",
}

Explainer = Callable[["Call"], tuple[str, str | None]]
EXPLAINERS: dict[str, Explainer] = {}


def explains(*names: str) -> Callable[[Explainer], Explainer]:
    def register(func: Explainer) -> Explainer:
        for name in names:
            EXPLAINERS[name] = func
        return func
    return register


class Call:
    """Friendly access to one syscall event's values."""

    def __init__(self, ev: dict, strsize: int = 32):
        self.ev = ev
        self.strsize = strsize       # strings were read up to strsize + 1 bytes (as strace)
        self.sc = lookup(ev["nr"]) if "nr" in ev else BY_NAME[ev["name"]]
        self.name = self.sc.name
        self.args = list(ev.get("args") or []) + [0] * 6
        self.cap = ev.get("cap") or {}
        raw_ret = ev.get("ret")
        self.err = ev.get("err")
        self.ok = raw_ret is not None and self.err is None and not failed(raw_ret)
        self.ret = s64(raw_ret) if raw_ret is not None else None
        # What an error means for THIS call, when the general words would mislead
        # (readlink's EINVAL is "not a symbolic link"); explainers fill it in.
        self.failure: dict[str, str] = {}

    def int(self, i: int) -> int:
        return s32(self.args[i])

    def text(self, i: int) -> str:
        """A captured string argument, readable: the path, or its address if unread."""
        value = self.cap.get(str(i))
        if value is None:
            return "(unreadable)" if self.args[i] else "(none)"
        return readable(value)

    def string(self, i: int) -> str:
        """A captured string that is not a path (a name, a label): cut at -s like strace's."""
        value = self.cap.get(str(i))
        return self.words([value], False) if value is not None else self.text(i)

    def words(self, strings: list[str | None], more: bool) -> str:
        """Captured argv-like strings as a shell would quote them, each cut like strace's:
        -c 'echo hi | tr a-z A-Z | wc'... (a string longer than -s, then more strings)."""
        out = []
        for value in strings:
            if value is None:
                out.append("(unreadable)")
                continue
            cut = len(value) > self.strsize
            text = value[:self.strsize] if cut else value
            shown = readable(text)
            out.append((shlex.quote(text) if shown == text else shown) + ("..." if cut else ""))
        return " ".join(out) + (" ..." if more else "")

    def fd(self, i: int) -> str:
        """fd N described: "/etc/passwd (fd 3)", "a pipe (fd 4)", "fd 5"."""
        fd = self.int(i)
        return describe_fd(fd, (self.cap.get("y") or {}).get(str(fd)))

    def new_fd(self, fd: int) -> str:
        return describe_fd(fd, (self.ev.get("fds") or {}).get(str(fd)))


def readable(value: str) -> str:
    data = value.encode("latin-1")
    try:
        text = data.decode()
    except UnicodeDecodeError:
        return quote(data)
    return text if text.isprintable() else quote(data)


# What the kernel's anonymous inodes are, in words (/proc/PID/fd shows anon_inode:[NAME]).
ANON_INODES = {"eventpoll": "an epoll set", "eventfd": "an event counter",
               "timerfd": "a timer", "signalfd": "a signal fd", "pidfd": "a process fd",
               "inotify": "an inotify instance", "io_uring": "an io_uring instance",
               "userfaultfd": "a userfaultfd", "memfd": "a memory file"}


def article(word: str) -> str:
    """"an" before a vowel sound (an IPv4 socket, an epoll set), else "a"."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def describe_fd(fd: int, target: str | None) -> str:
    """fd N described: "/etc/passwd (fd 3)", "a pipe (fd 4)", "fd 5"."""
    what = fd_thing(target)
    return f"{what} (fd {fd})" if what else f"fd {fd}"


def fd_thing(target: str | None) -> str | None:
    """What an fd refers to, in words: "/etc/passwd", "a pipe", "the terminal /dev/pts/1"."""
    if target is None:
        return None
    if not target.isprintable():                     # a newline in a file name...
        target = quote(target.encode("utf-8", "surrogateescape"))
    if target.startswith("pipe:"):
        return "a pipe"
    if target.startswith("socket:"):
        return "a socket"
    if target.startswith("anon_inode:"):
        kind = target[11:].strip("[]")
        return ANON_INODES.get(kind, f"{article(kind)} {kind} object")
    if target == "/dev/ptmx":                        # each open makes a new terminal pair
        return "a pseudo-terminal master"
    if target.startswith(("/dev/pts/", "/dev/tty")):
        return f"the terminal {target}"
    if target.startswith("/memfd:"):                  # memfd_create's file: no path at all
        return f"the memory file {target[7:].removesuffix(' (deleted)')}"
    if target.endswith(" (deleted)"):                 # still open, no longer named
        return f"the deleted file {target.removesuffix(' (deleted)')}"
    return target


# Files every program touches, said in words the first time a class meets them.
PATH_NOTES = (
    (".", "the current directory"),
    ("..", "the parent directory"),
    ("/etc/ld.so.cache", "the loader's index of shared libraries"),
    ("/etc/ld.so.preload", "libraries to load before all others"),
    ("/etc/nsswitch.conf", "where to look up users and hosts"),
    ("/etc/localtime", "the time zone"),
    ("/proc/filesystems", "the kernel's list of file system types"),
    ("/dev/null", "the null device: writes vanish, reads are empty"),
    ("/dev/tty", "the controlling terminal of this process, whichever it is"),
)


def path_note(path: str) -> str:
    """ (a few words on what a well-known file is), or nothing."""
    for known, words in PATH_NOTES:
        if path == known:
            return f" ({words})"
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".so") or ".so." in name:
        return " (a shared library)"
    if "/locale/" in path or name == "locale.alias":
        return " (language and formatting data: the locale)"
    if "/gconv/" in path:
        return " (character set conversions)"
    if name.endswith(".pyc"):
        return " (compiled Python code)"
    return ""


def and_list(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def size_words(count: int) -> str:
    """A size as a class reads it: "8 MiB", "4 KiB", "1234 bytes" (exact, never rounded)."""
    for shift, unit in ((30, "GiB"), (20, "MiB"), (10, "KiB")):
        if count >= 1 << shift and count % (1 << shift) == 0:
            return f"{count >> shift} {unit}"
    return plural(count, "byte")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def failure_words(err: str) -> str:
    if err in ERROR_WORDS:
        return ERROR_WORDS[err]
    code = getattr(errno_module, err, None)
    return os.strerror(code).lower() if code is not None else err


def fixed(words: dict[str, str]) -> None:
    """Register calls whose explanation does not depend on their values."""
    def say(call: Call) -> tuple[str, str | None]:
        return words[call.name], None
    EXPLAINERS.update(dict.fromkeys(words, say))
