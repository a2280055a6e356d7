"""minigrade export PROJECT --for gradescope|prairielearn|github -o OUT

Writes what a course uploads to its platform:
  gradescope    OUT is the autograder zip (default PROJECT-gradescope.zip)
  prairielearn  OUT is a folder: the grader image (Dockerfile, entrypoint, the toolkit's
                source) and an example question's tests/minigrade.json and info.json part
  github        OUT is a template repository for students: the statement, the workflow
                (.github/workflows/classroom.yml, also kept as .github/classroom/
                autograding.yml) and the toolkit's source under .minigrade/
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from .. import cli
from . import github, gradescope, prairielearn
from .bundle import copy_source, source_root

PLATFORMS = ("gradescope", "prairielearn", "github")


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


def export_prairielearn(project: str, out: Path, grade_args: list[str]) -> Path:
    copy_source(out / "image")
    _write(out / "image" / "Dockerfile",
           prairielearn.DOCKERFILE.format(packages=gradescope.PACKAGES))
    _write(out / "image" / "entrypoint", prairielearn.ENTRYPOINT, 0o755)
    tests = {"project": project, "args": ["--hidden", *grade_args]
             if "--hidden" not in grade_args else grade_args}
    _write(out / "question" / "tests" / "minigrade.json", json.dumps(tests, indent=2) + "\n")
    info = {"externalGradingOptions": {"enabled": True, "image": f"YOUR-ORG/minigrade-{project}",
                                       "entrypoint": "/minigrade/entrypoint", "timeout": 600}}
    _write(out / "question" / "info-externalGradingOptions.json", json.dumps(info, indent=2)
           + "\n")
    return out


def export_github(project: str, out: Path, grade_args: list[str]) -> Path:
    statement = source_root() / "graders" / project / "README.md"
    if statement.exists():
        _write(out / "README.md", statement.read_text())
    text = github.workflow(project, ".", shlex.join(grade_args))
    _write(out / ".github" / "workflows" / "classroom.yml", text)
    _write(out / ".github" / "classroom" / "autograding.yml", text)
    copy_source(out / ".minigrade")
    return out


def export_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="minigrade export",
                                     description="Write a grading platform's bundle.")
    parser.add_argument("project")
    parser.add_argument("--for", dest="platform", required=True, choices=PLATFORMS)
    parser.add_argument("-o", "--out", type=Path, help="where to write it")
    args, rest = parser.parse_known_args(argv)
    module = cli.load_project(args.project)
    cli.build_parser(args.project, module).parse_args(["-", *rest])  # options checked now
    out = args.out
    if args.platform == "gradescope":
        out = gradescope.build_zip(args.project, out or Path(f"{args.project}-gradescope.zip"),
                                   rest)
    elif args.platform == "prairielearn":
        out = export_prairielearn(args.project, out or Path(f"{args.project}-prairielearn"),
                                  rest)
    else:
        out = export_github(args.project, out or Path(f"{args.project}-github"), rest)
    print(f"wrote {out}", file=sys.stderr)
    return 0


def gradescope_main(argv: list[str]) -> int:
    """`minigrade gradescope PROJECT -o ZIP`: the older spelling of export --for gradescope."""
    parser = argparse.ArgumentParser(prog="minigrade gradescope",
                                     description="Build a Gradescope autograder zip.")
    parser.add_argument("project")
    parser.add_argument("-o", "--out", type=Path, default=Path("autograder.zip"))
    args, rest = parser.parse_known_args(argv)
    return export_main([args.project, "--for", "gradescope", "-o", str(args.out), *rest])
