"""The lexer: shell text -> tokens.

OS idea: before the kernel sees anything, the shell must decide what the user meant. A token
remembers two things that splitting on spaces (or Python's shlex) forgets:

- which characters were quoted: `"*.c"` is a file name, `*.c` a pattern; `"$x"` is one word,
  `$x` may become several. Words are kept as pieces (ast.Lit, Param, CommandSub, Arith)
  that carry this.
- whether a number touched the operator after it: `2>f` redirects fd 2, but `2 >f` passes the
  argument "2" and redirects fd 1. Digits glued to `<` or `>` become an IO_NUMBER token.

A backslash-newline vanishes wherever it is not quoted, even inside `$name`, a number or an
operator (`&\\<newline>&` is `&&`), as in dash. Here-document bodies are read when the line
that asked for them ends. `$(...)` is parsed right away by a nested parser (given by the
parser as `subparse`), so a `)` inside a `case` pattern does not end it.

The lexer is lazy (the parser pulls one token at a time).
"""

from __future__ import annotations

from .ast import Arith, CommandSub, Lit, Param, Word

WORD, OP, IO_NUMBER, NEWLINE, EOF = "word", "op", "io_number", "newline", "eof"

# Two-character operators by their first character; `<<-` is handled on its own.
PAIRS = {"&": "&", "|": "|", ";": ";", ">": ">&|", "<": "<&>"}  # dash has no `;&`
OPERATOR_CHARS = frozenset("|&;<>()")
BLANKS = frozenset(" \t")
# Where a run of plain word characters stops: a blank, a newline, an operator, a quote, an
# expansion or a backslash (which may also be a line continuation).
WORD_BREAKS = BLANKS | OPERATOR_CHARS | frozenset("\n\\'\"$`")
SPECIAL_PARAMS = frozenset("?$!#@*-0123456789")


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


def _name_char(ch: str) -> bool:
    return ch == "_" or (ch.isalnum() and ch.isascii())


class HereDoc:
    """A here-document waiting for its body: the lexer reads it after the next newline."""

    __slots__ = ("delimiter", "strip_tabs", "expand", "word")

    def __init__(self, delimiter: str, strip_tabs: bool, expand: bool, word: Word):
        self.delimiter, self.strip_tabs, self.expand, self.word = (
            delimiter, strip_tabs, expand, word)


class Lexer:
    """Turns text into tokens, one `next()` at a time."""

    def __init__(self, text: str, final: bool = False, pos: int = 0, subparse=None):
        # NUL cannot appear in an argument passed to execve; dash drops it as well.
        self.text = text.replace("\0", "") if "\0" in text else text
        self.pos = pos
        # final: no more text will come, so a backslash at the very end is just a backslash
        # (as in `dash -c 'echo a\'`); otherwise it asks for a continuation line.
        self.final = final
        self.subparse = subparse  # (text position) -> (node, end position) for $(...)
        self.aliases: dict[str, str] | None = None  # the parser's, for `...` parsed apart
        self.pending: list[HereDoc] = []

    # -- characters --------------------------------------------------------------------------

    def _join(self) -> None:
        """Skip backslash-newline pairs at the current position (line continuations)."""
        text, pos = self.text, self.pos
        while text.startswith("\\\n", pos):
            pos += 2
        self.pos = pos

    def _peek(self) -> str:
        """The next character after any line continuation ('' at the end)."""
        self._join()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    # -- the main loop -----------------------------------------------------------------------

    def next(self) -> Token:
        text = self.text
        self._skip_blanks()
        start = self.pos
        if start >= len(text):
            if self.pending and not self.final:
                raise Incomplete("here-document not terminated")
            return Token(EOF, "", start, start)
        ch = text[start]
        if ch == "\n":
            self.pos += 1
            if self.pending:
                self.read_heredocs()
            return Token(NEWLINE, "\n", start, start + 1)
        if ch in OPERATOR_CHARS:
            return self._operator(ch, start)
        word = self._word()
        end = self.pos
        word.text = text[start:end]
        parts = word.parts
        plain = parts[0].text if len(parts) == 1 and type(parts[0]) is Lit and (
            not parts[0].quoted) else None
        if plain is not None and plain.isdigit() and end < len(text) and text[end] in "<>":
            return Token(IO_NUMBER, plain, start, end, word)
        # A plain word's text is its value (`i\<newline>f` is the reserved word `if`).
        return Token(WORD, word.text if plain is None else plain, start, end, word)

    def _operator(self, ch: str, start: int) -> Token:
        self.pos += 1
        op = ch
        seconds = PAIRS.get(ch)
        if seconds:
            nxt = self._peek()
            if nxt and nxt in seconds:
                self.pos += 1
                op = ch + nxt
                if op == "<<" and self._peek() == "-":
                    self.pos += 1
                    op = "<<-"
        return Token(OP, op, start, self.pos)

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

    # -- words -------------------------------------------------------------------------------

    def _word(self) -> Word:
        """Read one word up to an unquoted blank, newline or operator character."""
        return Word(_merge(self._unquoted_parts(None)), "")

    def _unquoted_parts(self, closer: str | None) -> list:
        """The pieces of unquoted text: quotes, backslashes and expansions inside it. It ends
        at a blank, a newline, an operator or the end (closer None: a word), or at `closer`
        (the `}` of ${x:-word}, where blanks and operators are plain characters)."""
        parts: list = []
        plain: list[str] = []  # unquoted literal characters not yet stored in `parts`
        breaks = WORD_BREAKS if closer is None else WORD_BREAKS | {closer}

        def flush() -> None:
            if plain:
                parts.append(Lit("".join(plain), False))
                plain.clear()

        while True:
            ch = self._peek()
            if closer is None:
                if not ch or ch in BLANKS or ch == "\n" or ch in OPERATOR_CHARS:
                    break
            elif not ch:
                raise Incomplete(f"missing '{closer}'")
            elif ch == closer:
                break
            if ch == "\\":
                self._backslash(plain, parts, flush)
            elif ch == "'":
                flush()
                parts.append(Lit(self._single_quoted(), True))
            elif ch == '"':
                flush()
                self._double_quoted(parts)
            elif ch in "$`":
                self._expansion(False, plain, parts, flush)
            else:  # plain characters: take the whole run at once
                text, end = self.text, self.pos + 1
                while end < len(text) and text[end] not in breaks:
                    end += 1
                plain.append(text[self.pos:end])
                self.pos = end
        flush()
        return parts

    def _backslash(self, plain: list[str], parts: list, flush) -> None:
        """An unquoted backslash quotes the next character (a final one stays itself)."""
        if self.pos + 1 >= len(self.text):
            if not self.final:
                raise Incomplete("unexpected end of file after a backslash")
            plain.append("\\")
            self.pos += 1
            return
        flush()
        parts.append(Lit(self.text[self.pos + 1], True))
        self.pos += 2

    def _single_quoted(self) -> str:
        end = self.text.find("'", self.pos + 1)
        if end < 0:
            raise Incomplete("unterminated quoted string (')")
        value = self.text[self.pos + 1:end]
        self.pos = end + 1
        return value

    def _double_quoted(self, parts: list) -> None:
        """Read "...": only $, ` and the backslash keep a special meaning inside."""
        self.pos += 1
        before = len(parts)
        self._quoted_text(parts, '"', '$`"\\\n')
        self.pos += 1
        if len(parts) == before:  # "" is an empty word, not no word
            parts.append(Lit("", True))

    def _quoted_text(self, parts: list, stop: str, escapable: str) -> None:
        """Double-quote rules up to the character `stop` (left unread)."""
        text = self.text
        chars: list[str] = []

        def flush() -> None:
            if chars:
                parts.append(Lit("".join(chars), True))
                chars.clear()

        while True:
            ch = self._peek()
            if not ch:
                raise Incomplete('unterminated quoted string (")' if stop == '"'
                                 else "missing '}'")
            if ch == stop:
                break
            if ch == "\\" and self.pos + 1 < len(text) and text[self.pos + 1] in escapable:
                chars.append(text[self.pos + 1])
                self.pos += 2
            elif ch in "$`":
                self._expansion(True, chars, parts, flush)
            elif ch == '"' and stop == "}":  # "${x:-"a b"}": inner quotes only group
                flush()
                self.pos += 1
                self._quoted_text(parts, '"', '$`"\\\n')
                self.pos += 1
            else:
                chars.append(ch)
                self.pos += 1
        flush()

    def _expansion(self, quoted: bool, literal: list[str], parts: list, flush) -> None:
        """At `$` or a backquote: add an expansion piece, or a literal `$` to `literal`."""
        if self.text[self.pos] == "`":
            flush()
            parts.append(self._backquote(quoted))
            return
        piece = self._dollar(quoted)
        if piece is None:
            literal.append("$")
        else:
            flush()
            parts.append(piece)

    # -- expansions --------------------------------------------------------------------------

    def _backquote(self, quoted: bool) -> CommandSub:
        """`...`: a backslash quotes only $ ` \\ (and " inside double quotes); the text left
        is parsed as a command list of its own."""
        text = self.text
        start = self.pos
        self.pos += 1
        inner: list[str] = []
        while True:
            if self.pos >= len(text):
                raise Incomplete("unterminated backquote (`)")
            ch = text[self.pos]
            if ch == "`":
                self.pos += 1
                break
            if ch == "\\" and self.pos + 1 < len(text):
                nxt = text[self.pos + 1]
                if nxt in "$`\\" or (quoted and nxt == '"'):
                    inner.append(nxt)
                    self.pos += 2
                    continue
                if nxt == "\n":
                    self.pos += 2
                    continue
            inner.append(ch)
            self.pos += 1
        from .parser import parse  # a separate text: the nested parser is independent

        return CommandSub(parse("".join(inner), final=True, aliases=self.aliases), quoted,
                          text[start:self.pos])

    def _dollar(self, quoted: bool):
        """At a `$`: read a parameter, $(...) or $((...)); None if the `$` is literal."""
        start = self.pos
        self.pos += 1
        nxt = self._peek()
        if nxt == "{":
            self.pos += 1
            return self._braced(quoted)
        if nxt == "(":
            self.pos += 1
            if self._peek() == "(":
                self.pos += 1
                return Arith(self._arith(), quoted)
            node, end = self.subparse(self.pos)
            self.pos = end
            return CommandSub(node, quoted, self.text[start:end])
        if nxt and nxt in SPECIAL_PARAMS:
            self.pos += 1
            return Param(nxt, quoted)
        if nxt and (nxt == "_" or (nxt.isalpha() and nxt.isascii())):
            return Param(self._name(), quoted)
        self.pos = start + 1
        return None

    def _name(self) -> str:
        chars = []
        while (ch := self._peek()) and _name_char(ch):
            chars.append(ch)
            self.pos += 1
        return "".join(chars)

    def _braced(self, quoted: bool) -> Param:
        """After `${`: NAME, #NAME, or NAME followed by an operator and a word, then `}`."""
        ch = self._peek()
        length = False
        if ch == "#":
            self.pos += 1
            after = self._peek()
            if after and after != "}" and (_name_char(after) or after in SPECIAL_PARAMS):
                length = True
                ch = after
            else:
                self.pos -= 1
        if ch and (ch == "_" or (ch.isalpha() and ch.isascii())):
            name = self._name()
        elif ch.isdigit():
            digits = []
            while (d := self._peek()) and d.isdigit():
                digits.append(d)
                self.pos += 1
            name = "".join(digits)
        elif ch and ch in SPECIAL_PARAMS:
            name = ch
            self.pos += 1
        else:
            raise self._bad_substitution()
        if self._peek() == "}":
            self.pos += 1
            return Param(name, quoted, "len" if length else None)
        if length:
            raise self._bad_substitution()
        op = self._peek()
        if op == ":" or (op and op in "%#"):
            self.pos += 1
            second = self._peek()
            if second and second in ("-=?+" if op == ":" else op):
                self.pos += 1
                op += second
            elif op == ":":
                raise self._bad_substitution()
        elif op and op in "-=?+":
            self.pos += 1
        else:
            raise self._bad_substitution()
        pattern = op in ("%", "%%", "#", "##")
        return Param(name, quoted, op, self._brace_word(quoted and not pattern))

    def _bad_substitution(self) -> ShellSyntaxError:
        end = self.text.find("}", self.pos)
        start = self.text.rfind("${", 0, self.pos)
        shown = self.text[start:end + 1] if end >= 0 else self.text[start:]
        if end < 0:
            return Incomplete("missing '}'")
        return ShellSyntaxError(f"{shown}: bad substitution")

    def _brace_word(self, in_dquotes: bool) -> Word:
        """The word after the operator in `${x:-word}`, up to the matching `}`."""
        parts: list = []
        if in_dquotes:
            self._quoted_text(parts, "}", '$`"\\}\n')
        else:
            parts = self._unquoted_parts("}")
        self.pos += 1  # the `}`
        return Word(_merge(parts), "")

    def _arith(self) -> Word:
        """After `$((`: the expression up to the matching `))`, with double-quote rules but
        for the quotes themselves, which stay as characters (POSIX 2.6.4)."""
        parts: list = []
        chars: list[str] = []
        depth = 0

        def flush() -> None:
            if chars:
                parts.append(Lit("".join(chars), True))
                chars.clear()

        while True:
            ch = self._peek()
            if not ch:
                raise Incomplete("missing '))'")
            if ch == ")":
                if depth == 0:
                    self.pos += 1
                    if self._peek() != ")":
                        raise ShellSyntaxError("syntax error: missing '))'")
                    self.pos += 1
                    break
                depth -= 1
            elif ch == "(":
                depth += 1
            if ch == "\\" and self.pos + 1 < len(self.text) and self.text[self.pos + 1] in "$`\\\"":
                chars.append(self.text[self.pos + 1])
                self.pos += 2
            elif ch in "$`":
                self._expansion(True, chars, parts, flush)
            else:  # (a quote too: POSIX and dash give it no meaning there, so it is an error)
                chars.append(ch)
                self.pos += 1
        flush()
        return Word(parts, "")

    # -- here-documents ----------------------------------------------------------------------

    def add_heredoc(self, heredoc: HereDoc) -> None:
        self.pending.append(heredoc)

    def read_heredocs(self) -> None:
        """At the start of the line after `<<WORD`: read each pending body up to its
        delimiter line (with `<<-`, leading tabs are removed first)."""
        pending, self.pending = self.pending, []
        for doc in pending:
            lines: list[str] = []
            text = self.text
            while True:
                if self.pos >= len(text):
                    if not self.final:
                        self.pending = pending
                        raise Incomplete("here-document not terminated")
                    break  # dash: the body runs to the end of the file
                end = text.find("\n", self.pos)
                line = text[self.pos:] if end < 0 else text[self.pos:end]
                self.pos = len(text) if end < 0 else end + 1
                if doc.strip_tabs:
                    line = line.lstrip("\t")
                if line == doc.delimiter:
                    break
                lines.append(line + "\n" if end >= 0 else line)
            body = "".join(lines)
            if doc.expand:
                doc.word.parts = heredoc_parts(body)
            else:
                doc.word.parts = [Lit(body, True)]
            doc.word.text = body


def heredoc_parts(body: str) -> list:
    """An unquoted here-document's body: $ and ` expand; a backslash quotes only $ ` \\
    and newline (a backslash-newline joins lines)."""
    lexer = Lexer(body + "\x00", final=True)
    lexer.text = body + "\x00"  # a sentinel the body cannot contain: the end of the text
    from .parser import subparser_for

    lexer.subparse = subparser_for(lexer)
    parts: list = []
    lexer._quoted_text(parts, "\x00", "$`\\\n")
    return _merge(parts)


def _merge(parts: list) -> list:
    """Join neighbouring literal pieces with the same quoting (`a"b"'c'` -> a, bc)."""
    merged: list = []
    for part in parts:
        last = merged[-1] if merged else None
        if type(part) is Lit and type(last) is Lit and last.quoted == part.quoted:
            merged[-1] = Lit(last.text + part.text, part.quoted)
        else:
            merged.append(part)
    return merged


def tokenize(text: str) -> list[Token]:
    """All the tokens of `text`, up to and including EOF (for tests and curious students)."""
    from .parser import subparser_for

    lexer = Lexer(text)
    lexer.subparse = subparser_for(lexer)
    tokens = [lexer.next()]
    while tokens[-1].kind != EOF:
        tokens.append(lexer.next())
    return tokens


def quote(text: str) -> str:
    """Quote `text` so that the lexer reads it back as one word with exactly this value."""
    if text and all(ch.isalnum() or ch in "@%+:,./-_" for ch in text) and text.isascii():
        return text
    return "'" + text.replace("'", "'\\''") + "'"
