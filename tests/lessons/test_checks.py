"""The checks catch the classic bugs, each with its own verdict and a reason to act on.

Each buggy program is the reference solution with one mistake put in, as students make it.
"""


import pytest

from graders.model import Outcome
from lessons import checking
from lessons.catalog import exercise, get


def grade_variant(tmp_path, lesson_key, old, new):
    lesson = get(lesson_key)
    name = lesson.exercise["file"]
    source = lesson.exercises[0].solution.read_text()
    assert old in source
    variant = tmp_path / name
    variant.write_text(source.replace(old, new, 1))
    report = checking.grade(lesson, variant, timeout_factor=0.3)  # time-outs come sooner
    return {r.name: r for r in report.results}, report


def test_forgotten_write_end_is_a_timeout_said_once(tmp_path):
    results, report = grade_variant(tmp_path, 4, "        close(fd[1]);\n        execlp",
                                    "        execlp")
    assert not report.passed
    r = results["it prints what `ls | wc -l` prints"]
    assert r.outcome is Outcome.TIMEOUT and "write end" in r.reason
    others = [x for x in report.results[2:]]
    assert others and all(x.outcome is Outcome.FAILED and "not run" in x.reason
                          and "write end" not in x.reason + x.feedback for x in others)
    # the hang is waited for once (5 s x 0.3), not once per test (the build, which a
    # loaded machine makes slow, is not a test)
    assert sum(x.duration for x in report.results[1:]) < 2 * 5 * 0.3


def test_handlers_installed_after_ready_are_caught(tmp_path):
    """20 ms between `ready` and the handlers: a checker that sleeps 30 ms before each
    signal never saw it; one that signals at once does, every time."""
    source = get(6).exercises[0].solution.read_text()
    setup = ("    /* signals wait until sigsuspend */\n"
             "    sigprocmask(SIG_BLOCK, &blocked, &old);\n"
             "    handle(SIGINT, on_int);\n    handle(SIGTERM, on_term);\n")
    assert setup in source
    moved = source.replace(setup, "").replace(
        "    int shown = 0;\n", "    usleep(20000);\n" + setup + "    int shown = 0;\n")
    assert moved.index("ready") < moved.index("handle(SIGINT")
    variant = tmp_path / "sigcount.c"
    variant.write_text(moved)
    report = checking.grade(get(6), variant)
    results = {r.name: r for r in report.results}
    assert results["SIGINT does not kill it, and is counted"].outcome is Outcome.CRASHED
    assert "a burst of SIGINTs: counted in order, never fatal" in results


def test_warnings_are_shown_even_when_it_passes(tmp_path):
    results, report = grade_variant(tmp_path, 2, "int main(", "static int unused;\nint main(")
    assert report.passed
    assert "unused" in results["it compiles"].feedback and "warning" in \
        results["it compiles"].feedback


def test_status_must_say_why_on_stderr(tmp_path):
    results, _ = grade_variant(tmp_path, 3,
                               'fprintf(stderr, "status: %s: %s\\n", argv[1], strerror(errno));',
                               "perror(argv[1]);")
    r = results["a command that cannot be run: status 127, and why on stderr"]
    assert r.outcome is Outcome.FAILED and "status: CMD: reason" in r.reason
    assert "No such file or directory" in r.feedback


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


def test_infinite_loop_is_stopped_and_said_once(tmp_path):
    results, report = grade_variant(tmp_path, 3, "    int status;\n",
                                    "    for (;;);\n    int status;\n")
    assert results["a command that exits with a status"].outcome is Outcome.TIMEOUT
    rest = report.results[2:]
    assert rest and all("not run: the program hung" in r.reason for r in rest)


def test_a_pipeline_that_hangs_is_waited_for_once(tmp_path):
    """Exercise 4.2 with the parent's `close(p[1])` forgotten: the last stage never sees
    end of file. One time-out, explained; the other tests are not run."""
    ex = exercise("4.2")
    source = ex.solution.read_text()
    old = "        if (p[1] >= 0)\n            close(p[1]);\n"
    assert old in source
    variant = tmp_path / ex.file
    variant.write_text(source.replace(old, ""))
    report = checking.grade(ex, variant, timeout_factor=0.3)
    first = report.results[1]
    assert first.outcome is Outcome.TIMEOUT and "write end" in first.reason
    assert all("not run" in r.reason for r in report.results[2:])
    assert sum(r.duration for r in report.results) < 2 * 5 * 0.3


@pytest.mark.parametrize("missing", ["nothing.c", "nothing.py"])
def test_missing_file_is_a_usage_error(tmp_path, missing):
    from lessons.catalog import LessonError
    with pytest.raises(LessonError):
        checking.grade(get(1), tmp_path / missing)
