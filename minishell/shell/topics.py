"""The course map for `help TOPIC`: which OS idea a word names, and which lesson explains it.

A student who meets `fork` in the shell's --explain output types `help fork` and is pointed at the
lesson that takes the idea apart. This is the one table of topics: the `help` builtin reads it, the
interactive shell completes its keys, and the lessons (lessons/NN-name/) are named after its
references.
"""

# topic -> (one-line summary, lesson reference)
TOPICS: dict[str, tuple[str, str]] = {
    "fork": (
        "fork() copies the calling process; parent and child both return, with different values",
        "lessons/01-fork",
    ),
    "exec": (
        "execve() replaces the program a process runs, keeping its pid and open file descriptors",
        "lessons/02-exec",
    ),
    "wait": (
        "waitpid() collects a child's exit status; until then the dead child is a zombie",
        "lessons/03-wait",
    ),
    "zombie": (
        "a child that has exited but not yet been waited for: only its exit status remains",
        "lessons/03-wait",
    ),
    "pipe": (
        "pipe() makes a one-way channel of two fds; `a | b` joins a's stdout to b's stdin",
        "lessons/04-pipes",
    ),
    "redirection": (
        "`>`, `<`, `2>&1` are open() and dup2() on fds 0, 1, 2 in the child before exec",
        "lessons/05-redirection",
    ),
    "fd": (
        "a file descriptor is a small integer naming an open file in the process's fd table",
        "lessons/05-redirection",
    ),
    "signals": (
        "signals interrupt a process: Ctrl-C sends SIGINT, kill sends any, a handler may catch it",
        "lessons/06-signals",
    ),
    "jobs": (
        "job control: each pipeline is a process group; Ctrl-C reaches the foreground group only",
        "lessons/06-signals",
    ),
    "syscall": (
        "a system call is how a program asks the kernel to act: open, read, fork, execve...",
        "lessons/07-syscalls",
    ),
    "ptrace": (
        "ptrace() lets a tracer stop a process at each system call; minitrace and strace use it",
        "lessons/07-syscalls",
    ),
    "pagefault": (
        "a page fault is the CPU asking the kernel to map a page of memory on first touch",
        "lessons/08-page-faults",
    ),
}
