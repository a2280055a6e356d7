"""The builtin registry and the helpers every builtin shares.

OS idea: a builtin is a function call, not a process. It gets its arguments as a C program's
main() gets argv, writes with write(2) on fds 1 and 2 (so its output follows the
redirections the executor made, and nothing sits in a Python buffer when the shell forks),
and returns an exit status, 0-255, like exit(3).

Each builtin is `name(shell, argv) -> status`, registered here with `@builtin(...)`. The
themed modules (builtins_io, builtins_test, builtins_vars, builtins_proc) register theirs
when imported, at the first use of one (builtin_modules.py), so `builtins.BUILTINS` is the
one table the executor reads.

POSIX calls some builtins *special* (`SPECIAL`): an error in one ends a non-interactive
shell, and `X=1 special` keeps the assignment after the command. The executor applies those
rules; this module only says which builtins they are.
"""

from __future__ import annotations

import os

from .explain import error

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

BUILTINS: dict = {}
SUMMARIES: dict[str, str] = {}
# POSIX XCU 2.14, "Special Built-In Utilities".
SPECIAL = frozenset({"break", ":", "continue", ".", "eval", "exec", "exit", "export",
                     "readonly", "return", "set", "shift", "times", "trap", "unset"})
INT_MAX = 2**31 - 1
INTMAX_MAX = 2**63 - 1
UINTMAX_MAX = 2**64 - 1


class ExitShell(Exception):
    """Raised by `exit` (and fatal errors); the top level ends the shell with `status`."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class ShellError(ExitShell):
    """An error that ends a non-interactive shell with status 2: in a special builtin, a
    syntax error in `eval`, a failed expansion. Run through `command`, the builtin only
    fails (POSIX; dash), so `command` catches this one."""

    def __init__(self) -> None:
        super().__init__(2)


class BuiltinError(Exception):
    """A builtin's usage error: printed as `minishell: name: message`, status 2 (as dash).
    In a special builtin it also ends a non-interactive shell (see `fatal`)."""


def builtin(*names: str, summary: str):
    """Register a function as the builtin(s) `names`, with a one-line summary for `help`."""
    def register(function):
        for name in names:
            BUILTINS[name] = _guarded(name, function)
            SUMMARIES[name] = summary
        return function
    return register


def _guarded(name: str, function):
    special = name in SPECIAL

    def run(shell: Shell, argv: list[str]) -> int:
        try:
            return function(shell, argv)
        except BuiltinError as err:
            if special:
                return fatal(shell, f"{name}: {err}")
            error(f"{name}: {err}")
            return 2
        except BrokenPipeError:
            return 1
        except OSError as err:
            error(f"{name}: {err.strerror}")
            return 1
    return run


def fatal(shell: Shell, message: str) -> int:
    """An error in a special builtin (exit, export, unset, shift, set, trap...): as in dash,
    it ends a script; at a prompt it only fails the command (status 2)."""
    error(message)
    if not shell.interactive:
        raise ShellError
    return 2


def out(text: str) -> None:
    """Write to standard output (fd 1) with write(2); raise OSError if it fails."""
    out_bytes(text.encode("utf-8", "surrogateescape"))


def out_bytes(data: bytes) -> None:
    """write(2) all of `data` to fd 1 (a pipe may take it in several pieces)."""
    while data:
        data = data[os.write(1, data):]


def to_bytes(text: str) -> bytes:
    """A shell string as the bytes it came from (arguments keep undecodable bytes)."""
    return text.encode("utf-8", "surrogateescape")


def strtoimax(text: str, base: int = 10,
              unsigned: bool = False) -> tuple[int | None, int, bool]:
    """C's strtoimax(3) on `text`: (value or None if no digits, characters used, overflow).
    Leading blanks and a sign are accepted; base 0 means 0x.. hex, 0.. octal, else decimal;
    an overflowing value is clamped to the 64-bit range, as in C. With `unsigned`, it is
    strtoumax(3): a negative number wraps around (-1 is 2**64 - 1)."""
    i, n = 0, len(text)
    while i < n and text[i] in " \t\n\v\f\r":
        i += 1
    sign = 1
    if i < n and text[i] in "+-":
        sign = -1 if text[i] == "-" else 1
        i += 1
    if base == 0:
        if text.startswith(("0x", "0X"), i) and i + 2 < n and text[i + 2] in HEX_DIGITS:
            base, i = 16, i + 2
        elif text.startswith("0", i):
            base = 8
        else:
            base = 10
    digits = HEX_DIGITS[:base + 6] if base == 16 else "0123456789"[:base]
    start = i
    while i < n and text[i] in digits:
        i += 1
    if i == start:
        return None, 0, False
    value = sign * int(text[start:i], base)
    if unsigned:
        if abs(value) > UINTMAX_MAX:
            return UINTMAX_MAX, i, True
        return value % (UINTMAX_MAX + 1), i, False
    if value > INTMAX_MAX:
        return INTMAX_MAX, i, True
    if value < -INTMAX_MAX - 1:
        return -INTMAX_MAX - 1, i, True
    return value, i, False


HEX_DIGITS = "0123456789abcdefABCDEF"


def number(text: str, limit: int = INTMAX_MAX) -> int:
    """dash's atomax10/number(): a decimal number with optional blanks around it and a sign,
    in 0..limit when limit is INT_MAX (exit, shift...). Raises BuiltinError("Illegal number")."""
    value, used, overflow = strtoimax(text)
    if value is None or overflow or text[used:].strip(" \t\n\v\f\r"):
        raise BuiltinError(f"Illegal number: {text}")
    if limit == INT_MAX and not 0 <= value <= INT_MAX:
        raise BuiltinError(f"Illegal number: {text}")
    return value


def single_quote(text: str) -> str:
    """dash's single_quote(): 'text', with each run of ' written as "'''"; used by `set`,
    `export -p`, `readonly -p`, `alias` and `trap` so that the output can be read back."""
    pieces: list[str] = []
    rest = text
    while True:
        plain, quote, rest = rest.partition("'")
        pieces.append(f"'{plain}'")
        if not quote:
            break
        run = 1 + len(rest) - len(rest.lstrip("'"))
        rest = rest[run - 1:]
        pieces.append('"' + "'" * run + '"')
        if not rest:
            break
    return "".join(pieces)


def options(argv: list[str], letters: str) -> tuple[set[str], list[str]]:
    """dash's nextopt(): leading `-abc` words, each letter one of `letters`; `--` ends them.
    Returns (the letters seen, the other arguments)."""
    seen: set[str] = set()
    args = argv[1:]
    while args and args[0].startswith("-") and args[0] != "-":
        word = args.pop(0)
        if word == "--":
            break
        for letter in word[1:]:
            if letter not in letters:
                raise BuiltinError(f"Illegal option -{letter}")
            seen.add(letter)
    return seen, args
