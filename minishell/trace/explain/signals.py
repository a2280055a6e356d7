"""Signals and waiting in words: a signal is the kernel interrupting a process on
another's behalf (kill) or its own (alarm); a program chooses what each one does (rt_sigaction)
and which wait (rt_sigprocmask).  Threads sleep and wake each other on a futex word, and any
call may sleep for a time (nanosleep)."""

from __future__ import annotations

from minishell.signals import signal_name
from minishell.trace.explain.words import (
    Call,
    and_list,
    explains,
    fixed,
    plural,
)

# What a signal does when no handler is set (signal(7)'s table), in words.
_CORE = ("SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGSEGV", "SIGXCPU",
         "SIGXFSZ", "SIGSYS")
DEFAULT_ACTIONS = {
    **dict.fromkeys(("SIGCHLD", "SIGURG", "SIGWINCH"), "ignore it"),
    **dict.fromkeys(("SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU"), "stop the process"),
    **dict.fromkeys(_CORE, "end the process with a core dump"),
    "SIGCONT": "continue the process",
}
SA_RESTART = 0x10000000
SIGKILL, SIGSTOP = 9, 19


def default_action(sig: str) -> str:
    return DEFAULT_ACTIONS.get(sig, "end the process")


def _disposition(sig: str, act: list[int]) -> str:
    """What a struct sigaction makes of a signal: "ignored", "a handler at 0x401136"."""
    handler = act[0]
    if handler == 0:
        return f"the default action ({default_action(sig)})"
    if handler == 1:
        return "ignored"
    return f"the handler at {handler:#x}"


@explains("rt_sigaction")
def _sigaction(call: Call):
    number = call.int(0)
    sig, act, old = signal_name(number), call.cap.get("1"), call.cap.get("2")
    if number in (SIGKILL, SIGSTOP):
        call.failure["EINVAL"] = f"{sig} cannot be caught or ignored"
    if not call.args[1]:
        return f"ask what happens on {sig}", _disposition(sig, old) if old else None
    if act is None:
        return f"change what happens on {sig}", None
    handler = act[0]
    if handler == 0:
        return f"give {sig} its default action ({default_action(sig)})", None
    if handler == 1:
        return f"ignore {sig} from now on", None
    restart = ", restarting calls it interrupts" if act[1] & SA_RESTART else ""
    return f"run the handler at {handler:#x} on {sig}{restart}", None


def signal_set(mask: int) -> str:
    """A sigset in words: "no signals", "SIGINT and SIGTERM", "all signals except SIGINT"."""
    members = [n for n in range(1, 65) if mask >> (n - 1) & 1]
    if not members:
        return "no signals"
    if len(members) > 32:
        missing = [signal_name(n) for n in range(1, 65) if n not in members]
        return "all signals" + (f" except {and_list(missing)}" if missing else "")
    return and_list([signal_name(n) for n in members])


def _blocked_before(call: Call) -> str | None:
    old = call.cap.get("2")
    if not old:
        return None
    was = "was" if bin(old[0]).count("1") == 1 else "were"
    return f"{signal_set(old[0])} {was} blocked before"


@explains("rt_sigprocmask")
def _sigprocmask(call: Call):
    captured, how = call.cap.get("1"), call.int(0)
    if not call.args[1]:
        old = call.cap.get("2")
        return "ask which signals are blocked", (signal_set(old[0]) if old and old[0] else
                                                  "none" if old else None)
    if captured is None:
        verb = {0: "block", 1: "unblock"}.get(how, "set the blocked signals to")
        return f"{verb} some signals", None
    mask = captured[0]
    if mask == 0 and how in (0, 1):        # the usual way to read the mask: change nothing
        return "ask which signals are blocked (changing none)", _blocked_before(call)
    # The kernel leaves SIGKILL and SIGSTOP out of every mask without a word (sigprocmask(2)).
    never = " (the kernel never blocks SIGKILL or SIGSTOP)" if mask >> 8 & 1 or (
        mask >> 18 & 1) else ""
    if how == 0:
        return f"block {signal_set(mask)}" + (never or " (delivery waits until unblocked)"), None
    if how == 1:
        return f"unblock {signal_set(mask)}", None
    if mask == 0:
        return "unblock all signals", None
    if bin(mask).count("1") > 32:
        return f"block {signal_set(mask)}{never}", None
    return f"block only {signal_set(mask)} (unblocking any others)", None


@explains("alarm")
def _alarm(call: Call):
    seconds = call.args[0] & 0xFFFFFFFF
    if seconds == 0:
        return "cancel any pending alarm", None
    return f"ask for SIGALRM in {plural(seconds, 'second')}", None


def _duration(ts: list[int] | None) -> str:
    if not ts:
        return "a while"
    seconds = ts[0] + ts[1] / 1e9
    return f"{seconds:g} second{'' if seconds == 1 else 's'}" if seconds >= 1 else (
        f"{seconds * 1000:g} ms")


@explains("nanosleep")
def _nanosleep(call: Call):
    return f"sleep for {_duration(call.cap.get('0'))}", None


@explains("clock_nanosleep")
def _clock_nanosleep(call: Call):
    if call.int(1) & 1:   # TIMER_ABSTIME
        return "sleep until a set time", None
    return f"sleep for {_duration(call.cap.get('2'))}", None


@explains("futex")
def _futex(call: Call):
    op = call.int(1) & 0x7F
    if op in (0, 9):
        # FUTEX_WAIT sleeps only if the word still holds the value the thread saw.
        call.failure["EAGAIN"] = "the lock word had already changed, so no need to sleep"
        return (f"sleep on the lock word at {call.args[0]:#x} until another thread wakes "
                "this one"), None
    if op in (1, 10):
        return f"wake threads waiting on the lock word at {call.args[0]:#x}", (
            f"{plural(call.ret or 0, 'thread')} woken")
    return "wait for or wake threads on a lock word (futex)", None


@explains("kill", "tkill", "tgkill")
def _kill(call: Call):
    target_index = 1 if call.name == "tgkill" else 0
    pid = call.int(target_index)
    sig = call.int(target_index + 1)
    if call.name != "kill":
        who = f"thread {pid}"
    elif pid > 0:
        who = f"process {pid}"
    elif pid == 0:
        who = "every process in this process's group"
    elif pid == -1:
        who = "every process this one may signal, except init and itself"
    else:
        who = f"every process in process group {-pid}"
    if sig == 0:
        return f"check that {who} exists (signal 0 sends nothing)", None
    return f"send {signal_name(sig)} to {who}", None


@explains("pidfd_send_signal")
def _pidfd_send_signal(call: Call):
    return f"send {signal_name(call.int(1))} to the process behind {call.fd(0)}", None


# Handlers, clocks and thread bookkeeping whose words do not depend on the values.
fixed({
    "set_robust_list": "register this thread's list of held futex locks (freed if it dies)",
    "get_robust_list": "ask for a thread's list of held futex locks",
    "rseq": "register a restartable-sequence area (a fast per-CPU counter for the C library)",
    "rt_sigreturn": "return from a signal handler to where the program was interrupted",
    "rt_sigsuspend": "sleep until a signal arrives",
    "pause": "sleep until a signal arrives",
    "sigaltstack": "set up a separate stack for signal handlers",
    "rt_sigpending": "ask which blocked signals are waiting to be delivered",
    "rt_sigtimedwait": "wait for one of a set of blocked signals to arrive",
    "clock_gettime": "read the clock",
    "gettimeofday": "read the clock",
    "time": "read the clock",
    "clock_getres": "ask how fine-grained a clock is",
})
