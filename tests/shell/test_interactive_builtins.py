"""`trace`, `help`, `cd`'s errors, `jobs -l` at a terminal, and commands read from a pipe,
side by side with bash where bash has an answer.

`trace` is checked through a real pty (pexpect): the traced command runs in a copy of this
shell, so it sees the shell's variables; a builtin that changes the shell changes only the
copy, and the user is told; Ctrl-C reaches the traced program, whose status is the shell's $?.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from test_interactive import alive, children, proc_fields, wait_until
from test_interactive_input import BASH_PROMPT, bash_run

MINISHELL = [sys.executable, "-m", "minishell"]


# --- trace -----------------------------------------------------------------------------------


def test_trace_runs_the_command_with_the_shells_own_variables(session):
    sh = session()
    sh.prompt(0)
    sh.child.sendline('x=outer; trace echo "[$x]"')
    sh.expect(r"\[outer\]\r\n")  # the copy of the shell knows x
    sh.expect(r"exit 0")  # minitrace's picture of the traced copy
    sh.prompt(0)


def test_trace_cd_says_that_the_copy_cannot_move_the_shell(session):
    sh = session()
    sh.prompt(0)
    sh.child.sendline("trace cd /")
    sh.expect("a child process cannot change its parent: this shell's working directory "
              "stays as it was")
    sh.prompt(0)
    sh.run("pwd", r"/PTEST\r\n")


def test_trace_alone_prints_its_usage(session):
    sh = session()
    sh.prompt(0)
    sh.child.sendline("trace")
    sh.expect("usage: trace PIPELINE")
    sh.prompt(2)  # no continuation prompt, no syntax error


def test_ctrl_c_under_trace_reaches_the_program_and_reports_130(session):
    sh = session()
    sh.prompt(0)
    sh.child.sendline("trace sleep 100")
    sleeper = wait_until(lambda: traced_sleep(sh.pid), what="the traced sleep to run")
    wait_until(lambda: foreground(sleeper), what="the traced sleep in the foreground")
    sh.child.sendcontrol("c")
    sh.prompt(130)  # SIGINT: 128 + 2, as without trace
    wait_until(lambda: not alive(sleeper), what="sleep to die")
    sh.run("echo X$?Y", "X130Y")
    assert not [pid for pid in children(sh.pid)], "the tracer and the copy are reaped"


def traced_sleep(shell_pid: int) -> int | None:
    """The sleep run by the traced copy (a grandchild of the shell), once it runs sleep."""
    for copy in children(shell_pid):
        for pid, (name, _state) in children(copy).items():
            if name == "sleep":
                return pid
    return None


def foreground(pid: int) -> bool:
    fields = proc_fields(pid)
    return fields is not None and fields[3] == fields[6]


# --- help, cd, jobs -l -----------------------------------------------------------------------


def test_help_fork_points_at_a_command_an_installed_user_can_run(session):
    sh = session()
    sh.prompt(0)
    match = sh.run("help fork", r"  see (minilesson show \d+)\r\n")
    lesson = subprocess.run([os.path.join(os.path.dirname(sys.executable), "minilesson"),
                             *match.group(1).split()[1:]],
                            capture_output=True, text=True, timeout=60)
    assert lesson.returncode == 0 and "fork" in lesson.stdout


def test_cd_says_why_it_cannot(session, bash):
    sh = session()
    sh.prompt(0)
    sh.child.sendline("cd /nonexistent-dir")
    sh.expect("can't cd to /nonexistent-dir: No such file or directory")
    sh.prompt(2)
    sh.child.sendline("cd /etc/passwd")
    sh.expect("can't cd to /etc/passwd: Not a directory")

    b = bash()
    b.expect_exact(BASH_PROMPT)
    assert "No such file or directory" in bash_run(b, "cd /nonexistent-dir")
    assert "Not a directory" in bash_run(b, "cd /etc/passwd")


def test_jobs_l_shows_every_process_of_a_pipeline(session, bash):
    sh = session()
    sh.prompt(0)
    sh.run("sleep 100 | cat | cat &", r"\[1\] \d+")
    sh.child.sendline("jobs -l")
    sh.expect(r"\[1\]\+ (\d+) Running +sleep 100\r\n +(\d+) +\| cat\r\n +(\d+) +\| cat &\r\n")
    pids = [int(pid) for pid in sh.child.match.groups()]
    assert [proc_fields(pid)[0] for pid in pids] == ["sleep", "cat", "cat"]
    assert len({proc_fields(pid)[3] for pid in pids}) == 1  # one process group: one job
    sh.prompt(0)
    sh.run("kill %1", "")

    b = bash()
    b.expect_exact(BASH_PROMPT)
    bash_run(b, "sleep 100 | cat | cat &")
    shown = bash_run(b, "jobs -l")
    assert re.search(r"\[1\]\+ +\d+ Running +sleep 100\r\n +\d+ +\| cat\r\n +\d+ +\| cat &",
                     shown)
    bash_run(b, "kill %1")


# --- commands from a pipe ---------------------------------------------------------------------


def test_a_command_run_from_a_pipe_reads_the_rest_of_it_as_bash(tmp_path):
    """POSIX: the shell must not read ahead what a command it starts would read."""
    script = "cat\nx\necho after\n"
    ran = {}
    for name, argv in (("minishell", MINISHELL), ("bash", ["bash"])):
        ran[name] = subprocess.run(argv, input=script, capture_output=True, text=True,
                                   timeout=60, cwd=tmp_path)
    assert ran["minishell"].stdout == ran["bash"].stdout == "x\necho after\n"
    assert ran["minishell"].stderr == ""


def test_a_command_run_from_a_file_reads_the_rest_of_it_as_bash(tmp_path):
    """From a file the shell reads a block, then seeks back to the end of the line: `read`
    takes the second line, `head` the fourth, as in bash (dash runs them as commands)."""
    path = tmp_path / "commands"
    path.write_text("read line\necho got:$line\nhead -n 1\nthird\nfourth\necho end\n")
    ran = {}
    for name, argv in (("minishell", MINISHELL), ("bash", ["bash"])):
        with open(path) as stdin:
            ran[name] = subprocess.run(argv, stdin=stdin, capture_output=True, text=True,
                                       timeout=60, cwd=tmp_path)
    assert ran["minishell"].stdout == ran["bash"].stdout == "third\nend\n"
    assert "fourth: " in ran["minishell"].stderr and "fourth: " in ran["bash"].stderr
