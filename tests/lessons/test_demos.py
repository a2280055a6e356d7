"""`minilesson run N` goes through every step of every lesson's demo without an error."""

import os
import subprocess
import sys

import pytest

from lessons.catalog import all_lessons


@pytest.mark.parametrize("lesson", all_lessons(), ids=lambda lesson: lesson.name)
def test_demo_runs_every_step(lesson):
    proc = subprocess.run([sys.executable, "-m", "lessons", "run", str(lesson.number)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    steps = len(lesson.demo_steps)
    assert f"Step {steps}/{steps}" in proc.stdout and "End of the demo" in proc.stdout
    assert "not installed" not in proc.stdout  # by now every tool the demos use has landed
    assert "Traceback" not in proc.stderr
