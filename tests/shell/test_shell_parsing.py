"""Lexer and parser: the tree they build, their errors, and properties checked by hypothesis."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minishell.shell.ast import (
    AndOr,
    Background,
    Case,
    Command,
    CommandSub,
    For,
    FunctionDef,
    Group,
    If,
    Lit,
    Loop,
    Param,
    Pipeline,
    Sequence,
    Subshell,
    Trace,
)
from minishell.shell.expand import expand_word
from minishell.shell.lexer import EOF, IO_NUMBER, OP, WORD, quote, tokenize
from minishell.shell.parser import Incomplete, Parser, ShellSyntaxError, parse


def kinds(text: str) -> list[tuple[str, str]]:
    return [(tok.kind, tok.text) for tok in tokenize(text) if tok.kind != EOF]


def test_operator_adjacency_decides_what_a_digit_means():
    assert kinds("echo 2>f") == [(WORD, "echo"), (IO_NUMBER, "2"), (OP, ">"), (WORD, "f")]
    assert kinds("echo 2 >f") == [(WORD, "echo"), (WORD, "2"), (OP, ">"), (WORD, "f")]
    assert kinds("cmd 2>&1") == [(WORD, "cmd"), (IO_NUMBER, "2"), (OP, ">&"), (WORD, "1")]
    assert kinds("a>>b") == [(WORD, "a"), (OP, ">>"), (WORD, "b")]


def test_words_remember_what_was_quoted():
    word = tokenize("""a'b c'"$x"$y\\*""")[0].word
    assert word.parts == [Lit("a", False), Lit("b c", True), Param("x", True),
                          Param("y", False), Lit("*", True)]


def test_comments_and_line_continuations():
    assert kinds("echo a # b c") == [(WORD, "echo"), (WORD, "a")]
    assert kinds("echo a#b") == [(WORD, "echo"), (WORD, "a#b")]
    assert kinds("echo x \\\ny") == [(WORD, "echo"), (WORD, "x"), (WORD, "y")]


def test_tree_shapes():
    tree = parse("! a | b && c || d; e & f")
    assert type(tree) is Sequence
    first, background, last = tree.items
    assert type(first) is AndOr and first.op == "||"
    assert type(first.left) is AndOr and first.left.op == "&&"
    pipeline = first.left.left
    assert type(pipeline) is Pipeline and pipeline.negated and len(pipeline.stages) == 2
    assert type(background) is Background and background.source == "e"
    assert type(last) is Command


def test_simple_command_parts():
    command = parse("A=1 B=2 cmd x 2>err >out y")
    assert [a.name for a in command.assignments] == ["A", "B"]
    assert [w.text for w in command.words] == ["cmd", "x", "y"]
    assert [(r.fd, r.op, r.target.text) for r in command.redirects] == [
        (2, ">", "err"), (None, ">", "out")]
    # an assignment after the command name is an ordinary argument
    assert [w.text for w in parse("cmd A=1").words] == ["cmd", "A=1"]


def test_subshell_and_trace():
    node = parse("(cd /; ls) > out")
    assert type(node) is Subshell and node.redirects[0].target.text == "out"
    assert type(node.body) is Sequence
    traced = parse("trace ls | wc -l")
    assert type(traced) is Trace and traced.source == "ls | wc -l"


@pytest.mark.parametrize("text", ["echo a |", "echo a &&", "echo a ||", "(echo a",
                                  "echo 'abc", 'echo "abc', "echo abc\\", "echo ${x"])
def test_incomplete_input_asks_for_more(text):
    with pytest.raises(Incomplete):
        parse(text)


@pytest.mark.parametrize("text", ["| echo", "echo a | | b", "echo >", "echo (", ")", "( )",
                                  ";", "a ;; b", "echo >&file", "if true; fi",
                                  "for 1 in a; do :; done", "{ }", "! ! true",
                                  "echo ${x/a/b}", "done"])
def test_syntax_errors_are_not_incomplete(text):
    with pytest.raises(ShellSyntaxError) as info:
        parse(text)
    assert not isinstance(info.value, Incomplete)
    assert not str(info.value).startswith("minishell")


def test_commands_come_one_line_at_a_time():
    parser = Parser("echo one\necho two\necho (\n")
    assert parser.next_command().words[1].text == "one"
    assert parser.next_command().words[1].text == "two"
    with pytest.raises(ShellSyntaxError):
        parser.next_command()


def test_deep_nesting_is_a_syntax_error():
    with pytest.raises(ShellSyntaxError):
        parse("(" * 50000)


# --- properties ------------------------------------------------------------------------

SHELLISH = st.text(alphabet="ab2 |&;<>()'\"\\$#{}*?[]!~=\n\t", max_size=60)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=80), SHELLISH))
def test_lexer_and_parser_raise_only_syntax_errors(text):
    try:
        parse(text)
    except ShellSyntaxError:
        pass


def fake_shell():
    return SimpleNamespace(vars={}, positional=[], status=0)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="\0"), max_size=40))
def test_quote_round_trips_through_the_lexer(value):
    tokens = tokenize(quote(value))
    assert [tok.kind for tok in tokens] == [WORD, EOF]
    assert expand_word(fake_shell(), tokens[0].word) == [value]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\0"), min_size=1,
                        max_size=12), min_size=1, max_size=5))
def test_a_quoted_command_line_gives_back_its_words(words):
    command = parse(" ".join(["cmd", *map(quote, words)]))
    values = [expand_word(fake_shell(), word) for word in command.words[1:]]
    assert values == [[word] for word in words]


@pytest.mark.parametrize("text, kind", [
    ("if true; then echo; elif false; then :; else echo; fi", If),
    ("while true; do :; done", Loop), ("until false\ndo :\ndone", Loop),
    ("for f in *.c; do gcc -c \"$f\"; done", For), ("for a do echo; done", For),
    ("case $x in (a|b) echo;; *) ;; esac", Case), ("{ echo; }", Group),
    ("f() { echo; }", FunctionDef), ("f()\n(echo)", FunctionDef)])
def test_compound_commands_parse(text, kind):
    assert type(parse(text)) is kind


def test_command_substitution_is_parsed_where_it_is_written():
    word = parse('echo "$(case x in x) echo \\)x;; esac)"').words[1]
    assert type(word.parts[0]) is CommandSub and type(word.parts[0].body) is Case
    assert word.parts[0].quoted


def test_here_documents_are_read_after_the_line():
    node = parse("cat <<A <<-'B'; echo x\n$y\nA\n\tz\nB\n")
    first, second = node.items[0].redirects
    assert type(first.target.parts[0]) is Param and second.target.parts == [Lit("z\n", True)]


def test_line_continuations_vanish_inside_names_numbers_and_operators():
    node = parse("echo $H\\\nOME 1\\\n2 &\\\n& true")
    assert type(node) is AndOr and node.left.words[1].parts[0].name == "HOME"
    assert node.left.words[2].parts == [Lit("12", False)]


def test_a_final_backslash_is_literal_when_no_more_text_will_come():
    assert Parser("echo a\\", final=True).next_command().words[1].parts == [Lit("a\\", False)]
