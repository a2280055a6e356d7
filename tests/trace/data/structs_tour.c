/* The less common calls whose arguments are structs, each made once, deterministically:
   tests/trace/test_differential.py compares minitrace's text for it with strace -f -y's. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/xattr.h>
#include <sys/time.h>
#include <linux/netlink.h>
#include <sys/sysmacros.h>
#include <linux/capability.h>
#include <termios.h>

static void locks(void) {
    int fd = open("lock.db", O_RDWR | O_CREAT, 0644);
    struct flock l = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 1073741824, .l_len = 1};
    fcntl(fd, F_SETLK, &l); l.l_type = F_WRLCK; l.l_len = 510; fcntl(fd, F_SETLKW, &l);
    l.l_type = F_WRLCK; l.l_pid = 0; fcntl(fd, F_GETLK, &l);
    l.l_type = F_UNLCK; l.l_pid = 0; fcntl(fd, F_OFD_SETLK, &l);
    fcntl(fd, F_GETFL); fcntl(fd, F_SETOWN, 0); fcntl(fd, F_SETSIG, SIGIO); fcntl(fd, F_GETSIG);
    flock(fd, LOCK_SH | LOCK_NB); flock(fd, LOCK_UN);
    int dir = open(".", O_RDONLY | O_DIRECTORY); fcntl(dir, F_NOTIFY, DN_CREATE | DN_MULTISHOT);
    int mfd = memfd_create("sealed", MFD_ALLOW_SEALING); ftruncate(mfd, 4096);
    fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW); fcntl(mfd, F_GET_SEALS);
    fchown(fd, -1, -1); chown("lock.db", -1, -1); setresuid(-1, -1, -1);
    uid_t r, e, s; getresuid(&r, &e, &s); getresgid(&r, &e, &s);
    struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    utimensat(AT_FDCWD, "lock.db", now, AT_SYMLINK_NOFOLLOW);
    struct timespec fixed[2] = {{1, 0}, {86400 * 365, 500}}; futimens(fd, fixed);
    setxattr("lock.db", "user.note", "hello", 5, XATTR_CREATE);
    char buf[64]; getxattr("lock.db", "user.note", buf, sizeof buf);
    getxattr("lock.db", "user.note", NULL, 0); listxattr("lock.db", buf, 0);
    flistxattr(fd, buf, sizeof buf);
    rename("lock.db", "moved.db"); fsync(fd);        /* the fd's path is now moved.db */
    unlink("moved.db"); fdatasync(fd);               /* ... and then (deleted) */
    close(fd);
}

static void timers(void) {
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    struct itimerspec its = {{1, 500}, {10, 0}}, old;
    timerfd_settime(tfd, TFD_TIMER_CANCEL_ON_SET * 0, &its, &old); timerfd_gettime(tfd, &old);
    timer_t t; struct sigevent sev = {.sigev_notify = SIGEV_NONE};
    syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &t);
    sev.sigev_notify = SIGEV_SIGNAL; sev.sigev_signo = SIGUSR2;
    int t2; syscall(SYS_timer_create, CLOCK_REALTIME, &sev, &t2);
    struct tms tm; times(&tm);
    struct sched_param sp; sched_getparam(0, &sp); sched_getscheduler(0);
    cpu_set_t set; sched_getaffinity(0, sizeof set, &set); sched_setaffinity(0, sizeof set, &set);
    int ino = inotify_init1(IN_CLOEXEC); inotify_add_watch(ino, ".", IN_CREATE | IN_DELETE | IN_ONLYDIR);
    gid_t groups[4]; getgroups(0, groups);
    prctl(PR_CAPBSET_READ, 41);
    unsigned long mask[17] = {0}; syscall(SYS_get_mempolicy, NULL, mask, 1025, NULL, 0);
    syscall(SYS_set_mempolicy, 0, mask, 1025);
    struct statfs sf; statfs("/", &sf);
}

static void memory_and_messages(void) {
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    msync(m, 4096, MS_SYNC | MS_INVALIDATE); m = mremap(m, 8192, 16384, MREMAP_MAYMOVE);
    int sv[2]; socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    int one = 1; ioctl(sv[0], FIONBIO, &one);
    int ep = epoll_create1(0); struct epoll_event ev = {EPOLLIN, {.u64 = 7}};
    epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev); epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], &ev);
    int fd = open("/etc/hostname", O_RDONLY);
    char c[CMSG_SPACE(sizeof(int))]; memset(c, 0, sizeof c);
    struct iovec io = {"x", 1};
    struct msghdr msg = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = c, .msg_controllen = sizeof c};
    struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
    h->cmsg_level = SOL_SOCKET; h->cmsg_type = SCM_RIGHTS; h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &fd, sizeof fd);
    sendmsg(sv[0], &msg, 0);
    char buf[16], rc[64]; struct iovec ri = {buf, sizeof buf};
    struct msghdr in = {.msg_iov = &ri, .msg_iovlen = 1, .msg_control = rc, .msg_controllen = sizeof rc};
    recvmsg(sv[1], &in, 0);
    struct msghdr none = {.msg_iov = &ri, .msg_iovlen = 1}; recvmsg(sv[1], &none, MSG_DONTWAIT);
    int out = open("copy.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    off_t off = 0; sendfile(out, fd, &off, 3); sendfile(out, fd, NULL, 0);
    loff_t from = 0, to = 8; copy_file_range(fd, &from, out, &to, 2, 0);
}

static void identity_and_devices(void) {
    struct __user_cap_header_struct h = {0, 0}; struct __user_cap_data_struct d[2];
    syscall(SYS_capget, &h, NULL); h.version = _LINUX_CAPABILITY_VERSION_3;
    syscall(SYS_capget, &h, d); syscall(SYS_capset, &h, d);
    mknod("cdev", S_IFCHR | 0600, makedev(1, 3)); mknod("fifo", S_IFIFO | 0644, 0);
    unlink("cdev"); unlink("fifo");
    syscall(SYS_ioprio_get, 1, 0); syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 4);
    unshare(0); syscall(SYS_setns, -1, CLONE_NEWNET); syscall(SYS_pkey_alloc, 0, 1);
    struct timespec ts; syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
    struct timeval tv; syscall(SYS_gettimeofday, &tv, NULL);
    char name[16]; prctl(PR_SET_NAME, "a-fifteen-chars"); prctl(PR_GET_NAME, name);
    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0); prctl(PR_GET_SECUREBITS);
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0);
    int sig; prctl(PR_GET_PDEATHSIG, &sig); prctl(PR_SET_TIMERSLACK, 50000);
    prctl(PR_GET_TIMERSLACK); prctl(PR_GET_DUMPABLE);
    struct termios t; memset(&t, 0, sizeof t);
    ioctl(-1, TCSETS, &t); ioctl(-1, TCFLSH, TCIOFLUSH); ioctl(-1, TIOCSCTTY, 1);
    ioctl(-1, _IOR('T', 0x99, int), &sig);
    int p[2]; pipe(p); write(p[1], "abc", 3); ioctl(p[0], FIONREAD, &sig);
    struct itimerval it = {{0, 0}, {10, 0}}, old;
    setitimer(ITIMER_REAL, &it, &old); getitimer(ITIMER_REAL, &old);
    it.it_value.tv_sec = 0; setitimer(ITIMER_REAL, &it, NULL);
}

static void socket_options(void) {
    int one = 1, s = socket(AF_INET, SOCK_DGRAM, 0);
    setsockopt(s, SOL_IP, IP_TOS, &one, sizeof one);
    struct linger l = {1, 5}; setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    struct timeval tv = {1, 0}; socklen_t len = sizeof tv;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &len);
    int n = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    setsockopt(n, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
    socket(AF_PACKET, SOCK_RAW, htons(3));           /* ETH_P_ALL: needs CAP_NET_RAW */
}

int main(void) {
    signal(SIGIO, SIG_IGN);     /* F_NOTIFY sends it when a file is created here */
    locks();
    timers();
    memory_and_messages();
    identity_and_devices();
    socket_options();
    return 0;
}
