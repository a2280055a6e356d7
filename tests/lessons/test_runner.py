"""Student programs run contained: time limit, output cap, leftover children found and killed."""

import os
import signal
import sys
import time

from lessons import quizzes, runner, tools
from lessons.catalog import get


def py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_clean_program(tmp_path):
    r = runner.run(py("print('hi')"), tmp_path)
    assert (r.stdout, r.exit_code, r.signal, r.timed_out, r.zombies, r.running) == \
        ("hi\n", 0, None, False, 0, 0)


def test_time_limit_kills_the_whole_group(tmp_path):
    started = time.monotonic()
    r = runner.run(["sh", "-c", "sleep 60 & sleep 60"], tmp_path, timeout=0.5)
    assert r.timed_out and time.monotonic() - started < 5
    assert "time limit" in r.how_it_ended()


def test_unwaited_children_are_found(tmp_path):
    zombie = py("import os, time\nif os.fork() == 0: os._exit(0)\ntime.sleep(0.2)")
    r = runner.run(zombie, tmp_path)
    assert r.exit_code == 0 and r.zombies == 1 and r.running == 0
    orphan = ["sh", "-c", "sleep 30 & exit 0"]
    r = runner.run(orphan, tmp_path)
    assert r.running == 1


def test_output_flood_is_cut(tmp_path):
    r = runner.run(["yes"], tmp_path, timeout=10)
    assert r.flooded and len(r.stdout) <= 2 * runner.OUTPUT_CAP


def test_signal_death_is_reported(tmp_path):
    r = runner.run(py("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"), tmp_path)
    assert r.signal == signal.SIGSEGV and "SIGSEGV" in r.how_it_ended()


def test_live_program_only_signals_its_own_session(tmp_path):
    live = runner.Live(py("import time\nprint('ready', flush=True)\ntime.sleep(30)"), tmp_path,
                       10, None)
    assert live.read_line(5) == "ready"
    live.signal(os.getpid(), signal.SIGTERM)  # not in its session: nothing is sent
    live.signal(live.proc.pid, signal.SIGTERM)  # the reaper leads the session
    r = live.stop(grace=2)
    assert "-> SIGTERM" in live.transcript() and (r.signal or r.timed_out or r.exit_code)


def test_quizzes_count_processes_without_minitrace(monkeypatch):
    monkeypatch.setattr(tools, "available", lambda tool: tool != "minitrace")
    for seed in (3, 5):
        q = get(1).module("quiz.py").generate(seed)
        assert q.real_answer() == q.answer
    assert quizzes.traced(["true"], None) is None
