"""minigrade gradescope PROJECT -o autograder.zip: the zip Gradescope's autograder expects.

Gradescope builds an image by running `setup.sh` (as root, with network), then for each
submission runs `run_autograder` with the student's files in /autograder/submission and
reads /autograder/results/results.json. Our zip carries the toolkit's source, so the
grader that runs there is exactly the one the course tested. Both scripts honour
MINIGRADE_AUTOGRADER_ROOT (default /autograder) so they can be tried in a temp folder.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import zipfile
from pathlib import Path

from . import cli

SOURCE_PARTS = ("pyproject.toml", "README.md", "LICENSE", "minishell", "graders", "lessons")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
ROOT="${MINIGRADE_AUTOGRADER_ROOT:-/autograder}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3 python3-venv python3-pip \\
    gcc make libc6-dev bubblewrap dash bash coreutils procps strace >/dev/null
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "setup.sh: minigrade needs Python 3.11 or newer (choose an Ubuntu 24.04 base image)" >&2
    exit 1
}
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/pip" install -q "$ROOT/source/minishell-src"
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


def source_root() -> Path:
    root = Path(__file__).resolve().parent.parent
    if not (root / "pyproject.toml").exists():
        raise SystemExit("minigrade gradescope: run it from a source checkout of the toolkit")
    return root


def _add_tree(zf: zipfile.ZipFile, path: Path, arcname: str) -> None:
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.name in ("__pycache__", ".pytest_cache") or child.suffix == ".pyc":
                continue
            _add_tree(zf, child, f"{arcname}/{child.name}")
    elif path.is_file():
        zf.write(path, arcname)


def _add_script(zf: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o755 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, text)


def build_zip(project: str, out: Path, grade_args: list[str]) -> Path:
    root = source_root()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        _add_script(zf, "setup.sh", SETUP_SH)
        _add_script(zf, "run_autograder", RUN_AUTOGRADER.format(
            project=project, args=shlex.join(grade_args)))
        for part in SOURCE_PARTS:
            _add_tree(zf, root / part, f"minishell-src/{part}")
    return out


def gradescope_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="minigrade gradescope",
                                     description="Build a Gradescope autograder zip.")
    parser.add_argument("project")
    parser.add_argument("-o", "--out", type=Path, default=Path("autograder.zip"))
    args, rest = parser.parse_known_args(argv)
    module = cli.load_project(args.project)
    grade_args = ["--hidden", *rest] if "--hidden" not in rest else rest
    cli.build_parser(args.project, module).parse_args(["-", *grade_args])
    build_zip(args.project, args.out, grade_args)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0
