"""The interactive shell through a real pseudo-terminal (pexpect), keys as a person types them.

Every command's effect is checked by what it prints (a marker like `echo A''B`, which prints AB
while the echoed input never contains `AB`) or by /proc, and every wait is an expect with a
generous timeout, never a fixed sleep.
"""

from __future__ import annotations

import os
import re
import sys
import time

import pexpect
import pytest

TIMEOUT = 30
ESC = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"  # styling between the parts of the prompt
WORKDIR = "PTEST"  # the prompt shows ~/PTEST: a text no command here prints


def prompt_re(status: int | None = None) -> str:
    """The prompt as the terminal receives it: `~/PTEST $`, or `~/PTEST [130] $`."""
    if status is None:
        return WORKDIR + r"[^\r\n$]*\$"
    if status == 0:
        return WORKDIR + ESC + " " + ESC + r"\$"
    return WORKDIR + ESC + " " + ESC + rf"\[{status}\]" + ESC + " " + ESC + r"\$"


def shell_env(tmp_path) -> dict[str, str]:
    home = tmp_path / "home"
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }


class Session:
    """One interactive minishell on a pty, started in ~/PTEST."""

    def __init__(self, tmp_path, rc: str | None = None, **env: str):
        home = tmp_path / "home"
        (home / WORKDIR).mkdir(parents=True, exist_ok=True)
        if rc is not None:
            (home / ".minishellrc").write_text(rc)
        self.transcript = open(tmp_path / "transcript.txt", "a")  # closed by close()
        self.child = pexpect.spawn(sys.executable, ["-m", "minishell"],
                                   env={**shell_env(tmp_path), **env},
                                   cwd=str(home / WORKDIR), dimensions=(24, 200),
                                   encoding="utf-8", codec_errors="replace",
                                   timeout=TIMEOUT)
        self.child.delaybeforesend = None
        self.child.logfile_read = self.transcript
        self.seen = ""  # all the output matched so far

    @property
    def pid(self) -> int:
        return self.child.pid

    def expect(self, pattern, timeout: int = TIMEOUT):
        self.child.expect(pattern, timeout=timeout)
        after = self.child.after if isinstance(self.child.after, str) else ""
        self.seen += self.child.before + after
        return self.child.match

    def prompt(self, status: int | None = None) -> None:
        self.expect(prompt_re(status))

    def run(self, line: str, output: str, status: int | None = 0) -> re.Match:
        """Type a command line, wait for its output (a regex), then for the next prompt."""
        self.child.sendline(line)
        match = self.expect(output)
        self.prompt(status)
        return match

    def start_foreground(self, line: str, name: str) -> int:
        """Type a command line and return the pid of its process `name` once that owns the
        terminal (only then do Ctrl-C and Ctrl-Z reach it)."""
        self.child.sendline(line)
        return wait_foreground_child(self.pid, name)

    def close(self) -> None:
        if self.child.isalive():
            self.child.close(force=True)
        self.transcript.close()


@pytest.fixture
def session(tmp_path):
    sessions: list[Session] = []

    def start(rc: str | None = None, **env: str) -> Session:
        sessions.append(Session(tmp_path, rc, **env))
        return sessions[-1]

    yield start
    for s in sessions:
        kill_descendants(s.pid)
        s.close()


# --- /proc helpers ------------------------------------------------------------------------


def proc_stat(pid: int) -> tuple[str, str, int] | None:
    """(command name, state letter, parent pid) of a process, or None if it is gone."""
    fields = proc_fields(pid)
    return (fields[0], fields[1], int(fields[2])) if fields else None


def proc_fields(pid: int) -> list[str] | None:
    """/proc/PID/stat as [comm, state, ppid, pgrp, session, tty_nr, tpgid, ...]."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    name = data[data.index("(") + 1 : data.rindex(")")]
    return [name, *data[data.rindex(")") + 2 :].split()]


def in_foreground(pid: int) -> bool:
    """Is pid running, in the process group that owns its terminal (tcgetpgrp)?
    Only then does Ctrl-C reach it: wait for this before sending a key meant for a job."""
    fields = proc_fields(pid)
    return fields is not None and fields[1] in "SR" and fields[3] == fields[6]


def wait_foreground_child(shell_pid: int, name: str) -> int:
    """The pid of the shell's child `name` once it runs in the foreground."""
    def ready():
        found = [p for p, (n, _) in children(shell_pid).items() if n == name and in_foreground(p)]
        return found and found[0]
    return wait_until(ready, what=f"{name} to run in the foreground")


def children(pid: int) -> dict[int, tuple[str, str]]:
    """The live children of pid: {pid: (name, state)}."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = proc_stat(int(entry))
            if info and info[2] == pid and info[1] != "Z":
                found[int(entry)] = info[:2]
    return found


def wait_until(predicate, timeout: float = TIMEOUT, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def kill_descendants(pid: int) -> None:
    """Leave nothing behind: SIGKILL what is left of the shell's children."""
    for child in children(pid):
        kill_descendants(child)
        try:
            os.kill(child, 9)
        except ProcessLookupError:
            pass


def alive(pid: int) -> bool:
    info = proc_stat(pid)
    return info is not None and info[1] != "Z"


# --- the tests ----------------------------------------------------------------------------


def test_runs_commands_and_ctrl_d_exits_0(session):
    sh = session()
    sh.prompt(0)
    sh.run("echo A''B | tr A Z", r"ZB\r\n")
    sh.child.sendcontrol("d")
    sh.expect(pexpect.EOF)
    sh.child.close()
    assert sh.child.exitstatus == 0


def test_ctrl_c_kills_the_foreground_job_and_the_prompt_shows_130(session):
    sh = session()
    sh.prompt(0)
    sleeper = sh.start_foreground("sleep 100", "sleep")
    sh.child.sendcontrol("c")
    sh.prompt(130)
    wait_until(lambda: not alive(sleeper), what="sleep to die")
    sh.run("echo X$?Y", r"X130Y")  # $? agrees with the prompt
    assert alive(sh.pid)


def test_ctrl_c_at_the_prompt_discards_the_line_and_spares_background_jobs(session):
    sh = session()
    sh.prompt(0)
    match = sh.run("sleep 100 &", r"\[1\] (\d+)")
    sleeper = int(match.group(1))
    sh.child.send("echo DISCARD''ED")
    sh.expect("echo")
    sh.child.sendcontrol("c")
    sh.prompt(130)
    sh.run("jobs", r"\[1\]\+ Running\s+sleep 100 &")
    assert "DISCARDED" not in sh.child.before
    assert alive(sleeper) and proc_stat(sleeper)[1] in "SR"
    sh.child.sendline("kill %1")
    # the signal lands asynchronously: the notice comes with the first prompt after the death
    wait_until(lambda: not alive(sleeper), what="sleep to die")
    sh.child.sendline("")
    sh.expect(r"\[1\]\+ Terminated\s+sleep 100")


def test_ctrl_z_stops_a_pipeline_then_jobs_bg_fg_and_ctrl_c(session):
    sh = session()
    sh.prompt(0)
    stages = [sh.start_foreground("sleep 100 | cat", "sleep"), wait_foreground_child(sh.pid, "cat")]
    sh.child.sendcontrol("z")
    sh.expect(r"\[1\]\+ Stopped\s+sleep 100 \| cat")
    sh.prompt(148)  # 128 + SIGTSTP, as bash
    assert wait_until(lambda: all(proc_stat(p)[1] == "T" for p in stages),
                      what="every stage to be stopped")
    sh.run("jobs", r"\[1\]\+ Stopped\s+sleep 100 \| cat")
    sh.run("bg", r"\[1\]\+ sleep 100 \| cat &")
    assert wait_until(lambda: all(proc_stat(p)[1] in "SR" for p in stages),
                      what="every stage to run again")
    sh.run("jobs", r"\[1\]\+ Running\s+sleep 100 \| cat &")
    sh.child.sendline("fg")
    sh.expect(r"sleep 100 \| cat\r\n")
    wait_until(lambda: all(in_foreground(p) for p in stages), what="the job in the foreground")
    sh.child.sendcontrol("c")
    sh.prompt(130)
    wait_until(lambda: not any(alive(p) for p in stages), what="the pipeline to end")
    sh.run("jobs; echo NO''JOBS", r"NOJOBS")
    assert "Stopped" not in sh.child.before and "Running" not in sh.child.before


def test_done_exit_and_killed_notices_before_the_prompt(session):
    sh = session()
    sh.prompt(0)
    sh.run("true &", r"\[\d\] \d+", status=None)  # job numbers: depends on when `true` ends
    sh.run("(exit 3) &", r"\[\d\] \d+", status=None)
    deadline = time.monotonic() + TIMEOUT
    while ("Done" not in sh.seen or "Exit 3" not in sh.seen) and time.monotonic() < deadline:
        sh.child.sendline("")  # each new prompt reaps the jobs that ended (waitpid WNOHANG)
        sh.prompt()
    assert re.search(r"\[\d\]. Done\s+true\r\n", sh.seen)
    assert re.search(r"\[\d\]. Exit 3\s+\(exit 3\)\r\n", sh.seen)
    match = sh.run("sleep 100 &", r"\[1\] (\d+)")
    os.kill(int(match.group(1)), 9)
    wait_until(lambda: not alive(int(match.group(1))), what="sleep to die")
    sh.child.sendline("")
    sh.expect(r"\[1\]\+ Killed\s+sleep 100")
    # a notice is given once
    sh.run("echo ON''CE", "ONCE")
    assert "Killed" not in sh.child.before


def test_history_survives_a_restart_and_ctrl_r_finds_it(session, tmp_path):
    first = session()
    first.prompt(0)
    first.run("echo HIST''ORY-ONE", r"HISTORY-ONE")
    first.run("echo OTHER''LINE", r"OTHERLINE")
    first.child.sendcontrol("d")
    first.expect(pexpect.EOF)
    history_file = tmp_path / "state" / "minishell" / "history"
    assert "echo HIST''ORY-ONE" in history_file.read_text()
    assert history_file.stat().st_mode & 0o777 == 0o600  # private, as bash's

    second = session()
    second.prompt(0)
    second.child.send("\x1b[A")  # Up: the last line of the last session
    second.expect("OTHER")
    second.child.send("\r")
    second.expect("OTHERLINE")
    second.prompt(0)
    second.child.sendcontrol("r")
    second.child.send("ORY-")
    second.expect("ORY-" + ESC + "ONE")  # the match is shown (and marked) as it is found
    second.child.send("\r")  # Enter runs it, as in bash
    second.expect("HISTORY-ONE\r\n")
    second.prompt(0)


@pytest.mark.parametrize("xdg_state_home", ["", "relative/dir"])
def test_history_falls_back_to_local_state_in_home(session, tmp_path, xdg_state_home):
    sh = session(XDG_STATE_HOME=xdg_state_home)  # unset or relative: ignored, as XDG says
    sh.prompt(0)
    sh.run("echo FALL''BACK", "FALLBACK")
    sh.child.sendcontrol("d")
    sh.expect(pexpect.EOF)
    history = tmp_path / "home" / ".local" / "state" / "minishell" / "history"
    assert "echo FALL''BACK" in history.read_text()


def test_an_unusable_history_file_is_reported_and_the_shell_goes_on(session, tmp_path):
    (tmp_path / "state").write_text("a file where the state directory should be")
    sh = session()
    sh.expect("history kept in memory only")
    sh.prompt(0)
    sh.run("echo A''B", "AB")
    sh.child.send("\x1b[A")  # this session's history still works
    sh.expect("echo" + ESC + " A")
    sh.child.send("\r")
    sh.expect("AB")
    sh.prompt(0)


def test_tab_completes_a_command_and_a_file(session, tmp_path):
    sh = session()
    (tmp_path / "home" / WORKDIR / "unique-file-name.txt").write_text("CONTENT42\n")
    sh.prompt(0)
    sh.child.send("ech\t")
    sh.expect("echo")
    sh.child.send("A''B\r")  # completion added "echo " with its space
    sh.expect(r"AB\r\n")
    sh.prompt(0)
    sh.child.send("cat uniq\t")
    sh.expect("unique-file-name.txt")
    sh.child.send("\r")
    sh.expect(r"CONTENT42\r\n")
    sh.prompt(0)


def test_continuation_lines_for_open_quotes_and_trailing_operators(session):
    sh = session()
    sh.prompt(0)
    sh.child.sendline("echo 'one")
    sh.expect(r"\r\n" + ESC + ">")
    sh.child.sendline("two'")
    sh.expect(r"one\r\ntwo\r\n")
    sh.prompt(0)
    sh.child.sendline("echo left''right |")
    sh.expect(r"\r\n" + ESC + ">")
    sh.child.sendline("tr l L &&")
    sh.expect(r"\r\n" + ESC + ">")
    sh.child.sendline("echo SEC''OND")
    sh.expect(r"Leftright\r\n")
    sh.expect(r"SECOND\r\n")
    sh.prompt(0)
    # Ctrl-C in a continuation line throws the whole command away
    sh.child.sendline("echo 'never")
    sh.expect(r"\r\n" + ESC + ">")
    sh.child.sendcontrol("c")
    sh.prompt(130)
    sh.run("echo A''B", "AB")
    assert "never" not in sh.child.before


def test_minishellrc_is_sourced_at_start(session):
    sh = session(rc="GREETING=from-rc\necho RC''LOADED\ncd ~/" + WORKDIR + "\n")
    sh.expect("RCLOADED")
    sh.prompt(0)
    sh.run("echo X${GREETING}X", "Xfrom-rcX")


def test_ctrl_d_with_a_stopped_job_warns_once(session):
    sh = session()
    sh.prompt(0)
    sleeper = sh.start_foreground("sleep 100", "sleep")
    sh.child.sendcontrol("z")
    sh.expect("Stopped")
    sh.prompt(148)
    sh.child.sendcontrol("d")
    sh.expect("there are stopped jobs")
    sh.prompt(148)
    assert sh.child.isalive()
    sh.child.sendcontrol("d")
    sh.expect(pexpect.EOF)
    sh.child.close()
    # the stopped job's group is orphaned: the kernel sends it SIGHUP and SIGCONT
    wait_until(lambda: not alive(sleeper), what="the stopped job to end")


def test_a_dumb_terminal_gets_no_escape_sequences(session):
    sh = session(TERM="dumb")  # Emacs's M-x shell
    sh.expect(WORKDIR + r" \$ ")
    sh.child.sendline("ls /nonexistent-dir")
    sh.expect("No such file")
    sh.expect(WORKDIR + r" \[2\] \$ ")
    sh.child.sendcontrol("d")
    sh.expect(pexpect.EOF)
    # (prompt_toolkit itself still resets the cursor's shape: ESC [?12l ESC [?25h)
    colours = re.findall(r"\x1b\[[0-9;]*m", sh.seen)
    assert colours == [] and "\x1b[K" not in sh.seen


def test_keys_typed_before_the_first_prompt_are_not_lost(session):
    sh = session()
    sh.child.send("echo TYPED''AHEAD\r")  # at once: while Python starts or the editor loads
    sh.expect(r"TYPEDAHEAD\r\n")
    sh.prompt(0)
    sh.child.sendline("sleep 1")
    sh.child.send("echo WHILE''BUSY\r")  # typed while a command runs, as in bash
    sh.expect(r"WHILEBUSY\r\n")
    sh.prompt(0)


def test_a_hangup_is_passed_on_to_every_job(session):
    """Closing the terminal (SIGHUP) ends running and stopped jobs too, as bash does."""
    sh = session()
    sh.prompt(0)
    running = int(sh.run("sleep 1000 &", r"\[1\] (\d+)").group(1))
    stopped = sh.start_foreground("sleep 1001", "sleep")
    sh.child.sendcontrol("z")
    sh.expect(r"\[2\]\+ Stopped\s+sleep 1001")
    sh.prompt(148)
    try:
        sh.child.close(force=True)  # the terminal goes away: the kernel sends SIGHUP
        assert sh.child.signalstatus == 1 or sh.child.exitstatus == 129
        wait_until(lambda: not alive(running) and not alive(stopped), what="the jobs to end")
    finally:  # orphans now: the fixture would not find them among the shell's children
        for pid in (running, stopped):
            if alive(pid):
                os.kill(pid, 9)


def test_kill_0_does_not_end_the_interactive_shell(session):
    """bash ignores SIGTERM when interactive; its children must not inherit that."""
    sh = session()
    sh.prompt(0)
    sh.run("kill 0; echo STILL''HERE", "STILLHERE")
    sleeper = int(sh.run("sleep 100 &", r"\[1\] (\d+)").group(1))
    sh.child.sendline(f"kill {sleeper}")  # SIGTERM
    wait_until(lambda: not alive(sleeper), what="sleep to die of SIGTERM")
    sh.child.sendline("")
    sh.expect(r"\[1\]\+ Terminated\s+sleep 100")
