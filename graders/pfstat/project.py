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
from pathlib import Path

from ..kernel import ToolError, build, grading, initramfs, qemu
from ..kernel.grading import Check
from ..model import Outcome, Report, TestResult

DEFAULT_NR = 400
LOCAL_TIMEOUT = 60.0
# Every check takes well under a second under TCG; one silent this long has hung.
CHECK_LIMIT = 10.0
SUBMISSION_HELP = ("a bzImage, a patch against linux-source-6.1, or a folder holding one "
                   "(or name it with --kernel / --patch)")
PROJECT = "pfstat"
PREFIX = "PFSTAT"  # the tester's lines
TESTER_SOURCE = Path(__file__).with_name("tester.c")


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
    Check("cow_file", 5, "writing pages of a private file mapping first read counts cow",
          "a read maps the page cache's page read-only; the write that follows goes to "
          "wp_page_copy() like any other copy-on-write: count there (and only there: "
          "do_cow_fault(), a first access that writes, is not cow)", ("cow",)),
    Check("fork_reset", 5, "a new child starts from zero",
          "reset the new counter in copy_mm() (kernel/fork.c), where min_flt and maj_flt are"),
    Check("major", 10, "reading a file's uncached pages counts major faults",
          "report task->maj_flt, which mm_account_fault() increments for VM_FAULT_MAJOR"),
    Check("major_proc", 5, "major agrees with /proc/PID/stat majflt",
          "major must be the counter /proc/PID/stat prints as majflt: task->maj_flt"),
    Check("other_pid", 5, "another process's counters by pid",
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
    """The submission: a bzImage, a patch, or a folder holding one; or --local."""
    grading.add_kernel_arguments(parser, boot_default=60.0, test_default=60.0)
    parser.add_argument("--local", action="store_true",
                        help="run the tester on the running kernel (inside your own VM)")
    parser.add_argument("--syscall-nr", type=int, default=DEFAULT_NR, metavar="N",
                        help=f"the system call's number (default {DEFAULT_NR})")


default_submission = grading.default_submission
find_submission = grading.find_submission
is_bzimage = grading.is_bzimage


def results_from_run(run: qemu.Boot, *, nr: int, where: str,
                     transcript: str | None = None) -> list[TestResult]:
    """Each check's verdict, given what the console (or the local run) showed."""
    if "syscall" in run.checks and run.checks["syscall"][0] == "NOTIMPL":
        return grading.all_fail(
            CHECKS, Outcome.FAILED,
            f"sys_pfstat is not implemented: system call {nr} returned ENOSYS; "
            f"add `{nr} common pfstat sys_pfstat` to "
            "arch/x86/entry/syscalls/syscall_64.tbl and define it with "
            "SYSCALL_DEFINE2 (see the statement)", run.checks["syscall"][1],
            f"sys_pfstat is not implemented (system call {nr} returned ENOSYS)", transcript)
    return grading.results_from_run(run, CHECKS, prefix=PREFIX, where=where,
                                    transcript=transcript)


# -- the three ways to run the tester ------------------------------------------------

def _seed(args: argparse.Namespace) -> int:
    return args.seed if args.seed is not None else random.SystemRandom().randrange(1, 2**31)


def compile_tester(cache: Path | None = None) -> Path:
    """tester.c, compiled statically (cached)."""
    return initramfs.compile_tester(cache or build.cache_dir(), TESTER_SOURCE, "pfstat-tester")


def pfstat_initramfs(out: Path, tester: Path, *, nr: int, seed: int) -> Path:
    """An initramfs whose /init runs the tester once."""
    return initramfs.build_initramfs(out, tester, f"/pfstat-tester --nr {int(nr)} "
                                                  f"--seed {int(seed)}")


def boot_and_check(kernel: Path, args: argparse.Namespace, workdir: Path,
                   transcripts: Path | None) -> tuple[qemu.Boot, str | None]:
    factor = getattr(args, "timeout_factor", 1.0)
    initrd = pfstat_initramfs(workdir / "initrd.gz", compile_tester(), nr=args.syscall_nr,
                              seed=_seed(args))
    log = transcripts / "console.log" if transcripts else workdir / "console.log"
    limits = qemu.Limits(boot=args.boot_timeout * factor, run=args.test_timeout * factor,
                         check=CHECK_LIMIT * factor)
    run = qemu.boot(kernel, initrd, prefix=PREFIX, limits=limits, accel=args.accel,
                    log_path=log)
    return run, (str(log) if transcripts else None)


def run_local(args: argparse.Namespace) -> qemu.Boot:
    """The tester on this machine's kernel, in its own process group, timed out as a whole."""
    tester = compile_tester()
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
    qemu.parse_tester(run, PREFIX)
    return run


def not_run(args: argparse.Namespace, why: str) -> list[TestResult]:
    """Every check ERROR: the grader failed before it could judge anything (cli.py)."""
    return grading.not_run(CHECKS, args, why)


def grade(submission: Path, args: argparse.Namespace) -> Report:
    """Build (or take) the kernel, boot it, turn the tester's lines into results; when the
    grader's own tools fail, a Report with `error` (the cause) and every check ERROR."""
    start = time.monotonic()
    try:
        return _grade(submission, args, start)
    except ToolError as exc:
        return Report(PROJECT, str(submission), not_run(args, str(exc)),
                      grading.QEMU_ISOLATION, time.monotonic() - start, error=str(exc))


def _grade(submission: Path, args: argparse.Namespace, start: float) -> Report:
    transcripts = getattr(args, "transcripts", None)
    if transcripts:
        transcripts.mkdir(parents=True, exist_ok=True)
    nr = args.syscall_nr
    if args.local:
        run = run_local(args)
        results = grading.selected(results_from_run(run, nr=nr, where="the running kernel"), args)
        return Report(PROJECT, grading.label(f"local kernel {os.uname().release}", run),
                      results,
                      isolation="none: the tester runs on this machine's kernel",
                      duration=time.monotonic() - start)

    path, isolation, failures = grading.kernel_for(submission, args, CHECKS)
    if path is None:
        return Report(PROJECT, str(submission), grading.selected(failures, args), isolation,
                      time.monotonic() - start)
    with tempfile.TemporaryDirectory(prefix="minigrade-pfstat-") as tmp:
        run, transcript = boot_and_check(path, args, Path(tmp), transcripts)
    results = grading.selected(results_from_run(run, nr=nr, where="the kernel",
                                        transcript=transcript), args)
    return Report(PROJECT, grading.label(submission, run), results, isolation,
                  time.monotonic() - start)
