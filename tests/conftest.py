"""For the whole suite: a test that needs a system tool fails when it is missing, and says
which Debian package to install (scripts/system-deps.sh installs them all). It never skips:
a skipped test looks like a passed one in a summary nobody reads, and .ci/run fails on any.
"""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

# A run started in the background (`make test &`, a CI step under a non-interactive shell)
# inherits SIGINT and SIGQUIT ignored, and every program the tests start keeps them ignored,
# as it must (that is how `cmd &` and nohup work, and minitrace mirrors it). The tests that
# press Ctrl-C need what a terminal's foreground job has: the default dispositions.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if signal.getsignal(signal.SIGQUIT) == signal.SIG_IGN:
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)

PACKAGES = {"strace": "strace", "gcc": "gcc", "whatis": "man-db", "dash": "dash",
            "bwrap": "bubblewrap", "tmux": "tmux", "qemu-system-x86_64": "qemu-system-x86"}


@pytest.fixture
def require():
    """require("strace", "gcc"): fail now, with the install command, if one is missing."""
    def check(*tools: str) -> None:
        missing = [t for t in tools if shutil.which(t) is None]
        if missing:
            packages = " ".join(dict.fromkeys(PACKAGES.get(t, t) for t in missing))
            pytest.fail(f"{', '.join(missing)} not found: this test needs it. Install it with "
                        f"`apt-get install {packages}` (or `make system-deps`)", pytrace=False)
    return check


# The kernel projects' tests need kernels built from their patches: two cold builds (one per
# object tree, ~3 min each on two cores) and eight small ones. Started in the background
# when the session begins (nice 10), they overlap with the thousands of tests that need no
# kernel; a kernel test that comes first waits for its tree's lock and finds its kernel in
# the cache (graders/kernel/build.py). Only the controller starts it, only when the kernel
# tests are part of the run (and not with MINISHELL_NO_PREBUILD=1 set).
KERNEL_PROJECTS = (ROOT / "graders" / "pfstat", ROOT / "graders" / "fastnet")
KERNEL_PATCHES = [project / "reference.patch" for project in KERNEL_PROJECTS] + [
    patch for project in KERNEL_PROJECTS for patch in sorted(project.glob("fixtures/*.patch"))]


def _runs_kernel_tests(config) -> bool:
    kernel_tests = (ROOT / "tests" / "graders").resolve()
    for arg in config.args or ["."]:
        path = Path(config.invocation_params.dir, arg.split("::")[0]).resolve()
        if kernel_tests.is_relative_to(path) or (  # tests, tests/graders, or a QEMU file
                path.is_relative_to(kernel_tests) and "qemu" in path.name):
            return True
    return False


def pytest_sessionstart(session):
    config = session.config
    if hasattr(config, "workerinput") or not _runs_kernel_tests(config) \
            or shutil.which("make") is None or os.environ.get("MINISHELL_NO_PREBUILD"):
        return
    log = open(config.cache.mkdir("kernel-prebuild") / "log", "w")  # noqa: SIM115
    config._kernel_prebuild = subprocess.Popen(
        [sys.executable, "-m", "graders.kernel.build", *map(str, KERNEL_PATCHES)],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        preexec_fn=lambda: os.nice(10))
    log.close()  # the child has its own copy


def pytest_sessionfinish(session):
    proc = getattr(session.config, "_kernel_prebuild", None)
    if proc is not None:
        if proc.poll() is None:  # the run ended first (-x, a subset): stop it cleanly
            proc.terminate()
            proc.wait()
