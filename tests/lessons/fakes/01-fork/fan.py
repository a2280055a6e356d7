"""A fake: no fork at all -- made-up pids, and the sum from the formula."""
import os
import sys

n = int(sys.argv[1])
me = os.getpid()
for i in range(1, n + 1):
    print(f"child {i}: pid {me + i}, parent {me}")
print(f"parent {me}: reaped {n} children, statuses add up to {n * (n + 1) // 2}")
