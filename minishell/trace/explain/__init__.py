"""One plain-English line per system call: what the program just asked the kernel to do.

A trace is a conversation between a program and the kernel.  strace's notation is precise but
terse; on a projector a class needs the sentence behind it: "open /etc/passwd for reading: it
gets fd 3", "wait until child 4242 changes state: it exited with 0".  The ~100 calls programs
make most often are explained, with the values of the call, by family:

    processes.py    fork/clone, execve, exit, wait4, ids, groups, limits
    signals.py      handlers and masks, kill, alarm, sleeping, futex
    files.py        paths and file contents: open, read, write, stat, directories, links
    descriptors.py  the fd table: close, dup2, pipe, fcntl, ioctl, poll/select/epoll
    memory.py       mmap, mprotect, brk
    network.py      sockets and their addresses
    words.py        the phrase engine they share (fds, paths, counts, errors) and the registry
    manual.py       any other call: the one-line summary of its manual page (whatis)

Data flows one way: a syscall event (a dict, as the tracer records it) -> Call -> words.
"""

from __future__ import annotations

# Importing a family registers its sentences in EXPLAINERS (before MANUAL.prefetch asks the
# manual for the calls left without one).
from minishell.trace.explain import (  # noqa: F401 - imported for their registrations
    descriptors,
    files,
    memory,
    network,
    processes,
    signals,
)
from minishell.trace.explain.manual import MANUAL, manual_summary
from minishell.trace.explain.words import EXPLAINERS, Call, failure_words
from minishell.trace.syscalls import BY_NAME

__all__ = ["EXPLAINERS", "MANUAL", "explain", "manual_summary"]


def explain(ev: dict, strsize: int = 32) -> str:
    """One plain-English line for a syscall event (never raises); strings longer than
    strsize are cut as in the strace line above it."""
    try:
        call = Call(ev, strsize)
    except (KeyError, TypeError, ValueError):
        return f"the system call {ev.get('name', '?')}"
    explainer = EXPLAINERS.get(call.name)
    if call.name not in BY_NAME:
        action, outcome = f"a system call this kernel table does not name ({call.sc.nr})", None
    elif explainer is None:
        action, outcome = manual_summary(call.name), None
    else:
        try:
            action, outcome = explainer(call)
        except Exception:  # noqa: BLE001 - odd values must never stop a trace being shown
            action, outcome = manual_summary(call.name), None
    if call.err is not None or (call.ret is not None and not call.ok):
        err = call.err or (f"E{-call.ret}" if call.ret is not None else "?")
        return f"{action}: failed, {call.failure.get(err) or failure_words(err)}"
    if call.ret is None:
        return action
    if not outcome:
        return action
    if outcome.startswith(" ("):          # a detail of the action rather than its result
        return action + outcome
    return f"{action}: {outcome}"
