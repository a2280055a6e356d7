"""`minitrace -c` counts the same system calls as `strace -f -c` on deterministic workloads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import stracediff
from tracekit import MINITRACE, minitrace_summary, strace_summary

FORK_PIPE_EXEC = r"""
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    int fd[2];
    if (pipe(fd) < 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execlp("echo", "echo", "hello", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char buf[64];
    ssize_t n;
    while ((n = read(fd[0], buf, sizeof buf)) > 0)
        write(1, buf, n);
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}
"""

ENV = {**os.environ, "LC_ALL": "C", "PYTHONHASHSEED": "0"}


def assert_same_counts(ours, theirs, varying=frozenset()):
    """Every syscall strace counted, we counted as often, with as many errors."""
    names = (set(ours) | set(theirs)) - varying
    diff = {n: (ours.get(n), theirs.get(n)) for n in names if ours.get(n) != theirs.get(n)}
    assert not diff, f"(minitrace, strace) differ: {diff}"
    assert len(names) > 5


def test_ls_of_a_fixed_tree(tmp_path):
    tree = tmp_path / "tree"
    for d in ("a", "a/b", "c"):
        (tree / d).mkdir(parents=True)
        for i in range(3):
            (tree / d / f"f{i}.txt").write_text("x" * i)
    cmd = ["ls", "-laR", str(tree)]
    assert_same_counts(minitrace_summary(cmd, tmp_path, env=ENV),
                       strace_summary(cmd, tmp_path, env=ENV))


def test_c_program_fork_pipe_dup2_exec_wait(tmp_path, cc):
    exe = cc("forkpipe", FORK_PIPE_EXEC)
    ours = minitrace_summary([exe], tmp_path, env=ENV)
    theirs = strace_summary([exe], tmp_path, env=ENV)
    assert ours["clone"][0] == 1 and ours["wait4"][0] >= 1 and ours["dup2"][0] == 1
    assert_same_counts(ours, theirs)


def test_python_file_io(tmp_path):
    script = ("import os\n"
              "p = os.path.join(os.environ['WORK'], 'data.txt')\n"
              "with open(p, 'w') as f: f.write('hello\\n' * 100)\n"
              "with open(p) as f: assert len(f.read()) == 600\n"
              "os.rename(p, p + '.old'); os.unlink(p + '.old')\n")
    cmd = [sys.executable, "-I", "-S", "-c", script]
    env = {**ENV, "WORK": str(tmp_path)}
    ours = minitrace_summary(cmd, tmp_path, env=env)
    theirs = strace_summary(cmd, tmp_path, env=env)
    assert ours["rename"] == (1, 0) and ours["unlink"] == (1, 0)
    assert_same_counts(ours, theirs)


def fd_annotations(text: str) -> list[str]:
    """`read(3</etc/passwd>` for every call whose first argument is an fd with its path."""
    found = []
    for line in text.splitlines():
        m = re.match(r"(?:\[pid +\d+\] |\d+ +)?(\w+\(\d+<[^>]*>)", line)
        if m:  # inode numbers differ from run to run
            found.append(re.sub(r":\[\d+\]", ":[]", m.group(1)))
    return sorted(found)


def test_fd_paths_match_strace_y(tmp_path, cc):
    """The fd targets shown (remembered between calls) are those strace -y reads afresh,
    through fds reused for other files, dup2 and exec."""
    exe = cc("forkpipe", FORK_PIPE_EXEC)
    script = (f"exec 3</etc/hostname; cat <&3 >/dev/null; exec 3</etc/passwd; "
              f"head -1 <&3 >/dev/null; exec 3>&-; {exe}")
    cmd = ["sh", "-c", script]
    ours, theirs = tmp_path / "ours.txt", tmp_path / "theirs.txt"
    subprocess.run([*MINITRACE, "-o", str(ours), *cmd], check=True, env=ENV,
                   capture_output=True)
    subprocess.run(["strace", "-f", "-y", "-o", str(theirs), *cmd], check=True, env=ENV,
                   capture_output=True)
    mine = fd_annotations(ours.read_text())
    assert "read(0</etc/hostname>" in mine and "read(0</etc/passwd>" in mine
    assert mine == fd_annotations(theirs.read_text())


def make_tree(work: Path) -> None:
    """The files every program below works on, with fixed times (gzip and tar record them)."""
    (work / "sub").mkdir(parents=True, exist_ok=True)
    (work / "a.txt").write_text("alpha\nbeta\n")
    (work / "sub" / "b.txt").write_text("gamma\n")
    for path in (work / "a.txt", work / "sub" / "b.txt", work / "sub", work):
        os.utime(path, (1_000_000_000, 1_000_000_000))


REAL_PROGRAMS = {
    "tar": ["tar", "cf", "out.tar", "a.txt", "sub"],
    "sort": ["sort", "-r", "a.txt"],
    "sha256sum": ["sha256sum", "a.txt"],
    "cp": ["cp", "a.txt", "copy.txt"],
    "dash pipeline": ["dash", "-c", "cat a.txt | wc -l; ls sub >/dev/null"],
    "grep -r": ["grep", "-r", "alpha", "."],
    "python": [sys.executable, "-S", "-c", "import os; print(os.listdir('sub'))"],
    # each of these showed a decoding difference once (tests/trace/stracediff.py found it)
    "cp -a (xattrs, times, owners)": ["cp", "-a", "sub", "a.txt", "copy"],
    "tar x (utimensat, fchownat)": ["sh", "-c", "tar cf t.tar sub && mkdir o && tar xf t.tar -C o"],
    "gzip -k (fchown -1, F_GETFL)": ["sh", "-c", "gzip -k a.txt && cat a.txt | gzip -c >/dev/null"],
    "timeout (timer_create)": ["timeout", "5", "true"],
    "taskset (sched_setaffinity)": ["taskset", "-c", "0", "true"],
    "flock (LOCK_EX)": ["flock", "lockfile", "true"],
    "id (getgroups)": ["id"],
    "df (statfs)": ["df", "/"],
    "ls -ld (statx attributes)": ["ls", "-ld", "/", "/proc", "sub"],
    "ionice (ioprio_set)": ["ionice", "-c3", "true"],
    "setpriv (capget, prctl)": ["setpriv", "--no-new-privs", "true"],
    "mknod (S_IFIFO)": ["sh", "-c", "mkfifo ff && mknod nn p"],
    "unshare (CLONE_NEW*)": ["unshare", "-u", "true"],
}


@pytest.mark.parametrize("name", sorted(REAL_PROGRAMS))
def test_real_programs_print_as_strace_y(tmp_path, name, strace_and_gcc):
    """Line for line, the text of `minitrace --raw` is the text of `strace -f -y` for
    real programs (each in a fresh directory, so both runs see the same files)."""
    check_same_text(REAL_PROGRAMS[name], tmp_path)


TOURS = {
    # file locks, seals, xattrs, utimensat's times, timers, sched, msghdr with SCM_RIGHTS,
    # sendfile's offset, node masks, prctl, ioctls, socket options, and an open file
    # renamed then unlinked (its fd's path follows)
    "structs_tour.c": 120,
    # waitid and wait4's rusage, openat2, sigqueue/sigtimedwait, ppoll, epoll_pwait2,
    # splice/tee/vmsplice, fallocate, posix_spawn, pidfd calls, close_range
    "process_tour.c": 200,
}


@pytest.mark.parametrize("strsize", ["32", "0"])
@pytest.mark.parametrize("source", sorted(TOURS))
def test_c_tours_print_as_strace_y(tmp_path, source, strsize, strace_and_gcc):
    """C programs that make once each the less common calls whose arguments are structs,
    with strace's default -s 32 and with -s 0 (every string and array cut to "...")."""
    exe = tmp_path / source.removesuffix(".c")
    subprocess.run(["gcc", "-O1", "-w", "-o", str(exe),
                    str(Path(__file__).with_name("data") / source)], check=True)
    check_same_text([str(exe)], tmp_path, at_least=TOURS[source], options=("-s", strsize))


def check_same_text(cmd: list[str], tmp_path: Path, at_least: int = 30,
                    options: tuple[str, ...] = ()) -> None:
    theirs, ours = stracediff.both(cmd, setup=make_tree, env=ENV, tmp=tmp_path,
                                   options=options)
    assert sum(theirs.values()) > at_least
    diff = stracediff.differences(theirs, ours)
    assert not diff, "(strace, minitrace) differ:\n" + stracediff.report(diff)
