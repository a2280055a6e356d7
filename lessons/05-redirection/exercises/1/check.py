"""Checks for lesson 5's redir.c: `CMD > FILE 2>&1` with open, dup2 and close."""

import random

from lessons.checking import Checker, Fail, diff, test


def redirect(ex: Checker, name: str, *cmd: str):
    r = ex.run(name, *cmd)
    ex.expect_clean_end(r, f"./redir {name} {' '.join(cmd)}")
    target = ex.work / name
    if not target.exists():
        raise Fail(f"./redir {name} ... must create {name} (open with O_CREAT).")
    return r, target.read_text()


@test("stdout and stderr both go to the file, in order", 2)
def both_streams(ex: Checker) -> None:
    word = f"w{random.randint(100, 999)}"
    r, text = redirect(ex, "out.txt", "sh", "-c", f"echo {word}-out; echo {word}-err >&2; "
                       f"echo {word}-out2")
    want = f"{word}-out\n{word}-err\n{word}-out2\n"
    if text != want:
        raise Fail("the file must hold the command's stdout and stderr, in the order written: "
                   "fd 1 and fd 2 must both refer to the file.", diff(want, text))
    if r.stdout or r.stderr:
        raise Fail("nothing may reach redir's own stdout/stderr: the command's output goes "
                   "to the file.", f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}")


@test("an existing file is truncated", 1)
def truncates(ex: Checker) -> None:
    (ex.work / "old.txt").write_text("old content that must disappear\n" * 5)
    _, text = redirect(ex, "old.txt", "echo", "new")
    if text != "new\n":
        raise Fail("open FILE with O_TRUNC: `>` replaces what was in the file.",
                   diff("new\n", text))


@test("the command sees only fds 0, 1 and 2", 2)
def no_extra_fds(ex: Checker) -> None:
    showfds = str(ex.probe("showfds"))
    _, text = redirect(ex, "fds.txt", showfds)
    fds = {line.split(" -> ")[0]: line.split(" -> ", 1)[1] for line in text.splitlines()}
    target = str(ex.work / "fds.txt")
    if fds.get("1") != target or fds.get("2") != target:
        raise Fail("fd 1 and fd 2 of the command must both refer to the file.", text)
    extra = sorted(set(fds) - {"0", "1", "2"}, key=int)
    if extra:
        raise Fail(f"the command inherited fd(s) {', '.join(extra)}: close the fd that open() "
                   "returned once it has been dup2'd.", text)


@test("redir exits with the command's status", 1)
def status(ex: Checker) -> None:
    code = random.randint(2, 90)
    r, _ = redirect(ex, "s.txt", "sh", "-c", f"exit {code}")
    if r.exit_code != code:
        raise Fail(f"./redir s.txt sh -c 'exit {code}' must exit with {code}; "
                   f"{r.how_it_ended()}.")
