"""The known-bad shells lose exactly the tests they should; the correct ones (tinysh.c and
the Python pysh.py) score 100%.

Each fixture is tinysh.c (a student-style C shell) built by gcc with one classic mistake
switched on. The seven graders run in parallel, as separate `minigrade` processes.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).parents[2] / "graders" / "shell" / "fixtures" / "tinysh.c"

CTRL_C = {"Ctrl-C stops the foreground job", "Ctrl-C at the prompt",
          "Ctrl-C spares background jobs", "SIGINT from another process",
          "status after Ctrl-C"}
EXPECTED = {
    "": {},
    "NO_REAP": {"pipe": "failed", "long pipeline": "failed", "background reaped": "failed"},
    "LEAK_PIPE": {**{name: "timeout" for name in (
        "pipe", "pipe closes its ends", "long pipeline", "big pipe")},
        "pipe and redirections": "failed"},  # head exits early: no hang, but a leaked fd
    "CD_IN_CHILD": {"cd": "failed"},
    "NO_SIGINT": dict.fromkeys(CTRL_C, "crashed"),
    "SYSTEM": {"mechanism": "failed"},
    "RAW_STATUS": dict.fromkeys(("exit status", "status 127 and 126", "pipeline status",
                                 "status after Ctrl-C"), "failed"),
    "pysh.py": {},  # a student-style Python shell, handed in as a #! script
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build every variant, grade them all at once, return {bug: results.json}."""
    tmp = tmp_path_factory.mktemp("fixtures")
    procs = {}
    for bug in EXPECTED:
        if bug.endswith(".py"):
            exe = SOURCE.with_name(bug)
        else:
            exe = tmp / f"tinysh{'_' + bug if bug else ''}"
            flags = [f"-DBUG_{bug}"] if bug else []
            subprocess.run(["gcc", "-O2", "-Wall", "-Werror", *flags, "-o", exe, SOURCE],
                           check=True)
        results = tmp / f"{exe.name}.json"
        procs[bug] = (subprocess.Popen(
            [sys.executable, "-m", "graders", "shell", exe, "--hidden", "-q",
             # CI machines are busy: the documented knob for slow machines, not a weaker test
             "--timeout-factor", "2",
             "--results", results, "--transcripts", tmp / f"{exe.name}-transcripts"]),
            results)
    out = {}
    for bug, (proc, results) in procs.items():
        assert proc.wait(timeout=240) == (1 if EXPECTED[bug] else 0), bug
        out[bug] = json.loads(results.read_text())
    return out


@pytest.mark.parametrize("bug", list(EXPECTED), ids=lambda b: b or "correct")
def test_fixture_loses_exactly_its_tests(graded, bug):
    data = graded[bug]
    lost = {t["name"]: t["extra_data"]["outcome"] for t in data["tests"]
            if t["status"] != "passed"}
    assert lost == EXPECTED[bug], json.dumps(
        [t for t in data["tests"] if t["status"] != "passed"], indent=1)[:4000]
    total = sum(t["max_score"] for t in data["tests"])
    assert data["score"] == total - sum(
        t["max_score"] for t in data["tests"] if t["name"] in EXPECTED[bug])


def test_correct_shell_has_enough_tests(graded):
    tests = graded[""]["tests"]
    assert len(tests) >= 20
    assert any(t["visibility"] == "hidden" for t in tests)
    assert len({t["max_score"] for t in tests}) > 1  # weighted


def test_feedback_of_a_timeout_names_what_it_waited_for(graded):
    pipe = next(t for t in graded["LEAK_PIPE"]["tests"] if t["name"] == "pipe")
    assert "waiting for the prompt after `/bin/echo hello | tr a-z A-Z`" in pipe["output"]
    assert "input sent:" in pipe["output"] and "full transcript:" in pipe["output"]


def test_feedback_of_a_wrong_status_shows_a_diff(graded):
    status = next(t for t in graded["RAW_STATUS"]["tests"] if t["name"] == "exit status")
    assert "-1⏎" in status["output"] and "+256⏎" in status["output"]


def test_zombie_feedback_names_the_zombies(graded):
    reaped = next(t for t in graded["NO_REAP"]["tests"] if t["name"] == "background reaped")
    assert "zombie" in reaped["output"] and "(sleep)" in reaped["output"]
