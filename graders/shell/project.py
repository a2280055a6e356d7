"""The shell project: grade a student's Unix shell (see graders/shell/README.md).

The shell is driven through a real terminal, one fresh shell per test (tests.py), inside
the sandbox; its system calls are checked with minitrace when it is installed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .. import engine
from ..model import Outcome, Report, TestResult
from ..sandbox import Sandbox, SandboxError
from ..submission import SubmissionError, prepare
from .tests import TESTS

PROGRAM_NAMES = ("myshell", "shell")
DEFAULT_PROMPT = r"\$ "  # the statement: the prompt ends with "$ "


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--prompt", default=DEFAULT_PROMPT, metavar="REGEX",
                        help="regular expression the prompt ends with "
                             f"(default {DEFAULT_PROMPT!r})")
    parser.add_argument("--shell-args", default="", metavar="ARGS",
                        help="arguments given to the shell (space-separated), e.g. '-i'")


def grade(submission: Path, args: argparse.Namespace) -> Report:
    start = time.monotonic()
    options = engine.Options(prompt=args.prompt, timeout_factor=args.timeout_factor,
                             hidden=args.hidden, transcripts=args.transcripts,
                             select=getattr(args, "test", None),
                             jobs=getattr(args, "parallel", 1))
    try:
        with Sandbox() as sandbox:
            report = Report("shell", str(submission), [], sandbox.isolation)
            if any(t.traced for _, t in engine.chosen_tests(TESTS, options)):
                options.tracer, options.tracer_missing = engine.find_tracer(sandbox)
            try:
                program = prepare(submission, sandbox, PROGRAM_NAMES, args.timeout_factor)
            except SubmissionError as exc:
                report.error = str(exc)
                report.results = _not_run(options, str(exc))
            else:
                argv = [str(program), *args.shell_args.split()]
                sandbox.probe(argv)  # the real launcher, as the sandbox user: can it start?
                sub = engine.Submission(argv, program.name)
                report.results = engine.run_tests(TESTS, sub, sandbox, options)
    except SandboxError as exc:  # the grader's machinery: every test is an error, not a 0
        results = _not_run(options, f"grader error: {exc}", Outcome.ERROR)
        report = Report("shell", str(submission), results, error=str(exc))
    report.duration = time.monotonic() - start
    return report


def _not_run(options: engine.Options, why: str,
             outcome: Outcome = Outcome.FAILED) -> list[TestResult]:
    """Every test, at 0 points, so the gradebook still shows what was at stake."""
    first_line = why.splitlines()[0]
    return [TestResult(t.name, t.points, 0.0, outcome, reason=f"not run: {first_line}",
                       feedback=why, visibility="hidden" if t.hidden else "visible")
            for t in TESTS if options.hidden or not t.hidden]
