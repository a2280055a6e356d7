"""What every kernel project shares: the course kernel's configuration (kernel.config), the
initramfs a test program runs from, and booting a kernel in QEMU while reading its serial
console."""


class ToolError(RuntimeError):
    """The grader's own machinery failed -- a tool missing or broken (gcc, busybox, make,
    QEMU, the kernel source) -- never the student's fault: every check is reported ERROR,
    with this message as the one cause, and minigrade exits 2."""
