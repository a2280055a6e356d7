"""Keys as a person types them, side by side with bash: typed ahead, pasted, Ctrl-R, Ctrl-D on
a continuation line, a dumb terminal, bytes that are not UTF-8, the history's size.

Each minishell session runs through a real pseudo-terminal (pexpect, as in test_interactive);
where bash has an answer, the same keys go to `bash --norc --noprofile -i` and the two results
are compared. Every wait is an expect with a generous timeout, never a fixed sleep.
"""

from __future__ import annotations

import os
import re

import pexpect
import pytest
from test_interactive import ESC, TIMEOUT, WORKDIR, shell_env

BASH_PROMPT = "BASH-PROMPT$ "


@pytest.fixture
def bash(tmp_path):
    """An interactive bash on a pty, with a prompt no output contains."""
    shells: list[pexpect.spawn] = []

    def start(**env: str) -> pexpect.spawn:
        home = tmp_path / "bash-home"
        home.mkdir(exist_ok=True)
        child = pexpect.spawn("bash", ["--norc", "--noprofile", "-i"],
                              env={**shell_env(tmp_path), "HOME": str(home),
                                   "PS1": BASH_PROMPT, "HISTFILE": str(home / "history"),
                                   **env},
                              cwd=str(home), dimensions=(24, 200), encoding="utf-8",
                              codec_errors="replace", timeout=TIMEOUT)
        child.delaybeforesend = None
        shells.append(child)
        return child

    yield start
    for child in shells:
        child.close(force=True)


def bash_run(child: pexpect.spawn, line: str) -> str:
    """Type a line into bash; return what it printed before the next prompt."""
    child.sendline(line)
    child.expect_exact(BASH_PROMPT)
    return child.before


# --- typed before the editor has loaded ---------------------------------------------------


def test_ctrl_d_typed_while_the_shell_starts_ends_it(session, bash):
    sh = session()
    sh.child.sendcontrol("d")  # at once: Python is still starting, the terminal is cooked
    sh.expect(pexpect.EOF)
    sh.child.close()
    assert sh.child.exitstatus == 0

    b = bash()  # bash has no such window to speak of: the same key at its first prompt
    b.expect_exact(BASH_PROMPT)
    b.sendcontrol("d")
    b.expect(pexpect.EOF)
    b.close()
    assert b.exitstatus == 0


def test_ctrl_c_and_a_line_typed_before_the_editor_act_as_at_the_prompt(session, bash):
    sh = session()
    sh.expect(WORKDIR)  # the first prompt is painted before the line editor is loaded
    sh.child.sendcontrol("c")
    sh.child.send("echo X$?Y\r")
    sh.expect("X130Y")
    sh.prompt(0)
    assert sh.child.isalive()

    b = bash()
    b.expect_exact(BASH_PROMPT)
    b.sendcontrol("c")
    b.expect_exact(BASH_PROMPT)
    assert "X130Y" in bash_run(b, "echo X$?Y")


def test_lines_pasted_at_once_each_run_after_a_prompt_in_order(session, bash):
    lines = [f"echo pasted''{i}" for i in range(40)]
    sh = session()
    sh.prompt(0)
    sh.child.send("".join(line + "\n" for line in lines) + "echo END''MARK\n")
    sh.expect("ENDMARK\r\n")
    outputs = re.findall(r"pasted(\d+)\r\n", sh.seen)
    assert outputs == [str(i) for i in range(40)]
    # each line is shown after a prompt, as if typed there
    assert len(re.findall(WORKDIR + ESC + r" \$ echo pasted''\d+", sh.seen)) == 40

    b = bash()
    b.expect_exact(BASH_PROMPT)
    b.send("".join(line + "\n" for line in lines) + "echo END''MARK\n")
    b.expect("ENDMARK\r\n")
    assert re.findall(r"pasted(\d+)\r\n", b.before) == outputs


# --- Ctrl-R, Ctrl-D on a continuation line ---------------------------------------------------


def test_ctrl_r_shows_the_search_at_the_prompt_and_enter_runs_the_match(session, bash):
    sh = session()
    sh.prompt(0)
    sh.run("echo FOUND''-IT", "FOUND-IT")
    sh.run("echo other", "other")
    sh.child.sendcontrol("r")
    sh.child.send("FOUND")
    sh.expect(r"\(reverse-i-search\)" + ESC + "`FOUND'")  # bash's words, on the prompt line
    sh.child.send("\r")  # one Enter runs it, as in bash
    sh.expect(r"FOUND-IT\r\n")
    sh.prompt(0)

    b = bash()
    b.expect_exact(BASH_PROMPT)
    bash_run(b, "echo FOUND''-IT")
    bash_run(b, "echo other")
    b.sendcontrol("r")
    b.send("FOUND")
    b.expect(r"\(reverse-i-search\)`")  # (then redrawn piece by piece)
    b.expect("D': echo")
    b.send("\r")
    b.expect(r"FOUND-IT\r\n")


def test_ctrl_d_on_a_continuation_line_reports_the_unexpected_end(session, bash):
    sh = session()
    sh.prompt(0)
    sh.child.sendline("echo 'never ends")
    sh.expect(r"\r\n" + ESC + ">")
    sh.child.sendcontrol("d")
    sh.expect("minishell: unterminated quoted string")
    sh.prompt(2)
    sh.run("echo A''B", "AB")

    b = bash()
    b.expect_exact(BASH_PROMPT)
    b.sendline("echo 'never ends")
    b.expect(r"(\n|\x1b\[\?2004h)> ")
    b.sendcontrol("d")
    b.expect("unexpected EOF while looking for matching")


# --- a dumb terminal -----------------------------------------------------------------------


def test_a_dumb_terminal_shows_what_runs(session):
    """Emacs's M-x shell: the kernel's own line editing; what is on the screen runs."""
    sh = session(TERM="dumb")
    sh.expect(WORKDIR + r" \$ ")
    sh.child.send("echo abc\x7f\x7fXY\x1b[D\x1b[D_\r")  # 2 Backspaces, 2 Left arrows
    # the driver erased "bc" and echoes the arrows as it keeps them: ^[[D
    sh.expect(r"echo abc\x08 \x08\x08 \x08XY\^\[\[D\^\[\[D_\r\n")
    sh.expect("aXY\x1b\\[D\x1b\\[D_\r\n")  # what ran is what was shown
    sh.expect(WORKDIR + r" \$ ")
    sh.child.sendline("echo 'two")  # continuation lines work there too
    sh.expect("\r\n> ")
    sh.child.sendline("lines'")
    sh.expect("two\r\nlines\r\n")
    sh.child.sendcontrol("c")
    sh.expect(WORKDIR + r" \[130\] \$ ")
    sh.child.sendcontrol("d")
    sh.expect(pexpect.EOF)


# --- bytes that are not UTF-8 --------------------------------------------------------------


def test_bytes_that_are_not_utf8_are_kept_and_so_is_what_follows(session, bash):
    sh = session()
    sh.prompt(0)
    os.write(sh.child.child_fd, b"echo A\xff\xfeBC | od -An -c\r")  # (bytes, as typed)
    sh.expect(r"A 377 376\s+B\s+C\s+\\n")
    sh.prompt(0)
    sh.child.sendcontrol("d")
    sh.expect(pexpect.EOF)
    again = session()  # the history file kept the bytes, not `?`
    again.prompt(0)
    again.child.send("\x1b[A\r")
    again.expect(r"A 377 376\s+B\s+C\s+\\n")
    again.prompt(0)

    b = bash()
    b.expect_exact(BASH_PROMPT)
    os.write(b.child_fd, b"echo A\xff\xfeBC | od -An -c\r")
    b.expect(r"A 377 376\s+B\s+C\s+\\n")


# --- history size and duplicates ------------------------------------------------------------


def history_entries(path) -> list[str]:
    return [line[1:] for line in path.read_text(errors="replace").splitlines()
            if line.startswith("+")]


def test_histsize_bounds_the_history_and_ignoredups_as_bash(session, bash, tmp_path):
    commands = ["echo one", "echo two", "echo two", "echo three", "echo four"]
    sh = session(HISTSIZE="3")
    sh.prompt(0)
    for command in commands:
        sh.child.sendline(command)
        sh.prompt(0)
    sh.child.sendcontrol("d")
    sh.expect(pexpect.EOF)
    history = tmp_path / "state" / "minishell" / "history"
    assert history_entries(history) == ["echo two", "echo three", "echo four"]

    b = bash(HISTSIZE="3")
    b.expect_exact(BASH_PROMPT)
    for command in commands:
        bash_run(b, command)
    b.sendcontrol("d")
    b.expect(pexpect.EOF)
    bash_history = (tmp_path / "bash-home" / "history").read_text().splitlines()
    assert bash_history == history_entries(history)

    # the file is read back within the limit: three Ups reach the oldest, a fourth stays
    again = session(HISTSIZE="3", HISTCONTROL="ignoredups")
    again.prompt(0)
    again.child.send("\x1b[A\x1b[A\x1b[A\x1b[A\r")
    again.expect(r"two\r\n")
    again.prompt(0)
    for command in ["echo same", "echo same"]:
        again.child.sendline(command)
        again.prompt(0)
    again.child.sendcontrol("d")
    again.expect(pexpect.EOF)
    assert history_entries(history) == ["echo four", "echo two", "echo same"]


def test_without_histcontrol_repeated_lines_are_kept_as_bash_keeps_them(session, tmp_path):
    sh = session()
    sh.prompt(0)
    for _ in range(2):
        sh.child.sendline("echo again")
        sh.prompt(0)
    sh.child.sendcontrol("d")
    sh.expect(pexpect.EOF)
    assert history_entries(tmp_path / "state" / "minishell" / "history") == ["echo again"] * 2
    assert os.stat(tmp_path / "state" / "minishell" / "history").st_mode & 0o777 == 0o600
