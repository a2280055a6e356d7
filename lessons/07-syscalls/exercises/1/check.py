"""Checks for lesson 7's count.c: a ptrace syscall counter, against known counts and minitrace."""

import random
import re

from lessons import quizzes, tools
from lessons.checking import Checker, Fail, tail, test

COUNTS = re.compile(r"write calls: (\d+)\ntotal calls: (\d+)\n?\Z")
SLACK = 2  # where a counter starts and ends (execve, exit_group) differs by a call or two


def counted(ex: Checker, *prog: str) -> tuple[int, int, str]:
    r = ex.run(*prog, timeout=10)
    cmd = "./count " + " ".join(prog)
    ex.expect_clean_end(r, cmd)
    m = COUNTS.search(r.stdout)
    if not m:
        where = (" on stdout (they are on stderr)" if COUNTS.search(r.stderr)
                 else " on stdout")
        raise Fail(f"`{cmd}` must end its output with the two lines `write calls: W` and "
                   f"`total calls: N`{where}.", tail(r.stdout))
    return int(m.group(1)), int(m.group(2)), r.stdout


def reference_total(ex: Checker, *prog: str) -> int:
    """The number of syscalls minitrace (or, until it lands, strace) sees after execve."""
    if tools.available("minitrace"):
        events = quizzes.traced(list(prog), ex.work) or []
        calls = [e for e in events if e["type"] == "syscall"]
    else:
        log = ex.work / "strace.log"
        quizzes.run(["strace", "-qq", "-o", str(log), *prog], ex.work, check=False)
        calls = [line for line in log.read_text().splitlines() if "(" in line]
    return len(calls) - 1  # the execve that started it is not seen by PTRACE_TRACEME


@test("it counts write calls exactly", 3)
def writes(ex: Checker) -> None:
    k = random.randint(7, 60)
    w, _, _ = counted(ex, str(ex.probe("writes")), str(k))
    if w != k:
        raise Fail(f"the program made exactly {k} write calls; you counted {w}. Count each "
                   "call once -- at its entry stop, not also at its exit stop.")


@test("it counts all calls, like minitrace does", 2)
def total(ex: Checker) -> None:
    prog = [str(ex.probe("writes")), str(random.randint(3, 9))]
    _, n, _ = counted(ex, *prog)
    ref = reference_total(ex, *prog)
    if abs(n - ref) > SLACK:
        raise Fail(f"the program makes about {ref} system calls after execve; you counted {n}."
                   " Count every stop at a syscall entry (with PTRACE_O_TRACESYSGOOD).")


@test("the program runs normally and its status comes back", 1)
def transparent(ex: Checker) -> None:
    code = random.randint(2, 60)
    r = ex.run("sh", "-c", f"echo traced-{code}; exit {code}", timeout=10)
    ex.expect_clean_end(r, "./count sh -c ...")
    if not r.stdout.startswith(f"traced-{code}\n"):
        raise Fail("the traced program's own output must come through unchanged.",
                   tail(r.stdout))
    if r.exit_code != code:
        raise Fail(f"./count must exit with the program's status ({code}); "
                   f"{r.how_it_ended()}.")


