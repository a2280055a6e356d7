"""Checks for lesson 8's faults.c: page faults measured with getrusage, against the rules.

Printing N and 0 is easy to fake, so one test runs the program under minitrace, which
records the kernel's fault counter of the process at each system call: the program must
read its counters (getrusage, or /proc/self/stat) before and after touching the pages, and
print what it measured.
"""

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
                           "None at all: were the pages mapped before the loop "
                           "(MAP_POPULATE, an earlier touch), or is it another process's "
                           "counter (use RUSAGE_SELF)? " if first <= 0 else
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


def _reads_counters(event: dict) -> bool:
    if event.get("name") == "getrusage":
        return True
    text = event.get("text", "")
    return event.get("name") in ("open", "openat") and "/proc/" in text and "stat" in text


@test("the counts are measured: counters read before and after the touches", 2)
def measured(ex: Checker) -> None:
    n = random.randint(300, 800)
    r, events = ex.trace(str(n), faults=True)
    ex.expect_clean_end(r, f"./faults {n}")
    m = LINES.search(r.stdout)
    if not m:
        raise Fail(f"./faults {n} must print `first touch: F minor faults` and "
                   "`second touch: S minor faults`.", tail(r.stdout))
    first = int(m.group(1))
    root = next(e["pid"] for e in events if e["type"] == "start")
    reads = [e for e in events if e["type"] == "syscall" and e["pid"] == root
             and e.get("flt") and _reads_counters(e)]
    if len(reads) < 2:
        raise Fail(f"./faults {n} never read its fault counters: call getrusage(RUSAGE_SELF) "
                   "(or read /proc/self/stat) right before and right after the loop, and "
                   "print the difference.", tail(r.stdout))
    deltas = [b["flt"][0] - a["flt"][0] for a, b in zip(reads, reads[1:], strict=False)]
    if not any(abs(d - first) <= max(8, first // 50) for d in deltas):
        raise Fail(f"./faults {n} printed `first touch: {first}`, but between two readings of "
                   f"the counters the kernel counted {', '.join(map(str, deltas))} faults: "
                   "print the difference of the readings taken around the loop.",
                   tail(r.stdout))
