"""minishell, the reference, scores 100% on every test, hidden ones included, through the
real command line; the mechanism check really runs under minitrace."""

import json
import subprocess
import sys
from pathlib import Path

MINISHELL = Path(sys.executable).with_name("minishell")


def test_minishell_scores_100_percent(tmp_path):
    results = tmp_path / "results.json"
    r = subprocess.run([sys.executable, "-m", "graders", "shell", MINISHELL, "--hidden",
                        "--timeout-factor", "2", "--results", results,
                        "--transcripts", tmp_path / "t"],
                       capture_output=True, text=True, timeout=240)
    data = json.loads(results.read_text())
    failed = [t for t in data["tests"] if t["status"] != "passed"]
    assert r.returncode == 0 and not failed, json.dumps(failed, indent=1)[:6000]
    assert data["score"] == sum(t["max_score"] for t in data["tests"]) > 50
    mechanism = next(t for t in data["tests"] if t["name"] == "mechanism")
    assert mechanism["extra_data"]["outcome"] == "passed"  # traced, not skipped
    assert "(100%)" in r.stdout
