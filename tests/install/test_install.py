"""Installed anywhere, by anyone, the graders grade: from a venv under /tmp (root's Python
under /root behind it) and from an ordinary user's venv in their home, `minigrade shell`
gives dash full marks, `minilesson check` passes a reference solution, and a pfstat kernel
builds. Before the one sandbox, each of these scored 0 and blamed the student."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from graders.kernel import build

CHECKOUT = Path(__file__).parents[2]
PFSTAT = CHECKOUT / "graders" / "pfstat"


@pytest.fixture(params=["tmp_install", "user_install"], ids=["tmp-venv", "user-home-venv"])
def install(request):
    return request.getfixturevalue(request.param)


def _give(install, path: Path) -> Path:
    """Make a path the installing user's (they must read what they grade)."""
    if not path.exists():
        path.mkdir()
    if install.user:
        shutil.chown(path, install.user, install.user)
    return path


def test_dash_gets_full_marks(install):
    results = install.home / f"dash-{time.time_ns()}.json"
    start = time.monotonic()
    r = install.run(install.bin("minigrade"), "shell", "/bin/dash", "--shell-args=-i",
                    "--hidden", "--results", results)
    elapsed = time.monotonic() - start
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    data = json.loads(results.read_text())
    assert data["score"] == sum(t["max_score"] for t in data["tests"]) > 50
    mechanism = next(t for t in data["tests"] if t["name"] == "mechanism")
    assert mechanism["extra_data"]["outcome"] == "passed"  # traced in the sandbox, not skipped
    assert "bubblewrap" in data["output"]
    print(f"dash graded {data['score']}/{data['score']} in {elapsed:.1f} s "
          f"as {install.user or 'the test user'}")


@pytest.mark.parametrize("lesson,solution", [
    ("1", "tests/lessons/solutions/01-fork/fan.py"),  # run by the sandbox user's Python
    ("4", "lessons/04-pipes/exercises/1/solution/mypipe.c")])
def test_a_reference_solution_passes_its_lesson_check(install, lesson, solution):
    src = CHECKOUT / solution
    # In a folder of its own: the checks know the program by its file name.
    folder = _give(install, install.home / f"lesson-{time.time_ns()}")
    copy = _give(install, Path(shutil.copy(src, folder)))
    r = install.run(install.bin("minilesson"), "check", lesson, copy)
    shutil.rmtree(folder)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "(100%)" in r.stdout and "bubblewrap" in r.stdout


def test_without_isolation_an_ordinary_user_is_refused_unless_no_sandbox(user_install):
    """No bubblewrap (as in most containers) and not root: a process of the grader's own
    uid could kill the grader, so untrusted code is refused — the grader's error, exit 2,
    every test marked error, one line saying what to install. --no-sandbox grades anyway
    and says so."""
    inst = user_install
    results = inst.home / f"refused-{time.time_ns()}.json"
    r = inst.run(inst.bin("minigrade"), "shell", "/bin/dash", "--shell-args=-i",
                 "--results", results, MINIGRADE_NO_BWRAP="1")
    assert r.returncode == 2, r.stdout[-3000:] + r.stderr
    line = r.stderr.strip().splitlines()[-1]
    assert line.startswith("minigrade: ")  # one line, the tool's own error
    assert "refusing to run untrusted code without isolation" in line
    assert "apt-get install bubblewrap" in line and "--no-sandbox" in line
    data = json.loads(results.read_text())
    assert data["score"] == 0 and data["tests"]
    assert {t["extra_data"]["outcome"] for t in data["tests"]} == {"error"}
    r = inst.run(inst.bin("minigrade"), "shell", "/bin/dash", "--shell-args=-i",
                 "--no-sandbox", "-k", "pipe", "--results", results, MINIGRADE_NO_BWRAP="1")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    assert "UNSANDBOXED" in json.loads(results.read_text())["output"]


def test_a_venv_closed_to_the_sandbox_user_is_named_as_the_cause(tmp_install):
    """As root, a venv of mode 700 (a root umask of 077): the shell is still graded (the
    launcher starts as root), but minitrace cannot run as the sandbox user, and the
    report says exactly that instead of blaming the shell."""
    if os.geteuid() != 0:
        return  # an ordinary user's sandbox runs as that user: its own files are readable
    results = tmp_install.home / "closed.json"
    mode = tmp_install.venv.stat().st_mode
    tmp_install.venv.chmod(0o700)
    try:
        tmp_install.run(tmp_install.bin("minigrade"), "shell", "/bin/dash",
                        "--shell-args=-i", "-k", "mechanism", "-k", "pipe",
                        "--results", results)
    finally:
        tmp_install.venv.chmod(mode)
    tests = {t["name"]: t for t in json.loads(results.read_text())["tests"]}
    assert tests["pipe"]["status"] == "passed"
    mechanism = tests["mechanism"]["output"]
    assert "minitrace cannot trace in this sandbox" in mechanism
    assert "Permission denied" in mechanism


@pytest.mark.timeout(1800)  # waits its turn for the shared object tree, then a link
def test_a_pfstat_kernel_builds_from_a_tmp_install(tmp_install):
    """A new patch (a token in a comment), so the build really runs: in the shared object
    tree of the cache, only what changed is rebuilt."""
    token = f"{os.getpid()}-{time.time_ns()}"
    # As many context lines after the new line as before: patch wants them balanced.
    patch = (PFSTAT / "reference.patch").read_text().replace(
        "@@ -7,7 +7,7 @@\n \t    cpu.o exit.o softirq.o resource.o \\\n",
        "@@ -7,10 +7,11 @@\n \t    cpu.o exit.o softirq.o resource.o \\\n", 1).replace(
        " \t    async.o range.o smpboot.o ucount.o regset.o\n",
        " \t    async.o range.o smpboot.o ucount.o regset.o\n"
        f"+# install test {token}\n"
        " \n obj-$(CONFIG_USERMODE_DRIVER) += usermode_driver.o\n"
        " obj-$(CONFIG_MODULES) += kmod.o\n", 1)
    assert token in patch and "+7,11" in patch
    patch_file = tmp_install.home / f"{token}.patch"
    patch_file.write_text(patch)
    script = ("import sys; from pathlib import Path; from graders.kernel import build; "
              "b = build.build_kernel(Path(sys.argv[1]).read_bytes()); "
              "print(b.cached, b.bzimage.stat().st_size, b.isolation)")
    # The suite's own kernel cache (the kernel tests' too): its object tree is built once.
    r = tmp_install.run(tmp_install.bin("python"), "-c", script, patch_file, timeout=1500,
                        MINISHELL_CACHE=str(build.cache_dir()))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    cached, size, isolation = r.stdout.split(" ", 2)
    assert cached == "False" and int(size) > 500_000
    assert "bubblewrap" in isolation
