"""Arithmetic expansion `$((...))`: POSIX's subset of C expressions on signed 64-bit integers.

OS idea: none of the kernel's, this is the shell as a tiny C interpreter. Precedence, from
loosest: `,`-less assignment (= *= /= %= += -= <<= >>= &= ^= |=), `?:`, `||`, `&&`, `|`, `^`,
`&`, `== !=`, `< <= > >=`, `<< >>`, `+ -`, `* / %`, unary `+ - ! ~`, parentheses. Numbers are
decimal, octal (0NN) or hex (0xNN); a variable name stands for its value, itself evaluated.
Results wrap around as C's int64_t does (dash uses intmax_t).
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"\s*(?:(0[xX][0-9a-fA-F]+|\d+[0-9a-zA-Z_]*)|([A-Za-z_][A-Za-z0-9_]*)|"
                   r"(<<=|>>=|\*\*|&&|\|\||==|!=|<=|>=|<<|>>|[-+*/%&^|]=|[-+*/%<>=!~&^|?:()]))")
BINARY = [  # loosest first
    ("||",), ("&&",), ("|",), ("^",), ("&",), ("==", "!="), ("<", "<=", ">", ">="),
    ("<<", ">>"), ("+", "-"), ("*", "/", "%"),
]
ASSIGN = {"=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|="}


class ArithError(Exception):
    """A bad expression: the message is what dash prints after `arithmetic expression: `."""


def wrap(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


def number(text: str) -> int:
    """A constant, read as C's strtoimax() reads it (dash does): too big gives INTMAX_MAX."""
    return min(magnitude(text), (1 << 63) - 1)


def magnitude(text: str) -> int:
    """The value of unsigned digits: decimal, octal (0NN) or hex (0xNN)."""
    try:
        if text[:2] in ("0x", "0X"):
            return int(text[2:], 16)
        if len(text) > 1 and text[0] == "0":
            return int(text, 8)
        return int(text)
    except ValueError:
        raise ArithError(f"expecting EOF: \"{text}\"") from None


class Evaluator:
    """Recursive descent over the tokens; `skip` > 0 inside the branch not taken of && || ?:
    (names there are not looked up and assignments not made, as in C)."""

    def __init__(self, text: str, lookup, assign):
        self.text, self.lookup, self.assign = text, lookup, assign
        self.tokens = self._tokens(text)
        self.pos = 0
        self.skip = 0

    def _tokens(self, text: str) -> list[tuple[str, str]]:
        tokens, pos = [], 0
        while pos < len(text):
            match = TOKEN.match(text, pos)
            if match is None:
                if text[pos:].strip() == "":
                    break
                raise ArithError(f"expecting primary: \"{self.text}\"")
            pos = match.end()
            num, name, op = match.groups()
            tokens.append(("num", num) if num else ("name", name) if name else ("op", op))
        return tokens

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def evaluate(self) -> int:
        value = self.assignment()
        if self.pos != len(self.tokens):
            raise ArithError(f"expecting EOF: \"{self.text}\"")
        return value

    def assignment(self) -> int:
        if (self.pos + 1 < len(self.tokens) and self.tokens[self.pos][0] == "name"
                and self.tokens[self.pos + 1][1] in ASSIGN):
            name = self.take()[1]
            op = self.take()[1]
            right = self.assignment()
            if op != "=":
                right = self.apply(op[:-1], self.value_of(name), right)
            if not self.skip:
                self.assign(name, str(right))
            return right
        return self.conditional()

    def conditional(self) -> int:
        cond = self.binary(0)
        if self.peek() != "?":
            return cond
        self.take()
        self.skip += not cond
        yes = self.assignment()
        self.skip -= not cond
        if self.peek() != ":":
            raise ArithError(f"expecting ':': \"{self.text}\"")
        self.take()
        self.skip += bool(cond)
        no = self.assignment()
        self.skip -= bool(cond)
        return yes if cond else no

    def binary(self, level: int) -> int:
        if level == len(BINARY):
            return self.unary()
        ops = BINARY[level]
        left = self.binary(level + 1)
        while self.peek() in ops and self.tokens[self.pos][0] == "op":
            op = self.take()[1]
            if op in ("&&", "||"):
                short = (not left) if op == "&&" else bool(left)
                self.skip += short
                right = self.binary(level + 1)
                self.skip -= short
                left = int(bool(left and right)) if op == "&&" else int(bool(left or right))
            else:
                left = self.apply(op, left, self.binary(level + 1))
        return left

    def apply(self, op: str, a: int, b: int) -> int:
        if op in ("/", "%"):
            if b == 0:
                if self.skip:
                    return 0
                raise ArithError("division by zero")
            q = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)  # C truncates
            return wrap(q if op == "/" else a - q * b)
        result = {
            "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
            "<<": lambda: a << (b & 63), ">>": lambda: a >> (b & 63),
            "<": lambda: int(a < b), "<=": lambda: int(a <= b), ">": lambda: int(a > b),
            ">=": lambda: int(a >= b), "==": lambda: int(a == b), "!=": lambda: int(a != b),
            "&": lambda: a & b, "^": lambda: a ^ b, "|": lambda: a | b,
        }[op]()
        return wrap(result)

    def unary(self) -> int:
        tok = self.peek()
        if tok in ("+", "-", "!", "~") and self.tokens[self.pos][0] == "op":
            self.take()
            value = self.unary()
            return {"+": value, "-": wrap(-value), "!": int(not value), "~": ~value}[tok]
        return self.primary()

    def primary(self) -> int:
        if self.pos >= len(self.tokens):
            raise ArithError(f"expecting primary: \"{self.text}\"")
        kind, text = self.take()
        if kind == "num":
            return number(text)
        if kind == "name":
            return self.value_of(text)
        if text == "(":
            value = self.assignment()
            if self.peek() != ")":
                raise ArithError(f"expecting ')': \"{self.text}\"")
            self.take()
            return value
        raise ArithError(f"expecting primary: \"{self.text}\"")

    def value_of(self, name: str) -> int:
        if self.skip:
            return 0
        value = self.lookup(name)
        if value is None or value.strip() == "":
            return 0
        text = value.strip()
        if re.fullmatch(r"[-+]?(0[xX][0-9a-fA-F]+|\d+)", text):
            signed = -magnitude(text[1:]) if text[0] == "-" else magnitude(text.lstrip("+"))
            if -(1 << 63) <= signed < 1 << 63:  # else dash's strtoimax() reports ERANGE
                return signed
        raise ArithError(f"Illegal number: {value}")


def evaluate(text: str, lookup, assign) -> int:
    """The value of the expression `text`; lookup(name) -> str | None, assign(name, str)."""
    return Evaluator(text, lookup, assign).evaluate()
