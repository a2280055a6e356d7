"""What a sandboxed run may see: a file system built from nothing, bind mount by bind mount.

bubblewrap starts from an empty root (a tmpfs) and we add, read-only, exactly what the run
needs: the system (/usr, /etc and the /bin, /lib... links), the interpreter that runs the
launcher (its prefix, its real base prefix, the virtual environment), the toolkit's own
packages, and the run's work folder. Nothing else: not /home, /root, /srv or another
student's submission; /tmp, /var/tmp and /dev/shm are private and empty. This is what
makes the sandbox work wherever the toolkit is installed: a venv under /tmp is bound back
into the private /tmp, a pyenv under /root (mode 700) appears in a /root that bubblewrap
makes for us, with mode 755.

The hidden test definitions live in the `graders` package: it is covered with an empty
folder, and only the files of it a run executes (EXPOSED) are bound back.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # graders/sandbox
LAUNCHER = PACKAGE / "launch.py"
GRADERS = PACKAGE.parent
# The files of the graders package that run inside the sandbox (the rest is covered): the
# launcher, and the shell grader's foreground helper (it runs between minitrace and the
# traced shell).
EXPOSED = [LAUNCHER, GRADERS / "engine" / "foreground.py"]
TOOLKIT_ROOT = GRADERS.parent  # site-packages, or the checkout for an editable install
SYSTEM = ("/usr", "/etc")
MERGED_USR = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
PRIVATE = ("/tmp", "/var/tmp")  # empty, writable, gone with the run (/dev/shm: by --dev)
# Never bound whole, even if an import path: they hold everybody's files.
TOO_WIDE = {"/", "/tmp", "/var", "/var/tmp", "/home", "/root", "/srv", "/opt"}


def world_reachable(path: Path) -> bool:
    """Can any user reach `path`: every folder on the way has o+x?"""
    for p in [path, *path.parents]:
        try:
            if p.is_dir() and not p.stat().st_mode & 0o001:
                return False
        except OSError:
            return False
    return True


def first_closed(path: Path) -> Path | None:
    """The first folder on the way to `path` that other users cannot enter, or None."""
    for p in reversed([path, *path.parents]):
        try:
            if p.is_dir() and not p.stat().st_mode & 0o001:
                return p
        except OSError:
            return p
    return None


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def _is_site_dir(path: Path) -> bool:
    return path.name in ("site-packages", "dist-packages")


def interpreter_paths() -> list[Path]:
    """The folders our Python needs: its prefixes (venv and base, as given and resolved),
    every folder on sys.path, the scripts folder (minitrace), minus the toolkit checkout."""
    found: list[Path] = []
    prefixes = {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix,
                str(Path(sys.executable).parent.parent),
                str(Path(sys.executable).resolve().parent.parent)}
    for p in prefixes:
        found += [Path(p).absolute(), Path(p).resolve()]
    checkout = None if _is_site_dir(TOOLKIT_ROOT) else TOOLKIT_ROOT
    for entry in sys.path[_first_import_path():]:
        path = Path(entry).resolve() if entry else None
        if not path or not path.exists() or str(path) in TOO_WIDE:
            continue
        if checkout and _inside(path, [checkout]):
            continue  # the checkout's tests, say: its packages are lent one by one below
        found.append(path)
    for scheme in (None, f"{os.name}_user"):
        scripts = sysconfig.get_path("scripts", scheme) if scheme else \
            sysconfig.get_path("scripts")
        if scripts and Path(scripts).is_dir():
            found.append(Path(scripts).resolve())
    return found


def _first_import_path() -> int:
    """sys.path[0] is the folder of the grader's script, or its current folder under
    `python -m` or `-c`: where it was started, not what Python needs. Skip it."""
    return 1 if sys.path and not _is_site_dir(Path(sys.path[0] or ".")) else 0


def toolkit_paths() -> tuple[list[Path], list[Path]]:
    """(folders to bind, folders to cover) for our own packages. Installed in a
    site-packages, the whole folder is bound with the interpreter and `graders` is covered;
    a checkout (editable install) lends only the packages a run imports."""
    if _is_site_dir(TOOLKIT_ROOT):
        return [TOOLKIT_ROOT], [GRADERS]
    return [TOOLKIT_ROOT / "minishell", TOOLKIT_ROOT / "lessons"], []


@dataclass
class Layout:
    """The bind mounts of one run, turned into bubblewrap arguments by `bwrap_args`."""

    readable: list[Path] = field(default_factory=list)
    writable: list[Path] = field(default_factory=list)
    covered: list[Path] = field(default_factory=list)  # hidden under an empty folder
    files: list[Path] = field(default_factory=list)  # single files bound back over a cover

    @classmethod
    def for_run(cls, readable: list[Path], writable: list[Path]) -> Layout:
        bound, covered = toolkit_paths()
        # What is asked for inside a covered folder is bound after the cover, over it.
        under = [p for p in readable if _inside(p, covered)]
        return cls(readable=[*interpreter_paths(), *bound,
                             *(p for p in readable if p not in under)],
                   writable=list(writable), covered=covered,
                   files=[p for p in [*EXPOSED, *under] if p.exists()])

    def bwrap_args(self) -> list[str]:
        args = ["--perms", "0755", "--tmpfs", "/"]  # start from an empty root
        for d in SYSTEM:
            args += ["--ro-bind", d, d]
        for d in MERGED_USR:
            if os.path.islink(d):
                args += ["--symlink", os.readlink(d), d]
            elif os.path.isdir(d):
                args += ["--ro-bind", d, d]
        args += ["--dev", "/dev", "--proc", "/proc", "--perms", "0755", "--dir", "/var"]
        for d in PRIVATE:
            args += ["--perms", "1777", "--tmpfs", d]
        # The private folders exist, empty: what is bound into them needs its folders made.
        tree = _Tree(bound=[Path(d) for d in (*SYSTEM, "/dev", "/proc")],
                     covered=[Path(d) for d in PRIVATE])
        binds = [(p, "--ro-bind") for p in _outermost(self.readable, tree.bound)]
        binds += [(p, "--bind") for p in dict.fromkeys(self.writable)]
        # Parents before children, so a writable folder inside a read-only one stays writable.
        for path, how in sorted(binds, key=lambda b: len(b[0].parts)):
            args += tree.folders_to(path) + [how, str(path), str(path)]
            tree.bound.append(path)
        for path in self.covered:
            args += ["--perms", "0755", "--tmpfs", str(path)]
            tree.covered.append(path)
        for path in self.files:
            args += tree.folders_to(path) + ["--ro-bind", str(path), str(path)]
        return args


@dataclass
class _Tree:
    """Which folders exist inside the sandbox so far, to know which ones to make."""

    bound: list[Path]
    covered: list[Path] = field(default_factory=list)
    made: set[Path] = field(default_factory=set)

    def exists(self, p: Path) -> bool:
        if p == Path("/") or p in self.made or p in self.covered:
            return True
        if _inside(p, self.covered):  # an empty folder: only what we made in it
            return False
        return _inside(p, self.bound)

    def folders_to(self, path: Path) -> list[str]:
        """--dir for each missing folder on the way to `path`, mode 755 (bubblewrap would
        copy a closed mode such as /root's 700, and the sandbox user could not pass)."""
        args: list[str] = []
        for parent in reversed(path.parents):
            if not self.exists(parent):
                args += ["--perms", "0755", "--dir", str(parent)]
                self.made.add(parent)
        return args


def _outermost(paths: list[Path], already: list[Path]) -> list[Path]:
    """Existing paths not inside another one of them (or inside what is bound already)."""
    keep: list[Path] = []
    for p in sorted({p for p in paths if p.exists()}, key=lambda p: len(p.parts)):
        if not _inside(p, keep) and not _inside(p, already):
            keep.append(p)
    return keep
