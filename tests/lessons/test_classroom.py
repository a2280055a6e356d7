"""A teacher gives lesson 4 live: `minilesson run 4` at a real terminal, Enter between steps."""

import os
import sys

import pexpect

from lessons.catalog import get

PROMPT = "Enter to run, q to stop"


def test_run_4_at_a_terminal_step_by_step():
    steps = get(4).demo_steps
    child = pexpect.spawn(sys.executable, ["-m", "lessons", "run", "4"], encoding="utf-8",
                          dimensions=(40, 160), timeout=30,
                          env={**os.environ, "TERM": "xterm", "COLUMNS": "160"})
    child.delaybeforesend = None
    try:
        child.expect("Step 1/")
        child.expect(PROMPT)
        assert "pipe() gave fd" not in child.before  # nothing runs before Enter
        child.sendline("")
        child.expect(r"pipe\(\) gave fd 3 \(read end\) and fd 4 \(write end\)")
        child.expect("Step 2/")
        child.expect(PROMPT)
        child.sendline("")
        child.expect("3 processes")  # the tree of minishell's `ls | wc -l`
        for _ in range(3, len(steps) + 1):
            child.expect(PROMPT)
            child.sendline("")
        child.expect("End of the demo", timeout=60)
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_q_stops_the_demo():
    child = pexpect.spawn(sys.executable, ["-m", "lessons", "run", "4", "--step", "4"],
                          encoding="utf-8", dimensions=(40, 160), timeout=30)
    child.delaybeforesend = None
    try:
        child.expect("Step 4/")
        child.expect(PROMPT)
        child.send("q")  # one key, no Enter
        child.expect(pexpect.EOF, timeout=10)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0 and "status 124" not in child.before


def test_show_at_a_terminal_pages_with_colours():
    env = {k: v for k, v in os.environ.items() if k not in ("LESS", "PAGER", "MANPAGER")}
    child = pexpect.spawn(sys.executable, ["-m", "lessons", "show", "1"], encoding="utf-8",
                          dimensions=(30, 100), timeout=30, env={**env, "TERM": "xterm"})
    child.delaybeforesend = None
    try:
        child.expect("one program becomes two")
        child.expect(":")  # less's prompt: the text is paged, not dumped
        assert "ESC" not in child.before  # colours rendered, not shown as raw escapes
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
