"""More shells as students write them, in the languages and styles they use, each graded
as a person at a terminal would judge it.

- jobsh.c: CS:APP tsh-style job control (each job its own process group, tcsetpgrp), a
  banner, a prompt printed with printf and never flushed, a history file;
- inputsh.py: Python's input() with a prompt of its own (written on standard error),
  shlex for the words;
- rlsh.c: GNU readline (raw mode, its own echo);
- cppsh.cpp: std::getline and std::cout; in colour, with a two-line prompt, with an
  empty line after every command, with the terminal's echo turned off, or with a SIGINT
  handler that prints the prompt again.
None of them but inputsh.py handles quotes: the statement does not ask for them.
Correct ones score 100%. Each one-mistake variant loses exactly the tests about its
mistake, and its feedback names the cause in words a student can act on.
"""


import pytest

# Grading ~20 shells at once is minutes of work on a loaded machine (measured: 100 s
# at load 2, over 300 s at load 60): more than the suite's default per-test limit.
pytestmark = pytest.mark.timeout(900)

CTRL_C = ("Ctrl-C stops the foreground job", "Ctrl-C at the prompt",
          "Ctrl-C spares background jobs", "SIGINT from another process",
          "status after Ctrl-C")
PIPES = ("pipe", "pipe closes its ends", "long pipeline", "pipeline stages run at once")
EXPECTED = {
    "jobsh.c": {},
    # Ctrl-C at the prompt is fine: the shell ignores SIGINT itself
    "jobsh.c:NO_TCSETPGRP": dict.fromkeys(
        (t for t in CTRL_C if t != "Ctrl-C at the prompt"), "timeout"),
    "jobsh.c:NO_TRUNC": {"output redirection": "failed"},
    "jobsh.c:NO_INPUT_REDIR": dict.fromkeys(("input redirection", "both redirections",
                                             "pipe and redirections"), "failed"),
    "jobsh.c:FD_LEAK": {"pipe closes its ends": "failed"},
    "jobsh.c:EXIT_STATUS": {"exit N": "failed"},
    "jobsh.c:PIPE_STATUS": {"pipeline status": "failed"},
    "inputsh.py": {},
    "inputsh.py:LEAK_PIPE_PARENT": {**dict.fromkeys(PIPES, "timeout"),
                                    "pipe and redirections": "failed"},  # fd kept
    "inputsh.py:NO_REAP": {"background reaped": "failed"},
    "inputsh.py:NO_SIGINT": dict.fromkeys(CTRL_C, "crashed"),
    "inputsh.py:PIPE_STATUS": {"pipeline status": "failed"},
    "inputsh.py:EXIT_STATUS": {"exit N": "failed"},
    "rlsh.c": {},
    "cppsh.cpp": {},
    "cppsh.cpp:STYLE_COLOR": {},
    "cppsh.cpp:STYLE_TWO_LINE": {},
    "cppsh.cpp:STYLE_BLANK_AFTER": {},
    "cppsh.cpp:STYLE_NO_ECHO": {},
    "cppsh.cpp:STYLE_SIGINT_PROMPT": {},
}


@pytest.fixture(scope="module")
def graded(student_shell, grade_all):
    shells = {name: student_shell(*name.split(":")) for name in EXPECTED}
    return grade_all(shells, EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_shell_loses_exactly_what_its_mistake_deserves(graded, name, loses_exactly):
    loses_exactly(graded[name], EXPECTED[name])


def _output(graded, name, test):
    return next(t for t in graded[name]["tests"] if t["name"] == test)["output"]


def test_a_job_never_given_the_terminal_is_named_as_the_cause(graded):
    for test in ("Ctrl-C stops the foreground job", "SIGINT from another process"):
        out = _output(graded, "jobsh.c:NO_TCSETPGRP", test)
        assert "`/bin/sleep 10` still runs in a process group that is not the terminal's " \
            "foreground group (the shell's own group is)" in out
        assert "tcsetpgrp" in out


def test_a_descriptor_leaked_into_programs_is_named_with_its_file(graded):
    out = _output(graded, "jobsh.c:FD_LEAK", "pipe closes its ends")
    assert out.startswith("the program the shell ran inherited descriptor(s) 3 besides "
                          "0, 1 and 2")
    assert "fd 3 -> " in out and "/.jobsh_history: opened by the shell for itself: open " \
        "it with O_CLOEXEC" in out


def test_a_write_end_kept_by_a_python_shell_is_named(graded):
    out = _output(graded, "inputsh.py:LEAK_PIPE_PARENT", "pipe")
    assert "`tr` never saw end of file: a write end of the pipe it reads is still open " \
        "in the shell itself (fd " in out


def test_a_python_shell_killed_by_ctrl_c_shows_its_traceback(graded):
    out = _output(graded, "inputsh.py:NO_SIGINT", "Ctrl-C at the prompt")
    assert out.startswith("the shell was killed by SIGINT")
    assert "KeyboardInterrupt" in out


def test_feedback_on_the_truncation_shows_the_old_bytes_left(graded):
    out = _output(graded, "jobsh.c:NO_TRUNC", "output redirection")
    assert "the file old.txt does not hold what it should" in out
    assert "+ch·longer·old·content⏎" in out
