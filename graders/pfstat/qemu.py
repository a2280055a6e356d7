"""Booting a student's kernel in QEMU and reading what happened from its serial console.

A kernel under test can fail in ways a program cannot: it may never reach the first
user program (a broken boot), panic (the machine stops, printing why), oops (a bug in
kernel code: with `oops=panic` it stops the machine too, so no later result comes from a
kernel in an unknown state), or hang. QEMU emulates the machine (`-accel tcg`: pure
emulation, slower but safe; KVM guests hang on these VMs), its first serial port is the
console (`console=ttyS0`), and pexpect reads it as a person at that console would.
`panic=-1` makes a panicking kernel reboot at once, and `-no-reboot` makes QEMU exit
instead: a panic ends the run in milliseconds, never a timeout.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

from .initramfs import INIT_DONE, INIT_UP

APPEND = "console=ttyS0 panic=-1 oops=panic rdinit=/init"
PANIC = "Kernel panic - not syncing"
ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|c|\(B)")
PFSTAT_LINE = re.compile(r"^PFSTAT (\S+) (PASS|FAIL|NOTIMPL)\b ?(.*)$")
# What a person reads first in a crash: the cause, where (RIP), how we got there, the verdict.
CRASH_START = re.compile(r"BUG:|Oops|general protection fault|kernel BUG at|WARNING:|"
                         r"Unable to handle|divide error|invalid opcode|" + PANIC)
CRASH_KEEP = re.compile(r"BUG|Oops|#PF|general protection|invalid opcode|divide error|"
                        r"RIP:|Call Trace|^\s+(\? )?\S+\+0x[0-9a-f]+/0x[0-9a-f]+|" + PANIC)


@dataclass
class Boot:
    """What one boot showed on the console."""

    log: str  # the console transcript, escapes and \r removed
    reached_init: bool = False
    finished: bool = False  # the tester ran to its end marker
    panic: bool = False
    timed_out: str | None = None  # what we were waiting for when time ran out
    seconds: float = 0.0
    checks: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (status, detail)
    running: str | None = None  # the check in progress when the tester stopped
    seed: str | None = None
    exit_note: str | None = None  # how the tester ended, when it did


    def crash_lines(self, limit: int = 14) -> list[str]:
        """The log lines of a panic or oops that matter, in order."""
        lines = self.log.splitlines()
        start = next((i for i, line in enumerate(lines) if CRASH_START.search(line)), None)
        if start is None:
            return []
        kept: list[str] = []
        for line in lines[start:]:
            if CRASH_KEEP.search(line) and line.strip() not in kept:
                kept.append(line.strip())
            if PANIC in line:
                break
        return kept[:limit]

    def tail(self, n: int = 15) -> str:
        return "\n".join(self.log.splitlines()[-n:])


def clean(text: str) -> str:
    return ANSI.sub("", text).replace("\r", "")


def parse_tester(boot: Boot) -> None:
    """Fill `checks`, `running` and `seed` from the tester's PFSTAT lines."""
    for raw in boot.log.splitlines():
        line = raw.strip()
        if line.startswith("PFSTAT begin"):
            m = re.search(r"seed=(\d+)", line)
            boot.seed = m.group(1) if m else None
        elif line.startswith("PFSTAT check "):
            boot.running = line.split()[2]
        elif line.startswith("PFSTAT end"):
            boot.running = None
        elif line.startswith(INIT_DONE) and (m := re.search(r"status=(\d+)", line)):
            status = int(m.group(1))
            boot.exit_note = (f"killed by signal {status - 128}" if status > 128
                              else f"exit status {status}")
        elif m := PFSTAT_LINE.match(line):
            boot.checks[m.group(1)] = (m.group(2), m.group(3))
            if boot.running == m.group(1):
                boot.running = None


def qemu_argv(kernel: Path, initrd: Path, *, accel: str = "tcg", memory: str = "256M",
              append: str = APPEND) -> list[str]:
    # -nic none: no network card, so no iPXE option ROM to load (a second of boot under TCG).
    return ["qemu-system-x86_64", "-accel", accel, "-m", memory, "-nographic", "-no-reboot",
            "-nic", "none", "-kernel", str(kernel), "-initrd", str(initrd), "-append", append]


def boot(kernel: Path, initrd: Path, *, boot_timeout: float = 60, run_timeout: float = 60,
         accel: str = "tcg", log_path: Path | None = None) -> Boot:
    """Boot once; return what the console showed. QEMU is always gone when this returns."""
    start = time.monotonic()
    argv = qemu_argv(kernel, initrd, accel=accel)
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", codec_errors="replace",
                          echo=False, dimensions=(24, 1000), timeout=boot_timeout)
    chunks: list[str] = []
    try:
        result = _watch(child, chunks, boot_timeout, run_timeout)
    finally:
        child.close(force=True)
    result.log = clean("".join(chunks))
    result.seconds = time.monotonic() - start
    parse_tester(result)
    if log_path is not None:
        log_path.write_text(result.log)
    return result


def _watch(child: pexpect.spawn, chunks: list[str], boot_timeout: float,
           run_timeout: float) -> Boot:
    """The console state machine: booting -> init is up -> tester done; a panic or EOF
    at any point ends it."""
    result = Boot(log="")
    patterns = [PANIC, INIT_UP, INIT_DONE, pexpect.EOF, pexpect.TIMEOUT]
    deadline = time.monotonic() + boot_timeout
    while True:
        index = child.expect(patterns, timeout=max(0.1, deadline - time.monotonic()))
        chunks.append(child.before if isinstance(child.before, str) else "")
        if isinstance(child.after, str):
            chunks.append(child.after)
        if index == 0:
            result.panic = True
            _drain(child, chunks, 5)  # the rest of the panic message, then QEMU exits
            return result
        if index == 1:
            result.reached_init = True
            deadline = time.monotonic() + run_timeout
        elif index == 2:
            result.finished = True
            _drain(child, chunks, 10)  # the reboot that ends QEMU
            return result
        elif index == 3:
            return result
        else:
            result.timed_out = ("the tester to finish" if result.reached_init
                                else "the kernel to start /init")
            return result


def _drain(child: pexpect.spawn, chunks: list[str], seconds: float) -> None:
    """Read until QEMU exits (or `seconds` pass)."""
    try:
        child.expect(pexpect.EOF, timeout=seconds)
    except pexpect.TIMEOUT:
        pass
    if isinstance(child.before, str):
        chunks.append(child.before)
