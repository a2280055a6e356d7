"""What decoding adds to each traced system call, against the memory reads it cannot avoid.

At a syscall stop the tracer must copy paths and buffers out of the tracee; that copy
(process_vm_readv) and the fd-target lookup (readlink /proc/PID/fd/N) are the floor any
tracer that prints strace's text pays -- strace does the same reads.  This benchmark times
capture.capture_entry + capture_exit for common calls against exactly those reads done bare,
on a real (stopped) process, and prints the ratio; format_call, which runs off the hot path,
is timed too.  Pinned to one CPU; the best of several repeats.

    .venv/bin/python bench/trace_decode.py
"""

from __future__ import annotations

import os
import signal
import subprocess
import timeit

from minishell.trace.capture import capture_entry, capture_exit
from minishell.trace.engine import TraceeMemory
from minishell.trace.strace_format import format_call
from minishell.trace.syscalls import BY_NAME

REPEAT, NUMBER = 9, 2000


def best_us(func) -> float:
    return min(timeit.repeat(func, number=NUMBER, repeat=REPEAT)) / NUMBER * 1e6


def stack_address(pid: int) -> int:
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            if "[stack]" in line:
                return int(line.split()[0].split("-")[1], 16) - 4096
    raise SystemExit("bench: no stack mapping in the child")


def main() -> int:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    child = subprocess.Popen(["sleep", "60"])
    try:
        os.kill(child.pid, signal.SIGSTOP)
        mem = TraceeMemory()
        mem.pid = mem.tgid = child.pid
        addr = stack_address(child.pid)
        floor_read = best_us(lambda: mem.read_bytes(addr, 32))
        floor_link = best_us(lambda: os.readlink(f"/proc/{child.pid}/fd/1"))
        print(f"floor: process_vm_readv of 32 bytes {floor_read:.2f} µs, "
              f"readlink of an fd {floor_link:.2f} µs")
        cases = [  # name, raw args, return value, the bare reads strace would do for it
            ("getppid", [0] * 6, 1, 0.0),
            ("mmap", [0, 8192, 3, 0x22, 0xFFFFFFFF, 0], 0x7F0000000000, 0.0),
            ("close", [1, 0, 0, 0, 0, 0], 0, floor_link),
            ("read", [1, addr, 832, 0, 0, 0], 832, floor_link + floor_read),
            ("write", [1, addr, 40, 0, 0, 0], 40, floor_link + floor_read),
            ("openat", [0xFFFFFF9C, addr, 0, 0, 0, 0], 3, floor_read),
        ]
        print(f"{'call':10} {'capture µs':>11} {'bare reads µs':>14} {'ratio':>6} "
              f"{'format µs':>10}")
        for name, args, ret, floor in cases:
            sc = BY_NAME[name]

            def capture(sc=sc, args=args, ret=ret):
                return capture_exit(sc, args, ret, capture_entry(sc, args, mem, 32), mem, 32)
            cap = capture()
            ev = {"nr": sc.nr, "name": name, "args": args, "ret": ret, "err": None,
                  "cap": cap or {}}
            spent = best_us(capture)
            ratio = f"{spent / floor:.2f}" if floor else "-"
            print(f"{name:10} {spent:11.2f} {floor:14.2f} {ratio:>6} "
                  f"{best_us(lambda ev=ev: format_call(ev)):10.2f}")
    finally:
        child.kill()
        child.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
