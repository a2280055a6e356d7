"""Lesson 9's demo: a real NIC driver receiving, in a machine we can look inside.

Boots the course kernel in QEMU with an emulated Intel e1000 (the e1000 driver is built into
the kernel) and a single program, nicwatch (nicwatch.c, next to this file): it asks for UDP
datagrams, which this script's host side sends into the emulated NIC through QEMU's socket
network (graders/fastnet/wire.py, the fastnet grader's), and prints the kernel's receive
counters as they move. Usage: python3 nic_demo.py [PACKETS]

The first run builds the kernel (a few minutes; then it is cached).
"""

import sys
import tempfile
from pathlib import Path

from graders.fastnet import project, wire
from graders.kernel import ToolError, build, initramfs, qemu
from lessons.catalog import get

PREFIX = "NICWATCH"  # (nicwatch prints no such lines: the machine just runs to its end)


def main() -> int:
    packets = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    source = get("nic").path / "demos" / "nicwatch.c"
    print("booting the course kernel in QEMU (TCG), an e1000 NIC on QEMU's socket network",
          flush=True)
    try:
        kernel = project.reference_kernel()
        program = initramfs.compile_tester(build.cache_dir(), source, "nicwatch")
        with tempfile.TemporaryDirectory(prefix="nic-demo-") as tmp:
            initrd = initramfs.build_initramfs(Path(tmp) / "initrd.gz", program,
                                               f"/nicwatch {packets}")
            host = wire.Host(seed=1)
            host.start()
            try:
                run = qemu.boot(kernel, initrd, prefix=PREFIX, devices=host.netdev_args(),
                                limits=qemu.Limits(boot=120, run=180, check=180))
            finally:
                host.stop()
    except (ToolError, build.BuildError) as exc:
        print(f"nic_demo: {exc}", file=sys.stderr)
        return 2
    lines = run.log.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(qemu.INIT_UP)), None)
    if start is None:
        print("nic_demo: the kernel never started its program:\n" + run.tail(), file=sys.stderr)
        return 1
    shown = [line for line in lines[start + 1:] if not line.startswith(qemu.INIT_DONE)]
    print("\n".join(line for line in shown if line.strip() and "reboot" not in line.lower()))
    return 0 if run.finished and any(line.startswith("read ") for line in shown) else 1


if __name__ == "__main__":
    sys.exit(main())
