"""Turning a system call's raw numbers into the text strace users read.

At a syscall stop the tracer sees six integers.  Most are plain values (a length, a file
descriptor, flag bits), but many are *addresses in the tracee's memory*: the path given to
openat, the buffer read fills in, the argv of execve.  Those must be copied out of the tracee
while it is stopped -- inputs before the call runs (the kernel may change them, and exec replaces
the whole address space), outputs after it returns.  That copying is the expensive part, so it
happens in two small steps on the tracer's hot path:

    capture_entry()  at syscall entry: what the call reads (paths, strings, argv, fd targets)
    capture_exit()   at syscall exit:  what the call wrote (read buffers, pipe fds, structs)

Each step follows a plan precomputed per syscall number from the parameter kinds in the table
(minishell.trace.syscalls), so a call with nothing to read costs one dict lookup.  Everything
else -- flag names, quoting, errno messages -- happens later, in format_call(), off the hot path.

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
import functools
import ipaddress
import os
import re
import struct
from collections.abc import Callable
from typing import Protocol

from minishell.signals import signal_name
from minishell.trace import constants as C
from minishell.trace.syscalls import BY_NAME, Syscall, lookup

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


def errno_message(name: str) -> str:
    for known, message in C.RESTART_ERRORS.values():
        if known == name:
            return message
    code = getattr(errno, name, None)
    if code is None and name[1:].isdigit():
        code = int(name[1:])
    return os.strerror(code) if code is not None else "Unknown error"


RETURNS_PAIR = frozenset({"pipe", "pipe2", "socketpair"})   # two new fds, in an array


def created_fds(sc: Syscall, args: list[int], ret: int | None, cap: dict | None,
                mem: Memory | None = None) -> list[int]:
    """The file descriptors this call created (the engine reads their targets at exit):
    the fd returned, a pipe2/socketpair pair, fds received over a unix socket (mem)."""
    if failed(ret):
        return []
    name = sc.name
    if sc.returns == "fd":
        return [s64(ret)]
    if name == "fcntl" and s32(args[1]) in (C.F_DUPFD, C.F_DUPFD_CLOEXEC):
        return [s64(ret)]
    if name in RETURNS_PAIR and cap:
        pair = cap.get(str(_index(sc, "pipefds")))
        return list(pair) if pair else []
    if name == "recvmsg" and mem is not None:
        return received_fds(args[1], mem)
    return []


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
    fds: list[int] = []
    at = 0
    while data and at + _CMSGHDR.size <= len(data):
        cmsg_len, level, kind = _CMSGHDR.unpack_from(data, at)
        if cmsg_len < _CMSGHDR.size:
            break
        if level == SOL_SOCKET and kind == SCM_RIGHTS:
            body = data[at + _CMSGHDR.size:at + cmsg_len]
            fds += struct.unpack(f"<{len(body) // 4}i", body[:len(body) // 4 * 4])
        at += (cmsg_len + 7) & ~7
    return fds


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
    """setsockopt's value when it is an int (optlen 4), as most options are."""
    return _read_int(args, i, mem, strsize) if s32(args[i + 1]) == 4 else None


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
        data = mem.read_bytes(base, take) if take else b""
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
    """getsockopt's value when the kernel wrote an int (*optlen == 4)."""
    length = _read_int(args, i + 1, mem, strsize)
    return _read_int(args, i, mem, strsize) if length == [4] else None


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
    if request in (C.TIOCGPGRP, C.TIOCSPGRP, C.FIONREAD):
        data = mem.read_bytes(addr, 4)
        return None if data is None or len(data) < 4 else list(struct.unpack("<i", data))
    return None


def _read_ioctl_in(args, i, mem, strsize):
    request = args[1] & 0xFFFFFFFF
    if request in C.TCSETS_REQUESTS or request in (C.TIOCSWINSZ, C.TIOCSPGRP):
        return _read_ioctl_struct(request, args[i], mem)
    return None


def _read_ioctl_out(args, i, mem, strsize, ret):
    request = args[1] & 0xFFFFFFFF
    if request in (C.TCGETS, C.TIOCGWINSZ, C.TIOCGPGRP, C.FIONREAD):
        return _read_ioctl_struct(request, args[i], mem)
    return None


def _read_read_iov(args, i, mem, strsize, ret):
    return _read_iov(mem, args[i], s32(args[i + 1]), strsize, ret)


# ---- process and system information structs ------------------------------------------------

def _read_gids(args, i, mem, strsize, ret):
    """getgroups: ret group ids (32-bit each) the kernel wrote."""
    if s32(args[0]) <= 0 or not args[i]:   # getgroups(0, NULL) asks only how many
        return None
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
    return _read_string(args, i, mem, 16) if s32(args[0]) == C.PR_SET_NAME else None


def _read_prctl_out(args, i, mem, strsize, ret):
    if s32(args[0]) != C.PR_GET_NAME:
        return None
    data = _bytes_at(args, i, mem, 16)
    return None if data is None else to_text(data.split(b"\0", 1)[0])


def _read_ptrace_data(args, i, mem, strsize, ret):
    """PTRACE_PEEK*: the word the kernel stored at data."""
    if s64(args[0]) not in (1, 2, 3):
        return None
    data = _bytes_at(args, i, mem, 8)
    return None if data is None else struct.unpack("<Q", data)[0]


ENTRY_READERS: dict[str, Reader] = {
    "path": _read_path, "str": _read_string, "wbuf": _read_write_buffer, "argv": _read_argv,
    "envp": _count_env, "sigaction": _read_sigaction, "sigset": _read_sigset,
    "timespec": _read_timespec, "rlimit": _read_rlimit, "cloneargs": _read_clone_args,
    "wiov": _read_write_iov, "ioctlarg": _read_ioctl_in, "futextime": _read_futex_timeout,
    "sockaddr": _read_sockaddr, "pollfds": _read_pollfds_entry,
    "epollevent": _read_epoll_event, "fdset": _read_fdset_entry, "socklen": _read_int,
    "optval": _read_optval,
    "pselectsig": _read_pselect_sigmask, "sigframe": _read_sigframe_mask,
    "prctlarg": _read_prctl_in,
    "timespecio": _read_timespec, "timevalio": _read_timespec,
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
}
# Kinds read at both ends whose exit value is kept beside the entry one, under "N>".
EXIT_KEY_SUFFIX = {"cloneargs": ">", "pollfds": ">", "fdset": ">", "timespecio": ">",
                   "timevalio": ">", "socklen": ">", "prctlarg": ">"}
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
            fd = s32(args[i])
            if fd >= 0 or fd == C.AT_FDCWD:  # AT_FDCWD: the cwd, as strace -y shows it
                target = mem.fd_target(fd)
                if target is not None:
                    targets[str(fd)] = target
        if targets:
            cap["y"] = targets
    return cap or None


def capture_exit(sc: Syscall, args: list[int], ret: int | None, entry_cap: dict | None,
                 mem: Memory, strsize: int) -> dict | None:
    """What exists only after the call (data it wrote); returns the whole cap (entry's too)."""
    plan = _EXIT_PLAN.get(sc.nr)
    if plan is None or ret is None:
        return entry_cap
    ret = s64(ret)
    if -4096 < ret < 0:
        return entry_cap
    cap = dict(entry_cap) if entry_cap else {}
    for key, reader, i in plan:
        value = reader(args, i, mem, strsize, ret)
        if value is not None:
            cap[key] = value
    return cap or None


# ============================================================================================
# Formatting: off the hot path
# ============================================================================================

def quote(data: str | bytes, strsize: int | None = None, more: bool = False,
          hex_all: bool = False) -> str:
    """A C string literal as strace writes it: "abc\\n\\0"..." (octal escapes, -s cut);
    hex_all writes every byte as \\xNN (strace does so for random bytes)."""
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
    """One event being formatted: its args, captured values and the options."""

    def __init__(self, ev: dict, sc: Syscall, strsize: int):
        self.ev, self.sc, self.strsize = ev, sc, strsize
        self.args = list(ev.get("args") or [])
        self.args += [0] * (6 - len(self.args))
        self.cap = ev.get("cap") or {}
        self.targets = self.cap.get("y") or {}
        self.ok = ev.get("err") is None and ev.get("ret") is not None and not failed(
            ev.get("ret"))

    def captured(self, i: int):
        return self.cap.get(str(i))

    def shown(self, i: int):
        """The captured value of argument i if it may be shown: what a call wrote is
        meaningless when it failed."""
        if self.sc.params[i].kind in EXIT_READERS and not self.ok:
            return None
        return self.cap.get(str(i))

    def fd(self, i: int) -> str:
        fd = s32(self.args[i])
        return fd_text(str(fd), self.targets.get(str(fd)))

    def dirfd(self, i: int) -> str:
        fd = s32(self.args[i])
        return fd_text("AT_FDCWD" if fd == C.AT_FDCWD else str(fd), self.targets.get(str(fd)))

    def path(self, i: int) -> str:
        value = self.captured(i)
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


def shows_captured(show: Callable[[_Call, object, int], str]) -> Callable[[_Call, int, int], str]:
    """A formatter for a value read from the tracee; the bare address when there is none
    (unreadable memory, or an output of a call that failed)."""
    def formatter(call: _Call, i: int, value: int) -> str:
        captured = call.shown(i)
        return _ptr(value) if captured is None else show(call, captured, value)
    return formatter


def _format_param(call: _Call, i: int, kind: str) -> str:
    value = call.args[i]
    formatter = KIND_FORMATTERS.get(kind)
    if formatter is not None:
        return formatter(call, i, value)
    return hex(value & 0xFFFFFFFFFFFFFFFF) if value else "0"


def _rbuf(call: _Call, i: int, value: int) -> str:
    if not call.ok:
        return _ptr(value)
    return call.buffer(i, s64(call.ev.get("ret") or 0))


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
    fds = call.ev.get("fds") or {}
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
            f"stx_attributes={st['attributes'] and hex(st['attributes'])}, "
            f"stx_mode={file_mode(st['mode'])}, stx_size={st['size']}, ...}}")


@shows_captured
def _dirents(call: _Call, count, value: int) -> str:
    return f"{_ptr(value)} /* {count} entr{'y' if count == 1 else 'ies'} */"


@shows_captured
def _timespec(call: _Call, captured, value: int) -> str:
    return f"{{tv_sec={captured[0]}, tv_nsec={captured[1]}}}"


@shows_captured
def _rlimit(call: _Call, captured, value: int) -> str:
    return f"{{rlim_cur={_size_in_kib(captured[0])}, rlim_max={_size_in_kib(captured[1])}}}"


@shows_captured
def _iov(call: _Call, captured, value: int) -> str:
    remaining = s64(call.ev["ret"]) if call.sc.params[1].kind == "riov" else None
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
    sets = request in C.TCSETS_REQUESTS or request in (C.TIOCSWINSZ, C.TIOCSPGRP)
    if captured is None or not (sets or call.ok):
        return _ptr(value) if request in C.IOCTL_REQUESTS else hex(value)
    if request in (C.TIOCGWINSZ, C.TIOCSWINSZ):
        row, col, xpixel, ypixel = captured
        return f"{{ws_row={row}, ws_col={col}, ws_xpixel={xpixel}, ws_ypixel={ypixel}}}"
    if len(captured) == 4:
        return termios(*captured)
    return f"[{captured[0]}]"


def termios(iflag: int, oflag: int, cflag: int, lflag: int) -> str:
    """The four mode words of a terminal as strace shows them (the control chars elided)."""
    out = [name for mask, names in C.TERMIOS_ODELAYS for name in [names[oflag & mask]]]
    out_bits = oflag & ~sum(mask for mask, _ in C.TERMIOS_ODELAYS)
    if out_bits:
        out.append(flags(out_bits, C.TERMIOS_OFLAGS, width=32))
    control = [C.BAUD_RATES.get(cflag & C.CBAUD, hex(cflag & C.CBAUD))]
    input_baud = cflag >> C.CIBAUD_SHIFT & C.CBAUD
    if input_baud:
        control.append(C.BAUD_RATES.get(input_baud, hex(input_baud)) + "<<IBSHIFT")
    control.append(C.CHAR_SIZES[cflag & C.CSIZE])
    rest = cflag & ~C.CBAUD & ~(C.CBAUD << C.CIBAUD_SHIFT) & ~C.CSIZE
    if rest:
        control.append(flags(rest, C.TERMIOS_CFLAGS, width=32))
    return (f"{{c_iflag={flags(iflag, C.TERMIOS_IFLAGS, width=32)}, c_oflag={'|'.join(out)}, "
            f"c_cflag={'|'.join(control)}, c_lflag={flags(lflag, C.TERMIOS_LFLAGS, width=32)}, "
            "...}")


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
    return epoll_event(*captured)


@shows_captured
def _epoll_events(call: _Call, captured, value: int) -> str:
    more = s64(call.ev["ret"]) > len(captured)
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
        return f"{{tv_sec={captured[0]}, {unit}={captured[1]}}}"
    return fmt


@shows_captured
def _pselect_sigmask(call: _Call, captured, value: int) -> str:
    mask = "NULL" if captured[0] is None else sigset(captured[0])
    return f"{{sigmask={mask}, sigsetsize={captured[1]}}}"


def select_result(ev: dict, sc: Syscall, value: int) -> str:
    """select's result: how many fds are ready, which, and the time left."""
    if value == 0:
        return "0 (Timeout)"
    cap = ev.get("cap") or {}
    parts = [f"{word} [{' '.join(map(str, cap[f'{i}>']))}]"
             for i, word in ((1, "in"), (2, "out"), (3, "except")) if cap.get(f"{i}>")]
    left = cap.get("4>")
    if left is not None:
        unit = "tv_usec" if sc.name == "select" else "tv_nsec"
        parts.append(f"left {{tv_sec={left[0]}, {unit}={left[1]}}}")
    return f"{value} ({', '.join(parts)})" if parts else str(value)


def poll_result(ev: dict, value: int) -> str:
    """poll's result: how many fds are ready, and which: 1 ([{fd=3, revents=POLLIN}])."""
    if value == 0:
        return "0 (Timeout)"
    entries = (ev.get("cap") or {}).get("0>")
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


def _sockopt_name(call: _Call, i: int, value: int) -> str:
    table = {1: C.SOL_SOCKET_OPTIONS, 6: C.TCP_OPTIONS}.get(s32(call.args[1]), {})
    return table.get(s32(value), str(s32(value)))


def _socket_protocol(call: _Call, i: int, value: int) -> str:
    if s32(call.args[0]) in (C.AF_INET, C.AF_INET6):
        return C.IP_PROTOCOLS.get(value, str(value))
    return str(value & 0xFFFFFFFFFFFFFFFF)


def _socktype(value: int) -> str:
    value &= 0xFFFFFFFF
    kind = value & 0xF
    if kind and kind not in C.SOCK_TYPES:
        return flags(value, C.SOCK_FLAGS, width=32)
    text = C.SOCK_TYPES.get(kind, "0")
    rest = value & ~0xF
    return text + ("|" + flags(rest, C.SOCK_FLAGS, width=32, alone=False) if rest else "")


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


KIND_FORMATTERS: dict[str, Callable[[_Call, int, int], str]] = {
    "int": lambda c, i, v: str(s32(v)),
    "uint": lambda c, i, v: str(v & 0xFFFFFFFF),
    "long": lambda c, i, v: str(s64(v)),
    "ulong": lambda c, i, v: str(v & 0xFFFFFFFFFFFFFFFF),
    "hex": lambda c, i, v: hex(v & 0xFFFFFFFFFFFFFFFF) if v else "0",
    "ptr": lambda c, i, v: _ptr(v),
    "fd": lambda c, i, v: c.fd(i),
    "dirfd": lambda c, i, v: c.dirfd(i),
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
    "ioctlreq": lambda c, i, v: C.IOCTL_REQUESTS.get(v & 0xFFFFFFFF, hex(v & 0xFFFFFFFF)),
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
    "optval": shows_captured(lambda call, captured, value: f"[{captured[0]}]"),
    "optvalout": shows_captured(lambda call, captured, value: f"[{captured[0]}]"),
    "pollfds": _pollfds,
    "epollevent": _epoll_event,
    "epollevents": _epoll_events,
    "fdset": _fdset,
    "timespecio": _time_io("tv_nsec"),
    "timevalio": _time_io("tv_usec"),
    "pselectsig": _pselect_sigmask,
    "gidlist": lambda c, i, v: _gidlist(c, i, v),
    "cpumask": lambda c, i, v: _cpumask(c, i, v),
    "rusage": lambda c, i, v: _rusage(c, i, v),
    "statfs": lambda c, i, v: _statfs(c, i, v),
    "sigframe": lambda c, i, v: _sigframe(c, i, v),
    "mpolmode": lambda c, i, v: _mpol_mode(c, i, v),
    "prctlarg": lambda c, i, v: hex(v) if v else "0",
    "ptracedata": lambda c, i, v: _ptr(v),
}


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


def _clone_flags(value: int) -> str:
    """CLONE_* bits, then the signal sent to the parent when the child exits."""
    sig = value & C.CSIGNAL
    text = flags(value & ~C.CSIGNAL, C.CLONE_FLAGS, alone=not sig)
    if sig:
        text = sig_text(sig) if text == "0" else f"{text}|{sig_text(sig)}"
    return text


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
    params = [_format_param(call, i, p.kind) for i, p in enumerate(call.sc.params)]
    open_flags_value = call.args[len(params) - 2]
    if not (open_flags_value & C.O_CREAT or open_flags_value & C.O_TMPFILE == C.O_TMPFILE):
        params.pop()
    return f"{call.sc.name}({', '.join(params)})"


# ---- process and system information ---------------------------------------------------------

@shows_captured
def _gidlist(call: _Call, gids, value: int) -> str:
    more = ", ..." if len(gids) > call.strsize else ""
    return "[" + ", ".join(str(g) for g in gids[:call.strsize]) + more + "]"


@shows_captured
def _cpumask(call: _Call, mask, value: int) -> str:
    return "[" + " ".join(str(n) for n in range(mask.bit_length()) if mask >> n & 1) + "]"


@shows_captured
def _rusage(call: _Call, v, value: int) -> str:
    return (f"{{ru_utime={{tv_sec={v[0]}, tv_usec={v[1]}}}, "
            f"ru_stime={{tv_sec={v[2]}, tv_usec={v[3]}}}, ...}}")


@shows_captured
def _statfs(call: _Call, v, value: int) -> str:
    kind = C.STATFS_MAGIC.get(v[0], hex(v[0]))
    return (f"{{f_type={kind}, f_bsize={v[1]}, f_blocks={v[2]}, f_bfree={v[3]}, "
            f"f_bavail={v[4]}, f_files={v[5]}, f_ffree={v[6]}, "
            f"f_fsid={{val=[{_hex(v[7] & 0xFFFFFFFF)}, {_hex(v[8] & 0xFFFFFFFF)}]}}, "
            f"f_namelen={v[9]}, f_frsize={v[10]}, f_flags={flags(v[11], C.STATFS_FLAGS)}}}")


def _sigframe(call: _Call, i: int, value: int) -> str:
    mask = call.captured(i)
    return "{mask=?}" if mask is None else f"{{mask={sigset(mask[0])}}}"


def _mpol_mode(call: _Call, i: int, value: int) -> str:
    mode = C.MPOL_MODES.get(value & 0xFF, str(value & 0xFF))
    extra = flags(value & ~0xFF, C.MPOL_FLAGS, zero="", alone=False)
    return f"{mode}|{extra}" if extra else mode


def _prctl(call: _Call, raw: bool) -> str:
    """prctl(OPTION, ...): only the arguments the option reads, as strace prints them."""
    a, option = call.args, s32(call.args[0])
    name = C.PRCTL_OPTIONS.get(option)
    if name is None:
        return f"prctl({option:#x} /* PR_??? */, {', '.join(hex(v) for v in a[1:5])})"
    if option in (3, 7, 21, 37, 39):                  # PR_GET_*: no argument
        return f"prctl({name})"
    if option == C.PR_SET_NAME:
        name_arg = call.captured(1)
        return f"prctl({name}, {quote(name_arg) if name_arg is not None else _ptr(a[1])})"
    if option == C.PR_GET_NAME:
        got = call.cap.get("1>") if call.ok else None
        return f"prctl({name}, {quote(got) if got is not None else _ptr(a[1])})"
    if option == 1:                                    # PR_SET_PDEATHSIG
        return f"prctl({name}, {sig_text(s32(a[1]))})"
    if option in (23, 24):                             # PR_CAPBSET_READ/DROP
        cap = s32(a[1])
        shown = C.CAPABILITIES[cap] if 0 <= cap < len(C.CAPABILITIES) else str(cap)
        return f"prctl({name}, {shown})"
    if option in (2, 4, 8, 22, 36):
        return f"prctl({name}, {_ptr(a[1]) if option == 2 else a[1]})"
    return f"prctl({name}, {', '.join(str(v) for v in a[1:5])})"


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
    "open": _open, "openat": _open, "futex": _futex, "prctl": _prctl, "ptrace": _ptrace,
    "ioctl": _ioctl,
}


def format_args(ev: dict, strsize: int = 32, raw: bool = False) -> str:
    """The call text: name(args)."""
    return _format_args(_syscall_of(ev), ev, strsize, raw)


def _syscall_of(ev: dict) -> Syscall:
    return lookup(ev["nr"]) if "nr" in ev else BY_NAME[ev["name"]]


def _format_args(sc: Syscall, ev: dict, strsize: int, raw: bool) -> str:
    if not sc.params:
        return sc.name + "()"
    call = _Call(ev, sc, strsize)
    special = SPECIAL.get(sc.name)
    if special is not None:
        return special(call, raw)
    params = ", ".join([_format_param(call, i, p.kind) for i, p in enumerate(sc.params)])
    return f"{sc.name}({params})"


def format_result(ev: dict) -> str:
    """The result text: 3</etc/passwd>, 0x7f..., -1 ENOENT (No such file or directory), ?."""
    return _format_result(_syscall_of(ev), ev)


def _format_result(sc: Syscall, ev: dict) -> str:
    ret = ev.get("ret")
    err = ev.get("err")
    if ret is None and err is None:
        return "?"
    if err is None and ret is not None:
        err = errno_name(ret)
    if err is not None:
        prefix = "?" if err.startswith("ERESTART") else "-1"
        return f"{prefix} {err} ({errno_message(err)})"
    name = sc.name
    value = s64(ret)
    if sc.returns == "addr":
        return hex(value & 0xFFFFFFFFFFFFFFFF)
    if sc.returns == "fd" or (name == "fcntl" and s32(ev["args"][1]) in (
            C.F_DUPFD, C.F_DUPFD_CLOEXEC)):
        return fd_text(str(value), (ev.get("fds") or {}).get(str(value)))
    if sc.returns == "mode":
        return mode(value)
    if name == "poll":
        return poll_result(ev, value)
    if name in ("select", "pselect6"):
        return select_result(ev, sc, value)
    if name == "ppoll" and value == 0:
        return "0 (Timeout)"
    if name == "prctl" and s32(ev["args"][0]) == 3 and value in C.SUID_DUMP:
        return f"{value} ({C.SUID_DUMP[value]})"
    if name == "fcntl" and value:
        cmd = s32(ev["args"][1])
        if cmd == C.F_GETFL:
            return f"{value:#x} (flags {open_flags(value)})"
        if cmd == C.F_GETFD:
            return f"{value:#x} (flags {flags(value, C.FD_FLAGS)})"
    return str(value)


def format_call(ev: dict, strsize: int = 32, raw: bool = False) -> tuple[str, str]:
    """(call text, result text) in strace's syntax for one syscall event.

    Never raises: an event this code cannot make sense of is shown with raw hex arguments.
    """
    try:
        sc = _syscall_of(ev)
        return _format_args(sc, ev, strsize, raw), _format_result(sc, ev)
    except Exception:  # noqa: BLE001 - a bad event must not stop a trace being shown
        return _fallback(ev)


def _fallback(ev: dict) -> tuple[str, str]:
    """Whatever can be said of a malformed event: its name and raw values."""
    name = ev.get("name") if isinstance(ev.get("name"), str) else f"syscall_{ev.get('nr')}"
    args = ev.get("args") if isinstance(ev.get("args"), list) else []
    shown = ", ".join(hex(a) if isinstance(a, int) else "?" for a in args)
    ret = ev.get("ret")
    return f"{name}({shown})", str(ret) if isinstance(ret, int) else "?"


# ============================================================================================
# Signal delivery lines: --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, ...} ---
# ============================================================================================

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
