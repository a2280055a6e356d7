"""Held-out "faked" solutions -- right output, wrong mechanism -- fail their checks.

Each file in tests/lessons/fakes/LESSON/ prints what the exercise asks for without doing
it (no fork, children that all exit 0, no measurement). The checks see through them with
the tracer; a fake must fail on the mechanism test, never with a checker error.
"""

from pathlib import Path

import pytest

from graders.model import Outcome
from lessons import checking
from lessons.catalog import get

FAKES = sorted(p for p in (Path(__file__).parent / "fakes").glob("*/*") if p.is_file())
MECHANISM = {"01-fork": "the tracer sees N forks, each child exiting with its own status",
             "08-page-faults": "the counts are measured: counters read before and after "
                               "the touches"}


@pytest.mark.parametrize("fake", FAKES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_fake_fails_on_the_mechanism(fake):
    report = checking.grade(get(fake.parent.name), fake)
    results = {r.name: r for r in report.results}
    assert not report.passed and report.error is None
    assert results[MECHANISM[fake.parent.name]].outcome is Outcome.FAILED
    assert not [r for r in report.results if r.outcome is Outcome.ERROR]


def test_there_are_fakes_for_the_lessons_that_can_be_faked():
    assert {p.parent.name for p in FAKES} == set(MECHANISM)
    assert len(FAKES) >= 3
