"""minigrade batch PROJECT DIR -o OUT: grade a whole class, here or on a Dask cluster.

Each entry of DIR (a folder or a file) is one submission, graded by its own `minigrade`
process (so one submission that breaks the grader cannot take the others down). Where
that process runs is the only thing that changes between a laptop and a cluster:

- `-j N`: N grader processes at a time on this machine;
- `--scheduler tcp://HOST:8786`: one task per submission on a Dask cluster; the
  submission travels with the task, the results come back with its answer
  (graders/cluster.py).

Either way the files of one grading (results.json, junit.xml, grader.log, transcripts/)
come back as a dict and are stored here by `store`, results.json last and atomically: a
run interrupted with Ctrl-C resumes where it stopped, skipping every submission already
graded, and a submission is never stored twice. At the end OUT/gradebook.csv holds one
row per submission and one column per test.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import cli

PER_SUBMISSION_TIMEOUT = 1800.0
USAGE_ERROR = 2


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="minigrade batch",
                                     description="Grade every submission in a folder.")
    parser.add_argument("project")
    parser.add_argument("submissions", type=Path, help="a folder of submissions")
    parser.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="submissions at a time on this machine")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="grade on a Dask cluster (tcp://HOST:8786) instead of here")
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


# --- One grading, wherever it runs ------------------------------------------------------

def grade_to_files(project: str, submission: Path, rest: list[str]) -> dict[str, bytes]:
    """Grade one submission in a child `minigrade` process; return the files it wrote.

    Parent side: fork+exec of the grader, waitpid with a timeout (subprocess.run). The
    grader writes into a private temporary folder; what it leaves there is read back,
    so the same answer can be stored here or sent back over a network."""
    with tempfile.TemporaryDirectory(prefix="minigrade-batch-") as tmp:
        work = Path(tmp)
        cmd = [sys.executable, "-m", "graders", project, str(submission), "-q",
               "--results", str(work / "results.json"), "--junit", str(work / "junit.xml"),
               "--transcripts", str(work / "transcripts"), *rest]
        with open(work / "grader.log", "wb") as log:
            try:
                status = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL,
                                        timeout=PER_SUBMISSION_TIMEOUT).returncode
                why = f"status {status}"
            except subprocess.TimeoutExpired:
                why = f"it ran longer than {PER_SUBMISSION_TIMEOUT:g} s"
        files = {str(p.relative_to(work)): p.read_bytes()
                 for p in sorted(work.rglob("*")) if p.is_file()}
    if "results.json" not in files:  # the grader died before writing anything: say so
        files["results.json"] = error_results(
            f"The grader did not finish ({why}); see grader.log.")
    return files


def error_results(message: str) -> bytes:
    """A results.json for a submission the grader could not grade (its own failure)."""
    return json.dumps({"score": 0, "tests": [], "output": message,
                       "extra_data": {"grader_error": message}}).encode()


def store(out: Path, name: str, files: dict[str, bytes]) -> str:
    """Write one grading's files under OUT/NAME, results.json last, atomically; return
    the score as text for the progress bar."""
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        if rel == "results.json":
            continue
        path = (folder / rel).resolve()
        if folder.resolve() not in path.parents:
            continue  # a name like ../x never leaves the folder
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    partial = folder / ".results.partial.json"
    partial.write_bytes(files["results.json"])
    os.replace(partial, folder / "results.json")
    score = json.loads(files["results.json"]).get("score", 0)
    return f"{score:g}"


def pack(submission: Path) -> bytes:
    """A submission (a file or a folder) as a tar archive, to travel with its task."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(submission, arcname=submission.name)
    return buf.getvalue()


def unpack(payload: bytes, into: Path) -> Path:
    """A packed submission, unpacked under `into` and nowhere else: an archive is data
    from a student, whose names may try to climb out (`../`) or plant links."""
    with tarfile.open(fileobj=io.BytesIO(payload), mode="r:gz") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
        else:  # Python before 3.11.4 (Debian 12 has 3.11.2): the same care, by hand
            tar.extractall(into, members=_plain_members(tar, into))
        top = tar.getnames()[0].split("/")[0]
    return into / top


def _plain_members(tar: tarfile.TarFile, into: Path):
    """What the "data" extraction filter lets through: files and folders inside `into`,
    without setuid bits or write access for others, owned by whoever unpacks."""
    root = into.resolve()
    for member in tar.getmembers():
        target = (root / member.name).resolve()
        if (member.isfile() or member.isdir()) and (target == root or root in target.parents):
            member.mode &= 0o755
            member.uid, member.gid, member.uname, member.gname = \
                os.getuid(), os.getgid(), "", ""
            yield member


# --- The gradebook --------------------------------------------------------------------

def not_graded(results: dict) -> str:
    """The gradebook's `error` column: why a submission was not graded, naming whose
    failure it was (the grader's own, or the submission's, such as a failed build)."""
    extra = results.get("extra_data") or {}
    if extra.get("grader_error"):
        return "grader error: " + extra["grader_error"].strip().splitlines()[0]
    if extra.get("submission_error"):
        return "submission failed: " + extra["submission_error"]
    return ""


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
        rows.append((name, data.get("score", 0), max_score, not_graded(data), scores))
    book = out / "gradebook.csv"
    with open(book, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["submission", "score", "max_score", "error", *tests])
        for name, score, max_score, error, scores in rows:
            w.writerow([name, score, max_score, error, *(scores.get(t, "") for t in tests)])
    return book


# --- Where the gradings run -----------------------------------------------------------

Runner = Callable[[list[Path]], Iterator[tuple[str, dict[str, bytes]]]]


def local_runner(project: str, rest: list[str], jobs: int) -> Runner:
    """N grader processes at a time on this machine (threads only wait for them)."""
    def run(todo: list[Path]) -> Iterator[tuple[str, dict[str, bytes]]]:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(grade_to_files, project, s.resolve(), rest): s.name
                       for s in todo}
            try:
                for fut in as_completed(futures):
                    yield futures[fut], fut.result()
            finally:
                for fut in futures:
                    fut.cancel()
    return run


def batch_main(argv: list[str]) -> int:
    args, rest = parse(argv)
    subs = sorted(p for p in args.submissions.iterdir() if not p.name.startswith("."))
    args.out.mkdir(parents=True, exist_ok=True)
    todo = [s for s in subs if args.redo or not (args.out / s.name / "results.json").exists()]
    done_before = len(subs) - len(todo)
    if args.scheduler:
        from .cluster import ClusterError, cluster_runner
        try:
            runner = cluster_runner(args.scheduler, args.project, rest)
        except ClusterError as exc:
            print(f"minigrade batch: {exc}", file=sys.stderr)
            return USAGE_ERROR
    else:
        runner = local_runner(args.project, rest, args.jobs)
    columns = (TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.description}"))
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task(f"({done_before} already done)", total=len(subs),
                                 completed=done_before)
        try:
            for name, files in runner(todo):
                score = store(args.out, name, files)
                progress.update(task, advance=1, description=f"{name}: {score}")
        except KeyboardInterrupt:
            progress.stop()
            print("minigrade batch: interrupted; run the same command again to resume",
                  file=sys.stderr)
            return 130
        except Exception as exc:  # the cluster went away, a version mismatch mid-run...
            if args.scheduler is None:
                raise
            progress.stop()
            print(f"minigrade batch: the cluster failed: {exc}; run the same command "
                  "again to resume", file=sys.stderr)
            return USAGE_ERROR
    book = write_gradebook(args.out, [s.name for s in subs])
    print(f"gradebook: {book}")
    return 0
