"""The parser: tokens -> a tree of ast nodes, by recursive descent (as xv6's sh.c does).

OS idea: the tree says which processes to create and how to connect them; the executor
turns it into fork, pipe, dup2, exec and wait. The grammar, one function per line:

    command_line := and_or ((';' | '&') and_or)* [';' | '&']         (up to a newline)
    and_or       := pipeline (('&&' | '||') newline* pipeline)*
    pipeline     := ['trace'] ['!'] command ('|' newline* command)*
    command      := '(' list ')' redirect*  |  simple
    simple       := (assignment | redirect)* (word | redirect)*
    redirect     := [IO_NUMBER] ('<' | '>' | '>>' | '>|' | '<>' | '>&' | '<&') word

Inside parentheses newlines separate commands like `;`. `Parser.next_command()` returns one
command line at a time, so scripts run line by line.
"""

from __future__ import annotations

from .ast import (
    AndOr,
    Assignment,
    Background,
    Command,
    Lit,
    Node,
    Pipeline,
    Redirect,
    Sequence,
    Subshell,
    Trace,
    Word,
)
from .lexer import EOF, IO_NUMBER, NEWLINE, OP, WORD, Incomplete, Lexer, ShellSyntaxError, Token
from .lexer import is_name as _is_name

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Incomplete", "Parser", "ShellSyntaxError", "parse"]

REDIRECT_OPS = frozenset({"<", ">", ">>", ">|", "<>", ">&", "<&"})
# Words that start compound commands in sh. minishell has none of them: saying so beats
# "if: command not found".
COMPOUND_WORDS = frozenset({"if", "then", "else", "elif", "fi", "while", "until", "for", "do",
                            "done", "case", "esac", "{", "}", "function"})


class Parser:
    """Recursive descent over a lazy token stream."""

    def __init__(self, text: str, final: bool = False, aliases: dict[str, str] | None = None):
        self.lexer = Lexer(text, final)
        self.text = self.lexer.text
        self.aliases = aliases  # `alias` definitions (builtins_vars), read live
        self.alias_ends: list[tuple[str, int]] = []  # aliases being expanded, end offsets
        self.alias_next = False  # the last alias ended in a blank: check the next word too
        self.prev_end = 0
        self.tok: Token = self.lexer.next()
        self.offset = 0  # how much of the text the commands returned so far covered

    # -- token helpers ---------------------------------------------------------------------

    def advance(self) -> Token:
        """Consume the current token; remember where it ended (for source texts)."""
        tok = self.tok
        self.prev_end = tok.end
        self.tok = self.lexer.next()
        return tok

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == OP and self.tok.text in ops

    def at_reserved(self, name: str) -> bool:
        """An unquoted word spelled `name` where a command may start (`!`, `trace`)."""
        tok = self.tok
        return tok.kind == WORD and tok.text == name

    def unexpected(self) -> ShellSyntaxError:
        """The error for the current token; at end of input more text could fix it."""
        if self.tok.kind == EOF:
            return Incomplete("syntax error: unexpected end of file")
        shown = "newline" if self.tok.kind == NEWLINE else self.tok.text
        return ShellSyntaxError(f"syntax error near unexpected token `{shown}'")

    def skip_newlines(self) -> None:
        while self.tok.kind == NEWLINE:
            self.advance()

    def can_start_command(self) -> bool:
        return self.tok.kind in (WORD, IO_NUMBER) or self.at_op("(", *REDIRECT_OPS)

    def source(self, start: int) -> str:
        """The source text from offset `start` to the end of the last consumed token."""
        return self.text[start:self.prev_end].strip()

    # -- the grammar -----------------------------------------------------------------------

    def next_command(self) -> Node | None:
        """The next command line (up to a newline), or None at the end of the text."""
        try:
            return self._command_line()
        except RecursionError:  # `((((...` ten thousand deep: an error, not a crash
            raise ShellSyntaxError("syntax error: too deeply nested") from None

    def _command_line(self) -> Node | None:
        self.skip_newlines()
        if self.tok.kind == EOF:
            self.offset = len(self.text)
            return None
        node = self.command_list(in_parens=False)
        if self.tok.kind not in (NEWLINE, EOF):
            raise self.unexpected()
        self.offset = self.tok.end
        return node

    def commands(self) -> Iterator[Node]:
        while (node := self.next_command()) is not None:
            yield node

    def command_list(self, in_parens: bool) -> Node:
        """and_or lists separated by `;` or `&` (and by newlines inside parentheses)."""
        start = self.tok.start
        items: list[Node] = []
        while True:
            if in_parens:
                self.skip_newlines()
            item_start = self.tok.start
            item = self.and_or()
            separated = True
            if self.at_op("&"):
                job_text = self.source(item_start)  # what `jobs` shows: without the `&`
                self.advance()
                item = Background(item, job_text)
            elif self.at_op(";"):
                self.advance()
            elif in_parens and self.tok.kind == NEWLINE:
                self.skip_newlines()
            else:
                separated = False
            items.append(item)
            if in_parens:
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
        stages = [self.command()]
        while self.at_op("|"):
            self.advance()
            self.skip_newlines()
            stages.append(self.command())
        if len(stages) == 1 and not negated:
            return stages[0]
        return Pipeline(stages, negated, self.source(start))

    def command(self) -> Node:
        start = self.tok.start
        if self.at_op("("):
            self.advance()
            if self.at_op(")"):
                raise self.unexpected()
            body = self.command_list(in_parens=True)
            if not self.at_op(")"):
                if self.tok.kind == EOF:
                    raise Incomplete("syntax error: unexpected end of file (expecting ')')")
                raise self.unexpected()
            self.advance()
            redirects = []
            while self.at_redirect():
                redirects.append(self.redirect())
            return Subshell(body, redirects, self.source(start))
        return self.simple_command()

    def at_redirect(self) -> bool:
        return self.tok.kind == IO_NUMBER or self.at_op(*REDIRECT_OPS)

    def expand_alias(self) -> bool:
        """At command position: if the current token is an unquoted alias name (and not one
        being expanded: `alias ls='ls -F'` must not loop), put its text in its place."""
        tok = self.tok
        parts = tok.word.parts if tok.kind == WORD and tok.word else []
        if len(parts) != 1 or type(parts[0]) is not Lit or parts[0].quoted:
            return False
        value = self.aliases.get(tok.text) if self.aliases else None
        self.alias_ends = [(name, end) for name, end in self.alias_ends if end > tok.start]
        if value is None or any(name == tok.text for name, _ in self.alias_ends):
            return False
        delta = len(value) - (tok.end - tok.start)
        self.alias_ends = [(name, end + delta) for name, end in self.alias_ends]
        self.alias_ends.append((tok.text, tok.start + len(value)))
        self.lexer.splice(tok.start, tok.end, value)
        self.text = self.lexer.text
        self.alias_next = value[-1:] in (" ", "\t")
        self.tok = self.lexer.next()
        return True

    def simple_command(self) -> Command:
        while self.aliases and self.expand_alias():
            pass
        start = self.tok.start
        if self.tok.kind == WORD:
            if self.tok.text in COMPOUND_WORDS:
                raise ShellSyntaxError(f"`{self.tok.text}': compound commands (if, while, for,"
                                       " case, { }) are not supported by minishell")
            if self.tok.text == "!":  # `!` only negates a whole pipeline, at its start
                raise self.unexpected()
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
                else:
                    words.append(word)
                # After assignments, and after an alias whose text ends in a blank, the
                # next word is in command position too (dash's CHKALIAS).
                check = (assignment is not None or self.alias_next) and self.aliases
                self.alias_next = False
                while check and self.expand_alias():
                    pass
            elif self.at_op("<<"):
                raise ShellSyntaxError("here-documents (<<) are not supported by minishell")
            else:
                break
        if not (assignments or words or redirects):
            raise self.unexpected()
        return Command(assignments, words, redirects, self.source(start))

    def redirect(self) -> Redirect:
        fd = int(self.advance().text) if self.tok.kind == IO_NUMBER else None
        if not self.at_op(*REDIRECT_OPS):
            raise self.unexpected()
        op = self.advance().text
        if self.tok.kind != WORD:
            if self.tok.kind == EOF:  # `echo >` is an error, not a line to continue
                raise ShellSyntaxError("syntax error near unexpected token `newline'")
            raise self.unexpected()
        target = self.advance().word
        if op in (">&", "<&") and not (target.text.isdigit() or target.text == "-"):
            raise ShellSyntaxError(f"{target.text}: bad fd number (expected a number or -)")
        return Redirect(fd, op, target)


def as_assignment(word: Word) -> Assignment | None:
    """`NAME=value` when the word starts with an unquoted NAME followed by `=`."""
    first = word.parts[0] if word.parts else None
    if not isinstance(first, Lit) or first.quoted or "=" not in first.text:
        return None
    name, _, rest = first.text.partition("=")
    if not _is_name(name):
        return None
    parts = ([Lit(rest, False)] if rest else []) + word.parts[1:]
    return Assignment(name, Word(parts, word.text[len(name) + 1:]))


def parse(text: str) -> Node | None:
    """The whole text as one tree (a Sequence if several lines), or None if it is empty."""
    parser = Parser(text)
    nodes = list(parser.commands())
    if not nodes:
        return None
    if len(nodes) == 1:
        return nodes[0]
    return Sequence(nodes, text.strip())
