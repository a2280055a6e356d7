"""Checks for lesson 2's runas.c: argv[0] is the caller's choice; exec, not fork."""

import random

from lessons.checking import Checker, Fail, diff, test


@test("the program sees NAME as its argv[0]", 2)
def renamed(ex: Checker) -> None:
    name = random.choice(["pretend", "login-shell", "-sh", "x"]) + str(random.randint(1, 99))
    r = ex.run(name, "cat", "/proc/self/cmdline")
    ex.expect_clean_end(r, f"./runas {name} cat /proc/self/cmdline")
    got = r.stdout.replace("\0", " ").strip()
    want = f"{name} /proc/self/cmdline"
    if got != want:
        raise Fail(f"cat's /proc/self/cmdline (its argv) must be `{want}`.", diff(want, got))


@test("runas execs: the tracer sees no fork", 1)
def no_fork(ex: Checker) -> None:
    r, events = ex.trace("someone", "true")
    ex.expect_clean_end(r, "./runas someone true")
    if any(e["type"] == "spawn" for e in events):
        raise Fail("./runas forked a child: exec replaces the process itself, no fork needed.")
    execs = [e for e in events if e["type"] == "exec"][1:]  # the first exec starts ./runas
    if not execs or (execs[-1].get("argv") or [""])[0] != "someone":
        raise Fail("the tracer saw no exec of `true` with argv[0] `someone`.")


@test("a program that cannot be run: a reason on stderr, status 127", 1)
def cannot(ex: Checker) -> None:
    prog = f"no-such-program-{random.randint(100, 999)}"
    r = ex.run("name", prog)
    want = f"runas: {prog}: No such file or directory"
    if r.exit_code != 127 or want not in r.stderr.splitlines():
        raise Fail(f"`./runas name {prog}` must print `{want}` on stderr and exit with 127; "
                   f"{r.how_it_ended()}.", diff(want + "\n", r.stderr))
