"""For the whole suite: a test that needs a system tool fails when it is missing, and says
which Debian package to install (scripts/system-deps.sh installs them all). It never skips:
a skipped test looks like a passed one in a summary nobody reads, and .ci/run fails on any.
"""

import shutil

import pytest

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
