"""sys_pfstat grader against real kernels in real QEMU (TCG emulation).

Kernels: Debian's stock kernel (no such call), and linux-source-6.1 built with the reference
patch and with deliberately broken variants. The first test to need a built kernel pays for
the one full build (~3-4 min on two cores with a cold cache, unpack included); every other
variant shares its object tree and costs 15-20 s. All of them live in this one file so that
pytest-xdist's --dist loadfile gives them to a single worker, which builds each kernel once.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graders.kernel import build, initramfs, qemu
from graders.model import Outcome
from graders.pfstat import project

# A cold build of the reference kernel (unpack, configure, compile ~1,000 files on two
# cores, while the other xdist worker runs its tests) is longer than the suite's 300 s.
pytestmark = pytest.mark.timeout(900)

PFSTAT = Path(__file__).resolve().parents[2] / "graders" / "pfstat"
COW_CHECKS = {c.name for c in project.CHECKS if "cow" in c.tags} - {"no_false_cow"}


def minigrade(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graders", *argv], capture_output=True,
                          text=True, timeout=900)


def stock_kernel() -> Path:
    kernels = sorted(Path("/boot").glob("vmlinuz-*"))
    assert kernels, "linux-image-amd64 is not installed (scripts/system-deps.sh installs it)"
    return kernels[-1]


def built(patch: str) -> Path:
    return build.build_kernel((PFSTAT / patch).read_bytes()).bzimage


def grade_json(tmp_path: Path, *argv: str) -> tuple[subprocess.CompletedProcess, dict]:
    results = tmp_path / "results.json"
    proc = minigrade("pfstat", *argv, "--results", str(results), "--seed", "4242")
    return proc, json.loads(results.read_text())


def by_check(data: dict) -> dict[str, dict]:
    return {t["name"].split(":")[0]: t for t in data["tests"]}


def test_stock_debian_kernel_is_not_implemented(tmp_path):
    # A distribution kernel boots in ~5 s under TCG, but a loaded CI machine may be slower.
    proc, data = grade_json(tmp_path, "--kernel", str(stock_kernel()), "--boot-timeout", "180")
    assert proc.returncode == 1, proc.stderr
    assert data["score"] == 0
    first = data["tests"][0]["output"]
    assert "sys_pfstat is not implemented: system call 400 returned ENOSYS" in first
    assert "syscall_64.tbl" in first


def test_a_boot_that_never_reaches_init_times_out_with_the_console_tail(tmp_path):
    start = time.monotonic()
    proc, data = grade_json(tmp_path, "--kernel", str(stock_kernel()), "--boot-timeout", "0.5")
    assert time.monotonic() - start < 30
    assert proc.returncode == 1
    assert {t["status"] for t in data["tests"]} == {"failed"}
    assert "never started /init (waited for the kernel to start /init)" in \
        data["tests"][0]["output"]


def test_reference_patch_scores_full_marks(tmp_path):
    transcripts = tmp_path / "transcripts"
    proc, data = grade_json(tmp_path, "--patch", str(PFSTAT / "reference.patch"),
                            "--transcripts", str(transcripts))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert data["score"] == 100
    assert len(data["tests"]) == len(project.CHECKS)
    console = (transcripts / "console.log").read_text()
    assert "PFSTAT begin nr=400 seed=4242" in console
    assert "PFSTAT end failures=0" in console
    # The numbers are the kernel's own: minor faults agree with /proc/self/stat.
    assert "pfstat minor +" in console and "/proc/self/stat minflt +" in console
    # Each check's own time, from its "check NAME" line to its result.
    times = [t["extra_data"]["duration"] for t in data["tests"]]
    assert 0 < sum(times) < 30


def test_the_same_kernel_graded_as_a_bzimage_in_a_folder(tmp_path):
    """What a TA's batch sees: a folder per student holding a bzImage."""
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "bzImage").write_bytes(built("reference.patch").read_bytes())
    start = time.monotonic()
    proc, data = grade_json(tmp_path, str(folder))
    assert proc.returncode == 0, proc.stdout
    assert data["score"] == 100
    assert time.monotonic() - start < 30  # ~2 s under TCG on an idle machine


def test_a_kernel_that_never_counts_cow_loses_exactly_the_cow_checks(tmp_path):
    proc, data = grade_json(tmp_path, "--patch", str(PFSTAT / "fixtures/no-cow.patch"))
    assert proc.returncode == 1
    checks = by_check(data)
    failed = {name for name, t in checks.items() if t["status"] == "failed"}
    assert failed == COW_CHECKS == {"cow_zero", "cow_fork", "cow_file"}
    assert "cow +0 (expected" in checks["cow_fork"]["output"]
    assert "wp_page_copy()" in checks["cow_fork"]["output"]
    assert data["score"] == 100 - sum(c.points for c in project.CHECKS if c.name in COW_CHECKS)


def test_a_kernel_that_oopses_at_the_first_call_is_a_kernel_panic(tmp_path):
    """The fixture forgets that pid 0 means the caller and dereferences NULL; with
    oops=panic the machine stops at once and QEMU exits: no timeout, the oops quoted."""
    built("fixtures/oops-pid0.patch")
    start = time.monotonic()
    proc, data = grade_json(tmp_path, "--patch", str(PFSTAT / "fixtures/oops-pid0.patch"))
    graded = time.monotonic() - start
    assert proc.returncode == 1
    checks = by_check(data)
    first = checks["syscall"]["output"]
    assert "kernel panic during this check: BUG: kernel NULL pointer dereference" in first
    assert "RIP: 0010:__x64_sys_pfstat+0x" in first
    assert "Kernel panic - not syncing: Fatal exception" in first
    assert all("not run, crashed: the kernel panicked during check `syscall`" in t["output"]
               for name, t in checks.items() if name != "syscall")
    assert data["score"] == 0
    assert graded < 60  # ~2 s: the panic ends QEMU at once


def test_a_panic_at_boot_is_reported_with_its_log_lines(tmp_path):
    """An initramfs without /init: the kernel finds nothing to run and panics."""
    archive = initramfs.Cpio()
    archive.directory("dev")
    archive.chardev("dev/console", 5, 1)
    empty = tmp_path / "empty.cpio"
    empty.write_bytes(archive.finish())
    start = time.monotonic()
    run = qemu.boot(built("reference.patch"), empty, prefix=project.PREFIX,
                    limits=qemu.Limits(boot=60))
    assert time.monotonic() - start < 30
    assert run.panic and not run.reached_init and run.timed_out is None
    results = project.results_from_run(run, nr=400, where="the kernel")
    assert {r.outcome for r in results} == {Outcome.CRASHED}
    assert results[0].reason.startswith("kernel panic before /init started: Kernel panic")
    assert "Kernel panic - not syncing" in results[0].feedback


def test_a_patch_that_does_not_compile_keeps_its_log(tmp_path):
    broken = (PFSTAT / "reference.patch").read_text().replace(
        "+\tif (pid < 0)\n", "+\tif (pid < 0\n", 1)
    patch = tmp_path / "broken.patch"
    patch.write_text(broken)
    proc, data = grade_json(tmp_path, "--patch", str(patch))
    assert proc.returncode == 1
    first = data["tests"][0]["output"]
    assert "the kernel does not compile" in first
    assert "kernel/pfstat.c" in first and "error:" in first
    log = Path(first.split("(build log: ")[1].split(")")[0])
    assert "kernel/pfstat.c" in log.read_text()
    # Nothing in the image cache that the same patch, graded again, would take for a result.
    key = build.kernel_key(patch.read_bytes())
    assert log == build.cache_dir() / "kernels" / "failed" / f"{key}.log"
    assert not (build.cache_dir() / "kernels" / "images" / key).exists()


def test_a_kernel_that_hangs_in_a_check_times_out_there(tmp_path):
    """The fixture walks the task list by hand and never stops for a pid that names no
    process: the machine hangs at `esrch`; every earlier check still gets its verdict. The
    hang is caught by the check's own limit (10 s), not the whole run's (60 s)."""
    built("fixtures/hang-esrch.patch")
    start = time.monotonic()
    proc, data = grade_json(tmp_path, "--patch", str(PFSTAT / "fixtures/hang-esrch.patch"))
    assert proc.returncode == 1
    checks = by_check(data)
    names = [c.name for c in project.CHECKS]
    hung = names.index("esrch")
    assert all(checks[n]["status"] == "passed" for n in names[:hung])
    reason = checks["esrch"]["output"]
    assert "the machine hung during this check: no result after 1" in reason
    assert "a lock is taken twice" in reason and "seed 4242" in reason
    assert checks["esrch"]["extra_data"]["duration"] >= project.CHECK_LIMIT
    assert all("not run, timed out: the machine hung during check `esrch`" in checks[n]["output"]
               for n in names[hung + 1:])
    assert time.monotonic() - start < 45  # a boot, the checks, one 10 s limit


def test_a_patch_builds_as_an_unprivileged_user_that_cannot_touch_the_sources(tmp_path):
    """Build steps are the patch's code: its Makefile runs. As root, the grader builds as
    an unprivileged uid of the tree's own, which owns the object tree only. (A token makes
    the patch new on each run: a cached kernel would prove nothing.)"""
    token = f"{os.getpid()}-{time.time_ns()}"
    hostile = (PFSTAT / "reference.patch").read_text().replace(
        "@@ -7,7 +7,7 @@\n \t    cpu.o exit.o softirq.o resource.o \\\n",
        "@@ -7,10 +7,11 @@\n \t    cpu.o exit.o softirq.o resource.o \\\n", 1).replace(
        " \t    async.o range.o smpboot.o ucount.o regset.o\n",
        " \t    async.o range.o smpboot.o ucount.o regset.o\n"
        f"+$(shell id -u > $(objtree)/uid-{token}; touch $(srctree)/kernel/{token} 2>/dev/null)\n"
        " \n obj-$(CONFIG_USERMODE_DRIVER) += usermode_driver.o\n"
        " obj-$(CONFIG_MODULES) += kmod.o\n", 1)
    built_kernel = build.build_kernel(hostile.encode())
    assert not built_kernel.cached
    tree = built_kernel.tree
    uid_file = tree / "build" / f"uid-{token}"
    uid = uid_file.read_text().strip()
    uid_file.unlink()
    if os.geteuid() == 0:
        assert uid == str(build.builder_uid(tree))
        assert not (tree / "linux" / "kernel" / token).exists()
        assert f"uid {build.builder_uid(tree)}, rlimits" in built_kernel.isolation
    else:
        assert uid == str(os.geteuid())
        assert "user namespace" in built_kernel.isolation
    run = qemu.boot(built_kernel.bzimage, project.pfstat_initramfs(
        tmp_path / "initrd.gz", project.compile_tester(), nr=400, seed=1), prefix=project.PREFIX)
    assert run.finished and run.checks["cow_fork"][0] == "PASS"


def test_a_ta_grades_a_folder_of_kernels_with_one_command(tmp_path):
    """`minigrade batch pfstat DIR`: a bzImage in a folder, a bare bzImage file, Debian's
    kernel, and a patch, two at a time; one gradebook row each."""
    subs = tmp_path / "submissions"
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "bzImage").write_bytes(built("reference.patch").read_bytes())
    (subs / "bob.bzImage").write_bytes(built("fixtures/no-cow.patch").read_bytes())
    (subs / "carol").mkdir()
    (subs / "carol" / "bzImage").write_bytes(stock_kernel().read_bytes())
    (subs / "dave").mkdir()
    (subs / "dave" / "pfstat.patch").write_bytes((PFSTAT / "fixtures/oops-pid0.patch").read_bytes())
    out = tmp_path / "out"
    proc = minigrade("batch", "pfstat", str(subs), "-o", str(out), "-j", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(out / "gradebook.csv") as f:
        rows = {row["submission"]: row for row in csv.DictReader(f)}
    cow_points = sum(c.points for c in project.CHECKS if c.name in COW_CHECKS)
    assert {name: float(row["score"]) for name, row in rows.items()} == {
        "alice": 100, "bob.bzImage": 100 - cow_points, "carol": 0, "dave": 0}
    dave = json.loads((out / "dave" / "results.json").read_text())
    assert "kernel panic during this check" in dave["tests"][0]["output"]
    assert (out / "alice" / "transcripts" / "console.log").exists()


def test_a_build_that_runs_out_of_time_is_a_timeout_and_leaves_no_image():
    """(A new patch each run, and half a second: make is stopped in its first step.)"""
    built("reference.patch")  # the tree exists: only the patch's own build is timed
    patch = (PFSTAT / "reference.patch").read_text().replace(
        "+#include <linux/errno.h>\n", f"+/* {time.time_ns()} */\n+#include <linux/errno.h>\n"
    ).replace("@@ -0,0 +1,42 @@", "@@ -0,0 +1,43 @@").encode()
    with pytest.raises(build.BuildError, match="took more than 0 s") as err:
        build.build_kernel(patch, timeout=0.5)
    assert err.value.timed_out
    key = build.kernel_key(patch)
    assert not (build.cache_dir() / "kernels" / "images" / key).exists()
    assert err.value.log == build.cache_dir() / "kernels" / "failed" / f"{key}.log"
