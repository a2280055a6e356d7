"""Checks for lesson 1's fan.c: N children, each reports itself; the parent reaps them all.

The output alone can be faked (children that all exit 0, a parent that prints n(n+1)/2), so
one test runs the program under minitrace and checks the mechanism: the parent forked N
processes, and each child line comes from one of them, which exited with its own status.
"""

import random
import re

from lessons.checking import Checker, Fail, diff, test

CHILD = re.compile(r"child (\d+): pid (\d+), parent (\d+)")
PARENT = re.compile(r"parent (\d+): reaped (\d+) children, statuses add up to (\d+)")


def fan(ex: Checker, n: int) -> tuple[list[re.Match], re.Match | None, str]:
    r = ex.run(str(n))
    ex.expect_clean_end(r, f"./fan {n}")
    lines = r.stdout.splitlines()
    children = [m for m in map(CHILD.fullmatch, lines) if m]
    parent = PARENT.fullmatch(lines[-1]) if lines else None
    return children, parent, r.stdout


def expected(n: int) -> str:
    return "".join(f"child {i}: pid P, parent Q\n" for i in range(1, n + 1)) + \
        f"parent Q: reaped {n} children, statuses add up to {n * (n + 1) // 2}\n"


@test("every child prints its line once", 2)
def children_print(ex: Checker) -> None:
    n = random.randint(3, 7)
    children, _, out = fan(ex, n)
    numbers = sorted(int(m.group(1)) for m in children)
    if not numbers:
        raise Fail(f"./fan {n} should print one `child i: ...` line for each i from 1 to {n}; "
                   "it printed none -- a child that ends with _exit() right after printf "
                   "loses its line in stdio's buffer (stdout is a pipe): fflush or exit().",
                   diff(expected(n), out))
    if len(numbers) > n:
        raise Fail(f"./fan {n} should print one `child i: ...` line for each i from 1 to {n}; "
                   f"it printed {len(numbers)}: a child that does not exit goes on looping "
                   "and forks children of its own -- end child i with exit(i).",
                   diff(expected(n), out))
    if numbers != list(range(1, n + 1)):
        raise Fail(f"./fan {n} should print one `child i: ...` line for each i from 1 to {n} "
                   f"(in any order); it printed children {numbers}.", diff(expected(n), out))
    if len({m.group(2) for m in children}) != n:
        raise Fail("two child lines show the same pid: is one process printing twice?", out)
    if any(m.group(2) == m.group(3) for m in children):
        raise Fail("a child printed its own pid as its parent: use getppid() for the parent.",
                   out)


@test("children have the same parent, who reports last", 2)
def parent_reports(ex: Checker) -> None:
    n = random.randint(2, 6)
    children, parent, out = fan(ex, n)
    if parent is None:
        raise Fail("the last line must be the parent's `parent Q: reaped N children, ...` "
                   "(the parent waits for all children first).", diff(expected(n), out))
    parents = {m.group(3) for m in children}
    if not children:
        raise Fail("no `child i: ...` line to compare with the parent's: see the first "
                   "test.", diff(expected(n), out))
    if parents != {parent.group(1)}:
        raise Fail(f"the children name parents {sorted(parents)}, but the parent is "
                   f"{parent.group(1)}: fork only in the parent, and exit in each child.", out)
    if int(parent.group(2)) != n or len(children) != n:
        raise Fail(f"./fan {n} must make exactly {n} children.", diff(expected(n), out))


@test("the parent adds up the exit statuses", 1)
def statuses(ex: Checker) -> None:
    n = random.randint(2, 8)
    _, parent, out = fan(ex, n)
    want = n * (n + 1) // 2
    if parent is None or int(parent.group(3)) != want:
        raise Fail(f"children 1..{n} exit with statuses 1..{n}, which add up to {want}: "
                   "use WEXITSTATUS(status) of each wait().", diff(expected(n), out))


@test("the tracer sees N forks, each child exiting with its own status", 2)
def mechanism(ex: Checker) -> None:
    n = random.randint(3, 6)
    r, events = ex.trace(str(n))
    ex.expect_clean_end(r, f"./fan {n}")
    root = next(e["pid"] for e in events if e["type"] == "start")
    forked = [e["child"] for e in events
              if e["type"] == "spawn" and e["pid"] == root and e.get("kind") != "thread"]
    exits = {e["pid"]: e for e in events if e["type"] == "exit"}
    if len(forked) != n:
        raise Fail(f"./fan {n}: the tracer saw the parent create {len(forked)} process(es), "
                   f"not {n}: fork once per child, in the parent only.", r.stdout)
    for m in map(CHILD.fullmatch, r.stdout.splitlines()):
        if not m:
            continue
        i, pid = int(m.group(1)), int(m.group(2))
        if pid not in forked:
            raise Fail(f"`child {i}` says its pid is {pid}, but the parent forked no process "
                       f"{pid}: print getpid() in the child itself.", r.stdout)
        end = exits.get(pid, {})
        if end.get("signal") or end.get("code") != i:
            how = (f"was killed by signal {end['signal']}" if end.get("signal")
                   else f"exited with status {end.get('code')}")
            raise Fail(f"child {i} (pid {pid}) {how}, not status {i}: end child i with "
                       f"exit({i}) -- the parent's sum must come from the children.", r.stdout)
