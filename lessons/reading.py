"""Showing a lesson at any terminal width: prose wraps, code and diagrams never do.

A diagram or a line of C that is wrapped (or cut) at the edge of an 80-column terminal
teaches something false: a `*/` lost, a box drawn in two pieces. So prose is rendered by
rich's Markdown at the terminal's width, and every fenced block is printed at its own
width, unwrapped and uncropped: in the pager (`less -S`) it scrolls sideways, and when it
is wider than the terminal a one-line note above it says how wide it is.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.markdown import Markdown
from rich.syntax import Syntax

THEME = "ansi_dark"
LEXERS = {"c": "c", "sh": "sh", "python": "python", "py": "python", "": "text", "text": "text"}
_FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)


def print_markdown(console: Console, text: str) -> None:
    """TEXT (Markdown) on CONSOLE: prose wrapped to the width, fenced blocks never."""
    at = 0
    for block in _FENCE.finditer(text):
        prose = text[at:block.start()]
        if prose.strip():
            console.print(Markdown(prose, code_theme=THEME))
        console.print()
        print_code(console, block.group(2), LEXERS.get(block.group(1), block.group(1)))
        console.print()
        at = block.end()
    if text[at:].strip():
        console.print(Markdown(text[at:], code_theme=THEME))


def code_width(code: str, line_numbers: bool = False) -> int:
    """Columns a block needs: its longest line (plus the line-number gutter)."""
    lines = code.rstrip("\n").splitlines() or [""]
    gutter = len(str(len(lines))) + 3 if line_numbers else 0
    return max(len(line.expandtabs(4)) for line in lines) + gutter


def print_code(console: Console, code: str, lexer: str, line_numbers: bool = False) -> None:
    """A block of code or a diagram, each line whole whatever the terminal's width."""
    code = code.rstrip("\n")
    need = code_width(code, line_numbers)
    if need > console.width:
        console.print(f"[dim]↔ the next block is {need} columns wide and your terminal "
                      f"{console.width}: widen it, or scroll right in the pager (→).[/]",
                      soft_wrap=True)
    syntax = Syntax(code, lexer, theme=THEME, word_wrap=False, line_numbers=line_numbers,
                    code_width=code_width(code))
    console.print(syntax, width=max(need, console.width), crop=False)
