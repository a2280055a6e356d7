"""How untrusted code is started: the operating system's own walls, layered.

1. rlimits (CPU seconds, address space, file size, processes, open files, no core dumps);
2. its own process group, which becomes the terminal's foreground group;
3. when the grader is root, a user of its own for each run side by side: RLIMIT_NPROC
   does nothing for root, and a dedicated uid lets one `kill(-1, SIGKILL)` made as that
   user end everything it started;
4. bubblewrap when it works here (probed once): an empty root with only what the run
   needs, no network, private /tmp, a pid namespace (and, for an ordinary user, a user
   namespace, whose process count is the run's own). Never `--new-session`: it would take
   the terminal away from a shell under test and break job control.

The one sandbox of the toolkit: the shell grader, the pfstat kernel build and the lesson
checks all start code through it. Public API:

    with Sandbox() as sb:                   # SandboxError: the grader cannot isolate here
        sb.probe([program])                 # SandboxError: it could not start the program
        res = sb.run(["make"], timeout=60)  # RunResult: returncode, stdout, timed_out
        argv = sb.command([program, "-i"])  # for pexpect: the same walls, a terminal
        cell = sb.cell(folder)              # a run side by side, with limits of its own
        print(sb.isolation)                 # which walls were in force, in one line

The modes and their guarantees are in box.py; what a run sees is in mounts.py; how every
process it started is ended is in reaping.py; the last step before exec is launch.py.
"""

from .box import (
    DEFAULT_ENV,
    Cell,
    Limits,
    RunResult,
    Sandbox,
    SandboxError,
    bwrap_status,
)
from .mounts import LAUNCHER, world_reachable
from .reaping import UID_RANGE, kill_as_uid, pids_of_uid

__all__ = ["DEFAULT_ENV", "LAUNCHER", "UID_RANGE", "Cell", "Limits", "RunResult", "Sandbox",
           "SandboxError", "bwrap_status", "kill_as_uid", "pids_of_uid",
           "world_reachable"]
