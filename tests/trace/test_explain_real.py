"""The plain-English lines of REAL traced calls, read as a class would read them.

One C program makes the calls whose wording was wrong or vague (signal sets, limits, sockets,
fcntl, argv cut by -s...); it runs once under minitrace --json, and each test finds its call in
the trace and checks the sentence, with values taken from the kernel or Python where they vary
(the limits, the umask, the fds).
"""

from __future__ import annotations

import os
import re
import resource
from pathlib import Path

import pytest
from tracekit import run_minitrace

from minishell.trace.events import load_jsonl
from minishell.trace.explain import explain

PROGRAM = r"""
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* rt_sigprocmask without the C library, which edits the sets it is given. */
static void mask(int how, uint64_t set, uint64_t *old) {
    syscall(SYS_rt_sigprocmask, how, &set, old, 8);
}

static void handler(int sig) { (void)sig; }

int main(int argc, char **argv) {
    const char *dir = argv[1];
    char path[4096];
    uint64_t old;
    mask(SIG_BLOCK, ~0ULL, NULL);
    mask(SIG_SETMASK, 0, NULL);
    mask(SIG_BLOCK, (1ULL << (SIGINT - 1)) | (1ULL << (SIGTERM - 1)), NULL);
    mask(SIG_BLOCK, 0, &old);
    mask(SIG_SETMASK, 1ULL << (SIGCHLD - 1), NULL);
    mask(SIG_SETMASK, 0, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGKILL, handler);

    int tcp = socket(AF_INET, SOCK_STREAM, 0);
    socket(AF_UNIX, SOCK_SEQPACKET, 0);
    socket(AF_NETLINK, SOCK_RAW, 0);
    int one = 1;
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(tcp, (struct sockaddr *)&a, sizeof a);
    listen(tcp, 5);
    socklen_t len = sizeof a;
    getsockname(tcp, (struct sockaddr *)&a, &len);
    getpeername(tcp, (struct sockaddr *)&a, &len);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    shutdown(sv[0], SHUT_WR);

    int p[2];
    pipe(p);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    struct epoll_event got;
    epoll_wait(ep, &got, 1, 0);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    fcntl(p[0], F_GETFL);
    fcntl(p[0], F_DUPFD_CLOEXEC, 20);
    dup2(p[1], p[1]);

    char buf[64];
    readlink("/", buf, sizeof buf);
    snprintf(path, sizeof path, "%s/data", dir);
    int f = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
    write(f, "hello\n", 6);
    flock(f, LOCK_EX | LOCK_NB);
    flock(open(path, O_RDONLY), LOCK_SH | LOCK_NB);   /* a second open file: it conflicts */
    lseek(f, 0, SEEK_END);
    lseek(f, -2, SEEK_CUR);
    access(path, R_OK | W_OK);
    futimens(f, NULL);
    fchown(f, -1, getgid());
    snprintf(path, sizeof path, "%s/sub", dir);
    mkdir(path, 0755);
    char other[4096];
    snprintf(other, sizeof other, "%s/data", dir);
    renameat2(AT_FDCWD, path, AT_FDCWD, other, RENAME_EXCHANGE);

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_STACK, &rl);
    umask(umask(022));

    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise(m, 8192, MADV_DONTNEED);
    uint32_t word = 1;
    syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    kill(0, 0);
    int in = inotify_init1(0), pt = posix_openpt(O_RDWR | O_NOCTTY);
    close(in);
    close(pt);
    ftruncate(memfd_create("a name longer than thirty-two bytes", 0), 4096);

    pid_t child = fork();
    if (child == 0) {
        setsid();                      /* a new session: no controlling terminal */
        open("/dev/tty", O_RDWR);
        char *args[] = {"true", "x y", "0123456789abcdefghijklmnopqrstuvwxyz", NULL};
        execv("/bin/true", args);
        _exit(127);
    }
    waitpid(child, NULL, 0);
    return 0;
}
"""


@pytest.fixture(scope="module")
def calls(cc, tmp_path_factory) -> list[dict]:
    """Every syscall event of one run of PROGRAM, in order."""
    exe = cc("explainme", PROGRAM)
    work = tmp_path_factory.mktemp("explain")
    trace = work / "trace.jsonl"
    r = run_minitrace("--json", "-o", str(trace), exe, str(work))
    assert r.returncode == 0, r.stderr
    with trace.open() as f:
        return [ev for ev in load_jsonl(f) if ev["type"] == "syscall"]


def said(calls: list[dict], name: str, **args: int) -> list[str]:
    """The sentences of the calls NAME whose arguments match (index=value)."""
    def matches(ev: dict) -> bool:
        return all(ev["args"][int(i[1:])] & 0xFFFFFFFF == v & 0xFFFFFFFF
                   for i, v in args.items())
    return [explain(ev) for ev in calls if ev["name"] == name and matches(ev)]


def test_signal_masks_are_english_lists(calls):
    lines = said(calls, "rt_sigprocmask")
    assert lines[:6] == [
        "block all signals (the kernel never blocks SIGKILL or SIGSTOP)",
        "unblock all signals",
        "block SIGINT and SIGTERM (delivery waits until unblocked)",
        "ask which signals are blocked (changing none): SIGINT and SIGTERM were blocked before",
        "block only SIGCHLD (unblocking any others)",
        "unblock all signals",
    ]


def test_signal_actions_say_what_the_signal_will_do(calls):
    lines = said(calls, "rt_sigaction")
    assert "ignore SIGPIPE from now on" in lines
    assert "give SIGCHLD its default action (ignore it)" in lines
    kill = [line for line in lines if "SIGKILL" in line]
    assert len(kill) == 1 and re.fullmatch(
        r"run the handler at 0x[0-9a-f]+ on SIGKILL, restarting calls it interrupts: "
        r"failed, SIGKILL cannot be caught or ignored", kill[0]), kill


def test_sockets_are_named_as_a_network_course_names_them(calls):
    assert said(calls, "socket") == [
        "create an IPv4 stream socket (TCP): it gets fd 3",
        "create a local (Unix) sequenced-packet socket: it gets fd 4",
        "create a raw netlink socket: it gets fd 5",
    ]
    assert said(calls, "setsockopt") == ["set the option SO_REUSEADDR of a socket (fd 3)"]
    assert said(calls, "bind") == [
        "give a socket (fd 3) the address 127.0.0.1, any free port"]
    assert said(calls, "listen") == [
        "listen for connections on a socket (fd 3), with room for 5 waiting to be accepted"]
    [local] = said(calls, "getsockname")
    assert re.fullmatch(r"ask for the local address of a socket \(fd 3\): "
                        r"127\.0\.0\.1 port [1-9]\d*", local), local
    assert said(calls, "getpeername") == [
        "ask for the address of the other end of a socket (fd 3): "
        "failed, the socket is not connected"]
    [pair] = [ev for ev in calls if ev["name"] == "socketpair"]
    first = pair["cap"]["3"][0]
    assert said(calls, "shutdown") == [
        f"stop sending on a socket (fd {first}) (the other end reads end of file)"]


def test_fd_table_calls(calls):
    [pipe] = [ev for ev in calls if ev["name"] in ("pipe", "pipe2")]
    r, w = pipe["cap"]["0"]
    [ep] = [ev["ret"] for ev in calls if ev["name"] == "epoll_create1"]
    assert said(calls, "epoll_ctl") == [f"add a pipe (fd {r}) to an epoll set (fd {ep})"]
    assert said(calls, "epoll_wait") == [
        f"check, without waiting, for events on an epoll set (fd {ep}): none yet"]
    assert said(calls, "fcntl", a0=r) == [
        f"make a pipe (fd {r}) non-blocking",
        f"ask how a pipe (fd {r}) was opened: for reading, non-blocking",
        f"make a close-on-exec copy of a pipe (fd {r}) on the lowest free fd from 20 up: "
        "the copy is fd 20",
    ]
    assert said(calls, "dup2") == [
        f"check that fd {w} is open (dup2 onto itself changes nothing)"]


def test_files(calls, tmp_path_factory):
    [opened] = [ev for ev in calls if ev["name"] == "openat" and ev["args"][2] & os.O_CREAT
                and ev["cap"].get("1", "").endswith("/data")]
    path, fd = opened["cap"]["1"], opened["ret"]
    assert explain(opened) == (
        f"open {path} for reading and writing, creating it, which must not exist yet: "
        f"it gets fd {fd}")
    assert said(calls, "readlink") == [
        "read where / points, if it is a symbolic link: failed, it is not a symbolic link"]
    assert said(calls, "flock") == [
        f"take an exclusive lock on the whole of {path} (fd {fd}), without waiting",
        f"take a shared lock on the whole of {path} (fd {fd + 1}), without waiting: "
        "failed, it is already locked in a conflicting way"]
    assert said(calls, "lseek") == [
        f"move the position in {path} (fd {fd}) to the end: now at byte 6",
        f"move the position in {path} (fd {fd}) back 2 bytes: now at byte 4",
    ]
    checks = [explain(ev) for ev in calls if "access" in ev["name"] and path in ev["cap"].values()]
    assert checks == [
        f"check whether this process may read and write {path}: yes"]
    sub = f"{Path(path).parent}/sub"
    assert said(calls, "mkdir") == [
        f"create the directory {sub} (permissions 755 less the umask)"]
    assert said(calls, "utimensat") == [
        f"set the access and modification times of {path} (fd {fd}) to now"]
    assert said(calls, "fchown") == [f"give {path} (fd {fd}) the group {os.getgid()}"]
    assert said(calls, "renameat2") == [f"swap the files named {sub} and {path}"]


def test_limits_and_the_umask_carry_the_values_the_kernel_gave(calls):
    """The tracee inherits this process's limits and umask: the sentences must say them."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    infinity = "unlimited"
    words = {resource.RLIM_INFINITY: infinity}
    files = said(calls, "prlimit64", a1=resource.RLIMIT_NOFILE) or said(
        calls, "getrlimit", a0=resource.RLIMIT_NOFILE)
    assert files[-1] == (f"ask the limits on the number of open files: "
                         f"soft {words.get(soft, soft)}, hard {words.get(hard, hard)}")
    stack = said(calls, "prlimit64", a1=resource.RLIMIT_STACK, a2=0)[-1]
    soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
    if soft == resource.RLIM_INFINITY:
        assert stack.startswith("ask the limits on the stack size: soft unlimited")
    elif soft % (1 << 20) == 0:
        assert stack.startswith(f"ask the limits on the stack size: soft {soft >> 20} MiB")
    mask = os.umask(0o22)
    os.umask(mask)
    assert said(calls, "umask")[-1] == (
        "set the umask to 022 (the permission bits new files will not get): it was 022")
    assert said(calls, "umask")[0].endswith(f"it was {mask:03o}")


def test_memory_futex_and_kill(calls):
    [advice] = said(calls, "madvise")
    assert re.fullmatch(r"discard the pages of 8192 bytes of memory at 0x[0-9a-f]+ "
                        r"\(private memory comes back as zeros\)", advice)
    waits = [line for line in said(calls, "futex") if "had already changed" in line]
    assert len(waits) == 1 and re.fullmatch(
        r"sleep on the lock word at 0x[0-9a-f]+ until another thread wakes this one: "
        r"failed, the lock word had already changed, so no need to sleep", waits[0])
    assert said(calls, "kill") == [
        "check that every process in this process's group exists (signal 0 sends nothing)"]


def test_kernel_objects_are_named_by_what_they_are(calls):
    """/proc/PID/fd says anon_inode:inotify and /dev/ptmx: the sentences say what those are."""
    made: dict[int, str] = {}
    closed = []
    for ev in calls:
        if ev["name"] == "inotify_init1":
            made[ev["ret"]] = "an inotify instance"
        elif ev["name"] == "openat" and ev["cap"].get("1") == "/dev/ptmx":
            made[ev["ret"]] = "a pseudo-terminal master"
        elif ev["name"] == "close" and ev["args"][0] in made:
            fd = ev["args"][0]
            closed.append((explain(ev), f"close {made.pop(fd)} (fd {fd})"))
    assert len(closed) == 2 and all(said == expected for said, expected in closed), closed


def test_a_memory_file_is_named_and_cut_like_strace(calls):
    [made] = [ev for ev in calls if ev["name"] == "memfd_create"]
    assert explain(made) == ("create an anonymous in-memory file named "
                             f"'a name longer than thirty-two by'...: it gets fd {made['ret']}")
    assert said(calls, "ftruncate", a0=made["ret"]) == [
        f"set the size of the memory file a name longer than thirty-two bytes "
        f"(fd {made['ret']}) to 4096 bytes"]


def test_a_child_without_a_terminal_and_an_argv_cut_like_strace(calls):
    tty = [ev for ev in calls if ev["name"] == "openat" and ev["cap"].get("1") == "/dev/tty"]
    assert [explain(ev) for ev in tty] == [
        "open /dev/tty (the controlling terminal of this process, whichever it is) for reading "
        "and writing: failed, this process has no controlling terminal"]
    assert said(calls, "execve")[-1] == (
        "replace this program with /bin/true "
        "(arguments: 'x y' 0123456789abcdefghijklmnopqrstuv...)")


def test_the_text_output_cuts_argv_at_the_strsize_asked(tmp_path):
    r = run_minitrace("--explain", "-s", "6", "-e", "trace=execve", "/bin/true", "hello world",
                      "ok")
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if "execve(" in line)
    assert '"hello "...' in lines[at]
    assert lines[at + 1].strip() == (
        "↳ replace this program with /bin/true (arguments: 'hello '... ok)")


def test_the_timeline_page_cuts_argv_at_the_strsize_asked(tmp_path):
    page = tmp_path / "t.html"
    r = run_minitrace("--html", str(page), "-s", "6", "-e", "trace=execve", "/bin/true",
                      "hello world", "ok")
    assert r.returncode == 0, r.stderr
    assert "replace this program with /bin/true (arguments: 'hello '... ok)" in (
        page.read_text())
