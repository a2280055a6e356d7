"""Checks for lesson 9's unused.c: e1000's E1000_DESC_UNUSED, around the ring."""

import random
import re

from lessons.checking import Checker, Fail, tail, test

LINE = re.compile(r"^(-?\d+) descriptors to refill\n$")


def model(count: int, use: int, clean: int) -> int:
    """What the driver may refill: up to next_to_clean, around the ring, one kept empty."""
    return (clean - use - 1) % count


def ask(ex: Checker, count: int, use: int, clean: int) -> int:
    r = ex.run(str(count), str(use), str(clean))
    ex.expect_clean_end(r, f"./unused {count} {use} {clean}")
    m = LINE.match(r.stdout)
    if r.exit_code != 0 or not m:
        raise Fail(f"./unused {count} {use} {clean} must print `N descriptors to refill` "
                   "and exit 0.", tail(r.stdout + r.stderr))
    return int(m.group(1))


@test("a ring without wrap-around: up to next_to_clean, one kept empty", 2)
def straight(ex: Checker) -> None:
    count = random.choice([8, 16, 256])
    use = random.randrange(0, count // 2)
    clean = random.randrange(use + 1, count)
    for args in ((count, use, clean), (count, 0, 0), (count, use, use + 1)):
        got, want = ask(ex, *args), model(*args)
        if got != want:
            raise Fail(f"./unused {' '.join(map(str, args))}: expected {want} descriptors, "
                       f"you printed {got}." + (" All but one: the ring must never be "
                                               "entirely given to the card." if args[1] ==
                                               args[2] else ""))


@test("around the end of the ring: next_to_clean before next_to_use", 2)
def wrapped(ex: Checker) -> None:
    for _ in range(3):
        count = random.choice([16, 64, 256, 4096])
        clean = random.randrange(0, count // 2)
        use = random.randrange(clean + 1, count)
        got, want = ask(ex, count, use, clean), model(count, use, clean)
        if got != want:
            raise Fail(f"./unused {count} {use} {clean}: expected {want} descriptors (from "
                       f"{use} to the end of the ring, then from 0 to {clean}, minus one); "
                       f"you printed {got}.")


@test("bad arguments: a message on stderr and exit status 2", 1)
def bad(ex: Checker) -> None:
    for args in (("16", "abc", "3"), ("16", "16", "0"), ("1", "0", "0"), ("16", "-1", "2")):
        r = ex.run(*args)
        ex.expect_clean_end(r, "./unused " + " ".join(args))
        if r.exit_code != 2 or not r.stderr.strip() or r.stdout.strip():
            raise Fail(f"./unused {' '.join(args)} must print an error on stderr (nothing on "
                       f"stdout) and exit with status 2; it {r.how_it_ended()}.",
                       tail(r.stdout + r.stderr))
