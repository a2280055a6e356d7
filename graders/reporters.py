"""Reporters: one `Report`, four audiences.

A student at a terminal (rich), Gradescope (results.json), PrairieLearn (results.json with
a 0..1 score) and any CI (JUnit XML). Each writer is a pure function of the report, so the
same verdict reaches every audience.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .model import Outcome, Report, TestResult

_STYLE = {
    Outcome.PASSED: "green",
    Outcome.FAILED: "red",
    Outcome.TIMEOUT: "yellow",
    Outcome.CRASHED: "magenta",
    Outcome.ERROR: "bold red",
    Outcome.SKIPPED: "dim",
}

# PrairieLearn rejects result files over 1 MB; Gradescope shows long outputs badly.
_MAX_OUTPUT = 20_000


def _clip(text: str, limit: int = _MAX_OUTPUT) -> str:
    if len(text) <= limit:
        return text
    return text[: limit // 2] + "\n[... output cut ...]\n" + text[-limit // 2 :]


def _points(x: float) -> str:
    return f"{x:g}"


def describe(result: TestResult) -> str:
    """The full text shown for one test: the reason, then the feedback."""
    parts = [result.reason] if result.reason else []
    if result.feedback:
        parts.append(result.feedback)
    if result.transcript:
        parts.append(f"full transcript: {result.transcript}")
    return "\n".join(parts)


def print_terminal(report: Report, console: Console | None = None) -> None:
    """A summary table, then the details of every test that did not pass."""
    console = console or Console()
    if report.error and all(r.outcome is Outcome.ERROR for r in report.results):
        # Nothing was graded, by the toolkit's own fault: its cause in one line, not a
        # table of tests that never ran and a score that means nothing.
        console.print(f"[bold red]grader error:[/] {escape(report.error.strip())} -- the "
                      "grading toolkit itself failed, not the submission's fault: nothing "
                      "was graded", highlight=False, soft_wrap=True)
        return
    table = Table(title=f"{report.project}: {escape(report.submission)}", title_justify="left")
    table.add_column("test")
    table.add_column("result")
    table.add_column("points", justify="right")
    table.add_column("time", justify="right")
    for r in report.results:
        name = r.name + (" [dim](hidden)[/dim]" if r.visibility != "visible" else "")
        table.add_row(
            name,
            f"[{_STYLE[r.outcome]}]{r.outcome}[/]",
            f"{_points(r.points)}/{_points(r.max_points)}",
            f"{r.duration:.1f}s",
        )
    console.print(table)
    for r in report.results:
        # A test not run because of the grader's or the submission's failure: that
        # failure is said once below, not once per test.
        if r.outcome is Outcome.PASSED or (report.headline and r.reason.startswith("not run")):
            continue
        console.rule(f"[{_STYLE[r.outcome]}]{escape(r.name)}: {r.outcome}[/]", align="left")
        console.print(escape(describe(r)), highlight=False)
    if report.headline:
        _print_not_graded(report, console)
    pct = 100.0 * report.score / report.max_score if report.max_score else 0.0
    console.print(
        f"[bold]score {_points(report.score)}/{_points(report.max_score)} ({pct:.0f}%)[/]"
        f"  isolation: {escape(report.isolation)}  time: {report.duration:.1f}s"
    )


def _print_not_graded(report: Report, console: Console) -> None:
    """The grader's failure (ERROR, not the student's) or the submission's (FAILED)."""
    if report.error:
        console.rule("[bold red]grader error[/]", align="left")
        console.print(f"[bold red]grader error:[/] {escape(report.error)}", highlight=False)
        console.print("The grading toolkit itself failed: this is not the submission's "
                      "fault, and nothing was graded.", highlight=False)
    else:
        console.rule("[red]the submission could not be built or started[/]", align="left")
        console.print(escape(report.submission_error or ""), highlight=False)
        console.print("[red]Every test failed:[/] none can run without the program.",
                      highlight=False)


def _atomic_write(path: str | os.PathLike, text: str) -> None:
    """Write via a temp file and rename: a crash never leaves a half-written results file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_gradescope(report: Report, path: str | os.PathLike) -> None:
    """Gradescope's results.json (tests carry status, so partial runs are explicit)."""
    tests = []
    for number, r in enumerate(report.results, 1):
        tests.append(
            {
                "name": r.name,
                "number": str(number),
                "score": r.points,
                "max_score": r.max_points,
                "status": "passed" if r.passed else "failed",
                "output": _clip(describe(r)),
                "output_format": "text",
                "tags": list(r.tags),
                "visibility": r.visibility,
                "extra_data": {"outcome": str(r.outcome), "duration": round(r.duration, 3),
                               "timings": {k: round(v, 3) for k, v in r.timings.items()}},
            }
        )
    output = f"isolation: {report.isolation}"
    extra: dict = {}
    if report.error:
        output = (f"The grader could not grade this submission: {report.error}\n"
                  f"This is the grading toolkit's failure, not yours.\n{output}")
        extra["grader_error"] = report.error
    elif report.submission_error:
        output = (f"Your submission could not be built or started, so every test "
                  f"failed:\n{_clip(report.submission_error)}\n{output}")
        extra["submission_error"] = report.submission_error.strip().splitlines()[0]
    data = {
        "score": report.score,
        "execution_time": round(report.duration),
        "output": output,
        "output_format": "text",
        "tests": tests,
        "extra_data": extra,
    }
    _atomic_write(path, json.dumps(data, indent=2))


def write_prairielearn(report: Report, path: str | os.PathLike) -> None:
    """PrairieLearn's results.json: a 0..1 score; `gradable: false` costs no attempt, so
    it is kept for the grader's own failures: a build failure is graded, with score 0."""
    message = (f"{_points(report.score)}/{_points(report.max_score)} points "
               f"(isolation: {report.isolation})")
    if report.error:
        message = f"grader error (not yours): {report.error}\n{message}"
    elif report.submission_error:
        message = (f"Your submission could not be built or started:\n"
                   f"{_clip(report.submission_error, 8_000)}\n{message}")
    data: dict = {
        "gradable": report.error is None,
        "score": (report.score / report.max_score) if report.max_score else 0.0,
        "message": message,
        "tests": [
            {
                "name": r.name,
                "description": str(r.outcome),
                "points": r.points,
                "max_points": r.max_points,
                "message": r.reason,
                "output": _clip(describe(r), 8_000),
            }
            for r in report.results
        ],
    }
    if report.error:
        data["format_errors"] = [report.error]
    _atomic_write(path, json.dumps(data, indent=2))


def write_junit(report: Report, path: str | os.PathLike) -> None:
    """JUnit XML: failed/timeout/crashed are <failure>, a grader error is <error>."""
    failures = sum(r.outcome in (Outcome.FAILED, Outcome.TIMEOUT, Outcome.CRASHED)
                   for r in report.results)
    # A grader error with no test to mark becomes one <error> case of its own.
    lone_error = bool(report.error) and not report.results
    errors = sum(r.outcome is Outcome.ERROR for r in report.results) + lone_error
    suite = ET.Element(
        "testsuite",
        name=report.project,
        tests=str(len(report.results) + lone_error),
        failures=str(failures),
        errors=str(errors),
        skipped=str(sum(r.outcome is Outcome.SKIPPED for r in report.results)),
        time=f"{report.duration:.3f}",
    )
    for r in report.results:
        case = ET.SubElement(
            suite, "testcase", classname=report.project, name=r.name, time=f"{r.duration:.3f}"
        )
        if r.outcome is Outcome.PASSED:
            continue
        tag = {Outcome.ERROR: "error", Outcome.SKIPPED: "skipped"}.get(r.outcome, "failure")
        node = ET.SubElement(case, tag, message=f"{r.outcome}: {r.reason}", type=str(r.outcome))
        node.text = _clip(describe(r))
    if lone_error:
        case = ET.SubElement(suite, "testcase", classname=report.project, name="grader")
        ET.SubElement(case, "error", message=f"grader error: {report.error}",
                      type="grader error").text = report.error
    ET.indent(suite)
    _atomic_write(path, ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n")
