"""Job control as the executor does it: process groups, the terminal, waitpid(WUNTRACED),
the job table and its builtins (jobs, fg, bg, kill, wait)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pexpect
import pytest
from minishell_run import MINISHELL, env_for, run, text

from minishell.shell import jobs

TIMEOUT = 30


# --- the job table, without processes ---------------------------------------------------


def finished(status: int) -> jobs.Job:
    job = jobs.Job("cmd")
    job.procs.append(jobs.Process(100))
    job.record(100, status)
    return job


def test_job_descriptions_are_the_ones_bash_prints():
    assert finished(0).describe() == "Done"
    assert finished(3 << 8).describe() == "Exit 3"
    assert finished(9).describe() == "Killed"  # raw wait status: killed by signal 9
    assert finished(15).describe() == "Terminated"
    assert finished((20 << 8) | 0x7F).describe() == "Stopped"
    assert finished(9).status() == 137 and finished(3 << 8).status() == 3


def test_job_specs():
    table = jobs.JobTable()
    first, second = table.add(jobs.Job("sleep 100")), table.add(jobs.Job("cat file"))
    for job, pid in ((first, 10), (second, 20)):
        job.procs.append(jobs.Process(pid))
    assert (first.number, second.number) == (1, 2)
    assert table.find("%1") is first and table.find("%%") is second
    assert table.find("%-") is first and table.find("%cat") is second
    assert table.find("%?100") is first and table.by_pid(20) is second
    with pytest.raises(LookupError):
        table.find("%3")
    second.procs[0].state = jobs.STOPPED
    table.make_current(first)
    assert table.current() is second  # a stopped job is the current one
    assert table.mark(second) == "+" and table.mark(first) == "-"


def test_signal_names():
    assert jobs.signal_number("KILL") == jobs.signal_number("sigkill") == 9
    assert jobs.signal_number("9") == 9 and jobs.signal_number("NOPE") is None
    assert jobs.describe_status(2) == "killed by SIGINT"
    assert jobs.describe_status((19 << 8) | 0x7F) == "stopped by SIGSTOP"


# --- without a terminal ---------------------------------------------------------------


def test_kill_and_wait_report_the_signal(tmp_path):
    result = run(["-c", "sleep 10 & kill $!; wait $!; echo $?; sleep 10 & kill -9 $!; "
                        "wait %1; echo $?; wait 12345; echo $?"], tmp_path)
    assert text(result.stdout) == "143\n137\n127\n"


def test_jobs_lists_background_jobs(tmp_path):
    result = run(["-c", "sleep 5 & jobs; jobs -p; jobs | cat; kill $!"], tmp_path)
    # a pipeline stage is a subshell: as in dash, it has no jobs of its own; and without
    # job control dash keeps no command text for a job
    assert re.fullmatch(r"\[1\] \+ Running {20}\n\d+\n", text(result.stdout))


JOB_SCRIPTS = [
    "true & sleep 0.1; true & sleep 0.1; jobs; jobs",
    "true & sleep 0.1; wait; sleep 5 & jobs; kill $!",
    "sleep 2 & sleep 2 & jobs; kill %1; echo $?; kill $!; wait; jobs; jobs",
    "jobs %1; echo $?; (sleep 0.1; exit 2) | cat & jobs; jobs -p; wait; jobs -l",
    "sleep 1 | sleep 1 | sleep 1 & jobs -l; kill %1 %2; echo $?; kill -s TERM %%; echo $?",
    "(exit 3) & sleep 0.2; jobs; sleep 5 & kill $!; wait $!; jobs -l; jobs",
]


@pytest.mark.parametrize("script", JOB_SCRIPTS)
def test_jobs_and_kill_without_job_control_as_dash(script, tmp_path, require):
    # dash's `kill %1` without job control signals a process group that does not exist
    # (ESRCH); its `jobs` shows the newest job first, and a finished job only once.
    require("dash")
    def output(argv):
        done = subprocess.run(argv, cwd=tmp_path, env=env_for(tmp_path), timeout=30,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        lines = re.sub(r"\d{3,}", "PID", text(done.stdout)).splitlines()
        return [line.split(":")[-1] for line in lines], done.returncode
    assert output([*MINISHELL, "-c", script]) == output(["dash", "-c", script])


def test_fg_and_bg_need_job_control(tmp_path):
    result = run(["-c", "fg; echo $?; bg %1; echo $?"], tmp_path)
    assert text(result.stdout) == "2\n2\n"
    assert text(result.stderr).count("no job control") == 2


def test_interactive_without_a_terminal_says_so_once(tmp_path):
    result = run(["-i"], tmp_path,
                 input="sleep 5 &\njobs\nkill %1\nwait\nsleep 0.1 | cat\necho end\n")
    assert text(result.stderr).count("no terminal control") == 1
    assert re.search(r"^\[1\] \d+$", text(result.stderr), re.M)  # `[1] 4242` at start
    assert "[1]+ Running  sleep 5 &" in text(result.stdout)
    assert "[1]+ Terminated  sleep 5" in text(result.stderr)
    assert "end" in text(result.stdout)
    assert result.returncode == 0


# --- with a terminal ----------------------------------------------------------------


@pytest.fixture
def terminal_shell(tmp_path):
    env = {**env_for(tmp_path), "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm",
           "XDG_STATE_HOME": str(tmp_path / "state")}
    child = pexpect.spawn(sys.executable, ["-m", "minishell", "--explain"], env=env,
                          cwd=str(tmp_path), encoding="utf-8", timeout=TIMEOUT,
                          dimensions=(24, 200))
    child.delaybeforesend = None
    child.logfile_read = open(tmp_path / "transcript.txt", "w")  # noqa: SIM115
    yield child
    child.close(force=True)
    child.logfile_read.close()


def test_explain_narrates_process_groups_and_the_terminal(terminal_shell):
    sh = terminal_shell
    sh.sendline("sleep 0.2 | cat")
    sh.expect(r"fork\(\) = (\d+)")
    first = int(sh.match.group(1))
    sh.expect(rf"setpgid\({first}, {first}\)")
    sh.expect(rf"tcsetpgrp\(\d+, {first}\)")
    sh.expect(rf"waitpid\(-{first}, WUNTRACED\) = \d+ exited 0")
    sh.expect(rf"waitpid\(-{first}, WUNTRACED\) = \d+ exited 0")
    sh.expect(rf"tcsetpgrp\(\d+, {os.getpgid(sh.pid)}\)")  # the shell takes the terminal back
    sh.sendline("sleep 100 &")
    sh.expect(r"\[1\] (\d+)")
    sleeper = int(sh.match.group(1))
    assert os.getpgid(sleeper) == sleeper != os.getpgid(sh.pid)  # a group of its own
    sh.sendline("kill -STOP %1")
    sh.expect(rf"kill\(-{sleeper}, SIGSTOP\) = 0")
    sh.sendline("jobs")
    sh.expect(r"\[1\]\+ Stopped  sleep 100")
    sh.sendline("bg")
    sh.expect(rf"kill\(-{sleeper}, SIGCONT\) = 0")
    sh.sendline("kill %1")
    sh.expect(rf"kill\(-{sleeper}, SIGTERM\) = 0")
    sh.sendline("wait")  # reaps it, then the notice
    sh.expect(r"\[1\]\+ Terminated  sleep 100")
    sh.sendline("exit 7")
    sh.expect(pexpect.EOF)
    sh.close()
    assert sh.exitstatus == 7


def test_ctrl_z_stops_a_job_and_fg_resumes_it(terminal_shell):
    sh = terminal_shell
    sh.sendline("sleep 100")
    sh.expect(r"execvp\(\"sleep\"")
    sh.sendcontrol("z")
    sh.expect(r"WUNTRACED\) = \d+ stopped by SIGTSTP")
    sh.expect(r"\[1\]\+ Stopped  sleep 100")
    sh.sendline("exit")
    sh.expect("there are stopped jobs")
    sh.sendline("fg %1")
    sh.expect(r"kill\(-\d+, SIGCONT\) = 0")
    sh.sendcontrol("c")
    sh.expect(r"killed by SIGINT")
    sh.sendline("echo $?")
    sh.expect(r"\n(\x1b\[[0-9;?]*[A-Za-z])*130\r")
    sh.sendline("exit")
    sh.expect(pexpect.EOF)


def test_the_terminal_goes_back_to_the_parents_group_at_exit(tmp_path):
    # The parent is a plain program (no job control): minishell takes a group and the
    # terminal of its own, and must hand the terminal back when it exits.
    parent = ("import os, sys\n"
              "os.spawnv(os.P_WAIT, sys.executable, [sys.executable, '-m', 'minishell'])\n"
              "print('parent in foreground:', os.tcgetpgrp(0) == os.getpgrp())\n")
    env = {**env_for(tmp_path), "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "dumb",
           "XDG_STATE_HOME": str(tmp_path / "state")}
    child = pexpect.spawn(sys.executable, ["-c", parent], env=env, cwd=str(tmp_path),
                          encoding="utf-8", timeout=TIMEOUT)
    child.delaybeforesend = None
    try:
        child.sendline("echo RE''ADY")
        child.expect("READY")
        child.sendline("exit")
        child.expect("parent in foreground: True")
    finally:
        child.close(force=True)


def test_a_signal_sent_right_after_fork_is_not_lost(tmp_path):
    # The interactive shell ignores SIGTERM and the job-control signals; a child still has
    # those dispositions until it resets them. Blocking them around fork keeps a `kill %1`
    # sent in that moment pending instead of lost.
    for _ in range(8):
        result = run(["-i"], tmp_path, input="sleep 10 &\nkill %1\nwait\n", timeout=15)
        assert "[1]+ Terminated  sleep 10" in text(result.stderr)
