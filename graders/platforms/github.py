"""GitHub Classroom: a workflow that grades every push, the score as the job's summary.

GitHub Classroom's autograding is a GitHub Actions workflow in the student's repository.
Its reporter action (classroom-resources/autograding-grading-reporter) reads, for each
runner id, an environment variable <ID>_RESULTS holding base64 of
{"version": 1, "status": "pass|fail|error", "max_score": N, "tests": [...]}; it is how
the score reaches the Classroom dashboard. We write that from minigrade's Gradescope
results, and a Markdown table for the job's summary page ($GITHUB_STEP_SUMMARY).

    python -m graders.platforms.github results.json --summary F --output F
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path

from .gradescope import PACKAGES

WORKFLOW = """\
# minigrade on every push: GitHub Classroom's autograding for the {project} project.
# Everything in this repository is visible to students, hidden tests included: grade
# the hidden ones on Gradescope, PrairieLearn or with `minigrade batch` instead.
name: minigrade
on: [push, workflow_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: System packages the grader drives
        run: |
          need=""
          for p in {packages}; do
            dpkg-query -W -f='${{Status}}' "$p" 2>/dev/null | grep -q "install ok installed" \\
              || need="$need $p"
          done
          if [ -n "$need" ]; then
            sudo apt-get update -qq
            sudo apt-get install -y -qq --no-install-recommends $need
          fi
      - name: Install minigrade
        run: python -m pip install -q ./.minigrade/minishell-src
      - name: Grade
        id: minigrade
        run: |
          minigrade {project} {submission} --results minigrade-results.json \\
            --junit minigrade-junit.xml {args} || true
          python -m graders.platforms.github minigrade-results.json \\
            --summary "$GITHUB_STEP_SUMMARY" --output "$GITHUB_OUTPUT"
      - name: Report to GitHub Classroom
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          MINIGRADE_RESULTS: "${{{{ steps.minigrade.outputs.result }}}}"
        with:
          runners: minigrade
"""


def workflow(project: str, submission: str = ".", args: str = "") -> str:
    return WORKFLOW.format(project=project, submission=submission, args=args,
                           packages=PACKAGES)


def classroom_result(results: dict) -> dict:
    """Gradescope results.json -> the autograding reporter's result object."""
    tests = [{"name": t["name"], "status": "pass" if t.get("status") == "passed" else "fail",
              "score": t.get("score", 0), "message": t.get("output", "")[:2000],
              "test_code": "", "filename": "", "line_no": 0,
              "execution_time": f"{t.get('extra_data', {}).get('duration', 0):g}s"}
             for t in results.get("tests", [])]
    max_score = sum(t.get("max_score", 0) for t in results.get("tests", []))
    if not tests or (results.get("extra_data") or {}).get("grader_error"):
        status = "error"  # the grader could not grade: not a student's fail
    else:
        status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": 1, "status": status, "max_score": max_score, "tests": tests}


def summary(results: dict) -> str:
    """The job summary: score, one row per test, and the grader's own message."""
    max_score = sum(t.get("max_score", 0) for t in results.get("tests", []))
    lines = [f"## minigrade: {results.get('score', 0):g}/{max_score:g}", "",
             "| test | result | points |", "|---|---|---|"]
    for t in results.get("tests", []):
        mark = "✅" if t.get("status") == "passed" else "❌"
        lines.append(f"| {t['name']} | {mark} {t.get('extra_data', {}).get('outcome', '')} "
                     f"| {t.get('score', 0):g}/{t.get('max_score', 0):g} |")
    if results.get("output"):
        lines += ["", "```", results["output"], "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders.platforms.github")
    parser.add_argument("results", type=Path, help="minigrade's --results file")
    parser.add_argument("--summary", type=Path, help="append a Markdown summary here")
    parser.add_argument("--output", type=Path, help="append `result=BASE64` here")
    args = parser.parse_args(argv)
    try:
        results = json.loads(args.results.read_text())
    except (OSError, ValueError) as exc:
        results = {"score": 0, "tests": [],
                   "output": f"minigrade wrote no results ({exc}); see the Grade step's log"}
    if args.summary:
        with open(args.summary, "a") as f:
            f.write(summary(results))
    encoded = base64.b64encode(json.dumps(classroom_result(results)).encode()).decode()
    if args.output:
        with open(args.output, "a") as f:
            f.write(f"result={encoded}\n")
    else:
        print(encoded)
    return 0


if __name__ == "__main__":
    sys.exit(main())
