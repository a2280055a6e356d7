"""A session of its own, with the terminal as its controlling terminal, then exec the
program: what a terminal (xterm, sshd, login) does for the shell it starts, done for a
shell started under minitrace.

A shell under test must be started as a terminal starts it: session leader, leader of its
own process group, and that group the terminal's foreground group. Two things stand in
the way when the shell is traced:

- minitrace forks the program it traces into minitrace's own group, so a shell that calls
  `setpgid(0, 0); tcsetpgrp(0, getpgrp())` before ignoring SIGTTOU would find itself in a
  background group asking for the terminal, and be stopped by SIGTTOU;
- the pty's session belongs to the first process pexpect forked (it calls setsid() and
  opens the pty, which makes it the session's controlling terminal), and that process
  becomes bubblewrap, or the sandbox's launcher. A terminal belongs to one session at a
  time, and only a privileged process (CAP_SYS_ADMIN) may take it from another session
  with TIOCSCTTY: the traced shell runs as the sandbox user, without that power.

So the terminal is freed first, on the grader's side: `give_up_terminal()` runs in
pexpect's child before it execs the sandbox (TIOCNOTTY: the session keeps its processes
but loses its terminal). The sandbox's launcher then finds no controlling terminal, so its
own tcsetpgrp does nothing; and this program, which minitrace starts, runs setsid() (a new
session; it is no group leader, so it may) and TIOCSCTTY on the terminal, now nobody's:
the kernel makes it the session's controlling terminal and the new group its foreground
group. The exec'd shell is then exactly what a terminal starts: getsid(0) == getpgrp() ==
tcgetpgrp(0) == getpid(), and when it exits its job gets SIGHUP as at a real terminal.

Where the terminal is still another session's (started without give_up_terminal), it falls
back to what a shell does for a job: setpgid, then tcsetpgrp.

Run as `python -S -I foreground.py -- PROGRAM ARGS...` (no imports beyond the standard
library's built-in modules). Its own system calls come before the exec and include no
fork, wait, pipe or dup, so the trace judges the shell alone.
"""

import fcntl
import os
import signal
import sys
import termios


def give_up_terminal() -> None:
    """In pexpect's child, before exec: drop the pty as controlling terminal (TIOCNOTTY),
    so that the traced shell's own session can take it. A session leader dropping its
    terminal sends SIGHUP (and SIGCONT) to its foreground group, which is itself: ignored
    for that moment."""
    old = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        fcntl.ioctl(0, termios.TIOCNOTTY)
    finally:
        signal.signal(signal.SIGHUP, old)


def controls_terminal() -> bool:
    """Is fd 0 our session's controlling terminal? (tcgetpgrp fails with ENOTTY if not.)"""
    try:
        os.tcgetpgrp(0)
    except OSError:
        return False
    return True


def take_terminal_as_session() -> None:
    """setsid(), then TIOCSCTTY: a session of our own, led by us, the terminal its own."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def take_terminal_as_job() -> None:
    """What a shell does for a job: a group of our own, then the terminal's foreground."""
    os.setpgid(0, 0)
    # We are in a background group now: tcsetpgrp sends SIGTTOU unless it is ignored.
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(0, os.getpgrp())
    except OSError:
        pass  # not our controlling terminal: nothing to take


def main() -> int:
    argv = sys.argv[sys.argv.index("--") + 1:]
    if os.isatty(0):
        if controls_terminal():
            take_terminal_as_job()
        else:
            try:
                take_terminal_as_session()
            except OSError as exc:
                print(f"minigrade: cannot give the shell the terminal: {exc.strerror}",
                      file=sys.stderr)
                return 127
    # The program starts with the dispositions it inherited from the launcher and minitrace
    # (all default), except what this process changed: SIGTTOU maybe, and SIGPIPE and
    # SIGXFSZ, which Python ignores at startup (exec keeps "ignored", resets handlers).
    for sig in (signal.SIGTTOU, signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(sig, signal.SIG_DFL)
    try:
        os.execv(argv[0], argv)
    except OSError as exc:
        print(f"minigrade: cannot run {argv[0]}: {exc.strerror}", file=sys.stderr)
        return 127


if __name__ == "__main__":
    sys.exit(main())
