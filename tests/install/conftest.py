"""The toolkit as a user installs it: `pip install` (not editable) into a fresh venv under
/tmp, and — when the suite runs as root — into a venv in an ordinary user's home, run as
that user. Built once per session: one wheel of this checkout, then one venv per user
(pip's cache and the machine's wheel folders make both quick)."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
USER = "msuser"  # the ordinary user the root run also grades as


@dataclass
class Install:
    """A venv with the toolkit, and how to run its commands (as root or as USER)."""

    venv: Path
    home: Path
    user: str | None  # None: as whoever runs the tests

    def run(self, *argv: str | Path, timeout: float = 300, **env: str):
        cmd = [str(a) for a in argv]
        environ = {"PATH": f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
                   "HOME": str(self.home), "LANG": "C.UTF-8", **env}
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", "env", "-i",
                   *(f"{k}={v}" for k, v in environ.items()), *cmd]
            environ = dict(os.environ)
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=environ, cwd=self.home)

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)


def _check(proc: subprocess.CompletedProcess, what: str) -> None:
    assert proc.returncode == 0, f"{what} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"


@pytest.fixture(scope="session")
def wheel_dir():
    """One wheel of this checkout, readable by every user."""
    folder = Path(tempfile.mkdtemp(prefix="minishell-wheel-"))
    folder.chmod(0o755)
    _check(subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                           "-w", str(folder), str(CHECKOUT)], capture_output=True, text=True,
                          timeout=300), "building the wheel")
    for f in folder.iterdir():
        f.chmod(0o644)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _make_venv(python: str, venv: Path, wheel_dir: Path, user: str | None) -> None:
    (wheel,) = wheel_dir.glob("minishell-*.whl")
    steps = [[python, "-m", "venv", str(venv)],
             [str(venv / "bin/python"), "-m", "pip", "install", "-q", str(wheel)]]
    for step in steps:
        if user:
            step = ["runuser", "-u", user, "--", *step]
        _check(subprocess.run(step, capture_output=True, text=True, timeout=600), " ".join(step))


@pytest.fixture(scope="session")
def tmp_install(wheel_dir, tmp_path_factory):
    """As the tests' own user: a venv under /tmp (in pytest's folder, whose ancestor is
    mode 700: a closed folder on the way is part of the test), with this interpreter."""
    base = tmp_path_factory.mktemp("install")
    _make_venv(sys.executable, base / "venv", wheel_dir, None)
    home = base / "home"
    home.mkdir()
    return Install(base / "venv", home, None)


def _ensure_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", USER], check=True)
        return pwd.getpwnam(USER)


@pytest.fixture(scope="session")
def user_install(wheel_dir, tmp_install):
    """As root: the same as an ordinary user, a venv in their home, the system's Python
    (ours may live under /root, closed to them). As an ordinary user: the venv above."""
    if os.geteuid() != 0:
        return tmp_install
    entry = _ensure_user()
    home = Path(entry.pw_dir)
    venv = home / "minishell-test-venv"
    subprocess.run(["runuser", "-u", USER, "--", "rm", "-rf", str(venv)], check=True)
    python = shutil.which("python3", path="/usr/bin:/bin")
    assert python, "the ordinary user needs a system python3: apt-get install python3-venv"
    _make_venv(python, venv, wheel_dir, USER)
    return Install(venv, home, USER)
