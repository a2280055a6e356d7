"""The engine's parts on their own: reading another process's memory, the seccomp
filter program, the -c table's layout."""

from __future__ import annotations

import ctypes
import mmap
import os
import subprocess

from tracekit import parse_summary

from minishell.procfs import fds as proc_fds
from minishell.procfs import page_faults
from minishell.trace.engine import TraceeMemory
from minishell.trace.events import SyscallEvent
from minishell.trace.seccomp import (
    SECCOMP_RET_ALLOW,
    SECCOMP_RET_TRACE,
    build_filter,
)
from minishell.trace.summary import HEADER, Summary
from minishell.trace.syscalls import BY_NAME, BY_NR

PAGE = mmap.PAGESIZE


def test_read_cstring_stops_at_an_unmapped_page():
    """A string that ends exactly where readable memory ends is read whole; reading
    past the end of a mapping returns what could be read, not an error."""
    area = mmap.mmap(-1, 2 * PAGE, prot=mmap.PROT_READ | mmap.PROT_WRITE)
    base = ctypes.addressof(ctypes.c_char.from_buffer(area))
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.mprotect(ctypes.c_void_p(base + PAGE), PAGE, 0) == 0  # PROT_NONE
    text = b"x" * 10 + b"/etc/passwd"
    area[PAGE - len(text) - 1:PAGE] = text + b"\0"
    unterminated = b"abc"
    mem = TraceeMemory()
    mem.pid = os.getpid()
    assert mem.read_cstring(base + PAGE - len(text) - 1, 4096) == text
    assert mem.read_cstring(base + PAGE - len(text) - 1, 5) == b"xxxxx"
    area[PAGE - 3:PAGE] = unterminated
    assert mem.read_cstring(base + PAGE - 3, 100) == unterminated  # then unreadable
    assert mem.read_bytes(base + PAGE, 8) is None
    assert mem.read_cstring(0, 10) is None
    big = mem.read_bytes(base, PAGE)
    assert big is not None and len(big) == PAGE and big.endswith(unterminated)


def test_fd_targets_and_page_faults_of_a_process(tmp_path):
    with open(tmp_path / "f", "w") as f:
        mem = TraceeMemory(cache_fds=True)
        mem.pid = mem.tgid = os.getpid()
        assert mem.fd_target(f.fileno()) == str(tmp_path / "f")
        assert proc_fds(os.getpid())[f.fileno()] == str(tmp_path / "f")
    assert mem.fd_target(9999) is None
    minflt, majflt = page_faults(os.getpid(), os.getpid())
    assert minflt > 0 and majflt >= 0


def decode_bpf(program: bytes):
    return [(int.from_bytes(program[i:i + 2], "little"), program[i + 2], program[i + 3],
             int.from_bytes(program[i + 4:i + 8], "little")) for i in range(0, len(program), 8)]


def run_bpf(program, nr: int, arch: int = 0xC000003E) -> int:
    """A tiny interpreter for the instructions build_filter uses."""
    insns, pc, acc = decode_bpf(program), 0, 0
    while True:
        code, jt, jf, k = insns[pc]
        if code == 0x20:
            acc = arch if k == 4 else nr
        elif code in (0x15, 0x35):
            hit = acc == k if code == 0x15 else acc >= k
            pc += jt if hit else jf
        elif code == 0x06:
            return k
        pc += 1


def test_seccomp_filter_traces_exactly_the_selection():
    known = set(BY_NR)
    for traced in ({BY_NAME["execve"].nr, BY_NAME["clone"].nr}, known - {1}):
        program = build_filter(traced, known)
        assert len(program) % 8 == 0 and len(program) // 8 < 4096
        for nr in sorted(known):
            want = SECCOMP_RET_TRACE if nr in traced else SECCOMP_RET_ALLOW
            assert run_bpf(program, nr) == want, nr
        assert run_bpf(program, 1 | 0x40000000) == SECCOMP_RET_TRACE  # x32
        assert run_bpf(program, 1, arch=0x40000003) == SECCOMP_RET_TRACE  # i386


def test_summary_table_has_straces_layout(tmp_path):
    out = tmp_path / "s.txt"
    subprocess.run(["strace", "-c", "-o", str(out), "true"], check=True)
    assert out.read_text().startswith(HEADER)
    summary = Summary()
    for nr, ret, dur in ((0, 5, 0.002), (0, -9, 0.001), (1, 3, 0.004), (231, None, None)):
        ev = SyscallEvent(7, 7, 1.0, nr, (0,) * 6, None)
        ev.ret, ev.end = ret, None if dur is None else 1.0 + dur
        summary.add(ev)
    table = summary.table()
    assert table.startswith(HEADER)
    assert parse_summary(table) == {"read": (2, 1), "write": (1, 0)}
    lines = table.splitlines()
    assert lines[2].split() == ["57.14", "0.004000", "4000", "1", "write"]
    assert lines[3].split() == ["42.86", "0.003000", "1500", "2", "1", "read"]
    assert lines[-1].split() == ["100.00", "0.007000", "2333", "3", "1", "total"]
