"""The ptrace engine: how one process watches another's system calls.

A tracer attaches to a thread with ptrace(PTRACE_SEIZE).  From then on the kernel stops
that thread at the events the tracer asked for -- each system call entry and exit
(PTRACE_SYSCALL), fork/vfork/clone/exec, each signal about to be delivered, group-stops
-- and reports each stop to the tracer's waitpid().  The tracer looks at the stopped
thread (its registers through PTRACE_GET_SYSCALL_INFO, its memory through
process_vm_readv, its fds through /proc) and lets it run again.  Every system call
therefore costs two stops and four context switches: that is why tracing is slow,
and why this loop records compact events and leaves formatting to whoever shows them.

Why not python-ptrace (a dependency of the project)?  Its debugger is not fit to build
on: it polls, desyncs after a failed execve and reads memory through a stale
/proc/PID/mem.  Its bindings would give us a dozen constants and two ctypes structures,
and lack what this loop needs (PTRACE_SEIZE, _INTERRUPT, _LISTEN, _GET_SYSCALL_INFO,
process_vm_readv) -- but importing them costs 22 ms, a third of minitrace's start-up
(ptrace.ctypes_libc runs find_library("c"), which spawns ldconfig; ptrace.error pulls in
logging and inspect), and start-up is most of the cost of a filtered trace
(`-e trace=process` with seccomp).  So ptrace(2) is called through ctypes directly,
with the constants of linux/ptrace.h below.  python-ptrace serves where it costs nothing
at run time: its syscall prototypes name and type every argument
(scripts/gen_syscalls.py generates minishell/trace/_table.py from them).
"""

from __future__ import annotations

import ctypes
import os
import signal
import struct
import time
from collections.abc import Callable, Iterable
from time import monotonic

from minishell import procfs
from minishell.signals import signal_name
from minishell.trace.events import (
    Event,
    ExecEvent,
    ExitEvent,
    SignalEvent,
    SpawnEvent,
    StartEvent,
    StopEvent,
    SyscallEvent,
)
from minishell.trace.syscalls import BY_NAME, BY_NR

# linux/ptrace.h
PTRACE_CONT, PTRACE_DETACH, PTRACE_SYSCALL = 7, 17, 24
PTRACE_GETEVENTMSG, PTRACE_GETSIGINFO = 0x4201, 0x4202
PTRACE_SEIZE = 0x4206
PTRACE_INTERRUPT = 0x4207
PTRACE_LISTEN = 0x4208
PTRACE_GET_SYSCALL_INFO = 0x420E
PTRACE_O_TRACESYSGOOD, PTRACE_O_TRACEFORK, PTRACE_O_TRACEVFORK = 0x1, 0x2, 0x4
PTRACE_O_TRACECLONE, PTRACE_O_TRACEEXEC, PTRACE_O_TRACESECCOMP = 0x8, 0x10, 0x80
PTRACE_O_EXITKILL = 1 << 20
PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK, PTRACE_EVENT_CLONE, PTRACE_EVENT_EXEC = 1, 2, 3, 4
SPAWN_EVENTS = (PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK, PTRACE_EVENT_CLONE)
PTRACE_EVENT_SECCOMP = 7
PTRACE_EVENT_STOP = 128
SYSCALL_INFO_ENTRY, SYSCALL_INFO_EXIT, SYSCALL_INFO_SECCOMP = 1, 2, 3
WALL = 0x40000000  # waitpid(__WALL): threads are tracees too
CLONE_THREAD = 0x10000
SYSCALL_TRAP = signal.SIGTRAP | 0x80  # what TRACESYSGOOD makes a syscall-stop report
STOP_SIGNALS = {signal.SIGSTOP, signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU}
NR_EXECVE, NR_EXECVEAT, NR_CLONE, NR_CLONE3, NR_CLOSE, NR_DUP2, NR_DUP3 = (
    BY_NAME[name].nr for name in ("execve", "execveat", "clone", "clone3", "close", "dup2",
                                  "dup3"))
NR_RT_SIGRETURN = BY_NAME["rt_sigreturn"].nr
CWD_CHANGERS = frozenset(BY_NAME[name].nr for name in ("chdir", "fchdir", "chroot"))
AT_FDCWD = -100
# calls after which any fd of the process may be another file: exec (O_CLOEXEC),
# close_range, io_uring (can close fds), unshare and clone (CLONE_FILES)
FD_TABLE_CHANGERS = frozenset(BY_NAME[name].nr for name in (
    "execve", "execveat", "close_range", "io_uring_enter", "unshare", "clone", "clone3"))
# calls after which an open file may have another name (or be "(deleted)") in every process
NAME_CHANGERS = frozenset(BY_NAME[name].nr for name in (
    "rename", "renameat", "renameat2", "unlink", "unlinkat", "rmdir"))
# calls that may copy an fd (capture.duplicated_fd says whether this one did)
DUPLICATORS = frozenset(BY_NAME[name].nr for name in ("dup", "dup2", "dup3", "fcntl"))
# What _exit_work does after a call (Tracer.exit_work maps each number to these bits; a call
# with none, most of them, costs one dict lookup at exit)
READS_AT_EXIT, CREATES_FDS, CHANGES_FDS = 1, 2, 4
FD_FORGETTERS = (frozenset({NR_CLOSE, NR_DUP2, NR_DUP3}) | CWD_CHANGERS | FD_TABLE_CHANGERS
                 | NAME_CHANGERS)

# The C library the interpreter is linked with, as a PyDLL: its functions are called
# without releasing Python's lock around each call (the loop makes four per system call
# of the tracee; they return at once, and releasing and retaking the lock cost as much).
_libc = ctypes.PyDLL(None, use_errno=True)
# No argtypes: ctypes converts faster without them (0.4 us a call, four calls per syscall).
# Every integer passed fits a C int; pointers are passed as ctypes objects.
_ptrace = _libc.ptrace
_ptrace.restype = ctypes.c_long
_process_vm_readv = _libc.process_vm_readv
_process_vm_readv.restype = ctypes.c_ssize_t
_IOVECS = struct.Struct("<QQQQ")  # two struct iovec: ours (local), then the tracee's (remote)


# siginfo_t (128 bytes): si_signo, si_errno, si_code, then a union: at offset 16 the
# sender's pid and uid (kill, SIGCHLD) or the faulting address (SIGSEGV); for SIGCHLD
# then si_status (or sigqueue's value: 8 bytes at offset 24), si_utime, si_stime.  Kept
# raw: (code, pid, uid, value, utime, stime, addr); what means what for which signal is
# the formatter's business.
_SIGINFO_SIZE = 128
_SIGINFO = struct.Struct("<iii4xiIqqq")
_ADDR = struct.Struct("<16xQ")

# struct ptrace_syscall_info: op, arch, ip, sp, then entry {nr, args[6]} or exit {rval, is_error}
_INFO_SIZE = 88
_ENTRY = struct.Struct("<Q6Q")
_EXIT = struct.Struct("<q")
_SP = struct.Struct("<16xQ")
SYSCALL_STOP_STATUS = SYSCALL_TRAP << 8 | 0x7F  # a wait status meaning "syscall-stop"
_PAGE = os.sysconf("SC_PAGE_SIZE")


class TraceError(Exception):
    """Tracing could not start: the message is the one line the user sees."""


class Interrupted(Exception):
    """The tracer was asked to stop (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT): args[0] is the signal."""


# The signals Python's start-up ignores on its own (Py_InitializeEx): a program we start
# must get them at their default, as from any shell.  Any other signal that arrives
# ignored was ignored by whoever started us (nohup's SIGHUP, a background job's SIGINT)
# and must reach the program ignored, as it would without the tracer.
PYTHON_IGNORES = frozenset({signal.SIGPIPE, signal.SIGXFSZ})
# The signals a tracer reacts to itself (strace's list): Ctrl-C, Ctrl-\, kill, hang-up.
INTERRUPTS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def inherited_ignored() -> frozenset[int]:
    """The signals ignored when the tracer started (call before changing any)."""
    return frozenset(sig for sig in signal.valid_signals()
                     if sig not in PYTHON_IGNORES and signal.getsignal(sig) is signal.SIG_IGN)


def restore_dispositions(ignored: frozenset[int]) -> None:
    """In the child before execve: undo what Python and the tracer changed.  exec resets
    caught signals to SIG_DFL by itself but keeps SIG_IGN, so only ignored ones matter."""
    for sig in signal.valid_signals():
        if sig in ignored:
            signal.signal(sig, signal.SIG_IGN)
        elif signal.getsignal(sig) is signal.SIG_IGN:
            signal.signal(sig, signal.SIG_DFL)


def ptrace_request(request: int, tid: int, addr: int = 0, data: int = 0) -> None:
    """ptrace() that raises OSError, for the calls whose failure matters."""
    if _ptrace(request, tid, addr, data) == -1:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def event_message(tid: int) -> int | None:
    """PTRACE_GETEVENTMSG: the new pid at a fork event, the former tid at an exec event.
    None if the thread is gone (killed by SIGKILL while stopped, for instance) --
    python-ptrace's version raises, and the loop must not die of a vanished tracee."""
    msg = ctypes.c_ulong()
    if _ptrace(PTRACE_GETEVENTMSG, tid, 0, ctypes.byref(msg)) == -1:
        return None
    return msg.value


class TraceeMemory:
    """capture.Memory for the thread currently stopped: process_vm_readv and /proc.

    process_vm_readv copies straight from the tracee's address space in one system call
    (PTRACE_PEEKDATA would take one per 8 bytes, /proc/PID/mem must be reopened at exec).

    fd targets (readlink /proc/PID/fd/N) are remembered per process: most calls name
    an fd, and the readlink cost as much as the rest of the decoding.  The engine
    forgets a target whenever the fd may have changed (see Tracer._forget_fds); the
    cache is on only when every call is traced (a close that is not seen would leave
    a stale name).
    """

    __slots__ = ("pid", "tgid", "targets", "_buf", "_view", "_iov", "_local", "_remote")

    def __init__(self, cache_fds: bool = False) -> None:
        self.pid = 0      # the thread whose memory is read
        self.tgid = 0     # its process: fds belong to processes
        self.targets: dict[tuple[int, int], str] | None = {} if cache_fds else None
        self._buf = ctypes.create_string_buffer(_PAGE)
        self._view = memoryview(self._buf).cast("B")
        self._iov = ctypes.create_string_buffer(_IOVECS.size)
        self._local = ctypes.c_void_p(ctypes.addressof(self._iov))
        self._remote = ctypes.c_void_p(ctypes.addressof(self._iov) + 16)

    def read_bytes(self, addr: int, size: int) -> bytes | None:
        if size <= 0:
            return b""
        if size <= _PAGE:
            buf, view = self._buf, self._view
        else:
            buf = ctypes.create_string_buffer(size)
            view = memoryview(buf).cast("B")
        _IOVECS.pack_into(self._iov, 0, ctypes.addressof(buf), size, addr, size)
        n = _process_vm_readv(self.pid, self._local, 1, self._remote, 1, 0)
        return None if n < 0 else view[:n].tobytes()

    def read_cstring(self, addr: int, limit: int) -> bytes | None:
        """Up to ``limit`` bytes of the NUL-terminated string at addr (without the NUL).
        Never reads across a page boundary in one go: a string can end just before an
        unmapped page."""
        if not addr:
            return None
        out = b""
        want = 256  # most strings are short: copy that much first, then a page at a time
        while len(out) < limit:
            chunk = min(limit - len(out), want, _PAGE - (addr % _PAGE))
            want = _PAGE
            data = self.read_bytes(addr, chunk)
            if not data:
                return out or None
            nul = data.find(b"\0")
            if nul >= 0:
                return out + data[:nul]
            out += data
            addr += len(data)
        return out

    def fd_target(self, fd: int) -> str | None:
        targets = self.targets
        if targets is not None:
            target = targets.get((self.tgid, fd))
            if target is not None:
                return target
        link = "cwd" if fd == AT_FDCWD else f"fd/{fd}"  # strace -y: AT_FDCWD</its/cwd>
        try:
            target = os.readlink(f"/proc/{self.pid}/{link}")
        except OSError:
            return None
        if targets is not None:
            targets[self.tgid, fd] = target
        return target


def exit_work_table(capture) -> dict[int, int]:
    """System call number -> what the engine must do when that call returns: read what
    it wrote (capture's exit plan), name the fds it created, forget fds it changed."""
    table = {}
    for sc in BY_NR.values():
        creates = capture.may_create_fds(sc)
        work = ((READS_AT_EXIT if capture.reads_at_exit(sc) else 0)
                | (CREATES_FDS | CHANGES_FDS if creates else 0)
                | (CHANGES_FDS if sc.nr in FD_FORGETTERS else 0))
        if work:
            table[sc.nr] = work
    return table


def fd_table(table: dict[int, str]) -> dict[str, str]:
    """An fd table as events hold it (JSON keys are strings)."""
    return {str(fd): target for fd, target in table.items()}


class Tracer:
    """Runs the ptrace loop over a set of tracees and passes each event to ``emit``.

    follow: trace children and threads (PTRACE_O_TRACEFORK/VFORK/CLONE).
    selected: the syscall numbers to record (None = all).
    seccomp: the tracee installed a filter that stops it only at ``selected`` calls
             (PTRACE_EVENT_SECCOMP); resume with PTRACE_CONT between them.
    decoding: read arguments from the tracee's memory (capture.capture_*).
    record_fds: add the targets of created fds and the page-fault counters to each call.
    on_entry: called at each recorded syscall entry with the tracee stopped (--step).
    emit_call: where the loop sends each completed call (default: emit); a renderer that
               takes them straight saves a call per system call.
    """

    def __init__(self, emit: Callable[[Event], None], *, follow: bool = True,
                 selected: frozenset[int] | None = None, seccomp: bool = False,
                 decoding: bool = True, strsize: int = 32, record_fds: bool = False,
                 on_entry: Callable[[SyscallEvent], None] | None = None,
                 emit_call: Callable[[SyscallEvent], None] | None = None) -> None:
        self.emit = emit
        self.emit_call = emit_call or emit
        self.follow = follow
        self.selected = selected
        self.seccomp = seccomp
        self.decoding = decoding
        if decoding:  # -c needs no decoding: do not even load it
            from minishell.trace import capture
            self.capture_entry = capture.capture_entry
            self.capture_exit = capture.capture_exit
            self.created_fds = capture.created_fds
            self.duplicated_fd = capture.duplicated_fd
            self.env_count = capture.env_count
            self.exit_work = exit_work_table(capture)
        self.strsize = strsize
        self.record_fds = record_fds
        self.on_entry = on_entry
        # No PTRACE_O_EXITKILL, as strace (without --kill-on-exit): if the tracer is
        # killed, the kernel detaches its tracees and they run on.
        self.options = (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC
                        | (PTRACE_O_TRACESECCOMP if seccomp else 0))
        if follow:
            self.options |= (PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK
                             | PTRACE_O_TRACECLONE)
        self.t0 = time.monotonic()
        self.epoch = time.time()
        self.tgid: dict[int, int] = {}              # every traced thread -> its process
        self.pending: dict[int, SyscallEvent] = {}  # thread -> the call it is inside
        self.stopped: set[int] = set()              # processes in a group-stop
        self.roots: dict[int, int | None] = {}      # root pid -> its wait status
        self.prestart: int | None = None            # launched root, before its execve
        self.attached: dict[int, bool] = {}         # attached pid -> was it stopped before
        self.mem = TraceeMemory(cache_fds=decoding and selected is None)
        self._info = ctypes.create_string_buffer(_INFO_SIZE)
        self.waiting = False                        # blocked in waitpid (signal handlers)
        self.stop_requested = 0                     # a signal asked the loop to stop
        self.ignored = inherited_ignored()          # what the program must find ignored

    # --- starting -------------------------------------------------------------------

    def launch(self, path: str, argv: list[str],
               before_exec: Callable[[], None] | None = None) -> int:
        """Fork, let the tracer seize the child, then exec the program in it.

        The child waits on a pipe until the parent has seized it, so not one of the
        program's system calls is missed; the child's own calls before execve are not
        shown.  ``before_exec`` runs in the child once traced (installs seccomp)."""
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: no return from this branch
            try:
                os.close(w)
                restore_dispositions(self.ignored)
                if os.read(r, 1) == b"g":
                    os.close(r)
                    if before_exec:
                        before_exec()
                    os.execv(path, argv)
            except BaseException as e:  # noqa: BLE001 - report anything, then die
                os.write(2, f"minitrace: cannot run {argv[0]}: {e}\n".encode())
            finally:
                os._exit(127)
        os.close(r)
        try:
            ptrace_request(PTRACE_SEIZE, pid, 0, self.options)
            ptrace_request(PTRACE_INTERRUPT, pid)
            os.waitpid(pid, WALL)                     # the interrupt's PTRACE_EVENT_STOP
            self._resume(pid, 0)
        except OSError as e:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(w)
            raise TraceError(f"ptrace(PTRACE_SEIZE, {pid}): {e.strerror}") from None
        self.tgid[pid] = pid
        self.roots[pid] = None
        self.prestart = pid
        # The program's table is what will survive execve: not the tracer's own fds
        # (its -o file, the launch pipe: all close-on-exec), but all it inherits.
        self.emit(StartEvent(pid, self._now(), list(argv), os.getcwd(),
                             fd_table(procfs.exec_fds(pid)), False, self.epoch))
        os.write(w, b"g")
        os.close(w)
        return pid

    def attach(self, pid: int) -> None:
        """Seize every thread of a running process (-p); threads born meanwhile too."""
        if not os.path.isdir(f"/proc/{pid}"):
            raise TraceError(f"attach: process {pid}: no such process")
        self.attached[pid] = procfs.state(pid) == "T"
        seen: set[int] = set()
        while True:
            try:
                tids = {int(t) for t in os.listdir(f"/proc/{pid}/task")} - seen
            except OSError:
                tids = set()
            if not tids:
                break
            for tid in sorted(tids):
                seen.add(tid)
                try:
                    ptrace_request(PTRACE_SEIZE, tid, 0, self.options)
                    ptrace_request(PTRACE_INTERRUPT, tid)
                except OSError as e:
                    if tid == pid:
                        self.detach_all()
                        raise TraceError(f"attach: ptrace(PTRACE_SEIZE, {pid}): "
                                         f"{e.strerror}") from None
                    continue  # a thread that exited meanwhile
                self.tgid[tid] = pid
        self.roots[pid] = None
        cwd = None
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            pass
        self.emit(StartEvent(pid, self._now(), procfs.cmdline(pid), cwd,
                             fd_table(procfs.fds(pid)), True, self.epoch))

    # --- the loop ---------------------------------------------------------------------

    def _now(self) -> float:
        return time.monotonic() - self.t0

    def _resume(self, tid: int, sig: int) -> None:
        """Let a stopped thread run to its next stop.  With seccomp, only a thread inside
        a traced call needs PTRACE_SYSCALL (to see the exit); others run to the filter."""
        if self.seccomp and tid not in self.pending:
            _ptrace(PTRACE_CONT, tid, 0, sig)
        else:
            _ptrace(PTRACE_SYSCALL, tid, 0, sig)

    def run(self) -> None:
        """Handle stops until no tracee is left.

        This loop runs twice per system call of every tracee, so the common case -- a
        syscall-stop -- is handled inline with everything in local variables."""
        waitpid, ptrace, pending = os.waitpid, _ptrace, self.pending
        info = self._info
        op_of = memoryview(info).cast("B")
        entry_regs, exit_ret = _ENTRY.unpack_from, _EXIT.unpack_from
        entry, exit_, emit = self._entry, self._exit, self.emit_call
        seccomp = self.seccomp
        while True:
            self.waiting = True
            if self.stop_requested:
                raise Interrupted(self.stop_requested)
            try:
                tid, status = waitpid(-1, WALL)
            except ChildProcessError:
                self.waiting = False
                return
            self.waiting = False
            if status == SYSCALL_STOP_STATUS:
                ptrace(PTRACE_GET_SYSCALL_INFO, tid, _INFO_SIZE, info)
                op = op_of[0]
                done = None
                if op == SYSCALL_INFO_ENTRY:
                    entry(tid, entry_regs(info, 24))
                elif op == SYSCALL_INFO_EXIT:
                    done = pending.pop(tid, None)
                    if done is not None:  # read what it wrote while the thread is stopped
                        exit_(done, exit_ret(info, 24)[0])
                if seccomp and tid not in pending:
                    ptrace(PTRACE_CONT, tid, 0, 0)
                else:
                    ptrace(PTRACE_SYSCALL, tid, 0, 0)
                if done is not None:  # shown once the thread runs again: on a second
                    emit(done)        # CPU, the text is made while the program goes on
            elif status & 0xFF != 0x7F:
                self._exited(tid, status)
            elif status >> 16:
                self._ptrace_event(tid, status >> 16, (status >> 8) & 0xFF)
            else:
                self._signal(tid, (status >> 8) & 0xFF)

    def _entry(self, tid: int, regs: tuple[int, ...]) -> None:
        nr = regs[0]
        if self.prestart == tid:
            if nr != NR_EXECVE and nr != NR_EXECVEAT:
                return  # the child's own set-up before it runs the program
            self.prestart = None
        if self.selected is not None and nr not in self.selected:
            return
        args = regs[1:]
        if nr == NR_RT_SIGRETURN:  # no arguments: its "argument" is the stack pointer, where
            args = (_SP.unpack_from(self._info)[0],) + args[1:]  # the signal frame is
        pid = self.tgid.get(tid) or self._adopt(tid)
        cap = None
        if self.decoding:
            sc = BY_NR.get(nr)
            if sc is not None:
                mem = self.mem
                mem.pid, mem.tgid = tid, pid
                cap = self.capture_entry(sc, args, mem, self.strsize)
        ev = SyscallEvent(pid, tid, monotonic() - self.t0, nr, args, cap)
        self.pending[tid] = ev
        if self.on_entry is not None:
            self.on_entry(ev)

    def _exit(self, ev: SyscallEvent, ret: int) -> None:
        """The call returned: complete its event (the loop emits it)."""
        ev.end = monotonic() - self.t0
        ev.ret = ret
        if self.decoding:
            work = self.exit_work.get(ev.nr)  # None: nothing to do after this call
            if work is not None:
                self._exit_work(ev, ret, work)
        if self.record_fds:
            ev.flt = procfs.page_faults(ev.pid, ev.tid)

    def _exit_work(self, ev: SyscallEvent, ret: int, work: int) -> None:
        """At exit: what the call wrote, and the fds it made or changed (EXIT_WORK)."""
        sc, mem = BY_NR[ev.nr], self.mem
        mem.pid, mem.tgid = ev.tid, ev.pid
        if work & READS_AT_EXIT:
            ev.cap = self.capture_exit(sc, ev.args, ret, ev.cap, mem, self.strsize)
        if mem.targets is not None and work & CHANGES_FDS:
            self._forget_fds(ev)  # first: dup2's new fd must not show its old file
        if work & CREATES_FDS and ret >= 0:
            old = self.duplicated_fd(sc, ev.args) if ev.nr in DUPLICATORS else None
            if old is not None and mem.targets is not None and ev.cap:
                # a dup names the same open file: the old fd's path, no readlink
                path = ev.cap.get("y", {}).get(str(old))
                if path is not None:
                    mem.targets[ev.pid, ret] = path
            fds = self.created_fds(sc, ev.args, ret, ev.cap, mem)
            if fds:
                ev.fds = named = {}
                for fd in fds:
                    named[str(fd)] = mem.fd_target(fd) or "?"

    def _forget_fds(self, ev: SyscallEvent) -> None:
        """Drop remembered fd targets this call may have changed.  Creating an fd takes
        a free number, and a number is only free after a close seen here -- except
        for the fds a call returns, forgotten to be safe (one may have been closed
        behind our back, by io_uring for instance)."""
        targets, nr, ret = self.mem.targets, ev.nr, ev.ret
        if nr == NR_CLOSE:
            targets.pop((ev.pid, ev.args[0] & 0xFFFFFFFF), None)
        elif nr in (NR_DUP2, NR_DUP3):
            targets.pop((ev.pid, ev.args[1] & 0xFFFFFFFF), None)
        elif nr in CWD_CHANGERS:
            targets.pop((ev.pid, AT_FDCWD), None)
        elif nr in FD_TABLE_CHANGERS:  # but the cwd: no call of these changes it
            for key in [k for k in targets if k[0] == ev.pid and k[1] != AT_FDCWD]:
                del targets[key]
        elif nr in NAME_CHANGERS and ret == 0:
            targets.clear()
        if 0 <= ret < 1 << 20 and self.exit_work[nr] & CREATES_FDS:
            targets.pop((ev.pid, ret), None)

    def _adopt(self, tid: int) -> int:
        """A thread seen before the event that created it: find its process."""
        pid = self.tgid[tid] = procfs.tgid(tid)
        return pid

    def _ptrace_event(self, tid: int, event: int, sig: int) -> None:
        if event == PTRACE_EVENT_SECCOMP:
            self._ptrace_info_entry(tid)
        elif event in SPAWN_EVENTS:
            self._spawned(tid, event)
        elif event == PTRACE_EVENT_EXEC:
            self._execed(tid)
        elif event == PTRACE_EVENT_STOP:
            if sig in STOP_SIGNALS:
                self._group_stop(tid, sig)
                return
            pid = self.tgid.get(tid)  # None: a new child, stopped before its parent's event
            if pid is not None:
                self._continued(pid)
        self._resume(tid, 0)

    def _ptrace_info_entry(self, tid: int) -> None:
        """A seccomp stop: the filter said this call is traced."""
        _ptrace(PTRACE_GET_SYSCALL_INFO, tid, _INFO_SIZE, self._info)
        if self._info.raw[0] == SYSCALL_INFO_SECCOMP:
            self._entry(tid, _ENTRY.unpack_from(self._info, 24))

    def _spawned(self, tid: int, event: int) -> None:
        child = event_message(tid)
        if child is None:
            return
        pid = self.tgid.get(tid) or self._adopt(tid)
        if event == PTRACE_EVENT_FORK:
            kind = "fork"
        elif event == PTRACE_EVENT_VFORK:
            kind = "vfork"
        else:
            kind = "thread" if self._clone_flags(tid, child) & CLONE_THREAD else "clone"
        targets = self.mem.targets
        if kind in ("fork", "vfork") and targets is not None and child not in self.tgid:
            # the child's fd table (and cwd) is a copy of its parent's: so are the names
            # remembered -- unless the child already ran, seen before this event
            for (owner, fd), target in list(targets.items()):
                if owner == pid:
                    targets[child, fd] = target
        self.tgid[child] = pid if kind == "thread" else child
        if kind == "clone":  # maybe CLONE_FILES: two processes, one fd table
            self.mem.targets = None
        if self.prestart != tid:
            self.emit(SpawnEvent(pid, self._now(), child, kind))

    def _clone_flags(self, tid: int, child: int) -> int:
        ev = self.pending.get(tid)
        if ev is not None and ev.nr == NR_CLONE:
            return ev.args[0]
        if ev is not None and ev.nr == NR_CLONE3:
            self.mem.pid = tid
            raw = self.mem.read_bytes(ev.args[0], 8)
            if raw and len(raw) == 8:
                return int.from_bytes(raw, "little")
        # clone not traced (seccomp, -e): ask /proc whether the child shares the process
        return CLONE_THREAD if procfs.tgid(child) == self.tgid.get(tid, tid) else 0

    def _execed(self, tid: int) -> None:
        """execve succeeded.  If a non-leader thread called it, that thread now has the
        process id and every other thread is gone (execve(2), "all threads other than
        the calling thread are destroyed")."""
        old = event_message(tid) or tid
        pid = self.tgid.get(tid) or tid
        if old != tid:
            # The leader's call (and every other thread's) never returns: show each as
            # strace does, "= ?", before the exec takes over the leader's pid.
            for other in sorted(t for t, p in self.tgid.items() if p == pid and t != old):
                gone = self.pending.pop(other, None)
                if gone is not None:
                    self.emit(gone)
                if other != tid:
                    del self.tgid[other]
            ev = self.pending.pop(old, None)
            if ev is not None:
                ev.tid = tid
                self.pending[tid] = ev
            self.tgid.pop(old, None)
            self.tgid[tid] = pid
        if self.prestart == tid:
            self.prestart = None
        call = self.pending.get(tid)  # the execve, still pending: its exit stop comes next
        envc = None
        if self.decoding and call is not None and call.nr in BY_NR:
            envc = self.env_count(BY_NR[call.nr], call.cap)  # counted at entry: no read
        if envc is None:
            envc = procfs.read(tid, "environ").count(b"\0")
        path = None
        try:
            path = os.readlink(f"/proc/{tid}/exe")
        except OSError:
            pass
        # the kernel's table after exec (close-on-exec fds gone), for the fd pictures
        fds = fd_table(procfs.fds(tid)) if self.record_fds else None
        self.emit(ExecEvent(pid, self._now(), path, procfs.cmdline(tid), envc,
                            old if old != tid else None, fds))

    def _group_stop(self, tid: int, sig: int) -> None:
        """A stop signal stopped the process: keep it stopped, yet hear of SIGCONT."""
        pid = self.tgid.get(tid) or self._adopt(tid)
        if pid not in self.stopped and self.prestart != pid:
            self.stopped.add(pid)
            self.emit(StopEvent(pid, self._now(), signal_name(sig), "stop"))
        _ptrace(PTRACE_LISTEN, tid, 0, 0)

    def _continued(self, pid: int) -> None:
        if pid in self.stopped:
            self.stopped.discard(pid)
            self.emit(StopEvent(pid, self._now(), "SIGCONT", "cont"))

    def _signal(self, tid: int, sig: int) -> None:
        """A signal is about to be delivered: record it, then deliver it."""
        pid = self.tgid.get(tid) or self._adopt(tid)
        if self.prestart != pid:
            if sig == signal.SIGCONT:
                self._continued(pid)
            info = ctypes.create_string_buffer(_SIGINFO_SIZE)
            sender = fields = None
            if _ptrace(PTRACE_GETSIGINFO, tid, 0, info) == 0:
                fields = _SIGINFO.unpack_from(info)[2:] + _ADDR.unpack_from(info)
                code, sender_pid = fields[0], fields[1]
                if code <= 0 or sig == signal.SIGCHLD:  # sent by a process (SI_USER...)
                    sender = sender_pid
            self.emit(SignalEvent(pid, tid, self._now(), signal_name(sig), sender, fields))
        self._resume(tid, sig)

    def _exited(self, tid: int, status: int) -> None:
        pid = self.tgid.pop(tid, None)
        if pid is None:
            return  # a thread already accounted for (exec took its place)
        ev = self.pending.pop(tid, None)
        if ev is not None:
            self.emit(ev)  # a call that never returned: exit_group, or killed inside it
        self.stopped.discard(tid)
        if tid == pid and self.mem.targets:  # its pid may be reused for another process
            for key in [k for k in self.mem.targets if k[0] == pid]:
                del self.mem.targets[key]
        if tid in self.roots:
            self.roots[tid] = status
        if status & 0x7F == 0:
            code, sig, core = (status >> 8) & 0xFF, None, False
        else:
            code, sig, core = None, signal_name(status & 0x7F), bool(status & 0x80)
        if self.prestart != tid:
            self.emit(ExitEvent(tid, self._now(), code, sig, core))

    # --- stopping early ---------------------------------------------------------------

    def interrupt(self, sig: int) -> None:
        """The tracer got SIGINT/SIGTERM/SIGHUP/SIGQUIT: what strace's cleanup() does.
        The program we launched gets SIGCONT and the same signal (its handler runs, or
        it dies of it, as if nobody traced it); then every tracee is let go."""
        for pid, status in self.roots.items():
            # only a launched program still ours (an exited one's pid may be reused)
            if pid not in self.attached and status is None and pid in self.tgid:
                for send in (signal.SIGCONT, sig):
                    try:
                        os.kill(pid, send)
                    except ProcessLookupError:
                        pass
        self.detach_all()

    def kill_all(self) -> None:
        """The tracer itself failed: kill every tracee and reap them, rather than leave
        them stopped or running half-traced."""
        for pid in set(self.tgid.values()):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._drain()

    def _drain(self) -> None:
        while True:
            try:
                tid, status = os.waitpid(-1, WALL)
            except ChildProcessError:
                return
            if status & 0xFF != 0x7F:
                self._exited(tid, status)

    def detach_all(self) -> None:
        """Let every thread go, running as before (Ctrl-C; for `-p`, as it was).

        PTRACE_DETACH needs a thread in a ptrace-stop.  A thread caught between its
        stop and our resume is detached at once; the others are interrupted and
        detached when they report (a signal about to be delivered is passed on by
        the detach itself).  If a thread never reports, exiting releases it: the
        kernel detaches every tracee of a tracer that exits."""
        left, done = set(), set()
        for tid in self.tgid:
            if _ptrace(PTRACE_DETACH, tid, 0, 0) == 0:
                done.add(tid)
            else:
                _ptrace(PTRACE_INTERRUPT, tid, 0, 0)
                left.add(tid)
        deadline = time.monotonic() + 5
        while left and time.monotonic() < deadline:
            try:
                tid, status = os.waitpid(-1, WALL | os.WNOHANG)
            except ChildProcessError:
                break
            if tid == 0:
                time.sleep(0.001)
                continue
            if status & 0xFF != 0x7F:
                left.discard(tid)
                self._exited(tid, status)
                continue
            sig, event = (status >> 8) & 0xFF, status >> 16
            if event in SPAWN_EVENTS:
                child = event_message(tid)  # born meanwhile: it stops too
                if child is not None and child not in done:
                    left.add(child)
            deliver = sig if not event and sig != SYSCALL_TRAP else 0
            _ptrace(PTRACE_DETACH, tid, 0, deliver)
            left.discard(tid)
            done.add(tid)
        self.tgid.clear()
        self.pending.clear()
        for pid, was_stopped in self.attached.items():
            if not was_stopped and procfs.state(pid) == "T":
                try:
                    os.kill(pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass


def install_signal_handlers(tracer: Tracer, signals: Iterable[int] = INTERRUPTS) -> None:
    """Turn Ctrl-C and friends into Interrupted, so the tracer can clean up.

    The exception is raised only out of waitpid: raised anywhere else it could
    abandon a thread between its stop and its resume.  Otherwise the loop raises it
    before its next wait."""
    def handler(signum: int, _frame: object) -> None:
        if tracer.waiting:
            raise Interrupted(signum)
        tracer.stop_requested = signum

    for sig in signals:
        signal.signal(sig, handler)
