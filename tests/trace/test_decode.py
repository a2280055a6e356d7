"""Decoding: capture from real memory, formatting rules, and properties over any input."""

from __future__ import annotations

import ctypes
import errno
import os
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minishell.trace.capture import capture_entry, capture_exit, created_fds, errno_name
from minishell.trace.explain import explain
from minishell.trace.strace_format import format_args, format_call
from minishell.trace.strace_values import quote, sigset
from minishell.trace.syscalls import BY_NAME, BY_NR


class SelfMemory:
    """capture.Memory over this very process: addresses of ctypes buffers we keep alive."""

    def __init__(self, targets: dict[int, str] | None = None):
        self.keep: list = []
        self.targets = targets or {}
        self.calls = 0

    def buffer(self, data: bytes) -> int:
        buf = ctypes.create_string_buffer(data, len(data) + 1)
        self.keep.append(buf)
        return ctypes.addressof(buf)

    def pointers(self, addrs: list[int]) -> int:
        array = (ctypes.c_uint64 * (len(addrs) + 1))(*addrs, 0)
        self.keep.append(array)
        return ctypes.addressof(array)

    def read_bytes(self, addr: int, size: int) -> bytes | None:
        self.calls += 1
        return ctypes.string_at(addr, size)

    def read_cstring(self, addr: int, limit: int) -> bytes | None:
        self.calls += 1
        return ctypes.string_at(addr, limit).split(b"\0", 1)[0]

    def fd_target(self, fd: int) -> str | None:
        self.calls += 1
        return self.targets.get(fd)


def event(name: str, args: list[int], ret: int | None, cap=None, **extra) -> dict:
    err = errno_name(ret) if ret is not None else None
    return {"nr": BY_NAME[name].nr, "name": name, "args": args + [0] * (6 - len(args)),
            "ret": -1 if err else ret, "err": err, "cap": cap or {}, **extra}


def decoded(name: str, args: list[int], ret: int | None, mem: SelfMemory,
            strsize: int = 32, **extra) -> tuple[str, str]:
    sc = BY_NAME[name]
    args = args + [0] * (6 - len(args))
    cap = capture_entry(sc, args, mem, strsize)
    cap = capture_exit(sc, args, ret, cap, mem, strsize)
    return format_call(event(name, args, ret, cap, **extra), strsize)


def test_openat_reads_the_path_from_memory():
    mem = SelfMemory()
    path = mem.buffer(b"/etc/passwd")
    text, result = decoded("openat", [-100 & 0xFFFFFFFF, path, os.O_RDONLY | os.O_CLOEXEC], 3,
                           mem, fds={"3": "/etc/passwd"})
    assert text == 'openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC)'
    assert result == "3</etc/passwd>"


def test_openat_creating_shows_the_mode_and_a_failure_its_errno():
    mem = SelfMemory()
    path = mem.buffer(b"/nonexistent/f")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    text, result = decoded("openat", [-100 & 0xFFFFFFFF, path, flags, 0o644], -errno.ENOENT, mem)
    assert text == 'openat(AT_FDCWD, "/nonexistent/f", O_WRONLY|O_CREAT|O_TRUNC, 0644)'
    assert result == "-1 ENOENT (No such file or directory)"


def test_paths_are_never_cut_but_strings_are():
    mem = SelfMemory()
    long_path = b"/" + b"d" * 100
    text, _ = decoded("openat", [-100 & 0xFFFFFFFF, mem.buffer(long_path), 0], 3, mem)
    assert long_path.decode() in text
    data = b"x" * 50
    text, _ = decoded("write", [1, mem.buffer(data), 50], 50, mem)
    assert text == f'write(1, "{"x" * 32}"..., 50)'


def test_read_buffer_is_captured_after_the_call_and_cut_at_strsize():
    mem = SelfMemory({3: "/etc/ld.so.cache"})
    buf = mem.buffer(b"\x7fELF\x02\x01\x01\x00\x00\x00abc" + bytes(20))
    text, result = decoded("read", [3, buf, 832], 832, mem, strsize=8)
    assert text == 'read(3</etc/ld.so.cache>, "\\177ELF\\2\\1\\1\\0"..., 832)'
    assert result == "832"


def test_failed_read_shows_the_buffer_address_only():
    mem = SelfMemory()
    buf = mem.buffer(b"stale")
    text, result = decoded("read", [9, buf, 10], -errno.EBADF, mem)
    assert text == f"read(9, {buf:#x}, 10)"
    assert result == "-1 EBADF (Bad file descriptor)"


def test_execve_argv_and_only_the_count_of_the_environment():
    mem = SelfMemory()
    argv = mem.pointers([mem.buffer(b"ls"), mem.buffer(b"-l"), mem.buffer(b"/tmp")])
    secrets = [mem.buffer(b"PASSWORD=hunter2"), mem.buffer(b"TOKEN=abc123")]
    envp = mem.pointers(secrets + [mem.buffer(b"HOME=/root")])
    path = mem.buffer(b"/usr/bin/ls")
    sc = BY_NAME["execve"]
    cap = capture_entry(sc, [path, argv, envp, 0, 0, 0], mem, 32)
    assert "hunter2" not in repr(cap) and "abc123" not in repr(cap)
    assert cap["2"] == 3
    text, result = format_call(event("execve", [path, argv, envp], 0, cap))
    assert text == f'execve("/usr/bin/ls", ["ls", "-l", "/tmp"], {envp:#x} /* 3 vars */)'
    assert result == "0"


def test_execve_argv_is_cut_after_strsize_elements():
    mem = SelfMemory()
    argv = mem.pointers([mem.buffer(b"a")] * 5)
    sc = BY_NAME["execve"]
    cap = capture_entry(sc, [mem.buffer(b"/bin/x"), argv, 0, 0, 0, 0], mem, 3)
    text, _ = format_call(event("execve", [1, argv, 0], 0, cap), strsize=3)
    assert '["a", "a", "a", ...]' in text and text.endswith(", NULL)")


def test_pipe2_reads_the_pair_after_the_call_and_shows_targets():
    mem = SelfMemory()
    pair = mem.buffer(struct.pack("<ii", 3, 4))
    sc = BY_NAME["pipe2"]
    args = [pair, os.O_CLOEXEC, 0, 0, 0, 0]
    cap = capture_exit(sc, args, 0, capture_entry(sc, args, mem, 32), mem, 32)
    assert created_fds(sc, args, 0, cap) == [3, 4]
    text, _ = format_call(event("pipe2", args, 0, cap,
                                fds={"3": "pipe:[77]", "4": "pipe:[77]"}))
    assert text == "pipe2([3<pipe:[77]>, 4<pipe:[77]>], O_CLOEXEC)"


def test_wait4_status_forms():
    mem = SelfMemory()
    for status, shown in [
        (0, "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]"),
        (3 << 8, "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]"),
        (15, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}]"),
        (11 | 0x80, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}]"),
        (20 << 8 | 0x7F, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTSTP}]"),
        (0xFFFF, "[{WIFCONTINUED(s)}]"),
    ]:
        addr = mem.buffer(struct.pack("<i", status))
        text, result = decoded("wait4", [4242, addr, 0x40000000 | 2, 0], 4242, mem)
        assert text == f"wait4(4242, {shown}, WSTOPPED|__WALL, NULL)"
        assert result == "4242"


def test_fork_and_vfork_are_named_for_what_they_are_unless_raw():
    fork = event("clone", [0x01200011, 0, 0, 0x7F00, 0], 4243)
    assert format_call(fork) == ("fork()", "4243")
    assert format_call(fork, raw=True)[0] == (
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
        "child_tidptr=0x7f00)")
    spawn = event("clone", [0x4111, 0x7F0000, 0, 0, 0], 4244)
    assert format_call(spawn)[0] == "vfork()"
    thread = event("clone", [0x3D0F00, 0x7F0000, 0x7F10, 0x7F10, 0x7F20], 4245)
    assert format_call(thread)[0].startswith("clone(child_stack=0x7f0000, flags=CLONE_VM|")


def test_clone3_as_fork_and_raw():
    mem = SelfMemory()
    args_struct = mem.buffer(struct.pack("<8Q", 0, 0, 0, 0, 17, 0, 0, 0))
    sc = BY_NAME["clone3"]
    args = [args_struct, 88, 0, 0, 0, 0]
    cap = capture_entry(sc, args, mem, 32)
    assert format_call(event("clone3", args, 99, cap)) == ("fork()", "99")
    assert format_call(event("clone3", args, 99, cap), raw=True)[0] == (
        "clone3({flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88)")


def test_rt_sigaction_reads_the_new_action_before_and_the_old_one_after():
    mem = SelfMemory()
    act = mem.buffer(struct.pack("<QQQQ", 1, 0x14000000, 0x7F00, 1 << 1))
    old = mem.buffer(bytes(32))
    sc = BY_NAME["rt_sigaction"]
    args = [2, act, old, 8, 0, 0]
    cap = capture_entry(sc, args, mem, 32)
    ctypes.memmove(act, struct.pack("<QQQQ", 0, 0, 0, 0), 32)   # the kernel may change it
    cap = capture_exit(sc, args, 0, cap, mem, 32)
    text, _ = format_call(event("rt_sigaction", args, 0, cap))
    assert text == ("rt_sigaction(SIGINT, {sa_handler=SIG_IGN, sa_mask=[INT], "
                    "sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f00}, "
                    "{sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8)")


def test_signals_sets_and_masks():
    assert sigset(0) == "[]"
    assert sigset((1 << 16) | (1 << 1)) == "[INT CHLD]"
    assert sigset(~(1 << 8) & 0xFFFFFFFFFFFFFFFF) == "~[KILL]"
    assert sigset((1 << 31) | (1 << 32)) == "[RTMIN RT_1]"
    assert format_call(event("kill", [4242, 9], 0)) == ("kill(4242, SIGKILL)", "0")


def test_flags_and_values_named_as_strace_does():
    mmap = event("mmap", [0, 8192, 3, 0x22, 0xFFFFFFFF, 0], 0x7F1234560000)
    assert format_call(mmap) == (
        "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)",
        "0x7f1234560000")
    assert format_call(event("mprotect", [0x7F00, 4096, 0], 0))[0] == (
        "mprotect(0x7f00, 4096, PROT_NONE)")
    assert format_call(event("fcntl", [3, 3, 0], 0x8002)) == (
        "fcntl(3, F_GETFL)", "0x8002 (flags O_RDWR|O_LARGEFILE)")
    assert format_call(event("fcntl", [3, 2, 1], 0))[0] == "fcntl(3, F_SETFD, FD_CLOEXEC)"
    assert format_call(event("fcntl", [3, 1030, 10], 11, fds={"11": "/x"})) == (
        "fcntl(3, F_DUPFD_CLOEXEC, 10)", "11</x>")
    assert format_call(event("dup2", [4, 1], 1, fds={"1": "pipe:[9]"})) == (
        "dup2(4, 1)", "1<pipe:[9]>")
    assert format_call(event("socket", [1, 0x80001, 0], 3))[0] == (
        "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)")
    assert format_call(event("exit_group", [0], None)) == ("exit_group(0)", "?")
    assert format_call(event("lseek", [0, 0, 1], 0))[0] == "lseek(0, 0, SEEK_CUR)"
    assert format_call(event("ioctl", [1, 0x5413, 0x7FF0], -errno.ENOTTY)) == (
        "ioctl(1, TIOCGWINSZ, 0x7ff0)", "-1 ENOTTY (Inappropriate ioctl for device)")


def test_interrupted_calls_show_the_restart_code():
    ev = event("pause", [], None)
    ev.update(ret=-1, err="ERESTARTNOHAND")
    assert format_call(ev) == ("pause()", "? ERESTARTNOHAND (To be restarted if no handler)")
    assert errno_name(-512) == "ERESTARTSYS"
    assert errno_name(-11) == "EAGAIN" and errno_name(-95) == "EOPNOTSUPP"
    assert errno_name(5) is None


def test_fd_targets_of_deleted_files_read_like_strace():
    ev = event("close", [2], 0, cap={"y": {"2": "/tmp/#123 (deleted)"}})
    assert format_call(ev)[0] == "close(2</tmp/#123>(deleted))"


def test_quote_escapes_like_strace():
    assert quote(b'a"b\\c\t\n') == '"a\\"b\\\\c\\t\\n"'
    assert quote(b"\x01" + b"8") == '"\\18"'
    assert quote(b"\x01" + b"0") == '"\\0010"'
    assert quote(b"\x00\x00") == '"\\0\\0"'
    assert quote(b"abcdef", strsize=3) == '"abc"...'
    assert quote(b"\xeb\x02", hex_all=True) == '"\\xeb\\x02"'


def test_calls_with_nothing_to_read_capture_nothing_and_touch_no_memory():
    mem = SelfMemory()
    for name in ("getppid", "getpid", "brk", "munmap", "mprotect", "exit_group", "kill",
                 "set_robust_list", "lseek"):
        sc = BY_NAME[name]
        if any(p.kind in ("fd", "dirfd") for p in sc.params):
            continue
        assert capture_entry(sc, [0] * 6, mem, 32) is None, name
        assert capture_exit(sc, [0] * 6, 0, None, mem, 32) is None, name
    assert mem.calls == 0


def test_unknown_syscall_numbers_are_shown_raw():
    ev = {"nr": 999, "args": [1, 2, 3, 4, 5, 6], "ret": 0, "err": None}
    assert format_call(ev) == ("syscall_0x3e7(0x1, 0x2, 0x3, 0x4, 0x5, 0x6)", "0")


# ---- properties over any input --------------------------------------------------------------

class RandomMemory:
    """Whatever bytes hypothesis chose, or unreadable memory."""

    def __init__(self, data: bytes | None, targets: dict[int, str]):
        self.data, self.targets = data, targets

    def read_bytes(self, addr: int, size: int) -> bytes | None:
        return None if self.data is None else self.data[:size]

    def read_cstring(self, addr: int, limit: int) -> bytes | None:
        return None if self.data is None else self.data[:limit].split(b"\0", 1)[0]

    def fd_target(self, fd: int) -> str | None:
        return self.targets.get(fd)


word = st.integers(min_value=0, max_value=2**64 - 1) | st.sampled_from(
    [0, 1, 2, 3, 17, 0xFFFFFFFF, 0xFFFFFF9C, 2**63, 2**64 - 1])
returns = st.none() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.integers(-4095, 64)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nr=st.sampled_from(sorted(BY_NR)), args=st.lists(word, min_size=6, max_size=6),
       ret=returns, data=st.none() | st.binary(max_size=300),
       targets=st.dictionaries(st.integers(0, 5), st.text(max_size=20), max_size=3),
       strsize=st.integers(0, 64), raw=st.booleans())
def test_capture_format_and_explain_never_raise(nr, args, ret, data, targets, strsize, raw):
    """For any call, any registers and any memory contents: capture and formatting work
    without the safety net (format_args, not format_call's fallback), and the explanation
    is one line."""
    sc = BY_NR[nr]
    mem = RandomMemory(data, targets)
    cap = capture_entry(sc, args, mem, strsize)
    cap = capture_exit(sc, args, ret, cap, mem, strsize)
    fds = {str(fd): "x" for fd in created_fds(sc, args, ret, cap)}
    err = errno_name(ret) if ret is not None else None
    ev = {"nr": nr, "name": sc.name, "args": args, "ret": -1 if err else ret, "err": err,
          "cap": cap or {}, "fds": fds}
    text = format_args(ev, strsize, raw)
    assert text.endswith(")") and "\n" not in text
    assert format_call(ev, strsize, raw)[0] == text
    line = explain(ev)
    assert line and "\n" not in line


@settings(max_examples=200, deadline=None)
@given(ev=st.dictionaries(st.sampled_from(["nr", "name", "args", "ret", "err", "cap", "fds"]),
                          st.none() | st.integers() | st.text(max_size=5)
                          | st.lists(st.integers(), max_size=7)
                          | st.dictionaries(st.text(max_size=3), st.integers(), max_size=3)))
def test_format_call_survives_malformed_events(ev):
    text, result = format_call(ev)
    assert isinstance(text, str) and isinstance(result, str)
