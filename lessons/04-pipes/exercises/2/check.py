"""Checks for lesson 4's pipeline.c: the output of a real pipeline, one child per stage and
pipes between them (seen by the tracer), no hang, the last stage's status."""

import random
import subprocess

from graders.model import Outcome
from lessons import tools
from lessons.checking import Checker, Fail, diff, test


def shell(line: str, cwd) -> str:
    return subprocess.run(["sh", "-c", line], cwd=cwd, capture_output=True, text=True,
                          env=tools.environment()).stdout


def pipeline(ex: Checker, stages: list[list[str]]):
    argv = [word for k, stage in enumerate(stages) for word in (["--"] if k else []) + stage]
    r = ex.run(*argv, timeout=5)
    if r.timed_out:
        raise Fail("./pipeline never finished: a stage waits for end of file, which comes "
                   "only when every copy of its pipe's write end is closed (in the parent "
                   "too) -- or a stage blocks on a full pipe (64 KiB) because the next "
                   "stage is not running yet: start every stage at the same time, then wait.",
                   "run `minitrace --fds ./pipeline ...` to see who holds what",
                   Outcome.TIMEOUT)
    ex.expect_clean_end(r, "./pipeline " + " ".join(argv))
    return r


@test("three stages print what the shell's pipeline prints", 2)
def three(ex: Checker) -> None:
    a, b = random.randint(1, 20), random.randint(100, 400)
    digit = str(random.randint(1, 9))
    stages = [["seq", str(a), str(b)], ["grep", digit], ["wc", "-l"]]
    want = shell(f"seq {a} {b} | grep {digit} | wc -l", ex.work)
    r = pipeline(ex, stages)
    if r.stdout != want:
        raise Fail(f"./pipeline seq {a} {b} -- grep {digit} -- wc -l must print what the "
                   "shell's pipeline prints.", diff(want, r.stdout))


@test("one stage, and five stages", 1)
def any_length(ex: Checker) -> None:
    r = pipeline(ex, [["echo", "just one"]])
    if r.stdout != "just one\n":
        raise Fail("with one stage, ./pipeline just runs it.", diff("just one\n", r.stdout))
    stages = [["seq", "1", "300"], ["sort", "-r"], ["head", "-n", "50"], ["tail", "-n", "5"],
              ["cat"]]
    want = shell("seq 1 300 | sort -r | head -n 50 | tail -n 5 | cat", ex.work)
    r = pipeline(ex, stages)
    if r.stdout != want:
        raise Fail("five stages must work as the shell's five-stage pipeline.",
                   diff(want, r.stdout))


@test("more than a pipe holds flows through: the stages run at the same time", 1)
def concurrent(ex: Checker) -> None:
    # ~1.3 MB through the first pipe, 20 times what it holds: a pipeline that waits for a
    # stage before starting the next blocks here, as a shell's would not.
    r = pipeline(ex, [["seq", "1", "200000"], ["tail", "-n", "1"]])
    if r.stdout != "200000\n":
        raise Fail("`./pipeline seq 1 200000 -- tail -n 1` must print 200000.",
                   diff("200000\n", r.stdout))


@test("the tracer sees a child per stage, a pipe between each, no shell", 2)
def mechanism(ex: Checker) -> None:
    r, events = ex.trace("seq", "1", "20", "--", "sort", "-r", "--", "head", "-n", "3")
    ex.expect_clean_end(r, "./pipeline seq 1 20 -- sort -r -- head -n 3")
    root = next(e["pid"] for e in events if e["type"] == "start")
    kids = {e["child"] for e in events if e["type"] == "spawn" and e["pid"] == root
            and e.get("kind") != "thread"}
    pipes = [e for e in events if e["type"] == "syscall" and e["name"] in ("pipe", "pipe2")]
    execs = [e for e in events if e["type"] == "exec" and e["pid"] in kids]
    progs = sorted((e.get("argv") or ["?"])[0] for e in execs)
    if len(kids) != 3 or progs != ["head", "seq", "sort"]:
        raise Fail(f"three stages need three children of ./pipeline, each exec'ing its "
                   f"program; the tracer saw {len(kids)} children exec'ing {progs}.")
    if len(pipes) != 2:
        raise Fail(f"three stages need two pipes; the tracer saw {len(pipes)} pipe() calls.")


@test("it exits with the last stage's status", 1)
def last_status(ex: Checker) -> None:
    # The last stage ends last: a pipeline that keeps the status of whichever child ends
    # first (or of the first stage) exits 0 here, every time.
    r = pipeline(ex, [["true"], ["sh", "-c", "sleep 0.3; exit 5"]])
    if r.exit_code != 5:
        raise Fail(f"`./pipeline true -- sh -c 'sleep 0.3; exit 5'` must exit with 5, the "
                   f"last stage's status; {r.how_it_ended()}.")
