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
        done = subprocess.run([*shell, *args], cwd=folder, env=env_for(folder), input=stdin,
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
