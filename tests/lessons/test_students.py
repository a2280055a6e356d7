"""Held-out student solutions of lessons 1 and 2, checked as a student checks
(students_check.py says how)."""

import pytest
from students_check import CASES, case_id, cases, check, verdict


def test_every_exercise_has_correct_and_wrong_solutions():
    by_exercise: dict[str, list[str]] = {}
    for case in CASES:
        by_exercise.setdefault(case.parent.name, []).append(verdict(case)[0])
    assert len(by_exercise) == 24, sorted(by_exercise)
    for key, verdicts in by_exercise.items():
        assert verdicts.count("pass") >= 2 and verdicts.count("fail") >= 2, key


@pytest.mark.parametrize("case", cases(1, 2), ids=case_id)
def test_a_student_solution_gets_its_verdict(case, tmp_path, monkeypatch):
    check(case, tmp_path, monkeypatch)
