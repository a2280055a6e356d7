#!/usr/bin/env python3
"""Generate minishell/trace/_table.py: every x86-64 system call with its parameters and classes.

A system call is identified by a number the program puts in rax before the `syscall`
instruction; the numbers are fixed per architecture and published in the kernel headers
(asm/unistd_64.h).  The parameter names and C types come from python-ptrace's prototypes;
calls newer than those (python-ptrace stops at kernel 5.10) or newer than the installed
headers (Debian 12 ships 6.1's) are written out below from the kernel's own declarations
(include/linux/syscalls.h), so the table covers kernel 6.18.

Each parameter gets a *kind* that tells minishell.trace.capture how to read it and
minishell.trace.strace_values how to print it.
The classes (process, file, desc, network, signal, memory, ipc) are the groups strace's
`-e trace=%CLASS` selects; they are derived here from facts about each call (takes a path,
takes or makes a file descriptor, ...) rather than copied from strace's tables.

Run:  .venv/bin/python scripts/gen_syscalls.py   (rewrites minishell/trace/_table.py)
"""

from __future__ import annotations

import pprint
import re
import sys
from pathlib import Path

from ptrace.syscall.prototypes import SYSCALL_PROTOTYPES

UNISTD = Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h")
OUT = Path(__file__).resolve().parent.parent / "minishell" / "trace" / "_table.py"

# Calls the installed headers (kernel 6.1) do not list yet: number -> name.
NEWER_THAN_HEADERS = {
    335: "uretprobe", 336: "uprobe",
    451: "cachestat", 452: "fchmodat2", 453: "map_shadow_stack", 454: "futex_wake",
    455: "futex_wait", 456: "futex_requeue", 457: "statmount", 458: "listmount",
    459: "lsm_get_self_attr", 460: "lsm_set_self_attr", 461: "lsm_list_modules", 462: "mseal",
    463: "setxattrat", 464: "getxattrat", 465: "listxattrat", 466: "removexattrat",
    467: "open_tree_attr", 468: "file_getattr", 469: "file_setattr",
}

# Prototypes python-ptrace lacks, from the kernel's include/linux/syscalls.h: (C type, name).
GAPS: dict[str, tuple[tuple[str, str], ...]] = {
    "rt_sigreturn": (),
    "modify_ldt": (("int", "func"), ("void *", "ptr"), ("unsigned long", "bytecount")),
    "_sysctl": (("struct __sysctl_args *", "args"),),
    "arch_prctl": (("int", "code"), ("unsigned long", "addr")),
    "umount2": (("const char *", "target"), ("int", "flags")),
    "iopl": (("unsigned int", "level"),),
    "set_thread_area": (("struct user_desc *", "u_info"),),
    "get_thread_area": (("struct user_desc *", "u_info"),),
    "preadv2": (("unsigned long", "fd"), ("const struct iovec *", "vec"),
                ("unsigned long", "vlen"), ("unsigned long", "pos_l"),
                ("unsigned long", "pos_h"), ("int", "flags")),
    "pwritev2": (("unsigned long", "fd"), ("const struct iovec *", "vec"),
                 ("unsigned long", "vlen"), ("unsigned long", "pos_l"),
                 ("unsigned long", "pos_h"), ("int", "flags")),
    "pkey_mprotect": (("unsigned long", "start"), ("size_t", "len"),
                      ("unsigned long", "prot"), ("int", "pkey")),
    "pkey_alloc": (("unsigned long", "flags"), ("unsigned long", "init_val")),
    "pkey_free": (("int", "pkey"),),
    "io_pgetevents": (("aio_context_t", "ctx_id"), ("long", "min_nr"), ("long", "nr"),
                      ("struct io_event *", "events"), ("struct timespec *", "timeout"),
                      ("const struct __aio_sigset *", "usig")),
    "rseq": (("struct rseq *", "rseq"), ("u32", "rseq_len"), ("int", "flags"), ("u32", "sig")),
    "pidfd_send_signal": (("int", "pidfd"), ("int", "sig"), ("siginfo_t *", "info"),
                          ("unsigned int", "flags")),
    "io_uring_setup": (("u32", "entries"), ("struct io_uring_params *", "p")),
    "io_uring_enter": (("unsigned int", "fd"), ("u32", "to_submit"), ("u32", "min_complete"),
                       ("u32", "flags"), ("const void *", "argp"), ("size_t", "argsz")),
    "io_uring_register": (("unsigned int", "fd"), ("unsigned int", "opcode"),
                          ("void *", "arg"), ("unsigned int", "nr_args")),
    "open_tree": (("int", "dfd"), ("const char *", "filename"), ("unsigned int", "flags")),
    "move_mount": (("int", "from_dfd"), ("const char *", "from_pathname"), ("int", "to_dfd"),
                   ("const char *", "to_pathname"), ("unsigned int", "flags")),
    "fsopen": (("const char *", "fs_name"), ("unsigned int", "flags")),
    "fsconfig": (("int", "fs_fd"), ("unsigned int", "cmd"), ("const char *", "key"),
                 ("const void *", "value"), ("int", "aux")),
    "fsmount": (("int", "fs_fd"), ("unsigned int", "flags"), ("unsigned int", "attr_flags")),
    "fspick": (("int", "dfd"), ("const char *", "path"), ("unsigned int", "flags")),
    "pidfd_open": (("pid_t", "pid"), ("unsigned int", "flags")),
    "clone3": (("struct clone_args *", "uargs"), ("size_t", "size")),
    "close_range": (("unsigned int", "fd"), ("unsigned int", "max_fd"),
                    ("unsigned int", "flags")),
    "openat2": (("int", "dfd"), ("const char *", "filename"), ("struct open_how *", "how"),
                ("size_t", "usize")),
    "pidfd_getfd": (("int", "pidfd"), ("int", "fd"), ("unsigned int", "flags")),
    "faccessat2": (("int", "dfd"), ("const char *", "filename"), ("int", "mode"),
                   ("int", "flags")),
    "process_madvise": (("int", "pidfd"), ("const struct iovec *", "vec"), ("size_t", "vlen"),
                        ("int", "behavior"), ("unsigned int", "flags")),
    "epoll_pwait2": (("int", "epfd"), ("struct epoll_event *", "events"), ("int", "maxevents"),
                     ("const struct timespec *", "timeout"), ("const sigset_t *", "sigmask"),
                     ("size_t", "sigsetsize")),
    "mount_setattr": (("int", "dfd"), ("const char *", "path"), ("unsigned int", "flags"),
                      ("struct mount_attr *", "uattr"), ("size_t", "usize")),
    "quotactl_fd": (("unsigned int", "fd"), ("unsigned int", "cmd"), ("qid_t", "id"),
                    ("void *", "addr")),
    "landlock_create_ruleset": (("const struct landlock_ruleset_attr *", "attr"),
                                ("size_t", "size"), ("u32", "flags")),
    "landlock_add_rule": (("int", "ruleset_fd"), ("int", "rule_type"),
                          ("const void *", "rule_attr"), ("u32", "flags")),
    "landlock_restrict_self": (("int", "ruleset_fd"), ("u32", "flags")),
    "memfd_secret": (("unsigned int", "flags"),),
    "process_mrelease": (("int", "pidfd"), ("unsigned int", "flags")),
    "futex_waitv": (("struct futex_waitv *", "waiters"), ("unsigned int", "nr_futexes"),
                    ("unsigned int", "flags"), ("struct timespec *", "timeout"),
                    ("clockid_t", "clockid")),
    "set_mempolicy_home_node": (("unsigned long", "start"), ("unsigned long", "len"),
                                ("unsigned long", "home_node"), ("unsigned long", "flags")),
    "uretprobe": (),
    "uprobe": (),
    "cachestat": (("unsigned int", "fd"), ("struct cachestat_range *", "cstat_range"),
                  ("struct cachestat *", "cstat"), ("unsigned int", "flags")),
    "fchmodat2": (("int", "dfd"), ("const char *", "filename"), ("umode_t", "mode"),
                  ("unsigned int", "flags")),
    "map_shadow_stack": (("unsigned long", "addr"), ("unsigned long", "size"),
                         ("unsigned int", "flags")),
    "futex_wake": (("void *", "uaddr"), ("unsigned long", "mask"), ("int", "nr"),
                   ("unsigned int", "flags")),
    "futex_wait": (("void *", "uaddr"), ("unsigned long", "val"), ("unsigned long", "mask"),
                   ("unsigned int", "flags"), ("struct timespec *", "timeout"),
                   ("clockid_t", "clockid")),
    "futex_requeue": (("struct futex_waitv *", "waiters"), ("unsigned int", "flags"),
                      ("int", "nr_wake"), ("int", "nr_requeue")),
    "statmount": (("const struct mnt_id_req *", "req"), ("struct statmount *", "buf"),
                  ("size_t", "bufsize"), ("unsigned int", "flags")),
    "listmount": (("const struct mnt_id_req *", "req"), ("u64 *", "mnt_ids"),
                  ("size_t", "nr_mnt_ids"), ("unsigned int", "flags")),
    "lsm_get_self_attr": (("unsigned int", "attr"), ("struct lsm_ctx *", "ctx"),
                          ("u32 *", "size"), ("u32", "flags")),
    "lsm_set_self_attr": (("unsigned int", "attr"), ("struct lsm_ctx *", "ctx"),
                          ("u32", "size"), ("u32", "flags")),
    "lsm_list_modules": (("u64 *", "ids"), ("u32 *", "size"), ("u32", "flags")),
    "mseal": (("unsigned long", "start"), ("size_t", "len"), ("unsigned long", "flags")),
    "setxattrat": (("int", "dfd"), ("const char *", "pathname"), ("unsigned int", "at_flags"),
                   ("const char *", "name"), ("const struct xattr_args *", "args"),
                   ("size_t", "size")),
    "getxattrat": (("int", "dfd"), ("const char *", "pathname"), ("unsigned int", "at_flags"),
                   ("const char *", "name"), ("struct xattr_args *", "args"),
                   ("size_t", "size")),
    "listxattrat": (("int", "dfd"), ("const char *", "pathname"),
                    ("unsigned int", "at_flags"), ("char *", "list"), ("size_t", "size")),
    "removexattrat": (("int", "dfd"), ("const char *", "pathname"),
                      ("unsigned int", "at_flags"), ("const char *", "name")),
    "open_tree_attr": (("int", "dfd"), ("const char *", "filename"), ("unsigned int", "flags"),
                       ("struct mount_attr *", "uattr"), ("size_t", "usize")),
    "file_getattr": (("int", "dfd"), ("const char *", "filename"),
                     ("struct file_attr *", "ufattr"), ("size_t", "usize"),
                     ("unsigned int", "at_flags")),
    "file_setattr": (("int", "dfd"), ("const char *", "filename"),
                     ("struct file_attr *", "ufattr"), ("size_t", "usize"),
                     ("unsigned int", "at_flags")),
}

# Calls that do nothing on x86-64 (the number is reserved), with the number of raw
# arguments strace shows for them.
UNIMPLEMENTED = {
    "create_module": 2, "get_kernel_syms": 1, "query_module": 5, "nfsservctl": 3,
    "getpmsg": 5, "putpmsg": 5, "afs_syscall": 5, "tuxcall": 3, "security": 3,
    "epoll_ctl_old": 4, "epoll_wait_old": 4, "vserver": 5,
}

# Kinds capture.py and strace_values.py know how to read and print, chosen per call where
# the C type alone does not say enough (a flags word, a path, a buffer whose length is
# another argument...).
OVERRIDES: dict[str, tuple[tuple[str, str], ...]] = {
    "sigaltstack": (("uss", "stackt"), ("uoss", "ostackt")),
    "rt_sigreturn": (("frame", "sigframe"),),
    "getgroups": (("gidsetsize", "int"), ("grouplist", "gidlist")),
    "sched_getaffinity": (("pid", "int"), ("len", "uint"), ("user_mask_ptr", "cpumask")),
    "getrusage": (("who", "rusagewho"), ("usage", "rusage")),
    "statfs": (("path", "path"), ("buf", "statfs")),
    "fstatfs": (("fd", "fd"), ("buf", "statfs")),
    "prctl": (("option", "int"), ("arg2", "prctlarg"), ("arg3", "ulong"), ("arg4", "ulong"),
              ("arg5", "ulong")),
    "ptrace": (("request", "long"), ("pid", "long"), ("addr", "ptr"), ("data", "ptracedata")),
    "read": (("fd", "fd"), ("buf", "rbuf"), ("count", "ulong")),
    "pread64": (("fd", "fd"), ("buf", "rbuf"), ("count", "ulong"), ("pos", "long")),
    "write": (("fd", "fd"), ("buf", "wbuf"), ("count", "ulong")),
    "pwrite64": (("fd", "fd"), ("buf", "wbuf"), ("count", "ulong"), ("pos", "long")),
    "readv": (("fd", "fd"), ("iov", "riov"), ("iovcnt", "ulong")),
    "writev": (("fd", "fd"), ("iov", "wiov"), ("iovcnt", "ulong")),
    "open": (("filename", "path"), ("flags", "oflags"), ("mode", "mode")),
    "openat": (("dirfd", "dirfd"), ("filename", "path"), ("flags", "oflags"), ("mode", "mode")),
    "creat": (("pathname", "path"), ("mode", "mode")),
    "close": (("fd", "fd"),),
    "mmap": (("addr", "ptr"), ("length", "ulong"), ("prot", "prot"), ("flags", "mapflags"),
             ("fd", "fd"), ("offset", "hex")),
    "mprotect": (("addr", "ptr"), ("len", "ulong"), ("prot", "prot")),
    "pkey_mprotect": (("addr", "ptr"), ("len", "ulong"), ("prot", "prot"), ("pkey", "int")),
    "munmap": (("addr", "ptr"), ("length", "ulong")),
    "brk": (("addr", "ptr"),),
    "execve": (("pathname", "path"), ("argv", "argv"), ("envp", "envp")),
    "execveat": (("dirfd", "dirfd"), ("pathname", "path"), ("argv", "argv"), ("envp", "envp"),
                 ("flags", "atflags")),
    "clone": (("flags", "cloneflags"), ("stack", "ptr"), ("parent_tid", "parenttid"),
              ("child_tid", "ptr"), ("tls", "hex")),
    "clone3": (("cl_args", "cloneargs"), ("size", "ulong")),
    "wait4": (("pid", "int"), ("wstatus", "wstatus"), ("options", "waitopts"),
              ("rusage", "rusage")),
    "waitid": (("idtype", "idtype"), ("id", "int"), ("infop", "osiginfo"),
               ("options", "waitopts"), ("rusage", "rusage")),
    "pipe": (("pipefd", "pipefds"),),
    "pipe2": (("pipefd", "pipefds"), ("flags", "oflagbits")),
    "dup": (("oldfd", "fd"),),
    "dup2": (("oldfd", "fd"), ("newfd", "fd")),
    "dup3": (("oldfd", "fd"), ("newfd", "fd"), ("flags", "oflagbits")),
    "fcntl": (("fd", "fd"), ("cmd", "fcntlcmd"), ("arg", "fcntlarg")),
    "ioctl": (("fd", "fd"), ("request", "ioctlreq"), ("arg", "ioctlarg")),
    "rt_sigaction": (("signum", "signo"), ("act", "sigaction"), ("oldact", "osigaction"),
                     ("sigsetsize", "ulong")),
    "rt_sigprocmask": (("how", "sighow"), ("set", "sigset"), ("oldset", "osigset"),
                       ("sigsetsize", "ulong")),
    "kill": (("pid", "int"), ("sig", "signo")),
    "tkill": (("tid", "int"), ("sig", "signo")),
    "tgkill": (("tgid", "int"), ("tid", "int"), ("sig", "signo")),
    "exit": (("status", "int"),),
    "exit_group": (("status", "int"),),
    "stat": (("pathname", "path"), ("statbuf", "stat")),
    "lstat": (("pathname", "path"), ("statbuf", "stat")),
    "fstat": (("fd", "fd"), ("statbuf", "stat")),
    "newfstatat": (("dirfd", "dirfd"), ("pathname", "path"), ("statbuf", "stat"),
                   ("flags", "atflags")),
    "statx": (("dirfd", "dirfd"), ("pathname", "path"), ("flags", "atflags"),
              ("mask", "statxmask"), ("statxbuf", "statx")),
    "getdents64": (("fd", "fd"), ("dirp", "dirents"), ("count", "uint")),
    "getdents": (("fd", "fd"), ("dirp", "dirents"), ("count", "uint")),
    "access": (("pathname", "path"), ("mode", "accmode")),
    "faccessat": (("dirfd", "dirfd"), ("pathname", "path"), ("mode", "accmode")),
    "faccessat2": (("dirfd", "dirfd"), ("pathname", "path"), ("mode", "accmode"),
                   ("flags", "accessatflags")),
    "epoll_create1": (("flags", "epollflags"),),
    "epoll_ctl": (("epfd", "fd"), ("op", "epollop"), ("fd", "fd"), ("event", "epollevent")),
    "epoll_wait": (("epfd", "fd"), ("events", "epollevents"), ("maxevents", "int"),
                   ("timeout", "int")),
    "epoll_pwait": (("epfd", "fd"), ("events", "epollevents"), ("maxevents", "int"),
                    ("timeout", "int"), ("sigmask", "sigset"), ("sigsetsize", "ulong")),
    "epoll_pwait2": (("epfd", "fd"), ("events", "epollevents"), ("maxevents", "int"),
                     ("timeout", "timespec"), ("sigmask", "sigset"), ("sigsetsize", "ulong")),
    "eventfd2": (("initval", "uint"), ("flags", "efdflags")),
    "inotify_init1": (("flags", "inflags"),),
    "memfd_create": (("name", "str"), ("flags", "mfdflags")),
    "timerfd_create": (("clockid", "clockid"), ("flags", "tfdflags")),
    "signalfd4": (("fd", "fd"), ("mask", "sigset"), ("sizemask", "ulong"), ("flags", "sfdflags")),
    "accept": (("sockfd", "fd"), ("addr", "sockaddrout"), ("addrlen", "socklen")),
    "accept4": (("sockfd", "fd"), ("addr", "sockaddrout"), ("addrlen", "socklen"),
                ("flags", "sockflags")),
    "getsockname": (("sockfd", "fd"), ("addr", "sockaddrout"), ("addrlen", "socklen")),
    "getpeername": (("sockfd", "fd"), ("addr", "sockaddrout"), ("addrlen", "socklen")),
    "madvise": (("addr", "ptr"), ("length", "ulong"), ("advice", "madvice")),
    "mremap": (("old_address", "ptr"), ("old_size", "ulong"), ("new_size", "ulong"),
               ("flags", "mremapflags"), ("new_address", "ptr")),
    "setsockopt": (("sockfd", "fd"), ("level", "sollevel"), ("optname", "sockopt"),
                   ("optval", "optval"), ("optlen", "int")),
    "getsockopt": (("sockfd", "fd"), ("level", "sollevel"), ("optname", "sockopt"),
                   ("optval", "optvalout"), ("optlen", "socklen")),
    "shutdown": (("sockfd", "fd"), ("how", "shuthow")),
    "lseek": (("fd", "fd"), ("offset", "long"), ("whence", "whence")),
    "socket": (("domain", "sockdomain"), ("type", "socktype"), ("protocol", "sockproto")),
    "socketpair": (("domain", "sockdomain"), ("type", "socktype"), ("protocol", "sockproto"),
                   ("sv", "pipefds")),
    "getcwd": (("buf", "outstr"), ("size", "ulong")),
    "readlink": (("pathname", "path"), ("buf", "outstr"), ("bufsiz", "ulong")),
    "readlinkat": (("dirfd", "dirfd"), ("pathname", "path"), ("buf", "outstr"),
                   ("bufsiz", "ulong")),
    "unlinkat": (("dirfd", "dirfd"), ("pathname", "path"), ("flags", "atflags")),
    "mkdirat": (("dirfd", "dirfd"), ("pathname", "path"), ("mode", "mode")),
    "mkdir": (("pathname", "path"), ("mode", "mode")),
    "chmod": (("pathname", "path"), ("mode", "mode")),
    "fchmod": (("fd", "fd"), ("mode", "mode")),
    "fchmodat": (("dirfd", "dirfd"), ("pathname", "path"), ("mode", "mode")),
    "fchmodat2": (("dirfd", "dirfd"), ("pathname", "path"), ("mode", "mode"),
                  ("flags", "atflags")),
    "umask": (("mask", "mode"),),
    "arch_prctl": (("code", "archcode"), ("addr", "hex")),
    "set_tid_address": (("tidptr", "hex"),),
    "set_robust_list": (("head", "ptr"), ("len", "ulong")),
    "rseq": (("rseq", "hex"), ("rseq_len", "hex"), ("flags", "hex"), ("sig", "hex")),
    "preadv": (("fd", "fd"), ("iov", "riov"), ("iovcnt", "ulong"), ("offset", "long")),
    "pwritev": (("fd", "fd"), ("iov", "wiov"), ("iovcnt", "ulong"), ("offset", "long")),
    "preadv2": (("fd", "fd"), ("iov", "riov"), ("iovcnt", "ulong"), ("offset", "long"),
                ("flags", "hex")),
    "pwritev2": (("fd", "fd"), ("iov", "wiov"), ("iovcnt", "ulong"), ("offset", "long"),
                 ("flags", "hex")),
    "process_madvise": (("pidfd", "fd"), ("iovec", "ptr"), ("vlen", "ulong"),
                        ("advice", "madvice"), ("flags", "hex")),
    "futex": (("uaddr", "ptr"), ("futex_op", "futexop"), ("val", "uint"),
              ("timeout", "futextime"), ("uaddr2", "ptr"), ("val3", "uint")),
    "connect": (("sockfd", "fd"), ("addr", "sockaddr"), ("addrlen", "int")),
    "bind": (("sockfd", "fd"), ("addr", "sockaddr"), ("addrlen", "int")),
    "sendto": (("sockfd", "fd"), ("buf", "wbuf"), ("len", "ulong"), ("flags", "msgflags"),
               ("dest_addr", "sockaddr"), ("addrlen", "int")),
    "recvfrom": (("sockfd", "fd"), ("buf", "rbuf"), ("len", "ulong"), ("flags", "msgflags"),
                 ("src_addr", "sockaddrout"), ("addrlen", "socklen")),
    "getrandom": (("buf", "rbuf"), ("buflen", "ulong"), ("flags", "grndflags")),
    "prlimit64": (("pid", "int"), ("resource", "rlimres"), ("new_limit", "rlimit"),
                  ("old_limit", "orlimit")),
    "nanosleep": (("req", "timespec"), ("rem", "ptr")),
    "poll": (("fds", "pollfds"), ("nfds", "uint"), ("timeout", "int")),
    "select": (("nfds", "int"), ("readfds", "fdset"), ("writefds", "fdset"),
               ("exceptfds", "fdset"), ("timeout", "timevalio")),
    "pselect6": (("nfds", "int"), ("readfds", "fdset"), ("writefds", "fdset"),
                 ("exceptfds", "fdset"), ("timeout", "timespecio"), ("sigmask", "pselectsig")),
    "getrlimit": (("resource", "rlimres"), ("rlim", "orlimit")),
    "setrlimit": (("resource", "rlimres"), ("rlim", "rlimit")),
    "getitimer": (("which", "itimer"), ("curr_value", "oitimerval")),
    "setitimer": (("which", "itimer"), ("new_value", "itimerval"), ("old_value", "oitimerval")),
    "getpriority": (("which", "priowhich"), ("who", "int")),
    "setpriority": (("which", "priowhich"), ("who", "int"), ("prio", "int")),
    "clock_nanosleep": (("clockid", "clockid"), ("flags", "timerflags"), ("request", "timespec"),
                        ("remain", "ptr")),
    "close_range": (("first", "uint"), ("last", "uint"), ("flags", "closerangeflags")),
    "pidfd_open": (("pid", "int"), ("flags", "hex")),
    "openat2": (("dirfd", "dirfd"), ("pathname", "path"), ("how", "openhow"), ("size", "ulong")),
    "chdir": (("path", "path"),),
    "fchdir": (("fd", "fd"),),
    "unlink": (("pathname", "path"),),
    "rmdir": (("pathname", "path"),),
    "rename": (("oldpath", "path"), ("newpath", "path")),
    "renameat": (("olddirfd", "dirfd"), ("oldpath", "path"), ("newdirfd", "dirfd"),
                 ("newpath", "path")),
    "renameat2": (("olddirfd", "dirfd"), ("oldpath", "path"), ("newdirfd", "dirfd"),
                  ("newpath", "path"), ("flags", "renameflags")),
    "vfork": (),
    "fork": (),
    "getpid": (), "getppid": (), "gettid": (), "getuid": (), "geteuid": (), "getgid": (),
    "getegid": (), "getpgrp": (), "sched_yield": (), "pause": (), "setsid": (),
    "setpgid": (("pid", "int"), ("pgid", "int")),
    "getpgid": (("pid", "int"),),
    "getsid": (("pid", "int"),),
    "alarm": (("seconds", "uint"),),
    "sysinfo": (("info", "sysinfo"),),
    "uname": (("buf", "utsname"),),
    "rt_sigsuspend": (("mask", "sigset"), ("sigsetsize", "ulong")),
    "fadvise64": (("fd", "fd"), ("offset", "long"), ("len", "long"), ("advice", "fadvice")),
    # the less common calls (strace_structs.py)
    "flock": (("fd", "fd"), ("operation", "flockop")),
    "msync": (("start", "ptr"), ("len", "ulong"), ("flags", "msyncflags")),
    "chown": (("pathname", "path"), ("owner", "uid"), ("group", "uid")),
    "lchown": (("pathname", "path"), ("owner", "uid"), ("group", "uid")),
    "fchown": (("fd", "fd"), ("owner", "uid"), ("group", "uid")),
    "fchownat": (("dirfd", "dirfd"), ("pathname", "path"), ("owner", "uid"), ("group", "uid"),
                 ("flags", "atflags")),
    "setuid": (("uid", "uid"),), "setgid": (("gid", "uid"),),
    "setfsuid": (("uid", "uid"),), "setfsgid": (("gid", "uid"),),
    "setreuid": (("ruid", "uid"), ("euid", "uid")), "setregid": (("rgid", "uid"), ("egid", "uid")),
    "setresuid": (("ruid", "uid"), ("euid", "uid"), ("suid", "uid")),
    "setresgid": (("rgid", "uid"), ("egid", "uid"), ("sgid", "uid")),
    "getresuid": (("ruid", "oint"), ("euid", "oint"), ("suid", "oint")),
    "getresgid": (("rgid", "oint"), ("egid", "oint"), ("sgid", "oint")),
    "times": (("buf", "tms"),),
    "sched_getparam": (("pid", "int"), ("param", "oint")),
    "sched_setparam": (("pid", "int"), ("param", "schedparam")),
    "sched_setscheduler": (("pid", "int"), ("policy", "schedpolicy"), ("param", "schedparam")),
    "sched_get_priority_max": (("policy", "schedpolicy"),),
    "sched_get_priority_min": (("policy", "schedpolicy"),),
    "inotify_add_watch": (("fd", "fd"), ("pathname", "path"), ("mask", "inmask")),
    "utimensat": (("dirfd", "dirfd"), ("pathname", "path"), ("times", "utimes"),
                  ("flags", "atflags")),
    "timerfd_settime": (("fd", "fd"), ("flags", "tfdsetflags"), ("new_value", "itimerspec"),
                        ("old_value", "oitimerspec")),
    "timerfd_gettime": (("fd", "fd"), ("curr_value", "oitimerspec")),
    "timer_settime": (("timerid", "int"), ("flags", "timerflags"), ("new_value", "itimerspec"),
                      ("old_value", "oitimerspec")),
    "timer_gettime": (("timerid", "int"), ("curr_value", "oitimerspec")),
    "set_mempolicy": (("mode", "mpolmode"), ("nodemask", "nodemask"), ("maxnode", "ulong")),
    "get_mempolicy": (("mode", "ompolmode"), ("nodemask", "onodemask"), ("maxnode", "ulong"),
                      ("addr", "ptr"), ("flags", "hex")),
    "mbind": (("addr", "ptr"), ("len", "ulong"), ("mode", "mpolmode"), ("nodemask", "nodemask"),
              ("maxnode", "ulong"), ("flags", "hex")),
    "setxattr": (("path", "path"), ("name", "str"), ("value", "wbuf"), ("size", "ulong"),
                 ("flags", "xattrflags")),
    "lsetxattr": (("path", "path"), ("name", "str"), ("value", "wbuf"), ("size", "ulong"),
                  ("flags", "xattrflags")),
    "fsetxattr": (("fd", "fd"), ("name", "str"), ("value", "wbuf"), ("size", "ulong"),
                  ("flags", "xattrflags")),
    "getxattr": (("path", "path"), ("name", "str"), ("value", "xattrout"), ("size", "ulong")),
    "lgetxattr": (("path", "path"), ("name", "str"), ("value", "xattrout"), ("size", "ulong")),
    "fgetxattr": (("fd", "fd"), ("name", "str"), ("value", "xattrout"), ("size", "ulong")),
    "listxattr": (("path", "path"), ("list", "xattrout"), ("size", "ulong")),
    "llistxattr": (("path", "path"), ("list", "xattrout"), ("size", "ulong")),
    "flistxattr": (("fd", "fd"), ("list", "xattrout"), ("size", "ulong")),
    "sendmsg": (("sockfd", "fd"), ("msg", "msghdr"), ("flags", "msgflags")),
    "recvmsg": (("sockfd", "fd"), ("msg", "omsghdr"), ("flags", "msgflags")),
    "sendfile": (("out_fd", "fd"), ("in_fd", "fd"), ("offset", "offinout"), ("count", "ulong")),
    "copy_file_range": (("fd_in", "fd"), ("off_in", "offin"), ("fd_out", "fd"),
                        ("off_out", "offin"), ("len", "ulong"), ("flags", "uint")),
    "sched_setaffinity": (("pid", "int"), ("len", "uint"), ("mask", "icpumask")),
    "timer_create": (("clockid", "clockid"), ("sevp", "sigevent"), ("timerid", "oint")),
    "clock_gettime": (("clockid", "clockid"), ("tp", "otimespec")),
    "clock_getres": (("clockid", "clockid"), ("res", "otimespec")),
    "clock_settime": (("clockid", "clockid"), ("tp", "timespec")),
    "gettimeofday": (("tv", "otimeval"), ("tz", "ptr")),
    "capget": (("hdrp", "caphdr"), ("datap", "ocapdata")),
    "capset": (("hdrp", "caphdr"), ("datap", "capdata")),
    "mknod": (("pathname", "path"), ("mode", "mknodmode"), ("dev", "mknoddev")),
    "mknodat": (("dirfd", "dirfd"), ("pathname", "path"), ("mode", "mknodmode"),
                ("dev", "mknoddev")),
    "ioprio_set": (("which", "iopriowho"), ("who", "int"), ("ioprio", "ioprio")),
    "ioprio_get": (("which", "iopriowho"), ("who", "int")),
    "unshare": (("flags", "nsflags"),),
    "setns": (("fd", "fd"), ("nstype", "nsflags")),
    "pkey_alloc": (("flags", "uint"), ("access_rights", "pkeyrights")),
    "tee": (("fd_in", "fd"), ("fd_out", "fd"), ("len", "ulong"), ("flags", "spliceflags")),
    "splice": (("fd_in", "fd"), ("off_in", "offin"), ("fd_out", "fd"), ("off_out", "offin"),
               ("len", "ulong"), ("flags", "spliceflags")),
    "vmsplice": (("fd", "fd"), ("iov", "wiov"), ("nr_segs", "ulong"), ("flags", "spliceflags")),
    "fallocate": (("fd", "fd"), ("mode", "fallocmode"), ("offset", "long"), ("len", "long")),
    "sync_file_range": (("fd", "fd"), ("offset", "long"), ("nbytes", "long"),
                        ("flags", "syncrangeflags")),
    "mlockall": (("flags", "mlockallflags"),),
    "umount2": (("target", "path"), ("flags", "umountflags")),
    "getcpu": (("cpu", "oint"), ("node", "oint"), ("tcache", "ptr")),
    "rt_sigtimedwait": (("set", "sigset"), ("info", "osiginfo"), ("timeout", "timespec"),
                        ("sigsetsize", "ulong")),
    "rt_sigqueueinfo": (("tgid", "int"), ("sig", "signo"), ("info", "siginfo")),
    "rt_tgsigqueueinfo": (("tgid", "int"), ("tid", "int"), ("sig", "signo"),
                          ("info", "siginfo")),
    "ppoll": (("fds", "pollfds"), ("nfds", "uint"), ("tmo_p", "timespecio"),
              ("sigmask", "sigset"), ("sigsetsize", "ulong")),
    "personality": (("persona", "persona"),),
    "mincore": (("addr", "ptr"), ("length", "ulong"), ("vec", "mincorevec")),
}


def header_numbers() -> dict[int, str]:
    """Number -> name from the installed kernel headers, plus the calls they predate."""
    table = {}
    for line in UNISTD.read_text().splitlines():
        m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
        if m:
            table[int(m[2])] = m[1]
    for nr, name in NEWER_THAN_HEADERS.items():
        table.setdefault(nr, name)
    return table


FD_NAMES = {"fd", "fildes", "oldfd", "newfd", "sockfd", "out_fd", "in_fd", "epfd", "fd_in",
            "fd_out", "pidfd", "ruleset_fd", "fs_fd", "ufd", "mqdes", "s"}
DIRFD_NAMES = {"dfd", "dirfd", "olddfd", "newdfd", "from_dfd", "to_dfd", "olddirfd",
               "newdirfd"}
PATH_NAMES = {"filename", "pathname", "path", "oldname", "newname", "old", "new", "target",
              "specialfile", "library", "from_pathname", "to_pathname", "dev_name",
              "dir_name", "oldpath", "newpath", "name"}
PATH_CALLS_WITH_NAME = {"acct", "swapon", "swapoff"}
# Integer parameters that hold an address in the caller's memory.
ADDRESS_NAMES = {"start", "addr", "old_address", "new_address"}


def kind_of(call: str, ctype: str, pname: str) -> str:
    """The decoding kind of one parameter, from its C type and name."""
    ctype = ctype.replace("__user", "").strip()
    if pname in FD_NAMES and "*" not in ctype:
        return "fd"
    if pname in DIRFD_NAMES:
        return "dirfd"
    if ctype == "const char *":
        if pname in PATH_NAMES and (pname != "name" or call in PATH_CALLS_WITH_NAME):
            return "path"
        return "str"
    if "*" in ctype or "[" in ctype or ctype.endswith("_t *"):
        return "ptr"
    if ctype == "aio_context_t" or (ctype == "unsigned long" and pname in ADDRESS_NAMES):
        return "ptr"
    if ctype == "clockid_t":
        return "clockid"
    if "flag" in pname:
        return "hex"
    if ctype in {"umode_t", "mode_t"}:
        return "mode"
    if ctype in {"int", "pid_t", "long", "key_t", "mqd_t", "clockid_t", "timer_t", "loff_t",
                 "off_t", "qid_t"}:
        return "long" if ctype in {"long", "loff_t", "off_t"} else "int"
    if ctype in {"size_t", "unsigned long", "aio_context_t", "u64", "key_serial_t"}:
        return "ulong"
    return "uint"


# ---- classes: the groups of strace's -e trace=%CLASS, decided from what each call does ----
PROCESS = {"clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group",
           "wait4", "waitid", "kill", "tkill", "tgkill", "rt_sigqueueinfo",
           "rt_tgsigqueueinfo", "pidfd_send_signal"}
NETWORK = {"socket", "socketpair", "bind", "connect", "listen", "accept", "accept4",
           "getsockname", "getpeername", "sendto", "recvfrom", "sendmsg", "recvmsg",
           "sendmmsg", "recvmmsg", "shutdown", "setsockopt", "getsockopt", "sendfile",
           "getpmsg", "putpmsg"}
# Network calls strace also counts among the descriptor calls.
NETWORK_AND_DESC = {"sendfile"}
SIGNAL = {"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending",
          "rt_sigtimedwait", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "rt_sigsuspend",
          "sigaltstack", "kill", "tkill", "tgkill", "pause", "signalfd", "signalfd4",
          "pidfd_send_signal", "io_uring_enter"}
MEMORY = {"brk", "mmap", "munmap", "mremap", "mprotect", "pkey_mprotect", "msync", "mincore",
          "madvise", "mlock", "mlock2", "munlock", "mlockall", "munlockall",
          "remap_file_pages", "mbind", "set_mempolicy", "get_mempolicy", "migrate_pages",
          "move_pages", "shmat", "shmdt", "map_shadow_stack", "mseal",
          "set_mempolicy_home_node", "io_setup", "io_destroy", "io_uring_register"}
# Calls strace counts as file calls though their path is not a plain path argument here.
FILE_EXTRA = {"getcwd", "mount", "name_to_handle_at", "pivot_root", "quotactl", "utime",
              "utimes", "fsconfig"}
# ... and as descriptor calls.
DESC_EXTRA = {"kexec_file_load", "tee"}
IPC = {"msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semctl", "semtimedop",
       "shmget", "shmat", "shmctl", "shmdt"}
# What the return value is, where it is not a plain number.
RETURNS_FD = {"open", "openat", "openat2", "creat", "dup", "dup2", "dup3", "socket", "accept",
              "accept4", "epoll_create", "epoll_create1", "eventfd", "eventfd2", "signalfd",
              "signalfd4", "timerfd_create", "inotify_init", "inotify_init1", "fanotify_init",
              "memfd_create", "memfd_secret", "pidfd_open", "pidfd_getfd", "open_tree",
              "open_tree_attr", "fsopen", "fsmount", "fspick", "userfaultfd", "perf_event_open",
              "io_uring_setup", "mq_open", "landlock_create_ruleset", "open_by_handle_at"}
RETURNS_ADDR = {"mmap", "brk", "mremap", "shmat"}


def returns_of(name: str) -> str:
    if name in RETURNS_FD:
        return "fd"
    if name in RETURNS_ADDR:
        return "addr"
    return "mode" if name == "umask" else "int"


# Calls about descriptors that are given in memory (poll's array), or made only sometimes (bpf).
DESC_WITHOUT_FD_ARGS = {"poll", "ppoll", "select", "pselect6", "bpf"}


def classes_of(name: str, kinds: list[str]) -> list[str]:
    classes = set()
    if name in PROCESS:
        classes.add("process")
    if name in SIGNAL:
        classes.add("signal")
    if name in MEMORY:
        classes.add("memory")
    if name in IPC:
        classes.add("ipc")
    if name in NETWORK:
        classes.add("network")
    if name in NETWORK_AND_DESC or name in DESC_EXTRA or name not in NETWORK and (
            {"fd", "dirfd", "pipefds"} & set(kinds) or name in RETURNS_FD
            or name in DESC_WITHOUT_FD_ARGS):
        classes.add("desc")
    if "path" in kinds or name in FILE_EXTRA:
        classes.add("file")
    return sorted(classes)


def params_of(name: str) -> list[tuple[str, str]]:
    if name in OVERRIDES:
        return list(OVERRIDES[name])
    if name in UNIMPLEMENTED:
        return [(f"arg{i}", "hex") for i in range(UNIMPLEMENTED[name])]
    if name in GAPS:
        proto = GAPS[name]
    elif name in SYSCALL_PROTOTYPES:
        proto = SYSCALL_PROTOTYPES[name][1]
    else:
        raise SystemExit(f"gen_syscalls: no prototype for {name}; add it to GAPS")
    return [(pname or f"arg{i}", kind_of(name, ctype, pname)) for i, (ctype, pname)
            in enumerate(proto)]


def main() -> int:
    rows = []
    for nr, name in sorted(header_numbers().items()):
        params = params_of(name)
        kinds = [k for _, k in params]
        rows.append((nr, name, tuple(params), tuple(classes_of(name, kinds)), returns_of(name)))
    lines = ['"""x86-64 system calls: GENERATED by scripts/gen_syscalls.py, do not edit."""', "",
             "# (number, name, ((parameter, kind), ...), (class, ...), return kind)",
             "TABLE = ("]
    for row in rows:
        text = pprint.pformat(row, width=94)
        lines.append("    " + text.replace("\n", "\n    ") + ",")
    lines.append(")")
    OUT.write_text("\n".join(lines) + "\n")
    print(f"gen_syscalls: {len(rows)} calls -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
