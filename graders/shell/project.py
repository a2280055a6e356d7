"""The shell project: grade a student's Unix shell (see graders/shell/README.md).

The shell is driven through a real terminal, one fresh shell per test (tests.py), inside
the sandbox; its system calls are checked with minitrace when it is installed.
"""

from __future__ import annotations

import argparse
import compileall
import re
import re._constants as re_constants  # the parsed form of a regex: to see where `$` is
import re._parser as re_parser
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import minishell

from .. import engine
from ..model import Outcome, Report, TestResult
from ..sandbox import Sandbox, SandboxError
from ..submission import SubmissionError, prepare
from .tests import TESTS

PROGRAM_NAMES = ("myshell", "shell")
DEFAULT_PROMPT = r"\$ "  # the statement: the prompt ends with "$ "


def _end_then_more(seq) -> bool:
    """Does a parsed regex hold `$` followed by a character to match (which cannot be)?"""
    items = list(seq)
    for i, (op, av) in enumerate(items):
        if op is re_constants.AT and av is re_constants.AT_END and any(
                o in (re_constants.LITERAL, re_constants.ANY, re_constants.IN,
                      re_constants.NOT_LITERAL) and not (o is re_constants.LITERAL and a == 10)
                for o, a in items[i + 1:]):
            return True
        if op is re_constants.SUBPATTERN and _end_then_more(av[3]):
            return True
        if op is re_constants.BRANCH and any(_end_then_more(b) for b in av[1]):
            return True
    return False


def prompt_regex(pattern: str) -> str:
    """--prompt's check: a regular expression that can match the end of a prompt. `mysh$ `
    cannot (`$` is the end of the text, so nothing can follow it): refused with the fix."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"{pattern!r} is not a regular expression ({exc}); "
                                         "for a literal prompt use --prompt-text") from None
    if _end_then_more(re_parser.parse(pattern)):
        escaped = re.sub(r"(?<!\\)((?:\\\\)*)\$", r"\1\\$", pattern)
        raise argparse.ArgumentTypeError(
            f"{pattern!r} can never match: in a regular expression `$` means the end of the "
            f"text, so nothing can follow it. Write --prompt {escaped!r}, or give the prompt "
            f"as it is printed with --prompt-text {pattern!r}")
    if re.fullmatch(f"(?:{pattern})", "") is not None:
        raise argparse.ArgumentTypeError(f"{pattern!r} matches the empty text: every output "
                                         "would look like a prompt")
    return pattern


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--prompt", default=DEFAULT_PROMPT, metavar="REGEX", type=prompt_regex,
                       help="regular expression the prompt ends with "
                            f"(default {DEFAULT_PROMPT!r})")
    which.add_argument("--prompt-text", metavar="TEXT",
                       help="the text the prompt ends with, taken literally (e.g. 'mysh$ ')")
    parser.add_argument("--shell-args", default="", metavar="ARGS",
                        help="arguments given to the shell (space-separated), e.g. '-i'")


def grade(submission: Path, args: argparse.Namespace) -> Report:
    start = time.monotonic()
    prompt = re.escape(args.prompt_text) if getattr(args, "prompt_text", None) else args.prompt
    options = engine.Options(prompt=prompt, timeout_factor=args.timeout_factor,
                             hidden=args.hidden, transcripts=args.transcripts,
                             select=getattr(args, "test", None),
                             jobs=getattr(args, "parallel", 1))
    try:
        with Sandbox() as sandbox, ThreadPoolExecutor(max_workers=1) as probe:
            report = Report("shell", str(submission), [], sandbox.isolation)
            try:
                program = prepare(submission, sandbox, PROGRAM_NAMES, args.timeout_factor)
            except SubmissionError as exc:  # the student's failure: every test FAILED
                report.submission_error = str(exc)
                report.results = _not_run(options, str(exc))
            else:
                cache_bytecode()
                argv = [str(program), *args.shell_args.split()]
                sandbox.probe(argv)  # the real launcher, as the sandbox user: can it start?
                if any(t.traced for _, t in engine.chosen_tests(TESTS, options)):
                    _probe_tracer(options, sandbox, probe)
                sub = engine.Submission(argv, program.name)
                report.results = engine.run_tests(TESTS, sub, sandbox, options)
    except SandboxError as exc:  # the grader's machinery: every test is an error, not a 0
        report = Report("shell", str(submission), not_run(args, str(exc)), error=str(exc))
    report.duration = time.monotonic() - start
    return report


def cache_bytecode() -> None:
    """Write the bytecode cache (__pycache__) of our Python code that runs inside the
    sandbox: minitrace in the mechanism test, minishell when it is the submission. In
    there the code is read-only, so Python cannot cache what it compiles, and without a
    cache every one of a grading's 30-odd shells compiles each module from source again
    (measured: minishell's first prompt 0.9 s instead of 0.5 s, a whole grading 17 s
    instead of 12 s). Done once here, a few ms when the cache is up to date; where the
    install is read-only it was compiled when installed, or is left as it is."""
    # py_compile turns any exception into a compile error it swallows: a SIGTERM (raised
    # as an exception by minigrade's handler) waits until the compilation is done.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        compileall.compile_dir(Path(minishell.__file__).parent, quiet=2)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _probe_tracer(options: engine.Options, sandbox: Sandbox, pool: ThreadPoolExecutor) -> None:
    """Is minitrace usable here? It takes a second to find out: with tests side by side,
    they start meanwhile (each test's cleanup spares the probe). One at a time, a test's
    cleanup sweeps the sandbox user's every process, so the probe runs first."""
    if options.jobs > 1:
        options.tracer_probe = pool.submit(engine.find_tracer, sandbox)
    else:
        options.tracer, options.tracer_missing = engine.find_tracer(sandbox)


def not_run(args: argparse.Namespace, why: str) -> list[TestResult]:
    """Every test the run would have graded, marked ERROR: the grader's own failure
    (minigrade's command line uses it too, when a grader raises)."""
    options = engine.Options(hidden=args.hidden, select=getattr(args, "test", None))
    return _not_run(options, f"grader error: {why}", Outcome.ERROR)


def _not_run(options: engine.Options, why: str,
             outcome: Outcome = Outcome.FAILED) -> list[TestResult]:
    """Every test, at 0 points, so the gradebook still shows what was at stake."""
    first_line, *more = why.strip().splitlines()
    return [TestResult(t.name, t.points, 0.0, outcome, reason=f"not run: {first_line}",
                       feedback=why if more else "",
                       visibility="hidden" if t.hidden else "visible")
            for _, t in engine.chosen_tests(TESTS, options)]
