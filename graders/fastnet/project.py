"""fastnet: boot the student's kernel in QEMU with an e1000 NIC and check its receive modes.

    minigrade fastnet --patch fastnet.patch    build it the reference way, then grade it
    minigrade fastnet --kernel bzImage         a kernel the student built
    minigrade fastnet SUBMISSION               a bzImage, a patch, or a folder holding one

The grader sends the frames from outside the VM (wire.py: QEMU's socket network on the
loopback interface); the tester inside (tester.c) reads them from the fastnet zone in each
mode and prints one `FASTNET name PASS|FAIL detail` line per check, and a `FASTNET rate`
line per mode. A kernel that panics, oopses or hangs fails the check it was running.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path

from ..kernel import ToolError, build, grading, initramfs, qemu
from ..kernel.grading import Check
from ..model import Outcome, Report, TestResult
from . import wire

SUBMISSION_HELP = ("a bzImage, a patch against linux-source-6.1, or a folder holding one "
                   "(or name it with --kernel / --patch)")
PROJECT = "fastnet"
PREFIX = "FASTNET"
TESTER_SOURCE = Path(__file__).with_name("tester.c")
REFERENCE = Path(__file__).with_name("reference.patch")
PFSTAT_REFERENCE = Path(__file__).parents[1] / "pfstat" / "reference.patch"
# The tester gives up on a run after PATIENCE_MS without a frame (a loaded machine can starve
# QEMU for seconds), and on a link after 3 x PATIENCE_MS; a check runs at most two runs and
# a rate measurement, a few seconds under TCG.
PATIENCE_MS = 6000
CHECK_LIMIT = 45.0
RATE_FRAMES = "2000 full-size frames (1514 bytes)"
RATE = re.compile(r"^FASTNET rate mode=(\d) frames=(\d+) seconds=([\d.]+) pps=(\d+)"
                  r"(?: cpu_us=([\d.]+))?", re.M)

CHECKS = [
    Check("device", 5, "/dev/fastnet opens and its zone maps",
          "register a misc device named fastnet whose mmap maps the whole zone "
          "(FASTNET_ZONE_SIZE bytes, MAP_SHARED) with every descriptor FASTNET_FREE"),
    Check("errors", 5, "bad requests get ENODEV and EINVAL",
          "FASTNET_IOC_SET_MODE: -ENODEV for an ifindex no device has, -EINVAL for a "
          "mode above 3 (check the mode first)"),
    Check("mode1", 10, "mode 1: every frame once, in order, lengths and bytes exact",
          "mode 1 copies in an rx_handler (netdev_rx_handler_register): push the MAC header "
          "back (skb->mac_len), copy skb->len bytes into the next buffer, consume the skb"),
    Check("mode2", 10, "mode 2: every frame once, in order, lengths and bytes exact",
          "mode 2: in e1000_clean_rx_irq, dma_sync_single_for_cpu() the buffer, copy "
          "length - 4 bytes (no CRC) into the zone and leave the buffer in the ring"),
    Check("mode2_no_skb", 5, "mode 2 puts no skb through the network stack",
          "mode 2 must not build an skb: copy from the driver's buffer and skip "
          "e1000_receive_skb()"),
    Check("mode3", 15, "mode 3: every frame once, in order, bytes exact",
          "mode 3: the NIC writes into zone buffers that alloc_rx_buf put in the ring; "
          "clean_rx hands each over with fastnet's rx-done call, in ring order"),
    Check("mode3_len", 10, "mode 3: lengths exact (no CRC)",
          "the rx descriptor's length counts the 4-byte Ethernet CRC: deliver length - 4"),
    Check("mode3_no_skb", 10, "mode 3 puts no skb through the network stack",
          "mode 3's clean_rx must not allocate an skb nor call napi_gro_receive(): the "
          "frame is already in the zone, write only its length"),
    Check("mode3_refill", 10, "mode 3 keeps receiving past the ring's 256 descriptors",
          "after cleaning, refill the ring: call alloc_rx_buf for E1000_DESC_UNUSED(ring) "
          "slots, taking the next zone buffer for each"),
    Check("mode3_dma", 10, "mode 3 unmaps every buffer the NIC filled",
          "dma_unmap_single() each zone buffer when the NIC is done with it (in clean_rx, "
          "and when the ring is emptied), before the CPU or the user reads it"),
    Check("restore", 10, "leaving mode 3 restores normal networking",
          "FASTNET_IOC_SET_MODE 0 must put back e1000's own alloc_rx_buf/clean_rx and "
          "refill the ring with skb buffers (e1000_down + e1000_up)"),
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The submission: a bzImage, a patch, or a folder holding one."""
    grading.add_kernel_arguments(parser, boot_default=60.0, test_default=240.0)


default_submission = grading.default_submission


def reference_kernel() -> Path:
    """The course kernel with both projects' reference patches, pfstat's then fastnet's, as
    a student who did both would submit them: the kernel the test suite grades, and the one
    lesson 9's demo boots (built once, minutes, then cached)."""
    patch = PFSTAT_REFERENCE.read_bytes() + REFERENCE.read_bytes()
    return build.build_kernel(patch).bzimage


def compile_tester(cache: Path | None = None) -> Path:
    return initramfs.compile_tester(cache or build.cache_dir(), TESTER_SOURCE,
                                    "fastnet-tester")


def fastnet_initramfs(out: Path, tester: Path, *, seed: int, patience_ms: int,
                      rates: bool = False) -> Path:
    return initramfs.build_initramfs(
        out, tester, f"/fastnet-tester {'--rates ' if rates else ''}--seed {int(seed)} "
                     f"--patience {int(patience_ms)}")


def rates(log: str) -> dict[int, float]:
    """Frames per second the tester measured in each mode (mode -> pps)."""
    return {int(m.group(1)): float(m.group(4)) for m in RATE.finditer(log)}


def cpu_costs(log: str) -> dict[int, float]:
    """Guest CPU the receive path took per frame in each mode, in microseconds (mode ->
    us): the time the never-sleeping tester did not get during the burst. Unlike frames/s,
    which is the rate the grader's host side manages to send at, this is what the modes
    change -- and a busy host stretches every mode's figure alike."""
    return {int(m.group(1)): float(m.group(5)) for m in RATE.finditer(log) if m.group(5)}


def rate_summary(log: str) -> str:
    """One line for people: frames/s and CPU per frame in each mode, and mode 3 vs mode 1."""
    pps, cpu = rates(log), cpu_costs(log)
    if not pps:
        return ""
    parts = [f"mode {m}: {pps[m]:.0f} frames/s" +
             (f", {cpu[m]:.0f} us of guest CPU per frame" if m in cpu else "")
             for m in sorted(pps)]
    line = f"receive rate ({RATE_FRAMES}): " + "; ".join(parts)
    if cpu.get(1) and 3 in cpu:
        line += (f"\nmode 3 costs {cpu[3] / cpu[1]:.2f} x the CPU per frame of mode 1 "
                 f"({'cheaper, as zero-copy should be' if cpu[3] < cpu[1] else 'NOT cheaper'})")
    return line


def results_from_run(run: qemu.Boot, *, where: str, transcript: str | None = None,
                     rates_log: str = "") -> list[TestResult]:
    if "device" in run.checks and run.checks["device"][0] == "NOTIMPL":
        return grading.all_fail(
            CHECKS, Outcome.FAILED,
            "fastnet is not implemented: there is no /dev/fastnet (register a misc device "
            "named fastnet; see the statement)", run.checks["device"][1],
            "fastnet is not implemented (no /dev/fastnet)", transcript)
    results = grading.results_from_run(run, CHECKS, prefix=PREFIX, where=where,
                                       transcript=transcript)
    summary = rate_summary(rates_log)
    if summary and results:
        results[0].feedback += f"\n{summary}"
    return results


def boot_and_check(kernel: Path, args: argparse.Namespace, workdir: Path,
                   transcripts: Path | None, *, seed: int | None = None,
                   rates: bool = False) -> tuple[qemu.Boot, str | None]:
    """One boot of the tester: every check, or (rates) only the receive rates -- a boot of
    its own, without the DMA-API checker (see measure_rates in tester.c)."""
    factor = getattr(args, "timeout_factor", 1.0)
    if seed is None:
        seed = args.seed if args.seed is not None else \
            random.SystemRandom().randrange(1, 2**31)
    name = "initrd-rates.gz" if rates else "initrd.gz"
    initrd = fastnet_initramfs(workdir / name, compile_tester(), seed=seed,
                               patience_ms=int(PATIENCE_MS * factor), rates=rates)
    log_name = "console-rates.log" if rates else "console.log"
    log = (transcripts or workdir) / log_name
    limits = qemu.Limits(boot=args.boot_timeout * factor, run=args.test_timeout * factor,
                         check=CHECK_LIMIT * factor)
    host = wire.Host(seed)
    host.start()
    try:
        run = qemu.boot(kernel, initrd, prefix=PREFIX, limits=limits, accel=args.accel,
                        log_path=log, devices=host.netdev_args(),
                        options="dma_debug=off" if rates else "")
    finally:
        host.stop()
    return run, (str(log) if transcripts else None)


def rates_worth_measuring(run: qemu.Boot) -> bool:
    """Only a kernel that passes every check gets the second boot: the rates of a broken
    mode mean little, a crash there would only cost time, and a batch of failing
    submissions (or the test suite's faulty fixtures) should not pay a boot more each."""
    return all(run.checks.get(c.name, ("",))[0] == "PASS" for c in CHECKS)


def not_run(args: argparse.Namespace, why: str) -> list[TestResult]:
    """Every check ERROR: the grader failed before it could judge anything (cli.py)."""
    return grading.not_run(CHECKS, args, why)


def grade(submission: Path, args: argparse.Namespace) -> Report:
    """Build (or take) the kernel, boot it, turn the tester's lines into results; when the
    grader's own tools fail, a Report with `error` (the cause) and every check ERROR."""
    start = time.monotonic()
    try:
        return _grade(submission, args, start)
    except ToolError as exc:
        return Report(PROJECT, str(submission), not_run(args, str(exc)),
                      grading.QEMU_ISOLATION, time.monotonic() - start, error=str(exc))


def _grade(submission: Path, args: argparse.Namespace, start: float) -> Report:
    transcripts = getattr(args, "transcripts", None)
    if transcripts:
        transcripts.mkdir(parents=True, exist_ok=True)
    path, isolation, failures = grading.kernel_for(submission, args, CHECKS)
    if path is None:
        return Report(PROJECT, str(submission), grading.selected(failures, args), isolation,
                      time.monotonic() - start)
    with tempfile.TemporaryDirectory(prefix="minigrade-fastnet-") as tmp:
        run, transcript = boot_and_check(path, args, Path(tmp), transcripts)
        rates_log = ""
        if rates_worth_measuring(run):
            timed, _ = boot_and_check(path, args, Path(tmp), transcripts,
                                      seed=int(run.seed or 1), rates=True)
            rates_log = timed.log
    results = grading.selected(results_from_run(run, where="the kernel",
                                                transcript=transcript,
                                                rates_log=rates_log), args)
    return Report(PROJECT, grading.label(submission, run), results, isolation,
                  time.monotonic() - start)
