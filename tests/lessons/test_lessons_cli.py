"""minilesson end to end, as a student types it: list, show, run, quiz, start, check, hint."""

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

from rich.console import Console

from lessons import cli, demo, tools
from lessons.catalog import exercise, get


def solution(key: str) -> Path:
    return exercise(key).solution


def minilesson(*args, cwd=None, check=None):
    """`minilesson ARGS` in CWD: lessons.cli.main run in this process, as the console
    script runs it (a new interpreter per call costs seconds on a loaded machine; the
    tests marked `as_a_program` below start the real command)."""
    out, err = StringIO(), StringIO()
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "120"
    try:
        with contextlib.chdir(cwd or os.getcwd()), contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as e:  # argparse's usage errors
                code = e.code
    finally:
        if saved is None:
            os.environ.pop("COLUMNS")
        else:
            os.environ["COLUMNS"] = saved
    proc = SimpleNamespace(stdout=out.getvalue(), stderr=err.getvalue(), returncode=code)
    if check is not None:
        assert proc.returncode == check, (proc.stdout, proc.stderr)
    return proc


def as_a_program(*args, cwd=None, check=None):
    """The installed command itself, in a new process."""
    proc = subprocess.run([sys.executable, "-m", "lessons", *args], cwd=cwd, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120,
                          env={**os.environ, "COLUMNS": "120"})
    if check is not None:
        assert proc.returncode == check, (proc.stdout, proc.stderr)
    return proc


def test_list_shows_every_lesson():
    out = minilesson("list", check=0).stdout
    for number, word in enumerate(["fork", "exec", "wait", "pipes", "redirection", "signals",
                                   "system calls", "page faults"], start=1):
        assert word in out and str(number) in out


def test_show_renders_the_lesson():
    out = minilesson("show", "4", check=0).stdout
    assert "pipes: joining processes" in out
    assert "```" not in out and "<n>" not in out  # rendered, placeholders made readable
    assert "minilesson start 4" in out


def test_bad_input_is_one_line_and_status_2():
    for args in (["show", "99"], ["quiz", "nosuch"], ["check", "1", "/nonexistent/fan.c"],
                 ["start", "1", "/proc/nope"]):
        proc = as_a_program(*args, check=2)
        assert proc.stderr.startswith("minilesson: ") and proc.stderr.count("\n") == 1
        assert "Traceback" not in proc.stderr
    assert as_a_program("frobnicate").returncode == 2  # argparse's usage error


def test_quiz_asks_then_reveals_with_a_real_run():
    asked = minilesson("quiz", "1", "-s", "11", check=0).stdout
    assert "fork()" in asked and "Answer:" not in asked
    assert "minilesson quiz 1 -s 11 -c" in asked
    revealed = minilesson("quiz", "1", "-s", "11", "-c", check=0).stdout
    answer = revealed.split("Answer:")[1].splitlines()[0].strip()
    assert f"A real run on this machine: {answer} (same)" in " ".join(revealed.split())
    assert "$ minitrace --tree ./quiz" in revealed  # and the tree of that run


def test_start_check_and_progress(tmp_path):
    minilesson("start", "4", cwd=tmp_path, check=0)
    copy = tmp_path / "lesson4" / "mypipe.c"
    assert copy.read_text() == exercise("4").starter.read_text()
    failed = minilesson("check", "4", cwd=tmp_path, check=1).stdout  # finds ./lesson4/mypipe.c
    assert "failed" in failed and "score 0/6" in failed
    shutil.copy(solution("4.1"), copy)
    passed = minilesson("check", "4", cwd=tmp_path / "lesson4", check=0).stdout
    assert "score 6/6" in passed and "Exercise 4.1 done" in passed
    assert solution("4.1").read_text().splitlines()[1] in passed  # revealed after the pass
    state = json.loads((Path(os.environ["XDG_STATE_HOME"]) / "minishell" / "lessons.json")
                       .read_text())
    assert state["lessons"]["4.1"]["passed"] is True
    assert "✓mypipe.c" in minilesson("list", check=0).stdout.replace(" ", "")
    minilesson("start", "4", cwd=tmp_path, check=0)  # again: the student's work is kept
    assert copy.read_text() == (solution("4.1")).read_text()


def test_hints_come_one_at_a_time():
    hints = get(2).exercise["hints"]
    for i, hint in enumerate(hints, start=1):
        out = minilesson("hint", "2", check=0).stdout
        assert f"Hint {i}/{len(hints)}" in out
        assert max(re.findall(r"[a-z]{5,}", hint), key=len) in out
    assert "No more hints" in minilesson("hint", "2", check=0).stdout
    assert f"Hint {len(hints)}/" in minilesson("hint", "2", "--again", check=0).stdout


def test_watch_rechecks_on_save(tmp_path):
    work = tmp_path / "w"
    minilesson("start", "1", str(work), check=0)
    proc = subprocess.Popen([sys.executable, "-m", "lessons", "watch", "1", "--interval", "0.1",
                             "--max-checks", "2"], cwd=tmp_path, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "COLUMNS": "120"})
    try:
        seen = ""
        while "score 0/7" not in seen:
            seen += proc.stdout.readline()
        time.sleep(0.3)
        shutil.copy(solution("1.1"), work / "fan.c")
        os.utime(work / "fan.c")
        rest, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert "score 7/7" in rest and proc.returncode == 0


def test_demo_says_when_a_tool_is_missing(monkeypatch):
    monkeypatch.setattr(tools, "available", lambda tool: tool != "minitrace")
    out = StringIO()
    status = demo.run_demo(get(1), Console(file=out, width=100), pause=False)
    assert status == 0
    assert "minitrace is not installed yet" in out.getvalue()
    steps = len(get(1).demo_steps)
    assert f"Step {steps}/{steps}" in out.getvalue() and "End of the demo" in out.getvalue()


def test_demo_waits_for_enter_and_q_stops(tmp_path):
    out = StringIO()
    console = Console(file=out, width=100)
    answers = iter(["", "q"])
    console.input = lambda prompt="": next(answers)
    assert demo.run_demo(get(3), console, pause=True) == 0
    assert "Step 2/" in out.getvalue() and "Step 3/" not in out.getvalue()


def test_progress_that_cannot_be_saved_or_read_is_not_fatal(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", "/proc/no-such-dir")
    proc = minilesson("hint", "1", check=0)
    assert "Hint 1/" in proc.stdout and "cannot save your progress" in proc.stderr
    state = tmp_path / "s"
    (state / "minishell").mkdir(parents=True)
    (state / "minishell" / "lessons.json").write_text("{not json")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    assert "Hint 1/" in minilesson("hint", "1", check=0).stdout
    assert "Hint 2/" in minilesson("hint", "1", check=0).stdout


def test_warnings_are_printed_after_a_pass(tmp_path):
    source = (solution("2.1")).read_text()
    (tmp_path / "myexec.c").write_text(
        source.replace("int main(", "static int unused;\nint main(", 1))
    out = minilesson("check", "2", str(tmp_path / "myexec.c"), check=0).stdout
    assert "passed, with warnings" in out and "unused" in out


def test_a_missing_tracer_is_the_checkers_error_not_the_students():
    """An install without minitrace (a fresh venv, the toolkit and its dependencies on
    PYTHONPATH, no minitrace on PATH): lesson 1's mechanism test cannot run, and that is
    reported as the checker's failure, exit status 3 -- never as a failed test."""
    import site
    import tempfile
    where = Path(tempfile.mkdtemp(prefix="minilesson-notracer-"))
    where.chmod(0o755)  # the sandbox user must reach the interpreter
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where / "venv")],
                       check=True, timeout=120)
        paths = [str(Path(__file__).resolve().parents[2]), *site.getsitepackages()]
        proc = subprocess.run([str(where / "venv" / "bin" / "python"), "-m", "lessons",
                               "check", "1", str(solution("1.1"))], text=True,
                              capture_output=True, cwd=where,
                              env={**os.environ, "COLUMNS": "200", "PATH": "/usr/bin:/bin",
                                   "PYTHONPATH": os.pathsep.join(paths)})
    finally:
        shutil.rmtree(where)
    out = " ".join(proc.stdout.split())
    assert proc.returncode == 3, (proc.stdout, proc.stderr)
    assert "minitrace is not installed" in out and "the checker failed, not your program" in out
    assert "Traceback" not in proc.stderr

def test_quiz_trace_command_is_shown_with_its_quotes():
    out = minilesson("quiz", "4", "-s", "11", "-c", check=0).stdout
    pipeline = get(4).module("quiz.py").generate(11).program.strip()
    assert f"$ minitrace --tree sh -c '{pipeline}'" in out


def test_a_failed_check_does_not_reveal_the_solution(tmp_path):
    minilesson("start", "2.1", cwd=tmp_path, check=0)
    out = minilesson("check", "2.1", cwd=tmp_path, check=1).stdout
    assert "reference solution" not in out and str(solution("2.1")) not in out


def test_next_walks_the_course_and_list_counts(tmp_path):
    first = minilesson("next", cwd=tmp_path, check=0).stdout
    assert "Exercise 1.1 of 27" in first and (tmp_path / "lesson1" / "fan.c").exists()
    shutil.copy(solution("1.1"), tmp_path / "lesson1" / "fan.c")
    minilesson("check", "1", cwd=tmp_path, check=0)
    second = minilesson("next", cwd=tmp_path, check=0).stdout
    ex = exercise("1.2")
    assert f"Exercise 1.2 of 27: {ex.title}" in " ".join(second.split())
    assert (tmp_path / "lesson1" / ex.file).read_text() == ex.starter.read_text()
    listing = minilesson("list", check=0).stdout
    row = next(line for line in listing.splitlines() if "fork: one program" in line)
    assert "1/3" in row and row.count(".c") == 3


def test_reset_restores_the_starter_and_keeps_a_backup(tmp_path):
    minilesson("start", "3.2", cwd=tmp_path, check=0)
    ex = exercise("3.2")
    mine = tmp_path / "lesson3" / ex.file
    mine.write_text("/* my work */\n")
    out = minilesson("reset", "3.2", cwd=tmp_path, check=0).stdout
    assert mine.read_text() == ex.starter.read_text()
    backup = mine.with_name(ex.file + ".~1~")
    assert backup.read_text() == "/* my work */\n" and str(backup) in " ".join(out.split())
    minilesson("reset", "3.2", cwd=tmp_path, check=0)  # twice: a second backup, not lost
    assert mine.with_name(ex.file + ".~2~").read_text() == ex.starter.read_text()
    assert minilesson("reset", "3.9", cwd=tmp_path, check=2).stderr.startswith("minilesson: ")



def test_progress_kept_before_there_were_three_exercises_still_counts(tmp_path):
    """A state file from before N.K ids: lesson 2's record was the first exercise's."""
    state = Path(os.environ["XDG_STATE_HOME"]) / "minishell" / "lessons.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"version": 1, "lessons": {"2": {
        "passed": True, "hints": 1, "quizzes": 3, "workdir": str(tmp_path)}}}))
    row = next(line for line in minilesson("list", check=0).stdout.splitlines()
               if "exec: replacing" in line)
    assert "1/3" in row
    assert "Hint 2/" in minilesson("hint", "2", check=0).stdout
    assert "Exercise 1.1" in minilesson("next", cwd=tmp_path, check=0).stdout
