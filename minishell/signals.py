"""Signal names and numbers: the one table the whole toolkit uses.

A signal is a small integer the kernel delivers to a process; people know them by
name (SIGINT is 2 on x86-64, SIGKILL 9).  The shell's `kill -l` and job notices, the
tracer's decoded lines, the graders' feedback and the lessons all print names from
here, so a student never sees "SIGCHLD" in one place and "CHLD" or "signal 17" in
another for the same thing.
"""

import _signal  # the C module: `signal` builds an enum.IntEnum, which costs start-up time

# Every real signal name, without the aliases Python keeps for compatibility
# (SIGIOT is SIGABRT, SIGPOLL is SIGIO, SIGCLD is SIGCHLD on Linux); SIGRTMIN and SIGRTMAX
# are the bounds of a range, below.
_ALIASES = {"SIGIOT", "SIGPOLL", "SIGCLD", "SIGRTMIN", "SIGRTMAX"}
NUMBERS: dict[str, int] = dict(sorted(  # in signal order, as signal.Signals lists them
    ((name, getattr(_signal, name)) for name in dir(_signal)
     if name.startswith("SIG") and not name.startswith("SIG_") and name not in _ALIASES),
    key=lambda item: item[1]))
NAMES: dict[int, str] = {number: name for name, number in NUMBERS.items()}
SIGRTMIN, SIGRTMAX = _signal.SIGRTMIN, _signal.SIGRTMAX


# The kernel's real-time signals are 32..64; glibc keeps 32 and 33 for its threads and
# calls 34 SIGRTMIN.  strace names them from the kernel's numbering: 32 is SIGRTMIN,
# 33 SIGRT_1 ... 64 SIGRT_32 (so glibc's SIGRTMIN+3, 37, is SIGRT_5).
KERNEL_SIGRTMIN = 32


def signal_name(number: int) -> str:
    """SIGINT for 2; real-time signals as strace writes them (37 -> SIGRT_5);
    SIG99 for a number no signal has."""
    name = NAMES.get(number)
    if name is not None:
        return name
    if KERNEL_SIGRTMIN <= number <= SIGRTMAX:
        return "SIGRTMIN" if number == KERNEL_SIGRTMIN else f"SIGRT_{number - KERNEL_SIGRTMIN}"
    return f"SIG{number}"


def signal_number(spec: str) -> int | None:
    """`9`, `KILL`, `SIGKILL`, `kill`, `RTMIN+1` -> the number; None if no such signal."""
    if spec.isdigit():
        return int(spec)
    name = spec.upper()
    if not name.startswith("SIG"):
        name = "SIG" + name
    if name in NUMBERS:
        return NUMBERS[name]
    for base, start in (("SIGRTMIN", SIGRTMIN), ("SIGRTMAX", SIGRTMAX)):
        if name == base:
            return start
        if name.startswith(base + "+") or name.startswith(base + "-"):
            offset = name[len(base):]
            if offset[1:].isdigit():
                n = start + int(offset)
                return n if SIGRTMIN <= n <= SIGRTMAX else None
    if name.startswith("SIGRT_") and name[6:].isdigit():
        n = KERNEL_SIGRTMIN + int(name[6:])
        return n if n <= SIGRTMAX else None
    return None
