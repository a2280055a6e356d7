"""The command history, kept as bash keeps it: a bounded list, in a private file.

HISTSIZE (default 500, as bash) bounds the commands remembered, HISTFILESIZE (default
HISTSIZE) the file; HISTCONTROL=ignoredups skips a command equal to the one before it,
ignorespace one that starts with a space, ignoreboth both, erasedups drops older copies.
The variables are read at each command, so `HISTSIZE=10` at the prompt takes effect at once.

The file keeps prompt_toolkit's FileHistory format (`# date` then `+line` for each line of
a command), so history written by earlier versions is read back. Bytes that are not UTF-8
are kept as they were typed (surrogateescape), never replaced by `?`.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable, Mapping

from prompt_toolkit.history import History

from .explain import error

DEFAULT_SIZE = 500  # bash's HISTSIZE


def size_limit(value: str | None, default: int | None) -> int | None:
    """bash's rules: unset -> the default; a number -> that many; negative or not a number
    -> no limit (None)."""
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None


class ShellHistory(History):
    def __init__(self, path: str | None, variables: Callable[[], Mapping[str, str]]) -> None:
        super().__init__()
        self.path = path  # None: in memory only
        self.variables = variables
        self.warned = False
        self.on_disk: list[str] = []  # what the file holds, oldest first
        self.fd: int | None = None  # the file, open for appending

    # -- the limits -------------------------------------------------------------------------

    def size(self) -> int | None:
        return size_limit(self.variables().get("HISTSIZE"), DEFAULT_SIZE)

    def file_size(self) -> int | None:
        return size_limit(self.variables().get("HISTFILESIZE"), self.size())

    def control(self) -> set[str]:
        words = set((self.variables().get("HISTCONTROL") or "").split(":"))
        if "ignoreboth" in words:
            words |= {"ignoredups", "ignorespace"}
        return words

    # -- prompt_toolkit's History API --------------------------------------------------------

    def load_history_strings(self) -> Iterable[str]:
        entries = self.on_disk = self.read_file()
        self.trim_file(slack=1)
        size = self.size()
        kept = entries[-size:] if size else ([] if size == 0 else entries)
        return reversed(kept)  # prompt_toolkit wants the newest first

    def append_string(self, string: str) -> None:
        if self.size() == 0:  # HISTSIZE=0: no history at all, as in bash
            return
        control = self.control()
        older = self.get_strings()
        if "ignorespace" in control and string.startswith(" "):
            return
        if "ignoredups" in control and older and older[-1] == string:
            return
        if "erasedups" in control and string in older:
            self._loaded_strings = [s for s in self._loaded_strings if s != string]
            self.on_disk = [s for s in self.on_disk if s != string]
            self.store_all(self.on_disk)
        super().append_string(string)  # (calls store_string)
        size = self.size()
        if size is not None:
            del self._loaded_strings[size:]

    def store_string(self, string: str) -> None:
        if self.path is None:
            return
        try:
            if self.fd is None:  # kept open: one write(2) per command (a paste is fast)
                self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT
                                  | os.O_CLOEXEC, 0o600)
            os.write(self.fd, entry_text(string).encode("utf-8", "surrogateescape"))
            self.on_disk.append(string)
        except OSError as err:
            self.warn(err)
        self.trim_file(slack=2)

    def trim_file(self, slack: int = 1) -> None:
        """Keep the file to HISTFILESIZE commands. Like bash, it is cut when the shell starts
        and when it ends; meanwhile only once it holds twice as many (rewriting the file at
        every command would make a pasted script slow)."""
        limit = self.file_size()
        if limit is not None and len(self.on_disk) > limit * slack:
            self.on_disk = self.on_disk[len(self.on_disk) - limit:]
            self.store_all(self.on_disk)

    # -- the file -------------------------------------------------------------------------

    def read_file(self) -> list[str]:
        if self.path is None:
            return []
        try:
            with open(self.path, encoding="utf-8", errors="surrogateescape") as file:
                return parse(file)
        except OSError:
            return []

    def store_all(self, entries: Iterable[str]) -> None:
        """Rewrite the file with these entries (oldest first): a new file renamed over the
        old one, so a crash midway never leaves half a history."""
        if self.path is None:
            return
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(descriptor, "w", encoding="utf-8", errors="surrogateescape") as file:
                file.write("".join(entry_text(entry) for entry in entries))
            os.replace(temporary, self.path)
            if self.fd is not None:  # it names the old file now
                os.close(self.fd)
                self.fd = None
        except OSError as err:
            self.warn(err)

    def warn(self, err: OSError) -> None:
        """Writing the history must never crash the shell (disk full, file made read-only)."""
        if not self.warned:
            self.warned = True
            error(f"history not saved: {err.strerror}")


def entry_text(command: str) -> str:
    lines = "".join(f"+{line}\n" for line in command.split("\n"))
    return f"\n# {datetime.datetime.now()}\n{lines}"


def parse(lines: Iterable[str]) -> list[str]:
    """FileHistory's format: each command is a run of `+line` lines."""
    entries: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.startswith("+"):
            current.append(line[1:].removesuffix("\n"))
        elif current:
            entries.append("\n".join(current))
            current = []
    if current:
        entries.append("\n".join(current))
    return entries


def open_history(path: str, variables: Callable[[], Mapping[str, str]]) -> ShellHistory:
    """The history at path, or in memory only (with a warning) if the file cannot be used."""
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        # private, as bash's: what people type can hold passwords
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    except OSError as err:
        error(f"{path}: {err.strerror}: history kept in memory only")
        return ShellHistory(None, variables)
    return ShellHistory(path, variables)
