"""The course map for `help TOPIC`: which OS idea a word names, and which lesson explains it.

A student who meets `fork` in the shell's --explain output types `help fork` and is pointed at the
lesson that takes the idea apart. This is the one table of topics: the `help` builtin reads it, the
interactive shell completes its keys, and each reference is what an installed user types to
read the lesson (`minilesson show N`; tests/lessons/test_xrefs.py checks they all exist).
"""

# topic -> (one-line summary, lesson reference)
TOPICS: dict[str, tuple[str, str]] = {
    "fork": (
        "fork() copies the calling process; parent and child both return, with different values",
        "minilesson show 1",
    ),
    "exec": (
        "execve() replaces the program a process runs, keeping its pid and open file descriptors",
        "minilesson show 2",
    ),
    "wait": (
        "waitpid() collects a child's exit status; until then the dead child is a zombie",
        "minilesson show 3",
    ),
    "zombie": (
        "a child that has exited but not yet been waited for: only its exit status remains",
        "minilesson show 3",
    ),
    "pipe": (
        "pipe() makes a one-way channel of two fds; `a | b` joins a's stdout to b's stdin",
        "minilesson show 4",
    ),
    "redirection": (
        "`>`, `<`, `2>&1` are open() and dup2() on fds 0, 1, 2 in the child before exec",
        "minilesson show 5",
    ),
    "fd": (
        "a file descriptor is a small integer naming an open file in the process's fd table",
        "minilesson show 5",
    ),
    "signals": (
        "signals interrupt a process: Ctrl-C sends SIGINT, kill sends any, a handler may catch it",
        "minilesson show 6",
    ),
    "jobs": (
        "job control: each pipeline is a process group; Ctrl-C reaches the foreground group only",
        "minilesson show 6",
    ),
    "syscall": (
        "a system call is how a program asks the kernel to act: open, read, fork, execve...",
        "minilesson show 7",
    ),
    "ptrace": (
        "ptrace() lets a tracer stop a process at each system call; minitrace and strace use it",
        "minilesson show 7",
    ),
    "pagefault": (
        "a page fault is the CPU asking the kernel to map a page of memory on first touch",
        "minilesson show 8",
    ),
    "nic": (
        "a network card writes each frame into memory by DMA, through a ring of descriptors",
        "minilesson show 9",
    ),
}
