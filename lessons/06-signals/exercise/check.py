"""Checks for lesson 6's sigcount.c: handlers for SIGINT and SIGTERM, driven by real signals.

The check sends one signal at a time and waits for the answer line before the next, since
signals of one kind do not queue. It also waits a moment before each signal: a program that
checks its flags and then calls pause() has a race (a signal between the two is handled, and
pause() then sleeps on), which the lesson explains; the check does not punish it randomly.
"""

import random
import signal
import time

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
    time.sleep(0.03)
    prog.signal(pid, sig)


def expect(prog, want: str, after: str) -> None:
    line = prog.read_line(3)
    if line == want:
        return
    r = prog.stop()
    if r.signal:
        raise Fail(f"after {after} the program was killed by {signal.Signals(r.signal).name}: "
                   "install a handler with sigaction() so the signal does not kill it.",
                   prog.transcript(), Outcome.CRASHED)
    raise Fail(f"after {after} the program must print `{want}`.",
               f"got: {line!r}\n{prog.transcript()}",
               Outcome.TIMEOUT if line is None else Outcome.FAILED)


@test("SIGINT does not kill it, and is counted", 3)
def counts(ex: Checker) -> None:
    prog, pid = start(ex)
    for n in range(1, random.randint(3, 6) + 1):
        send(prog, pid, signal.SIGINT)
        expect(prog, f"SIGINT {n}", f"SIGINT number {n}")
    prog.stop(grace=0.1)  # it would wait forever for SIGTERM: end it now


@test("SIGTERM ends it cleanly with the count", 2)
def bye(ex: Checker) -> None:
    prog, pid = start(ex)
    n = random.randint(0, 3)
    for i in range(1, n + 1):
        send(prog, pid, signal.SIGINT)
        expect(prog, f"SIGINT {i}", f"SIGINT number {i}")
    send(prog, pid, signal.SIGTERM)
    expect(prog, f"got {n} SIGINT, bye", f"{n} SIGINT then SIGTERM")
    r = prog.stop()
    if r.exit_code != 0:
        raise Fail(f"after SIGTERM it must exit with status 0; {r.how_it_ended()}.",
                   prog.transcript())
