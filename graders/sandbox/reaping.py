"""Ending everything a run started, and lending it a user id of its own.

A process can escape its process group (setsid), its parent (a double fork) and our
patience (a fork bomb). What it cannot escape: its user id, and its pid namespace. When
the grader is root, each run gets a uid from UID_RANGE no other running sandbox holds
(an flock per uid), and `kill_as_uid` ends every process of that uid with one
`kill(-1, SIGKILL)` made as that user — a single system call a fork bomb cannot outrun.
Under bubblewrap, killing the namespace's first process ends the whole namespace.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import stat
import time
from pathlib import Path

from minishell import procfs

UID_RANGE = range(61000, 62000)
# One place for every grader on the machine, whatever its $TMPDIR: two graders that
# looked in two places could lease the same uid, and each would kill the other's runs.
# /tmp exists everywhere; the folder must be root's and closed to others (checked).
UID_LOCKS = Path("/tmp/minigrade-uids")
# Where any user may write: files a run left there are swept when it has a uid of its own.
SHARED_TMP = (Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"))


class LeaseError(Exception):
    """No uid could be leased: the machinery's failure (box.py makes it a SandboxError)."""


def _lock_dir(folder: Path = UID_LOCKS) -> Path:
    """The lock folder, made if missing, and trusted only if it is root's own directory
    that nobody else may write: in the world-writable /tmp anyone could have made it
    first, to plant symbolic links or to hold every lock."""
    try:
        folder.mkdir(mode=0o755)
    except FileExistsError:
        pass
    st = folder.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != 0 or st.st_mode & 0o022:
        raise LeaseError(f"cannot lease a sandbox uid: {folder} is not a directory of root's "
                         f"that only root may write (owner uid {st.st_uid}, mode "
                         f"{stat.filemode(st.st_mode)}); remove it and grade again")
    return folder


class UidLease:
    """A uid from UID_RANGE that no other running sandbox holds (an flock per uid)."""

    def __init__(self, folder: Path = UID_LOCKS) -> None:
        folder = _lock_dir(folder)
        for uid in UID_RANGE:
            fd = os.open(folder / str(uid), os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self.uid, self._fd = uid, fd
            return
        raise LeaseError(f"no free sandbox uid in {UID_RANGE.start}-{UID_RANGE.stop - 1} "
                         f"(each one locked in {folder})")

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def pids_of_uid(uid: int) -> list[int]:
    """Live (non-zombie) processes owned by uid: a cheap stat first, /proc/PID/stat after."""
    return [pid for pid in procfs.pids()
            if procfs.owner(pid) == uid and procfs.state(pid) not in ("", "Z")]


def kill_as_uid(uid: int) -> None:
    """kill(-1, SIGKILL) from a child that became `uid`: it reaches exactly that user's
    processes, in one system call, so a fork bomb cannot respawn faster than we kill."""
    if not pids_of_uid(uid):
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


def session_members(leader: int) -> set[int]:
    """The leader, its session and its descendants (even those that called setsid)."""
    members = {leader}
    for pid in procfs.pids():
        st = procfs.stat(pid)
        if st is not None and int(st[3]) == leader:  # session id
            members.add(pid)
    for pid in list(members):
        members.update(procfs.descendants(pid))
    return {p for p in members if procfs.state(p) not in ("", "Z")}  # zombies are dead


def kill_everything(leader: int | None, uid: int | None) -> None:
    """SIGKILL the leader's session and descendants and, given a uid, all of that uid's
    processes; again until none is left (a fork may be under way while we look)."""
    for _ in range(500):
        if uid is not None:
            kill_as_uid(uid)
        victims = session_members(leader) if leader else set()
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if not victims and not (uid is not None and pids_of_uid(uid)):
            return
        time.sleep(0.01)


def shared_listing() -> dict[Path, set[str]]:
    """The names in the world-writable folders now: one read of each folder."""
    names = {}
    for folder in SHARED_TMP:
        try:
            names[folder] = set(os.listdir(folder))
        except OSError:
            names[folder] = set()
    return names


def sweep_files(uid: int, before: dict[Path, set[str]] | None = None) -> None:
    """Remove what `uid` left in the world-writable folders (without bubblewrap they are
    the real ones, shared with everybody). Given `before` (shared_listing() when the run
    started), only names that appeared since are looked at: a /tmp shared by a whole
    machine can hold thousands of entries, each an lstat (measured: 7 s per sweep at
    1340 entries under load)."""
    for folder in SHARED_TMP:
        try:
            entries = [folder / name for name in os.listdir(folder)
                       if before is None or name not in before.get(folder, ())]
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.lstat().st_uid != uid:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink()
            except OSError:
                pass
