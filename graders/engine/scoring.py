"""One test, start to end, and the outcome it earns; then every test of a submission.

Each test gets a fresh shell in a fresh folder inside the sandbox, driven by its steps and
judged on what it printed, what files it made, what /proc says about its children and
descriptors, and — for traced tests — which system calls minitrace saw. Whatever happens,
the test ends with everything it started killed.

Outcomes stay distinct because each asks for a different fix: FAILED (it answered wrongly),
TIMEOUT (it never answered: a pipe end left open, a missing wait), CRASHED (it died of a
signal), ERROR (the grader broke: never the student's fault).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pexpect

from .. import spec, text
from ..model import Outcome, TestResult
from ..sandbox import Cell, Sandbox
from .foreground import give_up_terminal
from .mechanism import judge_trace
from .session import Options, Session, StepFailed
from .steps import run_step, wait_prompt
from .terminal import OUTPUT_CAP

FOREGROUND = Path(__file__).with_name("foreground.py")
# How foreground.py says it could not start the shell (before any of the shell's code ran).
MACHINERY_FAILED = "minigrade: cannot give the shell the terminal"


@dataclass
class Submission:
    argv: list[str]  # how to start the shell (inside the sandbox)
    name: str


def _prepare_folder(test: spec.Test, sandbox: Sandbox, number: int) -> Path:
    cwd = sandbox.workdir / "tests" / f"{number:02d}"
    cwd.mkdir(parents=True)
    for name, content in test.files.items():
        (cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (cwd / name).write_text(content)
    sandbox.give_to_sandbox_user(cwd)
    return cwd


def _stderr_file(sandbox: Sandbox, number: int) -> Path:
    """Where the shell's standard error goes in a test that keeps it apart: beside the
    test's folder, not in it (a `ls` must not show it)."""
    path = sandbox.workdir / "tests" / f"{number:02d}.stderr"
    path.touch()
    sandbox.give_to_sandbox_user(path)
    return path


def _spawn(argv: list[str], sandbox: Cell, cwd: Path, traced: bool = False) -> pexpect.spawn:
    """The sandboxed command on a new pty. Traced, the pty is left free for the shell's own
    session to take (foreground.py): the sandbox's processes run without a terminal."""
    command = sandbox.command(argv, cwd=cwd)
    child = pexpect.spawn(command[0], command[1:], env={"PATH": os.defpath},
                          dimensions=(24, 1000), encoding=None, timeout=None,
                          preexec_fn=give_up_terminal if traced else None)
    child.delaybeforesend = None
    # We kill the whole sandbox ourselves before closing: pexpect's polite waits
    # (0.1 s after close, 0.1 s per signal) would only add up.
    child.delayafterclose = child.delayafterterminate = 0.0
    child.ptyproc.delayafterclose = child.ptyproc.delayafterterminate = 0.0
    return child


def run_test(test: spec.Test, sub: Submission, sandbox: Sandbox, options: Options,
             number: int, abandon: Callable[[], bool] | None = None) -> TestResult:
    start = time.monotonic()
    visibility = "hidden" if test.hidden else "visible"
    result = TestResult(test.name, test.points, 0.0, Outcome.PASSED, visibility=visibility,
                        tags=list(test.tags))
    if test.traced and options.tracer_probe is not None:
        options.tracer, options.tracer_missing = options.tracer_probe.result()
    if test.traced and options.tracer is None:  # our tracer failed: not the student's
        result.outcome = Outcome.ERROR
        result.reason = f"grader error: {options.tracer_missing}"
        return result
    cwd = _prepare_folder(test, sandbox, number)
    err_file = _stderr_file(sandbox, number) if test.stderr == "apart" else None
    # Its own uid (or user namespace): a fork bomb here cannot starve the tests beside it.
    cell = sandbox.cell(cwd, writable=(err_file,) if err_file else ())
    trace_file = cwd / ".trace.jsonl"
    argv, wrappers = _command(test, sub, options, trace_file, err_file)
    session = None
    spawned = steps_done = time.monotonic()
    try:
        session = Session(_spawn(argv, cell, cwd, test.traced), cell, cwd, options,
                          wrappers=wrappers, own_session=test.traced, abandon=abandon,
                          wants_fds=any(isinstance(st, spec.NoLeakedFds) for st in test.steps),
                          err_file=err_file)
        _run_steps(session, test)
        if test.traced:
            _judge_traced(session, test, trace_file)
    except StepFailed as exc:
        result.outcome, result.reason = exc.outcome, exc.reason
        _blame_machinery(session, result)
        result.feedback = _feedback(session, exc.detail)
    except Exception as exc:  # a bug in the grader or the spec: never the student's fault
        result.outcome = Outcome.ERROR
        result.reason = f"grader error: {type(exc).__name__}: {exc}"
        result.feedback = _feedback(session, "")
    finally:
        steps_done = time.monotonic()
        if session is not None:
            session.close()
        cell.close()
    if result.outcome is Outcome.PASSED:
        result.points = test.points
    result.duration = time.monotonic() - start
    prompted = session.first_prompt_at if session and session.first_prompt_at else steps_done
    # Where the time went (bench/grade.py reads them): our set-up, the sandbox and shell
    # starting until the first prompt, the test's steps, and killing everything after.
    result.timings = {"setup": spawned - start, "start-up": prompted - spawned,
                      "steps": steps_done - prompted, "teardown": start + result.duration
                      - steps_done}
    if session is not None:
        result.transcript = _save_transcript(session, test, number, options, result)
    return result


def _command(test: spec.Test, sub: Submission, options: Options, trace_file: Path,
             err_file: Path | None) -> tuple[list[str], tuple[str, ...]]:
    """The argv to start inside the sandbox, and the wrappers between it and the shell."""
    argv, wrappers = sub.argv, ()
    if test.traced:
        # Traced, the shell still starts as a terminal would start it: its own session
        # and process group, the terminal's foreground group (foreground.py), not
        # minitrace's group in the sandbox's session.
        argv = [*options.tracer, "--json", "-o", str(trace_file), "--",
                sys.executable, "-S", "-I", str(FOREGROUND), "--", *sub.argv]
        wrappers = tuple(options.tracer[-1:]) + ("minishell.trace", str(FOREGROUND))
    if err_file is not None:
        argv = ["/bin/sh", "-c", 'exec "$@" 2>>"$0"', str(err_file), *argv]
    return argv, wrappers


def _blame_machinery(session: Session | None, result: TestResult) -> None:
    """foreground.py could not give the shell its terminal: ours, not the student's."""
    if session is not None and MACHINERY_FAILED in session.screen:
        why = session.screen[session.screen.index(MACHINERY_FAILED):].splitlines()[0]
        result.outcome, result.reason = Outcome.ERROR, f"grader error: {why}"


def _run_steps(s: Session, test: spec.Test) -> None:
    deadline = time.monotonic() + test.timeout * s.options.timeout_factor
    # Every test begins at a prompt, as a person would. Under ptrace every system call
    # of the start-up costs a round trip to the tracer: a Python shell needs far longer.
    first = 30.0 if test.traced else 10.0
    wait_prompt(s, first, f"the first prompt (text ending in /{s.options.prompt}/; print it "
                "and flush standard output before reading)")
    s.first_prompt_at = time.monotonic()
    if s.own_session:
        s.shell_pid()  # known now, while it lives: its session is swept at the end
    for step in test.steps:
        if time.monotonic() > deadline:
            limit = test.timeout * s.options.timeout_factor
            raise StepFailed(f"the test took longer than its {limit:g} s limit",
                             outcome=Outcome.TIMEOUT)
        run_step(s, step)


def _judge_traced(s: Session, test: spec.Test, trace_file: Path) -> None:
    needs = next((st.needs for st in test.steps if isinstance(st, spec.Mechanism)), None)
    if needs is None:
        return
    if not s.dead:
        s.wait_for(lambda: s.dead, 5.0, "the traced shell to exit", allow_death=True)
    s.close()
    judge_trace(trace_file, needs)


def _feedback(s: Session | None, detail: str) -> str:
    parts = []
    if s is not None and s.sent:
        parts.append("input sent:\n" + text.indent("\n".join(s.sent)))
    if detail:
        parts.append(detail)
    if s is not None:
        parts.append("last lines of the terminal:\n"
                     + text.indent(text.tail(s.screen) or "(nothing)"))
    return "\n".join(parts)


def _save_transcript(s: Session, test: spec.Test, number: int, options: Options,
                     result: TestResult) -> str | None:
    if options.transcripts is None:
        return None
    options.transcripts.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", test.name).strip("-").lower()
    path = options.transcripts / f"{number:02d}-{slug}.txt"
    path.write_text(f"test: {test.name}\noutcome: {result.outcome}\nreason: {result.reason}\n"
                    f"input sent:\n{text.indent(chr(10).join(s.sent))}\n"
                    f"--- terminal (as seen) ---\n{s.screen}\n"
                    f"--- terminal (raw, repr) ---\n{s.term.raw[:OUTPUT_CAP]!r}\n")
    return str(path)


def run_tests(tests: list[spec.Test], sub: Submission, sandbox: Sandbox,
              options: Options) -> list[TestResult]:
    """Run the chosen tests, `options.jobs` at a time, results in the spec's order. A test
    waits for the test it depends on, and is not run (and says why) if that one failed."""
    chosen = chosen_tests(tests, options)
    futures: dict[str, Future] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, options.jobs))
    try:
        for number, test in _start_order(chosen):
            # Dependencies come earlier in the list, so in this FIFO pool they have started
            # before any test that waits for their result: no deadlock.
            dep = futures.get(test.depends) if test.depends else None
            futures[test.name] = pool.submit(_run_after, dep, test, sub, sandbox, options,
                                             number)
        return [futures[t.name].result() for _, t in chosen]
    finally:
        # Interrupted (Ctrl-C, SIGTERM): tests not started never start; running ones end
        # within their own timeouts, then the sandbox is swept.
        pool.shutdown(wait=True, cancel_futures=True)


def _start_order(chosen: list[tuple[int, spec.Test]]) -> list[tuple[int, spec.Test]]:
    """The slowest tests first (traced, then those that wait on purpose), so they do not
    end the run alone; every test after the test it depends on."""
    by_name = {t.name: (n, t) for n, t in chosen}
    order: list[tuple[int, spec.Test]] = []

    def add(item: tuple[int, spec.Test]) -> None:
        if item in order:
            return
        dep = by_name.get(item[1].depends or "")
        if dep is not None:
            add(dep)
        order.append(item)

    def slowness(item: tuple[int, spec.Test]) -> int:
        test = item[1]
        waits = any(isinstance(st, spec.Sleep) or getattr(st, "wait", 0) for st in test.steps)
        return 0 if test.traced else 1 if waits else 2

    for item in sorted(chosen, key=slowness):
        add(item)
    return order


def chosen_tests(tests: list[spec.Test], options: Options) -> list[tuple[int, spec.Test]]:
    """(number, test) of the tests this run includes (--hidden, -k)."""
    return [(n, t) for n, t in enumerate(tests, 1)
            if (options.hidden or not t.hidden)
            and (not options.select or selected(t.name, options.select, tests))]


def _run_after(dep: Future | None, test: spec.Test, sub: Submission, sandbox: Sandbox,
               options: Options, number: int) -> TestResult:
    """Run a test beside the test it depends on rather than after it (waiting would leave
    a worker idle for a shell's start-up): its result counts only if that test passed,
    and it gives up as soon as that test has failed."""
    def dep_failed() -> bool:
        return dep is not None and dep.done() and not dep.result().passed

    result = None if dep_failed() else run_test(test, sub, sandbox, options, number,
                                                abandon=dep_failed)
    if dep is not None and not dep.result().passed:
        return TestResult(test.name, test.points, 0.0, Outcome.FAILED,
                          reason=f"not run: it needs test {dep.result().name!r} to pass first",
                          visibility="hidden" if test.hidden else "visible",
                          tags=list(test.tags))
    return result


def selected(name: str, keys: list[str], tests: list[spec.Test]) -> bool:
    """-k KEY picks the test named KEY exactly if there is one, else every name holding KEY."""
    names = {t.name.lower() for t in tests}
    return any(name.lower() == k.lower() if k.lower() in names else k.lower() in name.lower()
               for k in keys)
