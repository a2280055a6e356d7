"""Processes in words: a process is born (fork/clone), becomes another program (execve),
ends (exit) and is waited for (wait4) by its parent; it has ids, a group, a session and limits.

The lines say which kind of child clone makes (a copy, a thread, a vfork child), what the
parent learns from wait4, and which ids and limits a program asks about."""

from __future__ import annotations

from minishell.signals import signal_name
from minishell.trace import constants as C
from minishell.trace.explain.words import (
    Call,
    explains,
    fixed,
    plural,
    size_words,
)


def _child_kind(flags: int, exit_signal: int) -> str:
    if flags & C.CLONE_THREAD:
        return "thread"
    if flags & C.CLONE_VFORK:
        return "vfork"
    if flags & C.CLONE_VM:
        return "shared"
    return "fork" if exit_signal == C.SIGCHLD else "process"


def _creation(call: Call, kind: str) -> tuple[str, str | None]:
    if kind == "thread":
        return "start a new thread in this process", f" (thread {call.ret})"
    if kind == "vfork":
        return ("create a child process that borrows this one's memory until it execs or "
                "exits", f" (pid {call.ret})")
    if kind == "shared":
        return "create a child process sharing this one's memory", f" (pid {call.ret})"
    return "create a child process: a copy of this one", f" (pid {call.ret})"


@explains("fork")
def _fork(call: Call):
    return _creation(call, "fork")


@explains("vfork")
def _vfork(call: Call):
    return _creation(call, "vfork")


@explains("clone")
def _clone(call: Call):
    flags = call.args[0]
    return _creation(call, _child_kind(flags, flags & C.CSIGNAL))


@explains("clone3")
def _clone3(call: Call):
    captured = call.cap.get("0")
    if captured is None:
        return _creation(call, "process")
    return _creation(call, _child_kind(captured[0], captured[4]))


@explains("execve", "execveat")
def _execve(call: Call):
    path_index = 1 if call.name == "execveat" else 0
    captured = call.cap.get(str(path_index + 1)) or {}
    argv = captured.get("argv") or []
    # Quoted as a shell would, cut as strace cuts them: one argument "x y" is not two.
    words = call.words(argv[1:], bool(captured.get("more")))
    action = f"replace this program with {call.text(path_index)}"
    if words:
        action += f" (arguments: {words})"
    return action, None


@explains("exit_group")
def _exit_group(call: Call):
    return f"end this process with exit status {call.int(0)}", None


@explains("exit")
def _exit(call: Call):
    return f"end this thread with status {call.int(0)}", None


def status_words(status: int) -> str:
    """A wait status in words: "exited with 0", "was killed by SIGTERM"."""
    status &= 0xFFFF
    if status & 0x7F == 0:
        return f"exited with {status >> 8}"
    if status & 0xFF == 0x7F:
        return f"stopped ({signal_name(status >> 8)})"
    if status == 0xFFFF:
        return "continued"
    core = " (core dumped)" if status & 0x80 else ""
    return f"was killed by {signal_name(status & 0x7F)}{core}"


@explains("wait4")
def _wait4(call: Call):
    pid = call.int(0)
    if pid == -1:
        who = "any child"
    elif pid > 0:
        who = f"child {pid}"
    elif pid == 0:
        who = "any child in this process's group"
    else:
        who = f"any child in process group {-pid}"
    nohang = call.args[2] & 1
    action = f"check whether {who} changed state" if nohang else (
        f"wait until {who} changes state")
    if call.ok and call.ret == 0:
        return action, "none has yet"
    status = call.cap.get("1")
    if status is None:
        return action, f"child {call.ret} did" if call.ok else None
    words = status_words(status[0])
    return action, f"it {words}" if pid > 0 else f"child {call.ret} {words}"


@explains("waitid")
def _waitid(call: Call):
    idtype, ident = call.int(0), call.int(1)
    who = {0: "any child", 1: f"child {ident}", 2: f"any child in process group {ident}",
           3: f"the child behind pidfd {ident}"}.get(idtype, "a child")
    return f"wait until {who} changes state", None


# Calls that return one id: what they ask, and what the number they return is.
ID_QUESTIONS = {
    "getpid": ("ask for this process's id", "pid"),
    "getppid": ("ask for the parent process's id", "pid"),
    "gettid": ("ask for this thread's id", "tid"),
    "getpgrp": ("ask which process group this process is in", "group"),
    "setsid": ("start a new session with no controlling terminal", "session"),
}


@explains(*ID_QUESTIONS)
def _id_question(call: Call):
    action, unit = ID_QUESTIONS[call.name]
    return action, f"{unit} {call.ret}"


@explains("getpgid", "getsid")
def _group_of(call: Call):
    """getpgid(pid)/getsid(pid): 0 means this process, anything else another one."""
    pid = call.int(0)
    who = "this process" if pid == 0 else f"process {pid}"
    if call.name == "getsid":
        return f"ask which session {who} is in", f"session {call.ret}"
    return f"ask which process group {who} is in", f"group {call.ret}"


@explains("getuid", "geteuid", "getgid", "getegid")
def _ids(call: Call):
    what = {"getuid": "user id", "geteuid": "effective user id", "getgid": "group id",
            "getegid": "effective group id"}[call.name]
    return f"ask which {what} this process runs as", str(call.ret)


@explains("setpgid")
def _setpgid(call: Call):
    pid, pgid = call.int(0), call.int(1)
    who = "this process" if pid == 0 else f"process {pid}"
    if pgid in (0, pid):
        return f"make {who} the leader of a process group of its own (job control)", None
    return f"move {who} into process group {pgid} (job control)", None


@explains("arch_prctl")
def _arch_prctl(call: Call):
    code = call.int(0)
    if code == 0x1002:
        return ("set the FS register to point at this thread's thread-local storage "
                "(C library start-up)"), None
    name = C.ARCH_PRCTL.get(code, hex(code))
    verb = "read" if "_GET_" in name else "set" if "_SET_" in name else "change"
    return f"{verb} an x86-64 per-thread setting ({name})", None


@explains("set_tid_address")
def _set_tid_address(call: Call):
    return ("tell the kernel where to clear this thread's id when it exits (so threads can "
            "be joined)", f"tid {call.ret}")


# getrlimit(2)'s resources, and the unit each limit is counted in.
RESOURCES = {0: ("the CPU time", "second"), 1: ("the file size", "bytes"),
             2: ("the data segment size", "bytes"), 3: ("the stack size", "bytes"),
             4: ("the core dump size", "bytes"), 5: ("the resident memory", "bytes"),
             6: ("the number of processes", ""), 7: ("the number of open files", ""),
             8: ("the locked memory", "bytes"), 9: ("the address space size", "bytes"),
             10: ("the number of file locks", ""), 11: ("the number of queued signals", ""),
             12: ("the POSIX message queue size", "bytes"), 13: ("the nice value ceiling", ""),
             14: ("the real-time priority", ""), 15: ("the real-time CPU time", "microsecond")}
RLIM_INFINITY = 2**64 - 1


def _limit(value: int, unit: str) -> str:
    if value == RLIM_INFINITY:
        return "unlimited"
    if unit == "bytes":
        return size_words(value)
    return plural(value, unit) if unit else str(value)


def _limits(pair: list[int] | None, unit: str) -> str | None:
    """A struct rlimit in words: "soft 8 MiB, hard unlimited"."""
    if not pair:
        return None
    return f"soft {_limit(pair[0], unit)}, hard {_limit(pair[1], unit)}"


@explains("prlimit64", "getrlimit", "setrlimit")
def _prlimit(call: Call):
    if call.name == "prlimit64":      # prlimit64(pid, resource, new or NULL, old or NULL)
        resource, new, old, pid = call.int(1), call.cap.get("2"), call.cap.get("3"), call.int(0)
    else:
        resource, pid = call.int(0), 0
        new, old = (call.cap.get("1"), None) if call.name == "setrlimit" else (
            None, call.cap.get("1"))
    what, unit = RESOURCES.get(resource, ("a resource", ""))
    of = f" of process {pid}" if pid else ""
    setting = call.args[2] if call.name == "prlimit64" else call.name == "setrlimit"
    if setting:
        limits = _limits(new, unit)
        return f"set the limits on {what}{of}" + (f" ({limits})" if limits else ""), None
    return f"ask the limits on {what}{of}", _limits(old, unit) if call.ok else None


@explains("umask")
def _umask(call: Call):
    return (f"set the umask to {call.int(0) & 0o777:03o} (the permission bits new files will "
            "not get)"), f"it was {call.ret:03o}" if call.ok else None


@explains("setuid", "setgid", "setfsuid", "setfsgid")
def _setid(call: Call):
    what = "user" if "uid" in call.name else "group"
    return f"make this process run as {what} id {call.int(0)}", None


@explains("setreuid", "setregid", "setresuid", "setresgid")
def _setids(call: Call):
    what = "user" if "uid" in call.name else "group"
    return f"change this process's {what} ids", None


@explains("pidfd_open")
def _pidfd_open(call: Call):
    return f"get a file descriptor that refers to process {call.int(0)}", (
        f"it gets fd {call.ret}")


@explains("getrandom")
def _getrandom(call: Call):
    return f"get {plural(call.args[1], 'random byte')} from the kernel", None


# Questions about the process and the machine, the same words whatever the values.
fixed({
    "uname": "ask for the kernel's name, version and machine type",
    "getrusage": "ask how much CPU time and memory has been used",
    "sysinfo": "ask for system-wide memory and load figures",
    "times": "ask how much CPU time this process and its children used",
    "getgroups": "ask which supplementary groups this process is in",
    "getresuid": "ask for the real, effective and saved user ids",
    "getresgid": "ask for the real, effective and saved group ids",
    "unshare": "give this process its own copy of some shared resources (namespaces)",
    "setns": "move this process into another namespace",
    "prctl": "change a per-process setting (prctl)",
    "sched_yield": "give up the CPU to another runnable thread",
    "sched_getaffinity": "ask which CPUs this thread may run on",
    "sched_setaffinity": "choose which CPUs this thread may run on",
    "getcpu": "ask which CPU this thread is running on",
})
