"""Checks for lesson 3's status.c: the three ways a child ends, as waitpid and a shell see them."""

import random
import signal

from lessons.checking import Checker, Fail, diff, test


def status_of(ex: Checker, args: list[str], want_line: str, want_code: int, cmd: str) -> None:
    r = ex.run(*args)
    ex.expect_clean_end(r, cmd)
    if r.stdout.splitlines()[-1:] != [want_line]:
        raise Fail(f"`{cmd}` must print `{want_line}` last.", diff(want_line + "\n", r.stdout))
    if r.exit_code != want_code:
        raise Fail(f"`{cmd}` must exit with {want_code}, as a shell's $? would be; "
                   f"{r.how_it_ended()}.")


@test("a command that exits with a status", 2)
def exits(ex: Checker) -> None:
    code = random.randint(1, 120)
    status_of(ex, ["sh", "-c", f"exit {code}"], f"exited with {code}", code,
              f"./status sh -c 'exit {code}'")
    status_of(ex, ["true"], "exited with 0", 0, "./status true")


@test("only 8 bits of an exit status reach the parent", 1)
def eight_bits(ex: Checker) -> None:
    code = random.choice([256 + 7, 300, 511])
    status_of(ex, ["sh", "-c", f"exit {code}"], f"exited with {code % 256}", code % 256,
              f"./status sh -c 'exit {code}'")


@test("a command killed by a signal", 2)
def killed(ex: Checker) -> None:
    sig = random.choice([signal.SIGTERM, signal.SIGUSR1, signal.SIGHUP])
    status_of(ex, ["sh", "-c", f"kill -{sig.name[3:]} $$"], f"killed by signal {int(sig)}",
              128 + int(sig), f"./status sh -c 'kill -{sig.name[3:]} $$'")


@test("a command that cannot be run: status 127, and why on stderr", 1)
def not_found(ex: Checker) -> None:
    name = f"no-such-command-{random.randint(100, 999)}"
    status_of(ex, [name], "exited with 127", 127, f"./status {name}")
    want = f"status: {name}: No such file or directory"
    if want not in ex.last.stderr.splitlines():
        raise Fail(f"`./status {name}` must say why on stderr, as `status: CMD: reason`: "
                   f"`{want}` (strerror(errno) after execvp fails).",
                   diff(want + "\n", ex.last.stderr))
