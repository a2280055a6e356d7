"""Signals and waiting in words: a signal is the kernel interrupting a process on
another's behalf (kill) or its own (alarm); a program chooses what each one does (rt_sigaction)
and which wait (rt_sigprocmask).  Threads sleep and wake each other on a futex word, and any
call may sleep for a time (nanosleep)."""

from __future__ import annotations

from minishell.signals import signal_name
from minishell.trace.explain.words import (
    Call,
    explains,
    fixed,
    plural,
)


@explains("rt_sigaction")
def _sigaction(call: Call):
    sig = signal_name(call.int(0))
    act = call.cap.get("1")
    if not call.args[1]:
        return f"ask what happens on {sig}", None
    if act is None:
        return f"change what happens on {sig}", None
    handler = act[0]
    if handler == 0:
        what = "the default action"
    elif handler == 1:
        what = "ignore it"
    else:
        what = f"run the handler at {handler:#x}"
    return f"set what happens on {sig}: {what}", None


def _signal_list(mask: int) -> str:
    names = [signal_name(n) for n in range(1, 65) if mask >> (n - 1) & 1]
    if not names:
        return "no signals"
    if len(names) == 64:
        return "all signals"
    if len(names) > 32:
        return "all signals but " + ", ".join(
            signal_name(n) for n in range(1, 65) if not mask >> (n - 1) & 1)
    return ", ".join(names)


@explains("rt_sigprocmask")
def _sigprocmask(call: Call):
    captured = call.cap.get("1")
    if not call.args[1]:
        return "ask which signals are blocked", None
    signals = _signal_list(captured[0]) if captured else "some signals"
    how = call.int(0)
    if how == 0:
        return f"block {signals} (delivery waits until unblocked)", None
    if how == 1:
        return f"unblock {signals}", None
    return f"set the blocked signals to: {signals}", None


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
    return f"{seconds:g} seconds" if seconds >= 1 else f"{seconds * 1000:g} ms"


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
        return f"sleep until another thread wakes the lock word at {call.args[0]:#x}", None
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
        who = "every process in its own process group"
    elif pid == -1:
        who = "every process it is allowed to signal"
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
