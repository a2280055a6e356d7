"""Checks for lesson 8's zeropage.c: about N faults to read, about N more to write, and --
with the tracer's fault counters -- measured around the loops, not made up."""

import random
import re

from lessons.checking import Checker, Fail, tail, test

LINES = re.compile(r"read: (-?\d+) minor faults\nwrite after read: (-?\d+) minor faults\n")


def near(measured: int, n: int) -> bool:
    return n <= measured <= n + max(8, n // 50)


def reads_counters(e: dict) -> bool:
    text = e.get("text", "")
    return e.get("name") == "getrusage" or (
        e.get("name") in ("open", "openat") and "/proc/" in text and "stat" in text)


@test("reading N fresh pages: about N faults; writing them then: about N more", 3)
def counts(ex: Checker) -> None:
    n = random.randint(300, 1500)
    r = ex.run(str(n))
    ex.expect_clean_end(r, f"./zeropage {n}")
    m = LINES.search(r.stdout)
    if not m:
        raise Fail(f"./zeropage {n} must print `read: R minor faults` and "
                   "`write after read: W minor faults`.", tail(r.stdout))
    reads, writes = int(m.group(1)), int(m.group(2))
    if not near(reads, n):
        hint = (" -- were the reads dropped by the compiler (read through a volatile "
                "pointer), or the pages written before they were read?" if reads < n // 2
                else "")
        raise Fail(f"reading {n} fresh pages costs about {n} faults (the zero page is mapped "
                   f"at each); you measured {reads}{hint}.")
    if not near(writes, n):
        raise Fail(f"writing {n} pages that were only read costs about {n} faults (each "
                   f"gets a copy of its own); you measured {writes}.")


@test("the tracer's counters agree with what it printed", 2)
def measured(ex: Checker) -> None:
    n = random.randint(300, 800)
    r, events = ex.trace(str(n), faults=True)
    ex.expect_clean_end(r, f"./zeropage {n}")
    m = LINES.search(r.stdout)
    root = next(e["pid"] for e in events if e["type"] == "start")
    reads = [e for e in events if e["type"] == "syscall" and e["pid"] == root
             and e.get("flt") and reads_counters(e)]
    deltas = [b["flt"][0] - a["flt"][0] for a, b in zip(reads, reads[1:], strict=False)]
    for printed in (m.groups() if m else ()):
        if not any(abs(d - int(printed)) <= max(8, int(printed) // 50) for d in deltas):
            raise Fail(f"./zeropage {n} printed {printed}, but between two readings of its "
                       f"fault counters the kernel counted {deltas or 'nothing'}: print "
                       "what getrusage measured around each loop.", tail(r.stdout))
