"""Checks for lesson 4's mytee.c: every byte to stdout and to each file; -a appends."""

import os
import random

from graders.model import Outcome
from lessons.checking import Checker, Fail, test


def data(size: int) -> str:
    return "".join(f"{i:08d} {'x' * random.randint(0, 60)}\n" for i in range(size // 40))


@test("stdin goes to stdout and to every file, whole", 3)
def copies(ex: Checker) -> None:
    text = data(random.randint(200_000, 400_000))  # larger than a pipe holds
    names = [f"out{i}.txt" for i in range(random.randint(1, 3))]
    r = ex.run(*names, stdin=text)
    ex.expect_clean_end(r, "./mytee " + " ".join(names))
    if r.stdout != text:
        raise Fail(f"stdout got {len(r.stdout)} of {len(text)} bytes, or others: it must get "
                   "exactly the input.")
    for name in names:
        got = (ex.work / name).read_text() if (ex.work / name).exists() else None
        if got != text:
            raise Fail(f"{name} must hold exactly the input ({len(text)} bytes); it has "
                       f"{'no file' if got is None else len(got)}.")


@test("an existing file is truncated; with -a it is appended to", 2)
def append(ex: Checker) -> None:
    (ex.work / "log.txt").write_text("old line\n" * 50)
    os.chmod(ex.work / "log.txt", 0o666)
    ex.run("log.txt", stdin="first\n")
    if (ex.work / "log.txt").read_text() != "first\n":
        raise Fail("without -a an existing file is truncated first (O_TRUNC).")
    r = ex.run("-a", "log.txt", stdin="second\n")
    ex.expect_clean_end(r, "./mytee -a log.txt")
    got = (ex.work / "log.txt").read_text()
    if got != "first\nsecond\n" or r.stdout != "second\n":
        raise Fail(f"with -a the file keeps what it had and gets the input at its end "
                   f"(O_APPEND); it holds {got!r}.")


@test("each chunk is passed on as it comes, not held back until end of file", 1)
def as_it_comes(ex: Checker) -> None:
    # tee in a pipeline shows a line as soon as it is read: read and write, no stdio
    # buffer that waits for 4 KiB or the end
    prog = ex.start("live.txt", stdin=True)
    for i in range(1, 4):
        line = f"line {i} of {random.randint(100, 999)}"
        prog.write(line + "\n")
        got = prog.read_line(3)
        if got != line:
            prog.stop()
            raise Fail(f"`{line}` was written to ./mytee's stdin and did not come out on its "
                       "stdout within 3 s: write each chunk as soon as read() returns it "
                       "(write(2), not a stdio buffer that waits for end of file).",
                       prog.transcript(), Outcome.FAILED)
    r = prog.stop(grace=3)
    if r.exit_code != 0:
        raise Fail(f"at end of file ./mytee must exit with 0; {r.how_it_ended()}.",
                   prog.transcript())
