"""sys_pfstat: boot the student's kernel in QEMU and check the page faults it reports.

    minigrade pfstat --kernel bzImage          a kernel the student built
    minigrade pfstat --patch pfstat.patch      build it the reference way, then grade it
    minigrade pfstat --local                   the running kernel (a student in their own VM)
    minigrade pfstat SUBMISSION                a bzImage, a patch, or a folder holding one

The tester (tester.c) prints one `PFSTAT name PASS|FAIL detail` line per check; this module
turns each into a TestResult with points and a reason that says what to fix. A kernel that
panics, oopses or hangs fails the check it was running (quoting the log), and every check
after it says it was not run.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..model import Outcome, Report, TestResult
from ..sandbox import SandboxError
from . import build, initramfs, qemu

DEFAULT_NR = 400
LOCAL_TIMEOUT = 60.0
PROJECT = "pfstat"


@dataclass(frozen=True)
class Check:
    name: str
    points: float
    title: str
    hint: str  # what to change when it fails
    tags: tuple[str, ...] = ()


CHECKS = [
    Check("syscall", 5, "pfstat(0, &st) returns 0",
          "return 0 and fill all three fields of *stats"),
    Check("pid0", 5, "pid 0 means the caller",
          "when pid is 0, report `current`, the calling task"),
    Check("minor", 10, "writing N fresh pages counts N minor faults",
          "report task->min_flt, which mm_account_fault() increments once per minor fault"),
    Check("minor_proc", 5, "minor agrees with /proc/PID/stat minflt",
          "minor must be the counter /proc/PID/stat prints as minflt: task->min_flt"),
    Check("no_false_cow", 5, "first writes to fresh pages copy nothing",
          "count cow only where wp_page_copy() installed a copy, not in every write fault",
          ("cow",)),
    Check("cow_zero", 5, "writing pages first read (the zero page) counts cow",
          "wp_page_copy() also replaces the shared zero page: count there, not only for "
          "pages shared since fork", ("cow",)),
    Check("cow_fork", 10, "a child writing pages shared since fork counts cow",
          "increment the task's cow counter in wp_page_copy() once the copy is mapped "
          "(where page_copied is set)", ("cow",)),
    Check("fork_reset", 5, "a new child starts from zero",
          "reset the new counter in copy_mm() (kernel/fork.c), where min_flt and maj_flt are"),
    Check("major", 10, "reading a file's uncached pages counts major faults",
          "report task->maj_flt, which mm_account_fault() increments for VM_FAULT_MAJOR"),
    Check("major_proc", 5, "major agrees with /proc/PID/stat majflt",
          "major must be the counter /proc/PID/stat prints as majflt: task->maj_flt"),
    Check("other_pid", 10, "another process's counters by pid",
          "find the task with find_task_by_vpid(pid) under rcu_read_lock()"),
    Check("esrch", 5, "a pid with no process gives -ESRCH",
          "return -ESRCH when find_task_by_vpid() finds no task"),
    Check("einval", 5, "a negative pid gives -EINVAL", "return -EINVAL when pid < 0"),
    Check("efault_null", 5, "a NULL stats pointer gives -EFAULT",
          "write the result with copy_to_user() and return -EFAULT when it fails"),
    Check("efault_kernel", 5, "a kernel address gives -EFAULT",
          "never write through a user pointer directly: copy_to_user() refuses kernel "
          "addresses"),
    Check("efault_readonly", 5, "a read-only page gives -EFAULT",
          "copy_to_user() fails on a read-only page: return -EFAULT when it does"),
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--kernel", type=Path, metavar="BZIMAGE",
                       help="boot this kernel in QEMU and grade it")
    where.add_argument("--patch", type=Path, metavar="FILE",
                       help="build linux-source-6.1 + this patch (tinyconfig + our fragment), "
                            "then grade it")
    where.add_argument("--local", action="store_true",
                       help="run the tester on the running kernel (inside your own VM)")
    parser.add_argument("--syscall-nr", type=int, default=DEFAULT_NR, metavar="N",
                        help=f"the system call's number (default {DEFAULT_NR})")
    parser.add_argument("--seed", type=int, metavar="S",
                        help="the tester's random seed (default: a new one each run)")
    parser.add_argument("--accel", default="tcg", choices=["tcg", "kvm"],
                        help="QEMU accelerator (default tcg: KVM guests hang on some VMs)")
    parser.add_argument("--boot-timeout", type=float, default=60.0, metavar="S",
                        help="seconds for the kernel to reach /init (default 60)")
    parser.add_argument("--test-timeout", type=float, default=60.0, metavar="S",
                        help="seconds for the tester to finish once /init runs (default 60)")


# -- where the kernel comes from ---------------------------------------------------------

def is_bzimage(path: Path) -> bool:
    """An x86 boot image carries the magic "HdrS" at offset 0x202 (the boot protocol)."""
    try:
        with open(path, "rb") as f:
            f.seek(0x202)
            return f.read(4) == b"HdrS"
    except OSError:
        return False


def find_submission(path: Path) -> tuple[str, Path]:
    """("kernel", bzImage) or ("patch", file) for a file or a folder holding one."""
    if path.is_dir():
        for name in ("bzImage", "arch/x86/boot/bzImage"):
            if is_bzimage(path / name):
                return "kernel", path / name
        patches = sorted(p for p in path.iterdir() if p.suffix in (".patch", ".diff"))
        if len(patches) == 1:
            return "patch", patches[0]
        if patches:
            raise ValueError(f"{path} holds several patches: {', '.join(p.name for p in patches)}")
        raise ValueError(f"{path} holds no bzImage and no .patch file")
    if is_bzimage(path):
        return "kernel", path
    head = path.read_bytes()[:65536]
    if b"\n+++ " in head or head.startswith((b"diff ", b"--- ")):
        return "patch", path
    raise ValueError(f"{path} is neither a bzImage nor a patch")


def default_submission(args: argparse.Namespace) -> Path | None:
    """The submission named by an option, for a command line without one."""
    if getattr(args, "kernel", None):
        return args.kernel
    if getattr(args, "patch", None):
        return args.patch
    if getattr(args, "local", False):
        return Path("/proc/version")  # the running kernel
    return None


# -- from the tester's lines to results ----------------------------------------------

def _result(check: Check, outcome: Outcome, reason: str, feedback: str = "",
            transcript: str | None = None) -> TestResult:
    points = check.points if outcome is Outcome.PASSED else 0.0
    return TestResult(name=f"{check.name}: {check.title}", max_points=check.points,
                      points=points, outcome=outcome, reason=reason, feedback=feedback,
                      transcript=transcript, tags=list(check.tags))


def all_fail(outcome: Outcome, reason: str, feedback: str, short: str,
             transcript: str | None = None) -> list[TestResult]:
    """Nothing could be checked: the first check says why in full, the others in short."""
    first, *rest = CHECKS
    return [_result(first, outcome, reason, feedback, transcript),
            *(_result(c, outcome, f"not run: {short}", "", transcript) for c in rest)]


def results_from_run(run: qemu.Boot, *, nr: int, where: str,
                     transcript: str | None = None) -> list[TestResult]:
    """Each check's verdict, given what the console (or the local run) showed."""
    replay = f"\nreplay this run: --seed {run.seed}" if run.seed else ""
    if "syscall" in run.checks and run.checks["syscall"][0] == "NOTIMPL":
        return all_fail(Outcome.FAILED,
                        f"sys_pfstat is not implemented: system call {nr} returned ENOSYS; "
                        f"add `{nr} common pfstat sys_pfstat` to "
                        "arch/x86/entry/syscalls/syscall_64.tbl and define it with "
                        "SYSCALL_DEFINE2 (see the statement)", run.checks["syscall"][1],
                        f"sys_pfstat is not implemented (system call {nr} returned ENOSYS)",
                        transcript)
    if not run.reached_init:
        return _never_started(run, where, transcript)

    crash = run.crash_lines()
    stopped_at = run.running
    results = []
    for check in CHECKS:
        if check.name in run.checks:
            status, detail = run.checks[check.name]
            if status == "PASS":
                results.append(_result(check, Outcome.PASSED, "", detail, transcript))
            else:
                results.append(_result(check, Outcome.FAILED, f"{detail}: {check.hint}",
                                       f"PFSTAT {check.name} {status} {detail}{replay}",
                                       transcript))
        elif check.name == stopped_at:
            results.append(_stopped_here(check, run, crash, transcript))
        else:
            results.append(_not_run(check, run, stopped_at, transcript))
    return results


def _never_started(run: qemu.Boot, where: str, transcript: str | None) -> list[TestResult]:
    crash = run.crash_lines()
    if run.panic:
        return all_fail(Outcome.CRASHED,
                        f"kernel panic before /init started: {crash[0] if crash else ''}",
                        "\n".join(crash) or run.tail(), "the kernel panicked at boot",
                        transcript)
    if run.timed_out:
        return all_fail(Outcome.TIMEOUT,
                        f"{where} never started /init (waited for {run.timed_out}); "
                        "the console's last lines are below", run.tail(),
                        f"{where} never started /init", transcript)
    return all_fail(Outcome.CRASHED, f"{where} stopped before /init started", run.tail(),
                    f"{where} stopped before /init started", transcript)


def _stopped_here(check: Check, run: qemu.Boot, crash: list[str],
                  transcript: str | None) -> TestResult:
    if run.panic:
        first = next((line for line in crash if "Kernel panic" not in line),
                     crash[0] if crash else "see the console log")
        return _result(check, Outcome.CRASHED,
                       f"kernel panic during this check: {first}", "\n".join(crash), transcript)
    if run.timed_out:
        return _result(check, Outcome.TIMEOUT,
                       "the machine hung during this check (no result before the timeout)",
                       run.tail(), transcript)
    return _result(check, Outcome.CRASHED,
                   f"the tester died during this check ({run.exit_note or 'no result'}); "
                   "the kernel may have killed it (an oops)", run.tail(), transcript)


def _not_run(check: Check, run: qemu.Boot, stopped_at: str | None,
             transcript: str | None) -> TestResult:
    if stopped_at is None:
        return _result(check, Outcome.FAILED, "the tester printed no result for this check",
                       run.tail(), transcript)
    why = ("the kernel panicked" if run.panic else
           "the machine hung" if run.timed_out else "the tester died")
    outcome = Outcome.TIMEOUT if run.timed_out and not run.panic else Outcome.CRASHED
    return _result(check, outcome, f"not run: {why} during check `{stopped_at}`", "", transcript)


# -- the three ways to run the tester ------------------------------------------------

def _seed(args: argparse.Namespace) -> int:
    return args.seed if args.seed is not None else random.SystemRandom().randrange(1, 2**31)


def boot_and_check(kernel: Path, args: argparse.Namespace, workdir: Path,
                   transcripts: Path | None) -> tuple[qemu.Boot, str | None]:
    factor = getattr(args, "timeout_factor", 1.0)
    tester = initramfs.compile_tester(build.cache_dir())
    initrd = initramfs.build_initramfs(workdir / "initrd.gz", tester, nr=args.syscall_nr,
                                       seed=_seed(args))
    log = transcripts / "console.log" if transcripts else workdir / "console.log"
    run = qemu.boot(kernel, initrd, boot_timeout=args.boot_timeout * factor,
                    run_timeout=args.test_timeout * factor, accel=args.accel, log_path=log)
    return run, (str(log) if transcripts else None)


def run_local(args: argparse.Namespace) -> qemu.Boot:
    """The tester on this machine's kernel, in its own process group, timed out as a whole."""
    tester = initramfs.compile_tester(build.cache_dir())
    argv = [str(tester), "--nr", str(args.syscall_nr), "--seed", str(_seed(args))]
    timeout = LOCAL_TIMEOUT * getattr(args, "timeout_factor", 1.0)
    run = qemu.Boot(log="", reached_init=True)
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, text=True,
                            errors="replace")
    try:
        out, _ = proc.communicate(timeout=timeout)
        run.finished = True
        run.exit_note = f"exit status {proc.returncode}"
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, _ = proc.communicate()
        run.timed_out = "the tester to finish"
    run.log = out
    run.seconds = time.monotonic() - start
    qemu.parse_tester(run)
    return run


def selected(results: list[TestResult], args: argparse.Namespace) -> list[TestResult]:
    """`-k NAME`: the tester always runs every check (one boot); report only those asked."""
    wanted = getattr(args, "test", None)
    if not wanted:
        return results
    return [r for r in results if any(w in r.name for w in wanted)]


def grade(submission: Path, args: argparse.Namespace) -> Report:
    start = time.monotonic()
    transcripts = getattr(args, "transcripts", None)
    if transcripts:
        transcripts.mkdir(parents=True, exist_ok=True)
    nr = args.syscall_nr
    if args.local:
        run = run_local(args)
        results = selected(results_from_run(run, nr=nr, where="the running kernel"), args)
        return Report(PROJECT, f"local kernel {os.uname().release}", results,
                      isolation="none: the tester runs on this machine's kernel",
                      duration=time.monotonic() - start)

    kind, path = (("kernel", args.kernel) if args.kernel else
                  ("patch", args.patch) if args.patch else find_submission(submission))
    if kind == "kernel" and not is_bzimage(path):
        raise ValueError(f"{path} is not an x86 bzImage (no boot header)")
    isolation = "QEMU, TCG emulation: the kernel runs in a virtual machine"
    if kind == "patch":
        try:
            built = build.build_kernel(path.read_bytes())
        except build.BuildError as exc:
            where = f" (build log: {exc.log})" if exc.log else ""
            outcome = Outcome.TIMEOUT if exc.timed_out else Outcome.FAILED
            results = selected(all_fail(outcome, f"{exc}{where}", exc.excerpt, str(exc),
                                        str(exc.log) if exc.log else None), args)
            return Report(PROJECT, str(submission), results, isolation,
                          time.monotonic() - start)
        except SandboxError as exc:  # the grader's machinery: every check is an error
            results = selected(all_fail(Outcome.ERROR, f"grader error: {exc}", "",
                                        f"grader error: {exc}"), args)
            return Report(PROJECT, str(submission), results, isolation,
                          time.monotonic() - start, error=str(exc))
        path = built.bzimage
        isolation += f"; build: {built.isolation}"
    with tempfile.TemporaryDirectory(prefix="minigrade-pfstat-") as tmp:
        run, transcript = boot_and_check(path, args, Path(tmp), transcripts)
    results = selected(results_from_run(run, nr=nr, where="the kernel",
                                        transcript=transcript), args)
    return Report(PROJECT, str(submission), results, isolation, time.monotonic() - start)
