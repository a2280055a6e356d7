"""The terminal's side of a pseudo-terminal: the bytes a shell wrote, shown as a person at
the screen would read them.

A pty delivers bytes meant for a screen, not text: colour escapes, `\\r\\n` line ends,
carriage-return redraws, "erase to end of line" (`"$ abc\\r\\x1b[K$ x"` shows `$ x`),
backspaces, cursor moves. We let a terminal emulator (pyte, a VT100/xterm emulator) interpret
them on a screen the size of the pty, and read the screen back as text: the lines that
scrolled off the top, then the rows of the screen. Trailing blanks of a row are invisible
and dropped, except on the cursor's row up to the cursor (the space after a `$ ` prompt).
"""

from __future__ import annotations

import pyte

# A shell that prints more than 256 KiB in one test is flooding (the most a test asks
# for is a few lines). The cap also bounds the emulator's work: pyte interprets about
# half a MiB a second, so a flood costs under a second, not several.
OUTPUT_CAP = 256 << 10
ROWS, COLUMNS = 24, 1000  # the pty's size (wide, so a long command line never wraps)


class _Screen(pyte.Screen):
    """A pyte screen that keeps the lines scrolling off its top (a terminal's scrollback)."""

    def __init__(self, columns: int, lines: int) -> None:
        super().__init__(columns, lines)
        self.scrolled: list[str] = []

    def row(self, y: int) -> str:
        line = self.buffer[y]
        if not line:
            return ""
        return "".join(line[x].data for x in range(max(line) + 1))

    def index(self) -> None:
        top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
        if self.cursor.y == bottom and top == 0:
            self.scrolled.append(self.row(0).rstrip())
        super().index()

    def erase_in_display(self, how: int = 0, *args, **kwargs) -> None:
        # Clearing the whole screen: what was there stays in the scrollback, as in xterm,
        # so the text read so far never changes under our feet.
        if how in (2, 3):
            last = max((y for y in range(self.lines) if self.row(y).strip()), default=-1)
            self.scrolled += [self.row(y).rstrip() for y in range(last + 1)]
        super().erase_in_display(how, *args, **kwargs)


class Terminal:
    """What a shell printed on the pty: raw (for transcripts) and as seen (to judge)."""

    def __init__(self, rows: int = ROWS, columns: int = COLUMNS) -> None:
        self._screen = _Screen(columns, rows)
        self._stream = pyte.ByteStream(self._screen)
        self._raw = bytearray()
        self._text: str | None = ""
        self._history = ""  # scrolled lines, joined
        self._history_count = 0

    def feed(self, data: bytes) -> None:
        self._raw += data
        self._stream.feed(data)
        self._text = None

    @property
    def size(self) -> int:
        return len(self._raw)

    @property
    def raw(self) -> str:
        return self._raw.decode("utf-8", "replace")

    @property
    def text(self) -> str:
        """Everything on the screen and above it, one `\\n` per row, ending at the cursor."""
        if self._text is None:
            screen = self._screen
            if self._history_count < len(screen.scrolled):
                new = screen.scrolled[self._history_count:]
                self._history += "".join(line + "\n" for line in new)
                self._history_count = len(screen.scrolled)
            cy, cx = screen.cursor.y, screen.cursor.x
            rows = [screen.row(y).rstrip() for y in range(screen.lines)]
            last = max([y for y, r in enumerate(rows) if r] + [cy])
            rows[cy] = rows[cy].ljust(cx)
            self._text = self._history + "\n".join(rows[:last + 1])
        return self._text


    @property
    def settled(self) -> int:
        """Where new text will start, whatever happens to the cursor's row: its trailing
        blanks (after a prompt's `$ `) vanish from the text once the cursor leaves it."""
        return len(self.text.rstrip(" "))


def seen(line: str) -> str:
    """How a line we type looks once echoed (its trailing blanks are invisible)."""
    return line.rstrip()
