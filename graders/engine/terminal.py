"""The terminal's side of a pseudo-terminal: turning the bytes a shell wrote into what a
person at the screen would read.

A pty delivers bytes meant for a screen: colour escapes, `\\r\\n` line ends, carriage-return
redraws, backspaces. `Terminal` keeps the raw bytes (for the saved transcript) and the text
a person would see, as one growing string: the lines that scrolled by, then the screen.
"""

from __future__ import annotations

import codecs

from .. import text

OUTPUT_CAP = 1 << 20  # a shell that prints more than 1 MiB in one test is flooding


class Terminal:
    """What a shell printed on the pty, raw and as seen."""

    def __init__(self) -> None:
        self.raw = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._norm = ""  # normalized text of raw[:_norm_len], which ends at a newline
        self._norm_len = 0

    def feed(self, data: bytes) -> None:
        self.raw += self._decoder.decode(data)

    @property
    def size(self) -> int:
        return len(self.raw)

    @property
    def text(self) -> str:
        """The normalized text. Complete lines are normalized once and kept (a terminal
        line never changes after its newline), so a long output costs linear time."""
        end = self.raw.rfind("\n", self._norm_len) + 1
        if end > self._norm_len:
            self._norm += text.normalize(self.raw[self._norm_len:end])
            self._norm_len = end
        return self._norm + text.normalize(self.raw[self._norm_len:])


def seen(line: str) -> str:
    """How a line we type looks once echoed."""
    return text.normalize(line)
