"""The lesson texts' runnable examples: what the text says a command prints, it prints.

A fenced block whose info string is `sh run` holds commands (lines starting with `$ `),
each followed by the output the text promises. In the expected output a line `...` stands
for any number of lines, `<n>` for a number, `<~N>` for a number close to N (within 2%, at
least 3: page-fault counts vary a little between kernels) and `<*>` for any text. The
commands run with /bin/sh in the lesson's demo folder (see build.demo_dir), so a block can
say `./fork2` for demos/fork2.c. The tests run every block; `minilesson show` renders them.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import tools

_FENCE = re.compile(r"^```sh run[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


@dataclass
class Example:
    command: str
    expected: list[str]
    line: int  # where the command is in lesson.md, for error messages


def examples(markdown: str) -> list[Example]:
    found = []
    for block in _FENCE.finditer(markdown):
        first_line = markdown.count("\n", 0, block.start(1)) + 1
        for offset, text in enumerate(block.group(1).splitlines()):
            if text.startswith("$ "):
                found.append(Example(text[2:], [], first_line + offset))
            elif found and found[-1].line >= first_line:
                found[-1].expected.append(text)
    return found


def for_reading(markdown: str) -> str:
    """The text as a student reads it: placeholders shown as what they stand for."""
    def readable(block: re.Match) -> str:
        body = re.sub(r"<~(\d+)>", r"~\1", block.group(1))
        body = body.replace("<n>", "N").replace("<*>", "…")
        return f"```sh\n{body}```"
    return _FENCE.sub(readable, markdown)


def _line_matches(expected: str, actual: str) -> bool:
    parts = re.split(r"(<n>|<\*>|<~\d+>)", expected)
    near = [int(p[2:-1]) for p in parts if p.startswith("<~")]
    rx = "".join({"<n>": r"-?\d+", "<*>": r".*"}.get(p, r"(-?\d+)" if p.startswith("<~")
                                                       else re.escape(p)) for p in parts)
    m = re.compile(rx + r"\Z").match(actual)
    return bool(m) and all(abs(int(got) - want) <= max(3, want // 50)
                           for got, want in zip(m.groups(), near, strict=True))


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line-by-line match where `...` swallows any number of lines."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and _line_matches(head, actual[0]) and matches(rest, actual[1:])


def run(example: Example, cwd: Path, timeout: float = 30) -> list[str]:
    """Run one example's command as the text shows it: stdin /dev/null, stdout and stderr
    into one pipe, as a reader at a terminal would see them interleaved."""
    proc = subprocess.run(["/bin/sh", "-c", example.command], cwd=cwd, env=tools.environment(),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          timeout=timeout, start_new_session=True)
    lines = proc.stdout.splitlines()
    while lines and not lines[-1].strip():  # a trailing blank line is invisible in the text
        lines.pop()
    return lines
