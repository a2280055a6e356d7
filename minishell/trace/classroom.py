"""Classroom mode: show less, and show it slowly.

Between execve() and the first line of main(), a dynamically linked program
runs the dynamic loader (ld.so): it finds and maps the shared libraries (open
/etc/ld.so.cache, open libc.so.6, read its ELF header, mmap its segments,
mprotect them), then libc sets up the thread (set_tid_address, set_robust_list,
rseq) and the heap (brk). That is 20-40 calls before the program does anything
it was written to do. `StartupFilter` hides them (--quiet-startup) and counts
them; `Stepper` pauses before each call so a class can follow along (--step,
--slow MS).
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter

from minishell.trace.render_fds import captured, signed
from minishell.trace.syscalls import BY_NAME

# Calls the loader and libc's start-up make that are not about files.
STARTUP_CALLS = {
    "brk", "arch_prctl", "mprotect", "munmap", "set_tid_address", "set_robust_list", "rseq",
    "prlimit64", "getrandom",
}
# Calls the loader makes on a library file it opened (or to look for one).
FILE_CALLS = {"read", "pread64", "fstat", "newfstatat", "statx", "close", "mmap"}
OPEN_CALLS = {"open", "openat", "access", "faccessat", "faccessat2", "readlink", "readlinkat",
              "stat", "newfstatat", "statx", "statfs"}
# What the loader opens: its cache and preload list, and shared objects (libc.so.6,
# glibc-hwcaps/x86-64-v3/libfoo.so.1...); static programs read /proc/self/exe. Library
# constructors also run before main(): libselinux's probes for SELinux are the common one.
LOADER_PATH = re.compile(r"^/etc/ld\.so\.(cache|preload)$|\.so(\.\d+)*$|^/proc/self/exe$"
                         r"|^/sys/fs/selinux$|^/selinux$|^/proc/filesystems$"
                         r"|^/etc/selinux/config$")
EXECS = {"execve", "execveat"}


def _fd_arg(ev: dict) -> int:
    """The fd a call works on (mmap's is its fifth argument; -1 maps anonymous memory)."""
    args = ev.get("args") or [0] * 6
    return signed(args[4 if ev["name"] == "mmap" else 0])


class StartupFilter:
    """--quiet-startup: drop each process's loader and libc start-up calls after an exec.

    A process is "starting up" from a successful exec until its first call that the
    loader would not make; `keep` is called on every event in order.
    """

    def __init__(self) -> None:
        self.starting: dict[int, set[int]] = {}  # pid -> fds the loader has open
        self.hidden = 0
        self.hidden_by_pid: Counter[int] = Counter()

    def keep(self, ev: dict) -> bool:
        kind, pid = ev.get("type"), ev.get("pid")
        if kind == "exec" or kind == "syscall" and ev["name"] in EXECS and ev.get("ret") == 0:
            self.starting[pid] = set()
            return True
        if kind == "exit":
            self.starting.pop(pid, None)
        if kind != "syscall" or pid not in self.starting:
            return True
        if ev["name"] in EXECS:  # a failed exec (a PATH search) is the program's own doing
            return True
        if self._is_startup(ev, self.starting[pid]):
            self.hidden += 1
            self.hidden_by_pid[pid] += 1
            return False
        del self.starting[pid]  # the program's own code has begun
        return True

    def would_hide(self, ev: dict) -> bool:
        """At a call's entry: will `keep` hide it?  (--step must not stop at calls the
        trace does not show.)  Decided from what is known at entry, changing nothing."""
        pid = ev.get("pid")
        if ev.get("type") != "syscall" or pid not in self.starting or ev["name"] in EXECS:
            return False
        return self._is_startup(ev, set(self.starting[pid]))

    @staticmethod
    def _is_startup(ev: dict, loader_fds: set[int]) -> bool:
        name = ev["name"]
        if name in FILE_CALLS and _fd_arg(ev) in loader_fds:
            if name == "close":
                loader_fds.discard(_fd_arg(ev))
            return True
        if name in OPEN_CALLS:
            path = captured(ev, "path")
            if not isinstance(path, str) or not LOADER_PATH.search(path):
                return False
            if isinstance(ev.get("ret"), int) and ev["ret"] >= 0 and name in ("open", "openat"):
                loader_fds.add(ev["ret"])
            return True
        if name == "mmap":
            return _fd_arg(ev) == -1  # anonymous memory: the loader's own bookkeeping
        return name in STARTUP_CALLS


class StepperError(Exception):
    """--step cannot work here (no terminal to read Enter from); the message says why."""


class Stepper:
    """--step / --slow MS: hold the tracee before each selected call.

    The engine calls `before_call` at syscall entry, while the tracee is stopped,
    so blocking here pauses the traced program. Keystrokes come from /dev/tty, the
    controlling terminal, never from stdin: the tracee's stdin may be the very
    thing being traced (a pipe, a file) and must not lose a byte to us.
    """

    HELP = "Enter runs the call shown; c then Enter runs on without pausing"

    def __init__(self, classes: frozenset[str] | None, slow_ms: int, step: bool,
                 tty: str = "/dev/tty") -> None:
        self.classes = classes
        self.slow_ms = max(0, slow_ms)
        self.step = step
        self.terminal: int | None = None  # an fd of /dev/tty
        if step:
            try:
                self.terminal = os.open(tty, os.O_RDWR | os.O_NOCTTY | os.O_CLOEXEC)
            except OSError as e:
                raise StepperError(f"--step needs a terminal to read Enter from: "
                                   f"cannot open {tty}: {e.strerror}") from None
            self.say(f"minitrace --step: {self.HELP}\n")

    def say(self, text: str) -> None:
        os.write(self.terminal, text.encode("utf-8", "replace"))

    def selected(self, name: str) -> bool:
        if self.classes is None:
            return True
        known = BY_NAME.get(name)
        return known is not None and bool(known.classes & self.classes)

    def before_call(self, pid: int, name: str, text: str) -> None:
        if not self.selected(name):
            return
        if self.slow_ms:
            time.sleep(self.slow_ms / 1000)
        if self.step and self.terminal is not None:
            self.say(f"[{pid}] {text} ? ")
            # The terminal is in its usual line mode: one read() returns one typed line.
            answer = os.read(self.terminal, 1024)
            if not answer or answer.strip().lower() == b"c":
                self.step = False  # asked to run on (or the terminal went away)

    def close(self) -> None:
        if self.terminal is not None:
            os.close(self.terminal)
            self.terminal = None
