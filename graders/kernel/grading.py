"""From what a kernel under test did to verdicts a student can act on (every kernel project).

A tester inside the VM prints one line per check; a kernel can also fail in ways a program
cannot: never reach /init, panic, oops (with `oops=panic` the machine stops), or hang. Each
check gets exactly one outcome:
- the tester's own PASS/FAIL line, with the project's hint on a failure;
- the check that was running when the kernel died or hung: CRASHED or TIMEOUT, quoting the
  console lines that matter (BUG:, RIP:, the call trace), with a hint on what usually
  causes it;
- every check after it: the same outcome, "not run", naming the check where it stopped.
The seed that replays the run is in every result's feedback, passed or not.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import Outcome, TestResult
from ..sandbox import SandboxError
from . import build
from .qemu import Boot

QEMU_ISOLATION = "QEMU, TCG emulation: the kernel runs in a virtual machine"

HANG_HINT = ("a kernel stops like this when a loop never ends (a list walk that misses its "
             "end), when a lock is taken twice or never released (a spinlock held while "
             "sleeping), or when it sleeps waiting for something that never happens")


@dataclass(frozen=True)
class Check:
    name: str
    points: float
    title: str
    hint: str  # what to change when it fails
    tags: tuple[str, ...] = ()


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


def add_kernel_arguments(parser: argparse.ArgumentParser, boot_default: float,
                         test_default: float) -> None:
    """--kernel / --patch and the QEMU options every kernel project takes."""
    parser.add_argument("--kernel", type=Path, metavar="BZIMAGE",
                        help="boot this kernel in QEMU and grade it")
    parser.add_argument("--patch", type=Path, metavar="FILE",
                        help="build linux-source-6.1 + this patch (tinyconfig + the course's "
                             "kernel.config), then grade it")
    parser.add_argument("--seed", type=int, metavar="S",
                        help="the tester's random seed (default: a new one each run; "
                             "every report prints it)")
    parser.add_argument("--accel", default="tcg", choices=["tcg", "kvm"],
                        help="QEMU accelerator (default tcg: KVM guests hang on some VMs)")
    parser.add_argument("--boot-timeout", type=float, default=boot_default, metavar="S",
                        help=f"seconds for the kernel to reach /init (default "
                             f"{boot_default:g})")
    parser.add_argument("--test-timeout", type=float, default=test_default, metavar="S",
                        help=f"seconds for the whole tester once /init runs (default "
                             f"{test_default:g}; a hang is caught sooner, by each check's "
                             "own time limit)")


def default_submission(args: argparse.Namespace) -> Path | None:
    """The submission named by an option, for a command line without one."""
    if getattr(args, "kernel", None):
        return args.kernel
    if getattr(args, "patch", None):
        return args.patch
    if getattr(args, "local", False):
        return Path("/proc/version")  # the running kernel
    return None


def kernel_for(submission: Path, args: argparse.Namespace, checks: Sequence[Check]
               ) -> tuple[Path | None, str, list[TestResult]]:
    """(the bzImage to boot, how it was isolated, []) -- or (None, ..., the results) when
    the patch does not apply or compile: the student's error, quoted from the log."""
    kind, path = (("kernel", args.kernel) if getattr(args, "kernel", None) else
                  ("patch", args.patch) if getattr(args, "patch", None) else
                  find_submission(submission))
    if kind == "kernel" and not is_bzimage(path):
        raise ValueError(f"{path} is not an x86 bzImage (no boot header)")
    if kind == "kernel":
        return path, QEMU_ISOLATION, []
    try:
        built = build.build_kernel(path.read_bytes())
    except build.BuildError as exc:
        where = f" (build log: {exc.log})" if exc.log else ""
        outcome = Outcome.TIMEOUT if exc.timed_out else Outcome.FAILED
        return None, QEMU_ISOLATION, all_fail(
            checks, outcome, f"{exc}{where}", exc.excerpt, str(exc),
            str(exc.log) if exc.log else None)
    except SandboxError as exc:  # the grader's machinery, not the patch: every check errs
        why = f"grader error: {exc}"
        return None, QEMU_ISOLATION, all_fail(checks, Outcome.ERROR, why, "", why)
    return built.bzimage, f"{QEMU_ISOLATION}; build: {built.isolation}", []


# -- from the tester's lines to results ----------------------------------------------

def result(check: Check, outcome: Outcome, reason: str, feedback: str = "",
           transcript: str | None = None, duration: float = 0.0) -> TestResult:
    points = check.points if outcome is Outcome.PASSED else 0.0
    return TestResult(name=f"{check.name}: {check.title}", max_points=check.points,
                      points=points, outcome=outcome, reason=reason, feedback=feedback,
                      transcript=transcript, tags=list(check.tags), duration=duration)


def not_run(checks: Sequence[Check], args: argparse.Namespace, why: str) -> list[TestResult]:
    """The grader's machinery failed (a ToolError, the sandbox): every check ERROR, with
    the one cause; the student's work was not judged."""
    return selected([result(c, Outcome.ERROR, f"not run: grader error: {why}")
                     for c in checks], args)


def all_fail(checks: Sequence[Check], outcome: Outcome, reason: str, feedback: str,
             short: str, transcript: str | None = None) -> list[TestResult]:
    """Nothing could be checked: the first check says why in full, the others "not run"."""
    first, *rest = checks
    return [result(first, outcome, reason, feedback, transcript),
            *(result(c, outcome, f"not run: {short}", "", transcript) for c in rest)]


def results_from_run(run: Boot, checks: Sequence[Check], *, prefix: str, where: str,
                     transcript: str | None = None) -> list[TestResult]:
    """Each check's verdict, given what the console (or a local run) showed."""
    if not run.reached_init:
        return _never_started(run, checks, where, transcript)
    crash = run.crash_lines()
    stopped_at = run.running
    seed = f"seed {run.seed} (replay: --seed {run.seed})" if run.seed else "no seed printed"
    results = []
    for check in checks:
        took = run.durations.get(check.name, 0.0)
        if check.name in run.checks:
            status, detail = run.checks[check.name]
            if status == "PASS":
                results.append(result(check, Outcome.PASSED, "", f"{detail}\n{seed}",
                                      transcript, took))
            else:
                results.append(result(check, Outcome.FAILED, f"{detail}: {check.hint}",
                                      f"{prefix} {check.name} {status} {detail}\n{seed}",
                                      transcript, took))
        elif check.name == stopped_at:
            results.append(_stopped_here(check, run, crash, seed, transcript))
        else:
            results.append(_not_run(check, run, stopped_at, transcript))
    return results


def _never_started(run: Boot, checks: Sequence[Check], where: str,
                   transcript: str | None) -> list[TestResult]:
    crash = run.crash_lines()
    if run.panic:
        return all_fail(checks, Outcome.CRASHED,
                        f"kernel panic before /init started: {crash[0] if crash else ''}",
                        "\n".join(crash) or run.tail(), "the kernel panicked at boot",
                        transcript)
    if run.timed_out:
        return all_fail(checks, Outcome.TIMEOUT,
                        f"{where} never started /init (waited for {run.timed_out}); "
                        "the console's last lines are below (a heavily loaded grading "
                        "machine boots slowly: --timeout-factor gives it more time)",
                        run.tail(),
                        f"{where} never started /init", transcript)
    return all_fail(checks, Outcome.CRASHED, f"{where} stopped before /init started",
                    run.tail(), f"{where} stopped before /init started", transcript)


def _stopped_here(check: Check, run: Boot, crash: list[str], seed: str,
                  transcript: str | None) -> TestResult:
    took = run.durations.get(check.name, 0.0)
    if run.panic:
        first = next((line for line in crash if "Kernel panic" not in line),
                     crash[0] if crash else "see the console log")
        return result(check, Outcome.CRASHED, f"kernel panic during this check: {first}",
                      "\n".join(crash) + f"\n{seed}", transcript, took)
    if run.timed_out:
        return result(check, Outcome.TIMEOUT,
                      f"the machine hung during this check: no result after {took:.0f} s, "
                      f"when it takes under {run.check_limit:.0f} s; {HANG_HINT}",
                      f"{run.tail()}\n{seed}", transcript, took)
    return result(check, Outcome.CRASHED,
                  f"the tester died during this check ({run.exit_note or 'no result'}); "
                  "the kernel may have killed it (an oops)", f"{run.tail()}\n{seed}",
                  transcript, took)


def _not_run(check: Check, run: Boot, stopped_at: str | None,
             transcript: str | None) -> TestResult:
    if stopped_at is None:
        return result(check, Outcome.FAILED, "the tester printed no result for this check",
                      run.tail(), transcript)
    # The outcome is why the check could not run; the reason says so in the same words.
    if run.panic:
        outcome, why = Outcome.CRASHED, "crashed: the kernel panicked"
    elif run.timed_out:
        outcome, why = Outcome.TIMEOUT, "timed out: the machine hung"
    else:
        outcome, why = Outcome.CRASHED, "crashed: the tester died"
    return result(check, outcome, f"not run, {why} during check `{stopped_at}`", "",
                  transcript)


def label(submission: Path | str, run: Boot) -> str:
    """The report's title: the submission and, always, the seed that replays the run."""
    return f"{submission} (seed {run.seed}, replay with --seed {run.seed})" if run.seed \
        else str(submission)


def selected(results: list[TestResult], args: argparse.Namespace) -> list[TestResult]:
    """`-k NAME`: the tester always runs every check (one boot); report only those asked."""
    wanted = getattr(args, "test", None)
    if not wanted:
        return results
    return [r for r in results if any(w in r.name for w in wanted)]
