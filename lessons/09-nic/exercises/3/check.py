"""Checks for lesson 9's zone.c: frames through shared memory, with no system call per frame.

The output proves the bytes arrived; minitrace proves how: two processes (a fork), and far
fewer system calls than frames -- polling the slots' status, not a pipe's read and write.
"""

import random

from lessons.checking import Checker, Fail, tail, test


def expect_received(ex: Checker, frames: int) -> None:
    r = ex.run(str(frames), timeout=20)
    ex.expect_clean_end(r, f"./zone {frames}")
    want = f"received {frames} frames, in order, bytes exact\n"
    if r.stdout != want or r.exit_code != 0:
        raise Fail(f"./zone {frames} should print `{want.strip()}` and exit 0.",
                   tail(r.stdout + r.stderr))


@test("every frame arrives once, in order, bytes exact", 3)
def received(ex: Checker) -> None:
    for frames in (random.randrange(1, 64), random.randrange(1000, 3000)):
        expect_received(ex, frames)


@test("no system call per frame: the slots are polled, not read() from a pipe", 3)
def no_syscall_per_frame(ex: Checker) -> None:
    frames = 20000
    r, events = ex.trace(str(frames), timeout=60)
    ex.expect_clean_end(r, f"./zone {frames}")
    if r.stdout != f"received {frames} frames, in order, bytes exact\n":
        raise Fail(f"./zone {frames} did not receive every frame.", tail(r.stdout + r.stderr))
    forks = [e for e in events if e["type"] == "spawn" and e.get("kind") != "thread"]
    if not forks:
        raise Fail("the frames must come from a child process: fork() one to play the card.")
    calls = sum(e["type"] == "syscall" for e in events)
    if calls > frames // 4:
        names: dict[str, int] = {}
        for e in events:
            if e["type"] == "syscall":
                names[e.get("name", "?")] = names.get(e.get("name", "?"), 0) + 1
        top = ", ".join(f"{n} x{c}" for n, c in sorted(names.items(), key=lambda x: -x[1])[:4])
        raise Fail(f"./zone {frames} made {calls} system calls for {frames} frames ({top}): "
                   "pass the frames through the shared zone, and wait by polling the slot's "
                   "status -- sched_yield() only when there is nothing to do.")


@test("a bad FRAMES: usage on stderr, exit status 2", 1)
def bad(ex: Checker) -> None:
    r = ex.run("0")
    ex.expect_clean_end(r, "./zone 0")
    if r.exit_code != 2 or not r.stderr.strip():
        raise Fail(f"./zone 0 must print a usage line on stderr and exit 2; it "
                   f"{r.how_it_ended()}.", tail(r.stdout + r.stderr))
