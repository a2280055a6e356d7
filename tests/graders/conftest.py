"""Student-style shells built once per test session (per xdist worker): tinysh.c with one
BUG_* or STYLE_* macro switched on, compiled by gcc as a student's Makefile would."""

import shutil
import subprocess
from pathlib import Path

import pytest

TINYSH = Path(__file__).parents[2] / "graders" / "shell" / "fixtures" / "tinysh.c"


@pytest.fixture(scope="session")
def tinysh(tmp_path_factory):
    """tinysh(variant) -> the compiled shell: "" is the correct base, "NO_REAP" is built
    with -DBUG_NO_REAP, "STYLE_BLANK_LINE" with -DSTYLE_BLANK_LINE."""
    if shutil.which("gcc") is None:
        pytest.fail("gcc is needed to build the student-style shells: apt-get install gcc")
    folder = tmp_path_factory.mktemp("tinysh")
    built: dict[str, Path] = {}

    def build(variant: str = "") -> Path:
        if variant not in built:
            exe = folder / (f"tinysh_{variant}" if variant else "tinysh")
            macro = variant if variant.startswith("STYLE_") else f"BUG_{variant}"
            flags = [f"-D{macro}"] if variant else []
            subprocess.run(["gcc", "-O2", "-Wall", "-Werror", *flags, "-o", exe, TINYSH],
                           check=True)
            built[variant] = exe
        return built[variant]

    return build
