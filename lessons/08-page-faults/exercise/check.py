"""Checks for lesson 8's faults.c: page faults measured with getrusage, against the rules."""

import random
import re

from lessons.checking import Checker, Fail, tail, test

LINES = re.compile(r"first touch: (-?\d+) minor faults\nsecond touch: (-?\d+) minor faults\n")


def measure(ex: Checker, n: int) -> tuple[int, int]:
    r = ex.run(str(n))
    ex.expect_clean_end(r, f"./faults {n}")
    m = LINES.search(r.stdout)
    if not m:
        raise Fail(f"./faults {n} must print `first touch: F minor faults` and "
                   "`second touch: S minor faults`.", tail(r.stdout))
    return int(m.group(1)), int(m.group(2))


@test("the first touch of N pages costs about N minor faults", 3)
def first_touch(ex: Checker) -> None:
    for n in (random.randint(200, 600), random.randint(1000, 3000)):
        first, _ = measure(ex, n)
        if not n <= first <= n + max(8, n // 50):
            raise Fail(f"./faults {n}: the first touch should cost about {n} minor faults (one "
                       f"per page); you measured {first}. " + (
                           "Far fewer: are huge pages off (MADV_NOHUGEPAGE)? "
                           if first < n else "More: measure only the loop. "))


@test("touching the same pages again costs (almost) nothing", 2)
def second_touch(ex: Checker) -> None:
    n = random.randint(300, 900)
    first, second = measure(ex, n)
    if first < n // 2:
        raise Fail("measure the first touch correctly first: it should be about N.")
    if not 0 <= second <= 8:
        raise Fail(f"./faults {n}: the pages are mapped after the first touch, so the second "
                   f"should cost about 0 faults; you measured {second}.")
