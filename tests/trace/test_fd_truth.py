"""The fd pictures against the kernel's truth.

Programs call getppid() as a checkpoint.  At each checkpoint the tracer stops the
program (at the call's entry), and the test reads the program's real fd table from
/proc/PID/fd.  After the run the fd pictures' replay (render_fds.replay) must show,
at that very call, the same table: same fds, same files, pipes and sockets.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from tracekit import MINITRACE

from minishell import procfs
from minishell.trace.engine import Tracer
from minishell.trace.render_fds import replay
from minishell.trace.syscalls import BY_NAME

FDPROG = r"""
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#define MARK() syscall(SYS_getppid)
static void *thread_body(void *arg) {
    int fd = open("/etc/passwd", O_RDONLY); MARK();
    return (void *)(long)fd;
}
static void send_fd(int sock, int fd) {
    char byte = 'x', control[CMSG_SPACE(sizeof fd)];
    struct iovec iov = {&byte, 1};
    struct msghdr msg = {0};
    msg.msg_iov = &iov; msg.msg_iovlen = 1;
    msg.msg_control = control; msg.msg_controllen = sizeof control;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof fd);
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    sendmsg(sock, &msg, 0);
}
static void receive_fd(int sock) {
    char byte, control[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iov = {&byte, 1};
    struct msghdr msg = {0};
    msg.msg_iov = &iov; msg.msg_iovlen = 1;
    msg.msg_control = control; msg.msg_controllen = sizeof control;
    recvmsg(sock, &msg, 0);
}
int main(int argc, char **argv) {
    const char *mode = argv[1];
    MARK();
    if (!strcmp(mode, "dup")) {
        int a = open("/etc/hostname", O_RDONLY), b = open("/etc/passwd", O_RDONLY);
        dup2(a, b); MARK();
        dup3(b, 9, O_CLOEXEC); MARK();
        int c = open("/etc/group", O_RDONLY);
        dup2(c, 9); fcntl(c, F_DUPFD, 20); dup(1); close(b); MARK();
        dup2(9, 0); close(9); MARK();
    } else if (!strcmp(mode, "cloexec")) {
        open("/etc/hostname", O_RDONLY | O_CLOEXEC); open("/etc/passwd", O_RDONLY);
        int p[2], q[2]; pipe2(p, O_CLOEXEC); pipe(q);
        fcntl(q[0], F_SETFD, FD_CLOEXEC); MARK();
        execl(argv[0], argv[0], "mark", (char *)0);
    } else if (!strcmp(mode, "unix")) {
        int sv[2]; socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
        if (fork() == 0) {
            int fd = open("/etc/hostname", O_RDONLY); send_fd(sv[1], fd); MARK(); _exit(0);
        }
        receive_fd(sv[0]); MARK(); wait(0); MARK();
    } else if (!strcmp(mode, "threads")) {
        pthread_t t; void *fd; pthread_create(&t, 0, thread_body, 0); pthread_join(t, &fd);
        MARK(); close((int)(long)fd); MARK();
    } else if (!strcmp(mode, "clone")) {  /* a separate table: no CLONE_FILES */
        if (syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0) == 0) {
            open("/etc/group", O_RDONLY); MARK(); _exit(0);
        }
        wait(0); MARK(); open("/etc/hostname", O_RDONLY); MARK();
    }
    return 0;
}
"""
NR_GETPPID = BY_NAME["getppid"].nr


@pytest.fixture(scope="module")
def fdprog(cc):
    return cc("fdprog", FDPROG)


def trace_with_checkpoints(argv: list[str]) -> tuple[list[dict], list[tuple[int, dict]]]:
    """Run argv under the engine; at each getppid entry read /proc/PID/fd.
    Returns the events and [(index of the getppid event, the kernel's table)]."""
    events, seen = [], []

    def on_entry(ev) -> None:
        if ev.nr == NR_GETPPID:
            seen.append((ev, procfs.fds(ev.pid)))

    tracer = Tracer(events.append, record_fds=True, on_entry=on_entry)
    tracer.launch(argv[0], argv)
    tracer.run()
    index = {id(ev): i for i, ev in enumerate(events)}
    return [ev.to_dict() for ev in events], [(index[id(ev)], table) for ev, table in seen]


@pytest.mark.parametrize("mode", ["dup", "cloexec", "unix", "threads", "clone"])
def test_fd_tables_match_proc(fdprog, mode):
    events, checkpoints = trace_with_checkpoints([fdprog, mode])
    assert len(checkpoints) >= 3
    history = replay(events)
    for index, kernel in checkpoints:
        ours = {fd: entry.target for fd, entry in history.table_at(index).items()}
        assert ours == kernel, (mode, events[index]["pid"], index)


def test_fd_tables_match_proc_in_a_pipeline(fdprog):
    """dash runs `fdprog dup | fdprog clone`: pipe ends, the dup2s onto 0 and 1, the
    closes of unused ends -- in the shell and in both children."""
    dash = "/bin/dash" if os.path.exists("/bin/dash") else "/bin/sh"
    events, checkpoints = trace_with_checkpoints(
        [dash, "-c", f"{fdprog} dup | {fdprog} clone; {fdprog} unix 3</etc/hostname"])
    assert len({events[i]["pid"] for i, _ in checkpoints}) >= 4
    history = replay(events)
    for index, kernel in checkpoints:
        ours = {fd: entry.target for fd, entry in history.table_at(index).items()}
        assert ours == kernel, (events[index]["pid"], index)


def test_start_shows_no_tracer_fds(fdprog, tmp_path):
    """The tracer's -o file and launch pipe are close-on-exec: the program never has
    them, so the start event must not list them."""
    own = open(tmp_path / "out.txt", "w")  # an fd of "the tracer" (close-on-exec)
    try:
        events, checkpoints = trace_with_checkpoints([fdprog, "mark"])
    finally:
        own.close()
    start = {int(fd): target for fd, target in events[0]["fds"].items()}
    assert str(tmp_path / "out.txt") not in start.values()
    assert start == checkpoints[0][1]  # exactly the table main() begins with


def test_dup_results_show_the_new_file_as_strace_y(fdprog, tmp_path):
    """dup2(3</etc/hostname>, 4</etc/passwd>) = 4</etc/hostname>: the returned fd now
    refers to the source's file (strace -y prints the same)."""
    lines = {}
    for name, tracer in (("strace", ["strace", "-y"]), ("minitrace", MINITRACE)):
        out = tmp_path / name
        subprocess.run([*tracer, "-o", str(out), fdprog, "dup"], check=True, timeout=60,
                       stdout=subprocess.DEVNULL)
        lines[name] = [re.sub(r"\) +=", ") =", re.sub(r"^\d+ +", "", line))
                       for line in out.read_text().splitlines()
                       if re.match(r"(\d+ +)?(dup[23]?|fcntl)\(", line)]
    assert lines["minitrace"] == lines["strace"]
    assert "dup2(3</etc/hostname>, 4</etc/passwd>) = 4</etc/hostname>" in lines["strace"]
