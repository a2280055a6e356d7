"""The x86-64 system call table: what each numbered entry into the kernel is called and takes.

A program asks the kernel for a service by loading a number into a register and executing the
`syscall` instruction; the kernel looks the number up in its own table.  A tracer sees only the
number and six raw integers, so it needs the same table to say "openat(AT_FDCWD, ...)" instead
of "257(0xffffff9c, ...)".  The table (minishell/trace/_table.py) is generated from the
kernel headers by scripts/gen_syscalls.py; this module turns it into lookups and implements
strace's `-e trace=` selection syntax.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from minishell.trace._table import TABLE

# strace's syscall classes, as selected by `-e trace=%CLASS` (or plain `CLASS`).
CLASSES = ("process", "file", "desc", "network", "signal", "memory", "ipc")

# strace's narrower groups, selectable with -e trace=%NAME (not part of Syscall.classes).
_STAT_FAMILY = {"stat": {"stat"}, "lstat": {"lstat"}, "fstat": {"fstat", "newfstatat", "statx"},
                "statfs": {"statfs"}, "fstatfs": {"fstatfs"}}
GROUPS: dict[str, frozenset[str]] = {
    **{name: frozenset(calls) for name, calls in _STAT_FAMILY.items()},
    "%stat": frozenset({"stat", "lstat", "fstat", "newfstatat", "statx"}),
    "%statfs": frozenset({"statfs", "fstatfs", "ustat"}),
    "creds": frozenset({"capget", "capset", "getuid", "geteuid", "getgid", "getegid",
                        "getresuid", "getresgid", "getgroups", "setuid", "setgid", "setreuid",
                        "setregid", "setresuid", "setresgid", "setfsuid", "setfsgid",
                        "setgroups", "prctl"}),
    "clock": frozenset({"adjtimex", "clock_adjtime", "clock_getres", "clock_gettime",
                        "clock_settime", "gettimeofday", "settimeofday", "time"}),
    "pure": frozenset({"getpid", "getppid", "gettid", "getuid", "geteuid", "getgid",
                       "getegid", "getpgrp"}),
}


class Param(NamedTuple):
    """One argument of a system call; `kind` tells capture.py how to read it and
    strace_values.py how to print it."""

    name: str
    kind: str


class Syscall(NamedTuple):
    """One row of the table (NamedTuples, not dataclasses: importing dataclasses costs
    minitrace's start-up more than the whole table does)."""

    nr: int
    name: str
    params: tuple[Param, ...]
    classes: frozenset[str]
    returns: str = "int"        # "fd" (a new descriptor), "addr" (memory), "mode" or "int"


BY_NR: dict[int, Syscall] = {}
BY_NAME: dict[str, Syscall] = {}
for _nr, _name, _params, _classes, _returns in TABLE:
    _sc = Syscall(_nr, _name, tuple(Param(n, k) for n, k in _params), frozenset(_classes),
                  _returns)
    BY_NR[_nr] = BY_NAME[_name] = _sc
del _nr, _name, _params, _classes, _returns, _sc


def unknown(nr: int) -> Syscall:
    """A stand-in for a number the table does not know (strace prints `syscall_0x1d0`)."""
    params = tuple(Param(f"arg{i}", "hex") for i in range(6))
    return Syscall(nr, f"syscall_{nr:#x}", params, frozenset())


def lookup(nr: int) -> Syscall:
    return BY_NR.get(nr) or unknown(nr)


def select(spec: str) -> frozenset[int]:
    """The syscall numbers that strace's `-e trace=SPEC` selects.

    SPEC is a comma list of names, classes (`%file` or `file`), `all`, `none`, `/REGEX`
    and `?NAME` (ignored if unknown); a leading `!` selects everything *but* the list.
    An unknown name raises ValueError with a message fit to show the user.
    """
    text = spec.strip()
    if text.startswith("trace="):
        text = text[len("trace="):]
    negate = text.startswith("!")
    if negate:
        text = text[1:]
    if not text.strip():
        raise ValueError(f"invalid system call specification '{spec}': it is empty")
    chosen: set[int] = set()
    for item in text.split(","):
        chosen |= _select_one(item.strip(), spec)
    if negate:
        return frozenset(BY_NR) - chosen
    return frozenset(chosen)


def _select_one(item: str, spec: str) -> set[int]:
    if not item:
        raise ValueError(f"invalid system call specification '{spec}': empty item in the list")
    if item == "all":
        return set(BY_NR)
    if item == "none":
        return set()
    if item.startswith("/"):
        try:
            pattern = re.compile(item[1:])
        except re.error as exc:
            raise ValueError(f"invalid regular expression '{item[1:]}': {exc}") from None
        return {sc.nr for sc in BY_NR.values() if pattern.search(sc.name)}
    optional = item.startswith("?")
    name = item[1:] if optional else item
    cls = name[1:] if name.startswith("%") else name
    if cls in CLASSES:
        return {sc.nr for sc in BY_NR.values() if cls in sc.classes}
    if name in BY_NAME:
        return {BY_NAME[name].nr}
    if cls in GROUPS:                      # %stat, %%stat, %creds, clock, ...
        return {BY_NAME[call].nr for call in GROUPS[cls]}
    if optional:
        return set()
    if name.startswith("%"):
        known = [*CLASSES, *(g for g in GROUPS if not g.startswith("%"))]
        raise ValueError(f"invalid system call class '{name}' (known classes: "
                         + ", ".join("%" + c for c in known) + ")")
    raise ValueError(f"invalid system call '{name}' (not an x86-64 system call or class)")
