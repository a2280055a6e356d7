"""Checks for lesson 5's append.c: `>>` as a shell does it -- created, appended, O_APPEND on
fd 1, no leaked fd, the status passed on."""

import os
import random

from lessons.checking import Checker, Fail, diff, test


@test("a second run appends; nothing is lost", 2)
def appends(ex: Checker) -> None:
    name = f"log{random.randint(10, 99)}.txt"
    words = [f"line{random.randint(100, 999)}" for _ in range(3)]
    for word in words:
        r = ex.run(name, "echo", word)
        ex.expect_clean_end(r, f"./append {name} echo {word}")
    got = (ex.work / name).read_text() if (ex.work / name).exists() else ""
    want = "".join(w + "\n" for w in words)
    if got != want:
        raise Fail(f"three runs of ./append {name} echo WORD must leave the three lines.",
                   diff(want, got))
    if oct(os.stat(ex.work / name).st_mode & 0o777) not in ("0o644",):
        raise Fail(f"{name} must be created with mode 0644 (and umask 022).")


@test("fd 1 is opened with O_APPEND, and no other fd leaks", 2)
def flags(ex: Checker) -> None:
    r = ex.run("fds.txt", "sh", "-c", "grep flags /proc/self/fdinfo/1; ls /proc/self/fd")
    ex.expect_clean_end(r, "./append fds.txt sh -c ...")
    if not (ex.work / "fds.txt").exists():
        raise Fail("`./append fds.txt CMD` must create fds.txt and send CMD's output there.",
                   r.stdout)
    lines = (ex.work / "fds.txt").read_text().split()
    if len(lines) < 2 or not int(lines[1], 8) & os.O_APPEND:
        raise Fail("fd 1 must be opened with O_APPEND: every write then goes to the end.",
                   " ".join(lines))
    fds = sorted(set(lines[2:]) - {"0", "1", "2"}, key=int)
    if len(fds) > 1:  # ls's own directory fd is the one extra
        raise Fail(f"the command inherited fd(s) {', '.join(fds[:-1])}: close the fd you "
                   "opened once it is dup2'ed onto 1.")


@test("the command's status is passed on", 1)
def status(ex: Checker) -> None:
    r = ex.run("x.txt", "sh", "-c", "exit 4")
    if r.exit_code != 4:
        raise Fail(f"`./append x.txt sh -c 'exit 4'` must exit with 4; {r.how_it_ended()}.")
