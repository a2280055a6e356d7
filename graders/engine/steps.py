"""Driving a shell as a person at a terminal would: type a line, wait for the prompt, press
Ctrl-C, look at what appeared. Each step of a test (graders/spec.py) is interpreted here.

The prompt is the shell's way of saying "your command is done, I am reading again": we
wait for it after each line, and what appeared between the echo of the line and the prompt
is that command's output.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from minishell import procfs
from minishell.signals import signal_name, signal_number

from .. import spec, text
from ..model import Outcome
from . import proc_checks
from .session import POLL, Session, StepFailed
from .terminal import seen

SETTLE = 0.02  # quiet time after a prompt before we believe it (unless all are asleep)
# Stuck: no output and the same /proc picture (all asleep, no CPU tick) twice, QUIET apart.
QUIET = 0.5


def stuck_detector(s: Session) -> Callable[[], bool]:
    """A predicate that turns true once the shell is plainly stuck: nothing printed for
    QUIET seconds, then the same picture of its processes QUIET seconds later, every one
    asleep and none having used a tick of CPU. A slow machine shows as running processes
    (state R) or CPU time spent, never as this; a deadlock shows as exactly this."""
    quiet = QUIET * s.options.timeout_factor
    last = {"printed": -1, "since": 0.0, "snap": None}

    def stuck() -> bool:
        now = time.monotonic()
        if s.printed != last["printed"]:
            last.update(printed=s.printed, since=now, snap=None)
            return False
        if now - last["since"] < quiet:
            return False
        snap = proc_checks.activity(s.child.pid)  # the whole tree: wrappers too
        if snap != last["snap"] or not proc_checks.all_blocked(snap):
            last.update(since=now, snap=snap)
            return False
        return True

    return stuck


def wait_prompt(s: Session, seconds: float, what: str, stuck_ok: bool = False) -> None:
    """Wait until the screen ends with the prompt (or, in a test that keeps standard error
    apart, until standard error does: many shells print their prompt there). A timeout
    says why when /proc shows it: a pipe end left open, a stage never started."""
    try:
        _wait_prompt(s, seconds, what, None if stuck_ok else stuck_detector(s))
    except StepFailed as exc:
        if exc.outcome is Outcome.TIMEOUT and not s.dead:
            typed = [line for line in s.sent if not line.startswith("<")]
            causes = proc_checks.diagnose_pipes(s.shell_pid())
            if typed and s.sent[-1].startswith("<"):  # a key or a signal came after it
                causes += proc_checks.diagnose_foreground(s.shell_pid(), typed[-1].strip())
            if causes:
                exc.reason += ": " + "; ".join(causes)
        raise


def _wait_prompt(s: Session, seconds: float, what: str,
                 stuck: Callable[[], bool] | None) -> None:
    prompt = re.compile("(?:" + s.options.prompt + r")\Z")
    start, err_start = s.mark, s.err_mark

    def at_prompt():
        m = prompt.search(s.screen, start)
        if m is None and s.err is not None:
            e = prompt.search(s.err.text, err_start)
            return ("stderr", e) if e else None
        return ("terminal", m) if m else None

    where, m = s.wait_for(at_prompt, seconds, what, stalled=stuck)
    while not _quiet(s, SETTLE):  # more came after this "$ ": was it the prompt?
        where, m = s.wait_for(at_prompt, seconds, what, stalled=stuck)
    if where == "terminal":
        _skip_second_echo(s)
        # The prompt is the whole line it ends (e.g. "~/src $ "): the output precedes it.
        line_start = max(s.screen.rfind("\n", s.mark, m.start()) + 1, s.mark)
        s.last = s.output_since(s.mark, _before_prompt_head(s, line_start))
    else:
        s.last = s.output_since(s.mark)
    s.mark = len(s.screen)
    if s.err is not None:
        err = s.err.text
        end = max(err.rfind("\n", err_start, m.start()) + 1, err_start) \
            if where == "stderr" else len(err)
        s.last_err, s.err_mark = err[err_start:end], len(err)
    if s.baseline_fds is None and s.wants_fds:
        s.baseline_fds = procfs.fds(s.shell_pid())


def _quiet(s: Session, seconds: float) -> bool:
    """Wait up to `seconds` for the shell to go quiet: False as soon as it prints more;
    True once every process of the test is asleep with nothing unread (nobody running
    could print more: the shell is blocked reading the terminal), or when the time passed
    without output. A prompt is believed without waiting out SETTLE when the shell blocks
    right after printing it, as it does."""
    end = time.monotonic() + seconds
    size = s.term.size
    while True:
        s.pump(0)
        if s.term.size != size:
            return False
        if s.dead or (proc_checks.all_blocked(proc_checks.activity(s.child.pid))
                      and not s.pump_ready()):
            return True
        left = end - time.monotonic()
        if left <= 0:
            return True
        s.pump(min(POLL / 10, left))  # back at once if it prints


def _row_pattern(row: str) -> re.Pattern[str]:
    """A row of the prompt as learned at the first prompt, made general enough to match it
    again later: a word holding a path (the folder, which `cd` changes) or a number (a
    history counter) may differ; every other character must be the same."""
    parts = []
    for word in re.split(r"(\s+)", row):
        if "/" in word or "~" in word:
            parts.append(r"\S+")
        else:
            parts.append(r"\d+".join(re.escape(p) for p in re.split(r"\d+", word)))
    return re.compile("".join(parts) + r"\Z")


def _before_prompt_head(s: Session, line_start: int) -> int:
    """A shell may print rows of its own before each prompt line: blank lines (the
    statement allows them) or the first line of a two-line prompt (`~/src` then `$ `).
    They belong to the prompt, not to the command's output. Which rows is learned at the
    first prompt (every row above it); later the longest run of rows just above the prompt
    line that matches the end of that run is taken as prompt, so a banner printed once
    is never taken for part of each prompt, and a command's own output is kept."""
    screen = s.screen
    if s.prompt_head is None:
        s.prompt_head = [_row_pattern(row) for row in screen[:line_start].split("\n")[:-1]]
    rows = screen[s.mark:line_start].split("\n")[:-1]
    for k in range(min(len(rows), len(s.prompt_head)), 0, -1):
        if all(p.match(r) for p, r in zip(s.prompt_head[-k:], rows[-k:], strict=True)):
            return line_start - sum(len(r) + 1 for r in rows[-k:])
    return line_start


def _skip_second_echo(s: Session) -> None:
    """Typed before a line editor switched the terminal to raw mode, a line is echoed twice:
    by the tty, then by the editor. The second copy is echo too, not output."""
    if not s.last_line or not s.echo_spans or s.echo_spans[-1][1] != s.mark:
        return
    again = seen(s.last_line) + "\n"
    if s.screen.startswith(again, s.mark):
        s.echo_spans.append((s.mark, s.mark + len(again)))
        s.mark += len(again)


def type_line(s: Session, line: str) -> None:
    """Send a line and skip its echo (the tty's or the line editor's)."""
    before = s.term.settled
    cursor = len(s.screen)  # after the prompt's own trailing blanks
    s.sent.append(line)
    s.send(line + "\r")
    s.last_line = line
    norm = seen(line)

    prompt_end = re.compile("(?:" + s.options.prompt + r")\Z")

    def echoed():
        """Where the echo starts (+1), 0 until it is complete. An echo is the whole rest of
        a row after the prompt (or of a fresh row): the typed text in an error message
        ("mysh: foo: not found" from a shell that echoes nothing) is output, not echo."""
        i = s.screen.find(norm, before)
        while i >= 0:
            end = s.screen.find("\n", i + len(norm))
            if end < 0:
                return 0
            prefix = s.screen[s.screen.rfind("\n", 0, i) + 1:i]
            if not s.screen[i + len(norm):end].strip() and \
                    (not prefix.strip() or prompt_end.search(prefix)):
                return i + 1
            i = s.screen.find(norm, i + 1)
        return 0

    try:
        # A shell that turned the echo off once will not echo the next line either.
        i = s.wait_for(echoed, 0.1 if s.echo_off else 1.0, "the echo", allow_death=True) - 1
    except StepFailed as exc:
        if exc.outcome is not Outcome.TIMEOUT:
            raise  # a flood: said now, not after the prompt's wait
        # No echo (a shell that turned it off): everything is output, from where the
        # cursor stood after the prompt, as a person sees it ("$ hello" shows "hello").
        s.echo_off = True
        s.mark = cursor if s.screen[before:cursor].strip(" ") == "" else before
        return
    end = s.screen.index("\n", i + len(norm)) + 1
    s.echo_spans.append((i, end))
    s.mark = end


def _check_text(view_text: str, ok: bool, expectation: str, where: str) -> None:
    if ok:
        return
    shown = {"last": "the last command's output",
             "stderr": "what the last command wrote on standard error"}.get(where, "the output")
    shown_text = text.visible(view_text).rstrip("\n") or "(nothing)"
    raise StepFailed(expectation, f"{shown}:\n{text.indent(shown_text)}")


def found(step: spec.Contains | spec.Absent, view: str) -> bool:
    view = text.mask(view, step.mask)
    if step.regex:
        return re.search(step.text, view, re.M) is not None
    return text.mask(step.text, step.mask) in view


def _expect_eventually(s: Session, ok, where: str, wait: float, expectation: str) -> None:
    try:
        s.wait_for(lambda: ok(s.view(where)), wait, expectation, allow_death=True)
    except StepFailed as exc:
        if exc.outcome is not Outcome.TIMEOUT:
            raise
        _check_text(s.view(where), False, expectation, where)


def _check_file(path: Path, name: str, content: str | None, exists: bool) -> None:
    if not exists:
        if path.exists():
            raise StepFailed(f"the file {name} should not exist")
        return
    if not path.is_file():
        raise StepFailed(f"the file {name} was not created")
    if content is not None:
        actual = path.read_bytes()[:100_000].decode(errors="replace")
        if actual != content:
            raise StepFailed(f"the file {name} does not hold what it should",
                             "expected vs actual content of " + name
                             + " (· space, ⏎ end of line):\n"
                             + text.indent(text.diff(content, actual)))


def _send_signal(s: Session, name: str, to: str) -> None:
    """kill() to the shell, or to the terminal's foreground process group (tpgid)."""
    pid = s.shell_pid()
    sig = signal_number(name)
    s.sent.append(f"<kill -{signal_name(sig)} {to}>")
    st = procfs.stat(pid)
    target = pid if to == "shell" or st is None else -int(st[5])
    try:
        os.kill(target, sig)
    except ProcessLookupError:
        pass


def _sleep(s: Session, seconds: float) -> None:
    s.sent.append(f"<sleep {seconds:g}>")
    s.pump(0)
    end = time.monotonic() + seconds * s.options.timeout_factor
    while time.monotonic() < end:
        s.pump(min(POLL * 5, max(0.0, end - time.monotonic())))


def _exits(s: Session, status: int | None, timeout: float) -> None:
    s.wait_for(lambda: s.dead, timeout, "the shell to exit", allow_death=True)
    code, sig = s.status()
    if sig:
        raise StepFailed(f"the shell was killed by {signal_name(sig)} instead of exiting",
                         outcome=Outcome.CRASHED)
    if status is not None and code != status:
        raise StepFailed(f"the shell exited with status {code}, expected {status}")


def _output(s: Session, expected: str, masks: tuple[str, ...]) -> None:
    actual = text.mask(s.last, masks)
    expected = text.mask(expected, masks)
    # Blank lines around a command's output are the shell's layout (an empty line after
    # each command, or before its output), not output: a person reads the same text.
    if re.fullmatch(r"\n*" + re.escape(expected) + r"\n*", actual):
        return
    reason = f"`{s.last_line}` printed something else than expected"
    if s.err is not None and not expected:  # standard error is apart: this is stdout
        reason = (f"`{s.last_line}` printed on standard output; error messages belong on "
                  "standard error")
    raise StepFailed(reason, "expected vs actual (· space, → tab, ⏎ end of line):\n"
                     + text.indent(text.diff(expected, actual)))


# A row of `ls -l /proc/self/fd`: "lrwx------ 1 u u 64 Dec  3 22:44 3 -> pipe:[4242]".
_LS_FD = re.compile(r" (\d+) -> (.*)$", re.M)


def _inherits_only_std_fds(s: Session) -> None:
    """What `ls -l /proc/self/fd` listed: 0, 1, 2 and ls's own /proc/N/fd, nothing else.
    Any other descriptor came from the shell, open across fork and exec."""
    fds = {int(m[1]): m[2] for m in _LS_FD.finditer(s.last)}
    listing = text.indent(text.visible(s.last).rstrip("\n") or "(nothing)")
    if not {0, 1, 2} <= fds.keys():
        raise StepFailed(f"`{s.last_line}` did not list descriptors 0, 1 and 2",
                         "the last command's output:\n" + listing)
    leaked = {fd: t for fd, t in fds.items() if fd > 2 and not re.fullmatch(r"/proc/\d+/fd", t)}
    if not leaked:
        return
    why = []
    for fd, target in sorted(leaked.items()):
        fix = ("a pipe end: close each pipe end a child does not use before exec"
               if target.startswith("pipe:") else
               "opened by the shell for itself: open it with O_CLOEXEC (or close it in the "
               "child before exec)")
        why.append(f"fd {fd} -> {target}: {fix}")
    raise StepFailed(f"the program the shell ran inherited descriptor(s) "
                     f"{', '.join(map(str, sorted(leaked)))} besides 0, 1 and 2: the shell "
                     "leaks them into every program it starts",
                     "\n".join(why) + "\n`ls -l /proc/self/fd` printed:\n" + listing)


def run_step(s: Session, step: spec.Step) -> None:
    match step:
        case spec.Line(line, wait_prompt_after, timeout, stuck_ok):
            type_line(s, line)
            if wait_prompt_after:
                wait_prompt(s, timeout, f"the prompt after `{line}`", stuck_ok)
        case spec.Send(data):
            s.sent.append(data)
            s.send(data)
        case spec.Key(name):
            s.sent.append(f"<{name}>")
            s.mark = s.term.settled
            s.send(spec.KEYS[name])
            s.last_line = f"<{name}>"
        case spec.Signal(name, to):
            _send_signal(s, name, to)
        case spec.Sleep(seconds):
            _sleep(s, seconds)
        case spec.Running(command, timeout):
            s.sent.append(f"<wait until `{command}` runs>")
            s.wait_for(lambda: proc_checks.runs(s.shell_pid(), command), timeout,
                       f"`{command}` to start")
        case spec.Finished(command, timeout):
            s.sent.append(f"<wait until `{command}` ends>")
            s.wait_for(lambda: not proc_checks.runs(s.shell_pid(), command), timeout,
                       f"`{command}` to end", allow_death=True)
        case spec.Prompt(timeout):
            wait_prompt(s, timeout, "the prompt", stuck_ok=True)
        case spec.Output(expected, masks):
            _output(s, expected, masks)
        case spec.Contains() as want:
            what = f"a match of /{want.text}/" if want.regex else repr(want.text)
            _expect_eventually(s, lambda v: found(want, v), want.where, want.wait,
                               f"expected {what} in the output")
        case spec.Absent() as unwanted:
            s.pump(0)
            v = s.view(unwanted.where)
            _check_text(v, not found(unwanted, v),
                        f"{unwanted.text!r} should not appear in the output", unwanted.where)
        case spec.File(path, content, exists, wait):
            if wait:
                try:
                    s.wait_for(lambda: (s.cwd / path).exists(), wait, path, allow_death=True)
                except StepFailed:
                    pass  # judged just below, with the precise reason
            _check_file(s.cwd / path, path, content, exists)
        case spec.NoZombies():
            proc_checks.check_zombies(s.shell_pid(), s.screen, s.sent)
        case spec.NoLeakedFds():
            proc_checks.check_fds(s.shell_pid(), s.baseline_fds, s.cwd)
        case spec.InheritsOnlyStdFds():
            _inherits_only_std_fds(s)
        case spec.Exits(status, timeout):
            _exits(s, status, timeout)
        case spec.Alive():
            # Asleep (reading the terminal), it stays alive until we type; otherwise give
            # it a moment (50 ms) to die, if it is going to.
            end = time.monotonic() + 0.05
            while not _quiet(s, end - time.monotonic()) and time.monotonic() < end:
                pass  # it printed more: look again
            if s.dead:
                raise s.death("(it should still be running)")
        case spec.Mechanism():
            pass  # judged after the shell ended, from the trace: see mechanism.judge_trace
        case _:
            raise TypeError(f"unknown step {step!r}")
