"""minilesson: the course at a terminal.

    minilesson list                 the lessons, and how far you are
    minilesson show N               read lesson N (Markdown, rendered)
    minilesson run N                the class demo, step by step
    minilesson quiz N [-s SEED] [-c]   predict, then check (-c reveals, with a real run)
    minilesson next                 start the first exercise you have not passed
    minilesson start N[.K] [DIR]    copy exercise K's starter into ./lessonN/ (or DIR)
    minilesson check N[.K] [FILE]   grade it (passed: the reference solution is shown)
    minilesson hint N[.K]           the next hint
    minilesson watch N[.K] [FILE]   re-check on every save
    minilesson reset N[.K]          the starter again (your file kept as FILE.~1~)

Each lesson has three exercises, N.1 to N.3; N alone means N.1.

Exit status: 0 success (for check: every test passed), 1 a check or demo failed,
2 bad usage (unknown lesson, missing file), 3 the checker itself failed (its sandbox or
tracer), which says nothing about your program.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from . import demo, practice, progress, reading, runnable, tools
from .catalog import Lesson, LessonError, all_lessons, get

USAGE = 2


def cmd_list(args, console: Console) -> int:
    table = Table(title="minilesson: the course", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("lesson")
    table.add_column("exercises")
    table.add_column("done", justify="right")
    for lesson in all_lessons():
        files = " · ".join(("[green]✓[/]" if practice.passed(ex) else "") + ex.file
                           for ex in lesson.exercises)
        table.add_row(str(lesson.number), lesson.title, files, practice.lesson_progress(lesson))
    console.print(table)
    console.print("Read one with [bold]minilesson show N[/]; practise with [bold]minilesson "
                  "next[/] (or [bold]minilesson start N.K[/]).")
    return 0


def cmd_show(args, console: Console) -> int:
    lesson = get(args.lesson)
    text = runnable.for_reading(lesson.text)
    after = (f"\n[bold]Next:[/] minilesson run {lesson.number} (demo) · minilesson quiz "
             f"{lesson.number} · minilesson start {lesson.number} ({lesson.exercise['file']})"
             f"\n[dim]The demo programs are in {lesson.path / 'demos'}[/]")
    if console.is_terminal and not args.no_pager:
        # -R: rich's colours; -S: long lines (wide diagrams) scroll sideways, never wrap
        os.environ["LESS"] = os.environ.get("LESS", "") + " -R -S"
        with console.pager(styles=True):
            reading.print_markdown(console, text)
            console.print(after, soft_wrap=True)
    else:
        reading.print_markdown(console, text)
        console.print(after, soft_wrap=True)
    return 0


def cmd_run(args, console: Console) -> int:
    lesson = get(args.lesson)
    if not 1 <= args.step <= len(lesson.demo_steps):
        raise LessonError(f"lesson {lesson.number}'s demo has steps 1-{len(lesson.demo_steps)}")
    pause = sys.stdin.isatty() and not args.no_pause
    return demo.run_demo(lesson, console, pause, args.step)


def cmd_quiz(args, console: Console) -> int:
    lesson = get(args.lesson)
    seed = args.seed if args.seed is not None else random.randrange(1, 10_000)
    q = lesson.module("quiz.py").generate(seed)
    console.rule(f"Lesson {lesson.number} quiz, seed {seed}")
    lexer = {".c": "c", ".py": "python"}.get(Path(q.filename).suffix, "sh")
    saved = _save_quiz(lesson, q)
    console.print(f"[bold]{q.filename}[/] [dim](saved as {saved / q.filename}: "
                  f"{_how_to_run(q)})[/]", soft_wrap=True)
    reading.print_code(console, q.program, lexer, line_numbers=lexer != "sh")
    console.print(Markdown(q.ask))
    if not args.check:
        console.print(f"\nPredict, then check: [bold]minilesson quiz {lesson.number} "
                      f"-s {seed} -c[/]")
        return 0
    console.print(f"\n[bold]Answer:[/] {q.answer}")
    console.print(Markdown(q.why))
    try:
        with tempfile.TemporaryDirectory(prefix="minilesson-quiz-") as d:
            real, claims = q.real_run(Path(d))
    except (OSError, RuntimeError, subprocess.SubprocessError) as e:
        raise LessonError(f"could not run the quiz's program here: {e}") from None
    mark = "[green]same[/]" if real == q.answer else "[red]differs: tell your teacher![/]"
    console.print(f"[bold]A real run on this machine:[/] {real} ({mark})")
    for claim, problem in claims.items():
        if problem is None:
            console.print(f"[green]Confirmed by a run:[/] {claim}.")
        else:
            console.print(f"[red]Not confirmed here ({problem}):[/] {claim}. Tell your teacher!")
    if q.trace and tools.available("minitrace"):
        _show_trace(q, console)
    progress.update(lesson.number, quizzes=progress.lesson(lesson.number).get("quizzes", 0) + 1)
    return 0 if real == q.answer else 1


def _save_quiz(lesson: Lesson, q) -> Path:
    """The quiz's program (and its helper files) in a folder the student keeps, to open,
    change and run: $XDG_DATA_HOME/minishell/quizzes/lessonN-seedS/."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    where = Path(base) / "minishell" / "quizzes" / f"lesson{lesson.number}-seed{q.seed}"
    try:
        where.mkdir(parents=True, exist_ok=True)
        q.prepare(where)
    except OSError as e:
        raise LessonError(f"cannot save the quiz's program in {where}: {e.strerror}") from None
    return where


def _how_to_run(q) -> str:
    """The commands that build and run a saved quiz, as a student types them."""
    sources = [name for name in [q.filename, *q.files] if name.endswith(".c")]
    steps = [f"gcc -o {Path(name).stem} {name}" for name in sources]
    steps.append({".c": "./quiz", ".py": f"python3 {q.filename}"}.get(
        Path(q.filename).suffix, f"sh {q.filename}"))
    return "; ".join(steps)


def _show_trace(q, console: Console) -> None:
    with tempfile.TemporaryDirectory(prefix="minilesson-quiz-") as d:
        q.prepare(Path(d))
        argv = q.trace(Path(d))
        # shlex.join: the command as a student would type it, quotes included
        console.print(f"[bold green]$[/] [bold]{escape(shlex.join(argv))}[/]", highlight=False)
        sys.stdout.flush()
        subprocess.run(argv, cwd=d, env=tools.environment())


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="minilesson", description="Eight lessons on processes, "
                                "pipes, signals, system calls and page faults.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def lesson_cmd(name: str, fn, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.add_argument("lesson", help="lesson number (1-8) or name (pipes)")
        sp.set_defaults(fn=fn)
        return sp

    sub.add_parser("list", help="the lessons and your progress").set_defaults(fn=cmd_list)
    sp = lesson_cmd("show", cmd_show, "read a lesson")
    sp.add_argument("--no-pager", action="store_true", help="print it all, without less")
    sp = lesson_cmd("run", cmd_run, "the demo, step by step (Enter between steps)")
    sp.add_argument("--no-pause", action="store_true", help="run every step without waiting")
    sp.add_argument("--step", type=int, default=1, metavar="K", help="start at step K")
    sp = lesson_cmd("quiz", cmd_quiz, "a predict-then-check question")
    sp.add_argument("-s", "--seed", type=int, help="the question's seed (random if not given)")
    sp.add_argument("-c", "--check", action="store_true", help="reveal the answer, with a real run")
    def exercise_cmd(name: str, fn, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.add_argument("exercise", help="N.K: exercise K of lesson N (N alone: N.1)")
        sp.set_defaults(fn=fn)
        return sp

    sp = sub.add_parser("next", help="start the first exercise you have not passed")
    sp.add_argument("dir", nargs="?", help="where (default ./lessonN)")
    sp.set_defaults(fn=practice.cmd_next)
    sp = exercise_cmd("start", practice.cmd_start, "copy an exercise's starter file to work on")
    sp.add_argument("dir", nargs="?", help="where (default ./lessonN)")
    for name, fn, help in (("check", practice.cmd_check, "grade your exercise"),
                           ("watch", practice.cmd_watch, "re-check your exercise on every save")):
        sp = exercise_cmd(name, fn, help)
        sp.add_argument("file", nargs="?", help="your file (default: the one `start` made)")
        sp.add_argument("--timeout-factor", type=float, default=1.0, metavar="X",
                        help="multiply every time limit by X (slow machines)")
        if name == "watch":
            sp.add_argument("--interval", type=float, default=0.5, help=argparse.SUPPRESS)
            sp.add_argument("--max-checks", type=int, help=argparse.SUPPRESS)
    sp = exercise_cmd("hint", practice.cmd_hint, "the next hint for the exercise")
    sp.add_argument("--again", action="store_true", help="show the last hint again")
    exercise_cmd("reset", practice.cmd_reset,
                 "put the starter back (your file is kept as FILE.~N~)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(highlight=False)
    try:
        return args.fn(args, console)
    except LessonError as e:
        print(f"minilesson: {e}", file=sys.stderr)
        return USAGE
    except OSError as e:  # a folder or file we were pointed at: one line, not a traceback
        where = f"{e.filename}: " if e.filename else ""
        print(f"minilesson: {where}{e.strerror or e}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
