"""Plain-English explanations: concrete with the call's values, failures said plainly."""

from __future__ import annotations

import errno

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minishell.trace.capture import errno_name
from minishell.trace.explain import EXPLAINERS, explain, manual_summary
from minishell.trace.explain import manual as manual_module
from minishell.trace.syscalls import BY_NAME, BY_NR


def ev(name: str, args: list[int], ret: int | None, cap=None, **extra) -> dict:
    err = errno_name(ret) if ret is not None else None
    return {"nr": BY_NAME[name].nr, "name": name, "args": args + [0] * (6 - len(args)),
            "ret": -1 if err else ret, "err": err, "cap": cap or {}, **extra}


AT_FDCWD = -100 & 0xFFFFFFFF


def test_the_issue_examples():
    assert explain(ev("clone", [0x01200011, 0, 0, 0x7F00, 0], 4243)) == (
        "create a child process: a copy of this one (pid 4243)")
    assert explain(ev("fork", [], 4243)).startswith("create a child process: a copy of this one")
    assert explain(ev("execve", [1, 2, 3], 0, {"0": "/usr/bin/ls",
                                               "1": {"argv": ["ls"], "more": False},
                                               "2": 23})) == "replace this program with /usr/bin/ls"
    assert explain(ev("wait4", [4242, 1, 0, 0], 4242, {"1": [0]})) == (
        "wait until child 4242 changes state: it exited with 0")
    assert explain(ev("read", [3, 1, 4096], 832, {"y": {"3": "/etc/ld.so.cache"}})) == (
        "read 832 bytes from /etc/ld.so.cache (fd 3)")
    mapped = explain(ev("mmap", [0, 8192, 3, 0x22, 0xFFFFFFFF, 0], 0x7F0000001000))
    assert mapped.startswith("map 8192 bytes of memory, readable and writable")
    assert explain(ev("openat", [AT_FDCWD, 1, 0o2000000], 3, {"1": "/etc/passwd"},
                      fds={"3": "/etc/passwd"})) == "open /etc/passwd for reading: it gets fd 3"


def test_failures_are_explained():
    assert explain(ev("openat", [AT_FDCWD, 1, 0], -errno.ENOENT, {"1": "/nope"})) == (
        "open /nope for reading: failed, no such file")
    assert explain(ev("execve", [1, 2, 3], -errno.ENOENT, {"0": "/nonexistent/echo"})) == (
        "replace this program with /nonexistent/echo: failed, no such file")
    assert explain(ev("wait4", [-1 & 0xFFFFFFFF, 0, 0, 0], -errno.ECHILD)) == (
        "wait until any child changes state: failed, there is no child to wait for")
    assert explain(ev("kill", [99999, 15], -errno.ESRCH)) == (
        "send SIGTERM to process 99999: failed, no such process")
    assert explain(ev("ioctl", [1, 0x5401, 5], -errno.ENOTTY)).endswith(
        "failed, not a terminal")


def test_values_make_the_lines_concrete():
    assert explain(ev("wait4", [-1 & 0xFFFFFFFF, 1, 0, 0], 77, {"1": [15]})) == (
        "wait until any child changes state: child 77 was killed by SIGTERM")
    assert explain(ev("wait4", [-1 & 0xFFFFFFFF, 1, 1, 0], 0)) == (
        "check whether any child changed state: none has yet")
    assert explain(ev("write", [1, 1, 6], 6, {"y": {"1": "/dev/pts/3"}})) == (
        "write 6 bytes to the terminal /dev/pts/3 (fd 1)")
    assert explain(ev("read", [0, 1, 10], 0, {"y": {"0": "pipe:[5]"}})) == (
        "read from a pipe (fd 0): end of file (nothing left)")
    assert explain(ev("pipe2", [1, 0], 0, {"0": [3, 4]})) == (
        "create a pipe: read end fd 3, write end fd 4")
    assert explain(ev("dup2", [4, 1], 1, {"y": {"4": "pipe:[9]", "1": "/dev/pts/0"}})) == (
        "make fd 1 a copy of fd 4 (a pipe), so it no longer refers to the terminal /dev/pts/0")
    assert explain(ev("dup2", [4, 7], 7)) == "make fd 7 a copy of fd 4"
    assert explain(ev("execve", [1, 2, 3], 0, {"0": "/bin/echo",
                                               "1": {"argv": ["echo", "hi"], "more": False}})
                   ) == "replace this program with /bin/echo (arguments: hi)"
    assert explain(ev("close", [3], 0, {"y": {"3": "/etc/passwd"}})) == (
        "close /etc/passwd (fd 3)")
    assert explain(ev("exit_group", [2], None)) == "end this process with exit status 2"
    assert explain(ev("kill", [0, 0], 0)).startswith("check that every process")
    assert explain(ev("rt_sigaction", [2, 1, 0, 8], 0, {"1": [1, 0, 0, 0]})) == (
        "ignore SIGINT from now on")
    assert explain(ev("rt_sigprocmask", [0, 1, 0, 8], 0, {"1": [1 << 16]})) == (
        "block SIGCHLD (delivery waits until unblocked)")
    assert explain(ev("clone", [0x3D0F00, 1, 2, 3, 4], 4300)) == (
        "start a new thread in this process (thread 4300)")
    assert explain(ev("newfstatat", [AT_FDCWD, 1, 2, 0], 0,
                      {"1": "/etc/passwd", "2": {"mode": 0o100644, "size": 1234, "rdev": 0}})
                   ) == ("get the type, size, owner and times of /etc/passwd: "
                         "a regular file, 1234 bytes, permissions 644")
    assert explain(ev("access", [1, 4], -errno.ENOENT, {"0": "/etc/ld.so.preload"})) == (
        "check whether this process may read /etc/ld.so.preload: failed, no such file")
    assert explain(ev("mmap", [0x7F00, 4096, 5, 0x812, 3, 0x7000], 0x7F00,
                      {"y": {"3": "/usr/lib/libc.so.6"}})) == (
        "map 4096 bytes of /usr/lib/libc.so.6 (fd 3) from offset 0x7000, readable and "
        "executable (program code): at 0x7f00")
    assert explain(ev("openat", [AT_FDCWD, 1, 0o2000000], 3, {"1": "/etc/ld.so.cache"})) == (
        "open /etc/ld.so.cache (the loader's index of shared libraries) for reading: "
        "it gets fd 3")
    assert explain(ev("openat", [AT_FDCWD, 1, 0], 3, {"1": "/lib/x86_64/libc.so.6"})) == (
        "open /lib/x86_64/libc.so.6 (a shared library) for reading: it gets fd 3")
    assert explain(ev("brk", [0], 0x5555000)) == "ask where the heap ends: at 0x5555000"
    assert explain(ev("getdents64", [3, 1, 32768], 144, {"1": 5, "y": {"3": "/etc"}})) == (
        "list the directory /etc (fd 3): 5 entries")


def test_poll_in_words():
    pollfds = [[3, 1, 0, "pipe:[7]"], [4, 4, 0, None]]
    assert explain(ev("poll", [1, 2, 10], 2, {"0": pollfds})) == (
        "wait until a pipe (fd 3) can be read or fd 4 can be written (at most 10 ms): 2 ready")
    assert explain(ev("poll", [1, 1, 0], 0, {"0": pollfds[:1]})) == (
        "check, without waiting, whether a pipe (fd 3) can be read: not yet")


def test_select_in_words():
    assert explain(ev("pselect6", [1, 1, 0, 0, 0, 0], 1,
                      {"1": [[0, "/dev/pts/2"]]})) == (
        "wait until the terminal /dev/pts/2 (fd 0) can be read: 1 ready")


def test_socket_addresses_in_words():
    unix = "\x01\x00/var/run/nscd/socket\x00"
    assert explain(ev("connect", [4, 1, 110], -errno.ENOENT,
                      {"1": unix, "y": {"4": "socket:[5]"}})) == (
        "connect a socket (fd 4) to /var/run/nscd/socket: failed, no such file")
    inet = "\x02\x00\x00\x50\x7f\x00\x00\x01" + "\x00" * 8
    assert explain(ev("connect", [3, 1, 16], 0, {"1": inet})) == (
        "connect fd 3 to 127.0.0.1 port 80")


def test_environment_values_never_appear():
    line = explain(ev("execve", [1, 2, 3], 0, {"0": "/bin/env",
                                               "1": {"argv": ["env"], "more": False},
                                               "2": 2}))
    assert "=" not in line


def test_every_explainer_names_a_real_syscall_and_about_a_hundred_are_written():
    assert set(EXPLAINERS) <= set(BY_NAME)
    assert len(EXPLAINERS) >= 100


@pytest.mark.usefixtures("whatis")
def test_other_calls_take_the_manual_page_summary():
    assert "io_uring" not in EXPLAINERS and "sethostname" not in EXPLAINERS
    line = explain(ev("sethostname", [1, 5], 0))
    assert "hostname" in line and line == manual_summary("sethostname")
    assert explain(ev("sethostname", [1, 5], -errno.EPERM)).endswith(": failed, not permitted")


def test_calls_without_a_manual_page_get_a_generic_line(monkeypatch):
    manual_module.MANUAL.known.clear()
    monkeypatch.setattr(manual_module.shutil, "which", lambda name: None)
    try:
        assert explain(ev("uretprobe", [], 0)) == (
            "the uretprobe system call (see man 2 uretprobe)")
    finally:
        manual_module.MANUAL.known.clear()


def test_unknown_numbers_are_said_to_be_unknown():
    assert explain({"nr": 999, "args": [0] * 6, "ret": 0, "err": None}) == (
        "a system call this kernel table does not name (999)")


word = st.integers(min_value=0, max_value=2**64 - 1)


@settings(max_examples=300, deadline=None)
@given(nr=st.sampled_from(sorted(n for n in BY_NR if BY_NR[n].name in EXPLAINERS)),
       args=st.lists(word, min_size=6, max_size=6),
       ret=st.none() | st.integers(-4095, 2**40), cap=st.just({}))
def test_explain_never_raises_and_is_one_line(nr, args, ret, cap):
    err = errno_name(ret) if ret is not None else None
    line = explain({"nr": nr, "args": args, "ret": -1 if err else ret, "err": err, "cap": cap})
    assert line and "\n" not in line


def test_wording_reads_as_english():
    """Articles, full sets, epoll sets and whatis lines that a narrow terminal cut."""
    assert explain(ev("socket", [2, 1, 0], 3)) == (
        "create an IPv4 stream socket (TCP): it gets fd 3")
    assert explain(ev("socket", [10, 2, 0], 3)).startswith("create an IPv6 datagram socket")
    assert explain(ev("socket", [1, 1, 0], 3)).startswith("create a local (Unix) stream socket")
    full = (1 << 64) - 1
    assert explain(ev("rt_sigprocmask", [0, 1, 0, 8], 0, {"1": [full]})).startswith(
        "block all signals (")
    epoll = {"y": {"6": "anon_inode:[eventpoll]", "5": "pipe:[7]"}}
    assert explain(ev("epoll_ctl", [6, 1, 5, 1], 0, epoll)) == (
        "add a pipe (fd 5) to an epoll set (fd 6)")
    assert explain(ev("epoll_ctl", [6, 2, 5, 0], 0, epoll)) == (
        "remove a pipe (fd 5) from an epoll set (fd 6)")
    assert explain(ev("epoll_wait", [6, 1, 4, -1 & 0xFFFFFFFF], 1, epoll)) == (
        "wait for events on an epoll set (fd 6): 1 event")


@pytest.mark.usefixtures("whatis")
def test_manual_lines_are_not_cut_by_a_narrow_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "20")
    manual_module.MANUAL.known.clear()
    try:
        assert manual_summary("sched_setaffinity") == "set and get a thread's CPU affinity mask"
    finally:
        manual_module.MANUAL.known.clear()


@pytest.mark.usefixtures("whatis")
def test_manual_lines_are_fetched_at_once_before_the_trace():
    """--explain asks whatis for every call without words of its own in one run started
    before the program (MANUAL.prefetch): no whatis run while the program is stopped."""
    manual = manual_module._Manual()
    manual.prefetch()
    assert manual.running is not None
    assert manual.summary("sethostname") == manual_summary("sethostname")
    assert manual.running is None and len(manual.known) > 100
    assert manual.known["mincore"] == "determine whether pages are resident in memory"
