"""Expansion: a parsed word -> the argument strings a program receives.

OS idea: `execve` takes an argv array of plain strings; the kernel knows nothing of `$HOME`,
`*.c` or quotes. The shell turns each word into zero, one or many strings, in this order:

1. tilde:      `~` and `~/x` become $HOME, `~user` that user's home directory;
2. parameters `$x ${x:-default} ${#x} ${x%.c}...`, command substitution `$(cmd)` (a child
   process writes into a pipe the shell reads) and arithmetic `$((1 + 2))`;
3. field splitting: the *unquoted* results of step 2 are cut at the characters of $IFS;
4. pathname expansion (globbing): a field with an unquoted `*`, `?` or `[` becomes the
   sorted list of matching file names, or stays as it is when nothing matches.

Quoted text ("...", '...', \\x) is never split or globbed: the lexer marked it (ast.Lit.quoted).
Each word is expanded exactly once: `expand_word` returns the fields, `expand_single` the
one string of an assignment, redirection target or `case` word.
"""

from __future__ import annotations

from .ast import Arith, CommandSub, Lit, Param, Word

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

GLOB_CHARS = frozenset("*?[")
DEFAULT_IFS = " \t\n"


class ExpansionError(Exception):
    """An expansion that must stop the command (`${x?unset}`, `$((1/0))`); the message is
    printed as `minishell: message` and a non-interactive shell exits with status 2."""


def expand_words(shell: Shell, words: list[Word]) -> list[str]:
    """Expand each word (it may become zero, one or several fields) into one argv list."""
    argv: list[str] = []
    for word in words:
        argv.extend(expand_word(shell, word))
    return argv


def expand_word(shell: Shell, word: Word) -> list[str]:
    """Expand one word with all four steps: tilde, parameters, field splitting, globbing."""
    parts = word.parts
    if len(parts) == 1 and type(parts[0]) is Lit and not parts[0].quoted:
        # The common case, fast: one plain unquoted word like `ls` or `-l`.
        text = parts[0].text
        if not (text[0] == "~" or GLOB_CHARS.intersection(text)):
            return [text]
    fields = _Fields(shell.vars.get("IFS", DEFAULT_IFS))
    for index, part in enumerate(parts):
        kind = type(part)
        if kind is Lit:
            text = part.text
            if index == 0 and not part.quoted and text.startswith("~"):
                fields.add(expand_tilde(shell, text, alone=len(parts) == 1), quoted=True)
            else:
                fields.add(text, quoted=part.quoted)
        elif kind is Param and part.name in "@*" and part.op is None:
            _add_positional(shell, fields, part)
        else:
            _add_expansion(shell, fields, part)
    fields.finish()
    if getattr(shell, "noglob", False):
        return ["".join(text for text, _ in chunks) for chunks in fields.done]
    result: list[str] = []
    for chunks in fields.done:
        result.extend(glob_field(chunks))
    return result


def _add_expansion(shell: Shell, fields: _Fields, part) -> None:
    if type(part) is Param and part.name in ("@", "*") and part.op not in (None, "len") \
            and _positional_operator(shell, fields, part):
        return
    value = _value(shell, part)
    if value is _ARG_MARK:  # ${x:-word}: the word's own quoting counts
        if part.quoted:
            fields.add(expand_single(shell, part.arg), quoted=True)
        else:
            _add_parts(shell, fields, part.arg)
    elif part.quoted:
        fields.add(value, quoted=True)
    else:
        fields.add_split(value)


def _add_parts(shell: Shell, fields: _Fields, word: Word) -> None:
    """The parts of the word in an unquoted ${x:-word}: quoted ones stay whole."""
    for index, part in enumerate(word.parts):
        if type(part) is Lit:
            if index == 0 and not part.quoted and part.text.startswith("~"):
                fields.add(expand_tilde(shell, part.text, len(word.parts) == 1), quoted=True)
            else:
                fields.add(part.text, quoted=part.quoted)
        elif type(part) is Param and part.name in "@*" and part.op is None:
            _add_positional(shell, fields, part)
        else:
            _add_expansion(shell, fields, part)


def _positional_operator(shell: Shell, fields: _Fields, part: Param) -> bool:
    """${@-word}, ${@#pattern}...: when the result is the parameters themselves, they stay
    one field each, as in "$@"; as in dash, `#` trims the first of them and `%` the last.
    False: the result is the word, or empty, for the caller to add."""
    test = part.op.lstrip(":")
    if not shell.positional or test == "+" or test in "-=?" and \
            _value(shell, part) is _ARG_MARK:
        return False
    args = shell.positional
    if test not in "-=?":
        from . import pattern

        wanted = expand_pattern(shell, part.arg)
        if part.quoted and part.name == "*":  # "${*%p}": one string, trimmed as a whole
            ifs = shell.vars.get("IFS", DEFAULT_IFS)
            args = [pattern.remove_affix(ifs[:1].join(args), wanted, part.op)]
        else:
            args = pattern.remove_affix_fields(args, wanted, part.op)
    _add_positional(shell, fields, part, args)
    return True


def _add_positional(shell: Shell, fields: _Fields, part: Param,
                    args: list[str] | None = None) -> None:
    """$@ and $*: one field per positional parameter; "$*" joins them with $IFS's first
    character; unquoted, each parameter is split on its own (dash)."""
    if args is None:
        args = shell.positional
    if part.quoted and part.name == "*":
        ifs = shell.vars.get("IFS", DEFAULT_IFS)
        fields.add((ifs[:1]).join(args), quoted=True)
        return
    for n, arg in enumerate(args):
        if n:
            fields.finish()
        if part.quoted:
            fields.add(arg, quoted=True)
        else:
            fields.add_split(arg)


def expand_single(shell: Shell, word: Word, assignment: bool = False) -> str:
    """Expand a word that must stay one string (assignment values, redirection targets,
    `case` words): tilde and parameters, but no field splitting and no globbing."""
    pieces: list[str] = []
    parts = word.parts
    for index, part in enumerate(parts):
        if type(part) is Lit:
            text = part.text
            if not part.quoted and "~" in text and (index == 0 or assignment):
                text = _tilde_in(shell, text, index == 0, assignment,
                                 alone=index == len(parts) - 1)
            pieces.append(text)
        elif type(part) is Param and part.name in "@*" and part.op is None:
            # One string wanted: dash joins $@ and $* alike, with $IFS's first character.
            pieces.append(shell.vars.get("IFS", " ")[:1].join(shell.positional))
        else:
            value = _value(shell, part)
            if value is _ARG_MARK:
                value = expand_single(shell, part.arg, assignment and not part.quoted)
            pieces.append(value)
    return "".join(pieces)


def _tilde_in(shell: Shell, text: str, first: bool, assignment: bool, alone: bool) -> str:
    """Tilde prefixes: at the start of a word, and after each `:` in an assignment."""
    if not assignment:
        return expand_tilde(shell, text, alone) if first and text[0] == "~" else text
    pieces = text.split(":")
    for n, piece in enumerate(pieces):
        if piece.startswith("~") and (n > 0 or first):
            pieces[n] = expand_tilde(shell, piece, alone=alone or n < len(pieces) - 1)
    return ":".join(pieces)


def expand_pattern(shell: Shell, word: Word) -> str:
    """A word as a pattern (`case` items, ${x#pattern}): quoted characters are escaped so
    they match only themselves; a backslash from an unquoted expansion quotes as well."""
    from . import pattern
    pieces: list[str] = []
    for index, part in enumerate(word.parts):
        if type(part) is Lit:
            text = part.text
            if index == 0 and not part.quoted and text.startswith("~"):
                text = pattern.escape(expand_tilde(shell, text, len(word.parts) == 1))
            pieces.append(pattern.escape(text) if part.quoted else text)
        else:
            value = _value(shell, part) if not (type(part) is Param and part.name in "@*"
                                                and part.op is None) else \
                shell.vars.get("IFS", " ")[:1].join(shell.positional)
            if value is _ARG_MARK:
                value = expand_pattern(shell, part.arg)
                pieces.append(pattern.escape(value) if part.quoted else value)
                continue
            pieces.append(pattern.escape(value) if part.quoted else value)
    return "".join(pieces)


# --- parameters ------------------------------------------------------------------------

_ARG_MARK = object()  # "use the word after the operator" (so it keeps its own quoting)


def _value(shell: Shell, part):
    """The string an expansion piece stands for (before splitting), or _ARG_MARK."""
    kind = type(part)
    if kind is CommandSub:
        return shell.capture(part.body) if part.body is not None else _empty_sub(shell)
    if kind is Arith:
        return str(arithmetic(shell, expand_single(shell, part.expr)))
    if part.op is None:
        value = parameter(shell, part.name)
        if value is None:
            _check_set(shell, part.name)
            return ""
        return value
    return _operator(shell, part)


def _empty_sub(shell: Shell) -> str:
    shell.sub_status = 0
    return ""


def _check_set(shell: Shell, name: str) -> None:
    if getattr(shell, "nounset", False) and name not in "@*#?-$!0":
        raise ExpansionError(f"{name}: parameter not set")


def _operator(shell: Shell, part: Param):
    """${name op word}."""
    name, op = part.name, part.op
    value = parameter(shell, name)
    if name in "@*" and len(name) == 1:  # (never unset, as in dash: `${@?}` is no error)
        value = " ".join(shell.positional) if shell.positional or op != "len" else None
    if op == "len":
        if value is None:
            _check_set(shell, name)
        return str(len((value or "").encode("utf-8", "surrogateescape")))  # bytes, as dash
    unset = value is None or (op[0] == ":" and value == "")
    test = op.lstrip(":")
    if test == "-":
        return _ARG_MARK if unset else value
    if test == "+":
        return "" if unset else _ARG_MARK
    if test == "=":
        if not unset:
            return value
        from .lexer import is_name

        if not is_name(name):
            raise ExpansionError(f"{name}: bad variable name" if name else "bad substitution")
        new = expand_single(shell, part.arg)
        shell.set_var(name, new)
        return new
    if test == "?":
        if not unset:
            return value
        message = expand_single(shell, part.arg) if part.arg.parts else (
            "parameter not set" if value is None else "parameter null or not set")
        raise ExpansionError(f"{name}: {message}")
    if value is None:
        _check_set(shell, name)
        value = ""
    from . import pattern

    return pattern.remove_affix(value, expand_pattern(shell, part.arg), op)


def parameter(shell: Shell, name: str) -> str | None:
    """The value of `$name`, or None if it is unset."""
    value = shell.vars.get(name)
    if value is not None:
        return value
    if name == "?":
        return str(shell.status)
    if name == "$":
        return str(shell.pid)
    if name == "!":
        return None if shell.last_background_pid is None else str(shell.last_background_pid)
    if name == "#":
        return str(len(shell.positional))
    if name == "-":
        from .builtins_vars import option_letters

        return option_letters(shell)
    if name == "0":
        return shell.arg0
    nounset = getattr(shell, "nounset", False)  # set -u
    if name.isdigit() and (int(name) <= len(shell.positional) or not nounset):
        n = int(name)
        return shell.positional[n - 1] if n <= len(shell.positional) else None
    if name in ("@", "*"):
        sep = shell.vars.get("IFS", DEFAULT_IFS)[:1] if name == "*" else " "
        return sep.join(shell.positional)
    return None


def arithmetic(shell: Shell, text: str) -> int:
    def lookup(name: str) -> str | None:
        value = shell.vars.get(name)
        if value is None:
            _check_set(shell, name)
        return value

    def assign(name: str, value: str) -> None:
        if name in shell.readonly:  # `$((r = 1))`: an expansion error, as in dash
            raise ExpansionError(f"{name}: is read only")
        shell.set_var(name, value)

    from . import arith  # imported on first use: `re` costs start-up time

    try:
        return arith.evaluate(text, lookup, assign)
    except arith.ArithError as err:
        raise ExpansionError(f"arithmetic expression: {err}") from None
    except RecursionError:
        raise ExpansionError(f"arithmetic expression: too deeply nested: \"{text}\"") from None


def expand_tilde(shell: Shell, text: str, alone: bool) -> str:
    """`~` -> $HOME, `~user` -> that user's home; the prefix runs up to the first `/`."""
    prefix, slash, rest = text.partition("/")
    if not slash and not alone:
        return text  # `~"x"`: quoted characters in the prefix, no expansion
    user = prefix[1:]
    if not user:
        home = shell.vars.get("HOME")
    else:
        import pwd  # only needed for ~user

        try:
            home = pwd.getpwnam(user).pw_dir
        except (KeyError, ValueError):
            home = None
    if home is None:
        return text
    return home + slash + rest


# --- fields ----------------------------------------------------------------------------


class _Fields:
    """Collects fields while a word is expanded. A field is a list of (text, may_glob) chunks,
    so that globbing later knows which characters were quoted."""

    def __init__(self, ifs: str):
        self.ifs = ifs
        self.ifs_white = "".join(ch for ch in ifs if ch in " \t\n")
        self.done: list[list[tuple[str, bool]]] = []
        self.chunks: list[tuple[str, bool]] = []
        self.exists = False  # a quoted "" makes a field even though it is empty

    def add(self, text: str, quoted: bool) -> None:
        if text or quoted:
            self.chunks.append((text, not quoted))
            self.exists = True

    def finish(self, force: bool = False) -> None:
        if self.exists or force:
            self.done.append(self.chunks)
        self.chunks = []
        self.exists = False

    def add_split(self, value: str) -> None:
        """Add the unquoted result of an expansion: split it at $IFS characters."""
        if not self.ifs:
            self.add(value, quoted=False)
            return
        piece: list[str] = []
        after_white = False  # a field was just ended by IFS white space
        for ch in value:
            if ch not in self.ifs:
                piece.append(ch)
                after_white = False
                continue
            if piece:
                self.add("".join(piece), quoted=False)
                piece = []
            if ch in self.ifs_white:
                if self.exists:
                    self.finish()
                    after_white = True
            else:  # a non-white IFS character always ends a field, even an empty one
                if self.exists or not after_white:
                    self.finish(force=True)
                after_white = False
        if piece:
            self.add("".join(piece), quoted=False)


def glob_field(chunks: list[tuple[str, bool]]) -> list[str]:
    """Pathname expansion of one field; no match leaves the field as written."""
    text = "".join(chunk for chunk, _ in chunks)
    if not any(may_glob and GLOB_CHARS.intersection(chunk) for chunk, may_glob in chunks):
        return [text]
    from . import pattern  # imported on first use: `re` costs start-up time
    spec = "".join(chunk if may_glob else pattern.escape(chunk) for chunk, may_glob in chunks)
    if not pattern.has_magic(spec):
        return [text]
    return pattern.glob(spec) or [text]
