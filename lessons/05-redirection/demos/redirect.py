"""What a shell does for `./both > out.txt 2>&1`, spelled out: open, dup2, close, exec."""
import os

pid = os.fork()
if pid == 0:
    fd = os.open("out.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)   # fd 3
    os.dup2(fd, 1)            # > out.txt : fd 1 now refers to out.txt
    os.close(fd)              # fd 3 is not needed any more
    os.dup2(1, 2)             # 2>&1      : fd 2 refers to what fd 1 refers to NOW
    os.execv("./both", ["./both"])
os.waitpid(pid, 0)
print("out.txt holds:", open("out.txt").read().split())
