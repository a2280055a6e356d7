"""The class demo of a lesson, step by step: say what we will see, show the command, run it.

A lesson's `demo.toml` lists steps (`say`, `run`, and `needs` for the tools a step uses).
On a terminal each step waits for Enter, so the teacher sets the pace; piped (or with
--no-pause) it runs straight through. A step whose tool has not landed says so and moves on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import termios
import tty

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape

from . import build, tools
from .catalog import Lesson


def run_demo(lesson: Lesson, console: Console, pause: bool, first: int = 1) -> int:
    """Run the steps from FIRST on. Returns 0, or 1 when a step failed."""
    where = build.demo_dir(lesson)
    steps = lesson.demo_steps
    status = 0
    console.rule(f"[bold]Lesson {lesson.number}: {lesson.title}[/] -- demo, {len(steps)} steps")
    console.print(f"[dim]The programs: {lesson.path / 'demos'} (run here from {where})[/]",
                  soft_wrap=True)
    for i, step in enumerate(steps[first - 1:], start=first):
        console.print(f"\n[bold cyan]Step {i}/{len(steps)}[/]")
        console.print(Markdown(step["say"]))
        # a command is code: never wrapped (soft_wrap), and never read as rich markup
        console.print(f"[bold green]$[/] [bold]{escape(step['run'])}[/]", highlight=False,
                      soft_wrap=True)
        missing = [t for t in step.get("needs", []) if not tools.available(t)]
        if missing:
            for tool in missing:
                console.print(f"[yellow]{tools.missing_message(tool)}[/]")
            continue
        if pause and not _wait_for_enter(console):
            return 0
        sys.stdout.flush()
        proc = subprocess.run(["/bin/sh", "-c", step["run"]], cwd=where, env=tools.environment())
        if proc.returncode != 0 and not step.get("fails", False):
            console.print(f"[red]this step ended with status {proc.returncode}[/]")
            status = 1
    console.print("\n[bold]End of the demo.[/]")
    return status


def _wait_for_enter(console: Console) -> bool:
    """Wait for Enter; q (a single key at a terminal, no Enter needed) or end of input
    stops the demo."""
    if not sys.stdin.isatty():
        try:
            answer = console.input("[dim](Enter to run, q to stop)[/] ")
        except EOFError:
            return False
        return answer.strip().lower() != "q"
    key = _read_key(sys.stdin.fileno(), console)
    console.print()
    return key not in ("q", "Q", "\x04", "")  # q, Ctrl-D, or the end of input


def _read_key(fd: int, console: Console) -> str:
    """Show the prompt and read one key press, without waiting for Enter: the terminal in
    cbreak mode (no line editing, no echo) for the time of one read(2), then as it was.
    TCSANOW, not tty's default TCSAFLUSH: a key typed before the switch is kept."""
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        console.print("[dim](Enter to run, q to stop)[/] ", end="")
        return os.read(fd, 1).decode(errors="replace")
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
