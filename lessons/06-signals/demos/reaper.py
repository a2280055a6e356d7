"""SIGCHLD: the kernel tells a parent that a child changed state; the handler reaps it."""
import os
import signal
import time


def on_sigchld(signum, frame):
    while True:                       # several children may have ended: reap them all
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        print(f"SIGCHLD: a child exited with {os.waitstatus_to_exitcode(status)}", flush=True)


signal.signal(signal.SIGCHLD, on_sigchld)
for code in (3, 4):
    if os.fork() == 0:
        os._exit(code)
    time.sleep(0.1)                   # the handler runs while we sleep
print("parent: done, no zombies left")
