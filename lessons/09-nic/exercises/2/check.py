"""Checks for lesson 9's rxcount.c: an interface's receive counters from /proc/net/dev.

A file in /proc/net/dev's exact format, with counters made up for each run, shows that the
program reads the right line and the right columns (bytes first, then packets) -- including
a name whose big byte count touches the colon, as the kernel prints it.
"""

import random
import re

from lessons.checking import Checker, Fail, tail, test

HEADER = ("Inter-|   Receive                                                |  Transmit\n"
          " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets "
          "errs drop fifo colls carrier compressed\n")


def dev_line(name: str, rx_bytes: int, rx_packets: int) -> str:
    """One interface, as net/core/net-procfs.c prints it ("%6s:%8llu %7llu ...")."""
    rest = [random.randrange(0, 50) for _ in range(6)]
    tx = [random.randrange(0, 10**9), random.randrange(0, 10**6)] + [0] * 6
    return (f"{name:>6}:{rx_bytes:8d} {rx_packets:7d} " + " ".join(f"{v:4d}" for v in rest)
            + " " + " ".join(str(v) for v in tx) + "\n")


def made_up(ex: Checker) -> dict[str, tuple[int, int]]:
    counters = {"lo": (random.randrange(10**3, 10**6), random.randrange(10, 999)),
                "eth0": (random.randrange(10**9, 10**11), random.randrange(10**5, 10**7)),
                "wlan1": (random.randrange(10**4, 10**7), random.randrange(10**3, 10**4)),
                "br-lan": (0, 0)}
    text = HEADER + "".join(dev_line(n, b, p) for n, (b, p) in counters.items())
    (ex.work / "netdev.txt").write_text(text)
    return counters


def check_one(ex: Checker, name: str, packets: int, rx_bytes: int) -> None:
    r = ex.run(name, "netdev.txt")
    ex.expect_clean_end(r, f"./rxcount {name} netdev.txt")
    want = f"{name}: {packets} packets, {rx_bytes} bytes received\n"
    if r.stdout != want or r.exit_code != 0:
        hint = " Bytes come first on the line, then packets." if \
            f"{rx_bytes} packets" in r.stdout else ""
        raise Fail(f"./rxcount {name} netdev.txt should print `{want.strip()}`.{hint}",
                   f"the file:\n{(ex.work / 'netdev.txt').read_text()}\nyou printed:\n"
                   f"{tail(r.stdout + r.stderr)}")


@test("the right line, the right columns (bytes, then packets)", 3)
def columns(ex: Checker) -> None:
    counters = made_up(ex)
    for name in ("wlan1", "lo", "br-lan"):
        check_one(ex, name, counters[name][1], counters[name][0])


@test("a byte count that touches the colon (`  eth0:123456789`)", 2)
def touching(ex: Checker) -> None:
    counters = made_up(ex)
    check_one(ex, "eth0", counters["eth0"][1], counters["eth0"][0])


@test("an interface that is not there: a message on stderr, exit status 1", 1)
def missing(ex: Checker) -> None:
    made_up(ex)
    for name in ("eth", "nope0"):
        r = ex.run(name, "netdev.txt")
        ex.expect_clean_end(r, f"./rxcount {name} netdev.txt")
        if r.exit_code != 1 or f"no interface {name}" not in r.stderr or r.stdout:
            raise Fail(f"./rxcount {name} netdev.txt must print `rxcount: no interface {name}` "
                       f"on stderr and exit 1 (`eth` is not `eth0`); it {r.how_it_ended()}.",
                       tail(r.stdout + r.stderr))


@test("this machine's /proc/net/dev: the loopback interface", 1)
def real(ex: Checker) -> None:
    r = ex.run("lo")
    ex.expect_clean_end(r, "./rxcount lo")
    if not re.fullmatch(r"lo: \d+ packets, \d+ bytes received\n", r.stdout):
        raise Fail("./rxcount lo (reading /proc/net/dev) should print "
                   "`lo: P packets, B bytes received`.", tail(r.stdout + r.stderr))
