"""Checks for lesson 2's mywhich.c: PATH searched in order, non-executable files skipped."""

import os
import random

from lessons import tools
from lessons.checking import Checker, Fail, diff, test


def folders(ex: Checker) -> tuple[str, str, str]:
    """Three folders: `locked` has the name without the x bit, `open` has it runnable,
    `empty` has nothing. Same modes whoever runs the program."""
    name = f"tool{random.randint(100, 999)}"
    for sub, mode in (("locked", 0o644), ("open", 0o755), ("empty", None)):
        (ex.work / sub).mkdir(exist_ok=True)
        if mode is not None:
            (ex.work / sub / name).write_text("#!/bin/sh\necho hi\n")
            os.chmod(ex.work / sub / name, mode)
    return name, str(ex.work / "locked"), str(ex.work / "open")


def run_with(ex: Checker, path: str, *names: str):
    return ex.run(*names, env=tools.environment(PATH=path))


@test("it finds the first runnable NAME in PATH, in order", 2)
def finds(ex: Checker) -> None:
    name, locked, opened = folders(ex)
    path = f"/nonexistent:{ex.work / 'empty'}:{opened}:/usr/bin:/bin"
    r = run_with(ex, path, name, "ls")
    ex.expect_clean_end(r, f"./mywhich {name} ls")
    want = f"{opened}/{name}\n/usr/bin/ls\n"
    if r.stdout != want or r.exit_code != 0:
        raise Fail(f"with PATH={path} it must print the first match for each name; "
                   f"{r.how_it_ended()}.", diff(want, r.stdout))


@test("a file that is not executable is skipped, as execvp skips EACCES", 2)
def skips(ex: Checker) -> None:
    name, locked, opened = folders(ex)
    path = f"{locked}:{opened}"
    r = run_with(ex, path, name)
    want = f"{opened}/{name}\n"
    if r.stdout != want:
        raise Fail(f"{locked}/{name} has no execute permission: skip it and go on to "
                   f"{opened}.", diff(want, r.stdout))


@test("not found: a message on stderr and status 1; './' for an empty PATH entry", 1)
def not_found(ex: Checker) -> None:
    name, _, opened = folders(ex)
    r = ex.run(name, "no-such-tool", cwd=ex.work / "open", env=tools.environment(PATH=":/bin"))
    if r.stdout != f"./{name}\n":
        raise Fail("an empty entry in PATH is the current folder: print `./NAME`.",
                   diff(f"./{name}\n", r.stdout))
    want = "mywhich: no-such-tool: not found"
    if want not in r.stderr.splitlines() or r.exit_code != 1:
        raise Fail(f"a missing name: `{want}` on stderr and exit status 1; "
                   f"{r.how_it_ended()}.", diff(want + "\n", r.stderr))


@test("a NAME with a / in it is checked as it is, not searched", 1)
def with_slash(ex: Checker) -> None:
    name, _, _ = folders(ex)
    r = ex.run(f"open/{name}", f"locked/{name}", cwd=ex.work,
               env=tools.environment(PATH=str(ex.work / "open")))
    want, missing = f"open/{name}\n", f"mywhich: locked/{name}: not found"
    if r.stdout != want or missing not in r.stderr.splitlines() or r.exit_code != 1:
        raise Fail(f"`./mywhich open/{name} locked/{name}`: a name with a / is not searched "
                   f"in PATH, only checked -- print `open/{name}`, and `{missing}` on stderr "
                   f"(no x bit), exit status 1; {r.how_it_ended()}.", diff(want, r.stdout))
