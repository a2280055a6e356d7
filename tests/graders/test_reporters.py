"""The reporters: every format carries the same verdict, parsable by its consumer."""

import json
import xml.etree.ElementTree as ET

from rich.console import Console

from graders import reporters
from graders.batch import not_graded
from graders.model import Outcome, Report, TestResult

COMPILER_ERRORS = ("`make` failed (status 2):\n"
                   "tinysh.c:9:10: error: expected ';' before 'this'\n"
                   "make: *** [Makefile:2: myshell] Error 1")


def sample_report(error=None):
    return Report(
        project="shell",
        submission="/tmp/sub",
        isolation="bubblewrap",
        duration=3.2,
        error=error,
        results=[
            TestResult("prompt", 2, 2, Outcome.PASSED, duration=0.4),
            TestResult("pipe", 3, 0, Outcome.TIMEOUT, reason="waited 2s for the prompt",
                       feedback="sent: echo hi | cat\n", visibility="hidden", tags=["pipes"]),
            TestResult("exit status", 1, 0, Outcome.FAILED, reason="expected 1, got 0"),
            TestResult("mechanism", 0, 0, Outcome.SKIPPED, reason="minitrace is missing"),
        ],
    )


def test_score_and_pass():
    r = sample_report()
    assert (r.score, r.max_score, r.passed) == (2, 6, False)
    assert Report.from_dict(json.loads(json.dumps(r.to_dict()))).to_dict() == r.to_dict()


def test_gradescope(tmp_path):
    path = tmp_path / "results" / "results.json"
    reporters.write_gradescope(sample_report(), path)
    data = json.loads(path.read_text())
    assert data["score"] == 2
    assert [t["status"] for t in data["tests"]] == ["passed", "failed", "failed", "passed"]
    assert data["tests"][1]["visibility"] == "hidden"
    assert "waited 2s" in data["tests"][1]["output"]
    assert "bubblewrap" in data["output"]


def not_run(outcome: Outcome, why: str, **kind) -> Report:
    """What a grader returns when nothing could run: every test `outcome`, 0 points."""
    results = [TestResult(name, pts, 0, outcome, reason=f"not run: {why.splitlines()[0]}",
                          feedback=why)
               for name, pts in (("prompt", 2), ("pipe", 3), ("exit status", 1))]
    return Report("shell", "/tmp/sub", results, isolation="bubblewrap", **kind)


def build_failed() -> Report:
    return not_run(Outcome.FAILED, COMPILER_ERRORS, submission_error=COMPILER_ERRORS)


def grader_failed() -> Report:
    why = "the sandbox could not start python3 at /opt/py/bin/python3: Permission denied"
    return not_run(Outcome.ERROR, f"grader error: {why}", error=why)


def test_build_failure_and_grader_error_are_told_apart(tmp_path):
    student, grader = build_failed(), grader_failed()
    assert not student.passed and not grader.passed
    assert student.headline == "submission failed: `make` failed (status 2):"
    assert grader.headline.startswith("grader error: the sandbox could not start python3")
    again = Report.from_dict(json.loads(json.dumps(student.to_dict())))
    assert again.submission_error == COMPILER_ERRORS and again.error is None


def test_gradescope_grader_error(tmp_path):
    path = tmp_path / "r.json"
    reporters.write_gradescope(grader_failed(), path)
    data = json.loads(path.read_text())
    assert "could not grade" in data["output"] and "not yours" in data["output"]
    assert data["extra_data"]["grader_error"].startswith("the sandbox could not start")
    assert not_graded(data).startswith("grader error: the sandbox could not start")


def test_gradescope_build_failure_is_the_students(tmp_path):
    path = tmp_path / "r.json"
    reporters.write_gradescope(build_failed(), path)
    data = json.loads(path.read_text())
    assert data["score"] == 0 and "could not grade" not in data["output"]
    assert "could not be built" in data["output"] and "error: expected ';'" in data["output"]
    assert {t["status"] for t in data["tests"]} == {"failed"}
    assert "grader_error" not in data["extra_data"]
    assert not_graded(data) == "submission failed: `make` failed (status 2):"
    reporters.write_gradescope(sample_report(), path)  # graded: the column stays empty
    assert not_graded(json.loads(path.read_text())) == ""


def test_prairielearn(tmp_path):
    path = tmp_path / "pl.json"
    reporters.write_prairielearn(sample_report(), path)
    data = json.loads(path.read_text())
    assert data["gradable"] is True and abs(data["score"] - 2 / 6) < 1e-9
    # The grader's failure costs the student no attempt...
    reporters.write_prairielearn(grader_failed(), path)
    data = json.loads(path.read_text())
    assert data["gradable"] is False and "sandbox could not start" in data["format_errors"][0]
    # ...a build failure is a graded attempt worth 0, with the compiler's words.
    reporters.write_prairielearn(build_failed(), path)
    data = json.loads(path.read_text())
    assert data["gradable"] is True and data["score"] == 0 and "format_errors" not in data
    assert "error: expected ';'" in data["message"]


def test_junit(tmp_path):
    path = tmp_path / "j.xml"
    reporters.write_junit(sample_report(), path)
    suite = ET.parse(path).getroot()
    assert suite.get("tests") == "4" and suite.get("failures") == "2"
    assert suite.get("skipped") == "1"
    kinds = [[c.tag for c in case] for case in suite]
    assert kinds == [[], ["failure"], ["failure"], ["skipped"]]


def test_junit_build_failure_is_failures_grader_error_is_errors(tmp_path):
    path = tmp_path / "j.xml"
    reporters.write_junit(build_failed(), path)
    suite = ET.parse(path).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "3", "0")
    assert "error: expected ';'" in suite.find("testcase/failure").text
    reporters.write_junit(grader_failed(), path)
    suite = ET.parse(path).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "0", "3")
    # A grader that failed before it knew its tests: one <error> case says why.
    reporters.write_junit(Report("shell", "/tmp/sub", [], error="QEMU is missing"), path)
    suite = ET.parse(path).getroot()
    assert (suite.get("tests"), suite.get("errors")) == ("1", "1")
    assert suite.find("testcase/error").get("message") == "grader error: QEMU is missing"


def test_terminal_shows_reasons():
    console = Console(record=True, width=120)
    reporters.print_terminal(sample_report(), console)
    text = console.export_text()
    assert "waited 2s for the prompt" in text and "score 2/6 (33%)" in text
    assert "bubblewrap" in text


def test_terminal_build_failure_and_grader_error():
    console = Console(record=True, width=120)
    reporters.print_terminal(build_failed(), console)
    text = console.export_text()
    assert "could not be built or started" in text and "grader error" not in text
    assert text.count("error: expected ';'") == 1  # said once, not once per test
    console = Console(record=True, width=120)
    reporters.print_terminal(grader_failed(), console)
    text = console.export_text()
    assert "grader error: the sandbox could not start python3" in text
    assert "not the submission's fault" in text and "could not be built" not in text


def test_github_classroom_status(tmp_path):
    """Classroom's `error` is the grader's failure; a build failure is a plain `fail`."""
    from graders.platforms.github import classroom_result

    path = tmp_path / "r.json"
    for report, status in ((grader_failed(), "error"), (build_failed(), "fail")):
        reporters.write_gradescope(report, path)
        assert classroom_result(json.loads(path.read_text()))["status"] == status
