"""The parser: tokens -> a tree of ast nodes, by recursive descent (as xv6's sh.c does).

OS idea: the tree says which processes to create and how to connect them; the executor
turns it into fork, pipe, dup2, exec and wait. The grammar (POSIX's, one function per line):

    command_line := and_or ((';' | '&') and_or)* [';' | '&']         (up to a newline)
    list         := like command_line, but newlines separate too     (inside compounds)
    and_or       := pipeline (('&&' | '||') newline* pipeline)*
    pipeline     := ['trace'] ['!'] command ('|' newline* command)*
    command      := compound redirect* | NAME '(' ')' newline* compound | simple
    compound     := '(' list ')' | '{' list '}' | if | while | until | for | case
    simple       := (assignment | redirect)* (word | redirect)*
    redirect     := [IO_NUMBER] ('<' | '>' | '>>' | '>|' | '<>' | '>&' | '<&' | '<<' | '<<-') word

Reserved words (`if`, `then`, `do`, `{`...) are ordinary words the parser recognises only
where a command may start. `Parser.next_command()` returns one command line at a time.
"""

from __future__ import annotations

import sys

from .ast import (
    AndOr,
    Assignment,
    Background,
    Case,
    CaseItem,
    Command,
    For,
    FunctionDef,
    Group,
    If,
    Lit,
    Loop,
    Node,
    Pipeline,
    Redirect,
    Sequence,
    Subshell,
    Trace,
    Word,
)
from .lexer import (
    EOF,
    IO_NUMBER,
    NEWLINE,
    OP,
    WORD,
    HereDoc,
    Incomplete,
    Lexer,
    ShellSyntaxError,
    Token,
)
from .lexer import is_name as _is_name

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Incomplete", "Parser", "ShellSyntaxError", "parse"]

REDIRECT_OPS = frozenset({"<", ">", ">>", ">|", "<>", ">&", "<&", "<<", "<<-"})
RESERVED = frozenset({"if", "then", "else", "elif", "fi", "while", "until", "for", "do",
                      "done", "case", "esac", "{", "}", "!", "in"})
# Words that end a list: the parser stops there and the caller checks which one it wants.
CLOSERS = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}"})
# Deep nesting: ((((...)))) five thousand deep must parse, as in dash (see deep_call).
RECURSION_LIMIT = 200_000
if sys.getrecursionlimit() < RECURSION_LIMIT:
    sys.setrecursionlimit(RECURSION_LIMIT)


class Parser:
    """Recursive descent over a lazy token stream."""

    def __init__(self, text: str, final: bool = False, pos: int = 0, lexer: Lexer | None = None,
                 aliases: dict[str, str] | None = None):
        self.aliases = aliases if aliases is not None else {}
        self.expanding: list[tuple[str, int]] = []  # aliases being expanded, and their ends
        self.alias_next = False
        self.grown = False  # an alias was expanded: the text changed after its start
        self.lexer = lexer or Lexer(text, final, pos)
        self.lexer.subparse = subparser_for(self.lexer, self.aliases)
        self.lexer.aliases = self.aliases
        self.prev_end = pos
        self.offset = 0  # how much of the text the commands returned so far covered
        self.first_error: ShellSyntaxError | None = None
        try:
            self.tok: Token = self.lexer.next()
        except ShellSyntaxError as err:  # raised by next_command(), like any other error
            self.tok = Token(EOF, "", pos, pos)
            self.first_error = err

    @property
    def text(self) -> str:
        """The text being parsed, with the aliases expanded so far."""
        return self.lexer.text

    # -- token helpers ---------------------------------------------------------------------

    def advance(self) -> Token:
        """Consume the current token; remember where it ended (for source texts)."""
        tok = self.tok
        self.prev_end = tok.end
        self.tok = self.lexer.next()
        return tok

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == OP and self.tok.text in ops

    def at_reserved(self, *names: str) -> bool:
        """An unquoted word spelled like a reserved word, where a command may start."""
        tok = self.tok
        return tok.kind == WORD and tok.text in names

    def expect_reserved(self, name: str) -> None:
        if not self.at_reserved(name):
            raise self.unexpected(f"expecting \"{name}\"")
        self.advance()

    def unexpected(self, expecting: str = "") -> ShellSyntaxError:
        """The error for the current token; at end of input more text could fix it."""
        if self.tok.kind == EOF:
            return Incomplete("syntax error: unexpected end of file"
                              + (f" ({expecting})" if expecting else ""))
        shown = "newline" if self.tok.kind == NEWLINE else self.tok.text
        return ShellSyntaxError(f"syntax error: \"{shown}\" unexpected"
                                + (f" ({expecting})" if expecting else ""))

    def skip_newlines(self) -> None:
        while self.tok.kind == NEWLINE:
            self.advance()

    def can_start_command(self) -> bool:
        if self.tok.kind == WORD:
            return self.tok.text not in CLOSERS
        return self.tok.kind == IO_NUMBER or self.at_op("(", *REDIRECT_OPS)

    def source(self, start: int) -> str:
        """The source text from offset `start` to the end of the last consumed token."""
        return self.text[start:self.prev_end].strip()

    # -- the grammar -----------------------------------------------------------------------

    def next_command(self) -> Node | None:
        """The next command line (up to a newline), or None at the end of the text."""
        if self.first_error is not None:
            raise self.first_error
        return deep_call(self._command_line)

    def _command_line(self) -> Node | None:
        self.skip_newlines()
        if self.tok.kind == EOF:
            self.offset = len(self.text)
            return None
        node = self.command_list(multiline=False)
        if self.tok.kind not in (NEWLINE, EOF):
            raise self.unexpected()
        # After the newline come the bodies of the line's here-documents, read already.
        self.offset = self.lexer.pos if self.tok.kind == NEWLINE else self.tok.end
        return node

    def commands(self) -> Iterator[Node]:
        while (node := self.next_command()) is not None:
            yield node

    def command_list(self, multiline: bool) -> Node:
        """and_or lists separated by `;` or `&` (and by newlines inside compounds)."""
        if multiline:
            self.skip_newlines()
        start = self.tok.start
        items: list[Node] = []
        while True:
            item_start = self.tok.start
            item = self.and_or()
            separated = True
            if self.at_op("&"):
                job_text = self.source(item_start)  # what `jobs` shows: without the `&`
                self.advance()
                item = Background(item, job_text)
            elif self.at_op(";"):
                self.advance()
            elif multiline and self.tok.kind == NEWLINE:
                pass
            else:
                separated = False
            items.append(item)
            if multiline:
                self.skip_newlines()
            if not (separated and self.can_start_command()):
                break
        if len(items) == 1:
            return items[0]
        return Sequence(items, self.source(start))

    def and_or(self) -> Node:
        start = self.tok.start
        node = self.pipeline()
        while self.at_op("&&", "||"):
            op = self.advance().text
            self.skip_newlines()
            right = self.pipeline()
            node = AndOr(node, op, right, self.source(start))
        return node

    def pipeline(self) -> Node:
        start = self.tok.start
        if self.at_reserved("trace"):
            self.advance()
            if not self.can_start_command():
                return Trace(None, "")  # `trace` alone: the executor prints its usage
            body_start = self.tok.start
            body = self.pipeline()
            return Trace(body, self.source(body_start))
        negated = False
        if self.at_reserved("!"):
            self.advance()
            negated = True
            if self.at_reserved("!"):  # dash: `! !` is an error
                raise self.unexpected()
        stages = [self.command()]
        while self.at_op("|"):
            self.advance()
            self.skip_newlines()
            stages.append(self.command())
        if len(stages) == 1 and not negated:
            return stages[0]
        return Pipeline(stages, negated, self.source(start))

    def expand_alias(self) -> bool:
        """`alias ll='ls -l'`: a command word that names an alias is replaced by its text,
        which is read again (so it may hold several words, or a keyword). Returns whether the
        text ended in a blank: then the next word is checked too (as POSIX says)."""
        tok = self.tok
        if not self.aliases or tok.kind != WORD:
            return False
        self.expanding = [(n, end) for n, end in self.expanding if end > tok.start]
        value = self.aliases.get(tok.text) if tok.text not in RESERVED else None
        if value is None or tok.text in (n for n, _ in self.expanding) or (
                tok.text != tok.word.text):
            return False
        lexer = self.lexer
        lexer.text = lexer.text[:tok.start] + value + lexer.text[tok.end:]
        self.grown = True
        shift = len(value) - (tok.end - tok.start)
        self.expanding = [(n, end + shift) for n, end in self.expanding]
        self.expanding.append((tok.text, tok.start + len(value)))
        lexer.pos = tok.start
        self.tok = lexer.next()
        if self.tok.kind == WORD and self.tok.text in self.aliases:
            self.expand_alias()
        return value[-1:] in (" ", "\t")

    def command(self) -> Node:
        self.alias_next = bool(self.aliases) and self.expand_alias()
        start = self.tok.start
        compound = self.compound()
        if compound is not None:
            compound.redirects = self.redirects()
            compound.source = self.source(start)
            return compound
        if self.tok.kind == WORD and self.tok.text in RESERVED:
            raise self.unexpected()
        return self.simple_command()

    def compound(self) -> Node | None:
        """A compound command, or None if the current token does not start one."""
        if self.at_op("("):
            self.advance()
            body = self.command_list(multiline=True)
            self.expect_op(")")
            return Subshell(body)
        if self.tok.kind != WORD:
            return None
        word = self.tok.text
        if word == "{":
            self.advance()
            body = self.body_list()
            self.expect_reserved("}")
            return Group(body)
        if word == "if":
            return self.if_clause()
        if word in ("while", "until"):
            self.advance()
            cond = self.body_list()
            self.expect_reserved("do")
            body = self.body_list()
            self.expect_reserved("done")
            return Loop(cond, body, word == "until")
        if word == "for":
            return self.for_clause()
        if word == "case":
            return self.case_clause()
        return None

    def expect_op(self, op: str) -> None:
        if not self.at_op(op):
            raise self.unexpected(f"expecting \"{op}\"")
        self.advance()

    def body_list(self) -> Node:
        """The list inside a compound command; it may not be empty."""
        self.skip_newlines()
        if not self.can_start_command():
            raise self.unexpected()
        return self.command_list(multiline=True)

    def if_clause(self) -> If:
        clauses = []
        else_body = None
        self.advance()
        while True:
            cond = self.body_list()
            self.expect_reserved("then")
            clauses.append((cond, self.body_list()))
            if self.at_reserved("elif"):
                self.advance()
                continue
            if self.at_reserved("else"):
                self.advance()
                else_body = self.body_list()
            self.expect_reserved("fi")
            return If(clauses, else_body)

    def for_clause(self) -> For:
        self.advance()
        if self.tok.kind != WORD or not _is_name(self.tok.text):
            raise ShellSyntaxError("Bad for loop variable")
        name = self.advance().text
        words = None
        self.skip_newlines()
        if self.at_reserved("in"):
            self.advance()
            words = []
            while self.tok.kind == WORD:
                words.append(self.advance().word)
            if not (self.at_op(";") or self.tok.kind == NEWLINE):
                raise self.unexpected()
            self.advance()
        elif self.at_op(";"):
            self.advance()
        self.skip_newlines()
        self.expect_reserved("do")
        body = self.body_list()
        self.expect_reserved("done")
        return For(name, words, body)

    def case_clause(self) -> Case:
        self.advance()
        if self.tok.kind != WORD:
            raise self.unexpected()
        word = self.advance().word
        self.skip_newlines()
        self.expect_reserved("in")
        items = []
        while True:
            self.skip_newlines()
            if self.at_reserved("esac"):
                self.advance()
                return Case(word, items)
            if self.at_op("("):
                self.advance()
            patterns = []
            while True:
                if self.tok.kind != WORD:
                    raise self.unexpected()
                patterns.append(self.advance().word)
                if not self.at_op("|"):
                    break
                self.advance()
            self.expect_op(")")
            self.skip_newlines()
            body = None
            if not (self.at_op(";;", ";&") or self.at_reserved("esac")):
                body = self.command_list(multiline=True)
            fallthrough = self.at_op(";&")
            items.append(CaseItem(patterns, body, fallthrough))
            if self.at_op(";;", ";&"):
                self.advance()
            elif not self.at_reserved("esac"):
                raise self.unexpected()

    def redirects(self) -> list[Redirect]:
        redirects = []
        while self.at_redirect():
            redirects.append(self.redirect())
        return redirects

    def at_redirect(self) -> bool:
        return self.tok.kind == IO_NUMBER or self.at_op(*REDIRECT_OPS)

    def simple_command(self) -> Node:
        start = self.tok.start
        assignments: list[Assignment] = []
        words: list[Word] = []
        redirects: list[Redirect] = []
        while True:
            if self.at_redirect():
                redirects.append(self.redirect())
            elif self.tok.kind == WORD:
                word = self.advance().word
                assignment = None if words else as_assignment(word)
                if assignment:
                    assignments.append(assignment)
                    if self.aliases and not words:  # `x=1 ll`: ll is a command word
                        self.alias_next = self.expand_alias()
                    continue
                words.append(word)
                if len(words) == 1 and not assignments and not redirects and self.at_op("("):
                    return self.function_definition(word, start)
                if self.alias_next and self.tok.start >= self.expanding[-1][1]:
                    # the alias before ended in a blank: the word after it is checked too
                    self.alias_next = self.expand_alias()
            else:
                break
        if not (assignments or words or redirects):
            raise self.unexpected()
        return Command(assignments, words, redirects, self.source(start))

    def function_definition(self, word: Word, start: int) -> FunctionDef:
        """`name() compound-command [redirections]`."""
        self.advance()
        if not self.at_op(")"):  # `echo (`: not a function, and no more text can fix it
            raise ShellSyntaxError('syntax error: "(" unexpected')
        self.advance()
        name = word.text
        if not _is_name(name):
            raise ShellSyntaxError("Bad function name")
        self.skip_newlines()
        body_start = self.tok.start
        body = self.compound()
        if body is None:  # dash also takes a simple command: `f() echo hi`
            if not self.can_start_command():
                raise self.unexpected()
            return FunctionDef(name, self.command(), self.source(start))
        body.redirects = self.redirects()
        body.source = self.source(body_start)
        return FunctionDef(name, body, self.source(start))

    def redirect(self) -> Redirect:
        fd = int(self.advance().text) if self.tok.kind == IO_NUMBER else None
        if not self.at_op(*REDIRECT_OPS):
            raise self.unexpected()
        op = self.advance().text
        if self.tok.kind != WORD:
            if self.tok.kind == EOF:  # `echo >` is an error, not a line to continue
                raise ShellSyntaxError("syntax error: redirection unexpected")
            raise self.unexpected()
        if op in ("<<", "<<-"):
            return Redirect(fd, op, self.heredoc(op))
        target = self.advance().word
        if op in (">&", "<&") and all(type(p) is Lit for p in target.parts):
            value = "".join(p.text for p in target.parts)
            if not (value.isdigit() or value == "-"):
                raise ShellSyntaxError("Syntax error: Bad fd number")
        return Redirect(fd, op, target)

    def heredoc(self, op: str) -> Word:
        """`<<WORD`: the body comes after the end of this line; the lexer fills `body`."""
        delimiter = self.tok.word
        quoted = any(type(p) is not Lit or p.quoted for p in delimiter.parts)
        text = "".join(p.text if type(p) is Lit else _source_of(p) for p in delimiter.parts)
        body = Word([], "")
        self.lexer.add_heredoc(HereDoc(text, op == "<<-", not quoted, body))
        # The delimiter is consumed only now: the token after it may be the newline that
        # starts the body, and the lexer reads bodies when it passes a newline.
        if self.lexer.text[self.tok.end:self.tok.end + 1] == "\n" or (
                self.lexer.pos > self.tok.end and "\n" in self.text[self.tok.end:self.lexer.pos]):
            pass
        self.advance()
        return body


def _source_of(part) -> str:
    """A delimiter like `$x` or `${x}` is taken literally."""
    if hasattr(part, "text") and part.text:
        return part.text
    return "$" + part.name


def subparser_for(lexer: Lexer, aliases: dict[str, str] | None = None):
    """What the lexer calls at `$(`: parse a command list on the same text up to its `)`."""
    def subparse(pos: int):
        inner = Parser(lexer.text, lexer.final, pos, aliases=aliases)
        inner.skip_newlines()
        node = None
        if not inner.at_op(")"):
            node = inner.command_list(multiline=True)
        if not inner.at_op(")"):
            raise inner.unexpected("expecting \")\"")
        if inner.lexer.pending:
            raise Incomplete("here-document not terminated")
        if inner.grown:  # an alias expanded inside: the outer lexer reads on in that text
            lexer.text = inner.lexer.text
        return node, inner.tok.end
    return subparse


def as_assignment(word: Word) -> Assignment | None:
    """`NAME=value` when the word starts with an unquoted NAME followed by `=`."""
    first = word.parts[0] if word.parts else None
    if type(first) is not Lit or first.quoted or "=" not in first.text:
        return None
    name, _, rest = first.text.partition("=")
    if not _is_name(name):
        return None
    parts = ([Lit(rest, False)] if rest else []) + word.parts[1:]
    return Assignment(name, Word(parts, word.text[len(name) + 1:]))


def deep_call(function, *args):
    """Call function(*args) with room for deep recursion: nested constructs thousands deep
    recurse that deep in the parser and the executor. Python 3.11 runs Python-to-Python
    calls without growing the C stack, so a higher limit is safe for them."""
    try:
        return function(*args)
    except RecursionError:
        raise ShellSyntaxError("too deeply nested") from None


def parse(text: str, final: bool = False, aliases: dict[str, str] | None = None
          ) -> Node | None:
    """The whole text as one tree (a Sequence if several lines), or None if it is empty.
    Incomplete if more lines could finish it (final: no more will come)."""
    parser = Parser(text, final=final, aliases=aliases)
    nodes = list(parser.commands())
    if not nodes:
        return None
    if len(nodes) == 1:
        return nodes[0]
    return Sequence(nodes, text.strip())
