"""Reference solution of lesson 1's exercise in Python: checks accept a .py file too."""
import os
import sys

n = int(sys.argv[1])
for i in range(1, n + 1):
    if os.fork() == 0:
        print(f"child {i}: pid {os.getpid()}, parent {os.getppid()}", flush=True)
        os._exit(i)
total = 0
for _ in range(n):
    _, status = os.wait()
    total += os.waitstatus_to_exitcode(status)
print(f"parent {os.getpid()}: reaped {n} children, statuses add up to {total}")
