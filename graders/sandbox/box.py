"""A Sandbox: a work folder and the rules for every process started in it.

Three modes, chosen once per run from what this machine allows:

- bubblewrap: an empty root with only what the run needs bound read-only (mounts.py), no
  network, a private /tmp, /var/tmp and /dev/shm, a pid namespace; as root, plus a uid of
  its own for each run side by side; as an ordinary user, a user namespace of its own.
- uid (root, no bubblewrap, as in most Docker containers): a uid of its own, rlimits, its
  own process group; the network stays reachable and world-readable files readable.
- unsandboxed (an ordinary user without bubblewrap): only rlimits and a process group.
  A process of the grader's own uid can kill the grader: refused unless the caller says
  the code is trusted (`--no-sandbox`, MINIGRADE_UNSANDBOXED=1), and reported as such.

Each process starts through the launcher (launch.py); `probe` runs that very launcher, as
the sandbox user, on the program to start: a sandbox that cannot start it is the grader's
failure (SandboxError), found before any test, never a student's FAILED.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import mounts, reaping
from .launch import PROBE_FAILED

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
BWRAP_INSTALL = "apt-get install bubblewrap"
NO_ISOLATION = (
    "refusing to run untrusted code without isolation ({why}): install bubblewrap ({install}) "
    "and allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1), or "
    "grade as root; --no-sandbox grades anyway (only for code you trust: your own)")


class SandboxError(Exception):
    """The sandbox itself failed: the grader's fault, never the student's."""


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 60
    address_space: int = 4096 * MiB  # a Python shell with prompt_toolkit maps ~300 MiB
    file_size: int = 64 * MiB
    processes: int = 128  # per uid (root), per user namespace, or on top of ours
    open_files: int = 256

    def as_dict(self) -> dict[str, int]:
        return {"cpu": self.cpu_seconds, "as": self.address_space, "fsize": self.file_size,
                "nofile": self.open_files, "core": 0, "nproc": self.processes}


class RunResult(subprocess.CompletedProcess):
    """A finished run: returncode (-N for a signal), its output, and whether the timeout
    ended it (then returncode is -9 from our own kill: not the program's doing)."""

    def __init__(self, args, returncode: int, stdout: str, timed_out: bool) -> None:
        super().__init__(args, returncode, stdout, None)
        self.timed_out = timed_out


def _namespaces() -> list[str]:
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent"]
    if os.geteuid() != 0:
        args.append("--unshare-user")  # an unprivileged bwrap needs a user namespace
    return args


@functools.cache
def bwrap_status() -> tuple[bool, str]:
    """Probe once whether bubblewrap can make namespaces here (Docker often forbids it)."""
    if os.environ.get("MINIGRADE_NO_BWRAP"):
        return False, "disabled by MINIGRADE_NO_BWRAP"
    if not shutil.which("bwrap"):
        return False, f"bwrap is not installed: {BWRAP_INSTALL}"
    try:
        proc = subprocess.run(_namespaces() + ["--ro-bind", "/", "/", "--proc", "/proc",
                                               "--dev", "/dev", "--", "/bin/true"],
                              capture_output=True, timeout=10, text=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"bwrap failed: {exc}"
    if proc.returncode != 0:
        return False, "bwrap failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    return True, "ok"


@functools.cache
def network_namespace_works() -> bool:
    """Can we (root) give a run a network namespace of its own? Containers often forbid
    it; then, without bubblewrap, the network stays reachable and the report says so."""
    if os.geteuid() != 0:
        return False
    pid = os.fork()
    if pid == 0:
        import ctypes

        from .launch import CLONE_NEWNET
        os._exit(0 if ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET) == 0 else 1)
    return os.waitpid(pid, 0)[1] == 0


def _unsandboxed_allowed() -> bool:
    return os.environ.get("MINIGRADE_UNSANDBOXED") == "1"


def _work_base() -> str:
    """Where work folders go: $TMPDIR, unless a sandbox uid could not reach it there."""
    base = tempfile.gettempdir()
    if os.geteuid() == 0 and not mounts.world_reachable(Path(base)):
        return "/tmp"
    return base


class _Runner:
    """What starts processes: shared by a Sandbox and the cells it lends to parallel runs."""

    mode: str
    uid: int | None
    workdir: Path
    home: Path
    limits: Limits
    env: dict[str, str]
    why_no_bwrap: str
    _readable: list[Path]
    _writable: list[Path]

    @property
    def use_bwrap(self) -> bool:
        return self.mode == "bubblewrap"

    @property
    def isolation(self) -> str:
        """In one line, which walls were in force (reports print it)."""
        who = f"uid {self.uid}" if self.uid is not None else None
        if self.mode == "bubblewrap":
            walls = ("bubblewrap (only what the run needs visible, read-only; no network; "
                     "private /tmp; pid namespace"
                     + ("" if who else "; user namespace") + ")")
            return ", ".join(filter(None, [walls, who, "rlimits", "own process group"]))
        if self.mode == "uid":
            net = "no network (own network namespace)" if network_namespace_works() else \
                "the network is reachable"
            return (f"{who}, rlimits, own process group, {net}; no bubblewrap "
                    f"({self.why_no_bwrap}): files any user may read are readable")
        return (f"UNSANDBOXED (--no-sandbox): rlimits and own process group only; "
                f"no bubblewrap ({self.why_no_bwrap})")

    def full_env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(DEFAULT_ENV, HOME=str(self.home), TMPDIR=str(self.home))
        env.update(self.env)
        env.update(extra or {})
        return env

    @functools.cached_property
    def _layout(self) -> list[str]:
        return mounts.Layout.for_run([self.workdir, *self._readable],
                                     [self.home, *self._writable]).bwrap_args()

    def command(self, argv: list[str], cwd: Path | None = None,
                env: dict[str, str] | None = None, probe: bool = False) -> list[str]:
        """The argv that runs `argv` inside this sandbox (give it to pexpect or subprocess)."""
        spec = {"limits": self.limits.as_dict(), "nproc_on_top": self.mode == "unsandboxed",
                "unshare_net": self.mode == "uid" and network_namespace_works(),
                "uid": self.uid, "gid": self.uid, "cwd": str(cwd or self.home),
                "env": self.full_env(env), "probe": probe}
        launcher = [sys.executable, "-S", "-I", str(mounts.LAUNCHER), json.dumps(spec), "--",
                    *argv]
        if not self.use_bwrap:
            return launcher
        return [*_namespaces(), *self._layout, "--chdir", str(cwd or self.home), "--",
                *launcher]

    def run(self, argv: list[str], timeout: float, cwd: Path | None = None,
            env: dict[str, str] | None = None, output=None, probe: bool = False) -> RunResult:
        """Run without a terminal (builds, probes); output captured (capped) or written to
        the binary file `output`; everything it started is killed after."""
        out = output or tempfile.TemporaryFile()
        proc = subprocess.Popen(self.command(argv, cwd, env, probe), stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            self.kill_all(proc.pid)
            proc.wait()
        text = ""
        if output is None:
            out.seek(0)
            text = out.read(200_000).decode("utf-8", "replace")
            out.close()
        return RunResult(argv, proc.returncode, text, timed_out)

    def probe(self, argv: list[str], cwd: Path | None = None) -> None:
        """Run the real launcher, as the sandbox user, up to the execve of argv[0]: raise
        SandboxError saying why when this sandbox could not start it."""
        res = self.run(argv, timeout=30, cwd=cwd, probe=True)
        last = (res.stdout.strip().splitlines() or [f"status {res.returncode}"])[-1]
        if res.returncode == PROBE_FAILED:
            raise SandboxError(f"the sandbox cannot start {argv[0]}: {last}")
        if res.returncode != 0:
            exe = Path(sys.executable)
            raise SandboxError(f"the sandbox could not start {exe.name} at {exe}: {last}"
                               + self.closed_hint())

    def closed_hint(self) -> str:
        """Which folder the sandbox user could not enter, if that is why nothing started."""
        if self.uid is None:
            return ""
        for path in [*mounts.interpreter_paths(), mounts.LAUNCHER]:
            # Inside bubblewrap the folders on the way are ours (mode 755): only the bound
            # folder itself counts; without it, every folder on the way.
            closed = (path if path.is_dir() and not path.stat().st_mode & 0o001 else None) \
                if self.use_bwrap else mounts.first_closed(path)
            if closed is not None:
                mode = closed.stat().st_mode & 0o777
                return (f" (the sandbox user, uid {self.uid}, cannot enter {closed}: mode "
                        f"{mode:o}; make it readable by others, e.g. chmod o+rx)")
        return ""

    def give_to_sandbox_user(self, path: Path | None = None) -> None:
        """Hand the work folder (or a path in it) to the sandbox uid."""
        if self.uid is None:
            return
        root = path or self.home
        os.chown(root, self.uid, self.uid)
        for dirpath, dirnames, filenames in os.walk(root):
            for name in dirnames + filenames:
                os.lchown(os.path.join(dirpath, name), self.uid, self.uid)

    def kill_all(self, leader: int | None = None, whole_uid: bool = True) -> None:
        """SIGKILL everything started from `leader` (its session and descendants, which
        under bubblewrap is its whole pid namespace) and, with `whole_uid` and a uid of
        our own, every process of that uid: a kill(-1) a fork bomb cannot outrun."""
        reaping.kill_everything(leader, self.uid if whole_uid else None)


class Sandbox(_Runner):
    """A work folder and its rules. Use as a context manager: leaving it kills whatever is
    left and removes the folder (unless the folder was given: then it is kept).

    `readable` and `writable` are more paths the runs need (bound into bubblewrap); `uid`
    fixes the sandbox user (root only) instead of leasing one; `allow_unsandboxed` (default:
    MINIGRADE_UNSANDBOXED=1) accepts running without isolation where none is possible.
    """

    def __init__(self, limits: Limits | None = None, use_bwrap: bool | None = None,
                 env: dict[str, str] | None = None, *, workdir: Path | None = None,
                 uid: int | None = None, readable: tuple[Path, ...] = (),
                 writable: tuple[Path, ...] = (),
                 allow_unsandboxed: bool | None = None) -> None:
        self.limits, self.env = limits or Limits(), dict(env or {})
        self._readable, self._writable = list(readable), list(writable)
        self._cells: list[Cell] = []
        self._lease = None
        self.mode, self.why_no_bwrap = _choose_mode(use_bwrap, allow_unsandboxed)
        self._owns_workdir = workdir is None
        self.workdir = Path(tempfile.mkdtemp(prefix="minigrade-", dir=_work_base())) \
            if workdir is None else workdir
        self.home = self.workdir
        if self._owns_workdir:
            self.workdir.chmod(0o755)
        if os.geteuid() != 0:
            self.uid = None
        elif uid is not None:
            self.uid = uid
        else:
            self._lease = _lease_uid()
            self.uid = self._lease.uid
        try:
            if self._owns_workdir:
                self.give_to_sandbox_user()
            self.kill_all()  # a previous holder of this uid may have left something behind
            self.python_ok, self.python_why = _probe_python(self)
        except BaseException:
            self.close()
            raise

    def cell(self, cwd: Path, writable: tuple[Path, ...] = ()) -> Cell:
        """A run side by side with others: the folder `cwd` (in the work folder) and the
        files `writable`, writable by it alone, and limits of its own (its own uid as root,
        else its own namespace)."""
        cell = Cell(self, cwd, writable)
        self._cells.append(cell)
        return cell

    def close(self) -> None:
        for cell in self._cells:
            cell.close()
        self._cells.clear()
        self.kill_all()
        if self.uid is not None and self.mode == "uid":
            reaping.sweep_files(self.uid)
        if self._owns_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        if self._lease:
            self._lease.release()
            self._lease = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _lease_uid() -> reaping.UidLease:
    try:
        return reaping.UidLease()
    except (reaping.LeaseError, OSError) as exc:
        raise SandboxError(str(exc)) from None


class Cell(_Runner):
    """One of the runs a Sandbox runs side by side (a test of the shell grader)."""

    def __init__(self, parent: Sandbox, cwd: Path, writable: tuple[Path, ...] = ()) -> None:
        self.mode, self.why_no_bwrap = parent.mode, parent.why_no_bwrap
        self.limits, self.env = parent.limits, parent.env
        self.workdir, self.home = parent.workdir, cwd
        self._readable, self._writable = parent._readable, [*parent._writable, *writable]
        self._lease = _lease_uid() if parent.uid is not None else None
        self.uid = self._lease.uid if self._lease else None
        cwd.mkdir(parents=True, exist_ok=True)
        for path in (cwd, *writable):
            self.give_to_sandbox_user(path)
        self.kill_all()
        # What the shared folders held before this run: its sweep looks only at the rest.
        self._before = reaping.shared_listing() if self.mode == "uid" and self.uid else None

    def close(self) -> None:
        if self._lease is None:
            return
        self.kill_all()
        if self.mode == "uid":
            reaping.sweep_files(self.uid, self._before)
        self._lease.release()
        self._lease = None


def _choose_mode(use_bwrap: bool | None, allow_unsandboxed: bool | None) -> tuple[str, str]:
    ok, why = bwrap_status()
    if use_bwrap and not ok:
        raise SandboxError(f"bubblewrap was asked for but cannot run here: {why}")
    if use_bwrap is None:
        use_bwrap = ok
    if use_bwrap:
        return "bubblewrap", why
    why = why if not ok else "not used"
    if os.geteuid() == 0:
        return "uid", why
    allowed = _unsandboxed_allowed() if allow_unsandboxed is None else allow_unsandboxed
    if not allowed:
        raise SandboxError(NO_ISOLATION.format(why=why, install=BWRAP_INSTALL))
    return "unsandboxed", why


def _probe_python(box: Sandbox) -> tuple[bool, str]:
    """Start the launcher for real and ask it whether the sandbox user may run our Python
    (minitrace, the lessons' Python programs need it). The launcher not starting at all is
    fatal: nothing could run."""
    try:
        box.probe([sys.executable])
    except SandboxError as exc:
        if "could not start" in str(exc):
            raise
        return False, str(exc)
    return True, "ok"
