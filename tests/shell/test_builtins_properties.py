"""Property tests for printf, test, echo and read.

Two kinds:
- against dash: hypothesis writes a batch of commands (format strings and arguments built
  from the characters that matter), one dash and one minishell run the same script, and
  every command's output and status must agree;
- never crash: the builtin functions themselves, called in this process on any text, return
  a status (0-255) and never raise.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from minishell_run import MINISHELL, env_for, make_scratch

from minishell.shell.builtins import BUILTINS
from minishell.shell.builtins_base import single_quote
from minishell.shell.state import Shell

BATCH = st.integers(min_value=1, max_value=12)
# BUILTINS_EXAMPLES=500 for a longer search than the suite's default.
SETTINGS = settings(max_examples=int(os.environ.get("BUILTINS_EXAMPLES", 25)), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

FORMAT_PIECES = ["%", "%%", "s", "d", "i", "x", "X", "o", "u", "c", "b", "f", "e", "g", "G",
                 ".", "-", "+", " ", "#", "0", "5", "12", "*", "\\", "\\n", "\\t", "\\0",
                 "\\101", "\\c", "\\q", "a", ":", "'", '"', "\u00e9"]
ARG_PIECES = ["12", "-3", "0", "0x1f", "077", "08", "'a", '"', "abc", "", " ", "1e3", "2.5",
              "-", "+", "99999999999999999999", "\\n", "\\c", "\\0101", "x y", "\u00e9", "%s"]


def text_from(pieces: list[str], most: int):
    return st.lists(st.sampled_from(pieces), max_size=most).map("".join)


def run_both(script: str, folder: Path) -> tuple[bytes, bytes]:
    """Run `script` with dash and with minishell (same scratch files); their stdouts."""
    assert shutil.which("dash"), "these tests compare with dash: apt-get install dash"
    outputs = []
    for name, argv in (("dash", ["dash", "-c", script]), ("mini", [*MINISHELL, "-c", script])):
        scratch = folder / name
        if not scratch.exists():
            scratch.mkdir()
            make_scratch(scratch)
        done = subprocess.run(argv, cwd=scratch, env=env_for(scratch), capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=60)
        assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
        # dash 0.5.12 itself can crash (SIGSEGV after `[ ! ! ]` then `test ')' -a`): no
        # reference then, so hypothesis looks for another example.
        assume(name != "dash" or done.returncode >= 0)
        outputs.append(done.stdout)
    return outputs[0], outputs[1]


def commands(lines: list[str]) -> str:
    """One command per line, each followed by its status, so a difference shows where."""
    return "".join(f"{line}; echo \" <$?>\"\n" for line in lines)


@SETTINGS
@given(st.lists(st.tuples(text_from(FORMAT_PIECES, 8),
                          st.lists(text_from(ARG_PIECES, 3), max_size=4)),
                min_size=1, max_size=12))
def test_printf_like_dash(tmp_path: Path, cases):
    lines = [" ".join(["printf", single_quote(fmt), *map(single_quote, args)])
             for fmt, args in cases]
    dash, mini = run_both(commands(lines), tmp_path)
    assert mini == dash


@SETTINGS
@given(st.lists(st.lists(text_from(FORMAT_PIECES + ARG_PIECES, 4), max_size=5),
                min_size=1, max_size=12))
def test_echo_like_dash(tmp_path: Path, cases):
    lines = [" ".join(["echo", *map(single_quote, args)]) for args in cases]
    dash, mini = run_both(commands(lines), tmp_path)
    assert mini == dash


# (No -nt/-ot: the scratch files of the two runs are made within the same instant, and
# their order by nanosecond mtime is not the same from one run to the next.)
TEST_WORDS = ["!", "(", ")", "-a", "-o", "=", "!=", "<", ">", "-eq", "-ne", "-lt", "-ge",
              "-n", "-z", "-f", "-d", "-e", "-s", "-L", "-ef", "a.txt", "sub", "nosuch",
              "1", "2", "-3", " 4 ", "x", "", "]"]


@SETTINGS
@given(st.lists(st.lists(st.sampled_from(TEST_WORDS), max_size=7), min_size=1,
                max_size=12))
def test_test_like_dash(tmp_path: Path, cases):
    lines = []
    for words in cases:
        quoted = " ".join(map(single_quote, words))
        lines.append(f"test {quoted}")
        lines.append(f"[ {quoted} ]")
    dash, mini = run_both(commands(lines), tmp_path)
    assert mini == dash


def dash_read_quirk(data: str) -> bool:
    """dash 0.5.12 drops a line's last field when it is only backslash-escaped characters
    after a separator (`a \\b` reads as "a", and so does `a:\\<newline>\\b` when the line
    goes on after a backslash-newline); minishell keeps them, as bash and POSIX do."""
    return re.search(r"[ \t:a](\\\n)*((\\[^\n])+)[ \t]*(\n|$)", data) is not None


READ_PIECES = ["a", "b", "cd", " ", "  ", "\t", ":", "::", "\\", "\\\n", "\n", "\u00e9", "x y"]
IFS_CHOICES = [None, "", ":", " :", ": ", "a"]


@SETTINGS
@given(st.lists(st.tuples(text_from(READ_PIECES, 8), st.sampled_from(IFS_CHOICES),
                          st.booleans(), st.integers(min_value=1, max_value=3)),
                min_size=1, max_size=10))
def test_read_like_dash(tmp_path: Path, cases):
    assume(not any(dash_read_quirk(data) and not raw for data, _, raw, _ in cases))
    lines = []
    for index, (data, ifs, raw, count) in enumerate(cases):
        (tmp_path / f"in{index}").write_text(data)
        names = " ".join(f"v{n}" for n in range(count))
        shown = "".join(f"[$v{n}]" for n in range(count))
        prefix = "" if ifs is None else f"IFS={single_quote(ifs)} "
        flag = "-r " if raw else ""
        lines.append(f"{prefix}read {flag}{names} < {tmp_path}/in{index}; s=$?; "
                     f"echo \"{shown}\" $s")
    dash, mini = run_both(commands(lines), tmp_path)
    assert mini == dash


# --- never crash, in this process ------------------------------------------------------

ANY_TEXT = st.text(alphabet=st.characters(blacklist_characters="\0",
                                          blacklist_categories=("Cs",)), max_size=20)


@pytest.fixture(scope="module")
def shell():
    return Shell()


def call(shell: Shell, argv: list[str], stdin: bytes = b"") -> int:
    """Run a builtin with fd 0 reading `stdin` and fds 1, 2 going to /dev/null."""
    saved = [os.dup(fd) for fd in (0, 1, 2)]
    read_end, write_end = os.pipe()
    os.write(write_end, stdin[:60000])
    os.close(write_end)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(read_end, 0)
        os.dup2(null, 1)
        os.dup2(null, 2)
        return BUILTINS[argv[0]](shell, argv)
    finally:
        for fd, copy in zip((0, 1, 2), saved, strict=True):
            os.dup2(copy, fd)
            os.close(copy)
        os.close(read_end)
        os.close(null)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["printf", "test", "[", "echo"]), st.lists(ANY_TEXT, max_size=6))
def test_never_crash_on_any_arguments(shell, name, args):
    status = call(shell, [name, *args])
    assert 0 <= status <= 255


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=80), st.lists(st.sampled_from(["-r", "a", "b", "c", "?", "1x",
                                                          "-p", "x"]), max_size=4))
def test_read_never_crashes_and_drops_nul(shell, data, args):
    status = call(shell, ["read", *args], data)
    assert 0 <= status <= 255
    for name in ("a", "b", "c", "x"):
        assert "\0" not in shell.vars.get(name, "")  # C2: a NUL must not reach a variable
