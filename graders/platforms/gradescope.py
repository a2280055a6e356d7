"""Gradescope: the autograder zip (setup.sh, run_autograder, the toolkit's source).

Gradescope builds an image by running `setup.sh` (as root, with network) on its base
image (Ubuntu 22.04, whose python3 is 3.10), then for each submission runs
`run_autograder` with the student's files in /autograder/submission and reads
/autograder/results/results.json. Inside its Docker container there is usually no user
namespace, so bubblewrap cannot start: the sandbox falls back to root's uid drop and
limits, and says so in the results ("isolation: ..."). Both scripts honour
MINIGRADE_AUTOGRADER_ROOT (default /autograder), so a test can lay out that tree in a
temporary folder and run them exactly as Gradescope does.
"""

from __future__ import annotations

import shlex
import zipfile
from pathlib import Path

from .bundle import source_files

# The Debian/Ubuntu packages the grader drives; apt runs only if one is missing.
PACKAGES = "gcc make libc6-dev bubblewrap dash bash coreutils procps strace"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
ROOT="${MINIGRADE_AUTOGRADER_ROOT:-/autograder}"
export DEBIAN_FRONTEND=noninteractive
packages=(%(packages)s)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \\
        || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# minigrade needs Python 3.11 or newer. Ubuntu 22.04's python3 is 3.10, but its package
# sources carry python3.11: take the newest interpreter there is, install 3.11 if none.
is_new_enough() {
    "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}
PYTHON=""
for candidate in "${MINIGRADE_PYTHON:-}" python3 python3.13 python3.12 python3.11; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null \\
            && is_new_enough "$candidate"; then
        PYTHON="$candidate"
        break
    fi
done
if [ -z "$PYTHON" ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv >/dev/null
    PYTHON=python3.11
fi
echo "setup.sh: using $PYTHON ($("$PYTHON" --version))"
"$PYTHON" -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install -q "$ROOT/source/minishell-src"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for each submission. It always leaves a results.json behind.
ROOT="${{MINIGRADE_AUTOGRADER_ROOT:-/autograder}}"
MINIGRADE="${{MINIGRADE_BIN:-$ROOT/venv/bin/minigrade}}"
mkdir -p "$ROOT/results"
rm -f "$ROOT/results/results.json"
cd "$ROOT" || exit 0
"$MINIGRADE" {project} "$ROOT/submission" --results "$ROOT/results/results.json" \\
    --transcripts "$ROOT/results/transcripts" {args}
status=$?
if [ ! -s "$ROOT/results/results.json" ]; then
    msg="The autograder stopped before it could grade (status $status)."
    msg="$msg Please tell the course staff."
    printf '{{"score": 0, "tests": [], "output": "%s"}}\\n' "$msg" > "$ROOT/results/results.json"
fi
exit 0
"""


def _add_script(zf: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o755 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, text)


def build_zip(project: str, out: Path, grade_args: list[str]) -> Path:
    """The zip to upload as the assignment's autograder; hidden tests included."""
    if "--hidden" not in grade_args:
        grade_args = ["--hidden", *grade_args]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        _add_script(zf, "setup.sh", SETUP_SH % {"packages": PACKAGES})
        _add_script(zf, "run_autograder", RUN_AUTOGRADER.format(
            project=project, args=shlex.join(grade_args)))
        for path, arcname in source_files():
            zf.write(path, arcname)
    return out


# --- Gradescope's results.json contract, as its documentation states it ---------------

VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
OUTPUT_FORMATS = {"text", "html", "simple_format", "md", "ansi"}
TOP_KEYS = {"score", "execution_time", "output", "output_format", "test_output_format",
            "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
            "leaderboard"}
TEST_KEYS = {"score", "max_score", "status", "name", "name_format", "number", "output",
             "output_format", "tags", "visibility", "extra_data"}


def check_results(data: object) -> list[str]:
    """What in a results.json Gradescope would reject or misread; [] when it is valid."""
    if not isinstance(data, dict):
        return ["results.json must hold a JSON object"]
    errors = [f"unknown key {k!r}" for k in data if k not in TOP_KEYS]
    number = (int, float)
    if "score" in data and not isinstance(data["score"], number):
        errors.append("score must be a number")
    if "execution_time" in data and not isinstance(data["execution_time"], number):
        errors.append("execution_time must be a number of seconds")
    for key in ("visibility", "stdout_visibility"):
        if key in data and data[key] not in VISIBILITY:
            errors.append(f"{key} must be one of {sorted(VISIBILITY)}")
    for key in ("output_format", "test_output_format"):
        if key in data and data[key] not in OUTPUT_FORMATS:
            errors.append(f"{key} must be one of {sorted(OUTPUT_FORMATS)}")
    tests = data.get("tests", [])
    if not isinstance(tests, list):
        return errors + ["tests must be a list"]
    if "score" not in data and not all(isinstance(t, dict) and "score" in t for t in tests):
        errors.append("without a top-level score every test needs a score")
    for i, t in enumerate(tests):
        where = f"tests[{i}]"
        if not isinstance(t, dict):
            errors.append(f"{where} must be an object")
            continue
        errors += [f"{where}: unknown key {k!r}" for k in t if k not in TEST_KEYS]
        for key in ("score", "max_score"):
            if key in t and not isinstance(t[key], number):
                errors.append(f"{where}.{key} must be a number")
        if "status" in t and t["status"] not in ("passed", "failed"):
            errors.append(f"{where}.status must be passed or failed")
        if "visibility" in t and t["visibility"] not in VISIBILITY:
            errors.append(f"{where}.visibility must be one of {sorted(VISIBILITY)}")
        if "output_format" in t and t["output_format"] not in OUTPUT_FORMATS:
            errors.append(f"{where}.output_format must be one of {sorted(OUTPUT_FORMATS)}")
        if "tags" in t and not (isinstance(t["tags"], list)
                                and all(isinstance(x, str) for x in t["tags"])):
            errors.append(f"{where}.tags must be a list of strings")
        for key in ("name", "number", "output"):
            if key in t and not isinstance(t[key], str):
                errors.append(f"{where}.{key} must be a string")
    return errors
