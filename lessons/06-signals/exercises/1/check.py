"""Checks for lesson 6's sigcount.c: handlers for SIGINT and SIGTERM, driven by real signals.

The program says `ready PID` once its handlers are installed, and the check signals it at
once -- no polite pause: a signal can come at any moment, and a program that checks its
flags and then calls pause() loses the race now and then (a signal between the two is
handled, and pause() sleeps on). Then bursts: several SIGINTs at once, which do not queue,
so the program must count the ones it was given, never die, and never lose its place.
"""

import random
import signal

from graders.model import Outcome
from lessons.checking import Checker, Fail, test


def start(ex: Checker):
    prog = ex.start()
    line = prog.read_line(3)
    words = (line or "").split()
    if len(words) != 2 or words[0] != "ready" or not words[1].isdigit():
        prog.stop()
        raise Fail("the first line must be `ready PID`, written at once (fflush).",
                   f"first line: {line!r}\n{prog.transcript()}",
                   Outcome.TIMEOUT if line is None else Outcome.FAILED)
    return prog, int(words[1])


def send(prog, pid: int, sig: signal.Signals) -> None:
    prog.signal(pid, sig)


def expect(prog, want: str, after: str, pid: int | None = None) -> None:
    line = prog.read_line(3)
    if line == want:
        return
    late = None
    if line is None and pid is not None:
        # Silent: why? Another SIGINT wakes a program that lost the pause() race (the
        # line then comes at once); SIGTERM makes one that never flushed exit, and the
        # line comes out with the rest of stdio's buffer.
        prog.signal(pid, signal.SIGINT)
        late = prog.read_line(1)
        if late != want:
            prog.signal(pid, signal.SIGTERM)
    r = prog.stop()
    if r.signal:
        again = (" -- and keep it installed: not SA_RESETHAND, not System V's one-shot "
                 "signal()" if after.startswith("SIGINT number") and
                 not after.endswith(" 1") else "")
        raise Fail(f"after {after} the program was killed by {signal.Signals(r.signal).name}: "
                   f"install a handler with sigaction() so the signal does not kill it{again}.",
                   prog.transcript(), Outcome.CRASHED)
    if late == want:
        raise Fail(f"after {after} the program printed `{want}` only when the next signal "
                   "woke it: it checked its flags, then the signal came, then pause() slept "
                   "on -- block the signals and wait with sigsuspend() (hint 3).",
                   prog.transcript(), Outcome.TIMEOUT)
    if line is None and want in r.stdout.splitlines():
        raise Fail(f"after {after} the program printed `{want}` only when it exited: the "
                   "line sat in stdio's buffer (stdout is a pipe) -- fflush(stdout) after "
                   "each line.", prog.transcript())
    if line is None:
        raise Fail(f"after {after} the program never printed `{want}`, not even when "
                   "another signal came: does the handler reach the code that prints?",
                   prog.transcript(), Outcome.TIMEOUT)
    raise Fail(f"after {after} the program must print `{want}`.",
               f"got: {line!r}\n{prog.transcript()}")


@test("SIGINT does not kill it, and is counted", 3)
def counts(ex: Checker) -> None:
    prog, pid = start(ex)
    for n in range(1, random.randint(3, 6) + 1):
        send(prog, pid, signal.SIGINT)
        expect(prog, f"SIGINT {n}", f"SIGINT number {n}", pid)
    prog.stop(grace=0.1)  # it would wait forever for SIGTERM: end it now


@test("SIGTERM ends it cleanly with the count", 2)
def bye(ex: Checker) -> None:
    prog, pid = start(ex)
    n = random.randint(0, 3)
    for i in range(1, n + 1):
        send(prog, pid, signal.SIGINT)
        expect(prog, f"SIGINT {i}", f"SIGINT number {i}", pid)
    send(prog, pid, signal.SIGTERM)
    expect(prog, f"got {n} SIGINT, bye", f"{n} SIGINT then SIGTERM")
    r = prog.stop()
    if r.exit_code != 0:
        raise Fail(f"after SIGTERM it must exit with status 0; {r.how_it_ended()}.",
                   prog.transcript())


@test("a burst of SIGINTs: counted in order, never fatal", 2)
def burst(ex: Checker) -> None:
    prog, pid = start(ex)
    shown = 0
    for _ in range(random.randint(2, 4)):
        for _ in range(random.randint(3, 8)):  # at once: some merge, as pending signals do
            send(prog, pid, signal.SIGINT)
        shown, line = _counts(prog, shown, quiet=0.2)
        if line is not None:
            _bad_count(prog, line, shown)
        if shown == 0:
            r = prog.stop()
            if r.signal:
                raise Fail("a burst of SIGINTs killed the program: install the handlers "
                           "before printing `ready`.", prog.transcript(), Outcome.CRASHED)
            raise Fail("after a burst of SIGINTs the program printed nothing.",
                       prog.transcript(), Outcome.TIMEOUT)
    send(prog, pid, signal.SIGTERM)
    shown, line = _counts(prog, shown, quiet=3)  # lines a slow machine had not shown yet
    if line != f"got {shown} SIGINT, bye":
        prog.stop()
        raise Fail(f"after {shown} SIGINT counted, then SIGTERM, the program must print "
                   f"`got {shown} SIGINT, bye`.", f"got: {line!r}\n{prog.transcript()}")
    r = prog.stop()
    if r.exit_code != 0:
        raise Fail(f"after SIGTERM it must exit with status 0; {r.how_it_ended()}.",
                   prog.transcript())


def _counts(prog, shown: int, quiet: float) -> tuple[int, str | None]:
    """Read `SIGINT K` lines (K going up) until QUIET seconds pass without a line or a
    line of another kind comes: (the last K, that other line or None). The first line
    may take up to 3 s (a loaded machine); then QUIET is enough."""
    wait = max(quiet, 3.0)
    while (line := prog.read_line(wait)) is not None and _later_count(line, shown):
        shown = int(line.split()[1])
        wait = quiet
    return shown, line


def _bad_count(prog, line: str, shown: int) -> None:
    prog.stop()
    raise Fail(f"after a burst of SIGINTs the program printed `{line}`: counts must go up "
               f"from {shown}, one line per SIGINT handled.", prog.transcript())


def _later_count(line: str, shown: int) -> bool:
    """`SIGINT K` with K > SHOWN: a program printing once per wake-up may skip numbers
    when several SIGINTs were handled before it printed."""
    words = line.split()
    return len(words) == 2 and words[0] == "SIGINT" and words[1].isdigit() \
        and int(words[1]) > shown
