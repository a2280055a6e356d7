"""Lesson 9's demo for real: `minilesson run 9` boots the course kernel in QEMU (TCG) with an
emulated e1000, and the receive counters the program inside prints move as the lesson says:
every datagram one frame off the ring and one skb into the stack, at least one interrupt
for them and never more interrupts than frames (NAPI takes several per interrupt when they
wait). The kernel is the one the fastnet tests grade (both projects' reference patches):
whichever test runs first builds it, in the shared object tree."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from lessons.catalog import get

pytestmark = pytest.mark.timeout(1500)  # a cold kernel build, on a loaded machine
ROW = re.compile(r"^(start|after \d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", re.M)


def test_minilesson_run_9_boots_qemu_and_the_counters_move():
    lesson = get(9)
    proc = subprocess.run([sys.executable, "-m", "lessons", "run", "9"],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=1400,
                          env={**os.environ, "COLUMNS": "200"})
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:]
    steps = len(lesson.demo_steps)
    assert f"Step {steps}/{steps}" in out and "Traceback" not in out
    assert "not installed" not in out
    parts = re.split(r"^Step \d+/\d+$", out, flags=re.M)[1:]
    for step, part in zip(lesson.demo_steps, parts, strict=True):
        for promise in step.get("shows", []):
            assert promise in part, (step["say"], promise, part[-2000:])
    rows = [tuple(int(x) for x in m.groups()[1:]) for m in ROW.finditer(out)]
    assert rows[0] == (0, 0, 0, 0) and len(rows) == 6, out[-3000:]
    for (read, rx, irqs, skbs), (read2, rx2, irqs2, skbs2) in zip(rows, rows[1:], strict=False):
        assert read2 > read and rx2 >= rx and irqs2 >= irqs and skbs2 >= skbs
    read, rx, irqs, skbs = rows[-1]
    assert read == 500 and rx >= 500 and skbs >= 500  # (plus the odd ARP frame)
    assert 0 < irqs <= rx
    summary = re.search(r"read 500 of 500 datagrams; the NIC delivered (\d+) frames in (\d+) "
                        r"interrupts", out)
    assert summary and int(summary.group(1)) >= 500
