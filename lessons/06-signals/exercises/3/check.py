"""Checks for lesson 6's mytimeout.c: a command too slow is stopped with SIGTERM (status
124, on time, nothing left running); one in time gives its status at once."""

import time

from graders.model import Outcome
from lessons.checking import Checker, Fail, test


@test("too slow: SIGTERM after SECS, status 124", 3)
def too_slow(ex: Checker) -> None:
    t0 = time.monotonic()
    r, events = ex.trace("0.5", "sleep", "6", timeout=5)
    took = time.monotonic() - t0
    ex.expect_clean_end(r, "./mytimeout 0.5 sleep 6")
    if r.exit_code != 124:
        raise Fail(f"`./mytimeout 0.5 sleep 6` must exit with 124; {r.how_it_ended()}.")
    if took < 0.45:
        raise Fail(f"it gave up after {took:.2f} s, before the 0.5 s limit.")
    kills = [e for e in events if e["type"] == "syscall" and e["name"] in ("kill", "tgkill")
             and "SIGTERM" in e.get("text", "")]
    if not kills:
        raise Fail("the tracer saw no kill(..., SIGTERM): stop the command with SIGTERM, as "
                   "timeout(1) does.")


@test("in time: its own status, without waiting for the limit", 2)
def in_time(ex: Checker) -> None:
    t0 = time.monotonic()
    r = ex.run("20", "sh", "-c", "exit 3", timeout=10)
    took = time.monotonic() - t0
    if r.timed_out:
        raise Fail("`./mytimeout 20 sh -c 'exit 3'` was still running after 10 s, though "
                   "the command ends at once: return as soon as the child ends "
                   "(sigtimedwait on SIGCHLD), not when the time limit is up.",
                   outcome=Outcome.TIMEOUT)
    ex.expect_clean_end(r, "./mytimeout 20 sh -c 'exit 3'")
    if r.exit_code != 3:
        raise Fail(f"`./mytimeout 20 sh -c 'exit 3'` must exit with 3; {r.how_it_ended()}.")
    if took > 5:
        raise Fail(f"it took {took:.1f} s for a command that ends at once: return as soon as "
                   "the child ends (sigtimedwait on SIGCHLD).")
    r = ex.run("20", "sh", "-c", "kill -USR1 $$", timeout=10)
    if r.exit_code != 138:
        raise Fail("a command killed by SIGUSR1 before the limit: exit with 128 + 10; "
                   f"{r.how_it_ended()}.")
