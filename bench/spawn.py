"""How fast does minishell start programs, compared with dash? (issue 2's benchmark)

Two scripts, run by both shells in this same run (best of --repeat):
  - 2000 lines of `/bin/true`           (one fork + exec + wait per line)
  - 500 lines of `/bin/true | /bin/true` (one pipe, two forks, two waits per line)
For each it prints milliseconds per command line and the ratio minishell / dash.
Start-up is measured with an empty script and subtracted, so the ratio is per command.
Wall time is what a user waits; CPU time (the shell plus all its children, from
getrusage(RUSAGE_CHILDREN)) is steadier on a busy machine. Both ratios are printed.
Goal (issue 2): <= 2.0x dash per command, with os.fork. For reference it also times the
floor of any Python shell: a bare fork/execv/waitpid loop reading the same script.
Two language cases (issue 13), dash and minishell only:
  - 1000 lines of `x=$(true)`            (a pipe, a fork, a read to EOF, a wait: no exec)
  - a 1000-iteration `for` loop of `:`   (no process at all: the interpreter's own speed)

    .venv/bin/python bench/spawn.py [--repeat N] [--lines N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import minishell

# The `minishell` command as installed (what `make run` starts); `python -m minishell` also
# imports runpy's helpers, 650 KiB more to copy at every fork.
_SCRIPT = Path(sys.executable).with_name("minishell")
MINISHELL = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "minishell"]
# The floor for any Python shell: a bare os.fork/os.execv/os.waitpid loop over the same lines.
BARE_LOOP = """
import os, sys
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    stages = [stage.split() for stage in line.split("|")]
    pids, stdin = [], None
    for n, argv in enumerate(stages):
        read, write = os.pipe() if n < len(stages) - 1 else (None, None)
        pid = os.fork()
        if pid == 0:
            if stdin is not None:
                os.dup2(stdin, 0)
            if write is not None:
                os.dup2(write, 1)
            os.execv(argv[0], argv)
        for fd in (stdin, write):
            if fd is not None:
                os.close(fd)
        pids.append(pid)
        stdin = read
    for pid in pids:
        os.waitpid(pid, 0)
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the shell and every process it waited for)."""
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run(argv, check=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - start, children_cpu() - cpu


def best(shells: dict[str, list[str]], script: str, repeat: int) -> dict[str, tuple]:
    """Best (wall, cpu) of `repeat` runs of each shell, taking turns so that a busy spell of
    the machine does not fall on one shell only."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in shells}
    for _ in range(repeat):
        for name, argv in shells.items():
            runs[name].append(run_once([*argv, script]))
    return {name: (min(wall for wall, _ in got), min(cpu for _, cpu in got))
            for name, got in runs.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lines", type=int, default=2000, help="lines of /bin/true")
    options = parser.parse_args()
    # Measure the shell as installed: its modules compiled to .pyc (pip does that), even where
    # PYTHONDONTWRITEBYTECODE keeps Python from writing them (then each run compiles again).
    compileall.compile_dir(os.path.dirname(minishell.__file__), quiet=1)
    dash = shutil.which("dash")
    if dash is None:
        print("dash is not installed (scripts/system-deps.sh installs it)", file=sys.stderr)
        return 1
    cases = {
        f"{options.lines} x /bin/true": "/bin/true\n" * options.lines,
        f"{options.lines // 4} x /bin/true | /bin/true": "/bin/true | /bin/true\n"
                                                          * (options.lines // 4),
    }
    subs, loops = options.lines // 2, options.lines * 10  # a loop turn is cheap: many
    language = {
        f"{subs} x x=$(true)": (subs, "x=$(true)\n" * subs),
        f"for loop, {loops} x :": (loops, "for i in " + " ".join(map(str, range(loops)))
                                   + "; do :; done\n"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        empty = os.path.join(tmp, "empty.sh")
        with open(empty, "w") as file:
            file.write("\n")
        shells = {"dash": [dash], "minishell": MINISHELL,
                  "python loop": [sys.executable, "-c", BARE_LOOP]}
        startup = best(shells, empty, options.repeat)
        print(f"start-up: dash {startup['dash'][0] * 1e3:.1f} ms, "
              f"minishell {startup['minishell'][0] * 1e3:.1f} ms (wall)")
        worst = 0.0
        for name, text in cases.items():
            script = os.path.join(tmp, "script.sh")
            with open(script, "w") as file:
                file.write(text)
            lines = text.count("\n")
            per_line = {shell: ((wall - startup[shell][0]) / lines,
                                (cpu - startup[shell][1]) / lines)
                        for shell, (wall, cpu) in best(shells, script, options.repeat).items()}
            wall_ratio = per_line["minishell"][0] / per_line["dash"][0]
            cpu_ratio = per_line["minishell"][1] / per_line["dash"][1]
            loop_ratio = per_line["python loop"][0] / per_line["dash"][0]
            worst = max(worst, wall_ratio)
            print(f"{name}\n  wall: dash {per_line['dash'][0] * 1e3:.3f} ms/line, minishell "
                  f"{per_line['minishell'][0] * 1e3:.3f} ms/line: {wall_ratio:.2f}x dash "
                  f"(bare Python loop {loop_ratio:.2f}x)\n"
                  f"  cpu (shell + children): minishell {cpu_ratio:.2f}x dash")
        for name, (count, text) in language.items():
            script = os.path.join(tmp, "script.sh")
            with open(script, "w") as file:
                file.write(text)
            two = {"dash": shells["dash"], "minishell": shells["minishell"]}
            per = {shell: ((wall - startup[shell][0]) / count, (cpu - startup[shell][1]) / count)
                   for shell, (wall, cpu) in best(two, script, options.repeat).items()}
            print(f"{name}\n  wall: dash {per['dash'][0] * 1e6:.1f} us each, minishell "
                  f"{per['minishell'][0] * 1e6:.1f} us each: "
                  f"{per['minishell'][0] / per['dash'][0]:.2f}x dash\n"
                  f"  cpu (shell + children): minishell "
                  f"{per['minishell'][1] / max(per['dash'][1], 1e-9):.2f}x dash")
    print(f"worst wall ratio {worst:.2f}x (goal <= 2.0x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
