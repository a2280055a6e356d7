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

import functools
import os
import platform
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

from . import ToolError, build
from .initramfs import INIT_DONE, INIT_UP, compile_tester

APPEND = "console=ttyS0 panic=-1 oops=panic rdinit=/init"
PANIC = "Kernel panic - not syncing"
ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|c|\(B)")
# What a person reads first in a crash: the cause, where (RIP), how we got there, the verdict.
CRASH_START = re.compile(r"BUG:|Oops|general protection fault|kernel BUG at|WARNING:|"
                         r"Unable to handle|divide error|invalid opcode|" + PANIC)
# QEMU's own complaints (error_report): a bad option, no KVM, a file it cannot read.
# (Its warnings, "qemu-system-x86_64: warning: ...", are not failures.)
QEMU_ERROR = re.compile(r"^qemu-system-\S+: (?!warning:)(.*)$", re.M)
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
    durations: dict[str, float] = field(default_factory=dict)  # check -> seconds it ran
    check_limit: float = 0.0  # the time a check had before it counted as hung


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


def parse_tester(boot: Boot, prefix: str) -> None:
    """Fill `checks`, `running` and `seed` from the tester's lines, each starting with
    `prefix`: "P begin seed=N", "P check NAME" (about to run), "P NAME PASS|FAIL|NOTIMPL
    detail", "P end"."""
    result_line = re.compile(rf"^{re.escape(prefix)} (\S+) (PASS|FAIL|NOTIMPL)\b ?(.*)$")
    for raw in boot.log.splitlines():
        line = raw.strip()
        if line.startswith(f"{prefix} begin"):
            m = re.search(r"seed=(\d+)", line)
            boot.seed = m.group(1) if m else None
        elif line.startswith(f"{prefix} check "):
            boot.running = line.split()[2]
        elif line.startswith(f"{prefix} end"):
            boot.running = None
        elif line.startswith(INIT_DONE) and (m := re.search(r"status=(\d+)", line)):
            status = int(m.group(1))
            boot.exit_note = (f"killed by signal {status - 128}" if status > 128
                              else f"exit status {status}")
        elif m := result_line.match(line):
            boot.checks[m.group(1)] = (m.group(2), m.group(3))
            if boot.running == m.group(1):
                boot.running = None


NO_NIC = ("-nic", "none")
TSC_SOURCE = Path(__file__).with_name("tsc_khz.c")


@functools.cache
def host_tsc_khz() -> int | None:
    """This machine's TSC rate (kHz), which a TCG guest reads but cannot calibrate (see
    tsc_khz.c); None when it cannot be measured (then the guest keeps its jiffies clock)."""
    if platform.machine() != "x86_64":
        return None
    try:
        helper = compile_tester(build.cache_dir(), TSC_SOURCE, "tsc-khz")
        out = subprocess.run([str(helper)], capture_output=True, text=True, timeout=10)
        return int(out.stdout) if out.returncode == 0 and out.stdout.strip().isdigit() \
            else None
    except (ToolError, OSError, subprocess.TimeoutExpired):
        return None


def kernel_append(accel: str) -> str:
    """The kernel's command line. Under TCG, the host's TSC rate: with it the guest keeps
    time by the TSC (nanoseconds, not 4 ms jiffies) and measures interrupt time precisely
    (IRQ_TIME_ACCOUNTING); `tsc=reliable` keeps the jiffies watchdog, which a loaded host
    delays, from declaring the TSC unstable halfway."""
    khz = host_tsc_khz() if accel == "tcg" else None
    return f"{APPEND} tsc_early_khz={khz} tsc=reliable" if khz else APPEND


def qemu_argv(kernel: Path, initrd: Path, *, accel: str = "tcg", memory: str = "256M",
              append: str | None = None, devices: Sequence[str] = NO_NIC) -> list[str]:
    # -nic none (the default): no network card, so no iPXE option ROM to load (a second of
    # boot under TCG). A project that needs one passes its own -netdev/-device.
    return ["qemu-system-x86_64", "-accel", accel, "-m", memory, "-nographic", "-no-reboot",
            *devices, "-kernel", str(kernel), "-initrd", str(initrd),
            "-append", append or kernel_append(accel)]


@dataclass(frozen=True)
class Limits:
    """How long each stage may take before the machine counts as hung."""

    boot: float = 60.0  # from QEMU's start to /init
    run: float = 60.0  # the whole tester, once /init runs
    check: float = 10.0  # one check, from its "check NAME" line to the next line


def boot(kernel: Path, initrd: Path, *, prefix: str, limits: Limits = Limits(),
         accel: str = "tcg", log_path: Path | None = None,
         devices: Sequence[str] = NO_NIC, options: str = "") -> Boot:
    """Boot once; return what the console showed, the lines starting with `prefix` parsed
    (parse_tester). `options`: more kernel parameters. QEMU is always gone when this
    returns."""
    start = time.monotonic()
    argv = qemu_argv(kernel, initrd, accel=accel, devices=devices,
                     append=f"{kernel_append(accel)} {options}".strip())
    if shutil.which(argv[0]) is None:
        raise ToolError(f"{argv[0]} is missing (the grader boots the kernel in it): "
                        "apt-get install qemu-system-x86")
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", codec_errors="replace",
                          echo=False, dimensions=(24, 1000), timeout=limits.boot)
    chunks: list[str] = []
    result = Boot(log="", check_limit=limits.check)
    try:
        _watch(child, chunks, result, prefix, limits)
    finally:
        _stop(child)
    result.log = clean("".join(chunks))
    result.seconds = time.monotonic() - start
    parse_tester(result, prefix)
    if log_path is not None:
        log_path.write_text(result.log)
    failed = QEMU_ERROR.search(result.log)
    if failed and not (result.reached_init or result.panic or result.timed_out):
        # QEMU refused to run (or died): the machine never ran the student's kernel.
        raise ToolError(f"QEMU failed: {failed.group(1).strip()}")
    return result


def _watch(child: pexpect.spawn, chunks: list[str], result: Boot, prefix: str,
           limits: Limits) -> None:
    """The console state machine: booting -> init is up -> checks, each timed from its
    "check NAME" line to the tester's next line -> tester done; a panic or EOF at any
    point ends it. A check that goes silent for longer than limits.check is a hang: the
    machine is stopped then, not after the whole run's time."""
    line = re.compile(rf"{re.escape(prefix)} (check )?(\S+)[^\n]*\n")
    patterns = [PANIC, INIT_UP, INIT_DONE, line, pexpect.EOF, pexpect.TIMEOUT]
    deadline = time.monotonic() + limits.boot
    run_end = float("inf")
    started: tuple[str, float] | None = None
    while True:
        wait = min(deadline, run_end) - time.monotonic()
        index = child.expect(patterns, timeout=max(0.1, wait))
        chunks.append(child.before if isinstance(child.before, str) else "")
        if isinstance(child.after, str):
            chunks.append(child.after)
        now = time.monotonic()
        if index == 0:
            result.panic = True
            _drain(child, chunks, 5)  # the rest of the panic message, then QEMU exits
            break
        if index == 1:
            result.reached_init = True
            run_end = now + limits.run
            deadline = run_end
        elif index == 2:
            result.finished = True
            _drain(child, chunks, 10)  # the reboot that ends QEMU
            break
        elif index == 3:
            match = child.match
            if started is not None:
                result.durations[started[0]] = now - started[1]
                started = None
            if match.group(1):  # "check NAME": the next check starts, on its own clock
                started = (match.group(2), now)
                deadline = now + limits.check
            else:
                deadline = run_end
        elif index == 4:
            break
        else:
            result.timed_out = ("the tester to finish" if result.reached_init
                                else "the kernel to start /init")
            break
    if started is not None:
        result.durations[started[0]] = time.monotonic() - started[1]


def _stop(child: pexpect.spawn) -> None:
    """QEMU killed and reaped. pexpect's close() waits a fraction of a second for the
    killed process and gives up ("Could not terminate the child"), which a loaded machine
    exceeds: then SIGKILL again and wait for it, however long it takes to die."""
    try:
        child.close(force=True)
    except pexpect.ExceptionPexpect:
        try:
            os.kill(child.pid, signal.SIGKILL)
            os.waitpid(child.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass  # already gone, or already reaped


def _drain(child: pexpect.spawn, chunks: list[str], seconds: float) -> None:
    """Read until QEMU exits (or `seconds` pass)."""
    try:
        child.expect(pexpect.EOF, timeout=seconds)
    except pexpect.TIMEOUT:
        pass
    if isinstance(child.before, str):
        chunks.append(child.before)
