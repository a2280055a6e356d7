"""The language through the real shell process: the known bugs of issue 13 (C1-C3, B-series,
fds after background jobs), `--explain` telling the story of a command substitution, and
properties: the parser raises only syntax errors, expansion never crashes."""

from __future__ import annotations

import os
import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st
from minishell_run import MINISHELL, env_for, run, text

from minishell.shell import expand
from minishell.shell.parser import Parser, ShellSyntaxError, parse


def dash(script: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(["dash", "-c", script], cwd=cwd, env=env_for(cwd),
                          capture_output=True, timeout=60)


def same_as_dash(script: str, cwd, *args: str) -> subprocess.CompletedProcess:
    got = run(["-c", script, *args], cwd, timeout=120)
    expected = dash(script, cwd)
    assert "Traceback" not in text(got.stderr) and "internal error" not in text(got.stderr)
    assert (text(got.stdout), got.returncode) == (text(expected.stdout), expected.returncode)
    return got


# --- C1: any error in the first token is a syntax error (status 2), never a crash -----------


def test_an_unterminated_first_token_is_a_syntax_error(tmp_path):
    for script in ("'abc", '"abc', "`true", "$(true", "${x", "if true; then"):
        result = run(["-c", script], tmp_path)
        assert result.returncode == 2, script
        assert text(result.stderr).startswith("minishell: ")
        assert "internal error" not in text(result.stderr)


def test_a_syntax_error_in_an_interactive_shell_keeps_the_session(tmp_path):
    result = run(["-i"], tmp_path, input="'abc\n'\necho still here\n")
    assert "still here" in text(result.stdout)


# --- C2: NUL bytes are dropped, as dash does ---------------------------------------------------


def test_a_nul_byte_never_reaches_a_system_call(tmp_path):
    (tmp_path / "nul").write_bytes(b"a\0b\n")
    script = ('x=$(cat nul); echo "[$x]"; cd "$x" 2>/dev/null; : > "$x"; ls ab; '
              '. "./$x" 2>/dev/null; echo $?')
    result = run(["-c", script], tmp_path)
    assert text(result.stdout) == "[ab]\nab\n0\n"


# --- C3: no recursion limit a user can reach ---------------------------------------------------


def test_deep_nesting_runs_like_dash(tmp_path):
    depth = 2000
    for script in ("(" * depth + "echo deep" + ")" * depth,
                   "{ " * depth + "echo braces;" + " }" * depth,
                   "if true; then " * depth + "echo ifs" + "; fi" * depth,
                   " && ".join(["true"] * depth) + " && echo chain",
                   "echo $((" + "(" * depth + "1" + ")" * depth + "))"):
        same_as_dash(script, tmp_path)


def test_runaway_recursion_is_an_error_not_a_crash(tmp_path):
    result = run(["-c", "f() { f; }; f; echo never"], tmp_path)
    assert result.returncode == 2 and "Traceback" not in text(result.stderr)


# --- B-series, each against dash ---------------------------------------------------------------


def test_known_bugs_behave_as_in_dash(tmp_path):
    (tmp_path / "d.sh").write_text("echo dot $# $1\n")
    for script in (
        'IFS=:; set -- x "y z"; printf "[%s]" $@',                           # B1
        'x="a  *"; export y=$x; printf "[%s]" "$y"',                          # B2
        "A=1 B=$A env | grep '^B='",                                          # B3
        "x=5; echo $\\\nx 1\\\n2 &\\\n& echo and",                              # B5
        "touch ab '[' -; echo [[:alpha:]]b [a\\-z] [\\[z]",                    # B6
        "touch 'a*b' ab; x='a\\*b'; echo $x; x='\\a*'; echo $x",                # B7
        ": > /; echo not reached",                                            # B8
        "exec 3>/nonexistent/x; echo not reached",                            # B8
        "y=2 :; echo $y",                                                     # B12
        "unset PATH; ls; echo $?",                                            # B13
        "set -- outer; . ./d.sh a b; echo $1",                                # B15
    ):
        same_as_dash(script, tmp_path)


def test_the_fd_count_returns_to_its_base_after_background_jobs(tmp_path):
    # Each listing is taken while the shell sits idle in `wait`: around a fork the shell
    # briefly holds fds of its own (a command substitution's pipe end, the pipe that
    # tells it whether exec worked), and an ls started at once may list them.
    script = ("{ sleep 0.3; ls /proc/$$/fd > before; } & wait\n"
              "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do true & done\n"
              "wait\n"
              "{ sleep 0.3; ls /proc/$$/fd > after; } & wait\n")
    run(["-c", script], tmp_path)
    before, after = (tmp_path / "before").read_text(), (tmp_path / "after").read_text()
    assert before.split() == after.split()
    assert len(before.split()) >= 3  # 0, 1 and 2 at least: the listing worked


def test_every_child_of_a_command_substitution_is_reaped(tmp_path):
    script = "for i in 1 2 3; do x=$(echo $i | cat); done; echo $x; ls /proc/$$/task/*/children"
    result = run(["-c", script + " | xargs cat"], tmp_path)
    assert text(result.stdout).split()[0] == "3"


# --- --explain tells the story of $(...) ------------------------------------------------------


def test_explain_narrates_a_command_substitution(tmp_path):
    result = run(["--explain", "-c", "x=$(echo hi | tr a-z A-Z); echo $x"], tmp_path)
    story = text(result.stderr)
    assert text(result.stdout) == "HI\n"
    calls = [line.split("(")[0].split("] ")[-1] for line in story.splitlines()]
    assert calls.index("pipe") < calls.index("fork") < calls.index("waitpid")
    assert 'execvp("tr", ["tr", "a-z", "A-Z"])' in story
    assert "dup2(" in story


def test_the_lecture_screen_shows_the_calls_in_order():
    """One screen of executor.py holds pipe, fork, the child's work and the parent's."""
    import inspect

    from minishell.shell import executor

    source = inspect.getsource(executor.run_job)
    assert len(source.splitlines()) <= 50
    order = ["pipe()", "fork1", "join_job", "reset_signals", "close(read_end)", "move_fd(stdin",
             "run_stage", "close(fd)", "wait_for"]
    positions = [source.index(call) for call in order]
    assert positions == sorted(positions)


def test_a_failed_fork_is_a_shell_error(tmp_path):
    """RLIMIT_NPROC at the current count: fork fails with EAGAIN (not as root, which
    ignores the limit: then the shell simply runs the command)."""
    script = "echo before; ls > /dev/null; echo $?; echo after | cat"
    limit = "import resource,os,sys; n=len(os.listdir('/proc')); "
    code = (limit + "resource.setrlimit(resource.RLIMIT_NPROC, (1, 1)); "
            f"os.execv(sys.executable, {[*MINISHELL, '-c', script]!r})")
    result = subprocess.run([MINISHELL[0], "-c", code], cwd=tmp_path, env=env_for(tmp_path),
                            capture_output=True, timeout=60)
    assert "Traceback" not in text(result.stderr)
    assert "internal error" not in text(result.stderr)
    assert text(result.stdout).startswith("before\n")
    if os.geteuid() != 0:
        assert "fork" in text(result.stderr) and "2\n" in text(result.stdout)


# --- properties -------------------------------------------------------------------------------

SHELLISH = st.text(alphabet="ab2 |&;<>()'\"\\$#{}*?[]!~=`\n\t:-+%", max_size=60)
KEYWORDY = st.lists(st.sampled_from(
    ["if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "case",
     "esac", ";;", "{", "}", "(", ")", "$(", "$((", "${", "`", "<<", "EOF", "\n", ";", "x",
     "|", "&&", "!", "f()", "'", '"', "\\", "$x", "}", "))", "-", "#"]),
    max_size=25).map(" ".join)


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.binary(max_size=80).map(lambda b: b.decode("utf-8", "surrogateescape")),
                 SHELLISH, KEYWORDY))
def test_the_parser_raises_nothing_but_syntax_errors(source):
    for final in (False, True):
        parser = Parser(source, final=final)
        try:
            while parser.next_command() is not None:
                pass
        except ShellSyntaxError:
            pass


def fake_shell(**vars: str):
    """A real Shell whose $(...) does not fork (hypothesis runs in the test process)."""
    from minishell.shell.state import Shell

    shell = Shell(args=["a b", "", "*"])
    shell.vars.update(vars)
    shell.noglob = True
    shell.capture = lambda body: "captured"
    return shell


@settings(max_examples=400, deadline=None)
@given(SHELLISH, st.text(max_size=10), st.sampled_from([" \t\n", ":", "", " :", "a"]))
def test_expansion_never_crashes(source, value, ifs):
    try:
        node = parse(source, final=True)
    except ShellSyntaxError:
        return
    words = getattr(node, "words", None) or []
    shell = fake_shell(x=value, IFS=ifs, HOME="/home/u")
    for word in words:
        try:
            expand.expand_word(shell, word)
            expand.expand_single(shell, word)
            expand.expand_pattern(shell, word)
        except expand.ExpansionError:
            pass


def test_an_incomplete_line_after_a_here_document_is_all_that_is_left(tmp_path):
    """Standard input arrives in blocks: what is left for the next block starts after the
    here-document's body, not inside it."""
    from minishell.shell.state import Shell

    shell = Shell()
    shell.run_text(f"cat <<EOF > {tmp_path}/out\nhello\nEOF\necho \"two\n", final=False)
    assert shell.unconsumed == 'echo "two\n'
    assert (tmp_path / "out").read_text() == "hello\n"


def test_set_n_reads_commands_without_running_them(tmp_path):
    result = run(["-c", "set -n; echo no; if true; then echo no; fi; for i in 1; do echo no; done"],
                 tmp_path)
    assert (text(result.stdout), result.returncode) == ("", 0)


def sleeping(pid: int) -> bool:
    """Whether a `sleep` runs below pid (processes may end while we look)."""
    from minishell import procfs

    for child in procfs.descendants(pid):
        try:
            if procfs.comm(child) == "sleep":
                return True
        except OSError:
            pass
    return False


def test_ctrl_c_ends_a_loop_at_the_prompt(tmp_path):
    """The shell ignores SIGINT; when Ctrl-C kills the foreground job inside a loop, the
    rest of the command line is abandoned (as dash), not the next turn of the loop run."""
    import time

    import pexpect

    shell = pexpect.spawn(MINISHELL[0], MINISHELL[1:], cwd=str(tmp_path), encoding="utf-8",
                          timeout=60, env={**env_for(tmp_path), "PROMPT_TOOLKIT_NO_CPR": "1"})
    shell.delaybeforesend = None
    try:
        shell.expect(r"\$ ")
        shell.sendline("while :; do sleep 5; done; echo after-loop")
        shell.expect("after-loop")  # the echo of the typed line
        deadline = time.monotonic() + 60  # until the loop's `sleep` runs (a loaded machine)
        while not sleeping(shell.pid):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        shell.sendintr()
        shell.expect(r"\$ ")
        shell.sendline("echo status $?")
        shell.expect(r"status (\d+)")
        assert shell.match.group(1) == "130"
        assert "after-loop\r\n" not in shell.before
    finally:
        shell.close(force=True)


def test_no_import_cycles_in_the_shell():
    """Data flows one way: no module of minishell/shell imports, even lazily, one that
    imports it back (builtins, executor and state used to)."""
    import ast
    from pathlib import Path

    import minishell.shell

    folder = Path(minishell.shell.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        deps: set[str] = set()
        todo = list(ast.parse(path.read_text()).body)
        while todo:
            node = todo.pop()
            if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
                continue  # for annotations only: never imported when the shell runs
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                deps.update([node.module.split(".")[0]] if node.module else
                            [alias.name for alias in node.names])
            todo.extend(ast.iter_child_nodes(node))
        graph[path.stem] = deps

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for dep in graph.get(start, ()):
            if dep == goal or (dep not in seen and reaches(dep, goal, seen | {dep})):
                return True
        return False

    for pair in (("builtins", "executor"), ("executor", "state"), ("builtins", "state"),
                 ("langbuiltins", "state"), ("syscalls", "executor")):
        assert not (reaches(pair[0], pair[1], set()) and reaches(pair[1], pair[0], set())), pair
