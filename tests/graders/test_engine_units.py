"""The engine's pure parts: terminal normalisation, masks, diffs, the mechanism judge and
the test selection. (Everything else is exercised through real shells in the other files.)"""

import pytest

from graders import engine, spec, text
from graders.engine.terminal import Terminal


def _seen(raw: bytes, rows: int = 24) -> str:
    term = Terminal(rows=rows)
    term.feed(raw)
    return term.text


def test_the_terminal_shows_what_a_person_sees():
    raw = b"\x1b[1;34m~/x\x1b[0m $ \x1b[?25h\r~/x $ echo hi\r\r\nhi\r\n\x1b]0;title\x07$ "
    assert _seen(raw) == "~/x $ echo hi\nhi\n$ "
    assert _seen(b"abc\rxy\r\n") == "xyc\n"
    assert _seen(b"ab\bc") == "ac"
    assert _seen(b"$ abc\r\x1b[K$ x") == "$ x"  # erase to end of line: not "$ xbc"
    assert _seen(b"\r\n$ ") == "\n$ "  # a blank line, then the prompt and its space
    assert _seen("é\r\n".encode() + b"$ ") == "é\n$ "
    term = Terminal()
    term.feed(b"$ ")
    assert term.settled == 1  # the prompt's space is gone once Enter moves the cursor on
    term.feed(b"\r\n")
    assert term.text == "$\n" and term.settled == 2


def test_the_terminal_keeps_what_scrolled_by():
    lines = b"".join(b"%d\r\n" % i for i in range(30))
    assert _seen(lines + b"$ ", rows=5) == "".join(f"{i}\n" for i in range(30)) + "$ "
    assert _seen(b"old\r\n\x1b[H\x1b[2Jnew", rows=5).startswith("old\n")


def test_masks_and_visible_diff():
    assert text.mask("[12] 4242 done in 7", ("pids", "jobs")) == "[N] PID done in PID"
    assert text.mask("[12] 3", ("pids",)) == "[12] PID"
    d = text.diff("a b\n", "a  b\n")
    assert "-a·b⏎" in d and "+a··b⏎" in d
    assert text.diff("x", "x") == ""
    assert "(nothing)" in text.diff("x\n", "")


def _trace(extra_exec=None, calls=("wait4", "pipe2", "dup2")):
    ev = [{"type": "start", "pid": 10, "argv": ["myshell"]},
          {"type": "spawn", "pid": 10, "child": 11, "kind": "fork"},
          {"type": "exec", "pid": 11, "path": "/bin/echo", "argv": ["echo", "x"]}]
    ev += [{"type": "syscall", "pid": 10, "name": c} for c in calls]
    if extra_exec:
        ev.append({"type": "exec", "pid": 11, "path": "/bin/sh", "argv": extra_exec})
    return ev


def test_mechanism_judge():
    needs = spec.Mechanism().needs
    assert engine.check_mechanism(_trace(), needs) == []
    problems = engine.check_mechanism(_trace(calls=()), needs)
    assert len(problems) == 3 and any("wait" in p for p in problems)
    problems = engine.check_mechanism(_trace(["sh", "-c", "echo x | cat"]), needs)
    assert problems and "sh -c" in problems[0]
    assert "empty" in engine.check_mechanism([], needs)[0]


def test_selection_prefers_an_exact_name():
    tests = [spec.Test(n, 1, []) for n in ("pipe", "big pipe", "prompt")]
    assert [t.name for t in tests if engine.selected(t.name, ["pipe"], tests)] == ["pipe"]
    assert [t.name for t in tests if engine.selected(t.name, ["pip"], tests)] == [
        "pipe", "big pipe"]


def test_unknown_key_is_refused_at_import_time():
    with pytest.raises(ValueError):
        spec.Key("C-x")


def test_contains_matches_and_absent_share_one_rule():
    assert engine.found(spec.Contains("[N] PID", mask=("jobs", "pids")), "[3] 4242 sleep")
    assert engine.found(spec.Matches(r"^\d+$"), "x\n42\n")
    assert not engine.found(spec.Absent("Traceback"), "ok\n")
    assert engine.found(spec.Absent("err", regex=True), "an error")


def test_a_grader_bug_is_an_error_not_the_students_fault():
    """A step the engine does not know (a bug in a course's spec) gives Outcome.ERROR, with
    the shell still cleaned up; the next test runs normally."""
    import shutil

    from graders.sandbox import Sandbox

    class Bogus(spec.Step):
        pass

    tests = [spec.Test("broken spec", 1, [Bogus()]),
             spec.Test("fine", 1, [spec.Line("echo ok"), spec.Output("ok\n")])]
    with Sandbox(env={"PS1": "$ "}) as sb:
        dash = sb.workdir / "dash"
        shutil.copy(shutil.which("dash"), dash)
        sb.give_to_sandbox_user(dash)
        sub = engine.Submission([str(dash), "-i"], "dash")
        broken, fine = engine.run_tests(tests, sub, sb, engine.Options())
    assert broken.outcome == "error" and "grader error" in broken.reason
    assert fine.outcome == "passed"


def _run_on_dash(tests):
    import shutil

    from graders.sandbox import Sandbox

    with Sandbox(env={"PS1": "$ "}) as sb:
        dash = sb.workdir / "dash"
        shutil.copy(shutil.which("dash"), dash)
        sb.give_to_sandbox_user(dash)
        return engine.run_tests(tests, engine.Submission([str(dash), "-i"], "dash"), sb,
                                engine.Options())


def test_ctrl_z_signals_and_crash_reports_on_a_real_shell():
    tests = [
        spec.Test("stop", 1, [spec.Line("sleep 10", prompt=False), spec.Running("sleep 10"),
                              spec.Key("C-z"), spec.Prompt(),
                              spec.Contains("Stopped", where="all"), spec.Line("kill %1")]),
        spec.Test("kill the shell", 1, [spec.Signal("KILL", to="shell"), spec.Exits()]),
        spec.Test("mask", 1, [spec.Line("sleep 1 &"), spec.Line("jobs -l"),
                              spec.Matches(r"^\[N\] \+ PID Running", mask=("jobs", "pids"))]),
    ]
    stop, killed, masked = _run_on_dash(tests)
    assert stop.outcome == "passed", stop.feedback
    assert killed.outcome == "crashed" and "SIGKILL" in killed.reason
    assert masked.outcome == "passed", masked.feedback


def test_a_prompt_regex_that_can_never_match_is_refused_with_the_fix():
    import argparse

    from graders.shell.project import prompt_regex

    with pytest.raises(argparse.ArgumentTypeError, match=r"never match.*'mysh\\\\\$ '"):
        prompt_regex("mysh$ ")
    with pytest.raises(argparse.ArgumentTypeError, match="not a regular expression"):
        prompt_regex("(")
    with pytest.raises(argparse.ArgumentTypeError, match="empty"):
        prompt_regex("")
    for fine in (r"\$ ", r"mysh\$ ", "[$] ", "(a|b)$", r"~.*\$ "):
        assert prompt_regex(fine) == fine


def test_a_failed_build_shows_the_first_compiler_error():
    from graders.submission import first_errors

    log = "\n".join(["gcc -c a.c", "a.c:3:1: error: expected ';'", "  3 | int x",
                     *[f"a.c:{n}:1: error: later {n}" for n in range(4, 40)],
                     "make: *** [Makefile:2: myshell] Error 1"])
    shown = first_errors(log)
    assert shown.startswith("a.c:3:1: error: expected ';'\n  3 | int x")
    assert "more lines of make's output" in shown and "gcc -c a.c" not in shown
    assert first_errors("ld: cannot find -lfoo\nmake: *** Error 1") .endswith("Error 1")


def test_a_stuck_shell_is_recognised_quickly_and_a_sleeping_command_is_not(tinysh):
    """A shell that never comes back (every process asleep, no output, no CPU) times out in
    about a second, not the line's 3 s; a line whose command sleeps says stuck_ok and
    passes; the wait for a prompt after a sleep that stuck_ok allows is not cut short."""
    import time

    from graders.sandbox import Sandbox

    hang = [spec.Test("hangs", 1, [spec.Line("/bin/true")])]
    sleeps = [spec.Test("sleeps", 1, [spec.Line("/bin/sleep 1.5", stuck_ok=True),
                                      spec.Line("/bin/echo ok"), spec.Output("ok\n")])]
    results = {}
    for variant, tests in (("HANG", hang), ("", sleeps)):
        with Sandbox() as sb:
            exe = sb.workdir / f"sh{variant}"
            exe.write_bytes(tinysh(variant).read_bytes())
            exe.chmod(0o755)
            sb.give_to_sandbox_user(exe)
            start = time.monotonic()
            (results[variant],) = engine.run_tests(tests, engine.Submission([str(exe)], "t"),
                                                   sb, engine.Options())
            results[variant].duration = time.monotonic() - start
    stuck = results["HANG"]
    assert stuck.outcome == "timeout" and "stuck" in stuck.reason, stuck.reason
    assert stuck.duration < 2.9  # before the line's 3 s limit
    assert results[""].outcome == "passed", results[""].feedback


def test_bytecode_of_what_runs_in_the_sandbox_is_cached():
    """minishell and minitrace run read-only inside the sandbox, where Python cannot write
    its cache: the grader writes it first, or every shell of a grading compiles again."""
    import importlib.util
    import os
    from pathlib import Path

    import minishell.shell.repl
    from graders.shell.project import cache_bytecode

    source = Path(minishell.shell.repl.__file__)
    cached = Path(importlib.util.cache_from_source(str(source)))
    cached.unlink(missing_ok=True)
    cache_bytecode()
    assert cached.exists() and cached.stat().st_size > 0
    assert int.from_bytes(cached.read_bytes()[8:12], "little") == int(os.stat(source).st_mtime)
