"""Checks for lesson 4's mypipe.c: `ls | wc -l` built from pipe, fork, dup2 and exec.

The student's children run `ls` and `wc` through fdspy (lessons/probes/fdspy.c), which
records the fds each one inherited and who its parent is, then runs the real program.
"""

import random
import subprocess

from graders.model import Outcome
from lessons import tools
from lessons.checking import Checker, Fail, diff, test


def folder(ex: Checker) -> tuple:
    """A folder with a random number of files, and what `ls | wc -l` prints there."""
    where = ex.work / f"files{random.randint(1000, 9999)}"
    where.mkdir()
    for i in range(random.randint(3, 30)):
        (where / f"file{i}.txt").write_text("x")
    real = subprocess.run(["sh", "-c", "ls | wc -l"], cwd=where, capture_output=True,
                          text=True, env=tools.environment()).stdout
    return where, real


def run_spied(ex: Checker):
    """One spied run of ./mypipe, shared by the tests: a hang is waited for, and reported,
    once; the tests after it say they could not check anything."""
    if "mypipe" not in ex.memo:
        try:
            ex.memo["mypipe"] = _run_spied(ex)
        except Fail as first:
            ex.memo["mypipe"] = first
            raise
    found = ex.memo["mypipe"]
    if isinstance(found, Fail):
        raise Fail("not checked: ./mypipe did not run to the end (see the first failure).")
    return found


def _run_spied(ex: Checker):
    where, real = folder(ex)
    env, log = ex.spy_on("ls", "wc")
    r = ex.run(cwd=where, env=env, timeout=5)
    if r.timed_out:
        raise Fail("./mypipe never finished: `wc` waits for end of file, which comes only when "
                   "every copy of the pipe's write end is closed -- in the parent and in `wc`.",
                   "run `minitrace --fds ./mypipe` to see which process still holds it",
                   Outcome.TIMEOUT)
    ex.expect_clean_end(r, "./mypipe")
    spied = log.read_text().splitlines() if log.exists() else []
    return r, real, {line.split()[0]: line for line in spied}


def spy_line(spied: dict[str, str], prog: str) -> str:
    if prog not in spied:
        raise Fail(f"{prog} never ran through PATH: start it with execlp(\"{prog}\", ...) "
                   "or execvp, which search PATH as a shell does.")
    return spied[prog]


@test("it prints what `ls | wc -l` prints", 3)
def same_output(ex: Checker) -> None:
    r, real, _ = run_spied(ex)
    if r.stdout != real:
        raise Fail("./mypipe must print exactly what `ls | wc -l` prints in the same folder.",
                   diff(real, r.stdout) + (f"\nstderr:\n{r.stderr}" if r.stderr else ""))


@test("ls and wc are children of mypipe, not of a shell", 1)
def no_shell(ex: Checker) -> None:
    _, _, spied = run_spied(ex)
    for prog in ("ls", "wc"):
        parent = spy_line(spied, prog).rsplit("parent=", 1)[1]
        if parent != "mypipe":
            raise Fail(f"{prog}'s parent is `{parent}`, not mypipe: fork and exec the two "
                       "programs yourself (no system(), no sh -c).", spied[prog])


@test("ls and wc get only fds 0, 1 and 2", 2)
def no_leaks(ex: Checker) -> None:
    _, _, spied = run_spied(ex)
    for prog in ("ls", "wc"):
        line = spy_line(spied, prog)
        fds = line.split("fds=", 1)[1].split()[0].rstrip(",").split(",")
        extra = sorted(set(fds) - {"0", "1", "2"}, key=int)
        if extra:
            raise Fail(f"{prog} inherited fd(s) {', '.join(extra)} besides 0, 1, 2: after "
                       "dup2, close both ends of the pipe in each child.", line)
