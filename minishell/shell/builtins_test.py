"""`test` and `[`: ask the kernel about files, compare strings and numbers.

OS idea: `test -f x`, `-d`, `-r`... are stat(2) and access(2) calls. stat fills in a
`struct stat` (st_mode says regular file, directory, FIFO, socket...; st_size, st_uid,
st_mtime); `-r -w -x` ask faccessat(2) with AT_EACCESS whether *this* process (its effective
uid and groups) may read, write or execute the file; `-L` uses lstat(2), which does not
follow a symbolic link; `-t FD` is isatty(3), an ioctl on the descriptor.

The grammar is dash's (from NetBSD's test.c), including POSIX's rules for 1 to 4
arguments, which let `test ! = x` and `[ "$a" = "(" ]` mean what they say:

    oexpr   := aexpr ['-o' oexpr]
    aexpr   := nexpr ['-a' aexpr]
    nexpr   := primary | '!' nexpr
    primary := '(' oexpr ')' | UNARY operand | operand BINARY operand | operand

Status 0 is true, 1 false, 2 an error (with a message).
"""

from __future__ import annotations

import os
import stat

from .builtins_base import BuiltinError, builtin, number

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

UNARY = frozenset({"-r", "-w", "-x", "-e", "-f", "-d", "-c", "-b", "-p", "-u", "-g", "-k",
                   "-s", "-t", "-z", "-n", "-h", "-O", "-G", "-L", "-S"})
BINARY = frozenset({"=", "!=", "<", ">", "-eq", "-ne", "-ge", "-gt", "-le", "-lt", "-nt",
                    "-ot", "-ef"})
OPERATORS = UNARY | BINARY | {"!", "-a", "-o", "(", ")"}

# st_mode tests: the file type bits (S_IFMT) or one permission bit.
MODE_TESTS = {"-f": stat.S_ISREG, "-d": stat.S_ISDIR, "-c": stat.S_ISCHR, "-b": stat.S_ISBLK,
              "-p": stat.S_ISFIFO, "-S": stat.S_ISSOCK, "-h": stat.S_ISLNK, "-L": stat.S_ISLNK,
              "-u": lambda mode: bool(mode & stat.S_ISUID),
              "-g": lambda mode: bool(mode & stat.S_ISGID),
              "-k": lambda mode: bool(mode & stat.S_ISVTX)}
ACCESS = {"-r": os.R_OK, "-w": os.W_OK, "-x": os.X_OK}


@builtin("test", "[", summary="test EXPR, [ EXPR ]: file tests (-f -d -r -w -x -e -s...), "
                              "strings (= != -z -n), numbers (-eq -lt...), ! -a -o ( )")
def test(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    if argv[0] == "[":
        if not args or args[-1][:1] != "]":  # dash looks at the first character only
            raise BuiltinError("missing ]")
        args = args[:-1]
    return evaluate(args)


def evaluate(args: list[str]) -> int:
    """0 (true) or 1 (false) for the expression `args`; BuiltinError if it is not one."""
    negate = False
    while True:
        count = len(args)
        if count == 0:
            return 0 if negate else 1
        # POSIX's rules by argument count, before the general grammar.
        if count == 3 and args[1] in BINARY:
            parser = Parser(args)
            result = parser.oexpr(OPERAND)
            break
        if count in (3, 4):
            if args[0] == "(" and args[-1] == ")":
                args = args[1:-1]
            elif args[0] == "!":
                negate = True  # dash sets, not toggles: `test ! ! ! !` is true
                args = args[1:]
                continue
        parser = Parser(args)
        result = parser.oexpr(parser.lex(0))
        break
    if parser.pos + 1 < len(args):
        raise BuiltinError(f"{args[parser.pos]}: unexpected operator")
    return 0 if result != negate else 1


OPERAND, END = "operand", "end"


class Parser:
    """Recursive descent over the arguments, as dash's test.c: `pos` is the word being
    looked at, `op` the operator lex() last found (None for an operand)."""

    def __init__(self, args: list[str]):
        self.args = args
        self.pos = 0
        self.op: str | None = None

    def word(self, at: int) -> str | None:
        return self.args[at] if at < len(self.args) else None

    def lex(self, at: int) -> str:
        """dash's t_lex(): the operator at `at`, OPERAND or END. A unary operator followed
        by a binary one and more is an operand (`-f = x`), and so is a `(` that is the last
        word."""
        word = self.word(at)
        self.op = None
        if word is None:
            return END
        if word not in OPERATORS:
            return OPERAND
        if word in UNARY:
            after = self.word(at + 1)
            if after is None or (self.word(at + 2) is not None and after in BINARY):
                return OPERAND
        if word == "(" and self.word(at + 1) is None:
            return OPERAND
        self.op = word
        return word

    def oexpr(self, n: str) -> bool:
        result = False
        while True:
            result = self.aexpr(n) | result
            if self.lex(self.pos + 1) != "-o":
                return result
            self.pos += 2
            n = self.lex(self.pos)

    def aexpr(self, n: str) -> bool:
        result = True
        while True:
            result = self.nexpr(n) & result
            if self.lex(self.pos + 1) != "-a":
                return result
            self.pos += 2
            n = self.lex(self.pos)

    def nexpr(self, n: str) -> bool:
        if n != "!":
            return self.primary(n)
        n = self.lex(self.pos + 1)
        if n != END:
            self.pos += 1
        return not self.nexpr(n)

    def primary(self, n: str) -> bool:
        if n == END:
            return False  # missing expression
        if n == "(":
            self.pos += 1
            inner = self.lex(self.pos)
            if inner == ")":
                return False
            result = self.oexpr(inner)
            self.pos += 1
            if self.lex(self.pos) != ")":
                raise BuiltinError("closing paren expected")
            return result
        if self.op in UNARY:
            op = self.op
            self.pos += 1
            operand = self.word(self.pos)
            if operand is None:
                raise BuiltinError(f"{op}: argument expected")
            return unary(op, operand)
        self.lex(self.pos + 1)
        if self.op in BINARY:
            return self.binary()
        return self.args[self.pos] != ""

    def binary(self) -> bool:
        left, op = self.args[self.pos], self.args[self.pos + 1]
        self.pos += 2
        right = self.word(self.pos)
        if right is None:
            raise BuiltinError(f"{op}: argument expected")
        return binary(left, op, right)


def unary(op: str, operand: str) -> bool:
    if op == "-z":
        return operand == ""
    if op == "-n":
        return operand != ""
    if op == "-t":
        return os.isatty(fd) if 0 <= (fd := number(operand)) < 2**31 else False
    if op in ACCESS:
        return access(operand, ACCESS[op])
    try:
        info = os.lstat(operand) if op in ("-h", "-L") else os.stat(operand)
    except (OSError, ValueError):
        return False
    if op == "-e":
        return True
    if op == "-s":
        return info.st_size > 0
    if op == "-O":
        return info.st_uid == os.geteuid()
    if op == "-G":
        return info.st_gid == os.getegid()
    return MODE_TESTS[op](info.st_mode)


def access(path: str, mode: int) -> bool:
    """faccessat(AT_EACCESS): may this process read/write/execute the file? (root may
    execute only what has some x bit, as the kernel decides.)"""
    try:
        return os.access(path, mode, effective_ids=os.access in os.supports_effective_ids)
    except (OSError, ValueError):
        return False


def binary(left: str, op: str, right: str) -> bool:
    if op == "=":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left.encode("utf-8", "surrogateescape") < right.encode("utf-8", "surrogateescape")
    if op == ">":
        return left.encode("utf-8", "surrogateescape") > right.encode("utf-8", "surrogateescape")
    if op in ("-nt", "-ot", "-ef"):
        return compare_files(left, op, right)
    a, b = number(left), number(right)
    return {"-eq": a == b, "-ne": a != b, "-ge": a >= b, "-gt": a > b, "-le": a <= b,
            "-lt": a < b}[op]


def compare_files(left: str, op: str, right: str) -> bool:
    """-nt/-ot compare st_mtime (to the nanosecond), -ef the (st_dev, st_ino) pair: the
    same file under two names (a hard link, a symlink followed)."""
    try:
        a, b = os.stat(left), os.stat(right)
    except (OSError, ValueError):
        return False
    if op == "-nt":
        return a.st_mtime_ns > b.st_mtime_ns
    if op == "-ot":
        return a.st_mtime_ns < b.st_mtime_ns
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
