"""Checks for lesson 1's chain.c: N generations in a line, youngest first; the tracer sees
each process fork exactly one child (the last none)."""

import random
import re

from lessons.checking import Checker, Fail, diff, test

LINE = re.compile(r"generation (\d+): pid (\d+), parent (\d+)")


def expected(n: int) -> str:
    return "".join(f"generation {g}: pid P{g}, parent P{g - 1}\n" for g in range(n, -1, -1))


@test("the generations print youngest first, each the child of the next line", 3)
def order(ex: Checker) -> None:
    n = random.randint(3, 6)
    r = ex.run(str(n))
    ex.expect_clean_end(r, f"./chain {n}")
    found = [LINE.fullmatch(line) for line in r.stdout.splitlines()]
    if not all(found) or [int(m.group(1)) for m in found] != list(range(n, -1, -1)):
        raise Fail(f"./chain {n} must print generations {n} down to 0, one line each.",
                   diff(expected(n), r.stdout))
    for young, old in zip(found, found[1:], strict=False):
        if young.group(3) != old.group(2):
            raise Fail(f"generation {young.group(1)} names parent {young.group(3)}, but "
                       f"generation {old.group(1)} is pid {old.group(2)}: each generation "
                       "must be forked by the one before.", r.stdout)


@test("the tracer sees a chain: one fork per process, none in the last", 2)
def mechanism(ex: Checker) -> None:
    n = random.randint(3, 5)
    r, events = ex.trace(str(n))
    ex.expect_clean_end(r, f"./chain {n}")
    kids: dict[int, list[int]] = {}
    for e in events:
        if e["type"] == "spawn" and e.get("kind") != "thread":
            kids.setdefault(e["pid"], []).append(e["child"])
    pid = next(e["pid"] for e in events if e["type"] == "start")
    for gen in range(n):
        if len(kids.get(pid, [])) != 1:
            raise Fail(f"./chain {n}: generation {gen} forked {len(kids.get(pid, []))} "
                       "children; in a chain each process forks exactly one.", r.stdout)
        pid = kids[pid][0]
    if kids.get(pid):
        raise Fail(f"./chain {n}: generation {n}, the last, must not fork.", r.stdout)
