"""The runner: a shell under test in a real pseudo-terminal, driven step by step.

Each test gets a fresh shell in a fresh folder inside the sandbox, spawned by pexpect on a
pty (so job control, Ctrl-C and echo behave as for a person at a terminal), driven by the
test's steps (spec.py), and judged on what it printed, what files it made, what /proc says
about its children and file descriptors, and — for traced tests — which system calls
minitrace saw. Whatever happens, the test ends with everything it started killed.

Outcomes stay distinct because each asks for a different fix: FAILED (it answered wrongly),
TIMEOUT (it never answered: a pipe end left open, a missing wait), CRASHED (it died of a
signal), ERROR (the grader broke).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import signal
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

from . import spec, text
from .model import Outcome, TestResult
from .sandbox import Cell, Sandbox, proc_stat

OUTPUT_CAP = 1 << 20  # a shell that prints more than 1 MiB in one test is flooding
POLL = 0.02
SETTLE = 0.02  # quiet time after a prompt before we believe it


class StepFailed(Exception):
    """The shell's behaviour differs from the test: FAILED (or the given outcome)."""

    def __init__(self, reason: str, detail: str = "", outcome: Outcome = Outcome.FAILED):
        super().__init__(reason)
        self.reason, self.detail, self.outcome = reason, detail, outcome


@dataclass
class Options:
    prompt: str = r"\$ "
    timeout_factor: float = 1.0
    hidden: bool = False
    transcripts: Path | None = None
    tracer: list[str] | None = None  # argv prefix of minitrace, None when it is missing
    tracer_missing: str = "minitrace is not installed"
    select: list[str] | None = None  # run only tests whose name contains one of these
    jobs: int = 1  # tests run side by side (each has its own shell, folder and terminal)


@dataclass
class Session:
    """One running shell: the pty, everything it printed, and where we are in it."""

    child: pexpect.spawn
    sandbox: Cell
    cwd: Path
    options: Options
    wrappers: tuple[str, ...] = ()  # cmdline words of processes between us and the shell
    raw: str = ""
    sent: list[str] = field(default_factory=list)
    echo_spans: list[tuple[int, int]] = field(default_factory=list)
    mark: int = 0  # start of the current command's output in the normalized text
    last: str = ""  # output of the last Line
    last_line: str = ""
    dead: bool = False
    baseline_fds: dict[str, str] | None = None
    wants_fds: bool = False  # take the fd baseline at the first prompt (for NoLeakedFds)
    _shell_pid: int | None = None
    _decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")("replace"))
    _norm: str = ""  # normalized text of raw[:_norm_len], which ends at a newline
    _norm_len: int = 0

    # -- reading -------------------------------------------------------------------------
    @property
    def screen(self) -> str:
        """The normalized text. Complete lines are normalized once and kept (a terminal
        line never changes after its newline), so a long output costs linear time."""
        end = self.raw.rfind("\n", self._norm_len) + 1
        if end > self._norm_len:
            self._norm += text.normalize(self.raw[self._norm_len:end])
            self._norm_len = end
        return self._norm + text.normalize(self.raw[self._norm_len:])

    def pump(self, wait: float) -> None:
        """Read whatever the shell printed within `wait` seconds (all that is ready)."""
        if self.dead:
            time.sleep(wait)
            return
        timeout = wait
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=timeout)
            except pexpect.TIMEOUT:
                return
            except pexpect.EOF:
                self.dead = True
                return
            self.raw += self._decoder.decode(data)
            if len(self.raw) > OUTPUT_CAP:
                raise StepFailed(f"the shell printed more than {OUTPUT_CAP >> 20} MiB; output "
                                 "is cut there (an endless loop printing?)")
            timeout = 0  # drain what is already there, then let the caller look

    def wait_for(self, predicate, seconds: float, what: str, allow_death: bool = False):
        """Poll until predicate() is truthy; TIMEOUT (or a death report) otherwise."""
        deadline = time.monotonic() + seconds * self.options.timeout_factor
        while True:
            result = predicate()
            if result:
                return result
            if self.dead and not allow_death:
                self.pump(0)
                result = predicate()
                if result:
                    return result
                raise self.death(f"while waiting for {what}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StepFailed(f"timed out after {seconds * self.options.timeout_factor:g} s "
                                 f"waiting for {what}", outcome=Outcome.TIMEOUT)
            self.pump(min(POLL * 5, remaining))

    def output_since(self, start: int, end: int | None = None) -> str:
        """Normalized text from `start` (to `end`), without the echo of what we typed."""
        screen, out, pos = self.screen[:end], [], start
        for a, b in self.echo_spans:
            if b <= pos:
                continue
            out.append(screen[pos:max(a, pos)])
            pos = max(pos, b)
        out.append(screen[pos:])
        return "".join(out)

    def view(self, where: str) -> str:
        return self.last if where == "last" else self.output_since(0)

    # -- the process ---------------------------------------------------------------------
    def status(self) -> tuple[int | None, int | None]:
        """(exit status, signal) of the shell once dead. Under bubblewrap a signal death
        arrives as 128+N, as in a shell's $?."""
        self.child.close(force=True)
        code, sig = self.child.exitstatus, self.child.signalstatus
        if self.sandbox.use_bwrap and code is not None and code > 128 and code - 128 < 65:
            return None, code - 128
        return code, sig

    def death(self, when: str) -> StepFailed:
        code, sig = self.status()
        after = f" after `{self.last_line}`" if self.last_line else ""
        if sig:
            name = signal.Signals(sig).name
            return StepFailed(f"the shell was killed by {name}{after} {when}",
                              outcome=Outcome.CRASHED)
        return StepFailed(f"the shell exited with status {code}{after} {when}")

    def shell_pid(self) -> int:
        """The shell's pid as seen from here (under bwrap the shell is a grandchild)."""
        if self._shell_pid is None:
            self._shell_pid = self._find_shell_pid()
        return self._shell_pid

    def _find_shell_pid(self) -> int:
        pid = self.child.pid
        for _ in range(6):
            cmd = _cmdline(pid)
            if not cmd or not (cmd[0].endswith("bwrap") or any(w in cmd for w in self.wrappers)
                               or "launch.py" in " ".join(cmd[:4])):
                return pid
            kids = _children(pid)
            if not kids:
                return pid
            pid = min(kids)
        return pid

    def send(self, data: str) -> None:
        if self.dead:
            raise self.death("before we could type")
        self.child.send(data.encode())

    def close(self) -> None:
        self.sandbox.kill_all(self.child.pid, whole_uid=self.options.jobs == 1)
        self.child.close(force=True)


def _cmdline(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = proc_stat(int(entry))
            if st and int(st[1]) == pid:
                kids.append(int(entry))
    return kids


def _runs(root: int, command: str) -> bool:
    """Does a descendant of root run exactly `command`?"""
    todo = _children(root)
    while todo:
        pid = todo.pop()
        if " ".join(_cmdline(pid)) == command:
            return True
        todo += _children(pid)
    return False


def _fd_targets(pid: int) -> dict[str, str]:
    fds = {}
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                fds[fd] = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                pass
    except OSError:
        pass
    return fds


# -- the steps -----------------------------------------------------------------------------

def _wait_prompt(s: Session, seconds: float, what: str) -> None:
    prompt = re.compile("(?:" + s.options.prompt + r")\Z")
    start = s.mark

    def at_prompt():
        return prompt.search(s.screen, start)

    m = s.wait_for(at_prompt, seconds, what)
    while not s.dead:  # still at the end once output settles? (an echo can end in "$ ")
        size = len(s.raw)
        s.pump(SETTLE)
        if len(s.raw) == size:
            break
        m = s.wait_for(at_prompt, seconds, what)
    _skip_second_echo(s)
    # The prompt is the whole line it ends (e.g. "~/src $ "): the output is what precedes it.
    line_start = max(s.screen.rfind("\n", s.mark, m.start()) + 1, s.mark)
    s.last = s.output_since(s.mark, line_start)
    s.mark = len(s.screen)
    if s.baseline_fds is None and s.wants_fds:
        s.baseline_fds = _fd_targets(s.shell_pid())


def _skip_second_echo(s: Session) -> None:
    """Typed before a line editor switched the terminal to raw mode, a line is echoed twice:
    by the tty, then by the editor. The second copy is echo too, not output."""
    if not s.last_line or not s.echo_spans or s.echo_spans[-1][1] != s.mark:
        return
    again = text.normalize(s.last_line) + "\n"
    if s.screen.startswith(again, s.mark):
        s.echo_spans.append((s.mark, s.mark + len(again)))
        s.mark += len(again)


def _type_line(s: Session, line: str) -> None:
    """Send a line and skip its echo (the tty's or the line editor's)."""
    before = len(s.screen)
    s.sent.append(line)
    s.send(line + "\r")
    s.last_line = line
    norm = text.normalize(line)

    def echoed():
        i = s.screen.find(norm, before)
        return i + 1 if i >= 0 and "\n" in s.screen[i + len(norm):] else 0

    try:
        i = s.wait_for(echoed, 1.0, "the echo", allow_death=True) - 1
    except StepFailed:
        s.mark = before  # no echo (a shell that turned it off): everything is output
        return
    end = s.screen.index("\n", i + len(norm)) + 1
    s.echo_spans.append((i, end))
    s.mark = end


def _check_text(s: Session, view_text: str, ok: bool, expectation: str, where: str) -> None:
    if ok:
        return
    shown = "the last command's output" if where == "last" else "the output"
    shown_text = text.visible(view_text).rstrip("\n") or "(nothing)"
    raise StepFailed(expectation, f"{shown}:\n{text.indent(shown_text)}")


def run_step(s: Session, step: spec.Step) -> None:
    match step:
        case spec.Line(line, wait_prompt, timeout):
            _type_line(s, line)
            if wait_prompt:
                _wait_prompt(s, timeout, f"the prompt after `{line}`")
        case spec.Send(data):
            s.sent.append(data)
            s.send(data)
        case spec.Key(name):
            s.sent.append(f"<{name}>")
            s.mark = len(s.screen)
            s.send(spec.KEYS[name])
            s.last_line = f"<{name}>"
        case spec.Signal(name, to):
            pid = s.shell_pid()
            sig = signal.Signals["SIG" + name.removeprefix("SIG")]
            s.sent.append(f"<kill -{sig.name} {to}>")
            st = proc_stat(pid)
            if to == "shell" or st is None:
                target = pid
            else:
                target = -int(st[5])  # tpgid: the terminal's foreground process group
            try:
                os.kill(target, sig)
            except ProcessLookupError:
                pass
        case spec.Sleep(seconds):
            s.sent.append(f"<sleep {seconds:g}>")
            s.pump(0)
            end = time.monotonic() + seconds * s.options.timeout_factor
            while time.monotonic() < end:
                s.pump(min(POLL * 5, max(0.0, end - time.monotonic())))
        case spec.Running(command, timeout):
            s.sent.append(f"<wait until `{command}` runs>")
            s.wait_for(lambda: _runs(s.shell_pid(), command), timeout,
                       f"`{command}` to start")
        case spec.Finished(command, timeout):
            s.sent.append(f"<wait until `{command}` ends>")
            s.wait_for(lambda: not _runs(s.shell_pid(), command), timeout,
                       f"`{command}` to end", allow_death=True)
        case spec.Prompt(timeout):
            _wait_prompt(s, timeout, "the prompt")
        case spec.Output(expected, masks):
            actual = text.mask(s.last, masks)
            expected = text.mask(expected, masks)
            if actual != expected:
                raise StepFailed(f"`{s.last_line}` printed something else than expected",
                                 "expected vs actual (· space, → tab, ⏎ end of line):\n"
                                 + text.indent(text.diff(expected, actual)))
        case spec.Contains() as want:
            what = f"a match of /{want.text}/" if want.regex else repr(want.text)
            _expect_eventually(s, lambda v: _found(want, v), want.where, want.wait,
                               f"expected {what} in the output")
        case spec.Absent() as unwanted:
            s.pump(0)
            v = s.view(unwanted.where)
            _check_text(s, v, not _found(unwanted, v),
                        f"{unwanted.text!r} should not appear in the output", unwanted.where)
        case spec.File(path, content, exists, wait):
            if wait:
                try:
                    s.wait_for(lambda: (s.cwd / path).exists(), wait, path, allow_death=True)
                except StepFailed:
                    pass  # judged just below, with the precise reason
            _check_file(s.cwd / path, path, content, exists)
        case spec.NoZombies():
            _check_zombies(s)
        case spec.NoLeakedFds():
            _check_fds(s)
        case spec.Exits(status, timeout):
            s.wait_for(lambda: s.dead, timeout, "the shell to exit", allow_death=True)
            code, sig = s.status()
            if sig:
                raise StepFailed(f"the shell was killed by {signal.Signals(sig).name} instead "
                                 "of exiting", outcome=Outcome.CRASHED)
            if status is not None and code != status:
                raise StepFailed(f"the shell exited with status {code}, expected {status}")
        case spec.Alive():
            s.pump(0.05)
            if s.dead:
                raise s.death("(it should still be running)")
        case spec.Mechanism():
            pass  # judged after the shell ended, from the trace: see check_mechanism
        case _:
            raise TypeError(f"unknown step {step!r}")


def _found(step: spec.Contains | spec.Absent, view: str) -> bool:
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
        _check_text(s, s.view(where), False, expectation, where)


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


def _check_zombies(s: Session) -> None:
    pid = s.shell_pid()
    zombies = []
    for kid in _children(pid):
        st = proc_stat(kid)
        if st and st[0] == "Z":
            zombies.append(f"{kid} ({_comm(kid)})")
    if zombies:
        raise StepFailed(f"the shell left {len(zombies)} zombie child(ren): it never called "
                         "wait/waitpid for them", "zombies: " + ", ".join(zombies))


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"


def _check_fds(s: Session) -> None:
    now = _fd_targets(s.shell_pid())
    base = s.baseline_fds or {}
    leaked = {fd: t for fd, t in now.items()
              if base.get(fd) != t and (t.startswith("pipe:") or t.startswith(str(s.cwd)))}
    if leaked:
        listing = ", ".join(f"fd {fd} -> {t}" for fd, t in sorted(leaked.items()))
        raise StepFailed("the shell kept file descriptors open after the command ended "
                         "(close pipe ends and redirected files in the shell)", listing)


# -- the mechanism, from minitrace's --json record -----------------------------------------

SHELLS = {"sh", "bash", "dash", "zsh", "ksh", "mksh", "busybox", "ash", "fish"}


def check_mechanism(events: list[dict], needs: tuple[str, ...]) -> list[str]:
    """What the traced shell failed to do itself; [] when it really forked, exec'd, waited,
    piped and redirected, and never handed a command line to `sh -c`."""
    starts = [e for e in events if e.get("type") == "start"]
    if not starts:
        return ["the trace is empty: the shell did not start under the tracer"]
    shell = starts[0]["pid"]  # minitrace's first process is the command it was given
    calls: dict[int, set[str]] = {}
    for e in events:
        if e.get("type") == "syscall":
            calls.setdefault(e["pid"], set()).add(e["name"])
    mine = calls.get(shell, set())
    kids = {e["child"] for e in events if e.get("type") == "spawn" and e["pid"] == shell
            and e.get("kind") != "thread"}
    execs_in_kids = [e for e in events if e.get("type") == "exec" and e["pid"] in kids]
    problems = []
    if "fork" in needs and not kids:
        problems.append("the shell never created a process (fork/clone)")
    if "exec" in needs and not execs_in_kids:
        problems.append("no child of the shell called execve")
    if "wait" in needs and not mine & {"wait4", "waitid"}:
        problems.append("the shell never called wait4/waitpid/waitid")
    family = {shell} | kids
    if "pipe" in needs and not any(calls.get(p, set()) & {"pipe", "pipe2"} for p in family):
        problems.append("the shell never called pipe")
    if "dup" in needs and not any(calls.get(p, set()) & {"dup", "dup2", "dup3"} for p in family):
        problems.append("no dup2 (or dup) call redirected a file descriptor")
    for e in events:
        if e.get("type") != "exec" or e["pid"] == shell or len(e.get("argv") or []) < 2:
            continue
        prog = os.path.basename(e.get("path") or e["argv"][0])
        if prog in SHELLS and e["argv"][1] == "-c":
            problems.append(f"a command was handed to `{prog} -c` (system() or popen()): "
                            f"{' '.join(e['argv'][:3])!r}")
            break
    return problems


# -- one test, start to end ----------------------------------------------------------------

@dataclass
class Submission:
    argv: list[str]  # how to start the shell (inside the sandbox)
    name: str


def run_test(test: spec.Test, sub: Submission, sandbox: Sandbox, options: Options,
             number: int) -> TestResult:
    start = time.monotonic()
    visibility = "hidden" if test.hidden else "visible"
    result = TestResult(test.name, test.points, 0.0, Outcome.PASSED, visibility=visibility,
                        tags=list(test.tags))
    if test.traced and options.tracer is None:
        result.outcome, result.max_points = Outcome.SKIPPED, 0.0
        result.reason = f"not checked: {options.tracer_missing}"
        return result
    cwd = sandbox.workdir / "tests" / f"{number:02d}"
    cwd.mkdir(parents=True)
    for name, content in test.files.items():
        (cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (cwd / name).write_text(content)
    # Its own uid (or user namespace): a fork bomb here cannot starve the tests beside it.
    cell = sandbox.cell(cwd)
    trace_file = cwd / ".trace.jsonl"
    argv = sub.argv
    wrappers: tuple[str, ...] = ()
    if test.traced:
        argv = [*options.tracer, "--json", "-o", str(trace_file), "--", *sub.argv]
        wrappers = tuple(options.tracer[-1:]) + ("minishell.trace",)
    session = None
    try:
        command = cell.command(argv, cwd=cwd)
        child = pexpect.spawn(
            command[0], command[1:],
            env={"PATH": os.defpath}, dimensions=(24, 1000), encoding=None, timeout=None)
        child.delaybeforesend = None
        # We kill the whole sandbox ourselves before closing: pexpect's polite waits
        # (0.1 s after close, 0.1 s per signal) would only add up.
        child.delayafterclose = child.delayafterterminate = 0.0
        child.ptyproc.delayafterclose = child.ptyproc.delayafterterminate = 0.0
        session = Session(child, cell, cwd, options, wrappers=wrappers,
                          wants_fds=any(isinstance(st, spec.NoLeakedFds) for st in test.steps))
        _run_steps(session, test)
        if test.traced:
            _judge_trace(session, test, trace_file)
    except StepFailed as exc:
        result.outcome, result.reason = exc.outcome, exc.reason
        result.feedback = _feedback(session, exc.detail)
    except Exception as exc:  # a bug in the grader or the spec: never the student's fault
        result.outcome = Outcome.ERROR
        result.reason = f"grader error: {type(exc).__name__}: {exc}"
        result.feedback = _feedback(session, "")
    finally:
        if session is not None:
            session.close()
        cell.close()
    if result.outcome is Outcome.PASSED:
        result.points = test.points
    result.duration = time.monotonic() - start
    if session is not None:
        result.transcript = _save_transcript(session, test, number, options, result)
    return result


def _run_steps(s: Session, test: spec.Test) -> None:
    deadline = time.monotonic() + test.timeout * s.options.timeout_factor
    # Every test begins at a prompt, as a person would.
    _wait_prompt(s, 10.0, f"the first prompt (text ending in /{s.options.prompt}/; print it "
                 "and flush standard output before reading)")
    for step in test.steps:
        if time.monotonic() > deadline:
            limit = test.timeout * s.options.timeout_factor
            raise StepFailed(f"the test took longer than its {limit:g} s limit",
                             outcome=Outcome.TIMEOUT)
        run_step(s, step)


def _judge_trace(s: Session, test: spec.Test, trace_file: Path) -> None:
    needs = next((st.needs for st in test.steps if isinstance(st, spec.Mechanism)), None)
    if needs is None:
        return
    if not s.dead:
        s.wait_for(lambda: s.dead, 5.0, "the traced shell to exit", allow_death=True)
    s.close()
    try:
        lines = trace_file.read_text().splitlines()
        events = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise StepFailed(f"minitrace left no readable trace ({exc})",
                         outcome=Outcome.ERROR) from exc
    problems = check_mechanism(events, needs)
    if problems:
        raise StepFailed("the shell did not do the work itself: " + "; ".join(problems),
                         f"{len(events)} events traced")


def _feedback(s: Session | None, detail: str) -> str:
    parts = []
    if s is not None and s.sent:
        parts.append("input sent:\n" + text.indent("\n".join(s.sent)))
    if detail:
        parts.append(detail)
    if s is not None:
        parts.append("last lines of the terminal:\n"
                     + text.indent(text.tail(s.screen) or "(nothing)"))
    return "\n".join(parts)


def _save_transcript(s: Session, test: spec.Test, number: int, options: Options,
                     result: TestResult) -> str | None:
    if options.transcripts is None:
        return None
    options.transcripts.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", test.name).strip("-").lower()
    path = options.transcripts / f"{number:02d}-{slug}.txt"
    path.write_text(f"test: {test.name}\noutcome: {result.outcome}\nreason: {result.reason}\n"
                    f"input sent:\n{text.indent(chr(10).join(s.sent))}\n"
                    f"--- terminal (normalized) ---\n{s.screen}\n"
                    f"--- terminal (raw, repr) ---\n{s.raw[:OUTPUT_CAP]!r}\n")
    return str(path)


def run_tests(tests: list[spec.Test], sub: Submission, sandbox: Sandbox,
              options: Options) -> list[TestResult]:
    """Run the chosen tests, `options.jobs` at a time, results in the spec's order. A test
    waits for the test it depends on, and is not run (and says why) if that one failed."""
    chosen = chosen_tests(tests, options)
    futures: dict[str, Future] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, options.jobs))
    try:
        for number, test in chosen:
            # Dependencies come earlier in the list, so in this FIFO pool they have started
            # before any test that waits for them: no deadlock.
            dep = futures.get(test.depends) if test.depends else None
            futures[test.name] = pool.submit(_run_after, dep, test, sub, sandbox, options,
                                             number)
        return [futures[t.name].result() for _, t in chosen]
    finally:
        # Interrupted (Ctrl-C, SIGTERM): tests not started never start; running ones end
        # within their own timeouts, then the sandbox is swept.
        pool.shutdown(wait=True, cancel_futures=True)


def chosen_tests(tests: list[spec.Test], options: Options) -> list[tuple[int, spec.Test]]:
    """(number, test) of the tests this run includes (--hidden, -k)."""
    return [(n, t) for n, t in enumerate(tests, 1)
            if (options.hidden or not t.hidden)
            and (not options.select or _selected(t.name, options.select, tests))]


def _run_after(dep: Future | None, test: spec.Test, sub: Submission, sandbox: Sandbox,
               options: Options, number: int) -> TestResult:
    if dep is not None and not dep.result().passed:
        return TestResult(test.name, test.points, 0.0, Outcome.FAILED,
                          reason=f"not run: it needs test {dep.result().name!r} to pass first",
                          visibility="hidden" if test.hidden else "visible",
                          tags=list(test.tags))
    return run_test(test, sub, sandbox, options, number)


def _selected(name: str, keys: list[str], tests: list[spec.Test]) -> bool:
    """-k KEY picks the test named KEY exactly if there is one, else every name holding KEY."""
    names = {t.name.lower() for t in tests}
    return any(name.lower() == k.lower() if k.lower() in names else k.lower() in name.lower()
               for k in keys)


def find_tracer(sandbox: Sandbox) -> tuple[list[str] | None, str]:
    """minitrace's argv when it is installed and can trace inside this sandbox (ptrace may
    be forbidden, the interpreter unreadable by the sandbox user), else (None, why): the
    mechanism test is then skipped, never blamed on the student."""
    exe = Path(sys.executable).with_name("minitrace")
    found = str(exe) if exe.exists() else shutil.which("minitrace")
    if found is None:
        return None, "minitrace is not installed"
    probe = sandbox.workdir / ".tracer-probe.jsonl"
    res = sandbox.run([found, "--json", "-o", str(probe), "--", "/bin/true"], timeout=30)
    ok = res.returncode == 0 and probe.exists() and '"exec"' in probe.read_text()
    probe.unlink(missing_ok=True)
    if not ok:
        why = (res.stdout.strip().splitlines() or [f"status {res.returncode}"])[-1]
        return None, f"minitrace cannot trace in this sandbox ({why})"
    return [found], "ok"
