"""Small builders for hand-made trace events (the schema of CONTRACTS.md / docs/trace-events.md).

The renderer tests use them for the corner cases a recorded trace rarely shows
(a thread, a kill, a leak); the recorded traces in data/ cover real programs.
"""

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"

CLASSES = {
    "read": ["desc"], "write": ["desc"], "close": ["desc"], "dup2": ["desc"],
    "dup3": ["desc"], "fcntl": ["desc"], "pipe2": ["desc"], "openat": ["file", "desc"],
    "socket": ["network"], "clone": ["process"], "execve": ["file", "process"],
    "wait4": ["process"], "exit_group": ["process"], "mmap": ["memory", "desc"],
    "brk": ["memory"], "getpid": [],
}


def load(name: str) -> list[dict]:
    with open(DATA / name) as f:
        return [json.loads(line) for line in f if line.strip()]


def start(pid, argv, fds=None, ts=0.0):
    return {"v": 1, "type": "start", "pid": pid, "ts": ts, "argv": argv, "cwd": "/tmp",
            "fds": fds if fds is not None else {"0": "/dev/pts/1", "1": "/dev/pts/1",
                                                 "2": "/dev/pts/1"}, "attached": False}


def sc(pid, ts, name, args=(), ret=0, err=None, fds=None, cap=None, dur=0.00001, tid=None,
       flt=None):
    ev = {"v": 1, "type": "syscall", "pid": pid, "tid": tid or pid, "ts": ts, "dur": dur,
          "nr": 0, "name": name, "args": (list(args) + [0] * 6)[:6], "ret": ret, "err": err,
          "classes": CLASSES.get(name, []), "cap": cap or {}, "fds": fds or {},
          "text": f"{name}(...)", "result": str(ret), "explain": f"explain {name}"}
    if flt is not None:
        ev["flt"] = flt
    return ev


def spawn(pid, child, ts, kind="fork"):
    return {"v": 1, "type": "spawn", "pid": pid, "child": child, "kind": kind, "ts": ts}


def exec_(pid, ts, argv, path=None):
    return {"v": 1, "type": "exec", "pid": pid, "ts": ts, "path": path or "/usr/bin/" + argv[0],
            "argv": argv, "envc": 3}


def exit_(pid, ts, code=0, signal=None):
    return {"v": 1, "type": "exit", "pid": pid, "ts": ts, "code": code, "signal": signal,
            "core": False}
