"""The last step before untrusted code runs: limits, a process group, a lesser user.

Run by the sandbox as `python -S -I launch.py SPEC_JSON -- PROGRAM ARGS...` (inside
bubblewrap when it is available). It is a separate tiny program, not a preexec_fn, so the
same code path serves pexpect, subprocess and bubblewrap alike. It imports only the
standard library: it must start wherever the sandbox can start the interpreter.

Order matters, as in any setuid program: limits first (root may raise them), then the
process group and terminal (so Ctrl-C reaches the student's shell and never bubblewrap or
the grader), then signal dispositions (exec keeps "ignored" signals, and Python ignores
SIGPIPE and SIGXFSZ), then the identity: supplementary groups, gid, uid — uid last, since
after it nothing can be undone.

With `"probe": true` in the spec it does all of that, then checks that the program could
be exec'd (and a script's #! interpreter too) and exits 0 — or prints why not and exits
3. That is how the grader proves, before any test, that the sandbox can really start
the submission as the sandbox user: any failure there is the grader's, not the student's.
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
PROBE_FAILED = 3
CLONE_NEWNET = 0x40000000


def processes_of(uid: int) -> int:
    """How many processes `uid` has now: RLIMIT_NPROC counts them all, the grader's too.
    (Read here, not with minishell.procfs: the launcher imports nothing of ours.)"""
    count = 0
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and os.stat(f"/proc/{entry}").st_uid == uid:
                count += 1
        except OSError:
            pass
    return count


def set_limits(limits: dict, nproc_on_top: bool) -> None:
    for name, value in limits.items():
        if name == "nproc" and nproc_on_top:
            # Our uid is shared with the grader (no sandbox user, no user namespace): allow
            # `value` processes more than it has now, so a fork bomb stops there.
            value += processes_of(os.getuid())
        # CPU: SIGXCPU at the soft limit names the cause; SIGKILL a second later ends it.
        hard = value + 1 if name == "cpu" else value
        resource.setrlimit(LIMITS[name], (value, hard))


def unshare_network() -> None:
    """A network namespace of our own, with nothing but a loopback that is down: no
    connect() reaches anything. Root may make one (not always in a container)."""
    import ctypes  # only here: the common path imports as little as possible

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET) failed")


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


def why_not_runnable(path: str, env: dict) -> str | None:
    """None when execve(path) would start: the file and, for a script, its interpreter."""
    who = f"uid {os.getuid()}"
    if not os.path.exists(path):
        return f"{path} does not exist inside the sandbox"
    if not os.access(path, os.X_OK) or os.path.isdir(path):
        return f"{path} is not executable by the sandbox user ({who})"
    try:
        with open(path, "rb") as f:
            head = f.readline(256)
    except OSError as exc:
        return f"{path} is not readable by the sandbox user ({who}): {exc.strerror}"
    if head.startswith(b"#!"):
        words = head[2:].decode(errors="replace").split()
        if not words:
            return f"{path} starts with #! but names no interpreter"
        return why_not_runnable(words[0], env)
    return None


def main() -> int:
    spec = json.loads(sys.argv[1])
    argv = sys.argv[3:]
    set_limits(spec.get("limits", {}), spec.get("nproc_on_top", False))
    take_the_terminal()
    for sig in range(1, signal.NSIG):
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            try:
                signal.signal(sig, signal.SIG_DFL)
            except (OSError, ValueError):
                pass
    if spec.get("unshare_net"):
        unshare_network()
    if spec.get("uid") is not None and os.getuid() == 0:
        os.setgroups([])
        os.setgid(spec["gid"])
        os.setuid(spec["uid"])
    os.umask(0o022)
    try:
        os.chdir(spec["cwd"])
    except OSError as exc:
        print(f"cannot enter the work folder {spec['cwd']}: {exc.strerror}", file=sys.stderr)
        return PROBE_FAILED if spec.get("probe") else 127
    program = find_program(argv[0], spec["env"])
    if spec.get("probe"):
        why = why_not_runnable(program, spec["env"])
        print(why or "ok", file=sys.stderr)
        return PROBE_FAILED if why else 0
    try:
        os.execve(program, argv, spec["env"])
    except OSError as exc:
        print(f"minigrade: cannot run {argv[0]}: {exc.strerror}", file=sys.stderr)
        return 127


if __name__ == "__main__":
    sys.exit(main())
