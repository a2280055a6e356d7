"""Which parts of the toolkit are here, and how a lesson reaches them.

Lessons run the real tools (minishell, minitrace, minigrade) as a student would type them.
The toolkit is built by several people at once, so a tool may not have landed yet: a demo
step that needs it says so in one line instead of failing with a traceback.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

# tool name -> the module that must exist for the console script to work
_MODULES = {
    "minishell": "minishell.shell.cli",
    "minitrace": "minishell.trace.cli",
    "minigrade": "graders.cli",
}


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def available(tool: str) -> bool:
    """True when `tool` can run: one of ours whose module has landed, or a program on PATH."""
    if tool in _MODULES:
        return _module_exists(_MODULES[tool])
    if tool == "gcc":
        return shutil.which("gcc") is not None
    return shutil.which(tool, path=search_path()) is not None


def tracer() -> str | None:
    """The minitrace program beside our interpreter (a venv's), else on PATH."""
    exe = bin_dir() / "minitrace"
    if exe.exists():
        return str(exe)
    return shutil.which("minitrace")


def missing_message(tool: str) -> str:
    if tool in _MODULES:
        return f"{tool} is not installed yet: this step needs it."
    return f"{tool} is not installed on this machine: this step needs it."


def bin_dir() -> Path:
    """The folder of the running Python: in a venv it holds python3 and our console scripts."""
    return Path(sys.executable).parent


def search_path() -> str:
    """PATH with our console scripts first, so `minitrace` and `python3` mean ours."""
    return os.pathsep.join([str(bin_dir()), os.environ.get("PATH", os.defpath)])


def environment(**extra: str) -> dict[str, str]:
    """The environment every demo, runnable block and quiz program runs in.

    Fixed locale and terminal width, so that what a lesson prints is what its text says;
    $MINISHELL_GRADERS is the graders' folder, for steps that show a project's statement.
    """
    env = dict(os.environ)
    env.update(PATH=search_path(), LC_ALL="C.UTF-8", LANG="C.UTF-8", COLUMNS="100",
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONUNBUFFERED", None)  # buffering is part of what the lessons teach
    env["MINISHELL_GRADERS"] = str(Path(__file__).resolve().parent.parent / "graders")
    env.pop("PYTHONSTARTUP", None)
    env.update(extra)
    return env
