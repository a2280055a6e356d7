"""The guest's whole userland: a cpio archive the kernel unpacks into its first filesystem.

An initramfs is the simplest root a kernel can have: no disk, no drivers, just files the
boot loader put in memory. Ours holds busybox (a shell, mount, reboot), the tester
(compiled statically: there is no C library in the guest) and `/init`, the first program
the kernel runs. /init mounts /proc, /sys, /dev and debugfs, runs the tester, prints markers the
grader waits for, and ends the machine.

The archive is written here in the "newc" cpio format (what the kernel reads, see
Documentation/driver-api/early-userspace/buffer-format.rst), not with the cpio tool: it
needs /dev/console, a device node, and making one on disk needs root.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import subprocess
from pathlib import Path

from . import ToolError

BUSYBOX = Path("/bin/busybox")

# Markers /init prints; the grader's state machine waits for them.
INIT_UP = "MINIGRADE-INIT up"
INIT_DONE = "MINIGRADE-INIT done"

INIT_SCRIPT = """#!/bin/sh
# The first process: mount the kernel's pseudo-filesystems, run the tester, stop the machine.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
echo "{up}"
cd /
{command}
echo "{done} status=$?"
# reboot, not poweroff: a tinyconfig kernel has no ACPI to power off with; QEMU runs
# with -no-reboot, so a reboot ends it.
/bin/busybox reboot -f
"""


def compile_tester(cache: Path, source: Path, name: str) -> Path:
    """gcc -static -O2 SOURCE -o NAME, cached by the source's hash."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    out = cache / "tester" / digest / name
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")  # graders in parallel: no clash
    try:
        proc = subprocess.run(["gcc", "-static", "-O2", "-Wall", "-o", str(tmp), str(source)],
                              capture_output=True, text=True)
    except FileNotFoundError:
        raise ToolError("gcc is missing (the grader compiles its tester with it): "
                        "apt-get install gcc libc6-dev") from None
    if proc.returncode != 0:
        first = next((line for line in proc.stderr.splitlines() if "error" in line),
                     proc.stderr.strip())
        raise ToolError(f"could not compile the grader's tester (gcc -static {source.name}): "
                        f"{first}")
    tmp.rename(out)
    return out


class Cpio:
    """A newc archive: a 110-byte ASCII header per entry, name and data padded to 4 bytes."""

    def __init__(self) -> None:
        self.buf = io.BytesIO()
        self.ino = 1

    def _entry(self, name: str, mode: int, data: bytes = b"", rdev: tuple[int, int] = (0, 0),
               nlink: int = 1) -> None:
        encoded = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(encoded), 0]
        self.ino += 1
        header = b"070701" + b"".join(b"%08X" % f for f in fields)
        self.buf.write(header + encoded)
        self.buf.write(b"\0" * (-(len(header) + len(encoded)) % 4))
        self.buf.write(data)
        self.buf.write(b"\0" * (-len(data) % 4))

    def directory(self, name: str) -> None:
        self._entry(name, stat.S_IFDIR | 0o755, nlink=2)

    def file(self, name: str, data: bytes, mode: int = 0o755) -> None:
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name: str, target: str) -> None:
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name: str, major: int, minor: int) -> None:
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def finish(self) -> bytes:
        self._entry("TRAILER!!!", 0, nlink=1)
        return self.buf.getvalue()


def build_initramfs(out: Path, tester: Path, command: str,
                    busybox: Path = BUSYBOX) -> Path:
    """Write a gzip'd initramfs that runs `command` once (the tester is /TESTER-NAME)
    and ends the machine."""
    if not busybox.exists():
        raise ToolError(f"{busybox} is missing: apt-get install busybox-static")
    archive = Cpio()
    for d in ("bin", "dev", "proc", "sys", "tmp"):
        archive.directory(d)
    # The kernel opens /dev/console for init's stdin/out/err before anything is mounted.
    archive.chardev("dev/console", 5, 1)
    archive.file("bin/busybox", busybox.read_bytes())
    archive.symlink("bin/sh", "busybox")
    archive.file(tester.name, tester.read_bytes())
    archive.file("init", INIT_SCRIPT.format(up=INIT_UP, done=INIT_DONE,
                                            command=command).encode())
    out.write_bytes(gzip.compress(archive.finish(), compresslevel=1))
    return out

