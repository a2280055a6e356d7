"""Student-style shells get exactly the deductions their bug deserves, and nothing else.

Each fixture is tinysh.c (a C shell as students write it) built with one classic mistake
(BUG_*) or one legitimate difference (STYLE_*) switched on, plus pysh.py (a Python shell
handed in as a #! script). Every one is graded through the real command line, all at once,
with the hidden tests; the set of tests each loses (and how) must be exactly the expected
one: a legitimate variant losing a point, or a bug costing a test it has nothing to do
with, is a grader bug.
"""

import sys
from pathlib import Path

import pytest

PYSH = Path(__file__).parents[2] / "graders" / "shell" / "fixtures" / "pysh.py"

# Grading ~20 shells at once is minutes of work on a loaded machine (measured: 100 s
# at load 2, over 300 s at load 60): more than the suite's default per-test limit.
pytestmark = pytest.mark.timeout(900)

CTRL_C = ("Ctrl-C stops the foreground job", "Ctrl-C at the prompt",
          "Ctrl-C spares background jobs", "SIGINT from another process",
          "status after Ctrl-C")
STATUS = ("exit status", "status 127 and 126", "pipeline status", "status after Ctrl-C")
PIPES = ("pipe", "pipe closes its ends", "long pipeline", "pipeline stages run at once")
EXPECTED = {
    "": {},
    # one bug each
    "NO_REAP": dict.fromkeys(("pipe", "long pipeline", "background reaped"), "failed"),
    "LEAK_PIPE_PARENT": {**dict.fromkeys(PIPES, "timeout"),
                         "pipe and redirections": "failed"},  # head ends early; fd leaked
    "LEAK_PIPE_CHILD": dict.fromkeys(PIPES, "timeout"),
    "NO_PGRP": {"Ctrl-C spares background jobs": "failed"},
    "SEQUENTIAL": {"pipeline stages run at once": "timeout"},
    "SYSTEM": {"mechanism": "failed"},
    "STATUS_ZERO": dict.fromkeys(STATUS, "failed"),
    "RAW_STATUS": dict.fromkeys(STATUS, "failed"),
    "ERR_STDOUT": {"errors go to standard error": "failed"},
    "SILENT_UNKNOWN": {"command not found": "failed"},
    "CD_IN_CHILD": {"cd": "failed"},
    "NO_SIGINT": dict.fromkeys(CTRL_C, "crashed"),
    # legitimate: nothing lost, or only what is left out
    "STYLE_BLANK_LINE": {},
    "STYLE_TCSETPGRP": {},
    "STYLE_EXECVE": {"PATH lookup": "failed"},
    "pysh.py": {},
}


@pytest.fixture(scope="module")
def graded(tinysh, grade_all):
    """Grade every variant at once (each a `minigrade` process), return {variant: json}."""
    return grade_all({v: PYSH if v == "pysh.py" else tinysh(v) for v in EXPECTED}, EXPECTED)


@pytest.mark.parametrize("variant", list(EXPECTED), ids=lambda v: v or "correct")
def test_each_shell_loses_exactly_what_its_bug_deserves(graded, variant, loses_exactly):
    loses_exactly(graded[variant], EXPECTED[variant])


def test_correct_shell_has_enough_tests(graded):
    tests = graded[""]["tests"]
    assert len(tests) >= 20
    assert any(t["visibility"] == "hidden" for t in tests)
    assert len({t["max_score"] for t in tests}) > 1  # weighted


def _test(graded, variant, name):
    return next(t for t in graded[variant]["tests"] if t["name"] == name)


def test_feedback_of_a_timeout_names_what_it_waited_for(graded):
    pipe = _test(graded, "LEAK_PIPE_PARENT", "pipe")
    assert "waiting for the prompt after `/bin/echo hello | /usr/bin/tr a-z A-Z`" in \
        pipe["output"]
    assert "input sent:" in pipe["output"] and "full transcript:" in pipe["output"]


def test_feedback_of_a_wrong_status_shows_a_diff(graded):
    status = _test(graded, "RAW_STATUS", "exit status")
    assert "-1⏎" in status["output"] and "+256⏎" in status["output"]


def test_zombie_feedback_names_the_zombies_as_the_shell_showed_them(graded):
    reaped = _test(graded, "NO_REAP", "background reaped")["output"]
    assert "zombie" in reaped and "(sleep), started by `/bin/sleep 0.2 &`, shown by the " \
        "shell as `[bg] " in reaped


def test_a_hanging_pipeline_names_who_holds_the_pipe_open(graded):
    parent = _test(graded, "LEAK_PIPE_PARENT", "pipe closes its ends")["output"]
    assert "`cat` never saw end of file: a write end of the pipe it reads is still open in " \
        "the shell itself (fd " in parent
    child = _test(graded, "LEAK_PIPE_CHILD", "pipe closes its ends")["output"]
    assert "`cat` never saw end of file: a write end of the pipe it reads is still open in " \
        "`cat` itself (fd " in child and "the shell itself" not in child
    sequential = _test(graded, "SEQUENTIAL", "pipeline stages run at once")["output"]
    assert "`yes` is blocked writing into a pipe that no process reads: the next stage of " \
        "the pipeline was never started" in sequential
    # stuck for good: judged without waiting out the line's whole timeout
    assert "(stuck: no output, every process asleep" in sequential


def test_output_on_stdout_that_belongs_on_stderr_is_named_so(graded):
    errors = _test(graded, "ERR_STDOUT", "errors go to standard error")["output"]
    assert errors.startswith("`no-such-command-xyz` printed on standard output; error "
                             "messages belong on standard error")


def test_traced_shell_runs_as_a_terminal_runs_it(tinysh):
    """Under minitrace, inside the sandbox, the shell still leads its own session, its own
    process group, and that group is the terminal's foreground group: what /proc says of a
    shell a terminal started (getsid == getpgrp == tcgetpgrp == getpid)."""
    from graders import engine
    from graders.engine import scoring
    from graders.engine.session import Session
    from graders.sandbox import Sandbox
    from graders.submission import prepare
    from minishell import procfs

    with Sandbox() as sb:
        program = prepare(tinysh("STYLE_TCSETPGRP"), sb, ("myshell",))
        tracer, why = engine.find_tracer(sb)
        assert tracer, why
        cwd = sb.workdir / "session"
        cell = sb.cell(cwd)
        argv = [*tracer, "--json", "-o", str(cwd / ".trace.jsonl"), "--", sys.executable,
                "-S", "-I", str(scoring.FOREGROUND), "--", str(program)]
        s = Session(scoring._spawn(argv, cell, cwd, traced=True), cell, cwd,
                    engine.Options(), wrappers=(tracer[-1], str(scoring.FOREGROUND)))
        try:
            s.wait_for(lambda: s.screen.endswith("$ "), 30, "the first prompt")
            pid = s.shell_pid()
            assert procfs.cmdline(pid) == [str(program)]
            fields = procfs.stat(pid)
            pgrp, sid, tpgid = int(fields[2]), int(fields[3]), int(fields[5])
            assert (sid, pgrp, tpgid) == (pid, pid, pid)
            assert procfs.state(pid) != "T"  # not stopped by SIGTTOU
        finally:
            s.close()
            cell.close()
