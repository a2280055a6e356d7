"""Traps: shell commands run when a signal arrives, or when the shell exits.

OS idea: a signal handler runs *between two instructions* of whatever the process was doing,
so it may do almost nothing safely (POSIX lists the async-signal-safe calls). A shell's
`trap 'cmd' INT` therefore installs a handler that only *records* the signal; the shell runs
`cmd` later, at a safe point: after the current command ends (dash does the same). If the
shell is waiting in waitpid(2) when the signal comes, the kernel interrupts the wait (EINTR),
the handler records the signal, and the wait is restarted: a foreground `sleep 10` finishes
first, then the trap runs.

Dispositions and fork/exec: a child inherits its parent's handlers, and execve(2) resets
every *caught* signal to the default (the handler's code is gone), while an *ignored* one
(`trap '' INT`) stays ignored in the new program. A subshell `( ... )` starts with the
parent's traps reset, as POSIX asks, but keeps the ignored ones.

The executor calls `run_pending(shell)` after each command; the top level calls
`run_exit_trap(status)` once when the shell ends (the EXIT trap, "0").
"""

from __future__ import annotations

import _signal

from . import jobs

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

EXIT = 0
actions: dict[int, str] = {}  # signal number (0: EXIT) -> command text; "" ignores
pending: list[int] = []  # signals caught and not yet handled, in order of arrival
_original: dict[int, object] = {}  # dispositions before the first trap on each signal
_shell: Shell | None = None  # the shell the EXIT trap belongs to
_running = False


def _record(number: int, frame) -> None:
    """The C-level handler's whole job: note the signal (see the module docstring)."""
    pending.append(number)


def set_trap(shell: Shell, number: int, action: str | None) -> None:
    """trap ACTION SIG: None resets to the default, "" ignores, text is run on arrival."""
    global _shell
    _shell = shell
    if action is None:
        actions.pop(number, None)
    else:
        actions[number] = action
    if number == EXIT:
        return
    from .jobs import _inherited_ignores

    if number in _inherited_ignores and not shell.interactive:
        return  # POSIX (and dash): a signal ignored on entry stays ignored, trap or not
    if number not in _original:
        _original[number] = _signal.getsignal(number)
    try:
        if action is None:
            _signal.signal(number, _original[number])
        elif action == "":
            _signal.signal(number, _signal.SIG_IGN)
        else:
            _signal.signal(number, _record)
    except (OSError, ValueError):  # SIGKILL and SIGSTOP cannot be caught nor ignored
        pass
    update_child_resets(shell)


def update_child_resets(shell: Shell) -> None:
    """The signals a child resets to SIG_DFL before exec: the changed ones, except those a
    trap ignores (an ignored signal stays ignored across exec, as POSIX asks)."""
    ignored = {number for number, action in actions.items() if action == ""}
    shell.signals_to_reset = [number for number in
                              jobs.changed_signals(keep_inherited=not shell.interactive)
                              if number not in ignored]


def run_pending(shell: Shell) -> None:
    """Run the trap of each signal that arrived; $? is kept (a trap does not change it)."""
    global _running
    if _running:
        return
    _running = True
    try:
        while pending:
            number = pending.pop(0)
            action = actions.get(number)
            if action:
                saved = shell.status
                shell.run_text(action)
                shell.status = saved
    finally:
        _running = False


def run_exit_trap(status: int) -> int:
    """When the shell ends: run the EXIT trap once, with $? = the exit status. Returns the
    final status (an `exit N` inside the trap changes it)."""
    action = actions.pop(EXIT, None)
    shell = _shell
    if not action or shell is None:
        return status
    from .builtins_base import ExitShell  # (here: an import statement costs page faults)
    shell.status = status
    try:
        shell.run_text(action)
    except ExitShell as leave:
        return leave.status
    return status


def reset_for_subshell() -> None:
    """In a forked subshell: caught signals were reset to SIG_DFL with the others; the traps
    that run commands (and the EXIT trap) are forgotten, the ignored ones stay."""
    if actions:
        for number in [n for n, action in actions.items() if action != ""]:
            del actions[number]
    if pending:
        pending.clear()
