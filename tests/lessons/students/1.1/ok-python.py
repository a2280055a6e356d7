# A student's fan, in Python (the checks run .py files too): os.fork, os.waitpid,
# os.waitstatus_to_exitcode.
# verdict: pass
import os
import sys

n = int(sys.argv[1])
for i in range(1, n + 1):
    sys.stdout.flush()
    if os.fork() == 0:
        print(f"child {i}: pid {os.getpid()}, parent {os.getppid()}", flush=True)
        os._exit(i)
total = 0
for _ in range(n):
    _, status = os.waitpid(-1, 0)
    total += os.waitstatus_to_exitcode(status)
print(f"parent {os.getpid()}: reaped {n} children, statuses add up to {total}")
