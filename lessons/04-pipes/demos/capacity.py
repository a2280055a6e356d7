"""How much a pipe holds: write without blocking until the kernel says 'full' (EAGAIN)."""
import os

r, w = os.pipe()
os.set_blocking(w, False)
total = 0
try:
    while True:
        total += os.write(w, b"x" * 4096)
except BlockingIOError:
    print(f"the pipe is full after {total} bytes: a writer would now block")
