"""Shell patterns: `*`, `?`, `[...]`, for pathname expansion (globbing), `case` and `${x#pat}`.

OS idea: the kernel has no wildcards. `ls *.c` works because the shell reads the directory
(opendir/readdir, here os.scandir) and passes the matching names to execve; a program never
sees the `*`. A name starting with `.` matches only a pattern that starts with a literal `.`.

Patterns arrive as text in which a backslash quotes the next character: the expander puts
one before every quoted character, so `"*".c` matches only the file named `*.c`.
"""

from __future__ import annotations

import os
import re

CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": " \\t\\n\\r\\f\\v", "blank": " \\t",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "xdigit": "0-9A-Fa-f", "cntrl": "\\x00-\\x1f\\x7f", "print": " -~", "graph": "!-~",
}
_cache: dict[str, re.Pattern] = {}


def escape(text: str) -> str:
    """Quote every character (also `-` and `!`, which mean something inside brackets)."""
    return "".join("\\" + ch for ch in text)


def has_magic(pattern: str) -> bool:
    """Whether the pattern has an unquoted `*`, `?` or a complete `[...]`."""
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "*?":
            return True
        if ch == "[" and _bracket(pattern, i) is not None:
            return True
        i += 1
    return False


def unescape(pattern: str) -> str:
    return re.sub(r"\\(.)", r"\1", pattern, flags=re.S)


def _bracket(pattern: str, start: int) -> tuple[str, int] | None:
    """The regex for the bracket expression at `start`, and where it ends; None if the `[`
    has no closing `]` (it is then an ordinary character)."""
    i = start + 1
    negate = i < len(pattern) and pattern[i] == "!"  # dash: `^` is an ordinary character
    if negate:
        i += 1
    items: list[str] = []
    first = True
    while i < len(pattern):
        ch = pattern[i]
        if ch == "]" and not first:
            body = "".join(items)
            if not body:
                return None
            return ("[^" if negate else "[") + body + "]", i + 1
        first = False
        if ch == "[" and pattern.startswith("[:", i):
            end = pattern.find(":]", i + 2)
            if end > 0 and pattern[i + 2:end] in CLASSES:
                items.append(CLASSES[pattern[i + 2:end]])
                i = end + 2
                continue
        if ch == "\\" and i + 1 < len(pattern):
            i += 1
            ch = pattern[i]
        if i + 2 < len(pattern) and pattern[i + 1] == "-" and pattern[i + 2] != "]":
            low, high = ch, pattern[i + 2]
            i += 3
            if high == "\\" and i < len(pattern):
                high = pattern[i]
                i += 1
            if low <= high:
                items.append(re.escape(low) + "-" + re.escape(high))
            continue
        items.append(re.escape(ch))
        i += 1
    return None


def translate(pattern: str) -> str:
    """A shell pattern as a Python regular expression (without anchors)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif ch == "*":
            out.append(".*")
            i += 1
        elif ch == "?":
            out.append(".")
            i += 1
        elif ch == "[" and (found := _bracket(pattern, i)) is not None:
            out.append(found[0])
            i = found[1]
        else:
            out.append(re.escape(ch))
            i += 1
    return "".join(out)


def as_bytes(text: str) -> str:
    """The text as dash sees it in the C locale: a character per byte (`?` matches one byte
    of `é`), each byte standing as the latin-1 character of that number."""
    return text if text.isascii() else text.encode("utf-8", "surrogateescape").decode("latin-1")


def from_bytes(text: str) -> str:
    """Back from as_bytes (a multibyte character cut in two keeps its bytes)."""
    return text if text.isascii() else text.encode("latin-1").decode("utf-8", "surrogateescape")


def compiled(pattern: str) -> re.Pattern:
    """The regex of a pattern, on the as_bytes() form of both (as dash matches bytes)."""
    regex = _cache.get(pattern)
    if regex is None:
        if len(_cache) > 500:
            _cache.clear()
        regex = _cache[pattern] = re.compile(translate(as_bytes(pattern)), re.S)
    return regex


def matches(pattern: str, text: str) -> bool:
    """Whether the whole of `text` matches (as `case` and [[ ]] do)."""
    return compiled(pattern).fullmatch(as_bytes(text)) is not None


def remove_affix(value: str, pattern: str, op: str) -> str:
    """${x#p} ${x##p} (prefix) and ${x%p} ${x%%p} (suffix): shortest or longest match."""
    return from_bytes(_remove_affix(as_bytes(value), pattern, op))


def _remove_affix(value: str, pattern: str, op: str) -> str:
    regex = compiled(pattern)
    n = len(value)
    if op in ("#", "##"):
        sizes = range(n, -1, -1) if op == "##" else range(n + 1)
        for size in sizes:
            if regex.fullmatch(value, 0, size):
                return value[size:]
    else:
        starts = range(n + 1) if op == "%%" else range(n, -1, -1)
        for start in starts:
            if regex.fullmatch(value, start):
                return value[:start]
    return value


def remove_affix_fields(fields: list[str], pattern: str, op: str) -> list[str]:
    """${@#p}... as dash computes it: on the parameters joined by NULs, where its matcher
    sees a C string, so it stops at the next NUL. `#` and `%%` try positions in the first
    parameter only (dash's scanleft stops at a NUL); `##` and `%` try every position, and
    what they cut may take whole parameters with it."""
    regex = compiled(pattern)
    joined = as_bytes("\0".join(fields))
    n = len(joined)
    first = joined.find("\0") % (n + 1)  # (n if there is no NUL)
    if op in ("#", "##"):
        for at in range(first + 1) if op == "#" else range(n, -1, -1):
            if regex.fullmatch(joined, 0, min(at, first)):
                return from_bytes(joined[at:]).split("\0")
    else:
        for at in range(first + 1) if op == "%%" else range(n, -1, -1):
            end = joined.find("\0", at) % (n + 1)
            if regex.fullmatch(joined, at, end):
                return from_bytes(joined[:at]).split("\0")
    return fields


def glob(pattern: str) -> list[str]:
    """Pathname expansion: the sorted names matching pattern (empty if none)."""
    if pattern.startswith("/"):
        prefixes, components = ["/"], pattern[1:].split("/")
    else:
        prefixes, components = [""], pattern.split("/")
    for index, component in enumerate(components):
        last = index == len(components) - 1
        found: list[str] = []
        if not component:  # a trailing `/` (directories only) or `a//b`
            found = [p if last else p + "/" for p in prefixes]
        elif not has_magic(component):
            name = unescape(component)
            for prefix in prefixes:
                candidate = prefix + name
                if last and os.path.lexists(candidate):
                    found.append(candidate)
                elif not last and os.path.isdir(candidate):
                    found.append(candidate + "/")
        else:
            regex = compiled(component)
            dot = component.startswith(".") or component.startswith("\\.")
            for prefix in prefixes:
                try:
                    names = sorted(os.listdir(prefix or "."))
                except OSError:
                    continue
                if dot:  # readdir returns . and .. too; a pattern like `.*` matches them
                    names = sorted([".", "..", *names])
                for name in names:
                    if (name.startswith(".") and not dot) or not regex.fullmatch(as_bytes(name)):
                        continue
                    if last:
                        found.append(prefix + name)
                    elif os.path.isdir(prefix + name):
                        found.append(prefix + name + "/")
        prefixes = found
        if not prefixes:
            return []
    return sorted(prefixes)
