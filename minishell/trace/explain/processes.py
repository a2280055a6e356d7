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
    readable,
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
    argv = (call.cap.get(str(path_index + 1)) or {}).get("argv") or []
    words = " ".join(readable(a) for a in argv[1:] if a is not None)
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
        who = "any child in this process group"
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
    "getpgid": ("ask which process group this process is in", "group"),
    "getsid": ("ask which session this process is in", "session"),
    "setsid": ("start a new session with no controlling terminal", "session"),
}


@explains(*ID_QUESTIONS)
def _id_question(call: Call):
    action, unit = ID_QUESTIONS[call.name]
    return action, f"{unit} {call.ret}"


@explains("getuid", "geteuid", "getgid", "getegid")
def _ids(call: Call):
    what = {"getuid": "user id", "geteuid": "effective user id", "getgid": "group id",
            "getegid": "effective group id"}[call.name]
    return f"ask which {what} this process runs as", str(call.ret)


@explains("setpgid")
def _setpgid(call: Call):
    pid, pgid = call.int(0), call.int(1)
    who = "this process" if pid == 0 else f"process {pid}"
    group = "its own new group" if pgid in (0, pid) else f"process group {pgid}"
    return f"move {who} into {group} (job control)", None


@explains("arch_prctl")
def _arch_prctl(call: Call):
    code = call.int(0)
    if code == 0x1002:
        return ("set the FS register to point at this thread's thread-local storage "
                "(C library start-up)"), None
    return f"set an x86-64 thread register ({C.ARCH_PRCTL.get(code, hex(code))})", None


@explains("set_tid_address")
def _set_tid_address(call: Call):
    return ("tell the kernel where to clear this thread's id when it exits (so threads can "
            "be joined)", f"tid {call.ret}")


RESOURCE_WORDS = {0: "CPU time", 1: "file size", 2: "data segment size", 3: "stack size",
                  4: "core dump size", 6: "number of processes", 7: "number of open files",
                  8: "locked memory", 9: "address space size"}


@explains("prlimit64", "getrlimit", "setrlimit")
def _prlimit(call: Call):
    resource_index = 1 if call.name == "prlimit64" else 0
    resource = RESOURCE_WORDS.get(call.int(resource_index), "a resource")
    setting = call.args[2] if call.name == "prlimit64" else call.name == "setrlimit"
    return f"{'set' if setting else 'ask'} the limit on {resource}", None


@explains("umask")
def _umask(call: Call):
    return f"set the permission bits new files must not have to {call.int(0):03o}", None


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
