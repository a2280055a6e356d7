"""The manual's words for the calls we have no sentence of our own for: the NAME line of each
section-2 page (`whatis -s 2 NAME`), read from the installed pages and never bundled (their
licences differ from ours)."""

from __future__ import annotations

import os
import shutil
import subprocess

from minishell.trace.explain.words import EXPLAINERS
from minishell.trace.syscalls import BY_NAME


def _whatis(names: list[str]) -> subprocess.Popen | None:
    """Start `whatis -l -s 2 NAMES...` (-l: whatis trims its lines to $COLUMNS, and a
    narrow terminal would cut them short)."""
    whatis = shutil.which("whatis")
    if whatis is None:
        return None
    try:
        return subprocess.Popen([whatis, "-l", "-s", "2", *names], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
                                env={**os.environ, "LC_ALL": "C", "COLUMNS": "1000"})
    except OSError:
        return None


def _summaries(whatis: subprocess.Popen | None) -> dict[str, str]:
    """name -> summary from a whatis run's output."""
    found: dict[str, str] = {}
    if whatis is None:
        return found
    try:
        out = whatis.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        whatis.kill()
        out = whatis.communicate()[0]
    for line in out.splitlines():
        head, sep, summary = line.partition(" - ")
        if sep and head.split():
            found.setdefault(head.split()[0], summary.strip())
    return found


class _Manual:
    """The manual's one-line summaries of the calls without an explainer of their own.
    A tracer asks for all of them at start-up, in the background (prefetch), so that
    --explain does not stop the traced program for a whatis run at each new call."""

    def __init__(self) -> None:
        self.running: subprocess.Popen | None = None
        self.known: dict[str, str] = {}

    def prefetch(self) -> None:
        if self.running is None and not self.known:
            self.running = _whatis(sorted(set(BY_NAME) - set(EXPLAINERS)))

    def summary(self, name: str) -> str:
        if self.running is not None:
            self.known.update(_summaries(self.running))
            self.running = None
        if name not in self.known:
            self.known[name] = _summaries(_whatis([name])).get(name) or (
                f"the {name} system call (see man 2 {name})")
        return self.known[name]


MANUAL = _Manual()


def manual_summary(name: str) -> str:
    """The NAME line of the installed manual page (`whatis -s 2 NAME`), read once."""
    return MANUAL.summary(name)
