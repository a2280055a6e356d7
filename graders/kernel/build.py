"""Building a student's kernel: one source, one configuration, one recipe, so numbers compare.

The recipe is the one a student follows at home: Debian's `linux-source-6.1`, `make
tinyconfig`, our configuration fragment merged over it (`scripts/kconfig/merge_config.sh`),
their patch, `make bzImage`. A full build takes about two minutes on two cores.

Two caches make grading a folder of patches affordable:
- the bzImage of every (source, configuration, patch) is kept, keyed by their hash, so
  grading the same patch twice builds it once;
- object trees (`make O=build`, the sources apart in `linux/`) are shared by the patches
  that edit the kernel's widely included headers (include/, arch/x86/include/) alike:
  the tree is chosen by those edits (`header_state`). Switching patches in a tree rewrites
  only the source files whose *contents* change, so make recompiles only what really
  differs: two patches that both add the same field to `task_struct` in sched.h, and differ
  in mm/memory.c, cost one object file and a link (~15 s), not the ~2,000 files that
  include sched.h. A patch that edits no shared header (fastnet's driver work) and a
  sys_pfstat patch each keep their own tree, so grading them in turn never rebuilds the
  whole kernel back and forth. At most MAX_TREES trees are kept (~2 GB each); a new header
  state beyond that takes over the least recently used tree. A header edited differently
  (another field name, another place) is another kernel for every file that includes it:
  that one costs a full build, whatever the cache.
The tree is locked while a build runs (flock), so parallel graders take turns.

A patch is code the grader runs: its Makefile or Kconfig changes execute during the build.
Every build step (make, merge_config) runs in the toolkit's one sandbox (graders.sandbox):
inside bubblewrap when it works here (no network, only the tree visible, the object tree
the one writable folder), with limits of the build's own (not the 128 processes a student's
program gets: make -j and gcc fork a lot); when the grader is root, as an unprivileged user
of its own (BUILDER_UID + the tree's number); whatever it leaves running is killed. The
builder owns only the object tree: the sources (and the originals kept to undo a patch)
stay root's, so a build cannot change what the next patch is applied to. That is why
root's cache lives in /var/cache/minishell: without bubblewrap the builder must be able to
reach the object tree.
"""

from __future__ import annotations

import fcntl
import fnmatch
import hashlib
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..sandbox import Limits, Sandbox, SandboxError, world_reachable
from . import ToolError

SOURCE_TARBALL = Path("/usr/src/linux-source-6.1.tar.xz")
CONFIG_FRAGMENT = Path(__file__).parents[1] / "kernel" / "kernel.config"
RECIPE_VERSION = "2"  # bump when the recipe below changes: old cached kernels become stale
JOBS = os.cpu_count() or 2
# The builders' uids: outside the sandbox's lease range (61000-61999). Each object tree has
# its own (BUILDER_UID + a number from the tree's name), one build at a time in a tree (the
# tree lock), and it owns the tree between builds: killing whatever a build left running,
# by uid, can never hit a build in another tree.
BUILDER_UID = 62000
BUILDER_UIDS = 1000
MAX_TREES = 3
# Headers every part of the kernel may include: an edit there recompiles most of it.
SHARED_HEADERS = ("include/", "arch/x86/include/")
GiB = 1 << 30
# Limits of the build's own (never the student's 128 processes: make -j and gcc fork a lot).
BUILD_LIMITS = Limits(cpu_seconds=1800, address_space=4 * GiB, file_size=1 * GiB,
                      processes=1024, open_files=4096)
# What `make bzImage` runs besides the compiler: checked before a build, so that a grading
# machine without them reports its own error instead of a patch that "does not compile".
BUILD_TOOLS = ("make", "gcc", "ld", "flex", "bison", "bc")
BUILD_ENV = {"HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C", "LC_ALL": "C"}
# Parts of the source the course kernel never compiles, left in the tarball: unpacking is a
# fifth of a cold build, and most of it is the file system creating 80,000 files (xz itself
# takes 4 s).  The code and device trees of other architectures, the documentation's text,
# the C files of the largest driver families and of the tools' test suites -- their Kconfig
# files and Makefiles stay: the configuration reads every Kconfig (crypto/Kconfig sources
# arch/arm/crypto/Kconfig), and make walks into every driver folder.  A patch
# that touches one of these files gets it unpacked then (Tree.unpack_skipped).
OTHER_ARCHES = ("alpha", "arc", "arm", "arm64", "csky", "hexagon", "ia64", "loongarch",
                "m68k", "microblaze", "mips", "nios2", "openrisc", "parisc", "powerpc",
                "riscv", "s390", "sh", "sparc", "um", "xtensa")
SKIPPED_SOURCES = (*(f"arch/{arch}/boot/dts" for arch in OTHER_ARCHES),
                   *(f"arch/{arch}/*.[chS]" for arch in OTHER_ARCHES),
                   "Documentation/*.rst", "Documentation/*.txt", "Documentation/*.yaml",
                   *(f"{folder}/*.[ch]" for folder in (
                       "drivers/gpu", "drivers/media", "drivers/staging", "drivers/scsi",
                       "drivers/infiniband", "drivers/net/wireless", "sound",
                       "tools/testing", "tools/perf")))


class BuildError(Exception):
    """The student's patch did not apply or did not compile (their fault, with a log)."""

    def __init__(self, message: str, log: Path | None = None, excerpt: str = "",
                 timed_out: bool = False) -> None:
        super().__init__(message)
        self.log = log
        self.excerpt = excerpt
        self.timed_out = timed_out  # the build ran out of time: a timeout, not a failure


@dataclass
class Built:
    bzimage: Path
    log: Path
    cached: bool  # True when no compiler ran
    seconds: float
    isolation: str  # how the build steps were confined
    tree: Path | None = None  # the object tree it was built in (None: cached)


def cache_dir() -> Path:
    """$MINISHELL_CACHE; else /var/cache/minishell for root (the unprivileged builder must
    reach it), ~/.cache/minishell for anyone else (XDG_CACHE_HOME respected)."""
    if os.environ.get("MINISHELL_CACHE"):
        return Path(os.environ["MINISHELL_CACHE"])
    if os.geteuid() == 0:
        return Path("/var/cache/minishell")
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "minishell"


def builder_uid(tree: Path) -> int:
    """The unprivileged uid that builds in `tree` (stable: derived from its whole path).
    Not from its name alone: two caches (a bench's fresh one, another user's) hold trees of
    the same name, each locked only within its own cache, and what one build leaves running
    is killed by uid -- a shared uid would kill the other cache's build halfway."""
    key = str(tree.resolve()).encode()
    return BUILDER_UID + int(hashlib.sha256(key).hexdigest(), 16) % BUILDER_UIDS


def _source_id(tarball: Path) -> str:
    st = tarball.stat()  # the package's tarball changes only with its version
    return f"{tarball.resolve()}:{st.st_size}:{int(st.st_mtime)}"


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:16]


def kernel_key(patch: bytes, fragment: Path = CONFIG_FRAGMENT,
               tarball: Path = SOURCE_TARBALL) -> str:
    return _digest(RECIPE_VERSION, _source_id(tarball), fragment.read_bytes(), patch)


def header_state(patch: bytes) -> str:
    """Which object tree a patch belongs in: a digest of its edits to existing shared headers
    ("base" when it edits none). New headers do not count: only the patch's own files
    include them."""
    sections = re.split(rb"(?m)^(?=--- )", patch)
    kept = []
    for section in sections:
        lines = section.split(b"\n")
        if len(lines) < 2 or not lines[0].startswith(b"--- ") or \
                not lines[1].startswith(b"+++ "):
            continue
        old = lines[0][4:].split(b"\t")[0].strip()
        if old == b"/dev/null" or b"/" not in old:
            continue
        rel = old.split(b"/", 1)[1].decode("utf-8", "replace")
        if rel.startswith(SHARED_HEADERS) and not section.count(b"\n@@ -0,0 "):
            # the hunks only: file names' prefixes and timestamps do not change the result
            body = [line for line in lines[2:] if not line.startswith(b"diff ")]
            kept.append(rel.encode() + b"\0" + b"\n".join(body))
    return _digest(*sorted(kept))[:12] if kept else "base"


def patched_files(patch: bytes) -> list[str]:
    """The files a unified diff touches, relative to the tree (the -p1 convention)."""
    files: list[str] = []
    old = None
    for line in patch.decode("utf-8", "replace").splitlines():
        if line.startswith("--- "):
            old = line[4:].split("\t")[0].strip()
        elif line.startswith("+++ ") and old is not None:
            new = line[4:].split("\t")[0].strip()
            for name in (old, new):
                if name != "/dev/null" and "/" in name:
                    path = name.split("/", 1)[1]
                    if path not in files:
                        files.append(path)
            old = None
    for path in files:
        if path.startswith("/") or ".." in Path(path).parts:
            raise BuildError(f"the patch touches a path outside the tree: {path}")
    return files


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


class Confinement:
    """How build steps run: in the toolkit's one sandbox (graders.sandbox), as the tree's
    builder uid when we are root, able to write the object tree only (and a private /tmp)."""

    def __init__(self, objects: Path, uid: int) -> None:
        self.root = objects  # the only folder the builder may write (and /tmp)
        self.uid = uid if os.geteuid() == 0 else None
        self.why = "not started"

    def _sandbox(self) -> Sandbox:
        """A sandbox for one build step (a SandboxError when it cannot confine it)."""
        box = Sandbox(BUILD_LIMITS, env=BUILD_ENV, workdir=self.root, uid=self.uid,
                      readable=(self.root.parent,), writable=(self.root,))
        if box.mode == "uid" and not world_reachable(self.root):
            box.close()
            raise SandboxError(f"the kernel builder (uid {self.uid}) cannot reach {self.root}:"
                               " set MINISHELL_CACHE to a folder other users can enter, or "
                               "install bubblewrap")
        self.why = box.isolation
        return box

    def give_objects(self, only_if_not_yet: bool = False) -> None:
        """Hand the object tree (and what the grader put in it) to the builder."""
        if self.uid is None or (only_if_not_yet and self.root.stat().st_uid == self.uid):
            return
        for dirpath, dirnames, filenames in os.walk(self.root):
            os.lchown(dirpath, self.uid, self.uid)
            for name in filenames + dirnames:
                os.lchown(os.path.join(dirpath, name), self.uid, self.uid)

    def run(self, argv: list[str], cwd: Path, log, timeout: float) -> int:
        """make's status; subprocess.TimeoutExpired when it ran out of time (then
        everything it started is killed, as after any step)."""
        log.write(f"$ {' '.join(argv)}\n".encode())
        log.flush()
        start = time.monotonic()
        with self._sandbox() as box:
            res = box.run(argv, timeout=timeout, cwd=cwd, output=log)
        log.write(f"# {time.monotonic() - start:.1f} s\n".encode())
        if res.timed_out:
            raise subprocess.TimeoutExpired(argv, timeout)
        return res.returncode


class Tree:
    """The shared object tree of one configuration, and the patch currently applied to it.

    `linux/` is the source with the current patch applied, `build/` the objects (make O=),
    `pristine/` the original of every file a patch ever touched (or a marker for a file that
    did not exist), so that any patch can be applied to the untouched source.
    """

    def __init__(self, root: Path, tarball: Path, fragment: Path) -> None:
        self.root = root
        self.src = root / "linux"
        self.out = root / "build"
        self.jail = Confinement(self.out, builder_uid(root))
        self.tarball = tarball
        self.fragment = fragment
        self.pristine = root / "pristine"
        self.applied = root / "applied-files"

    def ready(self) -> bool:
        return (self.root / "configured").exists()

    def create(self, log, timeout: float) -> None:
        """Unpack the source (5-25 s) and configure it: tinyconfig + our fragment."""
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        self.unpack(log)
        self.out.mkdir()
        shutil.copyfile(self.fragment, self.out / "pfstat.config")
        self.jail.give_objects()
        steps = [
            (["make", f"O={self.out}", "tinyconfig"], self.src),
            # merge_config.sh writes its temporary files in the current folder.
            ([str(self.src / "scripts/kconfig/merge_config.sh"), "-m", ".config",
              "pfstat.config"], self.out),
            (["make", f"O={self.out}", "olddefconfig"], self.src),
        ]
        for argv, cwd in steps:
            if self.jail.run(argv, cwd, log, timeout):
                raise ToolError(f"kernel configuration failed at: {' '.join(argv)}")
        self._check_config()
        self.pristine.mkdir(mode=0o700)  # the originals: the builder may not change them
        (self.root / "configured").touch()

    def _check_config(self) -> None:
        """merge_config only warns when an option could not be set: make it an error."""
        have = (self.out / ".config").read_text()
        for line in self.fragment.read_text().splitlines():
            if line.startswith("CONFIG_") and line.strip() not in have.splitlines():
                raise ToolError(f"the kernel configuration lost {line.strip()}")

    def _untar(self, dest: Path) -> list[str]:
        """tar extracting the source tarball into dest (xz on every core: 4 s, not 8)."""
        return ["tar", "-x", "-I", "xz -T0", "-f", str(self.tarball), "-C", str(dest)]

    def unpack(self, log) -> None:
        """The source into linux/, but for the parts the kernel never compiles."""
        unpack = self.root / "unpack"
        unpack.mkdir()
        top = source_top(self.tarball)  # linux-source-6.1
        skipped = [f"--exclude={top}/{pattern}" for pattern in SKIPPED_SOURCES]
        _timed(log, [*self._untar(unpack), "--anchored", *skipped],
               label=f"tar -xf {self.tarball} (but {len(skipped)} parts never compiled)")
        (unpack / top).rename(self.src)
        unpack.rmdir()

    def unpack_skipped(self, files: list[str], log) -> None:
        """Unpack the files of a patch that the tree left packed (SKIPPED_SOURCES)."""
        wanted = [rel for rel in files if skipped_source(rel) and not (self.src / rel).exists()
                  and not (self.pristine / rel).exists()
                  and not (self.pristine / (rel + ".absent")).exists()]
        if not wanted:
            return
        top = source_top(self.tarball)
        with tempfile.TemporaryDirectory(prefix="kernel-unpack-", dir=self.root) as tmp:
            # status 2 for a name the tarball lacks: a file the patch creates, fine
            subprocess.run([*self._untar(Path(tmp)), *(f"{top}/{rel}" for rel in wanted)],
                           stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.DEVNULL)
            for rel in wanted:
                got = Path(tmp) / top / rel
                if got.is_file():
                    (self.src / rel).parent.mkdir(parents=True, exist_ok=True)
                    got.rename(self.src / rel)
                    log.write(f"# unpacked {rel}\n".encode())

    def _original(self, rel: str) -> Path | None:
        """Where the untouched version of `rel` is (None: the source has no such file)."""
        saved = self.pristine / rel
        if saved.exists():
            return saved
        if (self.pristine / (rel + ".absent")).exists():
            return None
        current = self.src / rel
        return current if current.exists() else None

    def _save_original(self, rel: str) -> None:
        saved = self.pristine / rel
        if saved.exists() or (self.pristine / (rel + ".absent")).exists():
            return
        saved.parent.mkdir(parents=True, exist_ok=True)
        current = self.src / rel
        if current.exists():
            shutil.copy2(current, saved)
        else:
            (self.pristine / (rel + ".absent")).touch()

    def switch_to(self, patch: bytes, log) -> list[str]:
        """Make the tree = source + `patch`, rewriting only files whose contents change.

        Returns the files rewritten. Raises BuildError when the patch does not apply.
        """
        new_files = patched_files(patch)
        self.unpack_skipped(new_files, log)
        old_files = self.applied.read_text().split() if self.applied.exists() else []
        files = list(dict.fromkeys(old_files + new_files))
        with tempfile.TemporaryDirectory(prefix="pfstat-patch-") as tmp:
            stage = Path(tmp) / "tree"
            stage.mkdir()
            for rel in files:
                original = self._original(rel)
                if original is not None:
                    (stage / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(original, stage / rel)
            patch_file = Path(tmp) / "student.patch"
            patch_file.write_bytes(patch)
            proc = subprocess.run(
                ["patch", "-p1", "--batch", "--forward", "--no-backup-if-mismatch",
                 "-d", str(stage), "-i", str(patch_file)],
                capture_output=True, text=True, stdin=subprocess.DEVNULL)
            log.write(f"$ patch -p1 < patch\n{proc.stdout}{proc.stderr}".encode())
            if proc.returncode != 0:
                raise BuildError("the patch does not apply to linux-source-6.1",
                                 excerpt=(proc.stdout + proc.stderr).strip())
            # Until the switch completes, the tree may hold any of these files modified.
            self.applied.write_text("\n".join(files) + "\n")
            changed = []
            for rel in files:
                self._save_original(rel)
                want, have = stage / rel, self.src / rel
                if want.exists():
                    if have.exists() and have.read_bytes() == want.read_bytes():
                        continue
                    have.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(want, have)
                    shutil.copymode(want, have)
                    changed.append(rel)
                elif have.exists():
                    have.unlink()
                    changed.append(rel)
        self.applied.write_text("\n".join(new_files) + "\n")
        return changed


def source_top(tarball: Path) -> str:
    """The folder the source tarball unpacks into (its first member: read in a millisecond)."""
    with tarfile.open(tarball, "r:xz") as tar:
        first = tar.next()
    if first is None:
        raise ToolError(f"{tarball} is empty")
    return first.name.split("/")[0]


def skipped_source(rel: str) -> bool:
    """Whether `rel` is one of the files a new tree leaves packed (as tar matches them)."""
    return any(fnmatch.fnmatchcase(rel, pattern) or rel.startswith(pattern + "/")
               for pattern in SKIPPED_SOURCES)


def _timed(log, argv: list[str], label: str) -> None:
    """Run a step of the grader's own (not the patch's), its time in the log."""
    log.write(f"$ {label}\n".encode())
    log.flush()
    start = time.monotonic()
    if subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=log,
                      stderr=subprocess.STDOUT).returncode:
        raise ToolError(f"preparing the kernel source failed at: {label} (see {log.name})")
    log.write(f"# {time.monotonic() - start:.1f} s\n".encode())


ERROR_LINE = re.compile(r"(error:|Error \d+|undefined reference|\*\*\*)")


COMPILER_KILLED = re.compile(r"^.*(?:Killed signal terminated program|internal compiler "
                             r"error: Killed).*$", re.M)


def compiler_killed(log_text: str) -> str | None:
    """gcc's line when a compiler process was killed by a signal (SIGKILL: the kernel's OOM
    killer, or a person): the build failed, but no line of the patch is to blame."""
    m = COMPILER_KILLED.search(log_text)
    return m.group(0).strip() if m else None


def build_excerpt(log_text: str, limit: int = 12) -> str:
    """The compiler's error lines (what a student must read first), else the log's tail."""
    lines = log_text.splitlines()
    hits = [i for i, line in enumerate(lines) if ERROR_LINE.search(line)]
    if not hits:
        return "\n".join(lines[-limit:])
    out: list[str] = []
    for i in hits:
        for line in lines[max(0, i - 1): i + 2]:
            if line not in out:
                out.append(line)
    return "\n".join(out[:limit])


def _cached(out: Path) -> Built:
    how = out / "isolation"
    return Built(out / "bzImage", out / "build.log", True, 0.0,
                 f"cached, built {how.read_text() if how.exists() else 'earlier'}")


def build_kernel(patch: bytes, *, cache: Path | None = None, timeout: float = 1800,
                 fragment: Path = CONFIG_FRAGMENT, tarball: Path = SOURCE_TARBALL) -> Built:
    """The bzImage of linux-source-6.1 + tinyconfig + fragment + `patch` (cached).

    Only a kernel that built enters the image cache (images/KEY, made whole in a side
    folder and renamed into place); a failed build leaves nothing a later identical patch
    would take for a result: its log goes to failed/KEY.log, quoted in the BuildError.
    """
    if not tarball.exists():
        raise ToolError(f"{tarball} is missing: apt-get install linux-source-6.1")
    kernels = (cache or cache_dir()) / "kernels"
    key = kernel_key(patch, fragment, tarball)
    out = kernels / "images" / key
    start = time.monotonic()
    if (out / "bzImage").exists():
        return _cached(out)
    missing = [tool for tool in BUILD_TOOLS if shutil.which(tool) is None]
    if missing:  # else make fails, and the patch would be blamed for it
        raise ToolError(f"the kernel build needs {', '.join(missing)}, not installed here: "
                        "apt-get install build-essential flex bison bc libelf-dev")
    kernels.mkdir(parents=True, exist_ok=True)
    tree = Tree(pick_tree(kernels, _digest(_source_id(tarball), fragment.read_bytes()),
                          header_state(patch)), tarball, fragment)
    with _locked(tree.root.with_suffix(".lock")):
        _mark(tree.root, header_state(patch))
        if (out / "bzImage").exists():  # built by another grader while we waited
            return _cached(out)
        work = kernels / "images" / f"{key}.building"
        for stale in (work, out):  # an interrupted build; an entry of an older version
            shutil.rmtree(stale, ignore_errors=True)
        work.mkdir(parents=True)
        try:
            with open(work / "build.log", "wb") as log:
                _build_in(tree, patch, log, work / "build.log", timeout)
        except BaseException as exc:
            kept = kernels / "failed" / f"{key}.log"
            kept.parent.mkdir(exist_ok=True)
            if (work / "build.log").exists():
                shutil.move(work / "build.log", kept)
            shutil.rmtree(work, ignore_errors=True)
            if isinstance(exc, BuildError):
                exc.log = kept
            raise
        (work / "patch").write_bytes(patch)
        (work / "isolation").write_text(tree.jail.why)
        shutil.copyfile(tree.out / "arch/x86/boot/bzImage", work / "bzImage")
        work.rename(out)  # atomic: a reader never sees half an entry
    return Built(out / "bzImage", out / "build.log", False, time.monotonic() - start,
                 tree.jail.why, tree.root)


def _mark(tree: Path, state: str) -> None:
    """Record which header state `tree` holds: atomically (graders read it in parallel),
    and only when it changes (the mark's time is the tree's last use)."""
    mark = tree.with_suffix(".state")
    if mark.exists() and mark.read_text() == state:
        mark.touch()
        return
    tmp = mark.with_name(f"{mark.name}.{os.getpid()}")
    tmp.write_text(state)
    tmp.rename(mark)


def pick_tree(kernels: Path, config: str, state: str) -> Path:
    """The object tree for patches of this header state: the one that holds it now; else a
    new one while there are fewer than MAX_TREES; else the least recently used."""
    with _locked(kernels / "trees.lock"):
        trees = sorted(p for p in kernels.glob(f"tree-{config}*") if p.is_dir())
        states = {t: t.with_suffix(".state") for t in trees}
        for tree, mark in states.items():
            if mark.exists() and mark.read_text() == state:
                _mark(tree, state)  # most recently used
                return tree
        for tree, mark in states.items():
            if not mark.exists():  # a tree of an older version: adopt it
                _mark(tree, state)
                return tree
        if len(trees) < MAX_TREES:
            tree = kernels / f"tree-{config}-{state}"
            remove_stale_trees(kernels, config)  # making room: old configurations' trees
            _mark(tree, state)
            return tree
        oldest = min(trees, key=lambda t: states[t].stat().st_mtime)
        _mark(oldest, state)
        return oldest


STALE_AFTER = 7 * 24 * 3600  # seconds


def remove_stale_trees(kernels: Path, config: str, now: float | None = None) -> list[Path]:
    """Delete the object trees of other configurations (an older toolkit's kernel.config or
    source: 1.6 GB each, never used by this one) that nobody used for a week and nobody is
    building in.  Not sooner: two installed versions grading in turn would rebuild each
    other's trees from scratch.  Returns the trees removed."""
    now = time.time() if now is None else now
    removed = []
    for tree in kernels.glob("tree-*"):
        if not tree.is_dir() or tree.name.startswith(f"tree-{config}"):
            continue
        mark = tree.with_suffix(".state")
        last_use = (mark if mark.exists() else tree).stat().st_mtime
        if now - last_use < STALE_AFTER:
            continue
        with open(tree.with_suffix(".lock"), "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a build of that version is running in it
            shutil.rmtree(tree, ignore_errors=True)
            mark.unlink(missing_ok=True)
        tree.with_suffix(".lock").unlink(missing_ok=True)
        removed.append(tree)
    return removed


# make's status when the build was stopped from outside (SIGKILL, SIGTERM), directly or
# through bwrap: not the patch's fault.
KILLED = {-9, -15, 128 + 9, 128 + 15}


def _build_in(tree: Tree, patch: bytes, log, log_path: Path, timeout: float) -> None:
    """Apply `patch` to the tree and run make; BuildError when that is the patch's fault."""
    if not tree.ready():
        tree.create(log, timeout)
    tree.jail.give_objects(only_if_not_yet=True)  # a tree made by an older version
    changed = tree.switch_to(patch, log)
    log.write(f"# files rewritten: {' '.join(changed) or 'none'}\n".encode())
    # olddefconfig first: a patch may add Kconfig options, and make must never prompt.
    for argv in (["make", f"O={tree.out}", "olddefconfig"],
                 ["make", f"O={tree.out}", f"-j{JOBS}", "bzImage"]):
        try:
            status = tree.jail.run(argv, tree.src, log, timeout)
        except subprocess.TimeoutExpired:
            raise BuildError(f"the kernel build took more than {timeout:.0f} s",
                             timed_out=True) from None
        log.flush()
        if status in KILLED:
            raise ToolError(f"the kernel build was stopped from outside (status {status}) "
                               f"while running: {' '.join(argv)}")
        if status:
            text = log_path.read_text("utf-8", "replace")
            if compiler_killed(text):  # the machine's fault (the OOM killer), not the patch's
                raise ToolError("the compiler was killed during the kernel build (the "
                                "grading machine ran out of memory?): "
                                f"{compiler_killed(text)}")
            raise BuildError("the kernel does not compile", excerpt=build_excerpt(text))


def prebuild(patches: list[Path], cache: Path | None = None) -> int:
    """Build each patch's kernel into the cache, one after the other: what a TA runs before
    grading a folder of patches, and what the test suite starts in the background so that
    the two cold builds (one per object tree) overlap with the tests that need no kernel.
    Returns how many did not build (a patch's own error is reported, not raised)."""
    failed = 0
    for patch in patches:
        start = time.monotonic()
        try:
            built = build_kernel(patch.read_bytes(), cache=cache)
        except (BuildError, ToolError) as exc:
            failed += 1
            print(f"{patch}: {exc}", flush=True)
            continue
        how = "cached" if built.cached else f"built in {time.monotonic() - start:.0f} s"
        print(f"{patch}: {how}", flush=True)
    return failed


def main(argv: list[str] | None = None) -> int:
    """python -m graders.kernel.build PATCH...: fill the kernel cache ahead of grading."""
    import argparse
    import signal
    import sys

    parser = argparse.ArgumentParser(prog="python -m graders.kernel.build",
                                     description=main.__doc__.split(": ", 1)[1])
    parser.add_argument("patches", nargs="+", type=Path, metavar="PATCH")
    args = parser.parse_args(argv)
    # SIGTERM ends the build in progress cleanly: its sandbox kills make, nothing is cached
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    missing = [str(p) for p in args.patches if not p.is_file()]
    if missing:
        parser.error(f"no such patch: {', '.join(missing)}")
    return 1 if prebuild(args.patches) else 0


if __name__ == "__main__":
    raise SystemExit(main())
