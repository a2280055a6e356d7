"""Start-up time of the shell, against bash and bare Python in the same run.

1. Interactive, under a pseudo-terminal (pexpect), from spawn to:
   - "prompt": the first prompt is on the screen;
   - "ready": a key typed right after it is echoed by the line editor (prompt_toolkit loaded);
   - "cpu": the CPU time the shell used until then (independent of the machine's load).
   for `minishell` and `bash --norc --noprofile -i`. Goal: minishell's first prompt <= 150 ms.
2. `minishell -c true` against `python -c pass` (the venv's real interpreter, not a pyenv shim),
   wall-clock and CPU time. Goal: <= 1.5x bare Python.

Each figure is the median of --runs runs (alternating the programs, so a busy moment of the
machine hurts both). Usage: .venv/bin/python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
import tempfile
import time

import pexpect

import minishell

BIN = os.path.dirname(sys.executable)
MINISHELL = os.path.join(BIN, "minishell")
PROMPT_GOAL_MS = 150
PYTHON_RATIO_GOAL = 1.5


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (/proc/PID/schedstat, in ns): unlike the wall-clock
    figures it does not grow when other programs load the machine."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0]) / 1e9


def time_prompt(argv: list[str], env: dict[str, str], cwd: str) -> tuple[float, float, float]:
    """Seconds from spawn to the first prompt, to the echo of a key typed then, and the CPU
    time the shell used until that echo."""
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=cwd, dimensions=(24, 200),
                          encoding="utf-8", timeout=30)
    child.delaybeforesend = None
    try:
        child.expect(r"~[^\r\n]*\$")
        prompt = time.perf_counter() - start
        child.send("Q")
        child.expect_exact("Q")
        ready = time.perf_counter() - start
        cpu = cpu_seconds(child.pid)
    finally:
        child.close(force=True)
    return prompt, ready, cpu


def time_run(argv: list[str]) -> tuple[float, float]:
    """Wall-clock seconds for one run of argv, and the CPU seconds it used (user + system,
    from wait4, its own children included)."""
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"startup.py: {' '.join(argv)} failed (status {status})")
    return elapsed, usage.ru_utime + usage.ru_stime


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=15)
    runs = args.parse_args().runs
    # Measure the shell as installed: its modules compiled to .pyc (pip does that), even where
    # PYTHONDONTWRITEBYTECODE keeps Python from writing them (then each run compiles again).
    compileall.compile_dir(os.path.dirname(minishell.__file__), quiet=1)

    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, XDG_STATE_HOME=os.path.join(home, "state"),
                   PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color", PS1="~ $ ")
        shells = {"minishell": [MINISHELL], "bash": ["bash", "--norc", "--noprofile", "-i"]}
        samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in shells}
        time_prompt(shells["minishell"], env, home)  # warm the caches (.pyc, page cache)
        for _ in range(runs):
            for name, argv in shells.items():
                samples[name].append(time_prompt(argv, env, home))

    print(f"interactive start-up under a pty, median of {runs} runs")
    print(f"  {'':10} {'prompt':>10} {'ready':>10} {'cpu':>10}")
    medians = {}
    for name, runs_ in samples.items():
        prompt, ready, cpu = (statistics.median(column) for column in zip(*runs_, strict=True))
        medians[name] = prompt
        print(f"  {name:10} {ms(prompt)} {ms(ready)} {ms(cpu)}")
    verdict = "ok" if medians["minishell"] * 1000 <= PROMPT_GOAL_MS else "OVER GOAL"
    print(f"  minishell first prompt: {medians['minishell'] * 1000:.0f} ms "
          f"(goal <= {PROMPT_GOAL_MS} ms: {verdict}); "
          f"{medians['minishell'] / medians['bash']:.1f}x bash")

    commands = {"python -c pass": [sys.executable, "-c", "pass"],
                "minishell -c true": [MINISHELL, "-c", "true"],
                "python -m minishell -c true": [sys.executable, "-m", "minishell", "-c", "true"],
                # the floor under "ready": what loading the line editor costs by itself
                "python -c 'import prompt_toolkit'": [sys.executable, "-c",
                                                      "import prompt_toolkit"]}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for argv in commands.values():
        time_run(argv)  # warm-up
    for _ in range(runs * 2):
        for name, argv in commands.items():
            times[name].append(time_run(argv))
    print(f"\nnon-interactive start-up, median of {runs * 2} runs")
    print(f"  {'':34} {'wall':>10} {'':12} {'cpu':>10}")
    medians = {name: [statistics.median(column) for column in zip(*pairs, strict=True)]
               for name, pairs in times.items()}
    base_wall, base_cpu = medians["python -c pass"]
    for name, (wall, cpu) in medians.items():
        print(f"  {name:34} {ms(wall)}  {wall / base_wall:4.2f}x py  {ms(cpu)}  "
              f"{cpu / base_cpu:4.2f}x py")
    ratio = medians["minishell -c true"][0] / base_wall
    verdict = "ok" if ratio <= PYTHON_RATIO_GOAL else "OVER GOAL"
    print(f"  minishell -c true: {ratio:.2f}x python -c pass "
          f"(goal <= {PYTHON_RATIO_GOAL}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
