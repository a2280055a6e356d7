"""Checks for lesson 3's mytime.c: wall-clock time, the child's CPU time and page faults (from
wait4's rusage), and the status passed on."""

import re

from lessons.checking import Checker, Fail, diff, test

REPORT = re.compile(r"real (\d+\.\d\d) user (\d+\.\d\d) sys (\d+\.\d\d) faults (\d+)")


def report(ex: Checker, *cmd: str) -> tuple[re.Match, object]:
    r = ex.run(*cmd, timeout=10)
    ex.expect_clean_end(r, "./mytime " + " ".join(cmd))
    found = [m for m in map(REPORT.fullmatch, r.stderr.splitlines()) if m]
    if not found:
        where = " (it is on stdout)" if REPORT.search(r.stdout) else ""
        raise Fail(f"./mytime must print `real R user U sys S faults F` on stderr{where}.",
                   diff("real 0.00 user 0.00 sys 0.00 faults 0\n", r.stderr))
    return found[-1], r


@test("real time: a command that sleeps 0.3 s takes about 0.3 s", 2)
def real(ex: Checker) -> None:
    m, r = report(ex, "sleep", "0.3")
    # The whole run, as the checker timed it from outside, bounds any true measure: a
    # `1.00` for a run that took 0.4 s is whole seconds (time()), not a slow machine.
    if not 0.28 <= float(m.group(1)) <= r.duration + 0.02:
        raise Fail(f"`sleep 0.3` took real {m.group(1)} s by your measure, but the whole run "
                   f"took {r.duration:.2f} s: time from before the fork to after the wait, "
                   "to the nanosecond (clock_gettime(CLOCK_MONOTONIC)), not whole seconds.")
    if float(m.group(2)) > 0.2:
        raise Fail(f"`sleep` uses almost no CPU, but you report user {m.group(2)} s.")


@test("the child's page faults, from wait4's rusage", 2)
def faults(ex: Checker) -> None:
    m, r = report(ex, "dd", "if=/dev/zero", "of=/dev/null", "bs=8M", "count=1")
    if int(m.group(4)) < 2000:
        raise Fail(f"dd with an 8 MiB buffer touches 2048 pages, so its minor faults are over "
                   f"2000; you report {m.group(4)}: use the rusage wait4() gives for the child.")


@test("the status is passed on, and the output goes through", 1)
def status(ex: Checker) -> None:
    m, r = report(ex, "sh", "-c", "echo out; exit 7")
    if r.stdout != "out\n" or r.exit_code != 7:
        raise Fail(f"`./mytime sh -c 'echo out; exit 7'` prints `out` and exits with 7; "
                   f"{r.how_it_ended()}.", diff("out\n", r.stdout))
