"""Every exercise (three per lesson): the starter the student gets fails its check, the
reference solution passes. Both are graded at once (two sandboxes, two threads): the CI
cost of an exercise is its slower grade, not the sum."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from graders.model import Outcome
from lessons import checking
from lessons.catalog import all_exercises, all_lessons, exercise, get

SOLUTIONS = Path(__file__).parent / "solutions"  # held-out solutions in another language
EXERCISES = all_exercises()


def test_three_exercises_per_lesson():
    assert [len(lesson.exercises) for lesson in all_lessons()] == [3] * 9
    assert len(EXERCISES) == 27
    for ex in EXERCISES:
        assert ex.config["task"].strip() and len(ex.hints) >= 2 and ex.title
        assert ex.starter.is_file() and ex.solution.is_file()
        assert ex.solution.read_text() != ex.starter.read_text()
        assert exercise(ex.id) == ex  # `minilesson start N.K` finds it
    assert len({id(ex.check_module()) for ex in EXERCISES}) == 27  # a check of its own each


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: f"{ex.id}-{ex.file}")
def test_starter_fails_and_solution_passes(ex):
    with ThreadPoolExecutor(2) as pool:
        starter, solution = pool.map(lambda src: checking.grade(ex, src),
                                     [ex.starter, ex.solution])
    assert starter.results[0].passed  # the starter builds: the student starts from working code
    assert not starter.passed and starter.error is None
    assert starter.score < starter.max_score
    # a failing starter is the student's work to do, never a bug in the check
    assert not [r for r in starter.results if r.outcome is Outcome.ERROR], starter.results
    assert all(r.reason for r in starter.results if r.outcome is not Outcome.PASSED)
    assert len(solution.results) == len(starter.results) > 1  # every test of the check ran
    failed = [(r.name, r.reason, r.feedback) for r in solution.results if not r.passed]
    assert solution.passed and solution.score == solution.max_score > 0, failed
    assert not solution.results[0].feedback, solution.results[0].feedback  # no gcc warning


@pytest.mark.parametrize("solution", sorted(SOLUTIONS.glob("*/*.py")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_python_solutions_are_checked_the_same_way(solution):
    lesson = get(solution.parent.name)
    report = checking.grade(lesson, solution)
    assert report.passed, [(r.name, r.reason, r.feedback) for r in report.results]


def test_a_failing_run_shows_its_stderr(tmp_path):
    broken = tmp_path / "fan.py"
    broken.write_text("import sys\nsys.exit('fan: something went wrong')\n")
    report = checking.grade(get(1), broken)
    first = report.results[1]
    assert not first.passed and "something went wrong" in first.feedback
    assert "exited with status 1" in first.feedback
