"""A person's session in tmux: keys through send-keys, the screen read back with capture-pane.

tmux is a real terminal emulator (it answers prompt_toolkit's cursor position requests, keeps
the screen), so this checks what a student would see: completed words, colours, job notices,
prompts with the exit status. The server runs on a private socket and is killed at the end.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time

import pytest
from test_interactive import in_foreground, wait_foreground_child, wait_until

TIMEOUT = 30


class Tmux:
    def __init__(self, tmp_path):
        self.base = ["tmux", "-S", str(tmp_path / "tmux.sock"), "-f", "/dev/null"]
        self.home = tmp_path / "home"
        (self.home / "PTEST").mkdir(parents=True)
        env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(self.home),
               "XDG_STATE_HOME": str(tmp_path / "state"), "LANG": "C.UTF-8",
               "TERM": "tmux-256color"}
        command = ["env", "-i", *(f"{k}={v}" for k, v in env.items()),
                   sys.executable, "-m", "minishell"]
        self.tmux("new-session", "-d", "-x", "120", "-y", "30", "-s", "t",
                  "-c", str(self.home / "PTEST"), shlex.join(command))

    def tmux(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], capture_output=True, text=True,
                              check=True, timeout=TIMEOUT).stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "t", "-l", text)

    def screen(self, colours: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if colours else []), "-t", "t")

    def wait_for(self, text: str, colours: bool = False) -> str:
        """Poll the screen until text is on it; return the screen."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            screen = self.screen(colours)
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on the screen:\n{self.screen()}")

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen().splitlines() if line.strip()]

    def shell_pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "t", "#{pane_pid}"))

    def alive(self) -> bool:
        return subprocess.run([*self.base, "has-session", "-t", "t"],
                              capture_output=True, timeout=TIMEOUT).returncode == 0

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, timeout=TIMEOUT)


@pytest.fixture
def tmux(tmp_path):
    session = Tmux(tmp_path)
    yield session
    session.kill()


def test_a_session_at_the_terminal(tmux):
    tmux.wait_for("~/PTEST $")

    # Tab completes the command; the pipeline's output follows the line as typed
    tmux.type("ech")
    tmux.keys("Tab")
    tmux.wait_for("~/PTEST $ echo")
    tmux.type("hello world | tr a-z A-Z")
    tmux.keys("Enter")
    tmux.wait_for("HELLO WORLD\n~/PTEST $")
    assert tmux.lines()[:3] == ["~/PTEST $ echo hello world | tr a-z A-Z", "HELLO WORLD",
                                "~/PTEST $"]

    # a command that does not exist is red before Enter, one that exists green
    tmux.type("nosuchcmd-xyz | cat")
    screen = tmux.wait_for("nosuchcmd-xyz", colours=True)
    line = next(line for line in screen.splitlines() if "nosuchcmd-xyz" in line)
    assert "\x1b[31mnosuchcmd-xyz" in line
    assert "\x1b[32mcat" in line
    tmux.keys("C-c")  # discards the line, and says so
    tmux.wait_for("~/PTEST $ nosuchcmd-xyz | cat^C\n~/PTEST [130] $")
    screen = tmux.screen(colours=True)  # the directory in blue, a failure's status in red
    assert "\x1b[34m~/PTEST" in screen and "\x1b[31m[130]" in screen

    # output without a final newline stays visible: the prompt starts on a line of its own
    tmux.type("printf no-newline")
    tmux.keys("Enter")
    tmux.wait_for("no-newline%\n~/PTEST $")

    # stop a job, see it in `jobs`, resume it in the background, bring it back, end it
    tmux.type("sleep 100")
    tmux.keys("Enter")
    sleeper = wait_foreground_child(tmux.shell_pid(), "sleep")  # as a person sees it hang
    tmux.keys("C-z")
    tmux.wait_for("[1]+ Stopped  sleep 100")
    tmux.wait_for("[1]+ Stopped  sleep 100\n~/PTEST [148] $")
    tmux.type("bg")
    tmux.keys("Enter")
    tmux.wait_for("[1]+ sleep 100 &")
    tmux.type("jobs")
    tmux.keys("Enter")
    tmux.wait_for("[1]+ Running  sleep 100 &")
    tmux.type("fg")
    tmux.keys("Enter")
    tmux.wait_for("~/PTEST $ fg\nsleep 100")
    wait_until(lambda: in_foreground(sleeper), what="sleep in the foreground")
    tmux.keys("C-c")
    tmux.wait_for("~/PTEST [130] $")

    # `exit` ends the shell and the tmux session with it
    tmux.type("exit")
    tmux.keys("Enter")
    deadline = time.monotonic() + TIMEOUT
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not tmux.alive()


def test_ctrl_r_searches_at_the_prompt_and_enter_runs_it(tmux):
    """As in bash: the search replaces the prompt on its own line (not a toolbar on the
    terminal's last row), and Enter runs the command found."""
    tmux.wait_for("~/PTEST $")
    tmux.type("echo FOUND-IT")
    tmux.keys("Enter")
    tmux.wait_for("FOUND-IT\n~/PTEST $")
    tmux.keys("C-r")
    tmux.type("FOUND")
    tmux.wait_for("(reverse-i-search)`FOUND': echo FOUND-IT")
    rows = tmux.screen().splitlines()
    searching = next(n for n, row in enumerate(rows) if "reverse-i-search" in row)
    assert rows[searching - 1] == "FOUND-IT" and searching < len(rows) - 1
    assert not any(row.strip() for row in rows[searching + 1:])  # nothing drawn below
    tmux.keys("Enter")
    tmux.wait_for("~/PTEST $ echo FOUND-IT\nFOUND-IT\n~/PTEST $")
