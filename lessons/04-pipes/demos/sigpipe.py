"""A write with no reader left: SIGPIPE -- unless the writer ignores it, as Python does."""
import os
import signal

r, w = os.pipe()
os.close(r)                                   # no read end is open anywhere now

print("Python ignores SIGPIPE:", signal.getsignal(signal.SIGPIPE) == signal.SIG_IGN)
try:
    os.write(w, b"hello?")
except BrokenPipeError as e:                  # the write fails with EPIPE instead
    print(f"python's write raised BrokenPipeError ({e.strerror}: EPIPE); it goes on")

pid = os.fork()
if pid == 0:                                  # the child restores the default action
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.write(w, b"hello?")
    os._exit(0)                               # never reached: SIGPIPE killed it
_, status = os.waitpid(pid, 0)
print("with the default action the writer is",
      f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
      if os.WIFSIGNALED(status) else f"exited {os.WEXITSTATUS(status)}")
