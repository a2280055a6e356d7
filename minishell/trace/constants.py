"""The numbers a program passes to the kernel, and the names people know them by.

Flags are single bits OR-ed together (O_WRONLY|O_CREAT|O_TRUNC); commands and types are plain
values (F_GETFL, SOCK_STREAM).  The values are Linux x86-64 ABI facts from the kernel's uapi
headers.  The *order* of each list is the order strace prints the names in (observed by running
strace 6.1 on calls with every bit set), so our text reads exactly like strace's.
"""

from __future__ import annotations

# ---- open(2) flags: the access mode is a 2-bit value, the rest are bits -------------------
O_ACCMODE_NAMES = {0: "O_RDONLY", 1: "O_WRONLY", 2: "O_RDWR", 3: "O_ACCMODE"}
O_FLAGS = (
    ("O_CREAT", 0o100), ("O_EXCL", 0o200), ("O_NOCTTY", 0o400), ("O_TRUNC", 0o1000),
    ("O_APPEND", 0o2000), ("O_NONBLOCK", 0o4000), ("O_SYNC", 0o4010000),
    ("O_DSYNC", 0o10000), ("O_DIRECT", 0o40000), ("O_LARGEFILE", 0o100000),
    ("O_NOFOLLOW", 0o400000), ("O_NOATIME", 0o1000000), ("O_CLOEXEC", 0o2000000),
    ("O_PATH", 0o10000000), ("O_TMPFILE", 0o20200000), ("O_DIRECTORY", 0o200000),
    ("FASYNC", 0o20000),
)
O_CREAT, O_TMPFILE = 0o100, 0o20200000

AT_FDCWD = -100
AT_FLAGS = (
    ("AT_SYMLINK_NOFOLLOW", 0x100), ("AT_REMOVEDIR", 0x200), ("AT_SYMLINK_FOLLOW", 0x400),
    ("AT_NO_AUTOMOUNT", 0x800), ("AT_EMPTY_PATH", 0x1000), ("AT_RECURSIVE", 0x8000),
)
AT_STATX_SYNC = {0: "AT_STATX_SYNC_AS_STAT", 0x2000: "AT_STATX_FORCE_SYNC",
                 0x4000: "AT_STATX_DONT_SYNC"}
STATX_MASK = (
    ("STATX_ALL", 0xFFF), ("STATX_BASIC_STATS", 0x7FF), ("STATX_TYPE", 0x1),
    ("STATX_MODE", 0x2), ("STATX_NLINK", 0x4), ("STATX_UID", 0x8), ("STATX_GID", 0x10),
    ("STATX_ATIME", 0x20), ("STATX_MTIME", 0x40), ("STATX_CTIME", 0x80), ("STATX_INO", 0x100),
    ("STATX_SIZE", 0x200), ("STATX_BLOCKS", 0x400), ("STATX_BTIME", 0x800),
    ("STATX_MNT_ID", 0x1000), ("STATX_DIOALIGN", 0x2000),
)
ACCESS_MODES = (("R_OK", 4), ("W_OK", 2), ("X_OK", 1))

# ---- memory ---------------------------------------------------------------------------------
PROT_FLAGS = (
    ("PROT_READ", 0x1), ("PROT_WRITE", 0x2), ("PROT_EXEC", 0x4), ("PROT_SEM", 0x8),
    ("PROT_GROWSDOWN", 0x01000000), ("PROT_GROWSUP", 0x02000000),
)
MAP_TYPES = {1: "MAP_SHARED", 2: "MAP_PRIVATE", 3: "MAP_SHARED_VALIDATE"}
MAP_FLAGS = (
    ("MAP_FIXED", 0x10), ("MAP_ANONYMOUS", 0x20), ("MAP_32BIT", 0x40),
    ("MAP_NORESERVE", 0x4000), ("MAP_POPULATE", 0x8000), ("MAP_NONBLOCK", 0x10000),
    ("MAP_GROWSDOWN", 0x100), ("MAP_DENYWRITE", 0x800), ("MAP_EXECUTABLE", 0x1000),
    ("MAP_LOCKED", 0x2000), ("MAP_STACK", 0x20000), ("MAP_HUGETLB", 0x40000),
    ("MAP_SYNC", 0x80000), ("MAP_FIXED_NOREPLACE", 0x100000),
)
MAP_HUGE_SHIFT = 26

# ---- processes ------------------------------------------------------------------------------
CLONE_FLAGS = (
    ("CLONE_VM", 0x100), ("CLONE_FS", 0x200), ("CLONE_FILES", 0x400),
    ("CLONE_SIGHAND", 0x800), ("CLONE_PIDFD", 0x1000), ("CLONE_PTRACE", 0x2000),
    ("CLONE_VFORK", 0x4000), ("CLONE_PARENT", 0x8000), ("CLONE_THREAD", 0x10000),
    ("CLONE_NEWNS", 0x20000), ("CLONE_SYSVSEM", 0x40000), ("CLONE_SETTLS", 0x80000),
    ("CLONE_PARENT_SETTID", 0x100000), ("CLONE_CHILD_CLEARTID", 0x200000),
    ("CLONE_UNTRACED", 0x800000), ("CLONE_CHILD_SETTID", 0x1000000),
    ("CLONE_NEWCGROUP", 0x2000000), ("CLONE_NEWUTS", 0x4000000), ("CLONE_NEWIPC", 0x8000000),
    ("CLONE_NEWUSER", 0x10000000), ("CLONE_NEWPID", 0x20000000), ("CLONE_NEWNET", 0x40000000),
    ("CLONE_IO", 0x80000000),
)
# clone3 takes 64-bit flags, with two more that clone cannot carry.
CLONE3_FLAGS = (*CLONE_FLAGS, ("CLONE_CLEAR_SIGHAND", 0x100000000),
                ("CLONE_INTO_CGROUP", 0x200000000))
CLONE_VM, CLONE_VFORK, CLONE_THREAD = 0x100, 0x4000, 0x10000
CLONE_PARENT_SETTID, CLONE_PIDFD, CLONE_SETTLS = 0x100000, 0x1000, 0x80000
CLONE_CHILD_SETTID_OR_CLEARTID = 0x1000000 | 0x200000
CSIGNAL = 0xFF

WAIT_OPTIONS = (
    ("WNOHANG", 0x1), ("WEXITED", 0x4), ("WSTOPPED", 0x2), ("WCONTINUED", 0x8),
    ("WNOWAIT", 0x01000000), ("__WCLONE", 0x80000000), ("__WALL", 0x40000000),
    ("__WNOTHREAD", 0x20000000),
)
IDTYPES = {0: "P_ALL", 1: "P_PID", 2: "P_PGID", 3: "P_PIDFD"}

# ---- signals: names in minishell.signals --------------------------------------------------
SIGCHLD = 17
SA_FLAGS = (
    ("SA_RESTORER", 0x04000000), ("SA_ONSTACK", 0x08000000), ("SA_RESTART", 0x10000000),
    ("SA_INTERRUPT", 0x20000000), ("SA_NODEFER", 0x40000000), ("SA_RESETHAND", 0x80000000),
    ("SA_SIGINFO", 0x4), ("SA_NOCLDSTOP", 0x1), ("SA_NOCLDWAIT", 0x2),
)
SA_HANDLERS = {0: "SIG_DFL", 1: "SIG_IGN", 0xFFFFFFFFFFFFFFFF: "SIG_ERR"}
SIG_HOW = {0: "SIG_BLOCK", 1: "SIG_UNBLOCK", 2: "SIG_SETMASK"}

# ---- descriptors ----------------------------------------------------------------------------
FCNTL_CMDS = {
    0: "F_DUPFD", 1: "F_GETFD", 2: "F_SETFD", 3: "F_GETFL", 4: "F_SETFL", 5: "F_GETLK",
    6: "F_SETLK", 7: "F_SETLKW", 8: "F_SETOWN", 9: "F_GETOWN", 10: "F_SETSIG", 11: "F_GETSIG",
    12: "F_GETLK64", 13: "F_SETLK64", 14: "F_SETLKW64", 15: "F_SETOWN_EX", 16: "F_GETOWN_EX",
    17: "F_GETOWNER_UIDS", 36: "F_OFD_GETLK", 37: "F_OFD_SETLK", 38: "F_OFD_SETLKW",
    1024: "F_SETLEASE", 1025: "F_GETLEASE", 1026: "F_NOTIFY", 1029: "F_CANCELLK",
    1030: "F_DUPFD_CLOEXEC", 1031: "F_SETPIPE_SZ", 1032: "F_GETPIPE_SZ", 1033: "F_ADD_SEALS",
    1034: "F_GET_SEALS",
}
F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC = 0, 1, 2, 3, 4, 1030
# fcntl commands that take no third argument (strace prints two arguments for them).
FCNTL_NO_ARG = {1, 3, 9, 11, 1025, 1032, 1034}
# ... and those whose third argument is a pointer to a struct.
FCNTL_PTR_ARG = {5, 6, 7, 15, 16, 36, 37, 38}
FD_FLAGS = (("FD_CLOEXEC", 1),)
LEASE_TYPES = {0: "F_RDLCK", 1: "F_WRLCK", 2: "F_UNLCK"}
SEEK_WHENCE = {0: "SEEK_SET", 1: "SEEK_CUR", 2: "SEEK_END", 3: "SEEK_DATA", 4: "SEEK_HOLE"}

IOCTL_REQUESTS = {
    0x5401: "TCGETS", 0x5402: "TCSETS", 0x5403: "TCSETSW", 0x5404: "TCSETSF",
    0x540B: "TCFLSH", 0x540E: "TIOCSCTTY", 0x540F: "TIOCGPGRP", 0x5410: "TIOCSPGRP",
    0x5413: "TIOCGWINSZ", 0x5414: "TIOCSWINSZ", 0x541B: "FIONREAD", 0x5421: "FIONBIO",
    0x5422: "TIOCNOTTY", 0x5450: "FIONCLEX", 0x5451: "FIOCLEX", 0x5452: "FIOASYNC",
    0x80045430: "TIOCGPTN", 0x40045431: "TIOCSPTLCK",
}
TCGETS, TIOCGWINSZ, TIOCGPGRP, TIOCSPGRP, FIONREAD = 0x5401, 0x5413, 0x540F, 0x5410, 0x541B

# ---- sockets --------------------------------------------------------------------------------
SOCK_FAMILIES = {
    0: "AF_UNSPEC", 1: "AF_UNIX", 2: "AF_INET", 3: "AF_AX25", 4: "AF_IPX", 5: "AF_APPLETALK",
    9: "AF_X25", 10: "AF_INET6", 16: "AF_NETLINK", 17: "AF_PACKET", 31: "AF_BLUETOOTH",
    38: "AF_ALG", 40: "AF_VSOCK", 44: "AF_XDP",
}
SOCK_TYPES = {1: "SOCK_STREAM", 2: "SOCK_DGRAM", 3: "SOCK_RAW", 4: "SOCK_RDM",
              5: "SOCK_SEQPACKET", 6: "SOCK_DCCP", 10: "SOCK_PACKET"}
SOCK_FLAGS = (("SOCK_CLOEXEC", 0o2000000), ("SOCK_NONBLOCK", 0o4000))
IP_PROTOCOLS = {0: "IPPROTO_IP", 1: "IPPROTO_ICMP", 6: "IPPROTO_TCP", 17: "IPPROTO_UDP",
                58: "IPPROTO_ICMPV6", 132: "IPPROTO_SCTP", 136: "IPPROTO_UDPLITE",
                255: "IPPROTO_RAW"}
AF_INET, AF_INET6 = 2, 10

# ---- misc -----------------------------------------------------------------------------------
GRND_FLAGS = (("GRND_NONBLOCK", 1), ("GRND_RANDOM", 2), ("GRND_INSECURE", 4))
ARCH_PRCTL = {0x1001: "ARCH_SET_GS", 0x1002: "ARCH_SET_FS", 0x1003: "ARCH_GET_FS",
              0x1004: "ARCH_GET_GS", 0x1011: "ARCH_GET_CPUID", 0x1012: "ARCH_SET_CPUID",
              0x3001: "ARCH_CET_STATUS", 0x4001: "ARCH_GET_UNTAG_MASK",
              0x5001: "ARCH_SHSTK_ENABLE", 0x5002: "ARCH_SHSTK_DISABLE"}
RLIMIT_RESOURCES = {
    0: "RLIMIT_CPU", 1: "RLIMIT_FSIZE", 2: "RLIMIT_DATA", 3: "RLIMIT_STACK", 4: "RLIMIT_CORE",
    5: "RLIMIT_RSS", 6: "RLIMIT_NPROC", 7: "RLIMIT_NOFILE", 8: "RLIMIT_MEMLOCK",
    9: "RLIMIT_AS", 10: "RLIMIT_LOCKS", 11: "RLIMIT_SIGPENDING", 12: "RLIMIT_MSGQUEUE",
    13: "RLIMIT_NICE", 14: "RLIMIT_RTPRIO", 15: "RLIMIT_RTTIME",
}
CLOCKS = {0: "CLOCK_REALTIME", 1: "CLOCK_MONOTONIC", 2: "CLOCK_PROCESS_CPUTIME_ID",
          3: "CLOCK_THREAD_CPUTIME_ID", 4: "CLOCK_MONOTONIC_RAW", 5: "CLOCK_REALTIME_COARSE",
          6: "CLOCK_MONOTONIC_COARSE", 7: "CLOCK_BOOTTIME", 8: "CLOCK_REALTIME_ALARM",
          9: "CLOCK_BOOTTIME_ALARM", 11: "CLOCK_TAI"}

# File types and permission bits of st_mode.
S_IFMT = 0o170000
FILE_TYPES = {0o140000: "S_IFSOCK", 0o120000: "S_IFLNK", 0o100000: "S_IFREG",
              0o60000: "S_IFBLK", 0o40000: "S_IFDIR", 0o20000: "S_IFCHR", 0o10000: "S_IFIFO"}
MODE_SPECIAL = (("S_ISUID", 0o4000), ("S_ISGID", 0o2000), ("S_ISVTX", 0o1000))

# Kernel-internal "restart" codes a tracer sees when a signal interrupts a call, and strace's
# words for them; the C library never returns these to the program.
RESTART_ERRORS = {
    512: ("ERESTARTSYS", "To be restarted if SA_RESTART is set"),
    513: ("ERESTARTNOINTR", "To be restarted"),
    514: ("ERESTARTNOHAND", "To be restarted if no handler"),
    515: ("ENOIOCTLCMD", "No ioctl command"),
    516: ("ERESTART_RESTARTBLOCK", "Interrupted by signal"),
    517: ("EPROBE_DEFER", "Driver requests probe retry"),
    518: ("EOPENSTALE", "Open found a stale dentry"),
    519: ("ENOPARAM", "Parameter not supported"),
    521: ("EBADHANDLE", "Illegal NFS file handle"),
    522: ("ENOTSYNC", "Update synchronization mismatch"),
    523: ("EBADCOOKIE", "Cookie is stale"),
    524: ("ENOTSUPP", "Operation is not supported"),
    525: ("ETOOSMALL", "Buffer or request is too small"),
    526: ("ESERVERFAULT", "An untranslatable error occurred"),
    527: ("EBADTYPE", "Type not supported by server"),
    528: ("EJUKEBOX", "Request initiated, but will not complete before timeout"),
    529: ("EIOCBQUEUED", "iocb queued, will get completion event"),
    530: ("ERECALLCONFLICT", "Conflict with recalled state"),
}
# Where Python's errno module picks a different alias than the kernel's name strace prints.
ERRNO_PREFERRED = {11: "EAGAIN", 35: "EDEADLK", 95: "EOPNOTSUPP"}

# ---- terminals (termios), in strace's order -------------------------------------------------
TERMIOS_IFLAGS = (
    ("IGNBRK", 0o1), ("BRKINT", 0o2), ("IGNPAR", 0o4), ("PARMRK", 0o10), ("INPCK", 0o20),
    ("ISTRIP", 0o40), ("INLCR", 0o100), ("IGNCR", 0o200), ("ICRNL", 0o400), ("IUCLC", 0o1000),
    ("IXON", 0o2000), ("IXANY", 0o4000), ("IXOFF", 0o10000), ("IMAXBEL", 0o20000),
    ("IUTF8", 0o40000),
)
# Output delays are small fields, printed first: (mask, {value: name}).
TERMIOS_ODELAYS = (
    (0o100, {0: "NL0", 0o100: "NL1"}),
    (0o3000, {0: "CR0", 0o1000: "CR1", 0o2000: "CR2", 0o3000: "CR3"}),
    (0o14000, {0: "TAB0", 0o4000: "TAB1", 0o10000: "TAB2", 0o14000: "XTABS"}),
    (0o20000, {0: "BS0", 0o20000: "BS1"}),
    (0o40000, {0: "VT0", 0o40000: "VT1"}),
    (0o100000, {0: "FF0", 0o100000: "FF1"}),
)
TERMIOS_OFLAGS = (
    ("OPOST", 0o1), ("OLCUC", 0o2), ("ONLCR", 0o4), ("OCRNL", 0o10), ("ONOCR", 0o20),
    ("ONLRET", 0o40), ("OFILL", 0o100), ("OFDEL", 0o200),
)
CBAUD, CIBAUD_SHIFT, CSIZE = 0o10017, 16, 0o60
BAUD_RATES = {
    0: "B0", 1: "B50", 2: "B75", 3: "B110", 4: "B134", 5: "B150", 6: "B200", 7: "B300",
    8: "B600", 9: "B1200", 10: "B1800", 11: "B2400", 12: "B4800", 13: "B9600", 14: "B19200",
    15: "B38400", 0o10000: "BOTHER", 0o10001: "B57600", 0o10002: "B115200",
    0o10003: "B230400", 0o10004: "B460800", 0o10005: "B500000", 0o10006: "B576000",
    0o10007: "B921600", 0o10010: "B1000000", 0o10011: "B1152000", 0o10012: "B1500000",
    0o10013: "B2000000", 0o10014: "B2500000", 0o10015: "B3000000", 0o10016: "B3500000",
    0o10017: "B4000000",
}
CHAR_SIZES = {0: "CS5", 0o20: "CS6", 0o40: "CS7", 0o60: "CS8"}
TERMIOS_CFLAGS = (
    ("CSTOPB", 0o100), ("CREAD", 0o200), ("PARENB", 0o400), ("PARODD", 0o1000),
    ("HUPCL", 0o2000), ("CLOCAL", 0o4000), ("CMSPAR", 0o10000000000),
    ("CRTSCTS", 0o20000000000),
)
TERMIOS_LFLAGS = (
    ("ISIG", 0o1), ("ICANON", 0o2), ("XCASE", 0o4), ("ECHO", 0o10), ("ECHOE", 0o20),
    ("ECHOK", 0o40), ("ECHONL", 0o100), ("NOFLSH", 0o200), ("IEXTEN", 0o100000),
    ("ECHOCTL", 0o1000), ("ECHOPRT", 0o2000), ("ECHOKE", 0o4000), ("FLUSHO", 0o10000),
    ("PENDIN", 0o40000), ("TOSTOP", 0o400), ("EXTPROC", 0o200000),
)
TCSETS_REQUESTS = frozenset({0x5402, 0x5403, 0x5404})
TIOCSWINSZ = 0x5414

# ---- futexes --------------------------------------------------------------------------------
FUTEX_OPS = {
    0: "FUTEX_WAIT", 1: "FUTEX_WAKE", 2: "FUTEX_FD", 3: "FUTEX_REQUEUE",
    4: "FUTEX_CMP_REQUEUE", 5: "FUTEX_WAKE_OP", 6: "FUTEX_LOCK_PI", 7: "FUTEX_UNLOCK_PI",
    8: "FUTEX_TRYLOCK_PI", 9: "FUTEX_WAIT_BITSET", 10: "FUTEX_WAKE_BITSET",
    11: "FUTEX_WAIT_REQUEUE_PI", 12: "FUTEX_CMP_REQUEUE_PI", 13: "FUTEX_LOCK_PI2",
}
FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME = 128, 256
FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET = 0, 1, 9, 10
FUTEX_TIMED_OPS = frozenset({0, 6, 9, 11, 13})

# ---- more flag words of common calls ---------------------------------------------------------
EPOLL_FLAGS = (("EPOLL_CLOEXEC", 0o2000000),)
EPOLL_CTL_OPS = {1: "EPOLL_CTL_ADD", 2: "EPOLL_CTL_DEL", 3: "EPOLL_CTL_MOD"}
EFD_FLAGS = (("EFD_SEMAPHORE", 1), ("EFD_CLOEXEC", 0o2000000), ("EFD_NONBLOCK", 0o4000))
IN_INIT_FLAGS = (("IN_NONBLOCK", 0o4000), ("IN_CLOEXEC", 0o2000000))
TFD_FLAGS = (("TFD_CLOEXEC", 0o2000000), ("TFD_NONBLOCK", 0o4000))
SFD_FLAGS = (("SFD_CLOEXEC", 0o2000000), ("SFD_NONBLOCK", 0o4000))
MFD_FLAGS = (("MFD_CLOEXEC", 1), ("MFD_ALLOW_SEALING", 2), ("MFD_HUGETLB", 4),
             ("MFD_NOEXEC_SEAL", 8), ("MFD_EXEC", 0x10))
TIMER_FLAGS = (("TIMER_ABSTIME", 1),)
MREMAP_FLAGS = (("MREMAP_MAYMOVE", 1), ("MREMAP_FIXED", 2), ("MREMAP_DONTUNMAP", 4))
MADVICE = {
    0: "MADV_NORMAL", 1: "MADV_RANDOM", 2: "MADV_SEQUENTIAL", 3: "MADV_WILLNEED",
    4: "MADV_DONTNEED", 8: "MADV_FREE", 9: "MADV_REMOVE", 10: "MADV_DONTFORK",
    11: "MADV_DOFORK", 12: "MADV_MERGEABLE", 13: "MADV_UNMERGEABLE", 14: "MADV_HUGEPAGE",
    15: "MADV_NOHUGEPAGE", 16: "MADV_DONTDUMP", 17: "MADV_DODUMP", 18: "MADV_WIPEONFORK",
    19: "MADV_KEEPONFORK", 20: "MADV_COLD", 21: "MADV_PAGEOUT", 22: "MADV_POPULATE_READ",
    23: "MADV_POPULATE_WRITE", 24: "MADV_DONTNEED_LOCKED", 25: "MADV_COLLAPSE",
    100: "MADV_HWPOISON", 101: "MADV_SOFT_OFFLINE",
}
MSG_FLAGS = (
    ("MSG_OOB", 0x1), ("MSG_PEEK", 0x2), ("MSG_DONTROUTE", 0x4), ("MSG_CTRUNC", 0x8),
    ("MSG_PROBE", 0x10), ("MSG_TRUNC", 0x20), ("MSG_DONTWAIT", 0x40), ("MSG_EOR", 0x80),
    ("MSG_WAITALL", 0x100), ("MSG_FIN", 0x200), ("MSG_SYN", 0x400), ("MSG_CONFIRM", 0x800),
    ("MSG_RST", 0x1000), ("MSG_ERRQUEUE", 0x2000), ("MSG_NOSIGNAL", 0x4000),
    ("MSG_MORE", 0x8000), ("MSG_WAITFORONE", 0x10000), ("MSG_SENDPAGE_NOTLAST", 0x20000),
    ("MSG_BATCH", 0x40000), ("MSG_NO_SHARED_FRAGS", 0x80000), ("MSG_ZEROCOPY", 0x4000000),
    ("MSG_FASTOPEN", 0x20000000), ("MSG_CMSG_CLOEXEC", 0x40000000),
    ("MSG_CMSG_COMPAT", 0x80000000),
)
SOCKOPT_LEVELS = {0: "SOL_IP", 1: "SOL_SOCKET", 6: "SOL_TCP", 17: "SOL_UDP", 41: "SOL_IPV6"}
SOL_SOCKET_OPTIONS = {
    1: "SO_DEBUG", 2: "SO_REUSEADDR", 3: "SO_TYPE", 4: "SO_ERROR", 5: "SO_DONTROUTE",
    6: "SO_BROADCAST", 7: "SO_SNDBUF", 8: "SO_RCVBUF", 9: "SO_KEEPALIVE", 10: "SO_OOBINLINE",
    12: "SO_PRIORITY", 13: "SO_LINGER", 15: "SO_REUSEPORT", 16: "SO_PASSCRED",
    17: "SO_PEERCRED", 18: "SO_RCVLOWAT", 19: "SO_SNDLOWAT", 20: "SO_RCVTIMEO_OLD",
    21: "SO_SNDTIMEO_OLD",
}
TCP_OPTIONS = {1: "TCP_NODELAY", 2: "TCP_MAXSEG", 3: "TCP_CORK", 4: "TCP_KEEPIDLE",
               5: "TCP_KEEPINTVL", 6: "TCP_KEEPCNT"}
SHUTDOWN_HOW = {0: "SHUT_RD", 1: "SHUT_WR", 2: "SHUT_RDWR"}
# faccessat2's flags: 0x200 means AT_EACCESS here, not AT_REMOVEDIR.
ACCESS_AT_FLAGS = (("AT_SYMLINK_NOFOLLOW", 0x100), ("AT_EACCESS", 0x200),
                   ("AT_EMPTY_PATH", 0x1000))
FADVICE = {0: "POSIX_FADV_NORMAL", 1: "POSIX_FADV_RANDOM", 2: "POSIX_FADV_SEQUENTIAL",
           3: "POSIX_FADV_WILLNEED", 4: "POSIX_FADV_DONTNEED", 5: "POSIX_FADV_NOREUSE"}
RUSAGE_WHO = {0: "RUSAGE_SELF", -1: "RUSAGE_CHILDREN", 1: "RUSAGE_THREAD"}
ITIMERS = {0: "ITIMER_REAL", 1: "ITIMER_VIRTUAL", 2: "ITIMER_PROF"}
PRIO_WHICH = {0: "PRIO_PROCESS", 1: "PRIO_PGRP", 2: "PRIO_USER"}
RENAME_FLAGS = (("RENAME_NOREPLACE", 1), ("RENAME_EXCHANGE", 2), ("RENAME_WHITEOUT", 4))
CLOSE_RANGE_FLAGS = (("CLOSE_RANGE_UNSHARE", 2), ("CLOSE_RANGE_CLOEXEC", 4))
POLL_EVENTS = (
    ("POLLIN", 0x1), ("POLLPRI", 0x2), ("POLLOUT", 0x4), ("POLLERR", 0x8), ("POLLHUP", 0x10),
    ("POLLNVAL", 0x20), ("POLLRDNORM", 0x40), ("POLLRDBAND", 0x80), ("POLLWRNORM", 0x100),
    ("POLLWRBAND", 0x200), ("POLLMSG", 0x400), ("POLLRDHUP", 0x2000),
)
EPOLL_EVENTS = (
    ("EPOLLIN", 0x1), ("EPOLLPRI", 0x2), ("EPOLLOUT", 0x4), ("EPOLLERR", 0x8),
    ("EPOLLHUP", 0x10), ("EPOLLNVAL", 0x20), ("EPOLLRDNORM", 0x40), ("EPOLLRDBAND", 0x80),
    ("EPOLLWRNORM", 0x100), ("EPOLLWRBAND", 0x200), ("EPOLLMSG", 0x400),
    ("EPOLLRDHUP", 0x2000), ("EPOLLEXCLUSIVE", 1 << 28), ("EPOLLWAKEUP", 1 << 29),
    ("EPOLLONESHOT", 1 << 30), ("EPOLLET", 1 << 31),
)
