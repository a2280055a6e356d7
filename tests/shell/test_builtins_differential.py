"""The builtins' differential suite: every line of corpus_builtins.txt must behave in
minishell as in dash (same stdout, stderr empty or not in both, same exit status), run in a
scratch folder. Same machinery as test_shell_differential.py (corpus.txt)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from minishell_run import MINISHELL, make_scratch, text
from test_shell_differential import NEWLINE_MARK, run_in

CORPUS = Path(__file__).with_name("corpus_builtins.txt")


def load_corpus() -> list[str]:
    return [line.replace(NEWLINE_MARK, "\n") for line in CORPUS.read_text().splitlines()
            if line.strip() and not line.startswith("#")]


CASES = load_corpus()


def test_corpus_is_big_enough():
    assert len(CASES) >= 350
    assert len(set(CASES)) == len(CASES), "a case appears twice"


def test_dash_is_installed():
    assert shutil.which("dash"), "the differential suite needs dash: apt-get install dash"


@pytest.mark.parametrize("line", CASES, ids=[case[:60] for case in CASES])
def test_same_as_dash(line: str, tmp_path: Path):
    # Both shells run in a folder of the same name (the output may show $HOME or $PWD),
    # with the same umask (the umask cases print it).
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    old_mask = os.umask(0o022)
    try:
        expected = run_in(["dash", "-c", line], make_scratch(scratch))
        scratch.rename(tmp_path / "after-dash")
        scratch.mkdir()
        got = run_in([*MINISHELL, "-c", line], make_scratch(scratch))
    finally:
        os.umask(old_mask)
    assert "Traceback" not in text(got.stderr)
    assert (text(got.stdout), bool(got.stderr), got.returncode) == (
        text(expected.stdout), bool(expected.stderr), expected.returncode), (
        f"dash stderr: {text(expected.stderr)!r}\nminishell stderr: {text(got.stderr)!r}")
    # The builtins' own messages say what dash says (after the `dash: 1: ` prefix).
    if expected.stderr and message(expected.stderr).startswith(OWN_MESSAGES):
        assert message(got.stderr) == message(expected.stderr)


# Messages of the builtins this corpus covers (cd's names the reason too: see cd).
OWN_MESSAGES = tuple(f"{name}: " for name in (
    "read", "printf", "echo", "test", "[", "shift", "set", "export", "readonly", "unset",
    "getopts", "alias", "unalias", "trap", "kill", "wait", "exit", "umask", "ulimit", "hash",
    "pwd", "type")) + ("Illegal option", "No arg for")


def message(data: bytes) -> str:
    """stderr without the shell's name and line (`dash: 1: `, `minishell: `); dash's kill
    adds an empty line after its message, dropped here."""
    lines = text(data).replace("dash: 1: ", "").replace("minishell: ", "").splitlines()
    return "\n".join(line for line in lines if line)
