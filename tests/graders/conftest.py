"""Student-style shells built once per test session (per xdist worker), as a student's
Makefile would build them: tinysh.c, jobsh.c and rlsh.c with gcc, cppsh.cpp with g++, each
with one BUG_* or STYLE_* macro switched on; inputsh.py copied with its BUG set. And
`grade_all`, which grades many of them at once through the real command line."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[2] / "graders" / "shell" / "fixtures"
TINYSH = FIXTURES / "tinysh.c"
# How each kind of source is built, and the Debian package that provides the compiler.
COMPILERS = {".c": ("gcc", "gcc"), ".cpp": ("g++", "g++")}


def _build(source: Path, variant: str, exe: Path) -> None:
    if source.suffix == ".py":  # a script: its BUG line says which mistake it makes
        text = source.read_text()
        assert '\nBUG = ""\n' in text, source
        exe.write_text(text.replace('\nBUG = ""\n', f'\nBUG = "{variant}"\n'))
        exe.chmod(0o755)
        return
    compiler, package = COMPILERS[source.suffix]
    if shutil.which(compiler) is None:
        pytest.fail(f"{compiler} is needed to build {source.name}: apt-get install {package}")
    macro = variant if variant.startswith("STYLE_") else f"BUG_{variant}"
    flags = [f"-D{macro}"] if variant else []
    libs = ["-lreadline"] if "<readline/readline.h>" in source.read_text() else []
    done = subprocess.run([compiler, "-O2", "-Wall", "-Werror", *flags, "-o", exe, source,
                           *libs], capture_output=True, text=True)
    if done.returncode and libs and "readline" in done.stderr:
        pytest.fail(f"{source.name} needs readline: apt-get install libreadline-dev\n"
                    + done.stderr)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def student_shell(tmp_path_factory):
    """student_shell("jobsh.c", "NO_TRUNC") -> the shell built with -DBUG_NO_TRUNC;
    "" is the correct base, a STYLE_* variant is built with -DSTYLE_*."""
    folder = tmp_path_factory.mktemp("students")
    built: dict[tuple[str, str], Path] = {}

    def build(source: str, variant: str = "") -> Path:
        if (source, variant) not in built:
            stem, suffix = source.rsplit(".", 1)
            exe = folder / (f"{stem}_{variant}" if variant else stem)
            if suffix == "py":
                exe = exe.with_suffix(".py")
            _build(FIXTURES / source, variant, exe)
            built[source, variant] = exe
        return built[source, variant]

    return build


@pytest.fixture(scope="session")
def tinysh(student_shell):
    """tinysh(variant) -> the compiled shell: "" is the correct base, "NO_REAP" is built
    with -DBUG_NO_REAP, "STYLE_BLANK_LINE" with -DSTYLE_BLANK_LINE."""
    return lambda variant="": student_shell("tinysh.c", variant)


@pytest.fixture(scope="session")
def grade_all(tmp_path_factory):
    """grade_all({name: shell}, {name: the tests it should lose}) -> {name: results.json}."""
    return lambda shells, expected: _grade_all(shells, expected,
                                               tmp_path_factory.mktemp("graded"))


def _grade_all(shells: dict[str, Path], expected: dict[str, dict], tmp: Path) -> dict:
    """Grade every shell at once, each by its own `minigrade shell --hidden` process, and
    check its exit status (1 when it should lose a test, else 0); {name: results.json}."""
    procs = {}
    for name, exe in shells.items():
        results = tmp / f"{exe.name}.json"
        procs[name] = (subprocess.Popen(
            [sys.executable, "-m", "graders", "shell", exe, "--hidden", "-q",
             # a busy machine: the documented knob for slow machines, not a weaker test
             "--timeout-factor", "2",
             "--results", results, "--transcripts", tmp / f"{exe.name}-transcripts"]),
            results)
    out = {}
    for name, (proc, results) in procs.items():
        assert proc.wait(timeout=800) == (1 if expected[name] else 0), name
        out[name] = json.loads(results.read_text())
    return out


@pytest.fixture(scope="session")
def loses_exactly():
    """loses_exactly(results, {test: outcome}): the grading lost exactly those tests, with
    those outcomes, and exactly their points."""
    def check(data: dict, expected: dict[str, str]) -> None:
        failed = [t for t in data["tests"] if t["status"] != "passed"]
        lost = {t["name"]: t["extra_data"]["outcome"] for t in failed}
        assert lost == expected, json.dumps(failed, indent=1)[:4000]
        total = sum(t["max_score"] for t in data["tests"])
        assert data["score"] == total - sum(
            t["max_score"] for t in data["tests"] if t["name"] in expected)
    return check
