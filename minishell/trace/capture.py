"""Capture: what the tracer must copy out of a stopped tracee, at syscall entry and exit.

At a syscall stop the tracer sees six integers.  Most are plain values (a length, a file
descriptor, flag bits), but many are *addresses in the tracee's memory*: the path given to
openat, the buffer read fills in, the argv of execve.  Those must be copied out of the tracee
while it is stopped -- inputs before the call runs (the kernel may change them, and exec replaces
the whole address space), outputs after it returns.  That copying is the expensive part, so it
happens in two small steps on the tracer's hot path:

    capture_entry()  at syscall entry: what the call reads (paths, strings, argv, fd targets)
    capture_exit()   at syscall exit:  what the call wrote (read buffers, pipe fds, structs)

Each step follows a plan precomputed per syscall number from the parameter kinds in the table
(minishell.trace.syscalls), so a call with nothing to read costs one dict lookup.  How the
values look as text -- flag names, quoting, errno messages -- is strace_values.py's and
strace_format.py's business, when an event is shown.

The captured values ("cap") are plain JSON data keyed by argument index, shaped by the
parameter's kind (minishell/trace/_table.py):

    path, str, wbuf, rbuf, outstr  text: the bytes as latin-1, so every byte survives JSON
    argv                           {"argv": [text, ...], "more": bool}  (at most -s elements)
    envp                           an int: how MANY variables -- never their values
    wstatus, sigset, ...           [int] or [ints] (the struct's fields in order)
    pipefds                        [read fd, write fd]
    stat / statx                   {"mode", "size", "rdev"} / {"mask", "attributes", "mode", "size"}
    dirents                        an int: how many entries getdents returned
    pollfds                        [[fd, events, revents, target], ...]; "0>" holds them after
"N>" keys hold values read again at exit (clone3's parent_tid, poll's revents), and
"y": {fd: target} the targets Memory.fd_target gave for fd arguments (strace -y).
"""

from __future__ import annotations

import errno
import struct
from collections.abc import Callable
from typing import Protocol

from minishell.trace import constants as C
from minishell.trace.syscalls import BY_NAME, Syscall

PATH_MAX = 4096
ENV_LIMIT = 65536          # stop counting environment entries here (a runaway envp)
SIGACTION_SIZE = 32


class Memory(Protocol):
    """The tracee's memory and descriptors, as the engine reads them while it is stopped."""

    def read_bytes(self, addr: int, size: int) -> bytes | None: ...

    def read_cstring(self, addr: int, limit: int) -> bytes | None: ...

    def fd_target(self, fd: int) -> str | None: ...


# ============================================================================================
# Small helpers shared by capture and formatting
# ============================================================================================

def to_text(data: bytes) -> str:
    """Bytes from the tracee as cap text (latin-1: one char per byte, JSON-safe)."""
    return data.decode("latin-1")


def s32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def s64(value: int) -> int:
    value &= 0xFFFFFFFFFFFFFFFF
    return value - (1 << 64) if value & (1 << 63) else value


def failed(ret: int | None) -> bool:
    """A raw kernel return value in -4095..-1 is an error (-errno)."""
    return ret is None or -4096 < s64(ret) < 0


def errno_name(ret: int) -> str | None:
    """The errno name of a raw kernel return value (-2 -> "ENOENT"), None if it succeeded."""
    ret = s64(ret)
    if not -4096 < ret < 0:
        return None
    code = -ret
    if code in C.RESTART_ERRORS:
        return C.RESTART_ERRORS[code][0]
    return C.ERRNO_PREFERRED.get(code) or errno.errorcode.get(code) or f"E{code}"


RETURNS_PAIR = frozenset({"pipe", "pipe2", "socketpair"})   # two new fds, in an array


def may_create_fds(sc: Syscall) -> bool:
    """Whether created_fds() can find new fds after this call (whatever its arguments)."""
    return sc.returns == "fd" or sc.name in RETURNS_PAIR or sc.name in ("fcntl", "recvmsg")


def created_fds(sc: Syscall, args: list[int], ret: int | None, cap: dict | None,
                mem: Memory | None = None) -> list[int]:
    """The file descriptors this call created (the engine reads their targets at exit):
    the fd returned, a pipe2/socketpair pair, fds received over a unix socket (mem).
    ret: the call's result, signed (-errno on failure), as the engine has it."""
    if ret is None or -4096 < ret < 0:  # failed(), inline: the engine's ret is signed
        return []
    name = sc.name
    if sc.returns == "fd" or duplicated_fd(sc, args) is not None:  # fcntl(F_DUPFD...)
        return [ret]
    if name in RETURNS_PAIR and cap:
        pair = cap.get(str(_index(sc, "pipefds")))
        return list(pair) if pair else []
    if name == "recvmsg" and mem is not None:
        return received_fds(args[1], mem)
    return []


DUPLICATORS = frozenset({"dup", "dup2", "dup3"})


def duplicated_fd(sc: Syscall, args: list[int]) -> int | None:
    """The fd a dup copies (dup, dup2, dup3, fcntl F_DUPFD*): the new fd names the same
    open file, so its path is the old one's (no readlink needed); None for other calls."""
    if sc.name in DUPLICATORS or (sc.name == "fcntl" and s32(args[1]) in (C.F_DUPFD,
                                                                        C.F_DUPFD_CLOEXEC)):
        return s32(args[0])
    return None


_MSGHDR = struct.Struct("<QI4xQQQQi4x")   # name, namelen, iov, iovlen, control, controllen
_CMSGHDR = struct.Struct("<Qii")          # cmsg_len, cmsg_level, cmsg_type
SOL_SOCKET = SCM_RIGHTS = 1


def received_fds(msg_addr: int, mem: Memory) -> list[int]:
    """The fds a recvmsg() got in SCM_RIGHTS control messages: new entries in the
    receiver's table, as open() would make (unix(7), "SCM_RIGHTS")."""
    raw = mem.read_bytes(msg_addr, _MSGHDR.size)
    if not raw or len(raw) < _MSGHDR.size:
        return []
    control, length = _MSGHDR.unpack(raw)[4:6]
    data = mem.read_bytes(control, min(length, 4096)) if control and length else None
    return _rights(data) if data else []


def _index(sc: Syscall, kind: str) -> int:
    return next(i for i, p in enumerate(sc.params) if p.kind == kind)


# ============================================================================================
# Capture: the hot path
# ============================================================================================
# A reader takes (args, index, mem, strsize) and returns a JSON value or None.

Reader = Callable[[list[int], int, Memory, int], object]


def _read_path(args, i, mem, strsize):
    if not args[i]:
        return None
    data = mem.read_cstring(args[i], PATH_MAX)
    return None if data is None else to_text(data)


def _read_string(args, i, mem, strsize):
    if not args[i]:
        return None
    data = mem.read_cstring(args[i], strsize + 1)
    return None if data is None else to_text(data)


def _read_write_buffer(args, i, mem, strsize):
    count = args[i + 1]
    if not args[i] or not count:
        return "" if args[i] else None
    data = mem.read_bytes(args[i], min(count, strsize))
    return None if data is None else to_text(data)


def _read_pointers(mem: Memory, addr: int, limit: int) -> list[int] | None:
    """The NULL-terminated pointer array at addr (argv, envp), at most `limit` entries."""
    pointers: list[int] = []
    chunk = 32
    while len(pointers) < limit:
        data = mem.read_bytes(addr + 8 * len(pointers), 8 * chunk)
        if data is None or len(data) < 8:     # unreadable: the array is cut short here
            return pointers if pointers else None
        for (pointer,) in struct.iter_unpack("<Q", data[: len(data) // 8 * 8]):
            if pointer == 0:
                return pointers
            pointers.append(pointer)
        chunk = min(chunk * 4, 4096)
    return pointers[:limit]


def _read_argv(args, i, mem, strsize):
    if not args[i]:
        return None
    pointers = _read_pointers(mem, args[i], strsize + 1)
    if pointers is None:
        return None
    strings = []
    for pointer in pointers[:strsize]:
        data = mem.read_cstring(pointer, strsize + 1)
        strings.append(None if data is None else to_text(data))
    return {"argv": strings, "more": len(pointers) > strsize}


def _count_env(args, i, mem, strsize):
    """Only the NUMBER of environment strings: their values are never read or shown."""
    if not args[i]:
        return None
    pointers = _read_pointers(mem, args[i], ENV_LIMIT)
    return None if pointers is None else len(pointers)


def env_count(sc: Syscall, cap: dict | None) -> int | None:
    """How many environment strings an execve passed, as its entry counted them (None:
    not counted, or cut at ENV_LIMIT) -- the new program's /proc/PID/environ holds them."""
    count = (cap or {}).get(str(_index(sc, "envp"))) if sc.name in ("execve", "execveat") \
        else None
    return count if count is not None and count < ENV_LIMIT else None


def _bytes_at(args, i, mem: Memory, size: int) -> bytes | None:
    """Exactly `size` bytes at the address in argument i, or None (NULL or unreadable)."""
    if not args[i]:
        return None
    data = mem.read_bytes(args[i], size)
    return data if data is not None and len(data) >= size else None


def _struct_reader(size: int, fmt: str) -> Reader:
    def read(args, i, mem, strsize):
        data = _bytes_at(args, i, mem, size)
        return None if data is None else list(struct.unpack_from(fmt, data))
    return read


_read_stack = _struct_reader(24, "<Qi4xQ")   # stack_t: ss_sp, ss_flags, ss_size
_read_sigaction = _struct_reader(SIGACTION_SIZE, "<QQQQ")   # handler, flags, restorer, mask
_read_sigset = _struct_reader(8, "<Q")
_read_timespec = _struct_reader(16, "<qq")
_read_rlimit = _struct_reader(16, "<QQ")
_read_int = _struct_reader(4, "<i")
_read_fd_pair = _struct_reader(8, "<ii")


def _read_clone_args(args, i, mem, strsize):
    """struct clone_args (clone3): flags, pidfd, child_tid, parent_tid, exit_signal, stack,
    stack_size, tls (the first 64 bytes; later fields are rarely set)."""
    data = _bytes_at(args, i, mem, 64)
    if data is None:
        return None
    return list(struct.unpack("<8Q", data))


def _read_futex_timeout(args, i, mem, strsize):
    """Only the waiting operations take a timeout; for the others this word is a number."""
    if args[1] & 0x7F not in C.FUTEX_TIMED_OPS:
        return None
    return _read_timespec(args, i, mem, strsize)


def _read_pollfds(args, i, mem, strsize):
    """struct pollfd[nfds] (fd, events, revents), at most strsize of them."""
    count = min(args[i + 1] & 0xFFFFFFFF, strsize)
    if not args[i] or count == 0:
        return [] if args[i] and args[i + 1] else None
    data = mem.read_bytes(args[i], 8 * count)
    if data is None or len(data) < 8:
        return None
    return [list(entry) for entry in struct.iter_unpack("<ihh", data[: len(data) // 8 * 8])]


def _read_pollfds_entry(args, i, mem, strsize):
    """The array as poll gets it, with what each fd refers to (strace -y shows it)."""
    entries = _read_pollfds(args, i, mem, strsize)
    for entry in entries or ():
        entry.append(mem.fd_target(entry[0]) if entry[0] >= 0 else None)
    return entries


_read_epoll_event = _struct_reader(12, "<IQ")   # packed on x86-64: u32 events, u64 data


def _read_fdset(args, i, mem, strsize):
    """The fds set in an fd_set of nfds bits (select): [3, 4]."""
    nfds = min(s32(args[0]), 1024)
    if not args[i] or nfds <= 0:
        return None
    data = mem.read_bytes(args[i], (nfds + 63) // 64 * 8)
    if data is None:
        return None
    bits = int.from_bytes(data, "little")
    return [fd for fd in range(min(nfds, len(data) * 8)) if bits >> fd & 1]


def _read_fdset_entry(args, i, mem, strsize):
    """The fds of the set with what each refers to: [[3, "pipe:[7]"], ...] (strace -y)."""
    fds = _read_fdset(args, i, mem, strsize)
    return None if fds is None else [[fd, mem.fd_target(fd)] for fd in fds]


def _read_pselect_sigmask(args, i, mem, strsize):
    """pselect6's last argument: {const sigset_t *mask; size_t size}."""
    pair = _struct_reader(16, "<QQ")(args, i, mem, strsize)
    if pair is None:
        return None
    mask = _read_sigset([pair[0]], 0, mem, strsize) if pair[0] else None
    return [mask[0] if mask else None, pair[1]]


def _read_optval(args, i, mem, strsize):
    """setsockopt's value: [int] when it is an int (optlen 4), as most options are, else
    its bytes (a struct linger, a struct timeval...)."""
    return _read_option(args, i, mem, strsize, s32(args[i + 1]))


def _read_option(args, i, mem, strsize, length):
    if length == 4:
        return _read_int(args, i, mem, strsize)
    if not args[i] or length <= 0:
        return None
    data = mem.read_bytes(args[i], min(length, max(strsize + 1, 16), 4096))
    return None if data is None else to_text(data)


def _read_sockaddr(args, i, mem, strsize):
    length = s32(args[i + 1])
    if not args[i] or length <= 0:
        return None
    data = mem.read_bytes(args[i], min(length, 128))
    return None if data is None else to_text(data)


def _read_write_iov(args, i, mem, strsize):
    return _read_iov(mem, args[i], s32(args[i + 1]), strsize, None)


def _read_iov(mem: Memory, addr: int, count: int, strsize: int, total: int | None):
    """[[data, iov_len], ...] for an iovec array (at most strsize elements, each buffer cut
    at strsize bytes); `total` is how many bytes readv filled in, None for writev."""
    if not addr or count <= 0 or count > 1024:
        return None
    shown = min(count, strsize)
    if shown == 0:
        return {"iov": [], "more": True}
    raw = mem.read_bytes(addr, 16 * shown)
    if raw is None or len(raw) < 16 * shown:
        return None
    remaining = total
    vectors = []
    for base, length in struct.iter_unpack("<QQ", raw):
        available = length if remaining is None else min(length, remaining)
        take = min(available, strsize)
        data = None if not base else mem.read_bytes(base, take) if take else b""
        if remaining is not None:
            remaining -= available
        vectors.append([None if data is None else to_text(data), length])
    return {"iov": vectors, "more": count > shown}


# ---- exit readers: only run when the call succeeded ------------------------------------------

def _read_read_buffer(args, i, mem, strsize, ret):
    if not args[i]:
        return None
    if ret == 0:
        return ""
    data = mem.read_bytes(args[i], min(ret, strsize))
    return None if data is None else to_text(data)


def _read_out_string(args, i, mem, strsize, ret):
    """getcwd (a path, length ret including its NUL) and readlink (ret bytes, no NUL)."""
    if not args[i] or ret <= 0:
        return None
    data = mem.read_bytes(args[i], min(ret, PATH_MAX))
    if data is None:
        return None
    return to_text(data.split(b"\0", 1)[0] if ret and data.endswith(b"\0") else data)


def _exit_struct(reader: Reader):
    def read(args, i, mem, strsize, ret):
        return reader(args, i, mem, strsize)
    return read


def _read_parent_tid(args, i, mem, strsize, ret):
    """clone(CLONE_PARENT_SETTID): the kernel stored the child's id at this address."""
    if not args[0] & C.CLONE_PARENT_SETTID:
        return None
    return _read_int(args, i, mem, strsize)


def _read_clone3_parent_tid(args, i, mem, strsize, ret):
    """clone3: the same, with the flags and the address inside struct clone_args."""
    fields = _read_clone_args(args, i, mem, strsize)
    if fields is None or not fields[0] & C.CLONE_PARENT_SETTID or not fields[3]:
        return None
    return _read_int([fields[3]], 0, mem, strsize)


def _read_utsname(args, i, mem, strsize, ret):
    """uname: the first two fields (65 bytes each), the kernel's name and the host's."""
    data = _bytes_at(args, i, mem, 130)
    if data is None:
        return None
    return [to_text(data[k:k + 65].partition(bytes(1))[0]) for k in (0, 65)]


def _read_sockaddr_out(args, i, mem, strsize, ret):
    """The address accept/getsockname/recvfrom wrote; its length is in *args[i + 1]."""
    length = _read_int(args, i + 1, mem, strsize)
    if not args[i] or length is None or length[0] <= 0:
        return None
    data = mem.read_bytes(args[i], min(length[0], 128))
    return None if data is None else to_text(data)


def _read_optval_out(args, i, mem, strsize, ret):
    """getsockopt's value: [int] when the kernel wrote an int (*optlen == 4), else bytes."""
    length = _read_int(args, i + 1, mem, strsize)
    return None if length is None else _read_option(args, i, mem, strsize, length[0])


def _read_sysinfo(args, i, mem, strsize, ret):
    """struct sysinfo: uptime, loads[3], 6 memory sizes, procs (u16), 2 more, mem_unit."""
    data = _bytes_at(args, i, mem, 108)
    if data is None:
        return None
    longs = struct.unpack_from("<q9Q", data, 0)
    procs = struct.unpack_from("<H", data, 80)[0]
    high = struct.unpack_from("<2QI", data, 88)
    return [*longs, procs, *high]


def _read_epoll_events(args, i, mem, strsize, ret):
    """The events epoll_wait filled in: the first ret entries (at most strsize)."""
    count = min(ret, strsize)
    if not args[i] or count <= 0:
        return [] if args[i] else None
    data = mem.read_bytes(args[i], 12 * count)
    if data is None:
        return None
    return [list(event) for event in struct.iter_unpack("<IQ", data[: len(data) // 12 * 12])]


def _read_wstatus(args, i, mem, strsize, ret):
    return _read_int(args, i, mem, strsize) if ret > 0 else None


def _read_stat(args, i, mem, strsize, ret):
    data = _bytes_at(args, i, mem, 56)      # the fields shown end at st_size
    if data is None:
        return None
    # struct stat (x86-64): dev, ino, nlink (8 each), mode, uid, gid (4 each), pad, rdev, size
    mode = struct.unpack_from("<I", data, 24)[0]
    rdev, size = struct.unpack_from("<Qq", data, 40)
    return {"mode": mode, "size": size, "rdev": rdev}


def _read_statx(args, i, mem, strsize, ret):
    data = _bytes_at(args, i, mem, 48)
    if data is None:
        return None
    # struct statx: mask u32, blksize u32, attributes u64, nlink, uid, gid u32, mode u16,
    # pad u16, ino u64, size u64
    mask, _blksize, attributes = struct.unpack_from("<IIQ", data, 0)
    mode = struct.unpack_from("<H", data, 28)[0]
    size = struct.unpack_from("<Q", data, 40)[0]
    return {"mask": mask, "attributes": attributes, "mode": mode, "size": size}


def _read_dirents(args, i, mem, strsize, ret):
    """Only the number of entries getdents returned: walk the d_reclen chain."""
    if not args[i] or ret <= 0:
        return 0 if ret == 0 else None
    data = mem.read_bytes(args[i], ret)
    if data is None:
        return None
    count, offset = 0, 0
    while offset + 18 <= len(data):
        reclen = struct.unpack_from("<H", data, offset + 16)[0]
        if reclen == 0:
            break
        count += 1
        offset += reclen
    return count


def _read_ioctl_struct(request: int, addr: int, mem: Memory):
    """The struct an ioctl request points at, for the few requests teachers meet."""
    if not addr:
        return None
    if request in (C.TIOCGWINSZ, C.TIOCSWINSZ):
        data = mem.read_bytes(addr, 8)
        return None if data is None or len(data) < 8 else list(struct.unpack("<4H", data))
    if request == C.TCGETS or request in C.TCSETS_REQUESTS:
        data = mem.read_bytes(addr, 16)
        return None if data is None or len(data) < 16 else list(struct.unpack("<4I", data))
    if request in C.IOCTL_INT_IN or request in C.IOCTL_INT_OUT:
        data = mem.read_bytes(addr, 4)
        return None if data is None or len(data) < 4 else list(struct.unpack("<i", data))
    return None


def _read_ioctl_in(args, i, mem, strsize):
    request = args[1] & 0xFFFFFFFF
    if request in C.TCSETS_REQUESTS or request in C.IOCTL_IN_STRUCTS:
        return _read_ioctl_struct(request, args[i], mem)
    return None


def _read_ioctl_out(args, i, mem, strsize, ret):
    request = args[1] & 0xFFFFFFFF
    if request in (C.TCGETS, C.TIOCGWINSZ) or request in C.IOCTL_INT_OUT:
        return _read_ioctl_struct(request, args[i], mem)
    return None


def _read_read_iov(args, i, mem, strsize, ret):
    return _read_iov(mem, args[i], s32(args[i + 1]), strsize, ret)


# ---- process and system information structs ------------------------------------------------

def _read_gids(args, i, mem, strsize, ret):
    """getgroups: ret group ids (32-bit each) the kernel wrote."""
    if not args[i]:                        # getgroups(0, NULL) asks only how many
        return None
    if s32(args[0]) <= 0:                  # ... and getgroups(0, buf) writes nothing
        return []
    count = min(ret, strsize + 1, 256)
    data = _bytes_at(args, i, mem, count * 4) if count > 0 else b""
    return None if data is None else list(struct.unpack(f"<{count}I", data))


def _read_cpumask(args, i, mem, strsize, ret):
    """sched_getaffinity: the kernel copied ret bytes of CPU bits; kept as one integer."""
    data = _bytes_at(args, i, mem, min(ret, 128)) if ret > 0 else None
    return None if data is None else int.from_bytes(data, "little")


def _read_rusage(args, i, mem, strsize, ret):
    """struct rusage: ru_utime and ru_stime (timevals) -- all strace shows by default."""
    return _struct_reader(32, "<qqqq")(args, i, mem, strsize)


def _read_statfs(args, i, mem, strsize, ret):
    """struct statfs: type, bsize, blocks, bfree, bavail, files, ffree, fsid[2],
    namelen, frsize, flags."""
    data = _bytes_at(args, i, mem, 120)
    return None if data is None else list(struct.unpack_from("<q6Q2iqqq", data))


def _read_sigframe_mask(args, i, mem, strsize):
    """rt_sigreturn: the mask to restore, in the signal frame on the stack.  The engine
    passes the stack pointer as the argument; uc_sigmask is at offset 296 of the
    ucontext found there (uc_flags, uc_link, uc_stack, the 256-byte sigcontext)."""
    return _read_sigset([args[i] + 296], 0, mem, strsize)


def _read_prctl_in(args, i, mem, strsize):
    """PR_SET_NAME: the name, up to the 15 characters the kernel keeps (and one more, to
    tell a longer one)."""
    return _read_string(args, i, mem, 15) if s32(args[0]) == C.PR_SET_NAME else None


# prctl options that store an int at arg2: GET_PDEATHSIG, GET_FPEMU, GET_FPEXC,
# GET_ENDIAN, GET_CHILD_SUBREAPER
PRCTL_INT_OUT = frozenset({2, 9, 11, 19, 37})


def _read_prctl_out(args, i, mem, strsize, ret):
    option = s32(args[0])
    if option in PRCTL_INT_OUT:
        return _read_int(args, i, mem, strsize)
    if option == 40:                       # PR_GET_TID_ADDRESS: a pointer
        data = _bytes_at(args, i, mem, 8)
        return None if data is None else list(struct.unpack("<Q", data))
    if option != C.PR_GET_NAME:
        return None
    data = _bytes_at(args, i, mem, 16)
    return None if data is None else to_text(data.split(b"\0", 1)[0])


def _read_ptrace_data(args, i, mem, strsize, ret):
    """PTRACE_PEEK*: the word the kernel stored at data."""
    if s64(args[0]) not in (1, 2, 3):
        return None
    data = _bytes_at(args, i, mem, 8)
    return None if data is None else struct.unpack("<Q", data)[0]



# ---- the less common calls: locks, timers, times, node masks (strace_structs.py) ------------

_read_flock = _struct_reader(32, "<hh4xqqi4x")    # l_type, l_whence, l_start, l_len, l_pid
_read_four_longs = _struct_reader(32, "<qqqq")    # itimerspec, itimerval, tms, times[2]


def _read_fcntl_in(args, i, mem, strsize):
    """fcntl's third argument when it points at the lock to set (F_SETLK...)."""
    cmd = s32(args[1])
    if cmd in C.LOCK_CMDS and cmd not in (C.F_GETLK, C.F_OFD_GETLK):
        return _read_flock(args, i, mem, strsize)
    return None


def _read_fcntl_out(args, i, mem, strsize, ret):
    """F_GETLK: the lock the kernel found (or F_UNLCK), written over the one asked."""
    if s32(args[1]) in (C.F_GETLK, C.F_OFD_GETLK):
        return _read_flock(args, i, mem, strsize)
    return None


def _read_nodemask(args, i, mem, strsize):
    """A NUMA node mask of maxnode - 1 bits (the next argument), in unsigned longs."""
    longs = min((args[i + 1] + 62) // 64, strsize + 1)
    if not args[i] or longs <= 0 or longs > 4096:
        return None
    data = _bytes_at(args, i, mem, 8 * longs)
    return None if data is None else list(struct.unpack(f"<{longs}Q", data))


def _read_msghdr(mem: Memory, addr: int, strsize: int, total: int | None):
    """struct msghdr (sendmsg, recvmsg): the address, the iovec (`total` bytes filled in
    by recvmsg, None for sendmsg), the control data, with the fds of SCM_RIGHTS and what
    they refer to in the sender (strace -y)."""
    raw = mem.read_bytes(addr, _MSGHDR.size) if addr else None
    if not raw or len(raw) < _MSGHDR.size:
        return None
    name, namelen, iov, iovlen, control, controllen, flags = _MSGHDR.unpack(raw)
    name_data = mem.read_bytes(name, min(namelen, 128)) if name and namelen else None
    control_data = mem.read_bytes(control, min(controllen, 4096)) if control else None
    rights = {}
    if total is None:
        for fd in _rights(control_data or b""):
            rights[str(fd)] = mem.fd_target(fd)
    return {"name": name, "namelen": namelen,
            "addr": None if name_data is None else to_text(name_data),
            "iov": _read_iov(mem, iov, iovlen, strsize, total) if iov else None,
            "iovlen": iovlen, "control": control, "controllen": controllen,
            "cmsg": None if control_data is None else to_text(control_data),
            "flags": flags, "rights": rights}


def _rights(data: bytes) -> list[int]:
    """The fds in the SCM_RIGHTS messages of a control buffer."""
    fds: list[int] = []
    at = 0
    while at + _CMSGHDR.size <= len(data):
        cmsg_len, level, kind = _CMSGHDR.unpack_from(data, at)
        if cmsg_len < _CMSGHDR.size:
            break
        if level == SOL_SOCKET and kind == SCM_RIGHTS:
            body = data[at + _CMSGHDR.size:at + cmsg_len]
            fds += struct.unpack(f"<{len(body) // 4}i", body[:len(body) // 4 * 4])
        at += (cmsg_len + 7) & ~7
    return fds


def _read_sendmsg(args, i, mem, strsize):
    return _read_msghdr(mem, args[i], strsize, None)


def _read_recvmsg_in(args, i, mem, strsize):
    """recvmsg at entry: only msg_namelen, the room given for the sender's address."""
    data = mem.read_bytes(args[i] + 8, 4) if args[i] else None
    return None if not data or len(data) < 4 else struct.unpack("<i", data)[0]


def _read_recvmsg_out(args, i, mem, strsize, ret):
    return _read_msghdr(mem, args[i], strsize, ret)


_read_long = _struct_reader(8, "<q")
_read_sigevent = _struct_reader(32, "<qiiQQ")   # value, signo, notify, function/tid, attrs


def _read_cpumask_in(args, i, mem, strsize):
    """sched_setaffinity: the len bytes of CPU bits the call is given, as one integer."""
    data = _bytes_at(args, i, mem, min(args[i - 1] & 0xFFFFFFFF, 128))
    return None if data is None else int.from_bytes(data, "little")


def _read_capdata(args, i, mem, strsize):
    """struct __user_cap_data_struct[2] (version 2 and 3) or [1] (version 1):
    effective, permitted, inheritable -- 32 bits each per element."""
    data = _bytes_at(args, i, mem, 24) or _bytes_at(args, i, mem, 12)
    return None if data is None else list(struct.unpack(f"<{len(data) // 4}I", data))


# siginfo_t: signo, errno, code, pad, then the sender's pid, uid and the value (or
# SIGCHLD's status), utime, stime; a fault's address at offset 16 (as engine.py reads it)
_read_siginfo = _struct_reader(48, "<iii4xiIqqq")


def _read_open_how(args, i, mem, strsize):
    """struct open_how of openat2: flags, mode, resolve."""
    return _struct_reader(24, "<QQQ")(args, i, mem, strsize)


def _read_mincore(args, i, mem, strsize, ret):
    """mincore: one byte per page of the range (bit 0: resident), at most -s + 1 of them."""
    pages = min((args[i - 1] + 4095) // 4096, strsize + 1)
    data = _bytes_at(args, i, mem, pages) if pages > 0 else None
    return None if data is None else list(data)


MORE_ENTRY_READERS: dict[str, Reader] = {
    "fcntlarg": _read_fcntl_in, "itimerspec": _read_four_longs, "utimes": _read_four_longs,
    "schedparam": _read_int, "nodemask": _read_nodemask, "msghdr": _read_sendmsg,
    "omsghdr": _read_recvmsg_in, "offinout": _read_long, "offin": _read_long,
    "icpumask": _read_cpumask_in, "sigevent": _read_sigevent,
    "caphdr": _struct_reader(8, "<Ii"), "capdata": _read_capdata,
    "itimerval": _read_four_longs, "siginfo": _read_siginfo, "openhow": _read_open_how,
}
MORE_EXIT_READERS = {
    "fcntlarg": _read_fcntl_out, "oitimerspec": _exit_struct(_read_four_longs),
    "tms": _exit_struct(_read_four_longs), "oint": _exit_struct(_read_int),
    "ompolmode": _exit_struct(_read_int), "omsghdr": _read_recvmsg_out,
    "offinout": _exit_struct(_read_long), "xattrout": _read_read_buffer,
    "otimespec": _exit_struct(_read_timespec), "otimeval": _exit_struct(_read_timespec),
    "ocapdata": _exit_struct(_read_capdata), "oitimerval": _exit_struct(_read_four_longs),
    "osiginfo": _exit_struct(_read_siginfo), "mincorevec": _read_mincore,
    "onodemask": _exit_struct(_read_nodemask),
}

ENTRY_READERS: dict[str, Reader] = {
    "path": _read_path, "str": _read_string, "wbuf": _read_write_buffer, "argv": _read_argv,
    "envp": _count_env, "sigaction": _read_sigaction, "sigset": _read_sigset,
    "timespec": _read_timespec, "rlimit": _read_rlimit, "cloneargs": _read_clone_args,
    "wiov": _read_write_iov, "ioctlarg": _read_ioctl_in, "futextime": _read_futex_timeout,
    "sockaddr": _read_sockaddr, "pollfds": _read_pollfds_entry,
    "epollevent": _read_epoll_event, "fdset": _read_fdset_entry, "socklen": _read_int,
    "optval": _read_optval,
    "pselectsig": _read_pselect_sigmask, "sigframe": _read_sigframe_mask,
    "prctlarg": _read_prctl_in, "stackt": _read_stack,
    "timespecio": _read_timespec, "timevalio": _read_timespec, **MORE_ENTRY_READERS,
}
EXIT_READERS = {
    "rbuf": _read_read_buffer, "outstr": _read_out_string, "wstatus": _read_wstatus,
    "pipefds": _exit_struct(_read_fd_pair), "stat": _read_stat, "statx": _read_statx,
    "dirents": _read_dirents, "osigaction": _exit_struct(_read_sigaction),
    "osigset": _exit_struct(_read_sigset), "orlimit": _exit_struct(_read_rlimit),
    "ioctlarg": _read_ioctl_out, "riov": _read_read_iov, "parenttid": _read_parent_tid,
    "cloneargs": _read_clone3_parent_tid, "utsname": _read_utsname, "sysinfo": _read_sysinfo,
    "sockaddrout": _read_sockaddr_out, "socklen": _exit_struct(_read_int),
    "optvalout": _read_optval_out,
    "pollfds": lambda args, i, mem, strsize, ret: _read_pollfds(args, i, mem, strsize),
    "epollevents": _read_epoll_events,
    "fdset": lambda args, i, mem, strsize, ret: _read_fdset(args, i, mem, strsize),
    "timespecio": _exit_struct(_read_timespec), "timevalio": _exit_struct(_read_timespec),
    "gidlist": _read_gids, "cpumask": _read_cpumask, "rusage": _read_rusage,
    "statfs": _read_statfs, "prctlarg": _read_prctl_out, "ptracedata": _read_ptrace_data,
    "ostackt": _exit_struct(_read_stack), **MORE_EXIT_READERS,
}
# Kinds read at both ends whose exit value is kept beside the entry one, under "N>".
EXIT_KEY_SUFFIX = {"cloneargs": ">", "pollfds": ">", "fdset": ">", "timespecio": ">",
                   "timevalio": ">", "socklen": ">", "prctlarg": ">", "fcntlarg": ">",
                   "omsghdr": ">", "offinout": ">"}
FD_KINDS = ("fd", "dirfd")


def _plans(sc: Syscall):
    entry = tuple((str(i), ENTRY_READERS[p.kind], i) for i, p in enumerate(sc.params)
                  if p.kind in ENTRY_READERS)
    exit_ = tuple((str(i) + EXIT_KEY_SUFFIX.get(p.kind, ""), EXIT_READERS[p.kind], i)
                  for i, p in enumerate(sc.params) if p.kind in EXIT_READERS)
    fds = tuple(i for i, p in enumerate(sc.params) if p.kind in FD_KINDS)
    return entry or None, exit_ or None, fds or None


_ENTRY_PLAN: dict[int, tuple] = {}
_EXIT_PLAN: dict[int, tuple] = {}
_FD_PLAN: dict[int, tuple[int, ...]] = {}
for _sc in BY_NAME.values():
    _entry, _exit, _fds = _plans(_sc)
    if _entry:
        _ENTRY_PLAN[_sc.nr] = _entry
    if _exit:
        _EXIT_PLAN[_sc.nr] = _exit
    if _fds:
        _FD_PLAN[_sc.nr] = _fds
del _sc, _entry, _exit, _fds


def capture_entry(sc: Syscall, args: list[int], mem: Memory, strsize: int) -> dict | None:
    """What must be read from the tracee before the call runs; None when nothing is needed."""
    nr = sc.nr
    plan = _ENTRY_PLAN.get(nr)
    fds = _FD_PLAN.get(nr)
    if plan is None and fds is None:
        return None
    cap: dict = {}
    if plan is not None:
        for key, reader, i in plan:
            value = reader(args, i, mem, strsize)
            if value is not None:
                cap[key] = value
    if fds is not None:
        targets = {}
        for i in fds:
            fd = args[i] & 0xFFFFFFFF  # s32(), inline: nearly every call names an fd
            if fd & 0x80000000:
                fd -= 0x100000000
            if fd >= 0 or fd == C.AT_FDCWD:  # AT_FDCWD: the cwd, as strace -y shows it
                target = mem.fd_target(fd)
                if target is not None:
                    targets[str(fd)] = target
        if targets:
            cap["y"] = targets
    return cap or None


def reads_at_exit(sc: Syscall) -> bool:
    """Whether capture_exit() has anything to read after this call."""
    return sc.nr in _EXIT_PLAN


def capture_exit(sc: Syscall, args: list[int], ret: int | None, entry_cap: dict | None,
                 mem: Memory, strsize: int) -> dict | None:
    """What exists only after the call (data it wrote), added to the entry's cap (the
    event's own dict, completed in place); returns the whole cap.
    ret: signed (-errno on failure), as the engine has it."""
    plan = _EXIT_PLAN.get(sc.nr)
    if plan is None or ret is None or -4096 < ret < 0:  # ret: signed, as the engine's
        return entry_cap
    cap = entry_cap
    for key, reader, i in plan:
        value = reader(args, i, mem, strsize, ret)
        if value is not None:
            if cap is None:
                cap = {}
            cap[key] = value
    return cap or None
