"""From what a student handed in to a command the sandbox can start.

A submission is an executable (a compiled program or a script with a shebang) or a folder:
a folder with a Makefile is built with `make` inside the sandbox (a Makefile is code too),
then the program is looked for; a folder without one must hold exactly one script or
program. Everything is copied into the sandbox's folder first, so the student's original
is never touched and the sandbox user can read it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .sandbox import Sandbox

BUILD_TIMEOUT = 120.0


class SubmissionError(Exception):
    """The submission cannot be run: a message for the student, not a grader failure."""


def first_errors(log: str, lines: int = 20) -> str:
    """What to show of a failed build: from the first compiler error on (later errors are
    often consequences of the first), else the last lines of make."""
    rows = log.strip().splitlines()
    first = next((i for i, row in enumerate(rows) if re.search(r"\berror\b", row, re.I)), None)
    if first is None:
        return "\n".join(rows[-lines:])
    shown = rows[first:first + lines]
    more = len(rows) - first - len(shown)
    return "\n".join(shown) + (f"\n[... {more} more lines of make's output]" if more else "")


def _runnable(path: Path) -> bool:
    if not path.is_file():
        return False
    with path.open("rb") as f:
        head = f.read(4)
    return head == b"\x7fELF" or head[:2] == b"#!"


def prepare(submission: Path, sandbox: Sandbox, names: tuple[str, ...],
            timeout_factor: float = 1.0) -> Path:
    """Copy, build if needed, and return the program's path inside the sandbox folder.

    `names` are the program names the project statement asks for, in order of preference.
    """
    dest = sandbox.workdir / "submission"
    submission = submission.resolve()
    if submission.is_dir():
        shutil.copytree(submission, dest, symlinks=True,
                        ignore=shutil.ignore_patterns(".git", "__pycache__"))
    elif submission.is_file():
        dest.mkdir()
        shutil.copy2(submission, dest / submission.name)
    else:
        raise SubmissionError(f"{submission} is neither a file nor a folder")
    sandbox.give_to_sandbox_user(dest)
    if submission.is_file():
        program = dest / submission.name
        if not _runnable(program):
            raise SubmissionError(f"{submission.name} is neither a compiled program nor a "
                                  "script starting with #!")
        program.chmod(program.stat().st_mode | 0o755)
        return program
    if any((dest / m).exists() for m in ("Makefile", "makefile", "GNUmakefile")):
        limit = BUILD_TIMEOUT * timeout_factor
        build = sandbox.run(["make"], timeout=limit, cwd=dest)
        if build.timed_out:
            tail = "\n".join(build.stdout.strip().splitlines()[-20:])
            raise SubmissionError(f"`make` did not finish within {limit:g} s:\n{tail}")
        if build.returncode != 0:
            raise SubmissionError(f"`make` failed (status {build.returncode}):\n"
                                  + first_errors(build.stdout))
    for name in names:
        if _runnable(dest / name):
            (dest / name).chmod((dest / name).stat().st_mode | 0o755)
            return dest / name
    found = sorted(p for p in dest.iterdir() if _runnable(p) and p.stat().st_mode & 0o111)
    if not found:
        found = sorted(p for p in dest.iterdir() if _runnable(p))
    if len(found) == 1:
        found[0].chmod(found[0].stat().st_mode | 0o755)
        return found[0]
    wanted = " or ".join(names)
    if not found:
        raise SubmissionError(f"no program found in the folder: name it {wanted} "
                              "(or provide a Makefile that builds it)")
    listed = ", ".join(p.name for p in found)
    raise SubmissionError(f"several programs in the folder ({listed}): name yours {wanted}")
