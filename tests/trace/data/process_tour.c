/* Process, signal and pipe calls with structs, each made once, deterministically:
   tests/trace/test_differential.py compares minitrace's text for it with strace -f -y's. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/personality.h>
#include <linux/openat2.h>
extern char **environ;
int main(void) {
    pid_t c = fork(); if (c == 0) _exit(7);
    siginfo_t si; memset(&si, 0, sizeof si); waitid(P_PID, c, &si, WEXITED);
    c = fork(); if (c == 0) _exit(0);
    struct rusage ru; int st; wait4(c, &st, 0, &ru);
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
    int fd = syscall(SYS_openat2, AT_FDCWD, "/etc/hostname", &how, sizeof how);
    syscall(SYS_faccessat2, AT_FDCWD, "/etc/hostname", R_OK, AT_EACCESS);
    char buf[64]; readlinkat(AT_FDCWD, "/proc/self/exe", buf, sizeof buf);
    sigset_t set; sigemptyset(&set); sigaddset(&set, SIGUSR1); sigprocmask(SIG_BLOCK, &set, NULL);
    union sigval v = {.sival_int = 5}; sigqueue(getpid(), SIGUSR1, v);
    struct timespec to = {0, 1000}; sigtimedwait(&set, &si, &to);
    raise(SIGUSR1); sigwaitinfo(&set, &si);
    stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536}; sigaltstack(&ss, NULL);
    struct timespec req = {0, 1000}, rem; nanosleep(&req, &rem);
    unsigned cpu, node; syscall(SYS_getcpu, &cpu, &node, NULL);
    struct pollfd p = {fd, POLLIN, 0}; struct timespec t0 = {0, 0}; ppoll(&p, 1, &t0, NULL); ppoll(&p, 1, &t0, &set);
    int ep = epoll_create1(0); struct epoll_event ev[2]; struct timespec t1 = {0, 1000};
    syscall(SYS_epoll_pwait2, ep, ev, 2, &t1, NULL, 8); epoll_pwait(ep, ev, 2, 0, &set);
    int pp[2]; pipe2(pp, O_NONBLOCK); int q[2]; pipe(q);
    write(pp[1], "hello", 5); splice(pp[0], NULL, q[1], NULL, 5, SPLICE_F_NONBLOCK);
    struct iovec iov = {"vm", 2}; vmsplice(q[1], &iov, 1, 0); tee(q[0], pp[1], 2, 0);
    int f = open("fa", O_RDWR | O_CREAT, 0600); fallocate(f, 0, 0, 4096); fallocate(f, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0, 10);
    posix_fadvise(f, 0, 0, POSIX_FADV_DONTNEED); sync_file_range(f, 0, 0, SYNC_FILE_RANGE_WRITE); readahead(f, 0, 4096);
    struct rlimit rl; getrlimit(RLIMIT_NOFILE, &rl); personality(0xffffffff);
    int pfd = syscall(SYS_pidfd_open, getpid(), 0); syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0); syscall(SYS_pidfd_getfd, pfd, 0, 0);
    posix_spawn_file_actions_t fa; posix_spawn_file_actions_init(&fa); pid_t sp; char *av[] = {"true", NULL};
    posix_spawnp(&sp, "true", &fa, NULL, av, environ); waitpid(sp, &st, 0);
    syscall(SYS_tgkill, getpid(), getpid(), 0); sched_yield();
    dup3(fd, 30, O_CLOEXEC); syscall(SYS_close_range, 30, ~0U, 0x4);
    mlockall(MCL_CURRENT); munlockall(); void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0); mincore(m, 4096, (unsigned char *)buf);
    madvise(m, 4096, MADV_FREE); mprotect(m, 4096, PROT_NONE);
    chroot("/nonexistent"); umount2("/nonexistent", MNT_DETACH);
    return 0;
}
