"""Practice, rustlings-style: three exercises per lesson, from easy to a small real tool.

    minilesson next                the first exercise you have not passed, started
    minilesson start N[.K] [DIR]   copy exercise K of lesson N (default 1) into ./lessonN/
    minilesson check N[.K] [FILE]  grade it; once it passes, the reference solution is shown
    minilesson hint N[.K]          the next hint
    minilesson watch N[.K] [FILE]  re-check on every save
    minilesson reset N[.K]         the starter again (your file is kept as FILE.~1~, ~2~...)

Progress is remembered per exercise (progress.py, key `N.K`).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape

from graders.reporters import print_terminal

from . import checking, progress, reading
from .catalog import Exercise, LessonError, all_exercises, exercise

CHECKER_FAILED = 3  # the sandbox or the tracer failed: not the student's verdict


def record(ex: Exercise) -> dict:
    """What the student did in EX. Before there were three exercises per lesson, the
    first one's record was kept under the lesson's number: it still counts."""
    found = progress.lesson(ex.id)
    if not found and ex.index == 1:
        old = progress.lesson(ex.lesson.number)
        found = {k: v for k, v in old.items() if k != "quizzes"}
    return found


def passed(ex: Exercise) -> bool:
    return bool(record(ex).get("passed"))


def cmd_start(args, console: Console) -> int:
    return start(exercise(args.exercise), args.dir, console)


def start(ex: Exercise, folder: str | None, console: Console) -> int:
    dest = Path(folder or f"lesson{ex.lesson.number}").resolve()
    target = dest / ex.file
    try:
        dest.mkdir(parents=True, exist_ok=True)
        if target.exists():
            console.print(f"{target} exists: keeping your copy")
        else:
            shutil.copy(ex.starter, target)
            console.print(f"created {target}")
    except OSError as e:
        raise LessonError(f"cannot put the exercise in {dest}: {e.strerror}") from None
    progress.update(ex.id, workdir=str(dest))
    console.rule(f"Exercise {ex.id} of {len(all_exercises())}: {escape(ex.title)}", align="left")
    console.print(Markdown(ex.config["task"]))
    console.print(f"\nWhen ready: [bold]minilesson check {ex.id}[/] (or [bold]minilesson "
                  f"watch {ex.id}[/]); stuck: [bold]minilesson hint {ex.id}[/]")
    return 0


def cmd_next(args, console: Console) -> int:
    todo = [ex for ex in all_exercises() if not passed(ex)]
    if not todo:
        console.print(f"[bold green]All {len(all_exercises())} exercises passed.[/] "
                      "On to the kernel project: minigrade pfstat --help")
        return 0
    return start(todo[0], args.dir, console)


def exercise_file(ex: Exercise, given: str | None) -> Path:
    """The file to grade: the one given, else the copy `start` made, else ./lessonN/."""
    if given:
        return Path(given)
    workdir = record(ex).get("workdir")
    for candidate in ([Path(workdir) / ex.file] if workdir else []) + [
            Path(f"lesson{ex.lesson.number}") / ex.file, Path(ex.file)]:
        if candidate.is_file():
            return candidate
    raise LessonError(f"no {ex.file} here: run `minilesson start {ex.id}` first, "
                      f"or give the file: `minilesson check {ex.id} FILE`")


def cmd_check(args, console: Console) -> int:
    ex = exercise(args.exercise)
    return check_once(ex, exercise_file(ex, args.file), console, args.timeout_factor)


def check_once(ex: Exercise, source: Path, console: Console, factor: float) -> int:
    report = checking.grade(ex, source, factor)
    print_terminal(report, console)
    for r in report.results:  # gcc's warnings, even when the program built and passed
        if r.passed and r.feedback:
            console.rule(f"[yellow]{escape(r.name)}: passed, with warnings to read[/]",
                         align="left")
            console.print(escape(r.feedback), highlight=False)
    if report.error:
        return CHECKER_FAILED
    progress.update(ex.id, score=report.score, max_score=report.max_score,
                    passed=passed(ex) or report.passed)
    if report.passed:
        _reveal(ex, console)
    return 0 if report.passed else 1


def _reveal(ex: Exercise, console: Console) -> None:
    """After a pass, and only then: the reference solution, to compare with."""
    console.print(f"[bold green]Exercise {ex.id} done.[/] The reference solution, to compare "
                  f"with yours ({ex.solution}):", soft_wrap=True)
    lexer = "python" if ex.solution.suffix == ".py" else "c"
    reading.print_code(console, ex.solution.read_text(), lexer, line_numbers=True)
    todo = [e for e in all_exercises() if not passed(e)]
    console.print(f"Next: [bold]minilesson start {todo[0].id}[/] ({escape(todo[0].title)})"
                  if todo else "[bold]That was the last exercise![/]")


def cmd_hint(args, console: Console) -> int:
    ex = exercise(args.exercise)
    shown = record(ex).get("hints", 0)
    if args.again:
        shown = max(shown - 1, 0)
    if shown >= len(ex.hints):
        console.print(f"No more hints: you have seen all {len(ex.hints)}. "
                      f"`minilesson hint {ex.id} --again` shows the last one again.")
        return 0
    console.print(f"[bold]Hint {shown + 1}/{len(ex.hints)}:[/]")
    console.print(Markdown(ex.hints[shown]))
    progress.update(ex.id, hints=shown + 1)
    return 0


def cmd_reset(args, console: Console) -> int:
    """The starter back in place; the student's version is never lost (FILE.~N~)."""
    ex = exercise(args.exercise)
    workdir = record(ex).get("workdir")
    target = Path(workdir or f"lesson{ex.lesson.number}").resolve() / ex.file
    try:
        if target.exists():
            n = 1
            while target.with_name(f"{target.name}.~{n}~").exists():
                n += 1
            backup = target.with_name(f"{target.name}.~{n}~")
            target.rename(backup)
            console.print(f"your {ex.file} is kept as {backup}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ex.starter, target)
    except OSError as e:
        raise LessonError(f"cannot reset {target}: {e.strerror}") from None
    progress.update(ex.id, workdir=str(target.parent), hints=0)
    console.print(f"{target}: the starter of exercise {ex.id} again.")
    return 0


def cmd_watch(args, console: Console) -> int:
    """Poll the file's modification time (no new dependency) and re-check on every save."""
    ex = exercise(args.exercise)
    source = exercise_file(ex, args.file)
    console.print(f"Watching {source}: every save is checked. Ctrl-C to stop.")
    seen = None
    checks = 0
    while args.max_checks is None or checks < args.max_checks:
        try:
            stamp = source.stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if stamp is not None and stamp != seen:
            seen = stamp
            checks += 1
            console.rule(time.strftime("%H:%M:%S"))
            check_once(ex, source, console, args.timeout_factor)
            sys.stdout.flush()
        time.sleep(args.interval)
    return 0


def lesson_progress(lesson) -> str:
    """`2/3`-style progress of a lesson's exercises, for `minilesson list`."""
    done = sum(passed(ex) for ex in lesson.exercises)
    text = f"{done}/{len(lesson.exercises)}"
    return f"[green]{text}[/]" if done == len(lesson.exercises) else text
