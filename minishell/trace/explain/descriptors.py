"""File descriptors in words: each process has a table of small numbers (fds) that
refer to open files, pipes, sockets and kernel objects; dup2 and pipe rewire it (how a shell
builds a pipeline), fcntl and ioctl adjust one entry, and poll/select/epoll wait on many."""

from __future__ import annotations

from minishell.trace import constants as C
from minishell.trace.explain.files import O_APPEND, O_CLOEXEC, O_NONBLOCK, O_PATH, open_purpose
from minishell.trace.explain.words import (
    Call,
    describe_fd,
    explains,
    fd_thing,
    fixed,
    plural,
)


@explains("close")
def _close(call: Call):
    return f"close {call.fd(0)}", None


@explains("close_range")
def _close_range(call: Call):
    last = call.args[1] & 0xFFFFFFFF
    upto = "upwards" if last == 0xFFFFFFFF else f"to {last}"
    fds = f"every fd from {call.args[0] & 0xFFFFFFFF} {upto}"
    if call.args[2] & 4:                 # CLOSE_RANGE_CLOEXEC: marked, not closed yet
        return f"make {fds} close on exec", None
    return f"close {fds}", None


@explains("dup")
def _dup(call: Call):
    return f"duplicate {call.fd(0)}", f"the copy is fd {call.ret}"


@explains("dup2", "dup3")
def _dup2(call: Call):
    old, new = call.int(0), call.int(1)
    if old == new and call.name == "dup2":
        return f"check that fd {old} is open (dup2 onto itself changes nothing)", None
    targets = call.cap.get("y") or {}
    what, replaced = fd_thing(targets.get(str(old))), fd_thing(targets.get(str(new)))
    copy = "a close-on-exec copy" if call.name == "dup3" and call.args[2] & O_CLOEXEC else (
        "a copy")
    action = f"make fd {new} {copy} of fd {old}" + (f" ({what})" if what else "")
    if replaced:
        action += f", so it no longer refers to {replaced}"
    return action, None


@explains("pipe", "pipe2")
def _pipe(call: Call):
    fds = call.cap.get("0")
    if not fds:
        return "create a pipe", None
    return "create a pipe", f"read end fd {fds[0]}, write end fd {fds[1]}"


def status_words(flags: int, access: bool = True) -> str:
    """An open file's status flags (F_GETFL/F_SETFL): "for writing, appending, non-blocking"."""
    words = [open_purpose(flags & (3 | O_APPEND | O_PATH))] if access else []
    if not access and flags & O_APPEND:
        words.append("appending")
    if flags & O_NONBLOCK or not access:     # F_SETFL says both ways; F_GETFL the exception
        words.append("non-blocking" if flags & O_NONBLOCK else "blocking")
    return ", ".join(word for word in words if word)


@explains("fcntl")
def _fcntl(call: Call):
    cmd = call.int(1)
    subject = call.fd(0)
    if cmd in (C.F_DUPFD, C.F_DUPFD_CLOEXEC):
        copy = "a close-on-exec copy" if cmd == C.F_DUPFD_CLOEXEC else "a copy"
        return (f"make {copy} of {subject} on the lowest free fd from {call.int(2)} up",
                f"the copy is fd {call.ret}")
    if cmd == C.F_GETFD:
        return f"ask whether {subject} closes on exec", "yes" if call.ret else "no"
    if cmd == C.F_SETFD:
        on = call.args[2] & 1
        return f"make {subject} {'close' if on else 'stay open'} on exec", None
    if cmd == C.F_GETFL:
        return f"ask how {subject} was opened", status_words(call.ret) if call.ok else None
    if cmd == C.F_SETFL:
        return f"make {subject} {status_words(call.args[2], access=False)}", None
    if cmd in (5, 6, 7, 36, 37, 38):
        return f"test or set a lock on {subject}", None
    return f"control {subject} ({C.FCNTL_CMDS.get(cmd, cmd)})", None


# ioctl requests in words ({} is the fd); other requests are "device-specific".
IOCTL_WORDS = {
    C.TCGETS: "ask whether {} is a terminal (read its settings)",
    0x5402: "change the terminal settings of {}",
    0x5403: "change the terminal settings of {} after output drains",
    0x5404: "change the terminal settings of {}, discarding pending input",
    C.TIOCGWINSZ: "ask for the window size of {}",
    C.TIOCSWINSZ: "set the window size of {}",
    C.TIOCGPGRP: "ask which process group is in the foreground on {}",
    C.TIOCSPGRP: "put a process group in the foreground on {}",
    C.FIONREAD: "ask how many bytes are waiting to be read on {}",
    0x540E: "make {} the controlling terminal of this session",
    0x5422: "give up {} as this process's controlling terminal",
    0x5421: "make {} blocking or non-blocking",
    0x5450: "make {} stay open on exec",
    0x5451: "make {} close on exec",
}


@explains("ioctl")
def _ioctl(call: Call):
    request = call.args[1] & 0xFFFFFFFF
    subject = call.fd(0)
    action = IOCTL_WORDS.get(request, "send a device-specific request to {}").format(subject)
    captured = call.cap.get("2")
    if request == C.TIOCGWINSZ and captured and call.ok:
        return action, f"{captured[0]} rows by {captured[1]} columns"
    if request == C.TIOCSPGRP and captured:
        return f"put process group {captured[0]} in the foreground on {subject}", None
    if request == C.TIOCGPGRP and captured and call.ok:
        return action, f"process group {captured[0]}"
    return action, None


@explains("flock")
def _flock(call: Call):
    op = call.int(1)
    lock = {1: "take a shared lock on", 2: "take an exclusive lock on"}.get(
        op & 3, "unlock" if op & 8 else "lock or unlock")
    if op & 4:                      # LOCK_NB: fail at once rather than wait
        call.failure["EAGAIN"] = "it is already locked in a conflicting way"
        return f"{lock} the whole of {call.fd(0)}, without waiting", None
    return f"{lock} the whole of {call.fd(0)}", None


@explains("sendfile", "copy_file_range", "splice")
def _sendfile(call: Call):
    source, sink = (1, 0) if call.name == "sendfile" else (0, 2)
    return (f"copy data from {call.fd(source)} to {call.fd(sink)} inside the kernel",
            plural(call.ret or 0, "byte"))


def _poll_wish(fd: int, events: int, target: str | None) -> str:
    wants = [word for bit, word in ((0x1, "read"), (0x4, "written")) if events & bit]
    return f"{describe_fd(fd, target)} can be {' or '.join(wants) or 'used'}"


@explains("poll", "ppoll")
def _poll(call: Call):
    entries = [e for e in call.cap.get("0") or [] if e[0] >= 0]
    if entries and call.name == "poll":
        wishes = [_poll_wish(fd, events, target) for fd, events, _, target in entries[:3]]
        what = " or ".join(wishes) + (" (or others)" if len(entries) > 3 else "")
    else:
        what = f"one of {plural(call.args[1] & 0xFFFFFFFF, 'fd')} is ready"
    timeout = call.int(2) if call.name == "poll" else -1
    if timeout == 0:
        action = f"check, without waiting, whether {what}"
    else:
        action = f"wait until {what}" + (f" (at most {timeout} ms)" if timeout > 0 else "")
    if call.ok and call.ret == 0:
        return action, "timed out" if timeout else "not yet"
    return action, f"{call.ret} ready" if call.ok else None


@explains("select", "pselect6")
def _select(call: Call):
    wishes = [f"{describe_fd(fd, target)} can be {verb}"
              for index, verb in ((1, "read"), (2, "written"))
              for fd, target in (call.cap.get(str(index)) or [])]
    what = " or ".join(wishes[:3]) + (" (or others)" if len(wishes) > 3 else "")
    action = f"wait until {what}" if wishes else "wait until one of a set of fds is ready"
    return action, "timed out" if call.ok and call.ret == 0 else f"{call.ret} ready"


@explains("epoll_create", "epoll_create1")
def _epoll_create(call: Call):
    return "create an epoll set to watch many fds at once", f"it gets fd {call.ret}"


@explains("epoll_ctl")
def _epoll_ctl(call: Call):
    watched = call.fd(2)
    action = {1: f"add {watched} to", 2: f"remove {watched} from"}.get(
        call.int(1), f"change the events watched on {watched} in")
    return f"{action} {call.fd(0)}", None


@explains("epoll_wait", "epoll_pwait", "epoll_pwait2")
def _epoll_wait(call: Call):
    # epoll_wait(epfd, events, maxevents, timeout ms); epoll_pwait2 takes a timespec instead.
    timeout = call.int(3) if call.name != "epoll_pwait2" else -1
    if timeout == 0:
        action = f"check, without waiting, for events on {call.fd(0)}"
    else:
        action = f"wait for events on {call.fd(0)}" + (
            f" (at most {timeout} ms)" if timeout > 0 else "")
    if call.ok and call.ret == 0:
        return action, "none yet" if timeout == 0 else "timed out"
    return action, plural(call.ret or 0, "event")


@explains("timerfd_create")
def _timerfd_create(call: Call):
    return "create a timer that is read through an fd", f"it gets fd {call.ret}"


@explains("signalfd", "signalfd4")
def _signalfd(call: Call):
    if call.int(0) != -1:            # an existing signalfd: only its set of signals changes
        return f"change which signals {call.fd(0)} receives", None
    return "create an fd that receives signals as data", f"it gets fd {call.ret}"


@explains("eventfd", "eventfd2")
def _eventfd(call: Call):
    return "create an event counter other threads can signal", f"it gets fd {call.ret}"


@explains("memfd_create")
def _memfd_create(call: Call):
    return f"create an anonymous in-memory file named {call.string(0)}", (
        f"it gets fd {call.ret}")


@explains("inotify_init", "inotify_init1")
def _inotify_init(call: Call):
    return "create an inotify instance to watch files for changes", f"it gets fd {call.ret}"


@explains("inotify_add_watch")
def _inotify_add_watch(call: Call):
    return f"watch {call.text(1)} for changes", None


# Descriptor-making calls whose words do not depend on the values.
fixed({
    "inotify_rm_watch": "stop watching a file for changes",
})
