"""Checks for lesson 5's redirect.c: each command line gives what `sh -c` gives -- stdout,
stderr, the files, the status -- run side by side in two fresh folders."""

import random
import shutil
import subprocess
from pathlib import Path

from lessons import build, tools
from lessons.catalog import HERE
from lessons.checking import Checker, Fail, diff, test

BOTH = HERE / "05-redirection" / "demos" / "both.c"


def folder(ex: Checker, name: str, lines: int = 5) -> Path:
    where = ex.work / name
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir()
    shutil.copy2(build.compile_c(BOTH), where / "both")
    (where / "in.txt").write_text("".join(f"{i}\n" for i in range(lines)))
    (where / "f").write_text("old\n")
    return where


def same_as_sh(ex: Checker, line: str) -> None:
    lines = random.randint(3, 9)
    theirs = folder(ex, "sh", lines)
    sh = subprocess.run(["sh", "-c", line], cwd=theirs, capture_output=True, text=True,
                        env=tools.environment())
    mine = folder(ex, "mine", lines)
    r = ex.run(line, cwd=mine)
    ex.expect_clean_end(r, f"./redirect '{line}'")
    for what, want, got in (("stdout", sh.stdout, r.stdout), ("stderr", sh.stderr, r.stderr)):
        if want != got:
            raise Fail(f"`./redirect '{line}'`: its {what} differs from `sh -c '{line}'`.",
                       diff(want, got))
    for path in sorted(theirs.iterdir()):
        want = path.read_text(errors="replace") if path.name != "both" else ""
        other = mine / path.name
        got = other.read_text(errors="replace") if other.exists() and path.name != "both" \
            else ("" if other.exists() else None)
        if got != want:
            raise Fail(f"`./redirect '{line}'`: file {path.name} differs from what "
                       f"`sh -c '{line}'` leaves.", diff(want, got or ""))
    if r.exit_code != sh.returncode:
        raise Fail(f"`./redirect '{line}'` must exit with {sh.returncode}, as sh does; "
                   f"{r.how_it_ended()}.")


@test("> , >> and < each do what the shell does", 2)
def single(ex: Checker) -> None:
    n = random.randint(1, 9)
    for line in (f"./both {n} > out.txt", f"./both {n} >> f", "sort -r < in.txt",
                 f"./both {n} 2> err.txt"):
        same_as_sh(ex, line)


@test("left to right: > f 2>&1 and 2>&1 > f differ as in a shell", 2)
def order(ex: Checker) -> None:
    n = random.randint(1, 9)
    for line in (f"./both {n} > f 2>&1", f"./both {n} 2>&1 > f", f"./both {n} 2>&1 >> f",
                 "cat < in.txt > copy.txt 2> err.txt"):
        same_as_sh(ex, line)


@test("the command's status and a missing input file", 1)
def errors(ex: Checker) -> None:
    same_as_sh(ex, "grep no-such-line in.txt")
    theirs = folder(ex, "mine")
    r = ex.run("cat < no-such-file", cwd=theirs)
    if r.exit_code in (0, None) or "no-such-file" not in r.stderr:
        raise Fail("`./redirect 'cat < no-such-file'` must fail, saying which file on "
                   f"stderr, and not run cat; {r.how_it_ended()}.", r.stderr)
