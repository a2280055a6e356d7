"""One plain-English line per system call: what the program just asked the kernel to do.

A trace is a conversation between a program and the kernel.  strace's notation is precise but
terse; on a projector a class needs the sentence behind it: "open /etc/passwd for reading: it
gets fd 3", "wait until child 4242 changes state: it exited with 0".  The ~100 calls programs
make most often are explained here, with the values of the call; any other call gets the
one-line summary from its section-2 manual page (`whatis -s 2 NAME`), read when first needed
and never bundled (the pages' licences differ from ours).
"""

from __future__ import annotations

import errno as errno_module
import ipaddress
import os
import shutil
import subprocess
from collections.abc import Callable

from minishell.signals import signal_name
from minishell.trace import constants as C
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

    def __init__(self, ev: dict):
        self.ev = ev
        self.sc = lookup(ev["nr"]) if "nr" in ev else BY_NAME[ev["name"]]
        self.name = self.sc.name
        self.args = list(ev.get("args") or []) + [0] * 6
        self.cap = ev.get("cap") or {}
        raw_ret = ev.get("ret")
        self.err = ev.get("err")
        self.ok = raw_ret is not None and self.err is None and not failed(raw_ret)
        self.ret = s64(raw_ret) if raw_ret is not None else None

    def int(self, i: int) -> int:
        return s32(self.args[i])

    def text(self, i: int) -> str:
        """A captured string argument, readable: the path, or its address if unread."""
        value = self.cap.get(str(i))
        if value is None:
            return "(unreadable)" if self.args[i] else "(none)"
        return readable(value)

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
               "inotify": "an inotify watch", "io_uring": "an io_uring instance",
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
    if target.startswith(("/dev/pts/", "/dev/tty")):
        return f"the terminal {target}"
    return target


# Files every program touches, said in words the first time a class meets them.
PATH_NOTES = (
    ("/etc/ld.so.cache", "the loader's index of shared libraries"),
    ("/etc/ld.so.preload", "libraries to load before all others"),
    ("/etc/nsswitch.conf", "where to look up users and hosts"),
    ("/etc/localtime", "the time zone"),
    ("/proc/filesystems", "the kernel's list of file system types"),
    ("/dev/null", "the null device: writes vanish, reads are empty"),
    ("/dev/tty", "this process's terminal"),
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


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def failure_words(err: str) -> str:
    if err in ERROR_WORDS:
        return ERROR_WORDS[err]
    code = getattr(errno_module, err, None)
    return os.strerror(code).lower() if code is not None else err


def explain(ev: dict) -> str:
    """One plain-English line for a syscall event (never raises)."""
    try:
        call = Call(ev)
    except (KeyError, TypeError, ValueError):
        return f"the system call {ev.get('name', '?')}"
    explainer = EXPLAINERS.get(call.name)
    if call.name not in BY_NAME:
        action, outcome = f"a system call this kernel table does not name ({call.sc.nr})", None
    elif explainer is None:
        action, outcome = manual_summary(call.name), None
    else:
        try:
            action, outcome = explainer(call)
        except Exception:  # noqa: BLE001 - odd values must never stop a trace being shown
            action, outcome = manual_summary(call.name), None
    if call.err is not None or (call.ret is not None and not call.ok):
        err = call.err or (f"E{-call.ret}" if call.ret is not None else "?")
        return f"{action}: failed, {failure_words(err)}"
    if call.ret is None:
        return action
    if not outcome:
        return action
    if outcome.startswith(" ("):          # a detail of the action rather than its result
        return action + outcome
    return f"{action}: {outcome}"


def _whatis(names: list[str]) -> subprocess.Popen | None:
    """Start `whatis -l -s 2 NAMES...` (-l: whatis trims its lines to $COLUMNS, and a
    narrow terminal would cut them short)."""
    whatis = shutil.which("whatis")
    if whatis is None:
        return None
    try:
        return subprocess.Popen([whatis, "-l", "-s", "2", *names], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
                                env={**os.environ, "LC_ALL": "C", "COLUMNS": "1000"})
    except OSError:
        return None


def _summaries(whatis: subprocess.Popen | None) -> dict[str, str]:
    """name -> summary from a whatis run's output."""
    found: dict[str, str] = {}
    if whatis is None:
        return found
    try:
        out = whatis.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        whatis.kill()
        out = whatis.communicate()[0]
    for line in out.splitlines():
        head, sep, summary = line.partition(" - ")
        if sep and head.split():
            found.setdefault(head.split()[0], summary.strip())
    return found


class _Manual:
    """The manual's one-line summaries of the calls without an explainer of their own.
    A tracer asks for all of them at start-up, in the background (prefetch), so that
    --explain does not stop the traced program for a whatis run at each new call."""

    def __init__(self) -> None:
        self.running: subprocess.Popen | None = None
        self.known: dict[str, str] = {}

    def prefetch(self) -> None:
        if self.running is None and not self.known:
            self.running = _whatis(sorted(set(BY_NAME) - set(EXPLAINERS) - set(FIXED_WORDS)))

    def summary(self, name: str) -> str:
        if self.running is not None:
            self.known.update(_summaries(self.running))
            self.running = None
        if name not in self.known:
            self.known[name] = _summaries(_whatis([name])).get(name) or (
                f"the {name} system call (see man 2 {name})")
        return self.known[name]


MANUAL = _Manual()


def manual_summary(name: str) -> str:
    """The NAME line of the installed manual page (`whatis -s 2 NAME`), read once."""
    return MANUAL.summary(name)


# Calls whose explanation does not depend on their values.
FIXED_WORDS = {
    "set_robust_list": "register this thread's list of held futex locks (freed if it dies)",
    "rseq": "register a restartable-sequence area (a fast per-CPU counter for the C library)",
    "uname": "ask for the kernel's name, version and machine type",
    "sched_yield": "give up the CPU to another runnable thread",
    "sched_getaffinity": "ask which CPUs this thread may run on",
    "prctl": "change a per-process setting (prctl)",
    "getrusage": "ask how much CPU time and memory has been used",
    "sysinfo": "ask for system-wide memory and load figures",
    "msync": "write changed pages of a file mapping back to the file",
    "rt_sigreturn": "return from a signal handler to where the program was interrupted",
    "rt_sigsuspend": "sleep until a signal arrives",
    "pause": "sleep until a signal arrives",
    "sigaltstack": "set up a separate stack for signal handlers",
    "clock_gettime": "read the clock",
    "gettimeofday": "read the clock",
    "time": "read the clock",
    "clock_getres": "ask how fine-grained a clock is",
    "times": "ask how much CPU time this process and its children used",
    "sync": "write all changed file data to the disks",
    "syncfs": "write the changed data of one file system to its disk",
    "getgroups": "ask which supplementary groups this process is in",
    "getresuid": "ask for the real, effective and saved user ids",
    "getresgid": "ask for the real, effective and saved group ids",
    "rt_sigpending": "ask which blocked signals are waiting to be delivered",
    "rt_sigtimedwait": "wait for one of a set of blocked signals to arrive",
    "sched_setaffinity": "choose which CPUs this thread may run on",
    "getcpu": "ask which CPU this thread is running on",
    "get_robust_list": "ask for a thread's list of held futex locks",
    "unshare": "give this process its own copy of some shared resources (namespaces)",
    "setns": "move this process into another namespace",
    "timerfd_create": "create a timer that is read through a file descriptor",
    "signalfd4": "receive signals by reading a file descriptor",
    "signalfd": "receive signals by reading a file descriptor",
    "inotify_rm_watch": "stop watching a file for changes",
    "listxattr": "list the extended attributes of a file",
    "llistxattr": "list the extended attributes of a file",
    "flistxattr": "list the extended attributes of a file",
    "readahead": "read part of a file into the page cache ahead of use",
    "fallocate": "reserve or release disk space for a file",
}


def _fixed(call: Call):
    return FIXED_WORDS[call.name], None


EXPLAINERS.update(dict.fromkeys(FIXED_WORDS, _fixed))


# ============================================================================================
# Processes
# ============================================================================================

@explains("setuid", "setgid", "setfsuid", "setfsgid")
def _setid(call: Call):
    what = "user" if "uid" in call.name else "group"
    return f"make this process run as {what} id {call.int(0)}", None


@explains("setreuid", "setregid", "setresuid", "setresgid")
def _setids(call: Call):
    what = "user" if "uid" in call.name else "group"
    return f"change this process's {what} ids", None


@explains("getsid")
def _getsid(call: Call):
    return "ask which session this process is in", f"session {call.ret}"


@explains("pidfd_open")
def _pidfd_open(call: Call):
    return f"get a file descriptor that refers to process {call.int(0)}", (
        f"it gets fd {call.ret}")


@explains("pidfd_send_signal")
def _pidfd_send_signal(call: Call):
    return f"send {signal_name(call.int(1))} to the process behind {call.fd(0)}", None


@explains("chroot")
def _chroot(call: Call):
    return f"make {call.text(0)} this process's root directory", None


@explains("mount")
def _mount(call: Call):
    return f"mount a file system on {call.text(1)}", None


@explains("umount2")
def _umount(call: Call):
    return f"unmount the file system on {call.text(0)}", None


@explains("fadvise64")
def _fadvise(call: Call):
    advice = {0: "will be read normally", 1: "will be read in random order",
              2: "will be read from start to end", 3: "will be needed soon",
              4: "will not be needed again"}.get(call.int(3), "will be used in some way")
    return f"tell the kernel that {call.fd(0)} {advice}", None


def _child_kind(flags: int, exit_signal: int) -> str:
    if flags & C.CLONE_THREAD:
        return "thread"
    if flags & C.CLONE_VFORK:
        return "vfork"
    if flags & C.CLONE_VM:
        return "shared"
    return "fork" if exit_signal == C.SIGCHLD else "process"


def _creation(call: Call, kind: str) -> tuple[str, str | None]:
    if kind == "thread":
        return "start a new thread in this process", f" (thread {call.ret})"
    if kind == "vfork":
        return ("create a child process that borrows this one's memory until it execs or "
                "exits", f" (pid {call.ret})")
    if kind == "shared":
        return "create a child process sharing this one's memory", f" (pid {call.ret})"
    return "create a child process: a copy of this one", f" (pid {call.ret})"


@explains("fork")
def _fork(call: Call):
    return _creation(call, "fork")


@explains("vfork")
def _vfork(call: Call):
    return _creation(call, "vfork")


@explains("clone")
def _clone(call: Call):
    flags = call.args[0]
    return _creation(call, _child_kind(flags, flags & C.CSIGNAL))


@explains("clone3")
def _clone3(call: Call):
    captured = call.cap.get("0")
    if captured is None:
        return _creation(call, "process")
    return _creation(call, _child_kind(captured[0], captured[4]))


@explains("execve", "execveat")
def _execve(call: Call):
    path_index = 1 if call.name == "execveat" else 0
    argv = (call.cap.get(str(path_index + 1)) or {}).get("argv") or []
    words = " ".join(readable(a) for a in argv[1:] if a is not None)
    action = f"replace this program with {call.text(path_index)}"
    if words:
        action += f" (arguments: {words})"
    return action, None


@explains("exit_group")
def _exit_group(call: Call):
    return f"end this process with exit status {call.int(0)}", None


@explains("exit")
def _exit(call: Call):
    return f"end this thread with status {call.int(0)}", None


def status_words(status: int) -> str:
    """A wait status in words: "exited with 0", "was killed by SIGTERM"."""
    status &= 0xFFFF
    if status & 0x7F == 0:
        return f"exited with {status >> 8}"
    if status & 0xFF == 0x7F:
        return f"stopped ({signal_name(status >> 8)})"
    if status == 0xFFFF:
        return "continued"
    core = " (core dumped)" if status & 0x80 else ""
    return f"was killed by {signal_name(status & 0x7F)}{core}"


@explains("wait4")
def _wait4(call: Call):
    pid = call.int(0)
    if pid == -1:
        who = "any child"
    elif pid > 0:
        who = f"child {pid}"
    elif pid == 0:
        who = "any child in this process group"
    else:
        who = f"any child in process group {-pid}"
    nohang = call.args[2] & 1
    action = f"check whether {who} changed state" if nohang else (
        f"wait until {who} changes state")
    if call.ok and call.ret == 0:
        return action, "none has yet"
    status = call.cap.get("1")
    if status is None:
        return action, f"child {call.ret} did" if call.ok else None
    words = status_words(status[0])
    return action, f"it {words}" if pid > 0 else f"child {call.ret} {words}"


@explains("waitid")
def _waitid(call: Call):
    idtype, ident = call.int(0), call.int(1)
    who = {0: "any child", 1: f"child {ident}", 2: f"any child in process group {ident}",
           3: f"the child behind pidfd {ident}"}.get(idtype, "a child")
    return f"wait until {who} changes state", None


@explains("kill", "tkill", "tgkill")
def _kill(call: Call):
    target_index = 1 if call.name == "tgkill" else 0
    pid = call.int(target_index)
    sig = call.int(target_index + 1)
    if call.name != "kill":
        who = f"thread {pid}"
    elif pid > 0:
        who = f"process {pid}"
    elif pid == 0:
        who = "every process in its own process group"
    elif pid == -1:
        who = "every process it is allowed to signal"
    else:
        who = f"every process in process group {-pid}"
    if sig == 0:
        return f"check that {who} exists (signal 0 sends nothing)", None
    return f"send {signal_name(sig)} to {who}", None


@explains("getpid")
def _getpid(call: Call):
    return "ask for this process's id", f"pid {call.ret}"


@explains("getppid")
def _getppid(call: Call):
    return "ask for the parent process's id", f"pid {call.ret}"


@explains("gettid")
def _gettid(call: Call):
    return "ask for this thread's id", f"tid {call.ret}"


@explains("getuid", "geteuid", "getgid", "getegid")
def _ids(call: Call):
    what = {"getuid": "user id", "geteuid": "effective user id", "getgid": "group id",
            "getegid": "effective group id"}[call.name]
    return f"ask which {what} this process runs as", str(call.ret)


@explains("setpgid")
def _setpgid(call: Call):
    pid, pgid = call.int(0), call.int(1)
    who = "this process" if pid == 0 else f"process {pid}"
    group = "its own new group" if pgid in (0, pid) else f"process group {pgid}"
    return f"move {who} into {group} (job control)", None


@explains("getpgrp", "getpgid")
def _getpgrp(call: Call):
    return "ask which process group this process is in", f"group {call.ret}"


@explains("setsid")
def _setsid(call: Call):
    return "start a new session with no controlling terminal", f"session {call.ret}"


@explains("arch_prctl")
def _arch_prctl(call: Call):
    code = call.int(0)
    if code == 0x1002:
        return ("set the FS register to point at this thread's thread-local storage "
                "(C library start-up)"), None
    return f"set an x86-64 thread register ({C.ARCH_PRCTL.get(code, hex(code))})", None


@explains("set_tid_address")
def _set_tid_address(call: Call):
    return ("tell the kernel where to clear this thread's id when it exits (so threads can "
            "be joined)", f"tid {call.ret}")


RESOURCE_WORDS = {0: "CPU time", 1: "file size", 2: "data segment size", 3: "stack size",
                  4: "core dump size", 6: "number of processes", 7: "number of open files",
                  8: "locked memory", 9: "address space size"}


@explains("prlimit64", "getrlimit", "setrlimit")
def _prlimit(call: Call):
    resource_index = 1 if call.name == "prlimit64" else 0
    resource = RESOURCE_WORDS.get(call.int(resource_index), "a resource")
    setting = call.args[2] if call.name == "prlimit64" else call.name == "setrlimit"
    return f"{'set' if setting else 'ask'} the limit on {resource}", None


@explains("umask")
def _umask(call: Call):
    return f"set the permission bits new files must not have to {call.int(0):03o}", None


# ============================================================================================
# Files and descriptors
# ============================================================================================

def open_purpose(flags: int) -> str:
    if flags & 0o10000000:
        return "as a handle only (O_PATH)"
    access = {0: "for reading", 1: "for writing", 2: "for reading and writing"}.get(
        flags & 3, "")
    extras = []
    if flags & C.O_CREAT:
        extras.append("creating it if missing")
    if flags & 0o1000:
        extras.append("emptying it")
    if flags & 0o2000:
        extras.append("appending")
    return ", ".join([access, *extras]) if extras else access


@explains("open", "openat", "creat", "openat2")
def _open(call: Call):
    path_index = 0 if call.name in ("open", "creat") else 1
    path = call.text(path_index)
    if call.name == "creat":
        flags = 0o1101
    elif call.name == "openat2":
        flags = 0
    else:
        flags = call.args[path_index + 1]
    note = path_note(path)
    if flags & 0o200000 and not flags & 3:
        action = f"open the directory {path}{note}"
    else:
        action = f"open {path}{note} {open_purpose(flags)}".rstrip()
    if path and not path.startswith("/") and call.name in ("openat", "openat2"):
        dirfd = call.int(0)
        if dirfd != C.AT_FDCWD:
            action += f" (relative to {call.fd(0)})"
    return action, f"it gets fd {call.ret}"


@explains("close")
def _close(call: Call):
    return f"close {call.fd(0)}", None


@explains("close_range")
def _close_range(call: Call):
    last = call.args[1] & 0xFFFFFFFF
    upto = "upwards" if last == 0xFFFFFFFF else f"to {last}"
    return f"close every fd from {call.args[0] & 0xFFFFFFFF} {upto}", None


@explains("read", "pread64", "readv", "preadv", "preadv2")
def _read(call: Call):
    where = f" at offset {s64(call.args[3])}" if call.name == "pread64" else ""
    if not call.ok:
        return f"read from {call.fd(0)}{where}", None
    if call.ret == 0:
        return f"read from {call.fd(0)}{where}", "end of file (nothing left)"
    return f"read {plural(call.ret, 'byte')} from {call.fd(0)}{where}", None


@explains("write", "pwrite64", "writev", "pwritev", "pwritev2")
def _write(call: Call):
    if call.name in ("write", "pwrite64"):
        asked = call.args[2]
        action = f"write {plural(asked, 'byte')} to {call.fd(0)}"
    else:
        action = f"write to {call.fd(0)}"
    if call.ok and call.name in ("write", "pwrite64") and call.ret != call.args[2]:
        return action, f"only {call.ret} written"
    return action, None


@explains("lseek")
def _lseek(call: Call):
    offset = s64(call.args[1])
    whence = call.int(2)
    place = {0: f"to byte {offset}", 1: f"by {offset} bytes from where it is",
             2: f"to {offset} bytes from the end"}.get(whence, f"(whence {whence})")
    if whence == 1 and offset == 0:
        return f"ask where in {call.fd(0)} the next read or write happens", (
            f"at byte {call.ret}")
    return f"move the position in {call.fd(0)} {place}", f"now at byte {call.ret}"


def _stat_outcome(call: Call, index: int) -> str | None:
    st = call.cap.get(str(index))
    if not st:
        return None
    kind = {0o100000: "a regular file", 0o40000: "a directory", 0o120000: "a symbolic link",
            0o20000: "a character device", 0o60000: "a block device", 0o10000: "a FIFO",
            0o140000: "a socket"}.get(st["mode"] & C.S_IFMT, "a file")
    size = f", {plural(st['size'], 'byte')}" if kind == "a regular file" else ""
    return f"{kind}{size}, permissions {st['mode'] & 0o7777:03o}"


@explains("stat", "lstat", "newfstatat", "fstat", "statx")
def _stat(call: Call):
    if call.name == "fstat":
        subject, index = call.fd(0), 1
    else:
        path_index = 0 if call.name in ("stat", "lstat") else 1
        subject = call.text(path_index)
        empty_path = subject == "" and call.name in ("newfstatat", "statx")
        subject = call.fd(0) if empty_path else subject
        index = {"stat": 1, "lstat": 1, "newfstatat": 2, "statx": 4}[call.name]
    return f"get the type, size, owner and times of {subject}", _stat_outcome(call, index)


@explains("access", "faccessat", "faccessat2")
def _access(call: Call):
    path_index = 0 if call.name == "access" else 1
    mode = call.int(path_index + 1)
    wanted = [word for bit, word in ((4, "read"), (2, "write"), (1, "execute")) if mode & bit]
    path = call.text(path_index)
    if not wanted:
        return f"check whether {path} exists", "yes"
    return f"check whether this process may {'/'.join(wanted)} {path}", "yes"


@explains("getdents64", "getdents")
def _getdents(call: Call):
    count = call.cap.get("1")
    if call.ok and call.ret == 0:
        return f"list the directory {call.fd(0)}", "no more entries"
    if count is None:
        return f"list the directory {call.fd(0)}", None
    return f"list the directory {call.fd(0)}", f"{count} entr{'y' if count == 1 else 'ies'}"


@explains("mkdir", "mkdirat")
def _mkdir(call: Call):
    path_index = 0 if call.name == "mkdir" else 1
    mode = call.int(path_index + 1) & 0o7777
    return f"create the directory {call.text(path_index)} (permissions {mode:03o})", None


@explains("rmdir")
def _rmdir(call: Call):
    return f"remove the empty directory {call.text(0)}", None


@explains("unlink", "unlinkat")
def _unlink(call: Call):
    path_index = 0 if call.name == "unlink" else 1
    if call.name == "unlinkat" and call.args[2] & 0x200:
        return f"remove the empty directory {call.text(1)}", None
    return f"remove the name {call.text(path_index)} (the file goes when unused)", None


@explains("rename", "renameat", "renameat2")
def _rename(call: Call):
    if call.name == "rename":
        return f"rename {call.text(0)} to {call.text(1)}", None
    return f"rename {call.text(1)} to {call.text(3)}", None


@explains("link", "linkat", "symlink", "symlinkat")
def _link(call: Call):
    if call.name == "link":
        return f"give {call.text(0)} a second name, {call.text(1)}", None
    if call.name == "linkat":
        return f"give {call.text(1)} a second name, {call.text(3)}", None
    new_index = 1 if call.name == "symlink" else 2
    return f"create the symbolic link {call.text(new_index)} pointing to {call.text(0)}", None


@explains("readlink", "readlinkat")
def _readlink(call: Call):
    path_index = 0 if call.name == "readlink" else 1
    target = call.cap.get(str(path_index + 1))
    return (f"read where the symbolic link {call.text(path_index)} points",
            readable(target) if target is not None else None)


@explains("chdir")
def _chdir(call: Call):
    return f"change the current directory to {call.text(0)}", None


@explains("fchdir")
def _fchdir(call: Call):
    return f"change the current directory to {call.fd(0)}", None


@explains("getcwd")
def _getcwd(call: Call):
    cwd = call.cap.get("0")
    return "ask for the current directory", readable(cwd) if cwd is not None else None


@explains("chmod", "fchmod", "fchmodat", "fchmodat2")
def _chmod(call: Call):
    if call.name == "fchmod":
        return f"set the permissions of {call.fd(0)} to {call.int(1) & 0o7777:03o}", None
    path_index = 0 if call.name == "chmod" else 1
    mode = call.int(path_index + 1) & 0o7777
    return f"set the permissions of {call.text(path_index)} to {mode:03o}", None


@explains("chown", "lchown", "fchown", "fchownat")
def _chown(call: Call):
    subject = call.fd(0) if call.name == "fchown" else call.text(
        1 if call.name == "fchownat" else 0)
    return f"change the owner of {subject}", None


@explains("truncate", "ftruncate")
def _truncate(call: Call):
    subject = call.fd(0) if call.name == "ftruncate" else call.text(0)
    return f"set the size of {subject} to {plural(s64(call.args[1]), 'byte')}", None


@explains("fsync", "fdatasync")
def _fsync(call: Call):
    return f"wait until the data written to {call.fd(0)} is on the disk", None


@explains("utimensat")
def _utimensat(call: Call):
    return f"set the access and modification times of {call.text(1)}", None


@explains("statfs", "fstatfs")
def _statfs(call: Call):
    subject = call.fd(0) if call.name == "fstatfs" else call.text(0)
    return f"get information about the file system holding {subject}", None


@explains("getxattr", "lgetxattr", "fgetxattr")
def _getxattr(call: Call):
    subject = call.fd(0) if call.name == "fgetxattr" else call.text(0)
    return f"read the extended attribute {call.text(1)} of {subject}", None


@explains("dup")
def _dup(call: Call):
    return f"duplicate {call.fd(0)}", f"the copy is fd {call.ret}"


@explains("dup2", "dup3")
def _dup2(call: Call):
    old, new = call.int(0), call.int(1)
    targets = call.cap.get("y") or {}
    what, replaced = fd_thing(targets.get(str(old))), fd_thing(targets.get(str(new)))
    action = f"make fd {new} a copy of fd {old}" + (f" ({what})" if what else "")
    if replaced:
        action += f", so it no longer refers to {replaced}"
    return action, None


@explains("pipe", "pipe2")
def _pipe(call: Call):
    fds = call.cap.get("0")
    if not fds:
        return "create a pipe", None
    return "create a pipe", f"read end fd {fds[0]}, write end fd {fds[1]}"


@explains("fcntl")
def _fcntl(call: Call):
    cmd = call.int(1)
    subject = call.fd(0)
    if cmd in (C.F_DUPFD, C.F_DUPFD_CLOEXEC):
        return (f"duplicate {subject} onto the lowest free fd >= {call.int(2)}",
                f"the copy is fd {call.ret}")
    if cmd == C.F_GETFD:
        return f"ask whether {subject} closes on exec", "yes" if call.ret else "no"
    if cmd == C.F_SETFD:
        on = call.args[2] & 1
        return f"make {subject} {'close' if on else 'stay open'} on exec", None
    if cmd == C.F_GETFL:
        return f"ask how {subject} was opened", None
    if cmd == C.F_SETFL:
        blocking = "non-blocking" if call.args[2] & 0o4000 else "blocking"
        return f"change the status flags of {subject} ({blocking})", None
    if cmd in (5, 6, 7, 36, 37, 38):
        return f"test or set a lock on {subject}", None
    return f"control {subject} ({C.FCNTL_CMDS.get(cmd, cmd)})", None


@explains("ioctl")
def _ioctl(call: Call):
    request = call.args[1] & 0xFFFFFFFF
    subject = call.fd(0)
    words = {
        C.TCGETS: f"ask whether {subject} is a terminal (read its settings)",
        0x5402: f"change the terminal settings of {subject}",
        0x5403: f"change the terminal settings of {subject} after output drains",
        0x5404: f"change the terminal settings of {subject}, discarding pending input",
        C.TIOCGWINSZ: f"ask for the window size of {subject}",
        C.TIOCSWINSZ: f"set the window size of {subject}",
        C.TIOCGPGRP: f"ask which process group is in the foreground on {subject}",
        C.TIOCSPGRP: f"put a process group in the foreground on {subject}",
        C.FIONREAD: f"ask how many bytes are waiting to be read on {subject}",
    }
    action = words.get(request, f"send a device-specific request to {subject}")
    captured = call.cap.get("2")
    if request == C.TIOCGWINSZ and captured and call.ok:
        return action, f"{captured[0]} rows by {captured[1]} columns"
    if request == C.TIOCSPGRP and captured:
        return f"put process group {captured[0]} in the foreground on {subject}", None
    return action, None


@explains("flock")
def _flock(call: Call):
    return f"lock or unlock the whole of {call.fd(0)}", None


@explains("sendfile", "copy_file_range", "splice")
def _sendfile(call: Call):
    return "copy data between two fds inside the kernel", plural(call.ret or 0, "byte")


def _poll_wish(fd: int, events: int, target: str | None) -> str:
    wants = [word for bit, word in ((0x1, "read"), (0x4, "written")) if events & bit]
    return f"{describe_fd(fd, target)} can be {' or '.join(wants) or 'used'}"


@explains("poll", "ppoll")
def _poll(call: Call):
    entries = [e for e in call.cap.get("0") or [] if e[0] >= 0]
    if entries and call.name == "poll":
        wishes = [_poll_wish(fd, events, target) for fd, events, _, target in entries[:3]]
        what = " or ".join(wishes) + (" (or others)" if len(entries) > 3 else "")
    else:
        what = f"one of {plural(call.args[1] & 0xFFFFFFFF, 'fd')} is ready"
    timeout = call.int(2) if call.name == "poll" else -1
    if timeout == 0:
        action = f"check, without waiting, whether {what}"
    else:
        action = f"wait until {what}" + (f" (at most {timeout} ms)" if timeout > 0 else "")
    if call.ok and call.ret == 0:
        return action, "timed out" if timeout else "not yet"
    return action, f"{call.ret} ready" if call.ok else None


@explains("select", "pselect6")
def _select(call: Call):
    wishes = [f"{describe_fd(fd, target)} can be {verb}"
              for index, verb in ((1, "read"), (2, "written"))
              for fd, target in (call.cap.get(str(index)) or [])]
    what = " or ".join(wishes[:3]) + (" (or others)" if len(wishes) > 3 else "")
    action = f"wait until {what}" if wishes else "wait until one of a set of fds is ready"
    return action, "timed out" if call.ok and call.ret == 0 else f"{call.ret} ready"


@explains("epoll_create", "epoll_create1")
def _epoll_create(call: Call):
    return "create an epoll set to watch many fds at once", f"it gets fd {call.ret}"


@explains("epoll_ctl")
def _epoll_ctl(call: Call):
    watched = call.fd(2)
    action = {1: f"add {watched} to", 2: f"remove {watched} from"}.get(
        call.int(1), f"change the events watched on {watched} in")
    return f"{action} {call.fd(0)}", None


@explains("epoll_wait", "epoll_pwait", "epoll_pwait2")
def _epoll_wait(call: Call):
    return f"wait for events on {call.fd(0)}", (
        "timed out" if call.ok and call.ret == 0 else f"{plural(call.ret or 0, 'event')}")


@explains("eventfd", "eventfd2")
def _eventfd(call: Call):
    return "create an event counter other threads can signal", f"it gets fd {call.ret}"


@explains("memfd_create")
def _memfd_create(call: Call):
    return f"create an anonymous in-memory file named {call.text(0)}", (
        f"it gets fd {call.ret}")


@explains("inotify_init", "inotify_init1")
def _inotify_init(call: Call):
    return "create an inotify instance to watch files for changes", f"it gets fd {call.ret}"


@explains("inotify_add_watch")
def _inotify_add_watch(call: Call):
    return f"watch {call.text(1)} for changes", None


# ============================================================================================
# Memory
# ============================================================================================

def protection_words(prot: int) -> str:
    words = [word for bit, word in ((1, "readable"), (2, "writable"), (4, "executable"))
             if prot & bit]
    if not words:
        return "inaccessible (a guard area)"
    text = " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]
    return text + " (program code)" if prot & 4 else text


@explains("mmap")
def _mmap(call: Call):
    length, prot, flags = call.args[1], call.args[2], call.args[3]
    what = plural(length, "byte")
    if flags & 0x20:   # MAP_ANONYMOUS
        subject = f"map {what} of memory"
    else:
        offset = call.args[5]
        at = f" from offset {offset:#x}" if offset else ""
        subject = f"map {what} of {call.fd(4)}{at}"
    shared = ", shared with other processes" if flags & 0xF == 1 else ""
    where = call.ret & 0xFFFFFFFFFFFFFFFF if call.ret is not None else None
    return (f"{subject}, {protection_words(prot)}{shared}",
            f"at {where:#x}" if where is not None else None)


@explains("munmap")
def _munmap(call: Call):
    return f"unmap {plural(call.args[1], 'byte')} of memory at {call.args[0]:#x}", None


@explains("mprotect", "pkey_mprotect")
def _mprotect(call: Call):
    return (f"make {plural(call.args[1], 'byte')} at {call.args[0]:#x} "
            f"{protection_words(call.args[2])}", None)


@explains("brk")
def _brk(call: Call):
    if call.args[0] == 0:
        return "ask where the heap ends", f"at {call.ret:#x}" if call.ret is not None else None
    return f"move the end of the heap to {call.args[0]:#x}", (
        f"now at {call.ret:#x}" if call.ret is not None else None)


@explains("mremap")
def _mremap(call: Call):
    return (f"resize the mapping at {call.args[0]:#x} from {plural(call.args[1], 'byte')} "
            f"to {plural(call.args[2], 'byte')}", None)


@explains("madvise")
def _madvise(call: Call):
    return f"advise the kernel how {plural(call.args[1], 'byte')} of memory will be used", None


@explains("mlock", "mlock2", "munlock", "mlockall", "munlockall")
def _mlock(call: Call):
    verb = "unlock" if call.name.startswith("mun") else "lock"
    return f"{verb} memory {'out of' if verb == 'unlock' else 'into'} RAM (no swapping)", None


# ============================================================================================
# Signals and time
# ============================================================================================

@explains("rt_sigaction")
def _sigaction(call: Call):
    sig = signal_name(call.int(0))
    act = call.cap.get("1")
    if not call.args[1]:
        return f"ask what happens on {sig}", None
    if act is None:
        return f"change what happens on {sig}", None
    handler = act[0]
    if handler == 0:
        what = "the default action"
    elif handler == 1:
        what = "ignore it"
    else:
        what = f"run the handler at {handler:#x}"
    return f"set what happens on {sig}: {what}", None


def _signal_list(mask: int) -> str:
    names = [signal_name(n) for n in range(1, 65) if mask >> (n - 1) & 1]
    if not names:
        return "no signals"
    if len(names) == 64:
        return "all signals"
    if len(names) > 32:
        return "all signals but " + ", ".join(
            signal_name(n) for n in range(1, 65) if not mask >> (n - 1) & 1)
    return ", ".join(names)


@explains("rt_sigprocmask")
def _sigprocmask(call: Call):
    captured = call.cap.get("1")
    if not call.args[1]:
        return "ask which signals are blocked", None
    signals = _signal_list(captured[0]) if captured else "some signals"
    how = call.int(0)
    if how == 0:
        return f"block {signals} (delivery waits until unblocked)", None
    if how == 1:
        return f"unblock {signals}", None
    return f"set the blocked signals to: {signals}", None


@explains("alarm")
def _alarm(call: Call):
    seconds = call.args[0] & 0xFFFFFFFF
    if seconds == 0:
        return "cancel any pending alarm", None
    return f"ask for SIGALRM in {plural(seconds, 'second')}", None


def _duration(ts: list[int] | None) -> str:
    if not ts:
        return "a while"
    seconds = ts[0] + ts[1] / 1e9
    return f"{seconds:g} seconds" if seconds >= 1 else f"{seconds * 1000:g} ms"


@explains("nanosleep")
def _nanosleep(call: Call):
    return f"sleep for {_duration(call.cap.get('0'))}", None


@explains("clock_nanosleep")
def _clock_nanosleep(call: Call):
    if call.int(1) & 1:   # TIMER_ABSTIME
        return "sleep until a set time", None
    return f"sleep for {_duration(call.cap.get('2'))}", None


@explains("futex")
def _futex(call: Call):
    op = call.int(1) & 0x7F
    if op in (0, 9):
        return f"sleep until another thread wakes the lock word at {call.args[0]:#x}", None
    if op in (1, 10):
        return f"wake threads waiting on the lock word at {call.args[0]:#x}", (
            f"{plural(call.ret or 0, 'thread')} woken")
    return "wait for or wake threads on a lock word (futex)", None


@explains("getrandom")
def _getrandom(call: Call):
    return f"get {plural(call.args[1], 'random byte')} from the kernel", None


# ============================================================================================
# Network
# ============================================================================================

@explains("socket")
def _socket(call: Call):
    family = {1: "local (Unix)", 2: "IPv4", 10: "IPv6", 16: "netlink"}.get(
        call.int(0), C.SOCK_FAMILIES.get(call.int(0), ""))
    kind = {1: "stream", 2: "datagram", 3: "raw", 5: "packet"}.get(call.args[1] & 0xF, "")
    what = f"{family} {kind} socket".replace("  ", " ").strip()
    return f"create {article(what)} {what}", f"it gets fd {call.ret}"


@explains("socketpair")
def _socketpair(call: Call):
    fds = call.cap.get("3")
    return "create a pair of connected local sockets", (
        f"fds {fds[0]} and {fds[1]}" if fds else None)


def address_words(call: Call, i: int) -> str:
    """A socket address in words: a path, "127.0.0.1 port 80", or "an address"."""
    captured = call.cap.get(str(i))
    if not captured:
        return "an address"
    data = captured.encode("latin-1")
    family = int.from_bytes(data[:2], "little") if len(data) >= 2 else 0
    if family == 1 and len(data) > 2:
        path = data[2:]
        if path[:1] == b"\0":
            return "the abstract socket @" + readable(path[1:].decode("latin-1"))
        return readable(path.partition(b"\0")[0].decode("latin-1"))
    if family == 2 and len(data) >= 8:
        return ".".join(str(b) for b in data[4:8]) + f" port {int.from_bytes(data[2:4], 'big')}"
    if family == 10 and len(data) >= 24:
        return f"{ipaddress.IPv6Address(data[8:24])} port {int.from_bytes(data[2:4], 'big')}"
    return "an address"


@explains("connect")
def _connect(call: Call):
    return f"connect {call.fd(0)} to {address_words(call, 1)}", None


@explains("bind")
def _bind(call: Call):
    return f"give {call.fd(0)} the address {address_words(call, 1)}", None


@explains("listen")
def _listen(call: Call):
    return f"accept connections on {call.fd(0)} (queue up to {call.int(1)})", None


@explains("accept", "accept4")
def _accept(call: Call):
    return f"wait for a connection on {call.fd(0)}", f"it gets fd {call.ret}"


@explains("sendto", "sendmsg", "sendmmsg")
def _send(call: Call):
    if call.name == "sendto":
        return f"send {plural(call.args[2], 'byte')} on {call.fd(0)}", None
    return f"send a message on {call.fd(0)}", None


@explains("recvfrom", "recvmsg", "recvmmsg")
def _recv(call: Call):
    return f"receive on {call.fd(0)}", plural(call.ret or 0, "byte") if call.ok else None


@explains("shutdown")
def _shutdown(call: Call):
    return f"shut down sending or receiving on {call.fd(0)}", None


@explains("setsockopt", "getsockopt")
def _sockopt(call: Call):
    verb = "set" if call.name == "setsockopt" else "read"
    return f"{verb} an option of {call.fd(0)}", None


@explains("getsockname", "getpeername")
def _sockname(call: Call):
    side = "its own" if call.name == "getsockname" else "the other end's"
    return f"ask for {side} address of {call.fd(0)}", None
