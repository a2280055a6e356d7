"""PrairieLearn external grading: an image, and an entrypoint that fills /grade/results.

PrairieLearn starts the course's image with the student's files in /grade/student, the
question's `tests/` folder in /grade/tests, and reads /grade/results/results.json: a
score from 0 to 1, `gradable: false` (with `format_errors`) when the submission could not
be graded, which costs the student no attempt. The question says what to grade in
/grade/tests/minigrade.json: {"project": "shell", "args": ["--hidden"]}.

`python -m graders.platforms.prairielearn` is the entrypoint. It always writes a results
file, even when the grader itself cannot start: PrairieLearn shows a missing file as an
opaque failure. MINIGRADE_GRADE_ROOT (default /grade) lets a test lay out that tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DOCKERFILE = """\
# PrairieLearn external grader for minigrade. Build and push it, then name it in the
# question's info.json: "externalGradingOptions": {{"enabled": true, "image": "...",
# "entrypoint": "/minigrade/entrypoint", "timeout": 300}}.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends {packages} \\
    && rm -rf /var/lib/apt/lists/*
COPY minishell-src /minigrade/minishell-src
RUN python -m pip install --no-cache-dir /minigrade/minishell-src
COPY entrypoint /minigrade/entrypoint
RUN chmod 755 /minigrade/entrypoint
"""

ENTRYPOINT = """#!/bin/sh
# PrairieLearn runs this in the grading container; results go to /grade/results.
exec python -m graders.platforms.prairielearn "$@"
"""

MAX_RESULTS = 1_000_000  # PrairieLearn rejects a larger results.json


def write_results(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1)
    if len(text.encode()) > MAX_RESULTS:
        for test in data.get("tests", []):
            test["output"] = test.get("output", "")[:2000]
        text = json.dumps(data, indent=1)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def not_gradable(path: Path, why: str) -> None:
    write_results(path, {"gradable": False, "score": 0.0, "format_errors": [why],
                         "message": why, "tests": []})


def main(argv: list[str] | None = None) -> int:
    root = Path(os.environ.get("MINIGRADE_GRADE_ROOT", "/grade"))
    results = root / "results" / "results.json"
    config_file = root / "tests" / "minigrade.json"
    try:
        config = json.loads(config_file.read_text())
        project, args = config["project"], list(config.get("args", []))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        not_gradable(results, f"the question's {config_file} is missing or wrong ({exc}); "
                     "please tell the course staff")
        return 0
    cmd = [sys.executable, "-m", "graders", project, str(root / "student"),
           "--prairielearn", str(results), "--transcripts", str(root / "results" / "t"),
           *args]
    if results.exists():
        results.unlink()
    status = subprocess.run(cmd, stdin=subprocess.DEVNULL).returncode
    if not results.exists():
        not_gradable(results, f"the grader stopped before it could grade (status {status})"
                     "; please tell the course staff")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
