"""Checks for lesson 6's ignore.c: the signal is ignored in the command it execs, and only
that one."""

import random

from lessons.checking import Checker, Fail, diff, test


@test("the command survives the ignored signal", 3)
def survives(ex: Checker) -> None:
    for spec, name in (("INT", "INT"), ("SIGHUP", "HUP"), ("10", "USR1")):
        word = f"survived{random.randint(10, 99)}"
        r = ex.run(spec, "sh", "-c", f"kill -{name} $$; echo {word}")
        ex.expect_clean_end(r, f"./ignore {spec} sh -c 'kill -{name} $$; echo ...'")
        if r.stdout != f"{word}\n" or r.exit_code != 0:
            raise Fail(f"`./ignore {spec} sh -c 'kill -{name} $$; echo {word}'`: the shell "
                       f"must survive SIG{name} and print {word}; {r.how_it_ended()}.",
                       diff(f"{word}\n", r.stdout))


@test("other signals still kill it, with the shell's status", 1)
def others(ex: Checker) -> None:
    r = ex.run("INT", "sh", "-c", "kill -TERM $$; echo survived")
    if r.exit_code != 143 or r.stdout:
        raise Fail("`./ignore INT sh -c 'kill -TERM $$'`: SIGTERM is not ignored, so the "
                   f"command dies and ./ignore exits with 128 + 15; {r.how_it_ended()}.",
                   r.stdout)
