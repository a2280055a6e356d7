"""Builtins for the shell's variables and options: `set`, `export`, `readonly`, `unset`,
`shift`, `getopts`, `alias`, `unalias`.

OS idea: the environment is a list of NAME=value strings execve(2) hands to a new program;
the shell's variables live in its own memory and only the *exported* ones go into that list
(`export` marks them). So `x=1; sh -c 'echo $x'` prints nothing and `export x=1` makes it
print 1: a child sees a copy of its parent's environment, never its variables.

Listings are printed as dash prints them, with every value in single quotes, so that
`eval "$(export -p)"` (or `set`, `readonly -p`, `alias`) reads them back unchanged.
"""

from __future__ import annotations

from .builtins_base import INT_MAX, BuiltinError, builtin, number, options, out, single_quote
from .explain import notice
from .lexer import is_name

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

# dash's option table, in its order: (name, letter). The attribute of the same name on the
# Shell holds each one (errexit, xtrace, noglob, nounset, noclobber, allexport, verbose...).
OPTIONS = (("errexit", "e"), ("noglob", "f"), ("ignoreeof", "I"), ("interactive", "i"),
           ("monitor", "m"), ("noexec", "n"), ("stdin", "s"), ("xtrace", "x"),
           ("verbose", "v"), ("vi", "V"), ("emacs", "E"), ("noclobber", "C"),
           ("allexport", "a"), ("notify", "b"), ("nounset", "u"), ("privileged", "p"),
           ("nolog", ""), ("debug", ""))
LETTERS = {letter: name for name, letter in OPTIONS if letter}
NAMES = {name for name, _ in OPTIONS}
FIXED = {"interactive"}  # decided when the shell starts: `set` leaves it alone


def option_on(shell: Shell, name: str) -> bool:
    if name == "monitor":
        return bool(shell.job_control)
    return bool(getattr(shell, name, False))


def option_letters(shell: Shell) -> str:
    """$-: the letters of the options that are on, in dash's order (`set -eu` gives `ue`)."""
    return "".join(letter for name, letter in reversed(OPTIONS)
                   if letter and option_on(shell, name))


def set_option(shell: Shell, name: str, on: bool) -> None:
    if name == "monitor":
        if on and not shell.job_control:  # job control needs the terminal (see jobs.py)
            notice("set: can't access tty; job control turned off\n")
        return
    if name in FIXED:
        return
    setattr(shell, name, on)


def restore_options(shell: Shell, letters: str) -> None:
    """Set the options back to `letters` (a saved $-), after a function with `local -`."""
    for name, letter in OPTIONS:
        if letter and name not in FIXED and name != "monitor":
            setattr(shell, name, letter in letters)


class ReadonlyError(BuiltinError):
    """An assignment to a readonly variable (`x: is read only`)."""


def check_writable(shell: Shell, name: str) -> None:
    if name in shell.readonly:
        raise ReadonlyError(f"{name}: is read only")


def assign(shell: Shell, name: str, value: str) -> None:
    """Set a variable, refusing a readonly one (the one check every builtin makes)."""
    check_writable(shell, name)
    shell.set_var(name, value)


# --- set ---------------------------------------------------------------------------------


@builtin("set", summary="set [-efuxvaC] [-o NAME] [--] [ARG...]: shell options (set -o lists "
                         "them); set $1, $2...; without arguments, list the variables")
def set_(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    if not args:
        for name in sorted(shell.vars):
            out(f"{name}={single_quote(shell.vars[name])}\n")
        return 0
    while args:
        word = args[0]
        if word[:1] not in ("-", "+"):
            break
        args.pop(0)
        on = word[0] == "-"
        if on and word in ("-", "--"):
            if word == "-":
                shell.xtrace = shell.verbose = False  # dash: `set -` turns off -x and -v
            elif not args:
                shell.positional = []
            break
        for letter in word[1:]:
            if letter == "o":
                if not args:
                    list_options(shell, on)
                    continue
                name = args.pop(0)
                if name not in NAMES:
                    raise BuiltinError(f"Illegal option -o {name}")
                set_option(shell, name, on)
            elif letter in LETTERS:
                set_option(shell, LETTERS[letter], on)
            else:
                raise BuiltinError(f"Illegal option -{letter}")  # dash says -q for +q too
    if args:
        shell.positional = list(args)
    return 0


def list_options(shell: Shell, on: bool) -> None:
    """`set -o` (a table) or `set +o` (commands that restore the options)."""
    if on:
        out("Current option settings\n")
        for name, _ in OPTIONS:
            out(f"{name:<16}{'on' if option_on(shell, name) else 'off'}\n")
    else:
        for name, _ in OPTIONS:
            out(f"set {'-' if option_on(shell, name) else '+'}o {name}\n")


@builtin("shift", summary="shift [N]: drop the first N positional parameters")
def shift(shell: Shell, argv: list[str]) -> int:
    count = number(argv[1], INT_MAX) if len(argv) > 1 else 1
    if count > len(shell.positional):
        raise BuiltinError("can't shift that many")
    del shell.positional[:count]
    return 0


# --- export, readonly, unset ------------------------------------------------------------


@builtin("export", summary="export [-p] NAME[=VALUE]...: put variables in children's "
                            "environment; -p lists them")
def export(shell: Shell, argv: list[str]) -> int:
    flags, args = options(argv, "p")
    if not args or "p" in flags:
        for name in sorted(shell.exported):
            show("export", shell, name)
        return 0
    for arg in args:
        name, equals, value = arg.partition("=")
        if not is_name(name):
            raise BuiltinError(f"{name}: bad variable name")
        if equals:
            assign(shell, name, value)
        shell.export(name)
    return 0


@builtin("readonly", summary="readonly [-p] NAME[=VALUE]...: make variables unchangeable; -p "
                              "lists them")
def readonly(shell: Shell, argv: list[str]) -> int:
    flags, args = options(argv, "p")
    if not args or "p" in flags:
        for name in sorted(shell.readonly):
            show("readonly", shell, name)
        return 0
    for arg in args:
        name, equals, value = arg.partition("=")
        if not is_name(name):
            raise BuiltinError(f"{name}: bad variable name")
        if equals:
            assign(shell, name, value)
        shell.readonly.add(name)
    return 0


def show(command: str, shell: Shell, name: str) -> None:
    value = shell.vars.get(name)
    out(f"{command} {name}\n" if value is None else
        f"{command} {name}={single_quote(value)}\n")


@builtin("unset", summary="unset [-v | -f] NAME...: remove shell variables (-f: functions)")
def unset(shell: Shell, argv: list[str]) -> int:
    flags, args = options(argv, "fv")
    functions = getattr(shell, "functions", None)
    for name in args:
        if "f" in flags:
            if functions is not None:
                functions.pop(name, None)
            continue
        if not is_name(name):
            raise BuiltinError(f"{name}: bad variable name")
        check_writable(shell, name)
        shell.unset_var(name)
    return 0


# --- getopts -----------------------------------------------------------------------------


@builtin("getopts", summary="getopts OPTSTRING NAME [ARG...]: take the next option from $@ "
                             "(or ARGs) into NAME; OPTARG, OPTIND")
def getopts(shell: Shell, argv: list[str]) -> int:
    if len(argv) < 3:
        raise BuiltinError("Usage: getopts optstring var [arg...]")
    optstring, var = argv[1], argv[2]
    if not is_name(var):
        raise BuiltinError(f"{var}: bad variable name")
    args = argv[3:] if len(argv) > 3 else shell.positional
    # Where we are: OPTIND (the next word) and an offset inside the word being read, kept
    # between calls; a script that sets OPTIND itself starts over.
    index, offset, seen = getattr(shell, "getopts_place", (1, -1, None))
    if shell.vars.get("OPTIND") != seen:
        try:
            index, offset = number(shell.vars.get("OPTIND", "1")), -1
        except BuiltinError:
            index, offset = 1, -1
    letter, done, index, offset = next_option(shell, optstring, args, index, offset)
    shell.set_var("OPTIND", str(index))
    shell.getopts_place = (index, offset, str(index))
    assign(shell, var, letter)
    return 1 if done else 0


def next_option(shell: Shell, optstring: str, args: list[str], index: int,
                offset: int) -> tuple[str, bool, int, int]:
    """dash's getopts(): (the letter or ? or :, at the end, next index, offset in word)."""
    word = args[index - 2] if 2 <= index <= len(args) + 1 else None
    rest = word[offset:] if word is not None and 0 <= offset <= len(word) else ""
    if not rest:
        current = args[index - 1] if 1 <= index <= len(args) else None
        if current is None or not current.startswith("-") or current == "-":
            return "?", True, max(index, 1), -1
        index += 1
        if current == "--":
            return "?", True, index, -1
        word, rest = current, current[1:]
    letter, rest = rest[0], rest[1:]
    silent = optstring.startswith(":")
    place = optstring.find(letter) if letter != ":" else -1
    if place < 0:
        if silent:
            shell.set_var("OPTARG", letter)
        else:
            notice(f"Illegal option -{letter}\n")
            shell.unset_var("OPTARG")
        return "?", False, index, len(word) - len(rest)
    if optstring[place + 1:place + 2] == ":":
        if not rest:
            if index > len(args):
                if silent:
                    shell.set_var("OPTARG", letter)
                    return ":", False, index, -1
                notice(f"No arg for -{letter} option\n")
                shell.unset_var("OPTARG")
                return "?", False, index, -1
            rest = args[index - 1]
            index += 1
        shell.set_var("OPTARG", rest)
        return letter, False, index, -1
    shell.set_var("OPTARG", "")
    return letter, False, index, len(word) - len(rest)


# --- aliases -----------------------------------------------------------------------------


@builtin("alias", summary="alias [NAME[=VALUE]...]: define or list aliases (a word replaced "
                           "by text where a command starts)")
def alias(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        for name in sorted(shell.aliases):
            out(f"{name}={single_quote(shell.aliases[name])}\n")
        return 0
    status = 0
    for arg in args:
        name, equals, value = arg.partition("=")
        if equals:
            shell.aliases[name] = value
        elif name in shell.aliases:
            out(f"{name}={single_quote(shell.aliases[name])}\n")
        else:
            notice(f"alias: {name} not found\n")
            status = 1
    return status


@builtin("unalias", summary="unalias [-a] NAME...: remove aliases (-a: all of them)")
def unalias(shell: Shell, argv: list[str]) -> int:
    flags, args = options(argv, "a")
    if "a" in flags:
        shell.aliases.clear()
        return 0
    status = 0
    for name in args:
        if shell.aliases.pop(name, None) is None:
            notice(f"unalias: {name} not found\n")
            status = 1
    return status


def expand_alias(shell: Shell, word: str, active: frozenset[str] = frozenset()) -> str | None:
    """The text an unquoted command word stands for, or None if it is no alias (or one
    being expanded already: `alias ls='ls -F'` must not loop). The lexer calls this at
    command position; a value ending in a blank makes the next word eligible too."""
    if word in active:
        return None
    return shell.aliases.get(word)
