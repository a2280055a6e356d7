"""Checks for lesson 2's myexec.c: the pid survives exec, output is flushed, failures say 127."""

import random

from lessons.checking import Checker, Fail, diff, test


def first_line_pid(ex: Checker, out: str, cmd: str) -> str:
    lines = out.splitlines()
    if not lines or not lines[0].startswith("pid ") or ": exec " not in lines[0]:
        raise Fail(f"the first line of `{cmd}` must be `pid P: exec PROG`; when stdout is a "
                   "pipe it is lost unless you fflush(stdout) before exec.",
                   diff("pid P: exec ...\n...\n", out))
    return lines[0].split()[1].rstrip(":")


@test("it becomes the program it was given", 2)
def becomes(ex: Checker) -> None:
    word = random.choice(["alpha", "bravo", "charlie"]) + str(random.randint(10, 99))
    r = ex.run("echo", word, "and more")
    ex.expect_clean_end(r, "./myexec echo ...")
    pid = first_line_pid(ex, r.stdout, "./myexec echo ...")
    want = f"pid {pid}: exec echo\n{word} and more\n"
    if r.stdout != want:
        raise Fail("after its line, ./myexec echo WORDS must print exactly what echo prints.",
                   diff(want, r.stdout))


@test("the pid survives exec", 2)
def same_pid(ex: Checker) -> None:
    r = ex.run("sh", "-c", "echo $$")
    ex.expect_clean_end(r, "./myexec sh -c 'echo $$'")
    pid = first_line_pid(ex, r.stdout, "./myexec sh -c 'echo $$'")
    lines = r.stdout.splitlines()
    if len(lines) != 2 or lines[1] != pid:
        raise Fail("`sh -c 'echo $$'` prints the pid of the process it runs in, which must be "
                   "yours: exec in this process, do not fork.", diff(f"pid {pid}: exec sh\n"
                                                                     f"{pid}\n", r.stdout))


@test("the exit status is the new program's", 1)
def status(ex: Checker) -> None:
    code = random.randint(3, 99)
    r = ex.run("sh", "-c", f"exit {code}")
    if r.exit_code != code:
        raise Fail(f"`./myexec sh -c 'exit {code}'` must end with status {code}; "
                   f"{r.how_it_ended()}.")


@test("a program that cannot be run: message and status 127", 2)
def not_found(ex: Checker) -> None:
    name = f"no-such-program-{random.randint(100, 999)}"
    r = ex.run(name)
    if r.exit_code != 127:
        raise Fail(f"`./myexec {name}` must exit with status 127; {r.how_it_ended()}.",
                   f"stderr:\n{r.stderr}")
    if name not in r.stderr:
        raise Fail("say which program could not be run, on stderr: `myexec: PROG: reason`.",
                   f"stderr:\n{r.stderr or '(nothing)'}")
