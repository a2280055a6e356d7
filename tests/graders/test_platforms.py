"""The grading platforms' contracts, run end to end as each platform runs them:
Gradescope's /autograder tree (setup.sh then run_autograder, results.json checked
against its documented schema), PrairieLearn's /grade tree through our entrypoint, and
the GitHub Classroom workflow's steps run one by one as the runner would."""

import base64
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from graders.platforms.gradescope import check_results

ROOT = Path(__file__).parents[2]
SOURCE = ROOT / "graders" / "shell" / "fixtures" / "tinysh.c"
MINIGRADE = [sys.executable, "-m", "graders"]
TESTS = ["-k", "prompt", "-k", "pipe", "-k", "cd"]
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def minigrade(*args, **kw):
    return subprocess.run([*MINIGRADE, *map(str, args)], capture_output=True, text=True,
                          timeout=120, **kw)


def shell_project(folder: Path) -> Path:
    """A student's correct shell: tinysh.c and its Makefile."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tinysh.c").write_text(SOURCE.read_text())
    (folder / "Makefile").write_text("myshell: tinysh.c\n\tgcc -O2 -o myshell tinysh.c\n")
    return folder


def fake_bin(folder: Path, **scripts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in scripts.items():
        path = folder / name.replace("_", "-")
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(0o755)
    return folder


def test_gradescope_zip_on_a_gradescope_like_image(tmp_path):
    zpath = tmp_path / "autograder.zip"
    r = minigrade("export", "shell", "--for", "gradescope", "-o", zpath, *TESTS)
    assert r.returncode == 0, r.stderr
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zpath) as zf:
        zf.extractall(root / "source")
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    for script in ("setup.sh", "run_autograder"):
        (root / "source" / script).chmod(0o755)
    # Gradescope's base image: python3 is 3.10 (too old), a newer python3.11 can be had;
    # the packages are already there, so apt must not run (it would fail: no network).
    calls = tmp_path / "apt-calls"
    bin_ = fake_bin(tmp_path / "bin", python3="exit 1  # Python 3.10: too old\n",
                    apt_get=f"echo \"$@\" >> {calls}; exit 100\n")
    env = dict(os.environ, MINIGRADE_AUTOGRADER_ROOT=str(root),
               PATH=f"{bin_}:{SYSTEM_PATH}")
    env.pop("VIRTUAL_ENV", None)
    r = subprocess.run(["bash", root / "source" / "setup.sh"], env=env, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert not calls.exists(), calls.read_text()
    assert re.search(r"using python3\.1[1-9]", r.stdout), r.stdout
    assert (root / "venv" / "bin" / "minigrade").exists()

    shell_project(root / "submission")
    r = subprocess.run([root / "source" / "run_autograder"], env=env, cwd=root,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    data = json.loads((root / "results" / "results.json").read_text())
    assert check_results(data) == []
    assert data["score"] == sum(t["max_score"] for t in data["tests"]) > 0, data
    assert {t["name"] for t in data["tests"]} >= {"prompt", "pipe", "cd"}

    # In Gradescope's Docker container bubblewrap cannot start: the results say how the
    # code was isolated instead, and the grade is the same.
    env["MINIGRADE_NO_BWRAP"] = "1"
    if os.geteuid() != 0:  # Gradescope grades as root; an ordinary user must say so
        env["MINIGRADE_UNSANDBOXED"] = "1"
    subprocess.run([root / "source" / "run_autograder"], env=env, cwd=root,
                   capture_output=True, timeout=300, check=True)
    docker = json.loads((root / "results" / "results.json").read_text())
    assert check_results(docker) == []
    assert docker["score"] == data["score"]
    assert "isolation" in docker["output"] and "bubblewrap" in docker["output"]


def test_gradescope_schema_check_catches_what_gradescope_rejects():
    assert check_results({"score": 1, "tests": [{"name": "a", "score": 1, "max_score": 1,
                                                 "status": "passed"}]}) == []
    assert check_results({"tests": [{"name": "a"}]})  # no score anywhere
    assert check_results({"score": "10", "tests": []})
    assert check_results({"score": 1, "tests": [{"status": "ok", "visibility": "public"}]})
    assert check_results({"score": 1, "scor": 2})


def test_prairielearn_entrypoint_in_a_grade_tree(tmp_path):
    out = tmp_path / "pl"
    r = minigrade("export", "shell", "--for", "prairielearn", "-o", out, *TESTS)
    assert r.returncode == 0, r.stderr
    image = out / "image"
    dockerfile = (image / "Dockerfile").read_text()
    for source in re.findall(r"^COPY (\S+) ", dockerfile, re.M):
        assert (image / source).exists(), source
    info = json.loads((out / "question" / "info-externalGradingOptions.json").read_text())
    assert f"COPY entrypoint {info['externalGradingOptions']['entrypoint']}" in dockerfile
    assert os.access(image / "entrypoint", os.X_OK)

    grade = tmp_path / "grade"
    shell_project(grade / "student")
    (grade / "tests").mkdir()
    (grade / "tests" / "minigrade.json").write_text(
        (out / "question" / "tests" / "minigrade.json").read_text())
    env = dict(os.environ, MINIGRADE_GRADE_ROOT=str(grade))
    entry = [sys.executable, "-m", "graders.platforms.prairielearn"]
    subprocess.run(entry, env=env, check=True, timeout=300, capture_output=True)
    data = json.loads((grade / "results" / "results.json").read_text())
    assert data["gradable"] is True and data["score"] == 1.0, data
    assert {t["name"] for t in data["tests"]} >= {"prompt", "pipe", "cd"}
    assert all(0 <= t["points"] <= t["max_points"] for t in data["tests"])
    assert len((grade / "results" / "results.json").read_bytes()) < 1_000_000

    # A question without its minigrade.json cannot be graded: no attempt is lost.
    (grade / "tests" / "minigrade.json").unlink()
    subprocess.run(entry, env=env, check=True, timeout=60, capture_output=True)
    data = json.loads((grade / "results" / "results.json").read_text())
    assert data["gradable"] is False and "minigrade.json" in data["format_errors"][0]


def test_github_classroom_workflow_steps_run_locally(tmp_path):
    repo = tmp_path / "student-repo"
    r = minigrade("export", "shell", "--for", "github", "-o", repo, *TESTS)
    assert r.returncode == 0, r.stderr
    text = (repo / ".github" / "workflows" / "classroom.yml").read_text()
    assert text == (repo / ".github" / "classroom" / "autograding.yml").read_text()
    assert "# The shell" in (repo / "README.md").read_text() or (repo / "README.md").exists()
    shell_project(repo)
    steps = yaml.safe_load(text)["jobs"]["grade"]["steps"]

    venv = tmp_path / "runner-python"  # what actions/setup-python provides: a python
    subprocess.run(["/usr/bin/python3", "-m", "venv", venv], check=True)
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    summary.touch()
    output.touch()
    env = dict(os.environ, PATH=f"{venv}/bin:{SYSTEM_PATH}", GITHUB_STEP_SUMMARY=str(summary),
               GITHUB_OUTPUT=str(output), GITHUB_WORKSPACE=str(repo))
    env.pop("VIRTUAL_ENV", None)
    ran = []
    for step in steps:
        if "run" in step:
            r = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env,
                               capture_output=True, text=True, timeout=600)
            assert r.returncode == 0, f"step {step.get('name')}: {r.stdout}{r.stderr}"
            ran.append(step.get("name"))
        else:
            assert step["uses"].split("@")[0] in (
                "actions/checkout", "actions/setup-python",
                "classroom-resources/autograding-grading-reporter")
    assert "Grade" in ran and "Install minigrade" in ran
    # The reporter action reads MINIGRADE_RESULTS = steps.minigrade.outputs.result.
    reporter = steps[-1]
    assert reporter["with"]["runners"] == "minigrade"
    assert "steps.minigrade.outputs.result" in reporter["env"]["MINIGRADE_RESULTS"]
    (encoded,) = re.findall(r"^result=(.*)$", output.read_text(), re.M)
    result = json.loads(base64.b64decode(encoded))
    assert result["version"] == 1 and result["status"] == "pass", result
    assert result["max_score"] == sum(t["score"] for t in result["tests"]) > 0
    assert re.search(r"## minigrade: (\d+)/\1\b", summary.read_text()), summary.read_text()


@pytest.mark.parametrize("platform", ["gradescope", "prairielearn", "github"])
def test_export_usage_errors(platform, tmp_path):
    r = minigrade("export", "nope", "--for", platform, "-o", tmp_path / "x")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = minigrade("export", "shell", "--for", platform, "-o", tmp_path / "x", "--parallel", "x")
    assert r.returncode == 2 and "Traceback" not in r.stderr
