"""Showing a student the difference between what was expected and what their program
printed: masks for what may differ (pids, job numbers), whitespace made visible, a diff.

(What a terminal *shows* is worked out by the engine's terminal emulator:
graders/engine/terminal.py.)
"""

from __future__ import annotations

import difflib
import re

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
