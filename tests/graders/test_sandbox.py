"""The sandbox really contains what students' code can do: measured, not assumed, in every
mode this machine can run (as root, also as an ordinary user).

Each hostile program runs under a harness: a child Python that makes the Sandbox and
prints what happened as JSON. The hostile program's parent is the harness, never pytest,
so even a mode that does not contain `kill(getppid())` cannot kill the test runner.

Modes: "bwrap" (bubblewrap; as root with a uid of its own, else a user namespace) and
"no-bwrap" (as root: a uid of its own and a network namespace; as an ordinary user:
UNSANDBOXED, allowed only on request, which contains nothing and claims nothing).
"""

from __future__ import annotations

import json
import os
import pwd
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graders.sandbox import Limits, Sandbox, bwrap_status, pids_of_uid
from minishell import procfs

CHECKOUT = Path(__file__).resolve().parents[2]
USER = "msuser"
ROOT = os.geteuid() == 0
HARNESS = r"""
import json, sys, time
from graders.sandbox import Sandbox
mode, command, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
with Sandbox(use_bwrap=mode.endswith("-bwrap") and not mode.endswith("no-bwrap"),
             allow_unsandboxed=True) as sb:
    t = time.monotonic()
    r = sb.run(["bash", "-c", command], timeout=timeout)
    print(json.dumps({"out": r.stdout, "status": r.returncode, "timed_out": r.timed_out,
                      "isolation": sb.isolation, "seconds": time.monotonic() - t}))
"""
# (mode, does it claim isolation?) As root, the same two as an ordinary user (USER).
MODES = [("me-bwrap", True), ("me-no-bwrap", ROOT)]
if ROOT:
    MODES += [("user-bwrap", True), ("user-no-bwrap", False)]
ISOLATED = [m for m, claims in MODES if claims]


def _ensure_user() -> None:
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", USER], check=True)


def harness(mode: str, command: str, timeout: float = 5) -> tuple[int, dict | None]:
    """Run `command` in a sandbox of `mode` from a child Python: (its status, its report)."""
    if not bwrap_status()[0] and mode.endswith("-bwrap") and "no-bwrap" not in mode:
        pytest.fail(f"bubblewrap is a system dependency of the test suite: {bwrap_status()[1]}"
                    " (apt-get install bubblewrap)")
    argv = [sys.executable, "-c", HARNESS, mode, command, str(timeout)]
    env = dict(os.environ)
    if mode.startswith("user-"):
        _ensure_user()  # the system's Python: ours may live under /root, closed to USER
        argv = ["runuser", "-u", USER, "--", "env", f"PYTHONPATH={CHECKOUT}",
                "/usr/bin/python3", "-c", HARNESS, mode, command, str(timeout)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env,
                          cwd="/")
    lines = proc.stdout.strip().splitlines()
    return proc.returncode, json.loads(lines[-1]) if lines else None


def running(token: str) -> list[int]:
    """Live processes whose command line holds `token`."""
    return [p for p in procfs.pids() if token in " ".join(procfs.cmdline(p))
            and procfs.state(p) not in ("", "Z")]


def kill_leftovers(token: str) -> None:
    for pid in running(token):
        try:
            os.kill(pid, 9)
        except OSError:
            pass


@pytest.mark.parametrize("mode", [m for m, _ in MODES])
def test_killing_the_parent(mode):
    status, report = harness(mode, "kill -9 $PPID; sleep 0.2; echo still here")
    if mode in ISOLATED:  # the parent it sees is in the sandbox: the harness survives
        assert status == 0 and report is not None
    else:  # UNSANDBOXED claims nothing: its parent, the harness, dies (pytest does not)
        assert status in (-9, 128 + 9) and report is None  # 128+9: through runuser


@pytest.mark.parametrize("mode", ISOLATED)  # not UNSANDBOXED: it would kill all of USER's
def test_kill_minus_one(mode):             # processes, the suite's other runs as USER too
    status, report = harness(mode, "kill -9 -1; echo survived")
    assert status == 0 and report is not None


@pytest.mark.parametrize("mode", [m for m, _ in MODES])
def test_daemons_do_not_survive(mode):
    token = f"{time.time_ns() % 10**9}"
    status, report = harness(mode, f"(setsid sleep 3{token} &); (nohup sleep 4{token} &) ;"
                                   " echo started")
    try:
        time.sleep(0.2)
        left = running(f"sleep 3{token}") + running(f"sleep 4{token}")
        assert status == 0 and "started" in report["out"]
        assert (left == []) is (mode in ISOLATED), left
    finally:
        kill_leftovers(token)


@pytest.mark.parametrize("mode", [m for m, _ in MODES])
def test_shared_temporary_folders_stay_clean(mode):
    token = f"minigrade-test-{time.time_ns()}"
    paths = [Path("/var/tmp") / token, Path("/dev/shm") / token, Path("/tmp") / token]
    try:
        status, report = harness(mode, "; ".join(f"echo x > {p}" for p in paths) + "; ls /tmp")
        assert status == 0
        left = [p for p in paths if p.exists()]
        assert (left == []) is (mode in ISOLATED), left
    finally:
        for p in paths:
            p.unlink(missing_ok=True)


@pytest.mark.parametrize("mode", [m for m, _ in MODES])
def test_network(mode):
    """A listener on the host's loopback: reachable only from a mode that claims nothing."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        status, report = harness(mode, f"echo hi > /dev/tcp/127.0.0.1/{port} && echo connected")
    assert status == 0
    assert ("connected" in report["out"]) is (mode not in ISOLATED), report["out"]


@pytest.mark.parametrize("mode", [m for m, _ in MODES])
def test_fork_bomb_is_contained_quickly(mode):
    token = f"{time.time_ns()}"
    start = time.monotonic()
    status, report = harness(mode, f"b(){{ b|b& }}; b; sleep 30 # {token}", timeout=2)
    try:
        assert status == 0 and report["timed_out"]
        assert time.monotonic() - start < 15  # 2 s of timeout, then one sweep (was 57 s)
        assert running(token) == []
    finally:
        kill_leftovers(token)


@pytest.mark.parametrize("bwrap", [True, False] if ROOT else [True],
                         ids=["bwrap", "uid"] if ROOT else ["bwrap"])
def test_a_fork_bomb_does_not_starve_the_test_beside_it(bwrap):
    """Two runs side by side (as `--parallel`): each has its own process limit (its own
    uid, or its own user namespace), so the bomb fails its test only."""
    with Sandbox(use_bwrap=bwrap) as sb:
        bomb, calm = sb.cell(sb.workdir / "bomb"), sb.cell(sb.workdir / "calm")
        assert bomb.uid != calm.uid or bomb.uid is None
        thread = threading.Thread(target=bomb.run, args=(["sh", "-c", "b(){ b|b& }; b"], 4))
        thread.start()
        time.sleep(1)  # the bomb is at its limit now
        res = calm.run(["bash", "-c", "for i in $(seq 60); do sleep 1 & done; wait; echo done"],
                       timeout=20)
        thread.join()
        assert res.stdout.strip() == "done", res.stdout[-500:]
        for cell in (bomb, calm):
            cell.close()
            assert cell.uid is None or pids_of_uid(cell.uid) == []


def test_cpu_and_file_limits():
    with Sandbox(limits=Limits(cpu_seconds=1, file_size=1 << 20)) as sb:
        res = sb.run(["sh", "-c", "while :; do :; done"], timeout=60)
        # Killed by SIGXCPU (bubblewrap reports a signal death as 128+N), not by our timeout.
        assert not res.timed_out and res.returncode in (-24, 128 + 24)
        res = sb.run(["sh", "-c", "head -c 5000000 /dev/zero > big"], timeout=10)
        assert (sb.workdir / "big").stat().st_size == 1 << 20  # SIGXFSZ at the limit


def test_only_what_the_run_needs_is_visible():
    """Hidden test definitions, the checkout, other users' homes: not there."""
    hidden = CHECKOUT / "graders" / "shell" / "tests.py"
    with Sandbox() as sb:
        assert "bubblewrap" in sb.isolation
        res = sb.run(["sh", "-c", f"cat {hidden} | head -1; ls /home /root /srv /work; "
                                  f"ls {CHECKOUT}"], timeout=10)
    assert "No such file" in res.stdout and '"""' not in res.stdout
    assert "tests" not in res.stdout.split() and "pyproject.toml" not in res.stdout


def test_workdir_removed():
    with Sandbox() as sb:
        wd = sb.workdir
        assert wd.is_dir()
    assert not wd.exists()


LEASE = r"""
import os, sys
from graders.sandbox import Sandbox
with Sandbox() as sb:
    lease = sb._lease
    print(os.readlink(f"/proc/self/fd/{lease._fd}") if lease else f"no lease, uid {sb.uid}")
"""


def test_the_uid_lock_folder_does_not_follow_tmpdir(tmp_path):
    """Two graders with different $TMPDIR must lease uids from one place, or both could
    hold the same uid and kill each other's runs. (As an ordinary user no uid is leased:
    the user namespace is the run's own.)"""
    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONPATH=str(CHECKOUT))
    out = subprocess.run([sys.executable, "-c", LEASE], capture_output=True, text=True,
                         env=env, timeout=60, check=True).stdout.strip()
    if ROOT:
        assert out.startswith("/tmp/minigrade-uids/6"), out
        assert not (tmp_path / "minigrade-uids").exists()
    else:
        assert out == "no lease, uid None"


def test_a_uid_lock_folder_someone_else_made_is_refused(tmp_path):
    """/tmp is anyone's: a lock folder made by another user (to plant symbolic links, or
    to hold every lock) is refused with the reason, as the grader's error."""
    from graders.sandbox import reaping

    planted = tmp_path / "minigrade-uids"
    planted.mkdir(mode=0o755)
    if ROOT:
        os.chown(planted, 65534, 65534)  # nobody's
    with pytest.raises(reaping.LeaseError, match=r"is not a directory of root's that only "
                       r"root may write \(owner uid \d+"):
        reaping.UidLease(planted)
    if ROOT:  # root's, but writable by all: refused too
        os.chown(planted, 0, 0)
        planted.chmod(0o777)
        with pytest.raises(reaping.LeaseError, match="mode drwxrwxrwx"):
            reaping.UidLease(planted)
        planted.chmod(0o755)  # root's and closed: a planted link is not followed
        (planted / str(reaping.UID_RANGE.start)).symlink_to(tmp_path / "target")
        with pytest.raises(OSError):
            reaping.UidLease(planted)
        assert not (tmp_path / "target").exists()
