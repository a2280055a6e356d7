"""How each argument prints in strace's syntax, one formatter per parameter kind.

From the event's raw numbers and what capture.py copied out of the tracee, each
formatter makes the text of one argument: flag names, a struct, a buffer cut at -s, an fd
with its path (strace -y) -- off the tracer's hot path.  KIND_FORMATTERS maps each
parameter kind of the syscall table to its formatter; strace_format.py assembles whole
calls from them.  The single values are strace_text.py's; the structs of the less common
calls (locks, timers, messages...) strace_structs.py's.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable

from minishell.trace import constants as C
from minishell.trace import strace_structs
from minishell.trace.capture import s32, s64
from minishell.trace.strace_structs import STRUCT_FORMATTERS, mpol_mode
from minishell.trace.strace_text import (
    _Call,
    _hex,
    _ptr,
    _size_in_kib,
    array,
    dirfd_arg,
    fd_arg,
    fd_text,
    file_mode,
    flags,
    mode,
    open_flags,
    quote,
    shows_captured,
    sig_text,
    sigset,
    timespec,
    wait_status,
)
from minishell.trace.syscalls import Syscall


def _rbuf(call: _Call, i: int, value: int) -> str:
    if not call.ok:
        return _ptr(value)
    return call.buffer(i, s64(call.ret or 0))


def _outstr(call: _Call, i: int, value: int) -> str:
    captured = call.captured(i)
    if not call.ok or captured is None:
        return _ptr(value)
    if call.sc.name == "getcwd":
        return quote(captured)
    return quote(captured, call.strsize)


@shows_captured
def _argv(call: _Call, captured, value: int) -> str:
    items = [_ptr(0) if s is None else quote(s, call.strsize) for s in captured["argv"]]
    if captured.get("more"):
        items.append("...")
    return "[" + ", ".join(items) + "]"


@shows_captured
def _envp(call: _Call, count, value: int) -> str:
    return f"{_ptr(value)} /* {count} var{'' if count == 1 else 's'} */"


@shows_captured
def _sigaction(call: _Call, captured, value: int) -> str:
    handler, sa_flags, restorer, mask = captured
    handler_text = C.SA_HANDLERS.get(handler, _ptr(handler))
    text = (f"{{sa_handler={handler_text}, sa_mask={sigset(mask)}, "
            f"sa_flags={flags(sa_flags, C.SA_FLAGS)}")
    if sa_flags & 0x04000000:
        text += f", sa_restorer={_ptr(restorer)}"
    return text + "}"


@shows_captured
def _sigset_arg(call: _Call, captured, value: int) -> str:
    return sigset(captured[0])


@shows_captured
def _pipefds(call: _Call, captured, value: int) -> str:
    fds = call.fds or {}
    parts = [fd_text(str(fd), fds.get(str(fd))) for fd in captured[: call.strsize]]
    return "[" + ", ".join(parts + ["..."] * (call.strsize < len(captured))) + "]"


@shows_captured
def _wstatus(call: _Call, captured, value: int) -> str:
    return wait_status(captured[0])


@shows_captured
def _stat(call: _Call, st, value: int) -> str:
    kind = st["mode"] & C.S_IFMT
    if kind in (0o20000, 0o60000):
        rdev = st["rdev"]
        major = (rdev >> 8 & 0xFFF) | (rdev >> 32 & ~0xFFF)
        minor = (rdev & 0xFF) | (rdev >> 12 & ~0xFF)
        detail = f"st_rdev=makedev({_hex(major)}, {_hex(minor)})"
    else:
        detail = f"st_size={st['size']}"
    return f"{{st_mode={file_mode(st['mode'])}, {detail}, ...}}"


@shows_captured
def _statx(call: _Call, st, value: int) -> str:
    return (f"{{stx_mask={flags(st['mask'], C.STATX_MASK, width=32)}, "
            f"stx_attributes={flags(st['attributes'], C.STATX_ATTRS)}, "
            f"stx_mode={file_mode(st['mode'])}, stx_size={st['size']}, ...}}")


@shows_captured
def _dirents(call: _Call, count, value: int) -> str:
    return f"{_ptr(value)} /* {count} entr{'y' if count == 1 else 'ies'} */"


@shows_captured
def _timespec(call: _Call, captured, value: int) -> str:
    return timespec(captured[0], captured[1])


@shows_captured
def _rlimit(call: _Call, captured, value: int) -> str:
    return f"{{rlim_cur={_size_in_kib(captured[0])}, rlim_max={_size_in_kib(captured[1])}}}"


@shows_captured
def _iov(call: _Call, captured, value: int) -> str:
    return _iov_text(captured, s64(call.ret) if call.sc.params[1].kind == "riov"
                     else None)


def _iov_text(captured: dict, remaining: int | None) -> str:
    """[{iov_base="...", iov_len=N}, ...]; `remaining`: how many bytes a read filled in."""
    parts = []
    for data, length in captured["iov"]:
        available = length if remaining is None else min(length, remaining)
        if remaining is not None:
            remaining -= available
        base = _ptr(0) if data is None else quote(data, more=available > len(data))
        parts.append(f"{{iov_base={base}, iov_len={length}}}")
    if captured.get("more"):
        parts.append("...")
    return "[" + ", ".join(parts) + "]"


def _ioctl_arg(call: _Call, i: int, value: int) -> str:
    request = call.args[1] & 0xFFFFFFFF
    captured = call.captured(i)
    sets = request in C.TCSETS_REQUESTS or request in C.IOCTL_IN_STRUCTS
    if request in C.INT_ARG_IOCTLS:
        return str(s32(value))
    if request in (C.TCFLSH, C.TCXONC):
        names = C.TCFLSH_QUEUES if request == C.TCFLSH else C.TCXONC_ACTIONS
        return names.get(s32(value), f"{_hex(value & 0xFFFFFFFF)} /* TC??? */")
    if request == C.TIOCGPTPEER:
        return _hex(value)
    if captured is None or not (sets or call.ok):
        return _ptr(value) if request in C.IOCTL_REQUESTS else _hex(value)
    if request in (C.TIOCGWINSZ, C.TIOCSWINSZ):
        row, col, xpixel, ypixel = captured
        return f"{{ws_row={row}, ws_col={col}, ws_xpixel={xpixel}, ws_ypixel={ypixel}}}"
    if len(captured) == 4:
        return termios(*captured)
    return f"[{captured[0]}]"


def termios(iflag: int, oflag: int, cflag: int, lflag: int) -> str:
    """The four mode words of a terminal as strace shows them (the control chars elided).
    strace 6.1 writes a word with no flag set as nothing at all, and ends the fixed fields
    of c_oflag and c_cflag with a "|" even when no flag follows: `c_cflag=B0|CS5|`."""
    out = [name for mask, names in C.TERMIOS_ODELAYS for name in [names[oflag & mask]]]
    out.append(flags(oflag & ~sum(mask for mask, _ in C.TERMIOS_ODELAYS), C.TERMIOS_OFLAGS,
                     zero="", width=32))
    control = [C.BAUD_RATES.get(cflag & C.CBAUD, hex(cflag & C.CBAUD))]
    input_baud = cflag >> C.CIBAUD_SHIFT & C.CBAUD
    if input_baud:
        control.append(C.BAUD_RATES.get(input_baud, hex(input_baud)) + "<<IBSHIFT")
    control.append(C.CHAR_SIZES[cflag & C.CSIZE])
    rest = cflag & ~C.CBAUD & ~(C.CBAUD << C.CIBAUD_SHIFT) & ~C.CSIZE
    control.append(flags(rest, C.TERMIOS_CFLAGS, zero="", width=32))
    return (f"{{c_iflag={flags(iflag, C.TERMIOS_IFLAGS, zero='', width=32)}, "
            f"c_oflag={'|'.join(out)}, c_cflag={'|'.join(control)}, "
            f"c_lflag={flags(lflag, C.TERMIOS_LFLAGS, zero='', width=32)}, ...}}")


def ioctl_request(value: int) -> str:
    """TCGETS, or what strace makes of a number it has no name for: the four fields the
    kernel packs into it, _IOC(_IOC_READ, 0x54, 0x99, 0x4)."""
    value &= 0xFFFFFFFF
    if value in C.IOCTL_REQUESTS:
        return C.IOCTL_REQUESTS[value]
    size = value >> 16 & 0x3FFF
    return (f"_IOC({C.IOC_DIRECTIONS[value >> 30]}, {_hex(value >> 8 & 0xFF)}, "
            f"{_hex(value & 0xFF)}, {_hex(size)})")


def _pollfds(call: _Call, i: int, value: int) -> str:
    """poll's array as the call got it: [{fd=3, events=POLLIN}, ...]."""
    entries = call.captured(i)
    if entries is None:
        return _ptr(value)
    parts = [f"{{fd={fd_text(str(fd), target)}, "
             f"events={flags(events & 0xFFFF, C.POLL_EVENTS, width=16)}}}"
             if fd >= 0 else f"{{fd={fd}}}" for fd, events, _, target in entries]
    if (call.args[i + 1] & 0xFFFFFFFF) > len(entries):
        parts.append("...")
    return "[" + ", ".join(parts) + "]"


def epoll_event(events: int, data: int) -> str:
    return (f"{{events={flags(events, C.EPOLL_EVENTS, width=32)}, "
            f"data={{u32={data & 0xFFFFFFFF}, u64={data}}}}}")


@shows_captured
def _epoll_event(call: _Call, captured, value: int) -> str:
    if s32(call.args[1]) == C.EPOLL_CTL_DEL:   # the kernel ignores it: strace does not read it
        return _ptr(value)
    return epoll_event(*captured)


@shows_captured
def _epoll_events(call: _Call, captured, value: int) -> str:
    more = s64(call.ret) > len(captured)
    return "[" + ", ".join([epoll_event(*e) for e in captured] + ["..."] * more) + "]"


def _fdset(call: _Call, i: int, value: int) -> str:
    fds = call.captured(i)
    if fds is None:
        return _ptr(value)
    return "[" + " ".join(fd_text(str(fd), target) for fd, target in fds) + "]"


def _time_io(unit: str) -> Callable[[_Call, int, int], str]:
    def fmt(call: _Call, i: int, value: int) -> str:
        captured = call.captured(i)
        if captured is None:
            return _ptr(value)
        return timespec(captured[0], captured[1], unit)
    return fmt


@shows_captured
def _pselect_sigmask(call: _Call, captured, value: int) -> str:
    mask = "NULL" if captured[0] is None else sigset(captured[0])
    return f"{{sigmask={mask}, sigsetsize={captured[1]}}}"


def select_result(cap: dict, sc: Syscall, value: int) -> str:
    """select's result: how many fds are ready, which, and the time left."""
    if value == 0:
        return "0 (Timeout)"
    parts = [f"{word} [{' '.join(map(str, cap[f'{i}>']))}]"
             for i, word in ((1, "in"), (2, "out"), (3, "except")) if cap.get(f"{i}>")]
    left = cap.get("4>")
    if left is not None:
        unit = "tv_usec" if sc.name == "select" else "tv_nsec"
        parts.append(f"left {timespec(left[0], left[1], unit)}")
    return f"{value} ({', '.join(parts)})" if parts else str(value)


# The calls whose result result_text() may put in words (any other: the bare number).
RESULT_NAMES = frozenset({"ppoll", "rt_sigtimedwait"}) | strace_structs.RESULT_NAMES


def result_text(name: str, call: _Call, value: int) -> str | None:
    """The result of the calls whose result strace explains in words: ppoll's ready fds
    and time left, the signal rt_sigtimedwait took, the others of strace_structs.py."""
    if name == "ppoll":
        text = poll_result(call.cap, value)
        left = call.cap.get("2>")
        if value and left is not None:
            text = f"{text[:-1]}, left {timespec(left[0], left[1])})"
        return text
    if name == "rt_sigtimedwait" and value > 0:
        return f"{value} ({sig_text(value)})"
    return strace_structs.result_text(name, call.args, value)


def poll_result(cap: dict, value: int) -> str:
    """poll's result: how many fds are ready, and which: 1 ([{fd=3, revents=POLLIN}])."""
    if value == 0:
        return "0 (Timeout)"
    entries = cap.get("0>")
    if entries is None:
        return str(value)
    ready = [f"{{fd={fd}, revents={flags(revents & 0xFFFF, C.POLL_EVENTS, width=16)}}}"
             for fd, _, revents in entries if revents]
    more = ["..."] if len(ready) < value else []     # beyond the -s entries read
    return f"{value} ([{', '.join(ready + more)}])"


@shows_captured
def _sockaddr(call: _Call, captured, value: int) -> str:
    return sockaddr(captured.encode("latin-1"))


def sockaddr(data: bytes) -> str:
    """A socket address as strace shows it: {sa_family=AF_INET, sin_port=htons(80), ...}."""
    if len(data) < 2:
        return "{}"
    family = struct.unpack_from("<H", data)[0]
    name = C.SOCK_FAMILIES.get(family, f"{family:#x} /* AF_??? */")
    head = f"{{sa_family={name}"
    if family == 1:                                   # AF_UNIX: a path, or @ for abstract
        path = data[2:]
        if not path:
            return head + "}"
        if path[0] == 0:
            return f"{head}, sun_path=@{quote(path[1:])}}}"
        return f"{head}, sun_path={quote(path.partition(bytes(1))[0])}}}"
    if family == C.AF_INET and len(data) >= 8:
        port = struct.unpack_from(">H", data, 2)[0]
        addr = ".".join(str(b) for b in data[4:8])
        return f'{head}, sin_port=htons({port}), sin_addr=inet_addr("{addr}")}}'
    if family == C.AF_INET6 and len(data) >= 28:
        port, flowinfo = struct.unpack_from(">HI", data, 2)
        import ipaddress  # only here: 25 ms of start-up otherwise

        addr = ipaddress.IPv6Address(data[8:24])
        scope = struct.unpack_from("<I", data, 24)[0]
        return (f"{head}, sin6_port=htons({port}), sin6_flowinfo=htonl({flowinfo}), "
                f'inet_pton(AF_INET6, "{addr}", &sin6_addr), sin6_scope_id={scope}}}')
    if family == 16 and len(data) >= 12:              # AF_NETLINK
        pid, groups = struct.unpack_from("<II", data, 4)
        return f"{head}, nl_pid={pid}, nl_groups={groups:08x}}}"
    return f"{head}, sa_data={quote(data[2:])}}}"


def _socklen(call: _Call, i: int, value: int) -> str:
    """A value-result length: [16], or [128 => 16] when the call changed it."""
    before, after = call.captured(i), call.cap.get(f"{i}>")
    if before is None:
        return _ptr(value)
    if call.ok and after is not None and after != before:
        return f"[{before[0]} => {after[0]}]"
    return f"[{before[0]}]"


def _futex_op(value: int) -> str:
    op = value & 0x7F
    if op not in C.FUTEX_OPS:
        return f"{_hex(value & 0xFFFFFFFF)} /* FUTEX_??? */"
    text = C.FUTEX_OPS[op]
    if value & C.FUTEX_PRIVATE_FLAG:
        text += "_PRIVATE"
    if value & C.FUTEX_CLOCK_REALTIME:
        text += "|FUTEX_CLOCK_REALTIME"
    rest = value & ~0x7F & ~C.FUTEX_PRIVATE_FLAG & ~C.FUTEX_CLOCK_REALTIME & 0xFFFFFFFF
    return text + (f"|{rest:#x}" if rest else "")


def _bitset(value: int) -> str:
    value &= 0xFFFFFFFF
    return "FUTEX_BITSET_MATCH_ANY" if value == 0xFFFFFFFF else _hex(value)


def _futex(call: _Call, raw: bool) -> str:
    """futex takes different arguments for each operation; show the ones it uses."""
    a = call.args
    op = a[1] & 0x7F
    head = f"futex({_ptr(a[0])}, {_futex_op(a[1])}"
    timeout = _timespec(call, 3, a[3])
    val = a[2] & 0xFFFFFFFF
    if op == C.FUTEX_WAIT:
        return f"{head}, {val}, {timeout})"
    if op == C.FUTEX_WAKE:
        return f"{head}, {val})"
    if op == C.FUTEX_WAIT_BITSET:
        return f"{head}, {val}, {timeout}, {_bitset(a[5])})"
    if op == C.FUTEX_WAKE_BITSET:
        return f"{head}, {val}, {_bitset(a[5])})"
    if op in (6, 13):                                 # LOCK_PI, LOCK_PI2
        return f"{head}, {timeout})"
    if op in (7, 8):                                  # UNLOCK_PI, TRYLOCK_PI
        return f"{head})"
    if op == 3:                                       # REQUEUE
        return f"{head}, {val}, {a[3] & 0xFFFFFFFF}, {_ptr(a[4])})"
    if op == 4:                                       # CMP_REQUEUE
        return f"{head}, {val}, {a[3] & 0xFFFFFFFF}, {_ptr(a[4])}, {a[5] & 0xFFFFFFFF})"
    return f"{head}, {val}, {_ptr(a[3])}, {_ptr(a[4])}, {_hex(a[5] & 0xFFFFFFFF)})"


@shows_captured
def _utsname(call: _Call, captured, value: int) -> str:
    return f"{{sysname={quote(captured[0])}, nodename={quote(captured[1])}, ...}}"


@shows_captured
def _sysinfo(call: _Call, v, value: int) -> str:
    loads = [str(load) for load in v[1:4]][: call.strsize] + ["..."] * (call.strsize < 3)
    return (f"{{uptime={v[0]}, loads=[{', '.join(loads)}], totalram={v[4]}, "
            f"freeram={v[5]}, sharedram={v[6]}, bufferram={v[7]}, totalswap={v[8]}, "
            f"freeswap={v[9]}, procs={v[10]}, totalhigh={v[11]}, freehigh={v[12]}, "
            f"mem_unit={v[13]}}}")


SOCKOPT_NAMES = {0: C.IP_OPTIONS, 1: C.SOL_SOCKET_OPTIONS, 6: C.TCP_OPTIONS,
                 41: C.IPV6_OPTIONS, 270: C.NETLINK_OPTIONS}


def _sockopt_name(call: _Call, i: int, value: int) -> str:
    table = SOCKOPT_NAMES.get(s32(call.args[1]), {})
    return table.get(s32(value), str(s32(value)))


def _sockopt_value(call: _Call, captured, value: int) -> str:
    """[1] for an int; a struct linger by its fields; other values as their bytes."""
    if isinstance(captured, list):
        return f"[{captured[0]}]"
    data = captured.encode("latin-1")
    option = (s32(call.args[1]), s32(call.args[2]))
    if option == (1, 13) and len(data) >= 8:                 # SO_LINGER
        on, linger = struct.unpack_from("<ii", data)
        return f"{{l_onoff={on}, l_linger={linger}}}"
    if option == (1, 17) and len(data) >= 12:                # SO_PEERCRED
        pid, user, group = struct.unpack_from("<iII", data)
        return f"{{pid={pid}, uid={user}, gid={group}}}"
    return quote(data[: call.strsize], more=len(data) > call.strsize)


def _socket_protocol(call: _Call, i: int, value: int) -> str:
    family = s32(call.args[0])
    if family in (C.AF_INET, C.AF_INET6):
        return C.IP_PROTOCOLS.get(value, str(value))
    if family == C.AF_NETLINK:
        return C.NETLINK_PROTOCOLS.get(value, str(value))
    if family == C.AF_PACKET:
        host = ((value & 0xFF) << 8) | (value >> 8 & 0xFF)    # ntohs
        if value <= 0xFFFF and host in C.ETHER_PROTOCOLS:
            return f"htons({C.ETHER_PROTOCOLS[host]})"
    return str(value & 0xFFFFFFFFFFFFFFFF)


def _socktype(value: int) -> str:
    value &= 0xFFFFFFFF
    kind = value & 0xF
    if kind and kind not in C.SOCK_TYPES:
        return flags(value, C.SOCK_FLAGS, width=32)
    text = C.SOCK_TYPES.get(kind, "0")
    rest = value & ~0xF
    return text + ("|" + flags(rest, C.SOCK_FLAGS, width=32, alone=False) if rest else "")


@functools.lru_cache(maxsize=256)   # a program maps with the same few flag words
def _mapflags(value: int) -> str:
    value &= 0xFFFFFFFF
    kind = value & 0xF
    parts = [C.MAP_TYPES.get(kind, f"{kind:#x} /* MAP_??? */")] if kind else []
    huge = value >> C.MAP_HUGE_SHIFT & 0x3F
    rest = value & ~0xF & ~(0x3F << C.MAP_HUGE_SHIFT)
    if rest:
        parts.append(flags(rest, C.MAP_FLAGS, width=32))
    if huge:
        parts.append(f"{huge}<<MAP_HUGE_SHIFT")
    return "|".join(parts) or "MAP_FILE"


def _named(table: dict, unknown: str) -> Callable[[_Call, int, int], str]:
    def fmt(call: _Call, i: int, value: int) -> str:
        value = s32(value)
        return table[value] if value in table else f"{_hex(value & 0xFFFFFFFF)} /* {unknown} */"
    return fmt


def _clone_flags(value: int) -> str:
    """CLONE_* bits, then the signal sent to the parent when the child exits."""
    sig = value & C.CSIGNAL
    text = flags(value & ~C.CSIGNAL, C.CLONE_FLAGS, alone=not sig)
    if sig:
        text = sig_text(sig) if text == "0" else f"{text}|{sig_text(sig)}"
    return text


@shows_captured
def _gidlist(call: _Call, gids, value: int) -> str:
    more = ", ..." if len(gids) > call.strsize else ""
    return "[" + ", ".join(str(g) for g in gids[:call.strsize]) + more + "]"


@shows_captured
def _cpumask(call: _Call, mask, value: int) -> str:
    return "[" + " ".join(str(n) for n in range(mask.bit_length()) if mask >> n & 1) + "]"


@shows_captured
def _rusage(call: _Call, v, value: int) -> str:
    return (f"{{ru_utime={timespec(v[0], v[1], 'tv_usec')}, "
            f"ru_stime={timespec(v[2], v[3], 'tv_usec')}, ...}}")


@shows_captured
def _statfs(call: _Call, v, value: int) -> str:
    kind = C.STATFS_MAGIC.get(v[0], hex(v[0]))
    fsid = array([_hex(v[7] & 0xFFFFFFFF), _hex(v[8] & 0xFFFFFFFF)], call.strsize)
    return (f"{{f_type={kind}, f_bsize={v[1]}, f_blocks={v[2]}, f_bfree={v[3]}, "
            f"f_bavail={v[4]}, f_files={v[5]}, f_ffree={v[6]}, "
            f"f_fsid={{val={fsid}}}, "
            f"f_namelen={v[9]}, f_frsize={v[10]}, f_flags={flags(v[11], C.STATFS_FLAGS)}}}")


@shows_captured
def _stack(call: _Call, v, value: int) -> str:
    """stack_t of sigaltstack: {ss_sp=0x..., ss_flags=SS_DISABLE, ss_size=8192}."""
    return (f"{{ss_sp={_ptr(v[0])}, ss_flags={flags(v[1] & 0xFFFFFFFF, C.SS_FLAGS)}, "
            f"ss_size={v[2]}}}")


def _sigframe(call: _Call, i: int, value: int) -> str:
    mask = call.captured(i)
    return "{mask=?}" if mask is None else f"{{mask={sigset(mask[0])}}}"


# ---- sendmsg / recvmsg: struct msghdr --------------------------------------------------------

def _msghdr(call: _Call, i: int, value: int) -> str:
    """{msg_name=..., msg_namelen=..., msg_iov=[...], msg_iovlen=1, msg_control=[...],
    msg_controllen=..., msg_flags=...}; a failed recvmsg shows only {msg_namelen=N}."""
    receiving = call.sc.params[i].kind == "omsghdr"
    if receiving and not call.ok:
        room = call.cap.get(str(i))
        return _ptr(value) if room is None else f"{{msg_namelen={room}}}"
    m = call.cap.get(f"{i}>" if receiving else str(i))
    if m is None:
        return _ptr(value)
    room = call.cap.get(str(i)) if receiving else None
    namelen = m["namelen"] if room is None else min(m["namelen"], room)
    if m["addr"] is not None and namelen >= 2:
        name = sockaddr(m["addr"].encode("latin-1")[:namelen])
    else:
        name = _ptr(m["name"])
    shown_len = f"{room} => {m['namelen']}" if room is not None and room != m["namelen"] \
        else str(m["namelen"])
    iov = _ptr(0) if m["iov"] is None else _iov_text(m["iov"], s64(call.ret) if receiving
                                                   else None)
    parts = [f"msg_name={name}", f"msg_namelen={shown_len}", f"msg_iov={iov}",
             f"msg_iovlen={m['iovlen']}"]
    if m["controllen"]:
        parts.append(f"msg_control={_cmsgs(call, m)}")
    parts += [f"msg_controllen={m['controllen']}",
              f"msg_flags={flags(m['flags'], C.MSG_FLAGS, width=32)}"]
    return "{" + ", ".join(parts) + "}"


def _cmsgs(call: _Call, m: dict) -> str:
    """The control messages: [{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS,
    cmsg_data=[5</etc/passwd>]}]."""
    if m["cmsg"] is None:
        return _ptr(m["control"])
    data, out, at = m["cmsg"].encode("latin-1"), [], 0
    targets = {**m["rights"], **(call.fds or {})}
    while at + 16 <= len(data):
        length, level, kind = struct.unpack_from("<Qii", data, at)
        body = data[at + 16:at + min(length, len(data) - at)]
        text = (f"{{cmsg_len={length}, "
                f"cmsg_level={C.SOCKOPT_LEVELS.get(level, f'{level:#x} /* SOL_??? */')}, "
                f"cmsg_type=")
        if level == 1:
            text += C.SCM_TYPES.get(kind, f"{kind:#x} /* SCM_??? */")
            if kind == 1 and len(body) >= 4:
                fds = struct.unpack(f"<{len(body) // 4}i", body[:len(body) // 4 * 4])
                text += ", cmsg_data=" + array(
                    [fd_text(str(fd), targets.get(str(fd))) for fd in fds], call.strsize)
            elif kind == 2 and len(body) >= 12:
                pid, user, group = struct.unpack_from("<iII", body)
                text += f", cmsg_data={{pid={pid}, uid={user}, gid={group}}}"
        else:
            text += hex(kind)
        out.append(text + "}")
        if length < 16:
            break
        at += (length + 7) & ~7
    return "[" + ", ".join(out) + "]"


KIND_FORMATTERS: dict[str, Callable[[_Call, int, int], str]] = {
    "int": lambda c, i, v: str(s32(v)),
    "uint": lambda c, i, v: str(v & 0xFFFFFFFF),
    "long": lambda c, i, v: str(s64(v)),
    "ulong": lambda c, i, v: str(v & 0xFFFFFFFFFFFFFFFF),
    "hex": lambda c, i, v: hex(v & 0xFFFFFFFFFFFFFFFF) if v else "0",
    "ptr": lambda c, i, v: _ptr(v),
    "fd": fd_arg,
    "dirfd": dirfd_arg,
    "path": lambda c, i, v: c.path(i),
    "str": lambda c, i, v: c.string(i),
    "wbuf": lambda c, i, v: c.buffer(i, c.args[i + 1]),
    "rbuf": _rbuf,
    "outstr": _outstr,
    "mode": lambda c, i, v: mode(v),
    "oflags": lambda c, i, v: open_flags(v),
    "oflagbits": lambda c, i, v: flags(v, C.O_FLAGS, width=32),
    "sockproto": _socket_protocol,
    "atflags": lambda c, i, v: flags(v, C.AT_FLAGS, width=32),
    "prot": lambda c, i, v: flags(v, C.PROT_FLAGS, "PROT_NONE"),
    "mapflags": lambda c, i, v: _mapflags(v),
    "waitopts": lambda c, i, v: flags(v, C.WAIT_OPTIONS, width=32),
    "idtype": _named(C.IDTYPES, "P_???"),
    "signo": lambda c, i, v: sig_text(s32(v)),
    "sighow": _named(C.SIG_HOW, "SIG_???"),
    "sigaction": _sigaction, "osigaction": _sigaction,
    "sigset": _sigset_arg, "osigset": _sigset_arg,
    "argv": _argv, "envp": _envp,
    "wstatus": _wstatus, "pipefds": _pipefds,
    "stat": _stat, "statx": _statx, "dirents": _dirents,
    "statxmask": lambda c, i, v: flags(v, C.STATX_MASK, width=32),
    "accmode": lambda c, i, v: flags(v, C.ACCESS_MODES, "F_OK", width=32),
    "whence": _named(C.SEEK_WHENCE, "SEEK_???"),
    "sockdomain": _named(C.SOCK_FAMILIES, "AF_???"),
    "socktype": lambda c, i, v: _socktype(v),
    "grndflags": lambda c, i, v: flags(v, C.GRND_FLAGS, width=32),
    "archcode": _named(C.ARCH_PRCTL, "ARCH_???"),
    "rlimres": _named(C.RLIMIT_RESOURCES, "RLIMIT_???"),
    "rlimit": _rlimit, "orlimit": _rlimit,
    "timespec": _timespec,
    "clockid": _named(C.CLOCKS, "CLOCK_???"),
    "ioctlreq": lambda c, i, v: ioctl_request(v),
    "ioctlarg": _ioctl_arg,
    "riov": _iov, "wiov": _iov,
    # Used inside the special formatters below; here for any call that shares the kinds.
    "cloneflags": lambda c, i, v: _clone_flags(v),
    "cloneargs": lambda c, i, v: _ptr(v),
    "parenttid": lambda c, i, v: _ptr(v),
    "fcntlcmd": lambda c, i, v: C.FCNTL_CMDS.get(s32(v), f"{s32(v):#x} /* F_??? */"),
    "fcntlarg": lambda c, i, v: hex(v) if v else "0",
    "futexop": lambda c, i, v: _futex_op(v),
    "accessatflags": lambda c, i, v: flags(v, C.ACCESS_AT_FLAGS, width=32),
    "epollflags": lambda c, i, v: flags(v, C.EPOLL_FLAGS, width=32),
    "epollop": _named(C.EPOLL_CTL_OPS, "EPOLL_CTL_???"),
    "efdflags": lambda c, i, v: flags(v, C.EFD_FLAGS, width=32),
    "inflags": lambda c, i, v: flags(v, C.IN_INIT_FLAGS, width=32),
    "mfdflags": lambda c, i, v: flags(v, C.MFD_FLAGS, width=32),
    "tfdflags": lambda c, i, v: flags(v, C.TFD_FLAGS, width=32),
    "sfdflags": lambda c, i, v: flags(v, C.SFD_FLAGS, width=32),
    "timerflags": lambda c, i, v: flags(v, C.TIMER_FLAGS, width=32),
    "sockflags": lambda c, i, v: flags(v, C.SOCK_FLAGS, width=32),
    "madvice": _named(C.MADVICE, "MADV_???"),
    "mremapflags": lambda c, i, v: flags(v, C.MREMAP_FLAGS, width=32),
    "msgflags": lambda c, i, v: flags(v, C.MSG_FLAGS, width=32),
    "sollevel": _named(C.SOCKOPT_LEVELS, "SOL_???"),
    "sockopt": _sockopt_name,
    "shuthow": _named(C.SHUTDOWN_HOW, "SHUT_???"),
    "renameflags": lambda c, i, v: flags(v, C.RENAME_FLAGS, width=32),
    "closerangeflags": lambda c, i, v: flags(v, C.CLOSE_RANGE_FLAGS, width=32),
    "fadvice": _named(C.FADVICE, "POSIX_FADV_???"),
    "rusagewho": _named(C.RUSAGE_WHO, "RUSAGE_???"),
    "itimer": _named(C.ITIMERS, "ITIMER_???"),
    "priowhich": _named(C.PRIO_WHICH, "PRIO_???"),
    "utsname": _utsname,
    "sysinfo": _sysinfo,
    "futextime": _timespec,
    "sockaddr": _sockaddr,
    "sockaddrout": _sockaddr,
    "socklen": _socklen,
    "optval": shows_captured(_sockopt_value),
    "optvalout": shows_captured(_sockopt_value),
    "pollfds": _pollfds,
    "epollevent": _epoll_event,
    "epollevents": _epoll_events,
    "fdset": _fdset,
    "timespecio": _time_io("tv_nsec"),
    "timevalio": _time_io("tv_usec"),
    "pselectsig": _pselect_sigmask,
    "gidlist": lambda c, i, v: _gidlist(c, i, v),
    "cpumask": lambda c, i, v: _cpumask(c, i, v),
    "icpumask": lambda c, i, v: _cpumask(c, i, v),
    "rusage": lambda c, i, v: _rusage(c, i, v),
    "statfs": lambda c, i, v: _statfs(c, i, v),
    "sigframe": _sigframe,
    "stackt": _stack, "ostackt": _stack,
    "mpolmode": lambda c, i, v: mpol_mode(v),
    "prctlarg": lambda c, i, v: hex(v) if v else "0",
    "ptracedata": lambda c, i, v: _ptr(v),
    "msghdr": _msghdr, "omsghdr": _msghdr,
    **STRUCT_FORMATTERS,
}
