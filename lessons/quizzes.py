"""Predict, then check: questions generated from a seed, answered by a real run.

As in OSTEP's homework, `minilesson quiz N -s SEED` makes a question (a small program, a
command line) and `-c` reveals the answer. Each lesson's `quiz.py` has
`generate(seed) -> Question`: the generator knows the answer from the OS rules it teaches
(`answer`), and `observe()` runs the real program to get the same answer from the machine.
The tests compare the two for many seeds; the student sees both.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import build, tools


@dataclass
class Claim:
    """A sentence of a question's explanation, and how a real run confirms it.

    CHECK runs in the folder where the question's program was observed (its outputs and
    trace are there) and returns None when the run agrees, else what the run showed."""

    text: str
    check: Callable[[Path], str | None]


@dataclass
class Question:
    seed: int
    ask: str  # the question, Markdown
    filename: str  # the program shown: quiz.c, quiz.py, commands.sh
    program: str
    answer: str  # the model's answer, as the student would write it
    why: str  # Markdown: the rule that gives the answer
    observe: Callable[[Path], str]  # runs the real thing in a folder
    trace: Callable[[Path], list[str]] | None = None  # a command to show under minitrace
    files: dict[str, str] = field(default_factory=dict)  # helper files the program needs
    claims: list[Claim] = field(default_factory=list)  # sentences of `why` a run confirms

    def prepare(self, where: Path) -> Path:
        (where / self.filename).write_text(self.program)
        for name, text in self.files.items():
            (where / name).write_text(text)
        return where / self.filename

    def real_answer(self) -> str:
        with tempfile.TemporaryDirectory(prefix="minilesson-quiz-") as d:
            self.prepare(Path(d))
            return self.observe(Path(d))

    def real_run(self, where: Path) -> tuple[str, dict[str, str | None]]:
        """Observe the program in WHERE, then check each claim on that run:
        (the real answer, {claim: None if confirmed else what the run showed})."""
        self.prepare(where)
        answer = self.observe(where)
        return answer, {c.text: c.check(where) for c in self.claims}


def rng(seed: int) -> random.Random:
    return random.Random(seed)


def run(argv: list[str], cwd: Path, timeout: float = 20, check: bool = True,
        merge: bool = False, ignoring: tuple[int, ...] = ()) -> subprocess.CompletedProcess:
    """Run a quiz program (our own code, so no sandbox); output captured as text.

    MERGE sends stderr into the same pipe as stdout, as a terminal shows them. IGNORING:
    signals the program starts with ignored, as under `nohup` (SIGHUP) or as a shell's
    background job (SIGINT).
    """
    def ignore() -> None:
        for sig in ignoring:
            signal.signal(sig, signal.SIG_IGN)
    return subprocess.run(argv, cwd=cwd, env=tools.environment(), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if merge else subprocess.PIPE, text=True,
                          timeout=timeout, check=check,
                          preexec_fn=ignore if ignoring else None)


def compiled(cwd: Path, name: str = "quiz.c") -> str:
    """Compile the quiz's C program in CWD; returns the path of the binary."""
    return str(build.compile_c(cwd / name, out=cwd / Path(name).stem))


def local(where: Path) -> str:
    """The quiz's C program compiled in WHERE, named as a student types it: ./quiz."""
    return "./" + Path(compiled(where)).name


def traced(argv: list[str], cwd: Path) -> list[dict] | None:
    """The program's trace events (minitrace --json), or None while minitrace has not landed."""
    if not tools.available("minitrace"):
        return None
    out = cwd / "trace.jsonl"
    proc = run(["minitrace", "--json", "-o", str(out), "--", *argv], cwd, check=False)
    events = [json.loads(line) for line in out.read_text().splitlines() if line.strip()] \
        if out.exists() else []
    if not any(ev["type"] == "start" for ev in events):
        raise RuntimeError(f"minitrace recorded nothing (status {proc.returncode}): "
                           f"{proc.stderr.strip()[-500:]}")
    return events


def count_processes(events: list[dict]) -> int:
    return len({ev["pid"] for ev in events if ev["type"] in ("start", "exec", "syscall")} |
               {ev["child"] for ev in events if ev["type"] == "spawn" and ev["kind"] != "thread"})


def processes_in_run(argv: list[str], cwd: Path) -> int:
    """How many processes a real run of ARGV made, the first included.

    Counted from minitrace's events; until minitrace has landed, from strace's
    `+++ exited` lines (one per process).
    """
    events = traced(argv, cwd)
    if events is not None:
        return count_processes(events)
    log = cwd / "strace.log"
    run(["strace", "-f", "-q", "-e", "trace=none", "-o", str(log), *argv], cwd, check=False)
    return sum("+++ exited" in line or "+++ killed" in line
               for line in log.read_text().splitlines())
