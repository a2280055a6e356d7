"""The lexer: shell text -> tokens.

OS idea: before the kernel sees anything, the shell must decide what the user meant. A token
remembers two things that splitting on spaces (or Python's shlex) forgets:

- which characters were quoted: `"*.c"` is a file name, `*.c` a pattern; `"$x"` is one word,
  `$x` may become several. Words are kept as pieces (ast.Lit / ast.Param) that carry this.
- whether a number touched the operator after it: `2>f` redirects fd 2, but `2 >f` passes the
  argument "2" and redirects fd 1. Digits glued to `<` or `>` become an IO_NUMBER token.

The lexer is lazy (the parser pulls one token at a time), so a script runs line by line and a
syntax error on line 9 does not stop lines 1-8 from running, as in dash.
"""

from __future__ import annotations

from .ast import Lit, Param, Word

WORD, OP, IO_NUMBER, NEWLINE, EOF = "word", "op", "io_number", "newline", "eof"

# Longest first, so that ">>" wins over ">".
OPERATORS = ("&&", "||", ";;", ">>", ">&", "<&", ">|", "<>", "<<",
             "|", "&", ";", "<", ">", "(", ")")
OPERATOR_CHARS = frozenset("|&;<>()")
BLANKS = frozenset(" \t")
SPECIAL_PARAMS = frozenset("?$!#@*0123456789-")


class ShellSyntaxError(Exception):
    """The text is not valid shell. The message has no "minishell: " prefix."""


class Incomplete(ShellSyntaxError):
    """The text ends inside a construct that more input could finish (an open quote, a
    trailing `|`, `&&`, `||` or backslash, an unclosed `(`). A prompt asks for another line."""


class Token:
    """One token: kind, source text, position, and for words the pieces (an ast.Word)."""

    __slots__ = ("kind", "text", "start", "end", "word")

    def __init__(self, kind: str, text: str, start: int, end: int, word: Word | None = None):
        self.kind, self.text, self.start, self.end, self.word = kind, text, start, end, word

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r})"


def is_name(text: str) -> bool:
    """A valid variable name: a letter or _, then letters, digits or _ (ASCII only)."""
    return bool(text) and (text[0] == "_" or text[0].isalpha()) and text.isascii() and (
        text.replace("_", "a").isalnum())


class Lexer:
    """Turns text into tokens, one `next()` at a time."""

    def __init__(self, text: str, final: bool = False):
        # NUL cannot appear in an argument passed to execve; dash drops it as well.
        self.text = text.replace("\0", "")
        self.pos = 0
        # final: no more text will come, so a backslash at the very end is just a backslash
        # (as in `dash -c 'echo a\'`); otherwise it asks for a continuation line.
        self.final = final

    def splice(self, start: int, end: int, value: str) -> None:
        """Replace text[start:end] (an alias name just read) by `value` and read on from
        there: alias substitution happens to the text, before tokens are made of it."""
        self.text = self.text[:start] + value + self.text[end:]
        self.pos = start

    # -- the main loop ---------------------------------------------------------------------

    def next(self) -> Token:
        text = self.text
        self._skip_blanks()
        start = self.pos
        if start >= len(text):
            return Token(EOF, "", start, start)
        ch = text[start]
        if ch == "\n":
            self.pos += 1
            return Token(NEWLINE, "\n", start, start + 1)
        if ch in OPERATOR_CHARS:
            for op in OPERATORS:
                if text.startswith(op, start):
                    self.pos += len(op)
                    return Token(OP, op, start, self.pos)
        word = self._word()
        end = self.pos
        word.text = text[start:end]
        if word.text.isdigit() and end < len(text) and text[end] in "<>":
            return Token(IO_NUMBER, word.text, start, end, word)
        return Token(WORD, word.text, start, end, word)

    def _skip_blanks(self) -> None:
        """Skip spaces, tabs, backslash-newline pairs and a `#` comment up to the newline."""
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in BLANKS:
                self.pos += 1
            elif text.startswith("\\\n", self.pos):
                self.pos += 2
            elif ch == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    # -- words -----------------------------------------------------------------------------

    def _word(self) -> Word:
        """Read one word up to an unquoted blank, newline or operator character."""
        text = self.text
        parts: list[Lit | Param] = []
        plain: list[str] = []  # unquoted literal characters not yet stored in `parts`

        def flush() -> None:
            if plain:
                parts.append(Lit("".join(plain), False))
                plain.clear()

        while self.pos < len(text):
            ch = text[self.pos]
            if ch in BLANKS or ch == "\n" or ch in OPERATOR_CHARS:
                break
            if ch == "\\":
                if self.pos + 1 >= len(text):
                    if not self.final:
                        raise Incomplete("unexpected end of file after a backslash")
                    plain.append("\\")
                    self.pos += 1
                    continue
                nxt = text[self.pos + 1]
                self.pos += 2
                if nxt != "\n":  # backslash-newline joins lines; anything else is quoted
                    flush()
                    parts.append(Lit(nxt, True))
            elif ch == "'":
                end = text.find("'", self.pos + 1)
                if end < 0:
                    raise Incomplete("unterminated quoted string (')")
                flush()
                parts.append(Lit(text[self.pos + 1:end], True))
                self.pos = end + 1
            elif ch == '"':
                flush()
                self._double_quoted(parts)
            elif ch in "$`":
                self._expansion(False, plain, parts, flush)
            else:
                plain.append(ch)
                self.pos += 1
        flush()
        return Word(_merge(parts), "")

    def _double_quoted(self, parts: list[Lit | Param]) -> None:
        """Read "...": only $ and the backslash keep a special meaning inside."""
        text = self.text
        self.pos += 1
        chars: list[str] = []
        pieces_before = len(parts)

        def flush() -> None:
            if chars:
                parts.append(Lit("".join(chars), True))
                chars.clear()

        while True:
            if self.pos >= len(text):
                raise Incomplete('unterminated quoted string (")')
            ch = text[self.pos]
            if ch == '"':
                self.pos += 1
                break
            if ch == "\\" and self.pos + 1 < len(text) and text[self.pos + 1] in '$`"\\\n':
                if text[self.pos + 1] != "\n":
                    chars.append(text[self.pos + 1])
                self.pos += 2
            elif ch in "$`":
                self._expansion(True, chars, parts, flush)
            else:
                chars.append(ch)
                self.pos += 1
        if chars or len(parts) == pieces_before:  # "" is an empty word, not no word
            parts.append(Lit("".join(chars), True))

    def _expansion(self, quoted: bool, literal: list[str], parts: list[Lit | Param],
                   flush) -> None:
        """At `$` (or a backquote): add a parameter piece, or a literal `$` to `literal`."""
        if self.text[self.pos] == "`":
            raise ShellSyntaxError("command substitution `...` is not supported by minishell")
        param = self._dollar(quoted)
        if param is None:
            literal.append("$")
        else:
            flush()
            parts.append(param)

    def _dollar(self, quoted: bool) -> Param | None:
        """At a `$`: read a parameter reference, or return None if the `$` is literal."""
        text = self.text
        nxt = text[self.pos + 1] if self.pos + 1 < len(text) else ""
        if nxt == "{":
            end = text.find("}", self.pos + 2)
            if end < 0:
                raise Incomplete("missing '}'")
            name = text[self.pos + 2:end]
            if not (is_name(name) or (len(name) == 1 and name in SPECIAL_PARAMS)
                    or name.isdigit()):
                raise ShellSyntaxError(f"${{{name}}}: bad substitution "
                                       "(minishell knows only ${NAME})")
            self.pos = end + 1
            return Param(name, quoted)
        if nxt == "(":
            what = "arithmetic $((...))" if text.startswith("((", self.pos + 1) else \
                "command substitution $(...)"
            raise ShellSyntaxError(f"{what} is not supported by minishell")
        if nxt in SPECIAL_PARAMS and nxt:
            self.pos += 2
            return Param(nxt, quoted)
        if nxt == "_" or (nxt.isalpha() and nxt.isascii()):
            end = self.pos + 1
            while end < len(text) and (text[end] == "_" or (text[end].isalnum()
                                                             and text[end].isascii())):
                end += 1
            name = text[self.pos + 1:end]
            self.pos = end
            return Param(name, quoted)
        self.pos += 1
        return None


def _merge(parts: list[Lit | Param]) -> list[Lit | Param]:
    """Join neighbouring literal pieces with the same quoting (`a"b"'c'` -> a, bc)."""
    merged: list[Lit | Param] = []
    for part in parts:
        last = merged[-1] if merged else None
        if isinstance(part, Lit) and isinstance(last, Lit) and last.quoted == part.quoted:
            merged[-1] = Lit(last.text + part.text, part.quoted)
        else:
            merged.append(part)
    return merged


def tokenize(text: str) -> list[Token]:
    """All the tokens of `text`, up to and including EOF (for tests and curious students)."""
    lexer = Lexer(text)
    tokens = [lexer.next()]
    while tokens[-1].kind != EOF:
        tokens.append(lexer.next())
    return tokens


def quote(text: str) -> str:
    """Quote `text` so that the lexer reads it back as one word with exactly this value."""
    if text and all(ch.isalnum() or ch in "@%+:,./-_" for ch in text) and text.isascii():
        return text
    return "'" + text.replace("'", "'\\''") + "'"
