"""fastnet grader, the parts that need no virtual machine: the frames the host sends are the
ones the guest tester expects (the same recipe in Python and C), the host side honours the
tester's window, the patches touch only what they say, and console lines become verdicts."""

from __future__ import annotations

import socket
import struct
import subprocess
from pathlib import Path

import pytest

from graders.fastnet import project, wire
from graders.kernel import ToolError, build, qemu
from graders.model import Outcome

FASTNET = Path(__file__).resolve().parents[2] / "graders" / "fastnet"


@pytest.fixture(scope="module")
def tester(tmp_path_factory) -> Path:
    return project.compile_tester(tmp_path_factory.mktemp("cache"))


def verify(tester: Path, frame: bytes, seed: int, run: int, seq: int, size: int) -> str:
    return subprocess.run([str(tester), "--verify", str(seed), str(run), str(seq), str(size)],
                          input=frame, capture_output=True, timeout=10).stdout.decode()


@pytest.mark.parametrize(("seq", "size"), [(0, 0), (1, 0), (513, 0), (7, 60), (8, 1514)])
def test_the_host_builds_exactly_the_frames_the_tester_expects(tester, seq, size):
    frame = wire.data_frame(b"\x52\x54\x00\x12\x34\x56", 4242, 3, seq, size)
    assert 60 <= len(frame) <= 1514
    assert verify(tester, frame, 4242, 3, seq, size) == \
        f"len {len(frame)} expected {len(frame)} mismatch -1\n"


def test_one_changed_byte_is_found_where_it_is(tester):
    frame = bytearray(wire.data_frame(bytes(6), 9, 1, 2))
    frame[40] ^= 0x10
    assert verify(tester, bytes(frame), 9, 1, 2, 0).endswith("mismatch 40\n")


def test_udp_frames_carry_a_valid_ipv4_header():
    frame = wire.udp_frame(bytes(6), 5, 3)
    ip = frame[14:34]
    total = sum(struct.unpack("!10H", ip))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    assert total == 0xFFFF  # the checksum sums to all ones
    assert frame[12:14] == b"\x08\x00" and ip[9] == 17
    assert b"fastnet udp run=5 seq=3" in frame


def test_the_host_never_sends_more_than_a_window_ahead_of_the_acks():
    """What keeps loopback UDP from dropping frames QEMU could not take yet."""
    host = wire.Host(seed=1)
    guest = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    guest.bind(("127.0.0.1", host.qemu_port))  # we play QEMU
    guest.settimeout(2)
    host.start()
    try:
        mac = bytes.fromhex("525400123456")

        def control(magic, a, b, c=0, d=0):
            head = b"\xff" * 6 + mac + struct.pack("!H", wire.ETHERTYPE)
            guest.sendto(head + struct.pack("<5I", magic, a, b, c, d) + bytes(26),
                         ("127.0.0.1", host.port))

        control(wire.MAGIC_REQUEST, 1, wire.KIND_FRAMES, 100, 0)
        got = [guest.recv(2048) for _ in range(wire.WINDOW)]
        guest.settimeout(0.3)
        with pytest.raises(TimeoutError):
            guest.recv(2048)  # the window is full: nothing more until an ack
        control(wire.MAGIC_ACK, 1, 8)
        guest.settimeout(2)
        more = [guest.recv(2048) for _ in range(8)]
        seqs = [struct.unpack("<I", f[22:26])[0] for f in got + more]
        assert seqs == list(range(wire.WINDOW + 8))
        assert all(f[:6] == mac for f in got)
    finally:
        host.stop()
        guest.close()


def test_each_fixture_differs_from_the_reference_in_e1000_main_only():
    """A faulty variant is a small rebuild: the same headers, one driver file."""
    reference = (FASTNET / "reference.patch").read_bytes()
    files = build.patched_files(reference)
    assert files == ["drivers/net/Makefile", "drivers/net/ethernet/intel/e1000/e1000.h",
                     "drivers/net/ethernet/intel/e1000/e1000_main.c", "drivers/net/fastnet.c",
                     "include/linux/fastnet.h", "include/uapi/linux/fastnet.h"]
    for fixture in sorted((FASTNET / "fixtures").glob("*.patch")):
        assert build.patched_files(fixture.read_bytes()) == files
        ref_hunks = reference.split(b"--- a/")
        fix_hunks = fixture.read_bytes().split(b"--- a/")
        changed = [h.split(b"\n")[0] for h, r in zip(fix_hunks, ref_hunks, strict=True)
                   if h != r]
        assert changed == [b"drivers/net/ethernet/intel/e1000/e1000_main.c"], fixture.name


LOG = """\
MINIGRADE-INIT up
FASTNET begin seed=77 if=eth0
FASTNET check device
FASTNET device PASS /dev/fastnet opened
FASTNET check errors
FASTNET errors PASS ok
FASTNET check mode1
FASTNET mode1 PASS 200 frames
FASTNET check mode2
BUG: kernel NULL pointer dereference, address: 0000000000000010
RIP: 0010:e1000_clean_rx_irq+0x1d/0x60
Kernel panic - not syncing: Fatal exception in interrupt
"""


def test_a_panic_in_mode2_fails_mode2_and_the_later_checks_are_not_run():
    run = qemu.Boot(log=LOG, reached_init=True, panic=True)
    qemu.parse_tester(run, project.PREFIX)
    results = project.results_from_run(run, where="the kernel")
    by_name = {r.name.split(":")[0]: r for r in results}
    assert [by_name[n].outcome for n in ("device", "errors", "mode1")] == [Outcome.PASSED] * 3
    assert by_name["mode2"].outcome == Outcome.CRASHED
    assert "RIP: 0010:e1000_clean_rx_irq+0x1d/0x60" in by_name["mode2"].feedback
    not_run = "not run, crashed: the kernel panicked during check `mode2`"
    assert all(by_name[c.name].reason == not_run for c in project.CHECKS[4:])
    assert "seed 77 (replay: --seed 77)" in by_name["device"].feedback


RATES = """\
FASTNET begin seed=77 if=eth0
FASTNET rate mode=1 frames=2000 seconds=1.084 pps=1844 cpu_us=83.4 irq_ticks=17 interrupts=309
FASTNET rate mode=2 frames=2000 seconds=1.284 pps=1557 cpu_us=29.2 irq_ticks=6 interrupts=261
FASTNET rate mode=3 frames=2000 seconds=0.788 pps=2537 cpu_us=14.0 irq_ticks=3 interrupts=226
FASTNET end failures=0
"""


def test_the_rates_boot_gives_frames_per_second_and_cpu_per_frame_in_the_feedback():
    assert project.rates(RATES) == {1: 1844, 2: 1557, 3: 2537}
    assert project.cpu_costs(RATES) == {1: 83.4, 2: 29.2, 3: 14.0}
    run = qemu.Boot(log=LOG.split("FASTNET check mode2")[0], reached_init=True)
    qemu.parse_tester(run, project.PREFIX)
    feedback = project.results_from_run(run, where="the kernel", rates_log=RATES)[0].feedback
    assert "mode 1: 1844 frames/s, 83 us of guest CPU per frame" in feedback
    assert "mode 3 costs 0.17 x the CPU per frame of mode 1 (cheaper" in feedback
    slower = RATES.replace("cpu_us=14.0", "cpu_us=90.0")
    assert "NOT cheaper" in project.rate_summary(slower)
    assert not project.rates_worth_measuring(run)  # mode 2 and 3 never ran


def test_the_checks_add_up_to_100_and_match_the_statement():
    assert sum(c.points for c in project.CHECKS) == 100
    assert len({c.name for c in project.CHECKS}) == len(project.CHECKS)
    statement = (FASTNET / "README.md").read_text()
    for check in project.CHECKS:
        assert f"| {check.name} | {check.points:g} |" in statement, check.name


def test_no_dev_fastnet_is_not_implemented():
    log = "MINIGRADE-INIT up\nFASTNET begin seed=1\nFASTNET check device\n" \
          "FASTNET device NOTIMPL open(/dev/fastnet): No such file or directory\n" \
          "FASTNET end failures=1\n"
    run = qemu.Boot(log=log, reached_init=True, finished=True)
    qemu.parse_tester(run, project.PREFIX)
    results = project.results_from_run(run, where="the kernel")
    assert results[0].reason.startswith("fastnet is not implemented: there is no /dev/fastnet")
    assert all(r.reason == "not run: fastnet is not implemented (no /dev/fastnet)"
               for r in results[1:])


# -- the grader's own machinery failing: its error, never the student's ---------------

def path_without(tmp_path: Path, *tools: str) -> str:
    """A PATH holding every program of this machine's /usr/bin and /bin but `tools`: the
    real programs, as a grading machine that lacks those packages would have them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for folder in (Path("/usr/local/bin"), Path("/usr/bin"), Path("/bin")):
        for program in folder.iterdir():
            target = bin_dir / program.name
            if program.name not in tools and not target.exists():
                target.symlink_to(program)
    return str(bin_dir)


def stock_kernel() -> Path:
    stock = sorted(Path("/boot").glob("vmlinuz-*"))
    assert stock, "linux-image-amd64 is not installed (scripts/system-deps.sh installs it)"
    return stock[-1]


def grade_without(tmp_path: Path, project_name: str, *tools: str, cache: Path | None = None
                  ) -> tuple[subprocess.CompletedProcess, dict]:
    import json
    import os
    import sys

    results = tmp_path / "r.json"
    env = {**os.environ, "PATH": path_without(tmp_path, *tools)}
    if cache:
        env["MINISHELL_CACHE"] = str(cache)
    proc = subprocess.run([sys.executable, "-m", "graders", project_name, "--kernel",
                           str(stock_kernel()), "--results", str(results)],
                          capture_output=True, text=True, timeout=120, env=env)
    return proc, json.loads(results.read_text())


def assert_grader_error(proc: subprocess.CompletedProcess, data: dict, cause: str,
                        checks: int) -> None:
    """Exit 2; the terminal says the tool's error and cause in one line (no table, no
    "score 0/0"); every check ERROR in the results file, none of it the student's."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    (line,) = proc.stdout.strip().splitlines()
    assert line.startswith("grader error: ") and cause in line, line
    assert "not the submission's fault" in line and "score" not in proc.stdout
    (err,) = proc.stderr.strip().splitlines()
    assert err.startswith("minigrade: grader error: ") and cause in err
    assert len(data["tests"]) == checks
    assert {t["extra_data"]["outcome"] for t in data["tests"]} == {"error"}
    assert all(cause in t["output"] for t in data["tests"][:1])


def test_without_qemu_every_check_is_a_grader_error_naming_qemu(tmp_path):
    proc, data = grade_without(tmp_path, "fastnet", "qemu-system-x86_64")
    assert_grader_error(proc, data, "qemu-system-x86_64 is missing", len(project.CHECKS))
    assert "apt-get install qemu-system-x86" in proc.stdout


def test_a_qemu_that_refuses_to_start_is_a_grader_error(tmp_path):
    """A real QEMU given a device it does not have: it exits before the kernel runs."""
    initrd = tmp_path / "initrd"
    initrd.write_bytes(b"")
    with pytest.raises(ToolError, match="QEMU failed: .*no-such-nic"):
        qemu.boot(stock_kernel(), initrd, prefix=project.PREFIX,
                  devices=["-device", "no-such-nic"])
