"""The shell's own options, given when it starts (`sh -eux -c ...`, `sh -v script`) or by
`set`, where dash's output is a stream of its own: `set -v` copies each line of input to
stderr as the parser reads it. Compared with dash, both shells run as real processes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from minishell_run import MINISHELL, env_for

SCRIPT = """set -v
echo a

# a comment
x=1; echo $x
if true; then
 echo in
fi
cat <<E
here
E
set +v
echo off
"""


def both(args: list[str], folder: Path, stdin: str | None = None) -> list[tuple]:
    """(stdout, stderr, status) of dash and minishell, stderr merged into stdout: the order
    of the echoed lines and the output matters."""
    results = []
    for shell in (["dash"], MINISHELL):
        own = folder / shell[-1]  # a folder each: what one shell writes, the other must not see
        own.mkdir()
        for script in folder.glob("*.sh"):
            (own / script.name).write_text(script.read_text())
        done = subprocess.run([*shell, *args], cwd=own, env=env_for(folder), input=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=30)
        results.append((done.stdout.replace("dash:", "minishell:"), done.returncode))
    return results


@pytest.mark.parametrize("how", ["file", "stdin", "-v file", "-c"])
def test_set_v_echoes_input_lines_as_dash(how: str, tmp_path: Path, require):
    require("dash")
    (tmp_path / "s.sh").write_text(SCRIPT)
    args = {"file": ["s.sh"], "stdin": [], "-v file": ["-v", "s.sh"], "-c": ["-c", SCRIPT]}
    dash, minishell = both(args[how], tmp_path, SCRIPT if how == "stdin" else None)
    assert minishell == dash
    assert ("echo a\n" in dash[0]) == (how != "-c")  # dash never echoes a -c string


@pytest.mark.parametrize("args", [["-eu", "-c", "echo $-; false; echo no"],
                                  ["-x", "-c", "x=1; echo $x"],
                                  ["-o", "nounset", "-c", "echo $-; echo $nope"],
                                  ["+e", "-f", "-c", "echo $- *"],
                                  ["-q", "-c", "echo never"],
                                  ["-s", "a", "b"]])
def test_options_given_at_start_as_dash(args: list[str], tmp_path: Path, require):
    require("dash")
    dash, minishell = both(args, tmp_path, 'echo "$@"' if "-s" in args else None)
    def output(result: tuple) -> tuple:  # (the lines that are not errors, the status)
        lines = result[0].splitlines()
        return [line for line in lines if not line.startswith("minishell:")], result[1]
    assert output(minishell) == output(dash)


STDIN_CASES = [line.replace("\u2424", "\n")
               for line in (Path(__file__).with_name("corpus_stdin.txt").read_text()
                            .splitlines()) if line and not line.startswith("#")]


@pytest.mark.parametrize("how", ["stdin", "file"])
@pytest.mark.parametrize("case", STDIN_CASES, ids=[case[:40] for case in STDIN_CASES])
def test_text_read_a_line_at_a_time_as_dash(case: str, how: str, tmp_path: Path, require):
    # From a pipe or a file the shell reads a line, runs it, reads the next: a line that
    # ends in backslash-newline, or a here-document, must wait for the lines after it.
    require("dash")
    (tmp_path / "t.sh").write_text(case + "\n")
    args = ["t.sh"] if how == "file" else []
    dash, minishell = both(args, tmp_path, case + "\n" if how == "stdin" else None)
    assert minishell == dash
