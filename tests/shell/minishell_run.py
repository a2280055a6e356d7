"""Helpers for the shell tests: run minishell (and dash) as real processes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

MINISHELL = [sys.executable, "-m", "minishell"]
BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C", "TERM": "dumb"}


def env_for(home: Path, **extra: str) -> dict[str, str]:
    return {**BASE_ENV, "HOME": str(home), **extra}


def run(args: list[str], cwd: Path, *, input: bytes | str | None = None, timeout: float = 30,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `minishell ARGS...` and capture stdout/stderr as text."""
    return subprocess.run([*MINISHELL, *args], cwd=cwd, env=env or env_for(cwd),
                          input=input.encode() if isinstance(input, str) else input,
                          capture_output=True, timeout=timeout,
                          stdin=None if input is not None else subprocess.DEVNULL)


def text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def make_scratch(folder: Path) -> Path:
    """The files the differential corpus expects (see corpus.txt's header)."""
    for name, content in {"a.txt": "alpha\nbeta\n", "b.txt": "bravo\n", "c.log": "log\n",
                          "notes.md": "# notes\n", ".hidden": "h\n",
                          "with space.txt": "space\n", "plain.txt": "not a program\n"}.items():
        (folder / name).write_text(content)
    (folder / "sub").mkdir()
    (folder / "sub" / "inner.txt").write_text("inner\n")
    (folder / "empty").mkdir()
    scripts = {"noshebang.sh": 'echo no shebang $# "$1"\nexit 4\n',
               "args.sh": '#!/bin/sh\necho $# "$1" "$2"\n'}
    for name, content in scripts.items():
        path = folder / name
        path.write_text(content)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return folder


def children_of(pid: int) -> list[int]:
    """Direct children of pid, from /proc (every thread's children file)."""
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as file:
            found += [int(p) for p in file.read().split()]
    return found
