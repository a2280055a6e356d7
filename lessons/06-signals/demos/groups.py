"""Process groups: a shell with job control puts each pipeline in a group of its own."""
import os

parent_group = os.getpgrp()
pid = os.fork()
if pid == 0:
    print(f"child after fork: in the parent's group? {os.getpgrp() == parent_group}", flush=True)
    os.setpgid(0, 0)                  # a new group, led by this child (what a shell does)
    print(f"child after setpgid: leads its own group? {os.getpgrp() == os.getpid()}", flush=True)
    os._exit(0)
os.waitpid(pid, 0)
print(f"parent: still in its old group? {os.getpgrp() == parent_group}")
