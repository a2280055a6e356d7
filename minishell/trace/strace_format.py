"""A whole system call in strace's syntax: `openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3`.

format_call() turns one syscall event (its raw arguments, its return value and what
capture.py copied out of the tracee) into the call text and the result text strace would
print.  Most calls are one formatted value per parameter (strace_values.KIND_FORMATTERS);
the calls here print otherwise (clone as fork, fcntl's argument by command, prctl by
option...).  format_siginfo() writes the {si_signo=...} of a signal line.  Never on the
hot path: the text is made when an event is shown.
"""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable

from minishell.trace import constants as C
from minishell.trace.capture import duplicated_fd, errno_name, s32, s64
from minishell.trace.events import MAX_ERRNO, SyscallEvent
from minishell.trace.strace_structs import (
    STRUCT_SPECIAL,
    fcntl_arg,
    format_siginfo,  # noqa: F401 (render_text's)
)
from minishell.trace.strace_values import (
    KIND_FORMATTERS,
    RESULT_NAMES,
    _Call,
    _clone_flags,
    _futex,
    _hex,
    _ioctl_arg,
    _ptr,
    _statx,
    fd_text,
    flags,
    mode,
    open_flags,
    poll_result,
    result_text,
    select_result,
    sig_text,
)
from minishell.trace.syscalls import BY_NAME, BY_NR, Syscall, lookup


@functools.cache
def errno_message(name: str) -> str:
    for known, message in C.RESTART_ERRORS.values():
        if known == name:
            return message
    code = getattr(errno, name, None)
    if code is None and name[1:].isdigit():
        code = int(name[1:])
    return os.strerror(code) if code is not None else "Unknown error"


# ---- calls whose text is not one formatted item per parameter -------------------------------

def _fork_like(call: _Call, flags_value: int, exit_signal: int) -> str | None:
    """fork() / vfork() when that is what a clone really is."""
    if exit_signal != C.SIGCHLD:
        return None
    rest = flags_value & ~C.CSIGNAL & ~C.CLONE_CHILD_SETTID_OR_CLEARTID
    if rest == 0:
        return "fork()"
    if rest == C.CLONE_VM | C.CLONE_VFORK:
        return "vfork()"
    return None


def _clone(call: _Call, raw: bool) -> str:
    a = call.args
    clone_flags = a[0] & 0xFFFFFFFFFFFFFFFF
    if not raw:
        simple = _fork_like(call, clone_flags, clone_flags & C.CSIGNAL)
        if simple:
            return simple
    parts = [f"child_stack={_ptr(a[1])}", f"flags={_clone_flags(clone_flags)}"]
    if clone_flags & (C.CLONE_PARENT_SETTID | C.CLONE_PIDFD):
        tid = call.captured(2)
        parts.append(f"parent_tid=[{tid[0]}]" if tid and call.ok else f"parent_tid={_ptr(a[2])}")
    if clone_flags & C.CLONE_SETTLS:
        parts.append(f"tls={_ptr(a[4])}")
    if clone_flags & C.CLONE_CHILD_SETTID_OR_CLEARTID:
        parts.append(f"child_tidptr={_ptr(a[3])}")
    return "clone(" + ", ".join(parts) + ")"


def _clone3(call: _Call, raw: bool) -> str:
    captured = call.captured(0)
    if captured is None:
        return f"clone3({_ptr(call.args[0])}, {call.args[1]})"
    cflags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls = captured
    if not raw:
        simple = _fork_like(call, cflags, exit_signal)
        if simple and not stack:
            return simple
    parts = [f"flags={flags(cflags, C.CLONE3_FLAGS)}"]
    if cflags & C.CLONE_PIDFD:
        parts.append(f"pidfd={_ptr(pidfd)}")
    if cflags & C.CLONE_CHILD_SETTID_OR_CLEARTID:
        parts.append(f"child_tid={_ptr(child_tid)}")
    if cflags & C.CLONE_PARENT_SETTID:
        parts.append(f"parent_tid={_ptr(parent_tid)}")
    parts.append(f"exit_signal={sig_text(exit_signal) if exit_signal else 0}")
    parts.append(f"stack={_ptr(stack)}")
    parts.append(f"stack_size={_hex(stack_size)}")
    if cflags & C.CLONE_SETTLS:
        parts.append(f"tls={_ptr(tls)}")
    tid = call.cap.get("0>")
    after = f" => {{parent_tid=[{tid[0]}]}}" if tid and call.ok else ""
    return "clone3({" + ", ".join(parts) + "}" + after + ", " + str(call.args[1]) + ")"


def _fcntl(call: _Call, raw: bool) -> str:
    cmd = s32(call.args[1])
    arg = call.args[2]
    head = f"fcntl({call.fd(0)}, {C.FCNTL_CMDS.get(cmd, f'{_hex(cmd & 0xFFFFFFFF)} /* F_??? */')}"
    if cmd in C.FCNTL_NO_ARG:
        return head + ")"
    if cmd == C.F_SETFD:
        return f"{head}, {flags(arg, C.FD_FLAGS, width=32)})"
    if cmd == C.F_SETFL:
        return f"{head}, {open_flags(arg)})"
    more = fcntl_arg(call, cmd)      # locks, owners, seals... (strace_structs.py)
    if more is not None:
        return f"{head}, {more})"
    if cmd == 1024:   # F_SETLEASE
        return f"{head}, {C.LEASE_TYPES.get(s32(arg), hex(arg))})"
    if cmd in C.FCNTL_PTR_ARG:
        return f"{head}, {_ptr(arg)})"
    return f"{head}, {s64(arg) if cmd in C.FCNTL_CMDS else _hex(arg)})"


def _statx_call(call: _Call, raw: bool) -> str:
    a = call.args
    at = a[2] & 0xFFFFFFFF
    sync = C.AT_STATX_SYNC.get(at & 0x6000, "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC")
    rest = at & ~0x6000
    flag_text = sync + ("|" + flags(rest, C.AT_FLAGS, width=32, alone=False) if rest else "")
    if at & 0x6000 and rest == 0:
        flag_text = sync
    return (f"statx({call.dirfd(0)}, {call.path(1)}, {flag_text}, "
            f"{flags(a[3], C.STATX_MASK, width=32)}, {_statx(call, 4, a[4])})")


def _open(call: _Call, raw: bool) -> str:
    """open/openat: the mode argument only matters (and is only shown) when creating."""
    params = _shown_params(call.sc, call)
    open_flags_value = call.args[len(params) - 2]
    if not (open_flags_value & C.O_CREAT or open_flags_value & C.O_TMPFILE == C.O_TMPFILE):
        params.pop()
    return f"{call.sc.name}({', '.join(params)})"


def _ptrace(call: _Call, raw: bool) -> str:
    """ptrace(REQUEST, pid, ...): the arguments each request reads, as strace does."""
    a = call.args
    request, pid = s64(a[0]), s32(a[1])
    name = C.PTRACE_REQUESTS.get(request, hex(request))
    if request == 0:
        return f"ptrace({name})"
    if request in (8, 16, 0x4207):                     # KILL, ATTACH, INTERRUPT
        return f"ptrace({name}, {pid})"
    if request in (7, 9, 17, 24):                      # CONT, SINGLESTEP, DETACH, SYSCALL
        return f"ptrace({name}, {pid}, NULL, {sig_text(s32(a[3]))})"
    if request in (0x4200, 0x4206):                    # SETOPTIONS, SEIZE
        addr = "NULL" if request == 0x4200 else str(a[2])
        return f"ptrace({name}, {pid}, {addr}, {flags(a[3], C.PTRACE_OPTIONS)})"
    if request in (1, 2, 3):                           # PEEK*: the word read
        word = call.cap.get("3") if call.ok else None
        data = f"[{word:#x}]" if word is not None else _ptr(a[3])
        return f"ptrace({name}, {pid}, {_ptr(a[2])}, {data})"
    return f"ptrace({name}, {pid}, {_ptr(a[2])}, {_ptr(a[3])})"


def _ioctl(call: _Call, raw: bool) -> str:
    """ioctl(fd, REQUEST[, arg]): requests that take no argument show none."""
    params = [call.fd(0), KIND_FORMATTERS["ioctlreq"](call, 1, call.args[1])]
    if call.args[1] & 0xFFFFFFFF not in C.NO_ARG_IOCTLS:
        params.append(_ioctl_arg(call, 2, call.args[2]))
    return f"ioctl({', '.join(params)})"


SPECIAL: dict[str, Callable[[_Call, bool], str]] = {
    "clone": _clone, "clone3": _clone3, "fcntl": _fcntl, "statx": _statx_call,
    "open": _open, "openat": _open, "futex": _futex, "ptrace": _ptrace,
    "ioctl": _ioctl, **STRUCT_SPECIAL,
}


def format_args(ev: dict, strsize: int = 32, raw: bool = False) -> str:
    """The call text: name(args)."""
    sc = _syscall_of(ev)
    return _format_args(sc, _Call.of(ev, sc, strsize), raw)


def _syscall_of(ev: dict) -> Syscall:
    return lookup(ev["nr"]) if "nr" in ev else BY_NAME[ev["name"]]


# nr -> ((index, formatter), ...): which formatter shows each parameter, worked out once
# per system call rather than looked up per argument of every call.
_PARAM_PLANS: dict[int, tuple] = {}


def _param_plan(sc: Syscall) -> tuple:
    plan = _PARAM_PLANS.get(sc.nr)
    if plan is None:
        plan = _PARAM_PLANS[sc.nr] = tuple(
            (i, KIND_FORMATTERS.get(p.kind, _plain)) for i, p in enumerate(sc.params))
    return plan


def _shown_params(sc: Syscall, call: _Call) -> list[str]:
    """Each parameter's text, by the syscall's plan.  A loop, not a list comprehension:
    no extra function frame per call (Python 3.11), and this runs for nearly every call."""
    args, shown = call.args, []
    for i, show in _PARAM_PLANS.get(sc.nr) or _param_plan(sc):  # the plan, memoised
        shown.append(show(call, i, args[i]))
    return shown


def _plain(call: _Call, i: int, value: int) -> str:
    """A parameter of a kind with no formatter: hex, as strace shows an unknown value."""
    return hex(value & 0xFFFFFFFFFFFFFFFF) if value else "0"


def _format_args(sc: Syscall, call: _Call, raw: bool) -> str:
    if not sc.params:
        return sc.name + "()"
    special = SPECIAL.get(sc.name)
    if special is not None:
        return special(call, raw)
    return f"{sc.name}({', '.join(_shown_params(sc, call))})"


def format_result(ev: dict) -> str:
    """The result text: 3</etc/passwd>, 0x7f..., -1 ENOENT (No such file or directory), ?."""
    sc = _syscall_of(ev)
    return _format_result(sc, _Call.of(ev, sc, 32), ev.get("ret"), _dict_error(ev))


def _dict_error(ev: dict) -> str | None:
    """An event dict's error name: "err", or a raw -errno left in "ret"."""
    err, ret = ev.get("err"), ev.get("ret")
    return err if err is not None or ret is None else errno_name(ret)


def _format_result(sc: Syscall, call: _Call, ret: int | None, err: str | None) -> str:
    """err: the call's error name, None if it succeeded (ret None: it never returned)."""
    if ret is None and err is None:
        return "?"
    if err is not None:
        prefix = "?" if err.startswith("ERESTART") else "-1"
        return f"{prefix} {err} ({errno_message(err)})"
    name = sc.name
    value = ret if ret < 1 << 63 else ret - (1 << 64)  # s64(), inline: once per call
    returns = sc.returns
    if returns == "fd" or (name == "fcntl" and duplicated_fd(sc, call.args) is not None):
        return fd_text(str(value), (call.fds or {}).get(str(value)))
    if returns == "addr":
        return hex(value & 0xFFFFFFFFFFFFFFFF)
    if returns == "mode":
        return mode(value)
    if name in RESULT_SHAPES:
        return RESULT_SHAPES[name](value, call)
    if name not in RESULT_NAMES:              # most calls: the number alone
        return str(value)
    more = result_text(name, call, value)     # strace_values/strace_structs' calls
    return str(value) if more is None else more


def _fcntl_result(value: int, call: _Call) -> str:
    cmd = s32(call.args[1])
    if cmd == C.F_GETFL:
        return f"{_hex(value)} (flags {open_flags(value)})"
    if value and cmd == C.F_GETFD:
        return f"{value:#x} (flags {flags(value, C.FD_FLAGS)})"
    more = result_text("fcntl", call, value)   # seals, leases, signals (strace_structs.py)
    return str(value) if more is None else more


# The calls whose successful result is more than a number.
RESULT_SHAPES: dict[str, Callable] = {
    "poll": lambda value, call: poll_result(call.cap, value),
    "select": lambda value, call: select_result(call.cap, call.sc, value),
    "pselect6": lambda value, call: select_result(call.cap, call.sc, value),
    "fcntl": _fcntl_result,
}


def format_call(ev: dict, strsize: int = 32, raw: bool = False) -> tuple[str, str]:
    """(call text, result text) in strace's syntax for one syscall event.

    Never raises: an event this code cannot make sense of is shown with raw hex arguments.
    """
    try:
        sc = _syscall_of(ev)
        call = _Call.of(ev, sc, strsize)
        return (_format_args(sc, call, raw),
                _format_result(sc, call, ev.get("ret"), _dict_error(ev)))
    except Exception:  # noqa: BLE001 - a bad event must not stop a trace being shown
        return _fallback(ev)


def format_event(ev: SyscallEvent, strsize: int = 32, raw: bool = False) -> tuple[str, str]:
    """format_call for a live event straight from the engine, without its dict: the
    same text (the common case of `minitrace -o FILE`, so the lean path)."""
    try:
        sc = BY_NR.get(ev.nr) or lookup(ev.nr)
        ret = ev.ret
        err = None if ret is None or not -MAX_ERRNO <= ret < 0 else errno_name(ret)
        call = _Call(sc, ev.args, ev.cap, ret, err, ev.fds, strsize)
        return (_format_args(sc, call, raw),
                _format_result(sc, call, None if err else ret, err))
    except Exception:  # noqa: BLE001 - as format_call
        return format_call(ev.to_dict(), strsize, raw)


def _fallback(ev: dict) -> tuple[str, str]:
    """Whatever can be said of a malformed event: its name and raw values."""
    name = ev.get("name") if isinstance(ev.get("name"), str) else f"syscall_{ev.get('nr')}"
    args = ev.get("args") if isinstance(ev.get("args"), list) else []
    shown = ", ".join(hex(a) if isinstance(a, int) else "?" for a in args)
    ret = ev.get("ret")
    return f"{name}({shown})", str(ret) if isinstance(ret, int) else "?"
