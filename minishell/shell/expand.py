"""Expansion: a parsed word -> the argument strings a program receives.

OS idea: `execve` takes an argv array of plain strings; the kernel knows nothing of `$HOME`,
`*.c` or quotes. The shell turns each word into zero, one or many strings, in this order:

1. tilde:      `~` and `~/x` become $HOME, `~user` that user's home directory;
2. parameters: `$x`, `${x}`, `$?`, `$$`, `$!`, `$#`, `$0`..`$9`, `$@`, `$*`;
3. field splitting: the *unquoted* results of step 2 are cut at the characters of $IFS;
4. pathname expansion (globbing): a field with an unquoted `*`, `?` or `[` becomes the
   sorted list of matching file names, or stays as it is when nothing matches.

Quoted text ("...", '...', \\x) is never split or globbed: the lexer marked it (ast.Lit.quoted).
"""

from __future__ import annotations

from .ast import Lit, Word

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

GLOB_CHARS = frozenset("*?[")
DEFAULT_IFS = " \t\n"


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
        if type(part) is Lit:
            text = part.text
            if index == 0 and not part.quoted and text.startswith("~"):
                text = expand_tilde(shell, text, alone=len(parts) == 1)
            fields.add(text, quoted=part.quoted)
        elif part.name == "@" and part.quoted:
            # "$@": each positional parameter is its own field, even with spaces inside.
            for n, arg in enumerate(shell.positional):
                if n:
                    fields.finish()
                fields.add(arg, quoted=True)
        elif part.quoted:
            fields.add(parameter(shell, part.name), quoted=True)
        else:
            fields.add_split(parameter(shell, part.name))
    fields.finish()
    if getattr(shell, "noglob", False):  # set -f
        return ["".join(chunk for chunk, _ in chunks) for chunks in fields.done]
    result: list[str] = []
    for chunks in fields.done:
        result.extend(glob_field(chunks))
    return result


def expand_single(shell: Shell, word: Word) -> str:
    """Expand a word that must stay one string (assignment values, redirection targets):
    tilde and parameters, but no field splitting and no globbing."""
    pieces: list[str] = []
    for index, part in enumerate(word.parts):
        if type(part) is Lit:
            text = part.text
            if index == 0 and not part.quoted and text.startswith("~"):
                text = expand_tilde(shell, text, alone=len(word.parts) == 1)
            pieces.append(text)
        else:
            pieces.append(parameter(shell, part.name))
    return "".join(pieces)


def parameter(shell: Shell, name: str) -> str:
    """The value of `$name` (an unset variable is the empty string)."""
    if name in shell.vars:
        return shell.vars[name]
    if name == "?":
        return str(shell.status)
    if name == "$":
        return str(shell.pid)
    if name == "!":
        return "" if shell.last_background_pid is None else str(shell.last_background_pid)
    if name == "#":
        return str(len(shell.positional))
    if name == "0":
        return shell.arg0
    nounset = getattr(shell, "nounset", False)  # set -u
    if name.isdigit() and (int(name) <= len(shell.positional) or not nounset):
        n = int(name)
        return shell.positional[n - 1] if n <= len(shell.positional) else ""
    if name in ("@", "*"):
        sep = shell.vars.get("IFS", DEFAULT_IFS)[:1] if name == "*" else " "
        return sep.join(shell.positional)
    if name == "-":
        from .builtins_vars import option_letters

        return option_letters(shell)
    if nounset:  # an unset variable is an error (dash: exits a script)
        from .builtins_base import fatal

        fatal(shell, f"{name}: parameter not set")
    return ""


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
        except KeyError:
            home = None
    if home is None:
        return text
    return home + slash + rest


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
    import glob  # imported on first use: it costs start-up time every script would pay

    pattern = "".join(chunk if may_glob else glob.escape(chunk) for chunk, may_glob in chunks)
    matches = sorted(glob.glob(pattern))
    return matches or [text]
