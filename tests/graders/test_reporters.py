"""The reporters: every format carries the same verdict, parsable by its consumer."""

import json
import xml.etree.ElementTree as ET

from rich.console import Console

from graders import reporters
from graders.model import Outcome, Report, TestResult


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


def test_gradescope_grader_error(tmp_path):
    path = tmp_path / "r.json"
    reporters.write_gradescope(sample_report(error="boom"), path)
    assert "could not grade" in json.loads(path.read_text())["output"]


def test_prairielearn(tmp_path):
    path = tmp_path / "pl.json"
    reporters.write_prairielearn(sample_report(), path)
    data = json.loads(path.read_text())
    assert data["gradable"] is True and abs(data["score"] - 2 / 6) < 1e-9
    reporters.write_prairielearn(sample_report(error="build failed"), path)
    data = json.loads(path.read_text())
    assert data["gradable"] is False and data["format_errors"] == ["build failed"]


def test_junit(tmp_path):
    path = tmp_path / "j.xml"
    reporters.write_junit(sample_report(), path)
    suite = ET.parse(path).getroot()
    assert suite.get("tests") == "4" and suite.get("failures") == "2"
    assert suite.get("skipped") == "1"
    kinds = [[c.tag for c in case] for case in suite]
    assert kinds == [[], ["failure"], ["failure"], ["skipped"]]


def test_terminal_shows_reasons():
    console = Console(record=True, width=120)
    reporters.print_terminal(sample_report(), console)
    text = console.export_text()
    assert "waited 2s for the prompt" in text and "score 2/6 (33%)" in text
    assert "bubblewrap" in text
