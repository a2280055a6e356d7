"""The last step before untrusted code runs: limits, a process group, a lesser user.

Run by the sandbox as `python -S -I launch.py SPEC_JSON -- PROGRAM ARGS...` (inside
bubblewrap when it is available). It is a separate tiny program, not a preexec_fn, so the
same code path serves pexpect, subprocess and bubblewrap alike.

Order matters, as in any setuid program: limits first (root may raise them), then the
process group and terminal (so Ctrl-C reaches the student's shell and never bubblewrap or
the grader), then signal dispositions (exec keeps "ignored" signals, and Python ignores
SIGPIPE and SIGXFSZ), then the identity: supplementary groups, gid, uid — uid last, since
after it nothing can be undone.
"""

import json
import os
import resource
import signal
import sys

LIMITS = {
    "cpu": resource.RLIMIT_CPU,
    "as": resource.RLIMIT_AS,
    "fsize": resource.RLIMIT_FSIZE,
    "nproc": resource.RLIMIT_NPROC,
    "nofile": resource.RLIMIT_NOFILE,
    "core": resource.RLIMIT_CORE,
}


def take_the_terminal() -> None:
    """Become a process group of our own and the terminal's foreground group."""
    if os.getpgrp() != os.getpid():
        os.setpgid(0, 0)
    if os.isatty(0):
        # A background group calling tcsetpgrp gets SIGTTOU unless it ignores it.
        old = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        try:
            os.tcsetpgrp(0, os.getpgrp())
        except OSError:
            pass  # not our controlling terminal: nothing to hand over
        signal.signal(signal.SIGTTOU, old)


def find_program(name: str, env: dict) -> str:
    """execvp's PATH search, done by hand: os.execvpe imports modules lazily, which may
    no longer be readable once we are the sandbox user."""
    if "/" in name:
        return name
    for folder in env.get("PATH", "/usr/bin:/bin").split(":"):
        path = os.path.join(folder or ".", name)
        if os.access(path, os.X_OK) and not os.path.isdir(path):
            return path
    return name


def main() -> int:
    spec = json.loads(sys.argv[1])
    argv = sys.argv[3:]
    for name, value in spec.get("limits", {}).items():
        # CPU: SIGXCPU at the soft limit names the cause; SIGKILL a second later ends it.
        hard = value + 1 if name == "cpu" else value
        resource.setrlimit(LIMITS[name], (value, hard))
    take_the_terminal()
    for sig in range(1, signal.NSIG):
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            try:
                signal.signal(sig, signal.SIG_DFL)
            except (OSError, ValueError):
                pass
    if spec.get("uid") is not None and os.getuid() == 0:
        os.setgroups([])
        os.setgid(spec["gid"])
        os.setuid(spec["uid"])
    os.umask(0o022)
    os.chdir(spec["cwd"])
    try:
        os.execve(find_program(argv[0], spec["env"]), argv, spec["env"])
    except OSError as exc:
        print(f"minigrade: cannot run {argv[0]}: {exc.strerror}", file=sys.stderr)
        return 127


if __name__ == "__main__":
    sys.exit(main())
