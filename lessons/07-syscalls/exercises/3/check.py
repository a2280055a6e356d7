"""Checks for lesson 7's tracewrites.c: its lines agree with what minitrace sees of the same
program -- fds, counts and results, failed writes included."""

import random
import re

from lessons.checking import Checker, Fail, diff, test

LINE = re.compile(r"write\(-?\d+, \d+\) = -?\d+")


def program(sizes: list[int]) -> str:
    """Python code whose writes are known: os.write is one write(2) each."""
    a, b = sizes
    return (f"import os, sys\nos.write(1, b'A' * {a})\nos.write(2, b'B' * {b} + b'\\n')\n"
            "try:\n    os.write(9, b'lost')\nexcept OSError:\n    pass\nsys.exit(3)\n")


@test("one line per write: fd, count and result", 3)
def writes(ex: Checker) -> None:
    a, b = random.randint(1, 3000), random.randint(1, 80)
    r = ex.run(ex._python(), "-c", program([a, b]))
    ex.expect_clean_end(r, "./tracewrites python3 -c '...'")
    got = [line for line in r.stderr.splitlines() if LINE.search(line)]
    got = [LINE.search(line).group(0) for line in got]
    want = [f"write(1, {a}) = {a}", f"write(2, {b + 1}) = {b + 1}", "write(9, 4) = -9"]
    if got != want:
        raise Fail(f"a program writing A*{a} to fd 1, B*{b} and a newline to fd 2, then to "
                   "the closed fd 9 makes these three writes -- the last one failing with "
                   "-9 (-EBADF).",
                   diff("\n".join(want) + "\n", "\n".join(got) + "\n"))
    if r.exit_code != 3:
        raise Fail(f"./tracewrites must exit with the program's status, 3; "
                   f"{r.how_it_ended()}.")


@test("the count matches the tracer's", 2)
def as_minitrace(ex: Checker) -> None:
    n = random.randint(3, 12)
    r = ex.run("seq", "-s", " ", "-f", "%09g", "1", str(n * 500))
    ex.expect_clean_end(r, "./tracewrites seq ...")
    mine = [line for line in r.stderr.splitlines() if LINE.fullmatch(line)]
    _, events = ex.trace("seq", "-s", " ", "-f", "%09g", "1", str(n * 500))
    theirs = [e for e in events if e["type"] == "syscall" and e["name"] == "write"
              and e["pid"] != next(e["pid"] for e in events if e["type"] == "start")]
    if len(mine) != len(theirs) or not mine:
        raise Fail(f"seq made {len(theirs)} write calls by minitrace's count; your tracer "
                   f"printed {len(mine)} lines.", "\n".join(mine[:10]))
