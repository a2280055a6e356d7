"""Checks for lesson 7's rawcat.c: the bytes, the errors, and -- counted by the tracer --
big chunks: a few reads and writes, not one per byte."""

import random

from lessons.checking import Checker, Fail, diff, test


def make(ex: Checker, name: str, size: int) -> str:
    text = "".join(chr(random.randint(33, 126)) if i % 61 else "\n" for i in range(size))
    (ex.work / name).write_text(text)
    return text


@test("files and stdin are copied exactly", 2)
def copies(ex: Checker) -> None:
    a, b = make(ex, "a.txt", random.randint(1000, 90_000)), make(ex, "b.txt", 5000)
    r = ex.run("a.txt", "b.txt")
    ex.expect_clean_end(r, "./rawcat a.txt b.txt")
    if r.stdout != a + b:
        raise Fail("./rawcat a.txt b.txt must print a.txt then b.txt, byte for byte.",
                   f"expected {len(a + b)} bytes, got {len(r.stdout)}")
    r = ex.run(stdin=b)
    if r.stdout != b:
        raise Fail("with no FILE, ./rawcat copies its standard input.",
                   f"expected {len(b)} bytes, got {len(r.stdout)}")


@test("a file it cannot open: a message, the others still copied, status 1", 1)
def missing(ex: Checker) -> None:
    a = make(ex, "a.txt", 300)
    r = ex.run("no-such-file", "a.txt")
    want = "rawcat: no-such-file: No such file or directory"
    if want not in r.stderr.splitlines() or r.stdout != a or r.exit_code != 1:
        raise Fail(f"`./rawcat no-such-file a.txt`: `{want}` on stderr, a.txt on stdout, "
                   f"exit status 1; it printed {len(r.stdout)} of a.txt's {len(a)} bytes "
                   f"and {r.how_it_ended().removeprefix('it ')}.", diff(want + "\n", r.stderr))


@test("big chunks: the tracer counts a few calls, not one per byte", 2)
def chunks(ex: Checker) -> None:
    size = 100_000
    make(ex, "big.txt", size)
    r, events = ex.trace("big.txt", timeout=5)
    calls = [e for e in events if e["type"] == "syscall" and e["name"] in ("read", "write")]
    # 4 KiB chunks (the smallest the statement allows): a read and a write per chunk, the
    # read that finds the end, and a few of the dynamic loader's. A byte-by-byte copy
    # under the tracer may not finish in time: the calls seen so far already say why.
    most = 2 * -(-size // 4096) + 6
    if len(calls) <= most:
        ex.expect_clean_end(r, "./rawcat big.txt")
    else:
        took = "took" if not r.timed_out else "was not done after"
        raise Fail(f"copying {size} bytes {took} {len(calls)} read/write system calls; with "
                   f"chunks of 4 KiB or more it takes at most {most}: read into a big "
                   "buffer (64 KiB) and write what each read returned, not byte by byte.")
