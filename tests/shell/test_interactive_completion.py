"""Completion and highlighting of the interactive shell, on a real directory tree and PATH."""

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from minishell.shell.completion import CommandIndex, ShellCompleter, quote, scan, unquote
from minishell.shell.highlight import ShellLexer
from minishell.shell.topics import TOPICS

BUILTINS = ["cd", "echo", "exit", "help", "jobs", "fg", "bg"]


def make_executable(path):
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    make_executable(bindir / "frobnicate")
    make_executable(bindir / "frobber")
    (bindir / "frob-data").write_text("not executable\n")
    work = tmp_path / "work"
    (work / "src dir").mkdir(parents=True)
    (work / "notes.txt").write_text("x")
    (work / "notebook.md").write_text("x")
    (work / ".hidden").write_text("x")
    make_executable(work / "run.sh")
    monkeypatch.chdir(work)
    return tmp_path


@pytest.fixture
def completer(tree):
    variables = {"HOME": str(tree), "PATH": str(tree / "bin"), "HOSTNAME": "box"}
    index = CommandIndex(lambda: BUILTINS, lambda: variables["PATH"])
    jobs = [(1, "sleep 100 | cat"), (2, "vi notes.txt")]
    return ShellCompleter(index, lambda: variables, jobs=lambda: jobs)


def complete(completer, text):
    """What the line reads after accepting each completion."""
    results = []
    for c in completer.get_completions(Document(text), CompleteEvent(completion_requested=True)):
        results.append(text[: len(text) + c.start_position] + c.text)
    return results


def test_scan_tells_commands_from_arguments_in_unfinished_lines():
    spans = scan('A=1 ls -l "my file | x" 2>err | grep -c x && trace ! wc >')
    kinds = [(s.kind, s.text) for s in spans.spans]
    assert kinds == [
        ("assignment", "A=1"), ("command", "ls"), ("word", "-l"), ("word", '"my file | x"'),
        ("redirection", "2>"), ("target", "err"), ("operator", "|"), ("command", "grep"),
        ("word", "-c"), ("word", "x"), ("operator", "&&"), ("prefix", "trace"),
        ("prefix", "!"), ("command", "wc"), ("redirection", ">"),
    ]
    assert spans.expects_target
    assert scan("echo 'open quote | not a pipe").spans[-1].kind == "word"
    assert scan("ls;").expects_command
    assert scan("ls # comment | x").spans[-1].kind == "comment"


def test_quote_and_unquote_round_trip():
    for name in ["plain", "with space", "a'b", 'd"q', "$x*?[", "tab\there", "semi;colon&"]:
        assert unquote(quote(name)) == name
    assert unquote('"my fi') == "my fi"
    assert unquote("'it''s'") == "its"


def test_command_completion_from_builtins_and_path(completer):
    assert complete(completer, "fro") == ["frobber ", "frobnicate "]
    assert complete(completer, "ls | ec") == ["ls | echo "]
    assert complete(completer, "X=1 fg") == ["X=1 fg "]
    # not executable: not a command
    assert "frob-data " not in complete(completer, "frob")


def test_file_completion_quotes_and_marks_directories(completer):
    assert complete(completer, "cat no") == ["cat notebook.md ", "cat notes.txt "]
    assert complete(completer, "ls sr") == ["ls src\\ dir/"]
    assert complete(completer, 'ls "src') == ["ls src\\ dir/"]
    assert complete(completer, "cat .hi") == ["cat .hidden "]
    assert ".hidden" not in " ".join(complete(completer, "cat "))
    assert complete(completer, "echo hi > notes") == ["echo hi > notes.txt "]


def test_file_completion_expands_tilde_and_variables(completer, tree):
    assert complete(completer, "ls ~/wo") == ["ls ~/work/"]
    assert complete(completer, "cd ~") == ["cd ~/"]
    assert complete(completer, "ls $HOME/work/run") == ["ls $HOME/work/run.sh "]


def test_cd_completes_directories_only_and_paths_complete_executables(completer):
    assert complete(completer, "cd ") == ["cd src\\ dir/"]
    assert complete(completer, "./") == ["./run.sh ", "./src\\ dir/"]


def test_variables_and_help_topics(completer):
    assert complete(completer, "echo $HO") == ["echo $HOME", "echo $HOSTNAME"]
    assert complete(completer, 'echo "${PA') == ['echo "${PATH']
    assert complete(completer, "help fo") == ["help fork "]
    assert complete(completer, "help j") == ["help jobs "]


def test_job_specs_for_job_control_builtins(completer):
    assert complete(completer, "fg ") == ["fg %1 ", "fg %2 "]
    assert complete(completer, "kill -9 %") == ["kill -9 %1 ", "kill -9 %2 "]
    assert complete(completer, "kill no") == ["kill notebook.md ", "kill notes.txt "]


SYSTEM_INDEX = CommandIndex(lambda: BUILTINS, lambda: "/usr/bin:/bin")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab\x00 $/~'\"\\|&;()<>#={}*\n\t2")), max_size=40)
        | st.text(max_size=30))
def test_completion_and_highlighting_never_raise(text):
    index = SYSTEM_INDEX
    completer = ShellCompleter(index, lambda: {"HOME": "/"})
    for cursor in {0, len(text) // 2, len(text)}:
        document = Document(text, cursor)
        list(completer.get_completions(document, CompleteEvent(completion_requested=True)))
    get_line = ShellLexer(index, lambda: {}).lex_document(Document(text))
    lines = ["".join(t for _, t in get_line(n)) for n in range(text.count("\n") + 1)]
    assert lines == text.split("\n")


def test_new_programs_on_path_are_seen(completer, tree):
    assert complete(completer, "zz") == []
    make_executable(tree / "bin" / "zzfresh")
    os.utime(tree / "bin", (0, 12345))  # the index notices a directory's mtime change
    assert complete(completer, "zz") == ["zzfresh "]


def test_highlighting_marks_unknown_commands(completer, tree):
    lexer = ShellLexer(completer.index, completer.variables)
    text = "frobnicate x | nosuchcmd 'q' $HOME && ./run.sh # done\necho hi"
    get_line = lexer.lex_document(Document(text))
    first = dict((t, s) for s, t in get_line(0))
    assert first["frobnicate"] == "class:command"
    assert first["nosuchcmd"] == "class:command.unknown"
    assert first["./run.sh"] == "class:command"
    assert first["|"] == first["&&"] == "class:operator"
    assert first["'q'"] == "class:string"
    assert first["$HOME"] == "class:variable"
    assert first["# done"] == "class:comment"
    assert get_line(1) == [("class:command", "echo"), ("", " "), ("", "hi")]
    # the fragments put together give back the text, line by line
    assert ["".join(t for _, t in get_line(n)) for n in range(2)] == text.split("\n")


def test_every_topic_points_at_a_lesson_that_exists():
    repo = Path(__file__).resolve().parents[2]
    assert {"fork", "exec", "wait", "pipe", "redirection", "signals", "jobs", "syscall",
            "ptrace", "pagefault"} <= set(TOPICS)
    for topic, (summary, lesson) in TOPICS.items():
        assert summary and "\n" not in summary and len(summary) < 100, topic
        number = lesson.removeprefix("minilesson show ")
        assert number.isdigit(), (topic, lesson)  # what an installed user types
        assert list(repo.glob(f"lessons/{int(number):02}-*/lesson.md")), topic
