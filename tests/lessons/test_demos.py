"""`minilesson run N` goes through every step of every lesson's demo without an error, and
each step's caption is borne out: what a step `shows` (demo.toml) is in that step's output."""

import os
import re
import subprocess
import sys

import pytest

from lessons.catalog import all_lessons


# Lesson 9's demo boots a kernel in QEMU (and may build it first): test_nic_lesson.py runs
# it, with a kernel build's time.
@pytest.mark.parametrize("lesson", [lesson for lesson in all_lessons() if lesson.number != 9],
                         ids=lambda lesson: lesson.name)
def test_demo_runs_every_step(lesson):
    proc = subprocess.run([sys.executable, "-m", "lessons", "run", str(lesson.number)],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200"})
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:]
    steps = len(lesson.demo_steps)
    assert f"Step {steps}/{steps}" in out and "End of the demo" in out
    assert "not installed" not in out  # by now every tool the demos use has landed
    assert "Traceback" not in out
    assert str(lesson.path / "demos") in " ".join(out.split())  # where the sources are
    parts = re.split(r"^Step \d+/\d+$", out, flags=re.M)[1:]
    assert len(parts) == steps
    for i, (step, part) in enumerate(zip(lesson.demo_steps, parts, strict=True), start=1):
        for promise in step.get("shows", []):
            assert promise in part, (i, step["say"], promise, part[-2000:])


def test_captions_with_claims_are_checked():
    assert sum(len(step.get("shows", [])) for lesson in all_lessons()
               for step in lesson.demo_steps) >= 10
