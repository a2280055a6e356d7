"""Reference solution of lesson 7's exercise in Python: ptrace through ctypes, stdlib only."""

import ctypes
import os
import signal
import sys

PTRACE_TRACEME, PTRACE_GETREGS, PTRACE_SYSCALL, PTRACE_SETOPTIONS = 0, 12, 24, 0x4200
PTRACE_O_TRACESYSGOOD, PTRACE_O_EXITKILL = 1, 0x100000
ORIG_RAX = 15  # index of orig_rax in struct user_regs_struct (27 unsigned longs)
SYS_WRITE = 1

libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.restype = ctypes.c_long
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]


def main() -> int:
    if len(sys.argv) < 2:
        print("usage: count PROG [ARGS...]", file=sys.stderr)
        return 2
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        libc.ptrace(PTRACE_TRACEME, 0, None, None)
        try:
            os.execvp(sys.argv[1], sys.argv[1:])
        except OSError as e:
            print(f"count: {sys.argv[1]}: {e.strerror}", file=sys.stderr)
            os._exit(127)
    os.waitpid(pid, 0)  # stopped after execve
    libc.ptrace(PTRACE_SETOPTIONS, pid, None, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)
    regs = (ctypes.c_ulong * 27)()
    writes = total = 0
    in_call, deliver = False, 0
    while True:
        libc.ptrace(PTRACE_SYSCALL, pid, None, deliver)
        deliver = 0
        _, status = os.waitpid(pid, 0)
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            break
        if os.WSTOPSIG(status) == signal.SIGTRAP | 0x80:
            in_call = not in_call
            if in_call:
                libc.ptrace(PTRACE_GETREGS, pid, None, ctypes.byref(regs))
                total += 1
                writes += regs[ORIG_RAX] == SYS_WRITE
        else:
            deliver = os.WSTOPSIG(status)  # a real signal: pass it on
    print(f"write calls: {writes}")
    print(f"total calls: {total}")
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else \
        128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main())
