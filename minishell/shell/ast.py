"""The parse tree: a handful of node kinds, as in xv6's sh.c.

OS idea: a command line is a *program* for the kernel's process API. Each node kind maps to
one pattern of system calls, and the executor has one function per kind:

    Command     fork + exec (or a builtin run inside the shell itself)
    Pipeline    pipe + one fork per stage, dup2 of the pipe ends onto 0 and 1
    AndOr       run the left side, look at its exit status, maybe run the right side
    Sequence    run each item in turn
    Background  fork, and do not wait
    Subshell    fork, and run the body in the child (so `cd` inside does not move the parent)
    Trace       run the pipeline under the minitrace syscall tracer
    Group, If, Loop, For, Case      compound commands: run in the shell itself, no fork
    FunctionDef store a body under a name; a later Command of that name runs it

Words keep the pieces they were written in (literal text, quoted or not, `$NAME` and
`${NAME op word}` references, `$(...)` command substitutions, `$((...))` arithmetic), so
expansion knows which characters came from quotes.

Why not @dataclass: importing `dataclasses` pulls in `inspect` and `re` and doubles the time
`minishell -c true` takes to start. `Node` gives the same conveniences (keyword construction,
a readable repr, equality) from each class's `__slots__`.
"""

from __future__ import annotations


class Node:
    """Base class: the fields are the names in `__slots__`, all given to the constructor."""

    __slots__: tuple[str, ...] = ()

    def __init__(self, *values, **fields):
        for name, value in zip(self.__slots__, values, strict=False):
            setattr(self, name, value)
        for name, value in fields.items():
            setattr(self, name, value)
        for name in self.__slots__:
            if not hasattr(self, name):
                setattr(self, name, None)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__
        )

    __hash__ = None  # mutable, like a dataclass with eq=True


# --- pieces of a word --------------------------------------------------------------------


class Lit(Node):
    """Literal text. `quoted` is True when it came from '...', "..." or a backslash: such text
    is never split into fields nor used as a glob pattern."""

    __slots__ = ("text", "quoted")
    text: str
    quoted: bool


class Param(Node):
    """A parameter reference: `$NAME`, `${NAME}`, `$?`, `$$`, `$!`, `$#`, `$0`..`$9`, `$@`, `$*`,
    and `${NAME op arg}` (op one of - := ? + with or without a colon, % %% # ##, or "len" for
    `${#NAME}`). `quoted` is True inside double quotes (no field splitting, no globbing)."""

    __slots__ = ("name", "quoted", "op", "arg")
    name: str
    quoted: bool
    op: str | None
    arg: Word | None


class CommandSub(Node):
    """`$(body)` or a backquoted command: its standard output, trailing newlines removed."""

    __slots__ = ("body", "quoted", "text")
    body: Node | None
    quoted: bool
    text: str


class Arith(Node):
    """`$((expr))`: expr is a word (parameters and command substitutions expand first)."""

    __slots__ = ("expr", "quoted")
    expr: Word
    quoted: bool


class Word(Node):
    """One shell word: the pieces it was written in, and its source text (for messages)."""

    __slots__ = ("parts", "text")
    parts: list[Lit | Param]
    text: str


# --- commands --------------------------------------------------------------------------


class Redirect(Node):
    """`[fd]op target`: op is one of < > >> >| <> >& <& << <<- ; fd is None for the default
    (0 for input operators, 1 for output ones). For a here-document (<< and <<-) the target
    is the body, read by the lexer after the end of the line."""

    __slots__ = ("fd", "op", "target")
    fd: int | None
    op: str
    target: Word


class Assignment(Node):
    """`NAME=value`, alone (a shell variable) or before a command (its environment only)."""

    __slots__ = ("name", "value")
    name: str
    value: Word


class Command(Node):
    """A simple command: assignments, then words (the first names the program), with
    redirections anywhere among them."""

    __slots__ = ("assignments", "words", "redirects", "source")
    assignments: list[Assignment]
    words: list[Word]
    redirects: list[Redirect]
    source: str


class Pipeline(Node):
    """`a | b | c`, or `! a`: two or more stages, or one negated stage."""

    __slots__ = ("stages", "negated", "source")
    stages: list[Node]
    negated: bool
    source: str


class AndOr(Node):
    """`left && right` or `left || right` (op is "&&" or "||")."""

    __slots__ = ("left", "op", "right", "source")
    left: Node
    op: str
    right: Node
    source: str


class Sequence(Node):
    """Commands separated by `;`, `&` or newlines, run one after the other."""

    __slots__ = ("items", "source")
    items: list[Node]
    source: str


class Background(Node):
    """`body &`: run body in a child and do not wait for it."""

    __slots__ = ("body", "source")
    body: Node
    source: str


class Subshell(Node):
    """`( body )`, with optional redirections after the closing parenthesis."""

    __slots__ = ("body", "redirects", "source")
    body: Node
    redirects: list[Redirect]
    source: str


class Trace(Node):
    """`trace PIPELINE`: a reserved word, like bash's `time`. The executor runs the pipeline's
    source text under minitrace."""

    __slots__ = ("body", "source")
    body: Node
    source: str


class Group(Node):
    """`{ body; }`: a list run in the shell itself, with redirections for all of it."""

    __slots__ = ("body", "redirects", "source")
    body: Node
    redirects: list[Redirect]
    source: str


class If(Node):
    """`if c1; then b1; elif c2; then b2; else b3; fi`: clauses [(c1, b1), (c2, b2)]."""

    __slots__ = ("clauses", "else_body", "redirects", "source")
    clauses: list[tuple[Node, Node]]
    else_body: Node | None
    redirects: list[Redirect]
    source: str


class Loop(Node):
    """`while cond; do body; done` (or `until`, which runs while cond fails)."""

    __slots__ = ("cond", "body", "until", "redirects", "source")
    cond: Node
    body: Node
    until: bool
    redirects: list[Redirect]
    source: str


class For(Node):
    """`for name in words; do body; done`; words is None without `in` (then "$@")."""

    __slots__ = ("name", "words", "body", "redirects", "source")
    name: str
    words: list[Word] | None
    body: Node
    redirects: list[Redirect]
    source: str


class CaseItem(Node):
    """`pat1 | pat2) body ;;` (or `;&`, which falls through into the next body)."""

    __slots__ = ("patterns", "body", "fallthrough")
    patterns: list[Word]
    body: Node | None
    fallthrough: bool


class Case(Node):
    """`case word in items esac`."""

    __slots__ = ("word", "items", "redirects", "source")
    word: Word
    items: list[CaseItem]
    redirects: list[Redirect]
    source: str


class FunctionDef(Node):
    """`name() body`: defines a function (the body is a compound command)."""

    __slots__ = ("name", "body", "source")
    name: str
    body: Node
    source: str


COMPOUND = (Group, If, Loop, For, Case)
