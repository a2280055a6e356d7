"""Builtins about processes and their kernel-held attributes: `kill`, `wait`, `trap`,
`umask`, `ulimit`, `times`, `hash`.

OS idea: these must run inside the shell because what they change or read belongs to the
shell *process*: its children (only a parent may waitpid(2) for them), its signal
dispositions (sigaction(2)), its file-creation mask (umask(2)), its resource limits
(setrlimit(2), inherited by every child it forks), its CPU times (times(2)). A `umask`
program would set the mask of a process that exits at once.
"""

from __future__ import annotations

import _signal
import os
import resource

from ..signals import NAMES, SIGRTMAX, SIGRTMIN
from . import jobs, traps
from .builtins_base import (
    BUILTINS,
    INT_MAX,
    BuiltinError,
    builtin,
    number,
    options,
    out,
    single_quote,
)
from .explain import error, notice

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell


def dash_signal_name(number: int) -> str:
    """A signal's name as dash's `kill -l` and `trap` print it: without SIG, the real-time
    ones as RTMIN+n / RTMAX-n, and a number for the few dash has no name for."""
    if SIGRTMIN <= number <= SIGRTMAX:
        if number - SIGRTMIN <= (SIGRTMAX - SIGRTMIN) // 2:
            return "RTMIN" + (f"+{number - SIGRTMIN}" if number > SIGRTMIN else "")
        return "RTMAX" + (f"-{SIGRTMAX - number}" if number < SIGRTMAX else "")
    name = NAMES.get(number, "")
    if not name or name == "SIGSTKFLT":
        return str(number)
    return name.removeprefix("SIG")


SIGNAL_COUNT = SIGRTMAX + 1  # NSIG
BY_NAME = {dash_signal_name(n).upper(): n for n in range(1, SIGNAL_COUNT)}


def decode_signal(spec: str, first: int = 1) -> int | None:
    """dash's decode_signal(): a number below NSIG, or a name without SIG (any case)."""
    if spec.isdigit():
        value = int(spec)
        return value if value < SIGNAL_COUNT else None
    found = BY_NAME.get(spec.upper())
    if found is None and first == 0 and spec.upper() == "EXIT":
        return 0
    return found


# --- kill --------------------------------------------------------------------------------

KILL_USAGE = ("Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\n"
              "kill -l [exitstatus]")


@builtin("kill", summary="kill [-s SIG | -SIG] PID|%JOB...: send a signal (default TERM); "
                          "kill -l [STATUS]: signal names")
def kill(shell: Shell, argv: list[str]) -> int:
    if len(argv) < 2:
        raise BuiltinError(KILL_USAGE)
    args = argv[1:]
    number_, listing = None, False
    if args[0].startswith("-"):
        number_ = decode_signal(args[0][1:])
        if number_ is None:
            while args and args[0].startswith("-") and args[0] != "-":
                word = args.pop(0)
                if word == "--":
                    break
                letters = word[1:]
                while letters:
                    letter, letters = letters[0], letters[1:]
                    if letter == "l":
                        listing = True
                    elif letter == "s":
                        spec = letters or (args.pop(0) if args else None)
                        if spec is None:
                            raise BuiltinError("No arg for -s option")
                        number_ = decode_signal(spec)
                        if number_ is None:
                            raise BuiltinError(f"invalid signal number or name: {spec}")
                        letters = ""
                    else:
                        raise BuiltinError(f"Illegal option -{letter}")
        else:
            args = args[1:]
    if not listing and number_ is None:
        number_ = _signal.SIGTERM
    if (number_ is None or not args) != listing:
        raise BuiltinError(KILL_USAGE)
    if listing:
        return list_signals(args)
    status = 0
    for target in args:
        if target.startswith("%"):
            job = find_job(shell, target)
            # The job's process group, named by its first process. Without job control
            # the job is in the shell's group and there is no such group: kill(2) fails
            # with ESRCH ("No such process"), as in dash.
            pids = [-(job.pgid or job.procs[0].pid)]
        else:
            pids = [-number(target[1:], INT_MAX) if target.startswith("-") else
                    number(target, INT_MAX)]
        try:
            for pid in pids:
                jobs.send_signal(pid, number_)
        except OSError as err:
            error(f"kill: {err.strerror}\n")  # (dash's message ends in an empty line)
            status = 1
            continue
        if target.startswith("%") and job.state == jobs.STOPPED and number_ not in (
                _signal.SIGCONT, _signal.SIGSTOP, _signal.SIGTSTP, _signal.SIGKILL):
            jobs.continue_job(job)  # a stopped job acts on the signal only once continued
    return status


def list_signals(args: list[str]) -> int:
    """kill -l: every name; kill -l N: the name of signal N, or of the signal that killed a
    process whose $? is N (128 + N)."""
    if not args:
        out("0\n" + "".join(f"{dash_signal_name(n)}\n" for n in range(1, SIGNAL_COUNT)))
        return 0
    value = number(args[0], INT_MAX)
    if value > 128:
        value -= 128
    if not 0 < value < SIGNAL_COUNT:
        raise BuiltinError(f"invalid signal number or exit status: {args[0]}")
    out(dash_signal_name(value) + "\n")
    return 0


def find_job(shell: Shell, spec: str) -> jobs.Job:
    try:
        return shell.jobs.find(spec)
    except LookupError:
        raise BuiltinError(f"No such job: {spec}") from None


# --- wait --------------------------------------------------------------------------------


@builtin("wait", summary="wait [PID|%N...]: wait for background jobs; $? is the last one's")
def wait(shell: Shell, argv: list[str]) -> int:
    # Interactive: the shell ignores SIGINT; while it waits, Ctrl-C should end the wait.
    if shell.interactive:
        _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    try:
        return wait_for(shell, options(argv, "")[1])
    except KeyboardInterrupt:
        return 130
    finally:
        if shell.interactive:
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


def wait_for(shell: Shell, args: list[str]) -> int:
    """dash's waitcmd: no argument waits for all jobs ($? 0); a PID names the last process
    of a job, an unknown one gives 127; `%N` for no job is an error (2)."""
    if not args:
        for job in list(shell.jobs.jobs):
            if job.state == jobs.RUNNING and (caught := wait_job(shell, job)):
                return caught
        shell.report_job_changes()
        for job in shell.jobs.jobs:  # as dash: their numbers go to the next jobs
            job.waited = job.state == jobs.DONE
        return 0
    status = 127
    for arg in args:
        if arg.startswith("%"):
            job = find_job(shell, arg)
        else:
            pid = number(arg, INT_MAX)
            job = shell.jobs.by_pid(pid)
            if job is None or job.pids[-1] != pid:
                continue  # dash: an unknown pid leaves $? as it was (127 if first)
        if job.state == jobs.RUNNING and (caught := wait_job(shell, job)):
            return caught
        if not shell.interactive and job.state == jobs.DONE:
            jobs.report_killed(job, interactive=False)  # as dash: `Terminated` and the like
        status = job.status()
        # As dash: `wait %N` forgets the job; after `wait PID` it stays (the status can be
        # asked for again) until the next background job takes its number (JobTable.add).
        if job.state == jobs.DONE and (arg.startswith("%") or shell.interactive):
            shell.jobs.remove(job)
        job.waited = True
    return status


def wait_job(shell: Shell, job: jobs.Job) -> int:
    """Wait for a background job. POSIX: a signal with a trap ends `wait` at once, with
    status 128 + its number (the trap then runs). So with such traps set, the shell does not
    block in waitpid(2) (Python would restart it after the handler) but in select(2), on a
    pidfd per process (readable when it exits) and on the signal wakeup fd, a pipe Python's
    C-level handler writes to. Returns 0, or 128 + the signal."""
    if not any(action for number, action in traps.actions.items() if number) or \
            shell.job_control:
        jobs.wait_for_job(job, shell.job_control)
        return 0
    import select

    wake_read, wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    previous = _signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
    pidfds: dict[int, int] = {}
    try:
        for proc in job.procs:
            if proc.state == jobs.RUNNING:
                pidfds[os.pidfd_open(proc.pid)] = proc.pid
        while job.state == jobs.RUNNING:
            if traps.pending:
                return 128 + traps.pending[0]
            ready, _, _ = select.select([*pidfds, wake_read], [], [])
            if traps.pending:  # the signal first, even if the job ended meanwhile (as dash)
                return 128 + traps.pending[0]
            for fd in ready:
                if fd == wake_read:
                    while os.read(wake_read, 64) == 64:
                        pass
                    continue
                pid, status = jobs.waitpid(pidfds.pop(fd), os.WNOHANG)
                os.close(fd)
                if pid:
                    job.record(pid, status)
            if not pidfds and job.state == jobs.RUNNING:  # reaped elsewhere: nothing to wait
                jobs.wait_for_job(job, shell.job_control)
        return 0
    except ProcessLookupError:  # a process already reaped
        jobs.wait_for_job(job, shell.job_control)
        return 0
    finally:
        _signal.set_wakeup_fd(previous)
        for fd in (*pidfds, wake_read, wake_write):
            os.close(fd)


# --- trap --------------------------------------------------------------------------------


@builtin("trap", summary="trap [ACTION] SIGNAL...: run ACTION when SIGNAL arrives (EXIT: when "
                          "the shell ends); '' ignores, - resets; no argument lists")
def trap(shell: Shell, argv: list[str]) -> int:
    args = options(argv, "")[1]
    if not args:
        for signal_number in sorted(traps.actions):
            name = "EXIT" if signal_number == 0 else dash_signal_name(signal_number)
            out(f"trap -- {single_quote(traps.actions[signal_number])} {name}\n")
        return 0
    if len(args) == 1 or decode_signal(args[0], 0) is not None and args[0].isdigit():
        action = None
    else:
        action = args.pop(0)
        if action == "-":
            action = None
    status = 0
    for spec in args:
        signal_number = decode_signal(spec, 0)
        if signal_number is None:
            notice(f"trap: {spec}: bad trap\n")
            status = 1
            continue
        traps.set_trap(shell, signal_number, action)
    return status


# --- umask -------------------------------------------------------------------------------

WHO_BITS = {"u": 0o700, "g": 0o070, "o": 0o007}  # for umask -S


@builtin("umask", summary="umask [-S] [MODE]: the mask of permission bits new files do not get "
                           "(umask 022: no write for group and others)")
def umask(shell: Shell, argv: list[str]) -> int:
    flags, args = options(argv, "S")
    mask = os.umask(0)
    os.umask(mask)
    if not args:
        if "S" in flags:
            perms = ~mask & 0o777
            out(",".join(f"{who}={symbolic(perms, bits)}" for who, bits in WHO_BITS.items())
                + "\n")
        else:
            out(f"{mask:04o}\n")
        return 0
    text = args[0]
    if text[:1].isdigit():
        value = 0
        for digit in text:
            if digit not in "01234567":
                raise BuiltinError(f"Illegal number: {text}")
            value = value * 8 + int(digit)
        os.umask(value & 0o777)
    else:
        os.umask(~apply_symbolic(text, ~mask & 0o777) & 0o777)
    return 0


def symbolic(perms: int, bits: int) -> str:
    return "".join(letter for letter, bit in (("r", 0o444), ("w", 0o222), ("x", 0o111))
                   if perms & bits & bit)


def apply_symbolic(text: str, perms: int) -> int:
    """chmod-style clauses (u+w,g=rx,o-rwx,+x...) applied to the permissions a new file may
    get (the mask's complement), as dash's umask does; raises "Illegal mode" otherwise."""
    new = perms
    i, n = 0, len(text)
    positions = 0
    while i < n:
        while i < n and text[i] in "augo":
            positions |= {"a": 0o111, "u": 0o100, "g": 0o010, "o": 0o001}[text[i]]
            i += 1
        positions = positions or 0o111  # no u, g, o or a: all of them
        if i >= n or text[i] not in "=+-":
            break
        op = text[i]
        i += 1
        value = 0
        while i < n and text[i] in "rwxugoXs":
            ch = text[i]
            i += 1
            if ch in "rwx":
                value |= {"r": 4, "w": 2, "x": 1}[ch]
            elif ch in "ugo":
                value |= perms >> {"u": 6, "g": 3, "o": 0}[ch]  # copy of another class
            elif ch == "X" and perms & 0o111:
                value |= 1
        value = (value & 7) * positions
        if op == "-":
            new &= ~value
        elif op == "=":
            new = value | (new & ~(positions * 7))
        else:
            new |= value
        if i < n and text[i] == ",":
            positions = 0
            i += 1
        elif i >= n or text[i] not in "=+-":
            break
    if i < n:
        raise BuiltinError(f"Illegal mode: {text}")
    return new & 0o777


# --- ulimit ------------------------------------------------------------------------------



# dash's table: option letter, what -a prints, the RLIMIT_ constant, the unit in bytes.
LIMITS = (("t", "time(seconds)", resource.RLIMIT_CPU, 1),
          ("f", "file(blocks)", resource.RLIMIT_FSIZE, 512),
          ("d", "data(kbytes)", resource.RLIMIT_DATA, 1024),
          ("s", "stack(kbytes)", resource.RLIMIT_STACK, 1024),
          ("c", "coredump(blocks)", resource.RLIMIT_CORE, 512),
          ("m", "memory(kbytes)", resource.RLIMIT_RSS, 1024),
          ("l", "locked memory(kbytes)", resource.RLIMIT_MEMLOCK, 1024),
          ("p", "process", resource.RLIMIT_NPROC, 1),
          ("n", "nofiles", resource.RLIMIT_NOFILE, 1),
          ("v", "vmemory(kbytes)", resource.RLIMIT_AS, 1024),
          ("w", "locks", 10, 1),  # RLIMIT_LOCKS (Linux), not in Python's resource module
          ("r", "rtprio", resource.RLIMIT_RTPRIO, 1))


@builtin("ulimit", summary="ulimit [-HS] [-a | -tfdscmlpnvwr] [LIMIT]: show or set a resource "
                           "limit (getrlimit/setrlimit); children inherit it")
def ulimit(shell: Shell, argv: list[str]) -> int:
    hard, soft = True, True  # setting changes both; showing shows the soft one
    show_all = False
    which = LIMITS[1]  # -f by default, as POSIX says
    args = argv[1:]
    while args and args[0].startswith("-") and len(args[0]) > 1:
        word = args.pop(0)
        if word == "--":
            break
        for letter in word[1:]:
            if letter in "HS":
                hard, soft = letter == "H", letter == "S"  # the last one counts
            elif letter == "a":
                show_all = True
            else:
                found = [limit for limit in LIMITS if limit[0] == letter]
                if not found:
                    raise BuiltinError(f"Illegal option -{letter}")
                which = found[0]
    value = None
    if args:
        if show_all or len(args) > 1:
            raise BuiltinError("too many arguments")
        if args[0] == "unlimited":
            value = resource.RLIM_INFINITY
        elif args[0].isdigit() and args[0].isascii():
            value = int(args[0]) * which[3]
        else:
            raise BuiltinError("bad number")
    if show_all:
        for _letter, label, resource_id, unit in LIMITS:
            out(f"{label:<20} {limit_text(resource.getrlimit(resource_id)[not soft], unit)}\n")
        return 0
    _, label, resource_id, unit = which
    current = resource.getrlimit(resource_id)
    if value is None:
        out(limit_text(current[not soft], unit) + "\n")
        return 0
    new = (value if soft else current[0], value if hard else current[1])
    try:
        resource.setrlimit(resource_id, new)
    except (OSError, ValueError) as err:
        # Python turns the kernel's EPERM (raising a hard limit) into a ValueError.
        if isinstance(err, OSError):
            reason = err.strerror
        elif "not allowed" in str(err):
            reason = "Operation not permitted"
        else:
            reason = "Invalid argument"
        raise BuiltinError(f"error setting limit ({reason})") from None
    return 0


def limit_text(value: int, unit: int) -> str:
    return "unlimited" if value == resource.RLIM_INFINITY else str(value // unit)


# --- times, hash -------------------------------------------------------------------------


@builtin("times", summary="times: CPU time used by the shell and by its children (user, system)")
def times(shell: Shell, argv: list[str]) -> int:
    used = os.times()
    for user, system in ((used.user, used.system),
                         (used.children_user, used.children_system)):
        out(f"{minutes(user)} {minutes(system)}\n")
    return 0


def minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}m{seconds % 60:f}s"


@builtin("hash", summary="hash [-r] [NAME...]: remember where programs are ($PATH search); "
                          "list, add or forget (-r)")
def hash_(shell: Shell, argv: list[str]) -> int:
    flags, args = options(argv, "rv")
    cache = shell._programs
    if "r" in flags:
        cache.clear()
    if not args:
        if "r" not in flags:
            for name in cache:
                out(f"{cache[name]}\n")
        return 0
    status = 0
    for name in args:
        if "/" in name:
            continue
        if name in BUILTINS:
            continue
        cache.pop(name, None)
        path = shell.find_program(name)
        if path is None:
            error(f"hash: {name}: not found")
            status = 1
        elif "v" in flags:
            out(f"{path}\n")
    return status
