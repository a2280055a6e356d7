"""Every exercise: the starter the student gets fails its check; the reference solution passes."""

from pathlib import Path

import pytest

from graders.model import Outcome
from lessons import checking
from lessons.catalog import all_lessons, get

SOLUTIONS = Path(__file__).parent / "solutions"
LESSONS = all_lessons()


def ids(lesson):
    return lesson.name


@pytest.mark.parametrize("lesson", LESSONS, ids=ids)
def test_starter_fails_its_check(lesson):
    starter = lesson.path / "exercise" / lesson.exercise["file"]
    report = checking.grade(lesson, starter)
    assert report.results[0].passed  # the starter builds: the student starts from working code
    assert not report.passed
    assert report.score < report.max_score
    # a failing starter is the student's work to do, never a bug in the check
    assert not [r for r in report.results if r.outcome is Outcome.ERROR], report.results
    assert all(r.reason for r in report.results if r.outcome is not Outcome.PASSED)


@pytest.mark.parametrize("lesson", LESSONS, ids=ids)
def test_solution_passes_its_check(lesson):
    solution = SOLUTIONS / lesson.name / lesson.exercise["file"]
    report = checking.grade(lesson, solution)
    failed = [(r.name, r.reason, r.feedback) for r in report.results if not r.passed]
    assert report.passed and report.score == report.max_score > 0, failed


def test_solutions_are_not_shipped_to_students():
    for lesson in LESSONS:
        name = lesson.exercise["file"]
        assert (SOLUTIONS / lesson.name / name).read_text() != \
            (lesson.path / "exercise" / name).read_text()


@pytest.mark.parametrize("solution", sorted(SOLUTIONS.glob("*/*.py")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_python_solutions_are_checked_the_same_way(solution):
    lesson = get(solution.parent.name)
    report = checking.grade(lesson, solution)
    assert report.passed, [(r.name, r.reason, r.feedback) for r in report.results]


def test_a_failing_run_shows_its_stderr(tmp_path):
    broken = tmp_path / "fan.py"
    broken.write_text("import sys\nsys.exit('fan: something went wrong')\n")
    report = checking.grade(LESSONS[0], broken)
    first = report.results[1]
    assert not first.passed and "something went wrong" in first.feedback
    assert "exited with status 1" in first.feedback
