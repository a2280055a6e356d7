"""Held-out student solutions of lessons 3 and 4, checked as a student checks
(students_check.py says how)."""

import pytest
from students_check import case_id, cases, check


@pytest.mark.parametrize("case", cases(3, 4), ids=case_id)
def test_a_student_solution_gets_its_verdict(case, tmp_path, monkeypatch):
    check(case, tmp_path, monkeypatch)
