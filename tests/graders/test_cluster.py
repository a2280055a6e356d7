"""minigrade batch on a real Dask cluster: a scheduler and two worker processes started
as a course would start them (`dask scheduler`, `dask worker`), twenty mixed submissions,
one worker killed mid-run; the gradebook must equal the one a local run writes."""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from minishell import procfs

ROOT = Path(__file__).parents[2]
SOURCE = ROOT / "graders" / "shell" / "fixtures" / "tinysh.c"
BIN = Path(sys.executable).parent
DASK = BIN / "dask"
MINIGRADE = [sys.executable, "-m", "graders"]
# A few tests keep each grading short; they still cover builds, pipes and cd.
TESTS = ["-k", "prompt", "-k", "cd", "-k", "pipe", "--timeout-factor", "2"]
BUGS = ["", "CD_IN_CHILD", "LEAK_PIPE", "NO_REAP", "RAW_STATUS", "SYSTEM"]


def make_submissions(root: Path) -> Path:
    """20 submissions: tinysh.c with and without a bug, a broken build, dash scripts."""
    subs = root / "subs"
    src = SOURCE.read_text()
    for i in range(14):
        folder = subs / f"student{i:02}"
        folder.mkdir(parents=True)
        bug = BUGS[i % len(BUGS)]
        text = (f"#define BUG_{bug}\n" if bug else "") + src
        if i == 13:
            text += "\nint this is not C;\n"
        (folder / "tinysh.c").write_text(text)
        (folder / "Makefile").write_text("myshell: tinysh.c\n\tgcc -O2 -o myshell tinysh.c\n")
    for i in range(14, 20):
        script = subs / f"student{i:02}"
        body = "exec dash -i\n" if i % 2 else "echo 'I forgot the loop'\n"
        script.write_text("#!/bin/sh\n" + body)
        script.chmod(0o755)
    return subs


def gradebook(out: Path) -> dict[str, dict]:
    with open(out / "gradebook.csv") as f:
        return {row["submission"]: row for row in csv.DictReader(f)}


def start(*argv: str, log: Path) -> subprocess.Popen:
    with open(log, "wb") as f:
        return subprocess.Popen([str(a) for a in argv], stdout=f, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_for(predicate, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def grading_under(pid: int) -> bool:
    """Is a `minigrade` grading running below this worker process?"""
    return any("graders" in " ".join(procfs.cmdline(p)) for p in procfs.descendants(pid))


@pytest.fixture
def cluster(tmp_path):
    if not DASK.exists():
        pytest.fail("the Dask command line is missing: pip install 'minishell[test]' "
                    "(it brings distributed)")
    info = tmp_path / "scheduler.json"
    # Everything on loopback: a test talks to no other address.
    procs = [start(DASK, "scheduler", "--scheduler-file", info, "--port", "0",
                   "--host", "127.0.0.1",
                   "--no-dashboard", log=tmp_path / "scheduler.log")]
    wait_for(info.exists, 60, "the Dask scheduler")
    for name in ("w1", "w2"):
        procs.append(start(DASK, "worker", "--scheduler-file", info, "--name", name,
                           "--nthreads", "1", "--no-nanny", "--no-dashboard",
                           "--host", "127.0.0.1",
                           log=tmp_path / f"{name}.log"))
    import json
    address = json.loads(info.read_text())["address"]
    yield address, procs[1], procs[2]
    for proc in reversed(procs):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_cluster_gradebook_equals_local_even_when_a_worker_dies(tmp_path, cluster):
    address, w1, w2 = cluster
    subs = make_submissions(tmp_path)
    out = tmp_path / "cluster"
    batch = subprocess.Popen([*MINIGRADE, "batch", "shell", str(subs), "-o", str(out),
                              "--scheduler", address, *TESTS],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Kill worker 1 while it is in the middle of grading a submission.
    wait_for(lambda: grading_under(w1.pid) or batch.poll() is not None, 240,
             "worker 1 to start grading")
    assert batch.poll() is None, batch.communicate()
    os.killpg(w1.pid, signal.SIGKILL)
    w1.wait()
    stdout, stderr = batch.communicate(timeout=600)
    assert batch.returncode == 0, stderr
    remote = gradebook(out)
    assert len(remote) == 20  # every submission graded, none lost

    local_out = tmp_path / "local"
    r = subprocess.run([*MINIGRADE, "batch", "shell", str(subs), "-o", str(local_out),
                        "-j", "2", *TESTS], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    local = gradebook(local_out)
    assert remote == local
    # Sanity: the grades differ between submissions (a correct one scores full marks).
    assert local["student00"]["score"] == local["student00"]["max_score"]
    assert float(local["student01"]["cd"]) == 0
    assert float(local["student13"]["score"]) == 0 and local["student13"]["error"]
    # The worker that died left no grading behind; the other did the rest.
    assert (out / "student00" / "junit.xml").exists()


def test_version_mismatch_and_unreachable_scheduler_are_clear(tmp_path, cluster):
    address, w1, w2 = cluster
    subs = make_submissions(tmp_path)
    r = subprocess.run([*MINIGRADE, "batch", "shell", str(subs), "-o", str(tmp_path / "o"),
                        "--scheduler", "tcp://127.0.0.1:1", *TESTS],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "cannot reach the Dask scheduler" in r.stderr
    assert "Traceback" not in r.stderr
    # A worker started from a toolkit that differs (one file changed) is refused.
    other = tmp_path / "other-toolkit"
    subprocess.run(["cp", "-r", ROOT / "graders", ROOT / "minishell", ROOT / "lessons",
                    other.mkdir() or other], check=True)
    (other / "graders" / "shell" / "tests.py").write_text(
        (other / "graders" / "shell" / "tests.py").read_text() + "\n# changed\n")
    for p in other.rglob("__pycache__"):
        subprocess.run(["rm", "-rf", p])
    env = dict(os.environ, PYTHONPATH=str(other))
    with open(tmp_path / "w3.log", "wb") as log:
        w3 = subprocess.Popen([DASK, "worker", address, "--name", "w3", "--nthreads", "1",
                               "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: b"Registered to" in (tmp_path / "w3.log").read_bytes(), 60,
                 "worker 3")
        r = subprocess.run([*MINIGRADE, "batch", "shell", str(subs), "-o",
                            str(tmp_path / "o"), "--scheduler", address, *TESTS],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and "another version of the toolkit" in r.stderr
        assert "w3" in r.stderr and "Traceback" not in r.stderr
        assert not (tmp_path / "o" / "gradebook.csv").exists()
    finally:
        os.killpg(w3.pid, signal.SIGKILL)
        w3.wait()
