"""The course's table of contents: one folder per lesson, found on disk.

A lesson is a folder `NN-slug/` inside this package holding `lesson.md` (the text),
`demo.toml` (the steps of the class demo), `demos/` (small C and Python programs),
`quiz.py` (a question generator) and `exercises/1..3/` (each: `exercise.toml` with the task
and hints, the starter file, `check.py`, and `solution/`, the reference solution a student
sees once the check passes). Adding a lesson or an exercise is adding a folder: nothing
else lists them.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
_IMPORTING = threading.RLock()
_FOLDER = re.compile(r"^(\d\d)-([a-z0-9-]+)$")


class LessonError(Exception):
    """Bad input from the user (unknown lesson, missing file): one line, exit status 2."""


@dataclass(frozen=True)
class Lesson:
    number: int
    slug: str
    path: Path

    @property
    def name(self) -> str:
        return self.path.name  # "04-pipes": the name `help pipe` and the texts refer to

    @cached_property
    def text(self) -> str:
        return (self.path / "lesson.md").read_text()

    @property
    def title(self) -> str:
        first = self.text.splitlines()[0]
        return first.lstrip("# ").strip()

    @property
    def summary(self) -> str:
        """The first paragraph after the title: one or two sentences."""
        for para in self.text.split("\n\n")[1:]:
            if para.strip() and not para.lstrip().startswith(("#", "```", "<!--")):
                return " ".join(para.split())
        return ""

    @cached_property
    def demo_steps(self) -> list[dict]:
        return tomllib.loads((self.path / "demo.toml").read_text())["step"]

    @cached_property
    def exercises(self) -> list[Exercise]:
        """The lesson's exercises, from easy to a small real tool."""
        found = [p for p in (self.path / "exercises").iterdir() if p.name.isdigit()]
        return [Exercise(self, int(p.name), p) for p in sorted(found, key=lambda p: int(p.name))]

    @property
    def exercise(self) -> dict:
        """The first exercise's settings (the one `minilesson start N` means)."""
        return self.exercises[0].config

    def module(self, relpath: str) -> ModuleType:
        """Import a Python file of this lesson (its folder name has a dash: not a package)."""
        path = self.path / relpath
        name = f"lessons._lesson{self.number:02d}_" + re.sub(r"\W", "_", relpath[:-3])
        with _IMPORTING:  # two checks at once (threads) must not see a half-run module
            if name in sys.modules:
                return sys.modules[name]
            spec = importlib.util.spec_from_file_location(name, path)
            assert spec and spec.loader
            mod = importlib.util.module_from_spec(spec)
            sys.modules[name] = mod
            try:
                spec.loader.exec_module(mod)
            except BaseException:
                del sys.modules[name]
                raise
            return mod


@dataclass(frozen=True)
class Exercise:
    """Exercise K of a lesson: `minilesson start N.K`."""

    lesson: Lesson
    index: int
    path: Path

    @property
    def id(self) -> str:
        return f"{self.lesson.number}.{self.index}"

    @cached_property
    def config(self) -> dict:
        return tomllib.loads((self.path / "exercise.toml").read_text())

    @property
    def file(self) -> str:
        return self.config["file"]

    @property
    def title(self) -> str:
        return self.config.get("title", self.file)

    @property
    def hints(self) -> list[str]:
        return self.config["hints"]

    @property
    def starter(self) -> Path:
        return self.path / self.file

    @property
    def solution(self) -> Path:
        return self.path / "solution" / self.file

    def check_module(self) -> ModuleType:
        return self.lesson.module(f"exercises/{self.index}/check.py")


def all_lessons() -> list[Lesson]:
    found = []
    for p in sorted(HERE.iterdir()):
        m = _FOLDER.match(p.name)
        if m and (p / "lesson.md").exists():
            found.append(Lesson(int(m.group(1)), m.group(2), p))
    return found


def get(key: str | int) -> Lesson:
    """A lesson by number (`4`, `04`) or folder name (`04-pipes`, `pipes`)."""
    text = str(key).strip()
    for lesson in all_lessons():
        if text.isdigit() and int(text) == lesson.number:
            return lesson
        if text in (lesson.name, lesson.slug):
            return lesson
    known = ", ".join(str(lesson.number) for lesson in all_lessons())
    raise LessonError(f"no lesson {text!r} (lessons: {known})")


def exercise(key: str) -> Exercise:
    """An exercise by `N.K` (`4.2`), or a lesson (`4`, `pipes`) for its first exercise."""
    text = str(key).strip()
    lesson_key, _, index = text.partition(".")
    lesson = get(lesson_key)
    if not index:
        return lesson.exercises[0]
    for ex in lesson.exercises:
        if index == str(ex.index):
            return ex
    known = ", ".join(ex.id for ex in lesson.exercises)
    raise LessonError(f"no exercise {text!r} (lesson {lesson.number} has {known})")


def all_exercises() -> list[Exercise]:
    return [ex for lesson in all_lessons() for ex in lesson.exercises]
