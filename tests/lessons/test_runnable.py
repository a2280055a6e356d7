"""Every `sh run` block of every lesson prints what the lesson's text says it prints."""

import pytest

from lessons import build, runnable
from lessons.catalog import all_lessons

CASES = [(lesson, ex) for lesson in all_lessons() for ex in runnable.examples(lesson.text)]


def test_every_lesson_has_runnable_examples():
    for lesson in all_lessons():
        assert runnable.examples(lesson.text), lesson.name


@pytest.mark.parametrize("lesson,example", CASES,
                         ids=[f"{lesson.name}:{ex.line}" for lesson, ex in CASES])
def test_example_prints_what_the_text_says(lesson, example):
    actual = runnable.run(example, build.demo_dir(lesson))
    assert runnable.matches(example.expected, actual), (example.command, actual)


def test_matcher_understands_the_placeholders():
    assert runnable.matches(["pid <n> is <*>", "...", "end"], ["pid 42 is here", "a", "b", "end"])
    assert runnable.matches(["..."], [])
    assert not runnable.matches(["pid <n>"], ["pid x"])
    assert not runnable.matches(["one"], ["one", "two"])
    assert runnable.matches(["<~1000> faults"], ["1012 faults"])
    assert not runnable.matches(["<~1000> faults"], ["1030 faults"])
    assert runnable.matches(["<~5> and <~0>"], ["7 and 3"])
