"""The structs of the less common calls in strace's syntax: locks, timers, times, ids...

What a call reads or fills in beyond a plain number -- a file lock (fcntl F_SETLK), a
timer's interval and first expiry (timerfd_settime), the two times utimensat sets, the ids
getresuid writes back, a NUMA node mask -- printed field by field as strace prints them,
from what capture.py copied out of the tracee.  STRUCT_FORMATTERS joins
strace_values.KIND_FORMATTERS; STRUCT_SPECIAL holds the calls whose argument list itself
depends on a value (mremap shows its fifth argument only with MREMAP_FIXED).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from minishell.trace import constants as C
from minishell.trace.capture import s32, s64
from minishell.trace.strace_text import (
    _Call,
    _hex,
    _ptr,
    array,
    flags,
    mode,
    open_flags,
    quote,
    shows_captured,
    sig_text,
    timespec,
)


def uid(value: int) -> str:
    """A uid_t or gid_t: unsigned, except -1 ("leave it unchanged" to chown and setresuid)."""
    value &= 0xFFFFFFFF
    return "-1" if value == 0xFFFFFFFF else str(value)


def _named(table: dict, value: int, unknown: str) -> str:
    return table.get(value, f"{_hex(value & 0xFFFFFFFF)} /* {unknown} */")


# ---- file locks: fcntl(F_SETLK...) -----------------------------------------------------------

def flock_struct(fields: list[int], with_pid: bool) -> str:
    """struct flock: {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=0, l_len=1[, l_pid=0]}."""
    kind, whence, start, length, pid = fields
    text = (f"{{l_type={_named(C.LOCK_TYPES, kind, 'F_???')}, "
            f"l_whence={_named(C.SEEK_WHENCE, whence, 'SEEK_???')}, "
            f"l_start={start}, l_len={length}")
    return text + (f", l_pid={pid}}}" if with_pid else "}")


def fcntl_arg(call: _Call, cmd: int) -> str | None:
    """fcntl's third argument for the commands strace_format._fcntl leaves to this module
    (None for the others): the lock of F_SETLK/F_GETLK, F_SETOWN's pid, F_SETSIG's signal,
    F_NOTIFY's and F_ADD_SEALS's flags."""
    arg = call.args[2]
    if cmd in C.LOCK_CMDS:
        getlk = cmd in (C.F_GETLK, C.F_OFD_GETLK)
        fields = call.cap.get("2>") if getlk else call.captured(2)
        if fields is None or (getlk and not call.ok):
            return _ptr(arg)
        return flock_struct(fields, getlk)
    if cmd in (C.F_SETOWN, C.F_SETPIPE_SZ):
        return str(s32(arg))
    if cmd == C.F_SETSIG:
        return sig_text(s32(arg))
    if cmd == C.F_NOTIFY:
        return flags(arg, C.DN_FLAGS)
    if cmd == C.F_ADD_SEALS:
        return flags(arg, C.SEALS)
    return None


def fcntl_result(cmd: int, value: int) -> str | None:
    """The result of the fcntl commands that return flags or a name, as strace shows it;
    None for the others."""
    if cmd == C.F_GET_SEALS and value:
        return f"{value:#x} (seals {flags(value, C.SEALS)})"
    if cmd == C.F_GETLEASE:
        return f"{value:#x} ({_named(C.LOCK_TYPES, value, 'F_???')})" if value else "0 (F_RDLCK)"
    if cmd == C.F_GETSIG and value:
        return f"{value} ({sig_text(value)})"
    return None


# ---- times and timers ------------------------------------------------------------------------

def _date(sec: int, nsec: int) -> str:
    """The comment strace adds after a file time: 2024-05-01T12:00:00.123456789+0000
    (local time, as strace's process sees it)."""
    try:
        moment = time.localtime(sec)
    except (OverflowError, OSError, ValueError):
        return ""
    fraction = f".{nsec:09d}" if nsec else ""
    return f" /* {time.strftime('%Y-%m-%dT%H:%M:%S', moment)}{fraction}" \
           f"{time.strftime('%z', moment)} */"


@shows_captured
def _utimes(call: _Call, v, value: int) -> str:
    """utimensat's two times: [UTIME_OMIT, {tv_sec=..., tv_nsec=...} /* date */]."""
    parts = []
    for sec, nsec in ((v[0], v[1]), (v[2], v[3])):
        if nsec == C.UTIME_NOW:
            parts.append("UTIME_NOW")
        elif nsec == C.UTIME_OMIT:
            parts.append("UTIME_OMIT")
        else:
            parts.append(timespec(sec, nsec) + _date(sec, nsec))
    return array(parts, call.strsize)


@shows_captured
def _itimerspec(call: _Call, v, value: int) -> str:
    return f"{{it_interval={timespec(v[0], v[1])}, it_value={timespec(v[2], v[3])}}}"


@shows_captured
def _itimerval(call: _Call, v, value: int) -> str:
    return (f"{{it_interval={timespec(v[0], v[1], 'tv_usec')}, "
            f"it_value={timespec(v[2], v[3], 'tv_usec')}}}")


@shows_captured
def _tms(call: _Call, v, value: int) -> str:
    return f"{{tms_utime={v[0]}, tms_stime={v[1]}, tms_cutime={v[2]}, tms_cstime={v[3]}}}"


# ---- scheduling and memory policy ------------------------------------------------------------

def sched_policy(value: int) -> str:
    """SCHED_OTHER, SCHED_FIFO|SCHED_RESET_ON_FORK, or 0x9 /* SCHED_??? */."""
    value &= 0xFFFFFFFF
    reset = value & C.SCHED_RESET_ON_FORK
    text = _named(C.SCHED_POLICIES, value & ~C.SCHED_RESET_ON_FORK, "SCHED_???")
    return text + "|SCHED_RESET_ON_FORK" if reset else text


def mpol_mode(value: int) -> str:
    """MPOL_BIND, MPOL_PREFERRED|MPOL_F_STATIC_NODES..."""
    mode = C.MPOL_MODES.get(value & 0xFF, str(value & 0xFF))
    extra = flags(value & ~0xFF, C.MPOL_FLAGS, zero="", alone=False)
    return f"{mode}|{extra}" if extra else mode


def _nodemask(call: _Call, i: int, value: int) -> str:
    """[0x00000000000001, 0000000000000000, ...]: each unsigned long as C's %#018lx pads
    it (a zero gets no 0x), at most -s of them."""
    longs = call.cap.get(str(i)) if call.sc.params[i].kind == "nodemask" else call.shown(i)
    if longs is None:
        return _ptr(value)
    words = [f"0x{w:014x}" if w else "0" * 16 for w in longs[: call.strsize]]
    more = ["..."] if (call.args[i + 1] + 62) // 64 > call.strsize else []
    return "[" + ", ".join(words + more) + "]"


# ---- offsets, signals of timers, extended attributes -----------------------------------------

def _offset_in_out(call: _Call, i: int, value: int) -> str:
    """sendfile's offset: [0] => [550] when the call moved it."""
    before, after = call.cap.get(str(i)), call.cap.get(f"{i}>")
    if before is None:
        return _ptr(value)
    if call.ok and after is not None and after != before:
        return f"[{before[0]}] => [{after[0]}]"
    return f"[{before[0]}]"


@shows_captured
def _sigevent(call: _Call, v, value: int) -> str:
    """struct sigevent of timer_create: how the timer tells its owner it expired."""
    sival, signo, notify, function, attributes = v
    parts = [f"sigev_value={{sival_int={s32(sival)}, sival_ptr={_ptr(sival)}}}"] if sival else []
    if notify in (0, 2, 4):
        parts.append(f"sigev_signo={sig_text(signo)}")
    else:
        parts.append(f"sigev_signo={signo & 0xFFFFFFFF}")
    parts.append(f"sigev_notify={_named(C.SIGEV_NOTIFY, notify, 'SIGEV_???')}")
    if notify == 4:
        parts.append(f"sigev_notify_thread_id={s32(function)}")
    elif notify == 2:
        parts += [f"sigev_notify_function={_ptr(function)}",
                  f"sigev_notify_attributes={_ptr(attributes)}"]
    return "{" + ", ".join(parts) + "}"


def _xattr_out(call: _Call, i: int, value: int) -> str:
    """getxattr's value, listxattr's names: none read when the size given is 0 (the call
    only says how much room it needs)."""
    if not call.args[i + 1] or not call.ok:
        return _ptr(value)
    return call.buffer(i, s64(call.ret or 0))


def persona(value: int) -> str:
    """PER_LINUX|ADDR_NO_RANDOMIZE: the execution domain and its flags."""
    value &= 0xFFFFFFFF
    text = _named(C.PERSONAS, value & 0xFF, "PER_???")
    rest = flags(value & ~0xFF, C.PERSONA_FLAGS, zero="", width=32, alone=False)
    return f"{text}|{rest}" if rest else text


def _mincore_vec(call: _Call, i: int, value: int) -> str:
    pages = call.shown(i)
    if pages is None:
        return _ptr(value)
    return array([str(page) for page in pages], call.strsize)


# ---- calls whose argument list depends on a value --------------------------------------------

def _mremap(call: _Call, raw: bool) -> str:
    a = call.args
    text = (f"mremap({_ptr(a[0])}, {a[1]}, {a[2]}, "
            f"{flags(a[3], C.MREMAP_FLAGS, width=32)}")
    return text + (f", {_ptr(a[4])})" if a[3] & C.MREMAP_FIXED else ")")


# ---- capabilities, namespaces, device nodes, I/O priorities -----------------------------------

CAP_BITS = tuple((f"1<<{name}", 1 << bit) for bit, name in enumerate(C.CAPABILITIES))


@shows_captured
def _cap_header(call: _Call, v, value: int) -> str:
    version, pid = v
    text = C.CAP_VERSIONS.get(version, f"{_hex(version)} /* _LINUX_CAPABILITY_VERSION_??? */")
    return f"{{version={text}, pid={pid}}}"


@shows_captured
def _cap_data(call: _Call, v, value: int) -> str:
    """{effective=1<<CAP_CHOWN|..., permitted=..., inheritable=0}: version 1 has 32 bits,
    versions 2 and 3 two words of 32 bits each."""
    header = call.cap.get("0")
    wide = header is not None and header[0] != 0x19980330 and len(v) >= 6
    words = [v[k] | (v[k + 3] << 32 if wide else 0) for k in range(3)]
    return (f"{{effective={flags(words[0], CAP_BITS)}, permitted={flags(words[1], CAP_BITS)}, "
            f"inheritable={flags(words[2], CAP_BITS)}}}")


def mknod_mode(value: int) -> str:
    """S_IFIFO|0644; a mode without a file type as plain octal."""
    kind = value & C.S_IFMT
    if not kind:
        return mode(value)
    return f"{C.FILE_TYPES.get(kind, _hex(kind))}|{mode(value & 0o7777)}"


def _mknod_dev(call: _Call, i: int, value: int) -> str | None:
    """The device number, for character and block devices only (None: not shown)."""
    if call.args[i - 1] & C.S_IFMT not in (C.S_IFCHR, C.S_IFBLK):
        return None
    major = (value >> 8 & 0xFFF) | (value >> 32 & ~0xFFF)
    minor = (value & 0xFF) | (value >> 12 & ~0xFF)
    return f"makedev({_hex(major)}, {_hex(minor)})"


def _mknod(call: _Call, raw: bool) -> str:
    a, at = call.args, call.sc.name == "mknodat"
    parts = ([call.dirfd(0)] if at else []) + [call.path(int(at)), mknod_mode(a[1 + at])]
    dev = _mknod_dev(call, 2 + at, a[2 + at])
    return f"{call.sc.name}({', '.join(parts + ([dev] if dev else []))})"


def ioprio(value: int) -> str:
    value &= 0xFFFF
    kind = C.IOPRIO_CLASSES.get(value >> 13, str(value >> 13))
    return f"IOPRIO_PRIO_VALUE({kind}, {value & 0x1FFF})"


# ---- prctl: each option reads its own arguments ----------------------------------------------

NO_ARGS = frozenset({3, 7, 13, 21, 27, 30, 31, 32, 46, 51})   # PR_GET_DUMPABLE...
UNSIGNED_ARG = frozenset({8, 10, 12, 14, 20, 36})            # PR_SET_KEEPCAPS...
UNSIGNED_THEN_HEX = frozenset({38, 41, 57})                  # PR_SET_NO_NEW_PRIVS...


def _hex_args(a: list[int], first: int) -> list[str]:
    """The remaining arguments of prctl as strace prints what it does not decode."""
    return [_hex(v & 0xFFFFFFFFFFFFFFFF) for v in a[first:5]]


def _cap(value: int) -> str:
    value &= 0xFFFFFFFFFFFFFFFF
    return C.CAPABILITIES[value] if value < len(C.CAPABILITIES) else f"{value:#x} /* CAP_??? */"


def _task_name(name: str | None, limit: int, addr: int) -> str:
    """A task name (at most 15 characters): "..." when none of the first `limit` bytes
    ended it."""
    if name is None:
        return _ptr(addr)
    return quote(name[:limit], more=len(name) >= limit)


def _prctl(call: _Call, raw: bool) -> str:
    """prctl(OPTION, ...): only the arguments the option reads, as strace prints them."""
    a, option = call.args, s32(call.args[0])
    name = C.PRCTL_OPTIONS.get(option)
    if name is None:
        args = [f"{option & 0xFFFFFFFF:#x} /* PR_??? */", *_hex_args(a, 1)]
    elif option in NO_ARGS:
        args = [name]
    elif option in UNSIGNED_ARG:
        args = [name, str(a[1] & 0xFFFFFFFFFFFFFFFF)]
    elif option in UNSIGNED_THEN_HEX:
        args = [name, str(a[1] & 0xFFFFFFFFFFFFFFFF), *_hex_args(a, 2)]
    else:
        args = [name, *_prctl_args(call, option)]
    return f"prctl({', '.join(args)})"


def _prctl_args(call: _Call, option: int) -> list[str]:
    a = call.args
    got = call.cap.get("1>") if call.ok else None
    if option == C.PR_SET_NAME:
        return [_task_name(call.captured(1), min(15, call.strsize), a[1])]
    if option == C.PR_GET_NAME:
        return [_task_name(got, min(16, call.strsize), a[1])]
    if option in (2, 9, 11, 19, 37):                  # PR_GET_PDEATHSIG... write an int
        if got is None:
            return [_ptr(a[1])]
        return [f"[{sig_text(got[0]) if option == 2 else got[0] & 0xFFFFFFFF}]"]
    if option == 40:                                  # PR_GET_TID_ADDRESS
        return [f"[{_ptr(got[0])}]" if got is not None else _ptr(a[1])]
    if option == 1:                                   # PR_SET_PDEATHSIG
        return [str(a[1]) if a[1] > 128 else sig_text(a[1])]
    if option == 4:                                   # PR_SET_DUMPABLE
        return [_named(C.SUID_DUMP, a[1], "SUID_DUMP_???")]
    if option in (23, 24):                            # PR_CAPBSET_READ, _DROP
        return [_cap(a[1])]
    if option == 47:                                  # PR_CAP_AMBIENT
        sub = _named(C.PR_CAP_AMBIENT_OPS, a[1], "PR_CAP_AMBIENT_???")
        if a[1] in (1, 2, 3):
            return [sub, _cap(a[2]), *_hex_args(a, 3)]
        return [sub, *_hex_args(a, 2)]
    if option == 35:                                  # PR_SET_MM
        return [_named(C.PR_SET_MM_OPS, a[1], "PR_SET_MM_???"), *_hex_args(a, 2)]
    if option == 0x59616D61:                          # PR_SET_PTRACER
        return ["PR_SET_PTRACER_ANY" if s32(a[1]) == -1 else str(s32(a[1]))]
    if option == 0x53564D41 and a[1] == 0:            # PR_SET_VMA, PR_SET_VMA_ANON_NAME
        return ["PR_SET_VMA_ANON_NAME", _ptr(a[2]), str(a[3]), _ptr(a[4])]
    if option == 22:                                  # PR_SET_SECCOMP
        return [_named(C.SECCOMP_MODES, a[1], "SECCOMP_MODE_???"),
                *([] if a[1] == 1 else [_ptr(a[2])] if a[1] == 2 else _hex_args(a, 2))]
    if option == 28:                                  # PR_SET_SECUREBITS
        return [flags(a[1], C.SECURE_BITS)]
    if option == 29:                                  # PR_SET_TIMERSLACK
        return [str(s64(a[1]))]
    if option == 52:                                  # PR_GET_SPECULATION_CTRL
        return [_named(C.PR_SPEC_CMDS, a[1], "PR_SPEC_???")]
    return _hex_args(a, 1)


def prctl_result(args: list[int], value: int) -> str | None:
    option = s32(args[0])
    if option == 3 and value in C.SUID_DUMP:                       # PR_GET_DUMPABLE
        return f"{value} ({C.SUID_DUMP[value]})"
    if option == 27 and value:                                     # PR_GET_SECUREBITS
        return f"{value:#x} ({flags(value, C.SECURE_BITS)})"
    if option == 34 and value in C.PR_MCE_KILL_POLICIES:           # PR_MCE_KILL_GET
        return f"{value} ({C.PR_MCE_KILL_POLICIES[value]})"
    if option == 52 and args[1] in C.PR_SPEC_CMDS and value:       # PR_GET_SPECULATION_CTRL
        return f"{value:#x} ({flags(value, C.PR_SPEC_FLAGS)})"
    return None


# The calls whose result result_text() may put in words (any other: the bare number).
RESULT_NAMES = frozenset({"sched_getscheduler", "fcntl", "prctl", "personality", "ioprio_get"})


def result_text(name: str, args: list[int], value: int) -> str | None:
    """The result of the calls this module decodes, when strace adds words to it."""
    if name == "sched_getscheduler" and value >= 0:
        return f"{value} ({sched_policy(value)})"
    if name == "fcntl":
        return fcntl_result(s32(args[1]), value)
    if name == "prctl":
        return prctl_result(args, value)
    if name == "personality" and value >= 0:
        return f"{_hex(value)} ({persona(value)})"
    if name == "ioprio_get" and value >= 0:
        return f"{value} ({ioprio(value)})"
    return None


STRUCT_FORMATTERS: dict[str, Callable[[_Call, int, int], str]] = {
    "uid": lambda c, i, v: uid(v),
    "oint": shows_captured(lambda call, captured, value: f"[{captured[0]}]"),
    "schedparam": shows_captured(lambda call, captured, value: f"[{captured[0]}]"),
    "ompolmode": shows_captured(lambda call, captured, value: f"[{mpol_mode(captured[0])}]"),
    "schedpolicy": lambda c, i, v: sched_policy(v),
    "tms": _tms,
    "utimes": _utimes,
    "itimerspec": _itimerspec, "oitimerspec": _itimerspec,
    "itimerval": _itimerval, "oitimerval": _itimerval,
    "nodemask": _nodemask, "onodemask": _nodemask,
    "flockop": lambda c, i, v: flags(v, C.FLOCK_OPS, width=32),
    "msyncflags": lambda c, i, v: flags(v, C.MSYNC_FLAGS, width=32),
    "inmask": lambda c, i, v: flags(v, C.IN_MASK, width=32),
    "xattrflags": lambda c, i, v: flags(v, C.XATTR_FLAGS, width=32),
    "tfdsetflags": lambda c, i, v: flags(v, C.TFD_SETTIME_FLAGS, width=32),
    "offinout": _offset_in_out,
    "offin": shows_captured(lambda call, captured, value: f"[{captured[0]}]"),
    "sigevent": _sigevent,
    "xattrout": _xattr_out,
    "otimespec": shows_captured(lambda call, v, value: timespec(v[0], v[1])),
    "otimeval": shows_captured(lambda call, v, value: timespec(v[0], v[1], "tv_usec")),
    "caphdr": _cap_header, "capdata": _cap_data, "ocapdata": _cap_data,
    "mknodmode": lambda c, i, v: mknod_mode(v),
    "mknoddev": lambda c, i, v: _mknod_dev(c, i, v) or str(v),
    "iopriowho": lambda c, i, v: _named(C.IOPRIO_WHO, s32(v), "IOPRIO_WHO_???"),
    "ioprio": lambda c, i, v: ioprio(v),
    "nsflags": lambda c, i, v: flags(v, C.CLONE_FLAGS, width=32),
    "pkeyrights": lambda c, i, v: flags(v, C.PKEY_RIGHTS, width=32),
}
STRUCT_SPECIAL = {"mremap": _mremap, "prctl": _prctl, "mknod": _mknod, "mknodat": _mknod}


# ---- siginfo: signal lines (--- SIGCHLD {si_signo=...} ---), waitid, rt_sigtimedwait ---------

SI_CODES = {0: "SI_USER", 0x80: "SI_KERNEL", -1: "SI_QUEUE", -2: "SI_TIMER", -3: "SI_MESGQ",
            -4: "SI_ASYNCIO", -5: "SI_SIGIO", -6: "SI_TKILL", -7: "SI_DETHREAD",
            -60: "SI_ASYNCNL"}
# si_code values > 0 are per signal (siginfo.h)
SIGNAL_CODES = {
    "SIGCHLD": ("CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED",
                "CLD_CONTINUED"),
    "SIGSEGV": ("SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR", "SEGV_ACCADI",
                "SEGV_ADIDERR", "SEGV_ADIPERR", "SEGV_MTEAERR", "SEGV_MTESERR"),
    "SIGBUS": ("BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO"),
    "SIGILL": ("ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC",
               "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK", "ILL_BADIADDR"),
    "SIGFPE": ("FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND",
               "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB", "FPE_FLTUNK", "FPE_CONDTRAP"),
    "SIGTRAP": ("TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT", "TRAP_UNK"),
    "SIGIO": ("POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP"),
}
FAULTS = frozenset({"SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE"})


def format_siginfo(sig: str, info: dict | None) -> str:
    """The {si_signo=...} part of a signal line, as strace's printsiginfo() writes it."""
    if not info:
        return ""
    code = info["code"]
    if code in SI_CODES:
        code_text = SI_CODES[code]
    else:
        names = SIGNAL_CODES.get(sig, ())
        code_text = names[code - 1] if 0 < code <= len(names) else str(code)
    parts = [f"si_signo={sig}", f"si_code={code_text}"]
    if code <= 0:  # sent by a process: kill, tgkill, sigqueue (with a value)
        parts += [f"si_pid={info['pid']}", f"si_uid={info['uid']}"]
        if code in (-1, -2, -3):  # SI_QUEUE, SI_TIMER, SI_MESGQ
            parts += [f"si_int={s32(info['value'])}", f"si_ptr={_ptr(info['value'])}"]
    elif sig == "SIGCHLD" and code != 0x80:
        status = s32(info["value"])
        shown = sig_text(status) if code_text in ("CLD_KILLED", "CLD_DUMPED") else str(status)
        parts += [f"si_pid={info['pid']}", f"si_uid={info['uid']}", f"si_status={shown}",
                  f"si_utime={info['utime']}", f"si_stime={info['stime']}"]
    if sig in FAULTS and code > 0 or code == 0x80 and sig in FAULTS:
        parts.append(f"si_addr={_ptr(info['addr'])}")
    return "{" + ", ".join(parts) + "}"


def siginfo_fields(raw: list[int]) -> tuple[str, dict]:
    """(signal name, info) from the siginfo_t capture.py read, as format_siginfo takes them."""
    signo, _errno, code, pid, user, value, utime, stime = raw
    info = {"code": code, "pid": pid, "uid": user, "value": value, "utime": utime,
            "stime": stime, "addr": pid & 0xFFFFFFFF | user << 32}
    return sig_text(signo), info


@shows_captured
def _siginfo(call: _Call, raw, value: int) -> str:
    if raw[0] == 0:                    # waitid(WNOHANG) with no child to report
        return "{}"
    return format_siginfo(*siginfo_fields(raw))


@shows_captured
def _open_how(call: _Call, v, value: int) -> str:
    """struct open_how of openat2: {flags=O_RDONLY|O_CLOEXEC, resolve=...}; the mode only
    when the call may create a file."""
    open_flags_value, mode_value, resolve = v
    parts = [f"flags={open_flags(open_flags_value)}"]
    if open_flags_value & (C.O_CREAT | C.O_TMPFILE) or mode_value:
        parts.append(f"mode={mode(mode_value)}")
    parts.append(f"resolve={flags(resolve, C.RESOLVE_FLAGS)}")
    return "{" + ", ".join(parts) + "}"


STRUCT_FORMATTERS.update({
    "siginfo": _siginfo, "osiginfo": _siginfo, "openhow": _open_how,
    "spliceflags": lambda c, i, v: flags(v, C.SPLICE_FLAGS, width=32),
    "fallocmode": lambda c, i, v: flags(v, C.FALLOC_MODES, width=32),
    "syncrangeflags": lambda c, i, v: flags(v, C.SYNC_FILE_RANGE_FLAGS, width=32),
    "mlockallflags": lambda c, i, v: flags(v, C.MLOCKALL_FLAGS, width=32),
    "umountflags": lambda c, i, v: flags(v, C.UMOUNT_FLAGS, width=32),
    "persona": lambda c, i, v: hex(v & 0xFFFFFFFF) if v & 0xFFFFFFFF == 0xFFFFFFFF
    else persona(v),
    "mincorevec": _mincore_vec,
})
