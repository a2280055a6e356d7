"""Checks for lesson 3's retry.c: attempts until success, each status read with the macros."""

import random

from lessons.checking import Checker, Fail, diff, test

# succeeds at the Kth run: a counter in a file
FLAKY = 'n=$(cat count 2>/dev/null || echo 0); n=$((n + 1)); echo $n > count; [ $n -ge {k} ]'


def attempts(ex: Checker, n: int, k: int):
    (ex.work / "count").unlink(missing_ok=True)
    return ex.run(str(n), "sh", "-c", FLAKY.format(k=k))


@test("it stops at the first success", 2)
def stops(ex: Checker) -> None:
    k = random.randint(2, 4)
    r = attempts(ex, k + 2, k)
    ex.expect_clean_end(r, f"./retry {k + 2} flaky")
    want = "".join(f"attempt {i}: exited with {int(i < k)}\n" for i in range(1, k + 1))
    if r.stdout != want or r.exit_code != 0:
        raise Fail(f"a command that succeeds at attempt {k} of {k + 2}: {k} lines, then exit "
                   f"0; it printed {len(r.stdout.splitlines())} line(s) and "
                   f"{r.how_it_ended().removeprefix('it ')}.", diff(want, r.stdout))


@test("it gives up after N attempts, with the last status", 2)
def gives_up(ex: Checker) -> None:
    n = random.randint(2, 3)
    r = attempts(ex, n, 9)
    ex.expect_clean_end(r, f"./retry {n} failing")
    want = "".join(f"attempt {i}: exited with 1\n" for i in range(1, n + 1))
    if r.stdout != want or r.exit_code != 1:
        raise Fail(f"a command that always fails: {n} lines, then exit with its status 1; "
                   f"it printed {len(r.stdout.splitlines())} line(s) and "
                   f"{r.how_it_ended().removeprefix('it ')}.", diff(want, r.stdout))


@test("a command killed by a signal", 1)
def killed(ex: Checker) -> None:
    r = ex.run("2", "sh", "-c", "kill -TERM $$")
    ex.expect_clean_end(r, "./retry 2 sh -c 'kill -TERM $$'")
    want = "attempt 1: killed by signal 15\nattempt 2: killed by signal 15\n"
    if r.stdout != want or r.exit_code != 143:
        raise Fail(f"killed by SIGTERM twice: two lines, then exit 128 + 15; it printed "
                   f"{len(r.stdout.splitlines())} line(s) and "
                   f"{r.how_it_ended().removeprefix('it ')}.", diff(want, r.stdout))
