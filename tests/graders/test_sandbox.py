"""The sandbox really contains what students' code can do: measured, not assumed."""

import os
import signal
import time

import pytest

from graders.sandbox import Limits, Sandbox, bwrap_status

MODES = [pytest.param(True, id="bwrap"), pytest.param(False, id="rlimits-only")]


def needs(bwrap):
    if bwrap and not bwrap_status()[0]:
        pytest.fail(f"bubblewrap is a system dependency of the test suite: {bwrap_status()[1]}")


@pytest.mark.parametrize("bwrap", MODES)
def test_fork_bomb_is_contained(bwrap):
    needs(bwrap)
    if os.geteuid() != 0 and not bwrap:
        pytest.skip("without root and bubblewrap a fork bomb is only slowed by RLIMIT_NPROC")
    with Sandbox(use_bwrap=bwrap) as sb:
        start = time.monotonic()
        res = sb.run(["sh", "-c", "b(){ b|b& }; b; sleep 30"], timeout=2)
        assert time.monotonic() - start < 20  # 2 s of timeout, then the uid sweep
        assert "fork" in res.stdout.lower()  # the limit was hit
        if sb.uid is not None:
            from graders.sandbox import pids_of_uid
            assert pids_of_uid(sb.uid) == []


@pytest.mark.parametrize("bwrap", MODES)
def test_cpu_and_file_limits(bwrap):
    needs(bwrap)
    with Sandbox(limits=Limits(cpu_seconds=1, file_size=1 << 20), use_bwrap=bwrap) as sb:
        res = sb.run(["sh", "-c", "while :; do :; done"], timeout=60)
        # Killed by SIGXCPU (bubblewrap reports a signal death as 128+N), not by our timeout.
        assert res.returncode in (-signal.SIGXCPU, 128 + signal.SIGXCPU)
        res = sb.run(["sh", "-c", "head -c 5000000 /dev/zero > big"], timeout=10)
        assert (sb.workdir / "big").stat().st_size == 1 << 20  # SIGXFSZ at the limit


@pytest.mark.parametrize("bwrap", MODES)
def test_writes_outside_and_killing_the_parent_fail(bwrap, tmp_path):
    needs(bwrap)
    outside = tmp_path / "escaped"
    with Sandbox(use_bwrap=bwrap) as sb:
        res = sb.run(["sh", "-c", f"echo x > {outside}; kill -9 $PPID; kill -9 {os.getpid()};"
                      " echo inside > ok"], timeout=5)
        assert not outside.exists()
        assert (sb.workdir / "ok").read_text() == "inside\n"
    assert res is not None  # and this process is still alive to check it


def test_no_network_with_bwrap():
    needs(True)
    with Sandbox(use_bwrap=True) as sb:
        assert "bubblewrap" in sb.isolation
        res = sb.run(["bash", "-c", "echo > /dev/tcp/1.1.1.1/80 && echo connected"], timeout=5)
        assert "connected" not in res.stdout and "unreachable" in res.stdout.lower()


def test_workdir_removed_and_uid_reused():
    with Sandbox() as sb:
        wd = sb.workdir
        assert wd.is_dir()
    assert not wd.exists()
