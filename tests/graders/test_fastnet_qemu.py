"""fastnet grader against real kernels in real QEMU (TCG emulation), with an emulated e1000
fed by the grader through QEMU's socket network on loopback.

The kernels are linux-source-6.1 with the course configuration and, as a student who did
both projects would submit, the sys_pfstat reference patch plus a fastnet variant: every
kernel the two projects' tests build then has the same sched.h, so they all share one
object tree and one full build (test_pfstat_qemu.py pays for it, or this file, whichever
runs first); each fastnet variant recompiles e1000_main.c and links (~20 s). All the builds
of this file are in it, so pytest-xdist's --dist loadfile gives them to one worker.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graders.fastnet import project

# A cold build of the shared kernel (unpack, configure, ~1,300 files on two cores) while
# the other xdist worker runs its own tests.
pytestmark = pytest.mark.timeout(1200)

GRADERS = Path(__file__).resolve().parents[2] / "graders"
FASTNET = GRADERS / "fastnet"
PFSTAT_REFERENCE = GRADERS / "pfstat" / "reference.patch"
ALL = {c.name for c in project.CHECKS}


def with_pfstat(tmp_path: Path, fastnet_patch: str) -> Path:
    """One patch holding both projects: pfstat's reference, then the fastnet variant."""
    patch = tmp_path / "both.patch"
    patch.write_bytes(PFSTAT_REFERENCE.read_bytes() + (FASTNET / fastnet_patch).read_bytes())
    return patch


def grade(tmp_path: Path, fastnet_patch: str) -> tuple[subprocess.CompletedProcess, dict]:
    results = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "graders", "fastnet", "--patch",
         str(with_pfstat(tmp_path, fastnet_patch)), "--results", str(results),
         "--seed", "4242", "--transcripts", str(tmp_path / "transcripts"),
         # a loaded CI machine boots a kernel under TCG several times slower
         "--timeout-factor", "3"],
        capture_output=True, text=True, timeout=1200)
    return proc, json.loads(results.read_text())


def failed(data: dict) -> set[str]:
    return {t["name"].split(":")[0] for t in data["tests"] if t["status"] != "passed"}


def test_reference_patch_scores_full_marks_and_reports_the_rates(tmp_path):
    proc, data = grade(tmp_path, "reference.patch")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert data["score"] == 100
    assert failed(data) == set()
    console = (tmp_path / "transcripts" / "console.log").read_text()
    assert "FASTNET end failures=0" in console
    # the second boot, for the rates only, without the DMA-API checker
    timed = (tmp_path / "transcripts" / "console-rates.log").read_text()
    assert "dma_debug=off" in timed and "DMA-API: debugging disabled" in timed
    # the host's TSC rate, given on the command line: the guest keeps time by the TSC (TCG
    # guests cannot calibrate it), which precise interrupt-time accounting needs
    assert "tsc_early_khz=" in timed and "Switched to clocksource tsc" in timed
    rates, costs = project.rates(timed), project.cpu_costs(timed)
    assert set(rates) == set(costs) == {1, 2, 3}
    assert all(pps > 0 for pps in rates.values()) and all(c > 0 for c in costs.values())
    assert "us of guest CPU per frame" in data["tests"][0]["output"]


@pytest.mark.parametrize(("fixture", "loses"), [
    ("fixtures/no-refill.patch", {"mode3_refill"}),
    ("fixtures/skb-in-mode3.patch", {"mode3_no_skb"}),
    ("fixtures/skb-freed-mode3.patch", {"mode3_no_skb"}),
    ("fixtures/no-unmap.patch", {"mode3_dma"}),
    ("fixtures/crc-length.patch", {"mode3_len"}),
])
def test_each_faulty_variant_loses_exactly_its_checks(tmp_path, fixture, loses):
    proc, data = grade(tmp_path, fixture)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert failed(data) == loses, proc.stdout
    lost = sum(c.points for c in project.CHECKS if c.name in loses)
    assert data["score"] == 100 - lost
    output = next(t["output"] for t in data["tests"] if t["name"].startswith(f"{min(loses)}:"))
    hint = next(c.hint for c in project.CHECKS if c.name in loses)
    assert hint in output


def test_a_kernel_without_fastnet_is_not_implemented(tmp_path):
    """Debian's stock kernel: e1000 is a module it cannot load from our initramfs, and
    there is no /dev/fastnet."""
    stock = sorted(Path("/boot").glob("vmlinuz-*"))
    assert stock, "linux-image-amd64 is not installed (scripts/system-deps.sh installs it)"
    results = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "graders", "fastnet", "--kernel",
                           str(stock[-1]), "--results", str(results), "--boot-timeout", "180"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(results.read_text())
    assert data["score"] == 0
    assert "fastnet is not implemented: there is no /dev/fastnet" in data["tests"][0]["output"]
