"""Checks for lesson 1's pwc.c: the counts, the errors, and -- with the tracer -- one child
per file, all forked before the parent waits for the first."""

import random

from lessons.checking import Checker, Fail, diff, test


def files(ex: Checker, n: int) -> dict[str, int]:
    made = {}
    for i in range(n):
        name = f"f{i}-{random.randint(100, 999)}.txt"
        lines = random.randint(0, 3000)
        (ex.work / name).write_text("".join(f"line {k}\n" for k in range(lines)))
        made[name] = lines
    return made


@test("it prints each file's line count, and the summary last", 2)
def counts(ex: Checker) -> None:
    made = files(ex, random.randint(2, 5))
    r = ex.run(*made)
    ex.expect_clean_end(r, "./pwc FILES")
    lines = r.stdout.splitlines()
    want = sorted(f"{n} {name}" for name, n in made.items())
    last = f"counted {len(made)} files in {len(made)} processes, 0 failed"
    if sorted(lines[:-1]) != want or lines[-1:] != [last]:
        raise Fail("./pwc must print `LINES FILE` for each file (in any order), then the "
                   "summary line.", diff("\n".join(want + [last]) + "\n", r.stdout))
    if r.exit_code != 0:
        raise Fail(f"with every file counted it must exit with 0; {r.how_it_ended()}.")


@test("a file it cannot open: a message on stderr, counted as failed", 1)
def missing(ex: Checker) -> None:
    made = files(ex, 2)
    r = ex.run(*made, "no-such-file")
    ex.expect_clean_end(r, "./pwc FILES no-such-file")
    want = "pwc: no-such-file: No such file or directory"
    if want not in r.stderr.splitlines():
        raise Fail(f"the child for no-such-file must say `{want}` on stderr.",
                   diff(want + "\n", r.stderr))
    last = "counted 3 files in 3 processes, 1 failed"
    if r.stdout.splitlines()[-1:] != [last] or r.exit_code != 1:
        raise Fail(f"then the summary `{last}` and exit status 1; {r.how_it_ended()}.",
                   diff(last + "\n", r.stdout))


@test("the tracer sees one child per file, all forked before the first wait", 2)
def parallel(ex: Checker) -> None:
    made = files(ex, 4)
    r, events = ex.trace(*made)
    ex.expect_clean_end(r, "./pwc FILES")
    root = next(e["pid"] for e in events if e["type"] == "start")
    forks = [e for e in events if e["type"] == "spawn" and e["pid"] == root
             and e.get("kind") != "thread"]
    if len(forks) != len(made):
        raise Fail(f"the parent forked {len(forks)} children for {len(made)} files: "
                   "one child per file.")
    waits = [e["ts"] for e in events if e["type"] == "syscall" and e["pid"] == root
             and e["name"] in ("wait4", "waitid")]
    if waits and max(e["ts"] for e in forks) > min(waits):
        raise Fail("the parent waited for a child before forking the next one: the files "
                   "were counted one after the other. Fork them all, then wait.")
    readers = {e["pid"] for e in events if e["type"] == "syscall"
               and e["name"] in ("open", "openat") and any(n in e.get("text", "") for n in made)}
    if root in readers or len(readers) != len(made):
        raise Fail("each file must be opened and counted by its own child, not by the parent.")
