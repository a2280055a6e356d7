"""sys_pfstat grader, the parts that need no virtual machine: the tester on this machine's
kernel (which has no such system call), the initramfs archive, the patch bookkeeping of the
shared kernel tree, and reading a console transcript."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graders.kernel import build, qemu
from graders.pfstat import project

HERE = Path(__file__).resolve()
PFSTAT = HERE.parents[2] / "graders" / "pfstat"


def minigrade(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graders", *argv], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


@pytest.fixture(scope="module")
def tester(tmp_path_factory) -> Path:
    return project.compile_tester(tmp_path_factory.mktemp("cache"))


def test_tester_reports_notimpl_on_a_kernel_without_the_call(tester):
    out = subprocess.run([str(tester), "--seed", "7"], capture_output=True, text=True,
                         timeout=30).stdout
    lines = out.splitlines()
    assert lines[0].startswith("PFSTAT begin nr=400 seed=7 ")
    assert any(line.startswith("PFSTAT syscall NOTIMPL syscall 400 returned ENOSYS")
               for line in lines)
    assert lines[-1] == "PFSTAT end failures=0"


def test_tester_fails_every_check_against_the_wrong_call(tester):
    """getpid (39) is a system call that exists but is not pfstat: nothing may pass by
    accident, and every check still prints its line."""
    out = subprocess.run([str(tester), "--nr", "39"], capture_output=True, text=True,
                         timeout=60).stdout
    run = qemu.Boot(log=out, reached_init=True, finished=True)
    qemu.parse_tester(run, project.PREFIX)
    assert set(run.checks) == {c.name for c in project.CHECKS}
    passed = {name for name, (status, _) in run.checks.items() if status == "PASS"}
    # getpid ignores its arguments: only "no copies counted" can hold for it.
    assert passed <= {"no_false_cow"}


def test_local_mode_on_this_kernel_is_not_implemented(tmp_path):
    results = tmp_path / "r.json"
    proc = minigrade("pfstat", "--local", "--results", str(results))
    assert proc.returncode == 1, proc.stderr
    data = json.loads(results.read_text())
    assert data["score"] == 0
    assert len(data["tests"]) == len(project.CHECKS)
    first = data["tests"][0]["output"]
    assert "sys_pfstat is not implemented: system call 400 returned ENOSYS" in first
    assert all("not implemented" in t["output"] for t in data["tests"][1:])
    assert "ENOSYS" in proc.stdout


def test_initramfs_is_a_cpio_archive_with_console_init_and_tester(tmp_path, tester):
    image = project.pfstat_initramfs(tmp_path / "initrd.gz", tester, nr=401, seed=99)
    listing = subprocess.run(f"gzip -dc {image} | cpio -itv", shell=True, capture_output=True,
                             text=True, check=True).stdout
    by_name = {line.split()[-1]: line for line in listing.splitlines() if " -> " not in line}
    assert by_name["dev/console"].startswith("crw-------")
    assert by_name["init"].startswith("-rwxr-xr-x")
    assert by_name["pfstat-tester"].startswith("-rwxr-xr-x")
    assert "bin/sh -> busybox" in listing
    init = subprocess.run(f"gzip -dc {image} | cpio -i --to-stdout init", shell=True,
                          capture_output=True, text=True, check=True).stdout
    assert "/pfstat-tester --nr 401 --seed 99" in init


def test_submission_kinds(tmp_path):
    patch = PFSTAT / "reference.patch"
    assert project.find_submission(patch) == ("patch", patch)
    kernel = next(Path("/boot").glob("vmlinuz-*"), None)
    if kernel is not None and os.access(kernel, os.R_OK):
        assert project.find_submission(kernel) == ("kernel", kernel)
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "mine.patch").write_bytes(patch.read_bytes())
    assert project.find_submission(folder) == ("patch", folder / "mine.patch")
    (tmp_path / "notes.txt").write_text("hello\n")
    with pytest.raises(ValueError, match="neither a bzImage nor a patch"):
        project.find_submission(tmp_path / "notes.txt")


def test_patched_files_follow_the_p1_convention():
    files = build.patched_files((PFSTAT / "reference.patch").read_bytes())
    assert files == ["arch/x86/entry/syscalls/syscall_64.tbl", "include/linux/sched.h",
                     "include/linux/syscalls.h", "include/uapi/linux/pfstat.h",
                     "kernel/Makefile", "kernel/fork.c", "kernel/pfstat.c", "mm/memory.c"]
    with pytest.raises(build.BuildError, match="outside the tree"):
        build.patched_files(b"--- a/../etc/passwd\n+++ b/../etc/passwd\n@@ -1 +1 @@\n-x\n+y\n")


def _diff(tmp: Path, rel: str, old: str | None, new: str | None) -> bytes:
    """A unified diff made by diff(1), as a student would."""
    a, b = tmp / "a", tmp / "b"
    for root, text in ((a, old), (b, new)):
        if text is not None:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
    proc = subprocess.run(["diff", "-Naur", "a", "b"], cwd=tmp, capture_output=True)
    return proc.stdout


def test_switching_patches_rewrites_only_files_whose_contents_change(tmp_path):
    """What makes the buggy variant a 15-second rebuild: a header both patches change the
    same way keeps its mtime, so make does not recompile everything that includes it."""
    src = tmp_path / "tree" / "linux"
    (src / "include").mkdir(parents=True)
    (src / "mm").mkdir()
    (src / "include/sched.h").write_text("struct task { long min_flt; };\n")
    (src / "mm/memory.c").write_text("void copy(void) {}\n")
    tree = build.Tree(tmp_path / "tree", Path("/nonexistent"), Path("/nonexistent"))
    tree.pristine.mkdir()
    header = "struct task { long min_flt; long cow; };\n"

    def patch(name, memory, extra=None):
        d = tmp_path / name
        d.mkdir()
        parts = [_diff(d / "h", "include/sched.h", "struct task { long min_flt; };\n", header),
                 _diff(d / "m", "mm/memory.c", "void copy(void) {}\n", memory)]
        if extra:
            parts.append(_diff(d / "x", "kernel/pfstat.c", None, extra))
        return b"".join(parts)

    reference = patch("ref", "void copy(void) { cow++; }\n", "long sys_pfstat;\n")
    buggy = patch("bug", "void copy(void) { }\n")
    assert sorted(tree.switch_to(reference, open(os.devnull, "wb"))) == [
        "include/sched.h", "kernel/pfstat.c", "mm/memory.c"]
    header_mtime = (src / "include/sched.h").stat().st_mtime_ns
    # The buggy variant: the same header, another memory.c, no pfstat.c.
    assert sorted(tree.switch_to(buggy, open(os.devnull, "wb"))) == [
        "kernel/pfstat.c", "mm/memory.c"]
    assert (src / "include/sched.h").stat().st_mtime_ns == header_mtime
    assert (src / "mm/memory.c").read_text() == "void copy(void) { }\n"
    assert not (src / "kernel/pfstat.c").exists()
    # Back to the untouched source: the empty patch restores every original.
    tree.switch_to(b"", open(os.devnull, "wb"))
    assert (src / "include/sched.h").read_text() == "struct task { long min_flt; };\n"
    assert (src / "mm/memory.c").read_text() == "void copy(void) {}\n"


def test_a_new_tree_leaves_unused_sources_packed_and_unpacks_one_a_patch_touches(tmp_path):
    """The tree skips what the course kernel never compiles (a fifth of a cold build is
    unpacking), keeps every Kconfig and Makefile, and a patch that edits a skipped file
    still applies: the file is unpacked then, as it is in the tarball."""
    top = tmp_path / "pack" / "linux-source-6.1"
    files = {"Makefile": "all:\n", "arch/x86/kernel/setup.c": "int x86;\n",
             "arch/arm/Kconfig": "config ARM\n", "arch/arm/kernel/setup.c": "int arm;\n",
             "arch/arm/boot/dts/board.dts": "/ {};\n", "Documentation/Kconfig": "menu\n",
             "Documentation/process/howto.rst": "How\n", "drivers/gpu/Makefile": "obj-y +=\n",
             "drivers/gpu/drm/drm_file.c": "int drm;\n", "drivers/net/loopback.c": "int lo;\n",
             "sound/core/Kconfig": "menu\n", "sound/core/init.c": "int snd;\n"}
    for rel, text in files.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(text)
    tarball = tmp_path / "linux-source-6.1.tar.xz"
    subprocess.run(["tar", "-cJf", tarball, "-C", top.parent, top.name], check=True)
    tree = build.Tree(tmp_path / "tree", tarball, Path("/nonexistent"))
    tree.root.mkdir()
    tree.unpack(open(os.devnull, "wb"))
    for rel in files:  # what tar left out is exactly what skipped_source() names
        assert (tree.src / rel).exists() != build.skipped_source(rel), rel
    assert build.skipped_source("drivers/gpu/drm/drm_file.c")
    assert not build.skipped_source("drivers/gpu/Makefile")
    assert not build.skipped_source("arch/arm/Kconfig")
    tree.pristine.mkdir()
    d = tmp_path / "p"
    d.mkdir()
    patch = _diff(d / "g", "drivers/gpu/drm/drm_file.c", "int drm;\n", "int drm = 1;\n")
    log = tmp_path / "log"
    with open(log, "wb") as f:
        assert tree.switch_to(patch, f) == ["drivers/gpu/drm/drm_file.c"]
    assert (tree.src / "drivers/gpu/drm/drm_file.c").read_text() == "int drm = 1;\n"
    assert "unpacked drivers/gpu/drm/drm_file.c" in log.read_text()
    tree.switch_to(b"", open(os.devnull, "wb"))  # and back: the original from the tarball
    assert (tree.src / "drivers/gpu/drm/drm_file.c").read_text() == "int drm;\n"


def test_a_patch_that_does_not_apply_is_the_students_error(tmp_path):
    src = tmp_path / "tree" / "linux"
    src.mkdir(parents=True)
    (src / "f.c").write_text("int x;\n")
    tree = build.Tree(tmp_path / "tree", Path("/nonexistent"), Path("/nonexistent"))
    tree.pristine.mkdir()
    wrong = _diff(tmp_path, "f.c", "int y;\n", "int z;\n")
    with pytest.raises(build.BuildError, match="does not apply") as err:
        tree.switch_to(wrong, open(os.devnull, "wb"))
    assert "FAILED" in err.value.excerpt
    assert (src / "f.c").read_text() == "int x;\n"


OOPS_LOG = """\
PFSTAT-INIT up
PFSTAT begin nr=400 seed=5 page=4096 dir=/
PFSTAT check syscall
BUG: kernel NULL pointer dereference, address: 00000000000003a8
#PF: supervisor read access in kernel mode
#PF: error_code(0x0000) - not-present page
PGD 0 P4D 0
Oops: 0000 [#1]
CPU: 0 PID: 23 Comm: pfstat-tester Not tainted 6.1.192 #2
RIP: 0010:__do_sys_pfstat+0x1d/0x60
RSP: 0018:ffffc9000008bf28 EFLAGS: 00000246
Call Trace:
 <TASK>
 do_syscall_64+0x34/0x80
 entry_SYSCALL_64_after_hwframe+0x46/0xb0
Kernel panic - not syncing: Fatal exception
"""


def test_a_panic_fails_the_running_check_and_quotes_the_oops():
    run = qemu.Boot(log=OOPS_LOG, reached_init=True, panic=True)
    qemu.parse_tester(run, project.PREFIX)
    assert run.running == "syscall"
    results = project.results_from_run(run, nr=400, where="the kernel")
    first = results[0]
    assert first.outcome == "crashed"
    assert first.reason == ("kernel panic during this check: BUG: kernel NULL pointer "
                            "dereference, address: 00000000000003a8")
    assert "RIP: 0010:__do_sys_pfstat+0x1d/0x60" in first.feedback
    assert "do_syscall_64+0x34/0x80" in first.feedback
    assert "RSP:" not in first.feedback
    assert all(r.reason == "not run, crashed: the kernel panicked during check `syscall`"
               for r in results[1:])
    assert sum(r.points for r in results) == 0


def test_dash_k_reports_only_the_checks_asked_for(tmp_path):
    results = tmp_path / "r.json"
    proc = minigrade("pfstat", "--local", "-k", "cow", "-k", "einval", "--results", str(results))
    assert proc.returncode == 1, proc.stderr
    names = [t["name"].split(":")[0] for t in json.loads(results.read_text())["tests"]]
    assert names == ["no_false_cow", "cow_zero", "cow_fork", "cow_file", "einval"]


def test_trees_are_chosen_by_the_patch_edits_to_shared_headers():
    """Patches that edit sched.h alike share a tree; one that edits no shared header (a
    driver patch) has its own: grading them in turn never rebuilds the kernel back and
    forth. Beyond MAX_TREES states the least recently used tree is taken over."""
    pfstat = {p.name: build.header_state(p.read_bytes())
              for p in [PFSTAT / "reference.patch", *(PFSTAT / "fixtures").glob("*.patch")]}
    assert len(set(pfstat.values())) == 1 and "base" not in pfstat.values()
    fastnet = PFSTAT.parent / "fastnet" / "reference.patch"
    assert build.header_state(fastnet.read_bytes()) == "base"  # new headers only
    reference = (PFSTAT / "reference.patch").read_bytes()
    relabelled = reference.replace(b"--- a/", b"--- linux.orig/").replace(b"+++ b/", b"+++ mine/")
    assert build.header_state(relabelled) == pfstat["reference.patch"]
    other_field = reference.replace(b"+\tunsigned long\t\t\tcow_flt;", b"+\tlong cows;")
    assert build.header_state(other_field) != pfstat["reference.patch"]


def test_pick_tree_keeps_one_tree_per_header_state_and_reuses_the_oldest(tmp_path):
    first = build.pick_tree(tmp_path, "cfg", "aaa")
    first.mkdir()
    second = build.pick_tree(tmp_path, "cfg", "base")
    second.mkdir()
    assert first != second
    assert build.pick_tree(tmp_path, "cfg", "aaa") == first
    assert build.pick_tree(tmp_path, "cfg", "base") == second
    for state in ("s3", "s4", "s5")[: build.MAX_TREES - 2]:
        build.pick_tree(tmp_path, "cfg", state).mkdir()
    time.sleep(0.01)
    build.pick_tree(tmp_path, "cfg", "base")  # now first ("aaa") is the least recent
    assert build.pick_tree(tmp_path, "cfg", "new") == first
    assert (tmp_path / f"{first.name}.state").read_text() == "new"


def test_trees_of_another_configuration_unused_for_a_week_make_room(tmp_path):
    """An upgraded toolkit (another kernel.config) never uses the old trees: they are
    deleted when a new tree is made -- unless recently used or being built in."""
    week = build.STALE_AFTER
    old, recent, busy = (tmp_path / f"tree-{name}-base" for name in ("old", "recent", "busy"))
    for tree in (old, recent, busy):
        (tree / "build").mkdir(parents=True)
        tree.with_suffix(".state").write_text("base")
    for tree in (old, busy):
        os.utime(tree.with_suffix(".state"), (time.time() - week - 60,) * 2)
    with open(busy.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a build of that version running now
        mine = build.pick_tree(tmp_path, "cfg", "base")
    assert mine == tmp_path / "tree-cfg-base"
    assert not old.exists() and not old.with_suffix(".state").exists()
    assert recent.exists() and busy.exists()
    later = time.time() + 2 * week  # and this configuration's own trees are never stale
    mine.mkdir()
    assert set(build.remove_stale_trees(tmp_path, "cfg", now=later)) == {recent, busy}
    assert mine.exists()


def test_the_checks_add_up_to_100_and_match_the_statement():
    assert sum(c.points for c in project.CHECKS) == 100
    statement = (PFSTAT / "README.md").read_text()
    for check in project.CHECKS:
        assert f"| {check.name} | {check.points:g} |" in statement, check.name


def test_without_gcc_every_check_is_a_grader_error_naming_gcc(tmp_path):
    """The tester cannot be compiled (an empty cache: nothing compiled earlier)."""
    from test_fastnet import assert_grader_error, grade_without  # (a sibling test file)

    proc, data = grade_without(tmp_path, "pfstat", "gcc", cache=tmp_path / "cache")
    assert_grader_error(proc, data, "gcc is missing", len(project.CHECKS))


def test_trees_of_the_same_name_in_two_caches_get_builders_of_their_own(tmp_path):
    """What a build leaves running is killed by uid: a bench's fresh cache and the usual one
    hold trees of the same name, and must not kill each other's builds."""
    name = "tree-0123456789abcdef-base"
    one, other = tmp_path / "a" / "kernels" / name, tmp_path / "b" / "kernels" / name
    assert build.builder_uid(one) != build.builder_uid(other)
    assert build.builder_uid(one) == build.builder_uid(one)
    assert all(build.BUILDER_UID <= build.builder_uid(t) < build.BUILDER_UID + build.BUILDER_UIDS
               for t in (one, other))


def test_a_compiler_killed_by_the_oom_killer_is_not_the_patchs_fault():
    """gcc's own words when cc1 dies of SIGKILL (seen on a loaded grading machine), beside a
    real compile error, which is the patch's."""
    killed = ("  CC      arch/x86/kernel/cpu/common.o\n"
              "gcc: fatal error: Killed signal terminated program cc1\n"
              "compilation terminated.\n")
    assert build.compiler_killed(killed) == \
        "gcc: fatal error: Killed signal terminated program cc1"
    error = "kernel/pfstat.c:12:5: error: expected ';' before 'return'\n"
    assert build.compiler_killed(error) is None
