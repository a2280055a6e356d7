"""The differential suite: every line of corpus.txt, corpus_lang.txt (the language: grammar,
expansions, control flow) and corpus_posix.txt (in the style of public POSIX suites) must
behave in minishell as in dash (same stdout, stderr empty or not in both, same exit status),
run in a scratch folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from minishell_run import MINISHELL, env_for, make_scratch, text

CORPORA = [Path(__file__).with_name(name)
           for name in ("corpus.txt", "corpus_lang.txt", "corpus_posix.txt")]
NEWLINE_MARK = "\u2424"  # ␤ in the corpus stands for a newline inside a case


def load_corpus() -> list[str]:
    cases = []
    for corpus in CORPORA:
        for line in corpus.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                cases.append(line.replace(NEWLINE_MARK, "\n"))
    return cases


CASES = list(dict.fromkeys(load_corpus()))  # each case once


def test_corpus_is_big_enough():
    assert len(CASES) >= 1000


def run_in(argv: list[str], folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=folder, env=env_for(folder), capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=30)


@pytest.mark.parametrize("line", CASES, ids=[case[:60] for case in CASES])
def test_same_as_dash(line: str, tmp_path: Path, require):
    require("dash")
    # Both shells run in a folder of the same name (the output may show $HOME or $PWD).
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    expected = run_in(["dash", "-c", line], make_scratch(scratch))
    scratch.rename(tmp_path / "after-dash")
    scratch.mkdir()
    got = run_in([*MINISHELL, "-c", line], make_scratch(scratch))
    assert "Traceback" not in text(got.stderr)
    assert (text(got.stdout), bool(got.stderr), got.returncode) == (
        text(expected.stdout), bool(expected.stderr), expected.returncode), (
        f"dash stderr: {text(expected.stderr)!r}\nminishell stderr: {text(got.stderr)!r}")
