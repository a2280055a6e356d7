"""Colouring the line as it is typed: does this command exist before you press Enter?

The shell resolves a command name the way execvp() will (builtin, then each directory of $PATH),
so a typo shows in red before the fork that would end in "command not found". Operators,
redirections, quoted strings, $VARS and comments get their own colours so the structure the parser
will see (pipelines, lists, redirections) is visible on the screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer
from prompt_toolkit.styles import Style

from minishell.shell.completion import CommandIndex, scan

STYLE = Style.from_dict(
    {
        "command": "ansigreen bold",
        "command.unknown": "ansired bold",
        "prefix": "ansimagenta bold",
        "operator": "ansiyellow bold",
        "redirection": "ansiyellow",
        "assignment": "ansicyan",
        "string": "ansibrightblack",
        "variable": "ansicyan",
        "comment": "ansibrightblack italic",
    }
)

# Inside a word: quoted parts and $VARS, the pieces expansion will treat specially.
_WORD_PART = re.compile(
    r"""(?P<string>'[^']*'?|"(?:\\.|[^"\\])*"?)|(?P<variable>\$(?:\{[^}]*\}?|[A-Za-z_]\w*|[?$!#@*\d]))"""
)


class ShellLexer(Lexer):
    def __init__(self, index: CommandIndex, variables: Callable[[], Mapping[str, str]]) -> None:
        self.index = index
        self.variables = variables

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        text = document.text
        styled = self.style_text(text)
        # prompt_toolkit asks line by line: split the styled fragments at newlines.
        lines: list[StyleAndTextTuples] = [[]]
        for style, chunk in styled:
            for k, piece in enumerate(chunk.split("\n")):
                if k:
                    lines.append([])
                if piece:
                    lines[-1].append((style, piece))
        return lambda lineno: lines[lineno] if lineno < len(lines) else []

    def style_text(self, text: str) -> StyleAndTextTuples:
        fragments: StyleAndTextTuples = []
        pos = 0
        for span in scan(text).spans:
            if span.start > pos:
                fragments.append(("", text[pos : span.start]))
            fragments.extend(self._span_fragments(span.kind, span.text))
            pos = span.end
        if pos < len(text):
            fragments.append(("", text[pos:]))
        return fragments

    def _span_fragments(self, kind: str, word: str) -> StyleAndTextTuples:
        if kind == "command":
            known = self.index.exists(word, self.variables())
            return [("class:command" if known else "class:command.unknown", word)]
        if kind in ("prefix", "operator", "redirection", "comment", "assignment"):
            return [(f"class:{kind}", word)]
        fragments: StyleAndTextTuples = []
        pos = 0
        for part in _WORD_PART.finditer(word):
            if part.start() > pos:
                fragments.append(("", word[pos : part.start()]))
            fragments.append((f"class:{part.lastgroup}", part.group()))
            pos = part.end()
        if pos < len(word):
            fragments.append(("", word[pos:]))
        return fragments
