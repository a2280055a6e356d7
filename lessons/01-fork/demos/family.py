"""A chain of three generations: each process forks one child and waits for it."""
import os

for generation in range(3):
    pid = os.fork()
    if pid != 0:                      # the parent: wait for the child, then stop
        os.waitpid(pid, 0)
        print(f"generation {generation}: pid {os.getpid()} (parent {os.getppid()}) done")
        break
else:
    print(f"the youngest: pid {os.getpid()}, parent {os.getppid()}")
