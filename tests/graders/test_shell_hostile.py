"""Hostile submissions end as failed tests with a clear reason; the grader and the machine
are unharmed and nothing they started survives the grading."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

HOSTILE = Path(__file__).parents[2] / "graders" / "shell" / "fixtures" / "hostile"
TOKEN = f"run{os.getpid()}"  # names this run's copies of the fixtures
ESCAPES = [Path("/var/tmp/minigrade-escaped"), Path("/tmp/minigrade-escaped"),
           Path("/etc/minigrade-escaped")]
EXPECTED = {  # the outcome of "absolute path", the first test that types a command
    "forkbomb": ("timeout", "waiting for the prompt"),
    "spin": ("timeout", "waiting for the prompt"),
    "flood": ("failed", "printed more than 256 KiB"),
    "killparent": ("crashed", "killed by SIGKILL"),
    "escape": ("failed", "printed something else than expected"),
}


def _survivors(name: str) -> list[str]:
    """Processes of our gradings of `name` still alive (the submission's copy carries this
    run's token: another run of this suite on the machine is not ours to count)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if f"submission/{name}-{TOKEN}" in cmd and "minigrade-" in cmd:
            found.append(cmd)
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    for path in ESCAPES:
        path.unlink(missing_ok=True)
    procs = {}
    start = time.monotonic()
    for name in EXPECTED:
        results = tmp / f"{name}.json"
        submission = tmp / f"{name}-{TOKEN}"
        shutil.copy2(HOSTILE / name, submission)
        procs[name] = (subprocess.Popen(
            [sys.executable, "-m", "graders", "shell", submission, "-q",
             "-k", "prompt", "-k", "absolute path", "--results", results]), results)
    out = {name: (proc.wait(timeout=120), json.loads(results.read_text()))
           for name, (proc, results) in procs.items()}
    return out, time.monotonic() - start


@pytest.mark.parametrize("name", list(EXPECTED))
def test_hostile_submission_fails_cleanly(graded, name):
    results, _ = graded
    status, data = results[name]
    assert status == 1
    tests = {t["name"]: t for t in data["tests"]}
    assert tests["prompt"]["status"] == "passed"
    outcome, reason = EXPECTED[name]
    first = tests["absolute path"]
    assert first["extra_data"]["outcome"] == outcome
    assert reason in first["output"].splitlines()[0]
    assert _survivors(name) == []


def test_nothing_escaped_and_it_was_quick(graded):
    _, elapsed = graded
    for path in ESCAPES:
        assert not path.exists(), f"{path} was written from the sandbox"
    assert elapsed < 60  # each costs its timeouts, not more
