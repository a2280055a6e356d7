"""The course's table of contents: one folder per lesson, found on disk.

A lesson is a folder `NN-slug/` inside this package holding `lesson.md` (the text),
`demo.toml` (the steps of the class demo), `demos/` (small C and Python programs),
`quiz.py` (a question generator) and `exercise/` (starter, hints, check). Adding a lesson
is adding a folder: nothing else lists them.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
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
    def exercise(self) -> dict:
        return tomllib.loads((self.path / "exercise" / "exercise.toml").read_text())

    def module(self, relpath: str) -> ModuleType:
        """Import a Python file of this lesson (its folder name has a dash: not a package)."""
        path = self.path / relpath
        name = f"lessons._lesson{self.number:02d}_{path.stem}"
        if name in sys.modules:
            return sys.modules[name]
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
        return mod


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
