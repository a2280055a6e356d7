"""Jobs: process groups, the controlling terminal, waiting, and the job table.

OS idea: a *job* is one pipeline. With job control (an interactive shell on a terminal) each
job is its own process group (setpgid), so that the terminal can deliver Ctrl-C (SIGINT) and
Ctrl-Z (SIGTSTP) to every process of the foreground job and to nothing else. The shell:

- ignores SIGINT, SIGQUIT, SIGTSTP, SIGTTIN and SIGTTOU itself, so Ctrl-C never kills it;
- hands the terminal to the foreground group (tcsetpgrp) and takes it back afterwards,
  restoring the terminal modes it saved (a program may have left the tty in raw mode);
- waits with waitpid(-pgid, WUNTRACED), which also reports a stage stopped by Ctrl-Z, so the
  job can be kept in the table and resumed later with `fg` or `bg` (SIGCONT).

Without a terminal (`-c`, scripts, stdin) there is no job control, as in dash: children stay
in the shell's process group and the shell waits for each pid.

The signal constants come from `_signal`, the C half of the `signal` module, already loaded by
every Python process: `import signal` would add 7 ms of start-up (it builds enums).
"""

from __future__ import annotations

import _signal
import os

from .explain import enabled as narrating
from .explain import error, narrate, notice

SIG_DFL, SIG_IGN = _signal.SIG_DFL, _signal.SIG_IGN
JOB_CONTROL_SIGNALS = (_signal.SIGINT, _signal.SIGQUIT, _signal.SIGTSTP, _signal.SIGTTIN,
                       _signal.SIGTTOU)
SHELL_IGNORES = (*JOB_CONTROL_SIGNALS, _signal.SIGTERM)  # what an interactive shell ignores

RUNNING, STOPPED, DONE = "Running", "Stopped", "Done"


def signal_name(number: int) -> str:
    """SIGINT for 2, from the toolkit's one table (minishell.signals). Imported only when a
    name is wanted: it loads `enum`, which a shell that only runs commands never needs."""
    from ..signals import signal_name as name

    return name(number)


def signal_number(spec: str) -> int | None:
    """`9`, `KILL`, `SIGKILL`, `kill` -> 9; None if unknown (minishell.signals)."""
    from ..signals import signal_number as number

    return number(spec)


def describe_status(status: int) -> str:
    """A wait status in words: `exited 0`, `killed by SIGINT`, `stopped by SIGTSTP`."""
    if os.WIFEXITED(status):
        return f"exited {os.WEXITSTATUS(status)}"
    if os.WIFSIGNALED(status):
        core = " (core dumped)" if os.WCOREDUMP(status) else ""
        return f"killed by {signal_name(os.WTERMSIG(status))}{core}"
    if os.WIFSTOPPED(status):
        return f"stopped by {signal_name(os.WSTOPSIG(status))}"
    if os.WIFCONTINUED(status):
        return "continued"
    return f"status {status:#x}"


def exit_status(status: int) -> int:
    """The shell's $? for a wait status: the exit code, or 128+N for signal N."""
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    if os.WIFSTOPPED(status):
        return 128 + os.WSTOPSIG(status)
    return 0


# --- signal dispositions ---------------------------------------------------------------

_inherited_ignores: frozenset[int] = frozenset()


def note_inherited_signals() -> None:
    """Remember signals ignored when the shell started (`nohup minishell ...`): as POSIX asks
    of a non-interactive shell, its children keep ignoring them. SIGPIPE and SIGXFSZ are left
    out: Python itself ignores those at start-up, whatever it inherited."""
    global _inherited_ignores
    _inherited_ignores = frozenset(
        number for number in range(1, _signal.NSIG)
        if number not in (_signal.SIGPIPE, _signal.SIGXFSZ)
        and _signal.getsignal(number) == SIG_IGN)


def changed_signals(keep_inherited: bool) -> list[int]:
    """Signals whose disposition is not the default: the list a child resets before exec.
    Computed in the parent (once per change), so the child only makes the few calls needed."""
    changed = []
    for number in range(1, _signal.NSIG):
        handler = _signal.getsignal(number)
        if handler is not None and handler != SIG_DFL:
            if not (keep_inherited and number in _inherited_ignores):
                changed.append(number)
    return changed


def reset_signals(numbers: list[int], unblock: bool = False) -> None:
    """In a child before exec: back to default dispositions. Python ignores SIGPIPE; a program
    started with SIGPIPE ignored gets EPIPE instead of dying, and `yes | head -n1` prints
    'yes: standard output: Broken pipe'. With `unblock`, the signals blocked around fork (see
    block_shell_signals) are let in: one that arrived meanwhile now takes its default action."""
    for number in numbers:
        try:
            _signal.signal(number, SIG_DFL)
        except (OSError, ValueError):
            pass
    if unblock:
        _signal.pthread_sigmask(_signal.SIG_SETMASK, ())


def block_shell_signals() -> None:
    """Around fork, in an interactive shell: block the signals the shell ignores. A child
    keeps the shell's dispositions until it resets them, and an ignored signal is lost: a
    Ctrl-C or a `kill %1` in that moment would do nothing. Linux keeps a blocked signal
    pending even when ignored, and the child unblocks it after its reset."""
    _signal.pthread_sigmask(_signal.SIG_BLOCK, SHELL_IGNORES)


def unblock_shell_signals() -> None:
    _signal.pthread_sigmask(_signal.SIG_UNBLOCK, SHELL_IGNORES)


def ignore_job_control_signals() -> None:
    """Also SIGTERM, as bash does when interactive: `kill 0` must not end the shell."""
    for number in SHELL_IGNORES:
        _signal.signal(number, SIG_IGN)


# --- jobs ----------------------------------------------------------------------------


class Process:
    """One process of a job: its pid, its stage of the pipeline (`jobs -l` shows it), and
    what waitpid last said about it."""

    __slots__ = ("pid", "state", "status", "text")

    def __init__(self, pid: int, text: str = ""):
        self.pid, self.state, self.status, self.text = pid, RUNNING, 0, text

    def __repr__(self) -> str:
        return f"Process({self.pid}, {self.state}, {self.status:#x})"


class Job:
    """A pipeline the shell started: its processes, its process group, its command text."""

    __slots__ = ("text", "pgid", "procs", "number", "notified_state", "background", "tmodes",
                 "waited")

    def __init__(self, text: str, pgid: int | None = None):
        self.text = text
        self.pgid = pgid  # None without job control: the children share the shell's group
        self.procs: list[Process] = []
        self.number = 0  # position in the job table, 0 while not in it
        self.notified_state = RUNNING  # the state the user was last told about
        self.background = False
        self.tmodes: list | None = None  # terminal modes when it was stopped
        self.waited = False  # `wait PID` reported its status (builtins_proc.wait_for)

    @property
    def state(self) -> str:
        states = {proc.state for proc in self.procs}
        if RUNNING in states:
            return RUNNING
        if STOPPED in states:
            return STOPPED
        return DONE

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

    def status(self) -> int:
        """$? of the job: that of its last process (a stopped job: 128 + the stop signal)."""
        if self.state == STOPPED:
            for proc in self.procs:
                if proc.state == STOPPED:
                    return exit_status(proc.status)
        return exit_status(self.procs[-1].status) if self.procs else 0

    def record(self, pid: int, status: int) -> bool:
        """Note a waitpid result for one of this job's pids; False if the pid is not ours."""
        for proc in self.procs:
            if proc.pid == pid:
                if os.WIFSTOPPED(status):
                    proc.state = STOPPED
                elif os.WIFCONTINUED(status):
                    proc.state = RUNNING
                else:
                    proc.state = DONE
                if not os.WIFCONTINUED(status):
                    proc.status = status
                return True
        return False

    def describe(self) -> str:
        """`Running`, `Stopped`, `Done`, `Exit 3`, `Killed`, `Terminated`... as bash says it."""
        state = self.state
        if state != DONE:
            return state
        last = self.procs[-1].status
        if os.WIFSIGNALED(last):
            return _signal.strsignal(os.WTERMSIG(last)) or signal_name(os.WTERMSIG(last))
        code = os.WEXITSTATUS(last)
        return "Done" if code == 0 else f"Exit {code}"


def long_listing(job: Job, mark: str) -> str:
    """`jobs -l` as bash lays it out: every process of the pipeline on a line of its own,
    with its pid, since each is a process of its own (and `kill PID` reaches one of them).

        [1]+ 4242 Running                 sleep 100
             4243                       | cat &
    """
    amp = " &" if job.state == RUNNING else ""
    lines = []
    for index, proc in enumerate(job.procs):
        text = proc.text or (job.text if index == 0 else "")
        end = amp if index == len(job.procs) - 1 else ""
        if index == 0:
            lines.append(f"[{job.number}]{mark} {proc.pid} {job.describe():<24}{text}{end}")
        else:
            lines.append(f"     {proc.pid} {'':22}| {text}{end}")
    return "".join(line + "\n" for line in lines)


def dash_listing(job: Job, mark: str, with_pids: bool) -> str:
    """`jobs` in a shell without job control, laid out as dash does (showjob in its
    jobs.c): the state in a column of 33, then no command text, since dash keeps a job's
    text only when job control is on; a pipeline's other stages as ` | `.

        [1] + Running
        [2] - 4242 Done(3)             |
              4243
    """
    head = f"[{job.number}] {mark} "
    if with_pids:
        head += f"{job.procs[0].pid} "
    state = job.state
    if state == DONE:
        last = job.procs[-1].status
        if os.WIFSIGNALED(last):
            sig = os.WTERMSIG(last)
            state = _signal.strsignal(sig) or signal_name(sig)
            if os.WCOREDUMP(last):
                state += " (core dumped)"
        else:
            code = os.WEXITSTATUS(last)
            state = f"Done({code})" if code else "Done"
    line = head + state
    if not with_pids:
        return line + " " * max(33 - len(line), 1) + " | " * (len(job.procs) - 1) + "\n"
    indent, text = len(f"[{job.number}]   "), ""
    for proc in job.procs[1:]:
        text += line + " " * max(33 - len(line), 1) + " |\n"
        line = " " * indent + f"{proc.pid} "
    return text + line + " " * max(33 - len(line), 1) + "\n"


class JobTable:
    """The jobs the shell knows about, numbered from 1 as `jobs` shows them."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []  # in the order they became current (most recent last)

    def __iter__(self):
        return iter(sorted(self.jobs, key=lambda job: job.number))

    def __len__(self) -> int:
        return len(self.jobs)

    def add(self, job: Job) -> Job:
        if job not in self.jobs:
            # As dash: a finished job whose status `wait` reported keeps its place (and
            # answers another `wait PID`) until the next job needs a number.
            for old in [j for j in self.jobs if j.waited and j.state == DONE]:
                self.jobs.remove(old)
            job.number = max((j.number for j in self.jobs), default=0) + 1
            self.jobs.append(job)
        return job

    def remove(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)

    def make_current(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
            self.jobs.append(job)

    def current(self) -> Job | None:
        """The `+` job: the most recently stopped, else the most recently started."""
        stopped = [job for job in self.jobs if job.state == STOPPED]
        if stopped:
            return stopped[-1]
        return self.jobs[-1] if self.jobs else None

    def previous(self) -> Job | None:
        current = self.current()
        others = [job for job in self.jobs if job is not current]
        return others[-1] if others else None

    def mark(self, job: Job) -> str:
        if job is self.current():
            return "+"
        return "-" if job is self.previous() else " "

    def find(self, spec: str) -> Job:
        """`%n`, `%%`, `%+`, `%-`, `%text` (command starts with text), `%?text` (contains it).
        Raises LookupError with a message for the user."""
        job: Job | None
        if spec in ("%", "%%", "%+"):
            job = self.current()
            if job is None:
                raise LookupError("no current job")
            return job
        if spec == "%-":
            job = self.previous()
            if job is None:
                raise LookupError("no previous job")
            return job
        body = spec[1:]
        if body.isdigit():
            for job in self.jobs:
                if job.number == int(body):
                    return job
        elif body.startswith("?"):
            matches = [job for job in self.jobs if body[1:] in job.text]
            if len(matches) == 1:
                return matches[0]
        else:
            matches = [job for job in self.jobs if job.text.startswith(body)]
            if len(matches) == 1:
                return matches[0]
        raise LookupError(f"{spec}: no such job")

    def by_pid(self, pid: int) -> Job | None:
        for job in self.jobs:
            if pid in job.pids:
                return job
        return None


# --- waiting ---------------------------------------------------------------------------


def waitpid(target: int, options: int) -> tuple[int, int]:
    """os.waitpid, narrated. (Python retries it by itself when a signal interrupts it: EINTR.)
    ECHILD (nothing to wait for) is returned as (0, 0)."""
    try:
        pid, status = os.waitpid(target, options)
    except ChildProcessError:
        return 0, 0
    if pid and narrating():
        flags = _option_names(options)
        shown = f"{target}, {flags}" if flags else f"{target}"
        who = f"{pid} " if pid != target else ""
        narrate(f"waitpid({shown}) = {who}{describe_status(status)}")
    return pid, status


def _option_names(options: int) -> str:
    names = [name for name, bit in (("WNOHANG", os.WNOHANG), ("WUNTRACED", os.WUNTRACED),
                                     ("WCONTINUED", os.WCONTINUED)) if options & bit]
    return "|".join(names)


def wait_for_job(job: Job, job_control: bool) -> None:
    """Wait until every process of a foreground job has ended, or until one has stopped."""
    while job.state == RUNNING:
        if job_control and job.pgid:
            pid, status = waitpid(-job.pgid, os.WUNTRACED)
        else:
            running = [proc.pid for proc in job.procs if proc.state == RUNNING]
            pid, status = waitpid(running[0], 0)
        if pid == 0:  # ECHILD: someone else reaped them; nothing more will come
            for proc in job.procs:
                proc.state = DONE
            return
        job.record(pid, status)


def send_signal(target: int, number: int) -> None:
    """kill(2): a positive target is a pid, a negative one a whole process group."""
    os.kill(target, number)
    narrate(f"kill({target}, {signal_name(number)}) = 0")


def continue_job(job: Job) -> None:
    """kill(-pgid, SIGCONT): every stopped process of the job runs again."""
    for proc in job.procs:
        if proc.state == STOPPED:
            proc.state = RUNNING
    send_signal(-job.pgid if job.pgid else job.pids[-1], _signal.SIGCONT)


def wait_in_foreground(shell, job: Job, resume: bool = False) -> int:
    """Give the job the terminal (and, to resume a stopped job, its terminal modes and
    SIGCONT), wait until it ends or stops, take the terminal back. A stopped job goes into
    the job table (`fg` or `bg` resume it). Returns its $?."""
    terminal = shell.terminal if shell.job_control else None
    if terminal is not None:
        terminal.set_foreground(job.pgid)
        if resume:
            terminal.restore_job_modes(job)
    if resume:
        continue_job(job)
    wait_for_job(job, shell.job_control)
    if terminal is not None:
        terminal.reclaim(job)
    if job.state == STOPPED:
        shell.jobs.add(job)
        shell.jobs.make_current(job)
        job.background = True
        job.notified_state = STOPPED
        notice(f"\n[{job.number}]{shell.jobs.mark(job)} Stopped  {job.text}\n")
    else:
        shell.jobs.remove(job)
        report_killed(job, shell.interactive)
    return job.status()


def report_killed(job: Job, interactive: bool) -> None:
    """As dash and bash: say `Killed`, `Segmentation fault`... when a signal ended a stage of
    a foreground job. Not for SIGINT (the user pressed Ctrl-C) nor SIGPIPE (`yes | head`)."""
    for proc in job.procs:
        if os.WIFSIGNALED(proc.status):
            number = os.WTERMSIG(proc.status)
            if number == _signal.SIGINT:
                if interactive:
                    notice("\n")  # the terminal echoed ^C; the prompt starts on a fresh line
                return
            if number != _signal.SIGPIPE:
                core = " (core dumped)" if os.WCOREDUMP(proc.status) else ""
                notice(f"{_signal.strsignal(number) or signal_name(number)}{core}\n")
                return


# --- the terminal --------------------------------------------------------------------


class Terminal:
    """The controlling terminal of an interactive shell, and who is in its foreground."""

    def __init__(self, fd: int):
        self.fd = fd  # a private close-on-exec copy of the shell's stdin
        self.shell_pgid = self.original_pgid = os.getpgrp()
        self.usable = True
        self.modes: list | None = None

    def take_control(self) -> None:
        """At start-up: wait to be in the foreground, get our own process group, save modes."""
        import termios  # only an interactive shell needs it

        try:
            while os.tcgetpgrp(self.fd) != os.getpgrp():
                os.kill(-os.getpgrp(), _signal.SIGTTIN)  # stop until the user runs us in fg
        except OSError as err:
            self.give_up(err)
        ignore_job_control_signals()
        if not self.usable:
            return
        self.original_pgid = os.getpgrp()
        if os.getpgrp() != os.getpid():  # a session leader (under pexpect) already leads one
            try:
                os.setpgid(0, 0)
                narrate(f"setpgid(0, 0) = 0   (the shell gets its own group {os.getpid()})")
            except OSError:
                pass
        self.shell_pgid = os.getpgrp()
        self.set_foreground(self.shell_pgid)
        try:
            self.modes = termios.tcgetattr(self.fd)
        except termios.error:
            self.modes = None

    def release(self) -> None:
        """At exit: give the terminal back to the group that had it when the shell started."""
        if self.usable and self.original_pgid != self.shell_pgid:
            self.set_foreground(self.original_pgid)

    def give_up(self, err: OSError) -> None:
        if self.usable:
            self.usable = False
            error(f"no terminal control ({err.strerror}): jobs run without the terminal")

    def set_foreground(self, pgid: int) -> None:
        """tcsetpgrp: the terminal's signals (Ctrl-C, Ctrl-Z) go to this group from now on."""
        if not self.usable:
            return
        try:
            os.tcsetpgrp(self.fd, pgid)
            narrate(f"tcsetpgrp({self.fd}, {pgid}) = 0")
        except OSError as err:
            narrate(f"tcsetpgrp({self.fd}, {pgid}) = -1 {err.strerror}")
            self.give_up(err)

    def reclaim(self, job: Job | None = None) -> None:
        """After a foreground job: the shell takes the terminal back and restores its modes."""
        if not self.usable:
            return
        import termios

        self.set_foreground(self.shell_pgid)
        try:
            if job is not None and job.state == STOPPED:
                job.tmodes = termios.tcgetattr(self.fd)
            if self.modes is not None:
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self.modes)
        except termios.error:
            pass

    def restore_job_modes(self, job: Job) -> None:
        """Before `fg`: give a stopped job back the terminal modes it had."""
        if self.usable and job.tmodes is not None:
            import termios

            try:
                termios.tcsetattr(self.fd, termios.TCSADRAIN, job.tmodes)
            except termios.error:
                pass
