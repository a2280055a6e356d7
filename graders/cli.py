"""minigrade: the command line of the autograders.

    minigrade PROJECT SUBMISSION [--results F] [--junit F] [--prairielearn F] [...]
    minigrade batch PROJECT DIR -o OUT [-j N | --scheduler tcp://HOST:8786]
    minigrade export PROJECT --for gradescope|prairielearn|github -o OUT
    minigrade gradescope PROJECT -o autograder.zip   (= export --for gradescope)

A project is a module `graders.<name>.project` with `add_arguments(parser)` and
`grade(submission, args) -> Report` (and, optionally, `not_run(args, why)`: its tests
marked ERROR, for when the grader raises). Exit status: 0 every test passed; 1 otherwise,
a submission that does not build included (the student's failure: every test FAILED);
2 usage error or grader error (the toolkit's own machinery failed: the sandbox, QEMU, the
tracer, a bug of ours; those tests are marked ERROR, all of them when nothing could be
graded, and stderr says why in one line). A requested
results file is written even when the grader itself fails, because a missing results
file is worse for a student than an honest "grader error".
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import signal
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

from . import reporters
from .model import Outcome, Report
from .sandbox import SandboxError

USAGE_ERROR = 2
GRADER_ERROR = 2


def available_projects() -> list[str]:
    """Every sub-package of graders/ that has a project module."""
    here = Path(__file__).parent
    return sorted(
        m.name for m in pkgutil.iter_modules([str(here)])
        if m.ispkg and (here / m.name / "project.py").exists()
    )


def load_project(name: str) -> ModuleType:
    if name not in available_projects():
        known = ", ".join(available_projects()) or "none"
        raise SystemExit(f"minigrade: unknown project {name!r} (known: {known})")
    return importlib.import_module(f"graders.{name}.project")


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """Options every project understands (also used by batch and gradescope)."""
    parser.add_argument("--timeout-factor", type=float, default=1.0, metavar="X",
                        help="multiply every timeout by X (slow machines)")
    parser.add_argument("--hidden", action="store_true",
                        help="also run the hidden tests (TAs, Gradescope)")
    parser.add_argument("--transcripts", type=Path, metavar="DIR",
                        help="save each test's full transcript in DIR")
    parser.add_argument("--parallel", type=int, default=3, metavar="N",
                        help="tests run side by side (default 3; 1 for strictly one by one)")
    parser.add_argument("-k", "--test", action="append", metavar="NAME",
                        help="run only the tests whose name contains NAME (repeatable)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="grade even where no isolation is possible (code you trust: "
                             "your own); the results say UNSANDBOXED")


def build_parser(project: str, module: ModuleType) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"minigrade {project}", description=(module.__doc__ or "").strip().splitlines()[0]
        if module.__doc__ else None)
    # A project with default_submission(args) may name it by an option (pfstat --kernel F).
    parser.add_argument("submission", type=Path,
                        nargs="?" if hasattr(module, "default_submission") else None,
                        help=getattr(module, "SUBMISSION_HELP",
                                     "an executable, or a folder to build (Makefile or script)"))
    parser.add_argument("--results", metavar="F", help="write Gradescope results.json to F")
    parser.add_argument("--junit", metavar="F", help="write JUnit XML to F")
    parser.add_argument("--prairielearn", metavar="F", help="write PrairieLearn results to F")
    parser.add_argument("-q", "--quiet", action="store_true", help="no terminal report")
    add_common_arguments(parser)
    module.add_arguments(parser)
    return parser


class Terminated(Exception):
    """SIGTERM (a batch timeout, a CI runner stopping): end like a grader error, so the
    sandbox is cleaned up and the results file still says what happened."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated("grading was stopped by SIGTERM before it finished")


def grade_safely(project: str, module: ModuleType, submission: Path,
                 args: argparse.Namespace) -> Report:
    """Run a project's grader; a grader exception becomes a Report with `error` set."""
    start = time.monotonic()
    try:
        if not submission.exists():
            raise FileNotFoundError(f"no such submission: {submission}")
        return module.grade(submission, args)
    except Exception as exc:  # the grader failed: report it, never lose the results file
        expected = isinstance(exc, (FileNotFoundError, ValueError, SandboxError, Terminated))
        detail = str(exc) if expected else \
            "".join(traceback.format_exception_only(exc)).strip()
        if not expected:  # a bug of ours: the traceback goes to the log, for the developers
            traceback.print_exc(file=sys.stderr)
        results = []
        if submission.exists() and hasattr(module, "not_run"):
            results = module.not_run(args, detail)
        return Report(project=project, submission=str(submission), results=results,
                      isolation="none", duration=time.monotonic() - start, error=detail)


def write_reports(report: Report, args: argparse.Namespace) -> None:
    if args.results:
        reporters.write_gradescope(report, args.results)
    if args.junit:
        reporters.write_junit(report, args.junit)
    if args.prairielearn:
        reporters.write_prairielearn(report, args.prairielearn)


def grade_main(project: str, argv: list[str]) -> int:
    module = load_project(project)
    parser = build_parser(project, module)
    args = parser.parse_args(argv)
    if args.submission is None:
        args.submission = module.default_submission(args)
        if args.submission is None:
            parser.error("the following arguments are required: submission")
    if args.timeout_factor <= 0 or args.parallel < 1:
        print("minigrade: --timeout-factor and --parallel must be positive", file=sys.stderr)
        return USAGE_ERROR
    if args.no_sandbox:  # inherited by every process this run starts (batch, gradescope)
        os.environ["MINIGRADE_UNSANDBOXED"] = "1"
    signal.signal(signal.SIGTERM, _terminated)
    report = grade_safely(project, module, args.submission, args)
    if report.error is None and report.results and all(
            r.outcome is Outcome.ERROR for r in report.results):
        # Every test failed by the grader's own fault (QEMU, the sandbox): one cause for
        # every format (results files, the gradebook), not only the tests' reasons.
        report.error = report.results[0].reason.removeprefix("not run: ") \
            .removeprefix("grader error: ")
    write_reports(report, args)
    if not args.quiet:
        reporters.print_terminal(report)
    if report.error and not args.submission.exists():
        print(f"minigrade: {report.error}", file=sys.stderr)
        return USAGE_ERROR
    if report.error:
        print(f"minigrade: grader error: {report.error.strip().splitlines()[0]}",
              file=sys.stderr)
        return GRADER_ERROR  # the grader's own machinery failed: nothing was graded
    broken = [r for r in report.results if r.outcome is Outcome.ERROR]
    if broken:  # some tests could not be judged, by our fault: the grade is incomplete
        print(f"minigrade: grader error in {len(broken)} test(s), e.g. {broken[0].name!r}: "
              f"{broken[0].reason.removeprefix('grader error: ')}", file=sys.stderr)
        return GRADER_ERROR
    return 0 if report.passed else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        print("\nprojects: " + (", ".join(available_projects()) or "none"))
        return 0 if argv else USAGE_ERROR
    command, rest = argv[0], argv[1:]
    try:
        if command == "batch":
            from .batch import batch_main
            return batch_main(rest)
        if command in ("export", "gradescope"):
            from .platforms.export import export_main, gradescope_main
            return (export_main if command == "export" else gradescope_main)(rest)
        return grade_main(command, rest)
    except SystemExit as exc:  # argparse and load_project: usage errors
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return USAGE_ERROR
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
