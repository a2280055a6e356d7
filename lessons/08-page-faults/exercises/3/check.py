"""Checks for lesson 8's pfwatch.c: the faults of a program that touches a known number of
pages -- two runs, and the difference must be the pages touched."""

import random
import re
import shutil

from lessons import build
from lessons.catalog import HERE
from lessons.checking import Checker, Fail, diff, test

TOUCH = HERE / "08-page-faults" / "demos" / "touch.c"
REPORT = re.compile(r"minor (\d+) major (\d+)")


def watch(ex: Checker, *cmd: str) -> tuple[int, object]:
    r = ex.run(*cmd, timeout=10)
    ex.expect_clean_end(r, "./pfwatch " + " ".join(cmd))
    found = [m for m in map(REPORT.fullmatch, r.stderr.splitlines()) if m]
    if not found:
        where = " (it is on stdout)" if REPORT.search(r.stdout) else ""
        raise Fail(f"./pfwatch must print `minor M major J` on stderr{where}.",
                   diff("minor M major J\n", r.stderr))
    return int(found[-1].group(1)), r


@test("touching K more pages costs the command about K more faults", 3)
def difference(ex: Checker) -> None:
    shutil.copy2(build.compile_c(TOUCH), ex.work / "touch")
    small, big = random.randint(100, 300), random.randint(2000, 4000)
    few, r = watch(ex, "./touch", str(small))
    many, r = watch(ex, "./touch", str(big))
    grew, want = many - few, big - small
    if not want - max(20, want // 20) <= grew <= want + max(20, want // 20):
        raise Fail(f"`./touch {small}` and `./touch {big}` touch {want} pages more, so the "
                   f"second run's minor faults must be about {want} more; yours grew by "
                   f"{grew} ({few} -> {many}). Report the CHILD's faults, from wait4.")


@test("the command's output and status pass through", 1)
def status(ex: Checker) -> None:
    _, r = watch(ex, "sh", "-c", "echo out; exit 6")
    if r.stdout != "out\n" or r.exit_code != 6:
        raise Fail(f"`./pfwatch sh -c 'echo out; exit 6'` prints `out` and exits with 6; "
                   f"{r.how_it_ended()}.", diff("out\n", r.stdout))
