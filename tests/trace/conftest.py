"""Fixtures for the tracer's tests (helpers are in tracekit.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest


# `require` (tests/conftest.py) fails, never skips, and names the package to install.
@pytest.fixture
def strace_and_gcc(require) -> None:
    require("strace", "gcc")


@pytest.fixture
def whatis(require) -> None:
    require("whatis")


@pytest.fixture(scope="session")
def cc(tmp_path_factory):
    """Compile a C source with gcc: cc(name, source) -> path of the binary."""
    if shutil.which("gcc") is None:
        pytest.fail("gcc is needed (scripts/system-deps.sh installs it)")
    build = tmp_path_factory.mktemp("cbuild")

    def compile_c(name: str, source: str) -> str:
        src = build / f"{name}.c"
        src.write_text(source)
        exe = build / name
        subprocess.run(["gcc", "-O1", "-o", str(exe), str(src), "-lpthread"], check=True)
        return str(exe)

    return compile_c
