"""The checks catch the classic bugs, each with its own verdict and a reason to act on.

Each buggy program is the reference solution with one mistake put in, as students make it.
"""

from pathlib import Path

import pytest

from graders.model import Outcome
from lessons import checking
from lessons.catalog import get

SOLUTIONS = Path(__file__).parent / "solutions"


def grade_variant(tmp_path, lesson_key, old, new):
    lesson = get(lesson_key)
    name = lesson.exercise["file"]
    source = (SOLUTIONS / lesson.name / name).read_text()
    assert old in source
    variant = tmp_path / name
    variant.write_text(source.replace(old, new, 1))
    report = checking.grade(lesson, variant, timeout_factor=0.3)  # time-outs come sooner
    return {r.name: r for r in report.results}, report


def test_forgotten_write_end_is_a_timeout_with_a_reason(tmp_path):
    results, report = grade_variant(tmp_path, 4, "        close(fd[1]);\n        execlp",
                                    "        execlp")
    assert not report.passed
    r = results["it prints what `ls | wc -l` prints"]
    assert r.outcome is Outcome.TIMEOUT and "write end" in r.reason


def test_leaked_pipe_fds_are_named(tmp_path):
    # dup2 without closing the originals: ls and wc inherit fds 3 and 4
    results, _ = grade_variant(tmp_path, 4, "        close(fd[0]);\n        close(fd[1]);\n"
                               "        execlp", "        if (end == 0) close(fd[1]);\n"
                               "        execlp")
    r = results["ls and wc get only fds 0, 1 and 2"]
    assert r.outcome is Outcome.FAILED and "fd(s) 3" in r.reason


def test_children_not_waited_for_are_caught(tmp_path):
    results, _ = grade_variant(tmp_path, 1, "    while (wait(&status) > 0)",
                               "    sleep(1);\n    while (0)")
    r = results["every child prints its line once"]
    assert r.outcome is Outcome.FAILED and "waitpid" in r.reason


def test_a_shell_in_the_middle_is_caught(tmp_path):
    results, _ = grade_variant(tmp_path, 4, "    int fd[2];\n    if (pipe(fd)",
                               "    return system(\"ls | wc -l\");\n    int fd[2];\n"
                               "    if (pipe(fd)")
    assert results["it prints what `ls | wc -l` prints"].outcome is Outcome.PASSED
    assert results["ls and wc are children of mypipe, not of a shell"].outcome is Outcome.FAILED


def test_compile_error_shows_gcc_and_skips_the_rest(tmp_path):
    results, report = grade_variant(tmp_path, 2, "fflush(stdout);", "fflush(stdout)")
    assert results["it compiles"].outcome is Outcome.FAILED
    assert "error" in results["it compiles"].feedback
    assert all(r.points == 0 for r in report.results)


def test_infinite_loop_is_stopped(tmp_path):
    results, _ = grade_variant(tmp_path, 3, "    int status;\n", "    for (;;);\n    int status;\n")
    assert results["a command that exits with a status"].outcome is Outcome.TIMEOUT


@pytest.mark.parametrize("missing", ["nothing.c", "nothing.py"])
def test_missing_file_is_a_usage_error(tmp_path, missing):
    from lessons.catalog import LessonError
    with pytest.raises(LessonError):
        checking.grade(get(1), tmp_path / missing)
