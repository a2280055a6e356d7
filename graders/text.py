"""Turning what a terminal received into text a test can compare, and showing differences.

A pty delivers bytes meant for a screen: colour escapes, `\r\n` line ends, carriage-return
redraws, backspaces. `normalize` replays them the way a terminal would (per line), so a
shell that colours its prompt or redraws its input line is judged on what a user sees.
"""

from __future__ import annotations

import difflib
import re

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: window titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS and friends
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x1b[()][0-9A-Za-z]"  # character set selection
)


def _replay_line(line: str) -> str:
    """What one screen line shows after \\r (back to column 0) and \\b (one left)."""
    if "\r" not in line and "\b" not in line:
        return line
    cells: list[str] = []
    col = 0
    for ch in line:
        if ch == "\r":
            col = 0
        elif ch == "\b":
            col = max(0, col - 1)
        else:
            if col < len(cells):
                cells[col] = ch
            else:
                cells.append(ch)
            col += 1
    return "".join(cells)


def normalize(raw: str) -> str:
    text = _ESCAPES.sub("", raw)
    text = text.replace("\r\n", "\n").replace("\x07", "")
    text = re.sub(r"[\x00-\x07\x0b-\x0c\x0e-\x1f\x7f]", "", text)
    return "\n".join(_replay_line(line) for line in text.split("\n"))


# Every number outside job brackets: under a pid namespace a pid may be a single digit.
_PIDS = re.compile(r"(?<!\[)\b\d+\b(?!\])")
_JOBS = re.compile(r"\[\d+\]")


def mask(text: str, what: tuple[str, ...] | list[str]) -> str:
    if "jobs" in what:
        text = _JOBS.sub("[N]", text)
    if "pids" in what:
        text = _PIDS.sub("PID", text)
    return text


def visible(text: str) -> str:
    """Make whitespace visible: · for a space, → for a tab, ⏎ at each end of line."""
    return text.replace(" ", "·").replace("\t", "→").replace("\n", "⏎\n")


def diff(expected: str, actual: str) -> str:
    """A unified diff of expected vs actual, whitespace made visible."""
    if expected == actual:
        return ""
    exp = visible(expected).splitlines() or ["(nothing)"]
    act = visible(actual).splitlines() or ["(nothing)"]
    lines = difflib.unified_diff(exp, act, "expected", "actual", lineterm="", n=2)
    return "\n".join(list(lines)[2:])  # drop the ---/+++ header: the legend says it


def tail(text: str, lines: int = 15, width: int = 200) -> str:
    """The last lines of a transcript, each cut to a readable width."""
    rows = text.rstrip("\n").split("\n")[-lines:]
    return "\n".join(r if len(r) <= width else r[:width] + "…" for r in rows)


def indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.split("\n"))
