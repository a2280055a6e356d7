"""Tests as data: a small declarative Python API, in the spirit of CS:APP's trace files.

A test is a list of steps — send a line, press Ctrl-C, send a signal, sleep, expect — and
the engine (engine.py) interprets them. We chose plain Python dataclasses over YAML:
no new dependency, the spec is checked by the same linter and type checker as the code,
a typo in a step name fails at import time instead of at grading time, and a course can
still generate tests in a loop. The objects are inert data: nothing here runs anything.

Where an expectation looks (`where`):
  "last" — the output of the last `Line`, between its echo and the next prompt;
  "all"  — everything the shell printed in this test, without the echo of what we typed;
  "stderr" — what the shell wrote on its standard error during the last `Line`, in a test
           with stderr="apart" (there the terminal shows standard output only).
Masks (`mask`): "pids" replaces every number outside [] by PID (pids in a pid namespace
are small), "jobs" replaces `[3]` by `[N]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Step:
    """Base class of every step (used only for type hints and isinstance)."""


@dataclass(frozen=True)
class Line(Step):
    """Type a line and press Enter; by default wait until the next prompt: at most
    `timeout` seconds, and less when the shell is plainly stuck (every process of it blocked,
    no output, no CPU time spent for a while). A line whose command may legitimately sit
    blocked (a `sleep 2`) sets `stuck_ok=True`: then only the timeout ends the wait."""
    text: str
    prompt: bool = True
    timeout: float = 3.0
    stuck_ok: bool = False


@dataclass(frozen=True)
class Send(Step):
    """Type raw text (no Enter added, nothing waited for): input for a running program."""
    text: str


KEYS = {"C-c": "\x03", "C-z": "\x1a", "C-d": "\x04", "C-\\": "\x1c"}


@dataclass(frozen=True)
class Key(Step):
    """Press a control key: "C-c" (SIGINT), "C-z" (SIGTSTP), "C-d" (EOF), "C-\\" (SIGQUIT)."""
    name: str

    def __post_init__(self) -> None:
        if self.name not in KEYS:
            raise ValueError(f"unknown key {self.name!r}; known: {', '.join(KEYS)}")


@dataclass(frozen=True)
class Signal(Step):
    """kill() a signal to the shell itself or to the terminal's foreground process group."""
    sig: str  # "INT", "TSTP", "TERM", ...
    to: str = "foreground"  # or "shell"


@dataclass(frozen=True)
class Sleep(Step):
    seconds: float


@dataclass(frozen=True)
class Running(Step):
    """Wait until a process of the shell runs `command` (its argv joined by spaces): then a
    Ctrl-C reaches the program itself, not a child that has not exec'd yet."""
    command: str
    timeout: float = 3.0


@dataclass(frozen=True)
class Finished(Step):
    """Wait until no process of the shell runs `command` any more (a zombie runs nothing):
    then whether it was reaped is up to the shell, not to the machine's speed."""
    command: str
    timeout: float = 5.0


@dataclass(frozen=True)
class Prompt(Step):
    """Wait for the prompt (after a key press, or a `Line(..., prompt=False)`)."""
    timeout: float = 5.0


@dataclass(frozen=True)
class Output(Step):
    """The output of the last Line is exactly `text`."""
    text: str
    mask: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contains(Step):
    """`text` (or, with regex=True, a match of it, re.MULTILINE) appears, waiting up to
    `wait` seconds for it (asynchronous output)."""
    text: str
    where: str = "last"
    wait: float = 0.0
    mask: tuple[str, ...] = ()
    regex: bool = False


def Matches(regex: str, where: str = "last", wait: float = 0.0,  # noqa: N802 (a step)
            mask: tuple[str, ...] = ()) -> Contains:
    """The regular expression matches somewhere."""
    return Contains(regex, where, wait, mask, regex=True)


@dataclass(frozen=True)
class Absent(Step):
    """`text` (or, with regex=True, a match of it) must not appear."""
    text: str
    where: str = "last"
    regex: bool = False
    mask: tuple[str, ...] = ()


@dataclass(frozen=True)
class File(Step):
    """A file in the test's folder has exactly `text` (or just exists / does not exist)."""
    path: str
    text: str | None = None
    exists: bool = True
    wait: float = 0.0  # seconds to wait for it to appear (a background job writing it)


@dataclass(frozen=True)
class NoZombies(Step):
    """No child of the shell is a zombie (read from /proc): every child was waited for."""


@dataclass(frozen=True)
class NoLeakedFds(Step):
    """The shell holds no pipe or file descriptor it did not hold at its first prompt."""


@dataclass(frozen=True)
class InheritsOnlyStdFds(Step):
    """The last Line ran `/bin/ls -l /proc/self/fd`: the program the shell started holds
    descriptors 0, 1 and 2 only (besides ls's own handle on the folder it lists)."""


@dataclass(frozen=True)
class Exits(Step):
    """The shell ends by itself (after `exit` or Ctrl-D), with `status` when given."""
    status: int | None = None
    timeout: float = 5.0


@dataclass(frozen=True)
class Alive(Step):
    """The shell is still running."""


@dataclass(frozen=True)
class Mechanism(Step):
    """Checked on the minitrace record after the shell ended (the test must be `traced`):
    the shell itself forked, exec'd, waited, made a pipe and redirected with dup2 — and
    never ran `sh -c` (what system() and popen() do)."""
    needs: tuple[str, ...] = ("fork", "exec", "wait", "pipe", "dup")


@dataclass
class Test:
    """One graded test: a fresh shell in a fresh folder, the steps run in order."""
    name: str
    points: float
    steps: list[Step]
    description: str = ""
    hidden: bool = False
    depends: str | None = None  # the name of a test that must pass first
    timeout: float = 20.0  # the whole test, before --timeout-factor
    files: dict[str, str] = field(default_factory=dict)  # created in the folder first
    tags: list[str] = field(default_factory=list)
    traced: bool = False  # run the shell under minitrace (for Mechanism)
    # "terminal": the shell's stderr is the terminal, as for a person; "apart": a file the
    # grader reads, to tell standard error from standard output (the prompt may be on either)
    stderr: str = "terminal"

    def __post_init__(self) -> None:
        if self.stderr not in ("terminal", "apart"):
            raise ValueError(f"test {self.name!r}: stderr must be 'terminal' or 'apart'")

    __test__ = False  # not a pytest class
