"""What every kernel project shares: the course kernel's configuration (kernel.config), the
initramfs a test program runs from, and booting a kernel in QEMU while reading its serial
console."""
