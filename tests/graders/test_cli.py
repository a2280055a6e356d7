"""minigrade's command line end to end: exit statuses, submissions as folders and scripts,
every results format, batch mode (parallel, resumable, gradebook) and the Gradescope zip."""

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from graders import engine
from graders.sandbox import Limits, Sandbox
from graders.shell.tests import TESTS
from graders.submission import prepare
from minishell import procfs

ROOT = Path(__file__).parents[2]
SOURCE = ROOT / "graders" / "shell" / "fixtures" / "tinysh.c"
MINIGRADE = [sys.executable, "-m", "graders"]
MAKEFILE = "myshell: tinysh.c\n\tgcc -O2 -Wall -o myshell tinysh.c\n"


def minigrade(*args, timeout=120):
    return subprocess.run([*MINIGRADE, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def make_folder(path: Path, bug: str = "", broken: bool = False) -> Path:
    path.mkdir(parents=True)
    src = SOURCE.read_text()
    if bug:
        src = f"#define BUG_{bug}\n" + src
    if broken:
        src += "\nint this is not C;\n"
    (path / "tinysh.c").write_text(src)
    (path / "Makefile").write_text(MAKEFILE)
    return path


def test_usage_errors(tmp_path):
    assert minigrade().returncode == 2
    r = minigrade("no-such-project", "x")
    assert r.returncode == 2 and "unknown project" in r.stderr
    r = minigrade("shell", "--timeout-factor", "fast", "x")
    assert r.returncode == 2
    r = minigrade("shell", "x", "--prompt", "mysh$ ")
    assert r.returncode == 2 and "can never match" in r.stderr and "--prompt-text" in r.stderr
    assert "Traceback" not in r.stderr
    results = tmp_path / "r.json"
    r = minigrade("shell", tmp_path / "missing", "--results", results)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "no such submission" in json.loads(results.read_text())["output"]


def test_folder_with_makefile_every_format(tmp_path):
    sub = make_folder(tmp_path / "alice")
    res, junit, pl = tmp_path / "r.json", tmp_path / "j.xml", tmp_path / "pl.json"
    r = minigrade("shell", sub, "-k", "prompt", "-k", "redirection", "--results", res,
                  "--junit", junit, "--prairielearn", pl)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "score 11/11 (100%)" in r.stdout and "isolation:" in r.stdout
    data = json.loads(res.read_text())
    assert [t["name"] for t in data["tests"]] == [
        "prompt", "output redirection", "input redirection", "both redirections",
        "pipe and redirections"]
    for t in data["tests"]:  # where each test's time went, adding up to its duration
        extra = t["extra_data"]
        assert set(extra["timings"]) == {"setup", "start-up", "steps", "teardown"}
        assert abs(sum(extra["timings"].values()) - extra["duration"]) < 0.01
    assert ET.parse(junit).getroot().get("failures") == "0"
    assert json.loads(pl.read_text())["score"] == 1.0
    assert not (sub / "myshell").exists()  # built in a copy, not in the student's folder


def test_build_failure_is_the_students_failure(tmp_path):
    sub = make_folder(tmp_path / "bob", broken=True)
    res, pl, junit = tmp_path / "r.json", tmp_path / "pl.json", tmp_path / "j.xml"
    r = minigrade("shell", sub, "--results", res, "--prairielearn", pl, "--junit", junit)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "grader error" not in r.stdout + r.stderr
    assert "could not be built or started" in r.stdout
    assert "error: expected" in r.stdout  # gcc's first error reaches the student
    data = json.loads(res.read_text())
    assert data["score"] == 0 and "`make` failed" in data["output"]
    assert "error:" in data["output"] and "could not grade" not in data["output"]
    assert {t["status"] for t in data["tests"]} == {"failed"}
    assert data["tests"][0]["output"].startswith("not run: `make` failed")
    plr = json.loads(pl.read_text())
    assert plr["gradable"] is True and plr["score"] == 0  # a graded attempt, worth 0
    suite = ET.parse(junit).getroot()
    assert suite.get("errors") == "0" and suite.get("failures") == suite.get("tests")


def test_grader_error_is_the_graders(tmp_path):
    """The grader's own machinery fails (here: no isolation is possible, so it refuses to
    run untrusted code): exit 2, a one-line cause, every test marked error, no attempt
    counted. Run as an ordinary user without bubblewrap, as a TA's laptop may be."""
    work = Path(tempfile.mkdtemp(prefix="minigrade-cli-"))
    try:
        work.chmod(0o777)  # the ordinary user writes its results here
        script = work / "myshell"
        script.write_text("#!/bin/sh\nexec dash -i\n")
        script.chmod(0o755)
        res, pl, junit = work / "r.json", work / "pl.json", work / "j.xml"
        as_user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] \
            if os.geteuid() == 0 else []
        r = subprocess.run([*as_user, *MINIGRADE, "shell", str(script), "-k", "prompt",
                            "-k", "pipe", "--results", str(res), "--prairielearn", str(pl),
                            "--junit", str(junit)], capture_output=True, text=True,
                           timeout=60, cwd=work, env={**os.environ, "MINIGRADE_NO_BWRAP": "1"})
        assert r.returncode == 2, r.stdout + r.stderr
        assert "Traceback" not in r.stderr
        (line,) = r.stderr.splitlines()
        assert line.startswith("minigrade: grader error: refusing to run untrusted code")
        assert "grader error" in r.stdout and "not the submission's fault" in r.stdout
        data = json.loads(res.read_text())
        assert "could not grade" in data["output"] and data["tests"]
        assert {t["extra_data"]["outcome"] for t in data["tests"]} == {"error"}
        plr = json.loads(pl.read_text())
        assert plr["gradable"] is False and "without isolation" in plr["format_errors"][0]
        suite = ET.parse(junit).getroot()
        assert suite.get("failures") == "0" and suite.get("errors") == suite.get("tests")
    finally:
        shutil.rmtree(work)


def test_script_submission_and_failure_exit_status(tmp_path):
    script = tmp_path / "myshell"
    script.write_text("#!/bin/sh\nexec dash -i\n")  # no chmod: the shebang is enough
    r = minigrade("shell", script, "-k", "pipe", "-k", "cd errors", "--hidden")
    assert r.returncode == 0, r.stdout
    r = minigrade("shell", script, "-k", "status 127", "-k", "mechanism")
    assert "status 127 and 126" in r.stdout  # dash says 127/126 too: passes
    other = tmp_path / "other"
    other.write_text("#!/bin/sh\nPS1='ok> ' exec dash -i\n")
    r = minigrade("shell", other, "-k", "prompt", "--timeout-factor", "0.3")
    assert r.returncode == 1 and "waiting for the first prompt" in r.stdout
    r = minigrade("shell", other, "-k", "prompt", "-k", "pipe", "--prompt", "ok> ")
    assert r.returncode == 0, r.stdout


def test_failure_gives_exit_1_with_feedback(tmp_path):
    exe = tmp_path / "cdbug"
    subprocess.run(["gcc", "-O2", "-DBUG_CD_IN_CHILD", "-o", exe, SOURCE], check=True)
    transcripts = tmp_path / "t"
    r = minigrade("shell", exe, "-k", "cd", "--transcripts", transcripts)
    assert r.returncode == 1
    assert "cd sub" in r.stdout and "expected '/sub\\n' in the output" in r.stdout
    assert re.search(r"/tests/\d+⏎", r.stdout)  # what pwd printed, line end made visible
    saved = list(transcripts.iterdir())
    assert saved and "cd sub" in saved[0].read_text()


def test_a_tracer_that_cannot_trace_is_the_graders_error(tmp_path):
    """minitrace that cannot run inside the sandbox (here: an address space of 4 MiB, too
    small for its interpreter to load its libraries) makes the mechanism test the grader's
    ERROR, with the cause: never SKIPPED, which would hide it, never the student's FAILED."""
    exe = tmp_path / "tinysh"
    subprocess.run(["gcc", "-O2", "-o", exe, SOURCE], check=True)
    mech = [t for t in TESTS if t.name == "mechanism"]
    with Sandbox(limits=Limits(address_space=4 << 20)) as starved:
        tracer, why = engine.find_tracer(starved)
    assert tracer is None and why.startswith("minitrace cannot trace in this sandbox (")
    with Sandbox() as sb:
        program = prepare(exe, sb, ("myshell",))
        opts = engine.Options(tracer=tracer, tracer_missing=why)
        (result,) = engine.run_tests(mech, engine.Submission([str(program)], "t"), sb, opts)
        assert engine.find_tracer(sb)[0] is not None  # the same tracer works in a sandbox
    assert result.outcome == "error" and result.max_points == mech[0].points
    assert result.reason == f"grader error: {why}" and result.points == 0


def test_batch_parallel_resumable_gradebook(tmp_path):
    subs = tmp_path / "subs"
    make_folder(subs / "alice")
    make_folder(subs / "bob", bug="CD_IN_CHILD")
    make_folder(subs / "carol", broken=True)
    out = tmp_path / "out"
    args = ["batch", "shell", subs, "-o", out, "-j", "2", "-k", "prompt", "-k", "cd"]
    r = minigrade(*args)
    assert r.returncode == 0, r.stderr
    with open(out / "gradebook.csv") as f:
        rows = {row["submission"]: row for row in csv.DictReader(f)}
    assert rows["alice"]["score"] == rows["alice"]["max_score"]
    assert float(rows["bob"]["cd"]) == 0 and float(rows["bob"]["prompt"]) == 1
    assert float(rows["carol"]["score"]) == 0
    assert rows["carol"]["error"].startswith("submission failed: `make` failed")
    assert rows["alice"]["error"] == "" and rows["bob"]["error"] == ""
    # Resume: only the submission whose results are missing is graded again.
    logs = {n: (out / n / "grader.log").stat().st_mtime_ns for n in rows}
    (out / "bob" / "results.json").unlink()
    r = minigrade(*args)
    assert r.returncode == 0
    assert (out / "alice" / "grader.log").stat().st_mtime_ns == logs["alice"]
    assert (out / "bob" / "grader.log").stat().st_mtime_ns != logs["bob"]
    assert (out / "bob" / "results.json").exists()


def test_gradescope_zip_runs_against_a_fake_autograder_tree(tmp_path):
    zpath = tmp_path / "autograder.zip"
    r = minigrade("gradescope", "shell", "-o", zpath, "-k", "prompt", "-k", "pipeline status")
    assert r.returncode == 0, r.stderr
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zpath) as zf:
        names = zf.namelist()
        assert "setup.sh" in names and "run_autograder" in names
        assert "minishell-src/pyproject.toml" in names
        zf.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        path = root / "source" / script
        path.chmod(0o755)
        assert subprocess.run(["bash", "-n", path]).returncode == 0
    make_folder(root / "submission")
    env = dict(os.environ, MINIGRADE_AUTOGRADER_ROOT=str(root),
               MINIGRADE_BIN=str(Path(sys.executable).with_name("minigrade")))
    subprocess.run([root / "source" / "run_autograder"], env=env, cwd=root, check=True,
                   timeout=120, capture_output=True)
    data = json.loads((root / "results" / "results.json").read_text())
    assert data["score"] > 0 and all(t["status"] == "passed" for t in data["tests"])
    assert {t["name"] for t in data["tests"]} == {"prompt", "pipeline status"}  # hidden: included
    # A submission the grader cannot even start still yields a results.json.
    env["MINIGRADE_BIN"] = "/nonexistent/minigrade"
    subprocess.run([root / "source" / "run_autograder"], env=env, cwd=root, check=True,
                   timeout=60, capture_output=True)
    assert "course staff" in json.loads((root / "results" / "results.json").read_text())[
        "output"]


@pytest.mark.parametrize("what", ["batch", "gradescope"])
def test_subcommand_usage_errors(what, tmp_path):
    assert minigrade(what).returncode == 2
    assert minigrade(what, "nope", tmp_path, "-o", tmp_path / "x").returncode == 2


def test_without_bubblewrap_the_fallback_still_grades(tmp_path):
    """Docker (Gradescope, most CI) forbids bubblewrap: as root, rlimits + own group + a
    uid of its own remain. An ordinary user has nothing left to isolate with: refused
    (exit 2, what to install) unless --no-sandbox, and then the results say UNSANDBOXED."""
    exe = tmp_path / "tinysh"
    subprocess.run(["gcc", "-O2", "-o", exe, SOURCE], check=True)
    results = tmp_path / "r.json"
    env = dict(os.environ, MINIGRADE_NO_BWRAP="1")
    argv = [*MINIGRADE, "shell", exe, "-k", "pipe", "-k", "Ctrl-C", "-k", "mechanism",
            "--results", results]
    if os.geteuid() != 0:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
        assert r.returncode == 2 and "install bubblewrap" in r.stderr, r.stdout + r.stderr
        argv.append("--no-sandbox")
    r = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
    data = json.loads(results.read_text())
    assert "no bubblewrap" in data["output"]
    assert ("UNSANDBOXED" in data["output"]) is (os.geteuid() != 0)
    outcomes = {t["name"]: t["extra_data"]["outcome"] for t in data["tests"]}
    assert set(outcomes.values()) <= {"passed", "error"} and outcomes["pipe"] == "passed"
    # Traced where the sandbox user can run minitrace. Where it cannot (as root, an
    # interpreter under /root): the grader's error, exit 2, naming the closed folder.
    if outcomes["mechanism"] == "error":
        assert r.returncode == 2 and "minitrace cannot trace in this sandbox" in r.stderr
        assert "cannot enter /" in r.stderr and os.geteuid() == 0, r.stderr
    else:
        assert r.returncode == 0 and set(outcomes.values()) == {"passed"}, r.stdout


def test_folder_with_one_script_and_no_makefile(tmp_path):
    sub = tmp_path / "dave"
    sub.mkdir()
    (sub / "notes.txt").write_text("my design\n")
    (sub / "myshell.py").write_text("#!/bin/sh\nexec dash -i\n")
    r = minigrade("shell", sub, "-k", "exit N", "--hidden")
    assert r.returncode == 0, r.stdout
    (sub / "other.sh").write_text("#!/bin/sh\n")
    (sub / "other.sh").chmod(0o755)
    (sub / "myshell.py").chmod(0o755)
    r = minigrade("shell", sub, "-k", "exit N", "--hidden")
    assert r.returncode == 1 and "several programs" in r.stdout


def test_sigterm_still_writes_results(tmp_path):
    exe = tmp_path / "spinning"  # busy, never a prompt: the full 10 s wait for it
    exe.write_text("#!/bin/sh\nwhile :; do :; done\n")
    exe.chmod(0o755)
    results = tmp_path / "r.json"
    proc = subprocess.Popen([*MINIGRADE, "shell", exe, "-q", "--parallel", "1",
                             "-k", "prompt", "--results", results])
    # Once the spinning shell runs, the grader is inside the test's wait for a prompt that
    # never comes (however long a busy machine took to get there).
    deadline = time.monotonic() + 120
    def spinning(pid: int) -> bool:  # the sandbox's copy, run by its #! interpreter
        cmd = procfs.cmdline(pid)
        return len(cmd) == 2 and cmd[0] == "/bin/sh" and cmd[1].endswith("/submission/spinning")

    while not any(spinning(pid) for pid in procfs.pids()):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 2  # nothing was graded: not the student's failure
    data = json.loads(results.read_text())
    assert "stopped by SIGTERM" in data["output"]
    assert [t["extra_data"]["outcome"] for t in data["tests"]] == ["error"]


def test_prompt_text_is_taken_literally(tmp_path):
    """A prompt with regex characters in it, given as printed."""
    exe = tmp_path / "mysh"
    exe.write_text("#!/bin/sh\nPS1='(mysh)$ ' exec dash -i\n")
    exe.chmod(0o755)
    r = minigrade("shell", exe, "--prompt-text", "(mysh)$ ", "-k", "absolute path")
    assert r.returncode == 0, r.stdout
