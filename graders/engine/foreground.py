"""Become the terminal's foreground job, then exec the program: what a shell does for each
job it starts (setpgid, then tcsetpgrp), done for a shell started under minitrace.

A shell under test must be started as a terminal starts it: leader of its own process
group, and that group the terminal's foreground group. minitrace forks the program it
traces into minitrace's own group, so without this step a shell that calls
`setpgid(0, 0); tcsetpgrp(0, getpgrp())` before ignoring SIGTTOU would find itself in a
background group asking for the terminal, and be stopped by SIGTTOU.

Run as `python -S -I foreground.py -- PROGRAM ARGS...` (no imports beyond os, signal, sys).
Its own system calls come before the exec and include no fork, wait, pipe or dup.
"""

import os
import signal
import sys


def main() -> int:
    argv = sys.argv[sys.argv.index("--") + 1:]
    os.setpgid(0, 0)
    if os.isatty(0):
        # We are in a background group now: tcsetpgrp sends SIGTTOU unless it is ignored.
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        try:
            os.tcsetpgrp(0, os.getpgrp())
        except OSError:
            pass  # not our controlling terminal: nothing to take
    # The program starts with the dispositions it inherited from the launcher and minitrace
    # (all default), except what this process changed: SIGTTOU just now, and SIGPIPE and
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
