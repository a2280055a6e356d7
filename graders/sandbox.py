"""How untrusted code is started: the operating system's own walls, layered.

1. rlimits (CPU seconds, address space, file size, processes, open files, no core dumps);
2. its own process group, which becomes the terminal's foreground group;
3. when the grader is root, a user of its own: RLIMIT_NPROC does nothing for root, so a
   fork bomb would reach thousands of processes; a dedicated uid per running sandbox also
   lets us kill everything it started with one `kill(-1, SIGKILL)` made as that user;
4. bubblewrap when it works here (probed once): no network, read-only root, a private /tmp,
   a pid namespace. Never `--new-session`: it would take the terminal away from a shell
   under test and break job control.

`Sandbox.isolation` says in one line which of these were in force; reports print it.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

LAUNCHER = Path(__file__).with_name("launch.py")
UID_RANGE = range(61000, 62000)
UID_LOCKS = Path(tempfile.gettempdir()) / "minigrade-uids"
MiB = 1 << 20

DEFAULT_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "TERM": "dumb",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "NO_COLOR": "1",
    # prompt_toolkit asks the terminal for the cursor position and waits ~1 s for an answer
    # pexpect never gives; this tells it not to ask.
    "PROMPT_TOOLKIT_NO_CPR": "1",
}


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 60
    address_space: int = 4096 * MiB  # a Python shell with prompt_toolkit maps ~300 MiB
    file_size: int = 64 * MiB
    processes: int = 128  # counted per uid: only meaningful with a dedicated uid
    open_files: int = 256

    def as_dict(self, with_nproc: bool) -> dict[str, int]:
        d = {"cpu": self.cpu_seconds, "as": self.address_space, "fsize": self.file_size,
             "nofile": self.open_files, "core": 0}
        if with_nproc:
            d["nproc"] = self.processes
        return d


def _bwrap_base() -> list[str]:
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent"]
    if os.geteuid() != 0:
        args.append("--unshare-user")  # an unprivileged bwrap needs a user namespace
    return args + ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                   "--perms", "1777", "--tmpfs", "/tmp"]


@functools.cache
def bwrap_status() -> tuple[bool, str]:
    """Probe once whether bubblewrap can build our sandbox here (Docker often forbids it)."""
    if os.environ.get("MINIGRADE_NO_BWRAP"):
        return False, "disabled by MINIGRADE_NO_BWRAP"
    if not shutil.which("bwrap"):
        return False, "bwrap is not installed"
    try:
        proc = subprocess.run(_bwrap_base() + ["--", "/bin/true"], capture_output=True,
                              timeout=10, text=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"bwrap failed: {exc}"
    if proc.returncode != 0:
        return False, "bwrap failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    return True, "ok"


def _world_reachable(path: Path) -> bool:
    """Can any user reach `path` (every ancestor has o+x)?"""
    for p in [path, *path.parents]:
        try:
            if not p.stat().st_mode & 0o001:
                return False
        except OSError:
            return False
    return True


def _hidden_toolchain_binds() -> list[str]:
    """Make our Python (which runs the launcher, minishell, minitrace) visible to the uid.

    pyenv installs under /root (mode 700): inside bubblewrap we cover the closed ancestor
    with an empty tmpfs and bind just the interpreter's tree back, read-only.
    """
    binds: list[str] = []
    covered: set[Path] = set()
    for p in {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(),
              Path(__file__).resolve().parent.parent}:
        if _world_reachable(p):
            continue
        closed = next(a for a in reversed([p, *p.parents]) if not a.stat().st_mode & 0o001)
        if closed not in covered:
            binds += ["--perms", "0755", "--tmpfs", str(closed)]
            covered.add(closed)
        # bwrap would create the folders in between with mode 700: make them 755 first.
        between = [a for a in reversed(p.parents) if closed in a.parents]
        for folder in between:
            binds += ["--perms", "0755", "--dir", str(folder)]
        binds += ["--ro-bind", str(p), str(p)]
    return binds


class _UidLease:
    """A uid from UID_RANGE that no other running sandbox holds (an flock per uid)."""

    def __init__(self) -> None:
        UID_LOCKS.mkdir(mode=0o755, exist_ok=True)
        for uid in UID_RANGE:
            fd = os.open(UID_LOCKS / str(uid), os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self.uid, self._fd = uid, fd
            return
        raise RuntimeError("no free sandbox uid")

    def release(self) -> None:
        os.close(self._fd)


@dataclass
class Sandbox:
    """A work folder and the rules for every process started in it.

    Use as a context manager: leaving it kills whatever is left and removes the folder.
    """

    limits: Limits = field(default_factory=Limits)
    use_bwrap: bool | None = None  # None: use it when the probe says it works
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="minigrade-"))
        self.workdir.chmod(0o755)
        self._lease = _UidLease() if os.geteuid() == 0 else None
        self.uid = self._lease.uid if self._lease else None
        self.give_to_sandbox_user()
        ok, why = bwrap_status()
        if self.use_bwrap is None:
            self.use_bwrap = ok
        elif self.use_bwrap and not ok:
            raise RuntimeError(f"bubblewrap requested but unusable: {why}")
        self._bwrap_why = why
        self.kill_all()  # a previous holder of this uid may have left something behind

    # -- what the reports print -------------------------------------------------------
    @property
    def isolation(self) -> str:
        parts = ["rlimits", "own process group"]
        parts.append(f"uid {self.uid}" if self.uid is not None else "same uid as the grader")
        if self.use_bwrap:
            parts.insert(0, "bubblewrap (no network, read-only root, private /tmp, pid namespace)")
        else:
            parts.append(f"no bubblewrap ({self._bwrap_why})")
        return ", ".join(parts)

    # -- starting things --------------------------------------------------------------
    def give_to_sandbox_user(self, path: Path | None = None) -> None:
        """Hand the work folder (or a path in it) to the sandbox uid."""
        if self.uid is None:
            return
        root = path or self.workdir
        os.chown(root, self.uid, self.uid)
        for dirpath, dirnames, filenames in os.walk(root):
            for name in dirnames + filenames:
                os.lchown(os.path.join(dirpath, name), self.uid, self.uid)

    def full_env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(DEFAULT_ENV, HOME=str(self.workdir), TMPDIR=str(self.workdir))
        env.update(self.env)
        env.update(extra or {})
        return env

    def command(self, argv: list[str], cwd: Path | None = None,
                env: dict[str, str] | None = None) -> list[str]:
        """The argv that runs `argv` inside this sandbox (give it to pexpect or subprocess)."""
        spec = {
            "limits": self.limits.as_dict(with_nproc=self.uid is not None),
            "uid": self.uid, "gid": self.uid,
            "cwd": str(cwd or self.workdir),
            "env": self.full_env(env),
        }
        launcher = [sys.executable, "-S", "-I", str(LAUNCHER), json.dumps(spec), "--", *argv]
        if not self.use_bwrap:
            return launcher
        wd = str(self.workdir)
        return (_bwrap_base() + _hidden_toolchain_binds()
                + ["--bind", wd, wd, "--chdir", wd, "--", *launcher])

    def run(self, argv: list[str], timeout: float, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """Run without a terminal (builds); output captured (capped), group killed after."""
        out = tempfile.TemporaryFile()
        proc = subprocess.Popen(self.command(argv, cwd, env), stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        finally:
            self.kill_all(proc.pid)
            proc.wait()
        out.seek(0)
        text = out.read(200_000).decode("utf-8", "replace")
        out.close()
        return subprocess.CompletedProcess(argv, proc.returncode, text, None)

    # -- ending things ----------------------------------------------------------------
    def kill_all(self, leader: int | None = None, whole_uid: bool = True) -> None:
        """SIGKILL everything started from `leader` (its session and descendants, which under
        bubblewrap is its whole pid namespace) and, with `whole_uid` and a dedicated uid,
        every process of that uid: a kill(-1) a fork bomb cannot outrun. Tests running side
        by side in one sandbox use whole_uid=False; closing the sandbox sweeps the uid."""
        sweep = whole_uid and self.uid is not None
        for _ in range(200):
            if sweep:
                _kill_as_uid(self.uid)
            victims = _session_members(leader) if leader else set()
            for pid in victims:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if not victims and not (sweep and _pids_of_uid(self.uid)):
                return
            time.sleep(0.01)

    def close(self) -> None:
        self.kill_all()
        shutil.rmtree(self.workdir, ignore_errors=True)
        if self._lease:
            self._lease.release()
            self._lease = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def proc_stat(pid: int) -> list[str] | None:
    """/proc/PID/stat after "(comm)": [0] state, [1] ppid, [2] pgrp, [3] session, [5] tpgid."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    return data[data.rindex(")") + 2 :].split()  # fields after "(comm)"; [0] is the state


def _all_pids() -> list[int]:
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


def _session_members(leader: int) -> set[int]:
    """The leader, its session and its descendants (even those that called setsid)."""
    children: dict[int, list[int]] = {}
    members = {leader}
    for pid in _all_pids():
        st = proc_stat(pid)
        if st is None:
            continue
        children.setdefault(int(st[1]), []).append(pid)
        if int(st[3]) == leader:  # session id
            members.add(pid)
    todo = list(members)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in members:
                members.add(child)
                todo.append(child)
    return {p for p in members if (proc_stat(p) or ["Z"])[0] != "Z"}  # zombies are dead


def _pids_of_uid(uid: int) -> list[int]:
    """Live (non-zombie) processes owned by uid: a cheap stat first, /proc/PID/stat after."""
    pids = []
    for pid in _all_pids():
        try:
            if os.stat(f"/proc/{pid}").st_uid != uid:
                continue
        except OSError:
            continue
        st = proc_stat(pid)
        if st and st[0] != "Z":
            pids.append(pid)
    return pids


def _kill_as_uid(uid: int) -> None:
    """kill(-1, SIGKILL) from a child that became `uid`: it reaches exactly that user's
    processes, in one system call, so a fork bomb cannot respawn faster than we kill."""
    if not _pids_of_uid(uid):
        return
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
