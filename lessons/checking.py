"""Grading a student's exercise on the spot, with the grader engine's result model.

Each lesson's `exercise/check.py` is a list of small tests written with the `@test`
decorator: a test runs the student's program (through `runner`: a session, limits, a
timeout, the reaper) and either returns or raises `Fail` with one sentence the student can
act on and the evidence (expected vs actual, with whitespace made visible). The verdict is a
`graders.model.Report`, printed by `graders.reporters.print_terminal` like every grade.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graders.model import Outcome, Report, TestResult
from graders.sandbox import Sandbox, SandboxError

from . import build, runner, tools
from .catalog import Exercise, Lesson, LessonError

TestFn = Callable[["Checker"], None]


class Fail(Exception):
    """A test did not pass: REASON is one sentence; FEEDBACK is the evidence."""

    def __init__(self, reason: str, feedback: str = "", outcome: Outcome = Outcome.FAILED):
        super().__init__(reason)
        self.reason, self.feedback, self.outcome = reason, feedback, outcome


class ToolError(Exception):
    """The checker's own machinery failed (sandbox, tracer): never the student's fault."""


def test(name: str, points: float = 1.0) -> Callable[[TestFn], TestFn]:
    """Mark a function of check.py as a test; they run in the order they are written."""
    def mark(fn: TestFn) -> TestFn:
        fn.test_name, fn.test_points = name, points  # type: ignore[attr-defined]
        return fn
    return mark


def visible(text: str) -> str:
    """Show whitespace a student cannot see otherwise: trailing spaces, tabs, missing newline."""
    lines = text.split("\n")
    shown = [line.replace("\t", "→").rstrip(" ") + "·" * (len(line) - len(line.rstrip(" ")))
             for line in lines]
    if text and not text.endswith("\n"):
        shown[-1] += "⏎(no newline at end)"
    elif text:
        shown = shown[:-1]
    return "\n".join(shown)


def diff(expected: str, actual: str) -> str:
    """Expected vs actual as a unified diff, whitespace visible."""
    lines = difflib.unified_diff(visible(expected).splitlines(), visible(actual).splitlines(),
                                 "expected", "your program", lineterm="", n=2)
    return "\n".join(lines) or "(they differ only in invisible ways)"


def tail(text: str, n: int = 12) -> str:
    lines = text.rstrip("\n").splitlines()
    return "\n".join(lines[-n:]) if lines else "(nothing)"


@dataclass
class Checker:
    """What a test sees: the student's program, built, and a scratch folder to run it in."""

    lesson: Lesson
    source: Path
    sandbox: Sandbox
    timeout_factor: float = 1.0
    command: list[str] | None = None  # how to start the student's program, once built
    last: runner.Run | None = None  # the latest run, for feedback when a test fails
    memo: dict = field(default_factory=dict)  # what a test found that the next ones reuse

    @property
    def work(self) -> Path:
        """The sandbox's folder: the program, its files, and the probes it is checked with."""
        return self.sandbox.workdir

    def probe(self, name: str) -> Path:
        """A helper program of the checks, copied where the sandboxed program can run it."""
        dest = self.work / "probes" / name
        if not dest.exists():
            dest.parent.mkdir(exist_ok=True)
            shutil.copy2(build.probe(name), dest)
        return dest

    def build(self) -> str:
        """Compile (or copy) the program; returns gcc's warnings, shown even on success."""
        if self.source.suffix == ".c":
            try:  # compiled once per source text (the cache), then copied for the sandbox
                cached, warnings = build.compile_with_warnings(self.source)
            except build.CompileError as e:
                raise Fail(f"{self.source.name} does not compile: fix the first error gcc shows.",
                           tail(e.log, 25)) from None
            binary = self.work / self.source.stem
            shutil.copy2(cached, binary)
            self.command = [str(binary)]
            self._probe()
            return warnings.strip()
        elif self.source.suffix == ".py":  # copied: the sandbox may not see the student's folder
            copy = self.work / self.source.name
            shutil.copy(self.source, copy)
            self.command = [self._python(), str(copy)]
            self._probe()
            return ""
        else:
            raise Fail(f"don't know how to run {self.source.name}: expected a .c or .py file")

    def _probe(self) -> None:
        """The real launcher, as the sandbox user, up to the exec of the program: a
        SandboxError (the checker's, not the student's) if the sandbox cannot start it."""
        self.sandbox.give_to_sandbox_user()
        self.sandbox.probe(self.command)

    def _python(self) -> str:
        """Our interpreter, unless the sandbox user cannot run it (ours lives under /root
        and there is no bubblewrap to lend it): then the system's, which has the stdlib."""
        if self.sandbox.python_ok:
            return sys.executable
        return shutil.which("python3", path="/usr/bin:/bin") or sys.executable

    def run(self, *args: str, timeout: float = 5.0, cwd: Path | None = None,
            stdin: str | None = None, env: dict[str, str] | None = None,
            prefix: tuple[str, ...] = ()) -> runner.Run:
        """Run the program with ARGS in the sandbox (under PREFIX, e.g. the tracer)."""
        assert self.command is not None
        self.last = runner.run([*prefix, *self.command, *args], self.sandbox,
                               cwd=cwd or self.work, timeout=timeout * self.timeout_factor,
                               env=env, stdin_data=stdin.encode() if stdin is not None else None)
        r = self.last
        if r.exit_code is None and r.signal is None and not (r.timed_out or r.flooded):
            raise ToolError("the sandbox did not report how the program ended: "
                            + (tail(r.stderr, 3) if r.stderr.strip() else "no message"))
        return r

    def trace(self, *args: str, timeout: float = 10.0, faults: bool = False,
              cwd: Path | None = None) -> tuple[runner.Run, list[dict]]:
        """Run the program under minitrace: its run, and the events the tracer saw (every
        fork, exec, exit and system call of it and its children; with FAULTS the page-fault
        counters at each call). How the checks see the mechanism, not just the output."""
        tracer = tools.tracer()
        if tracer is None:
            raise ToolError("minitrace is not installed: the check needs it "
                            "(pip install the toolkit again)")
        log = self.work / f"trace-{len(self.memo)}.jsonl"
        self.memo[log.name] = True
        extra = ("--html", os.devnull) if faults else ()  # counters are kept for pictures
        r = self.run(*args, timeout=timeout, cwd=cwd,
                     prefix=(tracer, "--json", "-o", str(log), *extra, "--"))
        try:
            events = [json.loads(line) for line in log.read_text().splitlines() if line]
        except (OSError, ValueError):
            events = []
        if not any(e.get("type") == "start" for e in events) and not r.timed_out:
            raise ToolError(f"minitrace could not trace the program in the sandbox "
                            f"({r.how_it_ended()}): {tail(r.stderr, 3)}")
        return r, events

    def evidence(self) -> str:
        """What the latest run said on stderr and how it ended, when that may explain a failure."""
        r = self.last
        if r is None or (r.exit_code == 0 and not r.stderr.strip()):
            return ""
        return f"\n{r.how_it_ended().capitalize()}; its stderr said:\n{tail(r.stderr)}"

    def start(self, *args: str, stdin: bool = False) -> runner.Live:
        """Start the program and keep talking to it (lines in with STDIN, signals out)."""
        assert self.command is not None
        return runner.Live([*self.command, *args], self.sandbox, stdin=stdin)

    def spy_on(self, *programs: str) -> tuple[dict[str, str], Path]:
        """An environment where PROGRAMS are run through fdspy; returns it and the spy's log.

        The programs still run for real; each leaves a line `NAME fds=0,1,2, parent=PARENT`.
        """
        spies = self.work / "spies"
        spies.mkdir(exist_ok=True)
        spy = self.probe("fdspy")
        for name in programs:
            (spies / name).unlink(missing_ok=True)
            (spies / name).symlink_to(spy)
        log = self.work / "fdspy.log"
        log.unlink(missing_ok=True)
        path = tools.search_path()
        return tools.environment(PATH=f"{spies}{os.pathsep}{path}", FDSPY_PATH=path,
                                 FDSPY_LOG=str(log)), log

    def expect_clean_end(self, r: runner.Run, what: str) -> None:
        """Fail with the right outcome when a run timed out, crashed or left children behind."""
        cmd = " ".join(Path(r.argv[0]).name if i == 0 else a for i, a in enumerate(r.argv))
        evidence = f"$ {cmd}\nstdout:\n{tail(r.stdout)}\nstderr:\n{tail(r.stderr)}"
        if r.timed_out:
            raise Fail(f"{what}: {r.how_it_ended()} -- is a process waiting for input or "
                       "for an end of file that never comes?", evidence, Outcome.TIMEOUT)
        if r.signal:
            raise Fail(f"{what}: {r.how_it_ended()}.", evidence, Outcome.CRASHED)
        if r.flooded:
            raise Fail(f"{what}: {r.how_it_ended()}.", evidence)
        if r.zombies or r.running:
            raise Fail(f"{what}: it exited without waiting for {r.zombies + r.running} "
                       "child process(es): call waitpid() for every child you fork.", evidence)


def _tests(module) -> list[TestFn]:
    return [f for f in vars(module).values() if callable(f) and hasattr(f, "test_name")]


def grade(exercise: Exercise | Lesson, source: Path, timeout_factor: float = 1.0) -> Report:
    """Build and test the student's file; every outcome, even a grader bug, is a Report.
    EXERCISE: which one (a Lesson means its first exercise)."""
    if isinstance(exercise, Lesson):
        exercise = exercise.exercises[0]
    lesson = exercise.lesson
    if not source.is_file():
        raise LessonError(f"no such file: {source} (start the exercise with "
                          f"`minilesson start {exercise.id}`)")
    started = time.monotonic()
    tests = _tests(exercise.check_module())
    if not tests:  # never "passed" with nothing checked: that is the course's bug
        return Report(project=f"exercise {exercise.id}: {exercise.title}",
                      submission=str(source), results=[],
                      error=f"the checker found no tests in exercise {exercise.id}'s check.py")
    results: list[TestResult] = []
    try:
        # A student checking their own exercise: where no isolation is possible, it still
        # runs (and the report says UNSANDBOXED).
        sandbox = Sandbox(allow_unsandboxed=True)
    except Exception as e:  # noqa: BLE001 -- whatever broke, it is ours, not the student's
        return Report(project=f"exercise {exercise.id}: {exercise.title}",
                      submission=str(source), results=[], duration=time.monotonic() - started,
                      error=f"the checker could not make its sandbox: {e}")
    with sandbox:
        ex = Checker(lesson, source.resolve(), sandbox, timeout_factor)
        broken = _run_one(ex, "it compiles" if source.suffix == ".c" else "it starts", 0,
                          ex.build, results)
        hung = None  # the first test the program hung in: said once, the rest not run
        for fn in tests:
            if broken or hung:
                why = (f"not run: the program hung in `{hung}` (above); fix that first."
                       if hung else "not run: the program could not be built.")
                results.append(TestResult(fn.test_name, fn.test_points, 0, Outcome.FAILED,
                                          why))
                continue
            _run_one(ex, fn.test_name, fn.test_points, lambda f=fn: f(ex), results)
            if results[-1].outcome is Outcome.TIMEOUT:
                hung = fn.test_name
        isolation = sandbox.isolation + ", children not waited for found by a subreaper"
    errors = [r.reason for r in results if r.outcome is Outcome.ERROR]
    return Report(project=f"exercise {exercise.id}: {exercise.title}", submission=str(source),
                  results=results, isolation=isolation, duration=time.monotonic() - started,
                  error=f"the checker failed, not your program: {errors[0]}" if errors else None)


def _run_one(ex: Checker, name: str, points: float, body: Callable[[], None],
             results: list[TestResult]) -> bool:
    """Run one test body; returns True when it failed."""
    t0 = time.monotonic()
    ex.last = None
    try:
        feedback = body() or ""  # a passing test may still have something to say (warnings)
        outcome, reason = Outcome.PASSED, ""
    except Fail as f:
        outcome, reason, feedback = f.outcome, f.reason, f.feedback + ex.evidence()
    except (ToolError, SandboxError) as e:  # the sandbox or the tracer: the checker's error
        outcome, reason, feedback = Outcome.ERROR, f"the checker could not run: {e}", ""
    except Exception as e:  # a bug in the check itself: say so, never blame the student
        outcome, reason, feedback = Outcome.ERROR, f"the check itself failed: {e!r}", ""
    results.append(TestResult(name, points, points if outcome is Outcome.PASSED else 0,
                              outcome, reason, feedback, duration=time.monotonic() - t0))
    return outcome is not Outcome.PASSED
