"""Reading at any width: at 80 and 50 columns, code and diagrams are never wrapped or cut.

Prose wraps to the terminal; every line of every fenced block of a lesson, and every line
of a quiz's program, comes out whole -- and a block wider than the terminal is announced
with the width it needs. Rendered by the real `minilesson` at COLUMNS=80 and 50.
"""

import re
import subprocess
from pathlib import Path

import pytest
from rich.console import Console

from lessons import cli, reading, runnable
from lessons.catalog import all_exercises, all_lessons, get

WIDTHS = [80, 50]


@pytest.fixture
def minilesson(capsys, monkeypatch):
    """`minilesson ARGS` at a terminal COLUMNS wide, run in this process (the same code
    the console script runs; the subprocess path is tested in test_lessons_cli)."""
    def run(*args, columns, env=None):
        monkeypatch.setenv("COLUMNS", str(columns))
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        assert cli.main(list(args)) == 0
        return [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    return run


def blocks(text: str) -> list[tuple[str, list[str]]]:
    return [(m.group(1), m.group(2).rstrip("\n").splitlines())
            for m in reading._FENCE.finditer(runnable.for_reading(text))]


def assert_whole(block: list[str], out: list[str], columns: int, gutter: bool = False):
    width = reading.code_width("\n".join(block), gutter)
    where = 0
    for line in block:
        if not line.strip():
            continue
        rx = re.compile(r"\s*(\d+ )?" + re.escape(line.rstrip()) + r"\Z") if gutter else None
        found = [i for i in range(where, len(out))
                 if (rx.fullmatch(out[i]) if gutter else out[i] == line.rstrip())]
        assert found, f"at {columns} columns, this line is wrapped or cut: {line!r}"
        where = found[0] + 1
    if width > columns:
        assert f"the next block is {width} columns wide" in " ".join(out)


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("lesson", all_lessons(), ids=lambda lesson: lesson.name)
def test_show_never_wraps_code_or_diagrams(lesson, columns, minilesson):
    out = minilesson("show", str(lesson.number), "--no-pager", columns=columns)
    for _, block in blocks(lesson.text):
        assert_whole(block, out, columns)
    assert max(map(len, out)) > columns or all(
        reading.code_width("\n".join(b)) <= columns for _, b in blocks(lesson.text))


@pytest.mark.parametrize("lesson", all_lessons(), ids=lambda lesson: lesson.name)
def test_diagrams_fit_80_columns(lesson):
    """Commands may be long (they scroll); a picture is drawn to fit a classic terminal."""
    for info, block in blocks(lesson.text):
        if info != "sh":
            assert reading.code_width("\n".join(block)) <= 80, block


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("lesson", all_lessons(), ids=lambda lesson: lesson.name)
def test_quiz_code_is_whole_and_saved(lesson, columns, tmp_path, minilesson):
    out = minilesson("quiz", str(lesson.number), "-s", "11", columns=columns,
                     env={"XDG_DATA_HOME": str(tmp_path)})
    q = lesson.module("quiz.py").generate(11)
    numbered = not q.filename.endswith(".sh")
    assert_whole(q.program.splitlines(), out, columns, gutter=numbered)
    saved = tmp_path / "minishell" / "quizzes" / f"lesson{lesson.number}-seed11" / q.filename
    assert saved.read_text() == q.program
    assert f"saved as {saved}" in " ".join(out)
    if numbered:  # a quiz fits 80 columns, line numbers included
        assert reading.code_width(q.program, True) <= 80


def test_a_saved_quiz_runs_as_the_text_says(tmp_path, minilesson):
    """`minilesson quiz 5 -s 1` saves commands.sh and both.c and says how to run them:
    those commands, typed in that folder, print what the quiz's real run prints."""
    out = " ".join(minilesson("quiz", "5", "-s", "1", columns=200,
                              env={"XDG_DATA_HOME": str(tmp_path)}))
    how = re.search(r"saved as (\S+)/commands\.sh: ([^)]*)\)", out)
    folder, commands = Path(how.group(1)), how.group(2)
    assert commands == "gcc -o both both.c; sh commands.sh"
    subprocess.run(["sh", "-c", commands], cwd=folder, check=True, capture_output=True)
    assert (folder / "f").read_text().split() == \
        get(5).module("quiz.py").generate(1).answer.split(";")[0].split()[1:]


@pytest.mark.parametrize("ex", all_exercises(), ids=lambda ex: f"{ex.id}-{ex.file}")
def test_exercise_code_fits_80_columns(ex):
    """The starter in the student's editor, and the reference solution as `check` reveals
    it (with line numbers), each fit a classic terminal: no width note, no scrolling."""
    assert reading.code_width(ex.starter.read_text()) <= 80
    console = Console(width=80, record=True, force_terminal=False)
    reading.print_code(console, ex.solution.read_text(), "c", line_numbers=True)
    shown = console.export_text()
    assert "columns wide" not in shown
    assert max(map(len, shown.splitlines())) <= 80
