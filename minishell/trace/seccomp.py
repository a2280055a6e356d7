"""A seccomp-bpf filter so the tracee stops only at the system calls being traced.

Without it, `-e trace=process` still stops the tracee twice at *every* call and the
tracer throws most stops away.  seccomp lets a process attach a tiny BPF program to
itself that the kernel runs at each system call: here it answers SECCOMP_RET_TRACE
("stop and tell the tracer", a PTRACE_EVENT_SECCOMP stop) for the selected numbers and
SECCOMP_RET_ALLOW for the rest, which then run at full speed.  The filter is inherited
across fork and kept across execve, so it must be installed in the child after the
tracer has attached (RET_TRACE with no tracer fails the call with ENOSYS) and only when
children are followed.  This is what `strace --seccomp-bpf` does.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Iterable

# linux/filter.h, linux/seccomp.h, linux/audit.h
BPF_LD_W_ABS = 0x20        # BPF_LD | BPF_W | BPF_ABS: load a 32-bit word of seccomp_data
BPF_JEQ_K = 0x15           # BPF_JMP | BPF_JEQ | BPF_K
BPF_JGE_K = 0x35           # BPF_JMP | BPF_JGE | BPF_K
BPF_RET_K = 0x06           # BPF_RET | BPF_K
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_TRACE = 0x7FF00000
AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
OFFSET_NR, OFFSET_ARCH = 0, 4   # struct seccomp_data { int nr; __u32 arch; ... }
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_SET_MODE_FILTER = 1
NR_SECCOMP = 317

_INSN = struct.Struct("<HBBI")   # struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return _INSN.pack(code, jt, jf, k)


def build_filter(traced: Iterable[int], known: Iterable[int]) -> bytes:
    """The BPF program: RET_TRACE for the traced numbers, RET_ALLOW for the others.

    It lists whichever of the two sets is smaller (a `!` selection traces almost all),
    each entry a compare plus a return.  Calls of another ABI (i386, x32) are always
    traced: their numbers mean other calls, so better shown than silently let through.
    """
    traced = set(traced)
    untraced = set(known) - traced
    listed, hit, miss = ((sorted(traced), SECCOMP_RET_TRACE, SECCOMP_RET_ALLOW)
                         if len(traced) <= len(untraced)
                         else (sorted(untraced), SECCOMP_RET_ALLOW, SECCOMP_RET_TRACE))
    prog = [
        _insn(BPF_LD_W_ABS, OFFSET_ARCH),
        _insn(BPF_JEQ_K, AUDIT_ARCH_X86_64, jt=1),
        _insn(BPF_RET_K, SECCOMP_RET_TRACE),
        _insn(BPF_LD_W_ABS, OFFSET_NR),
        _insn(BPF_JGE_K, X32_SYSCALL_BIT, jf=1),
        _insn(BPF_RET_K, SECCOMP_RET_TRACE),
    ]
    for nr in listed:
        prog.append(_insn(BPF_JEQ_K, nr, jf=1))   # not this one: skip its return
        prog.append(_insn(BPF_RET_K, hit))
    prog.append(_insn(BPF_RET_K, miss))
    return b"".join(prog)


class _SockFprog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_void_p))


def install(program: bytes) -> None:
    """Attach the filter to the calling process (called in the traced child).

    PR_SET_NO_NEW_PRIVS is what lets an unprivileged process install a filter: it
    promises that no exec will ever gain privileges (set-uid) under this filter."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    code = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // _INSN.size, ctypes.addressof(code))
    libc.syscall.restype = ctypes.c_long
    if libc.syscall(NR_SECCOMP, SECCOMP_SET_MODE_FILTER, 0, ctypes.byref(fprog)) != 0:
        raise OSError(ctypes.get_errno(), "seccomp(SECCOMP_SET_MODE_FILTER)")
