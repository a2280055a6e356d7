"""Tab completion: how a shell knows what a name means before it runs anything.

A command name is found the way execvp() finds it: a builtin first, then the first directory of
$PATH that holds an executable file of that name. File names come from reading a directory
(os.scandir is the getdents64 system call), and $VARS from the shell's own variables. The same
knowledge colours the line as it is typed (highlight.py): a command that exists, or one that does
not.

The line being typed is usually incomplete (an open quote, a trailing `|`), so the shell's real
lexer, which must reject such text, is not used here: `scan` is a forgiving cut of the line into
words and operators that only needs to know where each word starts and whether it names a command.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from minishell.shell.topics import TOPICS

# Words that start a command but are not commands themselves: what follows them is a command too.
PREFIX_WORDS = frozenset({"!", "trace"})

# Builtins that take a job (`%1`); fg and bg take nothing else.
JOB_ARGUMENTS = frozenset({"fg", "bg", "kill", "wait", "jobs"})
REDIRECTIONS = frozenset({"<", ">", ">>", ">&", "<&", ">|", "<>"})

_OPERATOR = re.compile(r"\|\||&&|>>|>&|<&|>\||<>|[|&;()<>\n]")
_IO_NUMBER = re.compile(r"\d+(?=[<>])")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_VARIABLE_AT_END = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)?$")
_SPECIAL = re.compile(r"""([\s'"\\$`|&;()<>*?\[\]#~!{}])""")

WORD_END = " \t\n|&;()<>"


@dataclass(frozen=True)
class Span:
    """One piece of the typed line: text[start:end] and what it is.

    kind is "command" (a word in command position), "word" (an argument), "target" (the word
    after a redirection), "assignment" (NAME=value before the command), "prefix" (`!`, `trace`),
    "operator", "redirection" or "comment".
    """

    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True)
class Scanned:
    spans: list[Span]
    expects_command: bool  # would a word typed at the very end be a command name?
    expects_target: bool  # ... or the file name of a redirection?


def _word_end(text: str, i: int) -> int:
    """Index just past the word that starts at i; quotes and backslashes protect separators.

    An unterminated quote runs to the end of the text (the user has not closed it yet)."""
    n = len(text)
    while i < n and text[i] not in WORD_END and not text[i].isspace():
        c = text[i]
        if c == "\\":
            i += 2
        elif c == "'":
            close = text.find("'", i + 1)
            i = n if close < 0 else close + 1
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
        else:
            i += 1
    return min(i, n)


def scan(text: str) -> Scanned:
    """Cut a (possibly unfinished) command line into spans; never raises."""
    spans: list[Span] = []
    expects_command, expects_target = True, False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace() and c != "\n":
            i += 1
            continue
        if c == "#":  # a comment runs to the end of the line
            end = text.find("\n", i)
            end = n if end < 0 else end
            spans.append(Span(i, end, "comment", text[i:end]))
            i = end
            continue
        io_number = _IO_NUMBER.match(text, i)
        op = _OPERATOR.match(text, io_number.end() if io_number else i)
        if op:
            start, i = (io_number or op).start(), op.end()
            is_redirection = op.group() in REDIRECTIONS
            kind = "redirection" if is_redirection else "operator"
            spans.append(Span(start, i, kind, text[start:i]))
            if is_redirection:
                expects_target = True
            else:
                expects_command, expects_target = True, False
            continue
        end = _word_end(text, i)
        word = text[i:end]
        if expects_target:
            kind, expects_target = "target", False
        elif expects_command and word in PREFIX_WORDS:
            kind = "prefix"
        elif expects_command and _ASSIGNMENT.match(word):
            kind = "assignment"
        elif expects_command:
            kind, expects_command = "command", False
        else:
            kind = "word"
        spans.append(Span(i, end, kind, word))
        i = end
    return Scanned(spans, expects_command, expects_target)


def unquote(word: str) -> str:
    """What a (possibly unfinished) word means once its quotes and backslashes are removed."""
    out, i, n = [], 0, len(word)
    while i < n:
        c = word[i]
        if c == "\\" and i + 1 < n:
            out.append(word[i + 1])
            i += 2
        elif c == "'":
            close = word.find("'", i + 1)
            close = n if close < 0 else close
            out.append(word[i + 1 : close])
            i = close + 1
        elif c == '"':
            i += 1
            while i < n and word[i] != '"':
                if word[i] == "\\" and i + 1 < n and word[i + 1] in '"\\$`':
                    i += 1
                out.append(word[i])
                i += 1
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def quote(name: str) -> str:
    """Backslash-escape the characters the shell would otherwise read as syntax (`my\\ file`,
    as bash completes it; lexer.quote's single quotes suit whole words, not a prefix that the
    user goes on typing)."""
    return _SPECIAL.sub(r"\\\1", name)


def expand_dir(raw: str, variables: Mapping[str, str]) -> str:
    """The directory a typed prefix like `~/src/` or `$HOME/` names (for lookup only)."""
    path = unquote(raw)
    path = re.sub(
        r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: variables.get(m.group(1), ""), path
    )
    if path == "~" or path.startswith("~/"):
        return (variables.get("HOME") or os.path.expanduser("~")) + path[1:]
    if path.startswith("~") and "\0" not in path:
        return os.path.expanduser(path)  # ~user/
    return path


class CommandIndex:
    """Which names are commands: builtins, reserved words, and executables on $PATH.

    Listing every PATH directory costs a few milliseconds, so the result is kept until PATH or a
    directory's modification time changes (installing a program changes its directory's mtime).
    """

    def __init__(self, builtins: Callable[[], Iterable[str]], path: Callable[[], str]) -> None:
        self._builtins = builtins
        self._path = path
        self._key: tuple | None = None
        self._on_path: frozenset[str] = frozenset()

    def _path_dirs(self) -> list[str]:
        return [d or "." for d in self._path().split(":")]

    def on_path(self) -> frozenset[str]:
        dirs = self._path_dirs()
        key = tuple((d, _mtime(d)) for d in dirs)
        if key != self._key:
            self._key, self._on_path = key, frozenset(_executables(dirs))
        return self._on_path

    def builtins(self) -> frozenset[str]:
        return frozenset(self._builtins())

    def names(self) -> list[str]:
        return sorted(self.builtins() | (PREFIX_WORDS - {"!"}) | self.on_path())

    def exists(self, word: str, variables: Mapping[str, str]) -> bool:
        """Would the shell find a command for this word (as typed, quotes and all)?"""
        if "/" in word:
            path = expand_dir(word, variables)
            return "\0" not in path and os.path.isfile(path) and os.access(path, os.X_OK)
        name = unquote(word)
        return name in PREFIX_WORDS or name in self.builtins() or name in self.on_path()


def _mtime(directory: str) -> float:
    try:
        return os.stat(directory).st_mtime
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return -1.0


def _executables(dirs: Iterable[str]) -> Iterator[str]:
    for directory in dirs:
        try:
            entries = list(os.scandir(directory))
        except (OSError, ValueError):  # ValueError: a NUL in the name
            continue
        for entry in entries:
            try:
                if entry.is_file() and os.access(entry.path, os.X_OK):
                    yield entry.name
            except (OSError, ValueError):  # ValueError: a NUL in the name
                continue


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return False


def _is_executable(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file() and bool(entry.stat().st_mode & stat.S_IXUSR)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return False


class ShellCompleter(Completer):
    """prompt_toolkit asks for completions of the text before the cursor; we answer from the
    command index, the file system, the shell's variables and its job table."""

    def __init__(self, index: CommandIndex, variables: Callable[[], Mapping[str, str]],
                 jobs: Callable[[], Iterable[tuple[int, str]]] = tuple) -> None:
        self.index = index
        self.variables = variables
        self.jobs = jobs  # (number, command text) of each job, for `fg %1`

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        before = document.text_before_cursor
        scanned = scan(before)
        last = scanned.spans[-1] if scanned.spans else None
        if last and last.end == len(before) and last.kind not in ("operator", "redirection"):
            word, kind = last.text, last.kind
        else:
            word = ""
            kind = "target" if scanned.expects_target else "word"
            if scanned.expects_command and not scanned.expects_target:
                kind = "command"
        if kind == "comment":
            return
        variable = _VARIABLE_AT_END.search(word)
        if variable and not word.startswith("'"):
            yield from self._variables(variable.group(1) or "")
        elif kind in ("command", "prefix") and "/" not in word:
            yield from self._commands(word)
        elif kind == "assignment":
            return
        else:
            command = _command_of(scanned.spans, before_word=word != "")
            if command == "help" and kind == "word":
                yield from self._words(word, sorted(set(TOPICS) | self.index.builtins()))
            elif kind == "word" and (command in ("fg", "bg") or
                                     command in JOB_ARGUMENTS and word.startswith("%")):
                yield from self._job_specs(word)
            else:
                only_dirs = command == "cd" and kind == "word"
                yield from self._files(word, executables=kind in ("command", "prefix"),
                                       only_dirs=only_dirs)

    def _variables(self, prefix: str) -> Iterator[Completion]:
        for name in sorted(self.variables()):
            if name.startswith(prefix):
                yield Completion(name, start_position=-len(prefix), display="$" + name)

    def _job_specs(self, word: str) -> Iterator[Completion]:
        for number, text in self.jobs():
            spec = f"%{number}"
            if spec.startswith(word):
                yield Completion(spec + " ", start_position=-len(word),
                                 display=f"{spec}  {text}")

    def _commands(self, word: str) -> Iterator[Completion]:
        yield from self._words(word, self.index.names())

    def _words(self, word: str, candidates: Iterable[str]) -> Iterator[Completion]:
        prefix = unquote(word)
        for name in candidates:
            if name.startswith(prefix):
                yield Completion(quote(name) + " ", start_position=-len(word), display=name)

    def _files(self, word: str, executables: bool, only_dirs: bool) -> Iterator[Completion]:
        if word == "~":  # the home directory itself, as bash completes it
            yield Completion("~/", start_position=-1)
            return
        cut = word.rfind("/") + 1
        raw_dir, prefix = word[:cut], unquote(word[cut:])
        directory = expand_dir(raw_dir, self.variables()) if raw_dir else "."
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except (OSError, ValueError):  # ValueError: a NUL in the name
            return
        for entry in entries:
            name = entry.name
            if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
                continue
            if _is_dir(entry):
                yield Completion(raw_dir + quote(name) + "/", start_position=-len(word),
                                 display=name + "/")
            elif not only_dirs and (not executables or _is_executable(entry)):
                yield Completion(raw_dir + quote(name) + " ", start_position=-len(word),
                                 display=name)


def _command_of(spans: list[Span], before_word: bool) -> str | None:
    """The command name of the simple command the cursor is in (None if there is none yet)."""
    for span in reversed(spans[:-1] if before_word else spans):
        if span.kind == "operator":
            return None
        if span.kind == "command":
            return unquote(span.text)
    return None
