"""Pasting into the interactive shell: 200 lines at once, against bash in the same run.

A paste without bracketed paste (a terminal that does not support it, or lines typed ahead
while a command runs) reaches the shell as if typed very fast: each line must be shown after
a prompt and run. Under a pseudo-terminal (pexpect), for `minishell` and
`bash --norc --noprofile -i`: wait until the shell is at its prompt and ready, write the 200
lines in one go, and time until the output of the last one and the next prompt.

Goal: minishell <= 2x bash. Each figure is the median of --runs runs, alternating the shells.
Usage: .venv/bin/python bench/paste.py [--runs N] [--lines N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

import pexpect

BIN = os.path.dirname(sys.executable)
MINISHELL = os.path.join(BIN, "minishell")
GOAL = 2.0
PROMPT = r"\$"  # both prompts end with `$` (minishell's then has colour codes)


def time_paste(argv: list[str], env: dict[str, str], cwd: str, lines: int) -> float:
    # (a large maxread and a search window: pexpect itself must not be the bottleneck)
    child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=cwd, dimensions=(24, 200),
                          encoding="utf-8", timeout=120, maxread=1 << 20,
                          searchwindowsize=4096)
    child.delaybeforesend = None
    try:
        child.expect(PROMPT)
        child.sendline("echo RE''ADY")  # answered by the line editor, so it has loaded
        child.expect("READY\r\n")
        child.expect(PROMPT)
        text = "".join(f"echo pasted line {i}\n" for i in range(lines)) + "echo DO''NE\n"
        start = time.perf_counter()
        child.send(text)
        child.expect("DONE\r\n")
        child.expect(PROMPT)
        return time.perf_counter() - start
    finally:
        child.close(force=True)


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=7)
    args.add_argument("--lines", type=int, default=200)
    options = args.parse_args()
    shells = {"minishell": [MINISHELL], "bash": ["bash", "--norc", "--noprofile", "-i"]}
    samples: dict[str, list[float]] = {name: [] for name in shells}
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, XDG_STATE_HOME=os.path.join(home, "state"),
                   PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color", PS1="~ $ ",
                   HISTFILE=os.path.join(home, "bash_history"))
        for _ in range(options.runs):
            for name, argv in shells.items():
                samples[name].append(time_paste(argv, env, home, options.lines))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"{options.lines} lines pasted at a prompt (no bracketed paste), "
          f"median of {options.runs} runs")
    for name, value in medians.items():
        print(f"  {name:10} {value * 1000:8.1f} ms")
    ratio = medians["minishell"] / medians["bash"]
    verdict = "ok" if ratio <= GOAL else "OVER GOAL"
    print(f"  minishell: {ratio:.2f}x bash (goal <= {GOAL}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
