"""The quizzes' answers (from the rules a lesson teaches) agree with real runs, seed by seed,
and every sentence of an explanation that a run can confirm is confirmed by that run."""

import tempfile
from pathlib import Path

import pytest

from lessons.catalog import all_lessons, get

SEEDS = [1, 2, 3, 7, 42]


@pytest.mark.parametrize("lesson", all_lessons(), ids=lambda lesson: lesson.name)
def test_quiz_answer_and_claims_match_a_real_run(lesson):
    gen = lesson.module("quiz.py").generate
    answers = set()
    for seed in SEEDS:
        q = gen(seed)
        with tempfile.TemporaryDirectory() as d:
            real, claims = q.real_run(Path(d))
        assert real == q.answer, (seed, q.program)
        for claim in q.claims:
            assert claim.text in q.why, claim.text  # the claim is what the student reads
        assert all(v is None for v in claims.values()), (seed, q.program, claims)
        answers.add(q.answer)
        assert gen(seed).program == q.program  # a seed always gives the same question
    assert len(answers) > 1  # the seed really changes the question


@pytest.mark.parametrize("number", [2, 3, 4, 5, 6, 7, 8, 9])
def test_explanations_carry_checked_claims(number):
    assert get(number).module("quiz.py").generate(11).claims


def test_the_old_write_rule_is_refuted_by_a_real_run():
    """Seed 161: 'write when the next line does not fit' would write 3 times, 4096-byte
    chunks that split lines are what glibc really writes."""
    quiz = get(7).module("quiz.py")
    q = quiz.generate(161)
    with tempfile.TemporaryDirectory() as d:
        real, claims = q.real_run(Path(d))
        sizes = (Path(d) / "sizes.txt").read_text().split()
    assert real == q.answer == "2" and sizes[0] == "4096" and sum(map(int, sizes)) > 4096
    assert list(claims.values()) == [None]


@pytest.mark.parametrize("number,seed", [(3, 11), (6, 11)])
def test_signal_quizzes_hold_under_nohup(number, seed):
    """Started with SIGHUP (and the quiz's other signals) ignored, the answer holds: the
    programs set SIG_DFL themselves (the claim's check runs them both ways)."""
    q = get(number).module("quiz.py").generate(seed)
    assert "SIG_DFL" in q.program
    with tempfile.TemporaryDirectory() as d:
        real, claims = q.real_run(Path(d))
    assert real == q.answer and list(claims.values()) == [None]
