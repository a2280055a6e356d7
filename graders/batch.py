"""minigrade batch PROJECT DIR -o OUT -j N: grade a whole class.

Each entry of DIR (a folder or a file) is one submission, graded by its own `minigrade`
process (so one submission that breaks the grader cannot take the others down), N at a
time. OUT/<name>/results.json is written last and atomically: a run interrupted with
Ctrl-C resumes where it stopped, skipping every submission already graded. At the end
OUT/gradebook.csv holds one row per submission and one column per test.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import cli

PER_SUBMISSION_TIMEOUT = 1800.0


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="minigrade batch",
                                     description="Grade every submission in a folder.")
    parser.add_argument("project")
    parser.add_argument("submissions", type=Path, help="a folder of submissions")
    parser.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="submissions at a time")
    parser.add_argument("--redo", action="store_true", help="grade again those already done")
    args, rest = parser.parse_known_args(argv)
    module = cli.load_project(args.project)
    # Check the options meant for each grading now, not 300 times later.
    cli.build_parser(args.project, module).parse_args(["-", *rest])
    if args.jobs < 1:
        parser.error("-j must be at least 1")
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder")
    return args, rest


def grade_one(project: str, submission: Path, out: Path, rest: list[str]) -> tuple[str, str]:
    """Grade one submission in a child process; returns (name, one-line outcome)."""
    folder = out / submission.name
    folder.mkdir(parents=True, exist_ok=True)
    results = folder / "results.json"
    cmd = [sys.executable, "-m", "graders", project, str(submission), "-q",
           "--results", str(folder / ".results.partial.json"),
           "--junit", str(folder / "junit.xml"), "--transcripts", str(folder / "transcripts"),
           *rest]
    with open(folder / "grader.log", "w") as log:
        try:
            status = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT,
                                    timeout=PER_SUBMISSION_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            status = None
    partial = folder / ".results.partial.json"
    if not partial.exists():  # the grader died before writing anything: say so
        partial.write_text(json.dumps({
            "score": 0, "tests": [],
            "output": f"The grader did not finish (status {status}); see grader.log."}))
    partial.replace(results)
    data = json.loads(results.read_text())
    return submission.name, f"{data.get('score', 0):g}"


def write_gradebook(out: Path, names: list[str]) -> Path:
    rows, tests = [], []
    for name in names:
        path = out / name / "results.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        scores = {t["name"]: t["score"] for t in data.get("tests", [])}
        for t in data.get("tests", []):
            if t["name"] not in tests:
                tests.append(t["name"])
        max_score = sum(t.get("max_score", 0) for t in data.get("tests", []))
        error = data["output"].splitlines()[0] if "could not grade" in data.get(
            "output", "") or not data.get("tests") else ""
        rows.append((name, data.get("score", 0), max_score, error, scores))
    book = out / "gradebook.csv"
    with open(book, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["submission", "score", "max_score", "error", *tests])
        for name, score, max_score, error, scores in rows:
            w.writerow([name, score, max_score, error, *(scores.get(t, "") for t in tests)])
    return book


def batch_main(argv: list[str]) -> int:
    args, rest = parse(argv)
    subs = sorted(p for p in args.submissions.iterdir() if not p.name.startswith("."))
    args.out.mkdir(parents=True, exist_ok=True)
    todo = [s for s in subs if args.redo or not (args.out / s.name / "results.json").exists()]
    done_before = len(subs) - len(todo)
    columns = (TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.description}"))
    with Progress(*columns, transient=False) as progress, \
            ThreadPoolExecutor(max_workers=args.jobs) as pool:
        task = progress.add_task(f"({done_before} already done)", total=len(subs),
                                 completed=done_before)
        futures = [pool.submit(grade_one, args.project, s, args.out, rest) for s in todo]
        try:
            for fut in as_completed(futures):
                name, score = fut.result()
                progress.update(task, advance=1, description=f"{name}: {score}")
        except KeyboardInterrupt:
            for fut in futures:
                fut.cancel()
            progress.stop()
            print("minigrade batch: interrupted; run the same command again to resume",
                  file=sys.stderr)
            return 130
    book = write_gradebook(args.out, [s.name for s in subs])
    print(f"gradebook: {book}")
    return 0
