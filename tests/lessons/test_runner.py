"""Student programs run contained: the graders' sandbox, a time limit, an output cap, and the
children they did not wait for found (with and without bubblewrap)."""

import os
import signal
import time

import pytest

from graders import sandbox as sandboxes
from lessons import quizzes, runner, tools
from lessons.catalog import get
from minishell import procfs


@pytest.fixture(params=[None, False], ids=["default", "no-bwrap"])
def box(request):
    # no-bwrap as an ordinary user is the unsandboxed mode: allowed for a lesson check
    with sandboxes.Sandbox(use_bwrap=request.param, allow_unsandboxed=True) as sb:
        yield sb


def leftovers(box, word: str) -> list[int]:
    """Processes the run left: of the sandbox uid (root), else running `word` anywhere."""
    if box.uid is not None:
        return sandboxes.pids_of_uid(box.uid)
    return [p for p in procfs.pids() if word in " ".join(procfs.cmdline(p))
            and procfs.state(p) not in ("", "Z")]


def sh(code: str) -> list[str]:
    return ["sh", "-c", code]


def test_a_clean_program(box):
    r = runner.run(sh("echo hi"), box)
    assert (r.stdout, r.exit_code, r.signal, r.timed_out, r.zombies, r.running) == \
        ("hi\n", 0, None, False, 0, 0)


def test_time_limit_kills_everything(box):
    started = time.monotonic()
    r = runner.run(sh("sleep 60 & sleep 60"), box, timeout=0.5)
    assert r.timed_out and time.monotonic() - started < 5
    assert "time limit" in r.how_it_ended()
    assert not leftovers(box, "sleep 60 & sleep 60")


def test_unwaited_children_are_found(box):
    r = runner.run(sh("sleep 30 & exit 0"), box)
    assert r.exit_code == 0 and r.running == 1
    # a child that exits at once and is never waited for: a zombie when the parent exits
    r = runner.run(sh("true & exec sleep 0.3"), box)
    assert r.zombies == 1 and r.running == 0


def test_output_flood_is_cut(box):
    r = runner.run(["yes"], box, timeout=10)
    assert r.flooded and len(r.stdout) <= 2 * runner.OUTPUT_CAP


def test_signal_death_is_reported(box):
    r = runner.run(sh("kill -SEGV $$"), box)
    assert r.signal == signal.SIGSEGV and "SIGSEGV" in r.how_it_ended()


def test_fork_bomb_is_contained(box):
    r = runner.run(sh("b() { b | b & }; b"), box, timeout=2)
    assert r.timed_out or r.exit_code is not None
    assert not leftovers(box, "b() { b | b & }; b")


def test_live_program_only_gets_signals_in_its_own_session(box):
    live = runner.Live(sh("echo ready $$; exec sleep 30"), box)
    words = live.read_line(5).split()
    assert words[0] == "ready"
    live.signal(os.getpid(), signal.SIGTERM)  # not in its session: nothing is sent to us
    live.signal(int(words[1]), signal.SIGTERM)  # its own pid, as it sees it
    r = live.stop(grace=3)
    assert r.signal == signal.SIGTERM, live.transcript()


def test_quizzes_count_processes_without_minitrace(monkeypatch):
    monkeypatch.setattr(tools, "available", lambda tool: tool != "minitrace")
    for seed in (3, 5):
        q = get(1).module("quiz.py").generate(seed)
        assert q.real_answer() == q.answer
    assert quizzes.traced(["true"], None) is None


