"""Grading on a Dask cluster: one task per submission, the files travel with the task.

A course of hundreds of students outgrows one machine. Dask's `distributed` scheduler
hands tasks to worker processes on many machines and, when a worker dies mid-task,
hands its tasks to another (after `distributed.scheduler.allowed-failures` deaths the
task fails with KilledWorker instead). We lean on that rather than writing our own
queue: each task is `grade_task`, which unpacks the submission into a temporary folder
on the worker and grades it there in its own `minigrade` process (batch.grade_to_files,
the very function a laptop's `-j N` uses), then returns the files the grader wrote.

Nothing is shared but the network: no common file system is assumed. The workers need
the toolkit installed, and the SAME toolkit: a worker with other tests or other
tolerances would hand out other grades, so every worker's fingerprint (version plus a
digest of the grading code) is checked before the first task and again by each task.

Start a cluster (see the README, "Grading a whole course"):
    dask scheduler                      # on one machine: prints tcp://HOST:8786
    dask worker tcp://HOST:8786 --nthreads 2   # on every grading machine
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import batch

CONNECT_TIMEOUT = 20.0  # seconds to reach the scheduler and see a first worker


class ClusterError(Exception):
    """The cluster cannot grade (unreachable, no workers, another toolkit version)."""


class VersionMismatch(Exception):
    """Raised by a task on a worker whose toolkit differs from the client's."""


def fingerprint() -> str:
    """This installation's version and a digest of every file the grading depends on."""
    import graders
    import lessons
    import minishell

    digest = hashlib.sha256()
    for package in (graders, lessons, minishell):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(root.parent)).encode())
                digest.update(path.read_bytes())
    try:
        version = importlib.metadata.version("minishell")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return f"{version}+{digest.hexdigest()[:12]}"


def grade_task(project: str, payload: bytes, rest: list[str], expected: str) -> dict:
    """Runs ON A WORKER: check the toolkit, unpack, grade, return the grader's files."""
    mine = fingerprint()
    if mine != expected:
        raise VersionMismatch(f"a worker has minishell {mine}, the client {expected}; "
                              "install the same version on every worker")
    with tempfile.TemporaryDirectory(prefix="minigrade-task-") as tmp:
        submission = batch.unpack(payload, Path(tmp))
        return batch.grade_to_files(project, submission, rest)


def _connect(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("--scheduler needs Dask: pip install 'distributed'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except TimeoutError:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers "
                           f"(start some: dask worker {address})") from None
    return client


def check_versions(client, expected: str) -> None:
    """Refuse to grade when any worker runs another toolkit than this client."""
    try:
        theirs = client.run(fingerprint)
    except Exception as exc:  # a worker that cannot even import the toolkit
        raise ClusterError(f"a Dask worker cannot run the toolkit ({exc}); install "
                           f"minishell {expected} on every worker") from None
    wrong = {w: fp for w, fp in theirs.items() if fp != expected}
    if wrong:
        workers = client.scheduler_info().get("workers", {})
        listing = ", ".join(f"worker {workers.get(w, {}).get('name', w)} ({w}) has {fp}"
                            for w, fp in sorted(wrong.items()))
        raise ClusterError(f"workers run another version of the toolkit than this "
                           f"client ({expected}): {listing}; install the same on every "
                           "worker")


def cluster_runner(address: str, project: str, rest: list[str]) -> batch.Runner:
    client = _connect(address)
    expected = fingerprint()
    try:
        check_versions(client, expected)
    except ClusterError:
        client.close()
        raise

    def run(todo: list[Path]) -> Iterator[tuple[str, dict[str, bytes]]]:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        names, futures = {}, []
        try:
            for sub in todo:
                # pure=False: the same bytes submitted twice (--redo) are graded again.
                fut = client.submit(grade_task, project, batch.pack(sub), rest, expected,
                                    pure=False, key=f"minigrade-{sub.name}-{len(futures)}")
                names[fut.key] = sub.name
                futures.append(fut)
            for fut in as_completed(futures):
                name = names[fut.key]
                if fut.status == "finished":
                    yield name, fut.result()
                    continue
                exc = fut.exception()
                if isinstance(exc, KilledWorker):
                    message = ("The grader could not grade this submission: every Dask "
                               "worker that tried it died (a submission that kills its "
                               "worker, or workers lost). Please tell the course staff.")
                elif isinstance(exc, VersionMismatch):
                    raise ClusterError(str(exc))
                else:
                    message = f"The grader failed on its worker: {exc!r}"
                yield name, {"results.json": batch.error_results(message)}
                fut.release()
        finally:
            for fut in futures:
                fut.cancel()
            client.close()
    return run
