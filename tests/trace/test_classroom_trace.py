"""Classroom mode: --quiet-startup's filter and --step/--slow's pauses."""

import os
import re
import sys
import threading
import time

import pexpect
import pytest
from pictures_events import exec_, load, sc, start

from minishell.trace.classroom import StartupFilter, Stepper, StepperError


def test_quiet_startup_hides_the_loader_of_each_exec():
    events = load("handmade_echo_pipe_cat.jsonl")
    startup = StartupFilter()
    kept = [ev for ev in events if startup.keep(ev)]
    assert startup.hidden == 60 and dict(startup.hidden_by_pid) == {4100: 20, 4101: 20, 4102: 20}
    names = [(ev["pid"], ev["name"]) for ev in kept if ev["type"] == "syscall"]
    # the program's own first calls stay: python opens its module, echo writes, cat reads
    assert (4100, "openat") in names and (4101, "write") in names and (4102, "read") in names
    assert not any(name in ("brk", "mprotect", "rseq", "arch_prctl") for _, name in names)
    assert [ev["pid"] for ev in kept if ev["type"] == "syscall" and ev["name"] == "execve"] == [
        4100, 4101, 4101, 4102]  # execs are kept, the failed one too


def test_quiet_startup_on_a_recorded_pipeline():
    """ls, sort and head under dash: what remains after each exec is the program's main()."""
    events = load("sh_ls_sort_head.jsonl")
    startup = StartupFilter()
    kept = [(i, ev) for i, ev in enumerate(events) if startup.keep(ev)]
    execs = {ev["pid"]: i for i, ev in enumerate(events) if ev["type"] == "exec"}
    first = {}
    for i, ev in kept:
        if (ev["type"] == "syscall" and ev["name"] != "execve" and i > execs[ev["pid"]]
                and ev["pid"] not in first):
            first[ev["pid"]] = ev["text"]
    programs = {ev["pid"]: ev["argv"][0] for ev in events if ev["type"] == "exec"}
    by_program = {programs[pid]: text for pid, text in first.items()}
    # main() of ls, sort and head begins with setlocale(): the locale files
    for program in ("ls", "sort", "head"):
        assert "/usr/lib/locale/" in by_program[program], by_program
    assert by_program["/bin/sh"] == "getuid()"
    assert not any(".so" in ev.get("text", "") for _, ev in kept if ev["type"] == "syscall")
    assert startup.hidden == sum(startup.hidden_by_pid.values()) > 4 * 20


def test_quiet_startup_stops_at_the_programs_first_own_call():
    startup = StartupFilter()
    events = [start(1, ["p"]), exec_(1, 0.0, ["p"]),
              sc(1, 0.1, "brk"),
              sc(1, 0.2, "openat", [0, 0, 0], ret=3, cap={"1": "/etc/ld.so.cache"}),
              sc(1, 0.3, "mmap", [0, 10, 1, 2, 3, 0], ret=0x1000),
              sc(1, 0.4, "close", [3]),
              sc(1, 0.5, "openat", [0, 0, 0], ret=3, cap={"1": "/etc/passwd"}),
              sc(1, 0.6, "brk"),  # after main() began: the program's malloc, shown
              sc(1, 0.7, "close", [3])]
    kept = [ev.get("name", ev["type"]) for ev in events if startup.keep(ev)]
    assert kept == ["start", "exec", "openat", "brk", "close"]
    assert startup.hidden == 4


def pty_pair():
    master, slave = os.openpty()
    return master, os.ttyname(slave), slave


def read_until(fd, needle: bytes, timeout=5.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        seen += os.read(fd, 4096)
    return seen


def test_step_waits_for_enter_on_the_terminal():
    master, tty, slave = pty_pair()
    try:
        stepper = Stepper(None, 0, True, tty=tty)
        assert b"Enter runs the call" in read_until(master, b"without pausing")
        done = threading.Event()
        worker = threading.Thread(
            target=lambda: (stepper.before_call(42, "openat", 'openat("/etc/passwd")'),
                            done.set()))
        worker.start()
        assert b'[42] openat("/etc/passwd") ? ' in read_until(master, b"? ")
        time.sleep(0.2)
        assert not done.is_set(), "must hold the tracee until Enter"
        os.write(master, b"\n")
        worker.join(5)
        assert done.is_set()
        # "c" runs on: no more pauses
        worker = threading.Thread(target=stepper.before_call, args=(42, "read", "read(0)"))
        worker.start()
        read_until(master, b"? ")
        os.write(master, b"c\n")
        worker.join(5)
        assert not worker.is_alive()
        started = time.monotonic()
        stepper.before_call(42, "write", "write(1)")
        assert time.monotonic() - started < 0.5
        stepper.close()
    finally:
        os.close(master)
        os.close(slave)


def test_slow_sleeps_only_before_selected_classes():
    stepper = Stepper(frozenset({"process"}), 400, False)
    started = time.monotonic()
    stepper.before_call(1, "read", "read(0)")
    assert time.monotonic() - started < 0.3
    stepper.before_call(1, "clone", "clone()")
    assert time.monotonic() - started >= 0.4


def test_step_without_a_terminal_is_a_clear_error(tmp_path):
    with pytest.raises(StepperError, match="--step needs a terminal"):
        Stepper(None, 0, True, tty=str(tmp_path / "no-tty"))


def test_minitrace_step_reads_the_terminal_not_the_tracees_stdin(tmp_path):
    """Real run: the tracee reads its stdin (a file) intact while Enter comes from the tty."""
    minitrace = os.path.join(os.path.dirname(sys.executable), "minitrace")
    (tmp_path / "in").write_text("hello\n")
    command = (f"exec {minitrace} --step -e trace=write,read -o {tmp_path / 'out'} -- "
               f"/bin/sh -c 'read line; echo got:$line' < {tmp_path / 'in'}")
    child = pexpect.spawn("/bin/sh", ["-c", command], timeout=20, encoding="utf-8")
    try:
        child.expect("Enter runs the call shown")
        prompts = []
        while child.expect([r"\? $", pexpect.EOF]) == 0:
            prompts.append(child.before.strip().splitlines()[-1])
            time.sleep(0.05)
            assert child.isalive()
            child.sendline("")
        assert any("read(0" in p for p in prompts) and any("write(1" in p for p in prompts)
        assert "got:hello" in child.before
        trace = (tmp_path / "out").read_text()
        assert '"got:hello\\n", 10) = 10' in trace and 'read(0' in trace
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def step_through(tmp_path, *options: str) -> tuple[list[str], list[str]]:
    """Run `minitrace --step OPTIONS -o FILE /bin/true` on a terminal, pressing Enter at
    every prompt: (names of the calls it stopped at, names of the calls it showed)."""
    out = tmp_path / "trace.txt"
    term = pexpect.spawn(sys.executable, ["-m", "minishell.trace", "--step", *options,
                                          "-o", str(out), "/bin/true"], timeout=30,
                         encoding="utf-8")
    stops = []
    try:
        while term.expect([r"\[\d+\] (\w+)\(.*\? ", pexpect.EOF]) == 0:
            stops.append(term.match.group(1))
            term.sendline("")
    finally:
        term.close(force=True)
    shown = [re.match(r"\d+ +(\w+)\(", line).group(1) for line in out.read_text().splitlines()
             if re.match(r"\d+ +\w+\(", line)]
    return stops, shown


@pytest.mark.parametrize("options", [(), ("--quiet-startup",)], ids=["all", "quiet-startup"])
def test_step_stops_only_at_the_calls_shown(tmp_path, options):
    stops, shown = step_through(tmp_path, *options)
    assert stops == shown
    if options:
        assert stops == ["execve", "exit_group"]
